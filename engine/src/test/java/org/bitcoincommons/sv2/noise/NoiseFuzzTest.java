package org.bitcoincommons.sv2.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bitcoincommons.sv2.crypto.SchnorrKeyPair;

/**
 * Fuzz targets (Jazzer) for what a Noise peer controls: act 1 as the pool's responder reads it, act 2 as a client's
 * initiator reads it, and the encrypted transport frames after the handshake. What must hold: the only exception is
 * {@link NoiseException} (an {@link IOException}); a frame that authenticates is returned intact; a frame over the
 * receive limit is refused before its payload is read; the receive buffer grows with the bytes that arrive (at most
 * twice those plus one Noise message), never with the length a header declares.
 */
class NoiseFuzzTest
{
    private static final byte[] KEY_A = filled(1);
    private static final byte[] KEY_B = filled(2);
    private static final int MAX_PAYLOAD = 4096;
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));
    private static final SchnorrKeyPair AUTHORITY = SchnorrKeyPair.of(filled(7));

    private static byte[] filled(final int value)
    {
        final byte[] b = new byte[32];
        Arrays.fill(b, (byte)value);
        return b;
    }

    private static HandshakeRandom random()
    {
        try
        {
            final SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(42);
            return HandshakeRandom.secure(r);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @FuzzTest
    void act1(final byte[] data)
    {
        final byte[] act1 = Arrays.copyOf(data, NoiseInitiator.ACT1_LENGTH);
        final byte[] act2 = new byte[NoiseInitiator.ACT2_LENGTH];
        try
        {
            final TransportCipher cipher = new NoiseResponder(AUTHORITY, 3600, random(), CLOCK)
                .readAct1WriteAct2(act1, 0, act2, 0);
            assertTrue(cipher != null);
        }
        catch (final NoiseException ex)
        {
            assertEquals(NoiseException.Reason.BAD_ACT1, ex.reason(), ex.getMessage());
        }
    }

    @FuzzTest
    void act2(final byte[] data)
    {
        final NoiseInitiator initiator = new NoiseInitiator(
            org.bitcoincommons.sv2.crypto.SchnorrPublicKey.of(AUTHORITY.publicKey()), random(), CLOCK);
        initiator.writeAct1(new byte[NoiseInitiator.ACT1_LENGTH], 0);
        final byte[] act2 = Arrays.copyOf(data, NoiseInitiator.ACT2_LENGTH);
        try
        {
            initiator.readAct2(act2, 0);
            throw new AssertionError("an act 2 from no responder authenticated");
        }
        catch (final NoiseException ex)
        {
            // the expected outcome for bytes that no responder made
        }
    }

    /**
     * The input is a list of records, each {@code flags, header[6], u16 length, payload[length]}: the header and the
     * payload are encrypted as separate Noise messages (so the header may lie about the length), and a flag bit
     * corrupts one ciphertext byte. Any bytes left over follow as raw garbage.
     */
    @FuzzTest
    void transportFrames(final byte[] data) throws IOException
    {
        final TransportCipher sender = TransportCiphers.of(KEY_A, KEY_B);
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        final List<byte[]> intact = new ArrayList<>();
        boolean good = true;
        int p = 0;
        while (p + 9 <= data.length)
        {
            final int flags = data[p] & 0xff;
            final byte[] header = Arrays.copyOfRange(data, p + 1, p + 7);
            final int wanted = (data[p + 7] & 0xff) | (data[p + 8] & 0xff) << 8;
            p += 9;
            final int length = Math.min(wanted, data.length - p);
            final byte[] payload = Arrays.copyOfRange(data, p, p + length);
            p += length;
            final byte[] cipherHeader = new byte[TransportCipher.ENCRYPTED_HEADER_LENGTH];
            sender.encryptHeader(header, 0, cipherHeader, 0);
            final byte[] cipherPayload = new byte[TransportCipher.encryptedPayloadLength(length)];
            int written = 0;
            for (int done = 0; done < length; done += TransportCipher.MAX_CHUNK_PLAINTEXT)
            {
                final int n = Math.min(TransportCipher.MAX_CHUNK_PLAINTEXT, length - done);
                written += sender.encryptChunk(payload, done, n, cipherPayload, written);
            }
            if ((flags & 1) != 0)
            {
                final int at = (flags >>> 1) % (cipherHeader.length + cipherPayload.length);
                if (at < cipherHeader.length)
                {
                    cipherHeader[at] ^= 0x5a;
                }
                else
                {
                    cipherPayload[at - cipherHeader.length] ^= 0x5a;
                }
                good = false;
            }
            final int declared = (header[3] & 0xff) | (header[4] & 0xff) << 8 | (header[5] & 0xff) << 16;
            if (declared != length || declared > MAX_PAYLOAD)
            {
                good = false;
            }
            if (good)
            {
                final byte[] frame = Arrays.copyOf(header, TransportCipher.HEADER_LENGTH + length);
                System.arraycopy(payload, 0, frame, TransportCipher.HEADER_LENGTH, length);
                intact.add(frame);
            }
            wire.write(cipherHeader);
            wire.write(cipherPayload);
        }
        wire.write(data, p, data.length - p);
        final byte[] bytes = wire.toByteArray();
        final ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        final NoiseChannel channel = TransportCiphers.channel(in, OutputStream.nullOutputStream(), in,
            TransportCiphers.of(KEY_B, KEY_A), MAX_PAYLOAD);
        int frames = 0;
        try
        {
            while (true)
            {
                final int n = channel.readFrame();
                assertTrue(n >= TransportCipher.HEADER_LENGTH && n <= TransportCipher.HEADER_LENGTH + MAX_PAYLOAD,
                    "a frame of " + n + " bytes passed a limit of " + MAX_PAYLOAD);
                if (frames < intact.size())
                {
                    final byte[] got = new byte[n];
                    channel.frameBuffer().getBytes(0, got);
                    assertArrayEquals(intact.get(frames), got, "frame " + frames + " changed in transit");
                }
                frames++;
                assertBufferBound(channel, bytes.length);
            }
        }
        catch (final IOException expected)
        {
            // NoiseException (bad MAC, too large) or the end of the bytes
        }
        assertBufferBound(channel, bytes.length);
        assertTrue(frames >= intact.size(), "only " + frames + " of " + intact.size() + " intact frames were read");
    }

    private static void assertBufferBound(final NoiseChannel channel, final int arrived)
    {
        assertTrue(channel.receiveBufferCapacity() <= 2 * arrived + TransportCipher.MAX_MESSAGE_LENGTH + 64,
            "receive buffer of " + channel.receiveBufferCapacity() + " bytes after " + arrived + " arrived");
    }
}
