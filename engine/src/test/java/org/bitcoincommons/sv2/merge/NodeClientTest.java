package org.bitcoincommons.sv2.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxIn;
import org.bitcoincommons.sv2.bitcoin.TxOut;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.config.AuxChainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON-RPC clients against the fake nodes over real HTTP on 127.0.0.1. */
class NodeClientTest
{
    /** About one header in two meets it. */
    static final int EASY_BITS = 0x207fffff;

    @TempDir
    Path dir;

    private static JsonRpcClient rpc(final FakeRpcServer node, final JsonRpcClient.Version v, final long timeoutMs,
        final String user, final String password, final Path cookie)
    {
        return new JsonRpcClient(node.url(), v, Duration.ofMillis(timeoutMs), user, password, cookie);
    }

    /** A parent block with only this coinbase committing to {@code auxHash} (tree of size 1), PoW-ground. */
    static AuxPow proveAlone(final byte[] auxHash, final byte[] targetLe)
    {
        final byte[] script = AuxPowVerifierTest.concat(new byte[] {3, 1, 0, 0}, new AuxCommitment(auxHash, 1, 0)
            .scriptSigPush());
        final Transaction cb = new Transaction(1, List.of(new TxIn(new byte[32], TxIn.NULL_INDEX, script, -1, List.of())),
            List.of(new TxOut(50, new byte[] {0x51})), 0);
        final byte[] header = new byte[80];
        header[0] = 0x20;
        header[3] = 0x20;
        System.arraycopy(cb.txid(), 0, header, 36, 32);
        for (int nonce = 0; ; nonce++)
        {
            header[76] = (byte)nonce;
            header[77] = (byte)(nonce >>> 8);
            final byte[] hash = Sha256d.hash(header);
            if (Target.hashMeetsTarget(hash, 0, targetLe, 0))
            {
                return new AuxPow(cb.serialize(TxSerialization.LEGACY), hash, new byte[0], 0, new byte[0], 0, header);
            }
        }
    }

    @Test
    void createAndSubmitAuxBlock() throws Exception
    {
        try (FakeAuxPowNode node = new FakeAuxPowNode(1, EASY_BITS))
        {
            final AuxPowNodeClient client = new AuxPowNodeClient(rpc(node, JsonRpcClient.Version.V1, 2000, "", "", null),
                AuxChainConfig.RpcStyle.CREATEAUXBLOCK, "Npayout");
            final AuxBlockTemplate t = client.createAuxBlock();
            assertEquals(1, t.chainId());
            assertEquals(EASY_BITS, t.bits());
            assertEquals(Target.fromCompact(EASY_BITS), Target.fromLittleEndian(t.targetLe(), 0));
            assertArrayEquals(node.tip(), t.previousBlockHash());
            assertEquals(1, t.height());
            // the node caches per address until the tip moves
            assertArrayEquals(t.hash(), client.createAuxBlock().hash());

            final AuxPow good = proveAlone(t.hash(), t.targetLe());
            assertTrue(client.submitAuxBlock(t.hash(), good));
            assertArrayEquals(t.hash(), client.bestBlockHash());
            assertEquals(1, node.height());
            assertArrayEquals(t.hash(), client.blockHash(1));
            assertEquals(RpcException.Kind.RPC_ERROR, assertThrows(RpcException.class, () -> client.blockHash(2)).kind());
            // a repeat of a block the node has: true again (ProcessNewBlock), and nothing changes
            assertTrue(client.submitAuxBlock(t.hash(), good));
            assertEquals(1, node.repeats());
            assertEquals(1, node.acceptedBlocks().size());
            assertEquals(1, node.height());

            // the next createauxblock after the tip moved forgets the old block: a stale submission
            final AuxBlockTemplate t2 = client.createAuxBlock();
            final RpcException stale = assertThrows(RpcException.class, () -> client.submitAuxBlock(t.hash(), good));
            assertEquals(RpcException.Kind.RPC_ERROR, stale.kind());
            assertEquals(-8, stale.code());

            // a proof for another block is refused by the node's checks
            assertFalse(client.submitAuxBlock(t2.hash(), proveAlone(Sha256d.hash(new byte[] {9}), t2.targetLe())));
            assertTrue(node.rejectionReasons().get(node.rejectionReasons().size() - 1)
                .startsWith(AuxPowFailure.MISSING_CHAIN_ROOT.reason()));
        }
    }

    @Test
    void staleWorkIsRejectedByTheNode() throws Exception
    {
        try (FakeAuxPowNode node = new FakeAuxPowNode(1, EASY_BITS))
        {
            final AuxPowNodeClient client = new AuxPowNodeClient(rpc(node, JsonRpcClient.Version.V1, 2000, "", "", null),
                AuxChainConfig.RpcStyle.CREATEAUXBLOCK, "N");
            final AuxBlockTemplate before = client.createAuxBlock();
            node.serveStale = true;
            node.advanceTipElsewhere();
            final AuxBlockTemplate stale = client.createAuxBlock();
            assertArrayEquals(before.hash(), stale.hash(), "a stale node keeps serving the old block");
            final RpcException ex = assertThrows(RpcException.class,
                () -> client.submitAuxBlock(stale.hash(), proveAlone(stale.hash(), stale.targetLe())));
            assertEquals(-8, ex.code());
            assertTrue(ex.getMessage().contains("block hash unknown"));
            node.serveStale = false;
            final AuxBlockTemplate fresh = client.createAuxBlock();
            assertFalse(java.util.Arrays.equals(before.hash(), fresh.hash()));
            assertTrue(client.submitAuxBlock(fresh.hash(), proveAlone(fresh.hash(), fresh.targetLe())));
        }
    }

    @Test
    void getAuxBlockStyle() throws Exception
    {
        try (FakeAuxPowNode node = new FakeAuxPowNode(98, EASY_BITS))
        {
            final AuxPowNodeClient client = new AuxPowNodeClient(rpc(node, JsonRpcClient.Version.V1, 2000, "", "", null),
                AuxChainConfig.RpcStyle.GETAUXBLOCK, "");
            final AuxBlockTemplate t = client.createAuxBlock();
            assertEquals(98, t.chainId());
            assertTrue(client.submitAuxBlock(t.hash(), proveAlone(t.hash(), t.targetLe())));
            assertEquals(1, node.acceptedBlocks().size());
        }
    }

    @Test
    void authBasicAndCookie() throws Exception
    {
        try (FakeAuxPowNode node = new FakeAuxPowNode(1, EASY_BITS))
        {
            node.requireBasic("alice", "s3cret");
            final AuxPowNodeClient ok = new AuxPowNodeClient(rpc(node, JsonRpcClient.Version.V1, 2000, "alice", "s3cret",
                null), AuxChainConfig.RpcStyle.CREATEAUXBLOCK, "N");
            assertEquals(1, ok.createAuxBlock().chainId());
            final AuxPowNodeClient bad = new AuxPowNodeClient(rpc(node, JsonRpcClient.Version.V1, 2000, "alice", "wrong",
                null), AuxChainConfig.RpcStyle.CREATEAUXBLOCK, "N");
            final RpcException ex = assertThrows(RpcException.class, bad::createAuxBlock);
            assertEquals(RpcException.Kind.AUTH, ex.kind());
            assertEquals(401, ex.code());

            final Path cookie = dir.resolve(".cookie");
            node.requireCookie(cookie, "first");
            final AuxPowNodeClient viaCookie = new AuxPowNodeClient(rpc(node, JsonRpcClient.Version.V1, 2000, "", "",
                cookie), AuxChainConfig.RpcStyle.CREATEAUXBLOCK, "N");
            assertEquals(1, viaCookie.createAuxBlock().chainId());
            // the node restarts with a new cookie: one call fails with AUTH, the reconnect re-reads the file
            node.requireCookie(cookie, "second");
            assertEquals(RpcException.Kind.AUTH, assertThrows(RpcException.class, viaCookie::createAuxBlock).kind());
            assertEquals(1, viaCookie.createAuxBlock().chainId());
            final AuxPowNodeClient noFile = new AuxPowNodeClient(rpc(node, JsonRpcClient.Version.V1, 2000, "", "",
                dir.resolve("missing")), AuxChainConfig.RpcStyle.CREATEAUXBLOCK, "N");
            assertEquals(RpcException.Kind.AUTH, assertThrows(RpcException.class, noFile::createAuxBlock).kind());
        }
    }

    @Test
    void slowErrorsAndDown() throws Exception
    {
        try (FakeAuxPowNode node = new FakeAuxPowNode(1, EASY_BITS))
        {
            final AuxPowNodeClient client = new AuxPowNodeClient(rpc(node, JsonRpcClient.Version.V1, 300, "", "", null),
                AuxChainConfig.RpcStyle.CREATEAUXBLOCK, "N");
            node.delayMs = 1000;
            assertEquals(RpcException.Kind.TRANSPORT, assertThrows(RpcException.class, client::createAuxBlock).kind());
            node.delayMs = 0;
            node.failAll = new FakeRpcServer.RpcError(-10, "Namecoin is downloading blocks...");
            final RpcException err = assertThrows(RpcException.class, client::createAuxBlock);
            assertEquals(RpcException.Kind.RPC_ERROR, err.kind());
            assertEquals(-10, err.code());
            assertTrue(err.getMessage().contains("downloading blocks"));
            node.failAll = null;
            node.down();
            assertEquals(RpcException.Kind.TRANSPORT, assertThrows(RpcException.class, client::createAuxBlock).kind());
            node.up();
            assertEquals(1, client.createAuxBlock().chainId());
            assertEquals(RpcException.Kind.RPC_ERROR, assertThrows(RpcException.class,
                () -> rpc(node, JsonRpcClient.Version.V1, 300, "", "", null).call("nosuchmethod")).kind());
        }
    }

    @Test
    void rskWorkAndRejection() throws Exception
    {
        final BigInteger target = BigInteger.ONE.shiftLeft(255);
        try (FakeRskNode node = new FakeRskNode(target))
        {
            final RskNodeClient client = new RskNodeClient(rpc(node, JsonRpcClient.Version.V2, 2000, "", "", null));
            final RskWork w = client.getWork();
            assertArrayEquals(node.currentWork(), w.hashForMergedMining());
            assertEquals(target, Target.fromLittleEndian(w.targetLe(), 0));
            assertTrue(w.newWork());
            assertFalse(client.getWork().newWork());
            assertEquals(1_000_000_000_000L, w.feesPaidToMinerWei());

            // a coinbase with the tag, alone in its block; grind the header under the target
            final Transaction cb = new Transaction(1, List.of(new TxIn(new byte[32], TxIn.NULL_INDEX,
                new byte[] {3, 1, 0, 0, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25}, -1, List.of())),
                List.of(new TxOut(50, new byte[] {0x51}), new TxOut(0, RskCommitment.outputScript(w.hashForMergedMining()))),
                0);
            final byte[] coinbase = cb.serialize(TxSerialization.LEGACY);
            assertEquals(null, RskCommitment.positionProblem(coinbase));
            final byte[] header = new byte[80];
            System.arraycopy(cb.txid(), 0, header, 36, 32);
            byte[] hash;
            int nonce = 0;
            do
            {
                header[76] = (byte)nonce++;
                hash = Sha256d.hash(header);
            }
            while (!Target.hashMeetsTarget(hash, 0, w.targetLe(), 0));
            assertEquals("0x" + Hex.encode("IMPORTED_BEST".getBytes()), client.submitBitcoinBlockPartialMerkle(hash,
                header, coinbase, cb.txid(), List.of(), 1).get("blockImportedResult").asText());
            assertEquals(1, node.acceptedBlocks().size());

            // a header that does not commit to the coinbase
            final byte[] wrong = header.clone();
            wrong[40] ^= 1;
            final byte[] found = hash;
            final RpcException ex = assertThrows(RpcException.class, () -> client.submitBitcoinBlockPartialMerkle(found,
                wrong, coinbase, cb.txid(), List.of(), 1));
            assertEquals(RpcException.Kind.RPC_ERROR, ex.kind());
            assertEquals(FakeRskNode.REJECT, ex.code());
            assertEquals(HashOrder.HASH_LENGTH, w.parentBlockHash().length);
        }
    }
}
