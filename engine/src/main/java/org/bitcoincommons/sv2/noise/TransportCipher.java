package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.AeadImpl;
import org.bitcoincommons.sv2.crypto.ChaCha20Poly1305;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;

/**
 * Encrypts and decrypts SV2 frames after the handshake (SV2 spec 4.4). The 6-byte frame header is one AEAD message
 * (22 bytes on the wire); the payload follows as AEAD messages of at most {@link #MAX_CHUNK_PLAINTEXT} plaintext
 * bytes each plus a 16-byte tag; an empty payload has no tag. The header's msg_length is the plaintext length.
 * Associated data is always empty. Frame header layout (little-endian):
 * <pre>
 *  +----------------------+------------+------------------------+
 *  | extension_type (U16) | msg_type U8| msg_length (U24)       |
 *  +----------------------+------------+------------------------+
 *   0                      2            3                        6
 * </pre>
 * Allocates nothing per frame. Not thread-safe: the sending side and the receiving side may each be driven by one
 * thread (they share no state).
 */
public final class TransportCipher
{
    /** The plaintext header is the codec's: one definition of the frame header ({@link FrameHeaderFlyweight}). */
    public static final int HEADER_LENGTH = FrameHeaderFlyweight.HEADER_LENGTH;
    public static final int EXTENSION_TYPE_FIELD_OFFSET = FrameHeaderFlyweight.EXTENSION_TYPE_FIELD_OFFSET;
    public static final int MSG_TYPE_FIELD_OFFSET = FrameHeaderFlyweight.MSG_TYPE_FIELD_OFFSET;
    public static final int MSG_LENGTH_FIELD_OFFSET = FrameHeaderFlyweight.MSG_LENGTH_FIELD_OFFSET;
    public static final int MAC_LENGTH = ChaCha20Poly1305.TAG_LENGTH;
    public static final int ENCRYPTED_HEADER_LENGTH = HEADER_LENGTH + MAC_LENGTH;
    /** Largest Noise transport message, bytes of ciphertext including its tag. */
    public static final int MAX_MESSAGE_LENGTH = 65535;
    public static final int MAX_CHUNK_PLAINTEXT = MAX_MESSAGE_LENGTH - MAC_LENGTH;
    /** Largest msg_length a U24 can carry. */
    public static final int MAX_PAYLOAD_LENGTH = 0xffffff;

    private static final byte[] NO_AD = new byte[0];

    private final CipherState sender;
    private final CipherState receiver;

    TransportCipher(final byte[] sendKey, final byte[] receiveKey)
    {
        this(sendKey, receiveKey, AeadImpl.selected());
    }

    TransportCipher(final byte[] sendKey, final byte[] receiveKey, final AeadImpl impl)
    {
        this(sendKey, receiveKey, impl, null);
    }

    /** Native contexts from {@code contexts} when given (see {@link #release}). */
    TransportCipher(final byte[] sendKey, final byte[] receiveKey, final AeadImpl impl,
        final org.bitcoincommons.sv2.crypto.CipherContexts contexts)
    {
        this.sender = new CipherState(impl, contexts).initializeKey(sendKey);
        this.receiver = new CipherState(impl, contexts).initializeKey(receiveKey);
    }

    /**
     * The connection is over: both directions' native contexts are wiped and, when pooled, given back; any later
     * encryption or decryption fails. Idempotent; on the thread that uses the cipher, after its last use.
     */
    public void release()
    {
        sender.release();
        receiver.release();
    }

    /** Whether the native contexts are slots of a {@link org.bitcoincommons.sv2.crypto.CipherContexts}. */
    public boolean pooledContexts()
    {
        return sender.pooledContext() && receiver.pooledContext();
    }

    /** Ciphertext length of a payload of plaintext length payloadLength: 0 for 0, else + 16 per started chunk. */
    public static int encryptedPayloadLength(final int payloadLength)
    {
        return payloadLength + ((payloadLength + MAX_CHUNK_PLAINTEXT - 1) / MAX_CHUNK_PLAINTEXT) * MAC_LENGTH;
    }

    /** msg_length of a plaintext header at offset. */
    public static int msgLength(final UnsafeBuffer buffer, final int headerOffset)
    {
        return FrameHeaderFlyweight.msgLength(buffer, headerOffset);
    }

    /**
     * Encrypts a plaintext frame (header then payload, frameLength bytes) from src into dst, which must not overlap.
     *
     * @return wire bytes written: 22 + {@link #encryptedPayloadLength}.
     */
    public int encryptFrame(final byte[] src, final int srcOffset, final int frameLength, final byte[] dst,
        final int dstOffset) throws NoiseException
    {
        int written = encryptHeader(src, srcOffset, dst, dstOffset);
        int done = HEADER_LENGTH;
        while (done < frameLength)
        {
            final int n = Math.min(MAX_CHUNK_PLAINTEXT, frameLength - done);
            written += encryptChunk(src, srcOffset + done, n, dst, dstOffset + written);
            done += n;
        }
        return written;
    }

    /** Encrypts a 6-byte header into 22 bytes. */
    public int encryptHeader(final byte[] src, final int srcOffset, final byte[] dst, final int dstOffset)
        throws NoiseException
    {
        return sender.encryptWithAd(NO_AD, 0, src, srcOffset, HEADER_LENGTH, dst, dstOffset);
    }

    /** Encrypts one payload chunk of at most {@link #MAX_CHUNK_PLAINTEXT} bytes; src == dst in place is allowed. */
    public int encryptChunk(final byte[] src, final int srcOffset, final int length, final byte[] dst,
        final int dstOffset) throws NoiseException
    {
        return sender.encryptWithAd(NO_AD, 0, src, srcOffset, length, dst, dstOffset);
    }

    /** Authenticates and decrypts a 22-byte encrypted header into 6 bytes at dst. */
    public void decryptHeader(final byte[] src, final int srcOffset, final byte[] dst, final int dstOffset)
        throws NoiseException
    {
        receiver.decryptWithAd(NO_AD, 0, src, srcOffset, ENCRYPTED_HEADER_LENGTH, dst, dstOffset);
    }

    /**
     * Authenticates and decrypts a payload of plaintext length payloadLength whose ciphertext
     * ({@link #encryptedPayloadLength} bytes) starts at srcOffset. dst may be the same array at an offset at or below
     * srcOffset (in-place decryption that packs the chunks together).
     */
    public void decryptPayload(final byte[] src, final int srcOffset, final int payloadLength, final byte[] dst,
        final int dstOffset) throws NoiseException
    {
        int in = srcOffset;
        int out = dstOffset;
        int remaining = payloadLength;
        while (remaining > 0)
        {
            final int n = Math.min(MAX_CHUNK_PLAINTEXT, remaining);
            receiver.decryptWithAd(NO_AD, 0, src, in, n + MAC_LENGTH, dst, out);
            in += n + MAC_LENGTH;
            out += n;
            remaining -= n;
        }
    }

    CipherState sender()
    {
        return sender;
    }

    CipherState receiver()
    {
        return receiver;
    }
}
