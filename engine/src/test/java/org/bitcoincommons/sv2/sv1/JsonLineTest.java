package org.bitcoincommons.sv2.sv1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The in-place request scanner against the JSON real SV1 clients send (ids as numbers, strings and null, whitespace,
 * escapes, nested configure params) and against what is not JSON; and the writer's encodings (word-swapped prevhash,
 * big-endian u32, difficulties without exponents).
 */
class JsonLineTest
{
    private static JsonLine parse(final String s) throws JsonLine.Malformed
    {
        final JsonLine l = new JsonLine();
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        l.parse(b, 0, b.length);
        return l;
    }

    @Test
    void submitAsCgminerSendsIt() throws Exception
    {
        final JsonLine l = parse("{\"params\": [\"w.1\", \"1a\", \"00000001\", \"6650a1b2\", \"deadbeef\"], " +
            "\"id\": 42, \"method\": \"mining.submit\"}");
        assertTrue(l.methodIs("mining.submit".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(5, l.paramCount);
        assertEquals("w.1", l.stringParam(0));
        assertEquals("42", l.text(l.idStart, l.idEnd));
        assertTrue(l.plainString(4));
    }

    @Test
    void idsOfEveryKindAndEscapes() throws Exception
    {
        assertEquals("\"abc\"", text(parse("{\"id\":\"abc\",\"method\":\"mining.ping\",\"params\":[]}")));
        assertEquals("null", text(parse("{\"id\":null,\"method\":\"x\",\"params\":[]}")));
        final JsonLine l = parse("{\"id\":1,\"method\":\"mining.authorize\",\"params\":[\"us\\u00e9r\\\"x\",\"p\"]}");
        assertEquals("us\u00e9r\"x", l.stringParam(0));
        assertFalse(l.plainString(0), "an escaped string is not taken in place");
        final JsonLine c = parse("{\"id\":1,\"method\":\"mining.configure\",\"params\":[[\"version-rolling\"]," +
            "{\"version-rolling.mask\":\"ffffffff\",\"version-rolling.min-bit-count\":2}]}");
        assertEquals(2, c.paramCount);
        assertEquals(0.5, parse("{\"id\":1,\"method\":\"m\",\"params\":[5e-1]}").numberParam(0));
    }

    @Test
    void notJson() 
    {
        for (final String bad : new String[] {"", "[1,2]", "{\"id\":1", "{\"id\":1,}", "{\"id\":01x}", "{\"a\":tru}",
            "{\"a\":\"\\x\"}", "{} {}", "{\"a\":\"unterminated}", "{\"a\":[1 2]}", "{'a':1}"})
        {
            assertThrows(JsonLine.Malformed.class, () -> parse(bad), bad);
        }
        final StringBuilder deep = new StringBuilder("{\"a\":");
        deep.append("[".repeat(100)).append("]".repeat(100)).append('}');
        assertThrows(JsonLine.Malformed.class, () -> parse(deep.toString()), "nesting is bounded");
    }

    @Test
    void writerEncodings()
    {
        final byte[] prev = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            prev[i] = (byte)i;
        }
        final JsonOut o = new JsonOut().reset().prevHash(prev).ascii(",").hexU32(0x20000000).ascii(",")
            .number(0.00001).ascii(",").number(1024).ascii(",").number(1.5);
        assertEquals("\"03020100070605040b0a09080f0e0d0c13121110171615141b1a19181f1e1d1c\",\"20000000\",0.00001,1024,1.5",
            new String(o.buf, 0, o.len, StandardCharsets.US_ASCII));
    }

    private static String text(final JsonLine l)
    {
        return l.text(l.idStart, l.idEnd);
    }
}
