package org.bitcoincommons.sv2.jd;

import static org.bitcoincommons.sv2.jd.JobDeclarationClientTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.engine.JobDeclarationClient;
import org.bitcoincommons.sv2.engine.StratumV2Miner;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.template.FakeBitcoind;
import org.bitcoincommons.sv2.work.WorkLayerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Job Declaration client with several upstreams ({@code [[jdc.upstreams]]}): two of our pools, each with its own
 * JDS and its own authority key, on loopback over real Noise, one fake bitcoind behind both pools and the client (one
 * Bitcoin network). The client moves to the next upstream when the current one fails, declares there, and the farm's
 * shares are accepted by the second pool (checked on the pool's own counters and accounting); an upstream whose
 * authority key does not match, in either handshake, is refused and the next one used.
 */
@Timeout(120)
class JobDeclarationFailoverTest
{
    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private FakeBitcoind node;

    @AfterEach
    void tearDown() throws Exception
    {
        for (final AutoCloseable c : closing.reversed())
        {
            c.close();
        }
    }

    /** A pool with its JDS; keys are generated per pool, so no two pools share an authority key. */
    private PoolServer startPool(final String name) throws Exception
    {
        final EngineConfig config = EngineConfig.parse(JdPoolConfig.pool(dir.resolve(name + "-journal"), "")
            + JdPoolConfig.bitcoindSource(node.url(), 200)
            + JdPoolConfig.jdsWithoutApi("127.0.0.1:" + JdPoolConfig.freePort(), 100, ""), dir);
        final PoolServer pool = new PoolServer(config, System::currentTimeMillis, WorkLayerFactory.NONE);
        pool.start();
        closing.add(pool::close);
        assertTrue(await(() -> pool.jds().mempool().refreshes() > 0), name + "'s JDS read the node's mempool");
        return pool;
    }

    private void startNode() throws Exception
    {
        node = new FakeBitcoind(JobDeclarationEndToEndTest.bits(JobDeclarationClientTest.NETWORK_DIFFICULTY), false);
        node.requireBasic("pool", "hunter2");
        closing.add(node);
    }

    /** One {@code [[jdc.upstreams]]} table. */
    private static String upstream(final PoolServer pool, final PoolServer jds, final String key, final String extra)
    {
        return """
            [[jdc.upstreams]]
            upstream_addr = "127.0.0.1:%d"
            jds_addr = "127.0.0.1:%d"
            authority_public_key = "%s"
            %s
            """.formatted(pool.sv2Address().getPort(), jds.jds().localAddress().getPort(), key, extra);
    }

    private String jdcToml(final String upstreams)
    {
        return jdcToml(upstreams, "", 200);
    }

    /** @param retryMinMs the first retry delay (the maximum is four times it) */
    private String jdcToml(final String upstreams, final String extra, final long retryMinMs)
    {
        return JdPoolConfig.farm(dir.resolve("jdc-journal")) + JdPoolConfig.bitcoindSource(node.url(), 200) + """
            [api]
            enabled = false
            [jdc]
            user_identity = "farm.jdc"
            nominal_hashrate = 1000.0
            response_timeout_ms = 5000
            retry_min_ms = %d
            retry_max_ms = %d
            %s
            %s
            """.formatted(retryMinMs, 4 * retryMinMs, extra, upstreams);
    }

    private JobDeclarationClient startJdc(final String upstreams) throws Exception
    {
        return startJdc(upstreams, "", 200);
    }

    private JobDeclarationClient startJdc(final String upstreams, final String extra, final long retryMinMs)
        throws Exception
    {
        final JobDeclarationClient jdc = JobDeclarationClient.builder(EngineConfig.parse(jdcToml(upstreams, extra,
            retryMinMs), dir)).start();
        closing.add(jdc);
        return jdc;
    }

    private StratumV2Miner miner(final JobDeclarationClient jdc) throws Exception
    {
        return JdPoolConfig.farmMiner(jdc, closing);
    }

    private static long poolShares(final PoolServer pool)
    {
        return ((Number)pool.accounting().get("shares_accepted")).longValue();
    }

    @Test
    void movesToTheNextUpstreamWhenTheFirstStopsAndTheSecondPoolTakesTheShares() throws Exception
    {
        startNode();
        final PoolServer one = startPool("one");
        final PoolServer two = startPool("two");
        assertNotEquals(one.authorityPublicKey(), two.authorityPublicKey());
        final JobDeclarationClient jdc = startJdc(upstream(one, one, one.authorityPublicKey(), "") +
            upstream(two, two, two.authorityPublicKey(), "user_identity = \"farm.second\""));
        assertTrue(await(() -> jdc.client().customJobs() >= 1 && one.customJobsAccepted() >= 1),
            () -> "a custom job on the first pool: " + jdc.status());
        assertEquals(0, jdc.client().upstreamIndex());
        final StratumV2Miner miner = miner(jdc);
        assertTrue(await(() -> jdc.client().sharesAcceptedUpstream() >= 3 && poolShares(one) >= 3),
            () -> "the farm's shares accepted by the first pool: " + jdc.status() + "; " + one.accounting());
        assertEquals(0, two.customJobsAccepted());
        assertEquals(0L, two.jds().jobsDeclared.sum());
        assertEquals(0L, poolShares(two));

        one.close();   // the first upstream's pool and its JDS stop
        assertTrue(await(() -> jdc.client().upstreamIndex() == 1 && "declaring".equals(jdc.mode()) &&
            two.customJobsAccepted() >= 1), () -> "declaring to the second upstream: " + jdc.status());
        assertTrue(two.jds().jobsDeclared.sum() >= 1, "the second upstream's JDS took the declaration");
        assertEquals(1, jdc.client().upstreamSwitches());
        assertEquals(1, jdc.status().get("upstream_index"));
        assertEquals("127.0.0.1:" + two.sv2Address().getPort(), jdc.status().get("upstream_addr"));
        assertEquals("127.0.0.1:" + two.jds().localAddress().getPort(), jdc.status().get("jds_addr"));
        assertTrue(await(() -> poolShares(two) >= 3), () -> "the farm's shares accepted by the second pool: " +
            jdc.status() + "; " + two.accounting());
        assertTrue(two.accounting().toString().contains("farm.second"), () -> "credited to the second upstream's "
            + "user: " + two.accounting());
        assertEquals(1, jdc.client().recoveries(), "declaring again after the fallback");

        two.close();   // both are gone: the client keeps trying them in turn, wrapping around, and mines solo
        assertTrue(await(() -> jdc.client().upstreamSwitches() >= 3 && "solo".equals(jdc.mode())),
            () -> "the list walked round: " + jdc.status());
        miner.stop();
    }

    /**
     * {@code fallback = "pool"}: the first upstream's JDS stops while its pool stays up; the farm mines that pool's own
     * jobs until the next attempt, which goes to the second upstream (the first pool's channel is closed then) and
     * declares there.
     */
    @Test
    void inThePoolFallbackTheFarmMinesTheFailedUpstreamsPoolThenDeclaresToTheNext() throws Exception
    {
        startNode();
        final PoolServer one = startPool("one");
        final PoolServer two = startPool("two");
        final JobDeclarationClient jdc = startJdc(upstream(one, one, one.authorityPublicKey(), "") +
            upstream(two, two, two.authorityPublicKey(), ""), "fallback = \"pool\"\n", 5000);
        assertTrue(await(() -> jdc.client().customJobs() >= 1 && one.customJobsAccepted() >= 1),
            () -> "a custom job on the first pool: " + jdc.status());
        final StratumV2Miner miner = miner(jdc);
        one.jds().close();
        assertTrue(await(() -> "pool".equals(jdc.mode()) && jdc.client().upstreamIndex() == 0),
            () -> "the first pool's own jobs: " + jdc.status());
        final long acceptedBefore = jdc.client().sharesAcceptedUpstream();
        // the 5 s backoff before the next upstream is tried: the first pool takes shares on its own jobs meanwhile
        assertTrue(await(() -> jdc.client().poolSharesForwarded() >= 1 &&
            jdc.client().sharesAcceptedUpstream() > acceptedBefore && jdc.client().upstreamIndex() == 0),
            () -> "shares on the first pool's jobs: " + jdc.status());
        assertTrue(await(() -> jdc.client().upstreamIndex() == 1 && "declaring".equals(jdc.mode()) &&
            two.customJobsAccepted() >= 1), () -> "declaring to the second upstream: " + jdc.status());
        assertTrue(jdc.client().poolJobsMined() >= 1, () -> "the first pool's jobs were given to the farm: " +
            jdc.status());
        assertEquals(1, jdc.client().upstreamSwitches());
        assertTrue(await(() -> poolShares(two) >= 2), () -> "shares accepted by the second pool: " + jdc.status());
        assertTrue(await(() -> one.status().channels() == 0), () -> "the first pool's channel was closed: " +
            one.status());
        miner.stop();
    }

    @Test
    void anUpstreamWhoseAuthorityKeyDoesNotMatchInEitherHandshakeIsRefusedAndTheNextOneUsed() throws Exception
    {
        startNode();
        final PoolServer one = startPool("one");
        final PoolServer two = startPool("two");
        final String stranger = AuthorityKeys.encodePublic(AuthorityKeys.publicOf(
            AuthorityKeys.generateSecret(new SecureRandom())));
        // #0: the first pool under a key that signed neither of its certificates: its pool handshake fails;
        // #1: the first pool's mining endpoint with its key (that handshake passes) but the second pool's JDS, which
        //     the first pool's key did not sign: the JDS handshake fails;
        // #2: the second pool as it is
        final JobDeclarationClient jdc = startJdc(upstream(one, one, stranger, "") +
            upstream(one, two, one.authorityPublicKey(), "") + upstream(two, two, two.authorityPublicKey(), ""));
        assertTrue(await(() -> jdc.client().upstreamIndex() == 2 && jdc.client().customJobs() >= 1 &&
            two.customJobsAccepted() >= 1), () -> "declaring to the third upstream: " + jdc.status());
        assertEquals(2, jdc.client().upstreamSwitches());
        final String lastError = String.valueOf(jdc.status().get("last_error"));
        assertTrue(lastError.startsWith("jds 127.0.0.1:" + two.jds().localAddress().getPort() + ": ") &&
            lastError.contains("CERT_BAD_SIGNATURE"), lastError);
        assertEquals(0, one.customJobsAccepted());
        assertEquals(0L, one.jds().tokensAllocated.sum());
        final StratumV2Miner miner = miner(jdc);
        assertTrue(await(() -> poolShares(two) >= 2), () -> "shares accepted by the second pool: " + jdc.status());
        miner.stop();
    }

    @Test
    void aBadAuthorityKeyInATableIsNamedWithItsIndex() throws Exception
    {
        startNode();
        final PoolServer one = startPool("one");
        final EngineConfig bad = EngineConfig.parse(jdcToml(upstream(one, one, one.authorityPublicKey(), "") +
            upstream(one, one, "x" + one.authorityPublicKey(), "")), dir);
        final String message = assertThrows(ConfigException.class, () -> JobDeclarationClient.builder(bad).start())
            .getMessage();
        assertTrue(message.startsWith("jdc.upstreams[1].authority_public_key: not an authority public key"), message);
    }
}
