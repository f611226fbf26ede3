package org.bitcoincommons.sv2.noise;

import java.util.Arrays;

import org.bitcoincommons.sv2.crypto.SchnorrPublicKey;

/**
 * The last server certificate whose signature an initiator config has verified, so that the connections of one
 * client to one pool (a proxy's upstream channels, a miner farm behind one process, a reconnect after a failover)
 * verify the authority's BIP340 signature once per certificate instead of once per handshake (~45 us of curve work
 * each). The certificate changes with every static-key rotation, so a hit needs the same authority key object, the
 * same 74 certificate bytes and the same server static key as the verified ones: the signature covers exactly those,
 * so the result of verifying it again could not differ. The validity window is checked on every handshake anyway
 * (it depends on the clock, not on the bytes).
 * <p>
 * Thread-safe: one immutable entry behind a volatile reference, replaced whole by the handshake that verified a new
 * certificate; a handshake that misses (another certificate, or two rotations racing) verifies in full.
 */
final class VerifiedCertificate
{
    private record Entry(SchnorrPublicKey authority, byte[] certificate, byte[] staticXOnly)
    {
    }

    private volatile Entry last;
    private final java.util.concurrent.atomic.AtomicLong hits = new java.util.concurrent.atomic.AtomicLong();

    /** True when {@code certificate} for {@code staticXOnly} was verified against this very {@code authority}. */
    boolean contains(final SchnorrPublicKey authority, final byte[] certificate, final byte[] staticXOnly)
    {
        final Entry e = last;
        final boolean hit = e != null && e.authority == authority && Arrays.equals(e.certificate, certificate) &&
            Arrays.equals(e.staticXOnly, staticXOnly);
        if (hit)
        {
            hits.incrementAndGet();
        }
        return hit;
    }

    /** Records a certificate whose signature has just been verified in full. */
    void remember(final SchnorrPublicKey authority, final byte[] certificate, final byte[] staticXOnly)
    {
        last = new Entry(authority, certificate.clone(), staticXOnly.clone());
    }

    /** Handshakes that skipped the signature because it had been verified before . */
    long hits()
    {
        return hits.get();
    }
}
