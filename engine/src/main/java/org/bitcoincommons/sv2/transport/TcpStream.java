package org.bitcoincommons.sv2.transport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * A {@link ByteStream} over a connected TCP socket: TCP_NODELAY on (SV2 frames are small and latency matters), reads
 * through a small buffer so that a burst of frames costs one read(2).
 */
public final class TcpStream implements ByteStream
{
    /** Socket read buffer: many small frames per read(2) under load. */
    private static final int READ_BUFFER = 2048;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final TransportStats stats;

    public TcpStream(final Socket socket) throws IOException
    {
        this(socket, null);
    }

    /** As above, adding the bytes moved to {@code stats} (null: not counted). */
    public TcpStream(final Socket socket, final TransportStats stats) throws IOException
    {
        this(socket, stats, false);
    }

    /**
     * @param eventLoop true: the socket goes to an {@link IoLoop} at once and is never read or written through this
     *                  stream ({@link #input} and {@link #output} throw), so it holds no read buffer
     */
    public TcpStream(final Socket socket, final TransportStats stats, final boolean eventLoop) throws IOException
    {
        this.socket = socket;
        this.stats = stats;
        socket.setTcpNoDelay(true);
        if (eventLoop)
        {
            this.in = null;
            this.out = null;
            return;
        }
        final InputStream raw = stats == null ? socket.getInputStream()
            : CountingStreams.in(socket.getInputStream(), stats.bytesIn);
        this.in = new BufferedInputStream(raw, READ_BUFFER);
        this.out = stats == null ? socket.getOutputStream() : CountingStreams.out(socket.getOutputStream(), stats.bytesOut);
    }

    /** The socket underneath, for code that still needs TCP specifics. */
    public Socket socket()
    {
        return socket;
    }

    /** Where this stream counts its bytes (null: not counted); an event loop that takes the socket over adds to it. */
    public TransportStats stats()
    {
        return stats;
    }

    @Override
    public InputStream input()
    {
        if (in == null)
        {
            throw new IllegalStateException("this socket is an event loop's: no blocking reads");
        }
        return in;
    }

    @Override
    public OutputStream output()
    {
        if (out == null)
        {
            throw new IllegalStateException("this socket is an event loop's: no blocking writes");
        }
        return out;
    }

    @Override
    public SocketAddress remoteAddress()
    {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public String transportName()
    {
        return "tcp";
    }

    @Override
    public boolean readTimeout(final int ms) throws IOException
    {
        socket.setSoTimeout(ms);
        return true;
    }

    @Override
    public void closeOutput() throws IOException
    {
        if (out != null)
        {
            out.flush();
        }
        socket.shutdownOutput();
    }

    @Override
    public void reset(final long errorCode)
    {
        try
        {
            socket.setSoLinger(true, 0);
            socket.close();
        }
        catch (final IOException ignored)
        {
            // already closed
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
