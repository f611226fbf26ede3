package org.bitcoincommons.sv2.config;

import java.net.InetSocketAddress;

/**
 * {@code [sv1]}: the Stratum V1 endpoint for the miners operators already own. Each authorized SV1 connection is an
 * extended channel of the pool logic, so SV1 and SV2 miners share one pipeline, vardiff, journal and set of
 * merged-mining proofs. Difficulties are pool difficulty (difficulty 1 = target 0x00000000ffff0000...).
 *
 * @param enabled              whether the endpoint listens
 * @param listenAddr           TCP address (port 0 asks the OS for a free port)
 * @param extranonce2Size      bytes the miner rolls (2..8, at most the pool's extranonce_size); extranonce1 is the
 *                             channel's prefix padded to the pool's extranonce length
 * @param startDifficulty      difficulty of a new connection until suggest_difficulty or vardiff changes it
 * @param minDifficulty        the easiest difficulty ever sent
 * @param maxDifficulty        the hardest difficulty ever sent (0: no cap)
 * @param sharesPerMinute      vardiff aim per SV1 worker
 * @param keepaliveIntervalSec a worker that got no job for this long gets a fresh job id and ntime
 * @param maxLineBytes         longest request line; a longer one closes the connection
 * @param versionRollingMask   the bits miners may roll (BIP310), at most the pool's BIP323 mask
 * @param maxConnections       SV1 connections at once; more are refused at accept
 */
public record Sv1Config(boolean enabled, InetSocketAddress listenAddr, int extranonce2Size, double startDifficulty,
    double minDifficulty, double maxDifficulty, double sharesPerMinute, int keepaliveIntervalSec, int maxLineBytes,
    int versionRollingMask, int maxConnections)
{
    /** The pool's BIP323 mask: SV1 masks must stay inside it, since the pool validates against it. */
    public static final int POOL_VERSION_MASK = 0x1fffffe0;

    static Sv1Config read(final TomlReader t, final PoolConfig pool)
    {
        final boolean enabled = t.bool("enabled", false);
        final InetSocketAddress listen = t.address("listen_addr", "0.0.0.0:3333");
        final int en2 = (int)t.integer("extranonce2_size", 4, 2, 8);
        if (en2 > pool.extranonceSize())
        {
            throw new ConfigException(t.key("extranonce2_size") + ": must be at most pool.extranonce_size (" +
                pool.extranonceSize() + "), since extranonce1 is the channel's prefix padded to the pool's length " +
                "(got " + en2 + ")");
        }
        final double start = t.number("start_difficulty", 1024.0, 0.0, 1e15);
        final double min = t.number("min_difficulty", Math.min(start, 1.0), 0.0, 1e15);
        final double max = t.has("max_difficulty") ? number0(t, "max_difficulty") : 0.0;
        if (min > start)
        {
            throw new ConfigException(t.key("min_difficulty") + ": must be at most start_difficulty (" + start +
                "), got " + min);
        }
        if (max != 0.0 && max < start)
        {
            throw new ConfigException(t.key("max_difficulty") + ": must be 0 (no cap) or at least start_difficulty (" +
                start + "), got " + max);
        }
        final double spm = t.number("shares_per_minute", pool.sharesPerMinute(), 0.0, 6000.0);
        final int keepalive = (int)t.integer("keepalive_interval_sec", 60, 1, 86_400);
        final int maxLine = (int)t.integer("max_line_bytes", 16_384, 512, 1 << 20);
        final String maskHex = t.string("version_rolling_mask", "1fffffe0");
        final int mask;
        try
        {
            if (maskHex.length() != 8)
            {
                throw new NumberFormatException();
            }
            mask = (int)Long.parseLong(maskHex, 16);
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(t.key("version_rolling_mask") + ": must be 8 hex digits, e.g. \"1fffffe0\" " +
                "(got \"" + maskHex + "\")", ex);
        }
        if ((mask & ~POOL_VERSION_MASK) != 0)
        {
            throw new ConfigException(t.key("version_rolling_mask") + ": must lie inside the pool's BIP323 mask " +
                "1fffffe0 (got " + maskHex + ")");
        }
        final int maxConnections = (int)t.integer("max_connections", 100_000, 1, 10_000_000);
        return new Sv1Config(enabled, listen, en2, start, min, max, spm, keepalive, maxLine, mask, maxConnections);
    }

    private static double number0(final TomlReader t, final String name)
    {
        final double v = t.number(name, 0.0, -1.0, 1e15);
        if (v < 0.0)
        {
            throw new ConfigException(t.key(name) + ": must be 0 or positive (got " + v + ")");
        }
        return v;
    }
}
