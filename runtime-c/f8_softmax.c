/*
 * f8_softmax.c - softmax over the last axis through a 256-entry exp table
 * (see f8_kernels.h). All sums are non-negative and at most 2^31, so they
 * are kept in uint32_t.
 */
#include "f8_internal.h"

/*
 * num / den rounded in `mode`, for num >= 0 and den >= 1 (uint32): the
 * non-negative case of f8_div_round, widened so that den may reach 2^31.
 */
static uint32_t softmax_div_round(uint32_t num, uint32_t den, f8_rounding mode)
{
    uint32_t q = num / den;
    uint32_t r = num - q * den;
    uint32_t other = den - r;
    int up;
    if (r != other) {
        up = r > other;
    } else {
        up = f8_round_tie_up(0, (int)(q & 1u), mode);
    }
    return up ? q + 1u : q;
}

static void softmax_row(const f8_softmax_params *p, f8_act_in in, int32_t base, uint8_t *out)
{
    int32_t i, m = f8_load(in, base);
    uint32_t sum = 0u;
    for (i = 1; i < p->row_len; i++) {
        int32_t v = f8_load(in, base + i);
        m = v > m ? v : m;
    }
    for (i = 0; i < p->row_len; i++) {
        sum += (uint32_t)p->exp_table[m - f8_load(in, base + i)];
    }
    for (i = 0; i < p->row_len; i++) {
        /* e <= 2^15 and fl_out <= 15: e * 2^fl_out <= 2^30. */
        uint32_t e = (uint32_t)p->exp_table[m - f8_load(in, base + i)];
        uint32_t q = softmax_div_round(e << p->fl_out, sum, p->rounding);
        int32_t v = q > (uint32_t)INT32_MAX ? INT32_MAX : (int32_t)q;
        out[base + i] = f8_byte(f8_sat(v, p->out_lo, p->out_hi));
    }
}

static f8_status softmax_entry(const f8_softmax_params *p, f8_act_in in, uint8_t *out)
{
    int32_t r;
    if (p == NULL || f8_in_null(in) || out == NULL || p->exp_table == NULL) {
        return F8_ERR_NULL;
    }
    if (p->rows < 1 || p->row_len < 1 || p->row_len > 65536 || p->fl_out < 0 || p->fl_out > 15 ||
        !f8_rounding_ok(p->rounding) || !f8_bounds_ok(p->out_lo, p->out_hi)) {
        return F8_ERR_ARG;
    }
    for (r = 0; r < p->rows; r++) {
        softmax_row(p, in, r * p->row_len, out);
    }
    return F8_OK;
}

f8_status f8_softmax_s8(const f8_softmax_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return softmax_entry(p, f8_in_s8(in), out);
}

f8_status f8_softmax_u8(const f8_softmax_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return softmax_entry(p, f8_in_u8(in), out);
}

uint32_t f8_softmax_s8_scratch_size(const f8_softmax_params *p) { (void)p; return 0u; }
uint32_t f8_softmax_u8_scratch_size(const f8_softmax_params *p) { (void)p; return 0u; }
