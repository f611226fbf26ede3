package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.bitcoincommons.sv2.template.tdp.Sv2TpSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pools over SV2 Template Distribution on loopback: pool A serves its embedded chain as a Template Provider
 * ({@code [template_provider] listen_addr}); pool B takes its templates from A ({@code [template] source = "sv2-tp"}),
 * and a real miner on B finds blocks that B submits to A with SubmitSolution and A's chain accepts after its full
 * checks. Then A goes away: B's source fails, and B keeps accepting shares on the last valid work.
 */
class TemplateDistributionEndToEndTest
{
    @TempDir
    Path dir;

    private static String bits(final double difficulty)
    {
        return String.format("%08x", Target.toCompact(Target.fromDifficulty(difficulty)));
    }

    @Test
    @Timeout(90)
    void aPoolFedByTheTemplateProviderMinesBlocksIntoTheEmbeddedChain() throws Exception
    {
        final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
        final String pub = AuthorityKeys.encodePublic(AuthorityKeys.publicOf(secret));
        final PoolServer a = new PoolServer(EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            [stratum_v2.noise]
            authority_public_key = "%s"
            authority_secret_key = "%s"
            [pool]
            journal_dir = "%s"
            [template]
            source = "embedded"
            embedded_bits = "%s"
            [template_provider]
            listen_addr = "127.0.0.1:0"
            [api]
            enabled = false
            """.formatted(pub, AuthorityKeys.encodeSecret(secret), dir.resolve("a").toString().replace("\\", "/"),
            bits(0.0005)), dir), MergeMiningCoordinator.FACTORY);
        PoolServer b = null;
        try
        {
            a.start();
            final InetSocketAddress tp = a.templateProviderAddress();
            b = new PoolServer(EngineConfig.parse("""
                [stratum_v2]
                listen_addr = "127.0.0.1:0"
                handshake_timeout_ms = 2000
                [pool]
                journal_dir = "%s"
                shares_per_minute = 600
                [template]
                source = "sv2-tp"
                [template.sv2_tp]
                address = "127.0.0.1:%d"
                authority_public_key = "%s"
                [api]
                enabled = false
                """.formatted(dir.resolve("b").toString().replace("\\", "/"), tp.getPort(), pub), dir),
                MergeMiningCoordinator.FACTORY);
            b.start();
            final PoolServer pool = b;
            final Sv2TpSource source = (Sv2TpSource)pool.templateSources().sources().get(0);
            assertNull(pool.chain(), "pool B has no chain of its own");
            assertTrue(PoolHarness.await(20_000, source::healthy), () -> "source " + source.state());

            final MinerClient miner = new MinerClient(new MinerConfig(pool.sv2Address(),
                AuthorityKeys.decodePublic(pool.authorityPublicKey()), "carol.tdp", 1, true, 0, "auto", 100, 1000, 2000));
            miner.start();
            try
            {
                assertTrue(PoolHarness.await(60_000, () -> a.chain().accepted() >= 2 &&
                    pool.metrics().blocksAccepted.sum() >= 2 && miner.stats().sharesAccepted.sum() >= 5),
                    () -> "chain accepted " + a.chain().accepted() + ", pool B accepted " +
                        pool.metrics().blocksAccepted.sum() + " rejected " + pool.metrics().blocksRejected.sum() +
                        ", shares " + miner.stats().sharesAccepted.sum() + ", source " + source.state());
                // A block found before the miner switches to the new tip is stale; nothing else may be rejected.
                final Map<String, Long> reasons = a.chain().rejectReasons();
                reasons.remove("stale-prevblk");
                reasons.remove("duplicate");
                assertEquals(Map.of(), reasons, "every block B assembled passed the chain's checks");
                assertTrue(PoolHarness.await(10_000, () -> source.tipHeight() == a.chain().tipHeight()));

                // The provider goes away: B's source fails, B keeps serving its last valid work.
                a.close();
                assertTrue(PoolHarness.await(10_000, () -> !source.healthy()), () -> "source " + source.state());
                assertEquals(Sv2TpSource.State.FAILED, source.phase());
                final long shares = miner.stats().sharesAccepted.sum();
                assertTrue(PoolHarness.await(30_000, () -> miner.stats().sharesAccepted.sum() >= shares + 3),
                    "shares are still accepted on the last template");
                assertFalse(source.healthy());
            }
            finally
            {
                miner.close();
            }
        }
        finally
        {
            if (b != null)
            {
                b.close();
            }
            a.close();
        }
    }

    private PoolServer provider(final byte[] secret, final String listen, final String journal) throws Exception
    {
        final String pub = AuthorityKeys.encodePublic(AuthorityKeys.publicOf(secret));
        return new PoolServer(EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            [stratum_v2.noise]
            authority_public_key = "%s"
            authority_secret_key = "%s"
            [pool]
            journal_dir = "%s"
            [template]
            sources = ["embedded"]
            embedded_bits = "%s"
            [template_provider]
            listen_addr = "%s"
            [api]
            enabled = false
            """.formatted(pub, AuthorityKeys.encodeSecret(secret), dir.resolve(journal).toString().replace("\\", "/"),
            bits(0.0005), listen), dir), MergeMiningCoordinator.FACTORY);
    }

    /**
     * Failover between sources: pool B lists ["sv2-tp", "embedded"]. While A's Template Provider serves, B mines on it;
     * when A goes away B moves to its embedded chain and its miner keeps getting shares accepted; when A is back on
     * the same address with the same authority, B switches back to it. Every share the miner had acknowledged is in
     * B's journal at the end.
     */
    @Test
    @Timeout(120)
    void thePoolFailsOverFromTheTemplateProviderToTheNextSourceAndBack() throws Exception
    {
        final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
        final String pub = AuthorityKeys.encodePublic(AuthorityKeys.publicOf(secret));
        PoolServer a = provider(secret, "127.0.0.1:0", "a1");
        a.start();
        final InetSocketAddress tp = a.templateProviderAddress();
        final PoolServer b = new PoolServer(EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            handshake_timeout_ms = 2000
            [pool]
            journal_dir = "%s"
            shares_per_minute = 600
            [template]
            sources = ["sv2-tp", "embedded"]
            embedded_bits = "%s"
            [template.sv2_tp]
            address = "127.0.0.1:%d"
            authority_public_key = "%s"
            [api]
            enabled = false
            """.formatted(dir.resolve("b").toString().replace("\\", "/"), bits(0.0005), tp.getPort(), pub), dir),
            MergeMiningCoordinator.FACTORY);
        MinerClient miner = null;
        try
        {
            b.start();
            assertTrue(PoolHarness.await(20_000, () -> "sv2-tp".equals(b.templateSources().activeName())),
                () -> "active " + b.templateSources().activeName() + ", " + b.templateSources().states());
            miner = new MinerClient(new MinerConfig(b.sv2Address(),
                AuthorityKeys.decodePublic(b.authorityPublicKey()), "dave.failover", 1, true, 0, "auto", 100, 1000, 2000));
            miner.start();
            final MinerClient m = miner;
            assertTrue(PoolHarness.await(30_000, () -> m.stats().sharesAccepted.sum() >= 3));

            a.close();
            assertTrue(PoolHarness.await(20_000, () -> "embedded".equals(b.templateSources().activeName())),
                () -> "active " + b.templateSources().activeName() + ", " + b.templateSources().states());
            final long before = m.stats().sharesAccepted.sum();
            assertTrue(PoolHarness.await(30_000, () -> m.stats().sharesAccepted.sum() >= before + 3),
                "shares are accepted on the next source");

            a = provider(secret, "127.0.0.1:" + tp.getPort(), "a2");
            a.start();
            assertTrue(PoolHarness.await(30_000, () -> "sv2-tp".equals(b.templateSources().activeName())),
                () -> "active " + b.templateSources().activeName() + ", " + b.templateSources().states());
            final long back = m.stats().sharesAccepted.sum();
            assertTrue(PoolHarness.await(30_000, () -> m.stats().sharesAccepted.sum() >= back + 3),
                "shares are accepted after switching back");
            assertTrue(b.templateSources().switches() >= 2, "switched away and back");
        }
        finally
        {
            if (miner != null)
            {
                miner.close();
            }
            b.close();
            a.close();
        }
        final long acknowledged = miner.stats().sharesAccepted.sum();
        final Object journaled = b.accounting().get("shares_accepted");
        assertTrue(((Number)journaled).longValue() >= acknowledged,
            "journal " + journaled + " >= acknowledged " + acknowledged);
    }
}
