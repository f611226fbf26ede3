/*
 * sv2ec: the secp256k1 work of the SV2 Noise NX handshake (BIP324 ElligatorSwift x-only ECDH, BIP340 Schnorr),
 * built into libsv2hash.so next to the share-hashing kernels.
 *
 * Conventions
 *   Every scalar, field element and coordinate is 32 bytes big-endian (as in BIP340 / BIP324).
 *   Secret scalars must be in [1, n); a function given 0 or a value >= n returns 0 and writes nothing useful.
 *   Every function returns 1 on success and 0 on invalid input; none aborts. All are thread-safe and allocate
 *   nothing; the generator table is built once, on first use (about 1 ms).
 *
 * Side channels: work on secret scalars (key generation, ECDH, signing) runs a fixed sequence of doublings and
 * additions with table lookups by full scan and masked negation, as the engine's pure-Java code does. Still data
 * dependent there, also as in Java: the exceptional cases of the addition formulas (negligible probability for
 * random secrets). Work on public data only (decoding a peer's encoding, verification, the ElligatorSwift encoder's
 * retries, which depend on fresh randomness and the public key) may take variable time.
 */
#ifndef SV2EC_H
#define SV2EC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SV2_API
#define SV2_API __attribute__((visibility("default")))
#endif

/* Version of this C API; bumped on any incompatible change. */
SV2_API int32_t sv2_ec_api_version(void);

/* The code path in use: 1 for the x86-64-v3 build (BMI2, AVX2), 0 for baseline x86-64. */
SV2_API int32_t sv2_ec_variant(void);

/* Test hook: 0 forces the baseline build, any other value follows the CPU again; returns sv2_ec_variant().
 * Both builds give the same results, so switching while other threads call in is harmless. */
SV2_API int32_t sv2_ec_select_variant(int32_t variant);

/* Test hook for the field arithmetic mod p: out = op(a, b) reduced to the canonical value.
 * op: 0 a*b, 1 a^2, 2 a+b, 3 a-b, 4 1/a (0 for 0), 5 sqrt(a) (returns 0 if a is not a square),
 *     6 is a a square (returns 1/0, out untouched; Jacobi symbol), 7 -a, 8 1/a by exponentiation (4 is safegcd). Inputs may be any 256-bit value (reduced mod p). */
SV2_API int32_t sv2_ec_field_op(int32_t op, uint8_t out[32], const uint8_t a[32], const uint8_t b[32]);

/* (x, y) of seckey * G. */
SV2_API int32_t sv2_ec_pubkey(uint8_t x_out[32], uint8_t y_out[32], const uint8_t seckey[32]);

/* (x, y) of k * P for a point P = (px, py) on the curve and any k < 2^256 (taken mod n); 0 if P is not on the
 * curve or the result is infinity. */
SV2_API int32_t sv2_ec_mul(uint8_t x_out[32], uint8_t y_out[32], const uint8_t px[32], const uint8_t py[32],
                           const uint8_t k[32]);

/* BIP324 xswiftec(u, t): the x-coordinate encoded by 64 bytes u || t. Every encoding decodes. */
SV2_API int32_t sv2_ec_ellswift_decode(uint8_t x_out[32], const uint8_t enc64[64]);

/* BIP324 xswiftec_inv(x, u, c) for c in 0..7: t with xswiftec(u, t) = x; 0 when this case has no solution
 * (or x is not on the curve, or u or x >= p). */
SV2_API int32_t sv2_ec_xswiftec_inv(uint8_t t_out[32], const uint8_t x[32], const uint8_t u[32], int32_t c);

/* A random encoding of the curve x-coordinate x, with u and the case drawn from SHA-256(rnd32 || counter). */
SV2_API int32_t sv2_ec_ellswift_encode(uint8_t enc64_out[64], const uint8_t x[32], const uint8_t rnd32[32]);

/* Key generation: x_out = x(seckey * G) and enc64_out a random encoding of it (as sv2_ec_ellswift_encode). */
SV2_API int32_t sv2_ec_ellswift_keygen(uint8_t enc64_out[64], uint8_t x_out[32], const uint8_t seckey[32],
                                       const uint8_t rnd32[32]);

/* x-only ECDH: x_out = x(seckey * lift_x(xswiftec(enc64))); peer_x_out (may be NULL) receives the decoded x. */
SV2_API int32_t sv2_ec_ellswift_ecdh(uint8_t x_out[32], uint8_t peer_x_out[32], const uint8_t enc64[64],
                                     const uint8_t seckey[32]);

/* Two x-only ECDHs of two secrets against one encoding, sharing its decoding, table and one inversion. */
SV2_API int32_t sv2_ec_ellswift_ecdh2(uint8_t xa_out[32], uint8_t xb_out[32], const uint8_t enc64[64],
                                      const uint8_t seckey_a[32], const uint8_t seckey_b[32]);

/* BIP340 signature of msg[0, len) by the secret d whose point d * G = (px, even y): the caller passes the secret
 * already negated for an odd-y key, and its x-only public key px. */
SV2_API int32_t sv2_ec_schnorr_sign(uint8_t sig64_out[64], const uint8_t *msg, size_t len, const uint8_t d[32],
                                    const uint8_t px[32], const uint8_t aux32[32]);

/* BIP340 verification. table is NULL, or the table of px made by sv2_ec_pubkey_table (faster). The generator's
 * verification table (about 330 KB) is built on the first call. */
SV2_API int32_t sv2_ec_schnorr_verify(const uint8_t sig64[64], const uint8_t *msg, size_t len,
                                      const uint8_t px[32], const void *table);

/* Bytes of a per-key verification table (33 x 128 affine points, about 330 KB). */
SV2_API int64_t sv2_ec_pubkey_table_size(void);

/* Fills table (sv2_ec_pubkey_table_size() bytes, 8-byte aligned) for the x-only key px, in a few ms; 0 if px is
 * not a key. */
SV2_API int32_t sv2_ec_pubkey_table(void *table, const uint8_t px[32]);

#ifdef __cplusplus
}
#endif

#endif
