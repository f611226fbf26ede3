package org.bitcoincommons.sv2.jd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.AddressCodec;
import org.bitcoincommons.sv2.bitcoin.Base58;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Network;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobToken;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobTokenSuccess;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJob;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobSuccess;
import org.bitcoincommons.sv2.codec.mining.MiningProtocol;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannel;
import org.bitcoincommons.sv2.codec.mining.OpenExtendedMiningChannelSuccess;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJob;
import org.bitcoincommons.sv2.codec.mining.SetCustomMiningJobSuccess;
import org.bitcoincommons.sv2.codec.mining.SubmitSharesExtended;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.merge.FakeAuxPowNode;
import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.noise.NoiseChannel;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.template.FakeBitcoind;
import org.bitcoincommons.sv2.transport.FrameStream;
import org.bitcoincommons.sv2.transport.QuicClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merged mining on custom jobs, end to end: the pool with its JDS and one AuxPoW chain (a Namecoin-like node over real
 * JSON-RPC that checks proofs with the consensus rules), a fake Bitcoin Core, and a JD client written here over real
 * Noise (TCP) and QUIC. The allocate reply's bytes are checked against the documented layout; a custom job whose
 * coinbase scriptSig carries the commitment from it is credited on the aux chain (journal replay) and one of its
 * shares makes an aux block the node accepts (declared, and in Coinbase-only mode); without it, or with a commitment two aux works old, the job is Bitcoin
 * only (no aux credit, no proof even from a share meeting the aux target) and counted; the previous aux work's
 * commitment is still honoured; a custom job set over a QUIC channel stream is accepted and its shares journaled.
 * The Bitcoin network target is hard (no share is a Bitcoin block, so the chain tip stays put).
 */
@Timeout(120)
class CustomJobMergeMiningTest
{
    /** Namecoin's chain index in the journal (the first aux chain). */
    private static final int NMC = 1;
    /** RSK's chain index when it is mined too (the second aux chain). */
    private static final int RSK = 2;
    /** The aux chain's compact target: about 86,000 hashes a block, ground in well under a second here. */
    private static final int AUX_BITS = Target.toCompact(Target.fromDifficulty(2e-5));

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private FakeBitcoind node;
    private FakeAuxPowNode nmc;
    private org.bitcoincommons.sv2.merge.FakeRskNode rsk;
    private PoolServer pool;
    private Peer jds;
    private byte[] payoutScript;
    private byte[] authority;
    private long requestIds = 100;

    @AfterEach
    void tearDown() throws Exception
    {
        for (final AutoCloseable c : closing.reversed())
        {
            c.close();
        }
    }

    private void start() throws Exception
    {
        start("full-template", CommonProtocol.FLAG_DECLARE_TX_DATA, false);
    }

    private void start(final String mode, final long jdsFlags, final boolean withRsk) throws Exception
    {
        node = new FakeBitcoind(JobDeclarationEndToEndTest.bits(1e4), false);
        closing.add(node);
        node.requireBasic("pool", "hunter2");
        nmc = new FakeAuxPowNode(1, AUX_BITS);
        closing.add(nmc);
        String rskChain = "";
        if (withRsk)
        {
            rsk = new org.bitcoincommons.sv2.merge.FakeRskNode(Target.fromCompact(AUX_BITS));
            closing.add(rsk);
            rskChain = """
                [[merge.chains]]
                name = "rsk"
                kind = "rsk"
                rpc_url = "%s"
                poll_interval_ms = 100
                """.formatted(rsk.url());
        }
        final String path = dir.toString().replace("\\", "/");
        final EngineConfig config = EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            handshake_timeout_ms = 5000
            merge_mining_enabled = true
            secondary_chains = ["namecoin"%s]
            transport_preference = "both"
            quic_listen_addr = "127.0.0.1:0"
            quic_tls_key_path = "%s/tls/key.pem"
            quic_tls_cert_path = "%s/tls/cert.pem"
            [[merge.chains]]
            name = "namecoin"
            kind = "auxpow"
            chain_id = 1
            rpc_url = "%s"
            payout_address = "payout-namecoin"
            poll_interval_ms = 100
            %s
            [pool]
            journal_dir = "%s/journal"
            shares_per_minute = 6
            coinbase_address = "%s"
            """.formatted(withRsk ? ", \"rsk\"" : "", path, path, nmc.url(), rskChain, path,
            JobDeclarationEndToEndTest.MAINNET_PAYOUT)
            + JdPoolConfig.bitcoindSource(node.url(), 500)
            + JdPoolConfig.jdsWithoutApi("127.0.0.1:0", 100, "mode = \"" + mode + "\""), dir);
        pool = new PoolServer(config, System::currentTimeMillis, MergeMiningCoordinator.FACTORY);
        pool.start();
        closing.add(pool::close);
        payoutScript = new AddressCodec(Network.MAINNET, Base58::decodeCheck)
            .scriptPubKey(JobDeclarationEndToEndTest.MAINNET_PAYOUT);
        authority = AuthorityKeys.decodePublic(pool.authorityPublicKey());
        jds = new Peer(pool.jds().localAddress(), authority);
        closing.add(jds);
        jds.send(new SetupConnection(CommonProtocol.PROTOCOL_JOB_DECLARATION, 2, 2, jdsFlags,
            "127.0.0.1", 0, "test-jdc", "", "", ""));
        jds.expect(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS, SetupConnectionSuccess::decode,
            CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR);
        assertTrue(JobDeclarationEndToEndTest.await(() -> !node.templates().isEmpty()), "the pool has a template");
        final int txs = node.templates().get(0).get("transactions").size();
        assertTrue(JobDeclarationEndToEndTest.await(() -> pool.jds().mempool().size() == txs), "the JDS read the mempool");
    }

    /** The allocate reply's outputs, parsed independently: [value, script] pairs. */
    record Allocated(byte[] token, List<Long> values, List<byte[]> scripts)
    {
    }

    private Allocated allocate() throws IOException
    {
        final long req = requestIds++;
        jds.send(new AllocateMiningJobToken("alice", req));
        final AllocateMiningJobTokenSuccess s = jds.expect(0x51, AllocateMiningJobTokenSuccess::decode);
        assertEquals(req, s.requestId());
        final byte[] b = s.coinbaseTxOutputs();
        final List<Long> values = new ArrayList<>();
        final List<byte[]> scripts = new ArrayList<>();
        int p = 1;
        for (int i = 0; i < (b[0] & 0xff); i++)
        {
            long v = 0;
            for (int k = 7; k >= 0; k--)
            {
                v = v << 8 | (b[p + k] & 0xff);
            }
            p += 8;
            final int n = b[p++] & 0xff;
            values.add(v);
            scripts.add(Arrays.copyOfRange(b, p, p + n));
            p += n;
        }
        assertEquals(b.length, p, "nothing after the outputs");
        return new Allocated(s.miningJobToken(), values, scripts);
    }

    /** Waits until the allocate reply carries another AuxPoW carrier than {@code before}; returns the new reply. */
    private Allocated nextAuxWork(final byte[] before) throws Exception
    {
        nmc.advanceTipElsewhere();
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final Allocated a = allocate();
            if (a.scripts().size() == 2 && !Arrays.equals(before, a.scripts().get(1)))
            {
                return a;
            }
            Thread.sleep(50);   // the pool polls the aux node every 100 ms
        }
        throw new AssertionError("the aux work did not change");
    }

    /** The 45-byte scriptSig push the documented carrier (6a 2d 2c fabe6d6d ...) asks for. */
    private static byte[] push(final byte[] carrier)
    {
        return Arrays.copyOfRange(carrier, 2, carrier.length);
    }

    /** A mining channel's view of the pool: over TCP (Peer) or QUIC (a channel stream). */
    private interface Wire
    {
        void send(Message m) throws IOException;

        void sendFrame(UnsafeBuffer b, int length) throws IOException;

        /** Reads until one of the types; returns the frame buffer with it. */
        DirectBuffer readUntil(int... types) throws IOException;
    }

    private record Channel(Wire wire, long channelId, byte[] prefix, int rollable, BigInteger target)
    {
        int extranonceLength()
        {
            return prefix.length + rollable;
        }
    }

    private Channel tcpChannel() throws IOException
    {
        final Peer mining = new Peer(pool.sv2Address(), authority);
        closing.add(mining);
        mining.send(new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2,
            CommonProtocol.FLAG_REQUIRES_WORK_SELECTION | CommonProtocol.FLAG_REQUIRES_VERSION_ROLLING, "127.0.0.1", 0,
            "test-jdc", "", "", ""));
        mining.expect(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS, SetupConnectionSuccess::decode,
            CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR);
        final Wire w = new Wire()
        {
            @Override
            public void send(final Message m) throws IOException
            {
                mining.send(m);
            }

            @Override
            public void sendFrame(final UnsafeBuffer b, final int length) throws IOException
            {
                mining.sendFrame(b, length);
            }

            @Override
            public DirectBuffer readUntil(final int... types) throws IOException
            {
                mining.readUntil(types);
                return mining.channel.frameBuffer();
            }
        };
        return open(w);
    }

    private Channel quicChannel() throws IOException
    {
        final QuicClient quic = QuicClient.connect(pool.quicAddress(), PoolServer.QUIC_ALPN, Duration.ofSeconds(5),
            Duration.ofSeconds(30), null);
        closing.add(quic::close);
        final var controlStream = quic.openStream();
        NoiseChannel.connect(controlStream, new NoiseConfig().handshakeTimeoutMs(5000).authorityPublicKey(authority),
            quic.serverCertificateFingerprint());
        final FrameStream control = new FrameStream(controlStream, 1 << 20);
        write(control, new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2,
            CommonProtocol.FLAG_REQUIRES_WORK_SELECTION | CommonProtocol.FLAG_REQUIRES_VERSION_ROLLING, "127.0.0.1", 0,
            "test-jdc", "", "", ""));
        read(control, CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS, CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR);
        assertEquals(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS,
            FrameHeaderFlyweight.msgType(control.frameBuffer(), 0), "REQUIRES_WORK_SELECTION accepted over QUIC");
        final FrameStream stream = new FrameStream(quic.openStream(), 1 << 20);
        final Wire w = new Wire()
        {
            @Override
            public void send(final Message m) throws IOException
            {
                write(stream, m);
            }

            @Override
            public void sendFrame(final UnsafeBuffer b, final int length) throws IOException
            {
                stream.write(b, 0, length);
                stream.flush();
            }

            @Override
            public DirectBuffer readUntil(final int... types) throws IOException
            {
                read(stream, types);
                return stream.frameBuffer();
            }
        };
        return open(w);
    }

    private static void write(final FrameStream s, final Message m) throws IOException
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[1 << 16]);
        final int n = m.encodeFrame(b, 0);
        s.write(b, 0, n);
        s.flush();
    }

    private static void read(final FrameStream s, final int... types) throws IOException
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            s.readFrame();
            final int t = FrameHeaderFlyweight.msgType(s.frameBuffer(), 0);
            if ((FrameHeaderFlyweight.extensionType(s.frameBuffer(), 0) & FrameHeaderFlyweight.EXTENSION_ID_MASK) == 0
                && Arrays.stream(types).anyMatch(x -> x == t))
            {
                return;
            }
        }
        throw new IOException("none of the awaited messages within 20 s");
    }

    private Channel open(final Wire w) throws IOException
    {
        final byte[] max = new byte[32];
        Arrays.fill(max, (byte)0xff);
        w.send(new OpenExtendedMiningChannel(1, "alice.jdc", 1000f, max, 4));
        final DirectBuffer b = w.readUntil(MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS,
            MiningProtocol.MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR);
        assertEquals(MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS, FrameHeaderFlyweight.msgType(b, 0));
        final OpenExtendedMiningChannelSuccess open = OpenExtendedMiningChannelSuccess.decode(b,
            FrameHeaderFlyweight.HEADER_LENGTH, (int)FrameHeaderFlyweight.msgLength(b, 0));
        w.readUntil(MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH);
        return new Channel(w, open.channelId(), open.extranoncePrefix(), open.extranonceSize(),
            Target.fromLittleEndian(open.target(), 0));
    }

    /** The client's job: the recorded template, with {@code scriptSigPush} and {@code extraOutputs} in its coinbase. */
    private TestJdc.Work work(final Channel c, final byte[] scriptSigPush, final List<byte[]> extraOutputs)
    {
        return TestJdc.work(node.templates().get(0), payoutScript, c.extranonceLength(), false, true, scriptSigPush,
            extraOutputs);
    }

    /** Declares {@code w} on the allocated token, sets it as the channel's custom job; returns the job id. */
    private long declareAndSet(final Channel c, final byte[] token, final TestJdc.Work w) throws IOException
    {
        final long req = requestIds++;
        jds.send(new DeclareMiningJob(req, token, w.version(), w.prefix(), w.suffix(), w.wtxids(), new byte[0]));
        final DeclareMiningJobSuccess ok = jds.expect(0x58, DeclareMiningJobSuccess::decode, 0x59, 0x55);
        return set(c, ok.newMiningJobToken(), w);
    }

    /** Sets {@code w} as the channel's custom job under {@code token}; returns the job id. */
    private long set(final Channel c, final byte[] token, final TestJdc.Work w) throws IOException
    {
        final SetCustomMiningJob m = new SetCustomMiningJob(c.channelId(), requestIds++, token,
            w.version(), w.prevHash(), w.curtime(), w.nbits(), 2, w.scriptSigPrefix(), 0xfffffffeL, w.outputs(),
            w.height() - 1, w.merklePath());
        c.wire().send(m);
        final DirectBuffer b = c.wire().readUntil(MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_SUCCESS,
            MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_ERROR);
        assertEquals(MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_SUCCESS, FrameHeaderFlyweight.msgType(b, 0),
            "SetCustomMiningJob accepted");
        final SetCustomMiningJobSuccess s = SetCustomMiningJobSuccess.decode(b, FrameHeaderFlyweight.HEADER_LENGTH,
            (int)FrameHeaderFlyweight.msgLength(b, 0));
        assertEquals(m.requestId(), s.requestId());
        return s.jobId();
    }

    /** Submits one share on the job, ground to meet the aux target (and so the channel's); waits for its Success. */
    private void shareMeetingTheAuxTarget(final Channel c, final TestJdc.Work w, final long jobId, final int sequence,
        final int roll) throws IOException
    {
        final byte[] rollablePart = new byte[c.rollable()];
        rollablePart[0] = (byte)roll;
        final byte[] extranonce = TestJdc.cat(c.prefix(), rollablePart);
        final int ntime = (int)w.curtime();
        final BigInteger target = c.target().min(Target.fromCompact(AUX_BITS));
        final int nonce = TestJdc.grind(w, extranonce, ntime, target);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int len = new SubmitSharesExtended().wrapForEncode(frame, FrameHeaderFlyweight.HEADER_LENGTH)
            .channelId(c.channelId()).sequenceNumber(sequence).jobId(jobId).nonce(nonce & 0xffffffffL)
            .ntime(ntime & 0xffffffffL).version(w.version() & 0xffffffffL)
            .extranonce(new UnsafeBuffer(rollablePart), 0, c.rollable()).encodedLength();
        FrameHeaderFlyweight.write(frame, 0, 0, true, MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_EXTENDED, len);
        c.wire().sendFrame(frame, FrameHeaderFlyweight.HEADER_LENGTH + len);
        final DirectBuffer b = c.wire().readUntil(MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS,
            MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_ERROR);
        assertEquals(MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS, FrameHeaderFlyweight.msgType(b, 0),
            "the share is accepted");
    }

    private AccountingState replay() throws IOException
    {
        pool.close();
        final AccountingState replayed = new AccountingState();
        try (Journal j = Journal.openExisting(dir.resolve("journal")); JournalReader r = j.reader())
        {
            r.readAll(replayed);
        }
        return replayed;
    }

    @Test
    void aCustomJobCarryingTheAllocatedCommitmentEarnsAuxCreditAndMakesAnAuxBlockTheNodeAccepts() throws Exception
    {
        start();
        final Channel c = tcpChannel();
        final Allocated a = allocate();
        // the documented layout: the payout (value 0), then the AuxPoW carrier 6a 2d 2c fabe6d6d root size nonce
        assertEquals(List.of(0L, 0L), a.values());
        assertArrayEquals(payoutScript, a.scripts().get(0));
        final byte[] carrier = a.scripts().get(1);
        assertEquals(47, carrier.length);
        assertArrayEquals(new byte[] {0x6a, 0x2d, 0x2c, (byte)0xfa, (byte)0xbe, 0x6d, 0x6d},
            Arrays.copyOf(carrier, 7));
        assertArrayEquals(new byte[] {1, 0, 0, 0}, Arrays.copyOfRange(carrier, 39, 43), "merkle size 1 (one chain)");

        final TestJdc.Work w = work(c, push(carrier), List.of());
        final long jobId = declareAndSet(c, a.token(), w);
        assertEquals(1, pool.customJobsWithAux());
        assertEquals(0, pool.customJobsWithoutAux());
        shareMeetingTheAuxTarget(c, w, jobId, 1, 7);
        assertTrue(JobDeclarationEndToEndTest.await(() -> nmc.acceptedBlocks().size() == 1),
            () -> "the aux node accepts the proof built from the custom job's coinbase: " + nmc.rejectionReasons());
        // a one-chain aux tree's root is the aux block's hash: the carrier named the very block the node accepted
        final byte[] rootDisplayOrder = Arrays.copyOfRange(carrier, 7, 39);
        assertEquals(org.bitcoincommons.sv2.bitcoin.Hex.encode(rootDisplayOrder), nmc.acceptedBlocks().get(0));

        final AccountingState replayed = replay();
        assertEquals(1, replayed.sharesAccepted());
        assertEquals(1, replayed.chainStats(NMC).shares(), "the custom job's share is credited on namecoin");
        assertEquals(1, replayed.chainStats(NMC).auxAccepted());
    }

    @Test
    void aCoinbaseOnlyCustomJobCarryingTheCommitmentMakesAnAuxBlockToo() throws Exception
    {
        start("coinbase-only", 0, false);
        final Channel c = tcpChannel();
        final Allocated a = allocate();
        final TestJdc.Work w = work(c, push(a.scripts().get(1)), List.of());
        final long jobId = set(c, a.token(), w);   // no declaration: the allocated token goes straight to the job
        assertEquals(1, pool.customJobsWithAux());
        shareMeetingTheAuxTarget(c, w, jobId, 1, 7);
        assertTrue(JobDeclarationEndToEndTest.await(() -> nmc.acceptedBlocks().size() == 1),
            () -> "the proof from the Coinbase-only job's coinbase and declared path: " + nmc.rejectionReasons());
        final AccountingState replayed = replay();
        assertEquals(1, replayed.chainStats(NMC).shares());
        assertEquals(1, replayed.chainStats(NMC).auxAccepted());
    }

    @Test
    void partialCommitmentsEarnOnTheChainsCommittedTo() throws Exception
    {
        start("full-template", CommonProtocol.FLAG_DECLARE_TX_DATA, true);
        final Channel c = tcpChannel();
        Allocated a = allocate();
        while (a.scripts().size() < 3)
        {
            Thread.sleep(20);   // both chains' first work is being polled
            a = allocate();
        }
        // payout, AuxPoW carrier, then the RSK output: 6a 29 "RSKBLOCK:" and the node's hash for merged mining
        final byte[] rskOutput = a.scripts().get(2);
        assertArrayEquals(TestJdc.cat(new byte[] {0x6a, 0x29}, "RSKBLOCK:".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
            Arrays.copyOf(rskOutput, 11));
        assertArrayEquals(rsk.currentWork(), Arrays.copyOfRange(rskOutput, 11, 43));
        // an SRI-like client: every output copied as given, nothing in its scriptSig: RSK credit only
        final TestJdc.Work sriLike = work(c, new byte[0], List.of(TestJdc.output(0, a.scripts().get(1)),
            TestJdc.output(0, rskOutput)));
        final long first = declareAndSet(c, a.token(), sriLike);
        assertEquals(1, pool.customJobsWithAux());
        shareMeetingTheAuxTarget(c, sriLike, first, 1, 7);
        assertTrue(JobDeclarationEndToEndTest.await(() -> rsk.acceptedBlocks().size() == 1),
            () -> "RSK accepts the proof from the custom coinbase: " + rsk.rejectionReasons());
        assertTrue(nmc.acceptedBlocks().isEmpty(), "no AuxPoW proof: the commitment was not in the scriptSig");

        // the AuxPoW push alone (the RSK output left out): namecoin credit only
        final Allocated b = allocate();
        final TestJdc.Work auxPowOnly = work(c, push(b.scripts().get(1)), List.of());
        final long second = declareAndSet(c, b.token(), auxPowOnly);
        assertEquals(2, pool.customJobsWithAux());
        shareMeetingTheAuxTarget(c, auxPowOnly, second, 2, 8);
        assertTrue(JobDeclarationEndToEndTest.await(() -> nmc.acceptedBlocks().size() == 1),
            () -> "namecoin accepts: " + nmc.rejectionReasons());

        final AccountingState replayed = replay();
        assertEquals(2, replayed.sharesAccepted());
        assertEquals(1, replayed.chainStats(RSK).shares(), "the SRI-like job's share");
        assertEquals(1, replayed.chainStats(NMC).shares(), "the AuxPoW-only job's share");
        assertEquals(1, rsk.acceptedBlocks().size(), "no RSK proof from the AuxPoW-only job");
    }

    @Test
    void aCustomJobWithoutTheCommitmentIsBitcoinOnlyAndCounted() throws Exception
    {
        start();
        final Channel c = tcpChannel();
        final Allocated a = allocate();
        // an SRI-like client: copies the outputs as given (the carrier stays an output), nothing in its scriptSig
        final TestJdc.Work w = work(c, new byte[0], List.of(TestJdc.output(0, a.scripts().get(1))));
        final long jobId = declareAndSet(c, a.token(), w);
        assertEquals(0, pool.customJobsWithAux());
        assertEquals(1, pool.customJobsWithoutAux());
        shareMeetingTheAuxTarget(c, w, jobId, 1, 7);
        final AccountingState replayed = replay();
        assertEquals(1, replayed.sharesAccepted(), "the share counts for Bitcoin");
        assertEquals(0, replayed.chainStats(NMC).shares(), "and for no aux chain");
        assertEquals(0, replayed.chainStats(NMC).auxSubmitted(), "a share meeting the aux target makes no proof");
        assertTrue(nmc.acceptedBlocks().isEmpty() && nmc.rejectionReasons().isEmpty());
    }

    @Test
    void thePreviousAuxWorksCommitmentIsCreditedOneTwoWorksOldIsNot() throws Exception
    {
        start();
        final Channel c = tcpChannel();
        final Allocated first = allocate();
        final byte[] old = first.scripts().get(1);
        final Allocated second = nextAuxWork(old);
        assertFalse(Arrays.equals(old, second.scripts().get(1)));

        final TestJdc.Work previous = work(c, push(old), List.of());
        final long previousJob = declareAndSet(c, second.token(), previous);
        assertEquals(1, pool.customJobsWithAux(), "the work the commitment named was replaced once: still credited");
        shareMeetingTheAuxTarget(c, previous, previousJob, 1, 7);

        final Allocated third = nextAuxWork(second.scripts().get(1));
        final TestJdc.Work stale = work(c, push(old), List.of());
        final long staleJob = declareAndSet(c, third.token(), stale);
        assertEquals(1, pool.customJobsWithoutAux(), "two aux works old: Bitcoin only");
        shareMeetingTheAuxTarget(c, stale, staleJob, 2, 8);

        final TestJdc.Work current = work(c, push(third.scripts().get(1)), List.of());
        final long currentJob = declareAndSet(c, allocate().token(), current);
        assertEquals(2, pool.customJobsWithAux());
        shareMeetingTheAuxTarget(c, current, currentJob, 3, 9);

        final AccountingState replayed = replay();
        assertEquals(3, replayed.sharesAccepted());
        assertEquals(2, replayed.chainStats(NMC).shares(), "the previous and the current work's shares only");
    }

    @Test
    void aCustomJobSetOverAQuicChannelStreamIsAcceptedAndItsSharesJournaled() throws Exception
    {
        start();
        final Channel c = quicChannel();
        final Allocated a = allocate();
        final TestJdc.Work w = work(c, push(a.scripts().get(1)), List.of());
        final long jobId = declareAndSet(c, a.token(), w);
        assertNotNull(pool.quicAddress());
        assertEquals(1, pool.customJobsAccepted());
        shareMeetingTheAuxTarget(c, w, jobId, 1, 7);
        shareMeetingTheAuxTarget(c, w, jobId, 2, 8);
        final AccountingState replayed = replay();
        assertEquals(2, replayed.sharesAccepted());
        assertEquals(2, replayed.chainStats(NMC).shares());
    }
}
