package org.bitcoincommons.sv2.cli;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * CPU used by this process and by a child process over an interval, as average cores (CPU seconds per wall second):
 * how busy the machine was while a benchmark ran, so that a latency stands beside the load that shaped it.
 */
final class CpuMeter
{
    private final ProcessHandle child;
    private final long startNs = System.nanoTime();
    private final long selfStartNs = selfCpuNs();
    private final long childStartNs;

    CpuMeter(final Process child)
    {
        this.child = child == null ? null : child.toHandle();
        this.childStartNs = childCpuNs(this.child);
    }

    /** Average cores this process used since construction (-1 where the JVM cannot tell). */
    double selfCores()
    {
        final long now = selfCpuNs();
        return now < 0 || selfStartNs < 0 ? -1 : cores(now - selfStartNs);
    }

    /** Average cores the child used since construction (-1 without a child or where the OS cannot tell). */
    double childCores()
    {
        final long now = childCpuNs(child);
        return now < 0 || childStartNs < 0 ? -1 : cores(now - childStartNs);
    }

    private double cores(final long cpuNs)
    {
        final double wall = System.nanoTime() - startNs;
        return Math.round(cpuNs / wall * 1000) / 1000.0;
    }

    private static long selfCpuNs()
    {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getProcessCpuTime() : -1;
    }

    private static long childCpuNs(final ProcessHandle h)
    {
        return h == null ? -1 : h.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
}
