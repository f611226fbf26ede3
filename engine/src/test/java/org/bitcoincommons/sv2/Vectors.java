package org.bitcoincommons.sv2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The public test vectors kept in the repository ({@code engine/src/test/resources/vectors/}, see SOURCES.md there),
 * read from the test class path. Nothing outside the repository is ever opened.
 */
public final class Vectors
{
    private static final String DIR = "/vectors/";

    private Vectors()
    {
    }

    public static Path path(final String name)
    {
        final URL url = Vectors.class.getResource(DIR + name);
        if (url == null)
        {
            throw new IllegalStateException("test vector " + name + " is not on the test class path (" + DIR + ")");
        }
        try
        {
            return Paths.get(url.toURI());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
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
