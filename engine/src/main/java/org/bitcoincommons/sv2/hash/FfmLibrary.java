package org.bitcoincommons.sv2.hash;

import org.bitcoincommons.sv2.nativelib.NativeLibraryLocator;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The downcall handles of libsv2hash (see native/include/sv2hash.h), bound once per JVM.
 * Batch calls are {@code critical}: they may take heap segments and are short (a 1024-header batch is
 * tens of microseconds). Scanning has a critical handle for heap segments and a plain one for native
 * segments, since a long scan must not hold off the garbage collector.
 */
final class FfmLibrary
{
    /** The bound handles, or null with the reason in {@link #FAILURE}. A record, so the JIT trusts its fields. */
    record Handles(
        MethodHandle hash,
        MethodHandle check,
        MethodHandle midstate,
        MethodHandle hashMidstates,
        MethodHandle checkMidstates,
        MethodHandle coinbaseHeaders,
        MethodHandle scanCritical,
        MethodHandle scan,
        MethodHandle shaniLimit,
        int kernelsAvailable,
        int defaultHash,
        int defaultScan,
        String[] kernelNames,
        Path path)
    {
    }

    /** The sv2_api_version() this code binds to (2: coinbase batches). */
    static final int API_VERSION = 2;

    static final Handles HANDLES;
    static final Throwable FAILURE;

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
    }

    private FfmLibrary()
    {
    }

    static Optional<Handles> handles()
    {
        return Optional.ofNullable(HANDLES);
    }

    private static Handles bind() throws Throwable
    {
        final Path path = NativeLibraryLocator.library()
            .orElseThrow(() -> new IllegalStateException("libsv2hash.so not found"));
        final Linker linker = Linker.nativeLinker();
        final Linker.Option critical = Linker.Option.critical(true);

        final int api = (int)linker.downcallHandle(NativeLibraryLocator.symbol("sv2_api_version"), FunctionDescriptor.of(JAVA_INT))
            .invokeExact();
        if (api != API_VERSION)
        {
            throw new IllegalStateException("libsv2hash API version " + api + ", expected " + API_VERSION);
        }
        final int available = (int)linker.downcallHandle(
            NativeLibraryLocator.symbol("sv2_kernels_available"), FunctionDescriptor.of(JAVA_INT)).invokeExact();
        final int defaultHash = (int)linker.downcallHandle(
            NativeLibraryLocator.symbol("sv2_kernel_default_hash"), FunctionDescriptor.of(JAVA_INT)).invokeExact();
        final int defaultScan = (int)linker.downcallHandle(
            NativeLibraryLocator.symbol("sv2_kernel_default_scan"), FunctionDescriptor.of(JAVA_INT)).invokeExact();
        final MethodHandle name = linker.downcallHandle(
            NativeLibraryLocator.symbol("sv2_kernel_name"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        final String[] names = new String[HashKernel.values().length];
        for (int k = 0; k < names.length; k++)
        {
            final MemorySegment cstr = (MemorySegment)name.invokeExact(k);
            names[k] = cstr.reinterpret(64).getString(0);
        }

        final FunctionDescriptor scanDesc = FunctionDescriptor.of(
            JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
        return new Handles(
            linker.downcallHandle(NativeLibraryLocator.symbol("sv2_sha256d_headers_k"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), critical),
            linker.downcallHandle(NativeLibraryLocator.symbol("sv2_check_headers_k"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS), critical),
            linker.downcallHandle(NativeLibraryLocator.symbol("sv2_midstate"), FunctionDescriptor.ofVoid(ADDRESS, ADDRESS), critical),
            linker.downcallHandle(NativeLibraryLocator.symbol("sv2_sha256d_midstates_k"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), critical),
            linker.downcallHandle(NativeLibraryLocator.symbol("sv2_check_midstates_k"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS), critical),
            linker.downcallHandle(NativeLibraryLocator.symbol("sv2_sha256d_coinbase_headers_k"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, ADDRESS),
                critical),
            linker.downcallHandle(NativeLibraryLocator.symbol("sv2_scan_k"), scanDesc, critical),
            linker.downcallHandle(NativeLibraryLocator.symbol("sv2_scan_k"), scanDesc),
            linker.downcallHandle(NativeLibraryLocator.symbol("sv2_shani_limit"), FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
            available,
            defaultHash,
            defaultScan,
            names,
            path);
    }

    /** Whether the CPU (and the library) can run the kernel. */
    static boolean available(final Handles h, final HashKernel kernel)
    {
        return kernel == HashKernel.AUTO || (h.kernelsAvailable() & (1 << kernel.id())) != 0;
    }

    /**
     * Runs {@code iterations} chained single-block SHA-NI compressions (the SHA-NI limit); returns a
     * state word, or 0 at once when the CPU has no SHA-NI.
     */
    static int shaniLimit(final long iterations)
    {
        try
        {
            return (int)HANDLES.shaniLimit().invokeExact(iterations);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
