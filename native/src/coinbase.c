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

/*
 * Four lanes: each lane walks its share's blocks (the coinbase from the midstate, the second hash, then per path node
 * the pair block, its padding block and the second hash) and takes the next share when done, so four streams of
 * different lengths stay interleaved on compress4. An idle lane (fewer than four shares left) compresses PAD64 into
 * a scratch state.
 */
enum
{
    PHASE_IDLE,
    PHASE_COINBASE,
    PHASE_SECOND,
    PHASE_NODE,
    PHASE_NODE_PAD,
};

typedef struct
{
    int phase;
    uint32_t share;
    const uint8_t *tail;
    const uint8_t *extranonce;
    const uint8_t *suffix;
    const uint8_t *path;
    uint32_t tail_len, extranonce_len, suffix_len, path_left;
    uint64_t pos;     /* bytes of the message after the midstate already compressed */
    uint64_t message; /* bytes after the midstate: tail + extranonce + suffix */
    uint64_t padded;  /* message + 0x80 + length, rounded up to 64 */
    uint64_t bits;    /* the whole coinbase's length in bits */
    uint8_t root[32]; /* the running digest: first hash, txid, node roots */
    uint8_t block[64];
} lane;

/* Copies the part of [start, start + n) that falls in the block at pos. */
static inline void copy_part(uint8_t out[64], uint64_t pos, uint64_t start, const uint8_t *p, uint32_t n)
{
    const uint64_t lo = start > pos ? start : pos;
    const uint64_t hi = start + n < pos + 64 ? start + n : pos + 64;
    if (lo < hi)
    {
        memcpy(out + (lo - pos), p + (lo - start), hi - lo);
    }
}

/* The coinbase block at l->pos: message bytes, 0x80, zeros, and the length in the last block. */
static void coinbase_block(lane *l)
{
    uint8_t *out = l->block;
    memset(out, 0, 64);
    copy_part(out, l->pos, 0, l->tail, l->tail_len);
    copy_part(out, l->pos, l->tail_len, l->extranonce, l->extranonce_len);
    copy_part(out, l->pos, (uint64_t)l->tail_len + l->extranonce_len, l->suffix, l->suffix_len);
    if (l->message >= l->pos && l->message < l->pos + 64)
    {
        out[l->message - l->pos] = 0x80;
    }
    if (l->pos + 64 == l->padded)
    {
        sv2_wr_be32(out + 56, (uint32_t)(l->bits >> 32));
        sv2_wr_be32(out + 60, (uint32_t)l->bits);
    }
}

/* The block of a second hash: the 32-byte digest in l->root, 0x80, zeros, the length 256 bits. */
static void second_block(lane *l)
{
    memcpy(l->block, l->root, 32);
    l->block[32] = 0x80;
    memset(l->block + 33, 0, 29);
    l->block[62] = 0x01;
    l->block[63] = 0x00;
}

static void state_out(const uint32_t st[8], uint8_t out[32])
{
    for (int i = 0; i < 8; i++)
    {
        sv2_wr_be32(out + 4 * i, st[i]);
    }
}

/* Loads the next coinbase record at or after *next into l (or marks it idle). */
static void take_share(lane *l, uint32_t st[8], const uint8_t *contexts, const uint8_t *records40, uint32_t count,
                       uint32_t *next)
{
    while (*next < count && sv2_rd_le32(records40 + (uint64_t)*next * SV2_COINBASE_RECORD_LENGTH) == SV2_COINBASE_NONE)
    {
        (*next)++;
    }
    if (*next == count)
    {
        l->phase = PHASE_IDLE;
        return;
    }
    const uint8_t *r = records40 + (uint64_t)*next * SV2_COINBASE_RECORD_LENGTH;
    const uint8_t *ctx = contexts + sv2_rd_le32(r);
    l->share = (*next)++;
    l->tail_len = rd_le16(ctx + 40);
    l->suffix_len = rd_le16(ctx + 42);
    l->path_left = rd_le16(ctx + 44);
    l->extranonce_len = sv2_rd_le32(r + 4);
    l->tail = ctx + SV2_COINBASE_CONTEXT_HEADER_LENGTH;
    l->suffix = l->tail + l->tail_len;
    l->path = l->suffix + l->suffix_len;
    l->extranonce = r + 8;
    l->pos = 0;
    l->message = (uint64_t)l->tail_len + l->extranonce_len + l->suffix_len;
    l->padded = (l->message + 9 + 63) & ~(uint64_t)63;
    l->bits = (rd_le64(ctx + 32) + l->message) * 8;
    memcpy(st, ctx, 32);
    l->phase = PHASE_COINBASE;
}

void sv2_coinbase_roots4(sv2_compress4_fn compress4, const uint8_t *contexts, const uint8_t *records40,
                         uint8_t *headers80, uint32_t count)
{
    lane lanes[4];
    uint32_t states[4][8];
    const uint8_t *blocks[4];
    uint32_t next = 0;
    for (int s = 0; s < 4; s++)
    {
        take_share(&lanes[s], states[s], contexts, records40, count, &next);
    }
    for (;;)
    {
        int active = 0;
        for (int s = 0; s < 4; s++)
        {
            lane *l = &lanes[s];
            switch (l->phase)
            {
            case PHASE_COINBASE:
                coinbase_block(l);
                blocks[s] = l->block;
                break;
            case PHASE_SECOND:
                second_block(l);
                blocks[s] = l->block;
                break;
            case PHASE_NODE:
                memcpy(l->block, l->root, 32);
                memcpy(l->block + 32, l->path, 32);
                blocks[s] = l->block;
                break;
            case PHASE_NODE_PAD:
                blocks[s] = PAD64;
                break;
            default:
                blocks[s] = PAD64; /* idle: scratch work on a scratch state */
                memcpy(states[s], sv2_iv256, 32);
                continue;
            }
            active++;
        }
        if (active == 0)
        {
            return;
        }
        compress4(states, blocks);
        for (int s = 0; s < 4; s++)
        {
            lane *l = &lanes[s];
            switch (l->phase)
            {
            case PHASE_COINBASE:
                l->pos += 64;
                if (l->pos == l->padded)
                {
                    state_out(states[s], l->root);
                    memcpy(states[s], sv2_iv256, 32);
                    l->phase = PHASE_SECOND;
                }
                break;
            case PHASE_NODE:
                l->phase = PHASE_NODE_PAD;
                break;
            case PHASE_NODE_PAD:
                state_out(states[s], l->root);
                memcpy(states[s], sv2_iv256, 32);
                l->path += SV2_HASH_LEN;
                l->path_left--;
                l->phase = PHASE_SECOND;
                break;
            case PHASE_SECOND:
                state_out(states[s], l->root);
                memcpy(states[s], sv2_iv256, 32);
                if (l->path_left > 0)
                {
                    l->phase = PHASE_NODE;
                }
                else
                {
                    memcpy(headers80 + (uint64_t)l->share * SV2_HEADER_LEN + 36, l->root, 32);
                    take_share(l, states[s], contexts, records40, count, &next);
                }
                break;
            default:
                break;
            }
        }
    }
}

/* compress4 from four single compressions (CPUs without SHA-NI). */
void sv2_compress4_portable(uint32_t states[4][8], const uint8_t *const blocks[4])
{
    for (int s = 0; s < 4; s++)
    {
        sv2_compress_block(states[s], blocks[s]);
    }
}
