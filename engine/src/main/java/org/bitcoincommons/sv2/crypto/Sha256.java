package org.bitcoincommons.sv2.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256, HMAC-SHA256, the Noise HKDF and BIP340 tagged hashes over one reused JDK {@link MessageDigest} (a clone
 * of one looked up once). Not thread-safe: one instance per handshake or per thread.
 */
public final class Sha256
{
    /** Digest length, bytes. */
    public static final int LENGTH = 32;

    /** HMAC's block length, bytes. */
    private static final int BLOCK = 64;

    /** Looked up once; each instance clones it, which costs no provider lookup. */
    private static final MessageDigest PROTOTYPE = lookUp();

    private final MessageDigest digest;
    private final byte[] temp = new byte[LENGTH];
    private final byte[] temp2 = new byte[LENGTH];
    private final byte[] pad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];
    private final byte[] one = {0x01};
    private final byte[] input2 = new byte[LENGTH + 1];

    public Sha256()
    {
        try
        {
            digest = (MessageDigest)PROTOTYPE.clone();
        }
        catch (final CloneNotSupportedException ex)
        {
            throw new IllegalStateException("the JDK's SHA-256 cannot be cloned", ex);
        }
    }

    private static MessageDigest lookUp()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 missing from the JDK", ex);
        }
    }

    /** SHA256 of one array. */
    public byte[] hash(final byte[] data)
    {
        return digest.digest(data);
    }

    /** SHA256 of the concatenation of the given arrays. */
    public byte[] hash(final byte[]... parts)
    {
        for (final byte[] part : parts)
        {
            digest.update(part);
        }
        return digest.digest();
    }

    /** SHA256(a || b[bOffset, bOffset + bLength)) into out[outOffset..+32); the Noise MixHash. */
    public void hash(
        final byte[] a, final byte[] b, final int bOffset, final int bLength, final byte[] out, final int outOffset)
    {
        digest.update(a);
        digest.update(b, bOffset, bLength);
        try
        {
            digest.digest(out, outOffset, LENGTH);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** SHA256(tag) for a BIP340 tag string; compute once and pass to {@link #tagged}. */
    public byte[] tagHash(final String tag)
    {
        return digest.digest(tag.getBytes(StandardCharsets.UTF_8));
    }

    /** BIP340 tagged hash: SHA256(tagHash || tagHash || parts...). */
    public byte[] tagged(final byte[] tagHash, final byte[]... parts)
    {
        digest.update(tagHash);
        digest.update(tagHash);
        for (final byte[] part : parts)
        {
            digest.update(part);
        }
        return digest.digest();
    }

    /**
     * HMAC-SHA256(key, data) into out[outOffset..+32) (RFC 2104: H((K ^ opad) || H((K ^ ipad) || data)), K the key
     * padded with zeros to 64 bytes, or its hash when longer). On this instance's digest: no Mac lookup, no key object.
     */
    public void hmac(
        final byte[] key, final byte[] data, final int dataOffset, final int dataLength, final byte[] out,
        final int outOffset)
    {
        final byte[] k = key.length > BLOCK ? hash(key) : key;
        try
        {
            java.util.Arrays.fill(pad, (byte)0x36);
            for (int i = 0; i < k.length; i++)
            {
                pad[i] ^= k[i];
            }
            digest.update(pad);
            digest.update(data, dataOffset, dataLength);
            digest.digest(inner, 0, LENGTH);
            java.util.Arrays.fill(pad, (byte)0x5c);
            for (int i = 0; i < k.length; i++)
            {
                pad[i] ^= k[i];
            }
            digest.update(pad);
            digest.update(inner);
            digest.digest(out, outOffset, LENGTH);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        finally
        {
            java.util.Arrays.fill(pad, (byte)0);
            java.util.Arrays.fill(inner, (byte)0);
        }
    }

    /**
     * The Noise HKDF with two outputs: t = HMAC(ck, ikm); out1 = HMAC(t, 0x01); out2 = HMAC(t, out1 || 0x02).
     */
    public void hkdf2(final byte[] chainingKey, final byte[] ikm, final int ikmLength, final byte[] out1,
        final byte[] out2)
    {
        final byte[] prk = temp;
        hmac(chainingKey, ikm, 0, ikmLength, prk, 0);
        hmac(prk, one, 0, 1, out1, 0);
        System.arraycopy(out1, 0, input2, 0, LENGTH);
        input2[LENGTH] = 0x02;
        hmac(prk, input2, 0, input2.length, temp2, 0);
        System.arraycopy(temp2, 0, out2, 0, LENGTH);
    }
}
