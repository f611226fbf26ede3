package org.bitcoincommons.sv2.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** {@code [jds]}: off by default, on with a listen address, and only beside a bitcoind source. */
class JdsConfigTest
{
    private static final String BITCOIND = """
        [template]
        sources = ["bitcoind"]
        network = "regtest"
        [template.bitcoind]
        rpc_url = "http://127.0.0.1:18443"
        rpc_user = "u"
        rpc_password = "p"
        """;

    @Test
    void offByDefault()
    {
        final JdsConfig c = EngineConfig.parse("", Path.of(".")).jds();
        assertFalse(c.enabled());
        assertEquals("full-template", c.mode());
    }

    @Test
    void aListenAddressTurnsItOnWithSriDefaults()
    {
        final JdsConfig c = EngineConfig.parse(BITCOIND + "[jds]\nlisten_addr = \"127.0.0.1:3334\"\n",
            Path.of(".")).jds();
        assertTrue(c.enabled());
        assertEquals(3334, c.listenAddr().getPort());
        assertEquals(10_000, c.declaredTokenLifetimeMs());
        assertEquals(600, c.tokenLifetimeSec());
        assertFalse(c.coinbaseOnlyAllowed());
    }

    @Test
    void needsABitcoindSourceAndAKnownMode()
    {
        final ConfigException noNode = assertThrows(ConfigException.class,
            () -> EngineConfig.parse("[jds]\nlisten_addr = \"127.0.0.1:3334\"\n", Path.of(".")));
        assertTrue(noNode.getMessage().startsWith("jds.listen_addr: "), noNode.getMessage());
        final ConfigException mode = assertThrows(ConfigException.class,
            () -> EngineConfig.parse(BITCOIND + "[jds]\nlisten_addr = \"127.0.0.1:3334\"\nmode = \"both\"\n",
                Path.of(".")));
        assertTrue(mode.getMessage().startsWith("jds.mode: "), mode.getMessage());
        assertTrue(EngineConfig.parse(BITCOIND + "[jds]\nlisten_addr = \"127.0.0.1:3334\"\nmode = \"coinbase-only\"\n",
            Path.of(".")).jds().coinbaseOnlyAllowed());
        assertThrows(ConfigException.class,
            () -> EngineConfig.parse(BITCOIND + "[jds]\nlisten_adr = \"127.0.0.1:3334\"\n", Path.of(".")));
    }
}
