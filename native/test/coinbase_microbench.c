/*
 * Timing of coinbase batches (sv2_sha256d_coinbase_headers_k) beside plain header batches, per kernel: 1024 shares
 * on one context (a 20-byte tail after one hashed block, an 8-byte extranonce, SUFFIX bytes of suffix, PATH nodes).
 * Best of 20 repetitions of 20 calls. Usage: coinbase_microbench [SUFFIX [PATH]] (defaults 120, 0).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sv2hash.h"

enum { SHARES = 1024, REPS = 20, CALLS = 20 };

static double now_sec(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint8_t contexts[SV2_COINBASE_CONTEXT_HEADER_LENGTH + 63 + 65535 + 32 * SV2_COINBASE_MAX_PATH];
static uint8_t records[SHARES * SV2_COINBASE_RECORD_LENGTH];
static uint8_t headers[SHARES * 80];
static uint8_t out[SHARES * 32];

int main(int argc, char **argv)
{
    const int suffix = argc > 1 ? atoi(argv[1]) : 120;
    const int path = argc > 2 ? atoi(argv[2]) : 0;
    if (suffix < 0 || suffix > 65535 || path < 0 || path > SV2_COINBASE_MAX_PATH)
    {
        fprintf(stderr, "suffix 0..65535, path 0..%d\n", SV2_COINBASE_MAX_PATH);
        return 2;
    }
    const uint64_t hashed = 64;
    const uint16_t tail = 20, s = (uint16_t)suffix, p = (uint16_t)path;
    memcpy(contexts + 32, &hashed, 8);
    memcpy(contexts + 40, &tail, 2);
    memcpy(contexts + 42, &s, 2);
    memcpy(contexts + 44, &p, 2);
    for (uint32_t i = 0; i < SHARES; i++)
    {
        const uint32_t offset = 0, extranonce = 8;
        memcpy(records + i * SV2_COINBASE_RECORD_LENGTH, &offset, 4);
        memcpy(records + i * SV2_COINBASE_RECORD_LENGTH + 4, &extranonce, 4);
        memcpy(records + i * SV2_COINBASE_RECORD_LENGTH + 8, &i, 4);
    }
    printf("%d shares, coinbase after the midstate %d bytes, path %d nodes\n", SHARES, 20 + 8 + suffix, path);
    const uint32_t available = sv2_kernels_available();
    for (int32_t k = SV2_KERNEL_PORTABLE; k < SV2_KERNEL_COUNT; k++)
    {
        if (!(available & (1u << k)))
        {
            continue;
        }
        double coinbase = 1e9, plain = 1e9;
        for (int rep = 0; rep < REPS; rep++)
        {
            double t0 = now_sec();
            for (int c = 0; c < CALLS; c++)
            {
                if (sv2_sha256d_coinbase_headers_k(k, contexts, sizeof contexts, records, headers, SHARES, out) != 0)
                {
                    return 1;
                }
            }
            const double a = (now_sec() - t0) / (CALLS * SHARES);
            t0 = now_sec();
            for (int c = 0; c < CALLS; c++)
            {
                sv2_sha256d_headers_k(k, headers, SHARES, out);
            }
            const double b = (now_sec() - t0) / (CALLS * SHARES);
            coinbase = a < coinbase ? a : coinbase;
            plain = b < plain ? b : plain;
        }
        printf("%-10s coinbase + header %7.1f ns/share   header alone %6.1f ns/share\n", sv2_kernel_name(k),
               coinbase * 1e9, plain * 1e9);
    }
    return 0;
}
