package org.bitcoincommons.sv2.hash;

/**
 * Scalar SHA-256 compression (FIPS 180-4, section 6.2.2) on big-endian words already unpacked to ints.
 * Holds its 64-word schedule, so an instance is confined to one thread and allocates nothing per call.
 */
final class JavaSha256
{
    static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    static final int[] IV = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };

    /** The message schedule; callers fill words 0..15 before {@link #compress(int[])}. */
    final int[] w = new int[64];

    /** state (8 words) += compression of the block in {@code w[0..15]}; w[16..63] are overwritten. */
    void compress(final int[] state)
    {
        final int[] w = this.w;
        for (int i = 16; i < 64; i++)
        {
            final int w2 = w[i - 2];
            final int w15 = w[i - 15];
            final int s1 = Integer.rotateRight(w2, 17) ^ Integer.rotateRight(w2, 19) ^ (w2 >>> 10);
            final int s0 = Integer.rotateRight(w15, 7) ^ Integer.rotateRight(w15, 18) ^ (w15 >>> 3);
            w[i] = s1 + w[i - 7] + s0 + w[i - 16];
        }
        int a = state[0];
        int b = state[1];
        int c = state[2];
        int d = state[3];
        int e = state[4];
        int f = state[5];
        int g = state[6];
        int h = state[7];
        for (int i = 0; i < 64; i++)
        {
            final int bs1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
            final int ch = g ^ (e & (f ^ g));
            final int t1 = h + bs1 + ch + K[i] + w[i];
            final int bs0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
            final int maj = (a & b) | (c & (a | b));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + bs0 + maj;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }

    /**
     * out = SHA-256 of the 32-byte digest {@code first} (the second half of SHA-256d): one block of
     * the digest, 0x80, zeros and the length 256.
     */
    void second(final int[] first, final int[] out)
    {
        final int[] w = this.w;
        System.arraycopy(first, 0, w, 0, 8);
        w[8] = 0x80000000;
        for (int i = 9; i < 15; i++)
        {
            w[i] = 0;
        }
        w[15] = 256;
        System.arraycopy(IV, 0, out, 0, 8);
        compress(out);
    }
}
