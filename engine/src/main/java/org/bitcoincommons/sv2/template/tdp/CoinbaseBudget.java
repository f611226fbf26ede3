package org.bitcoincommons.sv2.template.tdp;

import java.util.List;

import org.bitcoincommons.sv2.bitcoin.AddressCodec;
import org.bitcoincommons.sv2.bitcoin.Base58;
import org.bitcoincommons.sv2.bitcoin.CompactSize;
import org.bitcoincommons.sv2.bitcoin.Network;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;

/**
 * What the pool adds to a Template Provider's coinbase, sent as CoinbaseOutputConstraints so that the provider leaves
 * room for it in the block: the serialized size of the pool's own outputs (payout, fee, merged-mining commitments)
 * and their signature-operation cost. The provider reserves {@code max(2000, 1168 + 400 + 4 * size)} weight units for
 * the coinbase (sv2-tp), so overestimating by a few bytes costs a few weight units; underestimating can make a full
 * block invalid.
 *
 * @param maxAdditionalSize   serialized bytes of the outputs the pool adds (8-byte value, CompactSize length, script)
 * @param maxAdditionalSigops their signature-operation cost: legacy sigops times 4 (the witness scale factor), the unit
 *                            of Bitcoin Core's 80,000 block limit and of the 400 it reserves for a coinbase
 */
public record CoinbaseBudget(long maxAdditionalSize, int maxAdditionalSigops)
{
    /** Sigop cost of one legacy sigop (BIP141's witness scale factor). */
    private static final int WITNESS_SCALE_FACTOR = 4;
    private static final int OP_PUSHDATA1 = 0x4c;
    private static final int OP_PUSHDATA2 = 0x4d;
    private static final int OP_PUSHDATA4 = 0x4e;
    private static final int OP_CHECKSIG = 0xac;
    private static final int OP_CHECKSIGVERIFY = 0xad;
    private static final int OP_CHECKMULTISIG = 0xae;
    private static final int OP_CHECKMULTISIGVERIFY = 0xaf;
    /** Legacy count of an inexact CHECKMULTISIG (Bitcoin Core's MAX_PUBKEYS_PER_MULTISIG). */
    private static final int MULTISIG_SIGOPS = 20;

    public CoinbaseBudget
    {
        if (maxAdditionalSize < 0 || maxAdditionalSize > 0xffff_ffffL)
        {
            throw new IllegalArgumentException("maxAdditionalSize must fit a U32, got " + maxAdditionalSize);
        }
        if (maxAdditionalSigops < 0 || maxAdditionalSigops > 0xffff)
        {
            throw new IllegalArgumentException("maxAdditionalSigops must fit a U16, got " + maxAdditionalSigops);
        }
    }

    /** Bytes of the RSK merged-mining output's script: OP_RETURN, a 41-byte push of "RSKBLOCK:" and the hash. */
    private static final int RSK_COMMITMENT_SCRIPT_LENGTH = 43;

    /**
     * What this pool's coinbase adds to a template: the payout output, plus what merged mining may add (the fee output
     * to the commons address when the fee is auto-distributed, an RSK commitment when an RSK chain is mined).
     *
     * @param payoutScript the pool's payout scriptPubKey
     * @throws ConfigException when the commons address is not an address of the configured network
     */
    public static CoinbaseBudget forPool(final EngineConfig config, final byte[] payoutScript)
    {
        CoinbaseBudget budget = ofScripts(List.of(payoutScript));
        final var fee = config.stratumV2().mergeMiningFee();
        if (fee.enabled() && fee.autoDistribute())
        {
            try
            {
                budget = budget.plus(ofScripts(List.of(new AddressCodec(Network.of(config.template().network()),
                    Base58::decodeCheck).scriptPubKey(fee.commonsAddress()))));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException("stratum_v2.merge_mining_fee.commons_address: " + ex.getMessage(), ex);
            }
        }
        if (config.stratumV2().mergeMiningEnabled() && config.merge().enabled(config.stratumV2()).stream()
            .anyMatch(c -> c.kind() == AuxChainConfig.Kind.RSK))
        {
            budget = budget.plusOutputs(1, RSK_COMMITMENT_SCRIPT_LENGTH);
        }
        return budget;
    }

    /** The budget of outputs with these scriptPubKeys. */
    public static CoinbaseBudget ofScripts(final List<byte[]> scriptPubKeys)
    {
        long size = 0;
        int sigops = 0;
        for (final byte[] script : scriptPubKeys)
        {
            size += outputSize(script.length);
            sigops += legacySigops(script) * WITNESS_SCALE_FACTOR;
        }
        return new CoinbaseBudget(size, Math.min(sigops, 0xffff));
    }

    /** Serialized size of an output whose script is {@code scriptLength} bytes. */
    public static long outputSize(final int scriptLength)
    {
        return 8 + CompactSize.encodedLength(scriptLength) + scriptLength;
    }

    /** This budget and {@code other} together. */
    public CoinbaseBudget plus(final CoinbaseBudget other)
    {
        return new CoinbaseBudget(maxAdditionalSize + other.maxAdditionalSize,
            Math.min(0xffff, maxAdditionalSigops + other.maxAdditionalSigops));
    }

    /** This budget plus {@code outputs} more outputs of at most {@code scriptLength} bytes without sigops. */
    public CoinbaseBudget plusOutputs(final int outputs, final int scriptLength)
    {
        return new CoinbaseBudget(maxAdditionalSize + outputs * outputSize(scriptLength), maxAdditionalSigops);
    }

    /**
     * Counts signature operations the way Bitcoin Core's {@code GetSigOpCount(false)} does for an output script:
     * CHECKSIG(VERIFY) is 1, CHECKMULTISIG(VERIFY) is 20, pushed data is skipped. A truncated push ends the count.
     */
    static int legacySigops(final byte[] script)
    {
        int count = 0;
        int i = 0;
        while (i < script.length)
        {
            final int op = script[i++] & 0xff;
            if (op >= 0x01 && op < OP_PUSHDATA1)
            {
                i += op;
            }
            else if (op == OP_PUSHDATA1 || op == OP_PUSHDATA2 || op == OP_PUSHDATA4)
            {
                final int width = op == OP_PUSHDATA1 ? 1 : op == OP_PUSHDATA2 ? 2 : 4;
                if (i + width > script.length)
                {
                    break;
                }
                long length = 0;
                for (int b = width - 1; b >= 0; b--)
                {
                    length = (length << 8) | (script[i + b] & 0xff);
                }
                i += width;
                if (length > script.length - i)
                {
                    break;
                }
                i += (int)length;
            }
            else if (op == OP_CHECKSIG || op == OP_CHECKSIGVERIFY)
            {
                count++;
            }
            else if (op == OP_CHECKMULTISIG || op == OP_CHECKMULTISIGVERIFY)
            {
                count += MULTISIG_SIGOPS;
            }
        }
        return count;
    }
}
