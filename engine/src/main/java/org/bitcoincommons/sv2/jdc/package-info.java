/**
 * The Job Declaration client (sv2-spec {@code 06-Job-Declaration-Protocol.md} at commit {@code 0f38d51}): a farm
 * mines templates of its own choosing on a pool.
 * <p>
 * <b>Design.</b> The client is the engine's own pool run locally for the farm ({@link
 * org.bitcoincommons.sv2.pool.PoolServer}: its listeners, channels, vardiff, share validation and journal; SV1 miners
 * on its {@code [sv1]} endpoint are local channels like the SV2 ones and get the jobs as {@code mining.notify}), with a
 * {@link org.bitcoincommons.sv2.work.WorkLayer} of the client's plugged in where merged mining plugs in its own:
 * <ul>
 *   <li>Templates come from the client's own {@code [template]} source. While declaring, each job's coinbase pays the
 *       pool's script (the first output of {@code AllocateMiningJobToken.Success}) the template's whole coinbase value
 *       ({@code Decoration.payoutScript}), and its scriptSig ends with the upstream channel's extranonce prefix
 *       ({@code Decoration.extranonceLead}, zero-padded when the pool's channel rolls more bytes than the local
 *       channels use). The local channels' extranonces (4-byte channel prefix + {@code pool.extranonce_size}
 *       rollable bytes) therefore sit inside the upstream channel's rollable part: a local share is an upstream share
 *       with the same nonce, ntime, version and extranonce (padding + local extranonce).</li>
 *   <li>{@code WorkLayer.jobCreated} hands each job to the control thread, which declares the newest one:
 *       {@code DeclareMiningJob} with the coinbase split exactly where the upstream extranonce starts (witness form)
 *       and the template's wtxids; {@code ProvideMissingTransactions} answered from the template; then
 *       {@code SetCustomMiningJob} on the upstream extended channel (SetupConnection with
 *       {@code REQUIRES_WORK_SELECTION}) with the same coinbase fields and the template's merkle path, and the local job
 *       id mapped to the pool's custom job id. Tokens are allocated one ahead of need.</li>
 *   <li>Shares: the job's {@code auxMaxTarget} is the upstream channel's target, so the local share processor hands
 *       every share that meets it to the layer's {@code auxCandidate} (the path merged mining uses for aux chains);
 *       the sender thread forwards it as {@code SubmitSharesExtended}. A block found locally goes to the own node (the
 *       local pool's block submitter) and, as {@code PushSolution}, to the JDS.</li>
 *   <li>Fallback ("solo"): on a hard {@code DeclareMiningJob.Error} or {@code SetCustomMiningJob.Error}, an
 *       unanswered request or a lost connection, both connections are closed and jobs are rebuilt undecorated: the
 *       farm mines the own templates paid to {@code pool.coinbase_address}, blocks to the own node only, nothing
 *       forwarded. The client reconnects with a doubling backoff ({@code retry_min_ms}..{@code retry_max_ms}) and
 *       declares again. {@code stale-chain-tip} is a race, not a fallback: jobs on the stale tip are skipped and the
 *       own source's job on the new tip is declared. {@code invalid-mining-job-token} (a token expired or used) is
 *       retried once with a fresh token.</li>
 *   <li>Fallback ("pool"): while the pool's channel is up only the JDS connection is dropped; the layer turns
 *       template jobs off ({@code WorkLayer.templateJobs}) and publishes the pool's own jobs from the channel
 *       ({@code PoolServer.publishJob}): the pool's coinbase parts with the channel's extranonce prefix and padding
 *       moved into the prefix, the pool's merkle path, prev hash, nbits and version. Shares on them are forwarded
 *       under the pool's job ids; a block on them is left to the pool (the client lacks the transactions).</li>
 *   <li>Several upstreams ({@code [[jdc.upstreams]]}: each a pool, its JDS, its authority key and optionally its own
 *       user): the client works with one at a time. Every failure that makes it fall back (a lost pool or JDS
 *       connection, an unanswered request, a hard refusal, a failed connect or handshake) sends the next attempt,
 *       after the backoff, to the next upstream in configuration order, wrapping round after the last; between
 *       attempts the farm mines as the fallback says ("pool": the pool of the upstream that just failed, while its
 *       channel is up). The client does not go back to the first upstream when it returns: it stays on the one that
 *       works, and only a failure moves it on, so a flapping first pool does not pull the farm back and forth. The
 *       backoff starts again from {@code retry_min_ms} after an attempt that got as far as an accepted custom job
 *       (coinbase-only: an open channel and a token). Each upstream's key is checked in both of its handshakes.
 *       A single upstream is the same list of one: its "pool" fallback keeps the pool's channel and reconnects only
 *       the JDS, as before.</li>
 * </ul>
 * <b>Threads.</b> The local pool's threads as in a pool; one control thread (connects, declares, falls back; the only
 * writer of the declaration state); one sender thread (share forwarding and PushSolution, queued by the local logic
 * thread, which never blocks on the network); one reader thread per upstream link, which only decodes replies into
 * queues; the reader of the pool's link also rebuilds and publishes the pool's jobs during a "pool" fallback. When
 * no client runs, the hooks cost the pool nothing: the decoration is {@code NONE}, {@code jobCreated} a default no-op
 * and {@code templateJobs} a default true, and the share path is untouched.
 */
package org.bitcoincommons.sv2.jdc;
