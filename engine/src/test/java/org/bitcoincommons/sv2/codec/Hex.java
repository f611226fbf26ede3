package org.bitcoincommons.sv2.codec;

import java.util.HexFormat;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Test helper: hand-written hex (spaces and '|' ignored) to buffers and back. */
public final class Hex
{
    private Hex()
    {
    }

    public static byte[] bytes(final String hex)
    {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s|]", ""));
    }

    public static UnsafeBuffer buffer(final String hex)
    {
        return new UnsafeBuffer(bytes(hex));
    }

    public static String rep(final String byteHex, final int count)
    {
        return byteHex.repeat(count);
    }

    public static String hex(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] b = new byte[length];
        buffer.getBytes(offset, b);
        return HexFormat.of().formatHex(b);
    }

    public static String hex(final byte[] bytes)
    {
        return HexFormat.of().formatHex(bytes);
    }

    public static String clean(final String hex)
    {
        return hex.replaceAll("[\\s|]", "").toLowerCase();
    }
}
