/*
 * secp256k1 for the Noise NX handshake: scalars mod n, Jacobian point arithmetic (a = 0), GLV variable-base
 * multiplication, a fixed-base generator table, BIP324 ElligatorSwift and BIP340 Schnorr. See include/sv2ec.h.
 * Formulas: doubling dbl-2009-l, addition add-1998-cmo-2 and its mixed form (Explicit-Formulas Database); GLV
 * split as in the Guide to Elliptic Curve Cryptography, 3.5; ElligatorSwift as in BIP324; Schnorr as in BIP340.
 */
#include <pthread.h>

#include "sv2ec.h"
#include "sv2hash.h"
#include "secp256k1_variant.h"
#include "internal.h"
#include "secp256k1_field.h"
#include "secp256k1_modinv.h"

/* ------------------------------------------------------------------------------------------------------------ */
/* Scalars mod n: four 64-bit words, little-endian word order.                                                   */

typedef struct
{
    uint64_t d[4];
} sc;

static const uint64_t SC_N[4] = {
    0xbfd25e8cd0364141ULL, 0xbaaedce6af48a03bULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL};
/* 2^256 - n (129 bits). */
static const uint64_t SC_NC[3] = {0x402da1732fc9bebfULL, 0x4551231950b75fc4ULL, 0x0000000000000001ULL};
/* floor(n / 2). */
static const uint64_t SC_HALF_N[4] = {
    0xdfe92f46681b20a0ULL, 0x5d576e7357a4501dULL, 0xffffffffffffffffULL, 0x7fffffffffffffffULL};
/* lambda: lambda * (x, y) = (beta x, y). */
static const sc SC_LAMBDA = {{0xdf02967c1b23bd72ULL, 0x122e22ea20816678ULL, 0xa5261c028812645aULL,
                              0x5363ad4cc05c30e0ULL}};
/* GLV lattice: -b1 and -b2 mod n, and g_i = round(2^384 * b / n) for the rounded divisions. */
static const sc SC_MINUS_B1 = {{0x6f547fa90abfe4c3ULL, 0xe4437ed6010e8828ULL, 0, 0}};
static const sc SC_MINUS_B2 = {{0xd765cda83db1562cULL, 0x8a280ac50774346dULL, 0xfffffffffffffffeULL,
                                0xffffffffffffffffULL}};
static const uint64_t SC_G1[4] = {
    0xe893209a45dbb031ULL, 0x3daa8a1471e8ca7fULL, 0xe86c90e49284eb15ULL, 0x3086d221a7d46bcdULL};
static const uint64_t SC_G2[4] = {
    0x1571b4ae8ac47f71ULL, 0x221208ac9df506c6ULL, 0x6f547fa90abfe4c4ULL, 0xe4437ed6010e8828ULL};

/* acc[0, nacc) += a[0, na) * b[0, nb), carries kept within nacc words. Fixed loop counts. */
static void mp_muladd(uint64_t *acc, int nacc, const uint64_t *a, int na, const uint64_t *b, int nb)
{
    for (int i = 0; i < na; i++)
    {
        u128 c = 0;
        for (int j = 0; j < nb; j++)
        {
            c += (u128)a[i] * b[j] + acc[i + j];
            acc[i + j] = (uint64_t)c;
            c >>= 64;
        }
        for (int k = i + nb; k < nacc; k++)
        {
            c += acc[k];
            acc[k] = (uint64_t)c;
            c >>= 64;
        }
    }
}

/* r = a - n when a >= n (a below 2n, with top carry word hi), else a. No branch. */
static void sc_reduce_once(sc *r, const uint64_t a[4], uint64_t hi)
{
    uint64_t t[4];
    u128 borrow = 0;
    for (int i = 0; i < 4; i++)
    {
        const u128 diff = (u128)a[i] - SC_N[i] - borrow;
        t[i] = (uint64_t)diff;
        borrow = (diff >> 64) & 1;
    }
    /* a >= n iff hi or no borrow. */
    const uint64_t ge = (uint64_t)(hi | (uint64_t)(borrow ^ 1)) & 1;
    const uint64_t mask = 0 - ge;
    for (int i = 0; i < 4; i++)
    {
        r->d[i] = (t[i] & mask) | (a[i] & ~mask);
    }
}

/* Reads 32 big-endian bytes reduced mod n; returns 1 when the value was below n. */
static int sc_set_b32(sc *r, const uint8_t *b)
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
    u128 borrow = 0;
    for (int i = 0; i < 4; i++)
    {
        const u128 diff = (u128)w[i] - SC_N[i] - borrow;
        borrow = (diff >> 64) & 1;
    }
    sc_reduce_once(r, w, 0);
    return (int)borrow;
}

static void sc_get_b32(uint8_t *b, const sc *a)
{
    for (int i = 0; i < 4; i++)
    {
        for (int j = 0; j < 8; j++)
        {
            b[(3 - i) * 8 + j] = (uint8_t)(a->d[i] >> (56 - 8 * j));
        }
    }
}

static int sc_is_zero(const sc *a)
{
    return (a->d[0] | a->d[1] | a->d[2] | a->d[3]) == 0;
}

/* A valid secret: below n and not zero. */
static int sc_set_secret(sc *r, const uint8_t *b)
{
    const int below = sc_set_b32(r, b);
    return below & !sc_is_zero(r);
}

/* r = l mod n for a 512-bit l, by folding 2^256 = 2^256 - n (mod n) four times. */
static void sc_reduce512(sc *r, const uint64_t l[8])
{
    uint64_t m[7] = {l[0], l[1], l[2], l[3], 0, 0, 0};
    mp_muladd(m, 7, l + 4, 4, SC_NC, 3);
    uint64_t q[5] = {m[0], m[1], m[2], m[3], 0};
    mp_muladd(q, 5, m + 4, 3, SC_NC, 3);
    uint64_t s[5] = {q[0], q[1], q[2], q[3], 0};
    mp_muladd(s, 5, q + 4, 1, SC_NC, 3);
    uint64_t t[5] = {s[0], s[1], s[2], s[3], 0};
    mp_muladd(t, 5, s + 4, 1, SC_NC, 3);
    sc_reduce_once(r, t, t[4]);
}

static void sc_mul(sc *r, const sc *a, const sc *b)
{
    uint64_t l[8] = {0};
    mp_muladd(l, 8, a->d, 4, b->d, 4);
    sc_reduce512(r, l);
}

static void sc_add(sc *r, const sc *a, const sc *b)
{
    uint64_t t[4];
    u128 c = 0;
    for (int i = 0; i < 4; i++)
    {
        c += (u128)a->d[i] + b->d[i];
        t[i] = (uint64_t)c;
        c >>= 64;
    }
    sc_reduce_once(r, t, (uint64_t)c);
}

/* r = n - a, and 0 for a = 0. */
static void sc_negate(sc *r, const sc *a)
{
    const uint64_t nonzero = 0 - (uint64_t)!sc_is_zero(a);
    u128 borrow = 0;
    for (int i = 0; i < 4; i++)
    {
        const u128 diff = (u128)SC_N[i] - a->d[i] - borrow;
        r->d[i] = (uint64_t)diff & nonzero;
        borrow = (diff >> 64) & 1;
    }
}

/* Whether a > n / 2. */
static int sc_is_high(const sc *a)
{
    u128 borrow = 0;
    for (int i = 0; i < 4; i++)
    {
        const u128 diff = (u128)SC_HALF_N[i] - a->d[i] - borrow;
        borrow = (diff >> 64) & 1;
    }
    return (int)borrow;
}

static void sc_cmov(sc *r, const sc *a, int flag)
{
    const uint64_t mask = 0 - (uint64_t)(flag & 1);
    for (int i = 0; i < 4; i++)
    {
        r->d[i] = (a->d[i] & mask) | (r->d[i] & ~mask);
    }
}

/* round(k * g / 2^384) for the GLV split. */
static void sc_mul_shift384(sc *r, const sc *k, const uint64_t g[4])
{
    uint64_t l[8] = {0};
    mp_muladd(l, 8, k->d, 4, g, 4);
    const uint64_t round = l[5] >> 63;
    u128 c = (u128)l[6] + round;
    r->d[0] = (uint64_t)c;
    c >>= 64;
    c += l[7];
    r->d[1] = (uint64_t)c;
    r->d[2] = (uint64_t)(c >> 64);
    r->d[3] = 0;
}

/*
 * k = k1 + k2 lambda (mod n) with |k1|, |k2| about 2^128: c1 = round(b2 k / n), c2 = round(-b1 k / n),
 * k2 = -c1 b1 - c2 b2, k1 = k - k2 lambda. Any c1, c2 give a valid split (the lattice vectors vanish at lambda);
 * the rounding only keeps the halves short.
 */
static void sc_split_lambda(sc *k1, sc *k2, const sc *k)
{
    sc c1, c2, t1, t2;
    sc_mul_shift384(&c1, k, SC_G1);
    sc_mul_shift384(&c2, k, SC_G2);
    sc_mul(&t1, &c1, &SC_MINUS_B1);
    sc_mul(&t2, &c2, &SC_MINUS_B2);
    sc_add(k2, &t1, &t2);
    sc_mul(&t1, k2, &SC_LAMBDA);
    sc_negate(&t1, &t1);
    sc_add(k1, k, &t1);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Points.                                                                                                       */

typedef struct
{
    fe x, y;
} ge;

typedef struct
{
    fe x, y, z;
    int inf;
} gej;

static const fe FE_ONE = FE_CONST(1, 0, 0, 0, 0);
static const fe FE_SEVEN = FE_CONST(7, 0, 0, 0, 0);
static const fe FE_BETA = FE_CONST(0x96c28719501eeULL, 0x7512f58995c13ULL, 0xc3434e99cf049ULL, 0x07106e64479eaULL,
                                   0x7ae96a2b657cULL);
static const ge GE_G = {FE_CONST(0x2815b16f81798ULL, 0xdb2dce28d959fULL, 0xe870b07029bfcULL, 0xbbac55a06295cULL,
                                 0x79be667ef9dcULL),
                        FE_CONST(0x7d08ffb10d4b8ULL, 0x48a68554199c4ULL, 0xe1108a8fd17b4ULL, 0xc4655da4fbfc0ULL,
                                 0x483ada7726a3ULL)};
/* sqrt(-3) (the root a^((p+1)/4) gives), 1/2, and (sqrt(-3) - 1) / 2. */
static const fe FE_SQRT_M3 = FE_CONST(0xd27ae1cd5f852ULL, 0x15da14ecd47d8ULL, 0x797962cc61f6dULL,
                                      0xf1df233770c2aULL, 0x0a2d2ba93507ULL);
static const fe FE_HALF = FE_CONST(0xfffff7ffffe18ULL, 0xfffffffffffffULL, 0xfffffffffffffULL, 0xfffffffffffffULL,
                                   0x7fffffffffffULL);
static const fe FE_C_INV = FE_CONST(0x693d68e6afa40ULL, 0x8aed0a766a3ecULL, 0x3cbcb16630fb6ULL,
                                    0xf8ef919bb8615ULL, 0x851695d49a83ULL);

static void gej_set_ge(gej *r, const ge *a)
{
    r->x = a->x;
    r->y = a->y;
    r->z = FE_ONE;
    r->inf = 0;
}

static void gej_cmov(gej *r, const gej *a, int flag)
{
    fe_cmov(&r->x, &a->x, flag);
    fe_cmov(&r->y, &a->y, flag);
    fe_cmov(&r->z, &a->z, flag);
    const int mask = -(flag & 1);
    r->inf = (a->inf & mask) | (r->inf & ~mask);
}

/* r = 2a (dbl-2009-l, 2M + 5S). Inputs of magnitude <= 2; outputs magnitude 1. r may alias a. */
static void gej_double(gej *r, const gej *a)
{
    if (a->inf)
    {
        r->inf = 1;
        return;
    }
    fe xx, yy, yyyy, d, e, f, t;
    fe_sqr(&xx, &a->x);
    fe_sqr(&yy, &a->y);
    fe_sqr(&yyyy, &yy);
    /* D = 2 ((X + YY)^2 - XX - YYYY) */
    fe_add(&t, &a->x, &yy);
    fe_sqr(&d, &t);
    fe_add(&t, &xx, &yyyy);
    fe_sub(&d, &d, &t, 2);
    fe_add(&d, &d, &d);
    fe_normalize_weak(&d);
    /* E = 3 XX, F = E^2 */
    fe_mul_int(&e, &xx, 3);
    fe_sqr(&f, &e);
    /* Z3 = 2 Y Z */
    fe_mul(&r->z, &a->y, &a->z);
    fe_add(&r->z, &r->z, &r->z);
    /* X3 = F - 2D */
    fe_add(&t, &d, &d);
    fe_sub(&r->x, &f, &t, 2);
    /* Y3 = E (D - X3) - 8 YYYY */
    fe_sub(&t, &d, &r->x, 4);
    fe_mul(&t, &e, &t);
    fe_mul_int(&yyyy, &yyyy, 8);
    fe_sub(&r->y, &t, &yyyy, 8);
    fe_normalize_weak(&r->x);
    fe_normalize_weak(&r->y);
    fe_normalize_weak(&r->z);
    r->inf = 0;
}

/*
 * Shared tail of the additions: given U1, U2, S1, S2 (magnitude 1) and Z3 / H (zh, = Z1 Z2), r = a + b.
 * Equal or opposite inputs branch (doubling, infinity), as the Java code does. When zr is not NULL it receives
 * Z3 / Z1 (= Z2 H) for the table without inversion.
 */
static void gej_add_tail(gej *r, const gej *a, const fe *u1, const fe *u2, const fe *s1, const fe *s2,
                         const fe *zh, const fe *z2, fe *zr)
{
    fe h, rr, hh, hhh, v, t, x3, y3, z3;
    fe_sub(&h, u2, u1, 1);
    fe_sub(&rr, s2, s1, 1);
    if (fe_normalizes_to_zero(&h))
    {
        if (fe_normalizes_to_zero(&rr))
        {
            gej_double(r, a);
        }
        else
        {
            r->inf = 1;
        }
        return;
    }
    fe_sqr(&hh, &h);
    fe_mul(&hhh, &h, &hh);
    fe_mul(&z3, zh, &h);
    if (zr != NULL)
    {
        if (z2 != NULL)
        {
            fe_mul(zr, z2, &h);
        }
        else
        {
            *zr = h;
            fe_normalize_weak(zr);
        }
    }
    /* V = U1 HH, X3 = R^2 - HHH - 2V */
    fe_mul(&v, u1, &hh);
    fe_sqr(&x3, &rr);
    fe_add(&t, &v, &v);
    fe_add(&t, &t, &hhh);
    fe_sub(&x3, &x3, &t, 3);
    /* Y3 = R (V - X3) - S1 HHH */
    fe_sub(&t, &v, &x3, 5);
    fe_mul(&t, &rr, &t);
    fe_mul(&y3, s1, &hhh);
    fe_sub(&y3, &t, &y3, 1);
    r->x = x3;
    r->y = y3;
    r->z = z3;
    fe_normalize_weak(&r->x);
    fe_normalize_weak(&r->y);
    r->inf = 0;
}

/* r = a + b (12M + 4S). r may alias either. */
static void gej_add(gej *r, const gej *a, const gej *b, fe *zr)
{
    if (a->inf)
    {
        *r = *b;
        return;
    }
    if (b->inf)
    {
        *r = *a;
        return;
    }
    fe z1z1, z2z2, u1, u2, s1, s2, zz;
    const gej a0 = *a;
    const fe bz = b->z;
    fe_sqr(&z1z1, &a->z);
    fe_sqr(&z2z2, &b->z);
    fe_mul(&u1, &a->x, &z2z2);
    fe_mul(&u2, &b->x, &z1z1);
    fe_mul(&s1, &a->y, &b->z);
    fe_mul(&s1, &s1, &z2z2);
    fe_mul(&s2, &b->y, &a->z);
    fe_mul(&s2, &s2, &z1z1);
    fe_mul(&zz, &a->z, &b->z);
    gej_add_tail(r, &a0, &u1, &u2, &s1, &s2, &zz, &bz, zr);
}

/* r = a + b for an affine b (8M + 3S). r may alias a. */
static void gej_add_ge(gej *r, const gej *a, const ge *b)
{
    if (a->inf)
    {
        gej_set_ge(r, b);
        return;
    }
    fe z1z1, u2, s2;
    const gej a0 = *a;
    fe_sqr(&z1z1, &a->z);
    fe_mul(&u2, &b->x, &z1z1);
    fe_mul(&s2, &b->y, &a->z);
    fe_mul(&s2, &s2, &z1z1);
    gej_add_tail(r, &a0, &a0.x, &u2, &a0.y, &s2, &a0.z, NULL, NULL);
}

/* r = a + b for an affine b, and zr = Z(r) / Z(a) (= H) when the addition is not exceptional. */
static void gej_add_ge_zr(gej *r, const gej *a, const ge *b, fe *zr)
{
    fe z1z1, u2, s2;
    const gej a0 = *a;
    fe_sqr(&z1z1, &a->z);
    fe_mul(&u2, &b->x, &z1z1);
    fe_mul(&s2, &b->y, &a->z);
    fe_mul(&s2, &s2, &z1z1);
    gej_add_tail(r, &a0, &a0.x, &u2, &a0.y, &s2, &a0.z, NULL, zr);
}

/* Affine forms of n finite points with one inversion (Montgomery's trick); coordinates normalized. */
static void gej_to_ge_batch(ge *out, const gej *in, int n, fe *prefix)
{
    fe inv, zi, zi2, t;
    prefix[0] = in[0].z;
    for (int j = 1; j < n; j++)
    {
        fe_mul(&prefix[j], &prefix[j - 1], &in[j].z);
    }
    fe_inv_gcd(&inv, &prefix[n - 1]);
    for (int j = n - 1; j >= 0; j--)
    {
        if (j > 0)
        {
            fe_mul(&zi, &inv, &prefix[j - 1]);
            fe_mul(&inv, &inv, &in[j].z);
        }
        else
        {
            zi = inv;
        }
        fe_sqr(&zi2, &zi);
        fe_mul(&t, &in[j].x, &zi2);
        fe_normalize(&t);
        out[j].x = t;
        fe_mul(&zi2, &zi2, &zi);
        fe_mul(&t, &in[j].y, &zi2);
        fe_normalize(&t);
        out[j].y = t;
    }
}

/* Affine (normalized) form of a finite point. */
static void gej_to_ge(ge *r, const gej *a)
{
    fe zi, zi2;
    fe_inv_gcd(&zi, &a->z);
    fe_sqr(&zi2, &zi);
    fe_mul(&r->x, &a->x, &zi2);
    fe_mul(&zi2, &zi2, &zi);
    fe_mul(&r->y, &a->y, &zi2);
    fe_normalize(&r->x);
    fe_normalize(&r->y);
}

/* y^2 = x^3 + 7 for normalized coordinates. */
static int ge_is_valid(const ge *a)
{
    fe l, r;
    fe_sqr(&l, &a->y);
    fe_sqr(&r, &a->x);
    fe_mul(&r, &r, &a->x);
    fe_add(&r, &r, &FE_SEVEN);
    fe_normalize(&l);
    fe_normalize(&r);
    return fe_equal(&l, &r);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Table lookups for secret digits.                                                                              */

/*
 * out = the entry |digit| of a row of odd multiples (entry j holds (2j + 1) * base), y negated when the digit's
 * sign and negate differ. The whole row is read with masks so the access pattern does not depend on the digit.
 */
static void table_select(ge *out, const ge *row, int entries, int digit, int negate)
{
    const int sign = digit >> 31;
    const int magnitude = (digit ^ sign) - sign;
    const uint32_t idx = (uint32_t)((magnitude - 1) >> 1);
    memset(out, 0, sizeof(*out));
    for (int j = 0; j < entries; j++)
    {
        const uint64_t mask = 0 - (uint64_t)((((uint32_t)j ^ idx) - 1u) >> 31);
        for (int i = 0; i < 5; i++)
        {
            out->x.n[i] |= row[j].x.n[i] & mask;
            out->y.n[i] |= row[j].y.n[i] & mask;
        }
    }
    fe ny;
    fe_negate(&ny, &out->y, 1);
    fe_cmov(&out->y, &ny, (sign & 1) ^ negate);
}

/* An odd m < 2^130 (three words) as 33 odd digits in [-15, 15], m = sum d_w 16^w; no branches. */
static void recode_odd4(int out[33], const uint64_t m_in[3])
{
    uint64_t m0 = m_in[0], m1 = m_in[1], m2 = m_in[2];
    for (int w = 0; w < 32; w++)
    {
        out[w] = (int)(m0 & 31) - 16;
        m0 = (m0 & ~31ULL) | 16;
        m0 = (m0 >> 4) | (m1 << 60);
        m1 = (m1 >> 4) | (m2 << 60);
        m2 >>= 4;
    }
    out[32] = (int)m0;
}

/* An odd m < 2^256 as 52 odd digits in [-31, 31], m = sum d_w 32^w; no branches. */
static void recode_odd5(int out[52], const uint64_t m_in[4])
{
    uint64_t m0 = m_in[0], m1 = m_in[1], m2 = m_in[2], m3 = m_in[3];
    for (int w = 0; w < 51; w++)
    {
        out[w] = (int)(m0 & 63) - 32;
        m0 = (m0 & ~63ULL) | 32;
        m0 = (m0 >> 5) | (m1 << 59);
        m1 = (m1 >> 5) | (m2 << 59);
        m2 = (m2 >> 5) | (m3 << 59);
        m3 >>= 5;
    }
    out[51] = (int)m0;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Fixed-base multiplication: 52 rows of 16 affine odd multiples (2j + 1) 32^w B.                                */

#define FIXED_WINDOWS 52
#define FIXED_ENTRIES 16

typedef struct
{
    ge e[FIXED_WINDOWS][FIXED_ENTRIES];
} fixed_table;

static fixed_table G_TABLE;

/* Verification tables: 33 rows of 128 affine odd multiples (2j + 1) 256^w B (about 330 KB), for variable-time
 * multiplication by a public scalar in 33 additions. */
#define WIDE_WINDOWS 33
#define WIDE_ENTRIES 128

typedef struct
{
    ge e[WIDE_WINDOWS][WIDE_ENTRIES];
} wide_table;

static wide_table G_WIDE;

/* out[w * entries + j] = (2j + 1) (2 entries)^w base, one batch inversion per row. */
static void comb_table_build(ge *out, int windows, int entries, const ge *base_point)
{
    gej row[WIDE_ENTRIES];
    fe prefix[WIDE_ENTRIES];
    gej base, twice;
    gej_set_ge(&base, base_point);
    for (int w = 0; w < windows; w++)
    {
        row[0] = base;
        gej_double(&twice, &base);
        for (int j = 1; j < entries; j++)
        {
            gej_add(&row[j], &row[j - 1], &twice, NULL);
        }
        gej_to_ge_batch(out + (size_t)w * entries, row, entries, prefix);
        /* The next row's base: (2 entries) base = (2 entries - 1) base + base. */
        gej_add(&base, &row[entries - 1], &base, NULL);
    }
}

/* The table of base: row w holds (2j + 1) 32^w base for j in 0..15. */
static void fixed_table_build(fixed_table *table, const ge *base_point)
{
    comb_table_build(&table->e[0][0], FIXED_WINDOWS, FIXED_ENTRIES, base_point);
}

/*
 * r = k * B for a secret k < 2^256 (B the table's base): k made odd (an even k runs as k + 1 and B is taken off at
 * the end by a masked addition), recoded into 52 odd signed 5-bit digits, one mixed addition per row, no doublings.
 */
static void ecmult_fixed_const(gej *r, const fixed_table *table, const sc *k)
{
    uint64_t m[4] = {k->d[0], k->d[1], k->d[2], k->d[3]};
    const int even = (int)((m[0] & 1) ^ 1);
    m[0] |= 1;
    int digits[FIXED_WINDOWS];
    recode_odd5(digits, m);
    ge s;
    table_select(&s, table->e[0], FIXED_ENTRIES, digits[0], 0);
    gej_set_ge(r, &s);
    for (int w = 1; w < FIXED_WINDOWS; w++)
    {
        table_select(&s, table->e[w], FIXED_ENTRIES, digits[w], 0);
        gej_add_ge(r, r, &s);
    }
    gej corrected;
    memset(&corrected, 0, sizeof(corrected));   /* an infinite sum sets only inf; cmov still reads x, y, z */
    table_select(&s, table->e[0], FIXED_ENTRIES, 1, 1);
    gej_add_ge(&corrected, r, &s);
    gej_cmov(r, &corrected, even);
}

/* An odd m < 2^256 as 33 odd digits in [-255, 255], m = sum d_w 256^w. */
static void recode_odd8(int out[WIDE_WINDOWS], const uint64_t m_in[4])
{
    uint64_t m0 = m_in[0], m1 = m_in[1], m2 = m_in[2], m3 = m_in[3];
    for (int w = 0; w < WIDE_WINDOWS - 1; w++)
    {
        out[w] = (int)(m0 & 511) - 256;
        m0 = (m0 & ~511ULL) | 256;
        m0 = (m0 >> 8) | (m1 << 56);
        m1 = (m1 >> 8) | (m2 << 56);
        m2 = (m2 >> 8) | (m3 << 56);
        m3 >>= 8;
    }
    out[WIDE_WINDOWS - 1] = (int)m0;
}

/* r = k * B for a public k < 2^256 with B's wide table: one direct lookup and addition per row. */
static void ecmult_wide_var(gej *r, const wide_table *table, const sc *k)
{
    uint64_t m[4] = {k->d[0], k->d[1], k->d[2], k->d[3]};
    const int even = (int)((m[0] & 1) ^ 1);
    m[0] |= 1;
    int digits[WIDE_WINDOWS];
    recode_odd8(digits, m);
    r->inf = 1;
    for (int w = 0; w < WIDE_WINDOWS; w++)
    {
        const int d = digits[w];
        ge s = table->e[w][((d < 0 ? -d : d) - 1) >> 1];
        if (d < 0)
        {
            fe_negate(&s.y, &s.y, 1);
        }
        gej_add_ge(r, r, &s);
    }
    if (even)
    {
        ge s = table->e[0][0];
        fe_negate(&s.y, &s.y, 1);
        gej_add_ge(r, r, &s);
    }
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Variable-base multiplication with GLV.                                                                        */

#define VAR_ENTRIES 8

/*
 * tbl[j] = (2j + 1) P and tbl[8 + j] = lambda (2j + 1) P = (beta x, y), all at one common Z (returned in zg)
 * without an inversion: each multiple's Z ratio to the next comes out of the addition that made it. With one
 * common Z the entries are affine points of the isomorphic curve (x zg^2, y zg^3); doubling and addition do not
 * use the curve constant, so the multiplication runs there and its result returns by multiplying Z by zg.
 */
static void var_table_build(ge tbl[2 * VAR_ENTRIES], fe *zg, const ge *p)
{
    gej row[VAR_ENTRIES];
    fe ratio[VAR_ENTRIES];
    gej twice;
    gej_set_ge(&row[0], p);
    gej_double(&twice, &row[0]);
    /* Work on the isomorphic curve where 2P is affine: (x, y) -> (x c^2, y c^3) with c = Z(2P). There 2P is
     * (X(2P), Y(2P)) and P is (x c^2, y c^3), so the multiples come from mixed additions (8M + 3S), each giving
     * its Z ratio H. */
    ge twice_iso = {twice.x, twice.y};
    fe c2, c3;
    fe_sqr(&c2, &twice.z);
    fe_mul(&c3, &c2, &twice.z);
    fe_mul(&row[0].x, &p->x, &c2);
    fe_mul(&row[0].y, &p->y, &c3);
    for (int j = 1; j < VAR_ENTRIES; j++)
    {
        gej_add_ge_zr(&row[j], &row[j - 1], &twice_iso, &ratio[j]);
    }
    /* Back to the curve of P: the common Z is Z(15 P on the isomorphic curve) times c. */
    fe_mul(zg, &row[VAR_ENTRIES - 1].z, &twice.z);
    fe scale = FE_ONE, scale2, c;
    for (int j = VAR_ENTRIES - 1; j >= 0; j--)
    {
        if (j < VAR_ENTRIES - 1)
        {
            fe_mul(&scale, &scale, &ratio[j + 1]);
        }
        fe_sqr(&scale2, &scale);
        fe_mul(&c, &row[j].x, &scale2);
        tbl[j].x = c;
        fe_mul(&tbl[VAR_ENTRIES + j].x, &c, &FE_BETA);
        fe_mul(&scale2, &scale2, &scale);
        fe_mul(&c, &row[j].y, &scale2);
        tbl[j].y = c;
        tbl[VAR_ENTRIES + j].y = c;
    }
}

/*
 * r = k * P with P's table from var_table_build (Z of the result already multiplied by zg). k = k1 + k2 lambda,
 * each half's sign applied by masked negation of the selected entries, each half made odd (+1, taken off at the
 * end by a masked addition), 33 odd signed 4-bit digits per half: every window doubles four times and adds twice.
 */
static void ecmult_var_const(gej *r, const ge tbl[2 * VAR_ENTRIES], const fe *zg, const sc *k)
{
    sc k1, k2, n1, n2;
    sc_split_lambda(&k1, &k2, k);
    const int neg1 = sc_is_high(&k1);
    const int neg2 = sc_is_high(&k2);
    sc_negate(&n1, &k1);
    sc_negate(&n2, &k2);
    sc_cmov(&k1, &n1, neg1);
    sc_cmov(&k2, &n2, neg2);
    const int even1 = (int)((k1.d[0] & 1) ^ 1);
    const int even2 = (int)((k2.d[0] & 1) ^ 1);
    k1.d[0] |= 1;
    k2.d[0] |= 1;
    int d1[33], d2[33];
    recode_odd4(d1, k1.d);
    recode_odd4(d2, k2.d);
    const ge *row1 = tbl;
    const ge *row2 = tbl + VAR_ENTRIES;
    ge s;
    table_select(&s, row1, VAR_ENTRIES, d1[32], neg1);
    gej_set_ge(r, &s);
    table_select(&s, row2, VAR_ENTRIES, d2[32], neg2);
    gej_add_ge(r, r, &s);
    for (int w = 31; w >= 0; w--)
    {
        gej_double(r, r);
        gej_double(r, r);
        gej_double(r, r);
        gej_double(r, r);
        table_select(&s, row1, VAR_ENTRIES, d1[w], neg1);
        gej_add_ge(r, r, &s);
        table_select(&s, row2, VAR_ENTRIES, d2[w], neg2);
        gej_add_ge(r, r, &s);
    }
    gej corrected;
    memset(&corrected, 0, sizeof(corrected));   /* an infinite sum sets only inf; cmov still reads x, y, z */
    table_select(&s, row1, VAR_ENTRIES, 1, neg1 ^ 1);
    gej_add_ge(&corrected, r, &s);
    gej_cmov(r, &corrected, even1);
    table_select(&s, row2, VAR_ENTRIES, 1, neg2 ^ 1);
    gej_add_ge(&corrected, r, &s);
    gej_cmov(r, &corrected, even2);
    fe_mul(&r->z, &r->z, zg);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* SHA-256 (on the library's compression function) and BIP340 tagged hashes.                                     */

typedef struct
{
    uint32_t s[8];
    uint8_t buf[64];
    uint64_t bytes;
} sha256_ctx;

/* One compression: SHA-NI when the CPU has it (about 6x faster than the portable code), else portable. The
 * choice is made on first use (a benign race: every thread makes the same one). */
static void sha256_compress(uint32_t state[8], const uint8_t block[64])
{
    static volatile int shani = -1;
    int use = shani;
    if (use < 0)
    {
        use = (sv2_kernels_available() & (1u << SV2_KERNEL_SHANI)) != 0;
        shani = use;
    }
    if (use)
    {
        sv2_compress_block_shani(state, block);
    }
    else
    {
        sv2_compress_block(state, block);
    }
}

static void sha256_init(sha256_ctx *c)
{
    memcpy(c->s, sv2_iv256, sizeof(c->s));
    c->bytes = 0;
}

static void sha256_write(sha256_ctx *c, const uint8_t *data, size_t len)
{
    size_t fill = (size_t)(c->bytes & 63);
    c->bytes += len;
    if (fill > 0)
    {
        const size_t take = len < 64 - fill ? len : 64 - fill;
        memcpy(c->buf + fill, data, take);
        data += take;
        len -= take;
        fill += take;
        if (fill < 64)
        {
            return;
        }
        sha256_compress(c->s, c->buf);
    }
    while (len >= 64)
    {
        sha256_compress(c->s, data);
        data += 64;
        len -= 64;
    }
    memcpy(c->buf, data, len);
}

static void sha256_final(sha256_ctx *c, uint8_t out[32])
{
    const uint64_t bits = c->bytes * 8;
    size_t fill = (size_t)(c->bytes & 63);
    c->buf[fill++] = 0x80;
    if (fill > 56)
    {
        memset(c->buf + fill, 0, 64 - fill);
        sha256_compress(c->s, c->buf);
        fill = 0;
    }
    memset(c->buf + fill, 0, 56 - fill);
    for (int i = 0; i < 8; i++)
    {
        c->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    }
    sha256_compress(c->s, c->buf);
    for (int i = 0; i < 8; i++)
    {
        sv2_wr_be32(out + 4 * i, c->s[i]);
    }
}

/* The state after the block SHA256(tag) || SHA256(tag). */
static void sha256_tag_midstate(sha256_ctx *c, const char *tag)
{
    uint8_t h[32], block[64];
    sha256_init(c);
    sha256_write(c, (const uint8_t *)tag, strlen(tag));
    sha256_final(c, h);
    memcpy(block, h, 32);
    memcpy(block + 32, h, 32);
    sha256_init(c);
    sha256_write(c, block, 64);
}

static sha256_ctx TAG_AUX, TAG_NONCE, TAG_CHALLENGE;

static pthread_once_t INIT_ONCE = PTHREAD_ONCE_INIT;
static pthread_once_t WIDE_ONCE = PTHREAD_ONCE_INIT;

/* The generator's verification table, built on the first verification (a few ms). */
static void wide_once(void)
{
    comb_table_build(&G_WIDE.e[0][0], WIDE_WINDOWS, WIDE_ENTRIES, &GE_G);
}

static void init_once(void)
{
    fixed_table_build(&G_TABLE, &GE_G);
    sha256_tag_midstate(&TAG_AUX, "BIP0340/aux");
    sha256_tag_midstate(&TAG_NONCE, "BIP0340/nonce");
    sha256_tag_midstate(&TAG_CHALLENGE, "BIP0340/challenge");
}

static void ensure_init(void)
{
    pthread_once(&INIT_ONCE, init_once);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Helpers on field elements.                                                                                    */

/* r = x^3 + 7. */
static void fe_curve_rhs(fe *r, const fe *x)
{
    fe t;
    fe_sqr(&t, x);
    fe_mul(&t, &t, x);
    fe_add(r, &t, &FE_SEVEN);
}

/* Whether a (any magnitude <= 8) is a square mod p (0 counts as a square). Variable time is allowed by callers. */
static int fe_is_square_var(const fe *a)
{
    return fe_is_square_jacobi_var(a);
}

/* Whether x is the x-coordinate of a curve point. */
static int fe_is_valid_x_var(const fe *x)
{
    fe rhs;
    fe_curve_rhs(&rhs, x);
    return fe_is_square_var(&rhs);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* ElligatorSwift (BIP324).                                                                                      */

/* Whether x = n / d (d != 0) is the x-coordinate of a curve point: (n^3 + 7 d^3) / d^3 is a square, and so is
 * (n^3 + 7 d^3) d, which needs no division. w receives n^3 + 7 d^3. Variable time (public data). */
static int frac_is_valid_x_var(fe *w, const fe *n, const fe *d)
{
    fe n3, d3, t;
    fe_sqr(&n3, n);
    fe_mul(&n3, &n3, n);
    fe_sqr(&d3, d);
    fe_mul(&d3, &d3, d);
    fe_mul_int(&d3, &d3, 7);
    fe_add(w, &n3, &d3);
    fe_normalize_weak(w);
    fe_mul(&t, w, d);
    return fe_is_square_var(&t);
}

/*
 * xswiftec(u, t) as a fraction x = xn / xd with xd != 0, and w = xn^3 + 7 xd^3: no inversion. Only ever run on
 * public encodings (the peer's, or our own already sent), so its branches on the data are harmless. The first two
 * candidates are tested for being on the curve with a Jacobi symbol; the third always is.
 */
static void xswiftec_frac(fe *xn, fe *xd, fe *w, const fe *u_in, const fe *t_in)
{
    fe u = *u_in, t = *t_in;
    fe_normalize(&u);
    fe_normalize(&t);
    if (fe_is_zero(&u))
    {
        u = FE_ONE;
    }
    if (fe_is_zero(&t))
    {
        t = FE_ONE;
    }
    fe u3p7, tt, check, n1, d1, d2, ynum, d1d2, a, b;
    fe_curve_rhs(&u3p7, &u);
    fe_sqr(&tt, &t);
    fe_add(&check, &u3p7, &tt);
    if (fe_normalizes_to_zero(&check))
    {
        fe_add(&t, &t, &t);
        fe_sqr(&tt, &t);
    }
    /* X = n1 / d1 with n1 = u^3 + 7 - t^2, d1 = 2t; Y = (X + t) / d2 = ynum / (d1 d2) with d2 = sqrt(-3) u,
     * ynum = n1 + t d1. Neither d1 d2 nor ynum is zero here. */
    fe_sub(&n1, &u3p7, &tt, 1);
    fe_add(&d1, &t, &t);
    fe_mul(&d2, &FE_SQRT_M3, &u);
    fe_mul(&ynum, &t, &d1);
    fe_add(&ynum, &ynum, &n1);
    fe_mul(&d1d2, &d1, &d2);
    /* x1 = u + 4 Y^2 = (u (d1 d2)^2 + 4 ynum^2) / (d1 d2)^2 */
    fe_sqr(xd, &d1d2);
    fe_mul(xn, &u, xd);
    fe_sqr(&a, &ynum);
    fe_mul_int(&a, &a, 4);
    fe_add(xn, xn, &a);
    fe_normalize_weak(xn);
    if (frac_is_valid_x_var(w, xn, xd))
    {
        return;
    }
    /* x2 = (-X/Y - u) / 2 and x3 = (X/Y - u) / 2 with X/Y = n1 d2 / ynum: over 2 ynum, -n1 d2 - u ynum and
     * n1 d2 - u ynum. */
    fe_add(xd, &ynum, &ynum);
    fe_normalize_weak(xd);
    fe_mul(&a, &n1, &d2);
    fe_mul(&b, &u, &ynum);
    fe_add(xn, &a, &b);
    fe_negate(xn, xn, 2);
    fe_normalize_weak(xn);
    if (frac_is_valid_x_var(w, xn, xd))
    {
        return;
    }
    fe_sub(xn, &a, &b, 1);
    fe_normalize_weak(xn);
    frac_is_valid_x_var(w, xn, xd);
}

/* xswiftec(u, t), normalized. */
static void xswiftec(fe *x, const fe *u_in, const fe *t_in)
{
    fe xn, xd, w;
    xswiftec_frac(&xn, &xd, &w, u_in, t_in);
    fe_inv_gcd(&xd, &xd);
    fe_mul(x, &xn, &xd);
    fe_normalize(x);
}

/*
 * xswiftec_inv(x, u, c): 1 and t when case c has a solution. x on the curve, x and u normalized. Each square root
 * that may not exist is first tested with the (variable-time) Jacobi symbol, which is about three times cheaper,
 * so the about half of the attempts that fail stop early.
 */
static int xswiftec_inv(fe *t_out, const fe *x, const fe *u, int c)
{
    fe u2, u3p7, v, s, t, w;
    fe_sqr(&u2, u);
    fe_mul(&u3p7, &u2, u);
    fe_add(&u3p7, &u3p7, &FE_SEVEN);
    if ((c & 2) == 0)
    {
        fe m;
        fe_add(&m, x, u);
        fe_negate(&m, &m, 2);
        fe_normalize_weak(&m);
        if (fe_is_valid_x_var(&m))
        {
            return 0;
        }
        if (c & 1)
        {
            v = m;
        }
        else
        {
            v = *x;
        }
        /* s = -(u^3 + 7) / (u^2 + u v + v^2), a square iff -(u^3 + 7) (u^2 + u v + v^2) is. */
        fe den, num, q;
        fe_mul(&den, u, &v);
        fe_add(&den, &den, &u2);
        fe_sqr(&t, &v);
        fe_add(&den, &den, &t);
        if (fe_normalizes_to_zero(&den))
        {
            return 0;
        }
        fe_negate(&num, &u3p7, 2);
        fe_mul(&q, &num, &den);
        if (!fe_is_square_var(&q))
        {
            return 0;
        }
        /* BIP324's root is s^((p+1)/4), s = num / den. With E = (p-3)/4 (4E + 2 = p - 1), the exponents add up so
         * that s^((p+1)/4) = num den (num den^3)^E exactly: one exponentiation, no division, no sign to fix. */
        fe y, d3;
        fe_sqr(&d3, &den);
        fe_mul(&d3, &d3, &den);
        fe_mul(&d3, &d3, &num);
        fe_pow_p34(&y, &d3);
        fe_mul(&w, &q, &y);
        (void)s;
    }
    else
    {
        fe_sub(&s, x, u, 1);
        if (fe_normalizes_to_zero(&s))
        {
            return 0;
        }
        fe_normalize_weak(&s);
        if (!fe_is_square_var(&s))
        {
            return 0;
        }
        /* r = sqrt(-s (4 (u^3 + 7) + 3 s u^2)) */
        fe r, y;
        fe_mul(&r, &s, &u2);
        fe_mul_int(&r, &r, 3);
        fe_mul_int(&t, &u3p7, 4);
        fe_add(&r, &r, &t);
        fe_normalize_weak(&r);
        fe_mul(&r, &r, &s);
        fe_negate(&r, &r, 1);
        if (!fe_is_square_var(&r) || !fe_sqrt(&r, &r))
        {
            return 0;
        }
        if (c & 1)
        {
            if (fe_normalizes_to_zero(&r))
            {
                return 0;
            }
            fe_negate(&r, &r, 1);
        }
        /* s is a square: y = s^((p-3)/4) gives w = sqrt(s) = s y and 1/s = y^2. */
        fe_pow_p34(&y, &s);
        fe_mul(&w, &s, &y);
        fe_sqr(&y, &y);
        /* v = (r / s - u) / 2 */
        fe_mul(&v, &r, &y);
        fe_sub(&v, &v, u, 1);
        fe_mul(&v, &v, &FE_HALF);
    }
    if (c & 4)
    {
        fe_negate(&w, &w, 1);
    }
    /* t = w (u (sqrt(-3) - 1) / 2 - v) */
    fe_mul(&t, u, &FE_C_INV);
    fe_sub(&t, &t, &v, 2);
    fe_mul(&t, &t, &w);
    fe_normalize(&t);
    *t_out = t;
    return 1;
}

/*
 * A random encoding of x (normalized, on the curve): u uniform in [1, p) and the case uniform in 0..7, both from
 * SHA-256(rnd32 || counter), retried until that case has a solution, as BIP324's randomized encoder does. The
 * retries depend on the fresh randomness and the public x only, never on a secret, so variable time is harmless.
 */
static void ellswift_encode(uint8_t out[64], const fe *x, const uint8_t rnd32[32])
{
    for (uint32_t counter = 0;; counter++)
    {
        uint8_t block[37], h[32];
        memcpy(block, rnd32, 32);
        block[32] = (uint8_t)counter;
        block[33] = (uint8_t)(counter >> 8);
        block[34] = (uint8_t)(counter >> 16);
        block[35] = (uint8_t)(counter >> 24);
        block[36] = 0;
        sha256_ctx c;
        sha256_init(&c);
        sha256_write(&c, block, sizeof(block));
        sha256_final(&c, h);
        fe u, t;
        if (!fe_set_b32(&u, h))
        {
            continue;
        }
        if (fe_is_zero(&u))
        {
            continue;
        }
        block[36] = 1;
        sha256_init(&c);
        sha256_write(&c, block, sizeof(block));
        sha256_final(&c, h);
        if (xswiftec_inv(&t, x, &u, h[0] & 7))
        {
            fe_get_b32(out, &u);
            fe_get_b32(out + 32, &t);
            return;
        }
    }
}

/* Reads a 64-byte encoding and decodes it (normalized x). */
static void ellswift_decode(fe *x, const uint8_t enc[64])
{
    fe u, t;
    fe_set_b32(&u, enc);
    fe_set_b32(&t, enc + 32);
    xswiftec(x, &u, &t);
}

/*
 * The peer's point for x-only ECDH from its encoding, without a square root or a division. With x = n / d and
 * w = n^3 + 7 d^3, the point (n w, w^2) lies on y^2 = x^3 + 7 (w d)^3, the image of the curve under
 * (x, y) -> (l^2 x, l^3 y) with l^2 = w d (a square, as x is on the curve). The formulas never use the constant,
 * so k times it is computed there, and the curve's x of the result (X, Z) is X / (Z^2 w d). den receives w d.
 */
static void ellswift_xonly_point(ge *p, fe *den, fe *w, fe *xn, const uint8_t enc[64])
{
    fe u, t, xd;
    fe_set_b32(&u, enc);
    fe_set_b32(&t, enc + 32);
    xswiftec_frac(xn, &xd, w, &u, &t);
    fe_mul(&p->x, xn, w);
    fe_sqr(&p->y, w);
    fe_mul(den, w, &xd);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Exported functions.                                                                                           */

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_api_version)(void)
{
    return 1;
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_field_op)(int32_t op, uint8_t out[32], const uint8_t a[32], const uint8_t b[32])
{
    fe x, y, r;
    fe_set_b32(&x, a);
    fe_set_b32(&y, b);
    fe_normalize(&x);
    fe_normalize(&y);
    switch (op)
    {
    case 0: fe_mul(&r, &x, &y); break;
    case 1: fe_sqr(&r, &x); break;
    case 2: fe_add(&r, &x, &y); break;
    case 3: fe_sub(&r, &x, &y, 1); break;
    case 4: fe_inv_gcd(&r, &x); break;
    case 5:
        if (!fe_sqrt(&r, &x))
        {
            return 0;
        }
        break;
    case 6: return fe_is_square_var(&x);
    case 7: fe_negate(&r, &x, 1); break;
    case 8: fe_inv(&r, &x); break;
    default: return 0;
    }
    fe_normalize(&r);
    fe_get_b32(out, &r);
    return 1;
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_pubkey)(uint8_t x_out[32], uint8_t y_out[32], const uint8_t seckey[32])
{
    sc k;
    if (!sc_set_secret(&k, seckey))
    {
        return 0;
    }
    ensure_init();
    gej r;
    ecmult_fixed_const(&r, &G_TABLE, &k);
    if (r.inf)
    {
        return 0;
    }
    ge a;
    gej_to_ge(&a, &r);
    fe_get_b32(x_out, &a.x);
    fe_get_b32(y_out, &a.y);
    return 1;
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_mul)(uint8_t x_out[32], uint8_t y_out[32], const uint8_t px[32], const uint8_t py[32],
                   const uint8_t k32[32])
{
    ge p;
    if (!fe_set_b32(&p.x, px) || !fe_set_b32(&p.y, py) || !ge_is_valid(&p))
    {
        return 0;
    }
    sc k;
    sc_set_b32(&k, k32);
    ge tbl[2 * VAR_ENTRIES];
    fe zg;
    var_table_build(tbl, &zg, &p);
    gej r;
    ecmult_var_const(&r, tbl, &zg, &k);
    if (r.inf || fe_normalizes_to_zero(&r.z))
    {
        return 0;
    }
    ge a;
    gej_to_ge(&a, &r);
    fe_get_b32(x_out, &a.x);
    fe_get_b32(y_out, &a.y);
    return 1;
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_ellswift_decode)(uint8_t x_out[32], const uint8_t enc64[64])
{
    fe x;
    ellswift_decode(&x, enc64);
    fe_get_b32(x_out, &x);
    return 1;
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_xswiftec_inv)(uint8_t t_out[32], const uint8_t x32[32], const uint8_t u32[32], int32_t c)
{
    fe x, u, t;
    if (!fe_set_b32(&x, x32) || !fe_set_b32(&u, u32) || c < 0 || c > 7 || !fe_is_valid_x_var(&x))
    {
        return 0;
    }
    if (!xswiftec_inv(&t, &x, &u, c))
    {
        return 0;
    }
    fe_get_b32(t_out, &t);
    return 1;
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_ellswift_encode)(uint8_t enc64_out[64], const uint8_t x32[32], const uint8_t rnd32[32])
{
    fe x;
    if (!fe_set_b32(&x, x32) || !fe_is_valid_x_var(&x))
    {
        return 0;
    }
    ellswift_encode(enc64_out, &x, rnd32);
    return 1;
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_ellswift_keygen)(uint8_t enc64_out[64], uint8_t x_out[32], const uint8_t seckey[32],
                               const uint8_t rnd32[32])
{
    sc k;
    if (!sc_set_secret(&k, seckey))
    {
        return 0;
    }
    ensure_init();
    gej r;
    ecmult_fixed_const(&r, &G_TABLE, &k);
    if (r.inf)
    {
        return 0;
    }
    fe zi, x;
    fe_inv_gcd(&zi, &r.z);
    fe_sqr(&zi, &zi);
    fe_mul(&x, &r.x, &zi);
    fe_normalize(&x);
    fe_get_b32(x_out, &x);
    ellswift_encode(enc64_out, &x, rnd32);
    return 1;
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_ellswift_ecdh)(uint8_t x_out[32], uint8_t peer_x_out[32], const uint8_t enc64[64],
                             const uint8_t seckey[32])
{
    sc k;
    if (!sc_set_secret(&k, seckey))
    {
        return 0;
    }
    ge p;
    fe den, w, xn;
    ellswift_xonly_point(&p, &den, &w, &xn, enc64);
    ge tbl[2 * VAR_ENTRIES];
    fe zg;
    var_table_build(tbl, &zg, &p);
    gej r;
    ecmult_var_const(&r, tbl, &zg, &k);
    if (r.inf)
    {
        return 0;
    }
    /* One inversion, inv = 1 / (Z^2 w d): the shared x is X inv, and the peer's x is xn / d = xn inv Z^2 w. */
    fe z2, inv, res;
    fe_sqr(&z2, &r.z);
    fe_mul(&inv, &z2, &den);
    fe_inv_gcd(&inv, &inv);
    fe_mul(&res, &r.x, &inv);
    fe_normalize(&res);
    fe_get_b32(x_out, &res);
    if (peer_x_out != NULL)
    {
        fe_mul(&res, &inv, &z2);
        fe_mul(&res, &res, &w);
        fe_mul(&res, &res, &xn);
        fe_normalize(&res);
        fe_get_b32(peer_x_out, &res);
    }
    return 1;
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_ellswift_ecdh2)(uint8_t xa_out[32], uint8_t xb_out[32], const uint8_t enc64[64],
                              const uint8_t seckey_a[32], const uint8_t seckey_b[32])
{
    sc ka, kb;
    const int ok_a = sc_set_secret(&ka, seckey_a);
    const int ok_b = sc_set_secret(&kb, seckey_b);
    if (!(ok_a & ok_b))
    {
        return 0;
    }
    ge p;
    fe den, w, xn;
    ellswift_xonly_point(&p, &den, &w, &xn, enc64);
    ge tbl[2 * VAR_ENTRIES];
    fe zg;
    var_table_build(tbl, &zg, &p);
    gej ra, rb;
    ecmult_var_const(&ra, tbl, &zg, &ka);
    ecmult_var_const(&rb, tbl, &zg, &kb);
    if (ra.inf || rb.inf)
    {
        return 0;
    }
    /* da = Za^2 w d, db = Zb^2 w d; 1/da = db / (da db), 1/db = da / (da db). */
    fe da, db, inv, t, res;
    fe_sqr(&da, &ra.z);
    fe_mul(&da, &da, &den);
    fe_sqr(&db, &rb.z);
    fe_mul(&db, &db, &den);
    fe_mul(&inv, &da, &db);
    fe_inv_gcd(&inv, &inv);
    fe_mul(&t, &inv, &db);
    fe_mul(&res, &ra.x, &t);
    fe_normalize(&res);
    fe_get_b32(xa_out, &res);
    fe_mul(&t, &inv, &da);
    fe_mul(&res, &rb.x, &t);
    fe_normalize(&res);
    fe_get_b32(xb_out, &res);
    return 1;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* BIP340.                                                                                                       */

static void tagged_hash(uint8_t out[32], const sha256_ctx *tag, const uint8_t *a, size_t alen, const uint8_t *b,
                        size_t blen, const uint8_t *m, size_t mlen)
{
    sha256_ctx c = *tag;
    sha256_write(&c, a, alen);
    if (b != NULL)
    {
        sha256_write(&c, b, blen);
    }
    if (m != NULL && mlen > 0)
    {
        sha256_write(&c, m, mlen);
    }
    sha256_final(&c, out);
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_schnorr_sign)(uint8_t sig64_out[64], const uint8_t *msg, size_t len, const uint8_t d32[32],
                            const uint8_t px[32], const uint8_t aux32[32])
{
    sc d;
    if (!sc_set_secret(&d, d32))
    {
        return 0;
    }
    ensure_init();
    uint8_t t[32], h[32];
    tagged_hash(h, &TAG_AUX, aux32, 32, NULL, 0, NULL, 0);
    for (int i = 0; i < 32; i++)
    {
        t[i] = d32[i] ^ h[i];
    }
    tagged_hash(h, &TAG_NONCE, t, 32, px, 32, msg, len);
    sc k0, k;
    sc_set_b32(&k0, h);
    if (sc_is_zero(&k0))
    {
        return 0;
    }
    gej rj;
    ecmult_fixed_const(&rj, &G_TABLE, &k0);
    ge r;
    gej_to_ge(&r, &rj);
    sc_negate(&k, &k0);
    sc_cmov(&k, &k0, !fe_is_odd(&r.y));
    uint8_t rx[32];
    fe_get_b32(rx, &r.x);
    tagged_hash(h, &TAG_CHALLENGE, rx, 32, px, 32, msg, len);
    sc e, s;
    sc_set_b32(&e, h);
    sc_mul(&s, &e, &d);
    sc_add(&s, &s, &k);
    memcpy(sig64_out, rx, 32);
    sc_get_b32(sig64_out + 32, &s);
    return 1;
}

/* lift_x: the point with x = px and even y; 0 if px >= p or not on the curve. */
static int lift_x(ge *p, const uint8_t px[32])
{
    fe rhs;
    if (!fe_set_b32(&p->x, px))
    {
        return 0;
    }
    fe_curve_rhs(&rhs, &p->x);
    if (!fe_sqrt(&p->y, &rhs))
    {
        return 0;
    }
    fe_normalize(&p->y);
    if (fe_is_odd(&p->y))
    {
        fe_negate(&p->y, &p->y, 1);
        fe_normalize(&p->y);
    }
    return 1;
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_schnorr_verify)(const uint8_t sig64[64], const uint8_t *msg, size_t len, const uint8_t px[32],
                              const void *table)
{
    fe rx;
    sc s, e;
    if (!fe_set_b32(&rx, sig64) || !sc_set_b32(&s, sig64 + 32))
    {
        return 0;
    }
    ensure_init();
    uint8_t h[32];
    tagged_hash(h, &TAG_CHALLENGE, sig64, 32, px, 32, msg, len);
    sc_set_b32(&e, h);
    sc_negate(&e, &e);
    pthread_once(&WIDE_ONCE, wide_once);
    gej r1, r2;
    ecmult_wide_var(&r1, &G_WIDE, &s);
    if (table != NULL)
    {
        ecmult_wide_var(&r2, (const wide_table *)table, &e);
    }
    else
    {
        ge p;
        if (!lift_x(&p, px))
        {
            return 0;
        }
        ge tbl[2 * VAR_ENTRIES];
        fe zg;
        var_table_build(tbl, &zg, &p);
        ecmult_var_const(&r2, tbl, &zg, &e);
    }
    gej_add(&r1, &r1, &r2, NULL);
    if (r1.inf)
    {
        return 0;
    }
    ge r;
    gej_to_ge(&r, &r1);
    if (fe_is_odd(&r.y))
    {
        return 0;
    }
    return fe_equal(&r.x, &rx);
}

SV2_HIDDEN int64_t SV2_EC_FN(sv2_ec_pubkey_table_size)(void)
{
    return (int64_t)sizeof(wide_table);
}

SV2_HIDDEN int32_t SV2_EC_FN(sv2_ec_pubkey_table)(void *table, const uint8_t px[32])
{
    ge p;
    if (!lift_x(&p, px))
    {
        return 0;
    }
    comb_table_build(&((wide_table *)table)->e[0][0], WIDE_WINDOWS, WIDE_ENTRIES, &p);
    return 1;
}
