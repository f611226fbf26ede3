package org.bitcoincommons.sv2.merge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Coinbase;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.work.JobFactory;

/**
 * Merged mining on custom jobs (Job Declaration): what the pool asks a JD client to put in its coinbase, and which aux
 * work a declared coinbase commits to. Cold path (once per token allocation, once per custom job).
 *
 * <p><b>What AllocateMiningJobToken.Success.coinbase_tx_outputs carries</b> (a CompactSize count, then the outputs in
 * this order, every one of value 0):
 * <pre>
 *  1. the pool's payout output                         (value 0: the client puts the template's value there)
 *  2. the AuxPoW carrier, when AuxPoW chains are mined: 47-byte script
 *       6a | 2d | 2c | fa be 6d 6d | aux root (32, byte-reversed) | merkle size (u32 LE) | merkle nonce (u32 LE)
 *       OP_RETURN, push 45 bytes: the 45 bytes to place in the coinbase scriptSig (push 44 + the commitment)
 *  3. the RSK commitment, when RSK is mined: 43-byte script 6a | 29 | "RSKBLOCK:" | hashForMergedMining (32)
 * </pre>
 * A client that knows this copies the carrier's 45-byte push (script bytes 2..46) into its coinbase scriptSig (after
 * the BIP34 height, before the extranonce) and may drop the carrier output; it keeps the RSK output as the last
 * output before the witness commitment (RSK allows at most 128 bytes after its hash). A client that ignores it (SRI's
 * JDC copies the outputs as given) still mines: its coinbase has the carrier as a harmless zero-value OP_RETURN and
 * the RSK output, so it earns RSK credit but not AuxPoW credit (the AuxPoW chains look in input 0's scriptSig only).
 *
 * <p><b>What a custom job is credited on</b>: each chain kind whose commitment the coinbase carries, of the pool's
 * current aux work or of the one before it (the work a token allocated before the last change carried; it stays
 * acceptable until the aux work changes again), judged as the aux nodes judge: AuxPoW: exactly one {@code fabe6d6d} in
 * the scriptSig, followed by that work's root, size and nonce; RSK: the last {@code RSKBLOCK:} tag in the legacy
 * coinbase followed by that work's hash and its position acceptable to the RSK node. When the current and the previous
 * work both match some chains, the one matching more chains is taken (the current one on a tie). Nothing matched:
 * Bitcoin only.
 */
public final class CustomJobCommitments
{
    /** Length of the AuxPoW carrier output's script. */
    public static final int CARRIER_SCRIPT_LENGTH = 2 + 1 + AuxCommitment.ENCODED_LENGTH;

    private CustomJobCommitments()
    {
    }

    /** The AuxPoW carrier script: {@code 6a 2d 2c || commitment}. */
    public static byte[] carrierScript(final AuxCommitment commitment)
    {
        final byte[] push = commitment.scriptSigPush();
        final byte[] out = new byte[2 + push.length];
        out[0] = 0x6a;
        out[1] = (byte)push.length;
        System.arraycopy(push, 0, out, 2, push.length);
        return out;
    }

    /** The 45 scriptSig bytes a carrier script asks for, or null when {@code script} is not a carrier. */
    public static byte[] scriptSigPushOf(final byte[] script)
    {
        if (script.length != CARRIER_SCRIPT_LENGTH || script[0] != 0x6a || script[1] != CARRIER_SCRIPT_LENGTH - 2
            || script[2] != AuxCommitment.ENCODED_LENGTH
            || !Arrays.equals(script, 3, 3 + AuxCommitment.MAGIC_LENGTH, AuxCommitment.MAGIC, 0,
                AuxCommitment.MAGIC_LENGTH))
        {
            return null;
        }
        return Arrays.copyOfRange(script, 2, script.length);
    }

    /** The outputs after the payout in the allocate reply for this aux work (carrier, then RSK), all of value 0. */
    static List<JobFactory.Output> outputs(final AuxWorkSnapshot s)
    {
        final List<JobFactory.Output> out = new ArrayList<>(2);
        final AuxCommitment c = s.commitment();
        if (c != null)
        {
            out.add(new JobFactory.Output(0, carrierScript(c)));
        }
        if (s.rsk() != null)
        {
            out.add(new JobFactory.Output(0, RskCommitment.outputScript(s.rsk().blockHash())));
        }
        return List.copyOf(out);
    }

    /** The aux work (current, else previous) this custom coinbase commits to, as a decoration; NONE when none. */
    static JobFactory.Decoration match(final AuxWorkBoard.Generations g, final byte[] scriptSigPrefix,
        final Coinbase coinbase)
    {
        final AuxCommitment found = onlyCommitment(scriptSigPrefix);
        final byte[] legacy = coinbase.serialize(new byte[coinbase.extranonceLength()], TxSerialization.LEGACY);
        final byte[] rskHash = RskCommitment.positionProblem(legacy) == null ? RskCommitment.find(legacy) : null;
        final AuxWorkSnapshot current = committed(g.current(), found, rskHash);
        final AuxWorkSnapshot previous = committed(g.previous(), found, rskHash);
        final AuxWorkSnapshot s = previous.chains().size() > current.chains().size() ? previous : current;
        if (s.isEmpty())
        {
            return JobFactory.Decoration.NONE;
        }
        return new JobFactory.Decoration(new byte[0], List.of(), s.chainMask(), s, s.maxTargetLe());
    }

    /** The part of {@code s} the commitments found match (EMPTY when none). */
    private static AuxWorkSnapshot committed(final AuxWorkSnapshot s, final AuxCommitment found, final byte[] rskHash)
    {
        if (s.isEmpty())
        {
            return AuxWorkSnapshot.EMPTY;
        }
        final boolean auxPow = found != null && found.equals(s.commitment());
        final boolean rsk = rskHash != null && s.rsk() != null && Arrays.equals(rskHash, s.rsk().blockHash());
        return s.restrictedTo(auxPow, rsk);
    }

    /** The commitment of a scriptSig with exactly one {@code fabe6d6d} (the AuxPoW chains refuse two), or null. */
    static AuxCommitment onlyCommitment(final byte[] scriptSig)
    {
        final int first = AuxCommitment.indexOf(scriptSig, AuxCommitment.MAGIC, 0);
        if (first < 0 || AuxCommitment.indexOf(scriptSig, AuxCommitment.MAGIC, first + 1) >= 0)
        {
            return null;
        }
        return AuxCommitment.find(scriptSig);
    }
}
