package org.bitcoincommons.sv2.sv1;

import java.nio.charset.StandardCharsets;

/**
 * A Stratum V1 request line, scanned in place: the whole line is checked to be one JSON object (RFC 8259 syntax,
 * nesting bounded), and the spans of its top-level {@code id}, {@code method} and {@code params} values are kept, with
 * the spans of {@code params}' elements when it is an array. Nothing is allocated per line; values are read from the
 * caller's bytes on demand. This is how {@code mining.submit}, the hot message, is parsed without a general JSON tree.
 * One instance per connection, used by its reader thread only.
 */
final class JsonLine
{
    /** Elements of params kept; a longer params array is still checked, its extra elements are only counted. */
    static final int MAX_PARAMS = 16;
    private static final int MAX_DEPTH = 32;

    private static final byte[] ID = "id".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] METHOD = "method".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARAMS = "params".getBytes(StandardCharsets.US_ASCII);

    private byte[] b;
    private int pos;
    private int end;
    private int depth;

    int idStart = -1;
    int idEnd;
    /** The method string's content (between its quotes), or -1. */
    int methodStart = -1;
    int methodEnd;
    boolean methodEscaped;
    int paramsStart = -1;
    int paramsEnd;
    /** params' elements (when params is an array): start and end of each value. */
    final int[] paramStart = new int[MAX_PARAMS];
    final int[] paramEnd = new int[MAX_PARAMS];
    int paramCount;

    /** Thrown for a line that is not one JSON object; the message says where. */
    static final class Malformed extends Exception
    {
        Malformed(final String message)
        {
            super(message, null, false, false);
        }
    }

    /** Scans {@code bytes[from, to)}. */
    void parse(final byte[] bytes, final int from, final int to) throws Malformed
    {
        b = bytes;
        pos = from;
        end = to;
        depth = 0;
        idStart = -1;
        methodStart = -1;
        methodEscaped = false;
        paramsStart = -1;
        paramCount = 0;
        skipWs();
        if (pos >= end || b[pos] != '{')
        {
            throw new Malformed("not a JSON object");
        }
        pos++;
        skipWs();
        if (peek() == '}')
        {
            pos++;
        }
        else
        {
            while (true)
            {
                skipWs();
                if (peek() != '"')
                {
                    throw new Malformed("expected a key at byte " + (pos - from));
                }
                final int keyStart = pos + 1;
                final boolean keyEscaped = string();
                final int keyEnd = pos - 1;
                skipWs();
                expect(':');
                skipWs();
                final int valueStart = pos;
                if (!keyEscaped && equals(keyStart, keyEnd, PARAMS) && peek() == '[')
                {
                    paramsArray();
                }
                else
                {
                    value();
                }
                final int valueEnd = pos;
                if (!keyEscaped)
                {
                    if (equals(keyStart, keyEnd, ID))
                    {
                        idStart = valueStart;
                        idEnd = valueEnd;
                    }
                    else if (equals(keyStart, keyEnd, METHOD) && b[valueStart] == '"')
                    {
                        methodStart = valueStart + 1;
                        methodEnd = valueEnd - 1;
                        methodEscaped = contains(methodStart, methodEnd, (byte)'\\');
                    }
                    else if (equals(keyStart, keyEnd, PARAMS))
                    {
                        paramsStart = valueStart;
                        paramsEnd = valueEnd;
                    }
                }
                skipWs();
                final byte c = peek();
                pos++;
                if (c == '}')
                {
                    break;
                }
                if (c != ',')
                {
                    throw new Malformed("expected , or } at byte " + (pos - 1 - from));
                }
            }
        }
        skipWs();
        if (pos != end)
        {
            throw new Malformed("bytes after the object");
        }
    }

    private void paramsArray() throws Malformed
    {
        pos++;   // [
        skipWs();
        if (peek() == ']')
        {
            pos++;
            return;
        }
        while (true)
        {
            skipWs();
            final int s = pos;
            value();
            if (paramCount < MAX_PARAMS)
            {
                paramStart[paramCount] = s;
                paramEnd[paramCount] = pos;
            }
            paramCount++;
            skipWs();
            final byte c = peek();
            pos++;
            if (c == ']')
            {
                return;
            }
            if (c != ',')
            {
                throw new Malformed("expected , or ] in params");
            }
        }
    }

    private void value() throws Malformed
    {
        final byte c = peek();
        switch (c)
        {
            case '"' -> string();
            case '{', '[' -> container(c == '{' ? (byte)'}' : (byte)']');
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default ->
            {
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    number();
                }
                else
                {
                    throw new Malformed("unexpected byte 0x" + Integer.toHexString(c & 0xff));
                }
            }
        }
    }

    private void container(final byte close) throws Malformed
    {
        if (++depth > MAX_DEPTH)
        {
            throw new Malformed("nested deeper than " + MAX_DEPTH);
        }
        pos++;
        skipWs();
        if (peek() == close)
        {
            pos++;
            depth--;
            return;
        }
        while (true)
        {
            skipWs();
            if (close == '}')
            {
                if (peek() != '"')
                {
                    throw new Malformed("expected a key");
                }
                string();
                skipWs();
                expect(':');
                skipWs();
            }
            value();
            skipWs();
            final byte c = peek();
            pos++;
            if (c == close)
            {
                depth--;
                return;
            }
            if (c != ',')
            {
                throw new Malformed("expected , in a container");
            }
        }
    }

    /** Consumes a string (pos at its opening quote); returns whether it had an escape. */
    private boolean string() throws Malformed
    {
        pos++;
        boolean escaped = false;
        while (pos < end)
        {
            final byte c = b[pos++];
            if (c == '"')
            {
                return escaped;
            }
            if (c == '\\')
            {
                escaped = true;
                if (pos >= end)
                {
                    break;
                }
                final byte e = b[pos++];
                if (e == 'u')
                {
                    for (int i = 0; i < 4; i++)
                    {
                        if (pos >= end || Hex.nibble(b[pos++]) < 0)
                        {
                            throw new Malformed("bad \\u escape");
                        }
                    }
                }
                else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
                {
                    throw new Malformed("bad escape");
                }
            }
            else if ((c & 0xff) < 0x20)
            {
                throw new Malformed("control character in a string");
            }
        }
        throw new Malformed("unterminated string");
    }

    private void number() throws Malformed
    {
        if (peek() == '-')
        {
            pos++;
        }
        final int intStart = pos;
        if (!digits())
        {
            throw new Malformed("bad number");
        }
        if (b[intStart] == '0' && pos - intStart > 1)
        {
            throw new Malformed("a number with a leading zero");   // RFC 8259: int = zero / digit1-9 *DIGIT
        }
        if (pos < end && b[pos] == '.')
        {
            pos++;
            if (!digits())
            {
                throw new Malformed("bad number");
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E'))
        {
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-'))
            {
                pos++;
            }
            if (!digits())
            {
                throw new Malformed("bad number");
            }
        }
    }

    private boolean digits()
    {
        final int s = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9')
        {
            pos++;
        }
        return pos > s;
    }

    private void literal(final String word) throws Malformed
    {
        final int n = word.length();
        if (pos + n > end)
        {
            throw new Malformed("bad literal");
        }
        for (int i = 0; i < n; i++)
        {
            if (b[pos + i] != word.charAt(i))
            {
                throw new Malformed("bad literal");
            }
        }
        pos += n;
    }

    private void expect(final char c) throws Malformed
    {
        if (peek() != c)
        {
            throw new Malformed("expected " + c);
        }
        pos++;
    }

    private byte peek() throws Malformed
    {
        if (pos >= end)
        {
            throw new Malformed("line ends inside the object");
        }
        return b[pos];
    }

    private void skipWs()
    {
        while (pos < end && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r'))
        {
            pos++;
        }
    }

    private boolean equals(final int from, final int to, final byte[] word)
    {
        if (to - from != word.length)
        {
            return false;
        }
        for (int i = 0; i < word.length; i++)
        {
            if (b[from + i] != word[i])
            {
                return false;
            }
        }
        return true;
    }

    private boolean contains(final int from, final int to, final byte x)
    {
        for (int i = from; i < to; i++)
        {
            if (b[i] == x)
            {
                return true;
            }
        }
        return false;
    }

    // ---- reading values (of the last parsed line) ----

    /** True when the method (unescaped) is exactly {@code name}. */
    boolean methodIs(final byte[] name)
    {
        return methodStart >= 0 && !methodEscaped && equals(methodStart, methodEnd, name);
    }

    /** True when params element {@code i} is a string without escapes; then its content is [start+1, end-1). */
    boolean plainString(final int i)
    {
        return i < Math.min(paramCount, MAX_PARAMS) && b[paramStart[i]] == '"' &&
            !contains(paramStart[i] + 1, paramEnd[i] - 1, (byte)'\\');
    }

    /** Params element {@code i} as a Java string when it is a JSON string (escapes decoded), else null. */
    String stringParam(final int i)
    {
        if (i >= Math.min(paramCount, MAX_PARAMS) || b[paramStart[i]] != '"')
        {
            return null;
        }
        return decodeString(paramStart[i], paramEnd[i]);
    }

    /** Params element {@code i} as a number (a JSON number, or a string holding one), or NaN. */
    double numberParam(final int i)
    {
        if (i >= Math.min(paramCount, MAX_PARAMS))
        {
            return Double.NaN;
        }
        int s = paramStart[i];
        int e = paramEnd[i];
        if (b[s] == '"')
        {
            s++;
            e--;
        }
        try
        {
            return Double.parseDouble(new String(b, s, e - s, StandardCharsets.US_ASCII));
        }
        catch (final NumberFormatException ex)
        {
            return Double.NaN;
        }
    }

    /** The method name, escapes decoded (cold path: unknown methods, logs). */
    String method()
    {
        return methodStart < 0 ? null : decodeString(methodStart - 1, methodEnd + 1);
    }

    /** The raw bytes of the line from {@code from} to {@code to} as text (cold path). */
    String text(final int from, final int to)
    {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    private String decodeString(final int quoteStart, final int quoteEnd)
    {
        final StringBuilder sb = new StringBuilder(quoteEnd - quoteStart);
        int i = quoteStart + 1;
        final int stop = quoteEnd - 1;
        final java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        while (i < stop)
        {
            final byte c = b[i++];
            if (c != '\\')
            {
                raw.write(c);
                continue;
            }
            final byte e = b[i++];
            if (e == 'u')
            {
                flush(raw, sb);
                sb.append((char)((Hex.nibble(b[i]) << 12) | (Hex.nibble(b[i + 1]) << 8) | (Hex.nibble(b[i + 2]) << 4) |
                    Hex.nibble(b[i + 3])));
                i += 4;
                continue;
            }
            raw.write(switch (e)
            {
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                default -> e;
            });
        }
        flush(raw, sb);
        return sb.toString();
    }

    private static void flush(final java.io.ByteArrayOutputStream raw, final StringBuilder sb)
    {
        if (raw.size() > 0)
        {
            sb.append(raw.toString(StandardCharsets.UTF_8));
            raw.reset();
        }
    }
}
