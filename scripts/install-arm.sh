#!/usr/bin/env bash
# Installs the Arm bare-metal toolchain and QEMU used by `f8c verify/bench
# --target cortex-m*` and the test suite, when missing. Idempotent and
# non-interactive (Debian/Ubuntu apt). Prints what it did; exits 0 when every
# tool is present afterwards.
set -uo pipefail

need=()
command -v arm-none-eabi-gcc >/dev/null 2>&1 || need+=(gcc-arm-none-eabi)
# newlib: nano.specs must be found by the compiler
if command -v arm-none-eabi-gcc >/dev/null 2>&1; then
    spec="$(arm-none-eabi-gcc -print-file-name=nano.specs 2>/dev/null)"
    [ -f "$spec" ] || need+=(libnewlib-arm-none-eabi)
else
    need+=(libnewlib-arm-none-eabi)
fi
command -v qemu-system-arm >/dev/null 2>&1 || need+=(qemu-system-arm)
command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || need+=(gcc)

if [ ${#need[@]} -eq 0 ]; then
    echo "install-arm: arm-none-eabi-gcc, newlib and qemu-system-arm already present"
    exit 0
fi

echo "install-arm: installing ${need[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"
    else echo "install-arm: not root and no sudo; install ${need[*]} by hand" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || { echo "install-arm: apt-get update failed" >&2; exit 1; }
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "install-arm: apt-get install failed" >&2; exit 1; }
for tool in arm-none-eabi-gcc qemu-system-arm; do
    command -v "$tool" >/dev/null 2>&1 || { echo "install-arm: $tool still missing" >&2; exit 1; }
done
echo "install-arm: done ($(arm-none-eabi-gcc -dumpversion), $(qemu-system-arm --version | head -1))"
