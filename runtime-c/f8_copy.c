/* f8_copy.c - reshape and flatten: the bytes are unchanged (see f8_kernels.h). */
#include <string.h>
#include "f8_internal.h"

static f8_status copy_entry(const f8_copy_params *p, const void *in, uint8_t *out)
{
    if (p == NULL || in == NULL || out == NULL) {
        return F8_ERR_NULL;
    }
    if (p->bytes < 0) {
        return F8_ERR_ARG;
    }
    if ((const void *)out != in) {
        memmove(out, in, (size_t)p->bytes);
    }
    return F8_OK;
}

f8_status f8_copy_s8(const f8_copy_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return copy_entry(p, in, out);
}

f8_status f8_copy_u8(const f8_copy_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return copy_entry(p, in, out);
}

uint32_t f8_copy_s8_scratch_size(const f8_copy_params *p) { (void)p; return 0u; }
uint32_t f8_copy_u8_scratch_size(const f8_copy_params *p) { (void)p; return 0u; }
