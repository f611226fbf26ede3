package org.bitcoincommons.sv2.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.cli.CliRunner;
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
}
