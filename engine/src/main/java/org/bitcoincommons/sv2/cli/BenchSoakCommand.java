package org.bitcoincommons.sv2.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.loadgen.ConnectionFlood;
import org.bitcoincommons.sv2.loadgen.GarbageClient;
import org.bitcoincommons.sv2.loadgen.LoadGenerator;
import org.bitcoincommons.sv2.loadgen.ScriptedNode;
import org.bitcoincommons.sv2.merge.FakeAuxPowNode;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/sv2 bench soak}: a pool child under load for a long time with faults injected, and nothing lost.
 * <p>
 * The pool takes its templates from a scripted bitcoind (JSON-RPC and ZMQ on loopback) and merge-mines a Namecoin-like
 * aux chain served by a fake AuxPoW node; both are outside systems that cannot run here, and both flap (their RPC
 * goes down and comes back on the same port). In three phases on one journal:
 * <ol>
 *   <li>baseline: the steady miners alone, no fault, for the unfaulted acknowledgement latency;</li>
 *   <li>faults: the same miners, plus connection churn (a group of miners connects every second and leaves after its
 *   life), hostile clients on a share of the connections ({@link GarbageClient}), slow readers that let the pool's
 *   acknowledgements pile up, the aux node and the template source flapping, the tip moving; heap after a full
 *   collection and RSS at a reference point and at the end of the phase;</li>
 *   <li>kills: {@code --kills} times, after a random stretch of the same faulted load, the pool is killed with
 *   SIGKILL; the journal is replayed, and every share any miner saw acknowledged must be in it; the pool restarts on
 *   the same journal and must resume (its accounting equals the replay, and the next replay has grown).</li>
 * </ol>
 * At the end the pool is stopped, the journal replayed, and the replay must equal the pool's last /api/accounting.
 * Exit code 0 when every correctness check holds (nothing lost, replay equal, the pool never died on its own, no
 * legitimate miner dropped, every restart resumed); the goals on heap, RSS and latency are reported beside them.
 */
@Command(name = "soak",
    description = "Run a pool child under load for --minutes with churn, hostile and slow clients, a flapping aux node "
        + "and template source, and kill -9 restarts; check that no acknowledged share is lost (one JSON object with --json).",
    mixinStandardHelpOptions = true)
public final class BenchSoakCommand implements Runnable
{
    /** Shares/s per steady miner at most: below the soak pool's vardiff aim (6000/min), so targets stay at the maximum. */
    static final double MAX_RATE_PER_MINER = 50;
    /** Compact target of bitcoin and aux blocks: 2^240, one share in 65,536 is a block (the block paths get exercised). */
    static final int BLOCK_BITS = 0x1f00ffff;
    /** Hostile clients at once at most. */
    static final int HOSTILE_SLOTS = 256;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--minutes", defaultValue = "60", description = "Length of the run (default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--rate", defaultValue = "20000", description = "Shares/s of the steady miners (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--connections", defaultValue = "0",
        description = "Steady miners (default: --rate / " + "50, each at 50 shares/s).")
    int connections;

    @Option(names = "--churn", defaultValue = "10", description = "Miners that connect every second and leave after "
        + "--churn-life seconds (default ${DEFAULT-VALUE}).")
    int churn;

    @Option(names = "--churn-life", defaultValue = "5", description = "Seconds a churning miner stays (default ${DEFAULT-VALUE}).")
    int churnLife;

    @Option(names = "--garbage-percent", defaultValue = "5",
        description = "Share of all connections that are hostile clients (default ${DEFAULT-VALUE}).")
    double garbagePercent;

    @Option(names = "--slow-readers", defaultValue = "2", description = "Slow-reading miners (default ${DEFAULT-VALUE}).")
    int slowReaders;

    @Option(names = "--slow-reader-rate", defaultValue = "1000",
        description = "Shares/s each slow reader submits while reading 10 frames/s (default ${DEFAULT-VALUE}).")
    double slowReaderRate;

    @Option(names = "--kills", defaultValue = "20", description = "kill -9 and restarts (default ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--kill-min-seconds", defaultValue = "5", description = "Shortest load before a kill (default ${DEFAULT-VALUE}).")
    double killMin;

    @Option(names = "--kill-max-seconds", defaultValue = "30", description = "Longest load before a kill (default ${DEFAULT-VALUE}).")
    double killMax;

    @Option(names = "--baseline-seconds", defaultValue = "0",
        description = "Unfaulted interval (default: 10% of the run, 10 to 60 s).")
    double baselineSeconds;

    @Option(names = "--flap-seconds", defaultValue = "20",
        description = "Period of the aux node's and the template source's outages; each is down a quarter of it "
            + "(default ${DEFAULT-VALUE}).")
    double flapSeconds;

    @Option(names = "--tip-seconds", defaultValue = "30", description = "The template source's tip moves this often (default ${DEFAULT-VALUE}).")
    double tipSeconds;

    @Option(names = "--flood-every-seconds", defaultValue = "60",
        description = "A connection flood from 127.0.0.2 this often, against the per-address limits (0: none; default ${DEFAULT-VALUE}).")
    double floodEvery;

    @Option(names = "--flood-size", defaultValue = "0",
        description = "Connections per flood (default: three times the soak pool's per-address limit).")
    int floodSize;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the kill moments and hostile bytes (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pool-heap", defaultValue = "1g", description = "-Xmx of the child pool (default ${DEFAULT-VALUE}).")
    String poolHeap;

    @Option(names = "--pool-jvm-opt", description = "Extra JVM option for the child pool (repeatable).")
    List<String> poolJvmOpts = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    private Path tmp;
    private Path config;
    private Path journalDir;
    private URI api;
    private InetSocketAddress address;
    private byte[] pub;
    private Process child;
    private int starts;
    private Random random;
    private long t0;

    /** Shares every miner saw acknowledged, over all generators that have been closed. */
    private long acknowledged;
    private long rejected;
    private long legitDropped;
    private long legitConnectFailures;
    private long churnConnections;
    private long slowOpened;
    private long slowDroppedByPool;
    private final AtomicLong auxDowns = new AtomicLong();
    private final AtomicLong templateDowns = new AtomicLong();
    private final AtomicLong tipAdvances = new AtomicLong();
    private GarbageClient garbage;
    private ConnectionFlood flood;
    private long floods;
    /** The pool's sv2_connections_refused_total by reason, summed over its lives (each starts at zero). */
    private final Map<String, Long> refusedByLimit = new java.util.TreeMap<>();
    /** The soak pool's per-address limits: twice what the legitimate miners on 127.0.0.1 can use at once. */
    private int perIpLimit;
    private FakeAuxPowNode aux;
    private ScriptedNode node;
    private boolean poolDied;
    private String poolDiedWhen;

    @Override
    public void run()
    {
        final double total = minutes * 60;
        final int steadyConnections = connections > 0 ? connections : (int)Math.ceil(rate / MAX_RATE_PER_MINER);
        final double baseline = baselineSeconds > 0 ? baselineSeconds : Math.min(60, Math.max(10, total * 0.1));
        final double main = total - baseline - kills * (killMin + killMax) / 2;
        if (minutes <= 0 || rate <= 0 || steadyConnections < 1 || rate / steadyConnections > MAX_RATE_PER_MINER * 1.8
            || churn < 0 || churnLife < 1 || slowReaderRate <= 0 || garbagePercent < 0 || garbagePercent >= 50 || slowReaders < 0 || kills < 0
            || killMin <= 0 || killMax < killMin || flapSeconds < 2 || floodEvery < 0 || floodSize < 0 || tipSeconds <= 0 || main < 20
            || steadyConnections + churn * (churnLife + 2) + slowReaders > BenchStormCommand.MAX_CONNECTIONS)
        {
            throw new CliException(ExitCode.BAD_INPUT, "need --minutes > 0, --rate > 0, --rate / --connections <= 90 "
                + "(vardiff keeps the targets at the maximum below its aim), --churn >= 0, --churn-life >= 1, "
                + "--garbage-percent 0..50, --slow-readers and --kills >= 0, --slow-reader-rate > 0, 0 < --kill-min-seconds <= --kill-max-seconds, "
                + "--flap-seconds >= 2, --tip-seconds > 0, --flood-every-seconds and --flood-size >= 0, and a run long enough for >= 20 s of faulted load after the "
                + "baseline and the kills (here " + Math.round(main) + " s)");
        }
        random = new Random(seed);
        final Map<String, Object> out = new LinkedHashMap<>();
        try
        {
            tmp = Files.createTempDirectory("sv2-bench-soak");
            journalDir = tmp.resolve("journal");
            final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
            pub = AuthorityKeys.publicOf(secret);
            aux = new FakeAuxPowNode(1, BLOCK_BITS);
            node = new ScriptedNode("soak", "soak", BLOCK_BITS);
            final int sv2Port = ChildPool.freePort();
            final int apiPort = ChildPool.freePort();
            api = URI.create("http://127.0.0.1:" + apiPort);
            address = new InetSocketAddress("127.0.0.1", sv2Port);
            config = tmp.resolve("pool.toml");
            // what the legitimate miners on 127.0.0.1 can hold at once (steady, churn groups, slow readers, hostile
            // clients, margin): the per-address limits are twice that, and the flood from 127.0.0.2 must hit them
            final int legitMax = steadyConnections + churn * (churnLife + 3) + slowReaders + HOSTILE_SLOTS + 64;
            perIpLimit = 2 * legitMax;
            Files.writeString(config, poolToml(sv2Port, apiPort, secret, legitMax));
            garbage = new GarbageClient(address, pub, 20_000);
            flood = new ConnectionFlood(address, java.net.InetAddress.getByName("127.0.0.2"));
            t0 = System.nanoTime();
            startPool();

            out.put("minutes", minutes);
            out.put("rate", rate);
            out.put("connections", steadyConnections);
            out.put("churn_per_second", churn);
            out.put("churn_life_seconds", churnLife);
            out.put("garbage_percent", garbagePercent);
            out.put("slow_readers", slowReaders);

            // 1. baseline: the steady miners alone
            Epoch epoch = new Epoch(steadyConnections);
            Thread.sleep(3000);   // warm-up
            final LoadGenerator.Result base = epoch.steady.measureWhile(epoch.connectSeconds,
                LoadGenerator.deadline((long)(baseline * 1000)));
            out.put("baseline", BenchStormCommand.interval(base));

            // 2. faults
            epoch.startFaults();
            final Map<String, Object> memory = new LinkedHashMap<>();
            final double refAt = Math.min(300, main / 3);
            final Thread memoryProbe = Thread.ofPlatform().daemon().name("soak-memory").start(() ->
            {
                try
                {
                    Thread.sleep((long)(refAt * 1000));
                    memory.put("reference", memoryAfterGc());
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            final long mainEnd = System.nanoTime() + (long)(main * 1e9);
            final LoadGenerator.Result faulted = epoch.steady.measureWhile(epoch.connectSeconds,
                () -> System.nanoTime() < mainEnd - 2_000_000_000L && watch());
            memoryProbe.join();
            if (!poolDied)
            {
                memory.put("end", memoryAfterGc());
            }
            memory.put("reference_at_seconds_of_faults", refAt);
            out.put("faulted", BenchStormCommand.interval(faulted));
            out.put("p99_ratio", base.p99Us() > 0 ? round2(faulted.p99Us() / base.p99Us()) : 0);
            out.put("memory", drift(memory));
            out.put("pool_connections_during_faults", poolGauge("sv2_connections"));

            // 3. kills
            final List<Map<String, Object>> killed = new ArrayList<>();
            long lastJournaled = -1;
            boolean resumedEveryTime = true;
            for (int k = 0; k < kills && !poolDied; k++)
            {
                final double loadSeconds = killMin + random.nextDouble() * (killMax - killMin);
                final long until = System.nanoTime() + (long)(loadSeconds * 1e9);
                while (System.nanoTime() < until && watch())
                {
                    Thread.sleep(50);
                }
                if (poolDied)
                {
                    break;
                }
                final double at = (System.nanoTime() - t0) / 1e9;
                epoch.stopFaults();
                child.destroyForcibly();
                child.waitFor();
                epoch.end();
                final long journaled = replayedShares();
                final long restartStart = System.nanoTime();
                startPool();
                final double restartSeconds = (System.nanoTime() - restartStart) / 1e9;
                final long afterRestart = awaitAccountingShares(journaled, 15_000);
                final boolean resumed = afterRestart == journaled && journaled > lastJournaled;
                resumedEveryTime &= resumed;
                lastJournaled = journaled;
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("at_seconds", round2(at));
                m.put("load_seconds", round2(loadSeconds));
                m.put("acknowledged", acknowledged);
                m.put("journaled", journaled);
                m.put("lost", Math.max(0, acknowledged - journaled));
                m.put("restart_seconds", round2(restartSeconds));
                m.put("accounting_after_restart", afterRestart);
                m.put("resumed", resumed);
                killed.add(m);
                epoch = new Epoch(steadyConnections);
                epoch.startFaults();
            }
            // a last stretch after the last restart: the pool appends again
            final long lastUntil = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < lastUntil && watch())
            {
                Thread.sleep(50);
            }
            out.put("kills", killed);
            final int steadyOpenAtEnd = epoch.stopFaults();
            epoch.end();

            // 4. the end: the pool's totals settle, the pool stops, the replay must equal them
            final JsonNode live = settledAccounting();
            ChildPool.stop(child);
            final boolean cleanExit = child.exitValue() == 0 || child.exitValue() == 143;
            final Map<String, Object> replayed = replay();
            final JsonNode replayJson = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(replayed));
            final List<String> differences = differences(live, replayJson);
            final long journaled = (Long)replayed.get("shares_accepted");

            final Map<String, Object> shares = new LinkedHashMap<>();
            shares.put("acknowledged", acknowledged);
            shares.put("journaled", journaled);
            shares.put("lost", Math.max(0, acknowledged - journaled));
            shares.put("journaled_not_seen_acknowledged", Math.max(0, journaled - acknowledged));
            shares.put("rejected", rejected);
            shares.put("blocks_found", replayed.get("blocks_found"));
            shares.put("blocks_submitted_to_node", node.blocksSubmitted());
            shares.put("aux_blocks_accepted_by_node", aux.acceptedBlocks().size());
            out.put("shares", shares);
            out.put("faults", faults(killed.size()));
            out.put("legitimate_connections_dropped", legitDropped);
            out.put("legitimate_connect_failures", legitConnectFailures);
            out.put("steady_open_at_end", steadyOpenAtEnd);
            out.put("replay_differences", differences);
            out.put("pool_died_unexpectedly", poolDied);
            if (poolDied)
            {
                out.put("pool_died_when", poolDiedWhen);
            }
            out.put("pool_exit_code", child.exitValue());
            out.put("seconds_run", round2((System.nanoTime() - t0) / 1e9));
            out.put("load_held_shares_per_second", faulted.sharesPerSecond());

            final Map<String, Object> checks = new LinkedHashMap<>();
            checks.put("pool_never_died", !poolDied);
            checks.put("no_acknowledged_share_lost", acknowledged <= journaled
                && killed.stream().allMatch(m -> (Long)m.get("lost") == 0));
            checks.put("replay_equals_accounting", differences.isEmpty());
            checks.put("no_legitimate_connection_dropped", legitDropped == 0 && steadyOpenAtEnd == steadyConnections);
            checks.put("every_restart_resumed", resumedEveryTime);
            checks.put("clean_exit", cleanExit);
            // a flood from another address is refused by the limits while the miners above kept every connection
            checks.put("flood_refused_by_limits", floods == 0 || flood.resetByPool() > 0
                && refusedByLimit.entrySet().stream().filter(e -> !e.getKey().equals("unread_metrics"))
                    .mapToLong(Map.Entry::getValue).sum() > 0);
            out.put("checks", checks);
            final boolean correct = checks.values().stream().allMatch(Boolean.TRUE::equals);
            out.put("correct", correct);
            out.put("goals", goals(out, killed.size()));
            print(out);
            if (!correct)
            {
                throw new CliException(ExitCode.FAILURE, "soak: a correctness check failed: " + checks);
            }
        }
        catch (final IOException ex)
        {
            throw new CliException(ExitCode.FAILURE, "soak: " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            ChildPool.stop(child);
            if (aux != null)
            {
                aux.close();
            }
            if (node != null)
            {
                node.close();
            }
            ChildPool.deleteQuietly(tmp);
        }
    }

    private String poolToml(final int sv2Port, final int apiPort, final byte[] secret, final int legitMax)
    {
        return """
            [stratum_v2]
            listen_addr = "127.0.0.1:%d"
            handshake_timeout_ms = 10000
            frame_deadline_ms = 5000
            merge_mining_enabled = true
            secondary_chains = ["namecoin"]
            [stratum_v2.noise]
            authority_public_key = "%s"
            authority_secret_key = "%s"
            [[merge.chains]]
            name = "namecoin"
            kind = "auxpow"
            chain_id = 1
            rpc_url = "%s"
            payout_address = "soak-namecoin-payout"
            poll_interval_ms = 500
            timeout_ms = 2000
            down_after_failures = 3
            max_work_age_ms = 10000
            [pool]
            # the miners connect from 127.0.0.1, the flood from 127.0.0.2: limits twice what the miners need at once
            max_connections_per_ip = %d
            connect_rate_per_ip = %d.0
            connect_burst_per_ip = %d
            max_unauthenticated = %d
            journal_dir = "%s"
            shares_per_minute = 6000
            min_hashrate = 0.000001
            max_connections = %d
            [template]
            sources = ["bitcoind"]
            network = "regtest"
            [template.bitcoind]
            rpc_url = "%s"
            rpc_user = "soak"
            rpc_password = "soak"
            zmq_hashblock = "%s"
            poll_interval_ms = 2000
            longpoll = false
            [api]
            listen_addr = "127.0.0.1:%d"
            """.formatted(sv2Port, AuthorityKeys.encodePublic(pub), AuthorityKeys.encodeSecret(secret), aux.url(),
            2 * legitMax, 500 + 2 * churn, 2 * legitMax, 4 * legitMax + 1000, journalDir.toString().replace("\\", "/"), BenchStormCommand.MAX_CONNECTIONS, node.rpcUrl(),
            node.zmqEndpoint(), apiPort);
    }

    private void startPool() throws IOException, InterruptedException
    {
        starts++;
        final Path log = tmp.resolve("pool-" + starts + ".log");
        child = ChildPool.startPool(config, log, poolHeap, poolJvmOpts);
        ChildPool.waitReady(api, child, log);
    }

    /** False once the pool has died without being killed (recorded); the load loops stop then. */
    private boolean watch()
    {
        if (!poolDied && !child.isAlive())
        {
            poolDied = true;
            poolDiedWhen = "at " + round2((System.nanoTime() - t0) / 1e9) + " s, exit code " + child.exitValue()
                + ", log " + tmp.resolve("pool-" + starts + ".log");
        }
        return !poolDied;
    }

    /**
     * One life of the pool: the steady miners, and (once started) the faults around them. {@link #end} closes every
     * generator and adds what each saw acknowledged to the run's total.
     */
    private final class Epoch
    {
        final LoadGenerator steady;
        final double connectSeconds;
        private LoadGenerator slow;
        private Thread churner;
        private Thread hostile;
        private Thread flapper;
        private volatile boolean faulting;
        /** Drops of churn groups count until {@link #stopFaults} (a kill's drops are not the pool's doing). */
        private boolean counting = true;
        private final ArrayDeque<Object[]> churning = new ArrayDeque<>();
        private final Semaphore hostileSlots = new Semaphore(HOSTILE_SLOTS);
        private Thread flooder;
        private final List<Thread> hostiles = new ArrayList<>();

        Epoch(final int n) throws InterruptedException
        {
            steady = new LoadGenerator(new LoadGenerator.Options(address, pub, n, rate, 0, 0, 32, 1, 30_000)).followJobs();
            if (n <= 500)
            {
                steady.platformReaders();
            }
            connectSeconds = steady.start();
            legitConnectFailures += steady.connectFailures();
        }

        void startFaults() throws InterruptedException
        {
            faulting = true;
            if (slowReaders > 0)
            {
                slow = new LoadGenerator(new LoadGenerator.Options(address, pub, slowReaders, slowReaders * slowReaderRate, 0, 0,
                    65_536, 1, 30_000)).slowReaders(100, 4096).followJobs();
                slow.start();
                slowOpened += slowReaders - slow.connectFailures();
            }
            churner = Thread.ofPlatform().daemon().name("soak-churn").start(this::churnLoop);
            hostile = Thread.ofPlatform().daemon().name("soak-hostile").start(this::hostileLoop);
            flapper = Thread.ofPlatform().daemon().name("soak-flap").start(this::flapLoop);
            if (floodEvery > 0)
            {
                flooder = Thread.ofPlatform().daemon().name("soak-flood").start(this::floodLoop);
            }
        }

        /** Every --flood-every-seconds a burst of connections from 127.0.0.2, held 3 s: the limits must refuse it. */
        private void floodLoop()
        {
            final int size = floodSize > 0 ? floodSize : 3 * perIpLimit;
            try
            {
                while (faulting)
                {
                    final long due = System.nanoTime() + (long)(floodEvery * 1e9);
                    while (faulting && System.nanoTime() < due)
                    {
                        Thread.sleep(100);
                    }
                    if (faulting)
                    {
                        flood.burst(size, 1000, 3000);
                        synchronized (BenchSoakCommand.this)
                        {
                            floods++;
                        }
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        /** Every second a group of miners connects; groups older than their life leave. */
        private void churnLoop()
        {
            try
            {
                while (faulting)
                {
                    final long next = System.nanoTime() + 1_000_000_000L;
                    if (churn > 0)
                    {
                        final LoadGenerator g = new LoadGenerator(new LoadGenerator.Options(address, pub, churn,
                            churn * 10.0, 0, 0, 8, 1, 10_000)).followJobs();
                        g.start();
                        synchronized (churning)
                        {
                            churning.add(new Object[] {g, System.nanoTime()});
                        }
                        synchronized (BenchSoakCommand.this)
                        {
                            churnConnections += churn;
                        }
                    }
                    retire(false);
                    final long wait = next - System.nanoTime();
                    if (wait > 0)
                    {
                        Thread.sleep(wait / 1_000_000L);
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        /** Closes the churn groups past their life (all of them with {@code all}), counting drops and acknowledgements. */
        private void retire(final boolean all)
        {
            synchronized (churning)
            {
                for (final Iterator<Object[]> it = churning.iterator(); it.hasNext(); )
                {
                    final Object[] e = it.next();
                    if (!all && System.nanoTime() - (Long)e[1] < churnLife * 1_000_000_000L)
                    {
                        break;
                    }
                    it.remove();
                    final LoadGenerator g = (LoadGenerator)e[0];
                    if (!all && counting)
                    {
                        // a group leaving by its own choice: every miner that connected must still be connected
                        synchronized (BenchSoakCommand.this)
                        {
                            legitDropped += churn - g.connectFailures() - g.openConnections();
                            legitConnectFailures += g.connectFailures();
                        }
                    }
                    close(g);
                }
            }
        }

        /** Hostile clients: as many as make up {@code --garbage-percent} of the connections opened, in four kinds. */
        private void hostileLoop()
        {
            final double perLegit = garbagePercent / (100 - garbagePercent);
            double debt = (steady.openConnections() + slowReaders) * perLegit;
            final GarbageClient.Kind[] kinds = GarbageClient.Kind.values();
            int next = 0;
            try
            {
                while (faulting)
                {
                    debt += churn * perLegit;
                    while (debt >= 1 && faulting && hostileSlots.tryAcquire())
                    {
                        debt -= 1;
                        final GarbageClient.Kind kind = kinds[next++ % kinds.length];
                        final long s = random.nextLong();
                        synchronized (hostiles)
                        {
                            hostiles.add(Thread.ofVirtual().name("soak-garbage").start(() ->
                            {
                                try
                                {
                                    garbage.attack(kind, new Random(s));
                                }
                                finally
                                {
                                    hostileSlots.release();
                                }
                            }));
                        }
                    }
                    Thread.sleep(1000);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        /** The aux node and the template source go down a quarter of every period (half a period apart); the tip moves. */
        private void flapLoop()
        {
            final long period = (long)(flapSeconds * 1000);
            final long tipEvery = (long)(tipSeconds * 1000);
            final long start = System.currentTimeMillis();
            long nextTip = start + tipEvery;
            try
            {
                while (faulting)
                {
                    final long phase = (System.currentTimeMillis() - start) % period;
                    final boolean auxDown = phase < period / 4;
                    final boolean templateDown = phase >= period / 2 && phase < period * 3 / 4;
                    flap(auxDown, templateDown);
                    if (System.currentTimeMillis() >= nextTip)
                    {
                        node.advance();
                        tipAdvances.incrementAndGet();
                        nextTip += tipEvery;
                    }
                    Thread.sleep(100);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("a fake node could not listen again on its port", ex);
            }
            finally
            {
                try
                {
                    flap(false, false);
                }
                catch (final IOException ex)
                {
                    System.err.println("soak: a fake node could not listen again: " + ex.getMessage());
                }
            }
        }

        private boolean auxIsDown;
        private boolean templateIsDown;

        private void flap(final boolean auxDown, final boolean templateDown) throws IOException
        {
            if (auxDown != auxIsDown)
            {
                if (auxDown)
                {
                    aux.down();
                    auxDowns.incrementAndGet();
                }
                else
                {
                    aux.up();
                }
                auxIsDown = auxDown;
            }
            if (templateDown != templateIsDown)
            {
                if (templateDown)
                {
                    node.rpcDown();
                    templateDowns.incrementAndGet();
                }
                else
                {
                    node.rpcUp();
                }
                templateIsDown = templateDown;
            }
        }

        /** Stops the faults and closes every generator; their acknowledgements join the total. */
        void end() throws InterruptedException
        {
            faulting = false;
            for (final Thread t : new Thread[] {churner, hostile, flapper, flooder})
            {
                if (t != null)
                {
                    t.join(30_000);
                }
            }
            synchronized (hostiles)
            {
                for (final Thread t : hostiles)
                {
                    t.join(30_000);
                }
            }
            retire(true);
            if (slow != null)
            {
                close(slow);
            }
            close(steady);
        }

        /**
         * Stops starting faults and, while the pool still runs, counts the legitimate miners it dropped (every steady
         * miner and every churn group still in its life must be connected) and the slow readers it dropped; called
         * just before a kill or the final stop, after which nothing more is counted as a drop.
         */
        int stopFaults() throws InterruptedException
        {
            faulting = false;
            if (flooder != null)
            {
                flooder.join(60_000);   // a flood in progress ends first: its probe must see the pool's doing, not a kill
            }
            final int steadyOpen = steady.openConnections();
            synchronized (BenchSoakCommand.this)
            {
                legitDropped += steady.options().connections() - steady.connectFailures() - steadyOpen;
            }
            synchronized (churning)
            {
                for (final Object[] e : churning)
                {
                    final LoadGenerator g = (LoadGenerator)e[0];
                    synchronized (BenchSoakCommand.this)
                    {
                        legitDropped += churn - g.connectFailures() - g.openConnections();
                        legitConnectFailures += g.connectFailures();
                    }
                }
                counting = false;
            }
            if (slow != null)
            {
                slowDroppedByPool += slowReaders - slow.connectFailures() - slow.openConnections();
            }
            addRefusedByLimit();
            return steadyOpen;
        }
    }

    private synchronized void close(final LoadGenerator g)
    {
        g.close();
        acknowledged += g.acceptedTotal();
        rejected += g.rejectedTotal();
    }

    /** Shares in the journal now (the pool is not running). */
    private long replayedShares()
    {
        return (Long)replay().get("shares_accepted");
    }

    private Map<String, Object> replay()
    {
        final AccountingState state = new AccountingState();
        try (Journal j = Journal.openExisting(journalDir); JournalReader reader = j.reader())
        {
            while (reader.read(state, 4096) > 0)
            {
                // until the end of what was written
            }
        }
        return state.toMap();
    }

    /** Waits until the restarted pool's accounting shows {@code expected} shares; returns what it showed last. */
    private long awaitAccountingShares(final long expected, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        long seen = -1;
        while (System.currentTimeMillis() < deadline)
        {
            try
            {
                seen = ChildPool.get(api, "/api/accounting").path("shares_accepted").asLong(-1);
                if (seen == expected)
                {
                    return seen;
                }
            }
            catch (final IOException ex)
            {
                // not answering yet
            }
            Thread.sleep(200);
        }
        return seen;
    }

    /** The pool's /api/accounting once two reads a tick apart agree (the last outcomes have been journaled). */
    private JsonNode settledAccounting() throws IOException, InterruptedException
    {
        JsonNode last = ChildPool.get(api, "/api/accounting");
        for (int i = 0; i < 60; i++)
        {
            Thread.sleep(1500);
            final JsonNode now = ChildPool.get(api, "/api/accounting");
            if (now.equals(last))
            {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** Top-level keys (and chain keys) where the pool's accounting and the replay differ. */
    static List<String> differences(final JsonNode live, final JsonNode replayed)
    {
        final List<String> diff = new ArrayList<>();
        final java.util.Set<String> keys = new java.util.TreeSet<>();
        live.fieldNames().forEachRemaining(keys::add);
        replayed.fieldNames().forEachRemaining(keys::add);
        for (final String k : keys)
        {
            if (!live.path(k).equals(replayed.path(k)))
            {
                diff.add(k + ": pool " + abbreviate(live.path(k)) + ", replay " + abbreviate(replayed.path(k)));
            }
        }
        return diff;
    }

    private static String abbreviate(final JsonNode n)
    {
        final String s = n.toString();
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private Map<String, Object> memoryAfterGc()
    {
        try
        {
            final JsonNode m = ChildPool.get(api, "/api/memory?gc=1");
            final Map<String, Object> r = new LinkedHashMap<>();
            r.put("heap_used_bytes", m.path("heap_used_bytes").asLong());
            r.put("rss_bytes", m.path("rss_bytes").asLong());
            r.put("rss_anon_bytes", m.path("rss_anon_bytes").asLong());
            r.put("rss_file_bytes", m.path("rss_file_bytes").asLong());
            r.put("connections", m.path("connections").asLong());
            return r;
        }
        catch (final IOException ex)
        {
            return Map.of("error", String.valueOf(ex.getMessage()));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return Map.of("error", "interrupted");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> drift(final Map<String, Object> memory)
    {
        final Object ref = memory.get("reference");
        final Object end = memory.get("end");
        if (ref instanceof Map && end instanceof Map)
        {
            final Map<String, Object> r = (Map<String, Object>)ref;
            final Map<String, Object> e = (Map<String, Object>)end;
            if (r.get("heap_used_bytes") instanceof Long rh && e.get("heap_used_bytes") instanceof Long eh && rh > 0)
            {
                memory.put("heap_drift_percent", round2((eh - rh) * 100.0 / rh));
            }
            if (r.get("rss_bytes") instanceof Long rr && e.get("rss_bytes") instanceof Long er && rr > 0)
            {
                memory.put("rss_drift_percent", round2((er - rr) * 100.0 / rr));
            }
            // the goal is judged on anonymous RSS: the journal's mapped queue files grow with the journal by design
            // (page cache, reclaimable), and show in RssFile
            if (r.get("rss_anon_bytes") instanceof Long ra && e.get("rss_anon_bytes") instanceof Long ea && ra > 0)
            {
                memory.put("rss_anon_drift_percent", round2((ea - ra) * 100.0 / ra));
            }
        }
        return memory;
    }

    /** Adds this pool life's sv2_connections_refused_total{reason} to the run's totals (the pool is running). */
    private void addRefusedByLimit()
    {
        final String prefix = "sv2_connections_refused_total{reason=\"";
        try
        {
            for (final String line : ChildPool.getText(api, "/metrics").split("\n"))
            {
                if (line.startsWith(prefix))
                {
                    final int q = line.indexOf('"', prefix.length());
                    final String reason = line.substring(prefix.length(), q);
                    final long n = (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
                    synchronized (this)
                    {
                        refusedByLimit.merge(reason, n, Long::sum);
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            refusedByLimit.merge("unread_metrics", 1L, Long::sum);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private double poolGauge(final String name)
    {
        try
        {
            for (final String line : ChildPool.getText(api, "/metrics").split("\n"))
            {
                if (line.startsWith(name + " "))
                {
                    return Double.parseDouble(line.substring(name.length() + 1).trim());
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private Map<String, Object> faults(final int killed)
    {
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("churn_connections", churnConnections);
        final Map<String, Object> g = new LinkedHashMap<>();
        long opened = 0;
        long closed = 0;
        for (final GarbageClient.Kind k : GarbageClient.Kind.values())
        {
            final Map<String, Object> kind = new LinkedHashMap<>();
            kind.put("opened", garbage.opened(k));
            kind.put("closed_by_pool", garbage.closedByPool(k));
            kind.put("handshake_failed", garbage.handshakeFailed(k));
            kind.put("connect_failed", garbage.connectFailed(k));
            g.put(k.name().toLowerCase(java.util.Locale.ROOT), kind);
            opened += garbage.opened(k);
            closed += garbage.closedByPool(k);
        }
        f.put("hostile_connections", opened);
        f.put("hostile_closed_by_pool", closed);
        f.put("hostile_by_kind", g);
        f.put("slow_readers", slowOpened);
        f.put("slow_readers_dropped_by_pool", slowDroppedByPool);
        f.put("aux_node_outages", auxDowns.get());
        f.put("template_source_outages", templateDowns.get());
        f.put("tip_moves", tipAdvances.get());
        final Map<String, Object> fl = new LinkedHashMap<>();
        fl.put("floods", floods);
        fl.put("per_address_limit", perIpLimit);
        fl.put("connections_attempted", flood.attempted());
        fl.put("reset_by_pool_at_accept", flood.resetByPool());
        fl.put("held_by_pool", flood.held());
        fl.put("connect_failed", flood.connectFailed());
        fl.put("pool_refused_total_by_reason", new LinkedHashMap<>(refusedByLimit));
        f.put("flood_from_127_0_0_2", fl);
        f.put("kill_9", killed);
        return f;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> goals(final Map<String, Object> out, final int killed)
    {
        final Map<String, Object> g = new LinkedHashMap<>();
        final Map<String, Object> memory = (Map<String, Object>)out.get("memory");
        final Object heap = memory.get("heap_drift_percent");
        final Object rss = memory.get("rss_anon_drift_percent");
        g.put("heap_within_10_percent", heap instanceof Double h && Math.abs(h) <= 10);
        g.put("rss_anon_within_10_percent", rss instanceof Double r && Math.abs(r) <= 10);
        g.put("p99_within_2x_of_unfaulted", out.get("p99_ratio") instanceof Double p && p > 0 && p <= 2);
        g.put("at_least_20_kills", killed >= 20);
        return g;
    }

    private static double round2(final double v)
    {
        return Math.round(v * 100) / 100.0;
    }

    private void print(final Map<String, Object> m)
    {
        final var o = spec.commandLine().getOut();
        if (json)
        {
            o.println(Json.MAPPER.valueToTree(m).toString());
        }
        else
        {
            m.forEach((k, v) -> o.println(k + ": " + v));
        }
        o.flush();
    }
}
