package org.bitcoincommons.sv2.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ClusterSmokeTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void commandsCommitOnThreeNodes() throws Exception
    {
        try (ClusterHarness h = new ClusterHarness(dir, 3))
        {
            h.startAll();
            final long t0 = System.currentTimeMillis();
            final int leader = h.awaitLeader(20_000);
            System.out.println("leader " + leader + " after " + (System.currentTimeMillis() - t0) + " ms");
            assertTrue(leader >= 0);
            try (ClusterFrontend f = ClusterFrontend.start(h.config(-1, "")))
            {
                f.worker(1, 0, "alice");
                for (int i = 0; i < 100; i++)
                {
                    f.shareAccepted(2, 0, 1, i, 1, 1.5, 0);
                }
                final long ticket = f.seal();
                assertEquals(1, ticket);
                assertTrue(ClusterHarness.await(20_000, () -> f.committedTicket() >= ticket), f.status().toString());
                System.out.println("committed after " + (System.currentTimeMillis() - t0) + " ms: " + f.status());
            }
            h.awaitEqualStates(5000);
            for (final ClusterNode n : h.nodes)
            {
                assertEquals(100L, n.service().published().accounting().get("shares_accepted"));
            }
        }
    }
}
