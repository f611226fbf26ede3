package org.bitcoincommons.sv2.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import com.fasterxml.jackson.databind.JsonNode;
import org.agrona.concurrent.SystemEpochClock;
import org.bitcoincommons.sv2.cli.CliRunner;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.noise.NoiseConfig;
import org.bitcoincommons.sv2.template.tdp.TemplateProviderServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/sv2 template check --config FILE --json}: each source's state, without starting the pool. */
@Timeout(60)
class TemplateCheckCommandTest
{
    @TempDir
    Path dir;

    private Path config(final FakeBitcoind node, final String password) throws Exception
    {
        final Path f = dir.resolve("pool.toml");
        Files.writeString(f, """
            [pool]
            coinbase_address = "%s"
            [template]
            sources = ["bitcoind", "embedded"]
            network = "mainnet"
            [template.bitcoind]
            rpc_url = "%s"
            rpc_user = "pool"
            rpc_password = "%s"
            """.formatted(BitcoindPoolEndToEndTest.MAINNET_PAYOUT, node.url(), password));
        return f;
    }

    @Test
    void printsEachSourcesStateAsJson() throws Exception
    {
        try (FakeBitcoind node = new FakeBitcoind(0x207fffff, false))
        {
            node.requireBasic("pool", "hunter2");
            final CliRunner ok = CliRunner.run("template", "check", "--config", config(node, "hunter2").toString(),
                "--json");
            assertEquals(0, ok.exitCode(), ok.err());
            final JsonNode j = FakeBitcoind.MAPPER.readTree(ok.out());
            assertEquals("mainnet", j.get("network").asText());
            final JsonNode b = j.get("sources").get(0);
            assertEquals("bitcoind", b.get("name").asText());
            assertEquals("healthy", b.get("state").asText());
            assertEquals(881_423, b.get("height").asLong());
            assertEquals("00000000000000000001543bc4d2b5e1434cb64af8995e21fe15ca708a6ac9e3", b.get("best_hash").asText());
            assertTrue(b.get("latency_ms").asDouble() > 0);
            assertEquals("", b.get("error").asText());
            assertEquals("embedded", j.get("sources").get(1).get("name").asText());
            assertEquals("healthy", j.get("sources").get(1).get("state").asText());

            final CliRunner bad = CliRunner.run("template", "check", "--config", config(node, "wrong").toString(),
                "--json");
            assertEquals(1, bad.exitCode(), "a source that is not healthy fails the check");
            final JsonNode down = FakeBitcoind.MAPPER.readTree(bad.out()).get("sources").get(0);
            assertEquals("down", down.get("state").asText());
            assertTrue(down.get("error").asText().contains("HTTP 401"), down.toString());
        }
    }

    private Path sv2TpConfig(final int port, final String authorityKey) throws Exception
    {
        final Path f = dir.resolve("tp.toml");
        Files.writeString(f, """
            [template]
            sources = ["sv2-tp"]
            [template.sv2_tp]
            address = "127.0.0.1:%d"
            authority_public_key = "%s"
            """.formatted(port, authorityKey));
        return f;
    }

    /** An sv2-tp source through the same command: healthy against a provider, down with a wrong key or no provider. */
    @Test
    void checksATemplateProvider() throws Exception
    {
        final byte[] secret = AuthorityKeys.generateSecret(new SecureRandom());
        final String key = AuthorityKeys.encodePublic(AuthorityKeys.publicOf(secret));
        final EmbeddedChain chain = new EmbeddedChain(0x207fffff, 3, SystemEpochClock.INSTANCE);
        try (TemplateProviderServer tp = new TemplateProviderServer(chain, new InetSocketAddress("127.0.0.1", 0),
            new NoiseConfig().authoritySecretKey(secret), SystemEpochClock.INSTANCE, 16))
        {
            tp.start();
            final int port = tp.localAddress().getPort();
            final CliRunner ok = CliRunner.run("template", "check", "--config", sv2TpConfig(port, key).toString(),
                "--json");
            assertEquals(0, ok.exitCode(), ok.err());
            final JsonNode s = FakeBitcoind.MAPPER.readTree(ok.out()).get("sources").get(0);
            assertEquals("sv2-tp", s.get("name").asText());
            assertEquals("healthy", s.get("state").asText(), s.toString());
            assertEquals(chain.tipHeight() + 1, s.get("height").asLong());
            assertEquals(org.bitcoincommons.sv2.bitcoin.HashOrder.toDisplayHex(chain.tipHash()), s.get("best_hash").asText());

            final String other = AuthorityKeys.encodePublic(AuthorityKeys.publicOf(
                AuthorityKeys.generateSecret(new SecureRandom())));
            final CliRunner wrongKey = CliRunner.run("template", "check", "--config",
                sv2TpConfig(port, other).toString(), "--json", "--timeout-ms", "3000");
            assertEquals(1, wrongKey.exitCode(), wrongKey.out());
            final JsonNode refused = FakeBitcoind.MAPPER.readTree(wrongKey.out()).get("sources").get(0);
            assertEquals("down", refused.get("state").asText());
            assertTrue(refused.get("error").asText().contains("CERT_BAD_SIGNATURE"), refused.toString());
        }
        final int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            closedPort = s.getLocalPort();
        }
        final CliRunner none = CliRunner.run("template", "check", "--config", sv2TpConfig(closedPort, key).toString(),
            "--json", "--timeout-ms", "3000");
        assertEquals(1, none.exitCode(), none.out());
        final JsonNode unreachable = FakeBitcoind.MAPPER.readTree(none.out()).get("sources").get(0);
        assertEquals("down", unreachable.get("state").asText());
        assertTrue(unreachable.get("error").asText().toLowerCase(java.util.Locale.ROOT).contains("refused"),
            unreachable.toString());
    }
}
