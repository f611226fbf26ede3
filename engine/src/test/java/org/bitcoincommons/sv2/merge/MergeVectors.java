package org.bitcoincommons.sv2.merge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bitcoincommons.sv2.Vectors;
import org.bitcoincommons.sv2.bitcoin.Hex;

/**
 * Real merged-mining data gathered from public sources, in src/test/resources/merge (provenance in README.md
 * there), plus the shared Namecoin vector.
 */
final class MergeVectors
{
    private MergeVectors()
    {
    }

    static String text(final String name)
    {
        try (InputStream in = MergeVectors.class.getResourceAsStream("/merge/" + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing test resource merge/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static byte[] hex(final String name)
    {
        return Hex.decode(text(name));
    }

    static byte[] namecoin37174()
    {
        return Hex.decode(Vectors.read("namecoin_37174_header_auxpow.hex").strip());
    }

    /** Copies a resource to a file (for the CLI). */
    static Path toFile(final Path dir, final String name)
    {
        try
        {
            final Path p = dir.resolve(name);
            Files.writeString(p, text(name));
            return p;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
