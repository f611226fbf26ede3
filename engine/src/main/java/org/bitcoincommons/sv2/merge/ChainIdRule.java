package org.bitcoincommons.sv2.merge;

/**
 * How an AuxPoW chain reads its chain id from a block version: each chain's consensus code has its own reading, and
 * they differ once a version has BIP9 bits set (a version is a signed 32-bit integer; bits are numbered from 0).
 * <ul>
 *   <li>{@link #NAMECOIN}: {@code nVersion / 2^16} (signed division; {@code CPureBlockHeader::GetChainId}). Namecoin
 *       versions never set the top bits, so this is bits 16..31.</li>
 *   <li>{@link #DOGECOIN}: {@code nVersion >> 16} (arithmetic shift; Dogecoin's {@code GetChainId}).</li>
 *   <li>{@link #SYSCOIN}: only with the auxpow flag (bit 8) set, else 0; the current id is bits 16..20
 *       ({@code (nVersion & 0x001f0000) >> 16}, Syscoin's chain id 16); when that is 0 the legacy id is bits 16..28
 *       ({@code (nVersion & 0x1fff0000) >> 16}, the old chain id 4096), which leaves out the BIP9 top bits 29..31:
 *       version 0x30000100 (block 91510) is legacy id 4096, not 12288. Syscoin's slot formula takes the current id
 *       (0 for a legacy version), and its "parent has our chain id" check reads the parent the same way.</li>
 *   <li>{@link #GENERIC}: any other chain: bits 16..28, the BIP9 top bits removed
 *       ({@code (nVersion & ~VERSIONBITS_TOP_MASK) / 2^16}, as BIP9-aware AuxPoW chains read it). For the versions
 *       of chains that never set the top bits this is Namecoin's reading.</li>
 * </ul>
 * Stateless; cold path.
 */
public enum ChainIdRule
{
    NAMECOIN,
    DOGECOIN,
    SYSCOIN,
    GENERIC;

    /** Namecoin's chain id. */
    public static final int NAMECOIN_CHAIN_ID = 1;
    /** Dogecoin's chain id (0x62). */
    public static final int DOGECOIN_CHAIN_ID = 98;
    /** Syscoin's chain id ({@code nAuxpowChainId}). */
    public static final int SYSCOIN_CHAIN_ID = 16;
    /** Syscoin's legacy chain id ({@code nAuxpowOldChainId}), in blocks before it moved to 16. */
    public static final int SYSCOIN_LEGACY_CHAIN_ID = 4096;

    private static final int AUXPOW_FLAG = 0x100;
    private static final int SYSCOIN_MASK = 0x001f0000;
    /** Bits 16..28: the version without the auxpow flag, the base version and the BIP9 top bits 29..31. */
    private static final int WITHOUT_TOP_BITS_MASK = 0x1fff0000;

    /** The rule of the chain with this (configured or expected) chain id. */
    public static ChainIdRule forChainId(final int chainId)
    {
        return switch (chainId)
        {
            case NAMECOIN_CHAIN_ID -> NAMECOIN;
            case DOGECOIN_CHAIN_ID -> DOGECOIN;
            case SYSCOIN_CHAIN_ID, SYSCOIN_LEGACY_CHAIN_ID -> SYSCOIN;
            default -> GENERIC;
        };
    }

    /**
     * The rule for a block known only by its version: Syscoin when Syscoin's reading gives one of its ids, Namecoin or
     * Dogecoin when theirs gives theirs, else {@link #GENERIC}.
     */
    public static ChainIdRule forVersion(final int version)
    {
        final int syscoin = SYSCOIN.chainId(version);
        if (syscoin == SYSCOIN_CHAIN_ID || syscoin == SYSCOIN_LEGACY_CHAIN_ID)
        {
            return SYSCOIN;
        }
        if (NAMECOIN.chainId(version) == NAMECOIN_CHAIN_ID)
        {
            return NAMECOIN;
        }
        return DOGECOIN.chainId(version) == DOGECOIN_CHAIN_ID ? DOGECOIN : GENERIC;
    }

    /** The chain id this chain's consensus reads from one of its block versions and compares with its own. */
    public int chainId(final int version)
    {
        return switch (this)
        {
            case NAMECOIN -> version / (1 << 16);
            case DOGECOIN -> version >> 16;
            case SYSCOIN ->
            {
                final int current = slotChainId(version);
                yield current > 0 || (version & AUXPOW_FLAG) == 0 ? current : (version & WITHOUT_TOP_BITS_MASK) >>> 16;
            }
            case GENERIC -> (version & WITHOUT_TOP_BITS_MASK) >>> 16;
        };
    }

    /** The chain id the slot formula (merkle nonce to chain index) is computed with, for a block of this version. */
    public int slotChainId(final int version)
    {
        if (this == SYSCOIN)
        {
            return (version & AUXPOW_FLAG) == 0 ? 0 : (version & SYSCOIN_MASK) >>> 16;
        }
        return chainId(version);
    }

    /**
     * Whether this chain refuses a parent block of this version because it reads its own chain id there ("Aux POW
     * parent has our chain ID").
     *
     * @param ourChainId the chain id of the aux block being proven (Syscoin compares with its two ids instead)
     */
    public boolean parentHasOurChainId(final int parentVersion, final int ourChainId)
    {
        if (this == SYSCOIN)
        {
            final int current = slotChainId(parentVersion);
            return current > 0 ? current == SYSCOIN_CHAIN_ID : chainId(parentVersion) == SYSCOIN_LEGACY_CHAIN_ID;
        }
        return chainId(parentVersion) == ourChainId;
    }
}
