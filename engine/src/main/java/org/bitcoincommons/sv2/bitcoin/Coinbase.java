package org.bitcoincommons.sv2.bitcoin;

import java.util.Arrays;

/**
 * A coinbase transaction split around its extranonce, in both serializations, as SV2 jobs need it:
 *
 * <pre>
 *   legacy  = legacyPrefix  ‖ extranonce_prefix ‖ extranonce ‖ legacySuffix   (NewExtendedMiningJob, txid)
 *   witness = witnessPrefix ‖ extranonce_prefix ‖ extranonce ‖ witnessSuffix  (block, SubmitSolution)
 * </pre>
 *
 * The prefix ends right before the full extranonce (inside input 0's scriptSig); the suffix starts right after it
 * with the input's sequence. Built by {@link CoinbaseBuilder}; immutable.
 */
public final class Coinbase
{
    private final byte[] legacyPrefix;
    private final byte[] legacySuffix;
    private final byte[] witnessPrefix;
    private final byte[] witnessSuffix;
    private final int extranonceLength;

    Coinbase(
        final byte[] legacyPrefix, final byte[] legacySuffix, final byte[] witnessPrefix, final byte[] witnessSuffix,
        final int extranonceLength)
    {
        this.legacyPrefix = legacyPrefix;
        this.legacySuffix = legacySuffix;
        this.witnessPrefix = witnessPrefix;
        this.witnessSuffix = witnessSuffix;
        this.extranonceLength = extranonceLength;
    }

    /**
     * A coinbase somebody else built (a declared or custom job), from its serialization split around the full
     * extranonce; the legacy parts are derived by {@link CoinbaseStripper}. Either serialization may be given.
     *
     * @throws MalformedDataException if the parts do not form a one-input transaction
     */
    public static Coinbase fromParts(final byte[] prefix, final byte[] suffix, final int extranonceLength)
    {
        final CoinbaseStripper.Parts legacy = CoinbaseStripper.strip(prefix, suffix, extranonceLength);
        return new Coinbase(legacy.prefix(), legacy.suffix(), prefix.clone(), suffix.clone(), extranonceLength);
    }

    /**
     * @return SV2 {@code coinbase_tx_prefix}: the BIP141-stripped serialization up to the extranonce.
     */
    public byte[] prefix()
    {
        return legacyPrefix.clone();
    }

    /**
     * @return SV2 {@code coinbase_tx_suffix}: the BIP141-stripped serialization after the extranonce.
     */
    public byte[] suffix()
    {
        return legacySuffix.clone();
    }

    public byte[] witnessPrefix()
    {
        return witnessPrefix.clone();
    }

    public byte[] witnessSuffix()
    {
        return witnessSuffix.clone();
    }

    /**
     * @return total extranonce bytes (extranonce_prefix plus the miner's rollable part).
     */
    public int extranonceLength()
    {
        return extranonceLength;
    }

    /**
     * Assemble the full transaction bytes for a given full extranonce.
     */
    public byte[] serialize(final byte[] extranonce, final TxSerialization serialization)
    {
        if (extranonce.length != extranonceLength)
        {
            throw new IllegalArgumentException(
                "extranonce must be " + extranonceLength + " bytes, got " + extranonce.length);
        }
        final byte[] prefix = serialization == TxSerialization.LEGACY ? legacyPrefix : witnessPrefix;
        final byte[] suffix = serialization == TxSerialization.LEGACY ? legacySuffix : witnessSuffix;
        final byte[] out = Arrays.copyOf(prefix, prefix.length + extranonceLength + suffix.length);
        System.arraycopy(extranonce, 0, out, prefix.length, extranonceLength);
        System.arraycopy(suffix, 0, out, prefix.length + extranonceLength, suffix.length);
        return out;
    }

    public Transaction transaction(final byte[] extranonce)
    {
        return Transaction.parse(serialize(extranonce, TxSerialization.WITNESS));
    }

    public byte[] txid(final byte[] extranonce)
    {
        return Sha256d.hash(serialize(extranonce, TxSerialization.LEGACY));
    }
}
