package org.bitcoincommons.sv2.engine;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bitcoincommons.sv2.api.ApiServer;
import org.bitcoincommons.sv2.cluster.ClusterFrontend;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.pool.JournalAccounting;
import org.bitcoincommons.sv2.pool.PoolEvents;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.pool.PoolStatus;

/**
 * A Stratum V2 mining pool embedded in the caller's process: the same pool {@code bin/sv2 pool} runs (Noise NX over
 * TCP, optional Stratum V1 endpoint, merged mining, the journal, the JSON API and dashboard), built from an
 * {@link EngineConfig} or from code, started with {@link #start()} and stopped with {@link #close()}, which drains as
 * SIGTERM does: no new connections, every accepted share journaled, listeners caught up, journal closed.
 *
 * <pre>{@code
 * try (StratumV2Server pool = StratumV2Server.builder()
 *         .listen("127.0.0.1:34254")
 *         .journalDir(Path.of("data/journal"))
 *         .listener(new ServerListener() { ... })
 *         .build())
 * {
 *     pool.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link ServerListener}s are given to the builder and fed on threads of their own (see there).
 */
public final class StratumV2Server implements AutoCloseable
{
    private final EngineConfig config;
    private final List<ServerListener> listeners;
    private final long drainTimeoutMs;
    private final int listenerQueueCapacity;
    private final PoolServer pool;
    private final BatchClock batchClock = new BatchClock();
    private final List<ListenerDelivery> deliveries = new ArrayList<>();
    private ClusterFrontend frontend;
    private ApiServer api;
    private boolean started;
    private boolean closed;

    private StratumV2Server(final Builder b, final EngineConfig config)
    {
        this.config = config;
        this.listeners = List.copyOf(b.listeners);
        this.drainTimeoutMs = b.drainTimeoutMs;
        this.listenerQueueCapacity = b.listenerQueueCapacity;
        if (config.cluster().node())
        {
            throw new ConfigException("cluster.role: a cluster node is run by `bin/sv2 pool`, not embedded; embed a " +
                "\"single\" pool or a \"frontend\"");
        }
        // with [cluster] aux = "cluster" a frontend's aux work comes from the cluster (the frontend starts first)
        this.pool = new PoolServer(config, MergeMiningCoordinator.factory(() -> frontend == null ? null
            : frontend.auxSource()));
        for (final ServerListener l : listeners)
        {
            deliveries.add(new ListenerDelivery(l, batchClock, listenerQueueCapacity));
        }
        if (!deliveries.isEmpty())
        {
            pool.hooks(new Hooks());
        }
    }

    /** A builder that configures the pool from code; unset settings keep the engine's defaults. */
    public static Builder builder()
    {
        return new Builder(null);
    }

    /** A builder for the pool {@code config} describes (a TOML file, {@link EngineConfig#load(Path)}). */
    public static Builder builder(final EngineConfig config)
    {
        return new Builder(config);
    }

    /**
     * Opens the journal (replaying it), starts the template sources, the share logic, the listeners' delivery, the
     * SV2 listener, the Stratum V1 endpoint and the API as configured; returns once every endpoint is bound.
     *
     * @throws EndpointBindException when an address cannot be bound (the exception names its configuration key)
     * @throws ConfigException       when the configuration is inconsistent (message names the key)
     * @throws IOException           when something else cannot be opened
     */
    public synchronized void start() throws IOException
    {
        if (started)
        {
            throw new IllegalStateException("already started");
        }
        started = true;
        if (config.cluster().frontend())
        {
            frontend = ClusterFrontend.start(config.cluster());
            pool.accountingSink(frontend);
            if (config.cluster().clusterTemplates())
            {
                pool.templateSources(frontend::templateSource);
            }
        }
        try
        {
            pool.start();
        }
        catch (final BindException ex)
        {
            throw new EndpointBindException("stratum_v2.listen_addr", config.stratumV2().listenAddr(), ex);
        }
        if (config.api().enabled())
        {
            try
            {
                api = new ApiServer(config.api().listenAddr(), pool, frontend, config.api().adminToken(),
                    config.api().readRequiresToken()).workerSeriesCap(config.api().maxWorkerSeries());
            }
            catch (final BindException ex)
            {
                throw new EndpointBindException("api.listen_addr", config.api().listenAddr(), ex);
            }
            api.start();
        }
    }

    /**
     * Stops as SIGTERM does: the API and listeners stop accepting, connections close, the share ring drains (every
     * accepted share journaled), listeners are given every journaled event (up to the builder's drain timeout), the
     * journal closes. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (api != null)
        {
            api.close();
        }
        pool.close();
        if (frontend != null)
        {
            frontend.close();
        }
    }

    /** The pool's state as of its last tick (about once a second), with each listener's delivery statistics. */
    public ServerStatus status()
    {
        final PoolStatus s = pool.status();
        return new ServerStatus(s.uptimeSec(), s.connections(), s.channels(), s.sharesAccepted(), s.sharesRejected(),
            s.blocksFound(), s.blocksAccepted(), s.blocksRejected(), s.height(), s.hashrate(), s.journalEvents(),
            listenerStats());
    }

    /**
     * The accounting totals (shares, workers, chains, blocks, rewards, distributions) as of the last tick, or the final
     * ones after {@link #close()}: the shape {@code bin/sv2 replay --json} and {@code /api/accounting} print.
     */
    public Map<String, Object> accounting()
    {
        return pool.accounting();
    }

    /** One row per open channel (SV2 and Stratum V1 workers): the {@code /api/workers} view. */
    public List<Map<String, Object>> workers() throws InterruptedException
    {
        return pool.workers();
    }

    /** Each listener's delivery statistics, in the order the listeners were added. */
    public List<ListenerStats> listenerStats()
    {
        final List<ListenerStats> out = new ArrayList<>(deliveries.size());
        for (final ListenerDelivery d : deliveries)
        {
            out.add(d.stats());
        }
        return out;
    }

    /** Forgets the listener lag measured so far (e.g. after a warm-up); counters are kept. */
    public void resetListenerLag()
    {
        for (final ListenerDelivery d : deliveries)
        {
            d.resetLag();
        }
    }

    /**
     * Sends Reconnect to every connected miner (empty host or port 0: the same); returns how many were asked.
     */
    public int reconnectAll(final String host, final int port)
    {
        return pool.reconnectAll(host, port);
    }

    /** The SV2 address bound (after start). */
    public InetSocketAddress sv2Address()
    {
        return pool.sv2Address();
    }

    /** The pool's URL for SV2 miners, with its authority key: {@code stratum2+tcp://HOST:PORT/KEY}. */
    public String sv2Url()
    {
        final InetSocketAddress a = pool.sv2Address();
        return "stratum2+tcp://" + a.getHostString() + ":" + a.getPort() + "/" + pool.authorityPublicKey();
    }

    /** The Stratum V1 endpoint's address, or null when it is off. */
    public InetSocketAddress sv1Address()
    {
        return pool.sv1Address();
    }

    /** The pool's URL for Stratum V1 miners, or null when that endpoint is off. */
    public String sv1Url()
    {
        final InetSocketAddress a = pool.sv1Address();
        return a == null ? null : "stratum+tcp://" + a.getHostString() + ":" + a.getPort();
    }

    /** The API and dashboard address, or null when the API is off. */
    public InetSocketAddress apiAddress()
    {
        return api == null ? null : api.address();
    }

    /** The authority public key miners verify the pool's certificate against (base58check). */
    public String authorityPublicKey()
    {
        return pool.authorityPublicKey();
    }

    /** The configuration this server runs. */
    public EngineConfig config()
    {
        return config;
    }

    /** Where the pool tells this API of its journal and lifecycle; not for users. */
    private final class Hooks implements PoolServer.Hooks
    {
        @Override
        public void journalOpened(final Journal journal, final AccountingState replayed)
        {
            final Map<Integer, String> names = replayed.workerNames();
            for (int i = 0; i < deliveries.size(); i++)
            {
                deliveries.get(i).start(journal, names, i);
            }
        }

        @Override
        public JournalAccounting.BatchObserver batchObserver()
        {
            return batchClock;
        }

        @Override
        public PoolEvents events()
        {
            return new PoolEvents()
            {
                @Override
                public void connectionOpened(final long connectionId, final String protocol)
                {
                    offer(new ListenerDelivery.Lifecycle.Opened(
                        new ServerListener.Connection(System.currentTimeMillis(), connectionId, protocol)));
                }

                @Override
                public void connectionClosed(final long connectionId)
                {
                    offer(new ListenerDelivery.Lifecycle.Closed(
                        new ServerListener.Connection(System.currentTimeMillis(), connectionId, "")));
                }

                @Override
                public void channelOpened(final long connectionId, final int channelId, final String userIdentity,
                    final boolean extended)
                {
                    offer(new ListenerDelivery.Lifecycle.ChannelOpened(new ServerListener.Channel(
                        System.currentTimeMillis(), connectionId, channelId, userIdentity, extended)));
                }

                @Override
                public void channelRenamed(final long connectionId, final int channelId, final String userIdentity,
                    final boolean extended)
                {
                    offer(new ListenerDelivery.Lifecycle.ChannelRenamed(new ServerListener.Channel(
                        System.currentTimeMillis(), connectionId, channelId, userIdentity, extended)));
                }

                @Override
                public void channelClosed(final long connectionId, final int channelId)
                {
                    offer(new ListenerDelivery.Lifecycle.ChannelClosed(new ServerListener.Channel(
                        System.currentTimeMillis(), connectionId, channelId, "", false)));
                }
            };
        }

        private void offer(final Object event)
        {
            for (final ListenerDelivery d : deliveries)
            {
                d.offer(event);
            }
        }

        @Override
        public void journalClosing()
        {
            for (final ListenerDelivery d : deliveries)
            {
                d.drainAndStop(drainTimeoutMs);
            }
        }
    }

    /**
     * Configures a {@link StratumV2Server}: from an {@link EngineConfig}, or from code (each setter becomes the
     * configuration key it names, and {@link #toml(String)} adds any other key of {@code etc/pool.example.toml}).
     */
    public static final class Builder
    {
        private final EngineConfig config;
        private final List<ServerListener> listeners = new ArrayList<>();
        private final Map<String, Map<String, String>> keys = new java.util.LinkedHashMap<>();
        private final StringBuilder extra = new StringBuilder();
        private Path baseDir = Path.of("").toAbsolutePath();
        private long drainTimeoutMs = 10_000;
        private int listenerQueueCapacity = 1 << 16;

        private Builder(final EngineConfig config)
        {
            this.config = config;
        }

        /** {@code stratum_v2.listen_addr}: the SV2 address, HOST:PORT (port 0: any free port). */
        public Builder listen(final String hostPort)
        {
            return set("stratum_v2", "listen_addr", str(hostPort));
        }

        /** {@code [stratum_v2.noise]}: the authority key pair (base58check, from {@code bin/sv2 keys generate}). */
        public Builder authorityKeys(final String publicKey, final String secretKey)
        {
            set("stratum_v2.noise", "authority_public_key", str(publicKey));
            return set("stratum_v2.noise", "authority_secret_key", str(secretKey));
        }

        /** {@code template.sources}: in priority order, "bitcoind", "sv2-tp", "embedded". */
        public Builder templateSources(final String... sources)
        {
            return set("template", "sources", list(sources));
        }

        /** {@code template.network}: mainnet, testnet, testnet4, signet or regtest. */
        public Builder network(final String network)
        {
            return set("template", "network", str(network));
        }

        /** {@code template.embedded_bits}: the embedded chain's compact target, 8 hex digits. */
        public Builder embeddedBits(final String bits)
        {
            return set("template", "embedded_bits", str(bits));
        }

        /** {@code pool.coinbase_address}: where block rewards go (required off regtest). */
        public Builder coinbaseAddress(final String address)
        {
            return set("pool", "coinbase_address", str(address));
        }

        /** {@code pool.shares_per_minute}: the share rate vardiff aims at per channel. */
        public Builder sharesPerMinute(final double rate)
        {
            return set("pool", "shares_per_minute", Double.toString(rate));
        }

        /**
         * Merged mining of the named aux chains ({@code stratum_v2.merge_mining_enabled} and
         * {@code secondary_chains}); each chain's node is configured in its {@code [merge.NAME]} table via
         * {@link #toml(String)}.
         */
        public Builder mergeMining(final String... chains)
        {
            set("stratum_v2", "merge_mining_enabled", Boolean.toString(chains.length > 0));
            return set("stratum_v2", "secondary_chains", list(chains));
        }

        /** {@code pool.journal_dir}: the accounting journal (created when absent, replayed when present). */
        public Builder journalDir(final Path dir)
        {
            return set("pool", "journal_dir", str(dir.toAbsolutePath().toString().replace('\\', '/')));
        }

        /** {@code api.enabled}: the JSON API, metrics and dashboard. */
        public Builder api(final boolean enabled)
        {
            return set("api", "enabled", Boolean.toString(enabled));
        }

        /** {@code api.listen_addr}: the API's address, HOST:PORT (and turns the API on). */
        public Builder api(final String hostPort)
        {
            api(true);
            return set("api", "listen_addr", str(hostPort));
        }

        /** {@code sv1.enabled}: the Stratum V1 endpoint. */
        public Builder sv1(final boolean enabled)
        {
            return set("sv1", "enabled", Boolean.toString(enabled));
        }

        /** {@code sv1.listen_addr}: the Stratum V1 endpoint's address (and turns it on). */
        public Builder sv1(final String hostPort)
        {
            sv1(true);
            return set("sv1", "listen_addr", str(hostPort));
        }

        /**
         * Any configuration key of {@code etc/pool.example.toml}, e.g. {@code option("pool.min_hashrate", "0.5")} or
         * {@code option("stratum_v2.noise.cert_validity_sec", "7200")}; {@code tomlValue} is a TOML value (strings
         * quoted).
         */
        public Builder option(final String dottedKey, final String tomlValue)
        {
            final int dot = dottedKey.lastIndexOf('.');
            if (dot <= 0 || dot == dottedKey.length() - 1)
            {
                throw new IllegalArgumentException("option key must be TABLE.KEY, got \"" + dottedKey + "\"");
            }
            return set(dottedKey.substring(0, dot), dottedKey.substring(dot + 1), tomlValue);
        }

        /** Any further configuration, in the TOML of {@code etc/pool.example.toml} (tables not set above). */
        public Builder toml(final String toml)
        {
            extra.append('\n').append(toml).append('\n');
            return this;
        }

        /** Where relative paths of the configuration are resolved (default: the working directory). */
        public Builder baseDir(final Path dir)
        {
            this.baseDir = dir.toAbsolutePath();
            return this;
        }

        /** Adds a listener; it is fed on a thread of its own from start to close. */
        public Builder listener(final ServerListener listener)
        {
            listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** How long {@link StratumV2Server#close()} waits for each listener to catch up (default 10 s). */
        public Builder drainTimeoutMs(final long ms)
        {
            this.drainTimeoutMs = ms;
            return this;
        }

        /** Connection and channel events a listener may have pending before further ones are dropped (2^16). */
        public Builder listenerQueueCapacity(final int capacity)
        {
            this.listenerQueueCapacity = capacity;
            return this;
        }

        /**
         * The server, not started.
         *
         * @throws ConfigException when the configuration is invalid (the message names the key)
         */
        public StratumV2Server build()
        {
            if (config != null)
            {
                if (!keys.isEmpty() || extra.length() > 0)
                {
                    throw new IllegalStateException("a builder from an EngineConfig takes no further configuration");
                }
                return new StratumV2Server(this, config);
            }
            return new StratumV2Server(this, EngineConfig.parse(toml(), baseDir));
        }

        /** The configuration the setters describe, as TOML. */
        String toml()
        {
            final StringBuilder s = new StringBuilder();
            for (final Map.Entry<String, Map<String, String>> t : keys.entrySet())
            {
                s.append('[').append(t.getKey()).append("]\n");
                for (final Map.Entry<String, String> k : t.getValue().entrySet())
                {
                    s.append(k.getKey()).append(" = ").append(k.getValue()).append('\n');
                }
            }
            return s.append(extra).toString();
        }

        private Builder set(final String table, final String key, final String tomlValue)
        {
            if (config != null)
            {
                throw new IllegalStateException("a builder from an EngineConfig takes no further configuration");
            }
            keys.computeIfAbsent(table, t -> new java.util.LinkedHashMap<>()).put(key, tomlValue);
            return this;
        }

        private static String str(final String s)
        {
            final StringBuilder b = new StringBuilder("\"");
            for (final char c : s.toCharArray())
            {
                switch (c)
                {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    default -> b.append(c);
                }
            }
            return b.append('"').toString();
        }

        private static String list(final String... items)
        {
            final StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < items.length; i++)
            {
                b.append(i == 0 ? "" : ", ").append(str(items[i]));
            }
            return b.append(']').toString();
        }
    }
}
