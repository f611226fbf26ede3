package org.bitcoincommons.sv2.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listener that gives each accepted connection its own virtual thread (or, with {@link #inlineHandler}, hands
 * it over on the accept thread). Connections beyond the limit are closed at once. With an {@link AdmissionControl}, a
 * connection's thread first waits (parked, nothing read) for an admission slot, which it holds until
 * {@link #admitted} or its end. One connection's failure never touches another: each handler runs alone and its
 * socket is closed when it returns or throws (unless the handler gave it to a new owner: {@link #detach}).
 */
public final class TcpServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(TcpServer.class);

    /** Serves one accepted connection; returns (or throws) when it is done. */
    @FunctionalInterface
    public interface Handler
    {
        void serve(Socket socket, long connectionId) throws Exception;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final int maxConnections;
    private final String name;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private Thread acceptor;
    private volatile ConnectionLimits limits = ConnectionLimits.none();
    private final Map<Long, ConnectionLimits.Ticket> tickets = new ConcurrentHashMap<>();
    /** Null: admissions are not paced (a connection is served as soon as it is accepted). */
    private volatile AdmissionControl admission;
    private final Map<Long, AdmissionControl.Slot> slots = new ConcurrentHashMap<>();
    private volatile boolean closing;
    /** The handler never blocks (it hands the connection to another owner): without admission pacing it runs inline. */
    private volatile boolean inline;
    /** Connections whose handler handed them to another owner ({@link #detach}): their thread's end is not theirs. */
    private final Set<Long> detached = ConcurrentHashMap.newKeySet();

    public TcpServer(final String name, final InetSocketAddress address, final int maxConnections, final Handler handler)
        throws IOException
    {
        this(name, address, maxConnections, handler, false);
    }

    /**
     * @param channels true: accepted sockets have a {@link java.nio.channels.SocketChannel} ({@code getChannel()}), so
     *                 that a handler may hand one to an {@link IoLoop}; their blocking streams work as usual
     */
    public TcpServer(final String name, final InetSocketAddress address, final int maxConnections, final Handler handler,
        final boolean channels) throws IOException
    {
        this.name = name;
        this.handler = handler;
        this.maxConnections = maxConnections;
        this.server = channels ? java.nio.channels.ServerSocketChannel.open().socket() : new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address, 4096);
    }

    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)server.getLocalSocketAddress();
    }

    /** Per-address and pool-wide limits checked at accept (shared by a pool's listeners); set before {@link #start}. */
    public TcpServer limits(final ConnectionLimits limits)
    {
        this.limits = limits;
        return this;
    }

    /**
     * Paces admissions (accept to first channel): each accepted connection's thread waits for a slot before the
     * handler runs (see {@link AdmissionControl}); the server closes {@code admission} when it closes. Set before
     * {@link #start}.
     */
    public TcpServer admission(final AdmissionControl admission)
    {
        this.admission = admission;
        return this;
    }

    /**
     * Connection {@code id}'s admission is over (its first channel is open): its slot goes to the next waiting
     * connection. Idempotent; any thread (the pool logic thread calls it); lock-free.
     */
    public void admitted(final long id)
    {
        final AdmissionControl.Slot s = slots.remove(id);
        if (s != null)
        {
            s.release();
        }
    }

    /** Connection {@code id} finished its handshake: it no longer counts against the unauthenticated limit. */
    public void authenticated(final long id)
    {
        final ConnectionLimits.Ticket t = tickets.get(id);
        if (t != null)
        {
            t.authenticated();
        }
    }

    /**
     * Called by a handler on its connection's thread, just before it returns, when the connection lives on elsewhere
     * (an {@link IoLoop}): the thread's end no longer closes it. The new owner calls {@link #release} once, at the
     * connection's end (it closes the socket and gives back the connection's slot, ticket and admission).
     */
    public void detach(final long id)
    {
        detached.add(id);
    }

    /**
     * The end of a connection {@link #detach detached} from its thread: closes {@code socket} and gives back the
     * connection's slot, ticket and admission. Once, by the connection's new owner; any thread.
     */
    public void release(final Socket socket, final long id)
    {
        admitted(id);
        open.remove(socket);
        closeQuietly(socket);
        final ConnectionLimits.Ticket t = tickets.remove(id);
        if (t != null)
        {
            t.close();
        }
    }

    /**
     * Declares that the handler returns at once (it hands each connection to an {@link IoLoop}): without admission
     * pacing it then runs on the accept thread, and an accepted connection costs no thread of its own. With pacing,
     * each connection still waits for its slot on a virtual thread. Set before {@link #start}.
     */
    public TcpServer inlineHandler(final boolean inline)
    {
        this.inline = inline;
        return this;
    }

    public void start()
    {
        acceptor = Thread.ofPlatform().daemon().name(name + "-accept").start(this::acceptLoop);
    }

    public int openConnections()
    {
        return open.size();
    }

    public long accepted()
    {
        return accepted.get();
    }

    public long refused()
    {
        return refused.get();
    }

    private void acceptLoop()
    {
        while (!closing)
        {
            final Socket s;
            try
            {
                s = server.accept();
            }
            catch (final IOException ex)
            {
                if (!closing)
                {
                    LOG.error("{}: accept failed: {}", name, ex.toString());
                }
                return;
            }
            if (open.size() >= maxConnections)
            {
                refused.incrementAndGet();
                reset(s);
                continue;
            }
            final ConnectionLimits.Ticket ticket = limits.admit(s.getInetAddress(), System.nanoTime());
            if (ticket == null)
            {
                refused.incrementAndGet();
                reset(s);
                continue;
            }
            accepted.incrementAndGet();
            open.add(s);
            final long id = nextId.getAndIncrement();
            tickets.put(id, ticket);
            if (inline && admission == null)
            {
                run(s, id);
            }
            else
            {
                Thread.ofVirtual().name(name + "-conn-" + id).start(() -> run(s, id));
            }
        }
    }

    private void run(final Socket s, final long id)
    {
        try
        {
            final AdmissionControl a = admission;
            if (a != null)
            {
                final AdmissionControl.Slot slot = a.acquire();
                if (slot == null)
                {
                    LOG.debug("{} connection {}: no admission slot within the wait; closed", name, id);
                    return;
                }
                slots.put(id, slot);
            }
            handler.serve(s, id);
        }
        catch (final SocketException ex)
        {
            LOG.debug("{} connection {} closed: {}", name, id, ex.getMessage());
        }
        catch (final Exception ex)
        {
            LOG.info("{} connection {} ended: {}", name, id, ex.toString());
        }
        finally
        {
            if (!detached.remove(id))
            {
                release(s, id);
            }
        }
    }

    @Override
    public void close()
    {
        closing = true;
        closeQuietly(server);
        final AdmissionControl a = admission;
        if (a != null)
        {
            a.close();
        }
        for (final Socket s : open)
        {
            closeQuietly(s);
        }
    }

    /** A refused connection is reset, so that the refusal costs no TIME_WAIT here. */
    private static void reset(final Socket s)
    {
        try
        {
            s.setSoLinger(true, 0);
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
        closeQuietly(s);
    }

    private static void closeQuietly(final AutoCloseable c)
    {
        try
        {
            c.close();
        }
        catch (final Exception ignored)
        {
            // closing anyway
        }
    }
}
