package org.bitcoincommons.sv2.merge;

import static org.bitcoincommons.sv2.merge.MergeHarness.auxpow;
import static org.bitcoincommons.sv2.merge.MergeHarness.await;
import static org.bitcoincommons.sv2.merge.MergeHarness.disabledFee;
import static org.bitcoincommons.sv2.merge.MergeHarness.meetsButNot;
import static org.bitcoincommons.sv2.merge.MergeHarness.rsk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, items 3 and 4: each aux block is submitted once and rewarded at most once, whatever the node answers to a
 * repeat; each submission has one outcome (accepted, rejected or unknown), with retries of the submission and of its
 * confirmation, and the counters (live, journaled and replayed) add up. Fake nodes answer as Namecoin Core and rskj do
 * (see {@link FakeAuxPowNode}, {@link FakeRskNode}).
 */
class AuxOutcomeTest
{
    /** Bitcoin: one hash in 2^16. */
    static final int BTC_BITS = 0x1f00ffff;
    /** Namecoin-like chain: one in 2^12. */
    static final int NMC_BITS = 0x1f0fffff;
    /** RSK: one in 2^6 (every Namecoin proof is also an RSK proof). */
    static final BigInteger RSK_TARGET = BigInteger.ONE.shiftLeft(250);
    static final long NMC_REWARD = 50_0000_0000L;
    static final long RSK_REWARD = 1_000_000_000_000L;

    @TempDir
    Path dir;

    private static void assertAddsUp(final MergeMiningChannel c)
    {
        assertEquals(c.sharesSubmitted(), c.accepted() + c.rejected() + c.unknown() + c.inFlight(), c.toString());
    }

    private static void assertAddsUp(final AccountingState.ChainStats c)
    {
        assertEquals(c.auxSubmitted(), c.auxAccepted() + c.auxRejected() + c.auxUnknown() + c.auxInFlight());
        assertTrue(c.auxInFlight() >= 0);
    }

    private static MergeMiningChannel channel(final MergeHarness h, final int i)
    {
        return h.coordinator.channels().get(i);
    }

    /** Every candidate of the chain handled: submitted or recognised as a duplicate, none in flight. */
    private static boolean handled(final MergeMiningChannel c, final long candidates)
    {
        return c.sharesSubmitted() + c.duplicates() == candidates && c.inFlight() == 0;
    }

    @Test
    void repeatedProofsOfOneAuxBlockAreSubmittedOnceAndRewardedOnce() throws Exception
    {
        final int rounds = 10;
        final int perRound = 3;
        try (FakeAuxPowNode nmc = new FakeAuxPowNode(1, NMC_BITS); FakeRskNode rskNode = new FakeRskNode(RSK_TARGET);
             MergeHarness h = new MergeHarness(dir, BTC_BITS, List.of(auxpow("namecoin", 1, nmc.url(), 2000),
                 rsk(rskNode.url())), disabledFee()))
        {
            for (int r = 0; r < rounds; r++)
            {
                final int round = r;
                h.awaitWork("namecoin", round + 1);
                h.awaitWork("rsk", round + 1);
                h.refreshJob();
                // as in the issue, the repeats come before the node's next createauxblock: it still has the block
                // and would answer a resubmission with true; RSK keeps the work and would import a sibling
                nmc.hold("createauxblock");
                for (int s = 0; s < perRound; s++)
                {
                    h.mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
                }
                await(() -> handled(channel(h, 0), (round + 1L) * perRound)
                    && handled(channel(h, 1), (round + 1L) * perRound), "round " + round + "'s candidates handled");
                nmc.release("createauxblock");
                await(() -> nmc.acceptedBlocks().size() == round + 1 && rskNode.acceptedBlocks().size() == round + 1,
                    "round " + round + "'s blocks");
            }
            h.drainLogicThread();
            final String report = "namecoin: pool accepted " + channel(h, 0).accepted() + " rewarded "
                + h.coordinator.recorder().blocks(1) + ", node accepted " + nmc.acceptedBlocks().size()
                + " (repeats reaching it " + nmc.repeats() + "); rsk: pool accepted " + channel(h, 1).accepted()
                + " rewarded " + h.coordinator.recorder().blocks(2) + ", node accepted " + rskNode.acceptedBlocks().size()
                + " (other imports " + rskNode.otherImports().size() + ")";
            System.out.println("issue 12 item 3, " + rounds + " aux blocks x " + perRound + " proofs each: " + report);
            for (int i = 0; i < 2; i++)
            {
                final MergeMiningChannel c = channel(h, i);
                assertEquals(rounds, c.sharesSubmitted(), report);
                assertEquals(rounds, c.accepted(), report);
                assertEquals((long)rounds * (perRound - 1), c.duplicates(), report);
                assertAddsUp(c);
            }
            assertEquals(nmc.acceptedBlocks().size(), h.coordinator.recorder().blocks(1), report);
            assertEquals(rskNode.acceptedBlocks().size(), h.coordinator.recorder().blocks(2), report);
            assertEquals(0, nmc.repeats(), "no repeat ever reached the node");
            assertEquals(List.of(), rskNode.otherImports());
            assertEquals(2L * rounds * (perRound - 1), h.coordinator.metrics().duplicatesSuppressed.sum());

            final AccountingState.ChainStats n = h.state.chainStats(1);
            assertEquals(rounds * NMC_REWARD, n.rewards());
            assertEquals(rounds * RSK_REWARD, h.state.chainStats(2).rewards());
            assertEquals(rounds, n.auxSubmitted());
            assertEquals(0, n.unallocated());
            assertAddsUp(n);
            assertEquals(h.state.toMap(), h.replay().toMap());
        }
    }

    @Test
    void aFailedConfirmationNeitherRejectsTheBlockNorLosesItsReward() throws Exception
    {
        try (FakeAuxPowNode nmc = new FakeAuxPowNode(1, NMC_BITS);
             MergeHarness h = new MergeHarness(dir, BTC_BITS, List.of(auxpow("namecoin", 1, nmc.url(), 2000)),
                 disabledFee()))
        {
            h.awaitChains(1);
            h.refreshJob();
            nmc.failNext("getblockhash", 2);
            nmc.failNext("getbestblockhash", 2);
            h.mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
            await(() -> handled(channel(h, 0), 1), "the submission's outcome");
            h.drainLogicThread();
            final MergeMiningChannel c = channel(h, 0);
            assertEquals(1, c.accepted(), c.toString());
            assertEquals(0, c.rejected(), c.toString());
            assertAddsUp(c);
            assertEquals(1, nmc.acceptedBlocks().size());
            assertEquals(1, h.coordinator.recorder().blocks(1));
            assertTrue(h.coordinator.metrics().confirmRetries.sum() >= 2);
            final AccountingState.ChainStats s = h.replay().chainStats(1);
            assertEquals(1, s.auxSubmitted());
            assertEquals(1, s.auxAccepted());
            assertEquals(0, s.auxRejected());
            assertEquals(NMC_REWARD, s.rewards());
            assertAddsUp(s);
        }
    }

    @Test
    void aTransientSubmitFailureIsRetried() throws Exception
    {
        try (FakeAuxPowNode nmc = new FakeAuxPowNode(1, NMC_BITS);
             MergeHarness h = new MergeHarness(dir, BTC_BITS, List.of(auxpow("namecoin", 1, nmc.url(), 2000)),
                 disabledFee()))
        {
            h.awaitChains(1);
            h.refreshJob();
            nmc.failNext("submitauxblock", 2);
            h.mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
            await(() -> handled(channel(h, 0), 1), "the submission's outcome");
            assertEquals(1, nmc.acceptedBlocks().size());
            assertEquals(1, channel(h, 0).accepted());
            assertEquals(2, h.coordinator.metrics().submitRetries.sum());
            assertEquals(1, h.coordinator.recorder().blocks(1));
            assertTrue(channel(h, 0).up(), "two failed requests are fewer than down_after_failures (3)");
        }
    }

    @Test
    void aLostAnswerIsSettledByAskingTheChainNotByCountingTheRetry() throws Exception
    {
        try (FakeAuxPowNode nmc = new FakeAuxPowNode(1, NMC_BITS); FakeRskNode rskNode = new FakeRskNode(RSK_TARGET);
             MergeHarness h = new MergeHarness(dir, BTC_BITS, List.of(auxpow("namecoin", 1, nmc.url(), 2000),
                 rsk(rskNode.url())), disabledFee()))
        {
            h.awaitChains(2);
            h.refreshJob();
            // both nodes take the block, but their answers are lost: the retries meet a node that already has it
            nmc.loseAnswers("submitauxblock", 1);
            rskNode.loseAnswers("mnr_submitBitcoinBlockPartialMerkle", 1);
            h.mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
            await(() -> handled(channel(h, 0), 1) && handled(channel(h, 1), 1), "both outcomes");
            h.drainLogicThread();
            assertEquals(1, nmc.acceptedBlocks().size());
            assertEquals(1, rskNode.acceptedBlocks().size());
            assertEquals(List.of("EXIST"), rskNode.otherImports(), "the RSK retry met the block it already had");
            for (int i = 0; i < 2; i++)
            {
                assertEquals(1, channel(h, i).accepted(), channel(h, i).toString());
                assertAddsUp(channel(h, i));
                assertEquals(1, h.coordinator.recorder().blocks(i + 1));
            }
            assertEquals(NMC_REWARD, h.state.chainStats(1).rewards());
            assertEquals(RSK_REWARD, h.state.chainStats(2).rewards());
            assertEquals(h.state.toMap(), h.replay().toMap());
        }
    }

    @Test
    void aSubmissionNeverAnsweredWithinTheWorksLifetimeIsUnknown() throws Exception
    {
        try (FakeAuxPowNode nmc = new FakeAuxPowNode(1, NMC_BITS);
             MergeHarness h = new MergeHarness(dir, BTC_BITS, List.of(auxpow("namecoin", 1, nmc.url(), 2000)
                 .withHealth(3, 400)), disabledFee()))
        {
            h.awaitChains(1);
            h.refreshJob();
            nmc.failNext("submitauxblock", 1_000_000);
            h.mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
            await(() -> handled(channel(h, 0), 1), "the submission's outcome");
            h.drainLogicThread();
            final MergeMiningChannel c = channel(h, 0);
            assertEquals(1, c.unknown(), c.toString());
            assertAddsUp(c);
            assertEquals(0, h.coordinator.recorder().blocks(1));
            assertTrue(h.coordinator.metrics().submitRetries.sum() >= 2);
            final AccountingState replayed = h.replay();
            assertEquals(1, replayed.chainStats(1).auxUnknown());
            assertEquals(0, replayed.chainStats(1).auxInFlight());
            assertAddsUp(replayed.chainStats(1));
            assertEquals(h.state.toMap(), replayed.toMap());
        }
    }

    @Test
    void aSubmissionInFlightAtShutdownIsJournaledAsUnknown() throws Exception
    {
        final FakeAuxPowNode nmc = new FakeAuxPowNode(1, NMC_BITS);
        try (nmc; MergeHarness h = new MergeHarness(dir, BTC_BITS, List.of(auxpow("namecoin", 1, nmc.url(), 1000)),
            disabledFee()))
        {
            h.awaitChains(1);
            h.refreshJob();
            nmc.hold("submitauxblock");
            h.mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
            await(() -> nmc.held("submitauxblock") == 1, "the submission blocked in the node");
            assertEquals(1, channel(h, 0).inFlight());
            h.coordinator.close();
            h.drainLogicThread();
            final MergeMiningChannel c = channel(h, 0);
            assertEquals(1, c.unknown(), c.toString());
            assertEquals(0, c.inFlight());
            assertAddsUp(c);
            final AccountingState replayed = h.replay();
            final AccountingState.ChainStats s = replayed.chainStats(1);
            assertEquals(1, s.auxSubmitted());
            assertEquals(1, s.auxUnknown());
            assertEquals(0, s.auxInFlight());
            assertAddsUp(s);
            assertEquals(h.state.toMap(), replayed.toMap());
            @SuppressWarnings("unchecked")
            final Map<String, Object> json = (Map<String, Object>)((Map<String, Object>)replayed.toMap().get("chains"))
                .get("namecoin");
            assertEquals(1L, json.get("aux_unknown"));
            assertEquals(0L, json.get("aux_in_flight"));
        }
    }

    @Test
    void auxPowAcceptancesAndRejectionsAreLoggedOneLineEach() throws Exception
    {
        final Logger logger = (Logger)LoggerFactory.getLogger("org.bitcoincommons.sv2.merge");
        final ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (FakeAuxPowNode nmc = new FakeAuxPowNode(1, NMC_BITS);
             MergeHarness h = new MergeHarness(dir, BTC_BITS, List.of(auxpow("namecoin", 1, nmc.url(), 2000)),
                 disabledFee()))
        {
            h.awaitChains(1);
            h.refreshJob();
            h.mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
            await(() -> handled(channel(h, 0), 1), "the accepted block");
            // stale work: the node's tip moved and it handed out work on the new tip; a proof for the old job
            h.awaitWork("namecoin", 2); // work on top of the accepted block
            h.refreshJob();
            nmc.advanceTipElsewhere();
            h.awaitWork("namecoin", 3); // work on the node's new tip: the job's block is gone from the node
            h.mineShare(meetsButNot(Target.fromCompact(NMC_BITS), Target.fromCompact(BTC_BITS)));
            await(() -> handled(channel(h, 0), 2), "the stale block");
            final List<String> outcomes = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("aux chain namecoin: block ")).toList();
            assertEquals(2, outcomes.size(), outcomes.toString());
            assertTrue(outcomes.get(0).contains(" accepted (reward 5000000000 recorded)"), outcomes.get(0));
            assertTrue(outcomes.get(1).contains(" rejected: ") && outcomes.get(1).contains("block hash unknown"),
                outcomes.get(1));
            assertTrue(lines.list.stream().filter(e -> e.getFormattedMessage().startsWith("aux chain namecoin: block "))
                .noneMatch(e -> e.getThreadName().startsWith("main")), "logged off the pool logic (test) thread");
        }
        finally
        {
            logger.detachAppender(lines);
        }
    }
}
