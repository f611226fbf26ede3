package org.bitcoincommons.sv2.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.log.NullLogger;

/**
 * A client QUIC connection (Kwik) for one ALPN. The server certificate is deliberately not checked by TLS (there is
 * no WebPKI for pools); {@link #serverCertificateFingerprint()} gives the caller what to bind its own authentication
 * to (SV2 over QUIC binds it into the Noise handshake on the control stream).
 */
public final class QuicClient implements AutoCloseable
{
    private final QuicClientConnection connection;
    private final TransportStats stats;

    private QuicClient(final QuicClientConnection connection, final TransportStats stats)
    {
        this.connection = connection;
        this.stats = stats;
    }

    /** Connects and completes the QUIC/TLS handshake within connectTimeout. */
    public static QuicClient connect(final InetSocketAddress server, final String alpn, final Duration connectTimeout,
        final Duration idleTimeout, final TransportStats stats) throws IOException
    {
        System.setProperty("tech.kwik.core.no-security-warnings", "true");
        final QuicClientConnection c = QuicClientConnection.newBuilder()
            .host(server.getHostString())
            .port(server.getPort())
            .applicationProtocol(alpn)
            .connectTimeout(connectTimeout)
            .maxIdleTimeout(idleTimeout)
            .noServerCertificateCheck()
            .logger(new NullLogger())
            .build();
        try
        {
            c.connect();
        }
        catch (final IOException | RuntimeException ex)
        {
            c.close();
            throw ex instanceof IOException io ? io : new IOException(ex.getMessage(), ex);
        }
        if (stats != null)
        {
            stats.connectionsOpened.increment();
        }
        return new QuicClient(c, stats);
    }

    /** Opens a new client-initiated bidirectional stream. */
    public QuicByteStream openStream() throws IOException
    {
        if (stats != null)
        {
            stats.streamsOpened.increment();
        }
        return new QuicByteStream(connection.createStream(true), connection.getServerAddress(), stats);
    }

    /** SHA-256 of the server's leaf certificate as presented in this TLS session. */
    public byte[] serverCertificateFingerprint() throws IOException
    {
        final List<X509Certificate> chain = connection.getServerCertificateChain();
        if (chain == null || chain.isEmpty())
        {
            throw new IOException("QUIC server presented no certificate");
        }
        return QuicTls.fingerprint(chain.get(0));
    }

    /**
     * Sends PINGs at half the idle timeout for {@code seconds}, so that a connection with nothing to say (a miner
     * between jobs) is not closed by the peer's idle limit.
     */
    public void keepAlive(final int seconds)
    {
        connection.keepAlive(seconds);
    }

    public boolean connected()
    {
        return connection.isConnected();
    }

    @Override
    public void close()
    {
        try
        {
            connection.close();
        }
        finally
        {
            if (stats != null)
            {
                stats.connectionsClosed.increment();
            }
        }
    }
}
