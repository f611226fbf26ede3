/* ChaCha20, two blocks per call, AVX2 rows with the AVX-512VL 32-bit rotate (one instruction each). */
#define KERNEL_NAME sv2_chacha2_avx512vl

#define ROTL16(x) _mm256_rol_epi32((x), 16)
#define ROTL12(x) _mm256_rol_epi32((x), 12)
#define ROTL8(x) _mm256_rol_epi32((x), 8)
#define ROTL7(x) _mm256_rol_epi32((x), 7)

#include "aead_chacha_x2.inc"

/*
 * Blocks 0 and 1 of nonces n12 .. n12 + 3 in two AVX-512 register sets: each 512-bit register holds one state row
 * of four blocks (128-bit lane i = block i), the first set for nonces n12 and n12 + 1, the second for n12 + 2 and
 * n12 + 3. The two sets are independent and interleave, so eight blocks cost little more than one ChaCha20
 * latency chain. Diagonalised as in aead_chacha_x2.inc (rows a, c, d move; row b stays).
 */
#define QUARTER_ROWS512(a, b, c, d)                              \
    do                                                           \
    {                                                            \
        a = _mm512_add_epi32(a, b);                              \
        d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 16);        \
        c = _mm512_add_epi32(c, d);                              \
        b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 12);        \
        a = _mm512_add_epi32(a, b);                              \
        d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 8);         \
        c = _mm512_add_epi32(c, d);                              \
        b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 7);         \
    } while (0)

#define DOUBLE_ROUND512(a, b, c, d)                              \
    do                                                           \
    {                                                            \
        QUARTER_ROWS512(a, b, c, d);                             \
        a = _mm512_shuffle_epi32(a, (_MM_PERM_ENUM)0x93);        \
        c = _mm512_shuffle_epi32(c, (_MM_PERM_ENUM)0x39);        \
        d = _mm512_shuffle_epi32(d, (_MM_PERM_ENUM)0x4e);        \
        QUARTER_ROWS512(a, b, c, d);                             \
        a = _mm512_shuffle_epi32(a, (_MM_PERM_ENUM)0x39);        \
        c = _mm512_shuffle_epi32(c, (_MM_PERM_ENUM)0x93);        \
        d = _mm512_shuffle_epi32(d, (_MM_PERM_ENUM)0x4e);        \
    } while (0)

/* Row d of blocks 0 and 1 of nonces first and first + 1. */
static inline __m512i row_d4(uint32_t n0, uint64_t first)
{
    const uint64_t second = first + 1;
    const int w13 = (int)n0;
    const int w14 = (int)(uint32_t)first, w15 = (int)(uint32_t)(first >> 32);
    const int v14 = (int)(uint32_t)second, v15 = (int)(uint32_t)(second >> 32);
    return _mm512_setr_epi32(0, w13, w14, w15, 1, w13, w14, w15, 0, w13, v14, v15, 1, w13, v14, v15);
}

/* Transpose 4 x 4 lanes: block i is lane i of a, b, c, d; the four blocks go to out[0..255]. */
static inline void store4(uint8_t *out, __m512i a, __m512i b, __m512i c, __m512i d)
{
    const __m512i ab01 = _mm512_shuffle_i64x2(a, b, 0x44), cd01 = _mm512_shuffle_i64x2(c, d, 0x44);
    const __m512i ab23 = _mm512_shuffle_i64x2(a, b, 0xee), cd23 = _mm512_shuffle_i64x2(c, d, 0xee);
    _mm512_storeu_si512((void *)out, _mm512_shuffle_i64x2(ab01, cd01, 0x88));
    _mm512_storeu_si512((void *)(out + 64), _mm512_shuffle_i64x2(ab01, cd01, 0xdd));
    _mm512_storeu_si512((void *)(out + 128), _mm512_shuffle_i64x2(ab23, cd23, 0x88));
    _mm512_storeu_si512((void *)(out + 192), _mm512_shuffle_i64x2(ab23, cd23, 0xdd));
}

void sv2_chacha8_avx512(const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t out[512])
{
    const __m512i a0 = _mm512_broadcast_i32x4(
        _mm_setr_epi32((int)SV2_CHACHA_C0, (int)SV2_CHACHA_C1, (int)SV2_CHACHA_C2, (int)SV2_CHACHA_C3));
    const __m512i b0 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)k));
    const __m512i c0 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(k + 4)));
    const __m512i d0 = row_d4(n0, n12);
    const __m512i e0 = row_d4(n0, n12 + 2);

    __m512i a = a0, b = b0, c = c0, d = d0;
    __m512i p = a0, q = b0, r = c0, s = e0;
    for (int i = 0; i < 10; i++)
    {
        DOUBLE_ROUND512(a, b, c, d);
        DOUBLE_ROUND512(p, q, r, s);
    }
    store4(out, _mm512_add_epi32(a, a0), _mm512_add_epi32(b, b0), _mm512_add_epi32(c, c0), _mm512_add_epi32(d, d0));
    store4(out + 256, _mm512_add_epi32(p, a0), _mm512_add_epi32(q, b0), _mm512_add_epi32(r, c0),
           _mm512_add_epi32(s, e0));
}
