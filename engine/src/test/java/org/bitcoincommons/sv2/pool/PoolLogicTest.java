package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.work.Job;
import static org.bitcoincommons.sv2.pool.PoolFixture.MAX_TARGET;
import static org.bitcoincommons.sv2.pool.PoolFixture.header;
import static org.bitcoincommons.sv2.pool.PoolFixture.le;
import static org.bitcoincommons.sv2.pool.PoolFixture.leBytes;
import static org.bitcoincommons.sv2.pool.PoolFixture.merkleRoot;
import static org.bitcoincommons.sv2.pool.PoolFixture.sha256d;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.Target;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PoolLogicTest
{
    /** One hash in 2^12 meets this network target: shares are plentiful, blocks are findable. */
    private static final int BITS = 0x1f0fffff;
    private PoolFixture f;
    private RecordingDownstream miner;

    @BeforeEach
    void setUp()
    {
        f = new PoolFixture(BITS, 8);
        miner = new RecordingDownstream(1);
        f.logic.connectionOpened(miner, true);
    }

    private int openStandard(final float hashrate, final byte[] maxTarget)
    {
        f.logic.openStandardChannel(miner, 7, "alice.rig1", hashrate, maxTarget);
        return miner.last("OpenStandardMiningChannel.Success").channelId();
    }

    /** Finds a nonce whose header hash meets (or, with meet=false, misses) the given target. */
    private static int nonceFor(final int version, final byte[] prev, final byte[] root, final int ntime, final int bits,
        final BigInteger target, final boolean meet, final int start)
    {
        for (int n = start; ; n++)
        {
            final boolean ok = le(sha256d(header(version, prev, root, ntime, bits, n))).compareTo(target) <= 0;
            if (ok == meet)
            {
                return n;
            }
        }
    }

    /** A nonce whose hash meets the channel's target but not the network's (an ordinary share). */
    private static int shareNonce(final int version, final byte[] prev, final byte[] root, final int ntime,
        final BigInteger channelTarget, final int start)
    {
        final BigInteger network = Target.fromCompact(BITS);
        for (int n = start; ; n++)
        {
            final BigInteger h = le(sha256d(header(version, prev, root, ntime, BITS, n)));
            if (h.compareTo(channelTarget) <= 0 && h.compareTo(network) > 0)
            {
                return n;
            }
        }
    }

    private BigInteger channelTarget()
    {
        final List<RecordingDownstream.Msg> std = miner.named("OpenStandardMiningChannel.Success");
        return le(std.get(std.size() - 1).bytes());
    }

    @Test
    void openStandardChannelSendsFutureJobThenPrevHash()
    {
        final int ch = openStandard(1.0e6f, MAX_TARGET);
        final List<String> names = miner.sent.stream().map(RecordingDownstream.Msg::name).toList();
        assertEquals(List.of("OpenStandardMiningChannel.Success", "NewMiningJob", "SetNewPrevHash"), names);
        final RecordingDownstream.Msg success = miner.last("OpenStandardMiningChannel.Success");
        assertEquals(7, success.a());
        assertEquals(0, success.b(), "a REQUIRES_STANDARD_JOBS connection gets no group channel");
        assertEquals(12, success.bytes2().length, "a standard channel's prefix is the whole extranonce");
        // target = (2^256 - 1 - h*t) / (h*t + 1) with h = 1e6 H/s, t = 10 s (SRI's formula, PROTOCOL.md §5.4)
        final BigInteger ht = BigInteger.valueOf(10_000_000L);
        assertEquals(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE).subtract(ht).divide(ht.add(BigInteger.ONE)),
            le(success.bytes()));
        final RecordingDownstream.Msg job = miner.last("NewMiningJob");
        assertEquals(-1, job.b(), "the first job is a future job");
        final RecordingDownstream.Msg prev = miner.last("SetNewPrevHash");
        assertEquals(job.a(), prev.a());
        assertArrayEquals(f.chain.tipHash(), prev.bytes());
        assertEquals(BITS, (int)prev.c());
        // the merkle root the pool sent is the one of its coinbase with this channel's extranonce
        final Job current = f.logic.currentJob;
        assertArrayEquals(merkleRoot(current.coinbasePrefix(), success.bytes2(), current.coinbaseSuffix(), current.merklePath()),
            job.bytes());
        assertEquals(ch, job.channelId());
    }

    @Test
    void acceptsValidSharesInOneSuccessPerBatch()
    {
        final int ch = openStandard(1.0f, MAX_TARGET);
        final RecordingDownstream.Msg job = miner.last("NewMiningJob");
        final RecordingDownstream.Msg prev = miner.last("SetNewPrevHash");
        final int ntime = (int)prev.b();
        int nonce = 0;
        for (int seq = 1; seq <= 3; seq++)
        {
            nonce = shareNonce((int)job.c(), prev.bytes(), job.bytes(), ntime, channelTarget(), nonce + 1);
            f.logic.shares().submitStandard(miner, ch, seq, (int)job.a(), nonce, ntime, (int)job.c());
        }
        f.logic.shares().endOfBatch();
        assertEquals(1, miner.named("SubmitShares.Success").size());
        final RecordingDownstream.Msg ok = miner.last("SubmitShares.Success");
        assertEquals(3, ok.a(), "last_sequence_number");
        assertEquals(3, ok.b(), "new_submits_accepted_count");
        assertEquals(3, f.accounting.shares.size());
        assertEquals(0, miner.named("SubmitShares.Error").size());
        assertEquals(1, f.accounting.flushes, "accounting flushed once before the batch's acknowledgements");
    }

    @Test
    void rejectsEachInvalidShareWithSrisCode()
    {
        final int ch = openStandard(1.0f, MAX_TARGET);
        final RecordingDownstream.Msg job = miner.last("NewMiningJob");
        final RecordingDownstream.Msg prev = miner.last("SetNewPrevHash");
        final int jobId = (int)job.a();
        final int version = (int)job.c();
        final int ntime = (int)prev.b();
        final int nonce = shareNonce(version, prev.bytes(), job.bytes(), ntime, channelTarget(), 0);
        final var s = f.logic.shares();
        s.submitStandard(miner, ch, 1, jobId, nonce, ntime, version);
        s.endOfBatch();
        s.submitStandard(miner, ch, 2, jobId, nonce, ntime, version);               // same header again
        s.submitStandard(miner, ch + 100, 3, jobId, nonce, ntime, version);         // unknown channel
        s.submitStandard(miner, ch, 4, jobId + 50, nonce, ntime, version);          // never issued
        s.submitStandard(miner, ch, 5, jobId, nonce, ntime, version ^ 0x80000000);  // outside the BIP323 mask
        s.submitStandard(miner, ch, 6, jobId, nonce, ntime - 1, version);           // before min_ntime
        s.submitStandard(miner, ch, 7, jobId, nonce, (int)(f.nowMs[0] / 1000 + 7300), version); // > 2 h ahead
        final int rolled = shareNonce(version ^ 0x00002000, prev.bytes(), job.bytes(), ntime, channelTarget(), 0);
        s.submitStandard(miner, ch, 8, jobId, rolled, ntime, version ^ 0x00002000);  // rolled bit: allowed
        s.endOfBatch();
        final RecordingDownstream other = new RecordingDownstream(2);
        f.logic.connectionOpened(other, true);
        s.submitStandard(other, ch, 9, jobId, nonce, ntime, version);               // someone else's channel
        s.endOfBatch();
        // errors found while staging go out at once, a duplicate is only known once the batch is hashed
        final List<String> errors = miner.named("SubmitShares.Error").stream().map(m -> m.a() + ":" + m.text()).sorted().toList();
        assertEquals(List.of("2:duplicate-share", "3:invalid-channel-id", "4:invalid-job-id",
            "5:invalid-non-rollable-version-bit", "6:invalid-share", "7:invalid-share"), errors);
        assertEquals("9:invalid-channel-id", other.last("SubmitShares.Error").a() + ":" + other.last("SubmitShares.Error").text());
        assertEquals(8, miner.last("SubmitShares.Success").a(), "the rolled-version share was accepted");
    }

    @Test
    void difficultyTooLowAgainstTheJobsTarget()
    {
        final BigInteger hard = BigInteger.ONE.shiftLeft(250);
        final int ch = openStandard(1.0f, leBytes(hard));
        final RecordingDownstream.Msg job = miner.last("NewMiningJob");
        final RecordingDownstream.Msg prev = miner.last("SetNewPrevHash");
        final int ntime = (int)prev.b();
        final int bad = nonceFor((int)job.c(), prev.bytes(), job.bytes(), ntime, BITS, hard, false, 0);
        final int good = nonceFor((int)job.c(), prev.bytes(), job.bytes(), ntime, BITS, hard, true, 0);
        f.logic.shares().submitStandard(miner, ch, 1, (int)job.a(), bad, ntime, (int)job.c());
        f.logic.shares().submitStandard(miner, ch, 2, (int)job.a(), good, ntime, (int)job.c());
        f.logic.shares().endOfBatch();
        assertEquals("difficulty-too-low", miner.last("SubmitShares.Error").text());
        assertEquals(1, miner.last("SubmitShares.Error").a());
        assertEquals(2, miner.last("SubmitShares.Success").a());
        assertEquals(65535.0 / Math.pow(2, 42), f.accounting.shares.get(0)[4], 1e-20, "difficulty = 0xffff * 2^208 / 2^250");
    }

    @Test
    void setTargetDoesNotApplyToActiveJobs()
    {
        final int ch = openStandard(1.0f, MAX_TARGET);
        final RecordingDownstream.Msg job = miner.last("NewMiningJob");
        final RecordingDownstream.Msg prev = miner.last("SetNewPrevHash");
        final BigInteger hard = BigInteger.ONE.shiftLeft(248);
        f.logic.updateChannel(miner, ch, 1.0f, leBytes(hard));
        assertEquals(hard, le(miner.last("SetTarget").bytes()));
        // a share that misses the new target but meets the job's own (max) target is still accepted
        final int ntime = (int)prev.b();
        final BigInteger before = channelTarget();
        int easy = 0;
        while (true)
        {
            easy = shareNonce((int)job.c(), prev.bytes(), job.bytes(), ntime, before, easy + 1);
            if (le(sha256d(header((int)job.c(), prev.bytes(), job.bytes(), ntime, BITS, easy))).compareTo(hard) > 0)
            {
                break;
            }
        }
        f.logic.shares().submitStandard(miner, ch, 1, (int)job.a(), easy, ntime, (int)job.c());
        f.logic.shares().endOfBatch();
        assertEquals(0, miner.named("SubmitShares.Error").size());
        // a job sent after SetTarget carries the new target
        f.logic.newJob(f.jobs.create(f.chain.currentTemplate()), false);
        final RecordingDownstream.Msg job2 = miner.last("NewMiningJob");
        assertTrue(job2.b() >= 0, "a job on the same tip is active at once (min_ntime set)");
        final int easy2 = nonceFor((int)job2.c(), prev.bytes(), job2.bytes(), ntime, BITS, hard, false, 0);
        f.logic.shares().submitStandard(miner, ch, 2, (int)job2.a(), easy2, ntime, (int)job2.c());
        f.logic.shares().endOfBatch();
        assertEquals("difficulty-too-low", miner.last("SubmitShares.Error").text());
    }

    @Test
    void blockIsFoundAssembledAndAcceptedByTheChainThenSharesOnTheOldTipAreStale()
    {
        final int ch = openStandard(1.0f, MAX_TARGET);
        final RecordingDownstream.Msg job = miner.last("NewMiningJob");
        final RecordingDownstream.Msg prev = miner.last("SetNewPrevHash");
        final int ntime = (int)prev.b() + 1;
        final BigInteger network = Target.fromCompact(BITS);
        final int win = nonceFor((int)job.c(), prev.bytes(), job.bytes(), ntime, BITS, network, true, 0);
        final long heightBefore = f.chain.tipHeight();
        f.logic.shares().submitStandard(miner, ch, 1, (int)job.a(), win, ntime, (int)job.c());
        f.logic.shares().endOfBatch();
        assertEquals(1, f.candidates.size());
        assertEquals(List.of(heightBefore + 1), f.accounting.blocks);
        f.submitCandidates();
        assertEquals(List.of("null"), f.submitResults, "the embedded chain accepted the assembled block");
        assertEquals(heightBefore + 1, f.chain.tipHeight());
        // the chain's new template reached the channel as a future job + SetNewPrevHash on the new tip
        final RecordingDownstream.Msg prev2 = miner.last("SetNewPrevHash");
        assertArrayEquals(f.chain.tipHash(), prev2.bytes());
        assertEquals(miner.last("NewMiningJob").a(), prev2.a());
        final int other = shareNonce((int)job.c(), prev.bytes(), job.bytes(), ntime, channelTarget(), 0);
        f.logic.shares().submitStandard(miner, ch, 2, (int)job.a(), other, ntime, (int)job.c());
        f.logic.shares().endOfBatch();
        assertEquals("stale-share", miner.last("SubmitShares.Error").text());
    }

    @Test
    void extendedChannelSharesUseTheMinersExtranonce()
    {
        final RecordingDownstream proxy = new RecordingDownstream(3);
        f.logic.connectionOpened(proxy, false);
        f.logic.openExtendedChannel(proxy, 1, "proxy", 1.0f, MAX_TARGET, 4);
        final RecordingDownstream.Msg ok = proxy.last("OpenExtendedMiningChannel.Success");
        assertEquals(8, ok.c(), "extranonce_size");
        assertEquals(4, ok.bytes2().length);
        final RecordingDownstream.Msg job = proxy.last("NewExtendedMiningJob");
        final RecordingDownstream.Msg prev = proxy.last("SetNewPrevHash");
        final byte[] extranonce = {1, 2, 3, 4, 5, 6, 7, 8};
        final byte[] full = new byte[12];
        System.arraycopy(ok.bytes2(), 0, full, 0, 4);
        System.arraycopy(extranonce, 0, full, 4, 8);
        final byte[] root = merkleRoot(job.bytes2(), full, job.bytes3(), job.bytes());
        final int ntime = (int)prev.b();
        final int nonce = shareNonce((int)job.c(), prev.bytes(), root, ntime, le(ok.bytes()), 0);
        final var s = f.logic.shares();
        s.submitExtended(proxy, ok.channelId(), 1, (int)job.a(), nonce, ntime, (int)job.c(), extranonce, 0, 8);
        s.submitExtended(proxy, ok.channelId(), 2, (int)job.a(), nonce, ntime, (int)job.c(), extranonce, 0, 7);
        s.endOfBatch();
        assertEquals(1, proxy.last("SubmitShares.Success").a());
        assertEquals("bad-extranonce-size", proxy.last("SubmitShares.Error").text());
        f.logic.openExtendedChannel(proxy, 2, "proxy", 1.0f, MAX_TARGET, 9);
        assertEquals("min-extranonce-size-too-large", proxy.last("OpenMiningChannel.Error").text());
        f.logic.openExtendedChannel(proxy, 3, "proxy", Float.NaN, MAX_TARGET, 1);
        assertEquals("invalid-nominal-hashrate", proxy.last("OpenMiningChannel.Error").text());
    }

    /**
     * An extended channel's block in one batch with a standard share and a version-rolled one (so the batch goes as one
     * coinbase call): the candidate's header carries the merkle root of the miner's own coinbase, written by the
     * hashing call and read back from the batch's headers, and the embedded chain accepts the assembled block.
     */
    @Test
    void extendedChannelBlockInAMixedBatchIsAssembledAndAcceptedByTheChain()
    {
        final int ch = openStandard(1.0f, MAX_TARGET);
        final RecordingDownstream.Msg sjob = miner.last("NewMiningJob");
        final RecordingDownstream proxy = new RecordingDownstream(3);
        f.logic.connectionOpened(proxy, false);
        f.logic.openExtendedChannel(proxy, 1, "proxy", 1.0f, MAX_TARGET, 4);
        final RecordingDownstream.Msg ok = proxy.last("OpenExtendedMiningChannel.Success");
        final RecordingDownstream.Msg job = proxy.last("NewExtendedMiningJob");
        final RecordingDownstream.Msg prev = proxy.last("SetNewPrevHash");
        final int ntime = (int)prev.b() + 1;
        final byte[] extranonce = {9, 8, 7, 6, 5, 4, 3, 2};
        final byte[] full = new byte[12];
        System.arraycopy(ok.bytes2(), 0, full, 0, 4);
        System.arraycopy(extranonce, 0, full, 4, 8);
        final byte[] root = merkleRoot(job.bytes2(), full, job.bytes3(), job.bytes());
        final int version = (int)job.c();
        final int win = nonceFor(version, prev.bytes(), root, ntime, BITS, Target.fromCompact(BITS), true, 0);
        final int standardVersion = (int)sjob.c();
        final int rolledVersion = standardVersion ^ (1 << 13);
        final BigInteger standardTarget = channelTarget();
        final int plain = shareNonce(standardVersion, prev.bytes(), sjob.bytes(), ntime, standardTarget, 0);
        final int rolled = shareNonce(rolledVersion, prev.bytes(), sjob.bytes(), ntime, standardTarget, 0);
        final long heightBefore = f.chain.tipHeight();

        final var s = f.logic.shares();
        s.submitStandard(miner, ch, 1, (int)sjob.a(), plain, ntime, standardVersion);
        s.submitExtended(proxy, ok.channelId(), 1, (int)job.a(), win, ntime, version, extranonce, 0, 8);
        s.submitStandard(miner, ch, 2, (int)sjob.a(), rolled, ntime, rolledVersion);
        s.endOfBatch();

        assertEquals(List.of(), miner.named("SubmitShares.Error").stream().map(RecordingDownstream.Msg::text).toList());
        assertEquals(List.of(), proxy.named("SubmitShares.Error").stream().map(RecordingDownstream.Msg::text).toList());
        assertEquals(2, miner.last("SubmitShares.Success").a());
        assertEquals(1, proxy.last("SubmitShares.Success").a());
        assertEquals(1, f.candidates.size());
        final byte[] header = f.candidates.get(0).header();
        assertArrayEquals(header(version, prev.bytes(), root, ntime, BITS, win), header);
        assertArrayEquals(sha256d(header), f.candidates.get(0).hash());
        f.submitCandidates();
        assertEquals(List.of("null"), f.submitResults, "the embedded chain accepted the assembled block");
        assertEquals(heightBefore + 1, f.chain.tipHeight());
    }

    /**
     * SetExtranoncePrefix: the channel gets a prefix no channel uses, jobs sent afterwards are checked with it, and
     * shares on the job sent before keep the prefix that job was sent under.
     */
    @Test
    void setExtranoncePrefixAppliesToJobsSentAfterIt()
    {
        final RecordingDownstream proxy = new RecordingDownstream(3);
        f.logic.connectionOpened(proxy, false);
        // One hash in 256 meets the channel's target, so a share built on the wrong prefix almost surely fails.
        final BigInteger target = BigInteger.ONE.shiftLeft(248);
        f.logic.openExtendedChannel(proxy, 1, "proxy", 1.0f, leBytes(target), 4);
        final RecordingDownstream.Msg ok = proxy.last("OpenExtendedMiningChannel.Success");
        final int ch = ok.channelId();
        final byte[] oldPrefix = ok.bytes2();
        final RecordingDownstream.Msg jobA = proxy.last("NewExtendedMiningJob");
        final RecordingDownstream.Msg prev = proxy.last("SetNewPrevHash");
        final int ntime = (int)prev.b();

        final byte[] newPrefix = f.logic.setExtranoncePrefix(ch);
        assertNotNull(newPrefix);
        final RecordingDownstream.Msg set = proxy.last("SetExtranoncePrefix");
        assertEquals(ch, set.channelId());
        assertArrayEquals(newPrefix, set.bytes());
        assertEquals(oldPrefix.length, newPrefix.length);
        assertFalse(Arrays.equals(oldPrefix, newPrefix), "a new prefix");
        // not the prefix of any channel opened later either: prefixes are channel ids never handed out twice
        f.logic.openExtendedChannel(proxy, 2, "proxy2", 1.0f, MAX_TARGET, 4);
        assertFalse(Arrays.equals(newPrefix, proxy.last("OpenExtendedMiningChannel.Success").bytes2()));
        assertNull(f.logic.setExtranoncePrefix(999_999), "unknown channel");

        final byte[] extranonce = {9, 8, 7, 6, 5, 4, 3, 2};
        final var shares = f.logic.shares();
        // 1: on the job sent before the change, with the old prefix: accepted
        final byte[] rootOldA = merkleRoot(jobA.bytes2(), concat(oldPrefix, extranonce), jobA.bytes3(), jobA.bytes());
        final int nonceA = shareNonce((int)jobA.c(), prev.bytes(), rootOldA, ntime, target, 0);
        shares.submitExtended(proxy, ch, 1, (int)jobA.a(), nonceA, ntime, (int)jobA.c(), extranonce, 0, 8);
        shares.endOfBatch();
        assertEquals(1, proxy.last("SubmitShares.Success").a());

        // a job sent after the change: the new prefix counts, the old one no longer does
        f.logic.newJob(f.jobs.create(f.chain.currentTemplate()), false);
        final RecordingDownstream.Msg jobB = proxy.last("NewExtendedMiningJob");
        final byte[] rootNewB = merkleRoot(jobB.bytes2(), concat(newPrefix, extranonce), jobB.bytes3(), jobB.bytes());
        final byte[] rootOldB = merkleRoot(jobB.bytes2(), concat(oldPrefix, extranonce), jobB.bytes3(), jobB.bytes());
        final int nonceB = shareNonce((int)jobB.c(), prev.bytes(), rootNewB, ntime, target, 0);
        int wrong = 0;
        while (le(sha256d(header((int)jobB.c(), prev.bytes(), rootOldB, ntime, BITS, wrong))).compareTo(target) > 0 ||
            le(sha256d(header((int)jobB.c(), prev.bytes(), rootNewB, ntime, BITS, wrong))).compareTo(target) <= 0)
        {
            wrong++;   // meets the target only under the old prefix
        }
        shares.submitExtended(proxy, ch, 2, (int)jobB.a(), nonceB, ntime, (int)jobB.c(), extranonce, 0, 8);
        shares.submitExtended(proxy, ch, 3, (int)jobB.a(), wrong, ntime, (int)jobB.c(), extranonce, 0, 8);
        shares.endOfBatch();
        assertEquals(2, proxy.last("SubmitShares.Success").a());
        assertEquals(3, proxy.last("SubmitShares.Error").a());
        assertEquals("difficulty-too-low", proxy.last("SubmitShares.Error").text());
    }

    /**
     * One batch of standard shares at the job's version (midstate records), a standard share with a rolled version
     * and an extended channel's share: the batch is hashed in one call, and every share is judged by its own header
     * (each verdict checked against hashes computed here, independently of the pool's kernel).
     */
    @Test
    void aMixedBatchIsJudgedShareByShare()
    {
        final BigInteger target = BigInteger.ONE.shiftLeft(248);
        final int ch = openStandard(1.0f, leBytes(target));
        final RecordingDownstream.Msg job = miner.last("NewMiningJob");
        final RecordingDownstream.Msg prev = miner.last("SetNewPrevHash");
        final int ntime = (int)prev.b();
        final int v = (int)job.c();
        final int rolled = v ^ (1 << 13);
        final RecordingDownstream proxy = new RecordingDownstream(3);
        f.logic.connectionOpened(proxy, false);
        f.logic.openExtendedChannel(proxy, 1, "proxy", 1.0f, leBytes(target), 4);
        final RecordingDownstream.Msg ok = proxy.last("OpenExtendedMiningChannel.Success");
        final RecordingDownstream.Msg xjob = proxy.last("NewExtendedMiningJob");
        final byte[] extranonce = {1, 2, 3, 4, 5, 6, 7, 8};
        final byte[] xroot = merkleRoot(xjob.bytes2(), concat(ok.bytes2(), extranonce), xjob.bytes3(), xjob.bytes());
        final int xv = (int)xjob.c();

        final var shares = f.logic.shares();
        final int good1 = shareNonce(v, prev.bytes(), job.bytes(), ntime, target, 0);
        final int rolledGood = shareNonce(rolled, prev.bytes(), job.bytes(), ntime, target, 0);
        final int rolledBad = nonceFor(rolled, prev.bytes(), job.bytes(), ntime, BITS, target, false, 0);
        final int xgood = shareNonce(xv, prev.bytes(), xroot, ntime, target, 0);
        final int xbad = nonceFor(xv, prev.bytes(), xroot, ntime, BITS, target, false, 0);
        final int good2 = shareNonce(v, prev.bytes(), job.bytes(), ntime, target, good1 + 1);
        shares.submitStandard(miner, ch, 1, (int)job.a(), good1, ntime, v);
        shares.submitStandard(miner, ch, 2, (int)job.a(), rolledGood, ntime, rolled);
        shares.submitStandard(miner, ch, 3, (int)job.a(), rolledBad, ntime, rolled);
        shares.submitExtended(proxy, ok.channelId(), 1, (int)xjob.a(), xgood, ntime, xv, extranonce, 0, 8);
        shares.submitExtended(proxy, ok.channelId(), 2, (int)xjob.a(), xbad, ntime, xv, extranonce, 0, 8);
        shares.submitStandard(miner, ch, 4, (int)job.a(), good2, ntime, v);
        shares.endOfBatch();
        final RecordingDownstream.Msg std = miner.last("SubmitShares.Success");
        assertEquals(4, std.a(), "last accepted sequence");
        assertEquals(3, std.b(), "three standard shares accepted in the batch");
        assertEquals(List.of("3:difficulty-too-low"), miner.named("SubmitShares.Error").stream()
            .map(m -> m.a() + ":" + m.text()).toList());
        assertEquals(1, proxy.last("SubmitShares.Success").a());
        assertEquals(1, proxy.last("SubmitShares.Success").b());
        assertEquals(2, proxy.last("SubmitShares.Error").a());
        assertEquals("difficulty-too-low", proxy.last("SubmitShares.Error").text());

        // the next batch is all standard at the job's version again: midstate records, same verdicts
        final int good3 = shareNonce(v, prev.bytes(), job.bytes(), ntime, target, good2 + 1);
        final int bad3 = nonceFor(v, prev.bytes(), job.bytes(), ntime, BITS, target, false, 0);
        shares.submitStandard(miner, ch, 5, (int)job.a(), good3, ntime, v);
        shares.submitStandard(miner, ch, 6, (int)job.a(), bad3, ntime, v);
        shares.endOfBatch();
        assertEquals(5, miner.last("SubmitShares.Success").a());
        assertEquals(6, miner.last("SubmitShares.Error").a());
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void proxyStandardChannelsShareAGroupChannel()
    {
        final RecordingDownstream proxy = new RecordingDownstream(4);
        f.logic.connectionOpened(proxy, false);
        f.logic.openStandardChannel(proxy, 1, "a", 1.0f, MAX_TARGET);
        f.logic.openStandardChannel(proxy, 2, "b", 1.0f, MAX_TARGET);
        final List<RecordingDownstream.Msg> ok = proxy.named("OpenStandardMiningChannel.Success");
        final long group = ok.get(0).b();
        assertTrue(group != 0);
        assertEquals(group, ok.get(1).b());
        assertEquals(2, proxy.named("SetGroupChannel").size(), "one SetGroupChannel per opened channel");
        assertEquals(1, proxy.last("SetGroupChannel").a(), "it lists only the new channel");
        assertEquals((byte)ok.get(1).channelId(), proxy.last("SetGroupChannel").bytes()[0]);
        proxy.clear();
        f.logic.newJob(f.jobs.create(f.chain.currentTemplate()), true);
        assertEquals(1, proxy.named("NewExtendedMiningJob").size(), "one job for the whole group");
        assertEquals(group, proxy.last("NewExtendedMiningJob").channelId());
        assertEquals(group, proxy.last("SetNewPrevHash").channelId());
        assertEquals(0, proxy.named("NewMiningJob").size());
    }

    @Test
    void channelsPerConnectionAreBounded()
    {
        f.logic.maxChannelsPerConnection(2);
        openStandard(1.0f, MAX_TARGET);
        openStandard(1.0f, MAX_TARGET);
        f.logic.openStandardChannel(miner, 9, "third", 1.0f, MAX_TARGET);
        assertEquals("max-channels-reached", miner.last("OpenMiningChannel.Error").text());
        assertEquals(9, miner.last("OpenMiningChannel.Error").a());
        assertEquals(2, f.logic.channelCount());
    }

    @Test
    void closedConnectionsChannelsAreGone()
    {
        final int ch = openStandard(1.0f, MAX_TARGET);
        f.logic.connectionClosed(miner);
        assertEquals(0, f.logic.channelCount());
        final RecordingDownstream.Msg job = miner.last("NewMiningJob");
        miner.clear();
        f.logic.shares().submitStandard(miner, ch, 1, (int)job.a(), 1, 0, (int)job.c());
        assertNotNull(miner.last("SubmitShares.Error"));
    }
}
