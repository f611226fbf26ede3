package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bitcoincommons.sv2.loadgen.QuicVsTcp;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 bench quic}: SV2 over QUIC beside SV2 over TCP against one child pool serving both: handshake time
 * (QUIC + the bound Noise handshake + setup, against TCP + Noise + setup) and head-of-line blocking (one connection,
 * several channels, one channel's reader stopped: the other channels' acknowledgement latency). Shares/s and ack
 * latency under load are {@code bin/sv2 bench load --transport both}; heap and threads per QUIC connection are
 * {@code bin/sv2 bench load --transport quic --connections N}.
 */
@Command(name = "quic", description = "SV2 over QUIC vs TCP: handshake time and head-of-line blocking, against a child pool serving both.")
public final class BenchQuicCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--handshakes", defaultValue = "50", description = "Measured handshakes per transport (default ${DEFAULT-VALUE}).")
    int handshakes;

    @Option(names = "--channels", defaultValue = "4", description = "Channels on the one connection of the head-of-line run (default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--rate", defaultValue = "200", description = "Shares/s per channel in the head-of-line run (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--baseline-ms", defaultValue = "3000", description = "Steady load before the stall (default ${DEFAULT-VALUE}).")
    long baselineMs;

    @Option(names = "--stall-ms", defaultValue = "3000", description = "How long channel 0's reader stops (default ${DEFAULT-VALUE}).")
    long stallMs;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON to FILE.")
    Path outFile;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public void run()
    {
        if (handshakes < 1 || channels < 2 || rate <= 0 || stallMs < 1 || baselineMs < 1)
        {
            throw new CliException(ExitCode.BAD_INPUT, "need --handshakes >= 1, --channels >= 2, --rate > 0, "
                + "--baseline-ms and --stall-ms >= 1");
        }
        Process child = null;
        Path tmp = null;
        try
        {
            tmp = Files.createTempDirectory("sv2-bench-quic");
            final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
            final byte[] pub = AuthorityKeys.publicOf(secret);
            final int tcpPort = ChildPool.freePort();
            final int quicPort = BenchLoadCommand.freeUdpPort();
            final int apiPort = ChildPool.freePort();
            final Path config = tmp.resolve("pool.toml");
            Files.writeString(config, """
                [stratum_v2]
                listen_addr = "127.0.0.1:%d"
                handshake_timeout_ms = 60000
                %s
                quic_max_streams = %d
                [stratum_v2.noise]
                authority_public_key = "%s"
                authority_secret_key = "%s"
                [pool]
                max_connections_per_ip = 10000000
                connect_rate_per_ip = 1000000000.0
                connect_burst_per_ip = 10000000
                max_unauthenticated = 10000000
                journal_dir = "%s"
                min_hashrate = 0.000001
                [template]
                embedded_bits = "1a00ffff"
                [api]
                listen_addr = "127.0.0.1:%d"
                """.formatted(tcpPort, BenchLoadCommand.quicSection(quicPort, tmp), channels + 1,
                AuthorityKeys.encodePublic(pub), AuthorityKeys.encodeSecret(secret),
                tmp.resolve("journal").toString().replace("\\", "/"), apiPort));
            child = ChildPool.startPool(config, tmp.resolve("pool.log"), "1g", List.of());
            ChildPool.waitReady(URI.create("http://127.0.0.1:" + apiPort), child, tmp.resolve("pool.log"));
            final InetSocketAddress tcp = new InetSocketAddress("127.0.0.1", tcpPort);
            final InetSocketAddress quic = new InetSocketAddress("127.0.0.1", quicPort);
            final Map<String, Object> m = new LinkedHashMap<>();
            final Map<String, Object> hs = new LinkedHashMap<>();
            final int warm = Math.max(5, handshakes / 5);
            hs.put("tcp_noise_setup", QuicVsTcp.handshakes(tcp, false, pub, warm, handshakes).toMap());
            hs.put("quic_tls_noise_setup", QuicVsTcp.handshakes(quic, true, pub, warm, handshakes).toMap());
            m.put("handshake", hs);
            final List<Object> hol = new ArrayList<>();
            hol.add(QuicVsTcp.headOfLine(tcp, false, pub, channels, rate, baselineMs, stallMs).toMap());
            hol.add(QuicVsTcp.headOfLine(quic, true, pub, channels, rate, baselineMs, stallMs).toMap());
            m.put("head_of_line", hol);
            final String text = Json.MAPPER.valueToTree(m).toString();
            if (outFile != null)
            {
                Files.writeString(outFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
            }
            final var out = spec.commandLine().getOut();
            if (json)
            {
                out.println(text);
            }
            else
            {
                m.forEach((k, v) -> out.println(k + ": " + v));
            }
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, ex.getMessage());
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
}
