package org.bitcoincommons.sv2.merge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.BlockHeader;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;

/**
 * Checks an AuxPoW proof the way an aux chain's consensus code does (Namecoin {@code CAuxPow::check} plus the
 * version and proof-of-work checks of its caller), in the node's order, stopping at the first failure:
 * <ol>
 *   <li>the aux block version carries the auxpow flag 0x100, and its chain id is the expected one (header form);</li>
 *   <li>the parent header does not carry the auxpow flag, and the aux chain does not read its own chain id in it;</li>
 *   <li>the chain branch has at most 30 hashes;</li>
 *   <li>the parent coinbase is a coinbase at index 0, and its txid folded up the coinbase branch is the parent
 *       header's merkle root;</li>
 *   <li>the aux hash folded up the chain branch at the chain index gives a root that occurs, byte-reversed, in the
 *       coinbase scriptSig; with {@code fabe6d6d}: exactly one magic, immediately before the root; without it (old
 *       blocks): the root starts within the first 20 bytes of the scriptSig;</li>
 *   <li>8 bytes follow the root: merkle size == 2^(chain branch length) and the slot formula with the merkle nonce
 *       gives the chain index;</li>
 *   <li>SHA-256d parents: the parent header hash is at most the aux target. Other parents: reported unchecked.</li>
 * </ol>
 * Chain ids are read from versions by the aux chain's own rule ({@link ChainIdRule}: Namecoin, Dogecoin, Syscoin
 * and the generic one differ once BIP9 bits are set), chosen by the expected chain id, or else by the version.
 * Stateless and thread-safe; cold path.
 */
public final class AuxPowVerifier
{
    /** {@code VERSION_AUXPOW}: set in an aux block's version when it carries an AuxPoW. */
    public static final int VERSION_AUXPOW = 0x100;
    /** Without the magic, the root must start at or before this byte of the scriptSig. */
    public static final int LEGACY_ROOT_MAX_OFFSET = 20;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private AuxPowVerifier()
    {
    }

    /** The chain id in an aux block version, read by the rule of the chain the version belongs to. */
    public static int chainIdOf(final int version)
    {
        return ChainIdRule.forVersion(version).chainId(version);
    }

    /**
     * Verifies a proof for an 80-byte aux header: the header's version gives the chain id (read by the rule of the
     * chain {@code expectedChainId} names, or else of the chain the version names; when {@code expectedChainId} is
     * not null the header's must equal it) and its bits the target.
     */
    public static AuxPowVerdict verifyHeader(final byte[] auxHeader, final AuxPow auxPow, final Integer expectedChainId,
        final ParentPow parentPow)
    {
        final BlockHeader header = new BlockHeader().wrap(new UnsafeBuffer(auxHeader), 0);
        final byte[] auxHash = new byte[32];
        header.hash(new Sha256d(), auxHash, 0);
        final ChainIdRule rule = expectedChainId != null ? ChainIdRule.forChainId(expectedChainId)
            : ChainIdRule.forVersion(header.version());
        final int chainId = rule.chainId(header.version());
        final byte[] parentHash = Sha256d.hash(auxPow.parentHeader());
        if ((header.version() & VERSION_AUXPOW) == 0)
        {
            return fail(AuxPowFailure.AUX_VERSION_NOT_AUXPOW, "version 0x" + Integer.toHexString(header.version()),
                auxHash, parentHash, chainId, auxPow);
        }
        if (expectedChainId != null && expectedChainId != chainId)
        {
            return fail(AuxPowFailure.CHAIN_ID_MISMATCH, "header has " + chainId + ", expected " + expectedChainId,
                auxHash, parentHash, chainId, auxPow);
        }
        final byte[] target = new byte[32];
        try
        {
            Target.compactToLittleEndian(header.bits(), target, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            return fail(AuxPowFailure.AUX_BITS_INVALID, "bits 0x" + Integer.toHexString(header.bits()) + ": " +
                ex.getMessage(), auxHash, parentHash, chainId, auxPow);
        }
        return verify(auxHash, chainId, rule, rule.slotChainId(header.version()), target, auxPow, parentPow);
    }

    /**
     * Verifies a proof for an aux block known by hash.
     *
     * @param auxHash   aux block hash, internal order
     * @param chainId   the aux chain's id
     * @param targetLe  the aux block's target, 32 bytes little-endian (null: the parent PoW is not checked)
     */
    public static AuxPowVerdict verify(final byte[] auxHash, final int chainId, final byte[] targetLe,
        final AuxPow auxPow, final ParentPow parentPow)
    {
        final ChainIdRule rule = ChainIdRule.forChainId(chainId);
        // Syscoin computes the slot with the id in bits 16..20, which is 0 in a version carrying the legacy id 4096.
        final int slotChainId = rule == ChainIdRule.SYSCOIN && chainId == ChainIdRule.SYSCOIN_LEGACY_CHAIN_ID ? 0 : chainId;
        return verify(auxHash, chainId, rule, slotChainId, targetLe, auxPow, parentPow);
    }

    /**
     * @param chainId     the aux chain id, as reported
     * @param rule        how the aux chain reads chain ids from versions (here: the parent's)
     * @param slotChainId the chain id of the slot formula
     */
    private static AuxPowVerdict verify(final byte[] auxHash, final int chainId, final ChainIdRule rule,
        final int slotChainId, final byte[] targetLe, final AuxPow auxPow, final ParentPow parentPow)
    {
        final byte[] parentHeader = auxPow.parentHeader();
        final byte[] parentHash = Sha256d.hash(parentHeader);
        final int parentVersion = (int)INT_LE.get(parentHeader, BlockHeader.VERSION_FIELD_OFFSET);
        if ((parentVersion & VERSION_AUXPOW) != 0)
        {
            return fail(AuxPowFailure.PARENT_HAS_AUXPOW_VERSION, "parent version 0x" + Integer.toHexString(parentVersion),
                auxHash, parentHash, chainId, auxPow);
        }
        if (rule.parentHasOurChainId(parentVersion, chainId))
        {
            return fail(AuxPowFailure.PARENT_HAS_OUR_CHAIN_ID, "parent version 0x" + Integer.toHexString(parentVersion),
                auxHash, parentHash, chainId, auxPow);
        }
        final int height = auxPow.chainBranchLength();
        if (height > AuxPow.MAX_CHAIN_BRANCH_LENGTH)
        {
            return fail(AuxPowFailure.CHAIN_BRANCH_TOO_LONG, height + " hashes", auxHash, parentHash, chainId, auxPow);
        }
        if (auxPow.coinbaseIndex() != 0)
        {
            return fail(AuxPowFailure.COINBASE_INDEX_NOT_ZERO, "index " + auxPow.coinbaseIndex(),
                auxHash, parentHash, chainId, auxPow);
        }
        if (!auxPow.coinbaseTx().isCoinbase())
        {
            return fail(AuxPowFailure.NOT_A_COINBASE, null, auxHash, parentHash, chainId, auxPow);
        }
        final Sha256d sha = new Sha256d();
        final byte[] folded = auxPow.coinbaseTx().txid();
        Merkle.fold(sha, folded, 0, auxPow.coinbaseBranch(), 0, auxPow.coinbaseBranchLength(), 0);
        final byte[] parentRoot = new byte[32];
        System.arraycopy(parentHeader, BlockHeader.MERKLE_ROOT_FIELD_OFFSET, parentRoot, 0, 32);
        if (!java.util.Arrays.equals(folded, parentRoot))
        {
            return fail(AuxPowFailure.COINBASE_NOT_IN_PARENT, "branch gives " + HashOrder.toDisplayHex(folded)
                + ", parent header has " + HashOrder.toDisplayHex(parentRoot), auxHash, parentHash, chainId, auxPow);
        }

        final byte[] root = auxHash.clone();
        Merkle.fold(sha, root, 0, auxPow.chainBranch(), 0, height, auxPow.chainIndex());
        final byte[] rootDisplay = HashOrder.reversed(root);
        final byte[] script = auxPow.coinbaseTx().inputs().get(0).scriptSig();
        final int rootAt = AuxCommitment.indexOf(script, rootDisplay, 0);
        if (rootAt < 0)
        {
            return fail(AuxPowFailure.MISSING_CHAIN_ROOT, "root " + HashOrder.toDisplayHex(root),
                auxHash, parentHash, chainId, auxPow);
        }
        final int magicAt = AuxCommitment.indexOf(script, AuxCommitment.MAGIC, 0);
        if (magicAt >= 0)
        {
            if (AuxCommitment.indexOf(script, AuxCommitment.MAGIC, magicAt + 1) >= 0)
            {
                return fail(AuxPowFailure.MULTIPLE_HEADERS, null, auxHash, parentHash, chainId, auxPow);
            }
            if (magicAt + AuxCommitment.MAGIC_LENGTH != rootAt)
            {
                return fail(AuxPowFailure.HEADER_NOT_BEFORE_ROOT, "magic at " + magicAt + ", root at " + rootAt,
                    auxHash, parentHash, chainId, auxPow);
            }
        }
        else if (rootAt > LEGACY_ROOT_MAX_OFFSET)
        {
            return fail(AuxPowFailure.ROOT_TOO_LATE, "root at byte " + rootAt, auxHash, parentHash, chainId, auxPow);
        }
        final int after = rootAt + 32;
        if (script.length - after < 8)
        {
            return fail(AuxPowFailure.MISSING_SIZE_AND_NONCE, null, auxHash, parentHash, chainId, auxPow);
        }
        final int merkleSize = (int)INT_LE.get(script, after);
        final int merkleNonce = (int)INT_LE.get(script, after + 4);
        if (merkleSize != (1 << height))
        {
            return new AuxPowVerdict(AuxPowFailure.WRONG_MERKLE_SIZE, "commitment says " + merkleSize
                + ", branch of " + height + " needs " + (1 << height), auxHash.clone(), parentHash, chainId,
                auxPow.chainIndex(), merkleSize, merkleNonce, true, false);
        }
        final int expectedIndex = AuxMerkleTree.expectedIndex(merkleNonce, slotChainId, height);
        if (expectedIndex != auxPow.chainIndex())
        {
            return new AuxPowVerdict(AuxPowFailure.WRONG_CHAIN_INDEX, "proof says " + auxPow.chainIndex()
                + ", nonce " + Integer.toUnsignedString(merkleNonce) + " and chain id " + slotChainId + " give "
                + expectedIndex, auxHash.clone(), parentHash, chainId, auxPow.chainIndex(), merkleSize, merkleNonce,
                true, false);
        }
        if (parentPow == ParentPow.SHA256D && targetLe != null)
        {
            if (!Target.hashMeetsTarget(parentHash, 0, targetLe, 0))
            {
                return new AuxPowVerdict(AuxPowFailure.PARENT_POW_TOO_WEAK, "parent " + HashOrder.toDisplayHex(parentHash)
                    + " > target " + Target.toDisplayHex(Target.fromLittleEndian(targetLe, 0)), auxHash.clone(),
                    parentHash, chainId, auxPow.chainIndex(), merkleSize, merkleNonce, true, false);
            }
            return new AuxPowVerdict(null, null, auxHash.clone(), parentHash, chainId, auxPow.chainIndex(), merkleSize,
                merkleNonce, true, true);
        }
        return new AuxPowVerdict(null, null, auxHash.clone(), parentHash, chainId, auxPow.chainIndex(), merkleSize,
            merkleNonce, true, false);
    }

    private static AuxPowVerdict fail(final AuxPowFailure failure, final String detail, final byte[] auxHash,
        final byte[] parentHash, final int chainId, final AuxPow auxPow)
    {
        return new AuxPowVerdict(failure, detail, auxHash.clone(), parentHash, chainId, auxPow.chainIndex(), -1, -1,
            false, false);
    }
}
