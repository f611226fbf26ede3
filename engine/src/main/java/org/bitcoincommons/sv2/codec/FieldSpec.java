package org.bitcoincommons.sv2.codec;

/**
 * One field of a message as the spec's table lists it.
 *
 * @param name the spec's snake_case name, spelled exactly as the spec table does (e.g. {@code nominal_hash_rate})
 * @param type its wire type
 */
public record FieldSpec(String name, FieldType type)
{
    public static FieldSpec field(final String name, final FieldType type)
    {
        return new FieldSpec(name, type);
    }
}
