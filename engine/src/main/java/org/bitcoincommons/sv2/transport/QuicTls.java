package org.bitcoincommons.sv2.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The pool's QUIC TLS identity: an EC P-256 key and a self-signed certificate, in PEM files that are generated on
 * first start and reused afterwards. The certificate is not what miners trust (no WebPKI, no pinning): the SV2 Noise
 * handshake on the control stream binds {@link #fingerprint} to the pool's authority key (see the README, "SV2 over
 * QUIC"). Kwik (agent15) accepts EC keys on secp256r1/384/521 only, hence P-256.
 */
public final class QuicTls
{
    static final String ALIAS = "sv2-quic";
    private static final char[] PASSWORD = "sv2-quic".toCharArray();
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final PrivateKey key;
    private final X509Certificate certificate;

    private QuicTls(final PrivateKey key, final X509Certificate certificate)
    {
        this.key = key;
        this.certificate = certificate;
    }

    /** Loads the key and certificate, or generates and writes both (key file mode 0600) when neither exists. */
    public static QuicTls loadOrCreate(final Path keyPath, final Path certPath) throws IOException
    {
        final boolean haveKey = Files.exists(keyPath);
        final boolean haveCert = Files.exists(certPath);
        if (haveKey != haveCert)
        {
            throw new IOException("QUIC TLS: " + (haveKey ? certPath : keyPath) + " is missing while "
                + (haveKey ? keyPath : certPath) + " exists; remove both to generate a new pair");
        }
        try
        {
            if (haveKey)
            {
                final PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
                    new PKCS8EncodedKeySpec(pemBody(Files.readString(keyPath), "PRIVATE KEY", keyPath)));
                final X509Certificate cert = (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(pemBody(Files.readString(certPath), "CERTIFICATE", certPath)));
                return new QuicTls(key, cert);
            }
            final QuicTls fresh = generate("sv2-pool");
            if (keyPath.toAbsolutePath().getParent() != null)
            {
                Files.createDirectories(keyPath.toAbsolutePath().getParent());
            }
            if (certPath.toAbsolutePath().getParent() != null)
            {
                Files.createDirectories(certPath.toAbsolutePath().getParent());
            }
            Files.writeString(keyPath, pem("PRIVATE KEY", fresh.key.getEncoded()), StandardOpenOption.CREATE_NEW);
            try
            {
                Files.setPosixFilePermissions(keyPath, PosixFilePermissions.fromString("rw-------"));
            }
            catch (final UnsupportedOperationException ignored)
            {
                // not a POSIX file system
            }
            Files.writeString(certPath, pem("CERTIFICATE", fresh.certificate.getEncoded()), StandardOpenOption.CREATE_NEW);
            return fresh;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException("QUIC TLS: cannot load or create the key pair: " + ex.getMessage(), ex);
        }
    }

    /** A fresh in-memory identity (tests, the MITM relay, clients that need none persisted). */
    public static QuicTls generate(final String commonName)
    {
        try
        {
            final KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            final KeyPair pair = g.generateKeyPair();
            final Instant now = Instant.now();
            final X500Name name = new X500Name("CN=" + commonName);
            final JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(VALIDITY)), name, pair.getPublic());
            final X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new QuicTls(pair.getPrivate(), cert);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("QUIC TLS: cannot generate a P-256 certificate: " + ex.getMessage(), ex);
        }
    }

    /** A PKCS12 key store holding the key and certificate under {@link #ALIAS}, for Kwik's server connector. */
    KeyStore keyStore()
    {
        try
        {
            final KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, PASSWORD, new X509Certificate[] {certificate});
            return ks;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("QUIC TLS: cannot build the key store: " + ex.getMessage(), ex);
        }
    }

    static char[] password()
    {
        return PASSWORD.clone();
    }

    public X509Certificate certificate()
    {
        return certificate;
    }

    /** SHA-256 of the certificate's DER encoding: the Noise prologue binding the handshake to this TLS identity. */
    public byte[] fingerprint()
    {
        return fingerprint(certificate);
    }

    public static byte[] fingerprint(final X509Certificate cert)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] pemBody(final String text, final String type, final Path path) throws IOException
    {
        final String begin = "-----BEGIN " + type + "-----";
        final String end = "-----END " + type + "-----";
        final int a = text.indexOf(begin);
        final int z = text.indexOf(end);
        if (a < 0 || z < a)
        {
            throw new IOException("QUIC TLS: " + path + " holds no PEM " + type);
        }
        return Base64.getMimeDecoder().decode(text.substring(a + begin.length(), z));
    }
}
