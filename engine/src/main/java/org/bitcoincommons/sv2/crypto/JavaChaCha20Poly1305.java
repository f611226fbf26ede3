package org.bitcoincommons.sv2.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The pure-Java ChaCha20-Poly1305 (RFC 8439) behind {@link ChaCha20Poly1305} when the native library is absent or
 * {@code -Dsv2.aead.impl=java}. Encrypts and decrypts in place or into caller buffers and allocates nothing after
 * construction.
 * <p>
 * Not thread-safe: one instance per direction of one connection (its scratch state is reused per message).
 * Poly1305 uses five 26-bit limbs held in longs, so every product fits in 64 bits.
 */
final class JavaChaCha20Poly1305
{
    private static final int TAG_LENGTH = ChaCha20Poly1305.TAG_LENGTH;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LIMB_MASK = 0x3ffffffL;
    private static final long WORD_MASK = 0xffffffffL;

    private final int[] keyWords = new int[8];
    private final int[] keystream = new int[16];
    private final byte[] block = new byte[16];

    private long r0, r1, r2, r3, r4;
    private long s1, s2, s3, s4;
    private long h0, h1, h2, h3, h4;
    private long pad0, pad1, pad2, pad3;
    private long f0, f1, f2, f3;

    /**
     * Sets the 32-byte key used by the following calls.
     */
    JavaChaCha20Poly1305 key(final byte[] key, final int offset)
    {
        for (int i = 0; i < 8; i++)
        {
            keyWords[i] = (int)INT_LE.get(key, offset + 4 * i);
        }
        return this;
    }

    /** Writes the key set last to {@code dst[offset, offset + 32)}. */
    void copyKey(final byte[] dst, final int offset)
    {
        for (int i = 0; i < 8; i++)
        {
            INT_LE.set(dst, offset + 4 * i, keyWords[i]);
        }
    }

    /**
     * Encrypts {@code length} bytes of src into dst and writes the 16-byte tag right after them; the 96-bit nonce is
     * given as its three little-endian 32-bit words (RFC 8439 layout). src and dst may be the same array at the same
     * offset.
     *
     * @return bytes written to dst: {@code length + TAG_LENGTH}.
     */
    int encrypt(
        final int n0, final int n1, final int n2,
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] src, final int srcOffset, final int length,
        final byte[] dst, final int dstOffset)
    {
        xorKeystream(n0, n1, n2, src, srcOffset, length, dst, dstOffset);
        authenticate(n0, n1, n2, ad, adOffset, adLength, dst, dstOffset, length);
        writeTag(dst, dstOffset + length);
        return length + TAG_LENGTH;
    }

    /**
     * Checks the tag of {@code length} bytes (ciphertext followed by its 16-byte tag) and, if it matches, decrypts the
     * ciphertext into dst. On a mismatch dst is left untouched.
     *
     * @return plaintext length, or -1 if the tag does not match or the input is shorter than a tag.
     */
    int decrypt(
        final int n0, final int n1, final int n2,
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] src, final int srcOffset, final int length,
        final byte[] dst, final int dstOffset)
    {
        if (length < TAG_LENGTH)
        {
            return -1;
        }
        final int textLength = length - TAG_LENGTH;
        authenticate(n0, n1, n2, ad, adOffset, adLength, src, srcOffset, textLength);
        if (!tagMatches(src, srcOffset + textLength))
        {
            return -1;
        }
        xorKeystream(n0, n1, n2, src, srcOffset, textLength, dst, dstOffset);
        return textLength;
    }

    private void xorKeystream(
        final int n0, final int n1, final int n2, final byte[] src, final int srcOffset, final int length, final byte[] dst, final int dstOffset)
    {
        int done = 0;
        int counter = 1;
        while (done < length)
        {
            chachaBlock(counter++, n0, n1, n2);
            final int n = Math.min(64, length - done);
            final int s = srcOffset + done;
            final int d = dstOffset + done;
            if (n == 64)
            {
                for (int i = 0; i < 16; i++)
                {
                    INT_LE.set(dst, d + 4 * i, (int)INT_LE.get(src, s + 4 * i) ^ keystream[i]);
                }
            }
            else
            {
                final int words = n >>> 2;
                for (int i = 0; i < words; i++)
                {
                    INT_LE.set(dst, d + 4 * i, (int)INT_LE.get(src, s + 4 * i) ^ keystream[i]);
                }
                for (int j = words << 2; j < n; j++)
                {
                    dst[d + j] = (byte)(src[s + j] ^ (keystream[j >>> 2] >>> ((j & 3) << 3)));
                }
            }
            done += n;
        }
    }

    private void authenticate(
        final int n0, final int n1, final int n2,
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] text, final int textOffset, final int textLength)
    {
        chachaBlock(0, n0, n1, n2);
        polyInit();
        absorbPadded(ad, adOffset, adLength);
        absorbPadded(text, textOffset, textLength);
        INT_LE.set(block, 0, adLength);
        INT_LE.set(block, 4, 0);
        INT_LE.set(block, 8, textLength);
        INT_LE.set(block, 12, 0);
        polyBlock(block, 0);
    }

    private void absorbPadded(final byte[] data, final int offset, final int length)
    {
        final int full = length & ~15;
        for (int i = 0; i < full; i += 16)
        {
            polyBlock(data, offset + i);
        }
        final int rest = length - full;
        if (rest > 0)
        {
            for (int i = 0; i < 16; i++)
            {
                block[i] = i < rest ? data[offset + full + i] : 0;
            }
            polyBlock(block, 0);
        }
    }

    private void chachaBlock(final int counter, final int n0, final int n1, final int n2)
    {
        final int[] k = keyWords;
        int x0 = 0x61707865, x1 = 0x3320646e, x2 = 0x79622d32, x3 = 0x6b206574;
        int x4 = k[0], x5 = k[1], x6 = k[2], x7 = k[3], x8 = k[4], x9 = k[5], x10 = k[6], x11 = k[7];
        int x12 = counter, x13 = n0, x14 = n1, x15 = n2;
        for (int round = 0; round < 10; round++)
        {
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);

            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
        }
        final int[] o = keystream;
        o[0] = x0 + 0x61707865; o[1] = x1 + 0x3320646e; o[2] = x2 + 0x79622d32; o[3] = x3 + 0x6b206574;
        o[4] = x4 + k[0]; o[5] = x5 + k[1]; o[6] = x6 + k[2]; o[7] = x7 + k[3];
        o[8] = x8 + k[4]; o[9] = x9 + k[5]; o[10] = x10 + k[6]; o[11] = x11 + k[7];
        o[12] = x12 + counter; o[13] = x13 + n0; o[14] = x14 + n1; o[15] = x15 + n2;
    }

    private void polyInit()
    {
        // One-time key = first 32 bytes of block 0; r is clamped per RFC 8439 section 2.5.
        final long t0 = keystream[0] & WORD_MASK;
        final long t1 = keystream[1] & WORD_MASK;
        final long t2 = keystream[2] & WORD_MASK;
        final long t3 = keystream[3] & WORD_MASK;
        r0 = t0 & 0x3ffffffL;
        r1 = ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03L;
        r2 = ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ffL;
        r3 = ((t2 >>> 14) | (t3 << 18)) & 0x3f03fffL;
        r4 = (t3 >>> 8) & 0x00fffffL;
        s1 = r1 * 5;
        s2 = r2 * 5;
        s3 = r3 * 5;
        s4 = r4 * 5;
        h0 = 0;
        h1 = 0;
        h2 = 0;
        h3 = 0;
        h4 = 0;
        pad0 = keystream[4] & WORD_MASK;
        pad1 = keystream[5] & WORD_MASK;
        pad2 = keystream[6] & WORD_MASK;
        pad3 = keystream[7] & WORD_MASK;
    }

    private void polyBlock(final byte[] m, final int offset)
    {
        final long t0 = (int)INT_LE.get(m, offset) & WORD_MASK;
        final long t1 = (int)INT_LE.get(m, offset + 4) & WORD_MASK;
        final long t2 = (int)INT_LE.get(m, offset + 8) & WORD_MASK;
        final long t3 = (int)INT_LE.get(m, offset + 12) & WORD_MASK;

        long a0 = h0 + (t0 & LIMB_MASK);
        long a1 = h1 + (((t0 >>> 26) | (t1 << 6)) & LIMB_MASK);
        long a2 = h2 + (((t1 >>> 20) | (t2 << 12)) & LIMB_MASK);
        long a3 = h3 + (((t2 >>> 14) | (t3 << 18)) & LIMB_MASK);
        long a4 = h4 + ((t3 >>> 8) | (1L << 24));

        long d0 = a0 * r0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
        long d1 = a0 * r1 + a1 * r0 + a2 * s4 + a3 * s3 + a4 * s2;
        long d2 = a0 * r2 + a1 * r1 + a2 * r0 + a3 * s4 + a4 * s3;
        long d3 = a0 * r3 + a1 * r2 + a2 * r1 + a3 * r0 + a4 * s4;
        long d4 = a0 * r4 + a1 * r3 + a2 * r2 + a3 * r1 + a4 * r0;

        long c = d0 >>> 26;
        a0 = d0 & LIMB_MASK;
        d1 += c;
        c = d1 >>> 26;
        a1 = d1 & LIMB_MASK;
        d2 += c;
        c = d2 >>> 26;
        a2 = d2 & LIMB_MASK;
        d3 += c;
        c = d3 >>> 26;
        a3 = d3 & LIMB_MASK;
        d4 += c;
        c = d4 >>> 26;
        a4 = d4 & LIMB_MASK;
        a0 += c * 5;
        c = a0 >>> 26;
        a0 &= LIMB_MASK;
        a1 += c;

        h0 = a0;
        h1 = a1;
        h2 = a2;
        h3 = a3;
        h4 = a4;
    }

    private void writeTag(final byte[] dst, final int offset)
    {
        finish();
        INT_LE.set(dst, offset, (int)f0);
        INT_LE.set(dst, offset + 4, (int)f1);
        INT_LE.set(dst, offset + 8, (int)f2);
        INT_LE.set(dst, offset + 12, (int)f3);
    }

    private boolean tagMatches(final byte[] src, final int offset)
    {
        finish();
        final int diff = ((int)INT_LE.get(src, offset) ^ (int)f0)
            | ((int)INT_LE.get(src, offset + 4) ^ (int)f1)
            | ((int)INT_LE.get(src, offset + 8) ^ (int)f2)
            | ((int)INT_LE.get(src, offset + 12) ^ (int)f3);
        return diff == 0;
    }

    /** Final reduction mod 2^130 - 5, plus s, mod 2^128; the tag as four 32-bit words in f0..f3. */
    private void finish()
    {
        long a0 = h0, a1 = h1, a2 = h2, a3 = h3, a4 = h4;
        long c = a1 >>> 26;
        a1 &= LIMB_MASK;
        a2 += c;
        c = a2 >>> 26;
        a2 &= LIMB_MASK;
        a3 += c;
        c = a3 >>> 26;
        a3 &= LIMB_MASK;
        a4 += c;
        c = a4 >>> 26;
        a4 &= LIMB_MASK;
        a0 += c * 5;
        c = a0 >>> 26;
        a0 &= LIMB_MASK;
        a1 += c;

        // g = h + 5 - 2^130; keep g when it does not borrow (h >= p), selected without branches.
        long g0 = a0 + 5;
        c = g0 >>> 26;
        g0 &= LIMB_MASK;
        long g1 = a1 + c;
        c = g1 >>> 26;
        g1 &= LIMB_MASK;
        long g2 = a2 + c;
        c = g2 >>> 26;
        g2 &= LIMB_MASK;
        long g3 = a3 + c;
        c = g3 >>> 26;
        g3 &= LIMB_MASK;
        final long g4 = a4 + c - (1L << 26);
        final long keepG = (g4 >>> 63) - 1;
        a0 = (a0 & ~keepG) | (g0 & keepG);
        a1 = (a1 & ~keepG) | (g1 & keepG);
        a2 = (a2 & ~keepG) | (g2 & keepG);
        a3 = (a3 & ~keepG) | (g3 & keepG);
        a4 = (a4 & ~keepG) | (g4 & keepG);

        final long w0 = (a0 | (a1 << 26)) & WORD_MASK;
        final long w1 = ((a1 >>> 6) | (a2 << 20)) & WORD_MASK;
        final long w2 = ((a2 >>> 12) | (a3 << 14)) & WORD_MASK;
        final long w3 = ((a3 >>> 18) | (a4 << 8)) & WORD_MASK;

        long f = w0 + pad0;
        f0 = f & WORD_MASK;
        f = w1 + pad1 + (f >>> 32);
        f1 = f & WORD_MASK;
        f = w2 + pad2 + (f >>> 32);
        f2 = f & WORD_MASK;
        f = w3 + pad3 + (f >>> 32);
        f3 = f & WORD_MASK;
    }
}
