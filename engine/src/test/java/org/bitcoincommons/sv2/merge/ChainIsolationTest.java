package org.bitcoincommons.sv2.merge;

import static org.bitcoincommons.sv2.merge.MergeHarness.auxpow;
import static org.bitcoincommons.sv2.merge.MergeHarness.await;
import static org.bitcoincommons.sv2.merge.MergeHarness.disabledFee;
import static org.bitcoincommons.sv2.merge.MergeHarness.meetsButNot;
import static org.bitcoincommons.sv2.merge.MergeHarness.rsk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, item 5: each aux chain has its own submission and polling path, so one slow node delays only its own
 * chain; a chain goes down only after {@code down_after_failures} consecutive failures or when its work is older than
 * {@code max_work_age_ms}, and only changes of state are logged. Checked by counting, never by timing.
 */
class ChainIsolationTest
{
    static final int BTC_BITS = 0x1f00ffff;
    /** Both AuxPoW chains: one in 2^8. */
    static final int AUX_BITS = 0x2000ffff;
    /** RSK: one in 2^6, looser than the AuxPoW chains. */
    static final BigInteger RSK_TARGET = BigInteger.ONE.shiftLeft(250);

    @TempDir
    Path dir;

    private static MergeMiningChannel channel(final MergeHarness h, final String name)
    {
        return h.coordinator.channels().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aNodeThatDoesNotAnswerDelaysOnlyItsOwnChain() throws Exception
    {
        final int rounds = 3;
        try (FakeAuxPowNode slow = new FakeAuxPowNode(1, AUX_BITS); FakeAuxPowNode fast = new FakeAuxPowNode(7, AUX_BITS);
             FakeRskNode rskNode = new FakeRskNode(RSK_TARGET);
             MergeHarness h = new MergeHarness(dir, BTC_BITS, List.of(auxpow("slow", 1, slow.url(), 60_000),
                 auxpow("fast", 7, fast.url(), 60_000), rsk(rskNode.url())), disabledFee()))
        {
            h.awaitChains(3);
            // the slow node takes submissions but does not answer them until released
            slow.hold("submitauxblock");
            for (int r = 0; r < rounds; r++)
            {
                final int round = r;
                // the fast chains' polls go on: each accepted block brings new work on top of it
                h.awaitWork("fast", round + 1);
                h.awaitWork("rsk", round + 1);
                h.refreshJob();
                h.mineShare(meetsButNot(Target.fromCompact(AUX_BITS), Target.fromCompact(BTC_BITS)));
                await(() -> channel(h, "fast").accepted() == round + 1 && channel(h, "rsk").accepted() == round + 1,
                    "the fast chains accepting proof " + (round + 1) + " while the slow node holds the first");
            }
            assertEquals(1, slow.held("submitauxblock"), "the slow chain's first submission is still blocked");
            assertEquals(0, slow.acceptedBlocks().size());
            assertEquals(1, channel(h, "slow").inFlight());
            assertEquals(rounds, fast.acceptedBlocks().size());
            assertEquals(rounds, rskNode.acceptedBlocks().size());

            slow.release("submitauxblock");
            await(() -> channel(h, "slow").inFlight() == 0 && channel(h, "slow").duplicates() == rounds - 1,
                "the slow chain's outcome");
            final MergeMiningChannel s = channel(h, "slow");
            assertEquals(1, s.sharesSubmitted(), "the later proofs were for the same aux block: not submitted again");
            assertEquals(1, s.accepted());
            assertEquals(1, slow.acceptedBlocks().size());
            assertEquals(0, slow.repeats());
            assertEquals(1, h.coordinator.recorder().blocks(1));
            assertEquals(rounds, h.coordinator.recorder().blocks(2));
            assertEquals(rounds, h.coordinator.recorder().blocks(3));
        }
    }

    @Test
    void aNodeFailingEveryThirdRequestDoesNotFlapAndOnlyStateChangesAreLogged() throws Exception
    {
        final Logger logger = (Logger)LoggerFactory.getLogger(MergeMiningCoordinator.class);
        final ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (FakeAuxPowNode flaky = new FakeAuxPowNode(1, AUX_BITS);
             MergeHarness h = new MergeHarness(dir, BTC_BITS, List.of(auxpow("flaky", 1, flaky.url(), 2000)),
                 disabledFee()))
        {
            h.awaitChains(1);
            flaky.failEvery(3);
            final long start = flaky.calls.get();
            // proofs still land: a failed submission or confirmation is retried
            for (int r = 0; r < 3; r++)
            {
                final int round = r;
                h.awaitWork("flaky", round + 1);
                h.refreshJob();
                h.mineShare(meetsButNot(Target.fromCompact(AUX_BITS), Target.fromCompact(BTC_BITS)));
                await(() -> channel(h, "flaky").accepted() == round + 1, "proof " + (round + 1) + " accepted");
            }
            await(() -> flaky.calls.get() > start + 90, "90 requests to the flaky node");
            assertTrue(flaky.injectedFailures.get() >= 30, "every third request failed");
            assertEquals(0, h.coordinator.metrics().chainsWentDown.sum(), "never down: no 3 failures in a row");
            assertEquals(1, h.coordinator.metrics().stateChanges.sum(), "one state change: up at start");
            assertTrue(channel(h, "flaky").up());
            assertEquals(3, channel(h, "flaky").accepted());
            assertEquals(0, channel(h, "flaky").rejected() + channel(h, "flaky").unknown());
            assertEquals(0b11L, h.refreshJob().chainMask(), "still in the jobs: its shares are credited to it");

            // the node goes away: down once, after down_after_failures (3) failed polls, logged once
            flaky.down();
            h.awaitChains(0);
            final long failures = h.coordinator.metrics().pollFailures.sum();
            await(() -> h.coordinator.metrics().pollFailures.sum() >= failures + 10, "ten more failed polls");
            assertEquals(1, h.coordinator.metrics().chainsWentDown.sum());
            assertEquals(2, h.coordinator.metrics().stateChanges.sum());
            final List<String> stateLines = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("aux chain flaky is ")).toList();
            assertEquals(2, stateLines.size(), stateLines.toString());
            assertTrue(stateLines.get(0).startsWith("aux chain flaky is up"), stateLines.get(0));
            assertTrue(stateLines.get(1).startsWith("aux chain flaky is down after 3 consecutive failure(s)"),
                stateLines.get(1));
        }
        finally
        {
            logger.detachAppender(lines);
        }
    }

    @Test
    void aChainWhoseWorkIsTooOldIsDownEvenIfItsFailuresAreNotConsecutive() throws Exception
    {
        try (FakeAuxPowNode node = new FakeAuxPowNode(1, AUX_BITS);
             MergeHarness h = new MergeHarness(dir, BTC_BITS, List.of(auxpow("aged", 1, node.url(), 2000)
                 .withHealth(1000, 500)), disabledFee()))
        {
            h.awaitChains(1);
            // every poll fails, but never 1000 in a row: the work's age alone takes the chain down
            node.failNext("createauxblock", 1_000_000);
            h.awaitChains(0);
            assertFalse(channel(h, "aged").up());
            assertEquals(1, h.coordinator.metrics().chainsWentDown.sum());
            assertEquals(0b1L, h.refreshJob().chainMask());
            node.failNext("createauxblock", 0);
            h.awaitChains(1);
            assertTrue(channel(h, "aged").up());
        }
    }
}
