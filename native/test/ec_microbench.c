/*
 * Timings of the secp256k1 layers in isolation (thread CPU time, so other load on the machine counts less):
 *   make -C native ecbench
 * Builds this file twice, against the baseline and the x86-64-v3 build of secp256k1_ec.c (it includes the source
 * to reach its internal functions). Not part of the library or of the tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../src/secp256k1_ec.c"

#define API(name) SV2_EC_FN(name)

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

#define TIME(label, iters, body)                                                                                    \
    do                                                                                                              \
    {                                                                                                               \
        const double t0_ = now_ns();                                                                                \
        for (int i_ = 0; i_ < (iters); i_++)                                                                        \
        {                                                                                                           \
            body;                                                                                                   \
        }                                                                                                           \
        const double per_ = (now_ns() - t0_) / (iters);                                                             \
        if (per_ >= 10000)                                                                                          \
        {                                                                                                           \
            printf("  %-34s %9.2f us\n", label, per_ / 1000);                                                      \
        }                                                                                                           \
        else                                                                                                        \
        {                                                                                                           \
            printf("  %-34s %9.1f ns\n", label, per_);                                                             \
        }                                                                                                           \
    } while (0)

int main(void)
{
#ifdef SV2_EC_V3
    printf("x86-64-v3 build\n");
#else
    printf("baseline x86-64 build\n");
#endif
    volatile uint64_t sink = 0;
    fe a = GE_G.x, b = GE_G.y;
    TIME("field mul (dependent chain)", 1000000, fe_mul(&a, &a, &b));
    TIME("field sqr (dependent chain)", 1000000, fe_sqr(&a, &a));
    TIME("field inverse, exponentiation", 10000, fe_inv(&a, &a));
    TIME("field inverse, safegcd", 10000, fe_inv_gcd(&a, &a));
    TIME("field sqrt (exponentiation)", 10000, { fe r; sink += fe_sqrt(&r, &a); a.n[0]++; });
    TIME("is_square, Jacobi (var time)", 10000, { sink += fe_is_square_jacobi_var(&a); a.n[0]++; });
    gej r;
    gej_set_ge(&r, &GE_G);
    TIME("point double (2M + 5S)", 1000000, gej_double(&r, &r));
    TIME("point add affine (8M + 3S)", 1000000, gej_add_ge(&r, &r, &GE_G));
    sink += r.x.n[0];

    uint8_t sk[32], sk2[32], enc[64], x[32], y[32], x2[32], sig[64], msg[32] = {1};
    for (int i = 0; i < 32; i++)
    {
        sk[i] = (uint8_t)(i * 7 + 1);
        sk2[i] = (uint8_t)(i * 13 + 5);
    }
    sk[0] = sk2[0] = 0x3f;
    ensure_init();
    sc k;
    sc_set_b32(&k, sk);
    ge tbl[2 * VAR_ENTRIES];
    fe zg;
    var_table_build(tbl, &zg, &GE_G);
    TIME("k*P table (odd multiples, GLV)", 10000, var_table_build(tbl, &zg, &GE_G));
    TIME("k*P core (GLV, constant sequence)", 2000, { ecmult_var_const(&r, tbl, &zg, &k); k.d[1]++; });
    TIME("k*G core (comb, constant sequence)", 2000, { ecmult_fixed_const(&r, &G_TABLE, &k); k.d[1]++; });
    sink += r.x.n[0];
    API(sv2_ec_ellswift_keygen)(enc, x, sk, sk2);
    TIME("ellswift decode", 2000, { sink += API(sv2_ec_ellswift_decode)(x2, enc); enc[40]++; });
    TIME("ellswift encode", 2000, { sink += API(sv2_ec_ellswift_encode)(enc, x, sk2); sk2[3]++; });
    TIME("keygen (k*G + encode)", 2000, { sink += API(sv2_ec_ellswift_keygen)(enc, x, sk, sk2); sk[5]++; });
    TIME("x-only ECDH (decode + k*P)", 2000, { sink += API(sv2_ec_ellswift_ecdh)(x2, NULL, enc, sk); enc[40]++; });
    TIME("two ECDHs on one point", 1000, { sink += API(sv2_ec_ellswift_ecdh2)(x2, y, enc, sk, sk2); enc[40]++; });

    /* A key pair with even y, as the Java side prepares it. */
    uint8_t d[32], px[32], py[32];
    memcpy(d, sk, 32);
    API(sv2_ec_pubkey)(px, py, d);
    if (py[31] & 1)
    {
        sc t;
        sc_set_b32(&t, d);
        sc_negate(&t, &t);
        sc_get_b32(d, &t);
    }
    void *table = aligned_alloc(64, (size_t)API(sv2_ec_pubkey_table_size)());
    TIME("verification table of a key", 3, sink += API(sv2_ec_pubkey_table)(table, px));
    TIME("BIP340 sign", 2000, { sink += API(sv2_ec_schnorr_sign)(sig, msg, 32, d, px, msg); msg[3]++; });
    API(sv2_ec_schnorr_sign)(sig, msg, 32, d, px, msg);
    int ok = 0;
    TIME("BIP340 verify, key table", 2000, ok += API(sv2_ec_schnorr_verify)(sig, msg, 32, px, table));
    TIME("BIP340 verify, raw key", 2000, ok += API(sv2_ec_schnorr_verify)(sig, msg, 32, px, NULL));
    free(table);
    printf("  (verified %d of 4000; sink %llu)\n", ok, (unsigned long long)sink);
    return ok == 4000 ? 0 : 1;
}
