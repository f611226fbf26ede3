package org.bitcoincommons.sv2.merge;

import org.bitcoincommons.sv2.revenue.RewardRecorder;
import org.bitcoincommons.sv2.revenue.MergeAccounting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.bitcoincommons.sv2.work.BlockCandidate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one candidate (a share that met the loosest aux target, or a Bitcoin block) into aux submissions: checks its
 * hash against each chain's target in the job's snapshot, loosest first, builds that chain's proof (CAuxPow from the
 * job's coinbase with the share's extranonce, the template's coinbase branch, the snapshot's chain branch, the
 * header; or the RSK partial-merkle submission) and submits it, with every step accounted. Runs on the coordinator's
 * submitter thread only.
 */
final class AuxSubmitter
{
    private static final Logger LOG = LoggerFactory.getLogger(AuxSubmitter.class);

    private final AuxChain[] byIndex;
    private final MergeAccounting accounting;
    private final RewardRecorder recorder;
    private final MergeMetrics metrics;
    private final Consumer<AuxChain> chainDown;
    private final Consumer<AuxChain> workChanged;

    /**
     * @param chainDown   told when a submission shows the node is unreachable (after {@link AuxChain#markDown})
     * @param workChanged told after every submission to a chain (its work is about to change: poll it now)
     */
    AuxSubmitter(final AuxChain[] byIndex, final MergeAccounting accounting, final RewardRecorder recorder,
        final MergeMetrics metrics, final Consumer<AuxChain> chainDown, final Consumer<AuxChain> workChanged)
    {
        this.byIndex = byIndex;
        this.accounting = accounting;
        this.recorder = recorder;
        this.metrics = metrics;
        this.chainDown = chainDown;
        this.workChanged = workChanged;
    }

    void process(final BlockCandidate c)
    {
        if (!(c.job().auxWork() instanceof AuxWorkSnapshot s) || s.isEmpty())
        {
            return;
        }
        final int version = (c.header()[0] & 0xff) | (c.header()[1] & 0xff) << 8 | (c.header()[2] & 0xff) << 16
            | (c.header()[3] & 0xff) << 24;
        byte[] coinbase = null;
        for (final AuxWorkSnapshot.ChainWork w : s.chains())
        {
            if (!Target.hashMeetsTarget(c.hash(), 0, w.targetLe(), 0))
            {
                break; // loosest first: every later target is tighter
            }
            final AuxChain chain = byIndex[w.chainIndex()];
            if (chain == null)
            {
                continue;
            }
            // The aux chain refuses a parent with the auxpow flag, or in which it reads its own chain id.
            if (w.kind() == AuxChainConfig.Kind.AUXPOW && ((version & AuxPowVerifier.VERSION_AUXPOW) != 0 ||
                ChainIdRule.forChainId(w.chainId()).parentHasOurChainId(version, w.chainId())))
            {
                metrics.auxPowSkippedVersionBit.increment();
                continue;
            }
            if (coinbase == null)
            {
                coinbase = c.job().coinbase().serialize(c.extranonce(), TxSerialization.LEGACY);
            }
            if (w.kind() == AuxChainConfig.Kind.AUXPOW)
            {
                submitAuxPow(chain, w, c, coinbase);
            }
            else
            {
                submitRsk(chain, w, c, coinbase);
            }
            workChanged.accept(chain); // a found block changes the chain's work: poll now
        }
    }

    private void submitAuxPow(final AuxChain chain, final AuxWorkSnapshot.ChainWork w, final BlockCandidate c,
        final byte[] coinbase)
    {
        final AuxPow proof = new AuxPow(coinbase, c.hash(), c.job().template().merklePath(), 0, w.chainBranch(),
            w.slot(), c.header());
        submitted(chain, w);
        try
        {
            if (chain.auxPow.submitAuxBlock(w.blockHash(), proof))
            {
                accepted(chain, w);
                if (Arrays.equals(chain.auxPow.bestBlockHash(), w.blockHash()))
                {
                    recorder.record(chain.index, w.reward(), w.blockHash());
                }
                else
                {
                    metrics.acceptedNotTip.increment();
                }
            }
            else
            {
                rejected(chain, w, "rejected by the node (submitauxblock returned false)");
            }
        }
        catch (final RpcException ex)
        {
            failed(chain, w, ex);
        }
    }

    private void submitRsk(final AuxChain chain, final AuxWorkSnapshot.ChainWork w, final BlockCandidate c,
        final byte[] coinbase)
    {
        final String layout = RskCommitment.positionProblem(coinbase);
        submitted(chain, w);
        if (layout != null)
        {
            rejected(chain, w, "coinbase layout: " + layout);
            return;
        }
        final byte[] path = c.job().template().merklePath();
        final List<byte[]> branch = new ArrayList<>(path.length / 32);
        for (int i = 0; i < path.length; i += 32)
        {
            branch.add(Arrays.copyOfRange(path, i, i + 32));
        }
        try
        {
            final JsonNode info = chain.rsk.submitBitcoinBlockPartialMerkle(c.hash(), c.header(), coinbase,
                Sha256d.hash(coinbase), branch, c.job().template().transactions().size() + 1);
            accepted(chain, w);
            LOG.info("RSK accepted a merged-mining solution: {}", info);
            recorder.record(chain.index, w.reward(), w.blockHash());
        }
        catch (final RpcException ex)
        {
            failed(chain, w, ex);
        }
    }

    private void submitted(final AuxChain chain, final AuxWorkSnapshot.ChainWork w)
    {
        chain.submitted.incrementAndGet();
        metrics.submissions.increment();
        accounting.auxSubmitted(chain.index, w.blockHash());
    }

    private void accepted(final AuxChain chain, final AuxWorkSnapshot.ChainWork w)
    {
        chain.accepted.incrementAndGet();
        metrics.accepted.increment();
        accounting.auxAccepted(chain.index, w.blockHash());
    }

    private void rejected(final AuxChain chain, final AuxWorkSnapshot.ChainWork w, final String reason)
    {
        chain.rejected.incrementAndGet();
        metrics.rejected.increment();
        accounting.auxRejected(chain.index, w.blockHash(), reason);
    }

    private void failed(final AuxChain chain, final AuxWorkSnapshot.ChainWork w, final RpcException ex)
    {
        rejected(chain, w, ex.getMessage());
        if (ex.kind() != RpcException.Kind.RPC_ERROR)
        {
            chain.markDown(ex.getMessage());
            chainDown.accept(chain);
        }
    }
}
