package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * Vectors from SRI {@code sv2/channels-sv2/src/bip141.rs} tests (coinbase prefix/suffix captured from SRI and
 * Braiins jobs, with SRI's expected stripped bytes), plus the real testnet 1263442 coinbase.
 */
class CoinbaseStripperTest
{
    private static byte[] bytes(final int... values)
    {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = (byte)values[i];
        }
        return out;
    }

    // SRI job before stripping: scriptSig 60 bytes = 28 prefix bytes + 32-byte extranonce
    static final byte[] SRI_WITNESS_PREFIX = bytes(
        2, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 60, 2, 69, 8, 0, 22, 47, 83, 116,
        114, 97, 116, 117, 109, 32, 86, 50, 32, 83, 82, 73, 32, 80, 111, 111, 108, 47, 47, 32);
    static final byte[] SRI_WITNESS_SUFFIX = bytes(
        254, 255, 255, 255, 2, 0, 242, 5, 42, 1, 0, 0, 0, 22, 0, 20, 235, 225, 183, 220, 194,
        147, 204, 170, 14, 231, 67, 168, 111, 137, 223, 130, 88, 194, 8, 252, 0, 0, 0, 0, 0, 0,
        0, 0, 38, 106, 36, 170, 33, 169, 237, 226, 246, 28, 63, 113, 209, 222, 253, 63, 169,
        153, 223, 163, 105, 83, 117, 92, 105, 6, 137, 121, 153, 98, 180, 139, 235, 216, 54,
        151, 78, 140, 249, 1, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 68, 8, 0, 0);
    static final byte[] SRI_STRIPPED_PREFIX = bytes(
        2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 60, 2, 69, 8, 0, 22, 47, 83, 116,
        114, 97, 116, 117, 109, 32, 86, 50, 32, 83, 82, 73, 32, 80, 111, 111, 108, 47, 47, 32);
    static final byte[] SRI_STRIPPED_SUFFIX = bytes(
        254, 255, 255, 255, 2, 0, 242, 5, 42, 1, 0, 0, 0, 22, 0, 20, 235, 225, 183, 220,
        194, 147, 204, 170, 14, 231, 67, 168, 111, 137, 223, 130, 88, 194, 8, 252, 0, 0, 0,
        0, 0, 0, 0, 0, 38, 106, 36, 170, 33, 169, 237, 226, 246, 28, 63, 113, 209, 222,
        253, 63, 169, 153, 223, 163, 105, 83, 117, 92, 105, 6, 137, 121, 153, 98, 180, 139,
        235, 216, 54, 151, 78, 140, 249, 68, 8, 0, 0);

    // Braiins job (already legacy): scriptSig 76 bytes, suffix starts at the sequence
    static final byte[] BRAIINS_PREFIX = bytes(
        1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 76, 3, 206, 226, 13, 15, 47, 115, 108, 117,
        115, 104, 47, 183, 0, 23, 4, 15, 174, 96, 163, 250, 190, 109, 109, 207, 170, 255, 170,
        165, 167, 227, 112, 68, 27, 6, 55, 218, 219, 107, 176, 134, 175, 81, 46, 136, 141, 22,
        52, 201, 113, 254, 3, 148, 98, 86, 129, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 146, 162, 70, 0);
    static final byte[] BRAIINS_SUFFIX = bytes(
        255, 255, 255, 255, 3, 194, 35, 192, 18, 0, 0, 0, 0, 23, 169, 20, 31, 12, 187, 236,
        139, 196, 201, 69, 228, 225, 98, 73, 177, 30, 238, 145, 30, 222, 213, 95, 135, 0, 0, 0,
        0, 0, 0, 0, 0, 38, 106, 36, 170, 33, 169, 237, 255, 27, 83, 239, 4, 153, 53, 158, 142,
        142, 137, 160, 34, 151, 40, 92, 185, 56, 40, 203, 144, 158, 95, 20, 155, 139, 53, 163,
        229, 145, 31, 81, 0, 0, 0, 0, 0, 0, 0, 0, 43, 106, 41, 82, 83, 75, 66, 76, 79, 67, 75,
        58, 188, 174, 124, 112, 138, 29, 26, 158, 194, 209, 140, 216, 148, 128, 27, 238, 106,
        189, 119, 214, 62, 100, 213, 246, 143, 66, 110, 12, 0, 120, 89, 116, 0, 0, 0, 0);

    @Test
    void stripsTheSriWitnessJobToSrisExpectedBytes()
    {
        final CoinbaseStripper.Parts parts = CoinbaseStripper.strip(SRI_WITNESS_PREFIX, SRI_WITNESS_SUFFIX, 32);
        assertArrayEquals(SRI_STRIPPED_PREFIX, parts.prefix());
        assertArrayEquals(SRI_STRIPPED_SUFFIX, parts.suffix());
        // the stripped pieces stay stripped
        final CoinbaseStripper.Parts again = CoinbaseStripper.strip(parts.prefix(), parts.suffix(), 32);
        assertArrayEquals(SRI_STRIPPED_PREFIX, again.prefix());
        assertArrayEquals(SRI_STRIPPED_SUFFIX, again.suffix());
    }

    @Test
    void leavesAnAlreadyStrippedBraiinsJobUnchanged()
    {
        final int extranonceLength = 76 - (BRAIINS_PREFIX.length - 42);
        final CoinbaseStripper.Parts parts = CoinbaseStripper.strip(BRAIINS_PREFIX, BRAIINS_SUFFIX, extranonceLength);
        assertArrayEquals(BRAIINS_PREFIX, parts.prefix());
        assertArrayEquals(BRAIINS_SUFFIX, parts.suffix());
    }

    @Test
    void realSegwitCoinbaseSplitAnywhereInItsScriptSigStripsToTheTxidForm()
    {
        final Transaction coinbase = Block.parse(Hex.decode(RealBlocks.TESTNET_1263442_BLOCK)).transactions().get(0);
        final byte[] full = coinbase.serialize(TxSerialization.WITNESS);
        final byte[] legacy = coinbase.serialize(TxSerialization.LEGACY);
        final int scriptStart = 4 + 2 + 1 + 36 + 1;
        final int scriptLength = coinbase.inputs().get(0).scriptSig().length;
        for (int start = 0; start <= scriptLength; start++)
        {
            for (int length = 0; start + length <= scriptLength; length += 5)
            {
                final byte[] prefix = Arrays.copyOf(full, scriptStart + start);
                final byte[] suffix = Arrays.copyOfRange(full, scriptStart + start + length, full.length);
                final CoinbaseStripper.Parts parts = CoinbaseStripper.strip(prefix, suffix, length);
                final byte[] extranonce = Arrays.copyOfRange(full, scriptStart + start, scriptStart + start + length);
                assertArrayEquals(legacy, MerkleTest.concat(MerkleTest.concat(parts.prefix(), extranonce),
                    parts.suffix()), "split at " + start + "+" + length);
            }
        }
    }

    @Test
    void malformedPartsAreRejected()
    {
        // wrong extranonce length makes the scriptSig tail not line up
        assertThrows(MalformedDataException.class, () -> CoinbaseStripper.strip(SRI_WITNESS_PREFIX, SRI_WITNESS_SUFFIX, 33));
        assertThrows(MalformedDataException.class, () -> CoinbaseStripper.strip(SRI_WITNESS_PREFIX, SRI_WITNESS_SUFFIX, 31));
        assertThrows(MalformedDataException.class,
            () -> CoinbaseStripper.strip(SRI_WITNESS_PREFIX, Arrays.copyOf(SRI_WITNESS_SUFFIX, 50), 32));
        assertThrows(MalformedDataException.class, () -> CoinbaseStripper.strip(new byte[5], SRI_WITNESS_SUFFIX, 32));
    }
}
