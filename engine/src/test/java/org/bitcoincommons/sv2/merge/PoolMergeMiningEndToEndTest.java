package org.bitcoincommons.sv2.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product at once: a pool configured from TOML merge-mines a Namecoin-style chain and RSK (fake nodes
 * speaking JSON-RPC over loopback HTTP) while a real miner mines over Noise; the same proofs of work land on the
 * embedded Bitcoin chain and on both aux chains, and the journal replays to the pool's per-chain totals.
 */
class PoolMergeMiningEndToEndTest
{
    /** What the fake nodes pay per block: Namecoin's coinbasevalue (sats), RSK's feesPaidToMiner (wei). */
    static final long NMC_REWARD = 50_0000_0000L;
    static final long RSK_REWARD = 1_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void oneMinerEarnsOnBitcoinNamecoinAndRsk() throws Exception
    {
        final int btcBits = Target.toCompact(Target.fromDifficulty(0.002));
        try (FakeAuxPowNode nmc = new FakeAuxPowNode(1, Target.toCompact(Target.fromDifficulty(0.0005)));
             FakeRskNode rsk = new FakeRskNode(Target.fromDifficulty(0.0005)))
        {
            final EngineConfig config = EngineConfig.parse("""
                [stratum_v2]
                listen_addr = "127.0.0.1:0"
                merge_mining_enabled = true
                secondary_chains = ["namecoin", "rsk"]
                [stratum_v2.merge_mining_fee]
                enabled = true
                fee_percentage = 1
                contributor_id = "e2e"
                [[merge.chains]]
                name = "namecoin"
                kind = "auxpow"
                chain_id = 1
                rpc_url = "%s"
                payout_address = "payout-namecoin"
                poll_interval_ms = 200
                [[merge.chains]]
                name = "rsk"
                kind = "rsk"
                rpc_url = "%s"
                poll_interval_ms = 200
                [pool]
                journal_dir = "%s"
                shares_per_minute = 600
                [template]
                embedded_bits = "%08x"
                [api]
                enabled = false
                """.formatted(nmc.url(), rsk.url(), dir.resolve("journal").toString().replace("\\", "/"), btcBits), dir);
            final Map<String, Object> live;
            try (PoolServer pool = new PoolServer(config, MergeMiningCoordinator.FACTORY))
            {
                pool.start();
                try (MinerClient miner = new MinerClient(new MinerConfig(pool.sv2Address(),
                    AuthorityKeys.decodePublic(pool.authorityPublicKey()), "merge.miner", 1, false, 0, "auto", 100, 1000,
                    2000)))
                {
                    miner.start();
                    assertTrue(await(60_000, () -> nmc.acceptedBlocks().size() >= 2 && rsk.acceptedBlocks().size() >= 2 &&
                        pool.metrics().blocksAccepted.sum() >= 1),
                        () -> "namecoin " + nmc.acceptedBlocks().size() + " " + nmc.rejectionReasons() + ", rsk " +
                            rsk.acceptedBlocks().size() + " " + rsk.rejectionReasons() + ", bitcoin " +
                            pool.metrics().blocksAccepted.sum());
                }
                // every submission has its outcome, then the accounting snapshot (taken once a second) catches up
                final MergeMiningCoordinator merge = (MergeMiningCoordinator)pool.merge();
                assertTrue(await(30_000, () -> merge.channels().stream().allMatch(c -> c.inFlight() == 0)));
                final long outcomes = merge.metrics().accepted.sum() + merge.metrics().rejected.sum()
                    + merge.metrics().unknown.sum();
                pool.close();   // drains the ring into the journal and publishes the final totals
                live = pool.accounting();
                assertEquals(outcomes, auxOutcomes(live));
            }
            final AccountingState replayed = new AccountingState();
            try (Journal j = Journal.openExisting(dir.resolve("journal")); JournalReader r = j.reader())
            {
                r.readAll(replayed);
            }
            final Map<String, Object> totals = replayed.toMap();
            assertEquals(live.get("shares_accepted"), totals.get("shares_accepted"));
            @SuppressWarnings("unchecked")
            final Map<String, Map<String, Object>> chains = (Map<String, Map<String, Object>>)totals.get("chains");
            assertTrue((Long)chains.get("namecoin").get("aux_accepted") >= 2, chains.toString());
            assertTrue((Long)chains.get("rsk").get("aux_accepted") >= 2, chains.toString());
            assertTrue((Long)chains.get("bitcoin").get("rewards") > 0, chains.toString());
            for (final Map<String, Object> c : chains.values())
            {
                assertEquals(0L, c.get("unallocated"), "reward = fee + the four buckets, on every chain: " + chains);
                assertEquals((Long)c.get("aux_submitted"), (Long)c.get("aux_accepted") + (Long)c.get("aux_rejected")
                    + (Long)c.get("aux_unknown"), "every submission has one outcome: " + chains);
            }
            // each aux block the nodes took is rewarded once, and only those (issue 12: repeats were rewarded again)
            final String counts = "namecoin: rewarded " + (Long)chains.get("namecoin").get("rewards") / NMC_REWARD
                + " of aux_accepted " + chains.get("namecoin").get("aux_accepted") + ", node accepted "
                + nmc.acceptedBlocks().size() + " (repeats reaching it " + nmc.repeats() + "); rsk: rewarded "
                + (Long)chains.get("rsk").get("rewards") / RSK_REWARD + " of aux_accepted "
                + chains.get("rsk").get("aux_accepted") + ", node accepted " + rsk.acceptedBlocks().size()
                + " (other imports " + rsk.otherImports() + ")";
            System.out.println("issue 12 end to end: " + counts);
            assertEquals(nmc.acceptedBlocks().size() * NMC_REWARD, (Long)chains.get("namecoin").get("rewards"), counts);
            assertEquals(rsk.acceptedBlocks().size() * RSK_REWARD, (Long)chains.get("rsk").get("rewards"), counts);
            assertEquals(0, nmc.repeats(), counts);
            assertEquals(List.of(), rsk.otherImports(), counts);
            // Every share credited to bitcoin is credited to the aux chains its job committed to: never more.
            assertTrue((Long)chains.get("namecoin").get("shares") <= (Long)chains.get("bitcoin").get("shares"));
            assertTrue((Long)totals.get("fees_total") > 0);
            assertTrue(BigInteger.valueOf((Long)chains.get("bitcoin").get("rewards")).signum() > 0);
        }
    }

    @SuppressWarnings("unchecked")
    private static long auxOutcomes(final Map<String, Object> accounting)
    {
        long n = 0;
        for (final Object c : ((Map<String, Object>)accounting.get("chains")).values())
        {
            final Map<String, Object> m = (Map<String, Object>)c;
            n += (Long)m.get("aux_accepted") + (Long)m.get("aux_rejected") + (Long)m.get("aux_unknown");
        }
        return n;
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
