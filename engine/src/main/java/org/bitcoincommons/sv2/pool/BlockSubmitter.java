package org.bitcoincommons.sv2.pool;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.template.TemplateSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes block candidates off the logic thread and submits them to the template source, each on its own virtual
 * thread. Aux candidates go to the merged-mining layer, when there is one.
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

    private final TemplateSource source;
    private final PoolMetrics metrics;
    private final BlockSink aux;
    private final AcceptedListener acceptedListener;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param aux receives aux candidates and also every bitcoin block candidate (it may meet aux targets too); may
     *            be null when nothing is merge-mined
     */
    public BlockSubmitter(final TemplateSource source, final PoolMetrics metrics, final BlockSink aux,
        final AcceptedListener acceptedListener)
    {
        this.source = source;
        this.metrics = metrics;
        this.aux = aux;
        this.acceptedListener = acceptedListener;
    }

    @Override
    public void blockFound(final BlockCandidate candidate)
    {
        executor.execute(() -> submit(candidate));
        if (aux != null)
        {
            aux.auxCandidate(candidate);
        }
    }

    @Override
    public void auxCandidate(final BlockCandidate candidate)
    {
        if (aux != null)
        {
            aux.auxCandidate(candidate);
        }
    }

    private void submit(final BlockCandidate candidate)
    {
        metrics.blocksSubmitted.increment();
        final String hash = HashOrder.toDisplayHex(candidate.hash());
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
            }
        }
        catch (final RuntimeException ex)
        {
            metrics.blocksRejected.increment();
            LOG.error("block {} could not be submitted: {}", hash, ex.toString(), ex);
        }
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
