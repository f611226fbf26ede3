package org.bitcoincommons.sv2.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@code [jdc]}'s upstreams: the single-upstream keys under {@code [jdc]}, or {@code [[jdc.upstreams]]} tables in file
 * order with {@code user_identity} defaulting to {@code [jdc]}'s; not both; errors name the table's index.
 */
class JdcConfigTest
{
    /** The BIP173 example P2WPKH address (the solo payout every client needs). */
    private static final String POOL = """
        [pool]
        coinbase_address = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
        """;
    private static final String SINGLE = POOL + """
        [jdc]
        upstream_addr = "127.0.0.1:3333"
        authority_public_key = "key-a"
        jds_addr = "127.0.0.1:3334"
        user_identity = "farm"
        """;
    private static final String TABLES = POOL + """
        [jdc]
        user_identity = "farm"
        fallback = "pool"
        [[jdc.upstreams]]
        upstream_addr = "10.0.0.1:34254"
        jds_addr = "10.0.0.1:34264"
        authority_public_key = "key-a"
        [[jdc.upstreams]]
        upstream_addr = "10.0.0.2:34254"
        jds_addr = "10.0.0.2:34264"
        authority_public_key = "key-b"
        user_identity = "farm.b"
        """;

    private static JdcConfig parse(final String toml)
    {
        return EngineConfig.parse(toml, Path.of(".")).jdc();
    }

    private static String error(final String toml)
    {
        return assertThrows(ConfigException.class, () -> EngineConfig.parse(toml, Path.of("."))).getMessage();
    }

    @Test
    void theSingleUpstreamKeysAreOneUpstream()
    {
        final JdcConfig c = parse(SINGLE);
        assertEquals(1, c.upstreams().size());
        final JdcConfig.Upstream u = c.upstreams().get(0);
        assertEquals("jdc", u.configKey());
        assertEquals(3333, u.upstreamAddr().getPort());
        assertEquals(3334, u.jdsAddr().getPort());
        assertEquals("key-a", u.authorityKey());
        assertEquals("farm", u.userIdentity());
        assertEquals(3333, c.upstreamAddr().getPort());
        assertEquals("farm", c.userIdentity());
    }

    @Test
    void tablesAreUpstreamsInFileOrderWithTheirOwnUserOrTheClients()
    {
        final JdcConfig c = parse(TABLES);
        assertEquals(2, c.upstreams().size());
        assertEquals(List.of("jdc.upstreams[0]", "jdc.upstreams[1]"),
            c.upstreams().stream().map(JdcConfig.Upstream::configKey).toList());
        assertEquals("10.0.0.1", c.upstreams().get(0).upstreamAddr().getHostString());
        assertEquals("10.0.0.2", c.upstreams().get(1).jdsAddr().getHostString());
        assertEquals(34264, c.upstreams().get(1).jdsAddr().getPort());
        assertEquals("key-b", c.upstreams().get(1).authorityKey());
        assertEquals("farm", c.upstreams().get(0).userIdentity());
        assertEquals("farm.b", c.upstreams().get(1).userIdentity());
        assertTrue(c.poolFallback());
        // every table with its own user: [jdc] needs none
        final JdcConfig own = parse(TABLES.replace("user_identity = \"farm\"\n", "")
            .replace("authority_public_key = \"key-a\"\n",
                "authority_public_key = \"key-a\"\nuser_identity = \"x\"\n"));
        assertEquals(List.of("x", "farm.b"), own.upstreams().stream().map(JdcConfig.Upstream::userIdentity).toList());
    }

    @Test
    void bothFormsAtOnceAreRefusedNamingTheKeys()
    {
        final String both = TABLES.replace("fallback = \"pool\"\n",
            "fallback = \"pool\"\njds_addr = \"127.0.0.1:1\"\n");
        final String message = error(both);
        assertTrue(message.startsWith("jdc.jds_addr: ") && message.contains("upstream_addr, jds_addr and " +
            "authority_public_key under [jdc]") && message.contains("[[jdc.upstreams]]") &&
            message.contains("not both"), message);
    }

    @Test
    void errorsNameTheTableIndex()
    {
        assertEquals("jdc.upstreams[1].jds_addr: is required (the pool's Job Declaration Server)",
            error(TABLES.replace("jds_addr = \"10.0.0.2:34264\"\n", "")));
        assertEquals("jdc.upstreams[0].upstream_addr: is required (the pool's SV2 mining endpoint)",
            error(TABLES.replace("upstream_addr = \"10.0.0.1:34254\"\n", "")));
        assertTrue(error(TABLES.replace("authority_public_key = \"key-b\"\n", ""))
            .startsWith("jdc.upstreams[1].authority_public_key: is required"));
        assertTrue(error(TABLES.replace("10.0.0.2:34254", "10.0.0.2")).startsWith("jdc.upstreams[1].upstream_addr:"));
        assertEquals("jdc.upstreams[0].user_identity: is required (in this table, or as jdc.user_identity for all "
            + "of them)", error(TABLES.replace("user_identity = \"farm\"\n", "")));
        assertTrue(error(TABLES + "typo = 1\n").contains("jdc.upstreams[1].typo"));
        // the single form keeps its messages
        assertEquals("jdc.user_identity: is required", error(SINGLE.replace("user_identity = \"farm\"\n", "")));
        assertTrue(error(SINGLE.replace("jds_addr = \"127.0.0.1:3334\"\n", ""))
            .startsWith("jdc.jds_addr: is required"));
    }

    @Test
    void atMostSixteenUpstreams()
    {
        final StringBuilder toml = new StringBuilder(POOL + "[jdc]\nuser_identity = \"farm\"\n");
        for (int i = 0; i <= JdcConfig.MAX_UPSTREAMS; i++)
        {
            toml.append("[[jdc.upstreams]]\nupstream_addr = \"10.0.0.1:").append(1000 + i)
                .append("\"\njds_addr = \"10.0.0.1:2000\"\nauthority_public_key = \"k\"\n");
        }
        assertEquals("jdc.upstreams: at most 16 upstreams (got 17)", error(toml.toString()));
    }
}
