package org.bitcoincommons.sv2.template.tdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.agrona.concurrent.SystemEpochClock;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxIn;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.codec.td.CoinbaseOutputConstraints;
import org.bitcoincommons.sv2.codec.td.RequestTransactionData;
import org.bitcoincommons.sv2.codec.td.RequestTransactionDataSuccess;
import org.bitcoincommons.sv2.codec.td.TemplateDistributionProtocol;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.template.EmbeddedChain;
import org.bitcoincommons.sv2.template.SourceHealth;
import org.bitcoincommons.sv2.template.SourceState;
import org.bitcoincommons.sv2.template.Template;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The Template Distribution client against the embedded chain's Template Provider (both ours, over real Noise on
 * loopback), and against a provider that misbehaves on purpose.
 */
@Timeout(60)
class Sv2TpSourceTest
{
    private static final long WAIT_MS = 10_000;
    private static final CoinbaseBudget BUDGET = CoinbaseBudget.ofScripts(List.of(new byte[] {0x51}));

    private final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
    private final byte[] authority = AuthorityKeys.publicOf(secret);

    private record Delivered(Template template, boolean newTip)
    {
    }

    private static Sv2TpSource source(final InetSocketAddress address, final byte[] key, final long confirmMs)
    {
        return new Sv2TpSource(address, key, BUDGET, 5_000, confirmMs);
    }

    private static boolean await(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static Delivered next(final BlockingQueue<Delivered> q) throws InterruptedException
    {
        final Delivered d = q.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(d, "no template within " + WAIT_MS + " ms");
        return d;
    }

    private TemplateProviderServer provider(final EmbeddedChain chain, final InetSocketAddress at) throws Exception
    {
        final TemplateProviderServer s = new TemplateProviderServer(chain, at,
            new NoiseConfig().authoritySecretKey(secret), SystemEpochClock.INSTANCE, 16);
        s.start();
        return s;
    }

    @Test
    void takesTheProvidersTemplatesAndMinesBlocksIntoItsChain() throws Exception
    {
        final EmbeddedChain chain = new EmbeddedChain(0x207fffff, 5, SystemEpochClock.INSTANCE);
        final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
        final List<Long> tips = new CopyOnWriteArrayList<>();
        try (TemplateProviderServer tp = provider(chain, new InetSocketAddress("127.0.0.1", 0));
            Sv2TpSource source = source(tp.localAddress(), authority, 1_000))
        {
            source.tipAnnouncedHook(tips::add);
            source.start((t, newTip) -> delivered.add(new Delivered(t, newTip)));
            final Delivered first = next(delivered);
            final Template expected = chain.currentTemplate();
            final Template t = first.template();
            assertTrue(first.newTip());
            assertEquals(expected.height(), t.height());
            assertEquals(expected.version(), t.version());
            assertArrayEquals(expected.prevHash(), t.prevHash());
            assertEquals(expected.nbits(), t.nbits());
            assertEquals(expected.minNtime(), t.minNtime());
            assertEquals(expected.coinbaseValue(), t.coinbaseValue());
            assertArrayEquals(expected.merklePath(), t.merklePath());
            assertEquals(expected.transactions().size(), t.transactions().size());
            for (int i = 0; i < t.transactions().size(); i++)
            {
                assertArrayEquals(expected.transactions().get(i), t.transactions().get(i));
            }
            assertArrayEquals(expected.witnessCommitment(), t.witnessCommitment());
            assertEquals(List.of(), t.requiredOutputs());
            assertTrue(source.healthy());
            final SourceState status = source.state();
            assertEquals(Sv2TpSource.State.READY, source.phase());
            assertEquals(SourceHealth.HEALTHY, status.health());
            assertEquals(chain.tipHeight(), source.tipHeight());
            assertEquals(chain.tipHeight() + 1, status.height());
            assertEquals(HashOrder.toDisplayHex(chain.tipHash()), status.bestHash());
            assertTrue(status.latencyUs() > 0);
            assertEquals("", status.error());
            assertEquals(1, tips.size(), "the tip hook fired for the first SetNewPrevHash");

            // A block on it: SubmitSolution, the provider's chain accepts it and announces it as the new tip.
            final byte[] block = TdpTestBlocks.block(t);
            final long beforeSubmit = System.nanoTime();
            assertNull(source.submitBlock(block));
            assertEquals(1, chain.accepted());
            final byte[] hash = Sha256d.hash(Arrays.copyOf(block, 80));
            assertArrayEquals(hash, chain.tipHash());
            final Delivered second = next(delivered);
            assertTrue(second.newTip());
            assertEquals(t.height() + 1, second.template().height());
            assertArrayEquals(hash, second.template().prevHash());
            assertEquals(2, tips.size());
            assertTrue(tips.get(1) - beforeSubmit > 0, "the hook's stamp is System.nanoTime() at the announcement");
            assertEquals(chain.tipHeight(), source.tipHeight());

            // The same block again: the chain refuses a duplicate, no new tip follows.
            assertEquals("inconclusive", source.submitBlock(block));
            assertEquals(1, chain.rejected());
            // A block no kept template explains.
            final byte[] foreign = block.clone();
            foreign[40] ^= 1;
            assertEquals("unknown-template", source.submitBlock(foreign));
            assertTrue(source.submitBlock(Arrays.copyOf(block, 50)).startsWith("bad-block"));
            assertTrue(source.healthy());
        }
    }

    @Test
    void transactionDataLargerThanOneNoiseChunk() throws Exception
    {
        // 30 transactions of about 5 KB each (one with a witness): RequestTransactionData.Success is ~150 KB, so it
        // spans three 65,519-byte Noise chunks.
        final List<byte[]> raw = new java.util.ArrayList<>();
        final List<byte[]> txids = new java.util.ArrayList<>();
        final List<byte[]> wtxids = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++)
        {
            final byte[] script = new byte[5000];
            Arrays.fill(script, (byte)i);
            final Transaction tx = new Transaction(2, List.of(new TxIn(Sha256d.hash(script), i, script, -1,
                i == 0 ? List.of(new byte[32]) : List.of())), List.of(new TxOut(1000, new byte[] {0x51})), 0);
            raw.add(tx.serialize(TxSerialization.WITNESS));
            txids.add(tx.txid());
            wtxids.add(tx.wtxid());
        }
        final List<byte[]> branch = Merkle.coinbaseBranch(txids);
        final byte[] path = new byte[32 * branch.size()];
        for (int i = 0; i < branch.size(); i++)
        {
            System.arraycopy(branch.get(i), 0, path, 32 * i, 32);
        }
        final byte[] commitment = Merkle.witnessCommitmentScript(
            Merkle.witnessCommitment(Merkle.witnessRoot(wtxids), new byte[32]));
        final Template big = new Template(9, 840_000, 0x20000000, Sha256d.hash(new byte[] {1}), 0x17034219,
            1_713_571_767, 312_500_000L, path, raw, commitment);
        final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
        try (FakeProvider fake = new FakeProvider(secret, (c, n) ->
            {
                setUp(c);
                serveTemplate(c, big, 3);
                c.drain();
            });
            Sv2TpSource source = source(fake.address(), authority, 1_000))
        {
            source.start((t, newTip) -> delivered.add(new Delivered(t, newTip)));
            final Template t = next(delivered).template();
            assertTrue(raw.stream().mapToInt(x -> x.length).sum() > 2 * 65_519);
            assertEquals(840_000, t.height());
            assertEquals(30, t.transactions().size());
            for (int i = 0; i < raw.size(); i++)
            {
                assertArrayEquals(raw.get(i), t.transactions().get(i));
            }
            assertArrayEquals(path, t.merklePath());
            assertArrayEquals(commitment, t.witnessCommitment());
            assertEquals(839_999, source.tipHeight());
        }
    }

    @Test
    void refusesAProviderWhoseCertificateAnotherAuthoritySigned() throws Exception
    {
        final EmbeddedChain chain = new EmbeddedChain(0x207fffff, 1, SystemEpochClock.INSTANCE);
        final byte[] otherKey = AuthorityKeys.publicOf(AuthorityKeys.generateSecret(new SecureRandom()));
        final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
        try (TemplateProviderServer tp = provider(chain, new InetSocketAddress("127.0.0.1", 0));
            Sv2TpSource source = source(tp.localAddress(), otherKey, 1_000))
        {
            source.start((t, newTip) -> delivered.add(new Delivered(t, newTip)));
            assertTrue(await(() -> source.phase() == Sv2TpSource.State.FAILED));
            assertTrue(source.state().error().contains("CERT_BAD_SIGNATURE"), source.state().error());
            assertFalse(source.healthy());
            assertEquals(-1, source.tipHeight());
            assertTrue(delivered.isEmpty());
            assertEquals("unknown-template", source.submitBlock(TdpTestBlocks.block(chain.currentTemplate())));
        }
    }

    @Test
    void reconnectsWhenTheProviderComesBack() throws Exception
    {
        final EmbeddedChain chain = new EmbeddedChain(0x207fffff, 2, SystemEpochClock.INSTANCE);
        final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
        TemplateProviderServer tp = provider(chain, new InetSocketAddress("127.0.0.1", 0));
        final InetSocketAddress at = tp.localAddress();
        try (Sv2TpSource source = source(at, authority, 1_000))
        {
            source.start((t, newTip) -> delivered.add(new Delivered(t, newTip)));
            final Template first = next(delivered).template();
            tp.close();
            assertTrue(await(() -> source.phase() == Sv2TpSource.State.FAILED));
            assertFalse(source.healthy());
            assertEquals(chain.tipHeight(), source.tipHeight(), "the last tip is still known");
            tp = providerAgain(chain, at);
            final Delivered again = next(delivered);
            assertFalse(again.newTip(), "the same tip as before the outage");
            assertArrayEquals(first.prevHash(), again.template().prevHash());
            assertTrue(source.healthy());
        }
        finally
        {
            tp.close();
        }
    }

    /**
     * The provider back on the port it had. The closed listener may hold the port a moment longer (the JDK defers the
     * close of a socket a thread is blocked on), so the bind is retried for a few seconds.
     */
    private TemplateProviderServer providerAgain(final EmbeddedChain chain, final InetSocketAddress at) throws Exception
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (true)
        {
            try
            {
                return provider(chain, at);
            }
            catch (final java.net.BindException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
                Thread.sleep(20);
            }
        }
    }

    // ------------------------------------------------------------------------------------ misbehaving providers

    /** Setup answered, constraints read. */
    private static void setUp(final FakeProvider.Connection c) throws Exception
    {
        final SetupConnection s = c.readSetup();
        assertEquals(2, s.protocol());
        c.send(new SetupConnectionSuccess(2, 0));
        assertTrue(c.read() instanceof CoinbaseOutputConstraints);
    }

    /** A valid template of {@code chain} with its prev hash and, when asked, its transactions. */
    private static void serveTemplate(final FakeProvider.Connection c, final Template t, final long id) throws Exception
    {
        c.send(TemplateMessages.newTemplate(id, true, t));
        c.send(TemplateMessages.setNewPrevHash(id, t));
        final RequestTransactionData r = (RequestTransactionData)c.read();
        assertEquals(id, r.templateId());
        c.send(TemplateMessages.transactionData(id, t));
    }

    private static ListAppender<ILoggingEvent> capture()
    {
        final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger)LoggerFactory.getLogger(Sv2TpSource.class)).addAppender(appender);
        return appender;
    }

    private static List<String> warnings(final ListAppender<ILoggingEvent> appender, final InetSocketAddress about)
    {
        ((Logger)LoggerFactory.getLogger(Sv2TpSource.class)).detachAppender(appender);
        return appender.list.stream()
            .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(":" + about.getPort()))
            .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aProviderSendingGarbageCostsOnlyItsConnectionAndIsLoggedOnce() throws Exception
    {
        final EmbeddedChain chain = new EmbeddedChain(0x207fffff, 2, SystemEpochClock.INSTANCE);
        final Template valid = chain.currentTemplate();
        final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
        final ListAppender<ILoggingEvent> log = capture();
        final InetSocketAddress address;
        try (FakeProvider fake = new FakeProvider(secret, (c, n) ->
            {
                setUp(c);
                if (n == 1)
                {
                    serveTemplate(c, valid, 7);
                }
                // A NewTemplate three bytes long: undecodable.
                c.sendRaw(TemplateDistributionProtocol.MESSAGE_TYPE_NEW_TEMPLATE, new byte[] {1, 2, 3});
                c.drain();
            });
            Sv2TpSource source = source(fake.address(), authority, 1_000))
        {
            address = fake.address();
            source.start((t, newTip) -> delivered.add(new Delivered(t, newTip)));
            final Delivered d = next(delivered);
            assertArrayEquals(valid.merklePath(), d.template().merklePath());
            assertTrue(await(() -> fake.connections() >= 4 && source.phase() == Sv2TpSource.State.FAILED));
            assertTrue(source.state().error().contains("malformed frame: TRUNCATED in NewTemplate"),
                source.state().error());
            assertTrue(delivered.isEmpty(), "nothing but the valid template ever reached the pool");
            assertEquals(chain.tipHeight(), source.tipHeight());
        }
        final List<String> warnings = warnings(log, address);
        assertEquals(1, warnings.size(), "the same fault on every reconnect is logged once: " + warnings);
        assertTrue(warnings.get(0).contains("the pool keeps its last valid template"));
    }

    @Test
    void aProviderThatDisconnectsMidMessage() throws Exception
    {
        final EmbeddedChain chain = new EmbeddedChain(0x207fffff, 2, SystemEpochClock.INSTANCE);
        final ListAppender<ILoggingEvent> log = capture();
        final InetSocketAddress address;
        try (FakeProvider fake = new FakeProvider(secret, (c, n) ->
            {
                setUp(c);
                // the encrypted header (22 bytes) and 10 bytes of the payload, then the connection closes
                c.out.cutAfter(22 + 10);
                c.send(TemplateMessages.newTemplate(1, true, chain.currentTemplate()));
            });
            Sv2TpSource source = source(fake.address(), authority, 1_000))
        {
            address = fake.address();
            source.start((t, newTip) -> { throw new AssertionError("no template may be delivered"); });
            assertTrue(await(() -> fake.connections() >= 3 && source.phase() == Sv2TpSource.State.FAILED));
            assertTrue(source.state().error().contains("inside a frame"), source.state().error());
            assertEquals(-1, source.tipHeight());
        }
        assertEquals(1, warnings(log, address).size());
    }

    @Test
    void bytesOutsideNoiseAndARefusedSetupAreFailuresToo() throws Exception
    {
        try (FakeProvider fake = new FakeProvider(secret, (c, n) ->
            {
                setUp(c);
                c.sendPlain(new byte[64]);
                c.drain();
            });
            Sv2TpSource source = source(fake.address(), authority, 1_000))
        {
            source.start((t, newTip) -> { });
            assertTrue(await(() -> source.phase() == Sv2TpSource.State.FAILED));
            assertTrue(source.state().error().contains("BAD_MAC"), source.state().error());
        }
        try (FakeProvider fake = new FakeProvider(secret, (c, n) ->
            {
                c.readSetup();
                c.send(new SetupConnectionError(0, "protocol-version-mismatch"));
            });
            Sv2TpSource source = source(fake.address(), authority, 1_000))
        {
            source.start((t, newTip) -> { });
            assertTrue(await(() -> source.phase() == Sv2TpSource.State.FAILED));
            assertEquals("SetupConnection refused: protocol-version-mismatch", source.state().error());
        }
    }

    @Test
    void inconsistentTemplateDataIsDroppedAndTheSourceIsNotHealthy() throws Exception
    {
        final EmbeddedChain chain = new EmbeddedChain(0x207fffff, 4, SystemEpochClock.INSTANCE);
        final Template t = chain.currentTemplate();
        final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
        try (FakeProvider fake = new FakeProvider(secret, (c, n) ->
            {
                setUp(c);
                // Template 1: its transactions in another order than its merkle path says.
                c.send(TemplateMessages.newTemplate(1, true, t));
                c.send(TemplateMessages.setNewPrevHash(1, t));
                c.read();
                final List<byte[]> swapped = new java.util.ArrayList<>(t.transactions());
                java.util.Collections.swap(swapped, 0, 1);
                c.send(new RequestTransactionDataSuccess(1, new byte[32], swapped));
                // Template 2: a witness reserved value that does not give the commitment sent.
                c.send(TemplateMessages.newTemplate(2, true, t));
                c.send(TemplateMessages.setNewPrevHash(2, t));
                c.read();
                final byte[] reserved = new byte[32];
                reserved[0] = 1;
                c.send(new RequestTransactionDataSuccess(2, reserved, t.transactions()));
                c.drain();
            });
            Sv2TpSource source = source(fake.address(), authority, 1_000))
        {
            source.start((x, newTip) -> delivered.add(new Delivered(x, newTip)));
            assertTrue(await(() -> !source.state().error().isEmpty() &&
                source.state().error().contains("witness commitment does not match")));
            assertEquals(Sv2TpSource.State.WAITING_FOR_TEMPLATE, source.phase());
            assertEquals(SourceHealth.NOT_READY, source.state().health());
            assertFalse(source.healthy());
            assertTrue(delivered.isEmpty());
        }
    }

    @Test
    void aProvidersOwnCoinbaseOutputsBecomeRequiredOutputs() throws Exception
    {
        final EmbeddedChain chain = new EmbeddedChain(0x207fffff, 2, SystemEpochClock.INSTANCE);
        final Template base = chain.currentTemplate();
        final TxOut tag = new TxOut(300, new byte[] {0x6a, 0x53});
        final Template withOutput = new Template(base.id(), base.height(), base.version(), base.prevHash(),
            base.nbits(), base.minNtime(), base.coinbaseValue() - 300, base.merklePath(), base.transactions(),
            base.witnessCommitment(), List.of(tag));
        final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
        try (FakeProvider fake = new FakeProvider(secret, (c, n) ->
            {
                setUp(c);
                serveTemplate(c, withOutput, 5);
                c.drain();
            });
            Sv2TpSource source = source(fake.address(), authority, 1_000))
        {
            source.start((x, newTip) -> delivered.add(new Delivered(x, newTip)));
            final Template t = next(delivered).template();
            assertEquals(List.of(tag), t.requiredOutputs());
            assertEquals(base.coinbaseValue() - 300, t.coinbaseValue());
            assertArrayEquals(base.witnessCommitment(), t.witnessCommitment());
            // A block that carries the output is valid for the chain.
            assertNull(chain.submitBlock(TdpTestBlocks.block(t)));
        }
    }

    @Test
    void constraintsCoverThePoolsOutputs() throws Exception
    {
        final java.util.concurrent.CompletableFuture<CoinbaseOutputConstraints> sent =
            new java.util.concurrent.CompletableFuture<>();
        final byte[] p2pkh = java.util.HexFormat.of().parseHex("76a914" + "00".repeat(20) + "88ac");
        final CoinbaseBudget budget = CoinbaseBudget.ofScripts(List.of(p2pkh)).plusOutputs(1, 43);
        assertEquals((8 + 1 + 25) + (8 + 1 + 43), budget.maxAdditionalSize());
        assertEquals(4, budget.maxAdditionalSigops(), "one CHECKSIG, four sigop cost units");
        try (FakeProvider fake = new FakeProvider(secret, (c, n) ->
            {
                c.readSetup();
                c.send(new SetupConnectionSuccess(2, 0));
                sent.complete((CoinbaseOutputConstraints)c.read());
                c.drain();
            });
            Sv2TpSource source = new Sv2TpSource(fake.address(), authority, budget, 5_000, 1_000))
        {
            source.start((x, newTip) -> { });
            assertEquals(new CoinbaseOutputConstraints(budget.maxAdditionalSize(), 4),
                sent.get(WAIT_MS, TimeUnit.MILLISECONDS));
            assertTrue(await(() -> source.phase() == Sv2TpSource.State.WAITING_FOR_TEMPLATE));
        }
        assertEquals(20, CoinbaseBudget.legacySigops(java.util.HexFormat.of().parseHex("51" + "21" + "02".repeat(33) +
            "51ae")), "a bare multisig counts 20");
        assertEquals(0, CoinbaseBudget.legacySigops(java.util.HexFormat.of().parseHex("4c02acac")),
            "pushed bytes are data, not opcodes");
    }
}
