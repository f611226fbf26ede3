/* ChaCha20, two blocks per call, AVX2 rows with the AVX-512VL 32-bit rotate (one instruction each). */
#define KERNEL_NAME sv2_chacha2_avx512vl

#define ROTL16(x) _mm256_rol_epi32((x), 16)
#define ROTL12(x) _mm256_rol_epi32((x), 12)
#define ROTL8(x) _mm256_rol_epi32((x), 8)
#define ROTL7(x) _mm256_rol_epi32((x), 7)

#define KERNEL4_NAME sv2_chacha4_avx512vl_ymm

#include "aead_chacha_x2.inc"

/*
 * Blocks 0 and 1 of nonces n12 and n12 + 1 in one AVX-512 register set: each 512-bit register holds one state
 * row of all four blocks (128-bit lane i = block i), so the four blocks cost one ChaCha20 latency chain.
 * Diagonalised as in aead_chacha_x2.inc (rows a, c, d move; row b stays).
 */
#define ROTL512(x, n) _mm512_rol_epi32((x), (n))
#define QUARTER_ROWS512(a, b, c, d)                              \
    do                                                           \
    {                                                            \
        a = _mm512_add_epi32(a, b);                              \
        d = ROTL512(_mm512_xor_si512(d, a), 16);                 \
        c = _mm512_add_epi32(c, d);                              \
        b = ROTL512(_mm512_xor_si512(b, c), 12);                 \
        a = _mm512_add_epi32(a, b);                              \
        d = ROTL512(_mm512_xor_si512(d, a), 8);                  \
        c = _mm512_add_epi32(c, d);                              \
        b = ROTL512(_mm512_xor_si512(b, c), 7);                  \
    } while (0)

void sv2_chacha4_avx512(const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t out[256])
{
    const __m512i a0 = _mm512_broadcast_i32x4(
        _mm_setr_epi32((int)SV2_CHACHA_C0, (int)SV2_CHACHA_C1, (int)SV2_CHACHA_C2, (int)SV2_CHACHA_C3));
    const __m512i b0 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)k));
    const __m512i c0 = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(k + 4)));
    const uint64_t next = n12 + 1;
    const int w13 = (int)n0;
    const int w14 = (int)(uint32_t)n12, w15 = (int)(uint32_t)(n12 >> 32);
    const int v14 = (int)(uint32_t)next, v15 = (int)(uint32_t)(next >> 32);
    const __m512i d0 = _mm512_setr_epi32(0, w13, w14, w15, 1, w13, w14, w15, 0, w13, v14, v15, 1, w13, v14, v15);

    __m512i a = a0, b = b0, c = c0, d = d0;
    for (int i = 0; i < 10; i++)
    {
        QUARTER_ROWS512(a, b, c, d);
        a = _mm512_shuffle_epi32(a, (_MM_PERM_ENUM)0x93);
        c = _mm512_shuffle_epi32(c, (_MM_PERM_ENUM)0x39);
        d = _mm512_shuffle_epi32(d, (_MM_PERM_ENUM)0x4e);
        QUARTER_ROWS512(a, b, c, d);
        a = _mm512_shuffle_epi32(a, (_MM_PERM_ENUM)0x39);
        c = _mm512_shuffle_epi32(c, (_MM_PERM_ENUM)0x93);
        d = _mm512_shuffle_epi32(d, (_MM_PERM_ENUM)0x4e);
    }
    a = _mm512_add_epi32(a, a0);
    b = _mm512_add_epi32(b, b0);
    c = _mm512_add_epi32(c, c0);
    d = _mm512_add_epi32(d, d0);

    /* Transpose 4 x 4 lanes: block i is lane i of a, b, c, d. */
    const __m512i ab01 = _mm512_shuffle_i64x2(a, b, 0x44), cd01 = _mm512_shuffle_i64x2(c, d, 0x44);
    const __m512i ab23 = _mm512_shuffle_i64x2(a, b, 0xee), cd23 = _mm512_shuffle_i64x2(c, d, 0xee);
    _mm512_storeu_si512((void *)out, _mm512_shuffle_i64x2(ab01, cd01, 0x88));
    _mm512_storeu_si512((void *)(out + 64), _mm512_shuffle_i64x2(ab01, cd01, 0xdd));
    _mm512_storeu_si512((void *)(out + 128), _mm512_shuffle_i64x2(ab23, cd23, 0x88));
    _mm512_storeu_si512((void *)(out + 192), _mm512_shuffle_i64x2(ab23, cd23, 0xdd));
}
