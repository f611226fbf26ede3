package org.bitcoincommons.sv2.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [template]} and {@code [template.bitcoind]}: the contract key names, defaults, and errors naming the key. */
class TemplateConfigTest
{
    @TempDir
    Path dir;

    @Test
    void todaysSingleEmbeddedSourceStillWorks()
    {
        final TemplateConfig t = EngineConfig.parse("[template]\nsource = \"embedded\"\nembedded_bits = \"1f00ffff\"\n",
            dir).template();
        assertEquals(List.of("embedded"), t.sources());
        assertEquals("regtest", t.network());
        assertEquals(0x1f00ffff, t.embeddedBits());
        assertNull(t.bitcoind());
        assertEquals(List.of("embedded"), EngineConfig.defaults(dir).template().sources());
    }

    @Test
    void priorityListWithBitcoind()
    {
        final TemplateConfig t = EngineConfig.parse("""
            [template]
            sources = ["bitcoind", "embedded"]
            network = "mainnet"
            [template.bitcoind]
            rpc_cookie_file = "node/.cookie"
            zmq_hashblock = "tcp://127.0.0.1:28332"
            poll_interval_ms = 2000
            longpoll = false
            """, dir).template();
        assertEquals(List.of("bitcoind", "embedded"), t.sources());
        assertEquals("mainnet", t.network());
        final BitcoindSourceConfig b = t.bitcoind();
        assertEquals(URI.create("http://127.0.0.1:8332"), b.rpcUrl(), "mainnet's RPC port by default");
        assertEquals(dir.resolve("node/.cookie"), b.rpcCookieFile(), "relative to the config file");
        assertEquals("tcp://127.0.0.1:28332", b.zmqHashblock());
        assertEquals(2000, b.pollIntervalMs());
        assertEquals(false, b.longpoll());

        final BitcoindSourceConfig d = EngineConfig.parse("""
            [template]
            sources = ["bitcoind"]
            network = "signet"
            [template.bitcoind]
            rpc_user = "u"
            rpc_password = "p"
            """, dir).template().bitcoind();
        assertEquals(URI.create("http://127.0.0.1:38332"), d.rpcUrl());
        assertEquals(5000, d.pollIntervalMs());
        assertTrue(d.longpoll());
        assertNull(d.zmqHashblock());
        assertNull(d.rpcCookieFile());
    }

    @Test
    void errorsNameTheKey()
    {
        final String creds = "[template.bitcoind]\nrpc_user = \"u\"\nrpc_password = \"p\"\n";
        assertMessage("template.source: give either source or sources",
            "[template]\nsource = \"embedded\"\nsources = [\"embedded\"]");
        assertMessage("template.sources: must name at least one source", "[template]\nsources = []");
        assertMessage("template.sources: unknown source \"btcd\"", "[template]\nsources = [\"btcd\"]");
        assertMessage("template.sources: \"embedded\" is listed twice", "[template]\nsources = [\"embedded\", \"embedded\"]");
        assertMessage("template.network: must be one of mainnet, testnet, testnet4, signet, regtest",
            "[template]\nnetwork = \"main\"");
        assertMessage("template.bitcoind: is configured but \"bitcoind\" is not in template.sources", creds);
        assertMessage("template.bitcoind.rpc_cookie_file: give either",
            "[template]\nsources = [\"bitcoind\"]\n" + creds + "rpc_cookie_file = \"c\"\n");
        assertMessage("template.bitcoind.rpc_url: must be http://host:port",
            "[template]\nsources = [\"bitcoind\"]\n" + creds + "rpc_url = \"https://node\"\n");
        assertMessage("template.bitcoind.zmq_hashblock: must be a ZMQ endpoint",
            "[template]\nsources = [\"bitcoind\"]\n" + creds + "zmq_hashblock = \"127.0.0.1:28332\"\n");
        assertMessage("template.bitcoind.poll_interval_ms: must be between 50 and 600000",
            "[template]\nsources = [\"bitcoind\"]\n" + creds + "poll_interval_ms = 10\n");
        assertMessage("unknown key template.bitcoind.rpc_pass",
            "[template]\nsources = [\"bitcoind\"]\n" + creds + "rpc_pass = \"x\"\n");
    }

    private void assertMessage(final String expected, final String toml)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> EngineConfig.parse(toml, dir));
        assertTrue(ex.getMessage().contains(expected), () -> "expected <" + expected + "> in <" + ex.getMessage() + ">");
    }
}
