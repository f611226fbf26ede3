package org.bitcoincommons.sv2.hash;

import org.bitcoincommons.sv2.nativelib.NativeLibraryLocator;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks and builds the SHA-256d backend.
 * <ul>
 *   <li>{@code -Dsv2.hash.impl=auto|ffm|jna|java} (or the config key {@code [pool] hash_impl}, passed to
 *       {@link #create(String)}) chooses how native code is reached. {@code auto} takes FFM when this
 *       module has native access, else JNA, else pure Java. A choice that cannot be honoured falls back
 *       along the same chain with a warning.</li>
 *   <li>{@code -Dsv2.hash.kernel=auto|portable|sha-ni|sha-ni-x2|sha-ni-x4|avx2|avx512} forces the native
 *       code path for both batches and scanning (default: the library's CPUID choice).</li>
 *   <li>{@code -Dsv2.native.lib=none} disables the native library; any other value is its path.</li>
 * </ul>
 * The first backend built is logged once (slf4j, INFO) with its implementation, kernels and library.
 */
public final class HashBackends
{
    public static final String IMPL_PROPERTY = "sv2.hash.impl";
    public static final String KERNEL_PROPERTY = "sv2.hash.kernel";

    private static final Logger LOG = LoggerFactory.getLogger(HashBackends.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private HashBackends()
    {
    }

    /**
     * The backend for a config value ({@code auto}, {@code ffm}, {@code jna}, {@code java}); null or blank
     * falls back to {@code -Dsv2.hash.impl}, then to auto.
     *
     * @throws IllegalArgumentException if the value (or the kernel property) is not a known name.
     */
    public static HashBackend create(final String configValue)
    {
        final String value = configValue == null || configValue.isBlank()
            ? System.getProperty(IMPL_PROPERTY, "auto")
            : configValue;
        return create(HashImpl.parse(value));
    }

    /** The backend for {@code impl}, falling back (with a warning) when it cannot be built here. */
    public static HashBackend create(final HashImpl impl)
    {
        final HashKernel kernel = HashKernel.parse(System.getProperty(KERNEL_PROPERTY, "auto"));
        HashBackend backend = null;
        final StringBuilder why = new StringBuilder();
        if (impl == HashImpl.FFM || (impl == HashImpl.AUTO && nativeAccessEnabled()))
        {
            backend = tryBuild(HashImpl.FFM, kernel, why);
        }
        if (backend == null && impl != HashImpl.JAVA)
        {
            backend = tryBuild(HashImpl.JNA, kernel, why);
        }
        if (backend == null)
        {
            backend = new JavaBackend();
        }
        if (impl != HashImpl.AUTO && backend.impl() != impl)
        {
            LOG.warn("hash_impl {} is not available here ({}); using {}", impl.configName(), why, backend.impl().configName());
        }
        if (LOGGED.compareAndSet(false, true))
        {
            LOG.debug("hashing: impl={} kernel={} scan={} library={}", backend.impl().configName(), backend.kernel(),
                backend.scanKernel(), libraryPath().map(Path::toString).orElse("none"));
        }
        return backend;
    }

    private static HashBackend tryBuild(final HashImpl impl, final HashKernel kernel, final StringBuilder why)
    {
        try
        {
            return create(impl, kernel, kernel);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            why.append(why.isEmpty() ? "" : "; ").append(impl.configName()).append(": ").append(ex.getMessage());
            return null;
        }
    }

    /**
     * Exactly the backend asked for, with no fallback (tests and benchmarks force each path with this).
     *
     * @throws IllegalStateException if that implementation cannot load here.
     * @throws IllegalArgumentException if the CPU cannot run a requested kernel.
     */
    public static HashBackend create(final HashImpl impl, final HashKernel hashKernel, final HashKernel scanKernel)
    {
        return switch (impl)
        {
            case FFM ->
            {
                if (!nativeAccessEnabled())
                {
                    throw new IllegalStateException("FFM native access is not enabled for this module");
                }
                yield new FfmBackend(hashKernel, scanKernel);
            }
            case JNA -> new JnaBackend(hashKernel, scanKernel);
            case JAVA -> new JavaBackend();
            case AUTO -> throw new IllegalArgumentException("name ffm, jna or java");
        };
    }

    /** Whether this code's module may make FFM downcalls (e.g. {@code --enable-native-access=ALL-UNNAMED}). */
    public static boolean nativeAccessEnabled()
    {
        return HashBackends.class.getModule().isNativeAccessEnabled();
    }

    /** The native library in use, if one was found. */
    public static Optional<Path> libraryPath()
    {
        return NativeLibraryLocator.library();
    }

    /** The native kernels this CPU can run (empty when the library does not load through FFM or JNA). */
    public static Set<HashKernel> availableKernels()
    {
        int mask = 0;
        final Optional<FfmLibrary.Handles> ffm = nativeAccessEnabled() ? FfmLibrary.handles() : Optional.empty();
        if (ffm.isPresent())
        {
            mask = ffm.get().kernelsAvailable();
        }
        else if (JnaLibrary.loaded())
        {
            mask = JnaLibrary.sv2_kernels_available();
        }
        final Set<HashKernel> kernels = EnumSet.noneOf(HashKernel.class);
        for (final HashKernel k : HashKernel.values())
        {
            if (k != HashKernel.AUTO && (mask & (1 << k.id())) != 0)
            {
                kernels.add(k);
            }
        }
        return kernels;
    }

    /**
     * Runs {@code iterations} chained single-block SHA-NI compressions in the native library (one
     * stream): time it for the SHA-NI limit. Returns a state word.
     *
     * @throws IllegalStateException if the library is not loaded through FFM or the CPU lacks SHA-NI.
     */
    public static int shaniLimit(final long iterations)
    {
        if (!nativeAccessEnabled() || FfmLibrary.handles().isEmpty() || !availableKernels().contains(HashKernel.SHA_NI))
        {
            throw new IllegalStateException("the SHA-NI limit needs the native library through FFM on a SHA-NI CPU");
        }
        return FfmLibrary.shaniLimit(iterations);
    }

    /**
     * The default backend ({@code -Dsv2.hash.impl}, else auto), built once per JVM, for its names
     * ({@code bin/sv2 version}); threads that hash build their own with {@link #create(String)}.
     */
    public static HashBackend selected()
    {
        return Selected.BACKEND;
    }

    private static final class Selected
    {
        static final HashBackend BACKEND = create((String)null);
    }
}
