/*
 * f8_pool.c - max_pool, avg_pool and global_avg_pool, NHWC, per channel
 * (see f8_kernels.h for the contract).
 */
#include "f8_internal.h"

static int32_t pool_out_size(int32_t in, int32_t pad0, int32_t pad1, int32_t k, int32_t stride)
{
    int32_t span = in + pad0 + pad1 - k;
    return span < 0 ? 0 : span / stride + 1;
}

static f8_status pool_check(const f8_pool_params *p, f8_act_in in, const uint8_t *out)
{
    if (p == NULL || f8_in_null(in) || out == NULL) {
        return F8_ERR_NULL;
    }
    if (p->in_h < 1 || p->in_w < 1 || p->channels < 1 || p->kernel_h < 1 || p->kernel_w < 1 ||
        p->stride_h < 1 || p->stride_w < 1 || p->pad_top < 0 || p->pad_left < 0 || p->pad_bottom < 0 ||
        p->pad_right < 0 || p->pad_top >= p->kernel_h || p->pad_bottom >= p->kernel_h ||
        p->pad_left >= p->kernel_w || p->pad_right >= p->kernel_w) {
        return F8_ERR_ARG;
    }
    if (p->out_h < 1 || p->out_w < 1 ||
        p->out_h != pool_out_size(p->in_h, p->pad_top, p->pad_bottom, p->kernel_h, p->stride_h) ||
        p->out_w != pool_out_size(p->in_w, p->pad_left, p->pad_right, p->kernel_w, p->stride_w)) {
        return F8_ERR_ARG;
    }
    if (!f8_shift_ok(p->shift) || !f8_rounding_ok(p->rounding) || !f8_bounds_ok(p->out_lo, p->out_hi)) {
        return F8_ERR_ARG;
    }
    return F8_OK;
}

/* The valid cells of a window: rows [y0, y1), columns [x0, x1). */
typedef struct {
    int32_t y0, y1, x0, x1;
} pool_window;

static pool_window pool_window_at(const f8_pool_params *p, int32_t oy, int32_t ox)
{
    pool_window w;
    int32_t ys = oy * p->stride_h - p->pad_top;
    int32_t xs = ox * p->stride_w - p->pad_left;
    w.y0 = ys < 0 ? 0 : ys;
    w.y1 = ys + p->kernel_h > p->in_h ? p->in_h : ys + p->kernel_h;
    w.x0 = xs < 0 ? 0 : xs;
    w.x1 = xs + p->kernel_w > p->in_w ? p->in_w : xs + p->kernel_w;
    return w;
}

/* round(sum * 2^k / count), k = FL_out - FL_in; both sides fit int32 (checked by the compiler). */
static int32_t pool_average(int32_t sum, int32_t count, int32_t k, f8_rounding mode)
{
    if (k >= 0) {
        return f8_div_round(f8_i32_from_u32((uint32_t)sum << k), count, mode);
    }
    return f8_div_round(sum, count << -k, mode);
}

static void pool_run(const f8_pool_params *p, f8_act_in in, uint8_t *out, int is_avg)
{
    int32_t oy, ox, c, y, x;
    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            pool_window w = pool_window_at(p, oy, ox);
            int32_t cells = (w.y1 - w.y0) * (w.x1 - w.x0);
            int32_t count = p->count_include_pad ? p->kernel_h * p->kernel_w : cells;
            uint8_t *o = out + (oy * p->out_w + ox) * p->channels;
            for (c = 0; c < p->channels; c++) {
                int32_t acc = is_avg ? 0 : INT32_MIN;
                int32_t v;
                for (y = w.y0; y < w.y1; y++) {
                    for (x = w.x0; x < w.x1; x++) {
                        v = f8_load(in, (y * p->in_w + x) * p->channels + c);
                        acc = is_avg ? acc + v : (v > acc ? v : acc);
                    }
                }
                if (is_avg) {
                    v = f8_sat(pool_average(acc, count, p->shift, p->rounding), p->out_lo, p->out_hi);
                } else {
                    v = f8_requant(acc, (int)p->shift, p->rounding, p->out_lo, p->out_hi);
                }
                o[c] = f8_byte(v);
            }
        }
    }
}

static f8_status pool_entry(const f8_pool_params *p, f8_act_in in, uint8_t *out, int is_avg)
{
    f8_status st = pool_check(p, in, out);
    if (st == F8_OK) {
        pool_run(p, in, out, is_avg);
    }
    return st;
}

f8_status f8_max_pool_s8(const f8_pool_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return pool_entry(p, f8_in_s8(in), out, 0);
}

f8_status f8_max_pool_u8(const f8_pool_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return pool_entry(p, f8_in_u8(in), out, 0);
}

f8_status f8_avg_pool_s8(const f8_pool_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return pool_entry(p, f8_in_s8(in), out, 1);
}

f8_status f8_avg_pool_u8(const f8_pool_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return pool_entry(p, f8_in_u8(in), out, 1);
}

static f8_status global_pool_entry(const f8_global_avg_pool_params *p, f8_act_in in, uint8_t *out)
{
    int32_t c, i;
    if (p == NULL || f8_in_null(in) || out == NULL) {
        return F8_ERR_NULL;
    }
    if (p->cells < 1 || p->channels < 1 || !f8_shift_ok(p->shift) || !f8_rounding_ok(p->rounding) ||
        !f8_bounds_ok(p->out_lo, p->out_hi)) {
        return F8_ERR_ARG;
    }
    for (c = 0; c < p->channels; c++) {
        int32_t sum = 0;
        for (i = 0; i < p->cells; i++) {
            sum += f8_load(in, i * p->channels + c);
        }
        out[c] = f8_byte(f8_sat(pool_average(sum, p->cells, p->shift, p->rounding), p->out_lo, p->out_hi));
    }
    return F8_OK;
}

f8_status f8_global_avg_pool_s8(const f8_global_avg_pool_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return global_pool_entry(p, f8_in_s8(in), out);
}

f8_status f8_global_avg_pool_u8(const f8_global_avg_pool_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return global_pool_entry(p, f8_in_u8(in), out);
}

uint32_t f8_max_pool_s8_scratch_size(const f8_pool_params *p) { (void)p; return 0u; }
uint32_t f8_max_pool_u8_scratch_size(const f8_pool_params *p) { (void)p; return 0u; }
uint32_t f8_avg_pool_s8_scratch_size(const f8_pool_params *p) { (void)p; return 0u; }
uint32_t f8_avg_pool_u8_scratch_size(const f8_pool_params *p) { (void)p; return 0u; }
uint32_t f8_global_avg_pool_s8_scratch_size(const f8_global_avg_pool_params *p) { (void)p; return 0u; }
uint32_t f8_global_avg_pool_u8_scratch_size(const f8_global_avg_pool_params *p) { (void)p; return 0u; }
