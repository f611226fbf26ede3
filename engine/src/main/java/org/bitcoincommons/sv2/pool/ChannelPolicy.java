package org.bitcoincommons.sv2.pool;

/**
 * How the pool sets one channel's difficulty, when the channel's downstream is not an SV2 client with the pool-wide
 * policy: the Stratum V1 endpoint gives its workers their own share rate, floor and cap.
 *
 * @param sharesPerMinute  the share rate the channel's target aims at (vardiff), &gt; 0
 * @param minHashrate      the lowest hashrate the channel is believed to have, H/s
 * @param minTargetLe      the hardest target ever set (32 bytes LE), or null for no cap
 * @param newJobOnRetarget a new target reaches the miner only with its next job (Stratum V1's set_difficulty): the
 *                         pool re-issues the current work under a fresh job id right after each retarget, so the
 *                         new difficulty takes effect at once and shares are judged by the target their job carried
 * @param difficultyDigits 0, or the significant digits a target's difficulty is rounded to: Stratum V1 sends a
 *                         difficulty, not a target, so the channel's target is exactly the one a short difficulty
 *                         names, and the miner and the pool judge a share by the same target
 */
public record ChannelPolicy(double sharesPerMinute, double minHashrate, byte[] minTargetLe, boolean newJobOnRetarget,
    int difficultyDigits)
{
}
