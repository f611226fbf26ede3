/* 8-lane AVX2 SHA-256d. Compiled with -mavx2. */
#include <immintrin.h>
#include "internal.h"

typedef __m256i V;
#define LANES 8
#define FN(name) sv2_##name##_avx2
#define V_SET1(x) _mm256_set1_epi32((int)(x))
#define V_ADD(a, b) _mm256_add_epi32((a), (b))
#define V_ROR(x, n) _mm256_or_si256(_mm256_srli_epi32((x), (n)), _mm256_slli_epi32((x), 32 - (n)))
#define V_SHR(x, n) _mm256_srli_epi32((x), (n))
#define V_XOR3(a, b, c) _mm256_xor_si256(_mm256_xor_si256((a), (b)), (c))
#define V_CH(e, f, g) _mm256_xor_si256((g), _mm256_and_si256((e), _mm256_xor_si256((f), (g))))
#define V_MAJ(a, b, c) _mm256_or_si256(_mm256_and_si256((a), (b)), _mm256_and_si256((c), _mm256_or_si256((a), (b))))
#define V_LANE_INDEX _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0)
#define V_GATHER(base, index) _mm256_i32gather_epi32((const int *)(base), (index), 1)

static inline __attribute__((always_inline)) V V_BSWAP(V x)
{
    const __m256i mask = _mm256_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3,
                                         12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    return _mm256_shuffle_epi8(x, mask);
}

static inline __attribute__((always_inline)) uint32_t V_LE_MASK(V x, V top)
{
    const V le = _mm256_cmpeq_epi32(_mm256_min_epu32(x, top), x);
    return (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(le));
}

static inline __attribute__((always_inline)) void V_STORE_DIGESTS(uint8_t *out, const V h[8])
{
    uint32_t words[8][LANES] __attribute__((aligned(32)));
    for (int j = 0; j < 8; j++)
    {
        _mm256_store_si256((__m256i *)words[j], V_BSWAP(h[j]));
    }
    for (int lane = 0; lane < LANES; lane++)
    {
        for (int j = 0; j < 8; j++)
        {
            memcpy(out + SV2_HASH_LEN * lane + 4 * j, &words[j][lane], 4);
        }
    }
}

#include "sha256_lanes.inc"
