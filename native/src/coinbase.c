/*
 * Coinbase batches (see sv2hash.h): from a coinbase midstate to the merkle root written in a header.
 * One stream at a time on the compression function the caller picks (SHA-NI or portable); the headers
 * are then hashed by the batch kernel.
 */
#include "internal.h"
#include "../include/sv2hash.h"

static inline uint16_t rd_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint64_t rd_le64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* The byte length of the context at ctx, or 0 when it does not fit in `room` bytes or is impossible. */
static uint64_t context_length(const uint8_t *ctx, uint64_t room)
{
    if (room < SV2_COINBASE_CONTEXT_HEADER_LENGTH)
    {
        return 0;
    }
    const uint64_t hashed = rd_le64(ctx + 32);
    const uint32_t tail = rd_le16(ctx + 40);
    const uint32_t suffix = rd_le16(ctx + 42);
    const uint32_t path = rd_le16(ctx + 44);
    if ((hashed & 63) != 0 || hashed > (UINT64_C(1) << 40) || tail > 63 || path > SV2_COINBASE_MAX_PATH)
    {
        return 0;
    }
    const uint64_t len = SV2_COINBASE_CONTEXT_HEADER_LENGTH + (uint64_t)tail + suffix + (uint64_t)path * SV2_HASH_LEN;
    return len <= room ? len : 0;
}

int sv2_coinbase_records_valid(const uint8_t *contexts, uint64_t contexts_length, const uint8_t *records40,
                               uint32_t count)
{
    for (uint32_t i = 0; i < count; i++)
    {
        const uint8_t *r = records40 + (uint64_t)i * SV2_COINBASE_RECORD_LENGTH;
        const uint32_t off = sv2_rd_le32(r);
        if (off == SV2_COINBASE_NONE)
        {
            continue;
        }
        if (sv2_rd_le32(r + 4) > SV2_COINBASE_MAX_EXTRANONCE || off >= contexts_length ||
            context_length(contexts + off, contexts_length - off) == 0)
        {
            return 0;
        }
    }
    return 1;
}

/* A SHA-256 stream continuing from a midstate: whole blocks go to compress, the rest waits in block. */
typedef struct
{
    uint32_t state[8];
    uint8_t block[64];
    uint32_t fill;
    uint64_t total;
    sv2_compress_fn compress;
} stream;

static void feed(stream *s, const uint8_t *p, uint32_t n)
{
    s->total += n;
    if (s->fill > 0)
    {
        const uint32_t take = 64 - s->fill < n ? 64 - s->fill : n;
        memcpy(s->block + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
        if (s->fill < 64)
        {
            return;
        }
        s->compress(s->state, s->block);
        s->fill = 0;
    }
    while (n >= 64)
    {
        s->compress(s->state, p);
        p += 64;
        n -= 64;
    }
    memcpy(s->block, p, n);
    s->fill = n;
}

/* out = SHA-256 of the 32-byte digest held in first (the second half of SHA-256d). */
static void second_hash(sv2_compress_fn compress, const uint32_t first[8], uint8_t out[32])
{
    uint8_t block[64];
    for (int i = 0; i < 8; i++)
    {
        sv2_wr_be32(block + 4 * i, first[i]);
    }
    block[32] = 0x80;
    memset(block + 33, 0, 29);
    block[62] = 0x01; /* 256 bits */
    block[63] = 0x00;
    uint32_t st[8];
    memcpy(st, sv2_iv256, 32);
    compress(st, block);
    for (int i = 0; i < 8; i++)
    {
        sv2_wr_be32(out + 4 * i, st[i]);
    }
}

/* Pads and finishes the first hash, then hashes its digest again: out = SHA-256d of everything fed. */
static void finish_double(stream *s, uint8_t out[32])
{
    const uint64_t bits = s->total * 8;
    s->block[s->fill++] = 0x80;
    if (s->fill > 56)
    {
        memset(s->block + s->fill, 0, 64 - s->fill);
        s->compress(s->state, s->block);
        s->fill = 0;
    }
    memset(s->block + s->fill, 0, 56 - s->fill);
    sv2_wr_be32(s->block + 56, (uint32_t)(bits >> 32));
    sv2_wr_be32(s->block + 60, (uint32_t)bits);
    s->compress(s->state, s->block);
    second_hash(s->compress, s->state, out);
}

/* The padding block of a 64-byte message: 0x80, zeros, the length 512 bits. */
static const uint8_t PAD64[64] = {
    0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0,    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00,
};

/* root = SHA-256d(root | node): three compressions. */
static void merkle_step(sv2_compress_fn compress, uint8_t root[32], const uint8_t node[32])
{
    uint8_t block[64];
    memcpy(block, root, 32);
    memcpy(block + 32, node, 32);
    uint32_t st[8];
    memcpy(st, sv2_iv256, 32);
    compress(st, block);
    compress(st, PAD64);
    second_hash(compress, st, root);
}

void sv2_coinbase_roots(sv2_compress_fn compress, const uint8_t *contexts, const uint8_t *records40,
                        uint8_t *headers80, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++)
    {
        const uint8_t *r = records40 + (uint64_t)i * SV2_COINBASE_RECORD_LENGTH;
        const uint32_t off = sv2_rd_le32(r);
        if (off == SV2_COINBASE_NONE)
        {
            continue;
        }
        const uint8_t *ctx = contexts + off;
        const uint32_t tail = rd_le16(ctx + 40);
        const uint32_t suffix = rd_le16(ctx + 42);
        const uint32_t path = rd_le16(ctx + 44);
        const uint8_t *bytes = ctx + SV2_COINBASE_CONTEXT_HEADER_LENGTH;

        stream s;
        memcpy(s.state, ctx, 32);
        s.fill = 0;
        s.total = rd_le64(ctx + 32);
        s.compress = compress;
        feed(&s, bytes, tail);
        feed(&s, r + 8, sv2_rd_le32(r + 4));
        feed(&s, bytes + tail, suffix);
        uint8_t root[32];
        finish_double(&s, root);

        const uint8_t *node = bytes + tail + suffix;
        for (uint32_t p = 0; p < path; p++)
        {
            merkle_step(compress, root, node + (uint64_t)p * SV2_HASH_LEN);
        }
        memcpy(headers80 + (uint64_t)i * SV2_HEADER_LEN + 36, root, 32);
    }
}
