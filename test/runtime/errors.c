/*
 * Error paths and in-place use of the portable kernels (test/runtime/errors.test.ts).
 * Each kernel gets one valid parameter set (which must return F8_OK), then
 * copies of it with one bad field (F8_ERR_ARG) or a NULL pointer (F8_ERR_NULL).
 * In-place calls, where f8_kernels.h allows them (add, rescale, copy), must
 * give the bytes of the out-of-place call.
 * Prints "ok <what>" or "FAIL <what> ..." per check, then "done <checks> <failures>".
 */
#include <stdio.h>
#include <string.h>
#include "f8_kernels.h"

static int checks;
static int failures;

static void expect_status(const char *what, f8_status got, f8_status want)
{
    checks++;
    if (got != want) {
        failures++;
        printf("FAIL %s: status %d, expected %d\n", what, (int)got, (int)want);
    } else {
        printf("ok %s\n", what);
    }
}

static void expect_bytes(const char *what, const uint8_t *got, const uint8_t *want, size_t n)
{
    checks++;
    if (memcmp(got, want, n) != 0) {
        failures++;
        printf("FAIL %s: bytes differ\n", what);
    } else {
        printf("ok %s\n", what);
    }
}

/* A byte pattern with both signs, ties and large magnitudes. */
static void fill(uint8_t *p, size_t n, unsigned seed)
{
    size_t i;
    for (i = 0; i < n; i++) {
        p[i] = (uint8_t)((i * 37u + seed * 11u + 5u) & 0xffu);
    }
}

static int8_t s8_in[64];
static uint8_t u8_in[64];
static uint8_t out[128];
static int8_t weight[64];
static int8_t bad_shifts[2] = { 3, 40 };
static uint16_t exp_table[256];

#define BAD(name, field, value, call, want) \
    do { p = base; p.field = value; expect_status(name, call, want); } while (0)

static void conv2d_errors(void)
{
    f8_conv2d_params base, p;
    memset(&base, 0, sizeof base);
    base.in_h = 4; base.in_w = 4; base.in_c = 2;
    base.out_h = 4; base.out_w = 4; base.out_c = 2;
    base.kernel_h = 1; base.kernel_w = 1; base.stride_h = 1; base.stride_w = 1;
    base.dilation_h = 1; base.dilation_w = 1; base.groups = 1;
    base.weight = weight; base.bias = NULL; base.shifts = NULL; base.shift = 3;
    base.rounding = F8_ROUND_HALF_EVEN; base.out_lo = -128; base.out_hi = 127;
    p = base;
    expect_status("conv2d valid", f8_conv2d_s8(&p, s8_in, out, NULL), F8_OK);
    expect_status("conv2d valid u8", f8_conv2d_u8(&p, u8_in, out, NULL), F8_OK);
    expect_status("conv2d NULL params", f8_conv2d_s8(NULL, s8_in, out, NULL), F8_ERR_NULL);
    expect_status("conv2d NULL in", f8_conv2d_s8(&p, NULL, out, NULL), F8_ERR_NULL);
    expect_status("conv2d NULL out", f8_conv2d_u8(&p, u8_in, NULL, NULL), F8_ERR_NULL);
    BAD("conv2d NULL weight", weight, NULL, f8_conv2d_s8(&p, s8_in, out, NULL), F8_ERR_NULL);
    BAD("conv2d stride 0", stride_h, 0, f8_conv2d_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("conv2d dilation 0", dilation_w, 0, f8_conv2d_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("conv2d groups not dividing", groups, 3, f8_conv2d_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("conv2d negative pad", pad_top, -1, f8_conv2d_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("conv2d out_h inconsistent", out_h, 5, f8_conv2d_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("conv2d shift 32", shift, 32, f8_conv2d_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("conv2d per-channel shift 40", shifts, bad_shifts, f8_conv2d_u8(&p, u8_in, out, NULL), F8_ERR_ARG);
    BAD("conv2d rounding 3", rounding, (f8_rounding)3, f8_conv2d_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("conv2d out_hi 256", out_hi, 256, f8_conv2d_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("conv2d out_lo > out_hi", out_lo, 128, f8_conv2d_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
}

static void dense_errors(void)
{
    f8_dense_params base, p;
    memset(&base, 0, sizeof base);
    base.in_features = 8; base.out_features = 2; base.weight = weight; base.shift = -2;
    base.rounding = F8_ROUND_HALF_UP; base.out_lo = 0; base.out_hi = 255;
    p = base;
    expect_status("dense valid", f8_dense_s8(&p, s8_in, out, NULL), F8_OK);
    expect_status("dense NULL params", f8_dense_u8(NULL, u8_in, out, NULL), F8_ERR_NULL);
    expect_status("dense NULL in", f8_dense_s8(&p, NULL, out, NULL), F8_ERR_NULL);
    expect_status("dense NULL out", f8_dense_s8(&p, s8_in, NULL, NULL), F8_ERR_NULL);
    BAD("dense NULL weight", weight, NULL, f8_dense_s8(&p, s8_in, out, NULL), F8_ERR_NULL);
    BAD("dense in_features 0", in_features, 0, f8_dense_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("dense out_features -1", out_features, -1, f8_dense_u8(&p, u8_in, out, NULL), F8_ERR_ARG);
    BAD("dense shift -32", shift, -32, f8_dense_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("dense per-channel shift 40", shifts, bad_shifts, f8_dense_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("dense out_lo -129", out_lo, -129, f8_dense_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("dense rounding -1", rounding, (f8_rounding)-1, f8_dense_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
}

static void pool_errors(void)
{
    f8_pool_params base, p;
    f8_global_avg_pool_params gbase, g;
    memset(&base, 0, sizeof base);
    base.in_h = 4; base.in_w = 4; base.channels = 2; base.out_h = 2; base.out_w = 2;
    base.kernel_h = 2; base.kernel_w = 2; base.stride_h = 2; base.stride_w = 2;
    base.shift = 1; base.rounding = F8_ROUND_HALF_AWAY; base.out_lo = -128; base.out_hi = 127;
    p = base;
    expect_status("max_pool valid", f8_max_pool_s8(&p, s8_in, out, NULL), F8_OK);
    expect_status("avg_pool valid", f8_avg_pool_u8(&p, u8_in, out, NULL), F8_OK);
    expect_status("max_pool NULL params", f8_max_pool_s8(NULL, s8_in, out, NULL), F8_ERR_NULL);
    expect_status("avg_pool NULL in", f8_avg_pool_s8(&p, NULL, out, NULL), F8_ERR_NULL);
    expect_status("avg_pool NULL out", f8_avg_pool_u8(&p, u8_in, NULL, NULL), F8_ERR_NULL);
    BAD("max_pool kernel 0", kernel_h, 0, f8_max_pool_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("max_pool stride 0", stride_w, 0, f8_max_pool_u8(&p, u8_in, out, NULL), F8_ERR_ARG);
    BAD("max_pool pad >= kernel", pad_top, 2, f8_max_pool_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("avg_pool out_w inconsistent", out_w, 3, f8_avg_pool_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("avg_pool shift 32", shift, 32, f8_avg_pool_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("avg_pool channels 0", channels, 0, f8_avg_pool_u8(&p, u8_in, out, NULL), F8_ERR_ARG);
    BAD("avg_pool out_hi < out_lo", out_hi, -129, f8_avg_pool_s8(&p, s8_in, out, NULL), F8_ERR_ARG);

    memset(&gbase, 0, sizeof gbase);
    gbase.cells = 16; gbase.channels = 2; gbase.shift = 2; gbase.rounding = F8_ROUND_HALF_EVEN;
    gbase.out_lo = 0; gbase.out_hi = 255;
    g = gbase;
    expect_status("global_avg_pool valid", f8_global_avg_pool_u8(&g, u8_in, out, NULL), F8_OK);
    expect_status("global_avg_pool NULL in", f8_global_avg_pool_s8(&g, NULL, out, NULL), F8_ERR_NULL);
    expect_status("global_avg_pool NULL params", f8_global_avg_pool_s8(NULL, s8_in, out, NULL), F8_ERR_NULL);
    g = gbase; g.cells = 0;
    expect_status("global_avg_pool cells 0", f8_global_avg_pool_s8(&g, s8_in, out, NULL), F8_ERR_ARG);
    g = gbase; g.shift = -40;
    expect_status("global_avg_pool shift -40", f8_global_avg_pool_s8(&g, s8_in, out, NULL), F8_ERR_ARG);
    g = gbase; g.rounding = (f8_rounding)9;
    expect_status("global_avg_pool rounding 9", f8_global_avg_pool_u8(&g, u8_in, out, NULL), F8_ERR_ARG);
}

static void add_errors(void)
{
    f8_add_params base, p;
    memset(&base, 0, sizeof base);
    base.size = 16; base.a_shift = 2; base.b_shift = 0; base.out_shift = 3;
    base.rounding = F8_ROUND_HALF_EVEN; base.out_lo = -128; base.out_hi = 127;
    p = base;
    expect_status("add valid", f8_add_s8(&p, s8_in, s8_in + 16, out, NULL), F8_OK);
    expect_status("add NULL params", f8_add_u8(NULL, u8_in, u8_in, out, NULL), F8_ERR_NULL);
    expect_status("add NULL a", f8_add_s8(&p, NULL, s8_in, out, NULL), F8_ERR_NULL);
    expect_status("add NULL b", f8_add_s8u8(&p, s8_in, NULL, out, NULL), F8_ERR_NULL);
    expect_status("add NULL out", f8_add_u8(&p, u8_in, u8_in, NULL, NULL), F8_ERR_NULL);
    BAD("add size 0", size, 0, f8_add_s8(&p, s8_in, s8_in, out, NULL), F8_ERR_ARG);
    BAD("add a_shift 23", a_shift, 23, f8_add_s8(&p, s8_in, s8_in, out, NULL), F8_ERR_ARG);
    BAD("add b_shift -1", b_shift, -1, f8_add_s8u8(&p, s8_in, u8_in, out, NULL), F8_ERR_ARG);
    BAD("add out_shift 32", out_shift, 32, f8_add_u8(&p, u8_in, u8_in, out, NULL), F8_ERR_ARG);
    BAD("add rounding 3", rounding, (f8_rounding)3, f8_add_s8(&p, s8_in, s8_in, out, NULL), F8_ERR_ARG);
    BAD("add out_lo > out_hi", out_lo, 127 + 1, f8_add_s8(&p, s8_in, s8_in, out, NULL), F8_ERR_ARG);
}

static void rescale_errors(void)
{
    f8_rescale_params base, p;
    memset(&base, 0, sizeof base);
    base.outer = 2; base.block = 3; base.in_stride = 3; base.out_stride = 6; base.out_offset = 2;
    base.shift = -1; base.rounding = F8_ROUND_HALF_UP; base.out_lo = 0; base.out_hi = 200;
    p = base;
    expect_status("rescale valid", f8_rescale_s8(&p, s8_in, out, NULL), F8_OK);
    expect_status("rescale NULL params", f8_rescale_u8(NULL, u8_in, out, NULL), F8_ERR_NULL);
    expect_status("rescale NULL in", f8_rescale_s8(&p, NULL, out, NULL), F8_ERR_NULL);
    expect_status("rescale NULL out", f8_rescale_u8(&p, u8_in, NULL, NULL), F8_ERR_NULL);
    BAD("rescale outer 0", outer, 0, f8_rescale_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("rescale block 0", block, 0, f8_rescale_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("rescale in_stride < block", in_stride, 2, f8_rescale_u8(&p, u8_in, out, NULL), F8_ERR_ARG);
    BAD("rescale out_stride 0", out_stride, 0, f8_rescale_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("rescale out_offset -1", out_offset, -1, f8_rescale_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("rescale shift 32", shift, 32, f8_rescale_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("rescale out_hi 256", out_hi, 256, f8_rescale_u8(&p, u8_in, out, NULL), F8_ERR_ARG);
}

static void copy_errors(void)
{
    f8_copy_params p;
    p.bytes = 16;
    expect_status("copy valid", f8_copy_s8(&p, s8_in, out, NULL), F8_OK);
    expect_status("copy NULL params", f8_copy_s8(NULL, s8_in, out, NULL), F8_ERR_NULL);
    expect_status("copy NULL in", f8_copy_u8(&p, NULL, out, NULL), F8_ERR_NULL);
    expect_status("copy NULL out", f8_copy_s8(&p, s8_in, NULL, NULL), F8_ERR_NULL);
    p.bytes = -1;
    expect_status("copy bytes -1", f8_copy_u8(&p, u8_in, out, NULL), F8_ERR_ARG);
}

static void pad_errors(void)
{
    static const int32_t shape[2] = { 3, 4 };
    static const int32_t pads[4] = { 1, 0, 2, 1 };
    static const int32_t neg_pads[4] = { 1, 0, -1, 1 };
    static const int32_t zero_shape[2] = { 3, 0 };
    f8_pad_params base, p;
    memset(&base, 0, sizeof base);
    base.rank = 2; base.in_shape = shape; base.pads = pads; base.value = -3; base.shift = 2;
    base.rounding = F8_ROUND_HALF_EVEN; base.out_lo = -128; base.out_hi = 127;
    p = base;
    expect_status("pad valid", f8_pad_s8(&p, s8_in, out, NULL), F8_OK);
    expect_status("pad NULL params", f8_pad_s8(NULL, s8_in, out, NULL), F8_ERR_NULL);
    expect_status("pad NULL in", f8_pad_u8(&p, NULL, out, NULL), F8_ERR_NULL);
    expect_status("pad NULL out", f8_pad_s8(&p, s8_in, NULL, NULL), F8_ERR_NULL);
    BAD("pad NULL in_shape", in_shape, NULL, f8_pad_s8(&p, s8_in, out, NULL), F8_ERR_NULL);
    BAD("pad NULL pads", pads, NULL, f8_pad_s8(&p, s8_in, out, NULL), F8_ERR_NULL);
    BAD("pad rank 0", rank, 0, f8_pad_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("pad rank 9", rank, F8_PAD_MAX_RANK + 1, f8_pad_u8(&p, u8_in, out, NULL), F8_ERR_ARG);
    BAD("pad negative pad", pads, neg_pads, f8_pad_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("pad zero dimension", in_shape, zero_shape, f8_pad_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("pad value below out_lo", value, -129, f8_pad_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("pad shift -32", shift, -32, f8_pad_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
}

static void softmax_errors(void)
{
    f8_softmax_params base, p;
    memset(&base, 0, sizeof base);
    base.rows = 2; base.row_len = 8; base.exp_table = exp_table; base.fl_out = 7;
    base.rounding = F8_ROUND_HALF_EVEN; base.out_lo = 0; base.out_hi = 255;
    p = base;
    expect_status("softmax valid", f8_softmax_u8(&p, u8_in, out, NULL), F8_OK);
    expect_status("softmax NULL params", f8_softmax_s8(NULL, s8_in, out, NULL), F8_ERR_NULL);
    expect_status("softmax NULL in", f8_softmax_s8(&p, NULL, out, NULL), F8_ERR_NULL);
    expect_status("softmax NULL out", f8_softmax_u8(&p, u8_in, NULL, NULL), F8_ERR_NULL);
    BAD("softmax NULL table", exp_table, NULL, f8_softmax_s8(&p, s8_in, out, NULL), F8_ERR_NULL);
    BAD("softmax rows 0", rows, 0, f8_softmax_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("softmax row_len 65537", row_len, 65537, f8_softmax_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("softmax fl_out 16", fl_out, 16, f8_softmax_u8(&p, u8_in, out, NULL), F8_ERR_ARG);
    BAD("softmax fl_out -1", fl_out, -1, f8_softmax_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("softmax out_lo -200", out_lo, -200, f8_softmax_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
}

static void pocket_errors(void)
{
    f8_pocket_params base, p;
    memset(&base, 0, sizeof base);
    base.size = 16; base.shift = -1; base.rounding = F8_ROUND_HALF_AWAY; base.out_lo = -127; base.out_hi = 127;
    p = base;
    expect_status("pocket_sigmoid valid", f8_pocket_sigmoid_s8(&p, s8_in, out, NULL), F8_OK);
    expect_status("pocket_tanh valid", f8_pocket_tanh_u8(&p, u8_in, out, NULL), F8_OK);
    expect_status("pocket_sigmoid NULL params", f8_pocket_sigmoid_u8(NULL, u8_in, out, NULL), F8_ERR_NULL);
    expect_status("pocket_tanh NULL in", f8_pocket_tanh_s8(&p, NULL, out, NULL), F8_ERR_NULL);
    expect_status("pocket_sigmoid NULL out", f8_pocket_sigmoid_s8(&p, s8_in, NULL, NULL), F8_ERR_NULL);
    BAD("pocket_tanh size 0", size, 0, f8_pocket_tanh_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("pocket_sigmoid shift 32", shift, 32, f8_pocket_sigmoid_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
    BAD("pocket_tanh rounding 4", rounding, (f8_rounding)4, f8_pocket_tanh_u8(&p, u8_in, out, NULL), F8_ERR_ARG);
    BAD("pocket_sigmoid out_hi 300", out_hi, 300, f8_pocket_sigmoid_s8(&p, s8_in, out, NULL), F8_ERR_ARG);
}

/* add, rescale and copy with the output on an input give the out-of-place bytes. */
static void in_place(void)
{
    uint8_t a[32], b[32], ref[32], buf[32];
    f8_add_params ap;
    f8_rescale_params rp;
    f8_copy_params cp;
    f8_status st;

    fill(a, sizeof a, 1);
    fill(b, sizeof b, 2);
    memset(&ap, 0, sizeof ap);
    ap.size = 32; ap.a_shift = 0; ap.b_shift = 3; ap.out_shift = 2;
    ap.rounding = F8_ROUND_HALF_EVEN; ap.out_lo = -100; ap.out_hi = 110;

    st = f8_add_s8(&ap, (const int8_t *)a, (const int8_t *)b, ref, NULL);
    memcpy(buf, a, sizeof buf);
    expect_status("add s8 out = a", f8_add_s8(&ap, (const int8_t *)buf, (const int8_t *)b, buf, NULL), st);
    expect_bytes("add s8 out = a bytes", buf, ref, sizeof buf);
    memcpy(buf, b, sizeof buf);
    expect_status("add s8 out = b", f8_add_s8(&ap, (const int8_t *)a, (const int8_t *)buf, buf, NULL), st);
    expect_bytes("add s8 out = b bytes", buf, ref, sizeof buf);

    ap.out_lo = 0; ap.out_hi = 255;
    st = f8_add_s8u8(&ap, (const int8_t *)a, b, ref, NULL);
    memcpy(buf, b, sizeof buf);
    expect_status("add s8u8 out = b", f8_add_s8u8(&ap, (const int8_t *)a, buf, buf, NULL), st);
    expect_bytes("add s8u8 out = b bytes", buf, ref, sizeof buf);
    memcpy(buf, a, sizeof buf);
    expect_status("add u8 out = a = b", f8_add_u8(&ap, buf, buf, buf, NULL), F8_OK);
    f8_add_u8(&ap, a, a, ref, NULL);
    expect_bytes("add u8 out = a = b bytes", buf, ref, sizeof buf);

    memset(&rp, 0, sizeof rp);
    rp.outer = 1; rp.block = 32; rp.in_stride = 32; rp.out_stride = 32; rp.out_offset = 0;
    rp.rounding = F8_ROUND_HALF_UP; rp.out_lo = 0; rp.out_hi = 127;
    for (rp.shift = -2; rp.shift <= 3; rp.shift += 5) {
        f8_rescale_s8(&rp, (const int8_t *)a, ref, NULL);
        memcpy(buf, a, sizeof buf);
        expect_status("rescale s8 in place", f8_rescale_s8(&rp, (const int8_t *)buf, buf, NULL), F8_OK);
        expect_bytes("rescale s8 in place bytes", buf, ref, sizeof buf);
        f8_rescale_u8(&rp, b, ref, NULL);
        memcpy(buf, b, sizeof buf);
        expect_status("rescale u8 in place", f8_rescale_u8(&rp, buf, buf, NULL), F8_OK);
        expect_bytes("rescale u8 in place bytes", buf, ref, sizeof buf);
    }

    cp.bytes = 32;
    memcpy(buf, a, sizeof buf);
    expect_status("copy in place", f8_copy_u8(&cp, buf, buf, NULL), F8_OK);
    expect_bytes("copy in place bytes", buf, a, sizeof buf);
    /* Overlapping ranges behave as memmove, both directions. */
    cp.bytes = 20;
    memcpy(buf, a, sizeof buf);
    memcpy(ref, a, sizeof ref);
    memmove(ref + 5, ref, 20);
    expect_status("copy overlap forward", f8_copy_s8(&cp, (const int8_t *)buf, buf + 5, NULL), F8_OK);
    expect_bytes("copy overlap forward bytes", buf, ref, sizeof buf);
    memcpy(buf, a, sizeof buf);
    memcpy(ref, a, sizeof ref);
    memmove(ref, ref + 7, 20);
    expect_status("copy overlap backward", f8_copy_u8(&cp, buf + 7, buf, NULL), F8_OK);
    expect_bytes("copy overlap backward bytes", buf, ref, sizeof buf);
}

int main(void)
{
    int i;
    fill(u8_in, sizeof u8_in, 3);
    memcpy(s8_in, u8_in, sizeof s8_in);
    for (i = 0; i < 64; i++) {
        weight[i] = (int8_t)(i % 7 - 3);
    }
    for (i = 0; i < 256; i++) {
        exp_table[i] = (uint16_t)(32768 >> (i < 15 ? i : 15));
    }
    conv2d_errors();
    dense_errors();
    pool_errors();
    add_errors();
    rescale_errors();
    copy_errors();
    pad_errors();
    softmax_errors();
    pocket_errors();
    in_place();
    printf("done %d %d\n", checks, failures);
    return 0;
}
