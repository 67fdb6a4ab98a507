/*
 * Demo host program for the tiny_cnn example: reads one input from a .npy
 * file, runs the generated library in a static arena, prints the logits.
 * It is also the smallest example of using an f8c library: an aligned
 * arena of <PREFIX>_ARENA_SIZE bytes, one run call, a status check.
 */
#include <stdio.h>
#include <stdint.h>
#include "tiny_cnn.h"

/* The arena: one static block, aligned as the header asks (C99 has no
 * alignas; a union with a wide type gives 8-byte alignment on hosts). */
static union {
    uint8_t bytes[TINY_CNN_ARENA_SIZE];
    uint64_t align;
} arena;

/* Reads the data of a version-1 .npy file (header length at bytes 8-9). */
static int read_npy(const char *path, uint8_t *dst, size_t n) {
    unsigned char pre[10];
    FILE *f = fopen(path, "rb");
    if (f == NULL) return -1;
    if (fread(pre, 1, 10, f) != 10 || fseek(f, 10L + pre[8] + 256L * pre[9], SEEK_SET) != 0 || fread(dst, 1, n, f) != n) {
        fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv) {
    static uint8_t input[TINY_CNN_INPUT0_SIZE];
    int8_t logits[TINY_CNN_OUTPUT0_SIZE];
    unsigned i, best = 0;
    f8_status st;
    if (argc != 2 || read_npy(argv[1], input, sizeof input) != 0) {
        fprintf(stderr, "usage: %s input.npy (uint8, %u elements)\n", argv[0], (unsigned)TINY_CNN_INPUT0_SIZE);
        return 2;
    }
    st = tiny_cnn_run(input, logits, arena.bytes);
    if (st != F8_OK) {
        fprintf(stderr, "tiny_cnn_run failed: status %d\n", (int)st);
        return 1;
    }
    printf("logits (int8, value = q / 2^%d):", TINY_CNN_OUTPUT0_FL);
    for (i = 0; i < TINY_CNN_OUTPUT0_SIZE; i++) {
        printf(" %d", logits[i]);
        if (logits[i] > logits[best]) best = i;
    }
    printf("\nclass %u\n", best);
    return 0;
}
