package org.bitcoincommons.sv2.noise;

import org.bitcoincommons.sv2.crypto.TestBackends;
import org.bitcoincommons.sv2.crypto.AeadImpl;
import org.bitcoincommons.sv2.crypto.Sha256;
import org.bitcoincommons.sv2.crypto.SchnorrPublicKey;
import org.bitcoincommons.sv2.crypto.SchnorrKeyPair;
import org.bitcoincommons.sv2.crypto.Schnorr;
import org.bitcoincommons.sv2.crypto.EllSwiftKeyPair;
import org.bitcoincommons.sv2.crypto.EllSwiftEcdh;
import org.bitcoincommons.sv2.crypto.EcBackend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bitcoincommons.sv2.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Replays vectors/sv2_noise_nx_vector.json (test resources) byte for byte through both roles. */
class NoiseNxVectorTest
{
    private static final HexFormat HEX = HexFormat.of();

    private final JsonNode v;

    NoiseNxVectorTest() throws Exception
    {
        v = new ObjectMapper().readTree(Vectors.read("sv2_noise_nx_vector.json"));
    }

    private byte[] hex(final String field)
    {
        return HEX.parseHex(v.get(field).asText());
    }

    private EllSwiftKeyPair key(final String prefix)
    {
        return new EllSwiftKeyPair(new BigInteger(1, hex(prefix + "_priv")), hex(prefix + "_ellswift"));
    }

    @Test
    void protocolNameConstants()
    {
        assertEquals(v.get("protocol_name").asText(), SymmetricState.PROTOCOL_NAME);
        final SymmetricState state = new SymmetricState(new Sha256());
        assertEquals(v.get("ck_init(=SHA256(name))").asText(), HEX.formatHex(state.chainingKey()));
        assertEquals(v.get("h_init(=SHA256(ck))").asText(), HEX.formatHex(state.handshakeHash()));
    }

    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")
    void certificateAndSchnorrParts(final String backendName)
    {
        final EcBackend backend = TestBackends.get(backendName);
        final Sha256 sha = new Sha256();
        final Schnorr schnorr = new Schnorr(sha, backend);
        assertArrayEquals(hex("authority_pub_xonly"), Schnorr.publicKey(hex("authority_priv")));
        assertArrayEquals(hex("responder_static_xonly"), backend.decodeX(hex("responder_static_ellswift"), 0));
        final byte[] cert = SignatureNoiseMessage.sign(sha, schnorr, SchnorrKeyPair.of(hex("authority_priv")), v.get("cert_version").asInt(),
            v.get("cert_valid_from").asLong(), v.get("cert_not_valid_after").asLong(), hex("responder_static_xonly"),
            hex("schnorr_aux_rand"));
        assertArrayEquals(hex("cert_signed_msg_hash(m)"), SignatureNoiseMessage.signedHash(sha, cert, hex("responder_static_xonly")));
        assertArrayEquals(hex("cert_signature"), Arrays.copyOfRange(cert, 10, 74));
        assertArrayEquals(hex("signature_noise_message(74B)"), cert);

        final EllSwiftEcdh ecdh = new EllSwiftEcdh(sha, backend);
        assertArrayEquals(hex("ecdh_ee"), ecdh.sharedSecret(key("initiator_ephemeral").secret(),
            hex("initiator_ephemeral_ellswift"), hex("responder_ephemeral_ellswift"), EllSwiftEcdh.Role.INITIATOR));
        assertArrayEquals(hex("ecdh_es"), ecdh.sharedSecret(key("responder_static").secret(),
            hex("responder_static_ellswift"), hex("initiator_ephemeral_ellswift"), EllSwiftEcdh.Role.RESPONDER));
    }

    @ParameterizedTest
    @MethodSource("org.bitcoincommons.sv2.crypto.TestBackends#names")
    void handshakeAndTransportReproduceTheVector(final String backendName) throws Exception
    {
        final EcBackend backend = TestBackends.get(backendName);
        final InstantSource clock = InstantSource.fixed(Instant.ofEpochSecond(v.get("cert_valid_from").asLong()));
        final byte[] aux = hex("schnorr_aux_rand");
        final NoiseInitiator initiator = new NoiseInitiator(SchnorrPublicKey.of(hex("authority_pub_xonly")),
            new FixedHandshakeRandom(aux, key("initiator_ephemeral")), clock, backend);
        final NoiseResponder responder = new NoiseResponder(SchnorrKeyPair.of(hex("authority_priv")),
            v.get("cert_not_valid_after").asLong() - v.get("cert_valid_from").asLong(),
            new FixedHandshakeRandom(aux, key("responder_ephemeral"), key("responder_static")), clock, backend);

        final byte[] act1 = new byte[NoiseInitiator.ACT1_LENGTH];
        initiator.writeAct1(act1, 0);
        assertArrayEquals(hex("act1(64B)"), act1);

        final byte[] act2 = new byte[NoiseInitiator.ACT2_LENGTH];
        assertEquals(234, act2.length);
        final TransportCipher server = responder.readAct1WriteAct2(act1, 0, act2, 0);
        assertArrayEquals(hex("act2(234B)"), act2);

        final TransportCipher client = initiator.readAct2(act2, 0);
        assertArrayEquals(hex("responder_static_xonly"), initiator.serverStaticXOnly());
        assertArrayEquals(hex("signature_noise_message(74B)"), initiator.certificate());

        for (final byte[] h : new byte[][] {initiator.handshakeHash(), responder.handshakeHash()})
        {
            assertArrayEquals(hex("h_final"), h);
        }
        for (final byte[] ck : new byte[][] {initiator.chainingKey(), responder.chainingKey()})
        {
            assertArrayEquals(hex("ck_final"), ck);
        }
        assertArrayEquals(hex("transport_k1(initiator->responder)"), client.sender().key());
        assertArrayEquals(hex("transport_k1(initiator->responder)"), server.receiver().key());
        assertArrayEquals(hex("transport_k2(responder->initiator)"), client.receiver().key());
        assertArrayEquals(hex("transport_k2(responder->initiator)"), server.sender().key());

        checkMessage(client, server, "msg1_plain_header", "msg1_plain_payload(SetupConnection)",
            "msg1_wire(enc_header22||enc_payload)");
        checkMessage(server, client, "msg2_plain_header", "msg2_plain_payload(SetupConnection.Success)", "msg2_wire");
    }

    /** The vector's transport messages through ciphers built from its keys, on each AEAD implementation. */
    @ParameterizedTest
    @EnumSource(AeadImpl.class)
    void transportMessagesOnEachAeadImpl(final AeadImpl impl) throws Exception
    {
        assumeTrue(impl.available(), "native library absent");
        final byte[] k1 = hex("transport_k1(initiator->responder)");
        final byte[] k2 = hex("transport_k2(responder->initiator)");
        final TransportCipher client = TransportCiphers.of(k1, k2, impl);
        final TransportCipher server = TransportCiphers.of(k2, k1, impl);
        checkMessage(client, server, "msg1_plain_header", "msg1_plain_payload(SetupConnection)",
            "msg1_wire(enc_header22||enc_payload)");
        checkMessage(server, client, "msg2_plain_header", "msg2_plain_payload(SetupConnection.Success)", "msg2_wire");
    }

    private void checkMessage(
        final TransportCipher from, final TransportCipher to, final String header, final String payload,
        final String wireField) throws NoiseException
    {
        final byte[] frame = concat(hex(header), hex(payload));
        final byte[] wire = new byte[TransportCipher.ENCRYPTED_HEADER_LENGTH
            + TransportCipher.encryptedPayloadLength(frame.length - 6)];
        assertEquals(wire.length, from.encryptFrame(frame, 0, frame.length, wire, 0));
        assertArrayEquals(hex(wireField), wire);

        final byte[] plain = new byte[frame.length];
        to.decryptHeader(wire, 0, plain, 0);
        to.decryptPayload(wire, TransportCipher.ENCRYPTED_HEADER_LENGTH, frame.length - 6, plain, 6);
        assertArrayEquals(frame, plain);
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
