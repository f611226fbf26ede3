package org.bitcoincommons.sv2.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

/** The accept-time limits with a hand-driven clock: per address, rate with bursts, unauthenticated pool-wide. */
class ConnectionLimitsTest
{
    private static final long S = 1_000_000_000L;

    @Test
    void openConnectionsPerAddress() throws Exception
    {
        final ConnectionLimits l = new ConnectionLimits(2, 1e9, 1e9, 1000);
        final InetAddress a = InetAddress.getByName("192.0.2.1");
        final InetAddress b = InetAddress.getByName("192.0.2.2");
        final ConnectionLimits.Ticket t1 = l.admit(a, 0);
        assertNotNull(t1);
        assertNotNull(l.admit(a, 0));
        assertNull(l.admit(a, 0), "a third from the same address");
        assertNotNull(l.admit(b, 0), "another address is not affected");
        assertEquals(1, l.refused(ConnectionLimits.Reason.PER_IP));
        t1.close();
        t1.close();   // idempotent
        assertNotNull(l.admit(a, 0), "room again once one closed");
    }

    @Test
    void rateWithBursts() throws Exception
    {
        final ConnectionLimits l = new ConnectionLimits(1000, 2.0, 3.0, 1000);
        final InetAddress a = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 3; i++)
        {
            assertNotNull(l.admit(a, 0), "the burst");
        }
        assertNull(l.admit(a, 0));
        assertNull(l.admit(a, S / 4), "half a token after 250 ms at 2/s");
        assertNotNull(l.admit(a, S / 2), "one token after 500 ms");
        assertNull(l.admit(a, S / 2));
        assertNotNull(l.admit(a, 10 * S), "refilled, up to the burst");
        assertEquals(3, l.refused(ConnectionLimits.Reason.RATE));
    }

    /**
     * Two listeners (SV2 and SV1) share the limits, and each reads the clock before it takes the address's lock: the
     * later reading can be admitted first. CI saw the SV1 listener refuse its fourth connection "for rate" under
     * limits of 1e9/s with bursts of 1e7: the earlier reading made a negative interval that emptied the bucket.
     */
    @Test
    void anOlderClockReadingNeitherEmptiesNorRewindsTheBucket() throws Exception
    {
        final ConnectionLimits l = new ConnectionLimits(1000, 1e9, 1e7, 1000);
        final InetAddress a = InetAddress.getByName("192.0.2.1");
        assertNotNull(l.admit(a, 10 * S));
        assertNotNull(l.admit(a, 10 * S - 10_000_000L), "a reading 10 ms older, from the other listener");
        assertEquals(0, l.refused(ConnectionLimits.Reason.RATE));

        final ConnectionLimits slow = new ConnectionLimits(1000, 2.0, 1.0, 1000);
        assertNotNull(slow.admit(a, 10 * S));
        assertNull(slow.admit(a, 9 * S), "an older reading earns no token");
        assertNull(slow.admit(a, 10 * S + S / 4), "the bucket's time did not move back to 9 s: half a token");
        assertNotNull(slow.admit(a, 10 * S + S / 2), "one token 500 ms after the last refill at 2/s");
    }

    @Test
    void unauthenticatedPoolWide() throws Exception
    {
        final ConnectionLimits l = new ConnectionLimits(1000, 1e9, 1e9, 2);
        final ConnectionLimits.Ticket t1 = l.admit(InetAddress.getByName("192.0.2.1"), 0);
        final ConnectionLimits.Ticket t2 = l.admit(InetAddress.getByName("192.0.2.2"), 0);
        assertNull(l.admit(InetAddress.getByName("192.0.2.3"), 0), "two still in their handshake");
        t1.authenticated();
        t1.authenticated();   // idempotent
        assertEquals(1, l.unauthenticated());
        final ConnectionLimits.Ticket t3 = l.admit(InetAddress.getByName("192.0.2.3"), 0);
        assertNotNull(t3, "an authenticated connection no longer counts");
        t2.close();
        t3.close();
        t1.close();
        assertEquals(0, l.unauthenticated());
        assertEquals(1, l.refused(ConnectionLimits.Reason.UNAUTHENTICATED));
    }
}
