package org.bitcoincommons.sv2.hash;

import java.util.Locale;

/**
 * The native kernel's code paths; ids match the {@code SV2_KERNEL_*} constants of native/include/sv2hash.h.
 * The value of {@code -Dsv2.hash.kernel}.
 */
public enum HashKernel
{
    /** The CPUID choice made when the library loads (one for batches, one for scanning). */
    AUTO(0, "auto"),
    PORTABLE(1, "portable"),
    SHA_NI(2, "sha-ni"),
    SHA_NI_X2(3, "sha-ni-x2"),
    SHA_NI_X4(4, "sha-ni-x4"),
    AVX2(5, "avx2"),
    AVX512(6, "avx512");

    private final int id;
    private final String kernelName;

    HashKernel(final int id, final String kernelName)
    {
        this.id = id;
        this.kernelName = kernelName;
    }

    /** The SV2_KERNEL_* id. */
    public int id()
    {
        return id;
    }

    /** The name the native library reports, e.g. "sha-ni-x4". */
    public String kernelName()
    {
        return kernelName;
    }

    public static HashKernel ofId(final int id)
    {
        for (final HashKernel k : values())
        {
            if (k.id == id)
            {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kernel id " + id);
    }

    /**
     * Parses a kernel name ("auto", "portable", "sha-ni", "sha-ni-x2", "sha-ni-x4", "avx2", "avx512").
     *
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static HashKernel parse(final String value)
    {
        if (value == null || value.isBlank())
        {
            return AUTO;
        }
        final String v = value.trim().toLowerCase(Locale.ROOT);
        for (final HashKernel k : values())
        {
            if (k.kernelName.equals(v))
            {
                return k;
            }
        }
        throw new IllegalArgumentException(
            "hash kernel must be one of auto, portable, sha-ni, sha-ni-x2, sha-ni-x4, avx2, avx512 (got '" + value + "')");
    }
}
