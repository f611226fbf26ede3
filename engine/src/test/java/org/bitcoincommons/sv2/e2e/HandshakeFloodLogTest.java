package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.bitcoincommons.sv2.pool.PreAuthLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 12: a flood of failed handshakes is counted (sv2_handshake_failures) and logged once per state change, not
 * one line each; when the failures stop, one line sums them up.
 */
class HandshakeFloodLogTest
{
    private static final int FLOOD = 60;

    @TempDir
    Path dir;

    private static List<ILoggingEvent> infoAbout(final ListAppender<ILoggingEvent> log, final String text)
    {
        return log.list.stream()
            .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO) && e.getFormattedMessage().contains(text)).toList();
    }

    @Test
    @Timeout(60)
    void aHandshakeFloodIsCountedAndLoggedOnce() throws Exception
    {
        final Logger root = (Logger)LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        final ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try (PoolHarness h = new PoolHarness(dir, 1000.0, ""))
        {
            final long before = h.pool.metrics().handshakeFailures.sum();
            // less than an act 1, then end of stream: the handshake fails at once
            final byte[] junk = new byte[10];
            new Random(12).nextBytes(junk);
            for (int i = 0; i < FLOOD; i++)
            {
                try (RawClient c = new RawClient(h.address()))
                {
                    c.sendRaw(junk);
                    c.socket.shutdownOutput();
                    assertTrue(c.closedByPool());
                }
            }
            assertTrue(PoolHarness.await(10_000, () -> h.pool.metrics().handshakeFailures.sum() >= before + FLOOD));
            assertEquals(1, infoAbout(log, "handshake failed").size(),
                "one line for the whole flood: " + infoAbout(log, "handshake failed").size());
        }
        finally
        {
            root.detachAppender(log);
        }
    }

    @Test
    void anEpisodeEndsWithOneSummaryAndTheNextStartsWithOneLine() throws Exception
    {
        final Logger logger = (Logger)LoggerFactory.getLogger(PreAuthLog.class);
        final ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try
        {
            final PreAuthLog p = new PreAuthLog(10_000);
            final Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++)
            {
                final int id = t;
                threads[t] = Thread.ofPlatform().start(() ->
                {
                    for (int i = 0; i < 25; i++)
                    {
                        p.handshakeFailed(id * 100 + i, null, "bad act 1");
                    }
                    p.setupFailed(id, null, "no SetupConnection");
                });
            }
            for (final Thread t : threads)
            {
                t.join();
            }
            assertTrue(p.failing());
            p.tick(System.nanoTime());   // failures just now: the episode goes on
            assertEquals(1, infoAbout(log, "failed").size());
            p.tick(System.nanoTime() + 11_000_000_000L);
            assertTrue(!p.failing());
            final List<ILoggingEvent> summary = infoAbout(log, "stopped");
            assertEquals(1, summary.size());
            assertTrue(summary.get(0).getFormattedMessage().contains("100 failed handshake(s) and 4 failed setup(s)"),
                summary.get(0).getFormattedMessage());
            p.handshakeFailed(1, null, "again");
            assertEquals(1, infoAbout(log, "again").size(), "a new episode is logged");
        }
        finally
        {
            logger.detachAppender(log);
        }
    }
}
