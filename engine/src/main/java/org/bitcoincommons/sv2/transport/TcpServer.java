package org.bitcoincommons.sv2.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listener that gives each accepted connection its own virtual thread. Connections beyond the limit are
 * closed at once. One connection's failure never touches another: each handler runs alone and its socket is
 * closed when it returns or throws.
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
    private volatile boolean closing;

    public TcpServer(final String name, final InetSocketAddress address, final int maxConnections, final Handler handler)
        throws IOException
    {
        this.name = name;
        this.handler = handler;
        this.maxConnections = maxConnections;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address, 4096);
    }

    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)server.getLocalSocketAddress();
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
                closeQuietly(s);
                continue;
            }
            accepted.incrementAndGet();
            open.add(s);
            final long id = nextId.getAndIncrement();
            Thread.ofVirtual().name(name + "-conn-" + id).start(() -> run(s, id));
        }
    }

    private void run(final Socket s, final long id)
    {
        try
        {
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
            open.remove(s);
            closeQuietly(s);
        }
    }

    @Override
    public void close()
    {
        closing = true;
        closeQuietly(server);
        for (final Socket s : open)
        {
            closeQuietly(s);
        }
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
