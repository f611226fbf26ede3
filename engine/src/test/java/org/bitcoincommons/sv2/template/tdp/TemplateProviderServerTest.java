package org.bitcoincommons.sv2.template.tdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.SystemEpochClock;
import org.bitcoincommons.sv2.bitcoin.Bip34Height;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnectionError;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.codec.td.CoinbaseOutputConstraints;
import org.bitcoincommons.sv2.codec.td.NewTemplate;
import org.bitcoincommons.sv2.codec.td.RequestTransactionData;
import org.bitcoincommons.sv2.codec.td.RequestTransactionDataError;
import org.bitcoincommons.sv2.codec.td.RequestTransactionDataSuccess;
import org.bitcoincommons.sv2.codec.td.SetNewPrevHash;
import org.bitcoincommons.sv2.codec.td.SubmitSolution;
import org.bitcoincommons.sv2.codec.td.TemplateDistributionProtocol;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.template.EmbeddedChain;
import org.bitcoincommons.sv2.template.Template;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded chain's Template Provider against a bare client over real Noise on loopback: the sv2-tp behaviours of
 * setup, constraints, templates, transaction data with its grace period, and solutions that the chain accepts.
 */
@Timeout(60)
class TemplateProviderServerTest
{
    private static final long WAIT_MS = 10_000;

    private final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
    private final byte[] authority = AuthorityKeys.publicOf(secret);
    /** The provider's wall clock (the chain keeps the real one): moved by hand across the grace period. */
    private final AtomicLong nowMs = new AtomicLong(System.currentTimeMillis());
    private EmbeddedChain chain;
    private TemplateProviderServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception
    {
        chain = new EmbeddedChain(0x207fffff, 3, SystemEpochClock.INSTANCE);
        server = new TemplateProviderServer(chain, new InetSocketAddress("127.0.0.1", 0),
            new NoiseConfig().authoritySecretKey(secret).handshakeTimeoutMs(5_000), nowMs::get, 16);
        server.start();
        address = server.localAddress();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private TdpTestClient client() throws Exception
    {
        return new TdpTestClient(address, authority);
    }

    /** A client through SetupConnection and CoinbaseOutputConstraints, with its first template and prev hash. */
    private record Ready(TdpTestClient client, NewTemplate template, SetNewPrevHash prevHash)
    {
    }

    private Ready ready() throws Exception
    {
        final TdpTestClient c = client();
        c.send(TdpTestClient.setup());
        assertEquals(new SetupConnectionSuccess(2, 0), c.read(SetupConnectionSuccess.class, WAIT_MS));
        c.send(new CoinbaseOutputConstraints(100, 4));
        final NewTemplate nt = c.read(NewTemplate.class, WAIT_MS);
        final SetNewPrevHash p = c.read(SetNewPrevHash.class, WAIT_MS);
        return new Ready(c, nt, p);
    }

    @Test
    void newTemplateAndSetNewPrevHashDescribeTheChainsTemplateAsBitcoinCoreDoes() throws Exception
    {
        final Template t = chain.currentTemplate();
        try (TdpTestClient c = client())
        {
            c.send(TdpTestClient.setup());
            assertEquals(new SetupConnectionSuccess(2, 0), c.read(SetupConnectionSuccess.class, WAIT_MS));
            // An old client's constraints: the U32 alone, no sigops.
            c.sendRaw(TemplateDistributionProtocol.MESSAGE_TYPE_COINBASE_OUTPUT_CONSTRAINTS, new byte[] {100, 0, 0, 0});
            final NewTemplate nt = c.read(NewTemplate.class, WAIT_MS);
            final SetNewPrevHash p = c.read(SetNewPrevHash.class, WAIT_MS);

            assertTrue(nt.futureTemplate(), "a template on a new tip is a future template");
            assertEquals(nt.templateId(), p.templateId(), "SetNewPrevHash activates it at once");
            assertEquals(Integer.toUnsignedLong(t.version()), nt.version());
            assertEquals(2, nt.coinbaseTxVersion());
            assertArrayEquals(Bip34Height.encode(t.height()), nt.coinbasePrefix(), "the BIP34 height push alone");
            assertEquals(0xfffffffeL, nt.coinbaseTxInputSequence());
            assertEquals(t.height() - 1L, nt.coinbaseTxLocktime(), "nLockTime = height - 1");
            assertEquals(t.coinbaseValue(), nt.coinbaseTxValueRemaining());
            assertEquals(List.of(new TxOut(0, t.witnessCommitment())),
                CoinbaseOutputs.parse(nt.coinbaseTxOutputs(), nt.coinbaseTxOutputsCount()),
                "the witness commitment is the one required output");
            assertEquals(TemplateMessages.split(t.merklePath()).size(), nt.merklePath().size());
            for (int i = 0; i < nt.merklePath().size(); i++)
            {
                assertArrayEquals(TemplateMessages.split(t.merklePath()).get(i), nt.merklePath().get(i));
            }
            assertArrayEquals(chain.tipHash(), p.prevHash());
            assertEquals(Integer.toUnsignedLong(t.nbits()), p.nBits());
            assertEquals(Target.fromCompact(t.nbits()), Target.fromLittleEndian(p.target(), 0));
            assertEquals(Integer.toUnsignedLong(t.minNtime()), p.headerTimestamp());

            c.send(new RequestTransactionData(nt.templateId()));
            final RequestTransactionDataSuccess data = c.read(RequestTransactionDataSuccess.class, WAIT_MS);
            assertEquals(nt.templateId(), data.templateId());
            assertArrayEquals(new byte[32], data.excessData(), "excess_data is the witness reserved value");
            assertEquals(t.transactions().size(), data.transactionList().size());
            for (int i = 0; i < t.transactions().size(); i++)
            {
                assertArrayEquals(t.transactions().get(i), data.transactionList().get(i));
            }

            // New constraints rebuild the template at once: a fresh id, future, with its SetNewPrevHash.
            c.send(new CoinbaseOutputConstraints(200, 8));
            final NewTemplate rebuilt = c.read(NewTemplate.class, WAIT_MS);
            final SetNewPrevHash again = c.read(SetNewPrevHash.class, WAIT_MS);
            assertTrue(rebuilt.templateId() > nt.templateId());
            assertTrue(rebuilt.futureTemplate());
            assertEquals(rebuilt.templateId(), again.templateId());
        }
    }

    @Test
    void setupConnectionErrorsCarrySv2TpsStringsAndEndTheConnection() throws Exception
    {
        try (TdpTestClient c = client())
        {
            c.send(TdpTestClient.setup(CommonProtocol.PROTOCOL_MINING, 2, 2));
            assertEquals(new SetupConnectionError(0, "unsupported-protocol"), c.read(SetupConnectionError.class, WAIT_MS));
            assertTrue(c.closedByPeer(WAIT_MS));
        }
        try (TdpTestClient c = client())
        {
            c.send(TdpTestClient.setup(CommonProtocol.PROTOCOL_TEMPLATE_DISTRIBUTION, 3, 4));
            assertEquals(new SetupConnectionError(0, "protocol-version-mismatch"),
                c.read(SetupConnectionError.class, WAIT_MS));
            assertTrue(c.closedByPeer(WAIT_MS));
        }
        try (TdpTestClient c = client())
        {
            c.send(TdpTestClient.setup(CommonProtocol.PROTOCOL_TEMPLATE_DISTRIBUTION, 1, 1));
            assertEquals("protocol-version-mismatch", c.read(SetupConnectionError.class, WAIT_MS).errorCode());
            assertTrue(c.closedByPeer(WAIT_MS));
        }
        // A range that includes 2 is accepted.
        try (TdpTestClient c = client())
        {
            c.send(TdpTestClient.setup(CommonProtocol.PROTOCOL_TEMPLATE_DISTRIBUTION, 1, 3));
            assertEquals(new SetupConnectionSuccess(2, 0), c.read(SetupConnectionSuccess.class, WAIT_MS));
        }
    }

    @Test
    void badConstraintsDisconnect() throws Exception
    {
        try (TdpTestClient c = client())
        {
            c.send(new CoinbaseOutputConstraints(100, 4));
            assertTrue(c.closedByPeer(WAIT_MS), "constraints before SetupConnection");
        }
        try (TdpTestClient c = client())
        {
            c.send(TdpTestClient.setup());
            c.read(SetupConnectionSuccess.class, WAIT_MS);
            c.send(new CoinbaseOutputConstraints(TemplateProviderServer.MAX_ADDITIONAL_SIZE + 1, 4));
            assertTrue(c.closedByPeer(WAIT_MS), "more than the block weight limit");
        }
        try (TdpTestClient c = client())
        {
            c.send(TdpTestClient.setup());
            c.read(SetupConnectionSuccess.class, WAIT_MS);
            c.sendRaw(TemplateDistributionProtocol.MESSAGE_TYPE_COINBASE_OUTPUT_CONSTRAINTS, new byte[] {1, 0});
            assertTrue(c.closedByPeer(WAIT_MS), "undecodable");
        }
        try (TdpTestClient c = client())
        {
            c.send(TdpTestClient.setup());
            c.read(SetupConnectionSuccess.class, WAIT_MS);
            c.send(new CoinbaseOutputConstraints(TemplateProviderServer.MAX_ADDITIONAL_SIZE, 4));
            assertTrue(c.read(NewTemplate.class, WAIT_MS).futureTemplate(), "the limit itself is allowed");
        }
    }

    @Test
    void transactionDataErrorsAndTheStaleTemplateGracePeriod() throws Exception
    {
        final Ready r = ready();
        try (TdpTestClient c = r.client())
        {
            c.send(new RequestTransactionData(r.template().templateId() + 1000));
            assertEquals(new RequestTransactionDataError(r.template().templateId() + 1000, "template-id-not-found"),
                c.read(RequestTransactionDataError.class, WAIT_MS));

            // A block on the first template: the chain accepts it and the client hears of the new tip.
            final SubmitSolution solution = TdpTestBlocks.solve(r.template(), r.prevHash());
            c.send(solution);
            final NewTemplate next = c.read(NewTemplate.class, WAIT_MS);
            final SetNewPrevHash tip = c.read(SetNewPrevHash.class, WAIT_MS);
            assertEquals(1, chain.accepted());
            assertTrue(next.futureTemplate());
            assertArrayEquals(chain.tipHash(), tip.prevHash(), "the new tip is the submitted block");
            assertEquals(Bip34Height.decode(r.template().coinbasePrefix()) + 1, Bip34Height.decode(next.coinbasePrefix()));

            // Within 10 s of the new tip the old template still answers.
            nowMs.addAndGet(ProvidedTemplates.STALE_GRACE_MS);
            c.send(new RequestTransactionData(r.template().templateId()));
            assertEquals(r.template().templateId(), c.read(RequestTransactionDataSuccess.class, WAIT_MS).templateId());
            // After it, stale.
            nowMs.addAndGet(1);
            c.send(new RequestTransactionData(r.template().templateId()));
            assertEquals(new RequestTransactionDataError(r.template().templateId(), "stale-template-id"),
                c.read(RequestTransactionDataError.class, WAIT_MS));
            c.send(new RequestTransactionData(next.templateId()));
            assertEquals(next.templateId(), c.read(RequestTransactionDataSuccess.class, WAIT_MS).templateId(),
                "the tip's template is never stale");
            // The next template added prunes the stale ones.
            c.send(new CoinbaseOutputConstraints(100, 4));
            c.read(NewTemplate.class, WAIT_MS);
            c.read(SetNewPrevHash.class, WAIT_MS);
            c.send(new RequestTransactionData(r.template().templateId()));
            assertEquals("template-id-not-found", c.read(RequestTransactionDataError.class, WAIT_MS).errorCode());

            // A solution for a template no longer cached is dropped without an answer; the connection stays.
            c.send(solution);
            c.send(new RequestTransactionData(next.templateId()));
            assertEquals(next.templateId(), c.read(RequestTransactionDataSuccess.class, WAIT_MS).templateId());
            assertEquals(1, chain.accepted());
        }
    }

    @Test
    void everyClientFollowsTheChainAndAnyOfThemMayMineIt() throws Exception
    {
        final Ready a = ready();
        final Ready b = ready();
        try (TdpTestClient ca = a.client(); TdpTestClient cb = b.client())
        {
            assertArrayEquals(a.prevHash().prevHash(), b.prevHash().prevHash());
            cb.send(TdpTestBlocks.solve(b.template(), b.prevHash()));
            assertTrue(cb.read(NewTemplate.class, WAIT_MS).futureTemplate());
            final byte[] tip = cb.read(SetNewPrevHash.class, WAIT_MS).prevHash();
            assertTrue(ca.read(NewTemplate.class, WAIT_MS).futureTemplate());
            assertArrayEquals(tip, ca.read(SetNewPrevHash.class, WAIT_MS).prevHash());
            assertEquals(HashOrder.toDisplayHex(chain.tipHash()), HashOrder.toDisplayHex(tip));
        }
    }

    @Test
    void unknownMessagesAndBadSolutionsAreIgnoredNotFatal() throws Exception
    {
        final Ready r = ready();
        try (TdpTestClient c = r.client())
        {
            c.sendRaw(0x7f, new byte[] {1, 2, 3});
            c.send(new SubmitSolution(r.template().templateId(), 0x20000000, 0, 0, new byte[] {1, 2, 3}));
            c.sendRaw(TemplateDistributionProtocol.MESSAGE_TYPE_SUBMIT_SOLUTION, new byte[] {9});
            c.send(new RequestTransactionData(r.template().templateId()));
            assertEquals(r.template().templateId(), c.read(RequestTransactionDataSuccess.class, WAIT_MS).templateId());
            assertEquals(0, chain.accepted());
            assertEquals(0, chain.rejected(), "an unparsable coinbase never reaches the chain");
        }
    }

    @Test
    void aWrongBlockIsJudgedByTheChain() throws Exception
    {
        final Ready r = ready();
        try (TdpTestClient c = r.client())
        {
            final SubmitSolution good = TdpTestBlocks.solve(r.template(), r.prevHash());
            final SubmitSolution wrongTime = new SubmitSolution(good.templateId(), good.version(),
                good.headerTimestamp() + 10_000, good.headerNonce(), good.coinbaseTx());
            c.send(wrongTime);
            c.send(new RequestTransactionData(r.template().templateId()));
            c.read(RequestTransactionDataSuccess.class, WAIT_MS);
            assertEquals(1, chain.rejected());
            assertFalse(chain.rejectReasons().isEmpty());
            assertEquals(0, chain.accepted());
            assertEquals(HashOrder.toDisplayHex(r.prevHash().prevHash()), HashOrder.toDisplayHex(chain.tipHash()));
        }
    }
}
