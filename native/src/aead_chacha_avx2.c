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
