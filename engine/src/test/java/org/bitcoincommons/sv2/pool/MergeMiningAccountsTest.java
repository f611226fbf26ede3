package org.bitcoincommons.sv2.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.bitcoincommons.sv2.codec.Message;
import org.bitcoincommons.sv2.codec.ext.MergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccount;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountError;
import org.bitcoincommons.sv2.codec.ext.SubscribeMergeMiningAccountSuccess;
import org.junit.jupiter.api.Test;

/**
 * {@link MergeMiningAccounts} on its own: figures count from the subscription on, the pool's total includes every
 * connection, the attribution is exact in integers (RSK rewards in wei pass 2^53), updates come at the interval,
 * and the refusals.
 */
class MergeMiningAccountsTest
{
    private static MiningDownstream wire(final long id)
    {
        return (MiningDownstream)java.lang.reflect.Proxy.newProxyInstance(MiningDownstream.class.getClassLoader(),
            new Class<?>[] {MiningDownstream.class}, (proxy, method, args) -> switch (method.getName())
            {
                case "connectionId" -> id;
                case "hashCode" -> (int)id;
                case "equals" -> proxy == args[0];
                case "protocol" -> "sv2";
                default -> null;
            });
    }

    @Test
    void figuresFromTheSubscriptionOnWithAnExactAttribution()
    {
        final AtomicLong rskRewards = new AtomicLong(1_000L);
        final AtomicLong rskBlocks = new AtomicLong(3);
        final MergeMiningAccounts accounts = new MergeMiningAccounts(() -> Map.of(2, "rsk"),
            i -> i == 2 ? rskRewards.get() : 0, i -> i == 2 ? rskBlocks.get() : 0);
        final long rsk = 1L << 2;
        accounts.creditPool(rsk, 5.0);   // before anyone subscribed: not in anyone's figures
        final List<Message> sent = new ArrayList<>();
        final MiningDownstream a = wire(1);
        final MergeMiningAccounts.Subscription s = accounts.subscribe(a, m -> sent.add(m),
            new SubscribeMergeMiningAccount(1, 2000), 10_000);
        assertEquals(new SubscribeMergeMiningAccountSuccess(1, 2000, 1), sent.getFirst());
        // a's shares: 1 + 2 difficulty; another connection's: 3; the pool counts all of them
        for (final double d : new double[] {1.0, 2.0})
        {
            accounts.creditPool(rsk, d);
            s.credit(rsk, d);
        }
        accounts.creditPool(rsk, 3.0);
        // a block rewarded meanwhile: 0.0845 RBTC in wei, far past 2^53
        rskRewards.addAndGet(84_500_000_000_000_001L);
        rskBlocks.incrementAndGet();
        accounts.push(11_000);   // not due yet (interval 2000 from 10,000)
        assertEquals(1, sent.size());
        accounts.push(12_000);
        assertEquals(2, sent.size());
        final MergeMiningAccount m = (MergeMiningAccount)sent.get(1);
        assertEquals(1, m.updateSequence());
        assertEquals(2, m.chainIndex());
        assertEquals(2, m.sharesCredited());
        assertEquals(BigInteger.valueOf(3).shiftLeft(32), m.workCreditedHashes());
        assertEquals(3, m.poolShares());
        assertEquals(BigInteger.valueOf(6).shiftLeft(32), m.poolWorkHashes());
        assertEquals(1, m.poolBlocks());
        assertEquals(84_500_000_000_000_001L, m.poolRewards());
        // floor(84,500,000,000,000,001 x 3 / 6), exactly
        assertEquals(42_250_000_000_000_000L, m.rewardAttributed());
        accounts.push(13_999);
        assertEquals(2, sent.size());
        accounts.push(14_000);
        assertEquals(2, ((MergeMiningAccount)sent.get(2)).updateSequence());
    }

    @Test
    void refusalsAndTheIntervalBounds()
    {
        final MergeMiningAccounts none = new MergeMiningAccounts(Map::of, i -> 0, i -> 0);
        final List<Message> sent = new ArrayList<>();
        assertNull(none.subscribe(wire(1), sent::add, new SubscribeMergeMiningAccount(4, 0), 0));
        assertEquals(new SubscribeMergeMiningAccountError(4, "no-merged-mining"), sent.getFirst());

        final MergeMiningAccounts accounts = new MergeMiningAccounts(() -> Map.of(1, "namecoin"), i -> 0, i -> 0);
        final MiningDownstream a = wire(2);
        sent.clear();
        accounts.subscribe(a, sent::add, new SubscribeMergeMiningAccount(5, 0), 0);
        assertEquals(new SubscribeMergeMiningAccountSuccess(5, 10_000, 1), sent.get(0));
        assertNull(accounts.subscribe(a, sent::add, new SubscribeMergeMiningAccount(6, 0), 0));
        assertEquals(new SubscribeMergeMiningAccountError(6, "already-subscribed"), sent.get(1));
        accounts.unsubscribe(a);
        assertEquals(0, accounts.subscribers());
        accounts.subscribe(a, sent::add, new SubscribeMergeMiningAccount(7, 999_999_999L), 0);
        assertEquals(new SubscribeMergeMiningAccountSuccess(7, 3_600_000, 1), sent.get(2));
        // a full sink stops that update (its owner closes the connection); nothing is counted as pushed
        final MergeMiningAccounts full = new MergeMiningAccounts(() -> Map.of(1, "a", 2, "b"), i -> 0, i -> 0);
        final List<Message> once = new ArrayList<>();
        full.subscribe(wire(3), m -> once.add(m) && once.size() < 2, new SubscribeMergeMiningAccount(8, 1000), 0);
        full.push(1000);
        assertEquals(2, once.size());
        assertEquals(0, full.pushed());
    }
}
