package org.bitcoincommons.sv2.merge;

/**
 * Why an AuxPoW proof is invalid: one value per consensus check of the aux chain (Namecoin {@code CAuxPow::check}
 * and its caller), with the node's own wording where it has one, so an operator can match our verdict with the
 * node's reject reason.
 */
public enum AuxPowFailure
{
    AUX_VERSION_NOT_AUXPOW("aux block version lacks the auxpow flag 0x100"),
    CHAIN_ID_MISMATCH("aux block chain ID is not the expected chain ID"),
    PARENT_HAS_AUXPOW_VERSION("auxpow parent block has auxpow version"),
    PARENT_HAS_OUR_CHAIN_ID("aux POW parent has our chain ID"),
    CHAIN_BRANCH_TOO_LONG("aux POW chain merkle branch too long"),
    COINBASE_INDEX_NOT_ZERO("aux POW coinbase index is not 0"),
    NOT_A_COINBASE("aux POW parent coinbase does not spend the null prevout"),
    COINBASE_NOT_IN_PARENT("aux POW merkle root incorrect (coinbase not in the parent block)"),
    MISSING_CHAIN_ROOT("aux POW missing chain merkle root in parent coinbase"),
    MULTIPLE_HEADERS("multiple merged mining headers in coinbase"),
    HEADER_NOT_BEFORE_ROOT("merged mining header is not just before chain merkle root"),
    ROOT_TOO_LATE("aux POW chain merkle root must start in the first 20 bytes of the parent coinbase"),
    MISSING_SIZE_AND_NONCE("aux POW missing chain merkle tree size and nonce in parent coinbase"),
    WRONG_MERKLE_SIZE("aux POW merkle branch size does not match parent coinbase"),
    WRONG_CHAIN_INDEX("aux POW wrong index"),
    PARENT_POW_TOO_WEAK("parent block hash is above the aux block's target"),
    AUX_MERKLE_ROOT("aux block merkle root does not match its transactions"),
    AUX_BITS_INVALID("aux block nBits is not a valid compact target (negative or over 256 bits)");

    private final String reason;

    AuxPowFailure(final String reason)
    {
        this.reason = reason;
    }

    public String reason()
    {
        return reason;
    }
}
