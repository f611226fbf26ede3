package org.bitcoincommons.sv2.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccount;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.engine.StratumV2Miner;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merged-mining account extension (0x4D4D) end to end, with the real miner and a pool merge-mining namecoin (a
 * fake node over JSON-RPC) and dogecoin (no node, so no work): over TCP the account travels on the connection, over
 * QUIC on a stream of its own. Each update holds one account per chain; namecoin's credit grows with the miner's
 * accepted shares and never passes them nor the pool's total; dogecoin's stays 0. A miner that does not ask gets
 * nothing pushed (the pool's subscriber count says so).
 */
class MergeMiningAccountExtensionTest
{
    @TempDir
    Path dir;

    private EngineConfig config(final FakeAuxPowNode nmc, final int deadPort) throws Exception
    {
        return EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            merge_mining_enabled = true
            secondary_chains = ["namecoin", "dogecoin"]
            transport_preference = "both"
            quic_listen_addr = "127.0.0.1:0"
            quic_tls_key_path = "%s"
            quic_tls_cert_path = "%s"
            [[merge.chains]]
            name = "namecoin"
            kind = "auxpow"
            chain_id = 1
            rpc_url = "%s"
            payout_address = "payout-namecoin"
            poll_interval_ms = 200
            [[merge.chains]]
            name = "dogecoin"
            kind = "auxpow"
            chain_id = 98
            rpc_url = "http://127.0.0.1:%d/"
            payout_address = "payout-dogecoin"
            poll_interval_ms = 200
            [pool]
            journal_dir = "%s"
            shares_per_minute = 600
            [api]
            enabled = false
            """.formatted(slash(dir.resolve("tls/key.pem")),
            slash(dir.resolve("tls/cert.pem")), nmc.url(), deadPort, slash(dir.resolve("journal"))), dir);
    }

    private static String slash(final Path p)
    {
        return p.toString().replace("\\", "/");
    }

    @Test
    @Timeout(120)
    void theMinersOwnAccountPerChainIsPushedOverTcpAndOverQuic() throws Exception
    {
        final int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            deadPort = s.getLocalPort();
        }
        try (FakeAuxPowNode nmc = new FakeAuxPowNode(1, Target.toCompact(Target.fromDifficulty(1e6)));
             PoolServer pool = new PoolServer(config(nmc, deadPort), MergeMiningCoordinator.FACTORY))
        {
            pool.start();
            final String key = pool.authorityPublicKey();
            final Map<String, Integer> index = Map.of("namecoin", chainIndex(pool, "namecoin"),
                "dogecoin", chainIndex(pool, "dogecoin"));
            for (final String url : List.of("tcp://127.0.0.1:" + pool.sv2Address().getPort(),
                "quic://127.0.0.1:" + pool.quicAddress().getPort()))
            {
                final ConcurrentLinkedQueue<MergeMiningAccount> got = new ConcurrentLinkedQueue<>();
                try (StratumV2Miner miner = StratumV2Miner.builder(url).authorityKey(key).user("mm.account").threads(1)
                    .build().mergeMiningAccount(1000, got::add);
                     StratumV2Miner quiet = StratumV2Miner.builder(url).authorityKey(key).user("mm.quiet").threads(1)
                         .build())
                {
                    assertTrue(miner.connect(), url);
                    assertTrue(quiet.connect(), url);
                    miner.startMining();
                    quiet.startMining();
                    assertTrue(await(60_000, () -> latest(got, "namecoin") != null
                        && latest(got, "namecoin").sharesCredited() >= 3), () -> url + ": " + got);
                    final MergeMiningAccount nmcAccount = latest(got, "namecoin");
                    assertEquals((int)index.get("namecoin"), nmcAccount.chainIndex(), url);
                    assertTrue(nmcAccount.workCreditedHashes().signum() > 0, nmcAccount.toString());
                    assertTrue(nmcAccount.sharesCredited() <= miner.sharesAccepted(), url + ": " + nmcAccount + " vs "
                        + miner.sharesAccepted() + " accepted");
                    // the pool's total includes the other miner's shares: never below this miner's own
                    assertTrue(nmcAccount.poolShares() >= nmcAccount.sharesCredited(), nmcAccount.toString());
                    assertTrue(nmcAccount.poolWorkHashes().compareTo(nmcAccount.workCreditedHashes()) >= 0, nmcAccount.toString());
                    assertTrue(nmcAccount.rewardAttributed() <= nmcAccount.poolRewards(), nmcAccount.toString());
                    // every update carries both chains under one sequence (one message per chain: the second may
                    // still be on its way); the chain without work is credited nothing
                    assertTrue(await(10_000, () -> got.stream().anyMatch(a -> a.chainName().equals("dogecoin")
                        && a.updateSequence() == nmcAccount.updateSequence())), got::toString);
                    final MergeMiningAccount doge = got.stream().filter(a -> a.chainName().equals("dogecoin")
                        && a.updateSequence() == nmcAccount.updateSequence()).findFirst().orElseThrow();
                    assertEquals((int)index.get("dogecoin"), doge.chainIndex(), url);
                    assertEquals(0, doge.sharesCredited(), doge.toString());
                    assertEquals(0, doge.workCreditedHashes().signum(), doge.toString());
                    // updates come in order, about once a second, and only to the miner that asked
                    assertTrue(nmcAccount.updateSequence() >= 1, nmcAccount.toString());
                    assertEquals(1, pool.mergeMiningAccountSubscribers(), url);
                }
                assertTrue(await(10_000, () -> pool.mergeMiningAccountSubscribers() == 0),
                    "a closed connection's subscription ends");
            }
        }
    }

    private static int chainIndex(final PoolServer pool, final String name)
    {
        return pool.mergeMiningChains().entrySet().stream().filter(e -> e.getValue().equals(name))
            .mapToInt(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static MergeMiningAccount latest(final ConcurrentLinkedQueue<MergeMiningAccount> got, final String chain)
    {
        MergeMiningAccount last = null;
        for (final MergeMiningAccount a : got)
        {
            if (a.chainName().equals(chain))
            {
                last = a;
            }
        }
        return last;
    }

    private static boolean await(final long timeoutMs, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
