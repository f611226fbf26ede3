package org.bitcoincommons.sv2.hash;

import org.bitcoincommons.sv2.nativelib.NativeLibraryLocator;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * libsv2hash through JNA direct mapping (see native/include/sv2hash.h). Pointers are passed as
 * {@code long} addresses (x86-64 LP64: a pointer and a 64-bit integer travel in the same register).
 * Registered once per JVM; {@link #FAILURE} holds the reason when that failed.
 */
final class JnaLibrary
{
    static final Throwable FAILURE;

    static
    {
        Throwable failure = null;
        try
        {
            final String path = NativeLibraryLocator.library()
                .orElseThrow(() -> new IllegalStateException("libsv2hash.so not found"))
                .toString();
            Native.register(JnaLibrary.class, NativeLibrary.getInstance(path));
            if (sv2_api_version() != FfmLibrary.API_VERSION)
            {
                throw new IllegalStateException(
                    "libsv2hash API version " + sv2_api_version() + ", expected " + FfmLibrary.API_VERSION);
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
        FAILURE = failure;
    }

    private JnaLibrary()
    {
    }

    static boolean loaded()
    {
        return FAILURE == null;
    }

    static native int sv2_api_version();

    static native int sv2_kernels_available();

    static native int sv2_kernel_default_hash();

    static native int sv2_kernel_default_scan();

    static native int sv2_sha256d_headers_k(int kernel, long headers, int count, long out);

    static native int sv2_check_headers_k(int kernel, long headers, long targets, int count, long ok, long out);

    static native void sv2_midstate(long first64, long midstate32);

    static native int sv2_sha256d_midstates_k(int kernel, long records, int count, long out);

    static native int sv2_check_midstates_k(int kernel, long records, long targets, int count, long ok, long out);

    static native int sv2_sha256d_coinbase_headers_k(
        int kernel, long contexts, long contextsLength, long records, long headers, int count, long out);

    static native int sv2_scan_k(int kernel, long prefix, int nonceStart, int count, long target, long found, int maxFound);
}
