package org.bitcoincommons.sv2.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Stratum V1 worker's channel is opened at mining.subscribe, before the worker has a name, and named at
 * mining.authorize: listeners hear {@code onChannelOpened} with an empty worker and then {@code onChannelRenamed} with
 * the worker's name for the same channel; an SV2 channel, named at open, is never renamed.
 */
class Sv1ChannelRenamedTest
{
    private static final long DEADLINE_MS = 20_000;

    /** Records channel events as "opened|renamed:channel:worker". */
    static final class Channels implements ServerListener
    {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onChannelOpened(final Channel c)
        {
            seen.add("opened:" + c.channelId() + ":" + c.worker());
        }

        @Override
        public void onChannelRenamed(final Channel c)
        {
            seen.add("renamed:" + c.channelId() + ":" + c.worker());
        }
    }

    @Test
    @Timeout(60)
    void listenersHearAnSv1WorkersNameAtAuthorize(@TempDir final Path dir) throws Exception
    {
        final Channels channels = new Channels();
        final StratumV2Server pool = StratumV2Server.builder()
            .listen("127.0.0.1:0")
            .sv1("127.0.0.1:0")
            .journalDir(dir.resolve("journal"))
            .embeddedBits("1d00ffff")
            .api(false)
            .listener(channels)
            .build();
        pool.start();
        try (StratumV2Miner sv1 = StratumV2Miner.builder(pool.sv1Url()).user("dave.sv1").threads(0).build();
             StratumV2Miner sv2 = StratumV2Miner.builder(pool.sv2Url()).user("erin.sv2").threads(0).build())
        {
            assertTrue(sv1.connect(), "the SV1 miner has work");
            assertTrue(sv2.connect(), "the SV2 miner has work");
            await(() -> channels.seen.stream().anyMatch(s -> s.startsWith("renamed:") && s.endsWith(":dave.sv1"))
                && channels.seen.stream().anyMatch(s -> s.endsWith(":erin.sv2")), channels.seen);
            final String renamed = channels.seen.stream().filter(s -> s.startsWith("renamed:")).findFirst().orElseThrow();
            final String id = renamed.split(":")[1];
            final int opened = channels.seen.indexOf("opened:" + id + ":");
            assertTrue(opened >= 0 && opened < channels.seen.indexOf(renamed),
                "opened unnamed at subscribe, then named: " + channels.seen);
            assertEquals(1, channels.seen.stream().filter(s -> s.startsWith("renamed:")).count(),
                "only the SV1 channel is renamed: " + channels.seen);
        }
        finally
        {
            pool.close();
        }
    }

    private static void await(final java.util.function.BooleanSupplier condition, final Object what)
        throws InterruptedException
    {
        final long end = System.nanoTime() + DEADLINE_MS * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > end)
            {
                throw new AssertionError("not within " + DEADLINE_MS + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }
}
