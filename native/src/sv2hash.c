/* The exported API: CPUID detection at load time, kernel tables, argument handling. */
#include <cpuid.h>
#include "internal.h"
#include "../include/sv2hash.h"

static const sv2_hash_fn HASH_KERNELS[SV2_KERNEL_COUNT] = {
    0, sv2_hash_portable, sv2_hash_shani1, sv2_hash_shani2, sv2_hash_shani4, sv2_hash_avx2, sv2_hash_avx512,
};

static const sv2_hash_fn MID_KERNELS[SV2_KERNEL_COUNT] = {
    0, sv2_mid_portable, sv2_mid_shani1, sv2_mid_shani2, sv2_mid_shani4, sv2_mid_avx2, sv2_mid_avx512,
};

static const sv2_scan_fn SCAN_KERNELS[SV2_KERNEL_COUNT] = {
    0, sv2_scan_portable, sv2_scan_shani1, sv2_scan_shani2, sv2_scan_shani4, sv2_scan_avx2, sv2_scan_avx512,
};

static const char *const NAMES[SV2_KERNEL_COUNT] = {
    "auto", "portable", "sha-ni", "sha-ni-x2", "sha-ni-x4", "avx2", "avx512",
};

/*
 * Preference order, fastest first, measured on AMD Zen 5 (see jmh-results/hash.md): for full headers
 * (three compressions, no shared midstate) four interleaved SHA-NI streams lead; for midstate scanning
 * with the nonce-independent rounds precomputed, 16 AVX-512 lanes lead.
 */
static const int32_t HASH_ORDER[] = {SV2_KERNEL_SHANI_X4, SV2_KERNEL_SHANI_X2, SV2_KERNEL_AVX512, SV2_KERNEL_AVX2,
                                     SV2_KERNEL_SHANI, SV2_KERNEL_PORTABLE};
static const int32_t SCAN_ORDER[] = {SV2_KERNEL_AVX512, SV2_KERNEL_SHANI_X4, SV2_KERNEL_AVX2, SV2_KERNEL_SHANI_X2,
                                     SV2_KERNEL_SHANI, SV2_KERNEL_PORTABLE};

static uint32_t available;
static int32_t default_hash = SV2_KERNEL_PORTABLE;
static int32_t default_scan = SV2_KERNEL_PORTABLE;
static volatile int32_t forced = SV2_KERNEL_AUTO;

static uint64_t xgetbv0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static uint32_t detect(void)
{
    uint32_t mask = 1u << SV2_KERNEL_PORTABLE;
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
    {
        return mask;
    }
    const int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
    {
        return mask;
    }
    const int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, sha = (b >> 29) & 1;
    const int avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    if (sha && sse41 && ssse3)
    {
        mask |= (1u << SV2_KERNEL_SHANI) | (1u << SV2_KERNEL_SHANI_X2) | (1u << SV2_KERNEL_SHANI_X4);
    }
    if (osxsave && avx)
    {
        const uint64_t xcr0 = xgetbv0();
        const int ymm = (xcr0 & 0x6) == 0x6;
        const int zmm = ymm && (xcr0 & 0xE0) == 0xE0;
        if (ymm && avx2)
        {
            mask |= 1u << SV2_KERNEL_AVX2;
        }
        if (zmm && avx512f && avx512bw && avx512vl)
        {
            mask |= 1u << SV2_KERNEL_AVX512;
        }
    }
    return mask;
}

static int32_t first_available(const int32_t *order, int n)
{
    for (int i = 0; i < n; i++)
    {
        if (available & (1u << order[i]))
        {
            return order[i];
        }
    }
    return SV2_KERNEL_PORTABLE;
}

__attribute__((constructor)) static void sv2_init(void)
{
    available = detect();
    default_hash = first_available(HASH_ORDER, (int)(sizeof(HASH_ORDER) / sizeof(HASH_ORDER[0])));
    default_scan = first_available(SCAN_ORDER, (int)(sizeof(SCAN_ORDER) / sizeof(SCAN_ORDER[0])));
}

static int32_t resolve(int32_t kernel, int32_t fallback)
{
    if (kernel == SV2_KERNEL_AUTO)
    {
        return fallback;
    }
    if (kernel < 0 || kernel >= SV2_KERNEL_COUNT || !(available & (1u << kernel)))
    {
        return -1;
    }
    return kernel;
}

int32_t sv2_api_version(void)
{
    return 2;
}

uint32_t sv2_kernels_available(void)
{
    return available;
}

int32_t sv2_kernel_default_hash(void)
{
    return default_hash;
}

int32_t sv2_kernel_default_scan(void)
{
    return default_scan;
}

const char *sv2_kernel_name(int32_t kernel)
{
    return kernel >= 0 && kernel < SV2_KERNEL_COUNT ? NAMES[kernel] : "unknown";
}

const char *sv2_impl_name(void)
{
    const int32_t f = forced;
    return NAMES[f != SV2_KERNEL_AUTO ? f : default_hash];
}

int32_t sv2_set_impl(int32_t kernel)
{
    if (kernel != SV2_KERNEL_AUTO && resolve(kernel, 0) < 0)
    {
        return -1;
    }
    forced = kernel;
    return 0;
}

int32_t sv2_sha256d_headers_k(int32_t kernel, const uint8_t *headers80, uint32_t count, uint8_t *out32)
{
    const int32_t k = resolve(kernel, default_hash);
    if (k < 0)
    {
        return -1;
    }
    HASH_KERNELS[k](headers80, count, out32);
    return 0;
}

void sv2_sha256d_headers(const uint8_t *headers80, uint32_t count, uint8_t *out32)
{
    sv2_sha256d_headers_k(forced, headers80, count, out32);
}

/* Hashes count records with fn, then compares each digest with its target. */
static int32_t check_records(sv2_hash_fn fn, uint64_t stride, const uint8_t *records, const uint8_t *targets32le,
                             uint32_t count, uint8_t *ok, uint8_t *out32)
{
    /* Hash in chunks through a stack buffer when the caller does not want the digests. */
    enum { CHUNK = 64 };
    uint8_t scratch[CHUNK * SV2_HASH_LEN] __attribute__((aligned(64)));
    int32_t met = 0;
    for (uint32_t i = 0; i < count;)
    {
        const uint32_t n = count - i < CHUNK ? count - i : CHUNK;
        uint8_t *hashes = out32 ? out32 + (uint64_t)i * SV2_HASH_LEN : scratch;
        fn(records + i * stride, n, hashes);
        for (uint32_t j = 0; j < n; j++)
        {
            const int m = sv2_meets_target(hashes + (uint64_t)j * SV2_HASH_LEN,
                                           targets32le + (uint64_t)(i + j) * SV2_HASH_LEN);
            ok[i + j] = (uint8_t)m;
            met += m;
        }
        i += n;
    }
    return met;
}

int32_t sv2_check_headers_k(int32_t kernel, const uint8_t *headers80, const uint8_t *targets32le, uint32_t count,
                            uint8_t *ok, uint8_t *out32)
{
    const int32_t k = resolve(kernel, default_hash);
    if (k < 0)
    {
        return -1;
    }
    return check_records(HASH_KERNELS[k], SV2_HEADER_LEN, headers80, targets32le, count, ok, out32);
}

void sv2_midstate(const uint8_t *first64, uint8_t *midstate32)
{
    uint32_t st[8];
    memcpy(st, sv2_iv256, 32);
    sv2_compress_block(st, first64);
    memcpy(midstate32, st, 32);
}

int32_t sv2_sha256d_midstates_k(int32_t kernel, const uint8_t *records48, uint32_t count, uint8_t *out32)
{
    const int32_t k = resolve(kernel, default_hash);
    if (k < 0)
    {
        return -1;
    }
    MID_KERNELS[k](records48, count, out32);
    return 0;
}

void sv2_sha256d_midstates(const uint8_t *records48, uint32_t count, uint8_t *out32)
{
    sv2_sha256d_midstates_k(forced, records48, count, out32);
}

int32_t sv2_check_midstates_k(int32_t kernel, const uint8_t *records48, const uint8_t *targets32le, uint32_t count,
                              uint8_t *ok, uint8_t *out32)
{
    const int32_t k = resolve(kernel, default_hash);
    if (k < 0)
    {
        return -1;
    }
    return check_records(MID_KERNELS[k], SV2_MID_RECORD_LEN, records48, targets32le, count, ok, out32);
}

uint32_t sv2_check_midstates(const uint8_t *records48, const uint8_t *targets32le, uint32_t count, uint8_t *ok,
                             uint8_t *out32)
{
    const int32_t r = sv2_check_midstates_k(forced, records48, targets32le, count, ok, out32);
    return r < 0 ? 0 : (uint32_t)r;
}

uint32_t sv2_check_headers(const uint8_t *headers80, const uint8_t *targets32le, uint32_t count, uint8_t *ok,
                           uint8_t *out32)
{
    const int32_t r = sv2_check_headers_k(forced, headers80, targets32le, count, ok, out32);
    return r < 0 ? 0 : (uint32_t)r;
}

int32_t sv2_scan_k(int32_t kernel, const uint8_t *prefix76, uint32_t nonce_start, uint32_t count,
                   const uint8_t *target32le, uint32_t *found, uint32_t max_found)
{
    const int32_t k = resolve(kernel, default_scan);
    if (k < 0)
    {
        return -1;
    }
    if (count == 0 || max_found == 0)
    {
        return 0;
    }
    sv2_scan_ctx ctx;
    sv2_scan_ctx_init(&ctx, prefix76, target32le, found, max_found);
    SCAN_KERNELS[k](&ctx, nonce_start, count);
    return (int32_t)ctx.n_found;
}

uint32_t sv2_scan(const uint8_t *prefix76, uint32_t nonce_start, uint32_t count, const uint8_t *target32le,
                  uint32_t *found, uint32_t max_found)
{
    const int32_t f = forced;
    const int32_t r = sv2_scan_k(f != SV2_KERNEL_AUTO ? f : default_scan, prefix76, nonce_start, count, target32le,
                                 found, max_found);
    return r < 0 ? 0 : (uint32_t)r;
}

uint32_t sv2_shani_limit(uint64_t iterations)
{
    if (!(available & (1u << SV2_KERNEL_SHANI)))
    {
        return 0;
    }
    return sv2_shani_limit_impl(iterations);
}

int32_t sv2_sha256d_coinbase_headers_k(int32_t kernel, const uint8_t *contexts, uint64_t contexts_length,
                                       const uint8_t *records40, uint8_t *headers80, uint32_t count, uint8_t *out32)
{
    const int32_t k = resolve(kernel, default_hash);
    if (k < 0 || !sv2_coinbase_records_valid(contexts, contexts_length, records40, count))
    {
        return -1;
    }
    /*
     * Coinbases one stream at a time for the one-stream kernels (portable C, or SHA-NI); four interleaved streams for
     * the multi-stream ones (SHA-NI x4 when the CPU has it, else four portable compressions per step).
     */
    const int shani = (available & (1u << SV2_KERNEL_SHANI)) != 0;
    if (k == SV2_KERNEL_PORTABLE || k == SV2_KERNEL_SHANI)
    {
        sv2_coinbase_roots(k == SV2_KERNEL_SHANI ? sv2_compress_block_shani : sv2_compress_block, contexts, records40,
                           headers80, count);
    }
    else
    {
        sv2_coinbase_roots4(shani ? sv2_compress4_shani : sv2_compress4_portable, contexts, records40, headers80,
                            count);
    }
    HASH_KERNELS[k](headers80, count, out32);
    return 0;
}

int32_t sv2_sha256d_coinbase_headers(const uint8_t *contexts, uint64_t contexts_length, const uint8_t *records40,
                                     uint8_t *headers80, uint32_t count, uint8_t *out32)
{
    return sv2_sha256d_coinbase_headers_k(forced, contexts, contexts_length, records40, headers80, count, out32);
}
