/*
 * secp256k1_ec.c is compiled twice: for baseline x86-64 and for x86-64-v3 (BMI2 mulx, AVX2), whose products and
 * table scans are about 13% faster. Each build names its entry points with its suffix; secp256k1_dispatch.c
 * exports the sv2_ec_* API and calls the build the CPU can run. Internal.
 */
#ifndef SV2_SECP256K1_VARIANT_H
#define SV2_SECP256K1_VARIANT_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define SV2_EC_CAT(a, b) a##b
#define SV2_EC_XCAT(a, b) SV2_EC_CAT(a, b)
#ifdef SV2_EC_V3
#define SV2_EC_FN(name) SV2_EC_XCAT(name, _v3)
#else
#define SV2_EC_FN(name) SV2_EC_XCAT(name, _base)
#endif

/* Declares the entry points of one build. */
#define SV2_EC_DECLARE(sfx) \
    SV2_HIDDEN int32_t sv2_ec_api_version##sfx(void); \
    SV2_HIDDEN int32_t sv2_ec_field_op##sfx(int32_t op, uint8_t out[32], const uint8_t a[32], const uint8_t b[32]); \
    SV2_HIDDEN int32_t sv2_ec_pubkey##sfx(uint8_t x_out[32], uint8_t y_out[32], const uint8_t seckey[32]); \
    SV2_HIDDEN int32_t sv2_ec_mul##sfx(uint8_t x_out[32], uint8_t y_out[32], const uint8_t px[32], \
                                       const uint8_t py[32], const uint8_t k[32]); \
    SV2_HIDDEN int32_t sv2_ec_ellswift_decode##sfx(uint8_t x_out[32], const uint8_t enc64[64]); \
    SV2_HIDDEN int32_t sv2_ec_xswiftec_inv##sfx(uint8_t t_out[32], const uint8_t x[32], const uint8_t u[32], \
                                                int32_t c); \
    SV2_HIDDEN int32_t sv2_ec_ellswift_encode##sfx(uint8_t enc64_out[64], const uint8_t x[32], \
                                                   const uint8_t rnd32[32]); \
    SV2_HIDDEN int32_t sv2_ec_ellswift_keygen##sfx(uint8_t enc64_out[64], uint8_t x_out[32], \
                                                   const uint8_t seckey[32], const uint8_t rnd32[32]); \
    SV2_HIDDEN int32_t sv2_ec_ellswift_ecdh##sfx(uint8_t x_out[32], uint8_t peer_x_out[32], \
                                                 const uint8_t enc64[64], const uint8_t seckey[32]); \
    SV2_HIDDEN int32_t sv2_ec_ellswift_ecdh2##sfx(uint8_t xa_out[32], uint8_t xb_out[32], const uint8_t enc64[64], \
                                                  const uint8_t seckey_a[32], const uint8_t seckey_b[32]); \
    SV2_HIDDEN int32_t sv2_ec_schnorr_sign##sfx(uint8_t sig64_out[64], const uint8_t *msg, size_t len, \
                                                const uint8_t d[32], const uint8_t px[32], const uint8_t aux32[32]); \
    SV2_HIDDEN int32_t sv2_ec_schnorr_verify##sfx(const uint8_t sig64[64], const uint8_t *msg, size_t len, \
                                                  const uint8_t px[32], const void *table); \
    SV2_HIDDEN int64_t sv2_ec_pubkey_table_size##sfx(void); \
    SV2_HIDDEN int32_t sv2_ec_pubkey_table##sfx(void *table, const uint8_t px[32]);

SV2_EC_DECLARE(_base)
SV2_EC_DECLARE(_v3)

#endif
