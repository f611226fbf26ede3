package org.bitcoincommons.sv2.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import org.bitcoincommons.sv2.nativelib.NativeLibraryLocator;

/**
 * The ChaCha20-Poly1305 downcalls of libsv2hash (native/include/sv2aead.h), bound once per JVM. Seal and open are
 * {@code critical} downcalls: they take native segments (a thread's scratch buffer, see {@link NativeChaCha20Poly1305})
 * or heap segments of byte arrays without copying, and each runs for well under a microsecond on a transport message
 * (at most 65535 bytes), short enough not to hold off the garbage collector.
 * The C side never checks array bounds: callers check them first.
 */
final class NativeAead
{
    static final int KERNEL_AUTO = 0;
    static final int KERNEL_PORTABLE = 1;
    static final int KERNEL_AVX2 = 2;
    static final int KERNEL_AVX512VL = 3;
    static final int KERNEL_COUNT = 4;

    private static final MethodHandle SEAL;
    private static final MethodHandle OPEN;
    private static final MethodHandle USE_KERNEL;
    private static final MethodHandle KERNEL_NAME;
    private static final int KERNELS_AVAILABLE;
    private static final Path PATH;
    /** Why the library is not usable, or null when it is. */
    static final Throwable FAILURE;

    static
    {
        MethodHandle seal = null;
        MethodHandle open = null;
        MethodHandle useKernel = null;
        MethodHandle kernelName = null;
        int available = 0;
        Path path = null;
        Throwable failure = null;
        try
        {
            path = NativeLibraryLocator.library()
                .orElseThrow(() -> new IllegalStateException(NativeLibraryLocator.LIBRARY_FILE + " not found"));
            final Linker linker = Linker.nativeLinker();
            final int api = (int)linker.downcallHandle(
                NativeLibraryLocator.symbol("sv2_aead_api_version"), FunctionDescriptor.of(JAVA_INT)).invokeExact();
            if (api != 1)
            {
                throw new IllegalStateException("libsv2hash AEAD API version " + api + ", expected 1");
            }
            available = (int)linker.downcallHandle(NativeLibraryLocator.symbol("sv2_aead_kernels_available"),
                FunctionDescriptor.of(JAVA_INT)).invokeExact();
            final FunctionDescriptor aead = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,
                ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
            final Linker.Option critical = Linker.Option.critical(true);
            seal = linker.downcallHandle(NativeLibraryLocator.symbol("sv2_aead_seal"), aead, critical);
            open = linker.downcallHandle(NativeLibraryLocator.symbol("sv2_aead_open"), aead, critical);
            useKernel = linker.downcallHandle(
                NativeLibraryLocator.symbol("sv2_aead_use_kernel"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            kernelName = linker.downcallHandle(
                NativeLibraryLocator.symbol("sv2_aead_kernel_name"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        }
        catch (final Throwable ex)
        {
            failure = ex;
            seal = null;
            open = null;
        }
        SEAL = seal;
        OPEN = open;
        USE_KERNEL = useKernel;
        KERNEL_NAME = kernelName;
        KERNELS_AVAILABLE = available;
        PATH = path;
        FAILURE = failure;
    }

    private NativeAead()
    {
    }

    /** Whether the library was found and exports the AEAD functions. */
    static boolean available()
    {
        return FAILURE == null;
    }

    /** The library file, when {@link #available()}. */
    static Path path()
    {
        return PATH;
    }

    /** Bit k set: this CPU can run kernel k. */
    static int kernelsAvailable()
    {
        return KERNELS_AVAILABLE;
    }

    /** Name of kernel k; {@link #KERNEL_AUTO} names the one in use. */
    static String kernelName(final int kernel)
    {
        try
        {
            return ((MemorySegment)KERNEL_NAME.invokeExact(kernel)).reinterpret(32).getString(0);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Forces a kernel for the whole process (tests and benchmarks); {@link #KERNEL_AUTO} restores the default. */
    static boolean useKernel(final int kernel)
    {
        try
        {
            return (int)USE_KERNEL.invokeExact(kernel) == 0;
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Slots of the keystream cache of seal and open: ChaCha20 blocks 0 and 1 of each of the next nonces. */
    static final int CACHE_SLOTS = 3;
    /** Bytes of a context: the key, then the keystream cache. */
    static final int CONTEXT_LENGTH = ChaCha20Poly1305.KEY_LENGTH + CACHE_SLOTS * 128;

    static int seal(
        final MemorySegment context, final int cached, final int n0, final long n12,
        final MemorySegment ad, final int adOffset, final int adLength,
        final MemorySegment src, final int srcOffset, final int length,
        final MemorySegment dst, final int dstOffset)
    {
        try
        {
            return (int)SEAL.invokeExact(context, cached, n0, n12, ad, adOffset, adLength, src, srcOffset, length, dst,
                dstOffset);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static int open(
        final MemorySegment context, final int cached, final int n0, final long n12,
        final MemorySegment ad, final int adOffset, final int adLength,
        final MemorySegment src, final int srcOffset, final int length,
        final MemorySegment dst, final int dstOffset)
    {
        try
        {
            return (int)OPEN.invokeExact(context, cached, n0, n12, ad, adOffset, adLength, src, srcOffset, length, dst,
                dstOffset);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
