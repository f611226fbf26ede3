package org.bitcoincommons.sv2.codec;

/**
 * The type of one message field: a primitive, or a SEQ0_255 / SEQ0_64K / OPTION of a primitive.
 *
 * @param shape   single value, sequence or option
 * @param element the primitive (of the single value, or of each element)
 */
public record FieldType(Shape shape, Primitive element)
{
    /** How the primitive is repeated. */
    public enum Shape
    {
        SINGLE(0, 0),
        /** U8 element count, then the elements. */
        SEQ0_255(1, Wire.SEQ0_255_MAX_COUNT),
        /** U16 LE element count, then the elements. */
        SEQ0_64K(2, Wire.SEQ0_64K_MAX_COUNT),
        /** Same as SEQ0_1: a count byte 0 or 1, then the element if 1. */
        OPTION(1, 1);

        private final int prefixSize;
        private final int maxCount;

        Shape(final int prefixSize, final int maxCount)
        {
            this.prefixSize = prefixSize;
            this.maxCount = maxCount;
        }

        public int prefixSize()
        {
            return prefixSize;
        }

        public int maxCount()
        {
            return maxCount;
        }
    }

    public static final FieldType BOOL = single(Primitive.BOOL);
    public static final FieldType U8 = single(Primitive.U8);
    public static final FieldType U16 = single(Primitive.U16);
    public static final FieldType U24 = single(Primitive.U24);
    public static final FieldType U32 = single(Primitive.U32);
    public static final FieldType U64 = single(Primitive.U64);
    public static final FieldType U256 = single(Primitive.U256);
    public static final FieldType F32 = single(Primitive.F32);
    public static final FieldType PUBKEY = single(Primitive.PUBKEY);
    public static final FieldType SIGNATURE = single(Primitive.SIGNATURE);
    public static final FieldType STR0_255 = single(Primitive.STR0_255);
    public static final FieldType B0_32 = single(Primitive.B0_32);
    public static final FieldType B0_255 = single(Primitive.B0_255);
    public static final FieldType B0_64K = single(Primitive.B0_64K);
    public static final FieldType B0_16M = single(Primitive.B0_16M);
    public static final FieldType BYTES = single(Primitive.BYTES);

    public FieldType
    {
        if (shape != Shape.SINGLE && element == Primitive.BYTES)
        {
            throw new IllegalArgumentException("BYTES cannot be an element of " + shape);
        }
    }

    public static FieldType single(final Primitive primitive)
    {
        return new FieldType(Shape.SINGLE, primitive);
    }

    public static FieldType seq0_255(final Primitive element)
    {
        return new FieldType(Shape.SEQ0_255, element);
    }

    public static FieldType seq0_64K(final Primitive element)
    {
        return new FieldType(Shape.SEQ0_64K, element);
    }

    public static FieldType option(final Primitive element)
    {
        return new FieldType(Shape.OPTION, element);
    }

    /** The spec's spelling, e.g. {@code SEQ0_255[U256]}. */
    @Override
    public String toString()
    {
        return shape == Shape.SINGLE ? element.name() : shape.name() + "[" + element.name() + "]";
    }
}
