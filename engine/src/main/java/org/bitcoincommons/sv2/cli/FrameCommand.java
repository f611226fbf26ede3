package org.bitcoincommons.sv2.cli;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.codec.CodecException;
import org.bitcoincommons.sv2.codec.DecodedMessage;
import org.bitcoincommons.sv2.codec.FieldSpec;
import org.bitcoincommons.sv2.codec.FieldType;
import org.bitcoincommons.sv2.codec.FrameHeaderFlyweight;
import org.bitcoincommons.sv2.codec.MessageSchema;
import org.bitcoincommons.sv2.codec.Primitive;
import org.bitcoincommons.sv2.codec.Tlv;
import org.bitcoincommons.sv2.codec.catalog.MessageCatalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/sv2 frame ...}: tools for plaintext SV2 frames.
 */
@Command(
    name = "frame",
    description = "Work with plaintext SV2 frames.",
    subcommands = {FrameCommand.Decode.class})
public final class FrameCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code bin/sv2 frame decode HEX}: prints one JSON object describing the frame, with the spec's field names.
     */
    @Command(
        name = "decode",
        description = {
            "Decode one plaintext SV2 frame (6-byte header + payload) given in hex and print it as one JSON object.",
            "Whitespace and 0x prefixes in HEX are ignored. Exit code 2 on malformed input."})
    public static final class Decode implements Runnable
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "HEX", description = "The frame bytes in hex (may be split across arguments).")
        List<String> hex;

        @Override
        public void run()
        {
            final byte[] frame = parseHex(String.join(" ", hex));
            final DecodedMessage message;
            try
            {
                message = MessageCatalog.decodeFrame(
                    new UnsafeBuffer(frame), 0, frame.length, FrameHeaderFlyweight.MAX_MSG_LENGTH);
            }
            catch (final CodecException ex)
            {
                throw new CliException(ExitCode.BAD_INPUT, ex.getMessage());
            }
            final PrintWriter out = spec.commandLine().getOut();
            out.println(toJson(message).toString());
        }
    }

    /** Hex with optional whitespace and {@code 0x} prefixes to bytes; bad hex is {@link ExitCode#BAD_INPUT}. */
    static byte[] parseHex(final String text)
    {
        final StringBuilder digits = new StringBuilder(text.length());
        for (final String token : text.trim().split("\\s+"))
        {
            final String t = token.toLowerCase(Locale.ROOT);
            digits.append(t.startsWith("0x") ? t.substring(2) : t);
        }
        final String d = digits.toString();
        if (d.isEmpty() || (d.length() & 1) != 0)
        {
            throw new CliException(ExitCode.BAD_INPUT, "bad hex: " + (d.isEmpty() ? "empty" : "odd number of digits"));
        }
        try
        {
            return HexFormat.of().parseHex(d);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(ExitCode.BAD_INPUT, "bad hex: " + ex.getMessage());
        }
    }

    /** The JSON shape of one decoded frame: header facts, then fields by spec name in spec order, then TLVs. */
    static ObjectNode toJson(final DecodedMessage message)
    {
        final JsonNodeFactory f = JsonNodeFactory.instance;
        final MessageSchema schema = message.schema();
        final ObjectNode root = f.objectNode();
        root.put("extension_type", schema.extensionType());
        root.put("channel_msg", schema.channelMsg());
        root.put("msg_type", schema.msgType());
        root.put("name", schema.name());
        final ObjectNode fields = root.putObject("fields");
        for (final FieldSpec spec : schema.fields())
        {
            fields.set(spec.name(), fieldJson(spec.type(), message.field(spec.name())));
        }
        if (!message.tlvs().isEmpty())
        {
            final ArrayNode tlvs = root.putArray("tlv");
            for (final Tlv tlv : message.tlvs())
            {
                tlvs.addObject()
                    .put("extension_type", tlv.extensionType())
                    .put("field_type", tlv.fieldType())
                    .put("value", HexFormat.of().formatHex(tlv.value()));
            }
        }
        return root;
    }

    private static JsonNode fieldJson(final FieldType type, final Object value)
    {
        final JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (type.shape())
        {
            case SINGLE -> valueJson(type.element(), value);
            case OPTION -> value == null ? f.nullNode() : valueJson(type.element(), value);
            default ->
            {
                final ArrayNode array = f.arrayNode();
                for (final Object element : (List<?>)value)
                {
                    array.add(valueJson(type.element(), element));
                }
                yield array;
            }
        };
    }

    private static JsonNode valueJson(final Primitive primitive, final Object value)
    {
        final JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (primitive)
        {
            case BOOL -> f.booleanNode((Boolean)value);
            case U8, U16, U24 -> f.numberNode((Integer)value);
            case U32 -> f.numberNode((Long)value);
            case U64 ->
            {
                final long v = (Long)value;
                yield v >= 0 ? f.numberNode(v) : f.numberNode(new BigInteger(Long.toUnsignedString(v)));
            }
            case F32 -> f.numberNode((Float)value);
            case STR0_255 -> f.textNode((String)value);
            default -> f.textNode(HexFormat.of().formatHex((byte[])value));
        };
    }
}
