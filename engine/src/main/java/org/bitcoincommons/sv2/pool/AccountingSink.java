package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.journal.AccountingListener;

/**
 * Where a frontend's accounting events go besides its own journal: a replicated log (the cluster package's frontend).
 * The pool hands it every event it journals, in journal order, on the logic thread, and ends a batch with
 * {@link #seal()}; the acknowledgements of that batch's shares wait until {@link #committedTicket()} reaches the
 * batch's ticket. Without a sink (the single process) acknowledgements go out once the journal has the batch.
 */
public interface AccountingSink extends AccountingListener
{
    /** The ticket of a batch that can never commit (the sink could not take it). */
    long NEVER = Long.MAX_VALUE;

    /**
     * Logic thread: the events received since the last call become one batch. Returns its ticket (tickets increase), the
     * previous ticket when no event came since, or {@link #NEVER} when the batch could not be taken.
     */
    long seal();

    /** The highest ticket whose batch is committed (a majority of the cluster has it). Any thread. */
    long committedTicket();

    /** The pool calls this once, before any event: {@code wakeUp} (any thread) makes the logic thread release acks. */
    void onCommit(Runnable wakeUp);
}
