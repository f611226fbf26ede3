/*
 * Arithmetic modulo p = 2^256 - 2^32 - 977 in five 52-bit limbs (the top limb 48 bits when normalized), with
 * unsigned __int128 products. Internal to secp256k1_ec.c.
 *
 * Magnitude: an element has magnitude m when limb i <= 2m (2^52 - 1) for i < 4 and limb 4 <= 2m (2^48 - 1).
 * fe_mul / fe_sqr take inputs of magnitude <= 8 (limbs below 2^56) and return magnitude 1; fe_add adds magnitudes;
 * fe_negate(r, a, m) needs a of magnitude <= m and returns magnitude m + 1. fe_normalize gives the canonical value
 * (< p), which fe_is_zero, fe_equal, fe_is_odd and fe_get_b32 need.
 * Every function runs the same instruction sequence whatever the values (no branches on data), except the *_var ones.
 * mul, sqr and their reduction are always inlined: as calls, GCC could not interleave the independent products of a
 * point formula, and doubling / mixed addition were about 12% slower.
 */
#ifndef SV2_SECP256K1_FIELD_H
#define SV2_SECP256K1_FIELD_H

#include <stdint.h>
#include <string.h>

typedef unsigned __int128 u128;

typedef struct
{
    uint64_t n[5];
} fe;

#define FE_M52 0xFFFFFFFFFFFFFULL
#define FE_M48 0xFFFFFFFFFFFFULL
/* 2^256 mod p and 2^260 mod p. */
#define FE_R256 0x1000003D1ULL
#define FE_R260 0x1000003D10ULL
/* p in limbs. */
#define FE_P0 0xFFFFEFFFFFC2FULL
#define FE_P1 0xFFFFFFFFFFFFFULL
#define FE_P4 0xFFFFFFFFFFFFULL

#define FE_CONST(a0, a1, a2, a3, a4) {{ (a0), (a1), (a2), (a3), (a4) }}

static inline void fe_set_int(fe *r, uint64_t v)
{
    r->n[0] = v;
    r->n[1] = r->n[2] = r->n[3] = r->n[4] = 0;
}

/* Reads 32 big-endian bytes (any value below 2^256; the result may be >= p until normalized).
 * Returns 1 when the value is below p. */
static inline int fe_set_b32(fe *r, const uint8_t *b)
{
    uint64_t w[4];
    for (int i = 0; i < 4; i++)
    {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++)
        {
            v = (v << 8) | b[(3 - i) * 8 + j];
        }
        w[i] = v;
    }
    r->n[0] = w[0] & FE_M52;
    r->n[1] = ((w[0] >> 52) | (w[1] << 12)) & FE_M52;
    r->n[2] = ((w[1] >> 40) | (w[2] << 24)) & FE_M52;
    r->n[3] = ((w[2] >> 28) | (w[3] << 36)) & FE_M52;
    r->n[4] = w[3] >> 16;
    /* >= p iff every limb above 0 is all ones and limb 0 >= p0. */
    const uint64_t high = (r->n[4] == FE_M48) & ((r->n[3] & r->n[2] & r->n[1]) == FE_M52);
    return !(high & (r->n[0] >= FE_P0));
}

/* Writes a normalized element as 32 big-endian bytes. */
static inline void fe_get_b32(uint8_t *b, const fe *a)
{
    uint64_t w[4];
    w[0] = a->n[0] | (a->n[1] << 52);
    w[1] = (a->n[1] >> 12) | (a->n[2] << 40);
    w[2] = (a->n[2] >> 24) | (a->n[3] << 28);
    w[3] = (a->n[3] >> 36) | (a->n[4] << 16);
    for (int i = 0; i < 4; i++)
    {
        for (int j = 0; j < 8; j++)
        {
            b[(3 - i) * 8 + j] = (uint8_t)(w[i] >> (56 - 8 * j));
        }
    }
}

/* Carries into 52-bit limbs and folds everything above 2^256 back in: magnitude 1, value below 2^256 + 2^40ish. */
static inline __attribute__((always_inline)) void fe_normalize_weak(fe *r)
{
    uint64_t t0 = r->n[0], t1 = r->n[1], t2 = r->n[2], t3 = r->n[3], t4 = r->n[4];
    const uint64_t x = t4 >> 48;
    t4 &= FE_M48;
    t0 += x * FE_R256;
    t1 += t0 >> 52; t0 &= FE_M52;
    t2 += t1 >> 52; t1 &= FE_M52;
    t3 += t2 >> 52; t2 &= FE_M52;
    t4 += t3 >> 52; t3 &= FE_M52;
    r->n[0] = t0; r->n[1] = t1; r->n[2] = t2; r->n[3] = t3; r->n[4] = t4;
}

/* The canonical representative (< p). */
static inline void fe_normalize(fe *r)
{
    uint64_t t0 = r->n[0], t1 = r->n[1], t2 = r->n[2], t3 = r->n[3], t4 = r->n[4];
    for (int round = 0; round < 2; round++)
    {
        const uint64_t x = t4 >> 48;
        t4 &= FE_M48;
        t0 += x * FE_R256;
        t1 += t0 >> 52; t0 &= FE_M52;
        t2 += t1 >> 52; t1 &= FE_M52;
        t3 += t2 >> 52; t2 &= FE_M52;
        t4 += t3 >> 52; t3 &= FE_M52;
    }
    /* Now t < 2^256. u = t - p + 2^256 = t + (2^256 - p); bit 256 of u says t >= p. */
    uint64_t u0 = t0 + FE_R256;
    uint64_t u1 = t1 + (u0 >> 52); u0 &= FE_M52;
    uint64_t u2 = t2 + (u1 >> 52); u1 &= FE_M52;
    uint64_t u3 = t3 + (u2 >> 52); u2 &= FE_M52;
    uint64_t u4 = t4 + (u3 >> 52); u3 &= FE_M52;
    const uint64_t mask = 0 - (u4 >> 48);
    u4 &= FE_M48;
    r->n[0] = (u0 & mask) | (t0 & ~mask);
    r->n[1] = (u1 & mask) | (t1 & ~mask);
    r->n[2] = (u2 & mask) | (t2 & ~mask);
    r->n[3] = (u3 & mask) | (t3 & ~mask);
    r->n[4] = (u4 & mask) | (t4 & ~mask);
}

/* Normalized input. */
static inline int fe_is_zero(const fe *a)
{
    return (a->n[0] | a->n[1] | a->n[2] | a->n[3] | a->n[4]) == 0;
}

static inline int fe_is_odd(const fe *a)
{
    return (int)(a->n[0] & 1);
}

static inline int fe_equal(const fe *a, const fe *b)
{
    return ((a->n[0] ^ b->n[0]) | (a->n[1] ^ b->n[1]) | (a->n[2] ^ b->n[2]) | (a->n[3] ^ b->n[3])
            | (a->n[4] ^ b->n[4])) == 0;
}

/* Whether a (any magnitude) is zero mod p, without changing it. */
static inline int fe_normalizes_to_zero(const fe *a)
{
    fe t = *a;
    fe_normalize(&t);
    return fe_is_zero(&t);
}

static inline void fe_add(fe *r, const fe *a, const fe *b)
{
    for (int i = 0; i < 5; i++)
    {
        r->n[i] = a->n[i] + b->n[i];
    }
}

static inline void fe_mul_int(fe *r, const fe *a, uint64_t k)
{
    for (int i = 0; i < 5; i++)
    {
        r->n[i] = a->n[i] * k;
    }
}

/* r = 2 (m + 1) p - a, for a of magnitude <= m. */
static inline void fe_negate(fe *r, const fe *a, int m)
{
    const uint64_t k = 2 * ((uint64_t)m + 1);
    r->n[0] = k * FE_P0 - a->n[0];
    r->n[1] = k * FE_P1 - a->n[1];
    r->n[2] = k * FE_P1 - a->n[2];
    r->n[3] = k * FE_P1 - a->n[3];
    r->n[4] = k * FE_P4 - a->n[4];
}

/* r = a - b for b of magnitude <= mb. */
static inline void fe_sub(fe *r, const fe *a, const fe *b, int mb)
{
    fe nb;
    fe_negate(&nb, b, mb);
    fe_add(r, a, &nb);
}

/* r = a when flag is 1, unchanged when 0 (no branch). */
static inline void fe_cmov(fe *r, const fe *a, int flag)
{
    const uint64_t mask = 0 - (uint64_t)(flag & 1);
    for (int i = 0; i < 5; i++)
    {
        r->n[i] = (a->n[i] & mask) | (r->n[i] & ~mask);
    }
}

/* Folds the 9 column sums of a product (weights 2^(52 k)) into a magnitude-1 element. */
static inline __attribute__((always_inline)) void fe_reduce9(fe *r, u128 t0, u128 t1, u128 t2, u128 t3, u128 t4, u128 t5, u128 t6, u128 t7,
                              u128 t8)
{
    /* The high columns as 52-bit limbs of weight 2^(260 + 52 i); 2^260 = R260 mod p. */
    u128 c = t5;
    const uint64_t h0 = (uint64_t)c & FE_M52; c >>= 52;
    c += t6;
    const uint64_t h1 = (uint64_t)c & FE_M52; c >>= 52;
    c += t7;
    const uint64_t h2 = (uint64_t)c & FE_M52; c >>= 52;
    c += t8;
    const uint64_t h3 = (uint64_t)c & FE_M52; c >>= 52;
    const uint64_t h4 = (uint64_t)c;
    t0 += (u128)h0 * FE_R260;
    t1 += (u128)h1 * FE_R260;
    t2 += (u128)h2 * FE_R260;
    t3 += (u128)h3 * FE_R260;
    t4 += (u128)h4 * FE_R260;
    c = t0;
    uint64_t l0 = (uint64_t)c & FE_M52; c >>= 52;
    c += t1;
    uint64_t l1 = (uint64_t)c & FE_M52; c >>= 52;
    c += t2;
    const uint64_t l2 = (uint64_t)c & FE_M52; c >>= 52;
    c += t3;
    const uint64_t l3 = (uint64_t)c & FE_M52; c >>= 52;
    c += t4;
    const uint64_t l4 = (uint64_t)c & FE_M48; c >>= 48;
    /* c has weight 2^256. */
    c = (u128)l0 + c * FE_R256;
    l0 = (uint64_t)c & FE_M52;
    l1 += (uint64_t)(c >> 52);
    r->n[0] = l0; r->n[1] = l1; r->n[2] = l2; r->n[3] = l3; r->n[4] = l4;
}

static inline __attribute__((always_inline)) void fe_mul(fe *r, const fe *a, const fe *b)
{
    const uint64_t a0 = a->n[0], a1 = a->n[1], a2 = a->n[2], a3 = a->n[3], a4 = a->n[4];
    const uint64_t b0 = b->n[0], b1 = b->n[1], b2 = b->n[2], b3 = b->n[3], b4 = b->n[4];
    const u128 t0 = (u128)a0 * b0;
    const u128 t1 = (u128)a0 * b1 + (u128)a1 * b0;
    const u128 t2 = (u128)a0 * b2 + (u128)a1 * b1 + (u128)a2 * b0;
    const u128 t3 = (u128)a0 * b3 + (u128)a1 * b2 + (u128)a2 * b1 + (u128)a3 * b0;
    const u128 t4 = (u128)a0 * b4 + (u128)a1 * b3 + (u128)a2 * b2 + (u128)a3 * b1 + (u128)a4 * b0;
    const u128 t5 = (u128)a1 * b4 + (u128)a2 * b3 + (u128)a3 * b2 + (u128)a4 * b1;
    const u128 t6 = (u128)a2 * b4 + (u128)a3 * b3 + (u128)a4 * b2;
    const u128 t7 = (u128)a3 * b4 + (u128)a4 * b3;
    const u128 t8 = (u128)a4 * b4;
    fe_reduce9(r, t0, t1, t2, t3, t4, t5, t6, t7, t8);
}

static inline __attribute__((always_inline)) void fe_sqr(fe *r, const fe *a)
{
    const uint64_t a0 = a->n[0], a1 = a->n[1], a2 = a->n[2], a3 = a->n[3], a4 = a->n[4];
    const uint64_t d0 = a0 * 2, d1 = a1 * 2, d2 = a2 * 2, d3 = a3 * 2;
    const u128 t0 = (u128)a0 * a0;
    const u128 t1 = (u128)d0 * a1;
    const u128 t2 = (u128)d0 * a2 + (u128)a1 * a1;
    const u128 t3 = (u128)d0 * a3 + (u128)d1 * a2;
    const u128 t4 = (u128)d0 * a4 + (u128)d1 * a3 + (u128)a2 * a2;
    const u128 t5 = (u128)d1 * a4 + (u128)d2 * a3;
    const u128 t6 = (u128)d2 * a4 + (u128)a3 * a3;
    const u128 t7 = (u128)d3 * a4;
    const u128 t8 = (u128)a4 * a4;
    fe_reduce9(r, t0, t1, t2, t3, t4, t5, t6, t7, t8);
}

static inline void fe_sqr_n(fe *r, const fe *a, int n)
{
    fe_sqr(r, a);
    for (int i = 1; i < n; i++)
    {
        fe_sqr(r, r);
    }
}

/* a^(2^k - 1) for k in {2, 3, 22, 223} shared by inversion and square root. */
static inline void fe_chain_head(const fe *a, fe *x2, fe *x3, fe *x22, fe *x223)
{
    fe x6, x9, x11, x44, x88, x176, x220, t;
    fe_sqr(x2, a); fe_mul(x2, x2, a);
    fe_sqr(x3, x2); fe_mul(x3, x3, a);
    fe_sqr_n(&t, x3, 3); fe_mul(&x6, &t, x3);
    fe_sqr_n(&t, &x6, 3); fe_mul(&x9, &t, x3);
    fe_sqr_n(&t, &x9, 2); fe_mul(&x11, &t, x2);
    fe_sqr_n(&t, &x11, 11); fe_mul(x22, &t, &x11);
    fe_sqr_n(&t, x22, 22); fe_mul(&x44, &t, x22);
    fe_sqr_n(&t, &x44, 44); fe_mul(&x88, &t, &x44);
    fe_sqr_n(&t, &x88, 88); fe_mul(&x176, &t, &x88);
    fe_sqr_n(&t, &x176, 44); fe_mul(&x220, &t, &x44);
    fe_sqr_n(&t, &x220, 3); fe_mul(x223, &t, x3);
}

/* r = a^(p - 2) = 1 / a (0 for a = 0). p - 2 = [223 ones] 0 [22 ones] 0000101101. */
static inline void fe_inv(fe *r, const fe *a)
{
    fe x2, x3, x22, x223, t;
    fe_chain_head(a, &x2, &x3, &x22, &x223);
    fe_sqr_n(&t, &x223, 23); fe_mul(&t, &t, &x22);
    fe_sqr_n(&t, &t, 5); fe_mul(&t, &t, a);
    fe_sqr_n(&t, &t, 3); fe_mul(&t, &t, &x2);
    fe_sqr_n(&t, &t, 2); fe_mul(r, &t, a);
}

/* r = a^((p - 3) / 4) = a^-1/2 up to sign: for a square a, a r = sqrt(a) and r^2 = 1 / a.
 * (p - 3) / 4 = [223 ones] 0 [22 ones] 00001011. */
static inline void fe_pow_p34(fe *r, const fe *a_in)
{
    fe x2, x3, x22, x223, t;
    const fe a = *a_in;
    fe_chain_head(&a, &x2, &x3, &x22, &x223);
    fe_sqr_n(&t, &x223, 23); fe_mul(&t, &t, &x22);
    fe_sqr_n(&t, &t, 5); fe_mul(&t, &t, &a);
    fe_sqr_n(&t, &t, 3); fe_mul(r, &t, &x2);
}

/* r = a^((p + 1) / 4); returns 1 when r^2 = a (a is a square). (p + 1) / 4 = [223 ones] 0 [22 ones] 00001100. */
static inline int fe_sqrt(fe *r, const fe *a)
{
    fe x2, x3, x22, x223, t, check;
    fe na = *a;
    fe_chain_head(&na, &x2, &x3, &x22, &x223);
    fe_sqr_n(&t, &x223, 23); fe_mul(&t, &t, &x22);
    fe_sqr_n(&t, &t, 6); fe_mul(&t, &t, &x2);
    fe_sqr_n(r, &t, 2);
    fe_sqr(&check, r);
    fe_normalize(&check);
    fe_normalize(&na);
    return fe_equal(&check, &na);
}

#endif
