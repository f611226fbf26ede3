/**
 * The cryptographic primitives under Noise NX: secp256k1 (field, group, GLV and comb multiplication), ElligatorSwift
 * and BIP324 x-only ECDH, BIP340 Schnorr, SHA-256 / HMAC / HKDF and ChaCha20-Poly1305; each in pure Java with a
 * native implementation (libsv2hash through FFM) chosen once per JVM ({@code -Dsv2.ec.impl}, {@code -Dsv2.aead.impl}).
 * Knows nothing of Noise or SV2.
 */
package org.bitcoincommons.sv2.crypto;
