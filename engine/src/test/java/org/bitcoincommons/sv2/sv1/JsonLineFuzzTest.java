package org.bitcoincommons.sv2.sv1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fuzz target (Jazzer) for the SV1 request-line scanner every miner's bytes go through. What must hold: the only
 * exception is {@link JsonLine.Malformed}; a line it accepts is one JSON object by Jackson too (when the bytes are
 * UTF-8), with the same method and as many params; a JSON object that Jackson reads, within the nesting bound, is
 * accepted; every accessor the connection uses answers without throwing.
 */
class JsonLineFuzzTest
{
    private static final ObjectMapper STRICT = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int SAFE_DEPTH = 30;

    @FuzzTest
    void requestLine(final byte[] data)
    {
        final JsonLine line = new JsonLine();
        boolean accepted;
        try
        {
            line.parse(data, 0, data.length);
            accepted = true;
        }
        catch (final JsonLine.Malformed ex)
        {
            accepted = false;
        }
        final String text = utf8(data);
        JsonNode tree = null;
        if (text != null)
        {
            try
            {
                tree = STRICT.readTree(text);
            }
            catch (final JsonProcessingException ex)
            {
                tree = null;
            }
        }
        if (accepted)
        {
            exerciseAccessors(line);
            if (text != null)
            {
                assertTrue(tree != null && tree.isObject(), "JsonLine accepted what Jackson refuses: " + text);
                final JsonNode method = tree.get("method");
                if (method != null && method.isTextual())
                {
                    assertEquals(method.asText(), line.method(), "method differs from Jackson's");
                }
                final JsonNode params = tree.get("params");
                if (params != null && params.isArray())
                {
                    assertEquals(params.size(), line.paramCount, "params count differs from Jackson's");
                }
            }
        }
        else if (tree != null && tree.isObject() && depth(tree) < SAFE_DEPTH && !text.contains("\u0000"))
        {
            throw new AssertionError("JsonLine refused a JSON object that Jackson reads: " + text);
        }
    }

    private static void exerciseAccessors(final JsonLine line)
    {
        line.method();
        line.methodIs("mining.submit".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < JsonLine.MAX_PARAMS + 1; i++)
        {
            line.plainString(i);
            line.stringParam(i);
            line.numberParam(i);
        }
    }

    private static int depth(final JsonNode node)
    {
        int max = 0;
        for (final JsonNode child : node)
        {
            max = Math.max(max, depth(child));
        }
        return node.isContainerNode() ? max + 1 : 0;
    }

    private static String utf8(final byte[] data)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
    }
}
