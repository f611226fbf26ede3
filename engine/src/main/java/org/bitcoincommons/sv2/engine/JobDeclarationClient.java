package org.bitcoincommons.sv2.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.jdc.JdClient;

/**
 * The public face of the Job Declaration client: a farm mines its own templates on a pool. It serves the farm's
 * miners (SV2, and SV1 when {@code [sv1]} is on) from a local pool fed by its own template source, declares those
 * jobs to the pool's JDS, sets them as custom jobs on one extended channel to the pool and forwards the shares; it
 * falls back to solo mining while the JDS refuses or is unreachable, and declares again when it is back.
 *
 * <pre>{@code
 * try (JobDeclarationClient jdc = JobDeclarationClient.builder(EngineConfig.load(Path.of("jdc.toml"))).start())
 * {
 *     System.out.println(jdc.status());
 * }
 * }</pre>
 * Thread-safe.
 */
public final class JobDeclarationClient implements AutoCloseable
{
    private final JdClient client;

    private JobDeclarationClient(final JdClient client)
    {
        this.client = client;
    }

    /** A builder over a configuration with a {@code [jdc]} section. */
    public static Builder builder(final EngineConfig config)
    {
        return new Builder(config);
    }

    /** A builder over a TOML file with a {@code [jdc]} section. */
    public static Builder builder(final Path configFile)
    {
        return new Builder(EngineConfig.load(configFile));
    }

    /** Configures a {@link JobDeclarationClient}. */
    public static final class Builder
    {
        private final EngineConfig config;
        private EpochClock clock = SystemEpochClock.INSTANCE;
        private JdClient.BeforeSetCustomJob beforeSetCustomJob;

        private Builder(final EngineConfig config)
        {
            this.config = config;
        }

        /** The wall clock (tests move it). */
        public Builder clock(final EpochClock clock)
        {
            this.clock = clock;
            return this;
        }

        /** Runs between DeclareMiningJob.Success and SetCustomMiningJob on the client's control thread (tests). */
        public Builder beforeSetCustomJob(final JdClient.BeforeSetCustomJob hook)
        {
            this.beforeSetCustomJob = hook;
            return this;
        }

        /**
         * Starts the local pool, then connects upstream in the background.
         *
         * @throws ConfigException naming the key when the configuration is not a usable client's
         * @throws IOException     when the local listeners cannot start
         */
        public JobDeclarationClient start() throws IOException
        {
            final JdClient c = new JdClient(config, clock, beforeSetCustomJob);
            try
            {
                c.start();
            }
            catch (final IOException | RuntimeException ex)
            {
                c.close();
                throw ex;
            }
            return new JobDeclarationClient(c);
        }
    }

    /** Where the farm's SV2 miners connect. */
    public InetSocketAddress downstreamAddress()
    {
        return client.downstreamAddress();
    }

    /** The local pool's authority public key (base58check), for the farm's miners' URLs. */
    public String authorityPublicKey()
    {
        return client.localPool().authorityPublicKey();
    }

    /** "starting", "declaring" or "solo". */
    public String mode()
    {
        return client.mode().name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The current upstream (index, pool and JDS address) and the switches between upstreams, declared jobs, refusals,
     * stale-tip races, fallbacks and recoveries, shares forwarded and accepted upstream,
     * blocks and PushSolutions, the last error (any thread).
     */
    public Map<String, Object> status()
    {
        return client.status();
    }

    /** The client itself (counters, the local pool). */
    public JdClient client()
    {
        return client;
    }

    /** Stops the control thread, closes both upstream connections and the local pool (which drains its journal). */
    @Override
    public void close()
    {
        client.close();
    }
}
