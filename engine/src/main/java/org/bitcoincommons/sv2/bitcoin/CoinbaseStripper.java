package org.bitcoincommons.sv2.bitcoin;

import java.util.Arrays;

/**
 * BIP141 stripping of a coinbase already split around its extranonce (e.g. a job from an upstream or a template
 * that kept the witness form): removes the marker/flag from the prefix and the witness stack from the suffix, so
 * that {@code prefix ‖ extranonce ‖ suffix} hashes to the txid. Unlike fixed-offset stripping it parses the
 * structure, so any witness stack shape and scriptSig bytes after the extranonce are handled, and malformed parts
 * fail. Cold path.
 */
public final class CoinbaseStripper
{
    private static final int VERSION_LENGTH = 4;
    private static final int OUTPOINT_LENGTH = 36;
    private static final int MIN_OUTPUT_BYTES = 9;

    /** A prefix/suffix pair in legacy (stripped) serialization. */
    public record Parts(byte[] prefix, byte[] suffix)
    {
    }

    private CoinbaseStripper()
    {
    }

    /**
     * @param prefix           serialization up to the extranonce (witness or legacy form).
     * @param suffix           serialization after the extranonce.
     * @param extranonceLength full extranonce bytes that go between them.
     * @return the legacy-form parts; copies of the inputs when they carry no BIP141 data.
     * @throws MalformedDataException if the parts do not form a one-input transaction.
     */
    public static Parts strip(final byte[] prefix, final byte[] suffix, final int extranonceLength)
    {
        final ByteCursor head = new ByteCursor(prefix);
        head.readIntLE("coinbase.version");
        boolean witness = false;
        if (head.peekUint8("coinbase.input_count") == 0x00)
        {
            head.readUint8("coinbase.marker");
            if (head.readUint8("coinbase.flag") != 0x01)
            {
                throw new MalformedDataException("coinbase prefix: unknown BIP144 flag");
            }
            witness = true;
        }
        if (head.readCompactSize(1, "coinbase.input_count") != 1)
        {
            throw new MalformedDataException("coinbase prefix: a coinbase has exactly one input");
        }
        head.skip(OUTPOINT_LENGTH, "coinbase.prevout");
        final long scriptLength = head.readCompactSize(CoinbaseBuilder.MAX_SCRIPT_SIG_LENGTH * 100L,
            "coinbase.script_sig_length");
        final long scriptAfterExtranonce = scriptLength - head.remaining() - extranonceLength;
        if (extranonceLength < 0 || scriptAfterExtranonce < 0)
        {
            throw new MalformedDataException("coinbase prefix: scriptSig length " + scriptLength +
                " is shorter than its prefix bytes plus a " + extranonceLength + "-byte extranonce");
        }

        final ByteCursor tail = new ByteCursor(suffix);
        tail.skip((int)scriptAfterExtranonce, "coinbase.script_sig_tail");
        tail.readIntLE("coinbase.sequence");
        final int outputs = tail.readCount(MIN_OUTPUT_BYTES, "coinbase.output_count");
        for (int i = 0; i < outputs; i++)
        {
            tail.readLongLE("coinbase.output.value");
            tail.skip((int)tail.readCompactSize(tail.remaining(), "coinbase.output.script_length"),
                "coinbase.output.script");
        }
        final int outputsEnd = tail.consumed();
        if (witness)
        {
            final int items = tail.readCount(1, "coinbase.witness.item_count");
            for (int i = 0; i < items; i++)
            {
                tail.skip((int)tail.readCompactSize(tail.remaining(), "coinbase.witness.item_length"),
                    "coinbase.witness.item");
            }
        }
        final int lockTimeStart = tail.consumed();
        tail.readIntLE("coinbase.locktime");
        if (tail.remaining() != 0)
        {
            throw new MalformedDataException("coinbase suffix: " + tail.remaining() + " bytes after the locktime");
        }
        if (!witness)
        {
            return new Parts(prefix.clone(), suffix.clone());
        }
        final byte[] strippedPrefix = new byte[prefix.length - 2];
        System.arraycopy(prefix, 0, strippedPrefix, 0, VERSION_LENGTH);
        System.arraycopy(prefix, VERSION_LENGTH + 2, strippedPrefix, VERSION_LENGTH, prefix.length - VERSION_LENGTH - 2);
        final byte[] strippedSuffix = Arrays.copyOf(suffix, outputsEnd + 4);
        System.arraycopy(suffix, lockTimeStart, strippedSuffix, outputsEnd, 4);
        return new Parts(strippedPrefix, strippedSuffix);
    }
}
