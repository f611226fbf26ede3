package org.bitcoincommons.sv2.noise;

/**
 * Builds a {@link TransportCipher} from raw keys, for benchmarks and tests that skip the handshake. Production code
 * gets its cipher from the handshake only.
 */
public final class TransportCiphers
{
    private TransportCiphers()
    {
    }

    /** A cipher that sends with sendKey and receives with receiveKey (32 bytes each), both nonces at 0. */
    public static TransportCipher of(final byte[] sendKey, final byte[] receiveKey)
    {
        return new TransportCipher(sendKey, receiveKey);
    }
}
