package org.bitcoincommons.sv2.api;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The JVM's stop-the-world pauses, over every collector that pauses: how many, how long in total (since the JVM
 * started), and the longest since the last {@link #resetMax} (or since the first {@link #get}, which starts listening). A pause stops every thread, the share path included,
 * so at many connections it is what a latency percentile meets first (jmh-results/load.md, session 10).
 * <p>
 * Counted: the beans of pauses (G1's young, mixed and full collections, and its concurrent cycles' Remark and
 * Cleanup pauses, which JDK 21+ reports under "G1 Concurrent GC"; ZGC's and Shenandoah's "... Pauses"). Not counted:
 * beans of concurrent cycles ("... Cycles"), whose time is not a pause. One instance per JVM ({@link #get}).
 */
public final class GcPauses
{
    private static final GcPauses INSTANCE = new GcPauses();

    private final List<GarbageCollectorMXBean> pausing;
    private final AtomicLong maxSinceResetMs = new AtomicLong();
    /** Each pausing collector's collection count at the last reset. */
    private volatile long[] countsAtReset;

    private GcPauses()
    {
        pausing = ManagementFactory.getGarbageCollectorMXBeans().stream().filter(GcPauses::pauses).toList();
        countsAtReset = pausing.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).toArray();
        for (final GarbageCollectorMXBean bean : pausing)
        {
            if (bean instanceof NotificationEmitter emitter)
            {
                emitter.addNotificationListener((notification, handback) ->
                {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
                    {
                        final long ms = GarbageCollectionNotificationInfo
                            .from((CompositeData)notification.getUserData()).getGcInfo().getDuration();
                        maxSinceResetMs.accumulateAndGet(ms, Math::max);
                    }
                }, null, null);
            }
        }
    }

    public static GcPauses get()
    {
        return INSTANCE;
    }

    /** True for a collector bean whose collections are pauses (not a concurrent collector's cycles). */
    static boolean pauses(final GarbageCollectorMXBean bean)
    {
        return !bean.getName().endsWith("Cycles");
    }

    /** Pauses since the JVM started. */
    public long count()
    {
        long n = 0;
        for (final GarbageCollectorMXBean bean : pausing)
        {
            n += Math.max(0, bean.getCollectionCount());
        }
        return n;
    }

    /** Milliseconds paused since the JVM started. */
    public long totalMs()
    {
        long ms = 0;
        for (final GarbageCollectorMXBean bean : pausing)
        {
            ms += Math.max(0, bean.getCollectionTime());
        }
        return ms;
    }

    /**
     * The longest pause, in milliseconds, since the last {@link #resetMax} (or the first {@link #get}). The
     * notifications that feed it arrive on their own thread some time after a pause, so each collector's latest pause is
     * also read from the collector itself when it came after the reset: a read just after a pause already has it.
     */
    public long maxSinceResetMs()
    {
        long max = maxSinceResetMs.get();
        final long[] atReset = countsAtReset;
        for (int i = 0; i < pausing.size(); i++)
        {
            final GarbageCollectorMXBean bean = pausing.get(i);
            if (bean.getCollectionCount() > atReset[i] && bean instanceof com.sun.management.GarbageCollectorMXBean b)
            {
                final com.sun.management.GcInfo last = b.getLastGcInfo();
                if (last != null)
                {
                    max = Math.max(max, last.getDuration());
                }
            }
        }
        return max;
    }

    public void resetMax()
    {
        final long[] counts = new long[pausing.size()];
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] = pausing.get(i).getCollectionCount();
        }
        countsAtReset = counts;
        maxSinceResetMs.set(0);
    }
}
