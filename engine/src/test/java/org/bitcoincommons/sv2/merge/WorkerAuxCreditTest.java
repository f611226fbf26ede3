package org.bitcoincommons.sv2.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.api.ApiServer;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aux_credit} in /api/workers and /api/workers/NAME: a worker mining while one aux chain (namecoin, a fake node)
 * has work and another (dogecoin, whose node is not there) has none is credited with shares on namecoin and none on
 * dogecoin, and its namecoin credit never exceeds its own accepted shares (a share credits a chain only when its job
 * committed to that chain's work, as the journal's accounting credits it).
 */
class WorkerAuxCreditTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void aWorkerIsCreditedOnTheAuxChainsItsSharesCommittedTo() throws Exception
    {
        final int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            deadPort = s.getLocalPort();
        }
        try (FakeAuxPowNode nmc = new FakeAuxPowNode(1, Target.toCompact(Target.fromDifficulty(1e6))))
        {
            final EngineConfig config = EngineConfig.parse("""
                [stratum_v2]
                listen_addr = "127.0.0.1:0"
                merge_mining_enabled = true
                secondary_chains = ["namecoin", "dogecoin"]
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
                """.formatted(nmc.url(), deadPort, dir.resolve("journal").toString().replace("\\", "/")), dir);
            try (PoolServer pool = new PoolServer(config, MergeMiningCoordinator.FACTORY))
            {
                pool.start();
                try (ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), pool);
                     MinerClient miner = new MinerClient(new MinerConfig(pool.sv2Address(),
                         AuthorityKeys.decodePublic(pool.authorityPublicKey()), "aux.worker", 1, false, 0, "auto", 100,
                         1000, 2000)))
                {
                    api.start();
                    miner.start();
                    assertTrue(await(60_000, () -> namecoinShares(pool) >= 3), () -> rows(pool).toString());
                    final Map<String, Object> row = rows(pool).getFirst();
                    @SuppressWarnings("unchecked")
                    final Map<String, Map<String, Object>> credit = (Map<String, Map<String, Object>>)row.get("aux_credit");
                    assertEquals(List.of("namecoin", "dogecoin"), List.copyOf(credit.keySet()), row.toString());
                    assertEquals(0L, credit.get("dogecoin").get("shares"), "no work from the dead node: " + row);
                    assertEquals(0.0, credit.get("dogecoin").get("share_difficulty_sum"), row.toString());
                    assertTrue((Long)credit.get("namecoin").get("shares") <= (Long)row.get("shares_accepted"),
                        row.toString());
                    assertTrue((Double)credit.get("namecoin").get("share_difficulty_sum") > 0, row.toString());

                    final HttpClient http = HttpClient.newHttpClient();
                    final URI base = URI.create("http://127.0.0.1:" + api.address().getPort());
                    final JsonNode all = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/workers"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
                    final JsonNode listed = all.get("workers").get(0).get("aux_credit");
                    assertTrue(listed.get("namecoin").get("shares").asLong() >= 3, all.toString());
                    assertEquals(0, listed.get("dogecoin").get("shares").asLong(), all.toString());
                    final JsonNode one = JSON.readTree(http.send(HttpRequest.newBuilder(
                        base.resolve("/api/workers/aux.worker")).GET().build(), HttpResponse.BodyHandlers.ofString())
                        .body());
                    final JsonNode mine = one.get("channels").get(0).get("aux_credit");
                    assertTrue(mine.get("namecoin").get("share_difficulty_sum").asDouble() > 0, one.toString());
                    assertEquals(0, mine.get("dogecoin").get("shares").asLong(), one.toString());
                }
            }
        }
    }

    private static List<Map<String, Object>> rows(final PoolServer pool)
    {
        try
        {
            return pool.workers();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static long namecoinShares(final PoolServer pool)
    {
        final List<Map<String, Object>> r = rows(pool);
        if (r.isEmpty())
        {
            return 0;
        }
        final Object credit = ((Map<String, Object>)r.getFirst().get("aux_credit")).get("namecoin");
        return credit == null ? 0 : (Long)((Map<String, Object>)credit).get("shares");
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
