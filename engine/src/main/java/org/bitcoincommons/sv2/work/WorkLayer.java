package org.bitcoincommons.sv2.work;

import org.bitcoincommons.sv2.revenue.RewardRecorder;

/**
 * What a layer above the pool adds to its work (merged mining): a decoration of every job's coinbase, a view of the
 * shares that meet a network or aux target, and the recorder of rewards. The pool sees only this interface; the
 * layer is plugged in by whoever assembles the pool ({@link WorkLayerFactory}), so pool and merge never import each
 * other. It also tells custom jobs (Job Declaration) which aux work their coinbase commits to ({@link CustomJobWork}).
 */
public interface WorkLayer extends JobFactory.Decorator, CustomJobWork, AutoCloseable
{
    /**
     * @param bitcoin where Bitcoin blocks go
     * @return the sink the pool logic hands every candidate to (returns at once: it runs on the logic thread)
     */
    BlockSink blockSink(BlockSink bitcoin);

    /** Records rewards, fees and the revenue split, for Bitcoin blocks as for aux blocks. */
    RewardRecorder recorder();

    /**
     * A job was made from a decorated template (template thread, under the pool's template lock; must return at once).
     * A Job Declaration client declares it upstream; merged mining needs nothing here.
     */
    default void jobCreated(final Job job)
    {
    }

    /**
     * False while the layer feeds the pool jobs of its own ({@code PoolServer.publishJob}: a Job Declaration client
     * mining its upstream pool's jobs); templates are then kept but make no jobs. Template thread.
     */
    default boolean templateJobs()
    {
        return true;
    }

    /** Starts the layer's own threads (pollers, submitters). */
    void start();

    /** Aux chains this layer mines. */
    int chainCount();

    /**
     * One live view per aux chain ({@code /api/chains}): name, kind, chain id, up, height, work age, last error and the
     * proofs submitted, accepted, rejected, unknown and in flight. Any thread.
     */
    default java.util.List<java.util.Map<String, Object>> chainStatus(final long nowMs)
    {
        return java.util.List.of();
    }

    /** The aux chains this layer mines, by chain index (the bit of a job's chain mask), in index order. */
    default java.util.SortedMap<Integer, String> chainNames()
    {
        return java.util.Collections.emptySortedMap();
    }

    /** Stops the layer's threads. */
    @Override
    void close();
}
