package org.bitcoincommons.sv2.crypto;

import java.lang.foreign.MemorySegment;

/**
 * A BIP340 x-only public key lifted to its even-y point once, for repeated verification. Keys made by {@link #of}
 * are prepared for many verifications: they carry a fixed-base table of the point per backend, so verification is
 * two doubling-free table multiplications instead of a table one and a variable-base one. The Java table has
 * 52 x 16 affine multiples (about 67 KB, about 1 ms to build); the native one 33 x 128 (about 330 KB in native
 * memory freed with the key, a few ms), for 33 additions per multiplication. The table of the selected
 * {@link EcBackends backend} is built in {@link #of}, the other one on first use. Immutable apart from those caches
 * (thread-safe).
 */
public final class SchnorrPublicKey
{
    private final byte[] xOnly;
    private final AffinePoint point;
    private final boolean prepared;
    private volatile long[] javaTable;
    private volatile MemorySegment nativeTable;

    private SchnorrPublicKey(final byte[] xOnly, final AffinePoint point, final boolean prepared)
    {
        this.xOnly = xOnly;
        this.point = point;
        this.prepared = prepared;
    }

    /**
     * @return the key, or null if the 32 bytes are not the x-coordinate of a curve point (or not below p).
     */
    public static SchnorrPublicKey liftOrNull(final byte[] xOnly)
    {
        if (xOnly.length != 32 || Secp256k1.toInt(xOnly, 0).compareTo(Secp256k1.P) >= 0)
        {
            return null;
        }
        final AffinePoint point = Secp256k1.liftX(Secp256k1.fe(xOnly, 0));
        return point == null ? null : new SchnorrPublicKey(xOnly.clone(), point, false);
    }

    /**
     * The key prepared for many verifications, with its fixed-base table.
     *
     * @throws IllegalArgumentException if the bytes are not a valid x-only key.
     */
    public static SchnorrPublicKey of(final byte[] xOnly)
    {
        final SchnorrPublicKey lifted = liftOrNull(xOnly);
        if (lifted == null)
        {
            throw new IllegalArgumentException("not a valid x-only secp256k1 public key");
        }
        final SchnorrPublicKey key = new SchnorrPublicKey(lifted.xOnly, lifted.point, true);
        if (EcBackends.selected() instanceof NativeEcBackend)
        {
            key.nativeTable();
        }
        else
        {
            key.javaTable();
        }
        return key;
    }

    public byte[] xOnly()
    {
        return xOnly.clone();
    }

    byte[] xOnlyNoCopy()
    {
        return xOnly;
    }

    AffinePoint point()
    {
        return point;
    }

    /** The Java fixed-base table of the point, or null for a key from {@link #liftOrNull}. */
    long[] javaTable()
    {
        long[] table = javaTable;
        if (table == null && prepared)
        {
            table = Secp256k1.fixedBaseTable(point);
            javaTable = table;
        }
        return table;
    }

    /** The native table of the point, or null for a key from {@link #liftOrNull}. */
    MemorySegment nativeTable()
    {
        MemorySegment table = nativeTable;
        if (table == null && prepared)
        {
            table = NativeEcBackend.pubkeyTable(xOnly);
            nativeTable = table;
        }
        return table;
    }
}
