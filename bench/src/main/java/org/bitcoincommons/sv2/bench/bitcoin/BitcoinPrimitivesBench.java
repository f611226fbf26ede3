package org.bitcoincommons.sv2.bench.bitcoin;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.bitcoincommons.sv2.bitcoin.BlockHeader;
import org.bitcoincommons.sv2.bitcoin.BlockHeaderEncoder;
import org.bitcoincommons.sv2.bitcoin.Merkle;
import org.bitcoincommons.sv2.bitcoin.Sha256d;
import org.bitcoincommons.sv2.bitcoin.Target;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-share hot paths of the bitcoin package: header hash, hash-vs-target check, SV2 coinbase merkle fold.
 * Each must allocate nothing (check gc.alloc.rate.norm with -prof gc).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BitcoinPrimitivesBench
{
    // mainnet block 840000 header
    private static final String HEADER_840000 =
        "00e05f2aab948491071265ad552351d0ad625745668da54b0172010000000000000000004f89a5d73bd4d4887f25981fe81892cc" +
        "afda10c27f52d6f3dd28183a7c411b03b7072366194203177d9863ea";

    private final Sha256d sha = new Sha256d();
    private final BlockHeader header = new BlockHeader();
    private final BlockHeaderEncoder encoder = new BlockHeaderEncoder();
    private final byte[] hash = new byte[32];
    private final byte[] shareTarget = new byte[32];
    private final byte[] path = new byte[12 * 32];
    private final byte[] coinbase = new byte[220];
    private final byte[] root = new byte[32];
    private UnsafeBuffer heapHeader;
    private UnsafeBuffer directHeader;
    private UnsafeBuffer hashBuffer;
    private UnsafeBuffer targetBuffer;
    private UnsafeBuffer frame;
    private int nonce;

    @Setup
    public void setup()
    {
        final byte[] raw = HexFormat.of().parseHex(HEADER_840000);
        heapHeader = new UnsafeBuffer(raw.clone());
        directHeader = new UnsafeBuffer(ByteBuffer.allocateDirect(80));
        directHeader.putBytes(0, raw);
        Target.compactToLittleEndian(0x1d00ffff, shareTarget, 0);
        hashBuffer = new UnsafeBuffer(new byte[32]);
        targetBuffer = new UnsafeBuffer(shareTarget);
        for (int i = 0; i < path.length; i++)
        {
            path[i] = (byte)(i * 7);
        }
        for (int i = 0; i < coinbase.length; i++)
        {
            coinbase[i] = (byte)(i * 13);
        }
        // a received job frame: prefix (150) | extranonce (16) | suffix (54) | path (12 x 32)
        frame = new UnsafeBuffer(ByteBuffer.allocateDirect(coinbase.length + path.length));
        frame.putBytes(0, coinbase);
        frame.putBytes(coinbase.length, path);
    }

    @Benchmark
    public byte[] headerHashHeap()
    {
        encoder.wrap(heapHeader, 0).nonce(nonce++);
        header.wrap(heapHeader, 0).hash(sha, hash, 0);
        return hash;
    }

    @Benchmark
    public byte[] headerHashDirect()
    {
        encoder.wrap(directHeader, 0).nonce(nonce++);
        header.wrap(directHeader, 0).hash(sha, hash, 0);
        return hash;
    }

    @Benchmark
    public boolean hashMeetsTargetArray()
    {
        hash[31] = (byte)nonce++;
        return Target.hashMeetsTarget(hash, 0, shareTarget, 0);
    }

    @Benchmark
    public boolean hashMeetsTargetBuffer()
    {
        hashBuffer.putByte(31, (byte)nonce++);
        return Target.hashMeetsTarget(hashBuffer, 0, targetBuffer, 0);
    }

    @Benchmark
    public byte[] coinbaseMerkleRoot12()
    {
        coinbase[100] = (byte)nonce++;
        Merkle.coinbaseRoot(sha, coinbase, 0, coinbase.length, path, 0, 12, root, 0);
        return root;
    }

    @Benchmark
    public byte[] coinbaseMerkleRoot12Streamed()
    {
        final byte[] extranonce = hash;
        extranonce[0] = (byte)nonce++;
        sha.update(frame, 0, 150).update(extranonce, 0, 16).update(frame, 166, 54).finish(root, 0);
        Merkle.fold(sha, root, 0, frame, coinbase.length, 12, 0);
        return root;
    }
}
