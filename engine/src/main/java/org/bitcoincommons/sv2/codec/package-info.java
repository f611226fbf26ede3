/**
 * The SV2 binary codec: primitive types ({@link org.bitcoincommons.sv2.codec.Wire}), the 6-byte frame header
 * ({@link org.bitcoincommons.sv2.codec.FrameHeaderFlyweight}), TLV extension fields
 * ({@link org.bitcoincommons.sv2.codec.Tlv}), message descriptors ({@link org.bitcoincommons.sv2.codec.MessageSchema})
 * and the generic schema-driven codec ({@link org.bitcoincommons.sv2.codec.SchemaCodec}).
 * <p>
 * Sub-packages hold one table of message types, channel bits and schemas per sub-protocol, plus the messages:
 * {@code common}, {@code mining} (hot-path flyweights and cold-path records), {@code jd}, {@code td}, {@code ext}
 * (extension negotiation, 0x0001); {@code catalog} looks any message up by (extension, msg_type); {@code seed} is
 * the seed system's incompatible length-doubled TLV framing, kept apart.
 * <p>
 * Everything is little-endian. Malformed input throws {@link org.bitcoincommons.sv2.codec.CodecException}, and only
 * that; the hot-path flyweights allocate nothing.
 */
package org.bitcoincommons.sv2.codec;
