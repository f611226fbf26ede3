package org.bitcoincommons.sv2.pool;

import org.bitcoincommons.sv2.work.JobFactory;
import org.bitcoincommons.sv2.work.BlockSink;
import org.bitcoincommons.sv2.work.BlockCandidate;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.EpochClock;
import org.bitcoincommons.sv2.template.EmbeddedChain;

/**
 * A pool logic wired to an embedded chain, with an independent (MessageDigest) hasher and an in-memory accounting,
 * driven directly (no network, no ring) so that the share rules can be tested one by one.
 */
final class PoolFixture
{
    static final byte[] MAX_TARGET = new byte[32];

    static
    {
        java.util.Arrays.fill(MAX_TARGET, (byte)0xff);
    }

    final class Accounting implements ShareAccounting
    {
        final Map<String, Integer> workers = new HashMap<>();
        final List<double[]> shares = new ArrayList<>();
        final List<Long> blocks = new ArrayList<>();
        int flushes;

        @Override
        public int workerId(final String userIdentity)
        {
            return workers.computeIfAbsent(userIdentity, k -> workers.size());
        }

        @Override
        public void shareAccepted(final int workerId, final int channelId, final int sequenceNumber, final int jobId,
            final double difficulty, final long chainMask)
        {
            shares.add(new double[] {workerId, channelId, sequenceNumber, jobId, difficulty, chainMask});
        }

        @Override
        public void blockFound(final int chainIndex, final int workerId, final long height, final byte[] blockHash)
        {
            blocks.add(height);
        }

        @Override
        public void flush()
        {
            flushes++;
        }
    }

    final long[] nowMs = {1_800_000_000_000L};
    final EpochClock clock = () -> nowMs[0];
    final EmbeddedChain chain;
    final JobFactory jobs;
    final Accounting accounting = new Accounting();
    final List<BlockCandidate> candidates = new ArrayList<>();
    final List<String> submitResults = new ArrayList<>();
    final PoolLogic logic;

    PoolFixture(final int bits, final int extranonceSize)
    {
        chain = new EmbeddedChain(bits, 3, clock);
        // The pure-Java kernel (itself checked against MessageDigest in the hash tests); the expectations below are
        // computed with MessageDigest, so the pool's hashing is cross-checked here too.
        logic = new PoolLogic(accounting, org.bitcoincommons.sv2.hash.HashBackends.create("java"), new BlockSink()
        {
            @Override
            public void blockFound(final BlockCandidate candidate)
            {
                candidates.add(candidate);
            }
        }, clock, 6.0, extranonceSize, 64, 1 << 16, 1.0);
        jobs = new JobFactory(new byte[] {0x51}, "/test/".getBytes(), logic.extranonceLength(), t -> JobFactory.Decoration.NONE);
        chain.start((t, newTip) -> logic.newJob(jobs.create(t), newTip));
    }

    /** Submits every block candidate to the chain, as the pool's block submitter does. */
    void submitCandidates()
    {
        final List<BlockCandidate> copy = new ArrayList<>(candidates);
        candidates.clear();
        for (final BlockCandidate c : copy)
        {
            submitResults.add(String.valueOf(chain.submitBlock(BlockAssembler.assemble(c))));
        }
    }

    static byte[] sha256d(final byte[] data)
    {
        try
        {
            final MessageDigest md = MessageDigest.getInstance("SHA-256");
            return md.digest(md.digest(data));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static byte[] header(final int version, final byte[] prevHash, final byte[] merkleRoot, final int ntime,
        final int nbits, final int nonce)
    {
        return ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(version).put(prevHash).put(merkleRoot).putInt(ntime).putInt(nbits).putInt(nonce).array();
    }

    /** Merkle root from the job's coinbase parts, computed here with MessageDigest (independent of the pool). */
    static byte[] merkleRoot(final byte[] prefix, final byte[] extranonce, final byte[] suffix, final byte[] path)
    {
        final byte[] cb = new byte[prefix.length + extranonce.length + suffix.length];
        System.arraycopy(prefix, 0, cb, 0, prefix.length);
        System.arraycopy(extranonce, 0, cb, prefix.length, extranonce.length);
        System.arraycopy(suffix, 0, cb, prefix.length + extranonce.length, suffix.length);
        byte[] root = sha256d(cb);
        for (int i = 0; i < path.length / 32; i++)
        {
            final byte[] pair = new byte[64];
            System.arraycopy(root, 0, pair, 0, 32);
            System.arraycopy(path, i * 32, pair, 32, 32);
            root = sha256d(pair);
        }
        return root;
    }

    static BigInteger le(final byte[] b)
    {
        final byte[] be = new byte[b.length];
        for (int i = 0; i < b.length; i++)
        {
            be[i] = b[b.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    static byte[] leBytes(final BigInteger v)
    {
        final byte[] out = new byte[32];
        final byte[] be = v.toByteArray();
        for (int i = 0; i < 32 && i < be.length; i++)
        {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }
}
