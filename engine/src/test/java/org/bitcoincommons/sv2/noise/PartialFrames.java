package org.bitcoincommons.sv2.noise;

import java.io.ByteArrayOutputStream;

/**
 * The start of an encrypted frame as it appears on the wire, for tests of peers that announce more than they send:
 * the 22-byte encrypted header announcing {@code msgLength}, then the first {@code chunks} full payload chunks
 * (65,519 zero bytes each, 65,535 on the wire). Uses and advances the sender's nonce like a real frame would.
 */
public final class PartialFrames
{
    private PartialFrames()
    {
    }

    /** The start of a frame from {@code channel}'s sending side (its next nonce). */
    public static byte[] start(final NoiseChannel channel, final int msgType, final int msgLength, final int chunks)
        throws NoiseException
    {
        return start(channel.cipher(), msgType, msgLength, chunks);
    }

    public static byte[] start(final TransportCipher cipher, final int msgType, final int msgLength, final int chunks)
        throws NoiseException
    {
        final byte[] header = {0, 0, (byte)msgType, (byte)msgLength, (byte)(msgLength >>> 8), (byte)(msgLength >>> 16)};
        final byte[] out = new byte[TransportCipher.ENCRYPTED_HEADER_LENGTH];
        cipher.encryptHeader(header, 0, out, 0);
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(out);
        final byte[] chunk = new byte[TransportCipher.MAX_MESSAGE_LENGTH];
        for (int i = 0; i < chunks; i++)
        {
            java.util.Arrays.fill(chunk, (byte)0);
            final int n = cipher.encryptChunk(chunk, 0, TransportCipher.MAX_CHUNK_PLAINTEXT, chunk, 0);
            wire.write(chunk, 0, n);
        }
        return wire.toByteArray();
    }
}
