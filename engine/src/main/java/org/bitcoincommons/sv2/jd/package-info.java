/**
 * Job Declaration (sv2-spec {@code 06-Job-Declaration-Protocol.md} and {@code 08-Message-Types.md}, followed at spec
 * commit {@code 0f38d51}): the Job Declaration Server inside the pool, the mempool view it checks declarations
 * against, and the tokens and declarations the pool's mining side checks SetCustomMiningJob against.
 */
package org.bitcoincommons.sv2.jd;
