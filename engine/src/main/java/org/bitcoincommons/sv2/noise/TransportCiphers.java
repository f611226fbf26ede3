package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.AeadImpl;
import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Builds a {@link TransportCipher} (or a {@link NoiseChannel} around one) from raw keys, for benchmarks and tests that
 * skip the handshake. Production code gets its cipher from the handshake only.
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

    /** As {@link #of(byte[], byte[])} on the given AEAD implementation (benchmarks and tests compare them). */
    public static TransportCipher of(final byte[] sendKey, final byte[] receiveKey, final AeadImpl impl)
    {
        return new TransportCipher(sendKey, receiveKey, impl);
    }

    /** A channel over the given streams that uses cipher as if a handshake had produced it. */
    public static NoiseChannel channel(
        final InputStream in, final OutputStream out, final Closeable transport, final TransportCipher cipher,
        final int maxPayloadLength)
    {
        return NoiseChannel.established(in, out, transport, cipher, maxPayloadLength);
    }
}
