package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.loadgen.WireBytes;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 bench wire}: bytes on the wire per accepted share and per job, up and down, for Stratum V1, SV2
 * plain (frame bytes before encryption) and SV2 encrypted, in one run against one child pool with both endpoints:
 * the same number of workers of each kind, the same share target (2^256 - 1, so that no one hashes and every share
 * is accepted unless stale), the same pace, the same jobs. The embedded chain's blocks come every
 * {@code --shares-per-job} shares on average, so every kind of worker sees the same new jobs; its templates carry
 * {@code --transactions} synthetic transactions, which sets the merkle branch depth an SV1 notify and an SV2
 * extended job carry.
 */
@Command(name = "wire", description = "Bytes on the wire per share and per job: Stratum V1 vs SV2 plain vs SV2 encrypted.")
public final class BenchWireCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--workers", defaultValue = "4", description = "Workers of each kind (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--share-rate", defaultValue = "5", description = "Shares per second per worker (default ${DEFAULT-VALUE}).")
    double shareRate;

    @Option(names = "--shares-per-job", defaultValue = "60",
        description = "Mean shares (all workers) between blocks, i.e. between new jobs (default ${DEFAULT-VALUE}).")
    double sharesPerJob;

    @Option(names = "--transactions", defaultValue = "1000",
        description = "Synthetic transactions per template, 0..1000 (default ${DEFAULT-VALUE}: a 10-deep merkle branch).")
    int transactions;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--pool-heap", defaultValue = "1g", description = "-Xmx of the child pool (default ${DEFAULT-VALUE}).")
    String poolHeap;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON to FILE (e.g. jmh-results/wire-bytes-DATE.json).")
    Path outFile;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run()
    {
        if (workers < 1 || workers > 1000 || !(shareRate > 0) || !(sharesPerJob >= 2) || transactions < 0 ||
            transactions > 1000 || !(seconds > 0) || warmup < 0)
        {
            throw new CliException(ExitCode.BAD_INPUT, "need --workers 1..1000, --share-rate > 0, --shares-per-job >= 2, " +
                "--transactions 0..1000, --seconds > 0 and --warmup >= 0");
        }
        Process child = null;
        Path tmp = null;
        try
        {
            tmp = Files.createTempDirectory("sv2-bench-wire");
            final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
            final byte[] pub = AuthorityKeys.publicOf(secret);
            final int sv2Port = ChildPool.freePort();
            final int sv1Port = ChildPool.freePort();
            final int apiPort = ChildPool.freePort();
            // Every share meets the share target, so a block is found with probability blockTarget / 2^256 each.
            final BigInteger blockTarget = BigInteger.ONE.shiftLeft(256)
                .divide(BigInteger.valueOf(Math.round(sharesPerJob)));
            final int bits = Target.toCompact(blockTarget);
            final URI api = URI.create("http://127.0.0.1:" + apiPort);
            final Path config = tmp.resolve("pool.toml");
            Files.writeString(config, """
                [stratum_v2]
                listen_addr = "127.0.0.1:%d"
                [stratum_v2.noise]
                authority_public_key = "%s"
                authority_secret_key = "%s"
                [pool]
                # every simulated miner connects from 127.0.0.1: no per-address limits in a benchmark
                max_connections_per_ip = 10000000
                connect_rate_per_ip = 1000000000.0
                connect_burst_per_ip = 10000000
                max_unauthenticated = 10000000
                journal_dir = "%s"
                min_hashrate = 0.000001
                shares_per_minute = 6000
                [template]
                embedded_bits = "%08x"
                embedded_transactions = %d
                [api]
                listen_addr = "127.0.0.1:%d"
                %s
                """.formatted(sv2Port, AuthorityKeys.encodePublic(pub), AuthorityKeys.encodeSecret(secret),
                tmp.resolve("journal").toString().replace("\\", "/"), bits, transactions, apiPort,
                BenchLoadCommand.sv1Section(sv1Port)));
            child = ChildPool.startPool(config, tmp.resolve("pool.log"), poolHeap, List.of());
            ChildPool.waitReady(api, child, tmp.resolve("pool.log"));
            final WireBytes wb = new WireBytes(new WireBytes.Options(new InetSocketAddress("127.0.0.1", sv2Port), pub,
                new InetSocketAddress("127.0.0.1", sv1Port), workers, shareRate, (long)(warmup * 1000),
                (long)(seconds * 1000), 20_000));
            final Map<String, Object> measured;
            try
            {
                measured = wb.run();
            }
            catch (final IOException ex)
            {
                // what the pool said about it is in its log, which goes with the temporary directory
                throw new IOException(ex.getMessage() + "; the pool's log ends" +
                    ChildPool.lastLines(tmp.resolve("pool.log"), 8), ex);
            }
            finally
            {
                wb.close();
            }
            print(measured, bits);
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, "bench wire: " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            ChildPool.stop(child);
            ChildPool.deleteQuietly(tmp);
        }
    }

    @SuppressWarnings("unchecked")
    private static double total(final Map<String, Object> measured, final String kind, final String layer,
        final String key)
    {
        final Map<String, Object> k = (Map<String, Object>)measured.get(kind);
        return ((Number)((Map<String, Object>)k.get(layer)).get(key)).doubleValue();
    }

    private void print(final Map<String, Object> measured, final int bits) throws IOException
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "bench wire");
        m.put("command", "bin/sv2 bench wire --workers " + workers + " --share-rate " + shareRate + " --shares-per-job " +
            sharesPerJob + " --transactions " + transactions + " --seconds " + seconds + " --json");
        m.put("workers_per_kind", workers);
        m.put("shares_per_second_per_worker", shareRate);
        m.put("share_target", "2^256-1 (SV1 difficulty " + BenchLoadCommand.SV1_EVERY_HASH +
            "; SV2 channels opened at 0 H/s over min_hashrate 1e-6)");
        m.put("block_bits", String.format("%08x", bits));
        m.put("template_transactions", transactions);
        m.putAll(measured);
        // Savings of SV2 against SV1: 1 - sv2 / sv1, for the whole traffic per accepted share and per part.
        final Map<String, Object> savings = new LinkedHashMap<>();
        for (final String kind : List.of("sv2_standard", "sv2_extended"))
        {
            for (final String layer : List.of("plain", "encrypted"))
            {
                final Map<String, Object> s = new LinkedHashMap<>();
                for (final String key : List.of("total_bytes_per_accepted_share", "share_up_bytes_per_accepted_share",
                    "share_down_bytes_per_accepted_share", "job_down_bytes_per_job"))
                {
                    final double v1 = total(measured, "sv1", "plain", key);
                    s.put(key, v1 == 0 ? 0 : 1 - total(measured, kind, layer, key) / v1);
                }
                savings.put(kind + "_" + layer, s);
            }
        }
        m.put("sv2_savings_vs_sv1", savings);
        final String text = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m);
        if (outFile != null)
        {
            Files.writeString(outFile, text + "\n");
        }
        final var out = spec.commandLine().getOut();
        if (json)
        {
            out.println(Json.MAPPER.valueToTree(m).toString());
        }
        else
        {
            out.println(text);
        }
        out.flush();
    }
}
