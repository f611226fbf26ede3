/*
 * sv2hash: the share-hashing kernel of the sv2 engine (SHA-256d of 80-byte Bitcoin block headers).
 *
 * Byte order
 *   headers80   80-byte serialized block headers, laid out back to back (header i at i * 80).
 *   out32       32-byte SHA-256d digests in natural SHA-256 output order ("internal byte order",
 *               the reverse of the hex that block explorers print), digest i at i * 32.
 *   target32le  256-bit unsigned targets, little-endian (byte 31 most significant), the SV2 U256
 *               convention. A hash meets a target when hash (read as LE 256-bit) <= target.
 *   prefix76    the first 76 bytes of a header; the nonce (bytes 76..79, LE uint32) is supplied by
 *               the scanner.
 *
 * Kernels (the SV2_KERNEL_* ids) are the code paths; every call has a "_k" form taking a kernel id
 * and a plain form using the default chosen by CPUID when the library is loaded. Every function is
 * thread-safe and allocates nothing; there is no mutable global state apart from sv2_set_impl().
 */
#ifndef SV2HASH_H
#define SV2HASH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SV2_API __attribute__((visibility("default")))

#define SV2_KERNEL_AUTO      0  /* the CPUID-selected default */
#define SV2_KERNEL_PORTABLE  1  /* plain C, any x86-64 */
#define SV2_KERNEL_SHANI     2  /* SHA-NI, one stream */
#define SV2_KERNEL_SHANI_X2  3  /* SHA-NI, two interleaved streams */
#define SV2_KERNEL_SHANI_X4  4  /* SHA-NI, four interleaved streams */
#define SV2_KERNEL_AVX2      5  /* 8 lanes of AVX2, one header per lane */
#define SV2_KERNEL_AVX512    6  /* 16 lanes of AVX-512F/BW, one header per lane */
#define SV2_KERNEL_COUNT     7

/* Version of this C API; bumped on any incompatible change. */
SV2_API int32_t sv2_api_version(void);

/* Bit mask of the kernels this CPU can run: bit k set means kernel k is usable. */
SV2_API uint32_t sv2_kernels_available(void);

/* Kernel ids chosen at load time for batch hashing and for nonce scanning. */
SV2_API int32_t sv2_kernel_default_hash(void);
SV2_API int32_t sv2_kernel_default_scan(void);

/* Static name of a kernel ("portable", "sha-ni", "sha-ni-x2", "sha-ni-x4", "avx2", "avx512"),
 * or "unknown". */
SV2_API const char *sv2_kernel_name(int32_t kernel);

/* Name of the kernel the plain (non-_k) batch functions use. */
SV2_API const char *sv2_impl_name(void);

/* Forces the kernel used by the plain functions (both batch and scan); SV2_KERNEL_AUTO restores the
 * CPUID choice. Returns 0, or -1 when the CPU cannot run that kernel (nothing changes then). */
SV2_API int32_t sv2_set_impl(int32_t kernel);

/* SHA-256d of count headers into out32. Returns 0, or -1 if the kernel is not available. */
SV2_API int32_t sv2_sha256d_headers_k(int32_t kernel, const uint8_t *headers80, uint32_t count, uint8_t *out32);
SV2_API void sv2_sha256d_headers(const uint8_t *headers80, uint32_t count, uint8_t *out32);

/* Hashes each header and compares it with its own target (targets32le: count * 32 bytes).
 * ok[i] = 1 when hash_i <= target_i, else 0. out32 may be NULL; else the hashes are written there.
 * Returns the number of headers meeting their target, or -1 if the kernel is not available. */
SV2_API int32_t sv2_check_headers_k(int32_t kernel, const uint8_t *headers80, const uint8_t *targets32le,
                                    uint32_t count, uint8_t *ok, uint8_t *out32);
SV2_API uint32_t sv2_check_headers(const uint8_t *headers80, const uint8_t *targets32le, uint32_t count,
                                   uint8_t *ok, uint8_t *out32);

/*
 * Midstate batches. When many headers share their first 64 bytes (one job, version and merkle root),
 * hash those once with sv2_midstate and then pass 48-byte records:
 *   bytes  0..31  the midstate (8 SHA-256 state words in native byte order; treat as opaque)
 *   bytes 32..47  the header's last 16 bytes (merkle root tail, ntime, nbits, nonce)
 * Each record then costs two compressions instead of three. Results match sv2_sha256d_headers.
 */
#define SV2_MIDSTATE_LENGTH 32
#define SV2_MIDSTATE_RECORD_LENGTH 48

/* midstate32 = SHA-256 state after the first 64 bytes of a header (portable code; once per job). */
SV2_API void sv2_midstate(const uint8_t *first64, uint8_t *midstate32);

SV2_API int32_t sv2_sha256d_midstates_k(int32_t kernel, const uint8_t *records48, uint32_t count, uint8_t *out32);
SV2_API void sv2_sha256d_midstates(const uint8_t *records48, uint32_t count, uint8_t *out32);
SV2_API int32_t sv2_check_midstates_k(int32_t kernel, const uint8_t *records48, const uint8_t *targets32le,
                                      uint32_t count, uint8_t *ok, uint8_t *out32);
SV2_API uint32_t sv2_check_midstates(const uint8_t *records48, const uint8_t *targets32le, uint32_t count,
                                     uint8_t *ok, uint8_t *out32);

/*
 * Coinbase batches: shares whose merkle root depends on the miner's extranonce (extended channels).
 * For each share the call finishes the coinbase txid from a precomputed coinbase midstate, folds the
 * job's merkle path, writes the root into the share's header at bytes 36..67, and then hashes every
 * header of the batch, as sv2_sha256d_headers would. The stripped coinbase is
 *   coinbase prefix | channel extranonce prefix | miner extranonce | coinbase suffix
 * and everything up to the miner's extranonce is the same for all shares of one channel and job.
 *
 * Coinbase context: per channel and job, variable length, anywhere in the contexts table (a share
 * names its context by byte offset; many shares may name one context).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  midstate: SHA-256 state after the first `hashed` coinbase    |  0
 *   |  bytes (8 words, native byte order; treat as opaque)  ...     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  hashed: coinbase bytes in the midstate, uint64 LE, a multiple |  32
 *   |  of 64 (0 = the midstate is the SHA-256 IV)                    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  tail length T, uint16 LE (0..63)|  suffix length S, uint16 LE |  40
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  path count P, uint16 LE (0..32) |  zero                       |  44
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  tail: the T coinbase bytes after `hashed` and before the     |  48
 *   |  miner's extranonce; then the suffix (S bytes); then the      |
 *   |  merkle path (P * 32 bytes, leaf level first, internal order) |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Share record: 40 bytes, record i belongs to header i.
 *
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  context offset, uint32 LE; SV2_COINBASE_NONE: header i       |  0
 *   |  already holds its merkle root and is only hashed             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  extranonce length E, uint32 LE (0..32)                        |  4
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  the miner's extranonce (the first E of 32 bytes are used)    |  8
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * txid = SHA-256d(coinbase); each path node n: root = SHA-256d(root | n) (the coinbase is always the
 * leftmost leaf). Roots are written in internal byte order, as a header carries them.
 */
#define SV2_COINBASE_RECORD_LENGTH 40
#define SV2_COINBASE_CONTEXT_HEADER_LENGTH 48
#define SV2_COINBASE_MAX_EXTRANONCE 32
#define SV2_COINBASE_MAX_PATH 32
#define SV2_COINBASE_NONE 0xFFFFFFFFu

/* Writes the merkle roots of the coinbase records into headers80 and then hashes all count headers into
 * out32 (records40: count records; contexts: contexts_length bytes). Returns 0, or -1 if the kernel is
 * not available or a record is impossible (extranonce longer than 32, a context or its tail, suffix or
 * path reaching past contexts_length, T > 63, P > 32, hashed not a multiple of 64): every record is
 * checked before anything is written, so on -1 headers80 and out32 are untouched. */
SV2_API int32_t sv2_sha256d_coinbase_headers_k(int32_t kernel, const uint8_t *contexts, uint64_t contexts_length,
                                               const uint8_t *records40, uint8_t *headers80, uint32_t count,
                                               uint8_t *out32);
SV2_API int32_t sv2_sha256d_coinbase_headers(const uint8_t *contexts, uint64_t contexts_length,
                                             const uint8_t *records40, uint8_t *headers80, uint32_t count,
                                             uint8_t *out32);

/* Miner scan: hashes prefix76 || nonce for nonce = nonce_start, nonce_start + 1, ... (count nonces,
 * wrapping modulo 2^32) using a midstate of the first 64 bytes, and writes the nonces whose hash meets
 * target32le to found, in increasing scan order. Stops as soon as max_found nonces are found (resume
 * from found[max_found - 1] + 1). Returns the number found, or -1 if the kernel is not available. */
SV2_API int32_t sv2_scan_k(int32_t kernel, const uint8_t *prefix76, uint32_t nonce_start, uint32_t count,
                           const uint8_t *target32le, uint32_t *found, uint32_t max_found);
SV2_API uint32_t sv2_scan(const uint8_t *prefix76, uint32_t nonce_start, uint32_t count,
                          const uint8_t *target32le, uint32_t *found, uint32_t max_found);

/* The SHA-NI limit: runs `iterations` single-block SHA-NI compressions, each depending on the one
 * before (one stream, no interleaving), and returns a word of the final state (so the work cannot be
 * elided). Time it to get compressions per second; a header with a midstate costs two. Returns 0 at
 * once when the CPU has no SHA-NI. */
SV2_API uint32_t sv2_shani_limit(uint64_t iterations);

#ifdef __cplusplus
}
#endif

#endif
