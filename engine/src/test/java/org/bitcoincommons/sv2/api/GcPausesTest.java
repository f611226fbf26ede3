package org.bitcoincommons.sv2.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;

/** The JVM's stop-the-world pauses as the API reports them. */
class GcPausesTest
{
    private static GarbageCollectorMXBean named(final String name)
    {
        return (GarbageCollectorMXBean)Proxy.newProxyInstance(GcPausesTest.class.getClassLoader(),
            new Class<?>[] {GarbageCollectorMXBean.class},
            (proxy, method, args) -> method.getName().equals("getName") ? name : null);
    }

    @Test
    void pausesAreCountedAndConcurrentCyclesAreNot()
    {
        // G1 (JDK 21+: the concurrent cycle's Remark and Cleanup pauses are "G1 Concurrent GC"), ZGC, Shenandoah
        assertTrue(GcPauses.pauses(named("G1 Young Generation")));
        assertTrue(GcPauses.pauses(named("G1 Old Generation")));
        assertTrue(GcPauses.pauses(named("G1 Concurrent GC")));
        assertTrue(GcPauses.pauses(named("ZGC Minor Pauses")));
        assertTrue(GcPauses.pauses(named("Shenandoah Pauses")));
        assertFalse(GcPauses.pauses(named("ZGC Minor Cycles")));
        assertFalse(GcPauses.pauses(named("ZGC Major Cycles")));
        assertFalse(GcPauses.pauses(named("Shenandoah Cycles")));
    }

    @Test
    void aCollectionIsOneMorePauseAndTheTotalsOnlyGrowAndTheLongestIsHeard() throws InterruptedException
    {
        final GcPauses gc = GcPauses.get();
        final long before = gc.count();
        final long beforeMs = gc.totalMs();
        gc.resetMax();
        System.gc();   // a full, stop-the-world collection with the collectors of this build
        assertTrue(gc.count() > before, before + " -> " + gc.count());
        assertTrue(gc.totalMs() >= beforeMs);
        // read at once, before the listener has been told: the collector's own latest pause counts already
        assertTrue(gc.maxSinceResetMs() > 0, "the pause just made, read from the collector");
        // the JVM tells the listener after the pause (on its service thread): the longest pause since the reset
        final long deadline = System.currentTimeMillis() + 10_000;
        while (gc.maxSinceResetMs() == 0 && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(10);
        }
        assertTrue(gc.maxSinceResetMs() > 0, "a full collection of a test JVM's heap takes a millisecond or more");
        assertTrue(gc.maxSinceResetMs() <= gc.totalMs() - beforeMs + 1);
    }
}
