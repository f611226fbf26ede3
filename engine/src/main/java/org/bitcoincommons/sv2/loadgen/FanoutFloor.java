package org.bitcoincommons.sv2.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor of a broadcast on this machine: on a trigger, a plain TCP server writes the same number of bytes to every
 * one of N connections, and each client stamps when its bytes have arrived. Nothing is encrypted, encoded or
 * computed: it is what the pool does when a new tip reaches it (a few frames to every connection, each written by that
 * connection's own writer thread), with the pool's work taken out. {@code bin/sv2 bench tip} runs it beside the pool
 * with the same connections and the same bytes per connection.
 * <p>
 * Server: one virtual thread per connection reads (a byte from any connection is a trigger) and one virtual writer per
 * connection parks until the trigger unparks it, as the pool's writers wait for their outbound queue.
 */
public final class FanoutFloor
{
    /** The one byte a server writes first on each connection, once its writer is in place. */
    private static final int HELLO = 0x5a;

    private FanoutFloor()
    {
    }

    /**
     * Serves until the process ends: every byte received on any connection makes every connection's writer send
     * {@code bytes} bytes once.
     */
    public static ServerSocket serve(final InetSocketAddress address, final int bytes) throws IOException
    {
        final ServerSocket server = new ServerSocket();
        server.bind(address, 4096);
        final List<Writer> writers = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().name("fanout-accept").start(() ->
        {
            while (!server.isClosed())
            {
                final Socket s;
                try
                {
                    s = server.accept();
                    s.setTcpNoDelay(true);
                }
                catch (final IOException ex)
                {
                    return;
                }
                final Writer w = new Writer(s, bytes);
                // the thread is known before the writer can say hello: a trigger that comes once the client has its
                // hello must find a thread to unpark, or its fan-out waits for the next one
                w.thread = Thread.ofVirtual().unstarted(w::run);
                writers.add(w);
                w.thread.start();
                Thread.ofVirtual().start(() ->
                {
                    triggers(s, writers);
                    // the client went away: this connection's socket and writer go too
                    writers.remove(w);
                    try
                    {
                        s.close();
                    }
                    catch (final IOException ignored)
                    {
                        // closing anyway
                    }
                    LockSupport.unpark(w.thread);
                });
            }
        });
        return server;
    }

    private static void triggers(final Socket s, final List<Writer> writers)
    {
        try
        {
            final InputStream in = s.getInputStream();
            while (in.read() >= 0)
            {
                for (final Writer w : writers)
                {
                    w.pending++;
                    LockSupport.unpark(w.thread);
                }
            }
        }
        catch (final IOException ignored)
        {
            // the client went away
        }
    }

    private static final class Writer
    {
        final Socket socket;
        final byte[] message;
        /** Set before the writer starts and before any trigger can reach it. */
        volatile Thread thread;
        /** Fan-outs asked for; written only by the trigger thread (one trigger connection at a time). */
        volatile int pending;
        int done;

        Writer(final Socket socket, final int bytes)
        {
            this.socket = socket;
            this.message = new byte[bytes];
        }

        void run()
        {
            try
            {
                final OutputStream out = socket.getOutputStream();
                out.write(HELLO);   // this connection's writer is registered: fan-outs from now on reach it
                while (!socket.isClosed())
                {
                    if (pending == done)
                    {
                        LockSupport.park();
                        continue;
                    }
                    done++;
                    out.write(message);
                }
            }
            catch (final IOException ignored)
            {
                // the client went away
            }
        }
    }

    /**
     * Connects {@code connections} clients, then triggers {@code fanouts} broadcasts {@code intervalMs} apart and
     * stamps each client's arrival of its {@code bytes} bytes.
     *
     * @return per fan-out, each client's arrival time minus the trigger time, ns ({@code [fanout][client]}; -1 when a
     *         client did not receive it within 10 s)
     */
    public static long[][] measure(final InetSocketAddress server, final int connections, final int bytes,
        final int fanouts, final long intervalMs) throws IOException, InterruptedException
    {
        final AtomicLongArray[] arrivals = new AtomicLongArray[fanouts];
        for (int f = 0; f < fanouts; f++)
        {
            arrivals[f] = new AtomicLongArray(connections);
        }
        final long[] triggeredAt = new long[fanouts];
        final List<Socket> sockets = new ArrayList<>(connections);
        final List<Thread> readers = new ArrayList<>(connections);
        try
        {
            // Connected and registered with the server's writers before any trigger, as the miners are subscribed
            // before a tip: at most 32 at a time (as the miners connect), each waiting for the server's hello.
            for (int i = 0; i < connections; i++)
            {
                try
                {
                    sockets.add(connectRegistered(server));
                }
                catch (final IOException ex)
                {
                    throw new IOException("connection " + i + ": " + ex.getMessage(), ex);
                }
            }
            for (int i = 0; i < connections; i++)
            {
                final int client = i;
                final Socket s = sockets.get(i);
                readers.add(Thread.ofVirtual().start(() ->
                {
                    final byte[] buffer = new byte[Math.max(4096, bytes)];
                    long received = 0;
                    try
                    {
                        final InputStream in = s.getInputStream();
                        int n;
                        while ((n = in.read(buffer)) >= 0)
                        {
                            final long now = System.nanoTime();
                            final long before = received / bytes;
                            received += n;
                            for (long f = before; f < received / bytes && f < fanouts; f++)
                            {
                                arrivals[(int)f].set(client, now);
                            }
                        }
                    }
                    catch (final IOException ignored)
                    {
                        // closed at the end
                    }
                }));
            }
            final OutputStream trigger = sockets.get(0).getOutputStream();
            for (int f = 0; f < fanouts; f++)
            {
                triggeredAt[f] = System.nanoTime();
                trigger.write(1);
                trigger.flush();
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (!all(arrivals[f]) && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                Thread.sleep(intervalMs);
            }
        }
        finally
        {
            for (final Socket s : sockets)
            {
                s.setSoLinger(true, 0);   // a reset, not 60 s of TIME_WAIT holding a local port
                s.close();
            }
        }
        final long[][] out = new long[fanouts][connections];
        for (int f = 0; f < fanouts; f++)
        {
            for (int c = 0; c < connections; c++)
            {
                final long at = arrivals[f].get(c);
                out[f][c] = at == 0 ? -1 : at - triggeredAt[f];
            }
        }
        return out;
    }

    /**
     * One connection whose writer the server has registered (its hello has arrived); a connection lost in a full
     * accept queue (no hello within 10 s) is replaced.
     */
    private static Socket connectRegistered(final InetSocketAddress server) throws IOException
    {
        for (int attempt = 1; ; attempt++)
        {
            final Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(server, 30_000);
            s.setSoTimeout(10_000);
            try
            {
                if (s.getInputStream().read() == HELLO)
                {
                    s.setSoTimeout(0);
                    return s;
                }
                throw new IOException("the floor server did not say hello");
            }
            catch (final java.net.SocketTimeoutException ex)
            {
                s.close();
                if (attempt == 3)
                {
                    throw new IOException("the floor server did not register a connection in 3 attempts", ex);
                }
            }
        }
    }

    static boolean all(final AtomicLongArray a)
    {
        for (int i = 0; i < a.length(); i++)
        {
            if (a.get(i) == 0)
            {
                return false;
            }
        }
        return true;
    }
}
