package org.bitcoincommons.sv2.template;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.concurrent.SystemEpochClock;
import org.bitcoincommons.sv2.bitcoin.Block;
import org.bitcoincommons.sv2.bitcoin.Coinbase;
import org.bitcoincommons.sv2.bitcoin.CoinbaseBuilder;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.config.BitcoindSourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The bitcoind source against a fake Bitcoin Core over real HTTP and ZMQ on loopback, fed with recorded mainnet
 * getblocktemplate data.
 */
@Timeout(60)
class BitcoindSourceTest
{
    /** regtest's easy target: about every second nonce meets it. */
    static final int EASY_BITS = 0x207fffff;

    @TempDir
    Path dir;

    private FakeBitcoind node;
    private BitcoindSource source;
    private final List<Template> templates = new CopyOnWriteArrayList<>();
    private final List<SourceState> states = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void logs()
    {
        log.start();
        ((Logger)LoggerFactory.getLogger(BitcoindSource.class)).addAppender(log);
    }

    @AfterEach
    void stop()
    {
        ((Logger)LoggerFactory.getLogger(BitcoindSource.class)).detachAppender(log);
        if (source != null)
        {
            source.close();
        }
        if (node != null)
        {
            node.close();
        }
    }

    private BitcoindSource start(final long pollMs, final boolean longpoll, final boolean zmq, final String network)
    {
        node.requireBasic("alice", "secret");
        source = new BitcoindSource(new BitcoindSourceConfig(node.url(), "alice", "secret", null,
            zmq ? node.zmqEndpoint() : null, pollMs, longpoll), network, SystemEpochClock.INSTANCE);
        source.start(new TemplateListener()
        {
            @Override
            public void onTemplate(final Template template, final boolean newTip)
            {
                templates.add(template);
            }

            @Override
            public void onStateChange(final SourceState state)
            {
                states.add(state);
            }
        });
        return source;
    }

    @Test
    void templateFromRecordedMainnetData() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        start(60_000, false, false, "mainnet");
        assertTrue(await(() -> !templates.isEmpty()), "a template");
        final Template t = templates.get(0);
        final JsonNode recorded = node.templates().get(0);
        assertEquals(881_423, t.height());
        assertEquals(881_422, t.coinbaseLockTime(), "BIP54: nLockTime = height - 1");
        assertEquals(0xfffffffe, t.coinbaseSequence());
        assertEquals("00000000000000000001543bc4d2b5e1434cb64af8995e21fe15ca708a6ac9e3",
            HashOrder.toDisplayHex(t.prevHash()));
        assertEquals(recorded.get("coinbasevalue").asLong(), t.coinbaseValue());
        assertEquals(recorded.get("default_witness_commitment").asText(), Hex.encode(t.witnessCommitment()));
        assertEquals(recorded.get("transactions").size(), t.transactions().size());
        for (int i = 0; i < t.transactions().size(); i++)
        {
            assertEquals(recorded.get("transactions").get(i).get("data").asText(), Hex.encode(t.transactions().get(i)),
                "transaction " + i + " byte for byte");
        }
        assertEquals(EASY_BITS, t.nbits());
        assertEquals(0, node.badRulesCalls.get(), "every call carried the segwit rule");
        final SourceState s = source.state();
        assertEquals(SourceHealth.HEALTHY, s.health());
        assertEquals(881_423, s.height());
        assertEquals(881_422, source.tipHeight());
        assertTrue(s.latencyUs() > 0);
    }

    @Test
    void signetAsksForTheSignetRule() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, true);
        start(60_000, false, false, "signet");
        assertTrue(await(() -> !templates.isEmpty()), "a template from a signet node");
        assertEquals(0, node.badRulesCalls.get());
    }

    @Test
    void cookieIsReadAgainWhenTheNodeRestartsWithANewOne() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        final Path cookie = dir.resolve(".cookie");
        node.requireCookie(cookie, "first");
        source = new BitcoindSource(new BitcoindSourceConfig(node.url(), "", "", cookie, null, 100, false), "regtest",
            SystemEpochClock.INSTANCE);
        source.start((t, newTip) -> templates.add(t));
        assertTrue(await(() -> !templates.isEmpty()));
        node.requireCookie(cookie, "second");
        final long failures = node.authFailures.get();
        node.newTipFromNetwork();
        assertTrue(await(() -> templates.size() >= 2 && templates.getLast().height() == 881_424),
            "the new cookie was read after the 401");
        assertTrue(node.authFailures.get() >= failures + 1);
        assertEquals(SourceHealth.HEALTHY, source.state().health());
    }

    @Test
    void nodeNotReadyBacksOffAndSaysSoOnce() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        node.syncing(-28);
        start(50, false, false, "mainnet");
        assertTrue(await(() -> source.state().health() == SourceHealth.NOT_READY));
        final long calls = node.gbtCalls.get();
        assertTrue(await(() -> node.gbtCalls.get() >= calls + 3), "it keeps asking, backing off");
        assertTrue(source.state().error().contains("code -28"), source.state().error());
        assertEquals(1, warnings("not ready"), "said once in the log");
        node.syncing(-10);
        assertTrue(await(() -> source.state().error().contains("code -10")));
        assertEquals(2, warnings("not ready"), "a different cause is a new state");
        assertTrue(templates.isEmpty(), "nothing delivered while not ready");
        node.syncing(0);
        assertTrue(await(() -> !templates.isEmpty()));
        assertEquals(SourceHealth.HEALTHY, source.state().health());
        // A 50 ms poll gives each call 250 ms: on a loaded machine the very first (cold) call can time out, a DOWN
        // before the node's first answer (seen once); from the first answer on, the states are exactly these.
        final List<SourceHealth> healths = states.stream().map(SourceState::health)
            .dropWhile(h -> h == SourceHealth.DOWN).toList();
        assertEquals(List.of(SourceHealth.NOT_READY, SourceHealth.NOT_READY, SourceHealth.HEALTHY), healths);
    }

    @Test
    void zmqHashblockBringsTheNewTipWithoutWaitingForThePoll() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        start(600_000, false, true, "mainnet");
        assertTrue(await(() -> templates.size() == 1));
        // the SUB socket connects in the background: announce tips until one arrives (the poll is 10 minutes away)
        assertTrue(await(() ->
        {
            if (templates.size() == 1)
            {
                node.newTipFromNetwork();
            }
            return templates.size() >= 2;
        }), "hashblock triggered a fetch");
        final Template t = templates.getLast();
        assertTrue(t.height() > 881_423 && !java.util.Arrays.equals(templates.get(0).prevHash(), t.prevHash()));
        assertEquals(0, t.transactions().size());
    }

    @Test
    void aFetchAfterHashblockThatFailsIsRetriedAtOnceNotAtThePollInterval() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        start(600_000, false, true, "mainnet");
        assertTrue(await(() -> templates.size() == 1));
        assertTrue(await(() ->
        {
            if (templates.size() == 1)
            {
                node.newTipFromNetwork();
            }
            return templates.size() >= 2;
        }), "the ZMQ subscription is up");
        final int before = templates.size();
        node.busyFor(1);   // the fetch the next hashblock triggers is refused (HTTP 503, a full RPC work queue)
        node.newTipFromNetwork();
        // the poll is 10 minutes away and the back-off used to start there (capped at 30 s): await gives up at 20 s
        assertTrue(await(() -> templates.size() > before), "the new tip arrived after one failed fetch");
        assertArrayEquals(node.tip(), templates.getLast().prevHash(), "the template builds on the new tip");
        assertEquals(SourceHealth.HEALTHY, source.state().health());
        assertTrue(states.stream().anyMatch(s -> s.health() == SourceHealth.DOWN), "the failure was reported");
    }

    @Test
    void longPollReturnsOnANewTip() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        start(600_000, true, false, "mainnet");
        assertTrue(await(() -> templates.size() == 1 && node.longPollCalls.get() >= 1), "a long poll is held");
        node.newTipFromNetwork();
        assertTrue(await(() -> templates.size() >= 2), "the long poll returned the new tip");
        assertArrayEquals(node.tip(), templates.getLast().prevHash());
    }

    @Test
    void submitblockNeverWaitsBehindAHeldLongPoll() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        node.holdLongPollsForever(true);
        start(600_000, true, false, "mainnet");
        assertTrue(await(() -> templates.size() == 1 && node.longPollCalls.get() >= 1), "a long poll is held");
        final byte[] block = mine(templates.get(0));
        assertNull(source.submitBlock(block), "accepted while the long poll is still held");
        assertEquals(1, node.acceptedHex.size());
        assertEquals("duplicate", source.submitBlock(block));
        assertEquals(1L, source.state().rejectedBlocks().get("duplicate"), "counted by reason");
        assertEquals(SourceHealth.HEALTHY, source.state().health());
    }

    /**
     * The same block submitted at once from several places (a Job Declaration client pushes its solution to the JDS
     * and submits it to its own node) is one block: the node's tip moves once and its next template's height is the
     * block's plus one; the other submissions are duplicates. The fake used to check and connect in two steps, and
     * two concurrent submissions could both pass the check and move the height twice on one tip (CI: a JD test's
     * declarations then refused as bad-cb-height).
     */
    @Test
    void aBlockSubmittedSeveralTimesAtOnceMovesTheTipOnce() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        node.connectDelayMs = 20;   // a node that takes a while to connect a block: the window the checks must not leave
        start(600_000, false, false, "mainnet");
        assertTrue(await(() -> templates.size() == 1), "a template");
        final int submitters = 8;
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(submitters);
        try
        {
            for (int round = 0; round < 5; round++)
            {
                final int seen = round + 1;
                assertTrue(await(() -> templates.size() >= seen && java.util.Arrays.equals(node.tip(),
                    templates.getLast().prevHash())), "round " + round + ": the source has the node's tip");
                final Template t = templates.getLast();
                final byte[] block = mine(t);
                final java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(submitters);
                final List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
                for (int i = 0; i < submitters; i++)
                {
                    answers.add(pool.submit(() ->
                    {
                        together.await();
                        return source.submitBlock(block);
                    }));
                }
                int accepted = 0;
                for (final java.util.concurrent.Future<String> a : answers)
                {
                    final String reason = a.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    if (reason == null)
                    {
                        accepted++;
                    }
                    else
                    {
                        assertEquals("duplicate", reason);
                    }
                }
                assertEquals(1, accepted, "round " + round + ": one submission connects the block");
                assertEquals(t.height() + 1, node.height(), "round " + round + ": the next block's height");
                assertArrayEquals(Sha256d.hash(java.util.Arrays.copyOf(block, 80)), node.tip());
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    @Test
    void malformedJsonMakesTheSourceDownOnceAndDeliversNothing() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        start(50, false, false, "mainnet");
        assertTrue(await(() -> templates.size() == 1));
        node.mode(FakeBitcoind.Mode.MALFORMED_JSON);
        node.newTipFromNetwork();
        assertTrue(await(() -> source.state().health() == SourceHealth.DOWN));
        final long calls = node.gbtCalls.get();
        assertTrue(await(() -> node.gbtCalls.get() >= calls + 3 || source.state().error().contains("not JSON")));
        assertTrue(source.state().error().contains("not JSON"), source.state().error());
        assertEquals(1, warnings("down"), "logged once per state change");
        assertEquals(1, templates.size(), "the last valid template stays");
        node.mode(FakeBitcoind.Mode.NORMAL);
        assertTrue(await(() -> templates.size() == 2));
        assertEquals(SourceHealth.HEALTHY, source.state().health());
    }

    @Test
    void aTemplateWhoseTransactionsDoNotParseIsRefused() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        node.mode(FakeBitcoind.Mode.BAD_TRANSACTION);
        start(50, false, false, "mainnet");
        assertTrue(await(() -> source.state().health() == SourceHealth.DOWN));
        assertTrue(source.state().error().contains("transactions[12].data: not a transaction"), source.state().error());
        assertTrue(templates.isEmpty());
        final long calls = node.gbtCalls.get();
        assertTrue(await(() -> node.gbtCalls.get() >= calls + 3));
        assertEquals(1, warnings("down"), "logged once per state change");
    }

    @Test
    void aNodeThatNeverAnswersIsDown() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        start(300, false, false, "mainnet");
        assertTrue(await(() -> templates.size() == 1));
        node.mode(FakeBitcoind.Mode.HANG);
        assertTrue(await(() -> source.state().health() == SourceHealth.DOWN), "a poll without answer is a failure");
        assertTrue(source.state().error().contains("no answer within"), source.state().error());
        node.mode(FakeBitcoind.Mode.NORMAL);
    }

    @Test
    void probeReportsHeightHashAndLatencyOrTheError() throws Exception
    {
        node = new FakeBitcoind(EASY_BITS, false);
        node.requireBasic("alice", "secret");
        final BitcoindSource probe = new BitcoindSource(new BitcoindSourceConfig(node.url(), "alice", "secret", null,
            null, 1000, true), "mainnet", SystemEpochClock.INSTANCE);
        final SourceState s = probe.probe(5000);
        assertEquals(SourceHealth.HEALTHY, s.health());
        assertEquals(881_423, s.height());
        assertEquals("00000000000000000001543bc4d2b5e1434cb64af8995e21fe15ca708a6ac9e3", s.bestHash());
        assertTrue(s.latencyUs() > 0);
        final BitcoindSource wrong = new BitcoindSource(new BitcoindSourceConfig(node.url(), "alice", "wrong", null,
            null, 1000, true), "mainnet", SystemEpochClock.INSTANCE);
        final SourceState w = wrong.probe(5000);
        assertEquals(SourceHealth.DOWN, w.health());
        assertTrue(w.error().contains("HTTP 401"), w.error());
        final BitcoindSource nobody = new BitcoindSource(new BitcoindSourceConfig(URI.create("http://127.0.0.1:1"),
            "a", "b", null, null, 1000, true), "mainnet", SystemEpochClock.INSTANCE);
        assertEquals(SourceHealth.DOWN, nobody.probe(2000).health());
    }

    /** A block on the template: a pool-style coinbase (height, witness commitment), every template tx, PoW ground. */
    static byte[] mine(final Template t)
    {
        final CoinbaseBuilder b = new CoinbaseBuilder().height(t.height()).extranonceLength(8)
            .sequence(t.coinbaseSequence()).lockTime(t.coinbaseLockTime()).addOutput(t.coinbaseValue(), new byte[] {0x51});
        if (t.witnessCommitment() != null)
        {
            b.witnessCommitment(java.util.Arrays.copyOfRange(t.witnessCommitment(), 6, 38));
        }
        final Coinbase cb = b.build();
        final byte[] extranonce = new byte[8];
        final byte[] root = Merkle.fold(cb.txid(extranonce), branch(t), 0);
        final byte[] target = Target.toLittleEndian(Target.fromCompact(t.nbits()));
        final java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(80).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putInt(t.version()).put(t.prevHash()).put(root).putInt(t.minNtime()).putInt(t.nbits()).putInt(0);
        final byte[] header = h.array();
        for (int nonce = 0; ; nonce++)
        {
            h.putInt(76, nonce);
            if (Target.hashMeetsTarget(Sha256d.hash(header), 0, target, 0))
            {
                break;
            }
        }
        final List<byte[]> txs = new java.util.ArrayList<>();
        txs.add(cb.serialize(extranonce, TxSerialization.WITNESS));
        txs.addAll(t.transactions());
        return Block.serialize(header, txs);
    }

    private static List<byte[]> branch(final Template t)
    {
        final List<byte[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < t.merklePathCount(); i++)
        {
            out.add(java.util.Arrays.copyOfRange(t.merklePath(), 32 * i, 32 * i + 32));
        }
        return out;
    }

    private long warnings(final String text)
    {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(text)).count();
    }

    static boolean await(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
