/* Standalone check of every kernel the CPU has against the genesis block hash and against each
 * other, plus a rough speed print. The Java tests are the real suite; this is for native work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sv2hash.h"

static int unhex(const char *s, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
    {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
        {
            return -1;
        }
        out[i] = (uint8_t)v;
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void)
{
    const char *genesis = "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67"
                          "768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
    /* Display hash 000000000019d6...e26f, so the digest bytes are its reverse. */
    const char *display = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
    uint8_t header[80], want[32], disp[32];
    unhex(genesis, header, 80);
    unhex(display, disp, 32);
    for (int i = 0; i < 32; i++)
    {
        want[i] = disp[31 - i];
    }
    enum { N = 1003 };
    uint8_t *hs = malloc(N * 80), *ref = malloc(N * 32), *got = malloc(N * 32), *recs = malloc(N * 48);
    srand(7);
    for (int i = 0; i < N * 80; i++)
    {
        hs[i] = (uint8_t)rand();
    }
    memcpy(hs, header, 80);
    sv2_sha256d_headers_k(SV2_KERNEL_PORTABLE, hs, N, ref);
    int fail = memcmp(ref, want, 32) != 0;
    printf("available 0x%x default hash %s scan %s\n", sv2_kernels_available(),
           sv2_kernel_name(sv2_kernel_default_hash()), sv2_kernel_name(sv2_kernel_default_scan()));
    uint8_t target[32];
    memset(target, 0xff, 32);
    target[31] = 0x00;
    target[30] = 0x3f; /* about 1 in 1024 */
    uint32_t ref_found[4096], found[4096];
    int ref_n = sv2_scan_k(SV2_KERNEL_PORTABLE, header, 5, 100003, target, ref_found, 4096);
    for (int k = 1; k < SV2_KERNEL_COUNT; k++)
    {
        if (!(sv2_kernels_available() & (1u << k)))
        {
            printf("%-10s not available\n", sv2_kernel_name(k));
            continue;
        }
        for (int n = 0; n <= 40; n++)
        {
            memset(got, 0, N * 32);
            sv2_sha256d_headers_k(k, hs, (uint32_t)n, got);
            if (memcmp(got, ref, (size_t)n * 32) != 0)
            {
                printf("%s: mismatch at count %d\n", sv2_kernel_name(k), n);
                fail = 1;
                break;
            }
        }
        sv2_sha256d_headers_k(k, hs, N, got);
        int bad = memcmp(got, ref, N * 32) != 0;
        for (int i = 0; i < N; i++)
        {
            sv2_midstate(hs + 80 * i, recs + 48 * i);
            memcpy(recs + 48 * i + 32, hs + 80 * i + 64, 16);
        }
        for (int n2 = 0; n2 <= 40; n2++)
        {
            memset(got, 0, N * 32);
            sv2_sha256d_midstates_k(k, recs, (uint32_t)n2, got);
            bad |= memcmp(got, ref, (size_t)n2 * 32) != 0;
        }
        sv2_sha256d_midstates_k(k, recs, N, got);
        bad |= memcmp(got, ref, N * 32) != 0;
        double m0 = now();
        int mreps = 0;
        while (now() - m0 < 0.3)
        {
            sv2_sha256d_midstates_k(k, recs, 1000, got);
            mreps++;
        }
        double mps = mreps * 1000.0 / (now() - m0);
        int n = sv2_scan_k(k, header, 5, 100003, target, found, 4096);
        bad |= n != ref_n || memcmp(found, ref_found, n * 4) != 0;
        fail |= bad;
        double t0 = now();
        int reps = 0;
        while (now() - t0 < 0.3)
        {
            sv2_sha256d_headers_k(k, hs, 1000, got);
            reps++;
        }
        double hps = reps * 1000.0 / (now() - t0);
        t0 = now();
        uint64_t scanned = 0;
        uint8_t hard[32] = {0};
        while (now() - t0 < 0.3)
        {
            sv2_scan_k(k, header, (uint32_t)scanned, 1u << 16, hard, found, 1);
            scanned += 1u << 16;
        }
        double sps = scanned / (now() - t0);
        printf("%-10s %s  batch %6.2f M/s  midstate batch %6.2f M/s  scan %6.2f M/s  (scan found %d / %d)\n",
               sv2_kernel_name(k), bad ? "FAIL" : "ok  ", hps / 1e6, mps / 1e6, sps / 1e6, n, ref_n);
    }
    double t0 = now();
    sv2_shani_limit(20000000);
    double dt = now() - t0;
    printf("sha-ni limit: %.2f M compressions/s = %.2f M headers/s\n", 20e6 / dt / 1e6, 10e6 / dt / 1e6);
    printf(fail ? "FAILED\n" : "all ok\n");
    return fail;
}
