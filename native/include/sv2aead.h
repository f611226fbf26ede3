/*
 * sv2aead: ChaCha20-Poly1305 (RFC 8439) for the Noise transport of the sv2 engine, in libsv2hash.so.
 *
 * Nonce   the 96-bit RFC 8439 nonce is given as n0 (its first 4 bytes, a LE uint32) and n12 (its last
 *         8 bytes, a LE uint64). SV2 / Noise uses n0 = 0 and n12 = the message counter.
 * Buffers every buffer is a base pointer plus a byte offset, so that Java can pass whole heap arrays
 *         (FFM critical downcalls) and offsets without slicing. ctx is the 32-byte key, followed (when
 *         a cache is used, cached >= 0) by the cache: SV2_AEAD_CTX_LEN bytes in all.
 *         seal writes len bytes of ciphertext then the 16-byte tag at dst + dst_off.
 *         open reads len bytes (ciphertext then tag) and, only if the tag matches, writes len - 16
 *         bytes of plaintext; on a mismatch dst is not written.
 *         src and dst may be the same buffer at the same offset; dst may also start below src (a
 *         forward in-place copy); any other overlap is undefined.
 * Cache   consecutive messages of a Noise cipher state use consecutive nonces, and the SIMD kernels compute
 *         ChaCha20 blocks 0 and 1 of four nonces in little more than the time of one (independent chains
 *         overlap). So the context after the key holds SV2_AEAD_CACHE_SLOTS slots of 128 bytes: with
 *         cached = i in 1..3, slot i - 1 must hold blocks 0 and 1 of this (key, nonce), put there by an
 *         earlier call, and is used instead of computing them; with cached == 0 the call computes this
 *         nonce's blocks together with those of (n0, n12 + 1), (n0, n12 + 2), (n0, n12 + 3) (mod 2^64) and
 *         stores those in slots 0, 1, 2; with cached == -1 there is no cache (ctx may be just the key).
 *         The caller tracks which nonces the cache holds (and must forget them when the key changes). The
 *         cache is keystream: keep it as secret as the key.
 * Threads every function is thread-safe and allocates nothing; there is no global per-key state.
 */
#ifndef SV2AEAD_H
#define SV2AEAD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SV2_API
#define SV2_API __attribute__((visibility("default")))
#endif

#define SV2_AEAD_KEY_LEN 32
#define SV2_AEAD_TAG_LEN 16
#define SV2_AEAD_CACHE_SLOTS 3
#define SV2_AEAD_CACHE_SLOT_LEN 128
#define SV2_AEAD_CTX_LEN (SV2_AEAD_KEY_LEN + SV2_AEAD_CACHE_SLOTS * SV2_AEAD_CACHE_SLOT_LEN)

#define SV2_AEAD_KERNEL_AUTO     0  /* the CPUID-selected default */
#define SV2_AEAD_KERNEL_PORTABLE 1  /* plain C */
#define SV2_AEAD_KERNEL_AVX2     2  /* two ChaCha20 blocks side by side in AVX2 rows */
#define SV2_AEAD_KERNEL_AVX512VL 3  /* as AVX2 with AVX-512VL rotates; AVX-512F for two nonces at once */
#define SV2_AEAD_KERNEL_COUNT    4

/* Version of this C API; bumped on any incompatible change. */
SV2_API int32_t sv2_aead_api_version(void);

/* Bit mask of the kernels this CPU can run: bit k set means kernel k is usable. */
SV2_API uint32_t sv2_aead_kernels_available(void);

/* Static name of a kernel ("portable", "avx2", "avx512vl"), or "unknown"; AUTO names the one in use. */
SV2_API const char *sv2_aead_kernel_name(int32_t kernel);

/* Forces the kernel used by seal/open; SV2_AEAD_KERNEL_AUTO restores the CPUID choice.
 * Returns 0, or -1 when the CPU cannot run that kernel (nothing changes then). Every kernel gives
 * the same bytes; this exists for tests and benchmarks. */
SV2_API int32_t sv2_aead_use_kernel(int32_t kernel);

/* Encrypts and authenticates; returns len + 16, or -1 on a negative length or offset. */
SV2_API int32_t sv2_aead_seal(
    uint8_t *ctx, int32_t cached, uint32_t n0, uint64_t n12,
    const uint8_t *ad, int32_t ad_off, int32_t ad_len,
    const uint8_t *src, int32_t src_off, int32_t len,
    uint8_t *dst, int32_t dst_off);

/* Verifies and decrypts; returns len - 16, or -1 when the tag does not match, len < 16, or a length
 * or offset is negative. */
SV2_API int32_t sv2_aead_open(
    uint8_t *ctx, int32_t cached, uint32_t n0, uint64_t n12,
    const uint8_t *ad, int32_t ad_off, int32_t ad_len,
    const uint8_t *src, int32_t src_off, int32_t len,
    uint8_t *dst, int32_t dst_off);

#ifdef __cplusplus
}
#endif

#endif
