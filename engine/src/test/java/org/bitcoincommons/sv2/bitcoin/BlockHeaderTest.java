package org.bitcoincommons.sv2.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.Vectors;
import org.junit.jupiter.api.Test;

class BlockHeaderTest
{
    static JsonNode headers() throws Exception
    {
        return new ObjectMapper().readTree(Vectors.read("bitcoin_headers.json"));
    }

    @Test
    void everyVectorHeaderHashesAndMeetsItsOwnTarget() throws Exception
    {
        final JsonNode vectors = headers();
        assertEquals(4, vectors.size());
        final Sha256d sha = new Sha256d();
        final BlockHeader header = new BlockHeader();
        for (final JsonNode v : vectors)
        {
            final byte[] raw = Hex.decode(v.get("header").asText());
            assertEquals(BlockHeader.ENCODED_LENGTH, raw.length);
            header.wrap(new UnsafeBuffer(raw), 0);

            final byte[] hash = new byte[32];
            header.hash(sha, hash, 0);
            assertEquals(v.get("hash").asText(), HashOrder.toDisplayHex(hash), "height " + v.get("height"));
            assertEquals(v.get("hash").asText(), header.hashDisplayHex());

            final int bits = Integer.parseUnsignedInt(v.get("bits").asText(), 16);
            assertEquals(bits, header.bits());
            assertEquals(Integer.parseUnsignedInt(v.get("version").asText().substring(2), 16), header.version());

            final BigInteger target = Target.fromCompact(bits);
            assertEquals(v.get("target").asText(), Target.toDisplayHex(target));
            assertEquals(bits, Target.toCompact(target));

            final byte[] targetLe = new byte[32];
            Target.compactToLittleEndian(bits, targetLe, 0);
            assertArrayEquals(Target.toLittleEndian(target), targetLe);
            assertArrayEquals(HashOrder.fromDisplayHex(v.get("target").asText()), targetLe);
            assertTrue(Target.hashMeetsTarget(hash, 0, targetLe, 0));
            assertTrue(Target.hashMeetsTarget(new UnsafeBuffer(hash), 0, new UnsafeBuffer(targetLe), 0));
            // a target one notch harder than the hash must fail
            final BigInteger hashValue = Target.fromLittleEndian(hash, 0);
            final byte[] tooHard = Target.toLittleEndian(hashValue.subtract(BigInteger.ONE));
            assertFalse(Target.hashMeetsTarget(hash, 0, tooHard, 0));
            assertTrue(Target.hashMeetsTarget(hash, 0, Target.toLittleEndian(hashValue), 0));
        }
    }

    @Test
    void genesisFieldsDecode() throws Exception
    {
        final byte[] raw = Hex.decode(headers().get(0).get("header").asText());
        final BlockHeader header = new BlockHeader().wrap(new UnsafeBuffer(raw), 0);
        assertEquals(1, header.version());
        assertEquals(1231006505L, header.timeSeconds());
        assertEquals(2083236893, header.nonce());
        final byte[] root = new byte[32];
        header.merkleRoot(root, 0);
        // genesis merkle root = genesis coinbase txid
        assertEquals("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b", HashOrder.toDisplayHex(root));
        final byte[] prev = new byte[32];
        header.prevHash(prev, 0);
        assertArrayEquals(new byte[32], prev);
    }

    @Test
    void encoderReproducesEveryVectorHeader() throws Exception
    {
        final BlockHeader header = new BlockHeader();
        final BlockHeaderEncoder encoder = new BlockHeaderEncoder();
        for (final JsonNode v : headers())
        {
            final byte[] raw = Hex.decode(v.get("header").asText());
            header.wrap(new UnsafeBuffer(raw), 0);
            final byte[] prev = new byte[32];
            final byte[] root = new byte[32];
            header.prevHash(prev, 0);
            header.merkleRoot(root, 0);
            final UnsafeBuffer out = new UnsafeBuffer(new byte[90]);
            encoder.wrap(out, 5)
                .version(header.version())
                .prevHash(prev, 0)
                .merkleRoot(root, 0)
                .timeSeconds(header.timeSeconds())
                .bits(header.bits())
                .nonce(header.nonce());
            final byte[] written = new byte[80];
            out.getBytes(5, written);
            assertArrayEquals(raw, written);
        }
    }

    @Test
    void wrapChecksBounds()
    {
        assertThrows(IndexOutOfBoundsException.class, () -> new BlockHeader().wrap(new UnsafeBuffer(new byte[79]), 0));
        assertThrows(IllegalArgumentException.class,
            () -> new BlockHeaderEncoder().wrap(new UnsafeBuffer(new byte[80]), 0).timeSeconds(1L << 32));
    }
}
