package org.bitcoincommons.sv2.bitcoin;

import java.util.Locale;

/**
 * Native segwit addresses (BIP173 for version 0, BIP350 Bech32m for versions 1..16) and their scriptPubKey
 * {@code OP_n ‖ push(program)}.
 */
public final class SegwitAddress
{
    private static final int OP_0 = 0x00;
    private static final int OP_1 = 0x51;

    private final int version;
    private final byte[] program;

    private SegwitAddress(final int version, final byte[] program)
    {
        this.version = version;
        this.program = program;
    }

    /**
     * @return witness version 0..16.
     */
    public int version()
    {
        return version;
    }

    public byte[] program()
    {
        return program.clone();
    }

    /**
     * Decode and validate against {@code hrp} (e.g. "bc"): checksum type per version, program length 2..40 and
     * 20 or 32 for version 0.
     */
    public static SegwitAddress decode(final String hrp, final String address)
    {
        final Bech32.Decoded decoded = Bech32.decode(address);
        if (!decoded.hrp().equals(hrp.toLowerCase(Locale.ROOT)))
        {
            throw new MalformedDataException(
                "segwit address: human-readable part '" + decoded.hrp() + "' is not '" + hrp + "'");
        }
        final byte[] data = decoded.data();
        if (data.length == 0)
        {
            throw new MalformedDataException("segwit address: empty data section");
        }
        final int version = data[0];
        if (version > 16)
        {
            throw new MalformedDataException("segwit address: invalid witness version " + version);
        }
        final byte[] program = Bech32.fromFiveBit(java.util.Arrays.copyOfRange(data, 1, data.length));
        checkProgram(version, program);
        final Bech32.Encoding expected = version == 0 ? Bech32.Encoding.BECH32 : Bech32.Encoding.BECH32M;
        if (decoded.encoding() != expected)
        {
            throw new MalformedDataException(
                "segwit address: version " + version + " needs " + expected + " checksum, got " + decoded.encoding());
        }
        return new SegwitAddress(version, program);
    }

    public static String encode(final String hrp, final int version, final byte[] program)
    {
        if (version < 0 || version > 16)
        {
            throw new IllegalArgumentException("witness version must be 0..16: " + version);
        }
        checkProgram(version, program);
        final byte[] five = Bech32.toFiveBit(program);
        final byte[] data = new byte[five.length + 1];
        data[0] = (byte)version;
        System.arraycopy(five, 0, data, 1, five.length);
        return Bech32.encode(hrp, data, version == 0 ? Bech32.Encoding.BECH32 : Bech32.Encoding.BECH32M);
    }

    public byte[] scriptPubKey()
    {
        final byte[] script = new byte[2 + program.length];
        script[0] = (byte)(version == 0 ? OP_0 : OP_1 - 1 + version);
        script[1] = (byte)program.length;
        System.arraycopy(program, 0, script, 2, program.length);
        return script;
    }

    private static void checkProgram(final int version, final byte[] program)
    {
        if (program.length < 2 || program.length > 40)
        {
            throw new MalformedDataException("segwit address: program length " + program.length + " outside 2..40");
        }
        if (version == 0 && program.length != 20 && program.length != 32)
        {
            throw new MalformedDataException("segwit address: version 0 program must be 20 or 32 bytes");
        }
    }
}
