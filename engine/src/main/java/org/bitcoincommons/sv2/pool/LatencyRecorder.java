package org.bitcoincommons.sv2.pool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One stage of the acknowledgement path inside the pool, in nanoseconds. Writers record without locks or
 * allocation (an HdrHistogram {@link Recorder}); readers fold what was recorded since the last read into a total
 * kept since the last {@link #reset}. It is its own {@link LongConsumer} ({@link #recordNs}), so that a connection can be
 * handed the recorder itself rather than a method reference of its own.
 */
public final class LatencyRecorder implements LongConsumer
{
    private static final long MAX_NS = TimeUnit.SECONDS.toNanos(60);

    private final Recorder recorder = new Recorder(MAX_NS, 2);
    private final Histogram total = new Histogram(MAX_NS, 2);
    private Histogram interval;

    /** Records one value, clamped to [1 ns, 60 s]. Any thread. */
    public void recordNs(final long ns)
    {
        recorder.recordValue(Math.min(MAX_NS, Math.max(1, ns)));
    }

    /** {@link #recordNs}. */
    @Override
    public void accept(final long ns)
    {
        recordNs(ns);
    }

    /** Drops everything recorded so far. */
    public synchronized void reset()
    {
        interval = recorder.getIntervalHistogram(interval);
        total.reset();
    }

    /**
     * The {@code percentile} (0-100) of what was recorded since the previous call of this or {@link #snapshotUs}, in
     * nanoseconds (0 when nothing was); the values stay in the total {@link #snapshotUs} reports. For the admission
     * control's window (one reader).
     */
    public synchronized long windowPercentileNs(final double percentile)
    {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(percentile);
    }

    /** Count, p50, p90, p99, p99.9 and max in microseconds since the last reset. */
    public synchronized Map<String, Object> snapshotUs()
    {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", total.getTotalCount());
        m.put("p50", us(total.getValueAtPercentile(50)));
        m.put("p90", us(total.getValueAtPercentile(90)));
        m.put("p99", us(total.getValueAtPercentile(99)));
        m.put("p99_9", us(total.getValueAtPercentile(99.9)));
        m.put("max", us(total.getMaxValue()));
        return m;
    }

    private static double us(final long ns)
    {
        return Math.round(ns / 100.0) / 10.0;
    }
}
