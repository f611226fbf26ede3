package org.bitcoincommons.sv2.jd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.AddressCodec;
import org.bitcoincommons.sv2.bitcoin.Base58;
import org.bitcoincommons.sv2.bitcoin.Network;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
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
import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.bitcoincommons.sv2.merge.FakeAuxPowNode;
import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.template.FakeBitcoind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark (runs only with {@code -Dsv2.bench.jd=true}): custom-job shares/s beside pool-job shares/s through one pool
 * in the same run. The pool merge-mines one AuxPoW chain and runs its JDS; N miners each declare a job (the recorded
 * mainnet template, the AuxPoW commitment from the allocate reply in their scriptSig), set it on an extended channel of
 * a work-selection connection and submit flat out, while the load generator's N miners submit flat out on the pool's
 * own jobs (extended channels too). Both over real Noise on loopback, the same in-flight window and batch; the shares
 * meet the maximum target (no hashing), so the pool's validation, journal and accounting are what is measured. Writes
 * {@code jmh-results/jd-custom-throughput-DATE.json}. Sizes: {@code -Dsv2.bench.jd.miners=N} (default 4 per side),
 * {@code -Dsv2.bench.jd.seconds=S} (default 15).
 */
@Timeout(900)
class CustomJobThroughputTest
{
    static final int INFLIGHT = 64;
    static final int BATCH = 8;
    static final long WARMUP_MS = 3000;

    @TempDir
    Path dir;

    /** One custom-job miner: declares, sets the job, then submits flat out (a writer and a reader thread). */
    private static final class CustomMiner
    {
        final Peer peer;
        final long channelId;
        final int rollable;
        final long jobId;
        final int version;
        final int ntime;
        final int index;
        final LongAdder accepted;
        final LongAdder rejected;
        final AtomicLong acked = new AtomicLong();
        volatile boolean stop;
        Thread writer;
        Thread reader;

        CustomMiner(final Peer peer, final long channelId, final int rollable, final long jobId, final int version,
            final int ntime, final int index, final LongAdder accepted, final LongAdder rejected)
        {
            this.peer = peer;
            this.channelId = channelId;
            this.rollable = rollable;
            this.jobId = jobId;
            this.version = version;
            this.ntime = ntime;
            this.index = index;
            this.accepted = accepted;
            this.rejected = rejected;
        }

        void start()
        {
            writer = Thread.ofPlatform().daemon().name("custom-writer-" + index).start(this::write);
            reader = Thread.ofPlatform().daemon().name("custom-reader-" + index).start(this::read);
        }

        private void write()
        {
            final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
            final UnsafeBuffer extranonce = new UnsafeBuffer(new byte[rollable]);
            final SubmitSharesExtended submit = new SubmitSharesExtended();
            long seq = 0;
            try
            {
                while (!stop)
                {
                    while (seq - acked.get() + BATCH > INFLIGHT && !stop)
                    {
                        LockSupport.parkNanos(100_000);
                    }
                    for (int i = 0; i < BATCH; i++)
                    {
                        seq++;
                        extranonce.putInt(0, (int)seq);
                        extranonce.putInt(4, index);
                        submit.wrapForEncode(out, FrameHeaderFlyweight.HEADER_LENGTH).channelId(channelId)
                            .sequenceNumber(seq & 0xffffffffL).jobId(jobId).nonce(seq & 0xffffffffL)
                            .ntime(ntime & 0xffffffffL).version(version & 0xffffffffL).extranonce(extranonce, 0, rollable);
                        final int len = submit.writeHeader(out, 0);
                        peer.channel.queueFrame(out, 0, len);
                    }
                    peer.channel.flush();
                }
            }
            catch (final java.io.IOException ex)
            {
                stop = true;
            }
        }

        private void read()
        {
            try
            {
                while (!stop)
                {
                    peer.channel.readFrame();
                    final DirectBuffer b = peer.channel.frameBuffer();
                    final int type = FrameHeaderFlyweight.msgType(b, 0);
                    final int p = FrameHeaderFlyweight.HEADER_LENGTH;
                    if (type == MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_SUCCESS)
                    {
                        acked.set(b.getInt(p + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xffffffffL);
                        accepted.add(b.getInt(p + 8, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xffffffffL);
                    }
                    else if (type == MiningProtocol.MESSAGE_TYPE_SUBMIT_SHARES_ERROR)
                    {
                        rejected.increment();
                        acked.accumulateAndGet(b.getInt(p + 4, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xffffffffL,
                            Math::max);
                    }
                }
            }
            catch (final java.io.IOException ex)
            {
                stop = true;
            }
        }
    }

    @Test
    void customJobSharesBesidePoolJobShares() throws Exception
    {
        Assumptions.assumeTrue(Boolean.getBoolean("sv2.bench.jd"), "benchmark: run with -Dsv2.bench.jd=true");
        final int n = Integer.getInteger("sv2.bench.jd.miners", 4);
        final long durationMs = Integer.getInteger("sv2.bench.jd.seconds", 15) * 1000L;
        try (FakeBitcoind node = new FakeBitcoind(JobDeclarationEndToEndTest.bits(1e4), false);
             FakeAuxPowNode nmc = new FakeAuxPowNode(1, Target.toCompact(Target.fromDifficulty(1e6))))
        {
            node.requireBasic("pool", "hunter2");
            final String path = dir.toString().replace("\\", "/");
            final EngineConfig config = EngineConfig.parse("""
                [stratum_v2]
                listen_addr = "127.0.0.1:0"
                handshake_timeout_ms = 5000
                merge_mining_enabled = true
                secondary_chains = ["namecoin"]
                [[merge.chains]]
                name = "namecoin"
                kind = "auxpow"
                chain_id = 1
                rpc_url = "%s"
                payout_address = "payout-namecoin"
                poll_interval_ms = 1000
                [pool]
                journal_dir = "%s/journal"
                min_hashrate = 0.000001
                coinbase_address = "%s"
                """.formatted(nmc.url(), path, JobDeclarationEndToEndTest.MAINNET_PAYOUT)
                + JdPoolConfig.bitcoindSource(node.url(), 500)
                + JdPoolConfig.jdsWithoutApi("127.0.0.1:0", 1000, ""), dir);
            try (PoolServer pool = new PoolServer(config, System::currentTimeMillis, MergeMiningCoordinator.FACTORY))
            {
                pool.start();
                final byte[] payout = new AddressCodec(Network.MAINNET, Base58::decodeCheck)
                    .scriptPubKey(JobDeclarationEndToEndTest.MAINNET_PAYOUT);
                final byte[] authority = AuthorityKeys.decodePublic(pool.authorityPublicKey());
                assertTrue(JobDeclarationEndToEndTest.await(() -> !node.templates().isEmpty()), "the pool has a template");
                final int txs = node.templates().get(0).get("transactions").size();
                assertTrue(JobDeclarationEndToEndTest.await(() -> pool.jds().mempool().size() == txs));
                final LongAdder accepted = new LongAdder();
                final LongAdder rejected = new LongAdder();
                final List<CustomMiner> custom = new ArrayList<>();
                final List<Peer> peers = new ArrayList<>();
                try (Peer jds = new Peer(pool.jds().localAddress(), authority))
                {
                    jds.send(new SetupConnection(CommonProtocol.PROTOCOL_JOB_DECLARATION, 2, 2,
                        CommonProtocol.FLAG_DECLARE_TX_DATA, "127.0.0.1", 0, "bench", "", "", ""));
                    jds.expect(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS, SetupConnectionSuccess::decode);
                    for (int i = 0; i < n; i++)
                    {
                        final Peer p = new Peer(pool.sv2Address(), authority);
                        peers.add(p);
                        custom.add(customMiner(p, jds, i, node, payout, accepted, rejected));
                    }
                }
                final LoadGenerator pooled = new LoadGenerator(new LoadGenerator.Options(pool.sv2Address(), authority,
                    n, 0, WARMUP_MS, durationMs, INFLIGHT, BATCH, 10_000)).mix(100, 0);
                final long[] atStart = new long[2];
                pooled.onMeasureStart(() ->
                {
                    atStart[0] = accepted.sum();
                    atStart[1] = rejected.sum();
                });
                custom.forEach(CustomMiner::start);
                final long t0 = System.nanoTime();
                final LoadGenerator.Result r = pooled.run();
                final long customAccepted = accepted.sum() - atStart[0];
                final long customRejected = rejected.sum() - atStart[1];
                custom.forEach(m -> m.stop = true);
                final double wallSeconds = (System.nanoTime() - t0) / 1e9;
                pooled.close();
                for (final Peer p : peers)
                {
                    p.close();
                }
                assertEquals(0, r.connectFailures());
                final double customPerSecond = customAccepted / r.seconds();
                final Map<String, Object> results = new LinkedHashMap<>();
                results.put("miners_per_side", n);
                results.put("inflight", INFLIGHT);
                results.put("batch", BATCH);
                results.put("measured_seconds", r.seconds());
                results.put("wall_seconds", wallSeconds);
                results.put("template_transactions", txs);
                results.put("merge_mined_chains", 1);
                results.put("custom_jobs_with_aux", pool.customJobsWithAux());
                results.put("custom_job_shares_accepted", customAccepted);
                results.put("custom_job_shares_rejected", customRejected);
                results.put("custom_job_shares_per_second", customPerSecond);
                results.put("pool_job_shares_accepted", r.sharesAccepted());
                results.put("pool_job_shares_rejected", r.sharesRejected());
                results.put("pool_job_shares_per_second", r.sharesPerSecond());
                results.put("pool_job_ack_p50_us", r.p50Us());
                results.put("pool_job_ack_p99_us", r.p99Us());
                results.put("custom_to_pool_ratio", customPerSecond / r.sharesPerSecond());
                results.put("pool_shares_accepted_total", pool.status().sharesAccepted());
                final Path root = Path.of(System.getProperty("sv2.root.dir", "..")).toAbsolutePath().normalize();
                final Path out = root.resolve("jmh-results").resolve("jd-custom-throughput-" + n + "x" + n + "-" +
                    LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE) + ".json");
                Files.writeString(out, FakeBitcoind.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results));
                System.out.println("custom-job throughput: " + results + " -> " + out);
                assertEquals(n, pool.customJobsWithAux(), "every custom job committed to the aux work");
                assertTrue(customAccepted > 0 && r.sharesAccepted() > 0, results.toString());
            }
        }
    }

    /** Connects, opens an extended channel, declares the recorded template with the AuxPoW commitment, sets it. */
    private static CustomMiner customMiner(final Peer p, final Peer jds, final int index, final FakeBitcoind node,
        final byte[] payout, final LongAdder accepted, final LongAdder rejected) throws Exception
    {
        p.send(new SetupConnection(CommonProtocol.PROTOCOL_MINING, 2, 2, CommonProtocol.FLAG_REQUIRES_WORK_SELECTION,
            "127.0.0.1", 0, "bench", "", "", ""));
        p.expect(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS, SetupConnectionSuccess::decode,
            CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_ERROR);
        final byte[] max = new byte[32];
        Arrays.fill(max, (byte)0xff);
        p.send(new OpenExtendedMiningChannel(1, "custom." + index, 0.0f, max, 8));
        final OpenExtendedMiningChannelSuccess open = p.expect(
            MiningProtocol.MESSAGE_TYPE_OPEN_EXTENDED_MINING_CHANNEL_SUCCESS, OpenExtendedMiningChannelSuccess::decode,
            MiningProtocol.MESSAGE_TYPE_OPEN_MINING_CHANNEL_ERROR);
        p.readUntil(MiningProtocol.MESSAGE_TYPE_SET_NEW_PREV_HASH);
        jds.send(new AllocateMiningJobToken("bench", 1000 + index));
        final AllocateMiningJobTokenSuccess a = jds.expect(0x51, AllocateMiningJobTokenSuccess::decode);
        // the carrier is the second output: 8-byte value, length 0x2f, 6a 2d | the 45-byte push for the scriptSig
        final byte[] outs = a.coinbaseTxOutputs();
        final int carrierAt = 1 + 8 + 1 + payout.length + 8 + 1;
        final byte[] push = Arrays.copyOfRange(outs, carrierAt + 2, carrierAt + 47);
        final TestJdc.Work w = TestJdc.work(node.templates().get(0), payout,
            open.extranoncePrefix().length + open.extranonceSize(), false, true, push, List.of());
        jds.send(new DeclareMiningJob(2000 + index, a.miningJobToken(), w.version(), w.prefix(), w.suffix(),
            w.wtxids(), new byte[0]));
        final DeclareMiningJobSuccess d = jds.expect(0x58, DeclareMiningJobSuccess::decode, 0x59, 0x55);
        p.send(new SetCustomMiningJob(open.channelId(), 3000 + index, d.newMiningJobToken(), w.version(), w.prevHash(),
            w.curtime(), w.nbits(), 2, w.scriptSigPrefix(), 0xfffffffeL, w.outputs(), w.height() - 1,
            w.merklePath()));
        final SetCustomMiningJobSuccess s = p.expect(MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_SUCCESS,
            SetCustomMiningJobSuccess::decode, MiningProtocol.MESSAGE_TYPE_SET_CUSTOM_MINING_JOB_ERROR);
        return new CustomMiner(p, open.channelId(), open.extranonceSize(), s.jobId(), w.version(), (int)w.curtime(),
            index, accepted, rejected);
    }
}
