package org.bitcoincommons.sv2.merge;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.revenue.MergeAccounting;
import org.bitcoincommons.sv2.revenue.RevenueSplit;
import org.bitcoincommons.sv2.revenue.RewardRecorder;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcome of one proof submitted to one aux chain, as one state machine:
 * <pre>
 *   SUBMITTED --submit--> node answers BEST ------------------------------------------> ACCEPTED (+ reward)
 *       |                 node answers TAKEN --confirm--> in the main chain -----------> ACCEPTED (+ reward)
 *       |                                        |------> not in the main chain -------> ACCEPTED (no reward)
 *       |                                        '------> no answer until the deadline -> ACCEPTED (+ reward, unconfirmed)
 *       |                 node refuses (false, JSON-RPC error, INVALID_BLOCK) ----------> REJECTED
 *       |                 no answer (timeout, reset, 5xx): retry the submission
 *       |                     ... a later attempt is refused after an unanswered one --confirm--> main chain: ACCEPTED
 *       |                                                                  not in it: REJECTED; cannot tell: UNKNOWN
 *       '---------------- no answer until the deadline -----------------------------------> UNKNOWN
 * </pre>
 * Submissions and confirmations are retried (backing off from 50 ms to 1 s) until the work's lifetime,
 * {@code max_work_age_ms} after the proof reached the chain's submitter, or the pool's drain deadline at shutdown.
 * A refusal after an unanswered attempt is not taken at its word: the unanswered attempt may have landed (a node
 * that forgot the handed-out block answers "block hash unknown" to the retry), so the chain is asked. An accepted
 * block whose confirmation never comes keeps its reward: the node's acceptance is the best evidence there is.
 *
 * <p>Exactly one outcome is journaled after the submission ({@link MergeAccounting#auxSubmitted} then one of
 * accepted/rejected/unknown) and the chain's counters move with it, so that at every quiet moment
 * {@code submitted == accepted + rejected + unknown + inFlight}. One line is logged per outcome, on the chain's
 * submitter thread (never the pool logic thread).
 */
final class AuxSubmission
{
    /** The one outcome of a submission. */
    enum Outcome
    {
        ACCEPTED, REJECTED, UNKNOWN
    }

    static final long FIRST_BACKOFF_MS = 50;
    static final long MAX_BACKOFF_MS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(AuxSubmission.class);

    private final AuxChain chain;
    private final AuxWorkSnapshot.ChainWork work;
    private final BlockCandidate candidate;
    private final MergeAccounting accounting;
    private final RewardRecorder recorder;
    private final MergeMetrics metrics;
    private final LongSupplier clockMs;
    private final LongSupplier drainDeadlineMs;
    private final Consumer<AuxChain> healthChanged;
    private final long deadlineMs;
    /** Pauses taken so far (drives the backoff). */
    private int attempts;
    /** Submission attempts that got no answer or a refusal. */
    private int tries;

    /**
     * @param drainDeadlineMs when the pool stops: no retry after it (Long.MAX_VALUE while running)
     * @param healthChanged   told when a request to the node flips the chain's health
     */
    AuxSubmission(final AuxChain chain, final AuxWorkSnapshot.ChainWork work, final BlockCandidate candidate,
        final MergeAccounting accounting, final RewardRecorder recorder, final MergeMetrics metrics,
        final LongSupplier clockMs, final LongSupplier drainDeadlineMs, final Consumer<AuxChain> healthChanged)
    {
        this.chain = chain;
        this.work = work;
        this.candidate = candidate;
        this.accounting = accounting;
        this.recorder = recorder;
        this.metrics = metrics;
        this.clockMs = clockMs;
        this.drainDeadlineMs = drainDeadlineMs;
        this.healthChanged = healthChanged;
        this.deadlineMs = clockMs.getAsLong() + chain.config.maxWorkAgeMs();
    }

    /** Submits, retries, confirms and records the one outcome. Runs on the chain's submitter thread. */
    Outcome run()
    {
        accounting.auxSubmitted(chain.index, work.blockHash());
        chain.inFlight.incrementAndGet(); // before submitted: a reader never sees a submission without its state
        chain.submitted.incrementAndGet();
        metrics.submissions.increment();

        boolean unanswered = false;
        String lastFailure = null;
        AuxNode.Answer answer = null;
        String refusal = null;
        while (true)
        {
            try
            {
                answer = chain.node.submit(work, candidate);
                chain.health.answered();
                break;
            }
            catch (final RpcException ex)
            {
                tries++;
                if (ex.kind() == RpcException.Kind.RPC_ERROR)
                {
                    chain.health.answered();
                    refusal = ex.getMessage();
                    break;
                }
                unanswered = true;
                lastFailure = ex.getMessage();
                if (!failed(ex) || !pause(metrics.submitRetries))
                {
                    break;
                }
            }
        }
        if (answer != null && answer.verdict() == AuxNode.Verdict.REFUSED)
        {
            return rejected(answer.detail()); // the proof itself fails the node's checks: any attempt would
        }
        if (answer == null && refusal == null)
        {
            return unknown("no answer to " + tries + " attempt(s) before the deadline: " + lastFailure);
        }
        if (answer == null)
        {
            if (!unanswered)
            {
                return rejected(refusal);
            }
            return switch (confirm(null))
            {
                case MAIN_CHAIN -> accepted(true, "an unanswered attempt landed; the retry was refused: " + refusal);
                case NOT_MAIN_CHAIN -> rejected(refusal);
                default -> unknown("an attempt was unanswered and the retry refused (" + refusal
                    + "); the node cannot say whether the first landed");
            };
        }
        if (answer.verdict() == AuxNode.Verdict.BEST)
        {
            return accepted(true, answer.detail());
        }
        final AuxNode.Placement p = confirm(answer);
        if (p == AuxNode.Placement.NOT_MAIN_CHAIN)
        {
            metrics.acceptedNotTip.increment();
            return accepted(false, answer.detail() + "; not in the node's main chain: no reward");
        }
        if (p == null || p == AuxNode.Placement.CANNOT_TELL)
        {
            metrics.rewardsUnconfirmed.increment();
            return accepted(true, answer.detail() + "; the node could not confirm its place in the chain in time");
        }
        return accepted(true, answer.detail());
    }

    /** Asks the node where the block is, retrying until the deadline; null when it never answered. */
    private AuxNode.Placement confirm(final AuxNode.Answer answer)
    {
        while (true)
        {
            try
            {
                final AuxNode.Placement p = chain.node.placement(work, answer);
                chain.health.answered();
                return p;
            }
            catch (final RpcException ex)
            {
                if (!failed(ex) || !pause(metrics.confirmRetries))
                {
                    return null;
                }
            }
        }
    }

    /**
     * Counts a failed request against the chain's health.
     *
     * @return false when the request failed because the pool is stopping (the thread was interrupted): that is no
     *         failure of the node, and no further attempt is made
     */
    private boolean failed(final RpcException ex)
    {
        if (Thread.interrupted())
        {
            return false;
        }
        if (chain.health.failed(clockMs.getAsLong(), ex.getMessage()))
        {
            healthChanged.accept(chain);
        }
        return true;
    }

    /**
     * Waits before the next attempt.
     *
     * @return false when there is no time left (the work's lifetime or the drain deadline) or the thread was
     *         interrupted (the pool stopped): no further attempt
     */
    private boolean pause(final java.util.concurrent.atomic.LongAdder retries)
    {
        if (Thread.interrupted())
        {
            return false;
        }
        final long backoffMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempts, 5));
        attempts++;
        final long now = clockMs.getAsLong();
        if (now + backoffMs >= Math.min(deadlineMs, drainDeadlineMs.getAsLong()))
        {
            return false;
        }
        try
        {
            Thread.sleep(backoffMs);
        }
        catch (final InterruptedException ex)
        {
            return false;
        }
        retries.increment();
        return true;
    }

    private Outcome accepted(final boolean reward, final String detail)
    {
        accounting.auxAccepted(chain.index, work.blockHash());
        String rewardText = "no reward";
        if (reward)
        {
            final RevenueSplit.Shares s = recorder.record(chain.index, work.reward(), work.blockHash());
            rewardText = s == null ? "already rewarded" : "reward " + work.reward() + " recorded";
        }
        LOG.info("aux chain {}: block {} accepted ({}): {}", chain.config.name(), hashText(), rewardText, detail);
        metrics.accepted.increment();
        settle(chain.accepted);
        return Outcome.ACCEPTED;
    }

    private Outcome rejected(final String reason)
    {
        accounting.auxRejected(chain.index, work.blockHash(), reason);
        LOG.warn("aux chain {}: block {} rejected: {}", chain.config.name(), hashText(), reason);
        metrics.rejected.increment();
        settle(chain.rejected);
        return Outcome.REJECTED;
    }

    private Outcome unknown(final String reason)
    {
        accounting.auxUnknown(chain.index, work.blockHash(), reason);
        LOG.warn("aux chain {}: block {} outcome unknown: {}", chain.config.name(), hashText(), reason);
        metrics.unknown.increment();
        settle(chain.unknown);
        return Outcome.UNKNOWN;
    }

    /**
     * Moves the submission from in flight to its outcome, last of all (after the journal, the reward and the log):
     * a reader that sees no submission in flight sees everything the outcome did.
     */
    private void settle(final java.util.concurrent.atomic.AtomicLong outcome)
    {
        outcome.incrementAndGet();
        chain.inFlight.decrementAndGet();
    }

    /** AuxPoW hashes as the node prints them (display order); RSK's hash for merged mining as given. */
    private String hashText()
    {
        return work.kind() == AuxChainConfig.Kind.AUXPOW ? HashOrder.toDisplayHex(work.blockHash())
            : "0x" + Hex.encode(work.blockHash());
    }
}
