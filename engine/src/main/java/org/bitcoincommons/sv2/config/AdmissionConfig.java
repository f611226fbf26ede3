package org.bitcoincommons.sv2.config;

/**
 * {@code [stratum_v2.admission]}: pacing of new SV2 TCP connections through their whole admission (Noise handshake,
 * SetupConnection, first channel and its job), so that a reconnect storm leaves CPU to the connected miners. Off by
 * default (every key 0): a connection is served as soon as it is accepted, as before.
 *
 * @param maxInFlight           connections between accept and their first channel at once (0: no bound)
 * @param ratePerSec            admissions started per second, a token bucket (0: no rate); the ceiling when adaptive
 * @param burst                 admissions the bucket lets start at once after a quiet spell
 * @param adaptiveP99Us         when > 0, the rate adapts: halved after each window in which the connected miners'
 *                              share path (share read to ack queued, or ack queued to its writer) had a p99 above
 *                              this many microseconds, raised by half after each window at or below it
 * @param adaptiveMinRatePerSec the adaptive rate's floor
 * @param adaptiveWindowMs      the adaptive window
 */
public record AdmissionConfig(int maxInFlight, int ratePerSec, int burst, long adaptiveP99Us, int adaptiveMinRatePerSec,
    int adaptiveWindowMs)
{
    /** Nothing paced. */
    public static final AdmissionConfig OFF = new AdmissionConfig(0, 0, 64, 0, 200, 100);

    /** Whether any admission is paced (a bound or a rate). */
    public boolean paces()
    {
        return maxInFlight > 0 || ratePerSec > 0;
    }

    static AdmissionConfig read(final TomlReader t)
    {
        final int maxInFlight = (int)t.integer("max_in_flight", 0, 0, 1_000_000);
        final int rate = (int)t.integer("rate_per_sec", 0, 0, 1_000_000);
        final int burst = (int)t.integer("burst", OFF.burst(), 1, 1_000_000);
        final long p99Us = t.integer("adaptive_p99_us", 0, 0, 60_000_000);
        final int minRate = (int)t.integer("adaptive_min_rate_per_sec", OFF.adaptiveMinRatePerSec(), 1, 1_000_000);
        final int windowMs = (int)t.integer("adaptive_window_ms", OFF.adaptiveWindowMs(), 10, 10_000);
        if (p99Us > 0 && rate == 0)
        {
            throw new ConfigException(t.key("adaptive_p99_us") + ": the adaptive mode needs " + t.key("rate_per_sec")
                + " > 0 (the rate it adapts below)");
        }
        if (p99Us > 0 && minRate > rate)
        {
            throw new ConfigException(t.key("adaptive_min_rate_per_sec") + ": must be <= " + t.key("rate_per_sec")
                + " (" + rate + ") (got " + minRate + ")");
        }
        return new AdmissionConfig(maxInFlight, rate, burst, p99Us, minRate, windowMs);
    }
}
