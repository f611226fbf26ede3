package org.bitcoincommons.sv2.noise;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.transport.ByteStream;
import org.bitcoincommons.sv2.transport.FrameSink;

/**
 * An encrypted SV2 connection over any blocking byte stream ({@link ByteStream}: TCP or a QUIC stream): runs the NX
 * handshake as initiator ({@link #connect}) or responder ({@link #accept}) within the configured timeout, then moves
 * whole frames with {@link #readFrame} and {@link #writeFrame}. It owns only the handshake and the cipher states:
 * no socket I/O, no addresses; the transport package owns those.
 * <p>
 * Threads: one thread may read while another writes (the two directions share no state). Buffers are reused; they
 * grow only when a frame larger than any before arrives or is sent, so steady-state framing allocates nothing.
 * Any {@link NoiseException} closes the underlying transport: a fault ends this connection and no other.
 * <p>
 * Memory per connection is bounded by what actually arrives, not by what a peer declares: a frame header announcing
 * msg_length is checked against {@link #maxReceivePayload(int)} (FRAME_TOO_LARGE), and the receive buffer then grows
 * with the bytes read, at most to twice what has arrived plus one Noise message. {@link #partialFrame()} tells another
 * thread (a deadline sweeper) that a frame's header has arrived but not yet its payload.
 */
public final class NoiseChannel implements AutoCloseable, FrameSink
{
    private static final int HANDSHAKING = 0;
    private static final int ESTABLISHED = 1;
    private static final int TIMED_OUT = 2;
    /**
     * Buffers start small and grow to the largest frame seen (a mining connection's frames are mostly under 100
     * bytes): an idle one costs a few hundred bytes here, not the 64 KiB a maximum-size Noise message would need.
     */
    private static final int INITIAL_BUFFER_LENGTH = 256;
    /** Queued frames are written in one write(2) once they reach this many bytes, or at {@link #flush()}. */
    private static final int SEND_COALESCE_LIMIT = 64 * 1024;
    /** The receive buffer grows by at least this much (one Noise message) beyond what has arrived. */
    private static final int RECEIVE_GROWTH = TransportCipher.MAX_MESSAGE_LENGTH;
    private static final VarHandle PARTIAL_FRAME;

    static
    {
        try
        {
            PARTIAL_FRAME = MethodHandles.lookup().findVarHandle(NoiseChannel.class, "partialFrame", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private final Closeable transport;
    private final int maxPayloadLength;
    private final TransportCipher cipher;

    // Receiving side, owned by the reading thread.
    private final byte[] receivedHeader = new byte[TransportCipher.ENCRYPTED_HEADER_LENGTH];
    private final UnsafeBuffer receiveView = new UnsafeBuffer(new byte[0]);
    private byte[] receiveBuffer = new byte[INITIAL_BUFFER_LENGTH];
    /** Largest msg_length accepted from the peer, bytes (at most maxPayloadLength). */
    private int maxReceivePayload;
    /** Frames whose header has been read so far. */
    private long framesStarted;
    /**
     * The number of the frame whose header has arrived and whose payload has not (1, 2, ...), 0 between frames.
     * Written by the reading thread, read by any thread (opaque access through {@link #PARTIAL_FRAME}).
     */
    @SuppressWarnings("unused")
    private long partialFrame;

    // Sending side, owned by the writing thread.
    private final byte[] sendHeader = new byte[TransportCipher.HEADER_LENGTH];
    private final UnsafeBuffer sendHeaderView = new UnsafeBuffer(sendHeader);
    private byte[] sendBuffer = new byte[INITIAL_BUFFER_LENGTH];
    private int sendFill;

    // Non-blocking mode (an event loop owns both directions; see receive and sendTo).
    private boolean nonBlocking;
    /** Bytes of the encrypted header received so far (receive). */
    private int headerFill;
    /** Plaintext msg_length of the frame whose payload is being received, -1 between frames (receive). */
    private int pendingPayload = -1;
    /** Ciphertext bytes of that payload received so far (receive). */
    private int payloadFill;
    /** Length of the frame the last receive completed (6 + msg_length), 0 when it completed none. */
    private int readyFrame;
    /** Send buffer [sendStart, sendFill) is encrypted and not yet written (sendTo). */
    private int sendStart;
    /** sendTo's view of the send buffer (made again when the buffer grows). */
    private java.nio.ByteBuffer sendView;

    private NoiseChannel(
        final InputStream in, final OutputStream out, final Closeable transport, final int maxPayloadLength,
        final TransportCipher cipher)
    {
        this.in = in;
        this.out = out;
        this.transport = transport;
        this.maxPayloadLength = maxPayloadLength;
        this.maxReceivePayload = maxPayloadLength;
        this.cipher = cipher;
        receiveView.wrap(receiveBuffer);
    }

    /**
     * Sets the largest msg_length accepted from the peer from the next frame on (e.g. once SetupConnection has named
     * the sub-protocol); a larger header ends the connection with FRAME_TOO_LARGE before any payload is read. Reading
     * thread only.
     *
     * @param bytes 0 .. the configured maximum payload length
     */
    public NoiseChannel maxReceivePayload(final int bytes)
    {
        if (bytes < 0 || bytes > maxPayloadLength)
        {
            throw new IllegalArgumentException("maxReceivePayload must be in [0, " + maxPayloadLength + "], got " + bytes);
        }
        maxReceivePayload = bytes;
        return this;
    }

    public int maxReceivePayload()
    {
        return maxReceivePayload;
    }

    /**
     * The number of the frame being received (its header has arrived, its payload not yet), or 0 between frames. Any
     * thread: a sweeper that sees the same non-zero value for longer than its deadline closes the connection.
     */
    public long partialFrame()
    {
        return (long)PARTIAL_FRAME.getOpaque(this);
    }

    /** Bytes the receive buffer holds now (for tests and memory accounting). */
    public int receiveBufferCapacity()
    {
        return receiveBuffer.length;
    }

    /** A channel whose handshake is already done (see {@link TransportCiphers#channel}). */
    static NoiseChannel established(
        final InputStream in, final OutputStream out, final Closeable transport, final TransportCipher cipher,
        final int maxPayloadLength)
    {
        return new NoiseChannel(in, out, transport, maxPayloadLength, cipher);
    }

    /**
     * A channel for an event loop from the start (see {@link #nonBlocking}), its handshake done elsewhere (the loop
     * read act 1; {@code cipher} is what the responder's split gave). Bytes go in through {@link #receive} and out
     * through {@link #sendTo}; the blocking methods must never be called.
     *
     * @param transport closed when a received frame is bad (as in the blocking read)
     */
    public static NoiseChannel nonBlocking(final Closeable transport, final TransportCipher cipher,
        final int maxPayloadLength)
    {
        final NoiseChannel c = new NoiseChannel(null, null, transport, maxPayloadLength, cipher);
        c.nonBlocking = true;
        return c;
    }

    /** Initiator handshake over a transport stream (a TCP connection, a QUIC stream); closes it on failure. */
    public static NoiseChannel connect(final ByteStream stream, final NoiseConfig config) throws IOException
    {
        return connect(stream.input(), stream.output(), stream, config, null);
    }

    /** As {@link #connect(ByteStream, NoiseConfig)} with a Noise prologue (null or empty: none) both sides share. */
    public static NoiseChannel connect(final ByteStream stream, final NoiseConfig config, final byte[] prologue)
        throws IOException
    {
        return connect(stream.input(), stream.output(), stream, config, prologue);
    }

    /** Responder handshake over a transport stream (a TCP connection, a QUIC stream); closes it on failure. */
    public static NoiseChannel accept(final ByteStream stream, final NoiseConfig config) throws IOException
    {
        return accept(stream.input(), stream.output(), stream, config, null);
    }

    /** As {@link #accept(ByteStream, NoiseConfig)} with a Noise prologue (null or empty: none) both sides share. */
    public static NoiseChannel accept(final ByteStream stream, final NoiseConfig config, final byte[] prologue)
        throws IOException
    {
        return accept(stream.input(), stream.output(), stream, config, prologue);
    }

    /**
     * Initiator handshake: writes act 1, reads and checks act 2.
     *
     * @param transport closed on timeout or on any fault (unblocks a pending read).
     */
    public static NoiseChannel connect(
        final InputStream in, final OutputStream out, final Closeable transport, final NoiseConfig config)
        throws IOException
    {
        return connect(in, out, transport, config, null);
    }

    private static NoiseChannel connect(
        final InputStream in, final OutputStream out, final Closeable transport, final NoiseConfig config,
        final byte[] prologue) throws IOException
    {
        config.conclude();
        final Watchdog watchdog = new Watchdog(transport, config.handshakeTimeoutMs());
        try
        {
            final NoiseInitiator initiator = new NoiseInitiator(config.authorityVerifyKey(), config.random(),
                config.clock()).verifiedCertificate(config.verifiedCertificate());
            if (prologue != null && prologue.length > 0)
            {
                initiator.prologue(prologue);
            }
            final byte[] act1 = new byte[NoiseInitiator.ACT1_LENGTH];
            initiator.writeAct1(act1, 0);
            out.write(act1);
            out.flush();
            final byte[] act2 = new byte[NoiseInitiator.ACT2_LENGTH];
            readHandshake(in, act2, NoiseException.Reason.BAD_ACT2, watchdog);
            final TransportCipher cipher = initiator.readAct2(act2, 0);
            watchdog.finish();
            return new NoiseChannel(in, out, transport, config.maxPayloadLength(), cipher);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw watchdog.fail(ex);
        }
    }

    /**
     * Responder handshake: reads act 1, writes act 2 with a fresh static key and certificate.
     *
     * @param transport closed on timeout or on any fault (unblocks a pending read).
     */
    public static NoiseChannel accept(
        final InputStream in, final OutputStream out, final Closeable transport, final NoiseConfig config)
        throws IOException
    {
        return accept(in, out, transport, config, null);
    }

    private static NoiseChannel accept(
        final InputStream in, final OutputStream out, final Closeable transport, final NoiseConfig config,
        final byte[] prologue) throws IOException
    {
        config.conclude();
        if (config.authoritySecretKey() == null)
        {
            throw new IllegalArgumentException("responder needs an authority secret key");
        }
        final long deadlineNanos = System.nanoTime() + config.handshakeTimeoutMs() * 1_000_000L;
        final Watchdog watchdog = new Watchdog(transport, config.handshakeTimeoutMs());
        try
        {
            final byte[] act1 = new byte[NoiseInitiator.ACT1_LENGTH];
            readHandshake(in, act1, NoiseException.Reason.BAD_ACT1, watchdog);
            final NoiseResponder responder = new NoiseResponder(config.staticKeys(), config.random());
            if (prologue != null && prologue.length > 0)
            {
                responder.prologue(prologue);
            }
            final byte[] act2 = new byte[NoiseInitiator.ACT2_LENGTH];
            final TransportCipher cipher;
            try
            {
                if (!config.acquireTurn(deadlineNanos))
                {
                    throw new NoiseException(NoiseException.Reason.HANDSHAKE_TIMEOUT, "no handshake turn within "
                        + config.handshakeTimeoutMs() + " ms (" + config.handshakeConcurrency()
                        + " handshakes at a time)");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted waiting for a handshake turn");
            }
            try
            {
                cipher = responder.readAct1WriteAct2(act1, 0, act2, 0);
            }
            finally
            {
                config.releaseTurn();
            }
            out.write(act2);
            out.flush();
            watchdog.finish();
            return new NoiseChannel(in, out, transport, config.maxPayloadLength(), cipher);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw watchdog.fail(ex);
        }
    }

    private static void readHandshake(
        final InputStream in, final byte[] dst, final NoiseException.Reason shortReason, final Watchdog watchdog)
        throws IOException
    {
        int done = 0;
        while (done < dst.length)
        {
            final int n = in.read(dst, done, dst.length - done);
            if (n < 0)
            {
                throw new NoiseException(shortReason, "stream ended after " + done + " of " + dst.length + " bytes");
            }
            done += n;
        }
    }

    /**
     * Reads, authenticates and decrypts one frame into dst at offset 0: the 6-byte header then msg_length bytes.
     *
     * @return the frame length (6 + msg_length).
     */
    public int readFrame(final MutableDirectBuffer dst) throws IOException
    {
        return readFrame(dst, 0);
    }

    /**
     * Reads, authenticates and decrypts one frame into dst at offset.
     *
     * @return the frame length (6 + msg_length).
     * @throws NoiseException EOF, BAD_MAC, FRAME_TOO_LARGE (over the configured maximum or dst's capacity),
     *                        NONCE_EXHAUSTED; each closes the connection.
     */
    public int readFrame(final MutableDirectBuffer dst, final int offset) throws IOException
    {
        if (offset < 0 || offset > dst.capacity())
        {
            throw new IllegalArgumentException("offset " + offset + " outside the destination buffer");
        }
        final int frameLength = readFrame(dst.capacity() - offset);
        dst.putBytes(offset, receiveBuffer, 0, frameLength);
        return frameLength;
    }

    /**
     * Reads, authenticates and decrypts one frame into this channel's own buffer, without copying: the frame is
     * {@link #frameBuffer()} [0, returned length) and stays valid until the next read.
     *
     * @return the frame length (6 + msg_length).
     * @throws NoiseException EOF, BAD_MAC, FRAME_TOO_LARGE, NONCE_EXHAUSTED; each closes the connection.
     */
    public int readFrame() throws IOException
    {
        return readFrame(Integer.MAX_VALUE);
    }

    /** The buffer the last {@link #readFrame()} decrypted into (the frame starts at offset 0). */
    public DirectBuffer frameBuffer()
    {
        return receiveView;
    }

    private int readFrame(final int capacity) throws IOException
    {
        try
        {
            readFully(receivedHeader, 0, TransportCipher.ENCRYPTED_HEADER_LENGTH, true);
            cipher.decryptHeader(receivedHeader, 0, receiveBuffer, 0);
            final int payloadLength = TransportCipher.msgLength(receiveView, 0);
            final int frameLength = TransportCipher.HEADER_LENGTH + payloadLength;
            if (payloadLength > maxReceivePayload)
            {
                throw new NoiseException(NoiseException.Reason.FRAME_TOO_LARGE,
                    "msg_length " + payloadLength + " exceeds the maximum " + maxReceivePayload);
            }
            if (frameLength > capacity)
            {
                throw new NoiseException(NoiseException.Reason.FRAME_TOO_LARGE,
                    "frame of " + frameLength + " bytes does not fit the destination buffer");
            }
            if (payloadLength > 0)
            {
                PARTIAL_FRAME.setOpaque(this, ++framesStarted);
                readPayload(TransportCipher.encryptedPayloadLength(payloadLength));
                PARTIAL_FRAME.setOpaque(this, 0L);
                cipher.decryptPayload(receiveBuffer, TransportCipher.HEADER_LENGTH, payloadLength, receiveBuffer,
                    TransportCipher.HEADER_LENGTH);
            }
            return frameLength;
        }
        catch (final NoiseException ex)
        {
            closeQuietly();
            throw ex;
        }
    }

    /**
     * Reads cipherLength bytes of payload after the header, growing the buffer only as bytes arrive: never beyond
     * twice what has arrived plus one Noise message, whatever the header declared.
     */
    private void readPayload(final int cipherLength) throws IOException
    {
        int done = 0;
        while (done < cipherLength)
        {
            int room = receiveBuffer.length - TransportCipher.HEADER_LENGTH;
            if (room <= done)
            {
                final int wanted = Math.min(cipherLength, Math.max(2 * done, done + RECEIVE_GROWTH));
                growReceiveBuffer(TransportCipher.HEADER_LENGTH + wanted, TransportCipher.HEADER_LENGTH + done);
                room = receiveBuffer.length - TransportCipher.HEADER_LENGTH;
            }
            final int n = in.read(receiveBuffer, TransportCipher.HEADER_LENGTH + done, Math.min(room, cipherLength) - done);
            if (n < 0)
            {
                throw new NoiseException(NoiseException.Reason.EOF, "stream ended inside a frame");
            }
            done += n;
        }
    }

    /**
     * Encrypts and writes one plaintext frame src[offset, +length): a 6-byte header whose msg_length is length - 6,
     * then the payload.
     *
     * @throws NoiseException FRAME_TOO_LARGE or NONCE_EXHAUSTED; each closes the connection.
     */
    public void writeFrame(final DirectBuffer src, final int offset, final int length) throws IOException
    {
        queueFrame(src, offset, length);
        flush();
    }

    /** As {@link #queueFrame}: an {@link org.bitcoincommons.sv2.transport.OutboundQueue}'s frames go out here. */
    @Override
    public void write(final DirectBuffer buffer, final int offset, final int length) throws IOException
    {
        queueFrame(buffer, offset, length);
    }

    /**
     * Encrypts one plaintext frame into the send buffer without writing it, so that a burst of frames goes out in one
     * write(2) at {@link #flush()} (or once 64 KiB are queued). Same checks as {@link #writeFrame}.
     */
    public void queueFrame(final DirectBuffer src, final int offset, final int length) throws IOException
    {
        if (length < TransportCipher.HEADER_LENGTH)
        {
            throw new IllegalArgumentException("a frame has at least a 6-byte header, got " + length);
        }
        final int payloadLength = length - TransportCipher.HEADER_LENGTH;
        src.getBytes(offset, sendHeader, 0, TransportCipher.HEADER_LENGTH);
        if (TransportCipher.msgLength(sendHeaderView, 0) != payloadLength)
        {
            throw new IllegalArgumentException("header msg_length " + TransportCipher.msgLength(sendHeaderView, 0)
                + " does not match the payload length " + payloadLength);
        }
        try
        {
            if (payloadLength > maxPayloadLength)
            {
                throw new NoiseException(NoiseException.Reason.FRAME_TOO_LARGE,
                    "payload " + payloadLength + " exceeds the maximum " + maxPayloadLength);
            }
            final int encryptedLength = TransportCipher.ENCRYPTED_HEADER_LENGTH
                + TransportCipher.encryptedPayloadLength(payloadLength);
            if (!nonBlocking && sendFill > 0 && sendFill + encryptedLength > SEND_COALESCE_LIMIT)
            {
                writeQueued();
            }
            ensureSendCapacity(sendFill + encryptedLength);
            int position = sendFill + cipher.encryptHeader(sendHeader, 0, sendBuffer, sendFill);
            int done = 0;
            while (done < payloadLength)
            {
                final int n = Math.min(TransportCipher.MAX_CHUNK_PLAINTEXT, payloadLength - done);
                src.getBytes(offset + TransportCipher.HEADER_LENGTH + done, sendBuffer, position, n);
                position += cipher.encryptChunk(sendBuffer, position, n, sendBuffer, position);
                done += n;
            }
            sendFill = position;
        }
        catch (final NoiseException ex)
        {
            closeQuietly();
            throw ex;
        }
    }

    /** Writes every queued frame to the stream and flushes it. */
    public void flush() throws IOException
    {
        writeQueued();
        out.flush();
    }

    private void writeQueued() throws IOException
    {
        if (sendFill > 0)
        {
            final int n = sendFill;
            sendFill = 0;
            out.write(sendBuffer, 0, n);
        }
    }

    /**
     * Hands both directions to an event loop: from now on bytes come in through {@link #receive} and go out through
     * {@link #sendTo}; {@link #queueFrame} no longer writes by itself. The blocking methods must not be used again.
     * Called by the thread that owned the channel until now, before the loop sees it.
     */
    public void nonBlocking()
    {
        nonBlocking = true;
    }

    /**
     * Non-blocking receive: consumes bytes that arrived, src[offset, offset + length), at most up to the end of one
     * frame. When they complete a frame, it is decrypted into {@link #frameBuffer()} and {@link #readyFrame()} gives
     * its length until the next call. A partial header or payload is kept here (the payload in the receive buffer,
     * which grows only with the bytes that arrive, as in the blocking read).
     *
     * @return the bytes consumed: at least 1 when {@code length > 0}
     * @throws NoiseException BAD_MAC, FRAME_TOO_LARGE or NONCE_EXHAUSTED (the transport is closed)
     */
    public int receive(final byte[] src, final int offset, final int length) throws NoiseException
    {
        readyFrame = 0;
        try
        {
            if (pendingPayload < 0)
            {
                final int n = Math.min(length, TransportCipher.ENCRYPTED_HEADER_LENGTH - headerFill);
                final byte[] header;
                final int headerOffset;
                if (headerFill == 0 && n == TransportCipher.ENCRYPTED_HEADER_LENGTH)
                {
                    header = src;   // the whole header arrived at once: decrypt it where it lies
                    headerOffset = offset;
                }
                else
                {
                    System.arraycopy(src, offset, receivedHeader, headerFill, n);
                    headerFill += n;
                    if (headerFill < TransportCipher.ENCRYPTED_HEADER_LENGTH)
                    {
                        return n;
                    }
                    header = receivedHeader;
                    headerOffset = 0;
                }
                headerFill = 0;
                cipher.decryptHeader(header, headerOffset, receiveBuffer, 0);
                final int payloadLength = TransportCipher.msgLength(receiveView, 0);
                if (payloadLength > maxReceivePayload)
                {
                    throw new NoiseException(NoiseException.Reason.FRAME_TOO_LARGE,
                        "msg_length " + payloadLength + " exceeds the maximum " + maxReceivePayload);
                }
                if (payloadLength == 0)
                {
                    readyFrame = TransportCipher.HEADER_LENGTH;
                    return n;
                }
                pendingPayload = payloadLength;
                payloadFill = 0;
                PARTIAL_FRAME.setOpaque(this, ++framesStarted);
                return n;
            }
            final int cipherLength = TransportCipher.encryptedPayloadLength(pendingPayload);
            final int n = Math.min(length, cipherLength - payloadFill);
            if (payloadFill == 0 && n == cipherLength)
            {
                // the whole payload arrived at once: decrypt it from where it lies into the frame buffer
                if (receiveBuffer.length < TransportCipher.HEADER_LENGTH + pendingPayload)
                {
                    growReceiveBuffer(TransportCipher.HEADER_LENGTH + cipherLength, TransportCipher.HEADER_LENGTH);
                }
                cipher.decryptPayload(src, offset, pendingPayload, receiveBuffer, TransportCipher.HEADER_LENGTH);
            }
            else
            {
                final int needed = TransportCipher.HEADER_LENGTH + payloadFill + n;
                if (receiveBuffer.length < needed)
                {
                    final int wanted = Math.min(cipherLength, Math.max(2 * (payloadFill + n), payloadFill + RECEIVE_GROWTH));
                    growReceiveBuffer(TransportCipher.HEADER_LENGTH + Math.max(wanted, payloadFill + n),
                        TransportCipher.HEADER_LENGTH + payloadFill);
                }
                System.arraycopy(src, offset, receiveBuffer, TransportCipher.HEADER_LENGTH + payloadFill, n);
                payloadFill += n;
                if (payloadFill < cipherLength)
                {
                    return n;
                }
                cipher.decryptPayload(receiveBuffer, TransportCipher.HEADER_LENGTH, pendingPayload, receiveBuffer,
                    TransportCipher.HEADER_LENGTH);
            }
            readyFrame = TransportCipher.HEADER_LENGTH + pendingPayload;
            pendingPayload = -1;
            payloadFill = 0;
            PARTIAL_FRAME.setOpaque(this, 0L);
            return n;
        }
        catch (final NoiseException ex)
        {
            closeQuietly();
            throw ex;
        }
    }

    /**
     * Queues bytes to go out as they are, unencrypted, before any frame queued after them (non-blocking mode): the
     * handshake's act 2, written by the event loop with the frames that follow it.
     */
    public void queueRaw(final byte[] src, final int offset, final int length)
    {
        if (!nonBlocking)
        {
            throw new IllegalStateException("raw bytes only in non-blocking mode");
        }
        ensureSendCapacity(sendFill + length);
        System.arraycopy(src, offset, sendBuffer, sendFill, length);
        sendFill += length;
    }

    /** The length of the frame the last {@link #receive} completed (in {@link #frameBuffer()}), or 0. */
    public int readyFrame()
    {
        return readyFrame;
    }

    /** True between frames: no partial header or payload is held (non-blocking mode). */
    public boolean betweenFrames()
    {
        return headerFill == 0 && pendingPayload < 0;
    }

    /** Encrypted bytes queued and not yet written (non-blocking mode). */
    public int unsentBytes()
    {
        return sendFill - sendStart;
    }

    /**
     * Non-blocking send: writes as much of what {@link #queueFrame} encrypted as {@code out} takes now.
     *
     * @return the bytes written by this call; everything is gone when {@link #unsentBytes()} is 0 afterwards
     */
    public int sendTo(final java.nio.channels.WritableByteChannel out) throws IOException
    {
        if (sendFill == sendStart)
        {
            sendFill = 0;
            sendStart = 0;
            return 0;
        }
        java.nio.ByteBuffer view = sendView;
        if (view == null || view.array() != sendBuffer)
        {
            view = java.nio.ByteBuffer.wrap(sendBuffer);   // once, and again only when the send buffer has grown
            sendView = view;
        }
        view.limit(sendFill).position(sendStart);
        final int n = out.write(view);
        sendStart += n;
        if (sendStart == sendFill)
        {
            sendStart = 0;
            sendFill = 0;
        }
        else if (sendStart >= sendBuffer.length / 2)
        {
            System.arraycopy(sendBuffer, sendStart, sendBuffer, 0, sendFill - sendStart);   // room at the end again
            sendFill -= sendStart;
            sendStart = 0;
        }
        return n;
    }

    private void readFully(final byte[] dst, final int offset, final int length, final boolean atFrameStart)
        throws IOException
    {
        int done = 0;
        while (done < length)
        {
            final int n = in.read(dst, offset + done, length - done);
            if (n < 0)
            {
                throw new NoiseException(NoiseException.Reason.EOF, atFrameStart && done == 0
                    ? "stream ended between frames" : "stream ended inside a frame");
            }
            done += n;
        }
    }

    private void growReceiveBuffer(final int length, final int keep)
    {
        final byte[] bigger = new byte[length];
        System.arraycopy(receiveBuffer, 0, bigger, 0, keep);
        receiveBuffer = bigger;
        receiveView.wrap(receiveBuffer);
    }

    private void ensureSendCapacity(final int needed)
    {
        if (sendBuffer.length < needed)
        {
            final byte[] bigger = new byte[Math.max(needed, 2 * sendBuffer.length)];
            System.arraycopy(sendBuffer, 0, bigger, 0, sendFill);
            sendBuffer = bigger;
        }
    }

    /**
     * The connection is over: the transport cipher's native contexts are wiped (and given back when pooled); any
     * later send or receive fails. On the thread that sends and receives, after its last use; idempotent.
     */
    public void releaseCipher()
    {
        cipher.release();
    }

    /** For tests of nonce exhaustion. */
    TransportCipher cipher()
    {
        return cipher;
    }

    @Override
    public void close() throws IOException
    {
        transport.close();
    }

    private void closeQuietly()
    {
        try
        {
            transport.close();
        }
        catch (final IOException ignored)
        {
            // Already failing; the original NoiseException is what the caller needs.
        }
    }

    /**
     * Closes the transport when the handshake deadline passes, which unblocks a pending read; the failure is then
     * reported as HANDSHAKE_TIMEOUT. Every deadline sits on one shared timer thread (a cancelled one is removed at
     * once), so a handshake costs no thread of its own and no interrupt when it finishes in time.
     */
    private static final class Watchdog
    {
        private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

        private final AtomicInteger state = new AtomicInteger(HANDSHAKING);
        private final Closeable transport;
        private final long timeoutMs;
        private final ScheduledFuture<?> deadline;

        Watchdog(final Closeable transport, final long timeoutMs)
        {
            this.transport = transport;
            this.timeoutMs = timeoutMs;
            this.deadline = DEADLINES.schedule(this::expire, timeoutMs, TimeUnit.MILLISECONDS);
        }

        private static ScheduledThreadPoolExecutor deadlines()
        {
            final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("noise-handshake-deadlines").factory());
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }

        private void expire()
        {
            if (state.compareAndSet(HANDSHAKING, TIMED_OUT))
            {
                // Closing may block (a QUIC stream's reset); never on the shared timer thread.
                Thread.ofVirtual().name("noise-handshake-timeout").start(this::closeTransport);
            }
        }

        private void closeTransport()
        {
            try
            {
                transport.close();
            }
            catch (final IOException ignored)
            {
                // The handshake thread sees the closed stream and reports the timeout.
            }
        }

        void finish() throws NoiseException
        {
            if (!state.compareAndSet(HANDSHAKING, ESTABLISHED))
            {
                throw timeout();
            }
            deadline.cancel(false);
        }

        IOException fail(final Exception cause)
        {
            deadline.cancel(false);
            final boolean timedOut = !state.compareAndSet(HANDSHAKING, TIMED_OUT) && state.get() == TIMED_OUT;
            try
            {
                transport.close();
            }
            catch (final IOException ignored)
            {
                // Closing after a failure; the cause below is what matters.
            }
            if (cause instanceof NoiseException ne && ne.reason() == NoiseException.Reason.HANDSHAKE_TIMEOUT)
            {
                return ne;   // already says which deadline passed (e.g. no handshake turn)
            }
            if (timedOut)
            {
                final NoiseException ex = timeout();
                ex.initCause(cause);
                return ex;
            }
            if (cause instanceof IOException io)
            {
                return io;
            }
            throw (RuntimeException)cause;
        }

        private NoiseException timeout()
        {
            return new NoiseException(NoiseException.Reason.HANDSHAKE_TIMEOUT,
                "handshake not finished within " + timeoutMs + " ms");
        }
    }
}
