package org.bitcoincommons.sv2.jd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.concurrent.SystemEpochClock;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.codec.common.CommonProtocol;
import org.bitcoincommons.sv2.codec.common.SetupConnection;
import org.bitcoincommons.sv2.codec.common.SetupConnectionSuccess;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobToken;
import org.bitcoincommons.sv2.codec.jd.AllocateMiningJobTokenSuccess;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJob;
import org.bitcoincommons.sv2.codec.jd.DeclareMiningJobSuccess;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactions;
import org.bitcoincommons.sv2.codec.jd.ProvideMissingTransactionsSuccess;
import org.bitcoincommons.sv2.config.JdsConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.template.FakeBitcoind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Benchmark (runs only with {@code -Dsv2.bench.jd=true}): DeclareMiningJob to DeclareMiningJob.Success latency with a
 * 2,000-transaction template, every transaction in the JDS's mempool view against 10 % missing (one
 * ProvideMissingTransactions round trip carrying 200 transactions). The JDS runs over real Noise on loopback against
 * the fake bitcoind over real JSON-RPC; the time includes the node's proposal check of the whole block. Writes
 * {@code jmh-results/jd-declare-DATE.json}.
 */
@Timeout(600)
class JdsDeclareLatencyTest
{
    static final int TRANSACTIONS = 2000;
    static final int WARMUP = 10;
    static final int MEASURED = 50;

    @Test
    void declareToSuccessWith2000Transactions() throws Exception
    {
        Assumptions.assumeTrue(Boolean.getBoolean("sv2.bench.jd"), "benchmark: run with -Dsv2.bench.jd=true");
        final Map<String, Object> results = new LinkedHashMap<>();
        results.put("transactions", TRANSACTIONS);
        results.put("measured_declarations", MEASURED);
        results.put("all_known", run(0));
        results.put("missing_10_percent", run(TRANSACTIONS / 10));
        final Path root = Path.of(System.getProperty("sv2.root.dir", "..")).toAbsolutePath().normalize();
        final Path out = root.resolve("jmh-results").resolve("jd-declare-" +
            LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE) + ".json");
        Files.writeString(out, FakeBitcoind.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        System.out.println("jd declare latency: " + results + " -> " + out);
    }

    /** Synthetic valid-looking transactions: one input, one P2WPKH output, no witness. */
    private static List<byte[]> transactions(final int n, final Random random)
    {
        final List<byte[]> txs = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final byte[] prevout = new byte[32];
            random.nextBytes(prevout);
            final byte[] key = new byte[20];
            random.nextBytes(key);
            txs.add(Hex.decode("01000000" + "01" + Hex.encode(prevout) + "00000000" + "00" + "ffffffff" + "01" +
                "e803000000000000" + "16" + "0014" + Hex.encode(key) + "00000000"));
        }
        return txs;
    }

    private Map<String, Object> run(final int missing) throws Exception
    {
        final Random random = new Random(42 + missing);
        try (FakeBitcoind node = new FakeBitcoind(JobDeclarationEndToEndTest.bits(1e-5), false))
        {
            node.requireBasic("u", "p");
            final ObjectNode template = node.currentTemplate();
            final ArrayNode list = template.putArray("transactions");
            final List<byte[]> txs = transactions(TRANSACTIONS, random);
            for (int i = 0; i < txs.size(); i++)
            {
                final Transaction t = Transaction.parse(txs.get(i));
                node.addValid(txs.get(i), i % 10 != 0 || missing == 0);
                list.addObject().put("txid", HashOrder.toDisplayHex(t.txid()))
                    .put("hash", HashOrder.toDisplayHex(t.wtxid())).put("data", Hex.encode(txs.get(i)));
            }
            final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
            final NoiseConfig noise = new NoiseConfig().authoritySecretKey(secret)
                .authorityPublicKey(AuthorityKeys.publicOf(secret)).handshakeTimeoutMs(5000);
            final byte[] payout = Hex.decode("0014" + "11".repeat(20));
            final ChainTip tip = new ChainTip(node.tip(), (int)Long.parseLong(template.get("bits").asText(), 16),
                (int)node.height(), template.get("mintime").asInt());
            final JdsConfig config = new JdsConfig(true, new InetSocketAddress("127.0.0.1", 0), JdsConfig.FULL_TEMPLATE,
                600, 10_000, 1000);
            try (JobDeclarationServer jds = new JobDeclarationServer(config, noise,
                new BitcoindJdNode(node.url(), "u", "p", null), payout, () -> tip, new JobTokens(600_000, 10_000),
                SystemEpochClock.INSTANCE, 1 << 24))
            {
                jds.start();
                assertTrue(JobDeclarationEndToEndTest.await(() -> jds.mempool().size() >= TRANSACTIONS - missing),
                    () -> "mempool view: " + jds.mempool().size() + " of " + (TRANSACTIONS - missing));
                try (Peer p = new Peer(jds.localAddress(), AuthorityKeys.publicOf(secret)))
                {
                    p.send(new SetupConnection(CommonProtocol.PROTOCOL_JOB_DECLARATION, 2, 2,
                        CommonProtocol.FLAG_DECLARE_TX_DATA, "127.0.0.1", 0, "bench", "", "", ""));
                    p.expect(CommonProtocol.MESSAGE_TYPE_SETUP_CONNECTION_SUCCESS, SetupConnectionSuccess::decode);
                    final TestJdc.Work w = TestJdc.work(template, payout, 12, false, true);
                    final long[] ns = new long[MEASURED];
                    for (int i = 0; i < WARMUP + MEASURED; i++)
                    {
                        p.send(new AllocateMiningJobToken("bench", i));
                        final byte[] token = p.expect(0x51, AllocateMiningJobTokenSuccess::decode).miningJobToken();
                        final long start = System.nanoTime();
                        p.send(new DeclareMiningJob(i, token, w.version(), w.prefix(), w.suffix(), w.wtxids(),
                            new byte[0]));
                        if (missing > 0)
                        {
                            final ProvideMissingTransactions ask = p.expect(0x55, ProvideMissingTransactions::decode,
                                0x58, 0x59);
                            assertEquals(missing, ask.unknownTxPositionList().length);
                            final List<byte[]> provided = new ArrayList<>(missing);
                            for (final int pos : ask.unknownTxPositionList())
                            {
                                provided.add(w.txData().get(pos));
                            }
                            p.send(new ProvideMissingTransactionsSuccess(i, provided));
                        }
                        p.expect(0x58, DeclareMiningJobSuccess::decode, 0x59, 0x55);
                        if (i >= WARMUP)
                        {
                            ns[i - WARMUP] = System.nanoTime() - start;
                        }
                    }
                    Arrays.sort(ns);
                    final Map<String, Object> r = new LinkedHashMap<>();
                    r.put("missing", missing);
                    r.put("p50_ms", ns[MEASURED / 2] / 1e6);
                    r.put("p90_ms", ns[MEASURED * 9 / 10] / 1e6);
                    r.put("max_ms", ns[MEASURED - 1] / 1e6);
                    r.put("proposals", node.proposals.get());
                    return r;
                }
            }
        }
    }
}
