package org.bitcoincommons.sv2.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds {@code libsv2hash.so} with no manual step. Tried in order:
 * <ol>
 *   <li>{@code -Dsv2.native.lib=/path/libsv2hash.so} ({@code none} disables the native library);</li>
 *   <li>{@code ${sv2.root.dir}/native/build/} (bin/sv2 and Surefire set sv2.root.dir);</li>
 *   <li>beside the engine jar, and {@code native/build/} of the checkout the jar (or classes dir) sits in;</li>
 *   <li>the copy packaged inside the engine jar under {@code native/linux-x86_64/}, extracted once to a
 *       temporary file.</li>
 * </ol>
 * Only Linux on x86-64 has a kernel; elsewhere nothing is found and the engine uses pure Java.
 */
public final class NativeLibraryLocator
{
    public static final String LIBRARY_FILE = "libsv2hash.so";
    public static final String RESOURCE = "/native/linux-x86_64/" + LIBRARY_FILE;
    public static final String PROPERTY = "sv2.native.lib";
    public static final String DISABLED = "none";

    private NativeLibraryLocator()
    {
    }

    /** The library path, found once per JVM. */
    public static Optional<Path> library()
    {
        return Holder.PATH;
    }

    private static final class Holder
    {
        static final Optional<Path> PATH = locate();
    }

    /**
     * A function the library must export, for FFM downcalls (the hashing kernel, secp256k1 and the AEAD all live in
     * the one library, opened once per JVM and never unloaded).
     *
     * @throws IllegalStateException when there is no library, or it does not export {@code name}
     */
    public static MemorySegment symbol(final String name)
    {
        final SymbolLookup lookup = Symbols.LOOKUP
            .orElseThrow(() -> new IllegalStateException(LIBRARY_FILE + " not found"));
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("libsv2hash lacks " + name));
    }

    private static final class Symbols
    {
        static final Optional<SymbolLookup> LOOKUP = library().map(p -> SymbolLookup.libraryLookup(p, Arena.global()));
    }

    public static boolean platformSupported()
    {
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        final String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    private static Optional<Path> locate()
    {
        if (!platformSupported() || DISABLED.equalsIgnoreCase(System.getProperty(PROPERTY, "")))
        {
            return Optional.empty();
        }
        for (final Path candidate : candidates())
        {
            if (Files.isRegularFile(candidate))
            {
                return Optional.of(candidate.toAbsolutePath().normalize());
            }
        }
        return extractResource();
    }

    /** The places on disk to look, in order. */
    public static List<Path> candidates()
    {
        final List<Path> paths = new ArrayList<>();
        final String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isBlank())
        {
            paths.add(Paths.get(explicit));
        }
        final String root = System.getProperty("sv2.root.dir");
        if (root != null && !root.isBlank())
        {
            paths.add(Paths.get(root, "native", "build", LIBRARY_FILE));
        }
        codeLocation().ifPresent(loc ->
        {
            // engine/target/sv2-engine.jar or engine/target/classes: the checkout root is three levels up.
            final Path dir = loc.getParent();
            if (dir != null)
            {
                paths.add(dir.resolve(LIBRARY_FILE));
                final Path engine = dir.getParent();
                final Path checkout = engine == null ? null : engine.getParent();
                if (checkout != null)
                {
                    paths.add(checkout.resolve("native").resolve("build").resolve(LIBRARY_FILE));
                }
            }
        });
        return paths;
    }

    private static Optional<Path> codeLocation()
    {
        try
        {
            final CodeSource source = NativeLibraryLocator.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null)
            {
                return Optional.empty();
            }
            return Optional.of(Paths.get(source.getLocation().toURI()));
        }
        catch (final URISyntaxException | RuntimeException ex)
        {
            return Optional.empty();
        }
    }

    /** Copies the library packaged in the jar to a temporary file, deleted when the JVM exits. */
    public static Optional<Path> extractResource()
    {
        try (InputStream in = NativeLibraryLocator.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                return Optional.empty();
            }
            final Path file = Files.createTempFile("libsv2hash-", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(file);
        }
        catch (final IOException ex)
        {
            return Optional.empty();
        }
    }
}
