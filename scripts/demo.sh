#!/usr/bin/env bash
# The main job on a bundled example: inspect it, then run it on an input.
set -euo pipefail
cd "$(dirname "$0")/.."
model=examples/tiny_cnn/tiny_cnn.json
node dist/cli/main.js inspect "$model"
echo
node dist/cli/main.js run "$model" --input examples/tiny_cnn/input.npy
