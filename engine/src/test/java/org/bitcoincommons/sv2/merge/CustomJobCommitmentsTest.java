package org.bitcoincommons.sv2.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Coinbase;
import org.bitcoincommons.sv2.bitcoin.CoinbaseBuilder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.work.JobFactory;
import org.junit.jupiter.api.Test;

/**
 * Which aux work a custom job's coinbase commits to: both commitments, AuxPoW only, RSK only, neither; the AuxPoW
 * nodes' rule of one magic, the RSK node's rule of at most 128 bytes after its hash; the previous work honoured, two
 * works old not; the allocate reply's outputs and the carrier's bytes.
 */
class CustomJobCommitmentsTest
{
    private static final byte[] LOOSE = Target.toLittleEndian(Target.fromDifficulty(1e-3));
    private static final byte[] TIGHT = Target.toLittleEndian(Target.fromDifficulty(1e3));

    private static byte[] hash(final String s)
    {
        return Sha256d.hash(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Namecoin (AuxPoW, index 1, the loosest target) and RSK (index 2) at work generation {@code n}. */
    private static AuxWorkSnapshot work(final int n)
    {
        return AuxWorkSnapshot.build(List.of(
            new AuxWorkSnapshot.ChainWork(1, "namecoin", AuxChainConfig.Kind.AUXPOW, 1, hash("nmc " + n), LOOSE, 50,
                100 + n, n, -1, new byte[0]),
            new AuxWorkSnapshot.ChainWork(2, "rsk", AuxChainConfig.Kind.RSK, 0, hash("rsk " + n), TIGHT, 7, -1, n, -1,
                new byte[0])));
    }

    /** A custom coinbase: {@code scriptSig} after the height, a payout, then {@code outputs}, a witness commitment. */
    private static Coinbase coinbase(final byte[] scriptSig, final byte[]... outputs)
    {
        final CoinbaseBuilder b = new CoinbaseBuilder().version(2).height(881_424).scriptSigExtra(scriptSig)
            .extranonceLength(12).sequence(-2).lockTime(0).addOutput(312_500_000, Hex.decode("0014" + "11".repeat(20)));
        for (final byte[] o : outputs)
        {
            b.addOutput(0, o);
        }
        return b.witnessCommitment(new byte[32]).build();
    }

    private static JobFactory.Decoration match(final AuxWorkSnapshot current, final AuxWorkSnapshot previous,
        final byte[] scriptSig, final byte[]... outputs)
    {
        return CustomJobCommitments.match(new AuxWorkBoard.Generations(current, previous), scriptSig,
            coinbase(scriptSig, outputs));
    }

    private static byte[] rskOutput(final AuxWorkSnapshot s)
    {
        return RskCommitment.outputScript(s.rsk().blockHash());
    }

    @Test
    void theAllocateReplyListsTheCarrierThenTheRskOutputAndTheCarrierHoldsTheScriptSigPush()
    {
        final AuxWorkSnapshot s = work(1);
        final List<JobFactory.Output> outputs = CustomJobCommitments.outputs(s);
        assertEquals(2, outputs.size());
        final byte[] carrier = outputs.get(0).scriptPubKey();
        assertEquals(0, outputs.get(0).valueSats());
        assertEquals(0, outputs.get(1).valueSats());
        // 6a 2d | 2c fabe6d6d <root, reversed> <size LE> <nonce LE>
        assertEquals("6a2d2c" + Hex.encode(s.commitment().encode()), Hex.encode(carrier));
        assertArrayEquals(s.commitment().scriptSigPush(), CustomJobCommitments.scriptSigPushOf(carrier));
        assertArrayEquals(rskOutput(s), outputs.get(1).scriptPubKey());
        assertNull(CustomJobCommitments.scriptSigPushOf(rskOutput(s)), "the RSK output is no carrier");
        assertEquals(List.of(), CustomJobCommitments.outputs(AuxWorkSnapshot.EMPTY));
    }

    @Test
    void eachCommittedChainKindIsCreditedAndOnlyIt()
    {
        final AuxWorkSnapshot s = work(1);
        final byte[] push = s.commitment().scriptSigPush();

        final JobFactory.Decoration both = match(s, AuxWorkSnapshot.EMPTY, push, rskOutput(s));
        assertEquals(0b110, both.chainMask());
        assertArrayEquals(LOOSE, both.auxMaxTarget());

        final JobFactory.Decoration auxPowOnly = match(s, AuxWorkSnapshot.EMPTY, push);
        assertEquals(0b010, auxPowOnly.chainMask());
        final AuxWorkSnapshot kept = (AuxWorkSnapshot)auxPowOnly.auxWork();
        assertEquals(s.commitment(), kept.commitment(), "the same tree: the proof's chain branch is unchanged");
        assertNull(kept.rsk());

        final JobFactory.Decoration rskOnly = match(s, AuxWorkSnapshot.EMPTY, new byte[0], rskOutput(s));
        assertEquals(0b100, rskOnly.chainMask());
        assertNull(((AuxWorkSnapshot)rskOnly.auxWork()).commitment());
        assertArrayEquals(TIGHT, rskOnly.auxMaxTarget(), "only the RSK target is left");

        assertSame(JobFactory.Decoration.NONE, match(s, AuxWorkSnapshot.EMPTY, new byte[0]));
        // the carrier copied as an output (a client ignoring the layout) commits to nothing: AuxPoW reads the scriptSig
        assertSame(JobFactory.Decoration.NONE, match(s, AuxWorkSnapshot.EMPTY, new byte[0],
            CustomJobCommitments.outputs(s).get(0).scriptPubKey()));
    }

    @Test
    void commitmentsTheAuxNodesWouldRefuseEarnNothing()
    {
        final AuxWorkSnapshot s = work(1);
        final byte[] push = s.commitment().scriptSigPush();
        final byte[] twice = Arrays.copyOf(push, push.length + AuxCommitment.MAGIC_LENGTH);
        System.arraycopy(AuxCommitment.MAGIC, 0, twice, push.length, AuxCommitment.MAGIC_LENGTH);
        assertSame(JobFactory.Decoration.NONE, match(s, AuxWorkSnapshot.EMPTY, twice), "two fabe6d6d: refused");
        // RSK allows at most 128 bytes after its hash; an 80-byte OP_RETURN after it breaks that
        final byte[] big = new byte[82];
        big[0] = 0x6a;
        big[1] = 80;
        assertEquals(0b010, match(s, AuxWorkSnapshot.EMPTY, push, rskOutput(s), big).chainMask());
        assertEquals(0b110, match(s, AuxWorkSnapshot.EMPTY, push, big, rskOutput(s)).chainMask());
    }

    @Test
    void thePreviousWorkIsHonouredAndOlderWorkIsNot()
    {
        final AuxWorkSnapshot w1 = work(1);
        final AuxWorkSnapshot w2 = work(2);
        final AuxWorkSnapshot w3 = work(3);
        final byte[] push1 = w1.commitment().scriptSigPush();
        final JobFactory.Decoration previous = match(w2, w1, push1, rskOutput(w1));
        assertEquals(0b110, previous.chainMask());
        assertArrayEquals(w1.rsk().blockHash(), ((AuxWorkSnapshot)previous.auxWork()).rsk().blockHash(),
            "credited on the work the coinbase named (the proof goes to it)");
        assertSame(JobFactory.Decoration.NONE, match(w3, w2, push1, rskOutput(w1)));
        // mixed: AuxPoW of the previous work, RSK of the current: the generation matching more chains wins (a tie:
        // the current one)
        final JobFactory.Decoration mixed = match(w2, w1, push1, rskOutput(w2));
        assertEquals(0b100, mixed.chainMask());
    }

    @Test
    void aCoinbaseOnlyJobsRskTransactionCountGivesTheCoinbaseItsBranch()
    {
        assertEquals(1, RskNode.transactionCount(0, 0));
        assertEquals(5, RskNode.transactionCount(0, 3), "5 transactions: a tree of depth 3");
        assertEquals(12, RskNode.transactionCount(11, 4), "a template's own count when it has one");
    }
}
