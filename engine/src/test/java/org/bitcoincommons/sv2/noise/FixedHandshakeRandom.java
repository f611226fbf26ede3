package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.EllSwiftKeyPair;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/** Hands out fixed key pairs in order and a fixed aux_rand, to replay a deterministic handshake. */
final class FixedHandshakeRandom implements HandshakeRandom
{
    private final Deque<EllSwiftKeyPair> keys = new ArrayDeque<>();
    private final byte[] auxRand;

    FixedHandshakeRandom(final byte[] auxRand, final EllSwiftKeyPair... keys)
    {
        this.auxRand = auxRand.clone();
        this.keys.addAll(Arrays.asList(keys));
    }

    @Override
    public EllSwiftKeyPair nextKeyPair()
    {
        return keys.removeFirst();
    }

    @Override
    public void auxRand(final byte[] out32)
    {
        System.arraycopy(auxRand, 0, out32, 0, 32);
    }
}
