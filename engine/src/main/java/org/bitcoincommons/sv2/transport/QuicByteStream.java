package org.bitcoincommons.sv2.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

import tech.kwik.core.QuicStream;

/** A {@link ByteStream} over one bidirectional Kwik stream. Close sends FIN and stops reading what is left. */
public final class QuicByteStream implements ByteStream
{
    /** Application error code of a stream we reset or stop reading because of a protocol fault. */
    public static final long ERROR_PROTOCOL = 1;
    /** Application error code of a stream abandoned at close (no fault). */
    public static final long ERROR_NONE = 0;

    private final QuicStream stream;
    private final SocketAddress remote;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicBoolean closed = new AtomicBoolean();

    QuicByteStream(final QuicStream stream, final SocketAddress remote, final TransportStats stats)
    {
        this.stream = stream;
        this.remote = remote;
        this.in = stats == null ? stream.getInputStream() : CountingStreams.in(stream.getInputStream(), stats.bytesIn);
        this.out = stats == null ? stream.getOutputStream() : CountingStreams.out(stream.getOutputStream(), stats.bytesOut);
    }

    /** The QUIC stream id (0, 4, 8, ... for client-initiated bidirectional streams). */
    public int streamId()
    {
        return stream.getStreamId();
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
        return remote;
    }

    @Override
    public String transportName()
    {
        return "quic";
    }

    @Override
    public void closeOutput() throws IOException
    {
        out.flush();
        out.close();
    }

    @Override
    public void reset(final long errorCode)
    {
        if (closed.compareAndSet(false, true))
        {
            try
            {
                stream.resetStream(errorCode);
            }
            catch (final RuntimeException ignored)
            {
                // already reset or the connection is gone
            }
            abortReading(errorCode);
        }
    }

    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            try
            {
                out.close();
            }
            catch (final IOException | RuntimeException ignored)
            {
                // reset by the peer or the connection is gone
            }
            abortReading(ERROR_NONE);
        }
    }

    private void abortReading(final long code)
    {
        try
        {
            stream.abortReading(code);
        }
        catch (final RuntimeException ignored)
        {
            // input already finished
        }
    }

    @Override
    public String toString()
    {
        return "quic stream " + stream.getStreamId() + " from " + remote;
    }
}
