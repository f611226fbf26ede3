package org.bitcoincommons.sv2.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every implementation (FFM, JNA, pure Java) and every native kernel against MessageDigest, on random
 * headers and on the real mainnet headers of vectors/bitcoin_headers.json. A kernel the CPU
 * lacks is skipped by assumption (the skip message names it).
 */
class HashBackendConformanceTest
{
    static Stream<Arguments> backends()
    {
        final List<Arguments> list = new ArrayList<>();
        for (final HashKernel k : HashKernel.values())
        {
            list.add(Arguments.of(HashImpl.FFM, k));
        }
        for (final HashKernel k : HashKernel.values())
        {
            list.add(Arguments.of(HashImpl.JNA, k));
        }
        list.add(Arguments.of(HashImpl.JAVA, HashKernel.AUTO));
        return list.stream();
    }

    private static HashBackend backend(final HashImpl impl, final HashKernel kernel)
    {
        if (impl != HashImpl.JAVA)
        {
            assumeTrue(HashBackends.libraryPath().isPresent(), "native library not built (gcc missing?)");
            assumeTrue(kernel == HashKernel.AUTO || HashBackends.availableKernels().contains(kernel),
                "this CPU lacks " + kernel.kernelName() + "; skipped");
        }
        final HashBackend b = HashBackends.create(impl, kernel, kernel);
        assertEquals(impl, b.impl());
        if (kernel != HashKernel.AUTO)
        {
            assertEquals(kernel.kernelName(), b.kernel());
            assertEquals(kernel.kernelName(), b.scanKernel());
        }
        return b;
    }

    private static byte[] randomHeaders(final int count, final long seed)
    {
        final byte[] headers = new byte[count * HeaderHasher.HEADER_LENGTH];
        new SplittableRandom(seed).nextBytes(headers);
        return headers;
    }

    private static byte[] expectedHashes(final byte[] headers, final int count)
    {
        final byte[] out = new byte[count * HeaderHasher.HASH_LENGTH];
        for (int i = 0; i < count; i++)
        {
            final byte[] h = Sha256dOracle.sha256d(headers, i * HeaderHasher.HEADER_LENGTH, HeaderHasher.HEADER_LENGTH);
            System.arraycopy(h, 0, out, i * HeaderHasher.HASH_LENGTH, HeaderHasher.HASH_LENGTH);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void hashesRandomHeadersOfEveryCountLikeMessageDigest(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final byte[] headers = randomHeaders(1000, 42);
        final byte[] want = expectedHashes(headers, 1000);
        for (final int count : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 1000})
        {
            final byte[] got = new byte[1000 * HeaderHasher.HASH_LENGTH];
            b.hash(MemorySegment.ofArray(headers), count, MemorySegment.ofArray(got));
            assertArrayEquals(Arrays.copyOf(want, count * 32), Arrays.copyOf(got, count * 32), "count " + count);
            for (int i = count * 32; i < got.length; i++)
            {
                assertEquals(0, got[i], "wrote past count " + count);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void hashesNativeSegmentsAtAnOffset(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final byte[] headers = randomHeaders(37, 7);
        final byte[] want = expectedHashes(headers, 37);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment in = arena.allocate(37 * 80 + 3).asSlice(3);
            MemorySegment.copy(MemorySegment.ofArray(headers), 0, in, 0, headers.length);
            final MemorySegment out = arena.allocate(37 * 32 + 5).asSlice(5);
            b.hash(in, 37, out);
            assertArrayEquals(want, out.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void mainnetHeadersHashToTheirBlockHashAndMeetTheirTarget(final HashImpl impl, final HashKernel kernel)
        throws Exception
    {
        final HashBackend b = backend(impl, kernel);
        final JsonNode vectors = new ObjectMapper().readTree(Vectors.read("bitcoin_headers.json"));
        final int n = vectors.size();
        assertTrue(n >= 4);
        final byte[] headers = new byte[n * 80];
        final byte[] targets = new byte[n * 32];
        final byte[] tooLow = new byte[n * 32];
        final byte[] want = new byte[n * 32];
        for (int i = 0; i < n; i++)
        {
            final JsonNode v = vectors.get(i);
            System.arraycopy(Sha256dOracle.unhex(v.get("header").asText()), 0, headers, i * 80, 80);
            // The JSON shows hash and target as explorers do (big-endian hex); the digest is its reverse.
            final byte[] hash = Sha256dOracle.reversed(Sha256dOracle.unhex(v.get("hash").asText()));
            System.arraycopy(hash, 0, want, i * 32, 32);
            final byte[] target = Sha256dOracle.reversed(Sha256dOracle.unhex(v.get("target").asText()));
            System.arraycopy(target, 0, targets, i * 32, 32);
            // A target one below the hash: the header must fail it.
            final byte[] below = Sha256dOracle.reversed(
                toBytes32(Sha256dOracle.le(hash, 0).subtract(java.math.BigInteger.ONE)));
            System.arraycopy(below, 0, tooLow, i * 32, 32);
        }
        final byte[] got = new byte[n * 32];
        b.hash(MemorySegment.ofArray(headers), n, MemorySegment.ofArray(got));
        assertArrayEquals(want, got);

        final byte[] ok = new byte[n];
        final byte[] got2 = new byte[n * 32];
        assertEquals(n, b.check(MemorySegment.ofArray(headers), MemorySegment.ofArray(targets), n,
            MemorySegment.ofArray(ok), MemorySegment.ofArray(got2)));
        assertArrayEquals(want, got2);
        for (final byte o : ok)
        {
            assertEquals(1, o);
        }
        // Exactly at the hash still meets (<=); one below does not.
        assertEquals(n, b.check(MemorySegment.ofArray(headers), MemorySegment.ofArray(want), n,
            MemorySegment.ofArray(ok), MemorySegment.NULL));
        assertEquals(0, b.check(MemorySegment.ofArray(headers), MemorySegment.ofArray(tooLow), n,
            MemorySegment.ofArray(ok), MemorySegment.NULL));
        for (final byte o : ok)
        {
            assertEquals(0, o);
        }
    }

    private static byte[] toBytes32(final java.math.BigInteger value)
    {
        final byte[] raw = value.toByteArray();
        final byte[] out = new byte[32];
        final int len = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - len, out, 32 - len, len);
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void checkAgreesWithBigIntegerCompareOnRandomTargets(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final int n = 301;
        final byte[] headers = randomHeaders(n, 99);
        final byte[] hashes = expectedHashes(headers, n);
        final byte[] targets = new byte[n * 32];
        final SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < n; i++)
        {
            // Targets near each hash: equal, or differing in one random byte, so every byte position decides.
            System.arraycopy(hashes, i * 32, targets, i * 32, 32);
            if (i % 5 != 0)
            {
                final int pos = rnd.nextInt(32);
                targets[i * 32 + pos] = (byte)rnd.nextInt(256);
            }
        }
        final byte[] ok = new byte[n];
        final int met = b.check(MemorySegment.ofArray(headers), MemorySegment.ofArray(targets), n,
            MemorySegment.ofArray(ok), MemorySegment.NULL);
        int expectedMet = 0;
        for (int i = 0; i < n; i++)
        {
            final boolean meets = Sha256dOracle.le(hashes, i * 32).compareTo(Sha256dOracle.le(targets, i * 32)) <= 0;
            assertEquals(meets ? 1 : 0, ok[i], "header " + i);
            expectedMet += meets ? 1 : 0;
        }
        assertEquals(expectedMet, met);
        assertTrue(expectedMet > n / 5 && expectedMet < n, "targets should split the batch: " + expectedMet);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void rejectsShortSegments(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final MemorySegment headers = MemorySegment.ofArray(new byte[2 * 80]);
        assertThrows(IllegalArgumentException.class, () -> b.hash(headers, 3, MemorySegment.ofArray(new byte[96])));
        assertThrows(IllegalArgumentException.class, () -> b.hash(headers, 2, MemorySegment.ofArray(new byte[63])));
        assertThrows(IllegalArgumentException.class, () -> b.scan(MemorySegment.ofArray(new byte[75]), 0, 1,
            MemorySegment.ofArray(new byte[32]), MemorySegment.ofArray(new int[1]), 1));
        assertThrows(IllegalArgumentException.class, () -> b.scan(MemorySegment.ofArray(new byte[76]), 0, 1L << 32,
            MemorySegment.ofArray(new byte[32]), MemorySegment.ofArray(new int[1]), 1));
    }

    /** Builds 48-byte midstate records for the headers with the backend's own midstate(). */
    private static byte[] midstateRecords(final HashBackend b, final byte[] headers, final int count)
    {
        final byte[] records = new byte[count * HeaderHasher.MIDSTATE_RECORD_LENGTH];
        final MemorySegment h = MemorySegment.ofArray(headers);
        final MemorySegment r = MemorySegment.ofArray(records);
        for (int i = 0; i < count; i++)
        {
            b.midstate(h.asSlice((long)i * 80, 80), r.asSlice((long)i * 48, 32));
            MemorySegment.copy(h, (long)i * 80 + 64, r, (long)i * 48 + 32, 16);
        }
        return records;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backends")
    void midstateRecordsHashLikeMessageDigest(final HashImpl impl, final HashKernel kernel)
    {
        final HashBackend b = backend(impl, kernel);
        final int n = 203;
        final byte[] headers = randomHeaders(n, 17);
        final byte[] want = expectedHashes(headers, n);
        final byte[] records = midstateRecords(b, headers, n);
        // The record layout is shared: pure Java's midstates are byte-for-byte the native ones.
        assertArrayEquals(midstateRecords(new JavaBackend(), headers, n), records);
        for (final int count : new int[] {0, 1, 3, 4, 7, 16, 17, 33, n})
        {
            final byte[] got = new byte[n * 32];
            b.hashMidstates(MemorySegment.ofArray(records), count, MemorySegment.ofArray(got));
            assertArrayEquals(Arrays.copyOf(want, count * 32), Arrays.copyOf(got, count * 32), "count " + count);
        }
        // checkMidstates against targets equal to / one byte off each hash, like check().
        final byte[] targets = want.clone();
        for (int i = 0; i < n; i += 2)
        {
            targets[i * 32 + 31] = (byte)(targets[i * 32 + 31] == 0 ? 0 : targets[i * 32 + 31] - 1);
            targets[i * 32 + (i % 31)] ^= (byte)0x40;
        }
        final byte[] ok = new byte[n];
        final byte[] hashes = new byte[n * 32];
        final int met = b.checkMidstates(MemorySegment.ofArray(records), MemorySegment.ofArray(targets), n,
            MemorySegment.ofArray(ok), MemorySegment.ofArray(hashes));
        assertArrayEquals(want, hashes);
        int expected = 0;
        for (int i = 0; i < n; i++)
        {
            final boolean meets = Sha256dOracle.le(want, i * 32).compareTo(Sha256dOracle.le(targets, i * 32)) <= 0;
            assertEquals(meets ? 1 : 0, ok[i], "record " + i);
            expected += meets ? 1 : 0;
        }
        assertEquals(expected, met);
        assertTrue(expected > n / 3 && expected < n, "targets should split the batch: " + expected);
    }
}
