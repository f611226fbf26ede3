package org.bitcoincommons.sv2.transport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tech.kwik.core.ConnectionListener;
import tech.kwik.core.ConnectionTerminatedEvent;
import tech.kwik.core.QuicConnection;
import tech.kwik.core.QuicStream;
import tech.kwik.core.log.NullLogger;
import tech.kwik.core.server.ApplicationProtocolConnection;
import tech.kwik.core.server.ApplicationProtocolConnectionFactory;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;

/**
 * A QUIC listener (Kwik) for one ALPN. It binds exactly the configured address through a bound DatagramSocket (Kwik's
 * withPort would bind every interface). Each client-initiated bidirectional stream is handed to the {@link Handler}
 * on its own virtual thread (Kwik's receive thread is never blocked); the handler learns whether it is the
 * connection's first stream. Unidirectional streams are not allowed (limit 0).
 */
public final class QuicServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(QuicServer.class);

    /** Serves one stream; returns (or throws) when it is done. The stream is closed after it returns. */
    @FunctionalInterface
    public interface Handler
    {
        void serve(Peer peer, QuicByteStream stream, boolean first) throws Exception;
    }

    /** Limits of one listener. */
    public record Limits(int maxConnections, int maxStreamsPerConnection, int idleTimeoutSeconds,
        long streamBufferBytes, long connectionBufferBytes)
    {
    }

    /** One QUIC connection as the application sees it: an id, its peer, an attachment, and close. */
    public static final class Peer
    {
        private final long id;
        private final QuicConnection connection;
        private final SocketAddress remote;
        private final AtomicInteger streams = new AtomicInteger();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Object attachment;
        private volatile Runnable onClose;

        Peer(final long id, final QuicConnection connection, final SocketAddress remote)
        {
            this.id = id;
            this.connection = connection;
            this.remote = remote;
        }

        public long id()
        {
            return id;
        }

        public SocketAddress remoteAddress()
        {
            return remote;
        }

        public Object attachment()
        {
            return attachment;
        }

        public void attach(final Object value)
        {
            attachment = value;
        }

        /** Runs once when the connection ends (closed by either side or idle). */
        public void onClose(final Runnable r)
        {
            onClose = r;
            if (closed.get())
            {
                fireClosed();
            }
        }

        /** Closes the connection with an application error code and reason (sent in CONNECTION_CLOSE). */
        public void close(final long errorCode, final String reason)
        {
            try
            {
                connection.close(errorCode, reason);
            }
            catch (final RuntimeException ignored)
            {
                // already closed
            }
            markClosed();
        }

        public boolean closed()
        {
            return closed.get();
        }

        void markClosed()
        {
            if (closed.compareAndSet(false, true))
            {
                fireClosed();
            }
        }

        private void fireClosed()
        {
            final Runnable r = onClose;
            if (r != null)
            {
                onClose = null;
                r.run();
            }
        }
    }

    private final ServerConnector connector;
    private final DatagramSocket socket;
    private final Handler handler;
    private final Limits limits;
    private final TransportStats stats;
    private final Set<Peer> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong refused = new AtomicLong();

    public QuicServer(final InetSocketAddress address, final String alpn, final QuicTls tls, final Limits limits,
        final TransportStats stats, final Handler handler) throws IOException
    {
        this.handler = handler;
        this.limits = limits;
        this.stats = stats;
        this.socket = new DatagramSocket(address);
        final ServerConnectionConfig config = ServerConnectionConfig.builder()
            .maxIdleTimeoutInSeconds(limits.idleTimeoutSeconds())
            .maxOpenPeerInitiatedBidirectionalStreams(limits.maxStreamsPerConnection())
            .maxOpenPeerInitiatedUnidirectionalStreams(0)
            .maxBidirectionalStreamBufferSize(limits.streamBufferBytes())
            .maxConnectionBufferSize(limits.connectionBufferBytes())
            .build();
        try
        {
            connector = ServerConnector.builder()
                .withSocket(socket)
                .withKeyStore(tls.keyStore(), QuicTls.ALIAS, QuicTls.password(), "secp256r1")
                .withConfiguration(config)
                .withLogger(new NullLogger())
                .build();
        }
        catch (final Exception ex)
        {
            socket.close();
            throw new IOException("QUIC listener on " + address + ": " + ex.getMessage(), ex);
        }
        connector.registerApplicationProtocol(alpn, new Factory());
    }

    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)socket.getLocalSocketAddress();
    }

    public void start()
    {
        connector.start();
    }

    public int openConnections()
    {
        return open.size();
    }

    public long refused()
    {
        return refused.get();
    }

    private final class Factory implements ApplicationProtocolConnectionFactory
    {
        @Override
        public ApplicationProtocolConnection createConnection(final String protocol, final QuicConnection connection)
        {
            final SocketAddress remote = remoteOf(connection);
            final Peer peer = new Peer(nextId.getAndIncrement(), connection, remote);
            if (open.size() >= limits.maxConnections())
            {
                refused.incrementAndGet();
                peer.close(2, "too many connections");
                return new ApplicationProtocolConnection()
                {
                };
            }
            open.add(peer);
            stats.connectionsOpened.increment();
            connection.setConnectionListener(new ConnectionListener()
            {
                @Override
                public void disconnected(final ConnectionTerminatedEvent event)
                {
                    peer.markClosed();
                }
            });
            peer.onClose(() ->
            {
                if (open.remove(peer))
                {
                    stats.connectionsClosed.increment();
                }
            });
            return new ApplicationProtocolConnection()
            {
                @Override
                public void acceptPeerInitiatedStream(final QuicStream stream)
                {
                    // Kwik's receive thread: hand off at once.
                    final boolean first = peer.streams.getAndIncrement() == 0;
                    stats.streamsOpened.increment();
                    final QuicByteStream s = new QuicByteStream(stream, remote, stats);
                    Thread.ofVirtual().name("quic-" + peer.id + "-stream-" + stream.getStreamId())
                        .start(() -> run(peer, s, first));
                }
            };
        }

        @Override
        public int maxConcurrentPeerInitiatedBidirectionalStreams()
        {
            return limits.maxStreamsPerConnection();
        }

        @Override
        public int maxConcurrentPeerInitiatedUnidirectionalStreams()
        {
            return 0;
        }
    }

    /** Kwik's public interface does not expose the peer address; its server connection class does (for logs only). */
    private static SocketAddress remoteOf(final QuicConnection connection)
    {
        try
        {
            return (SocketAddress)connection.getClass().getMethod("getInitialRemoteAddress").invoke(connection);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return null;
        }
    }

    private void run(final Peer peer, final QuicByteStream stream, final boolean first)
    {
        try
        {
            handler.serve(peer, stream, first);
        }
        catch (final Exception ex)
        {
            LOG.debug("quic connection {} {}: {}", peer.id, stream, ex.toString());
        }
        finally
        {
            stream.close();
        }
    }

    @Override
    public void close()
    {
        for (final Peer p : open)
        {
            p.close(0, "server shutting down");
        }
        try
        {
            connector.close();
        }
        catch (final RuntimeException ignored)
        {
            // closing anyway
        }
        socket.close();
    }
}
