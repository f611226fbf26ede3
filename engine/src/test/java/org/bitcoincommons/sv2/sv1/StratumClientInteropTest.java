package org.bitcoincommons.sv2.sv1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with an independent Stratum V1 client: the npm package stratum-client 1.1.0 (pinned by
 * engine/src/test/node/package-lock.json, installed by bin/npm-test-deps into .npm-deps/, which `make test` and
 * .ci/run do) connects to the pool's [sv1] endpoint, subscribes, authorizes and receives jobs; the Node script
 * engine/src/test/node/stratum-client-miner.js rebuilds each header from the notify fields and grinds it with Node's
 * own SHA-256, and submits through the library. The pool must accept the shares, count them for the worker and
 * journal them. Without node or the package the test fails, saying what to run: it is never skipped.
 */
@Timeout(60)
class StratumClientInteropTest
{
    private static final String WORKER = "stratum-client.rig1";
    private static final int SHARES = 4;

    @TempDir
    Path dir;

    @Test
    void stratumClientMinesAcceptedJournaledShares() throws Exception
    {
        final Path root = Path.of(System.getProperty("sv2.root.dir", "..")).toAbsolutePath().normalize();
        final Path modules = root.resolve(".npm-deps").resolve("node_modules");
        final Path script = root.resolve("engine/src/test/node/stratum-client-miner.js");
        if (!Files.isRegularFile(modules.resolve("stratum-client").resolve("package.json")))
        {
            fail("the npm package stratum-client is not installed in " + modules + ": run bin/npm-test-deps " +
                "(needs node and npm; `make test` runs it when npm is on PATH)");
        }
        final String node = findNode();
        if (node == null)
        {
            fail("node is not on PATH: install Node.js (apt-get install -y nodejs) and run bin/npm-test-deps");
        }
        try (Sv1TestPool h = new Sv1TestPool(dir, "", ""))
        {
            final Path out = dir.resolve("node.out");
            final Path err = dir.resolve("node.err");
            final ProcessBuilder pb = new ProcessBuilder(node, script.toString(), "127.0.0.1",
                Integer.toString(h.sv1().getPort()), WORKER, Integer.toString(SHARES), "15000")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("NODE_PATH", modules.toString());
            final Process p = pb.start();
            try
            {
                assertTrue(p.waitFor(25, TimeUnit.SECONDS), "the node miner did not finish in 25 s");
            }
            finally
            {
                p.destroyForcibly();
            }
            final String stdout = Files.readString(out, StandardCharsets.UTF_8);
            final String stderr = Files.readString(err, StandardCharsets.UTF_8);
            final String why = "node exit " + p.exitValue() + "\nstdout: " + stdout + "\nstderr: " + stderr;
            assertTrue(!stdout.isBlank(), why);
            final JsonNode s = Sv1Client.JSON.readTree(stdout.lines().reduce((a, b) -> b).orElseThrow());
            assertEquals(0, p.exitValue(), why);
            assertEquals(SHARES, s.get("accepted").asInt(), why);
            assertEquals(0, s.get("rejected").asInt(), why);
            assertTrue(s.get("authorized").asBoolean(), why);
            assertEquals(4, s.get("extranonce2Size").asInt(), "the configured default, " + why);
            assertTrue(s.get("jobs").asInt() >= 1, why);
            assertTrue(s.get("difficulties").size() >= 1 &&
                s.get("difficulties").get(0).asDouble() == Sv1TestPool.START, "set_difficulty first, " + why);

            // the pool's count (the node client has gone, so its channel and worker row may be closed by now)
            assertTrue(Sv1TestPool.await(5_000, () -> h.pool.status().sharesAccepted() >= SHARES),
                "pool status: " + h.pool.status());
            assertEquals(SHARES, h.pool.status().sharesAccepted(), "pool status: " + h.pool.status());
            h.close();
            assertEquals(SHARES, h.journaledShares(WORKER), "shares of " + WORKER + " in the journal");
        }
    }

    private static String findNode()
    {
        for (final String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        {
            for (final String name : List.of("node", "nodejs"))
            {
                final Path p = Path.of(d, name);
                if (Files.isExecutable(p))
                {
                    return p.toString();
                }
            }
        }
        return null;
    }
}
