package org.bitcoincommons.sv2.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ThreadNiceTest
{
    /** Field 19 (nice) of /proc/self/task/TID/stat, read from the kernel, not from our own call. */
    private static int niceOf(final int tid) throws Exception
    {
        final String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    @Test
    void setsTheCallingThreadsNiceValueAndNotTheProcesss() throws Exception
    {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        assertNull(ThreadNice.unavailable());
        final int mainTid = ThreadNice.tid();
        final int mainNice = niceOf(mainTid);
        final CompletableFuture<int[]> seen = new CompletableFuture<>();
        final Thread t = Thread.ofPlatform().name("nice-test").start(() ->
        {
            try
            {
                final int tid = ThreadNice.tid();
                final boolean set = ThreadNice.set(Math.min(19, mainNice + 3));
                seen.complete(new int[] {tid, set ? 1 : 0, niceOf(tid)});
            }
            catch (final Exception ex)
            {
                seen.completeExceptionally(ex);
            }
        });
        final int[] s = seen.get(10, TimeUnit.SECONDS);
        t.join();
        assertTrue(s[0] > 0 && s[0] != mainTid, "a thread id of its own: " + s[0]);
        assertEquals(1, s[1], "the OS took it (a higher value needs no privilege)");
        assertEquals(Math.min(19, mainNice + 3), s[2], "the kernel's view of the thread");
        assertEquals(mainNice, niceOf(mainTid), "the calling test thread is untouched");
    }

    @Test
    void refusesValuesOutsideTheKernelsRange()
    {
        assertThrows(IllegalArgumentException.class, () -> ThreadNice.set(20));
        assertThrows(IllegalArgumentException.class, () -> ThreadNice.set(-21));
    }
}
