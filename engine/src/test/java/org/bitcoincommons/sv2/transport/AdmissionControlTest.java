package org.bitcoincommons.sv2.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Admission pacing: the in-flight bound through a real listener on 127.0.0.1, the rate, the hold timeout and the
 * adaptive steps with a hand-driven clock, the wait timeout and close with real threads.
 */
@Timeout(60)
class AdmissionControlTest
{
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    private static AdmissionControl.Settings settings(final int maxInFlight, final double rate, final double burst,
        final long waitNs, final long holdNs)
    {
        return new AdmissionControl.Settings(maxInFlight, rate, burst, waitNs, holdNs, 0, 1, 100 * MS);
    }

    private static boolean await(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 20 * S;
        while (System.nanoTime() < deadline)
        {
            if (condition.getAsBoolean())
            {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }

    @Test
    void tenClientsAtOnceThroughABoundOfTwo() throws Exception
    {
        final AdmissionControl admission = new AdmissionControl(settings(2, 0, 1, 30 * S, 30 * S), System::nanoTime);
        final AtomicInteger inAdmission = new AtomicInteger();
        final AtomicInteger maxInAdmission = new AtomicInteger();
        final AtomicInteger served = new AtomicInteger();
        final Semaphore finish = new Semaphore(0);
        final AtomicReference<TcpServer> server = new AtomicReference<>();
        try (TcpServer tcp = new TcpServer("adm", new InetSocketAddress("127.0.0.1", 0), 100, (socket, id) ->
        {
            // from here until admitted(id) this connection is "in admission" (its handshake, setup and channel)
            final int now = inAdmission.incrementAndGet();
            maxInAdmission.accumulateAndGet(now, Math::max);
            served.incrementAndGet();
            finish.acquire();
            inAdmission.decrementAndGet();
            server.get().admitted(id);
            socket.getOutputStream().write(1);
            socket.getInputStream().read();   // stays open, admitted, until the client closes
        }).admission(admission))
        {
            server.set(tcp);
            tcp.start();
            final List<Socket> clients = new ArrayList<>();
            try
            {
                for (int i = 0; i < 10; i++)
                {
                    clients.add(new Socket("127.0.0.1", tcp.localAddress().getPort()));
                }
                assertTrue(await(() -> admission.inFlight() == 2 && admission.waiting() == 8),
                    "two admitted, eight waiting: " + admission.inFlight() + ", " + admission.waiting());
                assertEquals(2, served.get(), "only two handlers started");
                for (int i = 0; i < 10; i++)
                {
                    finish.release();
                    final int done = i + 1;
                    assertTrue(await(() -> admission.admitted() == Math.min(10, done + 2) && inAdmission.get()
                        == Math.min(2, 10 - done)), "after " + done + " finished: " + admission.admitted());
                }
                for (final Socket c : clients)
                {
                    c.setSoTimeout(10_000);
                    assertEquals(1, c.getInputStream().read(), "every client was served");
                }
                assertEquals(10, served.get());
                assertEquals(2, maxInAdmission.get(), "never more than two in admission");
                assertEquals(8, admission.paced());
                assertEquals(0, admission.timedOut());
                assertEquals(0, admission.inFlight());
            }
            finally
            {
                for (final Socket c : clients)
                {
                    c.close();
                }
            }
        }
    }

    @Test
    void aConnectionThatFailsFreesItsSlot() throws Exception
    {
        final AdmissionControl admission = new AdmissionControl(settings(1, 0, 1, 30 * S, 30 * S), System::nanoTime);
        final AtomicInteger handled = new AtomicInteger();
        final AtomicReference<TcpServer> server = new AtomicReference<>();
        try (TcpServer tcp = new TcpServer("adm", new InetSocketAddress("127.0.0.1", 0), 100, (socket, id) ->
        {
            final int b = socket.getInputStream().read();
            handled.incrementAndGet();
            if (b != 'G')
            {
                throw new java.io.IOException("bad handshake byte " + b);   // never reaches admitted(id)
            }
            server.get().admitted(id);
            socket.getOutputStream().write('K');
            socket.getInputStream().read();
        }).admission(admission))
        {
            server.set(tcp);
            tcp.start();
            try (Socket bad = new Socket("127.0.0.1", tcp.localAddress().getPort());
                 Socket good = new Socket("127.0.0.1", tcp.localAddress().getPort()))
            {
                assertTrue(await(() -> admission.inFlight() == 1 && admission.waiting() == 1));
                good.getOutputStream().write('G');   // waits: its bytes sit unread
                bad.getOutputStream().write('X');
                good.setSoTimeout(10_000);
                assertEquals('K', good.getInputStream().read(), "the failed connection's slot went to the next");
                assertEquals(2, handled.get());
                assertEquals(1, admission.paced());
                assertTrue(await(() -> admission.inFlight() == 0));
            }
        }
    }

    @Test
    void ratePacesWithBurstsOnAHandDrivenClock()
    {
        final AtomicLong now = new AtomicLong(5 * S);
        final AdmissionControl a = new AdmissionControl(settings(0, 10, 2, S, S), now::get);
        assertNotNull(a.tryAcquire());
        assertNotNull(a.tryAcquire());
        assertNull(a.tryAcquire(), "the burst of two is spent");
        now.addAndGet(50 * MS);
        assertNull(a.tryAcquire(), "half a token");
        now.addAndGet(50 * MS);
        assertNotNull(a.tryAcquire(), "one token per 100 ms at 10/s");
        assertNull(a.tryAcquire());
        now.addAndGet(10 * S);
        assertNotNull(a.tryAcquire());
        assertNotNull(a.tryAcquire());
        assertNull(a.tryAcquire(), "a quiet spell refills only up to the burst");
        assertEquals(5, a.admitted());
        assertEquals(5, a.inFlight(), "no bound: slots are only counted");
    }

    @Test
    void aStuckAdmissionsSlotIsFreedAfterTheHoldTimeout()
    {
        final AtomicLong now = new AtomicLong();
        final AdmissionControl a = new AdmissionControl(settings(1, 0, 1, S, 2 * S), now::get);
        final AdmissionControl.Slot stuck = a.tryAcquire();
        assertNotNull(stuck);
        assertNull(a.tryAcquire(), "bound of one");
        now.addAndGet(2 * S - 1);
        assertNull(a.tryAcquire(), "held until the hold timeout");
        now.addAndGet(1);
        final AdmissionControl.Slot next = a.tryAcquire();
        assertNotNull(next, "freed by the hold timeout");
        assertEquals(1, a.expired());
        assertTrue(stuck.released());
        stuck.release();   // the stuck connection ends later: no double count
        assertEquals(1, a.inFlight());
        next.release();
        next.release();
        assertEquals(0, a.inFlight());
        assertNotNull(a.tryAcquire());
    }

    @Test
    void aWaiterGivesUpAfterTheWaitTimeoutAndCloseWakesTheRest() throws Exception
    {
        final AdmissionControl a = new AdmissionControl(settings(1, 0, 1, 200 * MS, 60 * S), System::nanoTime);
        final AdmissionControl.Slot held = a.acquire();
        assertNotNull(held);
        assertNull(a.acquire(), "no slot within the wait");
        assertEquals(1, a.timedOut());
        assertEquals(1, a.paced());
        assertEquals(0, a.waiting());

        final AdmissionControl b = new AdmissionControl(settings(1, 0, 1, 60 * S, 60 * S), System::nanoTime);
        assertNotNull(b.acquire());
        final AtomicReference<AdmissionControl.Slot> got = new AtomicReference<>();
        final Thread waiter = Thread.ofVirtual().start(() -> got.set(b.acquire()));
        assertTrue(await(() -> b.waiting() == 1));
        b.close();
        assertTrue(waiter.join(java.time.Duration.ofSeconds(20)));
        assertNull(got.get(), "closed: no slot");
        assertNull(b.acquire(), "closed: no slot afterwards either");
    }

    @Test
    void aReleaseWakesTheFirstWaiterFirstComeFirstServed() throws Exception
    {
        final AdmissionControl a = new AdmissionControl(settings(1, 0, 1, 60 * S, 60 * S), System::nanoTime);
        AdmissionControl.Slot current = a.acquire();
        final List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<AdmissionControl.Slot> slots = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            final int n = i;
            threads.add(Thread.ofVirtual().start(() ->
            {
                final AdmissionControl.Slot s = a.acquire();
                order.add(n);
                slots.add(s);
            }));
            assertTrue(await(() -> a.waiting() == n + 1), "waiter " + n + " queued");
        }
        for (int i = 0; i < 5; i++)
        {
            current.release();
            final int done = i + 1;
            assertTrue(await(() -> slots.size() == done));
            current = slots.get(i);
            assertNotNull(current);
        }
        current.release();
        for (final Thread t : threads)
        {
            assertTrue(t.join(java.time.Duration.ofSeconds(20)));
        }
        assertEquals(List.of(0, 1, 2, 3, 4), order);
        assertEquals(0, a.inFlight());
    }

    @Test
    void adaptiveRateHalvesWhenTheSharePathIsSlowAndRecovers()
    {
        final AtomicLong now = new AtomicLong();
        final AdmissionControl a = new AdmissionControl(new AdmissionControl.Settings(0, 4000, 1, S, S,
            TimeUnit.MILLISECONDS.toNanos(2), 500, 100 * MS), now::get);
        assertEquals(4000, a.ratePerSec());
        assertEquals(2000, a.adapt(TimeUnit.MILLISECONDS.toNanos(3)));
        assertEquals(1000, a.adapt(TimeUnit.MILLISECONDS.toNanos(3)));
        assertEquals(500, a.adapt(TimeUnit.MILLISECONDS.toNanos(30)));
        assertEquals(500, a.adapt(TimeUnit.MILLISECONDS.toNanos(30)), "not below the floor");
        assertEquals(4, a.slowWindows());
        assertEquals(750, a.adapt(TimeUnit.MILLISECONDS.toNanos(2)), "at the threshold: faster");
        assertEquals(1125, a.adapt(0));
        for (int i = 0; i < 10; i++)
        {
            a.adapt(0);
        }
        assertEquals(4000, a.ratePerSec(), "not above the configured rate");
        // the adapted rate is the one the bucket fills at
        assertNotNull(a.tryAcquire());
        a.adapt(TimeUnit.MILLISECONDS.toNanos(5));
        now.addAndGet(TimeUnit.MICROSECONDS.toNanos(499));
        assertNull(a.tryAcquire(), "2000/s: a token every 500 us");
        now.addAndGet(TimeUnit.MICROSECONDS.toNanos(2));
        assertNotNull(a.tryAcquire());
    }

    @Test
    void badSettingsAreRefused()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new AdmissionControl(settings(-1, 0, 1, S, S), System::nanoTime));
        assertThrows(IllegalArgumentException.class,
            () -> new AdmissionControl(settings(0, 10, 0.5, S, S), System::nanoTime));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionControl(
            new AdmissionControl.Settings(0, 0, 1, S, S, 1000, 1, MS), System::nanoTime), "adaptive needs a rate");
        assertThrows(IllegalArgumentException.class, () -> new AdmissionControl(
            new AdmissionControl.Settings(0, 100, 1, S, S, 1000, 200, MS), System::nanoTime), "floor above the rate");
        assertFalse(settings(0, 0, 1, S, S).paces());
    }
}
