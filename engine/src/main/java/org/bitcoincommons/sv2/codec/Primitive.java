package org.bitcoincommons.sv2.codec;

/**
 * The SV2 primitive data types, as spelled in the spec's type table. A primitive is either fixed-size
 * ({@link #fixedSize()} &gt; 0), length-prefixed ({@link #prefixSize()} &gt; 0, byte count up to
 * {@link #maxLength()}), or {@link #BYTES}, whose length is the rest of the payload.
 */
public enum Primitive
{
    BOOL(Wire.BOOL_SIZE, 0, 0),
    U8(Wire.U8_SIZE, 0, 0),
    U16(Wire.U16_SIZE, 0, 0),
    U24(Wire.U24_SIZE, 0, 0),
    U32(Wire.U32_SIZE, 0, 0),
    U64(Wire.U64_SIZE, 0, 0),
    U256(Wire.U256_SIZE, 0, 0),
    F32(Wire.F32_SIZE, 0, 0),
    PUBKEY(Wire.PUBKEY_SIZE, 0, 0),
    SIGNATURE(Wire.SIGNATURE_SIZE, 0, 0),
    STR0_255(0, 1, Wire.STR0_255_MAX_LENGTH),
    B0_32(0, 1, Wire.B0_32_MAX_LENGTH),
    B0_255(0, 1, Wire.B0_255_MAX_LENGTH),
    B0_64K(0, 2, Wire.B0_64K_MAX_LENGTH),
    B0_16M(0, 3, Wire.B0_16M_MAX_LENGTH),
    BYTES(0, 0, Wire.B0_16M_MAX_LENGTH);

    private final int fixedSize;
    private final int prefixSize;
    private final int maxLength;

    Primitive(final int fixedSize, final int prefixSize, final int maxLength)
    {
        this.fixedSize = fixedSize;
        this.prefixSize = prefixSize;
        this.maxLength = maxLength;
    }

    /** Wire size in bytes of a fixed-size type, else 0. */
    public int fixedSize()
    {
        return fixedSize;
    }

    /** Size in bytes of the length prefix of a B0_xx/STR0_255 type, else 0. */
    public int prefixSize()
    {
        return prefixSize;
    }

    /** Largest byte length of a variable-length type. */
    public int maxLength()
    {
        return maxLength;
    }

    /** The fewest bytes one value occupies on the wire (an empty B0_xx is its prefix alone). */
    public int minEncodedSize()
    {
        return fixedSize > 0 ? fixedSize : prefixSize;
    }

    public boolean isFixedSize()
    {
        return fixedSize > 0;
    }
}
