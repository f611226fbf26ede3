package org.bitcoincommons.sv2.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded chain calls its listeners without holding its own lock: a listener (the failover source) takes its
 * lock, and another thread holding that lock asks the chain for its state. When the chain called listeners under its
 * lock, PoolServer.start could deadlock with a bitcoind source's thread (seen as a hung BitcoindPoolEndToEndTest).
 */
@Timeout(30)
class EmbeddedChainListenerTest
{
    @Test
    void anotherThreadCanReadTheChainWhileAListenerRuns() throws Exception
    {
        final EmbeddedChain chain = new EmbeddedChain(0x207fffff, 2, SystemEpochClock.INSTANCE);
        final CompletableFuture<Long> seenByOther = new CompletableFuture<>();
        final java.util.concurrent.atomic.AtomicBoolean whileListening = new java.util.concurrent.atomic.AtomicBoolean();
        chain.addListener((t, newTip) ->
        {
            // as the failover source does under its lock: another thread needs the chain's state meanwhile
            final Thread other = Thread.ofVirtual().start(() -> seenByOther.complete(chain.tipHeight()));
            try
            {
                other.join(5_000);
                whileListening.set(seenByOther.isDone());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(whileListening.get(), "the other thread read the chain while the listener ran");
        assertEquals(chain.tipHeight(), seenByOther.get(1, TimeUnit.SECONDS));
    }
}
