/*
 * ChaCha20-Poly1305 AEAD, RFC 8439 section 2.8, with the ChaCha20 kernel chosen by CPUID at load time.
 * Poly1305 keeps the accumulator in radix 2^64 (h0, h1 and a small h2 above bit 128) and multiplies
 * with unsigned __int128; the clamping of r makes r1 a multiple of 4, so the parts of h * r at or
 * above 2^130 fold back with the factor 5/4 * r1 (2^130 = 5 mod p).
 */
#include <cpuid.h>
#include "aead_internal.h"
#include "../include/sv2aead.h"

typedef unsigned __int128 u128;

static inline uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline void wr32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static inline void wr64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

/* ---- ChaCha20, portable ------------------------------------------------------------------------ */

#define ROTL32(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d)                          \
    do                                          \
    {                                           \
        a += b; d ^= a; d = ROTL32(d, 16);      \
        c += d; b ^= c; b = ROTL32(b, 12);      \
        a += b; d ^= a; d = ROTL32(d, 8);       \
        c += d; b ^= c; b = ROTL32(b, 7);       \
    } while (0)

static void chacha_block(const uint32_t k[8], uint32_t counter, uint32_t n0, uint64_t n12, uint8_t out[64])
{
    const uint32_t in[16] = {
        SV2_CHACHA_C0, SV2_CHACHA_C1, SV2_CHACHA_C2, SV2_CHACHA_C3,
        k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7],
        counter, n0, (uint32_t)n12, (uint32_t)(n12 >> 32),
    };
    uint32_t x[16];
    memcpy(x, in, sizeof(x));
    for (int i = 0; i < 10; i++)
    {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++)
    {
        wr32(out + 4 * i, x[i] + in[i]);
    }
}

void sv2_chacha2_portable(const uint32_t k[8], uint32_t counter, uint32_t n0, uint64_t n12, uint8_t out[128])
{
    chacha_block(k, counter, n0, n12, out);
    chacha_block(k, counter + 1, n0, n12, out + 64);
}

void sv2_chacha8_portable(const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t out[512])
{
    for (int i = 0; i < 4; i++)
    {
        sv2_chacha2_portable(k, 0, n0, n12 + (uint64_t)i, out + 128 * i);
    }
}

/* ---- Poly1305 ---------------------------------------------------------------------------------- */

typedef struct
{
    uint64_t r0, r1, s1;
    uint64_t h0, h1, h2;
    uint64_t pad0, pad1;
} poly1305;

static inline void poly_init(poly1305 *p, const uint8_t otk[32])
{
    p->r0 = rd64(otk) & 0x0ffffffc0fffffffull;
    p->r1 = rd64(otk + 8) & 0x0ffffffc0ffffffcull;
    p->s1 = p->r1 + (p->r1 >> 2);
    p->h0 = p->h1 = p->h2 = 0;
    p->pad0 = rd64(otk + 16);
    p->pad1 = rd64(otk + 24);
}

/* h = (h + m + hibit * 2^128) * r, partly reduced: afterwards h2 <= 4. */
static inline void poly_block(poly1305 *p, const uint8_t m[16], uint64_t hibit)
{
    u128 t = (u128)p->h0 + rd64(m);
    const uint64_t h0 = (uint64_t)t;
    t = (u128)p->h1 + rd64(m + 8) + (uint64_t)(t >> 64);
    const uint64_t h1 = (uint64_t)t;
    const uint64_t h2 = p->h2 + (uint64_t)(t >> 64) + hibit;

    const u128 d0 = (u128)h0 * p->r0 + (u128)h1 * p->s1;
    u128 d1 = (u128)h0 * p->r1 + (u128)h1 * p->r0 + (u128)h2 * p->s1;
    uint64_t d2 = h2 * p->r0;
    d1 += (uint64_t)(d0 >> 64);
    d2 += (uint64_t)(d1 >> 64);

    /* Everything from bit 130 up, times 5, goes back to the bottom. */
    const uint64_t fold = (d2 & ~(uint64_t)3) + (d2 >> 2);
    t = (u128)(uint64_t)d0 + fold;
    p->h0 = (uint64_t)t;
    t = (u128)(uint64_t)d1 + (uint64_t)(t >> 64);
    p->h1 = (uint64_t)t;
    p->h2 = (d2 & 3) + (uint64_t)(t >> 64);
}

static inline void poly_padded(poly1305 *p, const uint8_t *data, uint32_t len)
{
    uint32_t i = 0;
    for (; i + 16 <= len; i += 16)
    {
        poly_block(p, data + i, 1);
    }
    if (i < len)
    {
        uint8_t last[16] = {0};
        memcpy(last, data + i, len - i);
        poly_block(p, last, 1);
    }
}

/* The tag: h mod p (one conditional subtraction, as h < 2p), plus the pad, mod 2^128. */
static inline void poly_tag(const poly1305 *p, uint64_t tag[2])
{
    u128 t = (u128)p->h0 + 5;
    const uint64_t g0 = (uint64_t)t;
    t = (u128)p->h1 + (uint64_t)(t >> 64);
    const uint64_t g1 = (uint64_t)t;
    const uint64_t g2 = p->h2 + (uint64_t)(t >> 64);
    const uint64_t use_g = 0 - (g2 >> 2);
    const uint64_t h0 = (p->h0 & ~use_g) | (g0 & use_g);
    const uint64_t h1 = (p->h1 & ~use_g) | (g1 & use_g);
    t = (u128)h0 + p->pad0;
    tag[0] = (uint64_t)t;
    tag[1] = h1 + p->pad1 + (uint64_t)(t >> 64);
}

/* ---- kernel choice ----------------------------------------------------------------------------- */

static const sv2_chacha2_fn KERNELS[SV2_AEAD_KERNEL_COUNT] = {
    0, sv2_chacha2_portable, sv2_chacha2_avx2, sv2_chacha2_avx512vl,
};
static const sv2_chacha8_fn KERNELS8[SV2_AEAD_KERNEL_COUNT] = {
    0, sv2_chacha8_portable, sv2_chacha8_avx2, sv2_chacha8_avx512,
};
static const char *const NAMES[SV2_AEAD_KERNEL_COUNT] = {"auto", "portable", "avx2", "avx512vl"};

static uint32_t available = 1u << SV2_AEAD_KERNEL_PORTABLE;
static int32_t default_kernel = SV2_AEAD_KERNEL_PORTABLE;
static volatile int32_t current = SV2_AEAD_KERNEL_PORTABLE;

static uint32_t detect(void)
{
    uint32_t mask = 1u << SV2_AEAD_KERNEL_PORTABLE;
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
    {
        return mask;
    }
    const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx || !__get_cpuid_count(7, 0, &a, &b, &c, &d))
    {
        return mask;
    }
    const int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512vl = (b >> 31) & 1;
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    const uint64_t xcr0 = ((uint64_t)hi << 32) | lo;
    const int ymm = (xcr0 & 0x6) == 0x6;
    const int zmm = ymm && (xcr0 & 0xE0) == 0xE0;
    if (ymm && avx2)
    {
        mask |= 1u << SV2_AEAD_KERNEL_AVX2;
        if (zmm && avx512f && avx512vl)
        {
            mask |= 1u << SV2_AEAD_KERNEL_AVX512VL;
        }
    }
    return mask;
}

__attribute__((constructor)) static void sv2_aead_init(void)
{
    available = detect();
    default_kernel = (available & (1u << SV2_AEAD_KERNEL_AVX512VL)) ? SV2_AEAD_KERNEL_AVX512VL
                   : (available & (1u << SV2_AEAD_KERNEL_AVX2))   ? SV2_AEAD_KERNEL_AVX2
                                                                   : SV2_AEAD_KERNEL_PORTABLE;
    current = default_kernel;
}

int32_t sv2_aead_api_version(void)
{
    return 1;
}

uint32_t sv2_aead_kernels_available(void)
{
    return available;
}

const char *sv2_aead_kernel_name(int32_t kernel)
{
    if (kernel == SV2_AEAD_KERNEL_AUTO)
    {
        return NAMES[current];
    }
    return kernel > 0 && kernel < SV2_AEAD_KERNEL_COUNT ? NAMES[kernel] : "unknown";
}

int32_t sv2_aead_use_kernel(int32_t kernel)
{
    if (kernel == SV2_AEAD_KERNEL_AUTO)
    {
        current = default_kernel;
        return 0;
    }
    if (kernel < 0 || kernel >= SV2_AEAD_KERNEL_COUNT || !(available & (1u << kernel)))
    {
        return -1;
    }
    current = kernel;
    return 0;
}

/* ---- AEAD -------------------------------------------------------------------------------------- */

/*
 * XORs len bytes of keystream into dst, starting with the 64 bytes of block 1 already in ks[64..127]
 * and continuing with blocks 2, 3, ... two at a time. Each piece of src is read before the same piece
 * of dst is written, so src == dst and dst below src both work.
 */
static void xor_stream(sv2_chacha2_fn chacha, const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t ks[128],
                       const uint8_t *src, uint8_t *dst, uint32_t len)
{
    const uint8_t *stream = ks + 64;
    uint32_t avail = 64;
    uint32_t counter = 2;
    uint32_t done = 0;
    while (done < len)
    {
        if (avail == 0)
        {
            chacha(k, counter, n0, n12, ks);
            counter += 2;
            stream = ks;
            avail = 128;
        }
        uint32_t n = len - done < avail ? len - done : avail;
        uint32_t i = 0;
        for (; i + 8 <= n; i += 8)
        {
            wr64(dst + done + i, rd64(src + done + i) ^ rd64(stream + i));
        }
        for (; i < n; i++)
        {
            dst[done + i] = src[done + i] ^ stream[i];
        }
        stream += n;
        avail -= n;
        done += n;
    }
}

/*
 * Blocks 0 and 1 of this message's nonce into ks[0..127]: from cache slot cached - 1 when cached is 1..3,
 * else computed, and then (cached == 0) together with those of the next three nonces, which go to the three
 * cache slots (cached == -1: no cache).
 */
static inline void first_blocks(int32_t kernel, const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t *cache,
                                int32_t cached, uint8_t ks[512])
{
    if (cached < 0)
    {
        KERNELS[kernel](k, 0, n0, n12, ks);
    }
    else if (cached >= 1 && cached <= SV2_AEAD_CACHE_SLOTS)
    {
        memcpy(ks, cache + SV2_AEAD_CACHE_SLOT_LEN * (cached - 1), SV2_AEAD_CACHE_SLOT_LEN);
    }
    else
    {
        KERNELS8[kernel](k, n0, n12, ks);
        memcpy(cache, ks + SV2_AEAD_CACHE_SLOT_LEN, SV2_AEAD_CACHE_SLOTS * SV2_AEAD_CACHE_SLOT_LEN);
    }
}

static inline void load_key(const uint8_t *key, uint32_t k[8])
{
    for (int i = 0; i < 8; i++)
    {
        k[i] = rd32(key + 4 * i);
    }
}

static inline void poly_lengths(poly1305 *p, uint32_t ad_len, uint32_t text_len)
{
    uint8_t lengths[16];
    wr64(lengths, ad_len);
    wr64(lengths + 8, text_len);
    poly_block(p, lengths, 1);
}

int32_t sv2_aead_seal(uint8_t *ctx, int32_t cached, uint32_t n0, uint64_t n12, const uint8_t *ad, int32_t ad_off,
                      int32_t ad_len, const uint8_t *src, int32_t src_off, int32_t len, uint8_t *dst, int32_t dst_off)
{
    if (ad_off < 0 || ad_len < 0 || src_off < 0 || len < 0 || dst_off < 0 || len > INT32_MAX - SV2_AEAD_TAG_LEN)
    {
        return -1;
    }
    const int32_t kernel = current;
    const sv2_chacha2_fn chacha = KERNELS[kernel];
    uint32_t k[8];
    load_key(ctx, k);
    uint8_t ks[512];
    first_blocks(kernel, k, n0, n12, ctx + SV2_AEAD_KEY_LEN, cached, ks);
    poly1305 p;
    poly_init(&p, ks);

    uint8_t *out = dst + dst_off;
    xor_stream(chacha, k, n0, n12, ks, src + src_off, out, (uint32_t)len);
    if (ad_len > 0)
    {
        poly_padded(&p, ad + ad_off, (uint32_t)ad_len);
    }
    poly_padded(&p, out, (uint32_t)len);
    poly_lengths(&p, (uint32_t)ad_len, (uint32_t)len);
    uint64_t tag[2];
    poly_tag(&p, tag);
    wr64(out + len, tag[0]);
    wr64(out + len + 8, tag[1]);
    return len + SV2_AEAD_TAG_LEN;
}

int32_t sv2_aead_open(uint8_t *ctx, int32_t cached, uint32_t n0, uint64_t n12, const uint8_t *ad, int32_t ad_off,
                      int32_t ad_len, const uint8_t *src, int32_t src_off, int32_t len, uint8_t *dst, int32_t dst_off)
{
    if (ad_off < 0 || ad_len < 0 || src_off < 0 || len < SV2_AEAD_TAG_LEN || dst_off < 0)
    {
        return -1;
    }
    const uint32_t text_len = (uint32_t)len - SV2_AEAD_TAG_LEN;
    const int32_t kernel = current;
    const sv2_chacha2_fn chacha = KERNELS[kernel];
    uint32_t k[8];
    load_key(ctx, k);
    uint8_t ks[512];
    first_blocks(kernel, k, n0, n12, ctx + SV2_AEAD_KEY_LEN, cached, ks);
    poly1305 p;
    poly_init(&p, ks);

    const uint8_t *in = src + src_off;
    if (ad_len > 0)
    {
        poly_padded(&p, ad + ad_off, (uint32_t)ad_len);
    }
    poly_padded(&p, in, text_len);
    poly_lengths(&p, (uint32_t)ad_len, text_len);
    uint64_t tag[2];
    poly_tag(&p, tag);
    /* Constant time: no branch until every tag bit has been compared. */
    const uint64_t diff = (tag[0] ^ rd64(in + text_len)) | (tag[1] ^ rd64(in + text_len + 8));
    if (diff != 0)
    {
        return -1;
    }
    xor_stream(chacha, k, n0, n12, ks, in, dst + dst_off, text_len);
    return (int32_t)text_len;
}
