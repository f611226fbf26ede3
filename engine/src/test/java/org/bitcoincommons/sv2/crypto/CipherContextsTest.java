package org.bitcoincommons.sv2.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Native AEAD contexts in reused off-heap slots: a pooled cipher takes a slot, gives it back wiped at release, refuses
 * any use after it, and the next cipher reuses the slot with nothing of the last key in it; past the pool's size a
 * cipher falls back to a context of its own. (The AEAD's output with a pooled context is checked against RFC 8439 and
 * the JDK in {@link ChaCha20Poly1305Test}'s pooled variant.)
 */
class CipherContextsTest
{
    private static final byte[] KEY = HexFormat.of().parseHex(
        "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");

    @BeforeEach
    void nativeLibrary()
    {
        assumeTrue(AeadImpl.NATIVE.available(), "native library absent");
    }

    @Test
    void aReleasedSlotIsWipedAndTheNextCipherGetsIt() throws Exception
    {
        try (CipherContexts contexts = new CipherContexts(8))
        {
            final ChaCha20Poly1305 first = new ChaCha20Poly1305(AeadImpl.NATIVE, contexts).key(KEY, 0);
            assertTrue(first.pooledContext());
            assertEquals(1, contexts.inUse());
            final MemorySegment slot = contexts.slice(0);
            final byte[] held = new byte[32];
            MemorySegment.copy(slot, ValueLayout.JAVA_BYTE, 0, held, 0, 32);
            assertArrayEquals(KEY, held, "the key lives in the slot (slot 0: the lowest is taken first)");
            final byte[] out = new byte[5 + 16];
            first.encrypt(7L, new byte[0], 0, 0, "hello".getBytes(), 0, 5, out, 0);   // fills the keystream cache too

            first.release();
            assertEquals(0, contexts.inUse());
            final byte[] all = new byte[NativeAead.CONTEXT_LENGTH];
            MemorySegment.copy(slot, ValueLayout.JAVA_BYTE, 0, all, 0, all.length);
            assertArrayEquals(new byte[NativeAead.CONTEXT_LENGTH], all, "key and keystream cache wiped");
            first.release();   // idempotent: the slot is not given back twice
            assertEquals(0, contexts.inUse());

            final ChaCha20Poly1305 next = new ChaCha20Poly1305(AeadImpl.NATIVE, contexts);
            assertSame(slot, contexts.slice(0));
            assertEquals(1, contexts.inUse());
            assertTrue(next.pooledContext());
            final byte[] key2 = new byte[32];
            next.copyKey(key2, 0);
            assertArrayEquals(new byte[32], key2, "nothing of the last key in the reused slot");
        }
    }

    @Test
    void aReleasedCipherRefusesEveryUse()
    {
        try (CipherContexts contexts = new CipherContexts(2))
        {
            final ChaCha20Poly1305 c = new ChaCha20Poly1305(AeadImpl.NATIVE, contexts).key(KEY, 0);
            c.release();
            final byte[] src = new byte[40];
            final byte[] dst = new byte[40];
            assertThrows(IllegalStateException.class, () -> c.encrypt(0L, new byte[0], 0, 0, src, 0, 8, dst, 0));
            assertThrows(IllegalStateException.class, () -> c.decrypt(0L, new byte[0], 0, 0, src, 0, 24, dst, 0));
            assertThrows(IllegalStateException.class, () -> c.key(KEY, 0));
            assertArrayEquals(new byte[40], dst, "nothing written");
        }
    }

    @Test
    void aReleasedNoiseCipherStateFailsAndNeverFallsBackToTheKeylessCopy()
    {
        try (CipherContexts contexts = new CipherContexts(2))
        {
            final org.bitcoincommons.sv2.noise.CipherState state =
                new org.bitcoincommons.sv2.noise.CipherState(AeadImpl.NATIVE, contexts).initializeKey(KEY);
            state.release();
            assertTrue(state.hasKey(), "still keyed: a keyless state would copy plaintext through");
            final byte[] plain = "secret".getBytes();
            final byte[] dst = new byte[plain.length + 16];
            assertThrows(IllegalStateException.class,
                () -> state.encryptWithAd(new byte[0], 0, plain, 0, plain.length, dst, 0));
            assertArrayEquals(new byte[dst.length], dst, "no plaintext written");
        }
    }

    @Test
    void pastItsSizeACipherGetsAContextOfItsOwn() throws Exception
    {
        try (CipherContexts contexts = new CipherContexts(2))
        {
            final ChaCha20Poly1305 a = new ChaCha20Poly1305(AeadImpl.NATIVE, contexts).key(KEY, 0);
            final ChaCha20Poly1305 b = new ChaCha20Poly1305(AeadImpl.NATIVE, contexts).key(KEY, 0);
            final ChaCha20Poly1305 c = new ChaCha20Poly1305(AeadImpl.NATIVE, contexts).key(KEY, 0);
            assertTrue(a.pooledContext());
            assertTrue(b.pooledContext());
            assertFalse(c.pooledContext());
            assertEquals(1, contexts.overflows());
            assertEquals(2, contexts.inUse());
            assertEquals(2, contexts.capacity());

            // the same output whichever context holds the key
            final byte[] plain = "a share, acknowledged".getBytes();
            final byte[] outA = new byte[plain.length + 16];
            final byte[] outC = new byte[plain.length + 16];
            a.encrypt(3L, new byte[0], 0, 0, plain, 0, plain.length, outA, 0);
            c.encrypt(3L, new byte[0], 0, 0, plain, 0, plain.length, outC, 0);
            assertArrayEquals(outA, outC);

            c.release();   // its own context: nothing given back
            assertEquals(2, contexts.inUse());
            a.release();
            assertTrue(new ChaCha20Poly1305(AeadImpl.NATIVE, contexts).pooledContext(), "a's slot is free again");
        }
    }

    @Test
    void chunksAreAddedAsSlotsAreTaken()
    {
        try (CipherContexts contexts = new CipherContexts(CipherContexts.CHUNK_SLOTS + 3))
        {
            assertEquals(0, contexts.capacity());
            for (int i = 0; i < CipherContexts.CHUNK_SLOTS; i++)
            {
                assertTrue(new ChaCha20Poly1305(AeadImpl.NATIVE, contexts).pooledContext());
            }
            assertEquals(CipherContexts.CHUNK_SLOTS, contexts.capacity());
            assertTrue(new ChaCha20Poly1305(AeadImpl.NATIVE, contexts).pooledContext());
            assertEquals(CipherContexts.CHUNK_SLOTS + 3, contexts.capacity(), "the last chunk only as large as allowed");
            assertEquals(CipherContexts.CHUNK_SLOTS + 1, contexts.inUse());
        }
    }

    @Test
    void afterCloseACipherFailsInsteadOfTouchingFreedMemory()
    {
        final CipherContexts contexts = new CipherContexts(2);
        final ChaCha20Poly1305 c = new ChaCha20Poly1305(AeadImpl.NATIVE, contexts).key(KEY, 0);
        contexts.close();
        final byte[] src = new byte[8];
        final byte[] dst = new byte[24];
        assertThrows(IllegalStateException.class, () -> c.encrypt(0L, new byte[0], 0, 0, src, 0, 8, dst, 0));
        c.release();   // after close: nothing to give back, no failure
        assertFalse(new ChaCha20Poly1305(AeadImpl.NATIVE, contexts).pooledContext(), "a closed pool gives no slot");
    }
}
