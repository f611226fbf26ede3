package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Sha256dTest
{
    private static byte[] oracle(final byte[] data) throws Exception
    {
        final MessageDigest a = MessageDigest.getInstance("SHA-256");
        final MessageDigest b = MessageDigest.getInstance("SHA-256");
        return b.digest(a.digest(data));
    }

    @Test
    void knownAnswerForEmptyInput()
    {
        // sha256d("") is a widely published constant
        assertEquals("5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456",
            Hex.encode(Sha256d.hash(new byte[0])));
    }

    @Test
    void singleSha256KnownAnswerFromFips180()
    {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            Hex.encode(Sha256d.sha256("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    }

    @Test
    void allVariantsMatchTwoIndependentMessageDigests() throws Exception
    {
        final Sha256d sha = new Sha256d();
        for (int length : new int[] {0, 1, 55, 56, 63, 64, 80, 255, 256, 257, 1000})
        {
            final byte[] data = new byte[length];
            for (int i = 0; i < length; i++)
            {
                data[i] = (byte)(i * 31 + length);
            }
            final byte[] expected = oracle(data);
            assertArrayEquals(expected, Sha256d.hash(data));

            final byte[] padded = new byte[length + 10];
            System.arraycopy(data, 0, padded, 7, length);
            final byte[] out = new byte[40];
            sha.digest(padded, 7, length, out, 3);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, 3, 35));

            final UnsafeBuffer heapSlice = new UnsafeBuffer(padded, 5, length + 2);
            final byte[] out2 = new byte[32];
            sha.digest(heapSlice, 2, length, out2, 0);
            assertArrayEquals(expected, out2);

            final ByteBuffer direct = ByteBuffer.allocateDirect(length + 9);
            direct.put(4, data);
            final UnsafeBuffer directBuffer = new UnsafeBuffer(direct);
            final UnsafeBuffer outBuffer = new UnsafeBuffer(new byte[36]);
            sha.digest(directBuffer, 4, length, outBuffer, 4);
            final byte[] out3 = new byte[32];
            outBuffer.getBytes(4, out3);
            assertArrayEquals(expected, out3);
        }
    }

    @Test
    void nodeHashesConcatenation() throws Exception
    {
        final byte[] left = new byte[32];
        final byte[] right = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            left[i] = (byte)i;
            right[i] = (byte)(100 + i);
        }
        final byte[] both = new byte[64];
        System.arraycopy(left, 0, both, 0, 32);
        System.arraycopy(right, 0, both, 32, 32);
        final byte[] out = left.clone();
        new Sha256d().node(out, 0, right, 0, out, 0);
        assertArrayEquals(oracle(both), out);
    }

    @Test
    void streamingPiecesEqualTheJoinedMessage() throws Exception
    {
        final byte[] prefix = Hex.decode("01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff08");
        final byte[] extranonce = Hex.decode("0011223344556677");
        final byte[] suffix = Hex.decode("ffffffff0100f2052a010000000151" + "00000000");
        final byte[] joined = MerkleTest.concat(MerkleTest.concat(prefix, extranonce), suffix);
        final Sha256d sha = new Sha256d();
        final byte[] out = new byte[32];
        sha.update(prefix, 0, prefix.length)
            .update(new UnsafeBuffer(extranonce), 0, extranonce.length)
            .update(suffix, 0, suffix.length)
            .finish(out, 0);
        assertArrayEquals(oracle(joined), out);
        // a half-fed message is dropped by reset
        sha.update(prefix, 0, 5).reset().update(joined, 0, joined.length);
        final UnsafeBuffer outBuffer = new UnsafeBuffer(new byte[40]);
        sha.finish(outBuffer, 8);
        final byte[] fromBuffer = new byte[32];
        outBuffer.getBytes(8, fromBuffer);
        assertArrayEquals(oracle(joined), fromBuffer);
    }
}
