package org.bitcoincommons.sv2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the public test vectors in {@code shared/vectors/} (beside the clone in CI, or above it).
 */
public final class Vectors
{
    private Vectors()
    {
    }

    public static Path dir()
    {
        final String prop = System.getProperty("sv2.vectors.dir");
        if (prop != null && Files.isDirectory(Paths.get(prop)))
        {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        Path p = Paths.get("").toAbsolutePath();
        while (p != null)
        {
            final Path candidate = p.resolve("shared").resolve("vectors");
            if (Files.isDirectory(candidate))
            {
                return candidate;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("shared/vectors not found above " + Paths.get("").toAbsolutePath());
    }

    public static Path path(final String name)
    {
        return dir().resolve(name);
    }

    public static String read(final String name)
    {
        try
        {
            return Files.readString(path(name));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
