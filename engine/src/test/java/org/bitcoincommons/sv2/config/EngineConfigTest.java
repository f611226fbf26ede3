package org.bitcoincommons.sv2.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertEquals(empty.cluster(), file.cluster());
        assertEquals(empty.stratumV2().listenAddr(), file.stratumV2().listenAddr());
        assertEquals(34254, file.stratumV2().listenAddr().getPort());
        assertEquals(6.0, file.pool().sharesPerMinute());
        assertEquals(root.resolve("etc/data/journal").toAbsolutePath().normalize(),
            file.pool().journalDir().toAbsolutePath().normalize());
        assertFalse(file.stratumV2().noise().hasKeys());
    }

    @Test
    void readsEveryIssueKey()
    {
        final EngineConfig c = EngineConfig.parse("""
            [stratum_v2]
            enabled = true
            listen_addr = "[::1]:4444"
            transport_preference = "tcp"
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
            [[merge.chains]]
            name = "namecoin"
            kind = "auxpow"
            chain_id = 1
            rpc_url = "http://127.0.0.1:8336/"
            rpc_cookie_file = "nmc/.cookie"
            payout_address = "Nexample"
            poll_interval_ms = 250
            timeout_ms = 900
            down_after_failures = 5
            max_work_age_ms = 30000
            [[merge.chains]]
            name = "rsk"
            kind = "rsk"
            rpc_url = "http://127.0.0.1:4444/"
            rpc_user = "u"
            rpc_password = "p"
            [[merge.chains]]
            name = "dogecoin"
            kind = "auxpow"
            chain_id = 98
            rpc_url = "http://127.0.0.1:22555/"
            rpc_style = "getauxblock"
            """, dir);
        final AuxChainConfig nmc = c.merge().chains().get(0);
        assertEquals(AuxChainConfig.Kind.AUXPOW, nmc.kind());
        assertEquals(1, nmc.chainId());
        assertEquals(dir.resolve("nmc/.cookie"), nmc.rpcCookieFile());
        assertEquals(250, nmc.pollIntervalMs());
        assertEquals(900, nmc.timeoutMs());
        assertEquals("Nexample", nmc.payoutAddress());
        assertEquals(5, nmc.downAfterFailures());
        assertEquals(30_000, nmc.maxWorkAgeMs());
        assertEquals(3, c.merge().chains().get(1).downAfterFailures(), "default");
        assertEquals(60_000, c.merge().chains().get(1).maxWorkAgeMs(), "default");
        assertEquals(AuxChainConfig.RpcStyle.GETAUXBLOCK, c.merge().chains().get(2).rpcStyle());
        assertEquals(AuxChainConfig.Kind.RSK, c.merge().chains().get(1).kind());
        assertEquals("u", c.merge().chains().get(1).rpcUser());
        assertEquals(List.of("namecoin", "rsk"),
            c.merge().enabled(c.stratumV2()).stream().map(AuxChainConfig::name).toList());
        assertEquals(4444, c.stratumV2().listenAddr().getPort());
        assertEquals(StratumV2Config.Transport.TCP, c.stratumV2().transportPreference());
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
        assertMessage("template.bitcoind.rpc_user: bitcoind needs credentials", "[template]\nsource = \"bitcoind\"");
        assertMessage("template.sv2_tp: is required when template.sources lists \"sv2-tp\"", "[template]\nsource = \"sv2-tp\"");
        assertMessage("template.embedded_bits: not a valid compact target", "[template]\nembedded_bits = \"20800000\"");
        assertMessage("stratum_v2.transport_preference: must be", "[stratum_v2]\ntransport_preference = \"udp\"");
        assertMessage("stratum_v2.transport_preference: \"iroh\" is not available: no Iroh stack exists for the JVM", "[stratum_v2]\ntransport_preference = \"iroh\"");
        assertMessage("stratum_v2.sv1_listen_addr: the Stratum V1 endpoint has its own section: set [sv1] enabled = true",
            "[stratum_v2]\nsv1_listen_addr = \"0.0.0.0:3333\"");
        assertMessage("api.admin_token: at least 16 characters", "[api]\nadmin_token = \"short\"");
        assertMessage("api.read_requires_token: needs admin_token", "[api]\nread_requires_token = true");
        assertMessage("api.admin_token_file: cannot read", "[api]\nadmin_token_file = \"no-such-file\"");
        assertMessage("sv1.extranonce2_size: must be between 2 and 8", "[sv1]\nextranonce2_size = 9");
        assertMessage("sv1.extranonce2_size: must be at most pool.extranonce_size (4)",
            "[pool]\nextranonce_size = 4\n[sv1]\nextranonce2_size = 6");
        assertMessage("sv1.min_difficulty: must be at most start_difficulty", "[sv1]\nstart_difficulty = 8\nmin_difficulty = 16");
        assertMessage("sv1.max_difficulty: must be 0 (no cap) or at least start_difficulty",
            "[sv1]\nstart_difficulty = 8\nmax_difficulty = 4");
        assertMessage("sv1.version_rolling_mask: must lie inside the pool's BIP323 mask", "[sv1]\nversion_rolling_mask = \"ffffffff\"");
        assertMessage("sv1.version_rolling_mask: must be 8 hex digits", "[sv1]\nversion_rolling_mask = \"1fffe\"");
        assertMessage("unknown key pool.share_per_minute", "[pool]\nshare_per_minute = 6");
        assertMessage("unknown keys bogus, pool.x", "bogus = 1\n[pool]\nx = 2");
        assertMessage("stratum_v2: must be a table", "stratum_v2 = 5");
        assertMessage("line 2", "[pool]\nshares_per_minute = = 6");
        final String nmc = "[[merge.chains]]\nname = \"nmc\"\nkind = \"auxpow\"\nchain_id = 1\n"
            + "rpc_url = \"http://127.0.0.1:1/\"\npayout_address = \"N\"\n";
        assertMessage("merge.chains[1].name: \"nmc\" is already used by merge.chains[0].name", nmc + nmc);
        assertMessage("merge.chains[1].chain_id: chain id 1 of \"other\" is also the chain id of \"nmc\"",
            nmc + nmc.replace("name = \"nmc\"", "name = \"other\""));
        assertMessage("stratum_v2.secondary_chains[1]: \"doge\" is not configured",
            "[stratum_v2]\nsecondary_chains = [\"nmc\", \"doge\"]\n" + nmc);
        assertMessage("merge.chains[0].kind: must be \"auxpow\" or \"rsk\"", nmc.replace("\"auxpow\"", "\"pow\""));
        assertMessage("merge.chains[0].chain_id: is required", nmc.replace("chain_id = 1\n", ""));
        assertMessage("merge.chains[0].rpc_url: must be an http(s) URL", nmc.replace("http://127.0.0.1:1/", "ftp://x/"));
        assertMessage("merge.chains[0].payout_address: is required", nmc.replace("payout_address = \"N\"\n", ""));
        assertMessage("merge.chains[0].rpc_cookie_file: give either", nmc + "rpc_user = \"a\"\nrpc_cookie_file = \"c\"\n");
        assertMessage("merge.chains[0].rpc_style: must be", nmc + "rpc_style = \"soap\"\n");
        assertMessage("unknown key merge.chains[0].chainid", nmc + "chainid = 3\n");
        assertMessage("merge.chains[0].down_after_failures: must be between 1 and 1000 (got 0)",
            nmc + "down_after_failures = 0\n");
        assertMessage("merge.chains[0].max_work_age_ms: must be more than poll_interval_ms (1000)",
            nmc + "max_work_age_ms = 1000\n");
        assertMessage("merge.chains[0].max_work_age_ms: must be between 100 and 86400000 (got 50)",
            nmc + "max_work_age_ms = 50\n");
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
