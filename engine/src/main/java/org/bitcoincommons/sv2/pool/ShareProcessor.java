package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.work.BlockSink;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.bitcoincommons.sv2.work.Job;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.hash.CoinbaseContexts;
import org.bitcoincommons.sv2.hash.CoinbaseDescriptor;
import org.bitcoincommons.sv2.hash.HeaderHasher;

/**
 * Validates shares in batches on the logic thread (PROTOCOL.md §5.3): the cheap checks and the 80-byte
 * header are done when a share is staged, the whole batch is hashed in one call to the kernel, then each hash
 * is compared with the network target, the aux targets and the target of the share's job. Accepted shares go
 * to {@link ShareAccounting} before the batch's SubmitShares.Success messages (one per channel) are queued.
 * Nothing here allocates per share.
 * <p>
 * The one call: when every share of the batch is on a standard channel with its job's own version, the batch goes as
 * 48-byte midstate records (the SHA-256 state after the header's first 64 bytes, computed once per channel and job,
 * plus the last 16 bytes: two compressions a share). When some share has a rolled version but none is extended, the
 * batch goes as 80-byte headers (three compressions a share). When some share is on an extended channel, whose merkle
 * root changes with every extranonce, the batch goes as 80-byte headers plus one {@link CoinbaseDescriptor} record per
 * share: the call finishes each extended share's coinbase from its channel's coinbase context (the SHA-256 midstate
 * of the coinbase up to the miner's extranonce, computed once per channel and job), folds the merkle path, writes the
 * root into the header, and hashes every header. A share never costs a native call of its own, and no coinbase is
 * hashed on the logic thread.
 */
public final class ShareProcessor
{
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Bitcoin's MAX_FUTURE_BLOCK_TIME: a header more than 2 hours ahead is invalid. */
    static final long MAX_FUTURE_SEC = 7200;

    private final PoolLogic logic;
    private final ShareAccounting accounting;
    private final HeaderHasher hasher;
    private final BlockSink blockSink;
    private final EpochClock clock;
    private final int maxBatch;
    private final int duplicateWindow;

    private final Channel[] batchChannel;
    private final int[] batchSequence;
    private final int[] batchSlot;
    private final int[] batchExtranonceLength;
    private final byte[] batchExtranonce;
    private final byte[] headers;
    private final byte[] hashes;
    private final byte[] records;
    private final MemorySegment recordsSegment;
    private final MemorySegment headersSegment;
    /** Shares of the current batch without a cached midstate: when non-zero the batch is hashed as full headers. */
    private int uncached;
    private final byte[] midstateInput = new byte[64];
    private final MemorySegment midstateInputSegment = MemorySegment.ofArray(midstateInput);
    private final byte[] midstate = new byte[32];
    private final MemorySegment midstateSegment = MemorySegment.ofArray(midstate);
    private final MemorySegment hashesSegment;
    /** One {@link CoinbaseDescriptor} record per share, used when the batch has extended shares. */
    private final byte[] coinbaseRecords;
    private final MemorySegment coinbaseRecordsSegment;
    /** The batch's coinbase context table: a copy of each (channel, slot) context its extended shares use. */
    private byte[] contexts = new byte[16 * 1024];
    private MemorySegment contextsSegment = MemorySegment.ofArray(contexts);
    private int contextsLength;
    /** Numbers batches (from 1) so that a slot knows whether its context is already in the table. */
    private long batchNumber = 1;
    /** Extended shares in the current batch: when non-zero the batch goes with coinbase records. */
    private int extendedInBatch;
    private final CoinbaseContexts contextWriter = new CoinbaseContexts();
    private int count;

    private final Channel[] pending;
    private int pendingCount;

    /** Frontend of a cluster: acknowledgements wait here for their batch's commit; null in a single process. */
    private PendingAcks held;
    private long batchTicket;
    private long batchNs;

    private LongHashSet seen;
    private LongHashSet seenBefore;

    private final Sha256d sha = new Sha256d();
    private byte[] coinbase = new byte[512];
    private long nowSec;

    private long accepted;
    private long rejected;
    private long blocks;

    ShareProcessor(final PoolLogic logic, final ShareAccounting accounting, final HeaderHasher hasher,
        final BlockSink blockSink, final EpochClock clock, final int maxBatch, final int duplicateWindow)
    {
        this.logic = logic;
        this.accounting = accounting;
        this.hasher = hasher;
        this.blockSink = blockSink;
        this.clock = clock;
        this.maxBatch = maxBatch;
        this.duplicateWindow = duplicateWindow;
        this.batchChannel = new Channel[maxBatch];
        this.batchSequence = new int[maxBatch];
        this.batchSlot = new int[maxBatch];
        this.batchExtranonceLength = new int[maxBatch];
        this.batchExtranonce = new byte[maxBatch * 32];
        this.headers = new byte[maxBatch * 80];
        this.hashes = new byte[maxBatch * 32];
        this.records = new byte[maxBatch * 48];
        this.recordsSegment = MemorySegment.ofArray(records);
        this.headersSegment = MemorySegment.ofArray(headers);
        this.hashesSegment = MemorySegment.ofArray(hashes);
        this.coinbaseRecords = new byte[maxBatch * CoinbaseDescriptor.RECORD_LENGTH];
        this.coinbaseRecordsSegment = MemorySegment.ofArray(coinbaseRecords);
        this.pending = new Channel[maxBatch];
        this.seen = new LongHashSet(Math.max(64, duplicateWindow * 2));
        this.seenBefore = new LongHashSet(Math.max(64, duplicateWindow * 2));
    }

    public long accepted()
    {
        return accepted;
    }

    public long rejected()
    {
        return rejected;
    }

    /** A share an endpoint refused before validation (see {@link PoolLogic#recordReject}). */
    void countRejected()
    {
        rejected++;
    }

    public long blocks()
    {
        return blocks;
    }

    /** SubmitSharesStandard. */
    public void submitStandard(final MiningDownstream wire, final int channelId, final int sequenceNumber,
        final int jobId, final int nonce, final int ntime, final int version)
    {
        stage(wire, channelId, sequenceNumber, jobId, nonce, ntime, version, null, 0, 0, false);
    }

    /** SubmitSharesExtended; the extranonce bytes are copied, the array may be reused after the call. */
    public void submitExtended(final MiningDownstream wire, final int channelId, final int sequenceNumber,
        final int jobId, final int nonce, final int ntime, final int version,
        final byte[] extranonce, final int extranonceOffset, final int extranonceLength)
    {
        stage(wire, channelId, sequenceNumber, jobId, nonce, ntime, version, extranonce, extranonceOffset,
            extranonceLength, true);
    }

    private void stage(final MiningDownstream wire, final int channelId, final int sequenceNumber, final int jobId,
        final int nonce, final int ntime, final int version, final byte[] extranonce, final int extranonceOffset,
        final int extranonceLength, final boolean extendedMessage)
    {
        if (count == 0)
        {
            nowSec = clock.time() / 1000;
        }
        final Channel c = logic.channels.get(channelId);
        if (c == null || c.downstream != wire)
        {
            reject(wire, channelId, sequenceNumber, ShareError.INVALID_CHANNEL_ID);
            return;
        }
        final int slot = c.slotOf(jobId);
        if (slot < 0 || Integer.compareUnsigned(jobId, logic.tipFirstJobId) < 0)
        {
            // Job ids are pool-wide and increasing: an id we issued before is stale, any other is unknown.
            final boolean issued = jobId != 0 && logic.currentJob != null &&
                Integer.compareUnsigned(jobId, logic.currentJob.jobId()) <= 0;
            reject(c, sequenceNumber, issued ? ShareError.STALE_SHARE : ShareError.INVALID_JOB_ID);
            return;
        }
        if (c.slotFuture[slot])
        {
            // a future job becomes valid only with its SetNewPrevHash
            reject(c, sequenceNumber, ShareError.INVALID_JOB_ID);
            return;
        }
        if (extendedMessage != c.extended || (c.extended && extranonceLength != c.extranonceSize))
        {
            reject(c, sequenceNumber, ShareError.BAD_EXTRANONCE_SIZE);
            return;
        }
        final Job job = c.slotJob[slot];
        if (((version ^ job.version()) & ~PoolLogic.VERSION_ROLLING_MASK) != 0)
        {
            reject(c, sequenceNumber, ShareError.INVALID_NON_ROLLABLE_VERSION_BIT);
            return;
        }
        final long t = ntime & 0xffffffffL;
        if (t < (job.minNtime() & 0xffffffffL) || t > nowSec + MAX_FUTURE_SEC)
        {
            reject(c, sequenceNumber, ShareError.INVALID_SHARE);
            return;
        }

        final int i = count;
        final int h = i * 80;
        INT_LE.set(headers, h, version);
        System.arraycopy(job.prevHash(), 0, headers, h + 4, 32);
        final int r = i * CoinbaseDescriptor.RECORD_LENGTH;
        if (c.extended)
        {
            System.arraycopy(extranonce, extranonceOffset, batchExtranonce, i * 32, extranonceLength);
            final int context = batchContext(c, slot);
            if (context == CoinbaseDescriptor.NONE)
            {
                extendedMerkleRoot(c.slotPrefix[slot], job, extranonce, extranonceOffset, extranonceLength, headers,
                    h + CoinbaseDescriptor.HEADER_MERKLE_ROOT_OFFSET);
            }
            INT_LE.set(coinbaseRecords, r + CoinbaseDescriptor.CONTEXT_OFFSET_OFFSET, context);
            INT_LE.set(coinbaseRecords, r + CoinbaseDescriptor.EXTRANONCE_LENGTH_OFFSET, extranonceLength);
            System.arraycopy(extranonce, extranonceOffset, coinbaseRecords, r + CoinbaseDescriptor.EXTRANONCE_OFFSET,
                extranonceLength);
            extendedInBatch++;
        }
        else
        {
            System.arraycopy(merkleRoot(c, slot), slot * 32, headers, h + CoinbaseDescriptor.HEADER_MERKLE_ROOT_OFFSET,
                32);
            INT_LE.set(coinbaseRecords, r + CoinbaseDescriptor.CONTEXT_OFFSET_OFFSET, CoinbaseDescriptor.NONE);
        }
        INT_LE.set(headers, h + 68, ntime);
        INT_LE.set(headers, h + 72, job.nbits());
        INT_LE.set(headers, h + 76, nonce);
        record(c, slot, version, i, h);
        batchChannel[i] = c;
        batchSequence[i] = sequenceNumber;
        batchSlot[i] = slot;
        batchExtranonceLength[i] = extranonceLength;
        count = i + 1;
        if (count == maxBatch)
        {
            endOfBatch();
        }
    }

    /** Hashes and settles every staged share, then sends one SubmitShares.Success per channel. */
    public void endOfBatch()
    {
        final int n = count;
        if (n > 0)
        {
            if (uncached == 0)
            {
                hasher.hashMidstates(recordsSegment, n, hashesSegment);
            }
            else if (extendedInBatch == 0)
            {
                hasher.hash(headersSegment, n, hashesSegment);
            }
            else
            {
                // writes each extended share's merkle root into its header (candidate() reads it from there)
                hasher.hashCoinbases(contextsSegment, coinbaseRecordsSegment, headersSegment, n, hashesSegment);
            }
            uncached = 0;
            extendedInBatch = 0;
            contextsLength = 0;
            batchNumber++;
            for (int i = 0; i < n; i++)
            {
                final Channel c = batchChannel[i];
                try
                {
                    settle(i);
                }
                catch (final RuntimeException ex)
                {
                    // Only this share's connection is affected; the rest of the batch is settled and acknowledged.
                    logic.fault(c.downstream, "settling a share of channel " + c.channelId, ex);
                }
                batchChannel[i] = null;
            }
            count = 0;
            accounting.flush();
            if (held != null)
            {
                batchTicket = held.seal();
                batchNs = System.nanoTime();
            }
        }
        flushSuccesses();
    }

    /** Acknowledgements go to {@code acks} until their accounting batch is committed (cluster frontend). */
    void holdAcknowledgements(final PendingAcks acks)
    {
        this.held = acks;
    }

    private void settle(final int i)
    {
        final Channel c = batchChannel[i];
        final int slot = batchSlot[i];
        final Job job = c.slotJob[slot];
        final int hashOffset = i * 32;
        final long fingerprint = (long)LONG_LE.get(hashes, hashOffset);
        if (seen.contains(fingerprint) || seenBefore.contains(fingerprint))
        {
            reject(c, batchSequence[i], ShareError.DUPLICATE_SHARE);
            return;
        }
        if (Target.hashMeetsTarget(hashes, hashOffset, job.networkTarget(), 0))
        {
            blocks++;
            c.blocksFound++;
            final byte[] hash = java.util.Arrays.copyOfRange(hashes, hashOffset, hashOffset + 32);
            accounting.blockFound(0, worker(c), job.template().height(), hash);
            blockSink.blockFound(candidate(i, c, slot, job, hash));
        }
        else if (job.auxMaxTarget() != null && Target.hashMeetsTarget(hashes, hashOffset, job.auxMaxTarget(), 0))
        {
            final byte[] hash = java.util.Arrays.copyOfRange(hashes, hashOffset, hashOffset + 32);
            blockSink.auxCandidate(candidate(i, c, slot, job, hash));
        }
        if (!Target.hashMeetsTarget(hashes, hashOffset, c.slotTarget, slot * 32))
        {
            reject(c, batchSequence[i], ShareError.DIFFICULTY_TOO_LOW);
            return;
        }
        remember(fingerprint);
        accepted++;
        c.sharesAccepted++;
        c.vardiff.onShare();
        final double difficulty = c.slotDifficulty[slot];
        c.acceptedWork += difficulty;
        c.lastShareMs = nowSec * 1000;
        accounting.shareAccepted(worker(c), c.channelId, batchSequence[i], job.jobId(), difficulty, job.chainMask());
        final long auxMask = job.chainMask() & ~1L;
        if (auxMask != 0)
        {
            c.creditAux(auxMask, difficulty);
            final MergeMiningAccounts accounts = logic.accounts();
            if (accounts != null)
            {
                accounts.creditPool(auxMask, difficulty);
                if (c.account != null)
                {
                    c.account.credit(auxMask, difficulty);
                }
            }
        }
        if (!c.pendingQueued)
        {
            c.pendingQueued = true;
            pending[pendingCount++] = c;
        }
        c.pendingCount++;
        c.pendingLastSequence = batchSequence[i];
        c.pendingSum += Math.max(1L, (long)difficulty);
    }

    /**
     * Writes share {@code i}'s midstate record from its header at {@code h} when its channel has (or now computes,
     * once per channel and job) the midstate of the job's own version; otherwise counts it as uncached, and the batch
     * is hashed from its full headers.
     */
    private void record(final Channel c, final int slot, final int version, final int i, final int h)
    {
        if (c.extended || version != c.slotJob[slot].version())
        {
            uncached++;
            return;
        }
        final int r = i * 48;
        if (!c.slotMidstateReady[slot] || c.slotMidstateVersion[slot] != version)
        {
            System.arraycopy(headers, h, midstateInput, 0, 64);
            hasher.midstate(midstateInputSegment, midstateSegment);
            System.arraycopy(midstate, 0, c.slotMidstate, slot * 32, 32);
            c.slotMidstateVersion[slot] = version;
            c.slotMidstateReady[slot] = true;
        }
        System.arraycopy(c.slotMidstate, slot * 32, records, r, 32);
        System.arraycopy(headers, h + 64, records, r + 32, 16);
    }

    private BlockCandidate candidate(final int i, final Channel c, final int slot, final Job job, final byte[] hash)
    {
        final byte[] header = java.util.Arrays.copyOfRange(headers, i * 80, i * 80 + 80);
        final int rollable = batchExtranonceLength[i];
        final byte[] prefix = c.slotPrefix[slot];
        final byte[] extranonce = new byte[prefix.length + rollable];
        System.arraycopy(prefix, 0, extranonce, 0, prefix.length);
        System.arraycopy(batchExtranonce, i * 32, extranonce, prefix.length, rollable);
        return new BlockCandidate(job, header, hash, extranonce, worker(c), c.userIdentity);
    }

    /** The channel's worker id, registered (and journaled) on its first credited share or block. */
    private int worker(final Channel c)
    {
        if (c.workerId < 0)
        {
            c.workerId = accounting.workerId(c.userIdentity);
            logic.channelProven(c);
        }
        return c.workerId;
    }

    private void remember(final long fingerprint)
    {
        if (seen.size() >= duplicateWindow)
        {
            final LongHashSet t = seenBefore;
            seenBefore = seen;
            seen = t;
            seen.clear();
        }
        seen.add(fingerprint);
    }

    /** A new chain tip: every older share is stale, so the duplicate window starts afresh. */
    void newTip()
    {
        seen.clear();
        seenBefore.clear();
    }

    /** Flushes staged shares and pending successes (before a control event changes channel state). */
    void flushAll()
    {
        endOfBatch();
    }

    void flushChannel(final Channel c)
    {
        endOfBatch();
    }

    private void flushSuccesses()
    {
        for (int i = 0; i < pendingCount; i++)
        {
            final Channel c = pending[i];
            pending[i] = null;
            c.pendingQueued = false;
            if (!c.closed)
            {
                if (held == null)
                {
                    c.downstream.submitSharesSuccess(c.channelId, c.pendingLastSequence, c.pendingCount, c.pendingSum);
                }
                else
                {
                    held.hold(c, c.pendingLastSequence, c.pendingCount, c.pendingSum, batchTicket, batchNs);
                }
            }
            c.pendingCount = 0;
            c.pendingSum = 0;
        }
        pendingCount = 0;
    }

    private void reject(final Channel c, final int sequenceNumber, final ShareError error)
    {
        rejected++;
        c.sharesRejected++;
        c.rejectsByReason[error.ordinal()]++;
        c.downstream.submitSharesError(c.channelId, sequenceNumber, error);
    }

    private void reject(final MiningDownstream wire, final int channelId, final int sequenceNumber, final ShareError error)
    {
        rejected++;
        wire.submitSharesError(channelId, sequenceNumber, error);
    }

    /**
     * The job's merkle root with a standard channel's extranonce, computed once per (channel, job): the array holding
     * it at {@code slot * 32} ({@link Channel#slotMerkleRoot}).
     */
    byte[] merkleRoot(final Channel c, final int slot)
    {
        final byte[] root = c.slotMerkleRoot;
        if (!c.slotMerkleReady[slot])
        {
            final Job job = c.slotJob[slot];
            final byte[] prefix = c.slotPrefix[slot];
            final int len = assemble(job, prefix, 0, prefix.length, null, 0, 0);
            Merkle.coinbaseRoot(sha, coinbase, 0, len, job.merklePath(), 0, job.merklePathCount(), root, slot * 32);
            c.slotMerkleReady[slot] = true;
        }
        return root;
    }

    /**
     * The offset in this batch's context table of the (channel, slot) coinbase context, written once per channel and
     * job and copied into the table once per batch; {@link CoinbaseDescriptor#NONE} when the job's coinbase does not
     * fit a context (a suffix over 64 KiB or a path over 32 nodes), and the share's root is folded here instead.
     */
    private int batchContext(final Channel c, final int slot)
    {
        if (!c.slotContextReady[slot])
        {
            final Job job = c.slotJob[slot];
            final byte[] prefix = c.slotPrefix[slot];
            int length = -1;
            final int suffixLength = job.coinbaseSuffix().length;
            final int pathCount = job.merklePathCount();
            if (suffixLength <= CoinbaseDescriptor.MAX_SUFFIX_LENGTH && pathCount <= CoinbaseDescriptor.MAX_PATH_COUNT)
            {
                final int need = CoinbaseDescriptor.contextLength(
                    job.coinbasePrefix().length + prefix.length, suffixLength, pathCount);
                if (c.slotContext[slot] == null || c.slotContext[slot].length < need)
                {
                    c.slotContext[slot] = new byte[need];
                }
                length = contextWriter.write(job.coinbasePrefix(), prefix, job.coinbaseSuffix(), job.merklePath(),
                    pathCount, c.slotContext[slot], 0);
            }
            c.slotContextLength[slot] = length;
            c.slotContextReady[slot] = true;
        }
        final int length = c.slotContextLength[slot];
        if (length < 0)
        {
            return CoinbaseDescriptor.NONE;
        }
        if (c.slotContextBatch[slot] != batchNumber)
        {
            if (contextsLength + length > contexts.length)
            {
                contexts = java.util.Arrays.copyOf(contexts, Math.max(2 * contexts.length, contextsLength + length));
                contextsSegment = MemorySegment.ofArray(contexts);
            }
            System.arraycopy(c.slotContext[slot], 0, contexts, contextsLength, length);
            c.slotContextOffset[slot] = contextsLength;
            c.slotContextBatch[slot] = batchNumber;
            contextsLength += length;
        }
        return c.slotContextOffset[slot];
    }

    private void extendedMerkleRoot(final byte[] prefix, final Job job, final byte[] extranonce, final int offset,
        final int length, final byte[] out, final int outOffset)
    {
        final int len = assemble(job, prefix, 0, prefix.length, extranonce, offset, length);
        Merkle.coinbaseRoot(sha, coinbase, 0, len, job.merklePath(), 0, job.merklePathCount(), out, outOffset);
    }

    /** Writes prefix | extranonce prefix | extranonce | suffix into the scratch coinbase; returns its length. */
    private int assemble(final Job job, final byte[] a, final int aOffset, final int aLength,
        final byte[] b, final int bOffset, final int bLength)
    {
        final int len = job.coinbasePrefix().length + aLength + bLength + job.coinbaseSuffix().length;
        if (len > coinbase.length)
        {
            coinbase = new byte[Integer.highestOneBit(len) << 1];
        }
        int p = 0;
        System.arraycopy(job.coinbasePrefix(), 0, coinbase, p, job.coinbasePrefix().length);
        p += job.coinbasePrefix().length;
        System.arraycopy(a, aOffset, coinbase, p, aLength);
        p += aLength;
        if (bLength > 0)
        {
            System.arraycopy(b, bOffset, coinbase, p, bLength);
            p += bLength;
        }
        System.arraycopy(job.coinbaseSuffix(), 0, coinbase, p, job.coinbaseSuffix().length);
        return len;
    }
}
