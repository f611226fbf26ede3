package org.bitcoincommons.sv2.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fuzz targets (Jazzer) for what the pool reads from bitcoind: the {@code getblocktemplate} result as
 * {@link GbtParser} reads it, and whole JSON-RPC responses as {@link BitcoindRpc#result} reads them before the parser.
 * What must hold: the only exceptions are the IllegalArgumentException that names the unusable field and the
 * {@link BitcoindRpc.CallException} of a bad response (Jackson's own for text that is not JSON); a template that
 * parses has a coinbase value within the money supply, a positive height, a 32-byte previous hash and a merkle path of
 * whole 32-byte hashes. The corpus starts from mainnet block 881423's template (template/gbt_mainnet_881423.json).
 */
class GbtParserFuzzTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_MONEY = 21_000_000L * 100_000_000L;

    @FuzzTest
    void getBlockTemplate(final byte[] data)
    {
        final JsonNode root;
        try
        {
            root = MAPPER.readTree(new String(data, StandardCharsets.UTF_8));
        }
        catch (final JsonProcessingException ex)
        {
            return;
        }
        parse(root);
    }

    /** First byte: bit 0 picks HTTP 200 or 500; the rest is the response body. */
    @FuzzTest
    void rpcResponse(final byte[] data)
    {
        if (data.length < 1)
        {
            return;
        }
        final int status = (data[0] & 1) == 0 ? 200 : 500;
        final JsonNode result;
        try
        {
            result = BitcoindRpc.result("getblocktemplate", status,
                new String(data, 1, data.length - 1, StandardCharsets.UTF_8));
        }
        catch (final BitcoindRpc.CallException ex)
        {
            assertTrue(ex.getMessage() != null && ex.getMessage().startsWith("getblocktemplate: "), ex.getMessage());
            return;
        }
        assertTrue(result != null, "a result that passed is never Java null");
        assertEquals(200, status, "a result was returned for HTTP " + status);
        parse(result);
    }

    private static void parse(final JsonNode root)
    {
        final GbtParser.Parsed parsed;
        try
        {
            parsed = GbtParser.parse(root, 1);
        }
        catch (final IllegalArgumentException ex)
        {
            return;
        }
        final Template t = parsed.template();
        assertTrue(t.coinbaseValue() >= 0 && t.coinbaseValue() <= MAX_MONEY, "coinbase value " + t.coinbaseValue());
        assertTrue(t.height() > 0, "height " + t.height());
        assertEquals(32, t.prevHash().length, "prev hash length");
        assertEquals(0, t.merklePath().length % 32, "merkle path of " + t.merklePath().length + " bytes");
    }
}
