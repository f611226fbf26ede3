package org.bitcoincommons.sv2.engine;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The README's embedding example, verbatim between the markers ({@link EmbeddingExampleTest} fails when the two
 * differ, and runs it). It is here, in a test source, so that the build compiles exactly what the README shows.
 */
final class EmbeddingExample
{
    /** What the example saw: shares its listener counted, and the pool's totals after close. */
    record Outcome(long sharesHeard, long blocksHeard, long minerAccepted, Map<String, Object> accounting)
    {
    }

    private EmbeddingExample()
    {
    }

    static Outcome run(final Path journalDir) throws Exception
    {
        // README:begin
        final AtomicLong sharesHeard = new AtomicLong();
        final CountDownLatch blockAccepted = new CountDownLatch(1);
        final StratumV2Server pool = StratumV2Server.builder()
            .listen("127.0.0.1:0")                  // any free port
            .journalDir(journalDir)
            .templateSources("embedded")            // an in-memory regtest chain; "bitcoind" for a real node
            .sharesPerMinute(600)
            .api(false)
            .listener(new ServerListener()
            {
                @Override
                public void onSharesAccepted(final AcceptedShares shares)
                {
                    sharesHeard.addAndGet(shares.count());
                }

                @Override
                public void onBlockAccepted(final ServerListener.Block block)
                {
                    System.out.println("block " + block.hash() + " accepted");
                    blockAccepted.countDown();
                }
            })
            .build();
        pool.start();

        final StratumV2Miner miner = StratumV2Miner.builder(pool.sv2Url())   // stratum2+tcp://HOST:PORT/AUTHORITY_KEY
            .user("alice.rig1")
            .threads(1)
            .listener(new MinerListener()
            {
                @Override
                public void onShareRejected(final String reason)
                {
                    System.out.println("share rejected: " + reason);
                }
            })
            .build();
        miner.connect();
        miner.startMining();
        blockAccepted.await(30, TimeUnit.SECONDS);

        miner.stop();
        pool.close();                               // drains: every accepted share journaled and heard
        System.out.println(pool.accounting().get("shares_accepted") + " shares accepted, " + sharesHeard.get() + " heard");
        // README:end
        return new Outcome(sharesHeard.get(), 1 - blockAccepted.getCount(), miner.sharesAccepted(), pool.accounting());
    }
}
