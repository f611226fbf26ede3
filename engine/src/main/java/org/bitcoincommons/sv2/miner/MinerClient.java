package org.bitcoincommons.sv2.miner;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.hash.HashBackend;
import org.bitcoincommons.sv2.hash.HashBackends;
import org.bitcoincommons.sv2.noise.NoiseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SV2 miner: connects to a pool over Noise NX (verifying its certificate against the authority key), opens a
 * standard or extended channel, scans nonces with the hashing kernel on its own threads and submits the shares that
 * meet the channel's target. It follows new jobs, prev hashes and targets, reconnects with exponential backoff and
 * obeys Reconnect. A pool whose certificate is not signed by the configured authority is never retried: the miner
 * stops, and {@link #failure()} says why.
 */
public final class MinerClient implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(MinerClient.class);
    /** Nonces per kernel call: short enough to notice new work within milliseconds. */
    private static final long CHUNK = 1 << 20;
    private static final int MAX_FOUND = 64;
    /** BIP323 version bits a miner may roll; thread and sweep numbers go into bits 13..28. */
    static final int ROLL_MASK = 0x1fffe000;

    private final MinerConfig config;
    private final MinerStats stats = new MinerStats();
    private final List<Thread> hashers = new ArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile boolean running;
    private volatile Work work;
    private volatile Session session;
    private volatile InetSocketAddress redirect;
    private volatile double nominalHashrate;
    private Thread sessionThread;
    /** Why the miner stopped by itself (a fault no retry can fix), or null. */
    private volatile NoiseException failure;
    /** Counted down when the session loop has ended, by {@link #close()} or by a {@link #failure()}. */
    private final CountDownLatch ended = new CountDownLatch(1);
    /** Told of sessions, work and share verdicts (the public engine API); NONE by default. */
    private volatile MinerEvents events = MinerEvents.NONE;
    /** False: connected and following work, but the hashing threads idle (the engine API's connect-then-mine). */
    private volatile boolean mining = true;
    /** The session that has been announced as connected, and how many have been. */
    private Session announced;
    private int sessions;

    /** The requested interval of merged-mining account updates, ms (0: the pool's default), or -1: not asked for. */
    private volatile long accountIntervalMs = -1;
    private volatile java.util.function.Consumer<org.bitcoincommons.sv2.codec.ext.MergeMiningAccount> accountListener =
        a -> { };

    /**
     * Asks the pool for this miner's merged-mining account per chain (extension 0x4D4D), every {@code intervalMs}
     * (0: the pool's default); each chain's account of each update goes to {@code listener} (on a reader thread).
     * Call before {@link #start()}. A pool that does not offer the extension is logged and mined with as usual.
     */
    public MinerClient mergeMiningAccount(final long intervalMs,
        final java.util.function.Consumer<org.bitcoincommons.sv2.codec.ext.MergeMiningAccount> listener)
    {
        if (intervalMs < 0)
        {
            throw new IllegalArgumentException("interval must be >= 0 ms, got " + intervalMs);
        }
        this.accountIntervalMs = intervalMs;
        this.accountListener = listener;
        return this;
    }

    long accountIntervalMs()
    {
        return accountIntervalMs;
    }

    void account(final org.bitcoincommons.sv2.codec.ext.MergeMiningAccount a)
    {
        accountListener.accept(a);
    }

    public MinerClient(final MinerConfig config)
    {
        this.config = config;
    }

    /** Sets who is told of sessions, work and share verdicts; call before {@link #start()}. */
    public MinerClient events(final MinerEvents observer)
    {
        this.events = observer == null ? MinerEvents.NONE : observer;
        stats.events = this.events;
        return this;
    }

    /** Whether the hashing threads scan (true by default); false keeps the session and work, idles the threads. */
    public void mining(final boolean on)
    {
        this.mining = on;
    }

    /** Who is told of sessions, work and share verdicts. */
    MinerEvents events()
    {
        return events;
    }

    public MinerStats stats()
    {
        return stats;
    }

    public MinerConfig config()
    {
        return config;
    }

    /** The work the hashing threads are on (null before the first job). */
    Work work()
    {
        return work;
    }

    /**
     * The fault that stopped the miner by itself, or null while it runs or after a plain {@link #close()}: today a
     * pool certificate not signed by the authority key ({@link NoiseException.Reason#CERT_BAD_SIGNATURE}), which no
     * reconnect can fix.
     */
    public NoiseException failure()
    {
        return failure;
    }

    /**
     * Waits until the miner has stopped (closed, or stopped by a {@link #failure()}).
     *
     * @return true when it has stopped, false when {@code timeoutMs} passed first
     */
    public boolean awaitStopped(final long timeoutMs) throws InterruptedException
    {
        return ended.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public boolean connected()
    {
        final Session s = session;
        return s != null && s.ready();
    }

    public synchronized void start()
    {
        if (running)
        {
            return;
        }
        running = true;
        nominalHashrate = config.nominalHashrate() > 0 ? config.nominalHashrate()
            : config.threads() == 0 ? 1.0 : measureHashrate(config.hashImpl(), config.threads());
        for (int i = 0; i < config.threads(); i++)
        {
            final int index = i;
            final Thread t = Thread.ofPlatform().daemon().name("sv2-hash-" + i).start(() -> hashLoop(index));
            hashers.add(t);
        }
        sessionThread = Thread.ofVirtual().name("sv2-miner-session").start(this::sessionLoop);
    }

    private void sessionLoop()
    {
        try
        {
            runSessions();
        }
        finally
        {
            ended.countDown();
        }
    }

    private void runSessions()
    {
        InetSocketAddress target = config.pool();
        long backoff = config.backoffMinMs();
        while (running)
        {
            final Session s = config.sv1() ? new Sv1MinerSession(this, target, config)
                : new MinerSession(this, target, config, nominalHashrate);
            session = s;
            try
            {
                stats.connects.increment();
                s.run();
            }
            catch (final Exception ex)
            {
                if (ex instanceof NoiseException n && n.reason() == NoiseException.Reason.CERT_BAD_SIGNATURE)
                {
                    // Another authority signed this pool's certificate: retrying cannot fix that. The owner reports it.
                    failure = n;
                    running = false;
                    LOG.debug("miner: {} is not certified by the configured authority: {}", target, n.getMessage());
                }
                else if (running)
                {
                    LOG.info("miner: connection to {} ended: {}", target, ex.getMessage() == null ? ex.toString() : ex.getMessage());
                }
            }
            finally
            {
                s.close();
                stats.disconnects.increment();
                work = null;
                if (announced == s)
                {
                    events.disconnected(running ? "connection ended" : "stopped");
                }
            }
            if (!running)
            {
                return;
            }
            final InetSocketAddress next = redirect;
            if (next != null)
            {
                redirect = null;
                target = next;
                backoff = config.backoffMinMs();
                LOG.info("miner: reconnecting to {} as the pool asked", target);
                continue;
            }
            if (s.ready())
            {
                backoff = config.backoffMinMs();
            }
            LockSupport.parkNanos(backoff * 1_000_000L);
            backoff = Math.min(backoff * 2, config.backoffMaxMs());
        }
    }

    /** Called by the session when the pool sends Reconnect. */
    void redirect(final InetSocketAddress address)
    {
        redirect = address;
    }

    /** Called by the session: new work for the hashing threads. */
    void publish(final Work w)
    {
        work = w;
        stats.jobs.increment();
        final Session s = session;
        if (s != announced)
        {
            announced = s;
            events.connected(++sessions);
        }
        events.job(w.jobId());
    }

    int nextSequence()
    {
        return sequence.incrementAndGet();
    }

    private void hashLoop(final int index)
    {
        final HashBackend scanner = HashBackends.create(config.hashImpl());
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment prefix = arena.allocate(76);
            final MemorySegment target = arena.allocate(32);
            final MemorySegment found = arena.allocate(4L * MAX_FOUND);
            final byte[] header = new byte[76];
            final ByteBuffer hb = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            final Sha256d sha = new Sha256d();
            long roll = index;
            while (running)
            {
                final Work w = work;
                final Session s = session;
                if (w == null || s == null || !mining)
                {
                    LockSupport.parkNanos(20_000_000L);
                    continue;
                }
                // Each thread and sweep rolls different version bits (or extranonce), so no two scan the same headers.
                final int mask = w.rollMask();
                final int version = (w.version() & ~mask) | (((w.version() & mask) ^ (int)(roll << 13)) & mask);
                final byte[] extranonce;
                final byte[] root;
                if (w.merkleRoot() != null)
                {
                    extranonce = null;
                    root = w.merkleRoot();
                }
                else
                {
                    extranonce = new byte[w.extranonceSize()];
                    for (int b = 0; b < Math.min(8, extranonce.length); b++)
                    {
                        extranonce[extranonce.length - 1 - b] = (byte)(roll >>> (8 * b));
                    }
                    root = extendedRoot(sha, w, extranonce);
                }
                final int ntime = (int)Math.max(Integer.toUnsignedLong(w.minNtime()), System.currentTimeMillis() / 1000);
                hb.clear();
                hb.putInt(version).put(w.prevHash()).put(root).putInt(ntime).putInt(w.nbits());
                MemorySegment.copy(MemorySegment.ofArray(header), 0, prefix, 0, 76);
                MemorySegment.copy(MemorySegment.ofArray(w.target()), 0, target, 0, 32);
                long done = 0;
                while (running && mining && work == w && done <= 0xFFFF_FFFFL - CHUNK)
                {
                    final int start = (int)done;
                    final int n = scanner.scan(prefix, start, CHUNK, target, found, MAX_FOUND);
                    long scanned = CHUNK;
                    if (n == MAX_FOUND)
                    {
                        scanned = Integer.toUnsignedLong(found.getAtIndex(ValueLayout.JAVA_INT, n - 1)) - done + 1;
                    }
                    for (int i = 0; i < n; i++)
                    {
                        s.submit(w, found.getAtIndex(ValueLayout.JAVA_INT, i), ntime, version, extranonce);
                    }
                    done += scanned;
                    stats.hashes.add(scanned);
                }
                roll += config.threads();
            }
        }
    }

    private static byte[] extendedRoot(final Sha256d sha, final Work w, final byte[] extranonce)
    {
        final byte[] cb = new byte[w.coinbasePrefix().length + extranonce.length + w.coinbaseSuffix().length];
        System.arraycopy(w.coinbasePrefix(), 0, cb, 0, w.coinbasePrefix().length);
        System.arraycopy(extranonce, 0, cb, w.coinbasePrefix().length, extranonce.length);
        System.arraycopy(w.coinbaseSuffix(), 0, cb, w.coinbasePrefix().length + extranonce.length, w.coinbaseSuffix().length);
        final byte[] root = new byte[32];
        Merkle.coinbaseRoot(sha, cb, 0, cb.length, w.merklePath(), 0, w.merklePath().length / 32, root, 0);
        return root;
    }

    /** Hashes per second of this machine with the given kernel and threads (a short scan on one thread, scaled). */
    public static double measureHashrate(final String hashImpl, final int threads)
    {
        final HashBackend scanner = HashBackends.create(hashImpl);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment prefix = arena.allocate(76);
            final MemorySegment target = arena.allocate(32);
            final MemorySegment found = arena.allocate(4L * MAX_FOUND);
            final long count = 1 << 20;
            scanner.scan(prefix, 0, count, target, found, MAX_FOUND);
            final long t0 = System.nanoTime();
            scanner.scan(prefix, 0, count, target, found, MAX_FOUND);
            final double perThread = count / ((System.nanoTime() - t0) / 1e9);
            return perThread * threads;
        }
    }

    public double nominalHashrate()
    {
        return nominalHashrate;
    }

    @Override
    public synchronized void close()
    {
        running = false;
        final Session s = session;
        if (s != null)
        {
            s.close();
        }
        if (sessionThread != null)
        {
            sessionThread.interrupt();
        }
        else
        {
            ended.countDown();
        }
        for (final Thread t : hashers)
        {
            try
            {
                t.join(2000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void closeQuietly(final Socket s)
    {
        try
        {
            s.close();
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }
}
