package org.bitcoincommons.sv2.merge;

/**
 * The outcome of {@link AuxPowVerifier}: valid, or the first failed check; plus what was read from the proof.
 *
 * @param failure          null when valid
 * @param detail           a human-readable elaboration of the failure (null when valid)
 * @param auxHash          aux block hash, internal order
 * @param parentHash       sha256d of the parent header, internal order
 * @param chainId          the aux chain id the proof was checked for
 * @param chainIndex       the slot claimed by the proof
 * @param merkleSize       merkle size read from the commitment, or -1 when not reached
 * @param merkleNonce      merkle nonce read from the commitment, or -1 when not reached (-1 is also a legal nonce;
 *                         {@link #commitmentRead()} tells them apart)
 * @param commitmentRead   whether size and nonce were read
 * @param parentPowChecked whether the parent hash was compared with the aux target (SHA-256d parents only)
 */
public record AuxPowVerdict(
    AuxPowFailure failure,
    String detail,
    byte[] auxHash,
    byte[] parentHash,
    int chainId,
    int chainIndex,
    int merkleSize,
    int merkleNonce,
    boolean commitmentRead,
    boolean parentPowChecked)
{
    public boolean valid()
    {
        return failure == null;
    }

    /** The failure's reason plus detail, or null when valid. */
    public String reason()
    {
        if (failure == null)
        {
            return null;
        }
        return detail == null ? failure.reason() : failure.reason() + ": " + detail;
    }
}
