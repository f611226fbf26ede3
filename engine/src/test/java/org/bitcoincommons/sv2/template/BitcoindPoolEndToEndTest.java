package org.bitcoincommons.sv2.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.bitcoincommons.sv2.bitcoin.AddressCodec;
import org.bitcoincommons.sv2.bitcoin.Base58;
import org.bitcoincommons.sv2.bitcoin.Block;
import org.bitcoincommons.sv2.bitcoin.HashOrder;
import org.bitcoincommons.sv2.bitcoin.Hex;
import org.bitcoincommons.sv2.bitcoin.Network;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.bitcoincommons.sv2.bitcoin.Transaction;
import org.bitcoincommons.sv2.bitcoin.TxSerialization;
import org.bitcoincommons.sv2.config.ConfigException;
import org.bitcoincommons.sv2.config.EngineConfig;
import org.bitcoincommons.sv2.journal.AccountingState;
import org.bitcoincommons.sv2.journal.Journal;
import org.bitcoincommons.sv2.journal.JournalReader;
import org.bitcoincommons.sv2.merge.MergeMiningCoordinator;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.bitcoincommons.sv2.noise.AuthorityKeys;
import org.bitcoincommons.sv2.pool.PoolServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool mining real work from a (fake) Bitcoin Core: blocks end to end through the bitcoind source, checked by the
 * node as bitcoind checks them and by an independent parser (python-bitcoinlib); and failover to the embedded chain
 * when the node dies, with no acknowledged share lost, and back when it returns.
 */
@Timeout(120)
class BitcoindPoolEndToEndTest
{
    /** A real mainnet P2WPKH address (an output of one of the recorded transactions). */
    static final String MAINNET_PAYOUT = "bc1q4xssfjd4n522ye9m22fkhcj08zdrfgt79lc0jm";

    @TempDir
    Path dir;

    private static int bits(final double difficulty)
    {
        return Target.toCompact(Target.fromDifficulty(difficulty));
    }

    private PoolServer pool(final FakeBitcoind node, final String sources, final String network, final String payout,
        final long pollMs)
    {
        final EngineConfig config = EngineConfig.parse("""
            [stratum_v2]
            listen_addr = "127.0.0.1:0"
            handshake_timeout_ms = 2000
            [pool]
            journal_dir = "%s"
            shares_per_minute = 600
            coinbase_address = "%s"
            [template]
            sources = %s
            network = "%s"
            embedded_bits = "%08x"
            [template.bitcoind]
            rpc_url = "%s"
            rpc_user = "pool"
            rpc_password = "hunter2"
            zmq_hashblock = "%s"
            poll_interval_ms = %d
            [api]
            enabled = false
            """.formatted(dir.resolve("journal").toString().replace("\\", "/"), payout, sources, network,
            bits(0.0005), node.url(), node.zmqEndpoint(), pollMs), dir);
        return new PoolServer(config, MergeMiningCoordinator.FACTORY);
    }

    private static MinerClient miner(final PoolServer pool, final String user, final boolean extended)
    {
        final MinerClient m = new MinerClient(new MinerConfig(pool.sv2Address(),
            AuthorityKeys.decodePublic(pool.authorityPublicKey()), user, 1, extended, 0, "auto", 100, 1000, 2000));
        m.start();
        return m;
    }

    @Test
    void minesABlockEndToEndThroughBitcoind() throws Exception
    {
        try (FakeBitcoind node = new FakeBitcoind(bits(0.0005), false))
        {
            node.requireBasic("pool", "hunter2");
            final PoolServer pool = pool(node, "[\"bitcoind\"]", "mainnet", MAINNET_PAYOUT, 1000);
            pool.start();
            try (MinerClient m = miner(pool, "alice.ext", true))
            {
                assertTrue(BitcoindSourceTest.await(() -> node.acceptedHex.size() >= 2 &&
                    pool.metrics().blocksAccepted.sum() >= 2), () -> "blocks accepted by the node: " +
                    node.acceptedHex.size() + ", rejected " + node.rejectReasons);
                assertTrue(m.stats().sharesAccepted.sum() > 0);
            }
            finally
            {
                pool.close();
            }
            // a second block on a template whose successor has not reached the miner yet is stale, as on mainnet;
            // nothing else may be refused
            final Map<String, Long> reasons = new java.util.TreeMap<>(node.rejectReasons);
            reasons.remove("inconclusive-not-best-prevblk");
            assertEquals(Map.of(), reasons, "every submitted block passed bitcoind's checks");
            // the first block is on the recorded mainnet template: every one of its transactions, byte for byte
            final JsonNode recorded = node.templates().get(0);
            final Block first = Block.parse(Hex.decode(node.acceptedHex.get(0)));
            final List<Transaction> txs = first.transactions();
            assertEquals(recorded.get("transactions").size() + 1, txs.size());
            for (int i = 1; i < txs.size(); i++)
            {
                assertEquals(recorded.get("transactions").get(i - 1).get("data").asText(),
                    Hex.encode(txs.get(i).serialize(TxSerialization.WITNESS)));
            }
            final Transaction coinbase = txs.get(0);
            assertEquals(881_422, coinbase.lockTime(), "nLockTime = height - 1");
            assertEquals(0xfffffffe, coinbase.inputs().get(0).sequence());
            final byte[] payout = new AddressCodec(Network.MAINNET, Base58::decodeCheck).scriptPubKey(MAINNET_PAYOUT);
            assertEquals(Hex.encode(payout), Hex.encode(coinbase.outputs().get(0).scriptPubKey()));
            assertEquals(recorded.get("coinbasevalue").asLong(), coinbase.outputs().get(0).valueSats(),
                "no merged mining: the payout takes the whole coinbase value");
            crossCheckWithPythonBitcoinlib(node.acceptedHex.get(0), recorded);
            // the journal replays to the pool's accounting (blocks found, rewards)
            final AccountingState replayed = new AccountingState();
            try (Journal j = Journal.openExisting(dir.resolve("journal")); JournalReader r = j.reader())
            {
                r.readAll(replayed);
            }
            assertTrue((Long)replayed.toMap().get("blocks_found") >= 2);
            assertTrue((Long)replayed.toMap().get("rewards_total") >= recorded.get("coinbasevalue").asLong());
        }
    }

    @Test
    void aPayoutAddressOfAnotherNetworkIsRefusedAtStart() throws Exception
    {
        try (FakeBitcoind node = new FakeBitcoind(bits(0.0005), false))
        {
            final PoolServer pool = pool(node, "[\"bitcoind\"]", "mainnet", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", 1000);
            final ConfigException ex = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, pool::start);
            assertTrue(ex.getMessage().startsWith("pool.coinbase_address: not a mainnet address"), ex.getMessage());
            pool.close();
            final PoolServer none = pool(node, "[\"bitcoind\"]", "mainnet", "", 1000);
            final ConfigException ex2 = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, none::start);
            assertTrue(ex2.getMessage().startsWith("pool.coinbase_address: is required on mainnet"), ex2.getMessage());
            none.close();
        }
    }

    @Test
    void killingTheActiveSourceMovesMiningToTheNextAndBackWithNoAcknowledgedShareLost() throws Exception
    {
        final FakeBitcoind first = new FakeBitcoind(bits(0.0005), false);
        FakeBitcoind node = first;
        node.requireBasic("pool", "hunter2");
        final int rpcPort = node.rpcPort();
        final int zmqPort = node.zmqPort();
        final PoolServer pool = pool(node, "[\"bitcoind\", \"embedded\"]", "regtest", "", 200);
        pool.start();
        final Map<String, Object> live;
        try (MinerClient m = miner(pool, "bob.ext", true); MinerClient s = miner(pool, "carol.std", false))
        {
            assertTrue(BitcoindSourceTest.await(() -> "bitcoind".equals(pool.templateSources().activeName()) &&
                first.acceptedHex.size() >= 1 && m.stats().sharesAccepted.sum() >= 5));
            final long embeddedHeight = pool.chain().tipHeight();
            final long sharesBefore = m.stats().sharesAccepted.sum() + s.stats().sharesAccepted.sum();
            node.close();   // the node dies mid-run
            assertTrue(BitcoindSourceTest.await(() -> "embedded".equals(pool.templateSources().activeName())),
                "the embedded chain took over");
            assertTrue(BitcoindSourceTest.await(() -> pool.chain().tipHeight() >= embeddedHeight + 1 &&
                m.stats().sharesAccepted.sum() + s.stats().sharesAccepted.sum() >= sharesBefore + 10),
                "mining goes on, on the embedded chain");
            assertEquals(SourceHealth.DOWN, pool.templateSources().states().get(0).health());
            // the node comes back where it was: the pool returns to it
            node = new FakeBitcoind(bits(0.0005), false, rpcPort, zmqPort);
            node.requireBasic("pool", "hunter2");
            final FakeBitcoind back = node;
            assertTrue(BitcoindSourceTest.await(() -> "bitcoind".equals(pool.templateSources().activeName())),
                "back on bitcoind once it is healthy");
            assertTrue(BitcoindSourceTest.await(() -> back.acceptedHex.size() >= 1), "blocks reach the node again");
            assertTrue(pool.templateSources().switches() >= 3);
        }
        finally
        {
            pool.close();
            node.close();
        }
        live = pool.accounting();
        final AccountingState replayed = new AccountingState();
        try (Journal j = Journal.openExisting(dir.resolve("journal")); JournalReader r = j.reader())
        {
            r.readAll(replayed);
        }
        assertTrue(replayed.sharesAccepted() > 0);
        assertTrue(replayed.sharesAccepted() >= (Long)live.get("shares_accepted"),
            "every share the pool acknowledged is in the journal");
    }

    /**
     * Re-parses the block with python-bitcoinlib (Debian python3-bitcoinlib), an implementation independent of ours:
     * its CheckBlock verifies the merkle root, the witness commitment and proof of work; the script reports the
     * height pushed in the coinbase, the coinbase's nLockTime and value, and the txids it computed.
     */
    private void crossCheckWithPythonBitcoinlib(final String blockHex, final JsonNode template) throws Exception
    {
        final String python = pythonWithBitcoinlib();
        Assumptions.assumeTrue(python != null, "python3-bitcoinlib is not installed (apt-get install -y "
            + "python3-bitcoinlib; .ci/run installs it): the independent cross-check of the block was NOT run");
        final Path hex = dir.resolve("block.hex");
        Files.writeString(hex, blockHex);
        final Path script = dir.resolve("check.py");
        Files.writeString(script, """
            import sys, json, bitcoin
            from bitcoin.core import CBlock, CheckBlock, x, b2lx
            from bitcoin.core.script import CScript
            bitcoin.SelectParams('regtest')   # PoW limit of an easy target; the consensus checks are the same
            block = CBlock.deserialize(x(open(sys.argv[1]).read().strip()))
            CheckBlock(block, cur_time=block.nTime)
            cb = block.vtx[0]
            height = int.from_bytes(bytes(next(iter(CScript(cb.vin[0].scriptSig)))), 'little')
            print(json.dumps({"hash": b2lx(block.GetHash()), "height": height, "locktime": cb.nLockTime,
                "sequence": cb.vin[0].nSequence, "coinbase_value": sum(o.nValue for o in cb.vout),
                "txids": [b2lx(t.GetTxid()) for t in block.vtx[1:]], "merkle_root": b2lx(block.hashMerkleRoot)}))
            """);
        final Process p = new ProcessBuilder(python, script.toString(), hex.toString()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "python-bitcoinlib refused the block: " + out);
        final JsonNode r = FakeBitcoind.MAPPER.readTree(out);
        final Block block = Block.parse(Hex.decode(blockHex));
        assertEquals(HashOrder.toDisplayHex(org.bitcoincommons.sv2.bitcoin.Sha256d.hash(block.header())),
            r.get("hash").asText());
        assertEquals(template.get("height").asLong(), r.get("height").asLong());
        assertEquals(template.get("height").asLong() - 1, r.get("locktime").asLong());
        assertEquals(0xfffffffeL, r.get("sequence").asLong());
        assertEquals(template.get("coinbasevalue").asLong(), r.get("coinbase_value").asLong());
        final List<String> txids = new ArrayList<>();
        template.get("transactions").forEach(t -> txids.add(t.get("txid").asText()));
        final List<String> seen = new ArrayList<>();
        r.get("txids").forEach(t -> seen.add(t.asText()));
        assertEquals(txids, seen, "every template transaction, in order, by python-bitcoinlib's own txids");
    }

    /** An interpreter that can import python-bitcoinlib (Debian installs it for /usr/bin/python3), or null. */
    static String pythonWithBitcoinlib()
    {
        for (final String candidate : List.of("/usr/bin/python3", "python3"))
        {
            try
            {
                final Process p = new ProcessBuilder(candidate, "-c", "import bitcoin.core").redirectErrorStream(true)
                    .start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0)
                {
                    return candidate;
                }
            }
            catch (final Exception ignored)
            {
                // try the next
            }
        }
        return null;
    }
}
