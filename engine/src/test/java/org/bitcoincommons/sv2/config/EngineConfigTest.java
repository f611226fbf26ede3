package org.bitcoincommons.sv2.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineConfigTest
{
    @TempDir
    Path dir;

    @Test
    void exampleFileParsesToTheDocumentedDefaults()
    {
        final Path root = Path.of(System.getProperty("sv2.root.dir", ".."));
        final EngineConfig file = EngineConfig.load(root.resolve("etc/pool.example.toml"));
        final EngineConfig empty = EngineConfig.defaults(root.resolve("etc"));
        assertEquals(empty.pool(), file.pool());
        assertEquals(empty.template(), file.template());
        assertEquals(empty.api(), file.api());
        assertEquals(empty.stratumV2().listenAddr(), file.stratumV2().listenAddr());
        assertEquals(34254, file.stratumV2().listenAddr().getPort());
        assertEquals(6.0, file.pool().sharesPerMinute());
        assertEquals(root.resolve("etc/data/journal").toAbsolutePath().normalize(),
            file.pool().journalDir().toAbsolutePath().normalize());
        assertNull(file.stratumV2().sv1ListenAddr());
        assertFalse(file.stratumV2().noise().hasKeys());
    }

    @Test
    void readsEveryIssueKey()
    {
        final EngineConfig c = EngineConfig.parse("""
            [stratum_v2]
            enabled = true
            listen_addr = "[::1]:4444"
            transport_preference = "both"
            merge_mining_enabled = true
            secondary_chains = ["namecoin", "rsk"]
            [stratum_v2.noise]
            authority_public_key = "9bXiEd8boQVhq7WddEcERUL5tyyJVFYdU8th3HfbNXK3Yw6GRXh"
            authority_secret_key = "secret"
            cert_validity_sec = 600
            [stratum_v2.merge_mining_fee]
            enabled = true
            fee_percentage = 2
            commons_address = "bcrt1qexample"
            contributor_id = "alice"
            auto_distribute = true
            [pool]
            shares_per_minute = 12
            journal_dir = "/var/lib/sv2/journal"
            [template]
            source = "embedded"
            [api]
            listen_addr = "127.0.0.1:0"
            """, dir);
        assertEquals(4444, c.stratumV2().listenAddr().getPort());
        assertEquals(StratumV2Config.Transport.BOTH, c.stratumV2().transportPreference());
        assertEquals(List.of("namecoin", "rsk"), c.stratumV2().secondaryChains());
        assertEquals(600, c.stratumV2().noise().certValiditySec());
        assertTrue(c.stratumV2().mergeMiningFee().autoDistribute());
        assertEquals(2, c.stratumV2().mergeMiningFee().feePercentage());
        assertEquals(12.0, c.pool().sharesPerMinute());
        assertEquals(Path.of("/var/lib/sv2/journal"), c.pool().journalDir());
        assertEquals(0, c.api().listenAddr().getPort());
    }

    @Test
    void errorsNameTheKey()
    {
        assertMessage("pool.shares_per_minute: must be > 0.0", "[pool]\nshares_per_minute = -1");
        assertMessage("pool.shares_per_minute: must be a number", "[pool]\nshares_per_minute = \"six\"");
        assertMessage("stratum_v2.listen_addr: must be host:port", "[stratum_v2]\nlisten_addr = \"localhost\"");
        assertMessage("stratum_v2.listen_addr: port must be 0..65535", "[stratum_v2]\nlisten_addr = \"h:70000\"");
        assertMessage("stratum_v2.noise.authority_secret_key: is required",
            "[stratum_v2.noise]\nauthority_public_key = \"abc\"");
        assertMessage("stratum_v2.merge_mining_fee.fee_percentage: must be between 0 and 100",
            "[stratum_v2.merge_mining_fee]\nfee_percentage = 101");
        assertMessage("stratum_v2.merge_mining_fee.commons_address: is required",
            "[stratum_v2.merge_mining_fee]\nenabled = true\nauto_distribute = true");
        assertMessage("pool.ring_size: must be a power of two", "[pool]\nring_size = 1000");
        assertMessage("template.source: only \"embedded\" is available", "[template]\nsource = \"bitcoind\"");
        assertMessage("template.embedded_bits: not a valid compact target", "[template]\nembedded_bits = \"20800000\"");
        assertMessage("stratum_v2.transport_preference: must be", "[stratum_v2]\ntransport_preference = \"udp\"");
        assertMessage("unknown key pool.share_per_minute", "[pool]\nshare_per_minute = 6");
        assertMessage("unknown keys bogus, pool.x", "bogus = 1\n[pool]\nx = 2");
        assertMessage("stratum_v2: must be a table", "stratum_v2 = 5");
        assertMessage("line 2", "[pool]\nshares_per_minute = = 6");
    }

    @Test
    void loadNamesTheFile() throws Exception
    {
        final Path f = dir.resolve("bad.toml");
        Files.writeString(f, "[api]\nenabled = \"yes\"\n");
        final ConfigException ex = assertThrows(ConfigException.class, () -> EngineConfig.load(f));
        assertTrue(ex.getMessage().startsWith(f.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("api.enabled: must be true or false"), ex.getMessage());
        final ConfigException missing = assertThrows(ConfigException.class, () -> EngineConfig.load(dir.resolve("nope.toml")));
        assertTrue(missing.getMessage().contains("cannot read"), missing.getMessage());
    }

    private void assertMessage(final String expected, final String toml)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> EngineConfig.parse(toml, dir));
        assertTrue(ex.getMessage().contains(expected), () -> "expected <" + expected + "> in <" + ex.getMessage() + ">");
    }
}
