package org.bitcoincommons.sv2.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;

/**
 * One reliable, ordered, bidirectional byte stream: a TCP connection or one QUIC stream. It is the only thing the
 * layers above (Noise, the SV2 connections) know of the transport, so that they run unchanged over either.
 * <p>
 * Lifecycle: the stream is open until {@link #close()} (by either side's code) or until the peer ends it; after close
 * a blocked {@code read} returns -1 or throws, and writes throw. {@link #closeOutput()} ends only the sending half
 * (TCP shutdownOutput, QUIC FIN) so the peer reads EOF after the last byte; {@link #reset} abandons the stream at
 * once (TCP: close with RST semantics not guaranteed; QUIC: RESET_STREAM and STOP_SENDING with the code).
 * One thread may read while another writes.
 */
public interface ByteStream extends Closeable
{
    /** Blocking input; -1 at the peer's end of stream. */
    InputStream input();

    /** Blocking output; {@code flush()} pushes buffered bytes to the transport. */
    OutputStream output();

    /** The peer, for logs (null when unknown). */
    SocketAddress remoteAddress();

    /** The transport's name for logs and per-transport metrics: "tcp" or "quic". */
    String transportName();

    /**
     * Makes a blocked read fail with {@link java.net.SocketTimeoutException} after this many ms (0 = wait forever).
     * Transports that cannot time out a read return false; callers then use a watchdog that closes the stream.
     */
    default boolean readTimeout(final int ms) throws IOException
    {
        return false;
    }

    /** Ends the sending half after flushing; reading goes on. */
    void closeOutput() throws IOException;

    /** Abandons the stream in both directions with an application error code (a best effort on TCP). */
    void reset(long errorCode);

    /** Closes both halves; idempotent, never throws for an already closed stream. */
    @Override
    void close() throws IOException;
}
