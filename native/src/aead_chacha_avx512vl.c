/* ChaCha20, two blocks per call, AVX2 rows with the AVX-512VL 32-bit rotate (one instruction each). */
#define KERNEL_NAME sv2_chacha2_avx512vl

#define ROTL16(x) _mm256_rol_epi32((x), 16)
#define ROTL12(x) _mm256_rol_epi32((x), 12)
#define ROTL8(x) _mm256_rol_epi32((x), 8)
#define ROTL7(x) _mm256_rol_epi32((x), 7)

#include "aead_chacha_x2.inc"
