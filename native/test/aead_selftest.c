/* Standalone check of every ChaCha20-Poly1305 kernel the CPU has against RFC 8439 section 2.8.2 and
 * against each other, plus a rough speed print. The Java tests (JDK oracle) are the real suite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sv2aead.h"

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

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint8_t next_byte(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint8_t)(rng >> 24);
}

int main(void)
{
    static const char *plain_text = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
                                    "the future, sunscreen would be it.";
    static const char *expected_hex =
        "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
        "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
        "3ff4def08e4b7a9de576d26586cec64b6116"
        "1ae10b594f09e26a7e902ecbd0600691";
    uint8_t key[32], aad[12], expected[130], out[130], back[114];
    unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", key, 32);
    unhex("50515253c0c1c2c3c4c5c6c7", aad, 12);
    unhex(expected_hex, expected, 130);
    const int32_t plain_len = (int32_t)strlen(plain_text);
    /* nonce 07000000 4041424344454647: n0 = 7, n12 = the LE uint64 of 40..47 */
    const uint32_t n0 = 7;
    const uint64_t n12 = 0x4746454443424140ull;
    int failures = 0;
    const uint32_t avail = sv2_aead_kernels_available();
    printf("aead kernels available 0x%x, default %s\n", avail, sv2_aead_kernel_name(SV2_AEAD_KERNEL_AUTO));

    static uint8_t ref[2][4200];
    for (int32_t kernel = SV2_AEAD_KERNEL_PORTABLE; kernel < SV2_AEAD_KERNEL_COUNT; kernel++)
    {
        if (!(avail & (1u << kernel)))
        {
            continue;
        }
        sv2_aead_use_kernel(kernel);
        memset(out, 0, sizeof(out));
        int ok = sv2_aead_seal(key, -1, n0, n12, aad, 0, 12, (const uint8_t *)plain_text, 0, plain_len, out, 0) == 130
              && memcmp(out, expected, 130) == 0;
        ok = ok && sv2_aead_open(key, -1, n0, n12, aad, 0, 12, out, 0, 130, back, 0) == plain_len
          && memcmp(back, plain_text, (size_t)plain_len) == 0;
        out[7] ^= 0x20;
        memset(back, 0xAA, sizeof(back));
        ok = ok && sv2_aead_open(key, -1, n0, n12, aad, 0, 12, out, 0, 130, back, 0) == -1 && back[0] == 0xAA;
        printf("%-9s rfc8439 2.8.2: %s\n", sv2_aead_kernel_name(kernel), ok ? "ok" : "FAIL");
        failures += !ok;

        /* Every kernel must give the portable kernel's bytes for lengths 0..4100 (many blocks). */
        for (int32_t len = 0; len <= 4100; len += len < 300 ? 1 : 97)
        {
            uint8_t msg[4200], k2[32];
            rng = 0x1234567ull + (uint64_t)len;
            for (int i = 0; i < 32; i++)
            {
                k2[i] = next_byte();
            }
            for (int i = 0; i < len; i++)
            {
                msg[i] = next_byte();
            }
            sv2_aead_seal(k2, -1, 0, (uint64_t)len * 0x10001ull, NULL, 0, 0, msg, 0, len, ref[1], 0);
            if (kernel == SV2_AEAD_KERNEL_PORTABLE)
            {
                continue;
            }
            sv2_aead_use_kernel(SV2_AEAD_KERNEL_PORTABLE);
            sv2_aead_seal(k2, -1, 0, (uint64_t)len * 0x10001ull, NULL, 0, 0, msg, 0, len, ref[0], 0);
            sv2_aead_use_kernel(kernel);
            if (memcmp(ref[0], ref[1], (size_t)len + 16) != 0)
            {
                printf("%-9s differs from portable at length %d\n", sv2_aead_kernel_name(kernel), len);
                failures++;
                break;
            }
        }
    }
    sv2_aead_use_kernel(SV2_AEAD_KERNEL_AUTO);

    /* With the cache, consecutive nonces (and the wrap from 2^64 - 1 to 0) give the same bytes. */
    for (int32_t kernel = SV2_AEAD_KERNEL_PORTABLE; kernel < SV2_AEAD_KERNEL_COUNT; kernel++)
    {
        if (!(avail & (1u << kernel)))
        {
            continue;
        }
        sv2_aead_use_kernel(kernel);
        uint8_t ctx[SV2_AEAD_CTX_LEN], msg[200], a[216], b[216], opened[200];
        int32_t cached = 0;
        int ok = 1;
        memcpy(ctx, key, 32);
        for (int i = 0; i < 40; i++)
        {
            const uint64_t nonce = (uint64_t)i - 20;
            const int32_t len = (i * 37) % 200;
            for (int j = 0; j < len; j++)
            {
                msg[j] = next_byte();
            }
            sv2_aead_seal(key, -1, 0, nonce, aad, 0, i % 13, msg, 0, len, a, 0);
            sv2_aead_seal(ctx, cached, 0, nonce, aad, 0, i % 13, msg, 0, len, b, 0);
            cached = (cached + 1) % 4;
            ok = ok && memcmp(a, b, (size_t)len + 16) == 0;
        }
        cached = 0;
        for (int i = 0; i < 40; i++)
        {
            const uint64_t nonce = (uint64_t)i - 20;
            const int32_t len = (i * 37) % 200;
            sv2_aead_seal(key, -1, 0, nonce, aad, 0, i % 13, msg, 0, len, a, 0);
            ok = ok && sv2_aead_open(ctx, cached, 0, nonce, aad, 0, i % 13, a, 0, len + 16, opened, 0) == len
              && memcmp(opened, msg, (size_t)len) == 0;
            cached = (cached + 1) % 4;
        }
        printf("%-9s four-nonce cache: %s\n", sv2_aead_kernel_name(kernel), ok ? "ok" : "FAIL");
        failures += !ok;
    }
    sv2_aead_use_kernel(SV2_AEAD_KERNEL_AUTO);

    for (int32_t kernel = SV2_AEAD_KERNEL_PORTABLE; kernel < SV2_AEAD_KERNEL_COUNT; kernel++)
    {
        if (!(avail & (1u << kernel)))
        {
            continue;
        }
        sv2_aead_use_kernel(kernel);
        uint8_t msg[32 + 16] = {0}, hdr[6 + 16] = {0};
        const int iterations = 2000000;
        int32_t sink = 0;
        const double t0 = now();
        for (int i = 0; i < iterations; i++)
        {
            sink += sv2_aead_seal(key, -1, 0, (uint64_t)i, NULL, 0, 0, hdr, 0, 6, hdr, 0);
            sink += sv2_aead_seal(key, -1, 0, (uint64_t)i, NULL, 0, 0, msg, 0, 32, msg, 0);
        }
        const double t1 = now();
        uint8_t ctx[SV2_AEAD_CTX_LEN];
        memcpy(ctx, key, 32);
        for (int i = 0; i < iterations; i++)
        {
            sink += sv2_aead_seal(ctx, (2 * i) % 4, 0, (uint64_t)(2 * i), NULL, 0, 0, hdr, 0, 6, hdr, 0);
            sink += sv2_aead_seal(ctx, (2 * i + 1) % 4, 0, (uint64_t)(2 * i + 1), NULL, 0, 0, msg, 0, 32, msg, 0);
        }
        const double t2 = now();
        printf("%-9s seal 6 + 32 bytes (one SV2 share frame): %.1f ns, with the four-nonce cache %.1f ns (%d)\n",
               sv2_aead_kernel_name(kernel), (t1 - t0) * 1e9 / iterations, (t2 - t1) * 1e9 / iterations, sink & 1);
    }
    sv2_aead_use_kernel(SV2_AEAD_KERNEL_AUTO);
    printf(failures ? "FAILED\n" : "all ok\n");
    return failures ? 1 : 0;
}
