package org.bitcoincommons.sv2.merge;

/**
 * The proof-of-work function of the parent chain. Only SHA-256d parents (Bitcoin, the chains merge-mined with it)
 * are checked against the aux target here; scrypt parents (Litecoin, for Dogecoin) are reported as not checked.
 */
public enum ParentPow
{
    SHA256D,
    SCRYPT;

    /** Aux chain ids whose parent is, in practice, a scrypt chain: Dogecoin (0x62, merge-mined with Litecoin). */
    public static ParentPow forChainId(final int chainId)
    {
        return chainId == 0x62 ? SCRYPT : SHA256D;
    }
}
