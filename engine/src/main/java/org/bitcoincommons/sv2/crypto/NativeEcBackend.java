package org.bitcoincommons.sv2.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.bitcoincommons.sv2.nativelib.NativeLibraryLocator;

/**
 * {@link EcBackend} on the secp256k1 code in libsv2hash.so (native/include/sv2ec.h) through FFM. Each operation is
 * one downcall; its inputs are copied into a confined arena's memory, which is zeroed (secrets) and freed on
 * return. The handles are bound once per JVM; {@link #instance()} is null when the library or its EC symbols are
 * missing (the reason in {@link #failure()}).
 */
final class NativeEcBackend implements EcBackend
{
    static final String NAME = "native";
    private static final int API_VERSION = 1;

    /** The bound handles. A record, so the JIT trusts its fields. */
    record Handles(
        MethodHandle fieldOp,
        MethodHandle pubkey,
        MethodHandle mul,
        MethodHandle decode,
        MethodHandle xswiftecInv,
        MethodHandle encode,
        MethodHandle keygen,
        MethodHandle ecdh,
        MethodHandle ecdh2,
        MethodHandle sign,
        MethodHandle verify,
        MethodHandle table,
        MethodHandle selectVariant,
        long tableSize,
        Path path)
    {
    }

    private static final Handles HANDLES;
    private static final Throwable FAILURE;
    private static final NativeEcBackend INSTANCE;

    static
    {
        Handles handles = null;
        Throwable failure = null;
        try
        {
            handles = bind();
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
        HANDLES = handles;
        FAILURE = failure;
        INSTANCE = handles == null ? null : new NativeEcBackend();
    }

    private NativeEcBackend()
    {
    }

    /** The backend, or null when it cannot load here. */
    static NativeEcBackend instance()
    {
        return INSTANCE;
    }

    /** Why {@link #instance()} is null (null when it is not). */
    static Throwable failure()
    {
        return FAILURE;
    }

    static Path libraryPath()
    {
        return HANDLES == null ? null : HANDLES.path();
    }

    /** The native build in use: "x86-64-v3" (BMI2, AVX2) or "x86-64" (baseline). */
    static String variant()
    {
        return selectVariant(-1) == 1 ? "x86-64-v3" : "x86-64";
    }

    /**
     * Test hook: 0 forces the baseline build of the native code, -1 follows the CPU; returns 1 when the x86-64-v3
     * build runs. Both builds give the same results.
     */
    static int selectVariant(final int variant)
    {
        try
        {
            return (int)HANDLES.selectVariant().invokeExact(variant);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    private static Handles bind() throws Throwable
    {
        if (!NativeEcBackend.class.getModule().isNativeAccessEnabled())
        {
            throw new IllegalStateException("FFM native access is not enabled for this module");
        }
        final Path path = NativeLibraryLocator.library()
            .orElseThrow(() -> new IllegalStateException("libsv2hash.so not found"));
        final Linker linker = Linker.nativeLinker();
        final int api = (int)linker.downcallHandle(NativeLibraryLocator.symbol("sv2_ec_api_version"),
            FunctionDescriptor.of(JAVA_INT)).invokeExact();
        if (api != API_VERSION)
        {
            throw new IllegalStateException("libsv2hash EC API version " + api + ", expected " + API_VERSION);
        }
        final long tableSize = (long)linker.downcallHandle(NativeLibraryLocator.symbol("sv2_ec_pubkey_table_size"),
            FunctionDescriptor.of(JAVA_LONG)).invokeExact();
        return new Handles(
            handle(linker, "sv2_ec_field_op", JAVA_INT, ADDRESS, ADDRESS, ADDRESS),
            handle(linker, "sv2_ec_pubkey", ADDRESS, ADDRESS, ADDRESS),
            handle(linker, "sv2_ec_mul", ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
            handle(linker, "sv2_ec_ellswift_decode", ADDRESS, ADDRESS),
            handle(linker, "sv2_ec_xswiftec_inv", ADDRESS, ADDRESS, ADDRESS, JAVA_INT),
            handle(linker, "sv2_ec_ellswift_encode", ADDRESS, ADDRESS, ADDRESS),
            handle(linker, "sv2_ec_ellswift_keygen", ADDRESS, ADDRESS, ADDRESS, ADDRESS),
            handle(linker, "sv2_ec_ellswift_ecdh", ADDRESS, ADDRESS, ADDRESS, ADDRESS),
            handle(linker, "sv2_ec_ellswift_ecdh2", ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
            handle(linker, "sv2_ec_schnorr_sign", ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS),
            handle(linker, "sv2_ec_schnorr_verify", ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS),
            handle(linker, "sv2_ec_pubkey_table", ADDRESS, ADDRESS),
            handle(linker, "sv2_ec_select_variant", JAVA_INT),
            tableSize,
            path);
    }

    private static MethodHandle handle(final Linker linker, final String symbol, final MemoryLayout... args)
    {
        return linker.downcallHandle(NativeLibraryLocator.symbol(symbol), FunctionDescriptor.of(JAVA_INT, args));
    }

    @Override
    public String name()
    {
        return NAME;
    }

    /** 32-byte big-endian form of a scalar, or an exception naming the range. */
    private static byte[] secretBytes(final BigInteger secret)
    {
        if (!Secp256k1.isValidSecret(secret))
        {
            throw new IllegalArgumentException("secret out of range [1, n)");
        }
        return Secp256k1.toBytes(secret);
    }

    private static MemorySegment put(final MemorySegment seg, final long at, final byte[] src, final int offset,
        final int length)
    {
        MemorySegment.copy(src, offset, seg, JAVA_BYTE, at, length);
        return seg.asSlice(at, length);
    }

    private static byte[] get(final MemorySegment seg, final long at, final int length)
    {
        final byte[] out = new byte[length];
        MemorySegment.copy(seg, JAVA_BYTE, at, out, 0, length);
        return out;
    }

    private static IllegalStateException rethrow(final Throwable ex)
    {
        if (ex instanceof RuntimeException r)
        {
            throw r;
        }
        if (ex instanceof Error e)
        {
            throw e;
        }
        return new IllegalStateException(ex);
    }

    @Override
    public EllSwiftKeyPair keyPair(final BigInteger secret, final SecureRandom random)
    {
        final byte[] sk = secretBytes(secret);
        final byte[] rnd = new byte[32];
        random.nextBytes(rnd);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(160);
            final int ok = (int)HANDLES.keygen().invokeExact(seg.asSlice(0, 64), seg.asSlice(64, 32),
                put(seg, 96, sk, 0, 32), put(seg, 128, rnd, 0, 32));
            try
            {
                if (ok != 1)
                {
                    throw new IllegalArgumentException("secret out of range [1, n)");
                }
                return new EllSwiftKeyPair(secret, get(seg, 0, 64), get(seg, 64, 32));
            }
            finally
            {
                seg.fill((byte)0);
            }
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    @Override
    public byte[] ecdhX(final byte[] theirs, final int offset, final BigInteger secret, final byte[] theirXOut)
    {
        final byte[] sk = secretBytes(secret);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(160);
            final MemorySegment peerX = theirXOut == null ? MemorySegment.NULL : seg.asSlice(32, 32);
            final int ok = (int)HANDLES.ecdh().invokeExact(seg.asSlice(0, 32), peerX, put(seg, 64, theirs, offset, 64),
                put(seg, 128, sk, 0, 32));
            try
            {
                if (ok != 1)
                {
                    throw new IllegalArgumentException("secret out of range [1, n)");
                }
                if (theirXOut != null)
                {
                    MemorySegment.copy(seg, JAVA_BYTE, 32, theirXOut, 0, 32);
                }
                return get(seg, 0, 32);
            }
            finally
            {
                seg.fill((byte)0);
            }
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    @Override
    public byte[][] ecdhX2(final byte[] theirs, final int offset, final BigInteger secretA, final BigInteger secretB)
    {
        final byte[] a = secretBytes(secretA);
        final byte[] b = secretBytes(secretB);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(192);
            final int ok = (int)HANDLES.ecdh2().invokeExact(seg.asSlice(0, 32), seg.asSlice(32, 32),
                put(seg, 64, theirs, offset, 64), put(seg, 128, a, 0, 32), put(seg, 160, b, 0, 32));
            try
            {
                if (ok != 1)
                {
                    throw new IllegalArgumentException("secret out of range [1, n)");
                }
                return new byte[][] {get(seg, 0, 32), get(seg, 32, 32)};
            }
            finally
            {
                seg.fill((byte)0);
            }
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    @Override
    public byte[] decodeX(final byte[] encoded, final int offset)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(96);
            final int ok = (int)HANDLES.decode().invokeExact(seg.asSlice(0, 32), put(seg, 32, encoded, offset, 64));
            if (ok != 1)
            {
                throw new IllegalStateException("ellswift decode failed");
            }
            return get(seg, 0, 32);
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    @Override
    public byte[] sign(final Sha256 sha, final SchnorrKeyPair key, final byte[] message, final byte[] auxRand)
    {
        final byte[] d = Secp256k1.toBytes(key.evenYSecret());
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(160L + message.length);
            final int ok = (int)HANDLES.sign().invokeExact(seg.asSlice(0, 64), put(seg, 160, message, 0,
                message.length), (long)message.length, put(seg, 64, d, 0, 32),
                put(seg, 96, key.publicKeyNoCopy(), 0, 32), put(seg, 128, auxRand, 0, 32));
            try
            {
                if (ok != 1)
                {
                    throw new IllegalStateException("BIP340 signing failed (secret out of range or zero nonce)");
                }
                return get(seg, 0, 64);
            }
            finally
            {
                seg.fill((byte)0);
            }
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    @Override
    public boolean verify(final Sha256 sha, final SchnorrPublicKey key, final byte[] message, final byte[] signature)
    {
        if (signature.length != Schnorr.SIGNATURE_LENGTH)
        {
            return false;
        }
        final MemorySegment stored = key.nativeTable();
        final MemorySegment table = stored == null ? MemorySegment.NULL : stored;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(96L + message.length);
            final int ok = (int)HANDLES.verify().invokeExact(put(seg, 0, signature, 0, 64),
                put(seg, 96, message, 0, message.length), (long)message.length,
                put(seg, 64, key.xOnlyNoCopy(), 0, 32), table);
            return ok == 1;
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    /** The per-key verification table of an x-only key (33 x 128 affine points, about 338 KB of native memory, freed with the returned segment's owner). */
    static MemorySegment pubkeyTable(final byte[] xOnly)
    {
        final MemorySegment table = Arena.ofAuto().allocate(HANDLES.tableSize(), 64);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment x = arena.allocate(32);
            MemorySegment.copy(xOnly, 0, x, JAVA_BYTE, 0, 32);
            final int ok = (int)HANDLES.table().invokeExact(table, x);
            if (ok != 1)
            {
                throw new IllegalArgumentException("not a valid x-only secp256k1 public key");
            }
            return table;
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    // Test and benchmark hooks on the lower layers: field arithmetic, k * G, k * P, xswiftec_inv, encoding.

    /** op(a, b) mod p (see sv2_ec_field_op); null when op 5 finds no square root; op 6 returns {0} or {1}. */
    static byte[] fieldOp(final int op, final byte[] a, final byte[] b)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(96);
            final int ok = (int)HANDLES.fieldOp().invokeExact(op, seg.asSlice(0, 32), put(seg, 32, a, 0, 32),
                put(seg, 64, b, 0, 32));
            if (op == 6)
            {
                return new byte[] {(byte)ok};
            }
            return ok == 1 ? get(seg, 0, 32) : null;
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    /** {x, y} of k * G; null for an invalid secret. */
    static byte[][] mulG(final byte[] k)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(96);
            final int ok = (int)HANDLES.pubkey().invokeExact(seg.asSlice(0, 32), seg.asSlice(32, 32),
                put(seg, 64, k, 0, 32));
            return ok == 1 ? new byte[][] {get(seg, 0, 32), get(seg, 32, 32)} : null;
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    /** {x, y} of k * (px, py); null when the point is not on the curve or the product is infinity. */
    static byte[][] mul(final byte[] px, final byte[] py, final byte[] k)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(160);
            final int ok = (int)HANDLES.mul().invokeExact(seg.asSlice(0, 32), seg.asSlice(32, 32),
                put(seg, 64, px, 0, 32), put(seg, 96, py, 0, 32), put(seg, 128, k, 0, 32));
            return ok == 1 ? new byte[][] {get(seg, 0, 32), get(seg, 32, 32)} : null;
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    /** BIP324 xswiftec_inv(x, u, c); null when the case has no solution. */
    static byte[] xswiftecInv(final byte[] x, final byte[] u, final int c)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(96);
            final int ok = (int)HANDLES.xswiftecInv().invokeExact(seg.asSlice(0, 32), put(seg, 32, x, 0, 32),
                put(seg, 64, u, 0, 32), c);
            return ok == 1 ? get(seg, 0, 32) : null;
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }

    /** A random encoding of x from 32 random bytes; null when x is not on the curve. */
    static byte[] encode(final byte[] x, final byte[] rnd)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(128);
            final int ok = (int)HANDLES.encode().invokeExact(seg.asSlice(0, 64), put(seg, 64, x, 0, 32),
                put(seg, 96, rnd, 0, 32));
            return ok == 1 ? get(seg, 0, 64) : null;
        }
        catch (final Throwable ex)
        {
            throw rethrow(ex);
        }
    }
}
