/* ChaCha20, two blocks per call, AVX2: 16- and 8-bit rotates as byte shuffles, 12 and 7 as shifts. */
#define KERNEL_NAME sv2_chacha2_avx2

#define ROT16_MASK _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, \
                                    2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)
#define ROT8_MASK _mm256_setr_epi8(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14, \
                                   3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14)
#define ROTL16(x) _mm256_shuffle_epi8((x), ROT16_MASK)
#define ROTL8(x) _mm256_shuffle_epi8((x), ROT8_MASK)
#define ROTL12(x) _mm256_or_si256(_mm256_slli_epi32((x), 12), _mm256_srli_epi32((x), 20))
#define ROTL7(x) _mm256_or_si256(_mm256_slli_epi32((x), 7), _mm256_srli_epi32((x), 25))

#define KERNEL4_NAME sv2_chacha4_avx2

#include "aead_chacha_x2.inc"

/* Four nonces: two calls of the two-nonce kernel (16 ymm registers do not hold four interleaved sets). */
void sv2_chacha8_avx2(const uint32_t k[8], uint32_t n0, uint64_t n12, uint8_t out[512])
{
    sv2_chacha4_avx2(k, n0, n12, out);
    sv2_chacha4_avx2(k, n0, n12 + 2, out + 256);
}
