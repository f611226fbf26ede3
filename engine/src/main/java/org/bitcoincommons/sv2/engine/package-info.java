/**
 * The engine as a library: the public face an application embeds.
 *
 * <p>{@link org.bitcoincommons.sv2.engine.StratumV2Server} runs a pool (Stratum V2 over Noise, optionally Stratum V1,
 * merged mining, the JSON API) inside the caller's process, from an engine configuration file or from code, and tells
 * {@link org.bitcoincommons.sv2.engine.ServerListener}s what happens: shares accepted (in batches), blocks found,
 * accepted and rejected, aux blocks submitted and their outcome, rewards and distributions recorded, connections and
 * channels opened and closed. Listeners are fed from the accounting journal on threads of their own, so a slow or
 * failing listener never delays a share's acknowledgement.
 *
 * <p>{@link org.bitcoincommons.sv2.engine.StratumV2Miner} is a CPU miner that connects to any SV2 pool
 * ({@code stratum2+tcp://HOST:PORT/AUTHORITY_KEY}) or Stratum V1 pool ({@code stratum+tcp://HOST:PORT}) and tells a
 * {@link org.bitcoincommons.sv2.engine.MinerListener} of jobs, share verdicts and reconnects.
 *
 * <p>Everything outside this package is the engine's inside and may change between versions.
 */
package org.bitcoincommons.sv2.engine;
