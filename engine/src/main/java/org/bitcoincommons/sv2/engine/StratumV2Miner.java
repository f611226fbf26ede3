package org.bitcoincommons.sv2.engine;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.miner.MinerEvents;
import org.bitcoincommons.sv2.noise.AuthorityKeys;

/**
 * A CPU miner embedded in the caller's process, for any Stratum V2 pool ({@code stratum2+tcp://HOST:PORT/KEY}, the
 * pool's certificate verified against the authority key; {@code quic://HOST:PORT[/KEY]} for SV2 over QUIC, trusted by
 * the same key) or Stratum V1 pool ({@code stratum+tcp://HOST:PORT}). {@code iroh://} is refused: no JVM Iroh stack.
 * {@link #connect()} sets up a session and follows the pool's work without hashing; {@link #startMining()} starts the
 * hashing threads; {@link #stop()} ends both. It reconnects by itself with exponential backoff and obeys the pool's
 * Reconnect. Thread-safe.
 *
 * <pre>{@code
 * try (StratumV2Miner miner = StratumV2Miner.builder(pool.sv2Url()).user("alice.rig1").threads(2).build())
 * {
 *     miner.connect();
 *     miner.startMining();
 *     ...
 * }
 * }</pre>
 */
public final class StratumV2Miner implements AutoCloseable
{
    private final MinerConfig config;
    private final MinerClient client;
    private final List<MinerListener> listeners;
    private final long connectTimeoutMs;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** One delivery thread per listener: the session thread only counts and enqueues. */
    private final List<MinerListenerDelivery> deliveries;
    private boolean started;

    private StratumV2Miner(final Builder b, final MinerConfig config)
    {
        this.config = config;
        this.listeners = List.copyOf(b.listeners);
        this.connectTimeoutMs = b.connectTimeoutMs;
        this.client = new MinerClient(config);
        client.mining(false);
        final List<MinerListenerDelivery> d = new ArrayList<>(listeners.size());
        for (int i = 0; i < listeners.size(); i++)
        {
            d.add(new MinerListenerDelivery(listeners.get(i), i, failures, dropped));
        }
        this.deliveries = List.copyOf(d);
        if (!listeners.isEmpty())
        {
            client.events(new Events());
        }
    }

    /**
     * A builder for a pool URL: {@code stratum2+tcp://HOST:PORT/AUTHORITY_KEY} or {@code tcp://HOST:PORT} with
     * {@link Builder#authorityKey(String)} (Stratum V2), {@code quic://HOST:PORT[/AUTHORITY_KEY]} (Stratum V2 over
     * QUIC: a control stream and the channel on its own stream), {@code stratum+tcp://HOST:PORT} (Stratum V1).
     */
    public static Builder builder(final String poolUrl)
    {
        return new Builder(poolUrl);
    }

    /**
     * Starts the session and waits until the pool has given work (or the connect timeout passed; the miner then keeps
     * trying in the background). Does not hash until {@link #startMining()}.
     *
     * @return true when connected with work, false when the timeout passed first
     * @throws IllegalStateException when the pool is certified by another authority (no retry can fix that)
     */
    public boolean connect() throws InterruptedException
    {
        synchronized (this)
        {
            if (!started)
            {
                started = true;
                client.start();
            }
        }
        final long deadline = System.nanoTime() + connectTimeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (client.failure() != null)
            {
                throw new IllegalStateException("the pool is not certified by authority " +
                    AuthorityKeys.encodePublic(config.authorityPublicKey()) + ": " + client.failure().getMessage(),
                    client.failure());
            }
            if (client.connected() && client.stats().jobs.sum() > 0)
            {
                return true;
            }
            if (client.awaitStopped(10))
            {
                return false;
            }
        }
        return false;
    }

    /**
     * Asks the pool for this miner's merged-mining account per chain (SV2 extension 0x4D4D, README "Merged-mining
     * account extension") every {@code intervalMs} (0: the pool's default); each chain's account goes to
     * {@code listener}, on a reader thread. Call before connecting. A pool that does not offer it is logged and mined
     * with as usual.
     */
    public StratumV2Miner mergeMiningAccount(final long intervalMs,
        final java.util.function.Consumer<org.bitcoincommons.sv2.codec.ext.MergeMiningAccount> listener)
    {
        client.mergeMiningAccount(intervalMs, listener);
        return this;
    }

    /** Starts (or resumes) the hashing threads; connects first when {@link #connect()} was not called. */
    public void startMining() throws InterruptedException
    {
        synchronized (this)
        {
            if (!started)
            {
                started = true;
                client.start();
            }
        }
        client.mining(true);
    }

    /** Pauses the hashing threads; the session and its work are kept. */
    public void pauseMining()
    {
        client.mining(false);
    }

    /**
     * Stops hashing and closes the session, then lets each listener hear what is still queued (waiting at most a
     * second for a listener that is stuck). Idempotent.
     */
    public void stop()
    {
        client.close();
        for (final MinerListenerDelivery d : deliveries)
        {
            d.close(LISTENER_CLOSE_WAIT_MS);
        }
    }

    /** How long {@link #stop()} waits for one listener to hear its last events. */
    private static final long LISTENER_CLOSE_WAIT_MS = 1000;

    @Override
    public void close()
    {
        stop();
    }

    /** True while a session is set up. */
    public boolean connected()
    {
        return client.connected();
    }

    public long sharesSubmitted()
    {
        return client.stats().sharesSubmitted.sum();
    }

    public long sharesAccepted()
    {
        return client.stats().sharesAccepted.sum();
    }

    public long sharesRejected()
    {
        return client.stats().sharesRejected.sum();
    }

    /** Rejected shares by the pool's error code. */
    public java.util.Map<String, Long> rejectReasons()
    {
        final java.util.Map<String, Long> out = new java.util.TreeMap<>();
        client.stats().rejectReasons.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** True when this miner speaks Stratum V1. */
    public boolean sv1()
    {
        return config.sv1();
    }

    /** The authority key the pool's certificate is checked against (base58check), or null (SV1, or insecure). */
    public String authorityKey()
    {
        return config.authorityPublicKey() == null ? null : AuthorityKeys.encodePublic(config.authorityPublicKey());
    }

    /** Nonces scanned so far. */
    public long hashes()
    {
        return client.stats().hashes.sum();
    }

    /** The hashrate announced to the pool, H/s (measured at start unless given). */
    public double nominalHashrate()
    {
        return client.nominalHashrate();
    }

    /** The pool's address. */
    public InetSocketAddress pool()
    {
        return config.pool();
    }

    /** Listener calls that threw. */
    public long listenerFailures()
    {
        return failures.get();
    }

    /**
     * Listener events dropped because a listener was so far behind that its queue (4096 jobs,
     * rejections and connection events) was full; accepted-share counts
     * are summed, never dropped.
     */
    public long listenerEventsDropped()
    {
        return dropped.get();
    }

    /**
     * Waits until the miner has stopped by itself (the pool proved certified by another authority) or was stopped.
     *
     * @return true when stopped, false when {@code timeoutMs} passed first
     */
    public boolean awaitStopped(final long timeoutMs) throws InterruptedException
    {
        return client.awaitStopped(timeoutMs);
    }

    /** Why the miner stopped by itself, or null. */
    public Exception failure()
    {
        return client.failure();
    }

    /** Hands the miner's events (on its session thread) to the listeners' delivery threads; never blocks. */
    private final class Events implements MinerEvents
    {
        @Override
        public void connected(final int session)
        {
            for (final MinerListenerDelivery d : deliveries)
            {
                d.connected(session);
            }
        }

        @Override
        public void disconnected(final String reason)
        {
            for (final MinerListenerDelivery d : deliveries)
            {
                d.disconnected(reason);
            }
        }

        @Override
        public void job(final int jobId)
        {
            for (final MinerListenerDelivery d : deliveries)
            {
                d.job(jobId);
            }
        }

        @Override
        public void sharesAccepted(final long count)
        {
            for (int i = 0; i < deliveries.size(); i++)
            {
                deliveries.get(i).sharesAccepted(count);
            }
        }

        @Override
        public void shareRejected(final String reason)
        {
            for (final MinerListenerDelivery d : deliveries)
            {
                d.shareRejected(reason);
            }
        }
    }

    /** Configures a {@link StratumV2Miner}. */
    public static final class Builder
    {
        private final String url;
        private String authorityKey;
        private boolean insecure;
        private String user = "miner";
        private int threads = 1;
        private boolean extended;
        private double nominalHashrate;
        private String hashImpl = "auto";
        private long backoffMinMs = 500;
        private long backoffMaxMs = 30_000;
        private long handshakeTimeoutMs = 10_000;
        private long connectTimeoutMs = 10_000;
        private final List<MinerListener> listeners = new ArrayList<>();

        private Builder(final String url)
        {
            this.url = url;
        }

        /** The pool's authority public key (base58check), when the URL does not carry it. */
        public Builder authorityKey(final String key)
        {
            this.authorityKey = key;
            return this;
        }

        /** Skips the certificate check (no authority key): only for a pool you trust by other means. */
        public Builder insecure()
        {
            this.insecure = true;
            return this;
        }

        /** The channel's user identity (e.g. "alice.rig1"). */
        public Builder user(final String identity)
        {
            this.user = identity;
            return this;
        }

        /** Hashing threads, 0..1024 (0: connect and follow work without hashing). */
        public Builder threads(final int n)
        {
            this.threads = n;
            return this;
        }

        /** An extended channel (the miner rolls extranonce) instead of a standard one; SV2 only. */
        public Builder extended(final boolean on)
        {
            this.extended = on;
            return this;
        }

        /** The hashrate to announce, H/s (default: measured at start). */
        public Builder nominalHashrate(final double hashesPerSecond)
        {
            this.nominalHashrate = hashesPerSecond;
            return this;
        }

        /** The hashing kernel: "auto", "ffm", "jna" or "java". */
        public Builder hashImpl(final String impl)
        {
            this.hashImpl = impl;
            return this;
        }

        /** Reconnect backoff: first delay, doubled up to {@code maxMs}. */
        public Builder backoff(final long minMs, final long maxMs)
        {
            this.backoffMinMs = minMs;
            this.backoffMaxMs = maxMs;
            return this;
        }

        /** How long {@link StratumV2Miner#connect()} waits for work (default 10 s). */
        public Builder connectTimeoutMs(final long ms)
        {
            this.connectTimeoutMs = ms;
            return this;
        }

        public Builder listener(final MinerListener listener)
        {
            listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The miner, not connected.
         *
         * @throws IllegalArgumentException naming what is wrong with the URL, key or settings
         */
        public StratumV2Miner build()
        {
            return new StratumV2Miner(this, config());
        }

        private MinerConfig config()
        {
            if (threads < 0 || threads > 1024)
            {
                throw new IllegalArgumentException("threads must be 0..1024, got " + threads);
            }
            if (!hashImpl.matches("auto|ffm|jna|java"))
            {
                throw new IllegalArgumentException("hash implementation must be auto, ffm, jna or java, got " + hashImpl);
            }
            final InetSocketAddress address = MinerConfig.parsePoolUrl(url);
            if (MinerConfig.isSv1Url(url))
            {
                if (authorityKey != null || extended)
                {
                    throw new IllegalArgumentException((authorityKey != null ? "an authority key" : "an extended channel")
                        + " does not apply to a Stratum V1 pool (stratum+tcp://): it has no authority key and chooses "
                        + "the channel itself");
                }
                return new MinerConfig(address, null, user, threads, false, nominalHashrate, hashImpl, backoffMinMs,
                    backoffMaxMs, handshakeTimeoutMs, true);
            }
            String key = authorityKey;
            final String scheme = MinerConfig.isQuicUrl(url) ? "quic://" : "stratum2+tcp://";
            if (key == null && url.startsWith(scheme) && url.indexOf('/', scheme.length()) > 0)
            {
                key = url.substring(url.indexOf('/', scheme.length()) + 1);
            }
            byte[] pub = null;
            if (key != null && !key.isEmpty())
            {
                pub = AuthorityKeys.decodePublic(key);
            }
            else if (!insecure)
            {
                throw new IllegalArgumentException("the pool's authority key is required to verify it: give it in the "
                    + "URL (stratum2+tcp://HOST:PORT/KEY) or with authorityKey(), or call insecure()");
            }
            return new MinerConfig(address, pub, user, threads, extended, nominalHashrate, hashImpl, backoffMinMs,
                backoffMaxMs, handshakeTimeoutMs, false, MinerConfig.isQuicUrl(url));
        }
    }
}
