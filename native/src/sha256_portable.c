/* Portable SHA-256 compression, the scalar header hash, and the scan helpers every kernel shares. */
#include "internal.h"

const uint32_t sv2_k256[64] __attribute__((aligned(64))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

const uint32_t sv2_iv256[8] __attribute__((aligned(32))) = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

#define BSIG0(x) (ror((x), 2) ^ ror((x), 13) ^ ror((x), 22))
#define BSIG1(x) (ror((x), 6) ^ ror((x), 11) ^ ror((x), 25))
#define SSIG0(x) (ror((x), 7) ^ ror((x), 18) ^ ((x) >> 3))
#define SSIG1(x) (ror((x), 17) ^ ror((x), 19) ^ ((x) >> 10))
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))

void sv2_compress_words(uint32_t state[8], const uint32_t w_in[16])
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
    {
        w[i] = w_in[i];
    }
    for (int i = 16; i < 64; i++)
    {
        w[i] = SSIG1(w[i - 2]) + w[i - 7] + SSIG0(w[i - 15]) + w[i - 16];
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++)
    {
        const uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + sv2_k256[i] + w[i];
        const uint32_t t2 = BSIG0(a) + MAJ(a, b, c);
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

void sv2_compress_block(uint32_t state[8], const uint8_t block[64])
{
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
    {
        w[i] = sv2_rd_be32(block + 4 * i);
    }
    sv2_compress_words(state, w);
}

/* Second SHA-256 of sha256d: one block holding the 32-byte first digest, 0x80, zeros, length 256. */
static void second_hash(const uint32_t first[8], uint32_t out[8])
{
    uint32_t w[16];
    for (int i = 0; i < 8; i++)
    {
        w[i] = first[i];
    }
    w[8] = 0x80000000u;
    for (int i = 9; i < 15; i++)
    {
        w[i] = 0;
    }
    w[15] = 256;
    memcpy(out, sv2_iv256, 32);
    sv2_compress_words(out, w);
}

/* Second block of a header: bytes 64..79, 0x80, zeros, length 640 bits. */
static void header_tail_words(const uint8_t *tail16, uint32_t w[16])
{
    for (int i = 0; i < 4; i++)
    {
        w[i] = sv2_rd_be32(tail16 + 4 * i);
    }
    w[4] = 0x80000000u;
    for (int i = 5; i < 15; i++)
    {
        w[i] = 0;
    }
    w[15] = 640;
}

void sv2_sha256d_header_portable(const uint8_t header[80], uint8_t out[32])
{
    uint32_t st[8];
    uint32_t w[16];
    uint32_t h2[8];
    memcpy(st, sv2_iv256, 32);
    sv2_compress_block(st, header);
    header_tail_words(header + 64, w);
    sv2_compress_words(st, w);
    second_hash(st, h2);
    for (int i = 0; i < 8; i++)
    {
        sv2_wr_be32(out + 4 * i, h2[i]);
    }
}

void sv2_mid_portable(const uint8_t *records48, uint32_t count, uint8_t *out32)
{
    for (uint32_t i = 0; i < count; i++)
    {
        const uint8_t *r = records48 + (uint64_t)i * SV2_MID_RECORD_LEN;
        uint32_t st[8];
        uint32_t w[16];
        uint32_t h2[8];
        memcpy(st, r, SV2_MIDSTATE_LEN);
        header_tail_words(r + SV2_MIDSTATE_LEN, w);
        sv2_compress_words(st, w);
        second_hash(st, h2);
        for (int j = 0; j < 8; j++)
        {
            sv2_wr_be32(out32 + (uint64_t)i * SV2_HASH_LEN + 4 * j, h2[j]);
        }
    }
}

int sv2_meets_target(const uint8_t hash[32], const uint8_t target[32])
{
    for (int i = 31; i >= 0; i--)
    {
        if (hash[i] != target[i])
        {
            return hash[i] < target[i];
        }
    }
    return 1;
}

void sv2_hash_portable(const uint8_t *headers80, uint32_t count, uint8_t *out32)
{
    for (uint32_t i = 0; i < count; i++)
    {
        sv2_sha256d_header_portable(headers80 + (uint64_t)i * SV2_HEADER_LEN, out32 + (uint64_t)i * SV2_HASH_LEN);
    }
}

void sv2_scan_ctx_init(sv2_scan_ctx *ctx, const uint8_t *prefix76, const uint8_t *target, uint32_t *found,
                       uint32_t max_found)
{
    memcpy(ctx->midstate, sv2_iv256, 32);
    sv2_compress_block(ctx->midstate, prefix76);
    for (int i = 0; i < 3; i++)
    {
        ctx->tail[i] = sv2_rd_be32(prefix76 + 64 + 4 * i);
    }
    ctx->target_top = sv2_rd_le32(target + 28);
    ctx->target = target;
    ctx->prefix76 = prefix76;
    ctx->found = found;
    ctx->max_found = max_found;
    ctx->n_found = 0;
}

/* Full sha256d of prefix || nonce from the midstate, compared with the whole target. */
static int scan_full_check(const sv2_scan_ctx *ctx, uint32_t nonce)
{
    uint32_t st[8];
    uint32_t w[16];
    uint32_t h2[8];
    uint8_t hash[32];
    uint8_t tail[16];
    memcpy(tail, ctx->prefix76 + 64, 12);
    memcpy(tail + 12, &nonce, 4);
    memcpy(st, ctx->midstate, 32);
    header_tail_words(tail, w);
    sv2_compress_words(st, w);
    second_hash(st, h2);
    for (int i = 0; i < 8; i++)
    {
        sv2_wr_be32(hash + 4 * i, h2[i]);
    }
    return sv2_meets_target(hash, ctx->target);
}

int sv2_scan_candidate(sv2_scan_ctx *ctx, uint32_t nonce)
{
    if (ctx->n_found >= ctx->max_found)
    {
        return 1;
    }
    if (scan_full_check(ctx, nonce))
    {
        ctx->found[ctx->n_found++] = nonce;
    }
    return ctx->n_found >= ctx->max_found;
}

void sv2_scan_portable(sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count)
{
    uint32_t w[16];
    uint32_t st[8];
    uint32_t h2[8];
    w[0] = ctx->tail[0];
    w[1] = ctx->tail[1];
    w[2] = ctx->tail[2];
    w[4] = 0x80000000u;
    for (int i = 5; i < 15; i++)
    {
        w[i] = 0;
    }
    w[15] = 640;
    for (uint32_t i = 0; i < count; i++)
    {
        const uint32_t nonce = nonce_start + i;
        w[3] = __builtin_bswap32(nonce);
        memcpy(st, ctx->midstate, 32);
        sv2_compress_words(st, w);
        second_hash(st, h2);
        if (__builtin_bswap32(h2[7]) <= ctx->target_top && sv2_scan_candidate(ctx, nonce))
        {
            return;
        }
    }
}
