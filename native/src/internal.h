/* Internal declarations shared by the kernel translation units. Not part of the API. */
#ifndef SV2HASH_INTERNAL_H
#define SV2HASH_INTERNAL_H

#include <stdint.h>
#include <string.h>

#define SV2_HIDDEN __attribute__((visibility("hidden")))
#define SV2_HEADER_LEN 80
#define SV2_HASH_LEN 32
#define SV2_MIDSTATE_LEN 32
#define SV2_MID_RECORD_LEN 48

extern SV2_HIDDEN const uint32_t sv2_k256[64];
extern SV2_HIDDEN const uint32_t sv2_iv256[8];

static inline uint32_t sv2_rd_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline uint32_t sv2_rd_le32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline void sv2_wr_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/*
 * Everything a scan needs that does not depend on the nonce: the midstate after the first 64 bytes,
 * the three big-endian words of the second block before the nonce, and the target. Built once per
 * sv2_scan call by the portable code; the kernels only read it.
 */
typedef struct
{
    uint32_t midstate[8];
    uint32_t tail[3];        /* W0..W2 of the second block (bytes 64..75 read big-endian) */
    uint32_t target_top;     /* bytes 28..31 of the target as LE uint32: the most significant word */
    const uint8_t *target;   /* 32 bytes, LE */
    const uint8_t *prefix76;
    uint32_t *found;
    uint32_t max_found;
    uint32_t n_found;
} sv2_scan_ctx;

/* Portable building blocks (sha256_portable.c). */
SV2_HIDDEN void sv2_compress_words(uint32_t state[8], const uint32_t w_in[16]);
SV2_HIDDEN void sv2_compress_block(uint32_t state[8], const uint8_t block[64]);
SV2_HIDDEN void sv2_sha256d_header_portable(const uint8_t header[80], uint8_t out[32]);
SV2_HIDDEN int sv2_meets_target(const uint8_t hash[32], const uint8_t target[32]);
SV2_HIDDEN void sv2_scan_ctx_init(sv2_scan_ctx *ctx, const uint8_t *prefix76, const uint8_t *target,
                                  uint32_t *found, uint32_t max_found);
/* Verifies a candidate nonce with the full portable hash; records it if it meets the target.
 * Returns 1 when the scan must stop (max_found reached). */
SV2_HIDDEN int sv2_scan_candidate(sv2_scan_ctx *ctx, uint32_t nonce);

/* Kernels. hash: count headers -> count digests. scan: returns when done or max_found reached. */
typedef void (*sv2_hash_fn)(const uint8_t *headers80, uint32_t count, uint8_t *out32);
typedef void (*sv2_scan_fn)(sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count);

SV2_HIDDEN void sv2_mid_portable(const uint8_t *records48, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_mid_shani1(const uint8_t *records48, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_mid_shani2(const uint8_t *records48, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_mid_shani4(const uint8_t *records48, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_mid_avx2(const uint8_t *records48, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_mid_avx512(const uint8_t *records48, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_hash_portable(const uint8_t *headers80, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_scan_portable(sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count);

SV2_HIDDEN void sv2_hash_shani1(const uint8_t *headers80, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_hash_shani2(const uint8_t *headers80, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_hash_shani4(const uint8_t *headers80, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_scan_shani1(sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count);
SV2_HIDDEN void sv2_scan_shani2(sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count);
SV2_HIDDEN void sv2_scan_shani4(sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count);
SV2_HIDDEN uint32_t sv2_shani_limit_impl(uint64_t iterations);
/* One compression with SHA-NI (only after CPUID reported it); same contract as sv2_compress_block. */
SV2_HIDDEN void sv2_compress_block_shani(uint32_t state[8], const uint8_t block[64]);

/* Coinbase batches (coinbase.c). One compression of a 64-byte block onto a state, either kernel's. */
typedef void (*sv2_compress_fn)(uint32_t state[8], const uint8_t block[64]);
/* 1 when every record names a context that lies within contexts_length and is possible, else 0. */
SV2_HIDDEN int sv2_coinbase_records_valid(const uint8_t *contexts, uint64_t contexts_length,
                                          const uint8_t *records40, uint32_t count);
/* Writes the merkle root of every coinbase record into its header (records already validated). */
SV2_HIDDEN void sv2_coinbase_roots(sv2_compress_fn compress, const uint8_t *contexts, const uint8_t *records40,
                                   uint8_t *headers80, uint32_t count);
/* Four independent compressions: states[s] += compression of blocks[s]. */
typedef void (*sv2_compress4_fn)(uint32_t states[4][8], const uint8_t *const blocks[4]);
SV2_HIDDEN void sv2_compress4_shani(uint32_t states[4][8], const uint8_t *const blocks[4]);
SV2_HIDDEN void sv2_compress4_portable(uint32_t states[4][8], const uint8_t *const blocks[4]);
/* Like sv2_coinbase_roots, four shares at a time on compress4 (lanes refilled as shares finish). */
SV2_HIDDEN void sv2_coinbase_roots4(sv2_compress4_fn compress4, const uint8_t *contexts, const uint8_t *records40,
                                    uint8_t *headers80, uint32_t count);

SV2_HIDDEN void sv2_hash_avx2(const uint8_t *headers80, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_scan_avx2(sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count);
SV2_HIDDEN void sv2_hash_avx512(const uint8_t *headers80, uint32_t count, uint8_t *out32);
SV2_HIDDEN void sv2_scan_avx512(sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count);

#endif
