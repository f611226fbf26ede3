package org.bitcoincommons.sv2.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.config.MergeMiningFeeConfig;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.merge.AuxProofOutcome;
import org.bitcoincommons.sv2.merge.AuxWorkItem;
import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.revenue.JournalMergeAccounting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aux work and proofs in the replicated state without a cluster: the messages' byte layouts (written out here by hand
 * from {@link AuxCodec}'s table), only work above a chain's latest (height, term, sequence) replaces it, each proof is
 * recorded once and settled once, malformed messages are refused whole, the aux section is in the snapshot (a
 * snapshot then the rest of the log equals the whole log; a version 2 snapshot still reads), and a frontend's source
 * drops older work and hands a proof's outcome to the submitter waiting for it.
 */
class AuxReplicationTest
{
    private static byte[] filled(final int n, final int seed)
    {
        final byte[] b = new byte[n];
        for (int i = 0; i < n; i++)
        {
            b[i] = (byte)(seed + 7 * i);
        }
        return b;
    }

    static AuxWorkItem item(final String chain, final long height, final int seed)
    {
        return new AuxWorkItem(chain, chain.equals("rsk") ? AuxChainConfig.Kind.RSK : AuxChainConfig.Kind.AUXPOW,
            chain.equals("rsk") ? -1 : 1, filled(32, seed), filled(32, seed + 1), 5_000_000_000L + seed, height);
    }

    static byte[] work(final int member, final long term, final long sequence, final AuxWorkItem w)
    {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        final int n = AuxCodec.encodeWork(b, 0, member, term, sequence, w);
        final byte[] out = new byte[n];
        b.getBytes(0, out);
        return out;
    }

    static byte[] submit(final int frontend, final String chain, final byte[] hash, final byte[] proof)
    {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        final int n = AuxCodec.encodeSubmit(b, 0, frontend, chain, hash, 42, proof);
        final byte[] out = new byte[n];
        b.getBytes(0, out);
        return out;
    }

    static byte[] result(final int member, final String chain, final byte[] hash, final AuxProofOutcome o)
    {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        final int n = AuxCodec.encodeResult(b, 0, member, chain, hash, o);
        final byte[] out = new byte[n];
        b.getBytes(0, out);
        return out;
    }

    private static final AuxProofOutcome TAKEN = new AuxProofOutcome(AuxProofOutcome.Verdict.TAKEN,
        AuxProofOutcome.Placement.MAIN_CHAIN, "submitauxblock returned true", 43, filled(32, 9));
    private static final AuxProofOutcome REFUSED = new AuxProofOutcome(AuxProofOutcome.Verdict.REFUSED,
        AuxProofOutcome.Placement.CANNOT_TELL, "rejected by the node", -1, null);

    private static ReplicatedAccounting.Outcome apply(final ReplicatedAccounting r, final byte[] m)
    {
        final UnsafeBuffer b = new UnsafeBuffer(m);
        return switch (m[0])
        {
            case Protocol.AUX_WORK -> r.applyAuxWork(b, 0, m.length);
            case Protocol.AUX_SUBMIT -> r.applyAuxSubmit(b, 0, m.length);
            case Protocol.AUX_RESULT -> r.applyAuxResult(b, 0, m.length);
            default -> throw new IllegalArgumentException("type " + m[0]);
        };
    }

    private static byte[] encode(final ReplicatedAccounting r)
    {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(4096);
        final int n = r.encode(b, 0);
        final byte[] out = new byte[n];
        b.getBytes(0, out);
        return out;
    }

    @Test
    void auxWorkHasTheDocumentedLayoutAndRoundTrips()
    {
        final AuxWorkItem w = item("namecoin", 1234, 3);
        final byte[] m = work(2, 7, 9, w);
        final byte[] name = "namecoin".getBytes(StandardCharsets.UTF_8);
        final ByteBuffer expected = ByteBuffer.allocate(80 + name.length + 32).order(ByteOrder.LITTLE_ENDIAN)
            .put(Protocol.AUX_WORK).put(Protocol.VERSION).putShort((short)0).putInt(2).putLong(7).putLong(9)
            .putLong(1234).putInt(1).put((byte)0).put((byte)name.length).put((byte)32).put((byte)0)
            .put(w.targetLe()).putLong(w.reward()).put(name).put(w.hash());
        assertArrayEquals(expected.array(), m);
        final AuxCodec.Work d = AuxCodec.decodeWork(new UnsafeBuffer(m), 0, m.length, Protocol.AUX_WORK);
        assertEquals(2, d.member());
        assertEquals(7, d.term());
        assertEquals(9, d.sequence());
        assertEquals(w.chain(), d.item().chain());
        assertEquals(w.kind(), d.item().kind());
        assertEquals(w.chainId(), d.item().chainId());
        assertArrayEquals(w.hash(), d.item().hash());
        assertArrayEquals(w.targetLe(), d.item().targetLe());
        assertEquals(w.reward(), d.item().reward());
        assertEquals(w.height(), d.item().height());
        final AuxCodec.Work rsk = AuxCodec.decodeWork(new UnsafeBuffer(work(0, 1, 1, item("rsk", -1, 5))), 0,
            work(0, 1, 1, item("rsk", -1, 5)).length, Protocol.AUX_WORK);
        assertEquals(AuxChainConfig.Kind.RSK, rsk.item().kind());
        assertEquals(-1, rsk.item().height());
    }

    @Test
    void submitAndResultHaveTheDocumentedLayoutAndRoundTrip()
    {
        final byte[] hash = filled(32, 1);
        final byte[] proof = filled(300, 2);
        final byte[] s = submit(5, "rsk", hash, proof);
        final ByteBuffer expected = ByteBuffer.allocate(24 + 3 + 32 + 300).order(ByteOrder.LITTLE_ENDIAN)
            .put(Protocol.AUX_SUBMIT).put(Protocol.VERSION).putShort((short)0).putInt(5).putLong(42).put((byte)3)
            .put((byte)32).putShort((short)0).putInt(300).put("rsk".getBytes(StandardCharsets.US_ASCII)).put(hash)
            .put(proof);
        assertArrayEquals(expected.array(), s);
        final AuxCodec.Submit ds = AuxCodec.decodeSubmit(new UnsafeBuffer(s), 0, s.length, Protocol.AUX_SUBMIT);
        assertEquals(5, ds.frontend());
        assertEquals("rsk", ds.chain());
        assertArrayEquals(hash, ds.hash());
        assertEquals(42, ds.height());
        assertArrayEquals(proof, ds.proof());

        final byte[] r = result(1, "rsk", hash, TAKEN);
        final byte[] detail = TAKEN.detail().getBytes(StandardCharsets.UTF_8);
        final ByteBuffer er = ByteBuffer.allocate(28 + 3 + 32 + 32 + detail.length).order(ByteOrder.LITTLE_ENDIAN)
            .put(Protocol.AUX_RESULT).put(Protocol.VERSION).putShort((short)0).putInt(1).put((byte)1).put((byte)0)
            .put((byte)3).put((byte)32).put((byte)32).put(new byte[3]).putLong(43).putShort((short)detail.length)
            .putShort((short)0).put("rsk".getBytes(StandardCharsets.US_ASCII)).put(hash).put(TAKEN.nodeBlockHash())
            .put(detail);
        assertArrayEquals(er.array(), r);
        final AuxCodec.Result dr = AuxCodec.decodeResult(new UnsafeBuffer(r), 0, r.length, Protocol.AUX_RESULT);
        assertEquals(TAKEN.verdict(), dr.outcome().verdict());
        assertEquals(TAKEN.placement(), dr.outcome().placement());
        assertEquals(TAKEN.detail(), dr.outcome().detail());
        assertEquals(43, dr.outcome().height());
        assertArrayEquals(TAKEN.nodeBlockHash(), dr.outcome().nodeBlockHash());
        final byte[] refused = result(1, "rsk", hash, REFUSED);
        assertNull(AuxCodec.decodeResult(new UnsafeBuffer(refused), 0, refused.length, Protocol.AUX_RESULT)
            .outcome().nodeBlockHash());
        // a long detail is cut, and still decodes
        final String longDetail = "é".repeat(5000);
        final byte[] cut = result(1, "rsk", hash, new AuxProofOutcome(AuxProofOutcome.Verdict.REFUSED,
            AuxProofOutcome.Placement.CANNOT_TELL, longDetail, -1, null));
        assertTrue(AuxCodec.decodeResult(new UnsafeBuffer(cut), 0, cut.length, Protocol.AUX_RESULT).outcome().detail()
            .length() <= AuxCodec.MAX_DETAIL_LENGTH);
    }

    @Test
    void onlyNewerWorkReplacesAChainsLatest()
    {
        final ReplicatedAccounting r = new ReplicatedAccounting();
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, work(0, 3, 1, item("namecoin", 100, 1))));
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, work(0, 3, 2, item("rsk", -1, 2))));
        // a re-send, an older term (an old leader's feeder), an older block: nothing moves back
        assertEquals(ReplicatedAccounting.Outcome.NOT_NEWER, apply(r, work(0, 3, 1, item("namecoin", 100, 1))));
        assertEquals(ReplicatedAccounting.Outcome.NOT_NEWER, apply(r, work(1, 2, 9, item("namecoin", 100, 4))));
        assertEquals(ReplicatedAccounting.Outcome.NOT_NEWER, apply(r, work(1, 4, 1, item("namecoin", 99, 4))));
        assertArrayEquals(item("namecoin", 100, 1).hash(), AuxCodec.decodeWork(new UnsafeBuffer(
            r.auxWork().get("namecoin")), 0, r.auxWork().get("namecoin").length, Protocol.AUX_WORK).item().hash());
        // the same height from the next term's feeder, a later sequence, a higher block: each replaces it
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, work(1, 4, 1, item("namecoin", 100, 5))));
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, work(1, 4, 2, item("namecoin", 100, 6))));
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, work(1, 4, 3, item("namecoin", 101, 7))));
        // chains are independent: RSK's has no height and its own order
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, work(1, 4, 4, item("rsk", -1, 8))));
        assertEquals(List.of("namecoin", "rsk"), List.copyOf(r.auxWork().keySet()));
        assertEquals(6, r.auxWorkApplied());
        assertEquals(3, r.auxWorkIgnored());
        // malformed: refused whole, nothing changes
        final byte[] bad = work(1, 9, 9, item("namecoin", 200, 9));
        assertEquals(ReplicatedAccounting.Outcome.REJECTED, r.applyAuxWork(new UnsafeBuffer(bad), 0, bad.length - 1));
        bad[36] = 7;
        assertEquals(ReplicatedAccounting.Outcome.REJECTED, apply(r, bad));
        assertEquals(101, AuxCodec.decodeWork(new UnsafeBuffer(r.auxWork().get("namecoin")), 0,
            r.auxWork().get("namecoin").length, Protocol.AUX_WORK).item().height());
    }

    @Test
    void eachProofIsRecordedOnceAndSettledOnce()
    {
        final ReplicatedAccounting r = new ReplicatedAccounting();
        final byte[] h1 = filled(32, 1);
        final byte[] h2 = filled(32, 2);
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, submit(1, "namecoin", h1, filled(200, 3))));
        assertEquals(1, r.waitingAuxProofs().size());
        // a retry of the same proof (the frontend heard nothing), even from another frontend: recorded once
        assertEquals(ReplicatedAccounting.Outcome.DUPLICATE, apply(r, submit(1, "namecoin", h1, filled(200, 3))));
        assertEquals(ReplicatedAccounting.Outcome.DUPLICATE, apply(r, submit(2, "namecoin", h1, filled(200, 4))));
        assertNull(r.lastAuxProof().result());
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, submit(2, "rsk", h2, filled(100, 5))));
        // an outcome for a proof the cluster never took changes nothing
        assertEquals(ReplicatedAccounting.Outcome.NOT_NEWER, apply(r, result(0, "namecoin", h2, TAKEN)));
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, result(0, "namecoin", h1, TAKEN)));
        // a second feeder's outcome (failover) does not settle it again
        assertEquals(ReplicatedAccounting.Outcome.NOT_NEWER, apply(r, result(1, "namecoin", h1, REFUSED)));
        assertEquals(ReplicatedAccounting.Outcome.APPLIED, apply(r, result(1, "rsk", h2, REFUSED)));
        assertEquals(0, r.waitingAuxProofs().size());
        // a repeat after the outcome is known: the record says what to answer
        assertEquals(ReplicatedAccounting.Outcome.DUPLICATE, apply(r, submit(1, "namecoin", h1, filled(200, 3))));
        assertArrayEquals(result(0, "namecoin", h1, TAKEN), r.lastAuxProof().result());
        assertArrayEquals(new long[] {1, 3, 1, 0}, r.auxCounts().get("namecoin"));
        assertArrayEquals(new long[] {1, 0, 0, 1}, r.auxCounts().get("rsk"));
        final byte[] bad = submit(1, "namecoin", filled(32, 8), filled(10, 1));
        assertEquals(ReplicatedAccounting.Outcome.REJECTED, r.applyAuxSubmit(new UnsafeBuffer(bad), 0, bad.length - 1));
        assertThrows(IllegalArgumentException.class, () -> AuxCodec.decodeResult(new UnsafeBuffer(bad), 0, bad.length,
            Protocol.AUX_RESULT));
    }

    @Test
    void theOldestSettledProofsAreForgottenFirst()
    {
        final ReplicatedAccounting r = new ReplicatedAccounting();
        final byte[] waiting = ByteBuffer.allocate(32).putInt(-1).array();
        apply(r, submit(1, "namecoin", waiting, new byte[8]));
        for (int i = 0; i < ReplicatedAccounting.MAX_AUX_PROOFS; i++)
        {
            final byte[] h = ByteBuffer.allocate(32).putInt(i).array();
            apply(r, submit(1, "namecoin", h, new byte[8]));
            apply(r, result(0, "namecoin", h, TAKEN));
        }
        // one more than the window: the oldest settled one went, the one still waiting stays
        assertEquals(1, r.waitingAuxProofs().size());
        assertEquals(ReplicatedAccounting.Outcome.APPLIED,
            apply(r, submit(1, "namecoin", ByteBuffer.allocate(32).putInt(0).array(), new byte[8])));
        assertEquals(ReplicatedAccounting.Outcome.DUPLICATE,
            apply(r, submit(1, "namecoin", ByteBuffer.allocate(32).putInt(5).array(), new byte[8])));
        assertEquals(ReplicatedAccounting.Outcome.DUPLICATE, apply(r, submit(1, "namecoin", waiting, new byte[8])));
    }

    @Test
    void aSnapshotThenTheRestOfTheLogEqualsTheWholeLog()
    {
        final List<byte[]> log = new ArrayList<>();
        for (int i = 0; i < 30; i++)
        {
            final byte[] h = filled(32, i);
            log.add(work(i % 3, 1 + i / 10, i, item(i % 2 == 0 ? "namecoin" : "rsk", i % 2 == 0 ? 100 + i : -1, i)));
            log.add(submit(1 + i % 2, i % 2 == 0 ? "namecoin" : "rsk", h, filled(50 + i, i)));
            if (i % 3 != 0)
            {
                log.add(result(i % 3, i % 2 == 0 ? "namecoin" : "rsk", h, i % 5 == 0 ? REFUSED : TAKEN));
            }
        }
        final ReplicatedAccounting whole = new ReplicatedAccounting();
        log.forEach(m -> apply(whole, m));
        for (final int cut : new int[] {0, 1, 17, log.size() / 2, log.size() - 1})
        {
            final ReplicatedAccounting first = new ReplicatedAccounting();
            log.subList(0, cut).forEach(m -> apply(first, m));
            final byte[] snapshot = encode(first);
            final ReplicatedAccounting restored = new ReplicatedAccounting();
            restored.decode(new UnsafeBuffer(snapshot), 0, snapshot.length);
            assertArrayEquals(snapshot, encode(restored), "a snapshot reads back to the same bytes at " + cut);
            log.subList(cut, log.size()).forEach(m -> apply(restored, m));
            assertArrayEquals(encode(whole), encode(restored), "snapshot at " + cut + " + the rest = the whole log");
        }
        assertEquals(List.of("namecoin", "rsk"), List.copyOf(whole.auxWork().keySet()));
        assertEquals(10, whole.waitingAuxProofs().size());
        // a truncated aux section is refused
        final byte[] s = encode(whole);
        final ReplicatedAccounting bad = new ReplicatedAccounting();
        assertThrows(RuntimeException.class, () -> bad.decode(new UnsafeBuffer(s), 0, 200));
    }

    @Test
    void aVersionTwoSnapshotReadsWithNoAuxWork()
    {
        // version 2 wrote no aux section: an empty state's v3 bytes less the 28 bytes of an empty aux section at 68
        // (40 header + 4 frontends + 4 workers + 20 template fields), with the version field 2
        final byte[] v3 = encode(new ReplicatedAccounting());
        final byte[] v2 = new byte[v3.length - 28];
        System.arraycopy(v3, 0, v2, 0, 68);
        System.arraycopy(v3, 96, v2, 68, v3.length - 96);
        v2[0] = 2;
        final ReplicatedAccounting r = new ReplicatedAccounting();
        apply(r, work(0, 1, 1, item("namecoin", 1, 1)));
        r.decode(new UnsafeBuffer(v2), 0, v2.length);
        assertTrue(r.auxWork().isEmpty());
        assertArrayEquals(v3, encode(r));
    }

    @Test
    void aFrontendsChainIsMinedOnlyWhileTheClustersWorkIsConfirmed(@TempDir final Path dir) throws Exception
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000_000);
        final ClusterAuxSource source = new ClusterAuxSource(1, clock);
        assertEquals(Long.MAX_VALUE, source.workAgeMs("namecoin"));
        // its rpc_url leads nowhere: the work can only come from the source
        final AuxChainConfig nmc = new AuxChainConfig("namecoin", AuxChainConfig.Kind.AUXPOW, 1,
            URI.create("http://127.0.0.1:1/"), "", "", null, 20, 1000, "payout", AuxChainConfig.RpcStyle.CREATEAUXBLOCK)
            .withHealth(1, 10_000);
        try (Journal journal = Journal.open(dir.resolve("journal")))
        {
            final MergeMiningCoordinator c = new MergeMiningCoordinator(List.of(nmc), List.of("namecoin"),
                new MergeMiningFeeConfig(false, 1, "", "", false), null,
                new JournalMergeAccounting(Runnable::run, journal.writer(), new AccountingState(), clock), () -> { },
                source);
            c.start();
            try
            {
                assertTrue(c.snapshot().isEmpty(), "no work before the cluster's");
                final byte[] w = work(0, 1, 1, item("namecoin", 100, 1));
                w[0] = Protocol.AUX_WORK_UPDATE;
                source.onWorkUpdate(new UnsafeBuffer(w), 0, w.length);
                assertTrue(ClusterHarness.await(10_000, () -> !c.snapshot().isEmpty()), "mined once it arrived");
                assertArrayEquals(item("namecoin", 100, 1).hash(), c.snapshot().chains().get(0).blockHash());
                // no confirmation for longer than max_work_age_ms (the feeder's node stopped answering): left out
                clock.update(1_000_000 + 10_001);
                assertEquals(10_001, source.workAgeMs("namecoin"));
                assertTrue(ClusterHarness.await(10_000, () -> c.snapshot().isEmpty()), "the chain goes down");
                // the feeder confirms the same work again: mined again
                final byte[] again = work(0, 1, 2, item("namecoin", 100, 1));
                again[0] = Protocol.AUX_WORK_UPDATE;
                source.onWorkUpdate(new UnsafeBuffer(again), 0, again.length);
                assertEquals(0, source.workAgeMs("namecoin"));
                assertTrue(ClusterHarness.await(10_000, () -> !c.snapshot().isEmpty()), "the chain is back");
            }
            finally
            {
                c.close();
            }
        }
    }

    @Test
    void aFrontendsSourceDropsOlderWorkAndHandsOutcomesToTheirSubmitters() throws Exception
    {
        final ClusterAuxSource source = new ClusterAuxSource(7);
        final List<String> told = new ArrayList<>();
        source.onWork(told::add);
        final byte[] w1 = work(0, 2, 1, item("namecoin", 100, 1));
        w1[0] = Protocol.AUX_WORK_UPDATE;
        source.onWorkUpdate(new UnsafeBuffer(w1), 0, w1.length);
        source.onWorkUpdate(new UnsafeBuffer(w1), 0, w1.length);
        final byte[] old = work(1, 1, 5, item("namecoin", 100, 2));
        old[0] = Protocol.AUX_WORK_UPDATE;
        source.onWorkUpdate(new UnsafeBuffer(old), 0, old.length);
        assertArrayEquals(item("namecoin", 100, 1).hash(), source.work("namecoin").hash());
        final byte[] w2 = work(1, 3, 1, item("namecoin", 100, 3));
        w2[0] = Protocol.AUX_WORK_UPDATE;
        source.onWorkUpdate(new UnsafeBuffer(w2), 0, w2.length);
        assertArrayEquals(item("namecoin", 100, 3).hash(), source.work("namecoin").hash());
        assertEquals(List.of("namecoin", "namecoin"), told);
        assertEquals(4, source.updatesReceived());
        assertEquals(2, source.updatesDropped());
        assertNull(source.work("rsk"));

        // a proof goes out once per call; its outcome, when it comes, is the submitter's answer
        final byte[] hash = filled(32, 4);
        final CompletableFuture<AuxProofOutcome> answer = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return source.submit("namecoin", hash, 100, filled(80, 1), 30_000);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        while (source.nextOutgoing() == null)
        {
            Thread.onSpinWait();
        }
        final AuxCodec.Submit s = AuxCodec.decodeSubmit(new UnsafeBuffer(source.nextOutgoing()), 0,
            source.nextOutgoing().length, Protocol.AUX_SUBMIT);
        assertEquals(7, s.frontend());
        assertEquals(100, s.height());
        source.sent();
        assertNull(source.nextOutgoing());
        // another chain's outcome, or another hash's, is not this proof's
        final byte[] other = result(0, "namecoin", filled(32, 5), REFUSED);
        other[0] = Protocol.AUX_OUTCOME;
        source.onOutcome(new UnsafeBuffer(other), 0, other.length);
        final byte[] mine = result(0, "namecoin", hash, TAKEN);
        mine[0] = Protocol.AUX_OUTCOME;
        source.onOutcome(new UnsafeBuffer(mine), 0, mine.length);
        final AuxProofOutcome o = answer.get(30, TimeUnit.SECONDS);
        assertEquals(AuxProofOutcome.Verdict.TAKEN, o.verdict());
        assertEquals(AuxProofOutcome.Placement.MAIN_CHAIN, o.placement());
        assertEquals(1, source.proofsAccepted());
        assertEquals(0, source.proofsRejected());
        assertEquals(1, source.proofsSent());
    }
}
