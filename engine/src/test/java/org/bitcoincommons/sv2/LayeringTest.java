package org.bitcoincommons.sv2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The build-time check of the package layering: a package may use only packages on a strictly lower layer. Two
 * packages on the same layer never use each other (pool and merge, for instance, meet only through work).
 * <p>
 * The allowed direction, lowest layer first (a package may import anything listed on an earlier line):
 * <pre>
 *   0  nativelib, bitcoin, codec, config, journal, pipeline   (no dependency on this project)
 *   1  crypto, hash, transport       (the native locator below crypto and hash; transport uses the codec's frame header)
 *   2  noise                         (handshake and cipher states over a transport ByteStream)
 *   3  revenue, template
 *   4  work                          (Job, JobFactory, BlockCandidate, BlockSink)
 *   5  pool, merge                   (independent of each other)
 *   6  cluster, sv1, miner, loadgen, jdc   (jdc: the Job Declaration client, a local pool declared upstream)
 *   7  api
 *   8  engine                        (the public embedding API: StratumV2Server, StratumV2Miner)
 *   9  cli                           (runs on the public API)
 * </pre>
 * The one exception ({@link #EXCEPTIONS}): PoolServer, the composition root, starts the SV1 listener.
 * A new top-level package must be added to {@link #LAYERS}; the test names it when it is missing. Every reference
 * counts, imports and fully qualified names in code alike.
 */
class LayeringTest
{
    private static final String ROOT = "org.bitcoincommons.sv2.";
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
        Map.entry("nativelib", 0), Map.entry("bitcoin", 0), Map.entry("codec", 0), Map.entry("config", 0),
        Map.entry("journal", 0), Map.entry("pipeline", 0),
        Map.entry("transport", 1),
        Map.entry("crypto", 1), Map.entry("hash", 1),
        Map.entry("noise", 2),
        Map.entry("revenue", 3), Map.entry("template", 3),
        Map.entry("work", 4), Map.entry("jd", 4),
        Map.entry("pool", 5), Map.entry("merge", 5),
        Map.entry("cluster", 6), Map.entry("sv1", 6), Map.entry("miner", 6), Map.entry("loadgen", 6), Map.entry("jdc", 6),
        Map.entry("api", 7),
        Map.entry("engine", 8),
        Map.entry("cli", 9));
    /**
     * Known exceptions, each a file and the upper package it may use, with the reason. PoolServer is the composition
     * root that starts every listener, the SV1 endpoint included, while sv1 is built on the pool's logic; moving the
     * wiring out of PoolServer removes this line.
     */
    private static final Map<String, String> EXCEPTIONS = Map.of("pool/PoolServer.java", "sv1");
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.bitcoincommons\\.sv2\\.([a-z0-9_]+)\\.");

    @Test
    void noPackageUsesOneAboveOrBesideIt() throws IOException
    {
        final Path main = Paths.get("src/main/java/org/bitcoincommons/sv2");
        assertTrue(Files.isDirectory(main), "run from the engine module: " + main.toAbsolutePath());
        final List<String> violations = new ArrayList<>();
        final TreeSet<String> unknown = new TreeSet<>();
        try (Stream<Path> files = Files.walk(main))
        {
            for (final Path file : (Iterable<Path>)files.filter(p -> p.toString().endsWith(".java"))::iterator)
            {
                final Path relative = main.relativize(file);
                if (relative.getNameCount() < 2)
                {
                    unknown.add("(root) " + relative);
                    continue;
                }
                final String from = relative.getName(0).toString();
                final Integer fromLayer = LAYERS.get(from);
                if (fromLayer == null)
                {
                    unknown.add(from);
                    continue;
                }
                final String code = stripComments(Files.readString(file));
                final Matcher m = REFERENCE.matcher(code);
                final TreeSet<String> seen = new TreeSet<>();
                while (m.find())
                {
                    final String to = m.group(1);
                    if (to.equals(from) || !seen.add(to) || code.startsWith("package " + ROOT + to, m.start()))
                    {
                        continue;
                    }
                    final Integer toLayer = LAYERS.get(to);
                    if (toLayer == null)
                    {
                        unknown.add(to);
                    }
                    else if (toLayer >= fromLayer && !to.equals(EXCEPTIONS.get(relative.toString())))
                    {
                        violations.add(relative + ": " + from + " (layer " + fromLayer + ") uses " + to + " (layer "
                            + toLayer + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), List.copyOf(unknown), "packages missing from LayeringTest.LAYERS: add each on its layer");
        assertEquals(List.of(), violations, "a package may only use packages on a lower layer");
    }

    /** Removes comments so that a Javadoc link to an upper layer is not counted (its code would not compile anyway). */
    static String stripComments(final String s)
    {
        return s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }

    @Test
    void theCheckCatchesAnUpwardImport()
    {
        final Matcher m = REFERENCE.matcher(stripComments("import org.bitcoincommons.sv2.pool.PoolServer; // x"));
        assertTrue(m.find());
        assertEquals("pool", m.group(1));
        assertTrue(LAYERS.get("pool") > LAYERS.get("noise"));
        assertTrue(!REFERENCE.matcher(stripComments("/** {@link org.bitcoincommons.sv2.pool.X} */")).find());
    }
}
