package org.bitcoincommons.sv2.sv1;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.Sv1Config;
import org.bitcoincommons.sv2.pipeline.SharePipeline;
import org.bitcoincommons.sv2.pool.ChannelPolicy;
import org.bitcoincommons.sv2.pool.PoolLogic;
import org.bitcoincommons.sv2.transport.TcpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Stratum V1 endpoint: a listener with one virtual thread per connection ({@link Sv1Connection}), and a sweeper
 * that sends keepalive jobs (a fresh job id and ntime) to workers that got no job for {@code keepalive_interval_sec},
 * so that cpuminer-style clients, which reconnect after two minutes without work, keep mining; pings connections
 * silent that long (mining.ping); and closes connections that sent no mining.subscribe within 30 s.
 */
public final class Sv1Server implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Sv1Server.class);
    private static final long SWEEP_NS = 1_000_000_000L;
    /** Difficulties sent to SV1 miners have at most this many significant digits (0.001, 1024, 1.5e6). */
    static final int DIFFICULTY_DIGITS = 4;
    /** A connection that has not sent mining.subscribe this long after it was accepted is closed. */
    static final long SUBSCRIBE_TIMEOUT_NS = 30_000_000_000L;

    private final Sv1Config config;
    private final SharePipeline pipeline;
    private final PoolLogic logic;
    private final int outboundBytes;
    private final Sv1Metrics metrics = new Sv1Metrics();
    private final Set<Sv1Connection> connections = ConcurrentHashMap.newKeySet();
    /** The logic thread's line builder, shared by every SV1 connection (only that thread writes lines). */
    private final JsonOut logicOut = new JsonOut();
    private final ChannelPolicy policy;
    private final org.bitcoincommons.sv2.transport.ConnectionLimits limits;
    private TcpServer tcp;
    private Thread sweeper;
    private volatile boolean running;

    /**
     * @param outboundBytes the most a connection may leave unread before it is closed as not reading
     */
    public Sv1Server(final Sv1Config config, final SharePipeline pipeline, final PoolLogic logic, final int outboundBytes,
        final org.bitcoincommons.sv2.transport.ConnectionLimits limits)
    {
        this.limits = limits;
        this.config = config;
        this.pipeline = pipeline;
        this.logic = logic;
        this.outboundBytes = outboundBytes;
        final double minHashrate = Target.hashrateFromTarget(Target.fromDifficulty(config.minDifficulty()),
            config.sharesPerMinute());
        final byte[] minTarget = config.maxDifficulty() > 0
            ? Target.toLittleEndian(Target.fromDifficulty(config.maxDifficulty())) : null;
        this.policy = new ChannelPolicy(config.sharesPerMinute(), minHashrate * 0.999, minTarget, true,
            DIFFICULTY_DIGITS);
    }

    public void start() throws IOException
    {
        running = true;
        tcp = new TcpServer("sv1", config.listenAddr(), config.maxConnections(), (socket, id) ->
        {
            final Sv1Connection c = new Sv1Connection(id, socket, pipeline, logic, config, this, logicOut);
            c.onAuthorized(() -> tcp.authenticated(id));
            connections.add(c);
            metrics.connectionsAccepted.increment();
            try
            {
                c.serve();
            }
            finally
            {
                connections.remove(c);
            }
        }).limits(limits);
        tcp.start();
        sweeper = Thread.ofPlatform().daemon().name("sv1-keepalive").start(this::sweep);
        LOG.info("SV1 endpoint listening on {} (extranonce2 {} bytes, start difficulty {}, keepalive {} s)",
            tcp.localAddress(), config.extranonce2Size(), config.startDifficulty(), config.keepaliveIntervalSec());
    }

    private void sweep()
    {
        final long interval = config.keepaliveIntervalSec() * 1_000_000_000L;
        while (running)
        {
            LockSupport.parkNanos(SWEEP_NS);
            final long now = System.nanoTime();
            for (final Sv1Connection c : connections)
            {
                c.sweep(now, interval, SUBSCRIBE_TIMEOUT_NS);
            }
        }
    }

    ChannelPolicy policy()
    {
        return policy;
    }

    int outboundBytes()
    {
        return outboundBytes;
    }

    public Sv1Metrics metrics()
    {
        return metrics;
    }

    public InetSocketAddress localAddress()
    {
        return tcp.localAddress();
    }

    public int openConnections()
    {
        return tcp == null ? 0 : tcp.openConnections();
    }

    /** Sends client.reconnect to every SV1 connection; returns how many were asked. */
    public int reconnectAll(final String host, final int port)
    {
        int n = 0;
        for (final Sv1Connection c : connections)
        {
            c.reconnect(host, port);
            n++;
        }
        return n;
    }

    @Override
    public void close()
    {
        running = false;
        if (sweeper != null)
        {
            LockSupport.unpark(sweeper);
        }
        if (tcp != null)
        {
            tcp.close();
        }
        for (final Sv1Connection c : connections)
        {
            c.disconnect("the pool is stopping");
        }
    }
}
