package org.bitcoincommons.sv2.work;

import org.bitcoincommons.sv2.bitcoin.Network;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.revenue.MergeAccounting;

/** Makes the {@link WorkLayer} a configuration asks for. */
@FunctionalInterface
public interface WorkLayerFactory
{
    /** No layer: a pool that merge-mines nothing. */
    WorkLayerFactory NONE = (config, network, accounting, refreshJobs) -> null;

    /**
     * @param config      the engine configuration
     * @param network     the network payout and commons addresses are decoded for
     * @param accounting  receives every accounting event of the layer
     * @param refreshJobs asks the pool for new jobs on the current template (callable from any thread)
     * @return the layer, or null when the configuration adds nothing to the pool's work
     * @throws IllegalArgumentException with a message naming the config key when the configuration is invalid
     */
    WorkLayer create(EngineConfig config, Network network, MergeAccounting accounting, Runnable refreshJobs);
}
