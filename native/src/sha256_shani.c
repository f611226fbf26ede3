/*
 * SHA-256d with the x86 SHA extensions (SHA-NI), 1, 2 or 4 independent streams interleaved so that
 * one stream's sha256rnds2 latency is hidden behind the others'.
 *
 * State is kept in the SHA-NI register layout: abef = {f, e, b, a} and cdgh = {h, g, d, c}
 * (lane 0 first). Message words are loaded big-endian into lanes {w0, w1, w2, w3}.
 * Compiled with -msha -msse4.1 -mssse3; only called after CPUID reported SHA-NI.
 */
#include <immintrin.h>
#include "internal.h"

#define INLINE static inline __attribute__((always_inline))

INLINE __m128i bswap_words(__m128i x)
{
    const __m128i mask = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    return _mm_shuffle_epi8(x, mask);
}

INLINE __m128i load_be(const uint8_t *p)
{
    return bswap_words(_mm_loadu_si128((const __m128i *)p));
}

/* {a,b,c,d},{e,f,g,h} -> abef, cdgh */
INLINE void to_shani(__m128i s0, __m128i s1, __m128i *abef, __m128i *cdgh)
{
    const __m128i badc = _mm_shuffle_epi32(s0, 0xB1);
    const __m128i hgfe = _mm_shuffle_epi32(s1, 0x1B);
    *abef = _mm_alignr_epi8(badc, hgfe, 8);
    *cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);
}

/* abef, cdgh -> {a,b,c,d},{e,f,g,h} */
INLINE void from_shani(__m128i abef, __m128i cdgh, __m128i *s0, __m128i *s1)
{
    const __m128i abef_n = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xB1);
    *s0 = _mm_blend_epi16(abef_n, ghcd, 0xF0);
    *s1 = _mm_alignr_epi8(ghcd, abef_n, 8);
}

/* One compression of n streams; m[s] holds the 16 message words of stream s and is consumed. */
INLINE void compress_n(const int n, __m128i *abef, __m128i *cdgh, __m128i m[][4])
{
    __m128i sa[4], sc[4];
    for (int s = 0; s < n; s++)
    {
        sa[s] = abef[s];
        sc[s] = cdgh[s];
    }
#pragma GCC unroll 16
    for (int g = 0; g < 16; g++)
    {
        const __m128i k = _mm_load_si128((const __m128i *)&sv2_k256[4 * g]);
        for (int s = 0; s < n; s++)
        {
            __m128i w;
            if (g < 4)
            {
                w = m[s][g];
            }
            else
            {
                const __m128i w7 = _mm_alignr_epi8(m[s][(g + 3) & 3], m[s][(g + 2) & 3], 4);
                w = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(m[s][g & 3], m[s][(g + 1) & 3]), w7),
                                         m[s][(g + 3) & 3]);
                m[s][g & 3] = w;
            }
            const __m128i wk = _mm_add_epi32(w, k);
            sc[s] = _mm_sha256rnds2_epu32(sc[s], sa[s], wk);
            sa[s] = _mm_sha256rnds2_epu32(sa[s], sc[s], _mm_shuffle_epi32(wk, 0x0E));
        }
    }
    for (int s = 0; s < n; s++)
    {
        abef[s] = _mm_add_epi32(abef[s], sa[s]);
        cdgh[s] = _mm_add_epi32(cdgh[s], sc[s]);
    }
}

INLINE void iv_shani(__m128i *abef, __m128i *cdgh)
{
    to_shani(_mm_load_si128((const __m128i *)&sv2_iv256[0]), _mm_load_si128((const __m128i *)&sv2_iv256[4]),
             abef, cdgh);
}

/* Second SHA-256 of n first digests (in SHA-NI layout); leaves the final states in abef/cdgh. */
INLINE void second_n(const int n, __m128i *abef, __m128i *cdgh)
{
    __m128i m[4][4];
    __m128i iva, ivc;
    iv_shani(&iva, &ivc);
    for (int s = 0; s < n; s++)
    {
        from_shani(abef[s], cdgh[s], &m[s][0], &m[s][1]);
        m[s][2] = _mm_set_epi32(0, 0, 0, (int)0x80000000u);
        m[s][3] = _mm_set_epi32(256, 0, 0, 0);
        abef[s] = iva;
        cdgh[s] = ivc;
    }
    compress_n(n, abef, cdgh, m);
}

/*
 * sha256d of n records at r. mid = 0: records are 80-byte headers. mid = 1: records are 48 bytes, a
 * midstate (8 state words, native order) then the header's last 16 bytes (see sv2hash.h).
 */
INLINE void hash_n(const int n, const int mid, const uint8_t *r, uint8_t *out)
{
    const int stride = mid ? SV2_MID_RECORD_LEN : SV2_HEADER_LEN;
    const int tail = mid ? SV2_MIDSTATE_LEN : 64;
    __m128i abef[4], cdgh[4], m[4][4];
    if (mid)
    {
        for (int s = 0; s < n; s++)
        {
            to_shani(_mm_loadu_si128((const __m128i *)(r + stride * s)),
                     _mm_loadu_si128((const __m128i *)(r + stride * s + 16)), &abef[s], &cdgh[s]);
        }
    }
    else
    {
        for (int s = 0; s < n; s++)
        {
            iv_shani(&abef[s], &cdgh[s]);
            for (int i = 0; i < 4; i++)
            {
                m[s][i] = load_be(r + stride * s + 16 * i);
            }
        }
        compress_n(n, abef, cdgh, m);
    }
    for (int s = 0; s < n; s++)
    {
        m[s][0] = load_be(r + stride * s + tail);
        m[s][1] = _mm_set_epi32(0, 0, 0, (int)0x80000000u);
        m[s][2] = _mm_setzero_si128();
        m[s][3] = _mm_set_epi32(640, 0, 0, 0);
    }
    compress_n(n, abef, cdgh, m);
    second_n(n, abef, cdgh);
    for (int s = 0; s < n; s++)
    {
        __m128i s0, s1;
        from_shani(abef[s], cdgh[s], &s0, &s1);
        _mm_storeu_si128((__m128i *)(out + SV2_HASH_LEN * s), bswap_words(s0));
        _mm_storeu_si128((__m128i *)(out + SV2_HASH_LEN * s + 16), bswap_words(s1));
    }
}

/* Runs groups of up to maxn streams over count records, then smaller groups for the rest. */
INLINE void drive(const int maxn, const int mid, const uint8_t *r, uint32_t count, uint8_t *out)
{
    const uint64_t stride = mid ? SV2_MID_RECORD_LEN : SV2_HEADER_LEN;
    uint32_t i = 0;
    if (maxn >= 4)
    {
        for (; i + 4 <= count; i += 4)
        {
            hash_n(4, mid, r + i * stride, out + (uint64_t)i * SV2_HASH_LEN);
        }
    }
    if (maxn >= 2)
    {
        for (; i + 2 <= count; i += 2)
        {
            hash_n(2, mid, r + i * stride, out + (uint64_t)i * SV2_HASH_LEN);
        }
    }
    for (; i < count; i++)
    {
        hash_n(1, mid, r + i * stride, out + (uint64_t)i * SV2_HASH_LEN);
    }
}

void sv2_hash_shani1(const uint8_t *headers80, uint32_t count, uint8_t *out32)
{
    drive(1, 0, headers80, count, out32);
}

void sv2_hash_shani2(const uint8_t *headers80, uint32_t count, uint8_t *out32)
{
    drive(2, 0, headers80, count, out32);
}

void sv2_hash_shani4(const uint8_t *headers80, uint32_t count, uint8_t *out32)
{
    drive(4, 0, headers80, count, out32);
}

void sv2_mid_shani1(const uint8_t *records48, uint32_t count, uint8_t *out32)
{
    drive(1, 1, records48, count, out32);
}

void sv2_mid_shani2(const uint8_t *records48, uint32_t count, uint8_t *out32)
{
    drive(2, 1, records48, count, out32);
}

void sv2_mid_shani4(const uint8_t *records48, uint32_t count, uint8_t *out32)
{
    drive(4, 1, records48, count, out32);
}

/* Scans n nonces at a time from the midstate: two compressions per nonce. */
INLINE void scan_n(const int n, sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count)
{
    __m128i mid_abef, mid_cdgh;
    to_shani(_mm_loadu_si128((const __m128i *)&ctx->midstate[0]), _mm_loadu_si128((const __m128i *)&ctx->midstate[4]),
             &mid_abef, &mid_cdgh);
    const __m128i tail = _mm_set_epi32(0, (int)ctx->tail[2], (int)ctx->tail[1], (int)ctx->tail[0]);
    const uint32_t top = ctx->target_top;
    uint32_t done = 0;
    while (done < count)
    {
        const uint32_t left = count - done;
        const int lanes = left < (uint32_t)n ? (int)left : n;
        __m128i abef[4], cdgh[4], m[4][4];
        for (int s = 0; s < n; s++)
        {
            abef[s] = mid_abef;
            cdgh[s] = mid_cdgh;
            m[s][0] = _mm_insert_epi32(tail, (int)__builtin_bswap32(nonce_start + done + (uint32_t)s), 3);
            m[s][1] = _mm_set_epi32(0, 0, 0, (int)0x80000000u);
            m[s][2] = _mm_setzero_si128();
            m[s][3] = _mm_set_epi32(640, 0, 0, 0);
        }
        compress_n(n, abef, cdgh, m);
        second_n(n, abef, cdgh);
        for (int s = 0; s < lanes; s++)
        {
            /* cdgh lane 0 is h, the last digest word; bytes 28..31 of the hash as LE uint32. */
            const uint32_t h7 = __builtin_bswap32((uint32_t)_mm_cvtsi128_si32(cdgh[s]));
            if (h7 <= top && sv2_scan_candidate(ctx, nonce_start + done + (uint32_t)s))
            {
                return;
            }
        }
        done += (uint32_t)lanes;
    }
}

void sv2_scan_shani1(sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count)
{
    scan_n(1, ctx, nonce_start, count);
}

void sv2_scan_shani2(sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count)
{
    scan_n(2, ctx, nonce_start, count);
}

void sv2_scan_shani4(sv2_scan_ctx *ctx, uint32_t nonce_start, uint32_t count)
{
    scan_n(4, ctx, nonce_start, count);
}

uint32_t sv2_shani_limit_impl(uint64_t iterations)
{
    __m128i abef, cdgh;
    iv_shani(&abef, &cdgh);
    /* Like hashing one long message: a fixed block, each compression chained on the last state. */
    const __m128i block = _mm_set_epi32(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c);
    __m128i m[1][4];
    for (uint64_t i = 0; i < iterations; i++)
    {
        m[0][0] = block;
        m[0][1] = _mm_add_epi32(block, block);
        m[0][2] = _mm_xor_si128(block, _mm_set1_epi32(0x5a5a5a5a));
        m[0][3] = _mm_set1_epi32((int)i);
        compress_n(1, &abef, &cdgh, m);
    }
    return (uint32_t)_mm_cvtsi128_si32(abef);
}

/* One SHA-256 compression of a 64-byte block into state (a..h), for the secp256k1 code's hashes. */
void sv2_compress_block_shani(uint32_t state[8], const uint8_t block[64])
{
    __m128i s0 = _mm_loadu_si128((const __m128i *)state);
    __m128i s1 = _mm_loadu_si128((const __m128i *)(state + 4));
    __m128i abef, cdgh;
    to_shani(s0, s1, &abef, &cdgh);
    __m128i m[1][4];
    for (int i = 0; i < 4; i++)
    {
        m[0][i] = load_be(block + 16 * i);
    }
    compress_n(1, &abef, &cdgh, m);
    from_shani(abef, cdgh, &s0, &s1);
    _mm_storeu_si128((__m128i *)state, s0);
    _mm_storeu_si128((__m128i *)(state + 4), s1);
}

/* Four independent compressions, interleaved: states[s] (a..h) += compression of blocks[s]. */
void sv2_compress4_shani(uint32_t states[4][8], const uint8_t *const blocks[4])
{
    __m128i abef[4], cdgh[4], m[4][4];
    for (int s = 0; s < 4; s++)
    {
        to_shani(_mm_loadu_si128((const __m128i *)states[s]), _mm_loadu_si128((const __m128i *)(states[s] + 4)),
                 &abef[s], &cdgh[s]);
        for (int i = 0; i < 4; i++)
        {
            m[s][i] = load_be(blocks[s] + 16 * i);
        }
    }
    compress_n(4, abef, cdgh, m);
    for (int s = 0; s < 4; s++)
    {
        __m128i s0, s1;
        from_shani(abef[s], cdgh[s], &s0, &s1);
        _mm_storeu_si128((__m128i *)states[s], s0);
        _mm_storeu_si128((__m128i *)(states[s] + 4), s1);
    }
}
