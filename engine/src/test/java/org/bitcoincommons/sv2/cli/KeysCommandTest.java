package org.bitcoincommons.sv2.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.crypto.Schnorr;
import org.junit.jupiter.api.Test;

class KeysCommandTest
{
    @Test
    void generatePrintsAMatchingPair() throws Exception
    {
        final CliRunner r = CliRunner.run("keys", "generate");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        final byte[] secret = AuthorityKeys.decodeSecret(json.get("authority_secret_key").asText());
        final byte[] pub = AuthorityKeys.decodePublic(json.get("authority_public_key").asText());
        assertArrayEquals(Schnorr.publicKey(secret), pub);
    }

    @Test
    void publicOfSriTestSecret() throws Exception
    {
        // Pair from SRI utils/key-utils tests.
        final CliRunner r = CliRunner.run("keys", "public", "--secret", "zmBEmPhqo3A92FkiLVvyCz6htc3e53ph3ZbD4ASqGaLjwnFLi");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        final JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("9bDuixKmZqAJnrmP746n8zU1wyAQRrus7th9dxnkPg6RzQvCnan", json.get("authority_public_key").asText());
        assertNull(json.get("authority_secret_key"));
    }

    @Test
    void badSecretIsBadInput()
    {
        final CliRunner r = CliRunner.run("keys", "public", "--secret", "zmBEmPhqo3A92FkiLVvyCz6htc3e53ph3ZbD4ASqGaLjwnFLj");
        assertEquals(ExitCode.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("checksum"), r.err());
    }
}
