package org.bitcoincommons.sv2.pool;

import com.lmax.disruptor.EventTranslatorTwoArg;
import org.bitcoincommons.sv2.pipeline.PipelineEvent;
import org.bitcoincommons.sv2.work.Job;

/**
 * Fills one slot of the pool's share ring from a connection and a decoded message. Implementations are static
 * lambdas (no capture), so publishing allocates nothing; the slot is typed, so the logic thread casts nothing.
 *
 * @param <C> the connection kind that publishes (SV2 over TCP or QUIC, SV1)
 * @param <A> what it publishes from (a message flyweight, or nothing)
 */
@FunctionalInterface
public interface RingTranslator<C extends MiningDownstream, A>
    extends EventTranslatorTwoArg<PipelineEvent<MiningDownstream, Job>, C, A>
{
}
