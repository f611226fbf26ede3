package org.bitcoincommons.sv2.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HashWindowTest
{
    private static byte[] hash(final int n)
    {
        final byte[] h = new byte[32];
        h[0] = (byte)n;
        h[31] = (byte)(n >>> 8); // differs in the last word too
        return h;
    }

    @Test
    void seesEachHashOnceAndForgetsTheOldestBeyondItsCapacity()
    {
        final HashWindow w = new HashWindow(3);
        assertTrue(w.add(hash(1)));
        assertFalse(w.add(hash(1)), "a repeat");
        assertTrue(w.add(hash(2)));
        assertTrue(w.add(hash(3)));
        assertEquals(3, w.size());
        assertTrue(w.add(hash(4)), "the fourth distinct hash evicts the first");
        assertFalse(w.contains(hash(1)));
        assertTrue(w.contains(hash(2)) && w.contains(hash(3)) && w.contains(hash(4)));
        assertTrue(w.add(hash(1)), "forgotten, so new again");
        assertFalse(w.contains(hash(2)));
        assertTrue(w.contains(hash(256)) == false && w.add(hash(256)), "differs only in the last byte");
        assertEquals(3, w.size());
    }

    @Test
    void refusesWhatIsNotAHash()
    {
        assertThrows(IllegalArgumentException.class, () -> new HashWindow(0));
        assertThrows(IllegalArgumentException.class, () -> new HashWindow(4).add(new byte[31]));
    }
}
