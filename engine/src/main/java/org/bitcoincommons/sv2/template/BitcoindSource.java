package org.bitcoincommons.sv2.template;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.config.BitcoindSourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Templates from Bitcoin Core over JSON-RPC: {@code getblocktemplate {"rules":["segwit"]}} (plus "signet" on signet)
 * fetched three ways, fastest first:
 * <ol>
 * <li>ZMQ {@code hashblock} (when {@code zmq_hashblock} is set): the notification triggers a fetch at once;</li>
 * <li>a BIP22 long poll (when {@code longpoll}), held on its own HTTP client with a long timeout, which the node
 *     answers at a new tip or a changed mempool;</li>
 * <li>a poll every {@code poll_interval_ms}, the last resort and the health check: an answer slower than the interval
 *     counts as a failure.</li>
 * </ol>
 * {@code submitblock} has a third HTTP client of its own, so a block never waits behind a long poll or a fetch.
 *
 * <p>Health: RPC errors -28 (warming up), -9 (not connected) and -10 (initial sync) mean {@link SourceHealth#NOT_READY}:
 * the poller retries after {@link #FIRST_RETRY_MS}, doubling up to {@link #MAX_BACKOFF_MS} (a fetch that a ZMQ
 * notification triggered and that failed wakes the poller at once: a new tip is not left for the next interval). Unreachable nodes, refused credentials, malformed
 * answers and unusable templates mean {@link SourceHealth#DOWN}. Each change is logged once and reported to the
 * listener; the last good template stays with the pool (this source delivers nothing while unhealthy).
 *
 * <p>Threads: one virtual thread polls, one holds the long poll, one platform thread reads ZMQ; deliveries are
 * serialised by this object's lock, so the listener sees one template at a time with increasing ids.
 */
public final class BitcoindSource implements TemplateSource
{
    private static final Logger LOG = LoggerFactory.getLogger(BitcoindSource.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Longest back-off between attempts while the node is not ready or down, ms. */
    static final long MAX_BACKOFF_MS = 5_000;
    /** First retry after a failed call, ms; it doubles with each further failure up to {@link #MAX_BACKOFF_MS}. */
    static final long FIRST_RETRY_MS = 250;
    /** A long poll with no answer for this long is simply re-issued (a quiet node may hold it for minutes), ms. */
    static final long LONGPOLL_TIMEOUT_MS = 300_000;
    /** submitblock's answer may take a while on a loaded node (full block validation), ms. */
    static final long SUBMIT_TIMEOUT_MS = 60_000;

    private final BitcoindSourceConfig config;
    private final String network;
    private final EpochClock clock;
    private final BitcoindRpc calls;
    private final BitcoindRpc longPolls;
    private final BitcoindRpc submits;
    private final Duration callTimeout;
    private final AtomicLong templateIds = new AtomicLong();
    private final Semaphore wake = new Semaphore(0);
    private final Map<String, Long> rejected = new TreeMap<>();
    private volatile SourceState state;
    private volatile boolean running;
    private TemplateListener listener;
    private Thread poller;
    private Thread longPoller;
    private ZmqHashblock zmq;
    /** Newest delivered template (guarded by this). */
    private Template last;
    private volatile String longPollId = "";
    private int failures;
    /** The kind of the current failure ("TRANSPORT", "rpc-28", "template", ...), "" while healthy (guarded by this). */
    private String failureKind = "";

    /**
     * @param network the configured network ("signet" adds the signet rule to getblocktemplate)
     */
    public BitcoindSource(final BitcoindSourceConfig config, final String network, final EpochClock clock)
    {
        this.config = config;
        this.network = network;
        this.clock = clock;
        this.callTimeout = Duration.ofMillis(Math.max(config.pollIntervalMs(), 250));
        final Duration connect = Duration.ofMillis(Math.max(config.pollIntervalMs(), 1000));
        this.calls = rpc(connect);
        this.longPolls = rpc(connect);
        this.submits = rpc(connect);
        this.state = SourceState.starting(name(), clock.time());
    }

    private BitcoindRpc rpc(final Duration connect)
    {
        return new BitcoindRpc(config.rpcUrl(), config.rpcUser(), config.rpcPassword(), config.rpcCookieFile(), connect);
    }

    @Override
    public String name()
    {
        return "bitcoind";
    }

    @Override
    public void start(final TemplateListener listener)
    {
        synchronized (this)
        {
            this.listener = listener;
            running = true;
        }
        LOG.info("bitcoind source: {} ({}; poll every {} ms, long poll {}, zmq hashblock {})", config.rpcUrl(), network,
            config.pollIntervalMs(), config.longpoll() ? "on" : "off",
            config.zmqHashblock() == null ? "off" : config.zmqHashblock());
        poller = Thread.ofVirtual().name("bitcoind-poll").start(this::pollLoop);
        if (config.longpoll())
        {
            longPoller = Thread.ofVirtual().name("bitcoind-longpoll").start(this::longPollLoop);
        }
        if (config.zmqHashblock() != null)
        {
            zmq = new ZmqHashblock(config.zmqHashblock(), this::onHashblock);
            zmq.start();
        }
    }

    /** ZMQ hashblock (display-order hash hex): fetch now, on the ZMQ thread. */
    private void onHashblock(final String hashHex)
    {
        LOG.debug("zmq hashblock {}", hashHex);
        if (running && !fetch("zmq"))
        {
            wake.release();   // the tip moved and its template was not had: the poller retries soon, not at its interval
        }
    }

    private void pollLoop()
    {
        while (running)
        {
            fetch("poll");
            final long waitMs;
            synchronized (this)
            {
                waitMs = failures == 0 ? config.pollIntervalMs()
                    : Math.min(MAX_BACKOFF_MS, FIRST_RETRY_MS << Math.min(failures - 1, 20));
            }
            try
            {
                wake.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    private void longPollLoop()
    {
        final Duration timeout = Duration.ofMillis(Math.max(LONGPOLL_TIMEOUT_MS, 4 * config.pollIntervalMs()));
        while (running)
        {
            final String id = longPollId;
            if (id.isEmpty() || !state.health().usable())
            {
                // nothing to wait on yet: the poller establishes health and the first longpollid
                if (!sleep(Math.min(config.pollIntervalMs(), 100)))
                {
                    return;
                }
                continue;
            }
            final long t0 = System.nanoTime();
            final JsonNode result;
            try
            {
                result = longPolls.call("getblocktemplate", timeout, request(id));
            }
            catch (final BitcoindRpc.CallException ex)
            {
                if (!running)
                {
                    return;
                }
                // a long poll that fails says nothing the poller will not see; retry after an interval
                LOG.debug("bitcoind long poll: {}", ex.getMessage());
                if (!sleep(config.pollIntervalMs()))
                {
                    return;
                }
                continue;
            }
            accept(result, System.nanoTime() - t0, "longpoll");
        }
    }

    /** One getblocktemplate on the call client; delivers the template or records the failure (then false). */
    private boolean fetch(final String why)
    {
        final long t0 = System.nanoTime();
        final JsonNode result;
        try
        {
            result = calls.call("getblocktemplate", callTimeout, request(null));
        }
        catch (final BitcoindRpc.CallException ex)
        {
            if (running)
            {
                failed(ex);
            }
            return false;
        }
        accept(result, System.nanoTime() - t0, why);
        return true;
    }

    private void accept(final JsonNode result, final long latencyNs, final String why)
    {
        final GbtParser.Parsed parsed;
        try
        {
            parsed = GbtParser.parse(result, templateIds.incrementAndGet());
        }
        catch (final IllegalArgumentException ex)
        {
            transition(SourceHealth.DOWN, "template", "unusable template: " + ex.getMessage());
            return;
        }
        deliver(parsed, latencyNs / 1000, why);
    }

    private void deliver(final GbtParser.Parsed p, final long latencyUs, final String why)
    {
        final TemplateListener l;
        final Template t = p.template();
        final boolean newTip;
        final SourceState changed;
        synchronized (this)
        {
            if (!running)
            {
                return;
            }
            failures = 0;
            failureKind = "";
            longPollId = p.longPollId();
            final SourceState before = state;
            changed = before.health() == SourceHealth.HEALTHY ? null : before.withHealth(SourceHealth.HEALTHY, "",
                clock.time());
            state = new SourceState(name(), SourceHealth.HEALTHY, t.height(), p.bestHashHex(), latencyUs, "",
                changed == null ? before.sinceMs() : changed.sinceMs(), rejectedCopy());
            if (changed != null)
            {
                LOG.info("bitcoind source healthy: height {} on {} ({} us)", t.height(), p.bestHashHex(), latencyUs);
            }
            newTip = last == null || !Arrays.equals(last.prevHash(), t.prevHash());
            if (!newTip && last.coinbaseValue() == t.coinbaseValue() && Arrays.equals(last.merklePath(), t.merklePath())
                && last.transactions().size() == t.transactions().size())
            {
                if (changed != null)
                {
                    listener.onStateChange(state);
                }
                return;   // the same work again: no new job
            }
            last = t;
            l = listener;
            if (changed != null)
            {
                l.onStateChange(state);
            }
            LOG.debug("bitcoind template {} at height {} ({}, {} txs, new tip {})", t.id(), t.height(), why,
                t.transactions().size(), newTip);
            l.onTemplate(t, newTip);
        }
    }

    private void failed(final BitcoindRpc.CallException ex)
    {
        final long code = ex.code();
        if (ex.failure() == BitcoindRpc.Failure.RPC_ERROR && (code == -28 || code == -9 || code == -10))
        {
            transition(SourceHealth.NOT_READY, "rpc" + code, "node not ready: " + ex.getMessage());
        }
        else
        {
            transition(SourceHealth.DOWN, ex.failure().name(), ex.getMessage());
        }
    }

    /**
     * Records a failure; logs and tells the listener only when the health or the kind of cause changes (a refused
     * connection after a reset is the same state: the node is unreachable).
     */
    private void transition(final SourceHealth health, final String kind, final String why)
    {
        synchronized (this)
        {
            if (!running)
            {
                return;
            }
            failures++;
            final SourceState before = state;
            final boolean change = before.health() != health || !kind.equals(failureKind);
            failureKind = kind;
            state = new SourceState(name(), health, before.height(), before.bestHash(), before.latencyUs(), why,
                change ? clock.time() : before.sinceMs(), rejectedCopy());
            if (!change)
            {
                return;
            }
            if (health == SourceHealth.NOT_READY)
            {
                LOG.warn("bitcoind source not ready, backing off (up to {} s between attempts): {}",
                    MAX_BACKOFF_MS / 1000, why);
            }
            else
            {
                LOG.warn("bitcoind source down: {}", why);
            }
            if (listener != null)
            {
                listener.onStateChange(state);
            }
        }
    }

    private ObjectNode request(final String longPollIdOrNull)
    {
        final ObjectNode req = MAPPER.createObjectNode();
        final ArrayNode rules = req.putArray("rules");
        rules.add("segwit");
        if ("signet".equals(network))
        {
            rules.add("signet");
        }
        if (longPollIdOrNull != null)
        {
            req.put("longpollid", longPollIdOrNull);
        }
        return req;
    }

    @Override
    public String submitBlock(final byte[] block)
    {
        final JsonNode result;
        try
        {
            result = submits.call("submitblock", Duration.ofMillis(SUBMIT_TIMEOUT_MS), Hex.encode(block));
        }
        catch (final BitcoindRpc.CallException ex)
        {
            final String reason = ex.failure() == BitcoindRpc.Failure.RPC_ERROR
                ? "rpc-error" + ex.code() : "submit-failed";
            LOG.warn("bitcoind submitblock failed ({}): {}", reason, ex.getMessage());
            count(reason);
            return reason;
        }
        if (result == null || result.isNull())
        {
            wake.release();   // the node has a new tip: fetch its next template now
            return null;
        }
        final String reason = result.isTextual() ? result.asText() : result.toString();
        count(reason);
        return reason;
    }

    private synchronized void count(final String reason)
    {
        rejected.merge(reason, 1L, Long::sum);
        state = new SourceState(state.name(), state.health(), state.height(), state.bestHash(), state.latencyUs(),
            state.error(), state.sinceMs(), rejectedCopy());
    }

    private Map<String, Long> rejectedCopy()
    {
        return new TreeMap<>(rejected);
    }

    @Override
    public long tipHeight()
    {
        final long h = state.height();
        return h < 0 ? -1 : h - 1;
    }

    @Override
    public SourceState state()
    {
        return state;
    }

    @Override
    public SourceState probe(final long timeoutMs)
    {
        final long t0 = System.nanoTime();
        try
        {
            final JsonNode result = calls.call("getblocktemplate", Duration.ofMillis(timeoutMs), request(null));
            final long latencyUs = (System.nanoTime() - t0) / 1000;
            final GbtParser.Parsed p = GbtParser.parse(result, 0);
            return new SourceState(name(), SourceHealth.HEALTHY, p.template().height(), p.bestHashHex(), latencyUs, "",
                clock.time(), Map.of());
        }
        catch (final BitcoindRpc.CallException ex)
        {
            final boolean notReady = ex.failure() == BitcoindRpc.Failure.RPC_ERROR &&
                (ex.code() == -28 || ex.code() == -9 || ex.code() == -10);
            return new SourceState(name(), notReady ? SourceHealth.NOT_READY : SourceHealth.DOWN, -1, "",
                (System.nanoTime() - t0) / 1000, ex.getMessage(), clock.time(), Map.of());
        }
        catch (final IllegalArgumentException ex)
        {
            return new SourceState(name(), SourceHealth.DOWN, -1, "", (System.nanoTime() - t0) / 1000,
                "unusable template: " + ex.getMessage(), clock.time(), Map.of());
        }
    }

    private boolean sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
            return running;
        }
        catch (final InterruptedException ex)
        {
            return false;
        }
    }

    @Override
    public void close()
    {
        synchronized (this)
        {
            if (!running && poller == null)
            {
                return;
            }
            running = false;
            state = state.withHealth(SourceHealth.STOPPED, "closed", clock.time());
        }
        if (zmq != null)
        {
            zmq.close();
        }
        if (poller != null)
        {
            poller.interrupt();
        }
        if (longPoller != null)
        {
            longPoller.interrupt();
        }
    }
}
