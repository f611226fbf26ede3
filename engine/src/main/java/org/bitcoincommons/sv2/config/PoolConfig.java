package org.bitcoincommons.sv2.config;

import java.nio.file.Path;

/**
 * {@code [pool]}: channel policy and the share pipeline.
 *
 * @param sharesPerMinute     vardiff aim per channel
 * @param journalDir          Chronicle Queue directory of accounting events
 * @param hashImpl            "auto", "ffm", "jna" or "java"
 * @param coinbaseAddress     payout address of the pool's coinbase output; empty pays an anyone-can-spend script
 *                            (only sensible on the embedded chain)
 * @param poolSignature       bytes placed in the coinbase scriptSig after the height, ASCII
 * @param extranonceSize      rollable extranonce bytes given to extended channels
 * @param ringSize            Disruptor ring size, a power of two
 * @param maxConnections      further connections are refused
 * @param outboundQueueBytes  bytes of frames queued to a slow reader before its connection is closed (the queue
 *                            starts at 4 KiB off-heap and doubles during bursts up to this)
 * @param minHashrate         the lowest hashrate a channel is believed to have, H/s (SRI's min_allowed_hashrate)
 * @param duplicateWindow     accepted shares remembered for duplicate detection (two windows are kept)
 * @param maxBatch            shares hashed per kernel call at most
 * @param maxChannelsPerConnection channels one connection may hold open (a proxy needs one per device)
 * @param maxChannelsWithoutShares channels one connection may hold open that have not had a share accepted yet
 *                            (bounds what a client that never submits work can make the pool keep; worker state
 *                            is created on a channel's first accepted share)
 * @param maxConnectionsPerIp open connections from one source address (SV2 and SV1 together)
 * @param connectRatePerIp    new connections per second from one source address (token bucket, sustained)
 * @param connectBurstPerIp   new connections from one source address at once (the bucket's size)
 * @param maxUnauthenticated  connections pool-wide that have not finished their handshake (Noise and SetupConnection,
 *                            or SV1 subscribe and authorize)
 * @param ioLoops             event loops (platform threads with a selector each) that serve SV2 TCP connections from
 *                            their accept (handshake and SetupConnection included) without a thread of their own; 0:
 *                            each has a virtual thread per direction
 * @param waitStrategy        how the logic thread waits for work: "parking" (spins briefly, then parks; publishers
 *                            pay a volatile read), "blocking" (Disruptor's lite blocking: an atomic per publish), "sleeping",
 *                            "yielding" or "busy-spin" (lowest latency, keeps a core busy); "loop": no thread of its
 *                            own, the first event loop polls the ring in every pass (a share read, handled and
 *                            acknowledged in one pass; needs io_loops >= 1, else "parking")
 */
public record PoolConfig(
    double sharesPerMinute,
    Path journalDir,
    String hashImpl,
    String coinbaseAddress,
    String poolSignature,
    int extranonceSize,
    int ringSize,
    int maxConnections,
    int outboundQueueBytes,
    double minHashrate,
    int duplicateWindow,
    int maxBatch,
    int maxChannelsPerConnection,
    int maxChannelsWithoutShares,
    String waitStrategy,
    int maxConnectionsPerIp,
    double connectRatePerIp,
    int connectBurstPerIp,
    int maxUnauthenticated,
    int ioLoops)
{
    static PoolConfig read(final TomlReader t, final Path baseDir)
    {
        final String hashImpl = t.string("hash_impl", "auto");
        if (!hashImpl.matches("auto|ffm|jna|java"))
        {
            throw new ConfigException(t.key("hash_impl") + ": must be \"auto\", \"ffm\", \"jna\" or \"java\" (got \"" + hashImpl + "\")");
        }
        final int ring = (int)t.integer("ring_size", 1 << 16, 64, 1 << 24);
        if (Integer.bitCount(ring) != 1)
        {
            throw new ConfigException(t.key("ring_size") + ": must be a power of two (got " + ring + ")");
        }
        final String sig = t.string("pool_signature", "/sv2-java/");
        if (sig.length() > 32 || !sig.chars().allMatch(c -> c >= 0x20 && c < 0x7f))
        {
            throw new ConfigException(t.key("pool_signature") + ": must be at most 32 printable ASCII characters");
        }
        return new PoolConfig(
            t.number("shares_per_minute", 6.0, 0.0, 6000.0),
            resolve(baseDir, t.string("journal_dir", "data/journal")),
            hashImpl,
            t.string("coinbase_address", ""),
            sig,
            (int)t.integer("extranonce_size", 8, 1, 16),
            ring,
            (int)t.integer("max_connections", 20_000, 1, 1_000_000),
            (int)t.integer("outbound_queue_bytes", 256 * 1024, 4096, 1 << 26),
            t.number("min_hashrate", 1.0, 0.0, 1e30),
            (int)t.integer("duplicate_window", 1 << 20, 1024, 1 << 26),
            (int)t.integer("max_batch", 256, 1, 4096),
            (int)t.integer("max_channels_per_connection", 4096, 1, 1 << 20),
            (int)t.integer("max_channels_without_shares", 64, 1, 1 << 20),
            waitStrategy(t),
            (int)t.integer("max_connections_per_ip", 5000, 1, 10_000_000),
            t.number("connect_rate_per_ip", 1000.0, 0.0, 1e9),
            (int)t.integer("connect_burst_per_ip", 5000, 1, 10_000_000),
            (int)t.integer("max_unauthenticated", 10_000, 1, 10_000_000),
            (int)t.integer("io_loops", 1, 0, 64));
    }

    private static String waitStrategy(final TomlReader t)
    {
        final String w = t.string("wait_strategy", "parking");
        if (!w.matches("parking|blocking|sleeping|yielding|busy-spin|loop"))
        {
            throw new ConfigException(t.key("wait_strategy") + ": must be \"parking\", \"blocking\", \"sleeping\", " +
                "\"yielding\", \"busy-spin\" or \"loop\" (got \"" + w + "\")");
        }
        return w;
    }

    static Path resolve(final Path baseDir, final String p)
    {
        final Path path = Path.of(p);
        return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path).normalize();
    }
}
