/*
 * f8_tfl_lut.c - an int8 function by table (TFLite's int8 LOGISTIC and
 * TANH; see f8_kernels.h): out[i] = table[(uint8_t)in[i]].
 */
#include "f8_internal.h"

f8_status f8_tfl_lut_s8(const f8_tfl_lut_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    int32_t i;
    (void)scratch;
    if (p == NULL || in == NULL || out == NULL || p->table == NULL) {
        return F8_ERR_NULL;
    }
    if (p->size < 1) {
        return F8_ERR_ARG;
    }
    for (i = 0; i < p->size; i++) {
        out[i] = (uint8_t)p->table[(uint8_t)in[i]];
    }
    return F8_OK;
}

uint32_t f8_tfl_lut_s8_scratch_size(const f8_tfl_lut_params *p)
{
    (void)p;
    return 0u;
}
