package org.bitcoincommons.sv2.jd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.codec.jd.PushSolution;
import org.junit.jupiter.api.Test;

/**
 * Which declaration a PushSolution completes: the message names no job, and a client whose own block moved the tip
 * may declare on the next tip before its push arrives (a run of {@code JobDeclarationClientTest} in CI lost the JDS's
 * copy of the block that way). The JDS takes the newest declaration on the solution's tip whose header meets its
 * target. Checked on the header's proof of work itself: the block returned must hash below the target, the others
 * must not be chosen.
 */
class JdsPushSolutionTest
{
    /** Regtest's compact target: about half of all headers meet it, so a nonce is found in a few tries. */
    private static final int EASY = 0x207fffff;
    private static final byte[] TIP_A = filled(0x11);
    private static final byte[] TIP_B = filled(0x22);
    private static final byte[] EXTRANONCE = Hex.decode("0102030405060708");

    private static byte[] filled(final int b)
    {
        final byte[] a = new byte[32];
        Arrays.fill(a, (byte)b);
        return a;
    }

    /**
     * A declaration whose coinbase pays {@code tag} (so each declaration has its own merkle root), with an extranonce
     * of {@code extranonceLength} bytes at the end of its scriptSig.
     */
    private static Declaration declaration(final byte[] prevHash, final int tag, final int extranonceLength)
    {
        final byte[] prefix = Hex.decode("01000000" + "01" + "00".repeat(32) + "ffffffff"
            + String.format("%02x", 4 + extranonceLength) + "03a08601");
        final byte[] suffix = Hex.decode("ffffffff" + "01" + String.format("%016x", Long.reverseBytes(5_000_000_000L + tag))
            + "0151" + "00000000");
        return new Declaration(1, 0x20000000, prevHash, EASY, 100_000, prefix, suffix, extranonceLength, null,
            List.of(), List.of(), new byte[0]);
    }

    private static boolean meets(final byte[] block)
    {
        final byte[] target = new byte[32];
        Target.compactToLittleEndian(EASY, target, 0);
        return Target.hashMeetsTarget(Sha256d.hash(Arrays.copyOf(block, 80)), 0, target, 0);
    }

    private static byte[] blockOf(final Declaration d, final PushSolution s)
    {
        return JdsConnection.block(d, s.extranonce(), (int)s.version(), s.prevHash(), (int)s.ntime(), (int)s.nbits(),
            (int)s.nonce());
    }

    /** A solution on {@code tip} that {@code mined}'s header meets and {@code other}'s (if any) does not. */
    private static PushSolution solvedFor(final Declaration mined, final Declaration other, final byte[] tip)
    {
        for (long nonce = 0; ; nonce++)
        {
            final PushSolution s = new PushSolution(EXTRANONCE, tip, nonce, 1_700_000_000L, EASY, 0x20000000L);
            if (meets(blockOf(mined, s)) && (other == null || !meets(blockOf(other, s))))
            {
                return s;
            }
        }
    }

    @Test
    void aSolutionPushedAfterTheNextTipsDeclarationCompletesTheDeclarationItWasMinedOn()
    {
        final Declaration mined = declaration(TIP_A, 1, EXTRANONCE.length);
        final Declaration next = declaration(TIP_B, 2, EXTRANONCE.length);
        final PushSolution s = solvedFor(mined, null, TIP_A);
        final byte[] block = JdsConnection.solutionBlock(List.of(next, mined), s);
        assertArrayEquals(blockOf(mined, s), block);
        assertTrue(meets(block));
    }

    @Test
    void onOneTipTheDeclarationWhoseHeaderMeetsTheTargetIsChosenNotTheNewest()
    {
        final Declaration mined = declaration(TIP_A, 1, EXTRANONCE.length);
        final Declaration newer = declaration(TIP_A, 2, EXTRANONCE.length);
        final PushSolution s = solvedFor(mined, newer, TIP_A);
        assertFalse(meets(blockOf(newer, s)));
        assertArrayEquals(blockOf(mined, s), JdsConnection.solutionBlock(List.of(newer, mined), s));
    }

    @Test
    void withoutAMatchTheNewestOnTheTipThenTheNewestOfAllIsSubmittedForTheNodeToJudge()
    {
        final Declaration olderOnTip = declaration(TIP_A, 1, EXTRANONCE.length);
        final Declaration newest = declaration(TIP_B, 2, EXTRANONCE.length);
        // a nonce whose header on TIP_A's declaration misses the target: nothing meets it there
        PushSolution s = null;
        for (long nonce = 0; s == null; nonce++)
        {
            final PushSolution t = new PushSolution(EXTRANONCE, TIP_A, nonce, 1_700_000_000L, EASY, 0x20000000L);
            if (!meets(blockOf(olderOnTip, t)))
            {
                s = t;
            }
        }
        assertArrayEquals(blockOf(olderOnTip, s), JdsConnection.solutionBlock(List.of(newest, olderOnTip), s));
        final PushSolution elsewhere = new PushSolution(EXTRANONCE, filled(0x33), 7, 1_700_000_000L, EASY, 0x20000000L);
        assertArrayEquals(blockOf(newest, elsewhere),
            JdsConnection.solutionBlock(List.of(newest, olderOnTip), elsewhere));
    }

    @Test
    void aSolutionWhoseExtranonceFitsNoDeclarationCompletesNone()
    {
        final PushSolution s = new PushSolution(Hex.decode("0102"), TIP_A, 1, 1_700_000_000L, EASY, 0x20000000L);
        assertNull(JdsConnection.solutionBlock(List.of(declaration(TIP_A, 1, EXTRANONCE.length)), s));
        assertNull(JdsConnection.solutionBlock(List.of(), s));
    }
}
