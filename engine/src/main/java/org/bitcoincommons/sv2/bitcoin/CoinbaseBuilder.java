package org.bitcoincommons.sv2.bitcoin;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the pool's coinbase: one input spending the null prevout with scriptSig
 * {@code BIP34 height ‖ extra bytes (e.g. an AuxPoW commitment) ‖ extranonce}, the payout outputs, the optional BIP141
 * witness commitment output (last), and in the witness form the 32-byte witness reserved value. Cold path; reuse
 * is not needed (one build per template).
 */
public final class CoinbaseBuilder
{
    /** Consensus bounds on the coinbase scriptSig length (bad-cb-length). */
    public static final int MIN_SCRIPT_SIG_LENGTH = 2;
    public static final int MAX_SCRIPT_SIG_LENGTH = 100;
    /** SV2 limit on the full extranonce (B0_32). */
    public static final int MAX_EXTRANONCE_LENGTH = 32;

    private int version = 2;
    private long height = -1;
    private byte[] scriptSigExtra = new byte[0];
    private int extranonceLength;
    private int sequence = 0xffff_ffff;
    private final List<TxOut> outputs = new ArrayList<>();
    private byte[] witnessCommitment;
    private byte[] witnessReservedValue = new byte[HashOrder.HASH_LENGTH];
    private int lockTime;

    public CoinbaseBuilder version(final int version)
    {
        this.version = version;
        return this;
    }

    /**
     * @param height the height of the block being mined (encoded per BIP34 by {@link Bip34Height}).
     */
    public CoinbaseBuilder height(final long height)
    {
        Bip34Height.encode(height);
        this.height = height;
        return this;
    }

    /**
     * Raw bytes placed after the height and before the extranonce (pool tag, AuxPoW {@code fabe6d6d} push, ...).
     */
    public CoinbaseBuilder scriptSigExtra(final byte[] extra)
    {
        this.scriptSigExtra = extra.clone();
        return this;
    }

    /**
     * @param length full extranonce length in bytes (extranonce_prefix plus rollable), 0..32.
     */
    public CoinbaseBuilder extranonceLength(final int length)
    {
        if (length < 0 || length > MAX_EXTRANONCE_LENGTH)
        {
            throw new IllegalArgumentException("extranonce length must be 0.." + MAX_EXTRANONCE_LENGTH + ": " + length);
        }
        this.extranonceLength = length;
        return this;
    }

    public CoinbaseBuilder sequence(final int sequence)
    {
        this.sequence = sequence;
        return this;
    }

    public CoinbaseBuilder addOutput(final long valueSats, final byte[] scriptPubKey)
    {
        if (valueSats < 0)
        {
            throw new IllegalArgumentException("negative output value " + valueSats);
        }
        outputs.add(new TxOut(valueSats, scriptPubKey));
        return this;
    }

    /**
     * Add the BIP141 commitment output (value 0, {@code 6a24aa21a9ed ‖ commitment}) after the payouts and make the
     * witness form carry the witness reserved value.
     *
     * @param commitment {@code sha256d(witness_root ‖ witness_reserved_value)}, see {@link Merkle#witnessCommitment}.
     */
    public CoinbaseBuilder witnessCommitment(final byte[] commitment)
    {
        if (commitment.length != HashOrder.HASH_LENGTH)
        {
            throw new IllegalArgumentException("witness commitment must be 32 bytes");
        }
        this.witnessCommitment = commitment.clone();
        return this;
    }

    /**
     * @param reserved the 32-byte witness reserved value (zeros unless a future soft fork says otherwise).
     */
    public CoinbaseBuilder witnessReservedValue(final byte[] reserved)
    {
        if (reserved.length != HashOrder.HASH_LENGTH)
        {
            throw new IllegalArgumentException("witness reserved value must be 32 bytes");
        }
        this.witnessReservedValue = reserved.clone();
        return this;
    }

    public CoinbaseBuilder lockTime(final int lockTime)
    {
        this.lockTime = lockTime;
        return this;
    }

    /**
     * @throws IllegalArgumentException if the height is missing, the scriptSig is outside 2..100 bytes, or there
     *     are no outputs.
     */
    public Coinbase build()
    {
        if (height < 0)
        {
            throw new IllegalArgumentException("coinbase height not set");
        }
        final byte[] heightPush = Bip34Height.encode(height);
        final int scriptSigLength = heightPush.length + scriptSigExtra.length + extranonceLength;
        if (scriptSigLength < MIN_SCRIPT_SIG_LENGTH || scriptSigLength > MAX_SCRIPT_SIG_LENGTH)
        {
            throw new IllegalArgumentException("coinbase scriptSig must be " + MIN_SCRIPT_SIG_LENGTH + ".." +
                MAX_SCRIPT_SIG_LENGTH + " bytes, would be " + scriptSigLength);
        }
        final List<TxOut> allOutputs = new ArrayList<>(outputs);
        if (witnessCommitment != null)
        {
            allOutputs.add(new TxOut(0, Merkle.witnessCommitmentScript(witnessCommitment)));
        }
        if (allOutputs.isEmpty())
        {
            throw new IllegalArgumentException("coinbase needs at least one output");
        }
        final boolean segwit = witnessCommitment != null;
        return new Coinbase(
            prefix(heightPush, scriptSigLength, false),
            suffix(allOutputs, false),
            prefix(heightPush, scriptSigLength, segwit),
            suffix(allOutputs, segwit),
            extranonceLength);
    }

    private byte[] prefix(final byte[] heightPush, final int scriptSigLength, final boolean witness)
    {
        final ByteWriter out = new ByteWriter(64 + scriptSigLength);
        out.int32(version);
        if (witness)
        {
            out.uint8(0x00).uint8(0x01);
        }
        out.compactSize(1).bytes(new byte[HashOrder.HASH_LENGTH]).int32(TxIn.NULL_INDEX)
            .compactSize(scriptSigLength).bytes(heightPush).bytes(scriptSigExtra);
        return out.toByteArray();
    }

    private byte[] suffix(final List<TxOut> allOutputs, final boolean witness)
    {
        final ByteWriter out = new ByteWriter(128);
        out.int32(sequence).compactSize(allOutputs.size());
        for (final TxOut o : allOutputs)
        {
            o.writeTo(out);
        }
        if (witness)
        {
            out.compactSize(1).varBytes(witnessReservedValue);
        }
        out.int32(lockTime);
        return out.toByteArray();
    }
}
