package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.work.BlockSink;
import org.bitcoincommons.sv2.work.BlockCandidate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.template.TemplateSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes bitcoin block candidates off the logic thread and submits them to the template source, each on its own
 * virtual thread. (Aux candidates are the merged-mining layer's, which wraps this sink.)
 */
public final class BlockSubmitter implements BlockSink, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(BlockSubmitter.class);

    /** Told about every bitcoin block the source accepted (for rewards). */
    @FunctionalInterface
    public interface AcceptedListener
    {
        void accepted(BlockCandidate candidate);
    }

    /** Told about every bitcoin block no source accepted, with the reason (for the journal). */
    @FunctionalInterface
    public interface RejectedListener
    {
        void rejected(BlockCandidate candidate, String reason);
    }

    private final TemplateSource source;
    private final PoolMetrics metrics;
    private final AcceptedListener acceptedListener;
    private final RejectedListener rejectedListener;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public BlockSubmitter(final TemplateSource source, final PoolMetrics metrics, final AcceptedListener acceptedListener,
        final RejectedListener rejectedListener)
    {
        this.source = source;
        this.metrics = metrics;
        this.acceptedListener = acceptedListener;
        this.rejectedListener = rejectedListener;
    }

    @Override
    public void blockFound(final BlockCandidate candidate)
    {
        executor.execute(() -> submit(candidate));
    }

    private void submit(final BlockCandidate candidate)
    {
        final String hash = HashOrder.toDisplayHex(candidate.hash());
        if (transactionsUnknown(candidate))
        {
            // A Coinbase-only custom job: the pool knows its merkle path, not its transactions, so it cannot build
            // the block; its declarator (the JDC) has them and broadcasts it. Submitting the coinbase alone would
            // only earn bad-txnmrklroot.
            metrics.blocksLeftToDeclarator.increment();
            LOG.info("block {} at height {} found by {} on a Coinbase-only custom job: not submitted (the pool does " +
                "not know its transactions; the job declarator broadcasts it)", hash,
                candidate.job().template().height(), candidate.userIdentity());
            return;
        }
        metrics.blocksSubmitted.increment();
        try
        {
            final byte[] block = BlockAssembler.assemble(candidate);
            final String reason = source.submitBlock(block);
            if (reason == null)
            {
                metrics.blocksAccepted.increment();
                LOG.info("block {} at height {} found by {} accepted by {}", hash, candidate.job().template().height(),
                    candidate.userIdentity(), source.name());
                acceptedListener.accepted(candidate);
            }
            else
            {
                metrics.blocksRejected.increment();
                LOG.warn("block {} at height {} rejected by {}: {}", hash, candidate.job().template().height(),
                    source.name(), reason);
                rejectedListener.rejected(candidate, reason);
            }
        }
        catch (final RuntimeException ex)
        {
            metrics.blocksRejected.increment();
            LOG.error("block {} could not be submitted: {}", hash, ex.toString(), ex);
            rejectedListener.rejected(candidate, "submit-failed");
        }
    }

    /** The job's merkle path has nodes but the pool holds none of the transactions behind it. */
    static boolean transactionsUnknown(final BlockCandidate candidate)
    {
        return candidate.job().merklePathCount() > 0 && candidate.job().template().transactions().isEmpty();
    }

    @Override
    public void close()
    {
        executor.shutdown();
        try
        {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
