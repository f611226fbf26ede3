package org.bitcoincommons.sv2.revenue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RevenueSplitTest
{
    @Test
    void splitsABlockSubsidyExactly()
    {
        // 3.125 BTC, the subsidy since the 2024 halving: 60/25/10/5 divide it without remainder.
        final RevenueSplit.Shares s = RevenueSplit.split(312_500_000L, 0);
        assertEquals(187_500_000L, s.coreDevelopment());
        assertEquals(78_125_000L, s.grants());
        assertEquals(31_250_000L, s.audits());
        assertEquals(15_625_000L, s.operations());
        assertEquals(0, s.fee());
    }

    @Test
    void remainderGoesToCoreDevelopment()
    {
        // 99 units: floors are 59, 24, 9, 4 (sum 96); the 3 left over go to core development.
        final RevenueSplit.Shares s = RevenueSplit.split(99, 0);
        assertEquals(62, s.coreDevelopment());
        assertEquals(24, s.grants());
        assertEquals(9, s.audits());
        assertEquals(4, s.operations());
        final RevenueSplit.Shares one = RevenueSplit.split(1, 0);
        assertEquals(1, one.coreDevelopment());
        assertEquals(0, one.grants() + one.audits() + one.operations());
    }

    @Test
    void feeIsTakenFirstAndRoundedDown()
    {
        final RevenueSplit.Shares s = RevenueSplit.split(1_000_000, 1);
        assertEquals(10_000, s.fee());
        assertEquals(990_000, s.net());
        assertEquals(594_000, s.coreDevelopment());
        assertEquals(247_500, s.grants());
        assertEquals(99_000, s.audits());
        assertEquals(49_500, s.operations());
        assertEquals(1, RevenueSplit.split(199, 1).fee());
        assertEquals(0, RevenueSplit.split(99, 1).fee());
        assertThrows(IllegalArgumentException.class, () -> RevenueSplit.split(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> RevenueSplit.split(1, 101));
    }

    @Property(tries = 2000)
    void nothingVanishes(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) final long amount,
        @ForAll @IntRange(min = 0, max = 100) final int fee)
    {
        final RevenueSplit.Shares s = RevenueSplit.split(amount, fee);
        assertEquals(amount, s.fee() + s.coreDevelopment() + s.grants() + s.audits() + s.operations());
        final BigInteger a = BigInteger.valueOf(amount);
        final BigInteger net = a.subtract(a.multiply(BigInteger.valueOf(fee)).divide(BigInteger.valueOf(100)));
        assertEquals(net.longValueExact(), s.net());
        assertEquals(net.multiply(BigInteger.valueOf(25)).divide(BigInteger.valueOf(100)).longValueExact(), s.grants());
        assertEquals(net.multiply(BigInteger.valueOf(10)).divide(BigInteger.valueOf(100)).longValueExact(), s.audits());
        assertEquals(net.multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(100)).longValueExact(), s.operations());
        final long floorCore = net.multiply(BigInteger.valueOf(60)).divide(BigInteger.valueOf(100)).longValueExact();
        assertTrue(s.coreDevelopment() - floorCore >= 0 && s.coreDevelopment() - floorCore <= 3);
    }
}
