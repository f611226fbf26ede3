package org.bitcoincommons.sv2.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fuzz targets (Jazzer) for what merged mining reads from outside: the CAuxPow / aux block bytes and the getblock JSON
 * behind {@code bin/sv2 auxpow verify}, and the JSON-RPC responses of aux nodes ({@link JsonRpcClient#result} and
 * {@code createauxblock}'s result, an RSK node's {@code mnr_getWork}). What must hold: the only exceptions are the
 * documented ones
 * ({@link org.bitcoincommons.sv2.bitcoin.MalformedDataException}, an IllegalArgumentException, for bad proofs;
 * Jackson's for text that is not JSON; {@link RpcException} for a bad response); a parsed CAuxPow serializes back to
 * the same bytes; the verifier gives a verdict for whatever parses, and never throws.
 */
class MergeFuzzTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @FuzzTest
    void auxBlockBytes(final byte[] data)
    {
        final AuxBlockProof proof;
        try
        {
            proof = AuxBlockProof.fromBytes(data);
        }
        catch (final IllegalArgumentException ex)
        {
            return;
        }
        final byte[] auxPow = proof.auxPow().serialize();
        assertArrayEquals(auxPow, AuxPow.parse(auxPow).serialize(), "CAuxPow parse->serialize is not stable");
        verify(proof);
    }

    @FuzzTest
    void getBlockJson(final byte[] data)
    {
        final JsonNode root;
        try
        {
            root = MAPPER.readTree(new String(data, StandardCharsets.UTF_8));
        }
        catch (final JsonProcessingException ex)
        {
            return;
        }
        if (root == null)
        {
            return;
        }
        final AuxBlockProof proof;
        try
        {
            proof = AuxBlockProof.fromGetBlockJson(root);
        }
        catch (final IllegalArgumentException ex)
        {
            return;
        }
        verify(proof);
    }

    @FuzzTest
    void rpcResponse(final byte[] data)
    {
        if (data.length < 1)
        {
            return;
        }
        final int status = (data[0] & 1) == 0 ? 200 : 500;
        final JsonNode result;
        try
        {
            result = JsonRpcClient.result("createauxblock", status,
                new String(data, 1, data.length - 1, StandardCharsets.UTF_8));
        }
        catch (final RpcException ex)
        {
            return;
        }
        assertTrue(result != null, "a result that passed is never Java null");
        try
        {
            AuxPowNodeClient.parse(result);
        }
        catch (final RpcException ex)
        {
            // a result that is not an aux block template
        }
    }

    /** An RSK node's {@code mnr_getWork} response: first byte as in {@link #rpcResponse}, the rest the body. */
    @FuzzTest
    void rskWork(final byte[] data)
    {
        if (data.length < 1)
        {
            return;
        }
        final RskWork work;
        try
        {
            work = RskNodeClient.work(JsonRpcClient.result("mnr_getWork", (data[0] & 1) == 0 ? 200 : 500,
                new String(data, 1, data.length - 1, StandardCharsets.UTF_8)));
        }
        catch (final RpcException ex)
        {
            return;
        }
        assertTrue(work.hashForMergedMining().length == 32 && work.targetLe().length == 32 &&
            work.parentBlockHash().length == 32, "RSK work with a hash or target that is not 32 bytes");
    }

    /** What {@code auxpow verify} does with a proof once read: pick the chain-id rule and parent PoW, verify. */
    private static void verify(final AuxBlockProof proof)
    {
        final byte[] h = proof.header();
        final int version = (h[0] & 0xff) | (h[1] & 0xff) << 8 | (h[2] & 0xff) << 16 | (h[3] & 0xff) << 24;
        final ChainIdRule rule = ChainIdRule.forVersion(version);
        final int chainId = rule.chainId(version);
        final AuxPowVerdict verdict =
            AuxPowVerifier.verifyHeader(h, proof.auxPow(), null, ParentPow.forChainId(chainId));
        assertTrue(verdict != null);
        proof.merkleRootMatches();
    }
}
