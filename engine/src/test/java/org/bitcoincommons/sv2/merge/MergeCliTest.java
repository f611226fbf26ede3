package org.bitcoincommons.sv2.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.Vectors;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.cli.CliRunner;
import org.bitcoincommons.sv2.cli.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/sv2 auxpow verify} and {@code bin/sv2 coinbase inspect} on real data, in-process. */
class MergeCliTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode json(final CliRunner r) throws Exception
    {
        return JSON.readTree(r.out());
    }

    @Test
    void auxpowVerifyNamecoinVector() throws Exception
    {
        final CliRunner r = CliRunner.run("auxpow", "verify", "--hex",
            Vectors.path("namecoin_37174_header_auxpow.hex").toString(), "--json");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        final JsonNode out = json(r);
        final JsonNode expected = JSON.readTree(Vectors.read("namecoin_37174_expected.json")).get("namecoin_37174");
        assertTrue(out.get("valid").asBoolean());
        assertEquals(expected.get("hash").asText(), out.get("aux_block_hash").asText());
        assertEquals(1, out.get("chain_id").asInt());
        assertEquals(11, out.get("chain_index").asInt());
        assertEquals(16, out.get("merkle_size").asInt());
        assertEquals(0, out.get("merkle_nonce").asLong());
        assertEquals("checked", out.get("parent_pow").asText());
        assertFalse(out.has("reason"));
        assertEquals(64, out.get("parent_block_hash").asText().length());
    }

    @Test
    void auxpowVerifyWholeBlocksAndGetBlockJson() throws Exception
    {
        final CliRunner crown = CliRunner.run("auxpow", "verify", "--hex",
            MergeVectors.toFile(dir, "crown_1671882_block.hex").toString(), "--json");
        assertEquals(ExitCode.OK, crown.exitCode(), crown.out() + crown.err());
        assertEquals(20, json(crown).get("chain_id").asInt());

        final CliRunner doge = CliRunner.run("auxpow", "verify", "--hex",
            MergeVectors.toFile(dir, "dogecoin_block894863.hex").toString(), "--json");
        assertEquals(ExitCode.OK, doge.exitCode(), doge.out() + doge.err());
        assertTrue(json(doge).get("parent_pow").asText().startsWith("parent PoW not checked"));
        // forced to treat the Litecoin (scrypt) parent as SHA-256d, its hash is far above Dogecoin's target
        final CliRunner forced = CliRunner.run("auxpow", "verify", "--hex",
            MergeVectors.toFile(dir, "dogecoin_block894863.hex").toString(), "--json", "--parent-pow", "sha256d");
        assertEquals(ExitCode.INVALID, forced.exitCode(), forced.out() + forced.err());
        assertTrue(json(forced).get("reason").asText().startsWith(AuxPowFailure.PARENT_POW_TOO_WEAK.reason()));

        final CliRunner rpc = CliRunner.run("auxpow", "verify", "--hex",
            MergeVectors.toFile(dir, "dogecoin_4505708_getblock.json").toString(), "--json");
        assertEquals(ExitCode.OK, rpc.exitCode(), rpc.out() + rpc.err());
        assertEquals("550393336f0a33a1678ecf15c87877848bed03b8c23f18b530fb03b30813440f",
            json(rpc).get("aux_block_hash").asText());
        assertEquals(8, json(rpc).get("chain_index").asInt());
    }

    @Test
    void auxpowVerifyInvalidAndUnreadable() throws Exception
    {
        // flip one byte inside the chain branch: the root no longer occurs in the coinbase
        final String hex = Vectors.read("namecoin_37174_header_auxpow.hex").strip();
        final byte[] raw = Hex.decode(hex);
        final int chainBranchStart = raw.length - 80 - 4 - 4 * 32;
        raw[chainBranchStart + 3] ^= 0x40;
        final Path broken = Files.writeString(dir.resolve("broken.hex"), Hex.encode(raw));
        final CliRunner r = CliRunner.run("auxpow", "verify", "--hex", broken.toString(), "--json");
        assertEquals(ExitCode.INVALID, r.exitCode(), r.out() + r.err());
        assertFalse(json(r).get("valid").asBoolean());
        assertTrue(json(r).get("reason").asText().startsWith(AuxPowFailure.MISSING_CHAIN_ROOT.reason()));

        final CliRunner wrongId = CliRunner.run("auxpow", "verify", "--hex",
            Vectors.path("namecoin_37174_header_auxpow.hex").toString(), "--json", "--chain-id", "98");
        assertEquals(ExitCode.INVALID, wrongId.exitCode());

        final Path garbage = Files.writeString(dir.resolve("garbage.hex"), "zz11");
        assertEquals(ExitCode.BAD_INPUT, CliRunner.run("auxpow", "verify", "--hex", garbage.toString()).exitCode());
        final Path truncated = Files.writeString(dir.resolve("short.hex"), hex.substring(0, 400));
        assertEquals(ExitCode.BAD_INPUT, CliRunner.run("auxpow", "verify", "--hex", truncated.toString()).exitCode());
        final Path noAux = Files.writeString(dir.resolve("noaux.json"), "{\"hash\": \"00\"}");
        assertEquals(ExitCode.BAD_INPUT, CliRunner.run("auxpow", "verify", "--hex", noAux.toString()).exitCode());
        assertEquals(ExitCode.BAD_INPUT,
            CliRunner.run("auxpow", "verify", "--hex", dir.resolve("missing.hex").toString()).exitCode());
    }

    @Test
    void coinbaseInspectRealSegwitCoinbaseWithAuxAndRsk() throws Exception
    {
        // Bitcoin #766393 (AntPool): values as the node's getblock JSON and the scriptSig print them
        final CliRunner r = CliRunner.run("coinbase", "inspect", "--hex",
            MergeVectors.toFile(dir, "bitcoin_766393_coinbase.hex").toString(), "--json");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        final JsonNode out = json(r);
        assertEquals("87e45b7a52304c83e307b5e0f8ed2f9f28ece52021f8ffe0c0cd4fbc83f5e1a8", out.get("txid").asText());
        assertEquals("1deaf009db859e4813dbdec3dfe3b54166e89458be4791ee8597cf5912a24c9c",
            out.get("aux_merkle_root").asText());
        assertEquals(2, out.get("merkle_size").asInt());
        assertEquals(0, out.get("merkle_nonce").asLong());
        assertEquals("e1149418f9237a79db471ad2cba2308ebebb6ee4f1b5faac4b32361f004a4555", out.get("rsk_tag").asText());
        assertEquals("b3b902d62855a8e352b72fb0cc050c0d3d4b3b5e64de255fb9cd612d2d3599db",
            out.get("witness_commitment").asText());
    }

    @Test
    void coinbaseInspectNamecoinParentCoinbase() throws Exception
    {
        final byte[] raw = MergeVectors.namecoin37174();
        final AuxPow a = AuxPow.parse(java.util.Arrays.copyOfRange(raw, 80, raw.length));
        final Path f = Files.writeString(dir.resolve("cb.hex"), Hex.encode(a.coinbase()));
        final CliRunner r = CliRunner.run("coinbase", "inspect", "--hex", f.toString(), "--json");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        final JsonNode out = json(r);
        final JsonNode expected = JSON.readTree(Vectors.read("namecoin_37174_expected.json")).get("namecoin_37174");
        assertEquals(expected.get("coinbase_txid").asText(), out.get("txid").asText());
        assertEquals(16, out.get("merkle_size").asInt());
        assertTrue(out.get("rsk_tag").isNull());
        assertTrue(out.get("witness_commitment").isNull());
        assertEquals(ExitCode.BAD_INPUT, CliRunner.run("coinbase", "inspect", "--hex",
            Files.writeString(dir.resolve("bad.hex"), "0100").toString()).exitCode());
    }
}
