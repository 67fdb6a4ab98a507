/*
 * f8_conv2d_pk.c - the packed 2 x 4 block of groups == 1 convolutions on the
 * int16 band (f8_conv2d_arm.c): one SMLAD gives two channels' sums.
 *
 * Packed weights (written by src/ops/lower_arm.ts, packWeights): the
 * byte positions of the block layout (blk_at), but in each channel pair
 * (a, b) of a block the byte of b at tap t holds b(t) - [a(t) < 0], so that
 * the two bytes [a(t), b'(t)] read as a little-endian int16 are exactly
 * h(t) = a(t) + 256 b(t). With x a word of two int16 taps (t, t + 2) and w
 * the pair's word of the same taps, [a(t), b'(t), a(t+2), b'(t+2)]:
 *   SMLAD(w, x)          += S_a + 256 S_b    ("raw")
 *   SMLAD(SXTB16(w), x)  += S_a
 * so S_b = (raw - S_a) >> 8, exact while |S_b| < 2^23 (at most 496 taps of
 * int8 input, 256 of uint8, per call: band_mode sums longer K in passes
 * started from zero, with wskip stepping over the other passes' chunks). One SXTB16
 * per weight word instead of two. A block of 2 pixels x 4 channels per
 * 2 taps: 4 loads, 2 SXTB16, 8 SMLAD (16 MACs, 15 cycles on Cortex-M4).
 *
 * f8a_pk_pair runs all blocks of ctl->npairs pixel pairs of an output row
 * (after each pair: the segments' x += xstep, out += pstep, and the blocks
 * again from ini and w). Per block the 8 accumulators
 * [A.a0, A.raw0, B.a0, B.raw0, A.a1, A.raw1, B.a1, B.raw1] (pair A =
 * channels 0, 1, pair B = 2, 3; pixel 0 then pixel 1) start at the block's
 * 4 init words [B0, B0 + 256 B1 + radd, B2, B2 + 256 B3 + radd] (B the
 * folded biases; radd 255 for half_even, else 0), run over the segments
 * (runs of at most F8A_PK_U chunks of 16 taps, the kernel rows split) and
 * go to the list's last entry:
 *   f8a_pk_rq(0): the 8 words stored (raw - a = 256 (S_b + B_b) + radd);
 *   f8a_pk_rq(1), (2): requantised in place by the layer's one shift word
 *     sh = [n, k, n + 8, k_b]: x_a = a, x_b = raw - a (= 256 (bias_b + S_b)
 *     plus the rounding constant of n + 8), x += bit 31 of (x << k)
 *     (k = 31 - shift: the half_even tie bit; k = 32: nothing), x >>= shift,
 *     then SSAT (int8) or USAT (uint8) to 8 bits and stored (pixel 1 at
 *     +ostride).
 */
#include "f8_arm.h"

#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
/*
 * The assembly: F8A_PK_U chunks of 16 taps unrolled (one chunk text, the
 * pointers advanced by the first loads' post-increment), entered per
 * segment at chunk F8A_PK_U - n by an LDR PC from the segment list
 * (f8a_pk_entry); after the last chunk the next segment's entry, the list
 * ending in the requantisation's entry (f8a_pk_rq). All 14 registers: r4-r11
 * the accumulators, r0 the band, r1 the weights, r2 r3 the two pixels' taps,
 * r12 lr the pair words. Frame: [sp] the list cursor, [sp+4 ... +48] a copy
 * of f8a_pk_ctl's first 12 words (segs, w, ini, iend, out, sh, ostride,
 * wskip, npairs, xstep, nseg, pstep), [sp+52] the first ini.
 */
#define F8A_PK_STR2(x) #x
#define F8A_PK_STR(x) F8A_PK_STR2(x)

__asm__(
    "\t.syntax unified\n"
    "\t.thumb\n"
    "\t.section .text.f8a_pk_pair,\"ax\",%progbits\n"
    "\t.global f8a_pk_pair\n"
    "\t.global f8a_pk_body\n"
    "\t.global f8a_pk_end\n"
    "\t.global f8a_pk_rq0\n"
    "\t.global f8a_pk_rq1\n"
    "\t.global f8a_pk_rq2\n"
    "\t.type f8a_pk_pair, %function\n"
    "\t.thumb_func\n"
    "\t.p2align 2\n"
    "\t.macro F8A_PKS xo, wo, first\n"
    "\t.if \\first\n"
    "\tldr r2, [r0], #64\n"
    "\tldr r3, [r0, #-60]\n"
    "\tldr r12, [r1], #64\n"
    "\tldr lr, [r1, #-32]\n"
    "\t.else\n"
    "\tldr r2, [r0, #\\xo-64]\n"
    "\tldr r3, [r0, #\\xo-60]\n"
    "\tldr r12, [r1, #\\wo-64]\n"
    "\tldr lr, [r1, #\\wo-32]\n"
    "\t.endif\n"
    "\tsmlad r5, r12, r2, r5\n"
    "\tsmlad r9, r12, r3, r9\n"
    "\tsxtb16 r12, r12\n"
    "\tsmlad r4, r12, r2, r4\n"
    "\tsmlad r8, r12, r3, r8\n"
    "\tsmlad r7, lr, r2, r7\n"
    "\tsmlad r11, lr, r3, r11\n"
    "\tsxtb16 lr, lr\n"
    "\tsmlad r6, lr, r2, r6\n"
    "\tsmlad r10, lr, r3, r10\n"
    "\t.endm\n"
    "\t.macro F8A_PKC\n"
    "\tF8A_PKS 0, 0, 1\n"
    "\tF8A_PKS 8, 4, 0\n"
    "\tF8A_PKS 16, 8, 0\n"
    "\tF8A_PKS 24, 12, 0\n"
    "\tF8A_PKS 32, 16, 0\n"
    "\tF8A_PKS 40, 20, 0\n"
    "\tF8A_PKS 48, 24, 0\n"
    "\tF8A_PKS 56, 28, 0\n"
    "\t.endm\n"
    "\t.macro F8A_BLK\n"
    "\tldr r3, [sp, #12]\n"
    "\tldr r0, [sp, #16]\n"
    "\tldr r2, [sp, #4]\n"
    "\tcmp r3, r0\n"
    "\tbeq 5f\n"
    "\tldm r3!, {r4-r7}\n"
    "\tmov r8, r4\n"
    "\tmov r9, r5\n"
    "\tmov r10, r6\n"
    "\tmov r11, r7\n"
    "\tldr r0, [r2], #8\n"
    "\tstr r2, [sp]\n"
    "\tstr r3, [sp, #12]\n"
    "\tldr pc, [r2, #-4]\n"
    "\t.endm\n"
    "\t.macro F8A_RQ1 x, k, n, op\n"
    "\tlsl lr, \\x, \\k\n"
    "\tadd \\x, \\x, lr, lsr #31\n"
    "\tasr \\x, \\x, \\n\n"
    "\t\\op \\x, #8, \\x\n"
    "\t.endm\n"
    "\t.macro F8A_RQ op\n"
    "\tldr r2, [sp, #24]\n"
    "\tsub r5, r5, r4\n"
    "\tsub r9, r9, r8\n"
    "\tsub r7, r7, r6\n"
    "\tsub r11, r11, r10\n"
    "\tlsr r3, r2, #16\n"
    "\tlsr r0, r2, #24\n"
    "\tlsr r12, r2, #8\n"
    "\tF8A_RQ1 r5, r0, r3, \\op\n"
    "\tF8A_RQ1 r9, r0, r3, \\op\n"
    "\tF8A_RQ1 r7, r0, r3, \\op\n"
    "\tF8A_RQ1 r11, r0, r3, \\op\n"
    "\tF8A_RQ1 r4, r12, r2, \\op\n"
    "\tF8A_RQ1 r8, r12, r2, \\op\n"
    "\tF8A_RQ1 r6, r12, r2, \\op\n"
    "\tF8A_RQ1 r10, r12, r2, \\op\n"
    "\tldr r0, [sp, #20]\n"
    "\tldr r2, [sp, #28]\n"
    "\tstrb r4, [r0]\n"
    "\tstrb r5, [r0, #1]\n"
    "\tstrb r6, [r0, #2]\n"
    "\tstrb r7, [r0, #3]\n"
    "\tadd r3, r0, r2\n"
    "\tstrb r8, [r3]\n"
    "\tstrb r9, [r3, #1]\n"
    "\tstrb r10, [r3, #2]\n"
    "\tstrb r11, [r3, #3]\n"
    "\tadds r0, r0, #4\n"
    "\tstr r0, [sp, #20]\n"
    "\t.endm\n"
    "f8a_pk_pair:\n"
    "\tpush {r4-r11, lr}\n"
    "\tsub sp, sp, #60\n"
    "\tldm r0!, {r2-r9}\n"
    "\tmov r1, r3\n"
    "\tadd r10, sp, #4\n"
    "\tstm r10!, {r2-r9}\n"
    "\tmov r11, r4\n"
    "\tldm r0, {r2-r5}\n"
    "\tstm r10, {r2-r5, r11}\n"
    "3:\n"
    "\tF8A_BLK\n"
    "\t.p2align 2\n"
    "f8a_pk_body:\n"
    "\t.rept " F8A_PK_STR(F8A_PK_U) "\n"
    "\tF8A_PKC\n"
    "\t.endr\n"
    "f8a_pk_end:\n"
    "\tldr r2, [sp]\n"
    "\tldr r0, [r2], #8\n"
    "\tstr r2, [sp]\n"
    "\tldr pc, [r2, #-4]\n"
    "f8a_pk_rq0:\n"
    "\tldr r3, [sp, #20]\n"
    "\tstmia r3!, {r4-r11}\n"
    "\tstr r3, [sp, #20]\n"
    "\tldr r3, [sp, #32]\n"
    "\tadd r1, r1, r3\n"
    "\tF8A_BLK\n"
    "f8a_pk_rq1:\n"
    "\tF8A_RQ ssat\n"
    "\tF8A_BLK\n"
    "f8a_pk_rq2:\n"
    "\tF8A_RQ usat\n"
    "\tF8A_BLK\n"
    "5:\n"
    "\tldr r0, [sp, #36]\n"
    "\tsubs r0, r0, #1\n"
    "\tbeq 6f\n"
    "\tstr r0, [sp, #36]\n"
    "\tldr r2, [sp, #4]\n"
    "\tldr r3, [sp, #40]\n"
    "\tldr r12, [sp, #44]\n"
    "7:\n"
    "\tldr r0, [r2]\n"
    "\tadd r0, r0, r3\n"
    "\tstr r0, [r2], #8\n"
    "\tsubs r12, r12, #1\n"
    "\tbne 7b\n"
    "\tldr r0, [sp, #52]\n"
    "\tldr r1, [sp, #8]\n"
    "\tldr r2, [sp, #20]\n"
    "\tldr r3, [sp, #48]\n"
    "\tstr r0, [sp, #12]\n"
    "\tadd r2, r2, r3\n"
    "\tstr r2, [sp, #20]\n"
    "\tb 3b\n"
    "6:\n"
    "\tadd sp, sp, #60\n"
    "\tpop {r4-r11, pc}\n"
    "\t.purgem F8A_RQ1\n"
    "\t.purgem F8A_BLK\n"
    "\t.purgem F8A_RQ\n"
    "\t.purgem F8A_PKS\n"
    "\t.purgem F8A_PKC\n"
    "\t.size f8a_pk_pair, .-f8a_pk_pair\n"
    "\t.text\n");

extern const unsigned char f8a_pk_body[], f8a_pk_end[], f8a_pk_rq0[], f8a_pk_rq1[], f8a_pk_rq2[];

uintptr_t f8a_pk_rq(int kind)
{
    return (kind == 1 ? (uintptr_t)f8a_pk_rq1 : kind == 2 ? (uintptr_t)f8a_pk_rq2 : (uintptr_t)f8a_pk_rq0) | 1u;
}

uintptr_t f8a_pk_entry(int32_t n)
{
    uintptr_t end = (uintptr_t)f8a_pk_end, chunk = (end - (uintptr_t)f8a_pk_body) / F8A_PK_U;
    return (end - (uintptr_t)n * chunk) | 1u;
}
#else
uintptr_t f8a_pk_entry(int32_t n)
{
    return (uintptr_t)n;
}


uintptr_t f8a_pk_rq(int kind)
{
    return (uintptr_t)kind;
}

/* 2 taps of 2 pixels (x) against pair words at wa (channels 0, 1) and wb (2, 3): 16 MACs. */
F8_INLINE void pk_step(const uint8_t *x, const int8_t *wa, const int8_t *wb, int32_t a[8])
{
    uint32_t x0 = f8a_ld32(x), x1 = f8a_ld32(x + 4), w = f8a_ld32(wa);
    a[1] = f8a_smlad(w, x0, a[1]);
    a[5] = f8a_smlad(w, x1, a[5]);
    w = f8a_sxtb16(w);
    a[0] = f8a_smlad(w, x0, a[0]);
    a[4] = f8a_smlad(w, x1, a[4]);
    w = f8a_ld32(wb);
    a[3] = f8a_smlad(w, x0, a[3]);
    a[7] = f8a_smlad(w, x1, a[7]);
    w = f8a_sxtb16(w);
    a[2] = f8a_smlad(w, x0, a[2]);
    a[6] = f8a_smlad(w, x1, a[6]);
}

/* One sum x to a byte by the shift byte m and the correction byte k (the assembly's LSL, ADD, ASR, SSAT/USAT). */
static uint8_t pk_rq1(uint32_t x, uint32_t m, uint32_t k, int kind)
{
    int32_t q;
    x += (k >= 32u ? 0u : x << k) >> 31;
    q = f8_i32_from_u32(x) >> m;
    if (kind == 1) {
        q = q < -128 ? -128 : (q > 127 ? 127 : q);
    } else {
        q = q < 0 ? 0 : (q > 255 ? 255 : q);
    }
    return f8_byte(q);
}

void f8a_pk_pair(const f8a_pk_ctl *ctl)
{
    const int32_t *ini;
    int32_t r, q, g, pair;
    int kind = (int)ctl->rq;
    uint8_t *o = (uint8_t *)ctl->out;
    int32_t *out = (int32_t *)ctl->out;
    for (pair = 0; pair < ctl->npairs; pair++, o += ctl->pstep) {
        const int8_t *w = ctl->w;
        for (ini = ctl->ini; ini != ctl->iend; ini += 4) {
            const f8a_pk_seg *s;
            int32_t a[8];
            for (r = 0; r < 8; r++) {
                a[r] = ini[r & 3];
            }
            for (s = ctl->segs; s->x != NULL; s++) {
                const uint8_t *x = s->x + pair * ctl->xstep;
                for (q = 0; q < (int32_t)s->go; q++, x += 64, w += 64) {
                    for (g = 0; g < 8; g++) {
                        pk_step(x + 8 * g, w + 4 * g, w + 32 + 4 * g, a);
                    }
                }
            }
            if (kind == 0) {
                for (r = 0; r < 8; r++) {
                    out[r] = a[r];
                }
                out += 8;
                w += ctl->wskip;
                continue;
            }
            for (r = 0; r < 8; r += 2) {
                uint32_t sw = ctl->sh, xa = (uint32_t)a[r], xb = (uint32_t)a[r + 1] - xa;
                uint8_t *d = o + (r >> 2) * ctl->ostride + (r & 2);
                d[0] = pk_rq1(xa, sw & 255u, (sw >> 8) & 255u, kind);
                d[1] = pk_rq1(xb, (sw >> 16) & 255u, sw >> 24, kind);
            }
            o += 4;
        }
    }
}
#endif
