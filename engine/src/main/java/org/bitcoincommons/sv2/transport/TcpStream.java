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
    private final ReadAhead in;
    private final OutputStream out;
    private final TransportStats stats;

    /** The read buffer, which can give up what it read ahead when the socket moves to an event loop. */
    private static final class ReadAhead extends BufferedInputStream
    {
        ReadAhead(final InputStream in, final int size)
        {
            super(in, size);
        }

        synchronized byte[] take()
        {
            final int n = count - pos;
            final byte[] b = new byte[Math.max(0, n)];
            if (n > 0)
            {
                System.arraycopy(buf, pos, b, 0, n);
            }
            pos = count;
            buf = null;   // no reads after the hand-over (one would fail as on a closed stream): its 2 KiB go
            return b;
        }
    }

    public TcpStream(final Socket socket) throws IOException
    {
        this(socket, null);
    }

    /** As above, adding the bytes moved to {@code stats} (null: not counted). */
    public TcpStream(final Socket socket, final TransportStats stats) throws IOException
    {
        this.socket = socket;
        this.stats = stats;
        socket.setTcpNoDelay(true);
        final InputStream raw = stats == null ? socket.getInputStream()
            : CountingStreams.in(socket.getInputStream(), stats.bytesIn);
        this.in = new ReadAhead(raw, READ_BUFFER);
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

    /**
     * The bytes read from the socket ahead of what the reader consumed (empty when none); they are the reader's no
     * longer. For the hand-over of the socket to an event loop, after the last blocking read.
     */
    public byte[] takeReadAhead()
    {
        return in.take();
    }

    @Override
    public InputStream input()
    {
        return in;
    }

    @Override
    public OutputStream output()
    {
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
        out.flush();
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
