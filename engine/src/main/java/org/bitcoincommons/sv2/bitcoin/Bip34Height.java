package org.bitcoincommons.sv2.bitcoin;

/**
 * BIP34 block height at the start of the coinbase scriptSig, encoded as Bitcoin Core's {@code CScript() << height}:
 * 0 is OP_0, 1..16 are OP_1..OP_16 (0x51..0x60), larger heights are a direct push of the minimal CScriptNum
 * (little-endian, with an extra 0x00 when the top bit of the last byte is set). Consensus compares the scriptSig
 * prefix with exactly these bytes.
 */
public final class Bip34Height
{
    private static final int OP_0 = 0x00;
    private static final int OP_1 = 0x51;
    private static final int OP_16 = 0x60;
    private static final long MAX_HEIGHT = 0x7fff_ffffL;

    private Bip34Height()
    {
    }

    /**
     * @param height 0..2^31-1.
     * @return the script bytes that must start the coinbase scriptSig.
     */
    public static byte[] encode(final long height)
    {
        if (height < 0 || height > MAX_HEIGHT)
        {
            throw new IllegalArgumentException("block height out of range: " + height);
        }
        if (height == 0)
        {
            return new byte[] {OP_0};
        }
        if (height <= 16)
        {
            return new byte[] {(byte)(OP_1 - 1 + height)};
        }
        final byte[] number = new byte[5];
        int length = 0;
        long rest = height;
        while (rest != 0)
        {
            number[length++] = (byte)rest;
            rest >>>= 8;
        }
        if ((number[length - 1] & 0x80) != 0)
        {
            number[length++] = 0x00;
        }
        final byte[] script = new byte[length + 1];
        script[0] = (byte)length;
        System.arraycopy(number, 0, script, 1, length);
        return script;
    }

    /**
     * Read the height from the start of a coinbase scriptSig, accepting only the canonical form {@link #encode}
     * produces.
     *
     * @throws MalformedDataException if the script does not start with a canonical height.
     */
    public static long decode(final byte[] scriptSig)
    {
        if (scriptSig.length == 0)
        {
            throw new MalformedDataException("coinbase scriptSig is empty: no BIP34 height");
        }
        final int op = scriptSig[0] & 0xff;
        if (op == OP_0)
        {
            return 0;
        }
        if (op >= OP_1 && op <= OP_16)
        {
            return op - OP_1 + 1;
        }
        if (op < 1 || op > 5 || scriptSig.length < 1 + op)
        {
            throw new MalformedDataException("coinbase scriptSig does not start with a BIP34 height push");
        }
        if ((scriptSig[op] & 0x80) != 0)
        {
            throw new MalformedDataException("BIP34 height is negative");
        }
        long height = 0;
        for (int i = op; i >= 1; i--)
        {
            height = (height << 8) | (scriptSig[i] & 0xff);
        }
        if (height > MAX_HEIGHT)
        {
            throw new MalformedDataException("BIP34 height out of range: " + height);
        }
        final byte[] canonical = encode(height);
        for (int i = 0; i < canonical.length; i++)
        {
            if (canonical[i] != scriptSig[i])
            {
                throw new MalformedDataException("BIP34 height " + height + " is not minimally encoded");
            }
        }
        return height;
    }
}
