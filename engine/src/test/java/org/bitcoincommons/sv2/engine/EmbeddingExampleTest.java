package org.bitcoincommons.sv2.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's embedding example is the code in {@link EmbeddingExample} (character for character, between the
 * markers), and that code runs: a block is found and accepted, and the listener heard every accepted share.
 */
class EmbeddingExampleTest
{
    static final String README_BEGIN = "<!-- embedding-example:begin -->";
    static final String README_END = "<!-- embedding-example:end -->";

    @Test
    void readmeShowsTheExampleVerbatim() throws IOException
    {
        final Path root = repositoryRoot();
        final List<String> source = between(Files.readAllLines(
            root.resolve("engine/src/test/java/org/bitcoincommons/sv2/engine/EmbeddingExample.java")),
            "// README:begin", "// README:end");
        final List<String> readme = between(Files.readAllLines(root.resolve("README.md")), README_BEGIN, README_END);
        assertTrue(readme.size() > 2 && readme.getFirst().equals("```java") && readme.getLast().equals("```"),
            "README's example block is one ```java fence between the markers");
        final List<String> code = readme.subList(1, readme.size() - 1);
        assertEquals(dedent(source), code, "README.md's embedding example differs from EmbeddingExample.java; "
            + "copy the lines between // README:begin and // README:end (without their indentation) into the README");
    }

    @Test
    @Timeout(60)
    void theExampleRuns(@TempDir final Path dir) throws Exception
    {
        final EmbeddingExample.Outcome o = EmbeddingExample.run(dir.resolve("journal"));
        assertEquals(1, o.blocksHeard(), "a block was found and accepted within 30 s");
        final long accepted = ((Number)o.accounting().get("shares_accepted")).longValue();
        assertTrue(accepted > 0, "shares were accepted");
        assertEquals(accepted, o.sharesHeard(), "after close the listener has heard every accepted share");
        assertTrue(o.minerAccepted() <= accepted, "the miner was told of no more acceptances than the pool journaled");
    }

    static Path repositoryRoot()
    {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("README.md")))
        {
            p = p.getParent();
        }
        if (p == null)
        {
            throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static List<String> between(final List<String> lines, final String begin, final String end)
    {
        int b = -1;
        int e = -1;
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).trim().equals(begin) && b < 0)
            {
                b = i;
            }
            else if (lines.get(i).trim().equals(end) && b >= 0)
            {
                e = i;
                break;
            }
        }
        if (b < 0 || e < 0)
        {
            throw new AssertionError("markers " + begin + " ... " + end + " not found");
        }
        return List.copyOf(lines.subList(b + 1, e));
    }

    /** Removes the indentation common to every non-blank line. */
    static List<String> dedent(final List<String> lines)
    {
        int common = Integer.MAX_VALUE;
        for (final String l : lines)
        {
            if (!l.isBlank())
            {
                common = Math.min(common, l.length() - l.stripLeading().length());
            }
        }
        final int cut = common == Integer.MAX_VALUE ? 0 : common;
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(cut)).toList();
    }
}
