package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class VersionCommandTest
{
    @Test
    void printsVersionAndJvm() throws Exception
    {
        final CliRunner r = CliRunner.run("version", "--json");
        assertEquals(0, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("java").asText().contains(Integer.toString(Runtime.version().feature())));
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), json.get("cpus").asText());
        assertEquals(org.bitcoincommons.sv2.crypto.EcBackends.selected().name(), json.get("ec_impl").asText());
        assertTrue(json.get("ec_impl").asText().matches("native|java"), json.toString());
        final String aead = json.get("aead_impl").asText();
        assertTrue(aead.equals("java") || aead.startsWith("native "), aead);
    }

    @Test
    void unknownSubcommandIsUsageError()
    {
        final CliRunner r = CliRunner.run("no-such-command");
        assertEquals(ExitCode.USAGE, r.exitCode());
        assertTrue(r.err().contains("no-such-command"), r.err());
    }
}
