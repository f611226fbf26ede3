package org.bitcoincommons.sv2.jd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.bitcoincommons.sv2.engine.JobDeclarationClient;
import org.bitcoincommons.sv2.engine.StratumV2Miner;

/**
 * The TOML the Job Declaration tests' pools share, in sections: SV2 on an ephemeral port and the pool paying the
 * mainnet test address, the fake node as the template source (mainnet, basic auth pool / hunter2), and a JDS with
 * the API off. Each returns whole lines; a test adds its own keys in between. And the farm's miner behind a JD client.
 */
final class JdPoolConfig
{
    private JdPoolConfig()
    {
    }

    /** A TCP port free a moment ago on this machine, for a JDS whose address is written into the config. */
    /**
     * A farm miner ("farm.rig1", one thread) connected to the JD client's downstream listener and mining, closed with
     * {@code closing}.
     */
    static StratumV2Miner farmMiner(final JobDeclarationClient jdc,
        final List<AutoCloseable> closing) throws Exception
    {
        final String url = "stratum2+tcp://127.0.0.1:" + jdc.downstreamAddress().getPort() + "/" +
            jdc.authorityPublicKey();
        final StratumV2Miner m = StratumV2Miner.builder(url)
            .user("farm.rig1").threads(1).build();
        closing.add(m);
        assertTrue(m.connect(), "the farm's miner connects to the client");
        m.startMining();
        return m;
    }

    static int freePort() throws java.io.IOException
    {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    /** {@code [stratum_v2]} on 127.0.0.1:0 and {@code [pool]} journaling in {@code journal}, then {@code extra}. */
    static String pool(final Path journal, final String extra)
    {
        return listenerAndJournal(journal) + """
            shares_per_minute = 6
            coinbase_address = "%s"
            %s
            """.formatted(JobDeclarationEndToEndTest.MAINNET_PAYOUT, extra);
    }

    /**
     * A JD client's local side: {@code [stratum_v2]} on 127.0.0.1:0 for the farm's miners and {@code [pool]} journaling
     * in {@code journal}, the solo payout and coinbase signature, 4 rollable extranonce bytes.
     */
    static String farm(final Path journal)
    {
        return listenerAndJournal(journal) + """
            shares_per_minute = 120
            coinbase_address = "%s"
            pool_signature = "/farm/"
            extranonce_size = 4
            """.formatted(JobDeclarationClientTest.SOLO_PAYOUT);
    }

    private static String listenerAndJournal(final Path journal)
    {
        return """
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            handshake_timeout_ms = 5000
            [pool]
            journal_dir = "%s"
            """.formatted(journal.toString().replace("\\", "/"));
    }

    /**
     * {@code [template]} and {@code [template.bitcoind]}: the fake node at {@code nodeUrl}, polled every so often and
     * long-polled (BIP22) as by default.
     */
    static String bitcoindSource(final java.net.URI nodeUrl, final int pollIntervalMs)
    {
        return bitcoindSource(nodeUrl, pollIntervalMs, true);
    }

    /** As {@link #bitcoindSource(java.net.URI, int)}; without the long poll a new tip is seen only at the next poll. */
    static String bitcoindSource(final java.net.URI nodeUrl, final int pollIntervalMs, final boolean longpoll)
    {
        return """
            [template]
            sources = ["bitcoind"]
            network = "mainnet"
            [template.bitcoind]
            rpc_url = "%s"
            rpc_user = "pool"
            rpc_password = "hunter2"
            poll_interval_ms = %d
            longpoll = %b
            """.formatted(nodeUrl, pollIntervalMs, longpoll);
    }

    /** {@code [jds]} on {@code listen}, reading the mempool every so often, then {@code extra}; then the API off. */
    static String jdsWithoutApi(final String listen, final int mempoolPollMs, final String extra)
    {
        return """
            [jds]
            listen_addr = "%s"
            mempool_poll_ms = %d
            %s
            [api]
            enabled = false
            """.formatted(listen, mempoolPollMs, extra);
    }
}
