package org.bitcoincommons.sv2.miner;

import java.net.InetSocketAddress;

/**
 * How a miner connects and mines.
 *
 * @param pool               the pool's SV2 address
 * @param authorityPublicKey the pool's authority x-only key (32 bytes) to verify its certificate; null skips the check
 * @param user               user_identity of the channel (e.g. "alice.rig1")
 * @param threads            hashing threads; 0 connects and opens a channel without hashing
 * @param extended           open an extended channel (rolls its own extranonce) instead of a standard one
 * @param nominalHashrate    announced hashrate, H/s; 0 measures it at start
 * @param hashImpl           "auto", "ffm", "jna" or "java"
 * @param backoffMinMs       first reconnect delay; doubles up to backoffMaxMs
 * @param backoffMaxMs       longest reconnect delay
 * @param handshakeTimeoutMs Noise handshake and setup deadline (SV1: connect and subscribe deadline)
 * @param sv1                speak Stratum V1 (newline JSON, {@code stratum+tcp://}) instead of SV2; the channel is
 *                           then the pool's choice and {@code extended} and {@code authorityPublicKey} do not apply
 * @param quic               SV2 over QUIC ({@code quic://}): a control stream, then the channel on a stream of its own
 *                           (the mapping is in the README, "SV2 over QUIC"); the pool is trusted by the same
 *                           authority key, through the Noise handshake on the control stream bound to the TLS session
 */
public record MinerConfig(
    InetSocketAddress pool,
    byte[] authorityPublicKey,
    String user,
    int threads,
    boolean extended,
    double nominalHashrate,
    String hashImpl,
    long backoffMinMs,
    long backoffMaxMs,
    long handshakeTimeoutMs,
    boolean sv1,
    boolean quic)
{
    /** Why {@code iroh://} is refused (issue 16): there is nothing on the JVM to speak it with. */
    public static final String IROH_REFUSED = "iroh:// is not supported: no Iroh stack exists for the JVM (Iroh is a "
        + "Rust library); use quic://HOST:PORT for SV2 over QUIC, or tcp://HOST:PORT";

    /** An SV2 or SV1 miner over TCP. */
    public MinerConfig(final InetSocketAddress pool, final byte[] authorityPublicKey, final String user,
        final int threads, final boolean extended, final double nominalHashrate, final String hashImpl,
        final long backoffMinMs, final long backoffMaxMs, final long handshakeTimeoutMs, final boolean sv1)
    {
        this(pool, authorityPublicKey, user, threads, extended, nominalHashrate, hashImpl, backoffMinMs, backoffMaxMs,
            handshakeTimeoutMs, sv1, false);
    }

    /** An SV2 miner. */
    public MinerConfig(final InetSocketAddress pool, final byte[] authorityPublicKey, final String user,
        final int threads, final boolean extended, final double nominalHashrate, final String hashImpl,
        final long backoffMinMs, final long backoffMaxMs, final long handshakeTimeoutMs)
    {
        this(pool, authorityPublicKey, user, threads, extended, nominalHashrate, hashImpl, backoffMinMs, backoffMaxMs,
            handshakeTimeoutMs, false);
    }

    public MinerConfig withPool(final InetSocketAddress address)
    {
        return new MinerConfig(address, authorityPublicKey, user, threads, extended, nominalHashrate, hashImpl,
            backoffMinMs, backoffMaxMs, handshakeTimeoutMs, sv1, quic);
    }

    /** True for a {@code stratum+tcp://} URL: a Stratum V1 pool. */
    public static boolean isSv1Url(final String url)
    {
        return url.startsWith("stratum+tcp://");
    }

    /** True for a {@code quic://} URL: SV2 over QUIC. */
    public static boolean isQuicUrl(final String url)
    {
        return url.startsWith("quic://");
    }

    /**
     * Parses {@code tcp://host:port}, {@code stratum2+tcp://host:port[/key]}, {@code stratum+tcp://host:port} (Stratum
     * V1), {@code quic://host:port} (SV2 over QUIC) or {@code host:port} and resolves the host; {@code iroh://} is
     * refused with {@link #IROH_REFUSED}.
     *
     * @throws IllegalArgumentException naming what is wrong: another scheme, no or a bad port, a host that does not
     *                                  resolve
     */
    public static InetSocketAddress parsePoolUrl(final String url)
    {
        String s = url;
        final int scheme = s.indexOf("://");
        if (scheme >= 0)
        {
            final String name = s.substring(0, scheme);
            if (name.equals("iroh"))
            {
                throw new IllegalArgumentException(IROH_REFUSED);
            }
            if (!name.equals("tcp") && !name.equals("stratum2+tcp") && !name.equals("stratum+tcp") && !name.equals("quic"))
            {
                throw new IllegalArgumentException("unknown scheme \"" + name + "\" in \"" + url + "\"" +
                    "; use tcp://HOST:PORT, stratum2+tcp://HOST:PORT[/KEY], quic://HOST:PORT (SV2 over QUIC), " +
                    "stratum+tcp://HOST:PORT (Stratum V1) or HOST:PORT");
            }
            s = s.substring(scheme + 3);
        }
        final int slash = s.indexOf('/');
        if (slash >= 0)
        {
            s = s.substring(0, slash);
        }
        final int colon = s.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new IllegalArgumentException("pool address must be host:port, got \"" + url + "\"");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try
        {
            port = Integer.parseInt(s.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("pool port must be a number, got \"" + url + "\"");
        }
        if (port <= 0 || port > 65535)
        {
            throw new IllegalArgumentException("pool port must be 1..65535, got " + port);
        }
        final InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved())
        {
            throw new IllegalArgumentException("cannot resolve host \"" + host + "\"");
        }
        return address;
    }
}
