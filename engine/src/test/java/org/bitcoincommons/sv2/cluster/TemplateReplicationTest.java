package org.bitcoincommons.sv2.cluster;

import static org.bitcoincommons.sv2.cluster.Protocol.LE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.template.Template;
import org.bitcoincommons.sv2.template.TemplateListener;
import org.junit.jupiter.api.Test;

/**
 * Templates in the replicated state without a cluster: the TEMPLATE command's template survives its codec field for
 * field, only a template above the latest (height, term, sequence) replaces it, a malformed one is refused, the latest
 * is in the snapshot (a snapshot then the rest of the log equals the whole log), and a frontend's source delivers each
 * template once, in order, with its own increasing ids.
 */
class TemplateReplicationTest
{
    static Template template(final long id, final int height, final int txCount, final long seed)
    {
        final Random r = new Random(seed);
        final byte[] prev = new byte[32];
        r.nextBytes(prev);
        final byte[] path = new byte[32 * 3];
        r.nextBytes(path);
        final List<byte[]> txs = new ArrayList<>();
        for (int i = 0; i < txCount; i++)
        {
            final byte[] tx = new byte[60 + r.nextInt(400)];
            r.nextBytes(tx);
            txs.add(tx);
        }
        final byte[] commitment = new byte[38];
        r.nextBytes(commitment);
        return new Template(id, height, 0x20000000, prev, 0x1d00ffff, 1_700_000_000 + height, 312_500_000L + seed,
            path, txs, commitment, List.of(new TxOut(0, new byte[] {0x6a, 0x01, 0x07})), height - 1, 0xfffffffe);
    }

    static byte[] command(final Template t, final int member, final long term, final long sequence)
    {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(1024);
        b.putByte(Protocol.TYPE_OFFSET, Protocol.TEMPLATE);
        b.putByte(Protocol.VERSION_OFFSET, Protocol.VERSION);
        b.putInt(Protocol.MEMBER_OFFSET, member, LE);
        b.putLong(Protocol.TERM_OFFSET, term, LE);
        b.putLong(Protocol.SEQUENCE_OFFSET, sequence, LE);
        final int n = Protocol.TEMPLATE_HEADER_LENGTH + TemplateCodec.encode(t, b, Protocol.TEMPLATE_HEADER_LENGTH);
        assertEquals(n, Protocol.TEMPLATE_HEADER_LENGTH + TemplateCodec.encodedLength(t));
        final byte[] out = new byte[n];
        b.getBytes(0, out);
        return out;
    }

    static void assertSameTemplate(final Template expected, final Template actual)
    {
        assertEquals(expected.height(), actual.height());
        assertEquals(expected.version(), actual.version());
        assertArrayEquals(expected.prevHash(), actual.prevHash());
        assertEquals(expected.nbits(), actual.nbits());
        assertEquals(expected.minNtime(), actual.minNtime());
        assertEquals(expected.coinbaseValue(), actual.coinbaseValue());
        assertArrayEquals(expected.merklePath(), actual.merklePath());
        assertEquals(expected.transactions().size(), actual.transactions().size());
        for (int i = 0; i < expected.transactions().size(); i++)
        {
            assertArrayEquals(expected.transactions().get(i), actual.transactions().get(i));
        }
        assertArrayEquals(expected.witnessCommitment(), actual.witnessCommitment());
        assertEquals(expected.requiredOutputs(), actual.requiredOutputs());
        assertEquals(expected.coinbaseLockTime(), actual.coinbaseLockTime());
        assertEquals(expected.coinbaseSequence(), actual.coinbaseSequence());
    }

    private static ReplicatedAccounting.Outcome apply(final ReplicatedAccounting r, final byte[] c)
    {
        return r.applyTemplate(new UnsafeBuffer(c), 0, c.length);
    }

    private static Template latest(final ReplicatedAccounting r)
    {
        final byte[] c = r.latestTemplate();
        return TemplateCodec.decode(new UnsafeBuffer(c), Protocol.TEMPLATE_HEADER_LENGTH,
            c.length - Protocol.TEMPLATE_HEADER_LENGTH);
    }

    private static byte[] snapshot(final ReplicatedAccounting r)
    {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(4096);
        final int n = r.encode(b, 0);
        final byte[] out = new byte[n];
        b.getBytes(0, out);
        return out;
    }

    @Test
    void theCodecKeepsEveryField()
    {
        final Template t = template(7, 881_423, 25, 1);
        final byte[] c = command(t, 2, 5, 1);
        final Template back = TemplateCodec.decode(new UnsafeBuffer(c), Protocol.TEMPLATE_HEADER_LENGTH,
            c.length - Protocol.TEMPLATE_HEADER_LENGTH);
        assertSameTemplate(t, back);
        assertEquals(7, back.id());
        final Template none = new Template(1, 10, 1, new byte[32], 0x207fffff, 0, 50, new byte[0], List.of(), null);
        final byte[] c2 = command(none, 0, 0, 1);
        assertNull(TemplateCodec.decode(new UnsafeBuffer(c2), Protocol.TEMPLATE_HEADER_LENGTH,
            c2.length - Protocol.TEMPLATE_HEADER_LENGTH).witnessCommitment());
        // every truncation, and a byte too many, is refused
        for (int cut = 1; cut < c.length - Protocol.TEMPLATE_HEADER_LENGTH; cut += 97)
        {
            final int length = c.length - Protocol.TEMPLATE_HEADER_LENGTH - cut;
            assertThrows(IllegalArgumentException.class, () -> TemplateCodec.decode(new UnsafeBuffer(c),
                Protocol.TEMPLATE_HEADER_LENGTH, length));
        }
        final byte[] longer = java.util.Arrays.copyOf(c, c.length + 1);
        assertThrows(IllegalArgumentException.class, () -> TemplateCodec.decode(new UnsafeBuffer(longer),
            Protocol.TEMPLATE_HEADER_LENGTH, longer.length - Protocol.TEMPLATE_HEADER_LENGTH));
    }

    @Test
    void onlyANewerTemplateReplacesTheLatest()
    {
        final ReplicatedAccounting r = new ReplicatedAccounting();
        final Template h100 = template(1, 100, 3, 1);
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, command(h100, 0, 4, 1)));
        // the same again (a re-send after a new leader): nothing changes
        assertEquals(ReplicatedAccounting.Outcome.NOT_NEWER, apply(r, command(h100, 0, 4, 1)));
        // the old leader's feeder, one term behind, at the same height: ignored
        assertEquals(ReplicatedAccounting.Outcome.NOT_NEWER, apply(r, command(template(9, 100, 3, 2), 1, 3, 50)));
        // an older tip, even from a newer term: ignored
        assertEquals(ReplicatedAccounting.Outcome.NOT_NEWER, apply(r, command(template(2, 99, 3, 3), 0, 5, 1)));
        assertSameTemplate(h100, latest(r));
        // same height, same term, next sequence (new mempool): applied
        final Template h100b = template(2, 100, 5, 4);
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, command(h100b, 0, 4, 2)));
        // same height, a newer term's feeder starting its sequence over: applied
        final Template h100c = template(1, 100, 4, 5);
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, command(h100c, 2, 6, 1)));
        // a new tip from the older term's feeder (a block is news whoever reports it): applied
        final Template h101 = template(3, 101, 0, 6);
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, command(h101, 0, 4, 3)));
        assertSameTemplate(h101, latest(r));
        assertEquals(4, r.templatesApplied());
        assertEquals(3, r.templatesIgnored());
        // malformed: a truncated template, a wrong version: refused, the latest stays
        final byte[] cut = java.util.Arrays.copyOf(command(template(4, 200, 2, 7), 0, 9, 1), 100);
        assertEquals(ReplicatedAccounting.Outcome.REJECTED, apply(r, cut));
        final byte[] badVersion = command(template(4, 200, 2, 7), 0, 9, 1);
        badVersion[Protocol.VERSION_OFFSET] = 9;
        assertEquals(ReplicatedAccounting.Outcome.REJECTED, apply(r, badVersion));
        assertSameTemplate(h101, latest(r));
        assertEquals(2, r.rejected());
    }

    @Test
    void aSnapshotThenTheRestOfTheLogEqualsTheWholeLog()
    {
        final List<byte[]> log = List.of(command(template(1, 100, 3, 1), 0, 1, 1), command(template(2, 100, 4, 2), 0, 1, 2),
            command(template(3, 101, 2, 3), 0, 1, 3), command(template(1, 101, 2, 4), 1, 2, 1),
            command(template(9, 100, 2, 5), 0, 1, 4), command(template(2, 102, 6, 6), 1, 2, 2));
        final ReplicatedAccounting whole = new ReplicatedAccounting();
        log.forEach(c -> apply(whole, c));
        for (int at = 0; at <= log.size(); at++)
        {
            final ReplicatedAccounting first = new ReplicatedAccounting();
            log.subList(0, at).forEach(c -> apply(first, c));
            final byte[] snap = snapshot(first);
            final ReplicatedAccounting restored = new ReplicatedAccounting();
            restored.decode(new UnsafeBuffer(snap), 0, snap.length);
            assertArrayEquals(snap, snapshot(restored), "decode then encode gives the same bytes");
            log.subList(at, log.size()).forEach(c -> apply(restored, c));
            assertArrayEquals(snapshot(whole), snapshot(restored), "snapshot after " + at + " commands");
        }
        assertArrayEquals(log.get(5), whole.latestTemplate());
    }

    @Test
    void aSnapshotOfTheVersionBeforeTemplatesIsRead()
    {
        final byte[] current = snapshot(new ReplicatedAccounting());
        // version 1: the same without templates_applied, templates_ignored and template_length (20 bytes after the
        // workers, which start at 40 + 4 + 0 frontends), nor the (empty) aux section of version 3 after them (28 bytes)
        final int templatesAt = 40 + 4 + 4;
        final int dropped = 20 + 28;
        final byte[] v1 = new byte[current.length - dropped];
        System.arraycopy(current, 0, v1, 0, templatesAt);
        System.arraycopy(current, templatesAt + dropped, v1, templatesAt, current.length - templatesAt - dropped);
        new UnsafeBuffer(v1).putInt(0, 1, LE);
        final ReplicatedAccounting r = new ReplicatedAccounting();
        apply(r, command(template(1, 100, 3, 1), 0, 1, 1));
        r.decode(new UnsafeBuffer(v1), 0, v1.length);
        assertNull(r.latestTemplate(), "decode replaces the whole state");
        assertArrayEquals(current, snapshot(r));
    }

    @Test
    void aFrontendDeliversEachTemplateOnceInOrderWithItsOwnIds()
    {
        final ClusterTemplateSource source = new ClusterTemplateSource(SystemEpochClock.INSTANCE);
        final List<Template> got = new ArrayList<>();
        final List<Boolean> tips = new ArrayList<>();
        final Template a = template(40, 100, 3, 1);
        final byte[] ca = command(a, 0, 1, 1);
        ca[Protocol.TYPE_OFFSET] = Protocol.TEMPLATE_UPDATE;
        source.onUpdate(new UnsafeBuffer(ca), 0, ca.length);   // before start: kept, delivered at start
        source.start(new TemplateListener()
        {
            @Override
            public void onTemplate(final Template template, final boolean newTip)
            {
                got.add(template);
                tips.add(newTip);
            }
        });
        source.onUpdate(new UnsafeBuffer(ca), 0, ca.length);   // a re-send: dropped
        final Template b = new Template(3, 100, a.version(), a.prevHash(), a.nbits(), a.minNtime(), a.coinbaseValue() + 1,
            a.merklePath(), a.transactions(), a.witnessCommitment());
        final byte[] cb = command(b, 1, 2, 1);
        source.onUpdate(new UnsafeBuffer(cb), 0, cb.length);
        final byte[] old = command(template(41, 99, 1, 9), 0, 3, 1);
        source.onUpdate(new UnsafeBuffer(old), 0, old.length);   // an older tip: dropped
        final Template c = template(4, 101, 0, 2);
        final byte[] cc = command(c, 1, 2, 2);
        source.onUpdate(new UnsafeBuffer(cc), 0, cc.length);
        assertEquals(3, got.size());
        assertSameTemplate(a, got.get(0));
        assertSameTemplate(b, got.get(1));
        assertSameTemplate(c, got.get(2));
        assertEquals(List.of(1L, 2L, 3L), got.stream().map(Template::id).toList());
        assertEquals(List.of(true, false, true), tips);
        assertEquals(5, source.updatesReceived());
        assertEquals(2, source.updatesDropped());
        assertEquals(100, source.tipHeight());
        assertTrue(source.state().health() == org.bitcoincommons.sv2.template.SourceHealth.HEALTHY);
        assertEquals(ClusterTemplateSource.NO_SUBMIT_PATH, source.submitBlock(new byte[80]));
    }
}
