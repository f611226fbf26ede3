/* The exported sv2_ec_* API (include/sv2ec.h): each call goes to the x86-64-v3 build of secp256k1_ec.c when the
 * CPU runs it, else to the baseline build. Both give the same results. */
#include "sv2ec.h"
#include "secp256k1_variant.h"

/* Whether the CPU runs x86-64-v3 code: -1 until found (a benign race: every thread finds the same value). */
static volatile int cpu_v3 = -1;
/* The build in use: -1 follows the CPU; 0 forces baseline (sv2_ec_select_variant, for tests). */
static volatile int forced = -1;

static int cpu_has_v3(void)
{
    int l = cpu_v3;
    if (l < 0)
    {
        __builtin_cpu_init();
        l = __builtin_cpu_supports("x86-64-v3") ? 1 : 0;
        cpu_v3 = l;
    }
    return l;
}

static int use_v3(void)
{
    return forced == 0 ? 0 : cpu_has_v3();
}

#define SV2_EC_DISPATCH(name, args) return use_v3() ? name##_v3 args : name##_base args

int32_t sv2_ec_api_version(void)
{
    SV2_EC_DISPATCH(sv2_ec_api_version, ());
}

int32_t sv2_ec_field_op(int32_t op, uint8_t out[32], const uint8_t a[32], const uint8_t b[32])
{
    SV2_EC_DISPATCH(sv2_ec_field_op, (op, out, a, b));
}

int32_t sv2_ec_pubkey(uint8_t x_out[32], uint8_t y_out[32], const uint8_t seckey[32])
{
    SV2_EC_DISPATCH(sv2_ec_pubkey, (x_out, y_out, seckey));
}

int32_t sv2_ec_mul(uint8_t x_out[32], uint8_t y_out[32], const uint8_t px[32], const uint8_t py[32],
                   const uint8_t k[32])
{
    SV2_EC_DISPATCH(sv2_ec_mul, (x_out, y_out, px, py, k));
}

int32_t sv2_ec_ellswift_decode(uint8_t x_out[32], const uint8_t enc64[64])
{
    SV2_EC_DISPATCH(sv2_ec_ellswift_decode, (x_out, enc64));
}

int32_t sv2_ec_xswiftec_inv(uint8_t t_out[32], const uint8_t x[32], const uint8_t u[32], int32_t c)
{
    SV2_EC_DISPATCH(sv2_ec_xswiftec_inv, (t_out, x, u, c));
}

int32_t sv2_ec_ellswift_encode(uint8_t enc64_out[64], const uint8_t x[32], const uint8_t rnd32[32])
{
    SV2_EC_DISPATCH(sv2_ec_ellswift_encode, (enc64_out, x, rnd32));
}

int32_t sv2_ec_ellswift_keygen(uint8_t enc64_out[64], uint8_t x_out[32], const uint8_t seckey[32],
                               const uint8_t rnd32[32])
{
    SV2_EC_DISPATCH(sv2_ec_ellswift_keygen, (enc64_out, x_out, seckey, rnd32));
}

int32_t sv2_ec_ellswift_ecdh(uint8_t x_out[32], uint8_t peer_x_out[32], const uint8_t enc64[64],
                             const uint8_t seckey[32])
{
    SV2_EC_DISPATCH(sv2_ec_ellswift_ecdh, (x_out, peer_x_out, enc64, seckey));
}

int32_t sv2_ec_ellswift_ecdh2(uint8_t xa_out[32], uint8_t xb_out[32], const uint8_t enc64[64],
                              const uint8_t seckey_a[32], const uint8_t seckey_b[32])
{
    SV2_EC_DISPATCH(sv2_ec_ellswift_ecdh2, (xa_out, xb_out, enc64, seckey_a, seckey_b));
}

int32_t sv2_ec_schnorr_sign(uint8_t sig64_out[64], const uint8_t *msg, size_t len, const uint8_t d[32],
                            const uint8_t px[32], const uint8_t aux32[32])
{
    SV2_EC_DISPATCH(sv2_ec_schnorr_sign, (sig64_out, msg, len, d, px, aux32));
}

int32_t sv2_ec_schnorr_verify(const uint8_t sig64[64], const uint8_t *msg, size_t len, const uint8_t px[32],
                              const void *table)
{
    SV2_EC_DISPATCH(sv2_ec_schnorr_verify, (sig64, msg, len, px, table));
}

int64_t sv2_ec_pubkey_table_size(void)
{
    SV2_EC_DISPATCH(sv2_ec_pubkey_table_size, ());
}

int32_t sv2_ec_pubkey_table(void *table, const uint8_t px[32])
{
    SV2_EC_DISPATCH(sv2_ec_pubkey_table, (table, px));
}

int32_t sv2_ec_variant(void)
{
    return use_v3();
}

int32_t sv2_ec_select_variant(int32_t variant)
{
    forced = variant == 0 ? 0 : -1;
    return use_v3();
}
