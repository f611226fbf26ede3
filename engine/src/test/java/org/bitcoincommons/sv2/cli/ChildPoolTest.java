package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks' child processes: their ports, and what a child that dies at start says. */
class ChildPoolTest
{
    @Test
    void portsForChildrenLieOutsideTheKernelsSourcePortRangeAndAreFree() throws IOException
    {
        final int[] range = ChildPool.ephemeralRange();
        assertTrue(range[0] > 0 && range[0] <= range[1], range[0] + "-" + range[1]);
        for (int i = 0; i < 20; i++)
        {
            final int port = ChildPool.freePort();
            if (range[0] > 10_000)
            {
                // a source port of an outgoing connection can never be this port: the child's bind cannot lose it
                assertTrue(port >= 10_000 && port < range[0], port + " in " + range[0] + "-" + range[1]);
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress()))
            {
                assertEquals(port, s.getLocalPort());
            }
        }
    }

    @Test
    @Timeout(60)
    void aChildThatExitsAtStartIsReportedWithTheEndOfItsLog(@TempDir final Path dir) throws Exception
    {
        final Path log = dir.resolve("pool.log");
        final Path missing = dir.resolve("missing.toml");
        final Process child = ChildPool.startPool(missing, log, "64m", List.of());
        final IOException ex = assertThrows(IOException.class,
            () -> ChildPool.waitReady(URI.create("http://127.0.0.1:" + ChildPool.freePort()), child, log));
        assertTrue(ex.getMessage().startsWith("the pool exited with code " + ExitCode.BAD_INPUT + ":"), ex.getMessage());
        assertTrue(ex.getMessage().contains(missing + ": cannot read"), ex.getMessage());
        assertTrue(Files.readString(log).contains("cannot read"));
    }

    @Test
    void lastLinesOfAMissingOrEmptyLogAreNothing(@TempDir final Path dir) throws IOException
    {
        assertEquals("", ChildPool.lastLines(dir.resolve("none.log"), 5));
        Files.writeString(dir.resolve("empty.log"), "");
        assertEquals("", ChildPool.lastLines(dir.resolve("empty.log"), 5));
        Files.writeString(dir.resolve("long.log"), "a\nb\nc\nd\n");
        assertEquals(":\n  c\n  d", ChildPool.lastLines(dir.resolve("long.log"), 2));
    }
}
