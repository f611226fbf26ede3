package org.bitcoincommons.sv2.bitcoin;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * SHA-256 applied twice, Bitcoin's hash for headers, txids and merkle nodes. Output is in internal byte order.
 *
 * <p>Static methods allocate (cold paths). An instance owns one {@link MessageDigest} and a 32-byte scratch array
 * and hashes into caller buffers without allocating; an instance is not thread-safe: one per owning thread.
 */
public final class Sha256d
{
    public static final int HASH_LENGTH = 32;

    private final MessageDigest digest;
    private final byte[] scratch = new byte[HASH_LENGTH];
    private final byte[] pair = new byte[2 * HASH_LENGTH];
    private final byte[] copy = new byte[256];

    public Sha256d()
    {
        digest = newSha256();
    }

    /**
     * Allocating one-shot sha256d.
     */
    public static byte[] hash(final byte[] data)
    {
        return hash(data, 0, data.length);
    }

    public static byte[] hash(final byte[] data, final int offset, final int length)
    {
        final MessageDigest md = newSha256();
        md.update(data, offset, length);
        return md.digest(md.digest());
    }

    /**
     * Allocating one-shot single SHA-256.
     */
    public static byte[] sha256(final byte[] data)
    {
        return newSha256().digest(data);
    }

    /**
     * sha256d of {@code data[offset, offset+length)} written to {@code out[outOffset, outOffset+32)}. No allocation.
     * {@code out} may overlap the input.
     */
    public void digest(final byte[] data, final int offset, final int length, final byte[] out, final int outOffset)
    {
        digest.update(data, offset, length);
        finishInto(out, outOffset);
    }

    /**
     * sha256d of a region of a {@link DirectBuffer} (heap or direct) into {@code out} at {@code outOffset}.
     * No allocation when the buffer wraps a byte array or a ByteBuffer.
     */
    public void digest(
        final DirectBuffer buffer, final int offset, final int length, final MutableDirectBuffer out, final int outOffset)
    {
        feed(buffer, offset, length);
        finishInto(scratch, 0);
        out.putBytes(outOffset, scratch, 0, HASH_LENGTH);
    }

    /**
     * sha256d of a region of a {@link DirectBuffer} into a byte array. No allocation.
     */
    public void digest(
        final DirectBuffer buffer, final int offset, final int length, final byte[] out, final int outOffset)
    {
        feed(buffer, offset, length);
        finishInto(out, outOffset);
    }

    /**
     * Merkle node: {@code out = sha256d(left || right)}, each 32 bytes; {@code out} may alias either input.
     */
    public void node(
        final byte[] left, final int leftOffset, final byte[] right, final int rightOffset,
        final byte[] out, final int outOffset)
    {
        System.arraycopy(left, leftOffset, pair, 0, HASH_LENGTH);
        System.arraycopy(right, rightOffset, pair, HASH_LENGTH, HASH_LENGTH);
        digest.update(pair, 0, 2 * HASH_LENGTH);
        finishInto(out, outOffset);
    }

    /**
     * Streaming form: feed pieces with {@link #update} then call {@link #finish}. Lets a coinbase be hashed as
     * prefix, extranonce and suffix without joining them. {@link #reset} drops a half-fed message.
     */
    public Sha256d reset()
    {
        digest.reset();
        return this;
    }

    public Sha256d update(final byte[] data, final int offset, final int length)
    {
        digest.update(data, offset, length);
        return this;
    }

    public Sha256d update(final DirectBuffer buffer, final int offset, final int length)
    {
        feed(buffer, offset, length);
        return this;
    }

    /**
     * Complete the streamed message: sha256d into {@code out[outOffset, outOffset+32)}; the instance is then reset.
     */
    public void finish(final byte[] out, final int outOffset)
    {
        finishInto(out, outOffset);
    }

    public void finish(final MutableDirectBuffer out, final int outOffset)
    {
        finishInto(scratch, 0);
        out.putBytes(outOffset, scratch, 0, HASH_LENGTH);
    }

    private void feed(final DirectBuffer buffer, final int offset, final int length)
    {
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            digest.update(array, buffer.wrapAdjustment() + offset, length);
            return;
        }
        int done = 0;
        while (done < length)
        {
            final int chunk = Math.min(copy.length, length - done);
            buffer.getBytes(offset + done, copy, 0, chunk);
            digest.update(copy, 0, chunk);
            done += chunk;
        }
    }

    private void finishInto(final byte[] out, final int outOffset)
    {
        try
        {
            digest.digest(scratch, 0, HASH_LENGTH);
            digest.update(scratch, 0, HASH_LENGTH);
            digest.digest(out, outOffset, HASH_LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalArgumentException("output too small for a 32-byte hash", ex);
        }
    }

    private static MessageDigest newSha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
        }
    }
}
