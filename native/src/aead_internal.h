/* Internal declarations of the ChaCha20-Poly1305 translation units. Not part of the API. */
#ifndef SV2AEAD_INTERNAL_H
#define SV2AEAD_INTERNAL_H

#include <stdint.h>
#include <string.h>

#define SV2_AEAD_HIDDEN __attribute__((visibility("hidden")))

/*
 * A ChaCha20 kernel: the two 64-byte blocks with block counters counter and counter + 1 (RFC 8439
 * section 2.3; the state is constants, key words k[0..7], counter, n0, low and high half of n12),
 * serialized little-endian into out[0..127]. Every AEAD message needs blocks 0 and 1 (Poly1305 key
 * and the first 64 bytes of keystream), so a kernel always makes two.
 */
typedef void (*sv2_chacha2_fn)(const uint32_t k[8], uint32_t counter, uint32_t n0, uint64_t n12, uint8_t out[128]);

/*
 * Blocks 0 and 1 of two consecutive nonces at once: (n0, n12) then (n0, n12 + 1 mod 2^64), serialized into
 * out[0..127] and out[128..255]. The two computations are independent, so a kernel overlaps them and a pair
 * of messages costs little more than one ChaCha20 latency chain.
 */
typedef void (*sv2_chacha4_fn)(const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t out[256]);

/* The same for four consecutive nonces n12 .. n12 + 3 (mod 2^64), 128 bytes each, into out[0..511]. */
typedef void (*sv2_chacha8_fn)(const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t out[512]);

SV2_AEAD_HIDDEN void sv2_chacha4_avx2(const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t out[256]);
SV2_AEAD_HIDDEN void sv2_chacha8_portable(const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t out[512]);
SV2_AEAD_HIDDEN void sv2_chacha8_avx2(const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t out[512]);
SV2_AEAD_HIDDEN void sv2_chacha8_avx512(const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t out[512]);

SV2_AEAD_HIDDEN void sv2_chacha2_portable(const uint32_t k[8], uint32_t counter, uint32_t n0, uint64_t n12,
                                          uint8_t out[128]);
SV2_AEAD_HIDDEN void sv2_chacha2_avx2(const uint32_t k[8], uint32_t counter, uint32_t n0, uint64_t n12,
                                      uint8_t out[128]);
SV2_AEAD_HIDDEN void sv2_chacha2_avx512vl(const uint32_t k[8], uint32_t counter, uint32_t n0, uint64_t n12,
                                          uint8_t out[128]);

/* "expand 32-byte k", RFC 8439 section 2.3. */
#define SV2_CHACHA_C0 0x61707865u
#define SV2_CHACHA_C1 0x3320646eu
#define SV2_CHACHA_C2 0x79622d32u
#define SV2_CHACHA_C3 0x6b206574u

#endif
