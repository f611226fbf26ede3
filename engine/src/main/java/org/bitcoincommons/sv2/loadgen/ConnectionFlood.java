package org.bitcoincommons.sv2.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection flood from one source address (e.g. 127.0.0.2, another address of the loopback network, so that the
 * pool's per-address limits see it apart from the miners on 127.0.0.1): a burst of TCP connections opened as fast as
 * one thread can, none of which ever sends a byte, held for a while and then closed. After the burst each connection
 * is probed, twice: one the pool reset at accept (a limit) reads end-of-stream or a reset; one it accepted is still
 * open at the second probe, waiting for its Noise act 1.
 */
public final class ConnectionFlood
{
    private final InetSocketAddress pool;
    private final InetAddress from;
    private long attempted;
    private long connectFailed;
    private long resetByPool;
    private long held;

    public ConnectionFlood(final InetSocketAddress pool, final InetAddress from)
    {
        this.pool = pool;
        this.from = from;
    }

    /**
     * Opens {@code n} connections, waits {@code settleMs} for the pool to act on them, probes each, holds the
     * accepted ones until {@code holdMs} after the burst, then closes everything.
     */
    public void burst(final int n, final long settleMs, final long holdMs) throws InterruptedException
    {
        final List<Socket> sockets = new ArrayList<>(n);
        final long start = System.nanoTime();
        try
        {
            for (int i = 0; i < n; i++)
            {
                final Socket s = new Socket();
                attempted++;
                try
                {
                    s.bind(new InetSocketAddress(from, 0));
                    s.connect(pool, 2_000);
                    sockets.add(s);
                }
                catch (final IOException ex)
                {
                    connectFailed++;
                    closeQuietly(s);
                }
            }
            Thread.sleep(settleMs);
            // Two passes: a connection still in the pool's listen backlog when first probed (its acceptor behind the
            // burst, or the machine busy) reads as open although the pool will reset it; probed again a moment
            // later, after the pool has caught up, only the ones it really keeps are still open. One pass counted
            // such late resets as held (2,317 "held" against the 2,316 the pool's own counter kept).
            final List<Socket> open = probe(sockets);
            Thread.sleep(Math.max(100, settleMs / 2));
            held += probe(open).size();
            final long left = holdMs - (System.nanoTime() - start) / 1_000_000L;
            if (left > 0)
            {
                Thread.sleep(left);
            }
        }
        finally
        {
            for (final Socket s : sockets)
            {
                closeQuietly(s);
            }
        }
    }

    /**
     * Reads each socket for at most a millisecond: one that ends (end of stream or a reset) was reset by the pool and
     * is counted; returns the ones still open (nothing to read, or the pool sent something unasked).
     */
    private List<Socket> probe(final List<Socket> sockets)
    {
        final List<Socket> open = new ArrayList<>();
        final byte[] one = new byte[1];
        for (final Socket s : sockets)
        {
            try
            {
                s.setSoTimeout(1);
                final InputStream in = s.getInputStream();
                if (in.read(one) < 0)
                {
                    resetByPool++;
                }
                else
                {
                    open.add(s);
                }
            }
            catch (final SocketTimeoutException ex)
            {
                open.add(s);
            }
            catch (final IOException ex)
            {
                resetByPool++;
            }
        }
        return open;
    }

    private static void closeQuietly(final Socket s)
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

    public long attempted()
    {
        return attempted;
    }

    public long connectFailed()
    {
        return connectFailed;
    }

    /** Connections the pool reset right after accepting them (refused by a limit). */
    public long resetByPool()
    {
        return resetByPool;
    }

    /** Connections the pool kept (waiting for their handshake) when probed. */
    public long held()
    {
        return held;
    }
}
