/**
 * Merged mining: aux chains mined with the same proof of work as Bitcoin.
 *
 * <p>Public face for the pool: {@link org.bitcoincommons.sv2.merge.MergeMiningCoordinator} (create from the
 * configuration, {@code start()}/{@code close()}, use it as the job factory's decorator and wrap the block sink with
 * {@code blockSink(...)}), {@link org.bitcoincommons.sv2.revenue.MergeAccounting} (implemented by
 * {@link org.bitcoincommons.sv2.revenue.JournalMergeAccounting}) and {@link org.bitcoincommons.sv2.revenue.RewardRecorder}.
 *
 * <p>Run time: per chain an {@code AuxChain} (node, work, {@code ChainHealth}), a poller and a {@code ChainSubmitter}
 * (its own queue and thread; each aux block submitted once); each submission is one {@code AuxSubmission} state
 * machine (accepted | rejected | unknown) over the chain's {@code AuxNode} ({@code AuxPowNode} or {@code RskNode}).
 *
 * <p>Building blocks, each tested on real chain data: {@link org.bitcoincommons.sv2.merge.AuxPow} (CAuxPow),
 * {@link org.bitcoincommons.sv2.merge.AuxMerkleTree} (slot formula and chain branches),
 * {@link org.bitcoincommons.sv2.merge.AuxCommitment} (fabe6d6d), {@link org.bitcoincommons.sv2.merge.RskCommitment}
 * (RSKBLOCK:), {@link org.bitcoincommons.sv2.merge.AuxPowVerifier} (the aux chain's consensus checks), and the node
 * clients {@link org.bitcoincommons.sv2.merge.AuxPowNodeClient} and {@link org.bitcoincommons.sv2.merge.RskNodeClient}
 * over {@link org.bitcoincommons.sv2.merge.JsonRpcClient}.
 */
package org.bitcoincommons.sv2.merge;
