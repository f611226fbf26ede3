package org.bitcoincommons.sv2.jd;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mining job tokens, shared by the JDS (which issues them) and the pool's mining side (which takes them in
 * SetCustomMiningJob). As SRI: a token is a u64 from one counter, sent as 8 bytes little-endian.
 * <ul>
 * <li>An <em>allocated</em> token (AllocateMiningJobToken.Success) is bound to the JDS connection that asked, expires
 *     after the configured lifetime, and is spent by one DeclareMiningJob (or, in Coinbase-only mode, by one
 *     SetCustomMiningJob).</li>
 * <li>An <em>active</em> token (DeclareMiningJob.Success) names one declaration, is single-use and expires after a
 *     short time (10 s by default).</li>
 * </ul>
 * All of a connection's tokens go when it closes. Thread-safe.
 */
public final class JobTokens
{
    private record Allocated(long connectionId, long expiresMs, boolean coinbaseOnly)
    {
    }

    private record Active(Declaration declaration, long expiresMs)
    {
    }

    /** What SetCustomMiningJob's token names: a declaration, or a Coinbase-only allocation (declaration null). */
    public record Taken(Declaration declaration)
    {
    }

    private final AtomicLong next = new AtomicLong(1);
    private final Map<Long, Allocated> allocated = new ConcurrentHashMap<>();
    private final Map<Long, Active> active = new ConcurrentHashMap<>();
    private final long allocatedLifetimeMs;
    private final long activeLifetimeMs;

    public JobTokens(final long allocatedLifetimeMs, final long activeLifetimeMs)
    {
        this.allocatedLifetimeMs = allocatedLifetimeMs;
        this.activeLifetimeMs = activeLifetimeMs;
    }

    public static byte[] encode(final long token)
    {
        final byte[] b = new byte[8];
        for (int i = 0; i < 8; i++)
        {
            b[i] = (byte)(token >>> (8 * i));
        }
        return b;
    }

    /** The token in these bytes, or -1 when they are not 8 bytes. */
    public static long decode(final byte[] b)
    {
        if (b == null || b.length != 8)
        {
            return -1;
        }
        long v = 0;
        for (int i = 7; i >= 0; i--)
        {
            v = v << 8 | (b[i] & 0xffL);
        }
        return v;
    }

    /** A new allocated token for {@code connectionId}. */
    public byte[] allocate(final long connectionId, final boolean coinbaseOnly, final long nowMs)
    {
        final long t = next.getAndIncrement();
        allocated.put(t, new Allocated(connectionId, nowMs + allocatedLifetimeMs, coinbaseOnly));
        return encode(t);
    }

    /** Spends an allocated token for a DeclareMiningJob of {@code connectionId}; false when it is not valid. */
    public boolean spendAllocated(final byte[] token, final long connectionId, final long nowMs)
    {
        final long t = decode(token);
        final Allocated a = allocated.get(t);
        if (a == null || a.connectionId != connectionId || a.expiresMs < nowMs)
        {
            return false;
        }
        return allocated.remove(t, a);
    }

    /** Issues the single-use active token of an accepted declaration. */
    public byte[] activate(final Declaration d, final long nowMs)
    {
        final long t = next.getAndIncrement();
        active.put(t, new Active(d, nowMs + activeLifetimeMs));
        return encode(t);
    }

    /**
     * Takes the token of a SetCustomMiningJob: an active token (its declaration), or a Coinbase-only allocated one.
     * Spent either way; null when unknown, expired or already spent.
     */
    public Taken take(final byte[] token, final long nowMs)
    {
        final long t = decode(token);
        final Active a = active.remove(t);
        if (a != null)
        {
            return a.expiresMs >= nowMs ? new Taken(a.declaration) : null;
        }
        final Allocated c = allocated.get(t);
        if (c != null && c.coinbaseOnly && c.expiresMs >= nowMs && allocated.remove(t, c))
        {
            return new Taken(null);
        }
        return null;
    }

    /** Drops every token of a closed connection. */
    public void connectionClosed(final long connectionId)
    {
        allocated.values().removeIf(a -> a.connectionId == connectionId);
        active.values().removeIf(a -> a.declaration.connectionId() == connectionId);
    }

    /** Drops expired tokens (the janitor). */
    public void sweep(final long nowMs)
    {
        for (final Iterator<Allocated> it = allocated.values().iterator(); it.hasNext(); )
        {
            if (it.next().expiresMs < nowMs)
            {
                it.remove();
            }
        }
        for (final Iterator<Active> it = active.values().iterator(); it.hasNext(); )
        {
            if (it.next().expiresMs < nowMs)
            {
                it.remove();
            }
        }
    }

    /** Tokens held (allocated plus active), for tests and metrics. */
    public int size()
    {
        return allocated.size() + active.size();
    }
}
