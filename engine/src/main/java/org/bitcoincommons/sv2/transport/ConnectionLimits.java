package org.bitcoincommons.sv2.transport;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits at accept, per source address and pool-wide, shared by every listener of a pool (SV2, SV1, Template
 * Provider): at most {@code maxPerIp} open connections from one address; new connections from one address at most
 * {@code ratePerSec} a second with bursts of {@code burst} (a token bucket); at most {@code maxUnauthenticated}
 * connections pool-wide that have not finished their handshake (Noise and SetupConnection, or SV1 subscribe and
 * authorize). A connection past a limit is closed at accept, before any byte is read, counted by reason, and logged
 * once when its address starts being refused and once when it is accepted again. Any thread.
 */
public final class ConnectionLimits
{
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);
    /** Addresses remembered with no open connection before the table is swept. */
    private static final int SWEEP_AT = 65_536;

    /** Why a connection was refused. */
    public enum Reason
    {
        PER_IP("per_ip"), RATE("rate"), UNAUTHENTICATED("unauthenticated");

        private final String label;

        Reason(final String label)
        {
            this.label = label;
        }

        public String label()
        {
            return label;
        }
    }

    /** One admitted connection: say when it is authenticated, and close it once. */
    public final class Ticket
    {
        private final PerIp ip;
        private boolean authenticated;
        private boolean closed;

        private Ticket(final PerIp ip)
        {
            this.ip = ip;
        }

        /** The connection finished its handshake: it no longer counts as unauthenticated. Idempotent. */
        public synchronized void authenticated()
        {
            if (!authenticated && !closed)
            {
                authenticated = true;
                unauthenticated.decrementAndGet();
            }
        }

        /** The connection is gone. Idempotent. */
        public synchronized void close()
        {
            if (closed)
            {
                return;
            }
            closed = true;
            if (!authenticated)
            {
                unauthenticated.decrementAndGet();
            }
            ip.open.decrementAndGet();
        }
    }

    private static final class PerIp
    {
        final AtomicInteger open = new AtomicInteger();
        double tokens;
        long refilledNs;
        boolean refusing;

        PerIp(final double burst, final long nowNs)
        {
            tokens = burst;
            refilledNs = nowNs;
        }
    }

    private final int maxPerIp;
    private final double ratePerSec;
    private final double burst;
    private final int maxUnauthenticated;
    private final Map<InetAddress, PerIp> perIp = new ConcurrentHashMap<>();
    private final AtomicInteger unauthenticated = new AtomicInteger();
    private final LongAdder[] refused = new LongAdder[Reason.values().length];

    /**
     * @param maxPerIp           open connections from one address
     * @param ratePerSec         new connections per second from one address (sustained)
     * @param burst              new connections from one address at once
     * @param maxUnauthenticated connections pool-wide still in their handshake
     */
    public ConnectionLimits(final int maxPerIp, final double ratePerSec, final double burst, final int maxUnauthenticated)
    {
        this.maxPerIp = maxPerIp;
        this.ratePerSec = ratePerSec;
        this.burst = Math.max(1.0, burst);
        this.maxUnauthenticated = maxUnauthenticated;
        for (int i = 0; i < refused.length; i++)
        {
            refused[i] = new LongAdder();
        }
    }

    /** No limit at all (tests and tools). */
    public static ConnectionLimits none()
    {
        return new ConnectionLimits(Integer.MAX_VALUE, Double.POSITIVE_INFINITY, Double.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** A ticket for a new connection from {@code address}, or null when a limit refuses it (counted and logged). */
    public Ticket admit(final InetAddress address, final long nowNs)
    {
        if (perIp.size() > SWEEP_AT)
        {
            sweep(nowNs);
        }
        final PerIp ip = perIp.computeIfAbsent(address, a -> new PerIp(burst, nowNs));
        final Reason why;
        synchronized (ip)
        {
            if (unauthenticated.get() >= maxUnauthenticated)
            {
                why = Reason.UNAUTHENTICATED;
            }
            else if (ip.open.get() >= maxPerIp)
            {
                why = Reason.PER_IP;
            }
            else
            {
                refill(ip, nowNs);
                if (ip.tokens < 1.0)
                {
                    why = Reason.RATE;
                }
                else
                {
                    ip.tokens -= 1.0;
                    why = null;
                }
            }
            if (why != null)
            {
                refused[why.ordinal()].increment();
                if (!ip.refusing)
                {
                    ip.refusing = true;
                    LOG.warn("refusing connections from {}: {} (limits: {} open per address, {}/s with bursts of {}, " +
                        "{} unauthenticated in all; now {} open from it, {} unauthenticated)", address.getHostAddress(),
                        why.label(), maxPerIp, ratePerSec, burst, maxUnauthenticated, ip.open.get(), unauthenticated.get());
                }
                return null;
            }
            if (ip.refusing)
            {
                ip.refusing = false;
                LOG.info("accepting connections from {} again", address.getHostAddress());
            }
            ip.open.incrementAndGet();
            unauthenticated.incrementAndGet();
        }
        return new Ticket(ip);
    }

    /**
     * Adds the tokens earned since the last refill. The listeners' accept threads read the clock before they take the
     * address's lock, so a reading may be older than the last refill (another listener's, taken later and admitted
     * first): such a reading earns nothing and takes nothing back, and the bucket's time never moves backwards (a
     * negative interval at a high rate would have emptied the bucket and refused a connection no limit refuses).
     */
    private void refill(final PerIp ip, final long nowNs)
    {
        final long elapsedNs = nowNs - ip.refilledNs;
        if (elapsedNs <= 0)
        {
            return;
        }
        if (Double.isInfinite(ratePerSec))
        {
            ip.tokens = burst;
        }
        else
        {
            ip.tokens = Math.min(burst, ip.tokens + ratePerSec * elapsedNs / 1e9);
        }
        ip.refilledNs = nowNs;
    }

    /** Forgets addresses with no open connection whose bucket is full again (nothing left to remember). */
    private void sweep(final long nowNs)
    {
        perIp.entrySet().removeIf(e ->
        {
            final PerIp ip = e.getValue();
            synchronized (ip)
            {
                refill(ip, nowNs);
                return ip.open.get() == 0 && ip.tokens >= burst && !ip.refusing;
            }
        });
    }

    public long refused(final Reason reason)
    {
        return refused[reason.ordinal()].sum();
    }

    public int unauthenticated()
    {
        return unauthenticated.get();
    }
}
