package org.bitcoincommons.sv2.merge;

import org.bitcoincommons.sv2.revenue.MergeAccounting;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Network;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.work.JobFactory;
import org.bitcoincommons.sv2.template.Template;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration path the pool uses, and the decoration with no aux work. */
class CoordinatorFactoryTest
{
    @TempDir
    Path dir;

    private static final class Recording implements MergeAccounting
    {
        final List<String> events = new ArrayList<>();

        @Override
        public void chain(final int chainIndex, final String name)
        {
            events.add("chain " + chainIndex + " " + name);
        }

        @Override
        public void auxSubmitted(final int chainIndex, final byte[] hash)
        {
            events.add("submitted " + chainIndex);
        }

        @Override
        public void auxAccepted(final int chainIndex, final byte[] hash)
        {
            events.add("accepted " + chainIndex);
        }

        @Override
        public void auxRejected(final int chainIndex, final byte[] hash, final String reason)
        {
            events.add("rejected " + chainIndex);
        }

        @Override
        public void auxUnknown(final int chainIndex, final byte[] hash, final String reason)
        {
            events.add("unknown " + chainIndex);
        }

        @Override
        public void reward(final int chainIndex, final long amount, final byte[] hash)
        {
            events.add("reward " + chainIndex + " " + amount);
        }

        @Override
        public void fee(final int chainIndex, final long amount, final String contributorId)
        {
            events.add("fee " + chainIndex + " " + amount + " " + contributorId);
        }

        @Override
        public void distribution(final int chainIndex, final long core, final long grants, final long audits,
            final long operations)
        {
            events.add("distribution " + chainIndex + " " + core + " " + grants + " " + audits + " " + operations);
        }
    }

    private static Template template(final long value)
    {
        return new Template(1, 101, 0x20000000, new byte[32], 0x207fffff, 1_700_000_000, value, new byte[0], List.of(),
            null);
    }

    @Test
    void createFromConfigDecodesTheCommonsAddressAndNamesEnabledChains()
    {
        // the BIP173 example address (P2WPKH, witness program 751e76e8199196d454941c45d1b3a323f1433bd6)
        final EngineConfig config = EngineConfig.parse("""
            [stratum_v2]
            merge_mining_enabled = true
            secondary_chains = ["rsk"]
            [stratum_v2.merge_mining_fee]
            enabled = true
            fee_percentage = 3
            commons_address = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
            contributor_id = "commons"
            auto_distribute = true
            [[merge.chains]]
            name = "namecoin"
            kind = "auxpow"
            chain_id = 1
            rpc_url = "http://127.0.0.1:1/"
            payout_address = "N"
            [[merge.chains]]
            name = "rsk"
            kind = "rsk"
            rpc_url = "http://127.0.0.1:2/"
            """, dir);
        final Recording accounting = new Recording();
        try (MergeMiningCoordinator c = MergeMiningCoordinator.create(config, Network.MAINNET, accounting, () -> { }))
        {
            assertEquals(List.of("rsk"), c.channels().stream().map(MergeMiningChannel::name).toList());
            assertEquals(2, c.channels().get(0).channelId(), "journal index = position in [[merge.chains]] + 1");
            final JobFactory.Decoration d = c.decorate(template(1_000_000));
            assertEquals(1, d.outputs().size());
            assertEquals(30_000, d.outputs().get(0).valueSats());
            assertArrayEquals(Hex.decode("0014751e76e8199196d454941c45d1b3a323f1433bd6"), d.outputs().get(0).scriptPubKey());
            assertEquals(0, d.scriptSigCommitment().length);
            // the pool records a Bitcoin block through the recorder: reward, fee, distribution add up
            c.recorder().record(0, 1_000_000, new byte[32]);
            assertEquals(List.of("reward 0 1000000", "fee 0 30000 commons", "distribution 0 582000 242500 97000 48500"),
                accounting.events);
        }
        final EngineConfig bad = EngineConfig.parse("""
            [stratum_v2.merge_mining_fee]
            enabled = true
            commons_address = "not-an-address"
            auto_distribute = true
            """, dir);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> MergeMiningCoordinator.create(bad, Network.MAINNET, new Recording(), () -> { }));
        assertTrue(ex.getMessage().startsWith("stratum_v2.merge_mining_fee.commons_address"), ex.getMessage());
    }

    @Test
    void twoChainsWithOneChainIdAreRefusedNamingBoth()
    {
        final java.net.URI url = java.net.URI.create("http://127.0.0.1:1/");
        final List<org.bitcoincommons.sv2.config.AuxChainConfig> chains = List.of(
            new org.bitcoincommons.sv2.config.AuxChainConfig("a", org.bitcoincommons.sv2.config.AuxChainConfig.Kind.AUXPOW,
                5, url, "", "", null, 100, 100, "x", org.bitcoincommons.sv2.config.AuxChainConfig.RpcStyle.CREATEAUXBLOCK),
            new org.bitcoincommons.sv2.config.AuxChainConfig("b", org.bitcoincommons.sv2.config.AuxChainConfig.Kind.AUXPOW,
                5, url, "", "", null, 100, 100, "x", org.bitcoincommons.sv2.config.AuxChainConfig.RpcStyle.CREATEAUXBLOCK));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new MergeMiningCoordinator(
            chains, List.of("a", "b"), EngineConfig.defaults(dir).stratumV2().mergeMiningFee(), null, new Recording(),
            () -> { }));
        assertEquals("aux chains \"a\" and \"b\" share chain id 5: they cannot be in one aux merkle tree", ex.getMessage());
    }

    @Test
    void noChainsAndNoFeeDecoratesNothing()
    {
        try (MergeMiningCoordinator c = MergeMiningCoordinator.create(EngineConfig.defaults(dir), Network.REGTEST,
            new Recording(), () -> { }))
        {
            assertSame(JobFactory.Decoration.NONE, c.decorate(template(5000)));
            assertTrue(c.channels().isEmpty());
        }
    }
}
