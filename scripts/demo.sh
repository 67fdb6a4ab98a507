#!/usr/bin/env bash
# The main job on a bundled example: compile it to C, build it with gcc,
# check it against the interpreter's golden vectors, run it on an input, and
# print the arena and flash figures.
set -euo pipefail
cd "$(dirname "$0")/.."
model=examples/tiny_cnn/tiny_cnn.json
out=out/tiny_cnn
f8c() { node dist/cli/main.js "$@"; }

echo "== f8c compile $model --target host -o $out --golden 8"
f8c compile "$model" --target host -o "$out" --golden 8 --force
echo
echo "== build with gcc and run the golden test program"
make -s -C "$out" test CFLAGS="-std=c99 -O2 -Wall -Wextra -Werror -pedantic"
echo
echo "== run the C library on examples/tiny_cnn/input.npy"
srcs=$(ls "$out"/*.c | grep -v _golden.c)
gcc -std=c99 -O2 -Wall -Wextra -Werror -pedantic -I "$out" -o "$out/demo" scripts/demo/main.c $srcs
"$out/demo" examples/tiny_cnn/input.npy
echo "== the reference interpreter on the same input"
f8c run "$model" --input examples/tiny_cnn/input.npy | head -1
echo
echo "== memory (host gcc -O2; flash = text + rodata of the model and its kernels)"
objs=()
for s in $srcs; do o="$out/$(basename "${s%.c}").o"; gcc -std=c99 -O2 -c -I "$out" -o "$o" "$s"; objs+=("$o"); done
size -t "${objs[@]}" | awk 'END { printf "flash: %d bytes (code + constant data)\n", $1 + $2 }'
grep -E 'define TINY_CNN_ARENA_SIZE' "$out/tiny_cnn.h" | awk '{ sub("u", "", $3); printf "arena: %d bytes (RAM, caller-owned; no other RAM but the stack)\n", $3 }'
