package org.bitcoincommons.sv2.sv1;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A legitimate Stratum V1 miner that mines beside a misbehaving client: subscribe and authorize, then it grinds every
 * job it is sent (one extranonce2 per job, {@link Sv1Work}) at the difficulty in force for that job, submits each hit,
 * waits for its answer, and counts accepted and rejected shares. A reader thread takes lines; a grinder thread hashes.
 * It paces itself (a pause after each answer) so that two cores are left to the pool and the other client.
 */
final class Sv1TestMiner implements AutoCloseable
{
    private static final long PACE_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long CHUNK = 16_384;

    final String worker;
    private final Socket socket;
    private final OutputStream out;
    private final Thread reader;
    private final Thread grinder;
    private final Object lock = new Object();

    private volatile boolean stopping;
    private volatile boolean closedByPool;
    private volatile byte[] extranonce1;
    private volatile int extranonce2Size;
    private volatile boolean authorized;
    private volatile double difficulty = Double.NaN;
    private volatile Sv1Work work;
    /** The id of the submit awaiting its answer, or -1. */
    private long pendingId = -1;
    private long nextId = 100;
    /** The grinder's extranonce2 of the current job, hex. */
    private String currentEn2;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong jobs = new AtomicLong();
    /** Errors of rejected shares, and anything unexpected the miner saw. */
    final List<String> problems = new CopyOnWriteArrayList<>();

    Sv1TestMiner(final InetSocketAddress at, final String worker) throws IOException
    {
        this.worker = worker;
        socket = new Socket();
        socket.connect(at, 5_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        send("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"sv1-test-miner/1.0\"]}\n" +
            "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"" + worker + "\",\"x\"]}\n");
        reader = Thread.ofPlatform().daemon().name("sv1-test-miner-reader-" + worker).start(this::read);
        grinder = Thread.ofPlatform().daemon().name("sv1-test-miner-grinder-" + worker).start(this::grind);
    }

    private void send(final String line) throws IOException
    {
        synchronized (out)
        {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void read()
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String l;
            while ((l = in.readLine()) != null)
            {
                final JsonNode n = Sv1Client.JSON.readTree(l);
                final String method = n.path("method").asText("");
                switch (method)
                {
                    case "mining.set_difficulty" -> difficulty = n.get("params").get(0).asDouble();
                    case "mining.notify" ->
                    {
                        work = new Sv1Work(n.get("params"), difficulty);
                        jobs.incrementAndGet();
                    }
                    case "" -> answer(n);
                    default ->
                    {
                        // mining.set_extranonce, client.reconnect, ping: not expected by these tests
                        problems.add("unexpected: " + l);
                    }
                }
                synchronized (lock)
                {
                    lock.notifyAll();
                }
            }
            if (!stopping)
            {
                closedByPool = true;
                problems.add("the pool closed the connection");
            }
        }
        catch (final IOException ex)
        {
            if (!stopping)
            {
                closedByPool = true;
                problems.add("read failed: " + ex);
            }
        }
        finally
        {
            synchronized (lock)
            {
                lock.notifyAll();
            }
        }
    }

    private void answer(final JsonNode n)
    {
        final long id = n.path("id").asLong(-1);
        if (id == 1)
        {
            final JsonNode r = n.path("result");
            if (!r.isArray())
            {
                problems.add("subscribe failed: " + n);
                return;
            }
            extranonce2Size = r.get(2).asInt();
            extranonce1 = Sv1Work.HEX.parseHex(r.get(1).asText());
        }
        else if (id == 2)
        {
            authorized = n.path("result").asBoolean();
            if (!authorized)
            {
                problems.add("authorize failed: " + n);
            }
        }
        else
        {
            synchronized (lock)
            {
                if (id != pendingId)
                {
                    problems.add("an answer to a submit not pending: " + n);
                    return;
                }
                pendingId = -1;
            }
            if (n.path("result").asBoolean(false) && n.path("error").isNull())
            {
                accepted.incrementAndGet();
            }
            else
            {
                rejected.incrementAndGet();
                problems.add("rejected: " + n);
            }
        }
    }

    private void grind()
    {
        long extranonce2 = 0;
        Sv1Work current = null;
        byte[] header = null;
        long nonce = 0;
        try
        {
            while (!stopping && !closedByPool)
            {
                final Sv1Work w = work;
                if (w == null || !authorized || extranonce1 == null)
                {
                    synchronized (lock)
                    {
                        lock.wait(10);
                    }
                    continue;
                }
                if (w != current || nonce > 0xffffffffL)
                {
                    current = w;
                    extranonce2++;
                    final byte[] en2 = new byte[extranonce2Size];
                    for (int i = 0; i < en2.length; i++)
                    {
                        en2[en2.length - 1 - i] = (byte)(extranonce2 >>> (8 * i));
                    }
                    header = w.header(extranonce1, en2, w.version);
                    nonce = 0;
                    currentEn2 = Sv1Work.HEX.formatHex(en2);
                }
                final double d = Double.isNaN(difficulty) ? w.difficulty : Math.max(w.difficulty, difficulty);
                final long hit = Sv1Work.grind(header, d, nonce, CHUNK);
                if (hit < 0)
                {
                    nonce += CHUNK;
                    continue;
                }
                nonce = hit + 1;
                submit(w, hit);
                LockSupport.parkNanos(PACE_NS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException ex)
        {
            if (!stopping)
            {
                problems.add("submit failed: " + ex);
            }
        }
    }

    /** Sends one share and waits (bounded) for its answer. */
    private void submit(final Sv1Work w, final long nonce) throws IOException, InterruptedException
    {
        final long id;
        synchronized (lock)
        {
            id = nextId++;
            pendingId = id;
        }
        send("{\"id\":" + id + ",\"method\":\"mining.submit\",\"params\":[\"" + worker + "\",\"" + w.jobId + "\",\"" +
            currentEn2 + "\",\"" + Sv1Work.hex32(w.ntime) + "\",\"" + Sv1Work.hex32((int)nonce) + "\"]}\n");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (lock)
        {
            while (pendingId == id && !closedByPool && !stopping)
            {
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    problems.add("no answer to submit " + id + " within 10 s");
                    pendingId = -1;
                    return;
                }
                lock.wait(Math.max(1, left / 1_000_000L));
            }
        }
    }

    long accepted()
    {
        return accepted.get();
    }

    long rejected()
    {
        return rejected.get();
    }

    long jobs()
    {
        return jobs.get();
    }

    boolean closedByPool()
    {
        return closedByPool;
    }

    /** Waits until {@code more} shares beyond those accepted now are accepted; false at the deadline. */
    boolean acceptsMore(final long more, final long timeoutMs)
    {
        final long target = accepted.get() + more;
        Sv1TestPool.await(timeoutMs, () -> accepted.get() >= target || closedByPool);
        return accepted.get() >= target;
    }

    @Override
    public void close() throws IOException
    {
        stopping = true;
        socket.close();
        synchronized (lock)
        {
            lock.notifyAll();
        }
        try
        {
            grinder.join(5_000);
            reader.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
