/*
 * Inversion modulo p by Bernstein-Yang "safegcd" divsteps ("Fast constant-time gcd computation and modular
 * inversion", 2019), in the half-delta form (delta starts at 1/2; kept here as 2 delta), batched 62 divsteps at a
 * time on the low 64 bits of f and g, whose combined transition matrix is then applied to the full values.
 * Invariants: f = d a, g = e a (mod p); start f = p, g = a, d = 0, e = 1; when g reaches 0, f = +-1 and
 * 1/a = +-d. 12 batches (744 divsteps) run whatever the input, more than the 590 this variant needs for
 * 256-bit inputs, so the running time does not depend on a. Also a variable-time Jacobi symbol for public data.
 * Internal to secp256k1_ec.c.
 */
#ifndef SV2_SECP256K1_MODINV_H
#define SV2_SECP256K1_MODINV_H

#include "secp256k1_field.h"

typedef __int128 i128;

/* A signed integer as five limbs of 62 bits: limbs 0..3 in [0, 2^62), limb 4 signed. */
typedef struct
{
    int64_t v[5];
} s62;

#define S62_M ((int64_t)0x3FFFFFFFFFFFFFFFLL)
static const s62 S62_P = {{0x3ffffffefffffc2fLL, 0x3fffffffffffffffLL, 0x3fffffffffffffffLL, 0x3fffffffffffffffLL,
                          0xffLL}};
/* p^-1 mod 2^62. */
#define S62_PINV 0x27c7f6e22ddacacfULL

/* 62 divsteps on the low bits of f and g; returns the new 2 delta, t = {u, v, q, r} with
 * 2^62 f' = u f + v g, 2^62 g' = q f + r g. No branches. */
static inline int64_t divsteps62(int64_t delta, uint64_t f, uint64_t g, int64_t t[4])
{
    int64_t u = 1, v = 0, q = 0, r = 1;
    for (int i = 0; i < 62; i++)
    {
        /* Swap (and negate) when delta > 0 and g is odd: then the step is g' = (g - f) / 2 with f' = g. */
        const int64_t s = (int64_t)((uint64_t)((0 - delta) >> 63) & (0 - (g & 1)));
        const uint64_t su = (uint64_t)s;
        const uint64_t nf = (g & su) | (f & ~su);
        const uint64_t ng = ((0 - f) & su) | (g & ~su);
        const int64_t nu = (q & s) | (u & ~s);
        const int64_t nv = (r & s) | (v & ~s);
        const int64_t nq = ((0 - u) & s) | (q & ~s);
        const int64_t nr = ((0 - v) & s) | (r & ~s);
        delta = (delta ^ s) - s;
        f = nf;
        g = ng;
        u = nu;
        v = nv;
        q = nq;
        r = nr;
        /* g' = (g + (g odd) f) / 2; the f row doubles instead of halving the g row. */
        const uint64_t odd = 0 - (g & 1);
        g += f & odd;
        q += u & (int64_t)odd;
        r += v & (int64_t)odd;
        g >>= 1;
        u = (int64_t)((uint64_t)u << 1);
        v = (int64_t)((uint64_t)v << 1);
        delta += 2;
    }
    t[0] = u;
    t[1] = v;
    t[2] = q;
    t[3] = r;
    return delta;
}

/* (f, g) = (u f + v g, q f + r g) / 2^62, exact. */
static inline void s62_update_fg(s62 *f, s62 *g, const int64_t t[4])
{
    const int64_t u = t[0], v = t[1], q = t[2], r = t[3];
    i128 cf = (i128)u * f->v[0] + (i128)v * g->v[0];
    i128 cg = (i128)q * f->v[0] + (i128)r * g->v[0];
    cf >>= 62;
    cg >>= 62;
    for (int i = 1; i < 5; i++)
    {
        cf += (i128)u * f->v[i] + (i128)v * g->v[i];
        cg += (i128)q * f->v[i] + (i128)r * g->v[i];
        f->v[i - 1] = (int64_t)cf & S62_M;
        g->v[i - 1] = (int64_t)cg & S62_M;
        cf >>= 62;
        cg >>= 62;
    }
    f->v[4] = (int64_t)cf;
    g->v[4] = (int64_t)cg;
}

/* Carries limbs 0..3 into [0, 2^62). */
static inline void s62_carry(s62 *a)
{
    for (int i = 0; i < 4; i++)
    {
        a->v[i + 1] += a->v[i] >> 62;
        a->v[i] &= S62_M;
    }
}

/* a in (-p, 2p) to [0, p). */
static inline void s62_reduce(s62 *a)
{
    const int64_t neg = a->v[4] >> 63;
    for (int i = 0; i < 5; i++)
    {
        a->v[i] += S62_P.v[i] & neg;
    }
    s62_carry(a);
    s62 t;
    for (int i = 0; i < 5; i++)
    {
        t.v[i] = a->v[i] - S62_P.v[i];
    }
    s62_carry(&t);
    const int64_t keep = t.v[4] >> 63; /* all ones when a < p */
    for (int i = 0; i < 5; i++)
    {
        a->v[i] = (a->v[i] & keep) | (t.v[i] & ~keep);
    }
}

/* (d, e) = (u d + v e, q d + r e) / 2^62 mod p, for d, e in [0, p); results in [0, p). */
static inline void s62_update_de(s62 *d, s62 *e, const int64_t t[4])
{
    const int64_t u = t[0], v = t[1], q = t[2], r = t[3];
    i128 cd = (i128)u * d->v[0] + (i128)v * e->v[0];
    i128 ce = (i128)q * d->v[0] + (i128)r * e->v[0];
    /* Add md p, me p so the low 62 bits vanish; md, me in [0, 2^62). */
    const int64_t md = (int64_t)((0 - (uint64_t)cd * S62_PINV) & (uint64_t)S62_M);
    const int64_t me = (int64_t)((0 - (uint64_t)ce * S62_PINV) & (uint64_t)S62_M);
    cd += (i128)S62_P.v[0] * md;
    ce += (i128)S62_P.v[0] * me;
    cd >>= 62;
    ce >>= 62;
    for (int i = 1; i < 5; i++)
    {
        cd += (i128)u * d->v[i] + (i128)v * e->v[i] + (i128)S62_P.v[i] * md;
        ce += (i128)q * d->v[i] + (i128)r * e->v[i] + (i128)S62_P.v[i] * me;
        d->v[i - 1] = (int64_t)cd & S62_M;
        e->v[i - 1] = (int64_t)ce & S62_M;
        cd >>= 62;
        ce >>= 62;
    }
    d->v[4] = (int64_t)cd;
    e->v[4] = (int64_t)ce;
    s62_reduce(d);
    s62_reduce(e);
}

static inline void fe_to_words(uint64_t w[4], const fe *a)
{
    w[0] = a->n[0] | (a->n[1] << 52);
    w[1] = (a->n[1] >> 12) | (a->n[2] << 40);
    w[2] = (a->n[2] >> 24) | (a->n[3] << 28);
    w[3] = (a->n[3] >> 36) | (a->n[4] << 16);
}

static inline void fe_from_words(fe *r, const uint64_t w[4])
{
    r->n[0] = w[0] & FE_M52;
    r->n[1] = ((w[0] >> 52) | (w[1] << 12)) & FE_M52;
    r->n[2] = ((w[1] >> 40) | (w[2] << 24)) & FE_M52;
    r->n[3] = ((w[2] >> 28) | (w[3] << 36)) & FE_M52;
    r->n[4] = w[3] >> 16;
}

/* r = 1 / a (0 for a = 0), constant time. */
static inline void fe_inv_gcd(fe *r, const fe *a_in)
{
    fe a = *a_in;
    fe_normalize(&a);
    uint64_t w[4];
    fe_to_words(w, &a);
    s62 f = S62_P;
    s62 g = {{(int64_t)(w[0] & (uint64_t)S62_M), (int64_t)(((w[0] >> 62) | (w[1] << 2)) & (uint64_t)S62_M),
              (int64_t)(((w[1] >> 60) | (w[2] << 4)) & (uint64_t)S62_M),
              (int64_t)(((w[2] >> 58) | (w[3] << 6)) & (uint64_t)S62_M), (int64_t)(w[3] >> 56)}};
    s62 d = {{0, 0, 0, 0, 0}};
    s62 e = {{1, 0, 0, 0, 0}};
    int64_t delta = 1;
    int64_t t[4];
    for (int batch = 0; batch < 12; batch++)
    {
        const uint64_t flow = (uint64_t)f.v[0] | ((uint64_t)f.v[1] << 62);
        const uint64_t glow = (uint64_t)g.v[0] | ((uint64_t)g.v[1] << 62);
        delta = divsteps62(delta, flow, glow, t);
        s62_update_fg(&f, &g, t);
        s62_update_de(&d, &e, t);
    }
    /* f = +-1: 1/a = +-d. */
    const int64_t neg = f.v[4] >> 63;
    s62 nd;
    for (int i = 0; i < 5; i++)
    {
        nd.v[i] = S62_P.v[i] - d.v[i];
    }
    s62_carry(&nd);
    s62_reduce(&nd);
    for (int i = 0; i < 5; i++)
    {
        d.v[i] = (nd.v[i] & neg) | (d.v[i] & ~neg);
    }
    w[0] = (uint64_t)d.v[0] | ((uint64_t)d.v[1] << 62);
    w[1] = ((uint64_t)d.v[1] >> 2) | ((uint64_t)d.v[2] << 60);
    w[2] = ((uint64_t)d.v[2] >> 4) | ((uint64_t)d.v[3] << 58);
    w[3] = ((uint64_t)d.v[3] >> 6) | ((uint64_t)d.v[4] << 56);
    fe_from_words(r, w);
}

/* 4-word helpers for the Jacobi symbol. */
static inline int w4_is_zero(const uint64_t a[4])
{
    return (a[0] | a[1] | a[2] | a[3]) == 0;
}

static inline int w4_lt(const uint64_t a[4], const uint64_t b[4])
{
    for (int i = 3; i >= 0; i--)
    {
        if (a[i] != b[i])
        {
            return a[i] < b[i];
        }
    }
    return 0;
}

static inline void w4_sub(uint64_t a[4], const uint64_t b[4])
{
    unsigned char borrow = 0;
    for (int i = 0; i < 4; i++)
    {
        const uint64_t bi = b[i] + borrow;
        const unsigned char carry_in = (unsigned char)(bi < b[i]);
        borrow = (unsigned char)((a[i] < bi) | carry_in);
        a[i] -= bi;
    }
}

static inline void w4_shr(uint64_t a[4], int k)
{
    if (k == 0)
    {
        return;
    }
    a[0] = (a[0] >> k) | (a[1] << (64 - k));
    a[1] = (a[1] >> k) | (a[2] << (64 - k));
    a[2] = (a[2] >> k) | (a[3] << (64 - k));
    a[3] >>= k;
}

/*
 * The binary Jacobi symbol on 128-bit values, x even or odd, n odd: returns the accumulated sign when the loop
 * ends with n = 1 (else 0). Each step subtracts the smaller odd value from the larger without a branch on which
 * is larger: d = x - n; if that borrows, the pair becomes (n - x, x) and reciprocity may flip the sign.
 */
static inline int jacobi128_var(u128 x, u128 n, int sign)
{
    unsigned flips = sign < 0;
    if (x == 0)
    {
        return n == 1 ? sign : 0;
    }
    /* Make x odd first. */
    {
        const uint64_t lo = (uint64_t)x;
        const int k = lo != 0 ? __builtin_ctzll(lo) : 64 + __builtin_ctzll((uint64_t)(x >> 64));
        x >>= k;
        flips ^= (unsigned)(k & 1) & (unsigned)((((uint64_t)n & 7) == 3) | (((uint64_t)n & 7) == 5));
    }
    for (;;)
    {
        /* Both odd. */
        const u128 d = x - n;
        const u128 swap = (u128)0 - (u128)(x < n);
        /* Reciprocity when swapping: flip when both are 3 mod 4. */
        flips ^= (unsigned)swap & (unsigned)((((uint64_t)x & 3) == 3) & (((uint64_t)n & 3) == 3));
        const u128 nd = (d ^ swap) - swap; /* |x - n| */
        n = (x & swap) | (n & ~swap);
        x = nd;
        if (x == 0)
        {
            break;
        }
        const uint64_t lo = (uint64_t)x;
        const int k = lo != 0 ? __builtin_ctzll(lo) : 64 + __builtin_ctzll((uint64_t)(x >> 64));
        x >>= k;
        flips ^= (unsigned)(k & 1) & (unsigned)((((uint64_t)n & 7) == 3) | (((uint64_t)n & 7) == 5));
    }
    return n == 1 ? (flips & 1 ? -1 : 1) : 0;
}

/* x -= n on four words; returns the borrow out (1 when x < n before). */
static inline uint64_t w4_sub_borrow(uint64_t x[4], const uint64_t n[4])
{
    unsigned char borrow = 0;
    for (int i = 0; i < 4; i++)
    {
        borrow = __builtin_sub_overflow(x[i], n[i], &x[i]) | __builtin_sub_overflow(x[i], (uint64_t)borrow, &x[i]);
    }
    return borrow;
}

/*
 * Whether a is a square mod p (1 also for a = 0), in variable time: the binary Jacobi symbol (a / p) with
 * reciprocity, branch-free in the choice of which value is larger, on four words until both fit in two, then on
 * 128-bit integers. For public data only.
 */
static inline int fe_is_square_jacobi_var(const fe *a_in)
{
    fe a = *a_in;
    fe_normalize(&a);
    if (fe_is_zero(&a))
    {
        return 1;
    }
    uint64_t x[4], n[4] = {0xFFFFFFFEFFFFFC2FULL, 0xFFFFFFFFFFFFFFFFULL, 0xFFFFFFFFFFFFFFFFULL,
                           0xFFFFFFFFFFFFFFFFULL};
    fe_to_words(x, &a);
    unsigned flips = 0;
    /* Make x odd. */
    while (x[0] == 0)
    {
        x[0] = x[1];
        x[1] = x[2];
        x[2] = x[3];
        x[3] = 0;
    }
    {
        const int k = __builtin_ctzll(x[0]);
        w4_shr(x, k);
        flips ^= (unsigned)(k & 1) & (unsigned)(((n[0] & 7) == 3) | ((n[0] & 7) == 5));
    }
    while ((x[2] | x[3] | n[2] | n[3]) != 0)
    {
        /* Both odd: d = x - n; on a borrow the pair becomes (n - x, x), with reciprocity. No branch. */
        const uint64_t ox[4] = {x[0], x[1], x[2], x[3]};
        const uint64_t swap = 0 - w4_sub_borrow(x, n);
        flips ^= (unsigned)swap & (unsigned)(((ox[0] & 3) == 3) & ((n[0] & 3) == 3));
        unsigned char carry = (unsigned char)(swap & 1);
        for (int i = 0; i < 4; i++)
        {
            carry = __builtin_add_overflow(x[i] ^ swap, (uint64_t)carry, &x[i]);
            n[i] = (ox[i] & swap) | (n[i] & ~swap);
        }
        if (w4_is_zero(x))
        {
            return 0;
        }
        while (x[0] == 0)
        {
            x[0] = x[1];
            x[1] = x[2];
            x[2] = x[3];
            x[3] = 0;
        }
        const int k = __builtin_ctzll(x[0]);
        w4_shr(x, k);
        flips ^= (unsigned)(k & 1) & (unsigned)(((n[0] & 7) == 3) | ((n[0] & 7) == 5));
    }
    return jacobi128_var(((u128)x[1] << 64) | x[0], ((u128)n[1] << 64) | n[0], (flips & 1) ? -1 : 1) == 1;
}

#endif
