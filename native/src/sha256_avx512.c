/* 16-lane AVX-512 SHA-256d (vprord, vpternlogd). Compiled with -mavx512f -mavx512bw -mavx512vl. */
#include <immintrin.h>
#include "internal.h"

typedef __m512i V;
#define LANES 16
#define FN(name) sv2_##name##_avx512
#define V_SET1(x) _mm512_set1_epi32((int)(x))
#define V_ADD(a, b) _mm512_add_epi32((a), (b))
#define V_ROR(x, n) _mm512_ror_epi32((x), (n))
#define V_SHR(x, n) _mm512_srli_epi32((x), (n))
#define V_XOR3(a, b, c) _mm512_ternarylogic_epi32((a), (b), (c), 0x96)
#define V_CH(e, f, g) _mm512_ternarylogic_epi32((e), (f), (g), 0xCA)
#define V_MAJ(a, b, c) _mm512_ternarylogic_epi32((a), (b), (c), 0xE8)
#define V_LANE_INDEX _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define V_GATHER(base, index) _mm512_i32gather_epi32((index), (const void *)(base), 1)
#define V_LE_MASK(x, top) ((uint32_t)_mm512_cmple_epu32_mask((x), (top)))

static inline __attribute__((always_inline)) V V_BSWAP(V x)
{
    const __m512i mask = _mm512_broadcast_i32x4(_mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3));
    return _mm512_shuffle_epi8(x, mask);
}

static inline __attribute__((always_inline)) void V_STORE_DIGESTS(uint8_t *out, const V h[8])
{
    const V index = _mm512_mullo_epi32(V_LANE_INDEX, _mm512_set1_epi32(SV2_HASH_LEN));
    for (int j = 0; j < 8; j++)
    {
        _mm512_i32scatter_epi32((void *)(out + 4 * j), index, V_BSWAP(h[j]), 1);
    }
}

#include "sha256_lanes.inc"
