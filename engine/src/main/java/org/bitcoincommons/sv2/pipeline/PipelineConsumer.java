package org.bitcoincommons.sv2.pipeline;

/**
 * The business logic behind the ring, called on the ring's single consumer thread.
 *
 * @param <S> the connection type events come from
 * @param <J> the job type
 */
public interface PipelineConsumer<S, J>
{
    /** One event; valid only during the call. */
    void onEvent(PipelineEvent<S, J> event);

    /** The ring has no more events right now: hash the staged batch, acknowledge, flush. */
    void onEndOfBatch();

    /** The consumer thread is starting: bind thread-confined resources. */
    default void onStart()
    {
    }

    /** An exception escaped {@link #onEvent}; the ring goes on with the next event. */
    default void onError(final Throwable error, final PipelineEvent<S, J> event)
    {
    }
}
