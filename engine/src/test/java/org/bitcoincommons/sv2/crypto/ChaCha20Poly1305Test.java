package org.bitcoincommons.sv2.crypto;

import org.bitcoincommons.sv2.noise.TransportCipher;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bitcoincommons.sv2.nativelib.NativeLibraryLocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AEAD implementation (pure Java, and native with each ChaCha20 kernel this CPU has) against RFC 8439 and
 * against the JDK's javax.crypto ChaCha20-Poly1305 as an independent oracle. Native variants are skipped only when
 * libsv2hash.so is absent.
 */
class ChaCha20Poly1305Test
{
    private static final HexFormat HEX = HexFormat.of();

    /** The contexts of the pooled variant: off-heap slots, as the pool's loop-served connections use them. */
    private static final CipherContexts POOLED = new CipherContexts(4096);

    /**
     * An implementation, and for native the ChaCha20 kernel forced for the test; {@code pooled}: the native context is
     * a slot of a {@link CipherContexts} (off the heap) instead of an array of the cipher's own.
     */
    record Variant(AeadImpl impl, int kernel, String name, boolean pooled)
    {
        Variant(final AeadImpl impl, final int kernel, final String name)
        {
            this(impl, kernel, name, false);
        }

        ChaCha20Poly1305 create()
        {
            assumeTrue(impl.available(), "native library absent");
            if (impl == AeadImpl.NATIVE)
            {
                assertTrue(NativeAead.useKernel(kernel), "kernel " + name);
            }
            if (pooled)
            {
                final ChaCha20Poly1305 c = new ChaCha20Poly1305(impl, POOLED);
                assertTrue(c.pooledContext(), "a slot was free");
                return c;
            }
            return new ChaCha20Poly1305(impl);
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    static List<Variant> variants()
    {
        final List<Variant> variants = new ArrayList<>();
        variants.add(new Variant(AeadImpl.JAVA, 0, "java"));
        variants.add(new Variant(AeadImpl.NATIVE, NativeAead.KERNEL_AUTO, "native-auto"));
        variants.add(new Variant(AeadImpl.NATIVE, NativeAead.KERNEL_AUTO, "native-auto-pooled-context", true));
        if (NativeAead.available())
        {
            for (int k = NativeAead.KERNEL_PORTABLE; k < NativeAead.KERNEL_COUNT; k++)
            {
                if ((NativeAead.kernelsAvailable() & (1 << k)) != 0)
                {
                    variants.add(new Variant(AeadImpl.NATIVE, k, "native-" + NativeAead.kernelName(k)));
                }
            }
        }
        return variants;
    }

    @AfterEach
    void restoreKernel()
    {
        if (NativeAead.available())
        {
            NativeAead.useKernel(NativeAead.KERNEL_AUTO);
        }
    }

    @Test
    void nativeIsUsableAndSelectedWhenTheLibraryIsThere()
    {
        assumeTrue(NativeLibraryLocator.library().isPresent(), "native library absent");
        assertTrue(NativeAead.available(), () -> "library present but AEAD unusable: " + NativeAead.FAILURE);
        if (System.getProperty(AeadImpl.PROPERTY) == null)
        {
            assertEquals(AeadImpl.NATIVE, AeadImpl.selected());
            assertEquals(AeadImpl.NATIVE, new ChaCha20Poly1305().impl());
            assertTrue(AeadImpl.selectedDescription().startsWith("native "), AeadImpl.selectedDescription());
        }
        assertTrue((NativeAead.kernelsAvailable() & (1 << NativeAead.KERNEL_PORTABLE)) != 0);
        assertTrue(!NativeAead.useKernel(NativeAead.KERNEL_COUNT), "unknown kernel refused");
    }

    @Test
    void configNames()
    {
        assertEquals(AeadImpl.NATIVE, AeadImpl.fromConfigName("Native"));
        assertEquals(AeadImpl.JAVA, AeadImpl.fromConfigName("java"));
        assertThrows(IllegalArgumentException.class, () -> AeadImpl.fromConfigName("jni"));
    }

    /** RFC 8439 section 2.8.2. */
    @ParameterizedTest
    @MethodSource("variants")
    void rfc8439AeadVector(final Variant variant) throws Exception
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
        final ChaCha20Poly1305 aead = variant.create().key(key, 0);
        final byte[] out = new byte[plain.length + 16];
        assertEquals(out.length, aead.encrypt(nb.getInt(0), nb.getInt(4), nb.getInt(8), aad, 0, aad.length, plain, 0,
            plain.length, out, 0));
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

    @ParameterizedTest
    @MethodSource("variants")
    void matchesJdkOnRandomInputsWithSv2Nonce(final Variant variant) throws Exception
    {
        final SplittableRandom rnd = new SplittableRandom(8439);
        final ChaCha20Poly1305 aead = variant.create();
        final int[] lengths = {0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 1000, 4096, 65519};
        for (int iteration = 0; iteration < 200; iteration++)
        {
            final byte[] key = bytes(rnd, 32);
            final long counter = iteration < 5 ? iteration : rnd.nextLong();
            final int length = iteration < lengths.length ? lengths[iteration] : rnd.nextInt(3000);
            final byte[] plain = bytes(rnd, length);
            final byte[] aad = bytes(rnd, rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(70));

            final byte[] ours = new byte[length + 16];
            aead.key(key, 0).encrypt(counter, aad, 0, aad.length, plain, 0, length, ours, 0);
            assertArrayEquals(jdkEncrypt(key, sv2Nonce(counter), aad, plain), ours, "length " + length);

            // in place decrypt at an offset
            final byte[] work = new byte[ours.length + 7];
            System.arraycopy(ours, 0, work, 7, ours.length);
            assertEquals(length, aead.decrypt(counter, aad, 0, aad.length, work, 7, ours.length, work, 7));
            assertArrayEquals(plain, Arrays.copyOfRange(work, 7, 7 + length));
        }
    }

    /**
     * The native code copies a message with its associated data and tag into a thread's scratch buffer when they fit
     * in {@link NativeChaCha20Poly1305#SCRATCH_BYTES}, and passes the arrays themselves when they do not: lengths on
     * both sides of that edge, with and without associated data, against the JDK, back, and refused when tampered.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void lengthsAroundTheNativeScratchBufferMatchJdk(final Variant variant) throws Exception
    {
        final SplittableRandom rnd = new SplittableRandom(1024);
        final ChaCha20Poly1305 aead = variant.create();
        for (final int adLength : new int[] {0, 32})
        {
            final int edge = NativeChaCha20Poly1305.SCRATCH_BYTES - 16 - adLength;
            for (int length = edge - 2; length <= edge + 2; length++)
            {
                final byte[] key = bytes(rnd, 32);
                final long counter = rnd.nextLong();
                final byte[] plain = bytes(rnd, length);
                final byte[] aad = bytes(rnd, adLength);
                final byte[] sealed = new byte[length + 16 + 3];
                assertEquals(length + 16, aead.key(key, 0).encrypt(counter, aad, 0, adLength, plain, 0, length, sealed, 3));
                assertArrayEquals(jdkEncrypt(key, sv2Nonce(counter), aad, plain), Arrays.copyOfRange(sealed, 3,
                    3 + length + 16), "length " + length + ", ad " + adLength);

                final byte[] back = new byte[length + 1];
                assertEquals(length, aead.decrypt(counter, aad, 0, adLength, sealed, 3, length + 16, back, 1));
                assertArrayEquals(plain, Arrays.copyOfRange(back, 1, 1 + length));

                sealed[3 + length / 2] ^= 0x40;
                final byte[] untouched = new byte[length + 1];
                assertEquals(-1, aead.decrypt(counter, aad, 0, adLength, sealed, 3, length + 16, untouched, 1));
                assertArrayEquals(new byte[length + 1], untouched, "nothing written on a bad tag");
            }
        }
    }

    /**
     * Every length 0..300 and the largest SV2 chunk, with and without AD, into a separate buffer at an offset and in
     * place, then back.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void everyLengthWithAndWithoutAdInPlaceAndSeparate(final Variant variant) throws Exception
    {
        final SplittableRandom rnd = new SplittableRandom(300);
        final ChaCha20Poly1305 aead = variant.create();
        final byte[] key = bytes(rnd, 32);
        aead.key(key, 0);
        final int[] lengths = new int[302];
        for (int i = 0; i <= 300; i++)
        {
            lengths[i] = i;
        }
        lengths[301] = TransportCipher.MAX_CHUNK_PLAINTEXT;
        for (final int length : lengths)
        {
            for (final boolean withAd : new boolean[] {false, true})
            {
                final long counter = rnd.nextLong();
                final byte[] plain = bytes(rnd, length);
                final byte[] adBuffer = bytes(rnd, 40);
                final int adOffset = withAd ? 3 : 0;
                final int adLength = withAd ? 1 + (length % 37) : 0;
                final byte[] expected = jdkEncrypt(key, sv2Nonce(counter),
                    Arrays.copyOfRange(adBuffer, adOffset, adOffset + adLength), plain);

                // separate buffers, both at offsets
                final byte[] src = new byte[length + 9];
                System.arraycopy(plain, 0, src, 5, length);
                final byte[] dst = new byte[length + 16 + 11];
                assertEquals(length + 16, aead.encrypt(counter, adBuffer, adOffset, adLength, src, 5, length, dst, 11));
                assertArrayEquals(expected, Arrays.copyOfRange(dst, 11, 11 + length + 16), "length " + length);
                final byte[] back = new byte[length + 2];
                assertEquals(length, aead.decrypt(counter, adBuffer, adOffset, adLength, dst, 11, length + 16, back, 2));
                assertArrayEquals(plain, Arrays.copyOfRange(back, 2, 2 + length));

                // in place, tag right after the text
                final byte[] work = new byte[length + 16 + 4];
                System.arraycopy(plain, 0, work, 4, length);
                assertEquals(length + 16, aead.encrypt(counter, adBuffer, adOffset, adLength, work, 4, length, work, 4));
                assertArrayEquals(expected, Arrays.copyOfRange(work, 4, 4 + length + 16));
                assertEquals(length, aead.decrypt(counter, adBuffer, adOffset, adLength, work, 4, length + 16, work, 4));
                assertArrayEquals(plain, Arrays.copyOfRange(work, 4, 4 + length));
            }
        }
    }

    /** Decrypting to a lower offset of the same array, as TransportCipher packs multi-chunk payloads. */
    /**
     * Messages longer than the largest SV2 chunk (the native code hands them to the Java code so that no critical
     * downcall holds off the GC for long), including after a key change, still match the JDK both ways.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void messagesLongerThanAChunkMatchJdkAcrossAKeyChange(final Variant variant) throws Exception
    {
        final SplittableRandom rnd = new SplittableRandom(65536);
        final ChaCha20Poly1305 aead = variant.create();
        final int[] lengths = {65535, 65536, ChaCha20Poly1305.MAX_NATIVE_LENGTH, 200_000};
        for (int i = 0; i < lengths.length; i++)
        {
            final byte[] key = bytes(rnd, 32);
            final long counter = rnd.nextLong();
            final byte[] plain = bytes(rnd, lengths[i]);
            final byte[] aad = bytes(rnd, 20);
            final byte[] ours = new byte[plain.length + 16];
            aead.key(key, 0).encrypt(counter, aad, 0, aad.length, plain, 0, plain.length, ours, 0);
            assertArrayEquals(jdkEncrypt(key, sv2Nonce(counter), aad, plain), ours, "length " + plain.length);
            final byte[] back = new byte[plain.length];
            assertEquals(plain.length, aead.decrypt(counter, aad, 0, aad.length, ours, 0, ours.length, back, 0));
            assertArrayEquals(plain, back);
            ours[ours.length / 2] ^= 1;
            assertEquals(-1, aead.decrypt(counter, aad, 0, aad.length, ours, 0, ours.length, back, 0));
            // and a short message right after, with the same key and the next nonce
            final byte[] small = bytes(rnd, 32);
            final byte[] sealed = new byte[48];
            aead.encrypt(counter + 1, aad, 0, 0, small, 0, small.length, sealed, 0);
            assertArrayEquals(jdkEncrypt(key, sv2Nonce(counter + 1), new byte[0], small), sealed);
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void decryptsDownwardsInTheSameArray(final Variant variant) throws Exception
    {
        final SplittableRandom rnd = new SplittableRandom(16);
        final ChaCha20Poly1305 aead = variant.create();
        final byte[] key = bytes(rnd, 32);
        aead.key(key, 0);
        for (final int length : new int[] {1, 31, 64, 100, 200, 1000})
        {
            for (final int shift : new int[] {1, 7, 16, 64})
            {
                final byte[] plain = bytes(rnd, length);
                final byte[] sealed = jdkEncrypt(key, sv2Nonce(length), new byte[0], plain);
                final byte[] work = new byte[shift + sealed.length];
                System.arraycopy(sealed, 0, work, shift, sealed.length);
                assertEquals(length, aead.decrypt(length, new byte[0], 0, 0, work, shift, sealed.length, work, 0));
                assertArrayEquals(plain, Arrays.copyOf(work, length), "length " + length + " shift " + shift);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void nonceEdgeValuesMatchJdk(final Variant variant) throws Exception
    {
        final SplittableRandom rnd = new SplittableRandom(64);
        final ChaCha20Poly1305 aead = variant.create();
        final byte[] key = bytes(rnd, 32);
        aead.key(key, 0);
        final byte[] ad = bytes(rnd, 13);
        for (final long counter : new long[] {0, 1, 0xffffffffL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, -2L, -1L})
        {
            for (final int length : new int[] {0, 6, 32, 64, 65, 130})
            {
                final byte[] plain = bytes(rnd, length);
                final byte[] ours = new byte[length + 16];
                aead.encrypt(counter, ad, 0, ad.length, plain, 0, length, ours, 0);
                assertArrayEquals(jdkEncrypt(key, sv2Nonce(counter), ad, plain), ours,
                    "counter " + Long.toUnsignedString(counter) + " length " + length);
                final byte[] back = new byte[length];
                assertEquals(length, aead.decrypt(counter, ad, 0, ad.length, ours, 0, ours.length, back, 0));
                assertArrayEquals(plain, back);
                // a neighbouring nonce must not authenticate
                assertEquals(-1, aead.decrypt(counter ^ 1, ad, 0, ad.length, ours, 0, ours.length, back, 0));
            }
        }
    }

    /**
     * Consecutive nonces, as a cipher state uses them (the native code computes the next nonce's first blocks
     * alongside and uses them for the next message), across 2^32 and the wrap of the u64 counter, with a key change
     * and a failed decryption in the middle.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void consecutiveNoncesMatchJdk(final Variant variant) throws Exception
    {
        final SplittableRandom rnd = new SplittableRandom(2);
        final ChaCha20Poly1305 sender = variant.create();
        final ChaCha20Poly1305 receiver = variant.create();
        for (final long start : new long[] {0, 0xfffffffdL, -6L})
        {
            byte[] key = bytes(rnd, 32);
            sender.key(key, 0);
            receiver.key(key, 0);
            for (int i = 0; i < 12; i++)
            {
                final long counter = start + i;
                if (i == 7)
                {
                    key = bytes(rnd, 32);
                    sender.key(key, 0);
                    receiver.key(key, 0);
                }
                final int length = (int)((i * 29L) % 150);
                final byte[] plain = bytes(rnd, length);
                final byte[] ad = bytes(rnd, i % 3 == 0 ? 0 : 11);
                final byte[] wire = new byte[length + 16];
                sender.encrypt(counter, ad, 0, ad.length, plain, 0, length, wire, 0);
                assertArrayEquals(jdkEncrypt(key, sv2Nonce(counter), ad, plain), wire,
                    "counter " + Long.toUnsignedString(counter));
                final byte[] back = new byte[length];
                if (i == 4)
                {
                    wire[0] ^= 1;
                    assertEquals(-1, receiver.decrypt(counter, ad, 0, ad.length, wire, 0, wire.length, back, 0));
                    wire[0] ^= 1;
                }
                assertEquals(length, receiver.decrypt(counter, ad, 0, ad.length, wire, 0, wire.length, back, 0));
                assertArrayEquals(plain, back);
            }
        }
    }

    /** Any flipped bit of tag, ciphertext or AD (or a wrong key) is refused, and dst is not written. */
    @ParameterizedTest
    @MethodSource("variants")
    void tamperedInputIsRejectedWithDstUntouched(final Variant variant)
    {
        final SplittableRandom rnd = new SplittableRandom(1);
        final ChaCha20Poly1305 aead = variant.create();
        final byte[] key = bytes(rnd, 32);
        aead.key(key, 0);
        for (final int length : new int[] {0, 6, 32, 100})
        {
            final byte[] ad = bytes(rnd, 20);
            final byte[] plain = bytes(rnd, length);
            final byte[] sealed = new byte[length + 16];
            aead.encrypt(77, ad, 0, ad.length, plain, 0, length, sealed, 0);
            for (int bit = 0; bit < sealed.length * 8; bit += length == 100 ? 13 : 1)
            {
                final byte[] bad = sealed.clone();
                bad[bit >>> 3] ^= (byte)(1 << (bit & 7));
                assertRejected(aead, 77, ad, bad, length);
            }
            for (int bit = 0; bit < ad.length * 8; bit += 5)
            {
                final byte[] badAd = ad.clone();
                badAd[bit >>> 3] ^= (byte)(1 << (bit & 7));
                final byte[] dst = filled(length);
                assertEquals(-1, aead.decrypt(77, badAd, 0, badAd.length, sealed, 0, sealed.length, dst, 0));
                assertArrayEquals(filled(length), dst);
            }
            // AD dropped
            final byte[] dst = filled(length);
            assertEquals(-1, aead.decrypt(77, ad, 0, 0, sealed, 0, sealed.length, dst, 0));
            assertArrayEquals(filled(length), dst);
            // in place: the ciphertext stays as it was
            final byte[] inPlace = sealed.clone();
            inPlace[inPlace.length - 1] ^= 0x40;
            final byte[] before = inPlace.clone();
            assertEquals(-1, aead.decrypt(77, ad, 0, ad.length, inPlace, 0, inPlace.length, inPlace, 0));
            assertArrayEquals(before, inPlace);
            // another key
            final byte[] otherKey = key.clone();
            otherKey[31] ^= 1;
            aead.key(otherKey, 0);
            assertRejected(aead, 77, ad, sealed, length);
            aead.key(key, 0);
            assertEquals(length, aead.decrypt(77, ad, 0, ad.length, sealed, 0, sealed.length, new byte[length], 0));
        }
        // shorter than a tag
        for (int n = 0; n < 16; n++)
        {
            assertEquals(-1, aead.decrypt(0, new byte[0], 0, 0, new byte[16], 0, n, new byte[16], 0));
        }
    }

    @Test
    void nativeRefusesOutOfBoundsArguments()
    {
        final ChaCha20Poly1305 aead = new Variant(AeadImpl.NATIVE, NativeAead.KERNEL_AUTO, "native").create();
        aead.key(new byte[32], 0);
        final byte[] ad = new byte[4];
        final byte[] buf = new byte[64];
        assertThrows(IndexOutOfBoundsException.class, () -> aead.encrypt(0, ad, 0, 0, buf, 0, 49, buf, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> aead.encrypt(0, ad, 0, 0, buf, 60, 8, new byte[100], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> aead.encrypt(0, ad, 2, 3, buf, 0, 8, buf, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> aead.encrypt(0, ad, 0, 0, buf, -1, 8, buf, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> aead.decrypt(0, ad, 0, 0, buf, 0, 65, buf, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> aead.decrypt(0, ad, 0, 0, buf, 0, 64, new byte[47], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> aead.decrypt(0, ad, 0, 5, buf, 0, 64, buf, 0));
    }

    private static void assertRejected(
        final ChaCha20Poly1305 aead, final long counter, final byte[] ad, final byte[] sealed, final int length)
    {
        final byte[] dst = filled(length);
        assertEquals(-1, aead.decrypt(counter, ad, 0, ad.length, sealed, 0, sealed.length, dst, 0));
        assertArrayEquals(filled(length), dst, "dst written on a bad tag");
    }

    private static byte[] filled(final int n)
    {
        final byte[] b = new byte[n];
        Arrays.fill(b, (byte)0x5a);
        return b;
    }

    private static byte[] sv2Nonce(final long counter)
    {
        final byte[] nonce = new byte[12];
        ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).putLong(4, counter);
        return nonce;
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
