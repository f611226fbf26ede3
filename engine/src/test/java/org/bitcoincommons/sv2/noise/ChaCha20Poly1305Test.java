package org.bitcoincommons.sv2.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class ChaCha20Poly1305Test
{
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8439 section 2.8.2. */
    @Test
    void rfc8439AeadVector() throws Exception
    {
        final byte[] key = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        final byte[] nonce = HEX.parseHex("070000004041424344454647");
        final byte[] aad = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
        final byte[] plain = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
            + "future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        final byte[] expected = HEX.parseHex(
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
            + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691");

        final ByteBuffer nb = ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN);
        final ChaCha20Poly1305 aead = new ChaCha20Poly1305().key(key, 0);
        final byte[] out = new byte[plain.length + 16];
        aead.encrypt(nb.getInt(0), nb.getInt(4), nb.getInt(8), aad, 0, aad.length, plain, 0, plain.length, out, 0);
        assertArrayEquals(expected, out);
        assertArrayEquals(expected, jdkEncrypt(key, nonce, aad, plain), "oracle agrees with the RFC");

        final byte[] back = new byte[plain.length];
        assertEquals(plain.length,
            aead.decrypt(nb.getInt(0), nb.getInt(4), nb.getInt(8), aad, 0, aad.length, out, 0, out.length, back, 0));
        assertArrayEquals(plain, back);

        out[5] ^= 1;
        assertEquals(-1, aead.decrypt(nb.getInt(0), nb.getInt(4), nb.getInt(8), aad, 0, aad.length, out, 0, out.length,
            back, 0));
    }

    @Test
    void matchesJdkOnRandomInputsWithSv2Nonce() throws Exception
    {
        final SplittableRandom rnd = new SplittableRandom(8439);
        final ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        final int[] lengths = {0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 1000, 4096, 65519};
        for (int iteration = 0; iteration < 200; iteration++)
        {
            final byte[] key = bytes(rnd, 32);
            final long counter = iteration < 5 ? iteration : rnd.nextLong();
            final int length = iteration < lengths.length ? lengths[iteration] : rnd.nextInt(3000);
            final byte[] plain = bytes(rnd, length);
            final byte[] aad = bytes(rnd, rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(70));
            final byte[] nonce = new byte[12];
            ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).putLong(4, counter);

            final byte[] ours = new byte[length + 16];
            aead.key(key, 0).encrypt(counter, aad, 0, aad.length, plain, 0, length, ours, 0);
            assertArrayEquals(jdkEncrypt(key, nonce, aad, plain), ours, "length " + length);

            // in place decrypt at an offset
            final byte[] work = new byte[ours.length + 7];
            System.arraycopy(ours, 0, work, 7, ours.length);
            assertEquals(length, aead.decrypt(counter, aad, 0, aad.length, work, 7, ours.length, work, 7));
            assertArrayEquals(plain, Arrays.copyOfRange(work, 7, 7 + length));
        }
    }

    private static byte[] bytes(final SplittableRandom rnd, final int n)
    {
        final byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] jdkEncrypt(final byte[] key, final byte[] nonce, final byte[] aad, final byte[] plain)
        throws Exception
    {
        final Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(plain);
    }
}
