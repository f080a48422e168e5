#!/usr/bin/env bash
# build.sh [DIR [CMAKE OPTIONS...]]: configure and build casebook into DIR
# (default build/; the binary is DIR/casebook).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)" -- --no-print-directory >/dev/null
