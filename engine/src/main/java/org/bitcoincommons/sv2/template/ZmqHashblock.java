package org.bitcoincommons.sv2.template;

import java.util.function.Consumer;

import org.bitcoincommons.sv2.bitcoin.Hex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Subscribes to bitcoind's {@code -zmqpubhashblock} (JeroMQ SUB socket) and calls back with each new block hash.
 * bitcoind sends three frames per block: the topic {@code "hashblock"}, the 32-byte hash in display (RPC) order, and
 * a 4-byte little-endian sequence number. The SUB socket reconnects by itself when the node restarts. One platform
 * thread ({@code bitcoind-zmq}) owns the socket; the callback runs on it.
 *
 * <p>A handshake that has not completed within {@link #HANDSHAKE_MS} is dropped and the connection made again: with
 * JeroMQ 0.6.0 about one SUB connection in twenty-five stays for ever with the publisher's greeting unread and its own
 * unsent (measured: 7 of 200 loopback connections received nothing in 5 s), so without this limit the pool could go
 * without notifications until bitcoind restarted. Heartbeats (ZMTP 3.1 PING, which bitcoind's libzmq answers) find a
 * connection that died silently.
 */
final class ZmqHashblock implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ZmqHashblock.class);
    private static final byte[] TOPIC = "hashblock".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** How often the reader checks whether it should stop, ms. */
    private static final int RECEIVE_TIMEOUT_MS = 200;
    /** A ZMTP handshake not complete after this long is abandoned and the connection made again, ms. */
    static final int HANDSHAKE_MS = 1000;
    /** Heartbeat interval and the silence after which the connection is dropped and made again, ms. */
    private static final int HEARTBEAT_MS = 10_000;
    private static final int HEARTBEAT_TIMEOUT_MS = 30_000;

    private final String endpoint;
    private final Consumer<String> onBlock;
    private final ZContext context = new ZContext(1);
    private volatile boolean running;
    private Thread thread;
    private volatile boolean subscribed;

    ZmqHashblock(final String endpoint, final Consumer<String> onBlock)
    {
        this.endpoint = endpoint;
        this.onBlock = onBlock;
    }

    void start()
    {
        running = true;
        thread = Thread.ofPlatform().daemon().name("bitcoind-zmq").start(this::run);
    }

    /** True once the socket is connecting (the node may still be absent: ZMQ connects in the background). */
    boolean subscribed()
    {
        return subscribed;
    }

    private void run()
    {
        try (ZMQ.Socket sub = context.createSocket(SocketType.SUB))
        {
            sub.setReceiveTimeOut(RECEIVE_TIMEOUT_MS);
            sub.setReconnectIVL(100);
            sub.setReconnectIVLMax(5000);
            sub.setHandshakeIvl(HANDSHAKE_MS);
            sub.setHeartbeatIvl(HEARTBEAT_MS);
            sub.setHeartbeatTimeout(HEARTBEAT_TIMEOUT_MS);
            sub.subscribe(TOPIC);
            sub.connect(endpoint);
            subscribed = true;
            while (running)
            {
                final byte[] topic = sub.recv();
                if (topic == null)
                {
                    continue;
                }
                byte[] hash = null;
                while (sub.hasReceiveMore())
                {
                    final byte[] part = sub.recv();
                    if (hash == null)
                    {
                        hash = part;
                    }
                }
                if (!java.util.Arrays.equals(topic, TOPIC) || hash == null || hash.length != 32)
                {
                    LOG.debug("zmq {}: ignoring a message that is not hashblock", endpoint);
                    continue;
                }
                try
                {
                    onBlock.accept(Hex.encode(hash));
                }
                catch (final RuntimeException ex)
                {
                    LOG.error("zmq {}: handling a hashblock failed: {}", endpoint, ex.toString(), ex);
                }
            }
        }
        catch (final ZMQException | IllegalStateException ex)
        {
            if (running)
            {
                LOG.warn("zmq {} stopped: {} (the poll and long poll go on)", endpoint, ex.toString());
            }
        }
    }

    @Override
    public void close()
    {
        running = false;
        if (thread != null)
        {
            try
            {
                thread.join(2 * RECEIVE_TIMEOUT_MS + 1000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        context.close();
    }
}
