#!/usr/bin/env bash
# test.sh: every test. Installs what is needed, then builds and runs the
# unit and end-to-end tests three ways: a plain build, an AddressSanitizer +
# UndefinedBehaviorSanitizer build, and the end-to-end tests under valgrind
# (any leak or memory error fails). Benchmarks and fuzzing are not here:
# see bench/ and fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
status=0

echo "== build (RelWithDebInfo) and test"
./scripts/build.sh build
(cd build && ctest --output-on-failure -j 2) || status=1

echo "== build with ASan + UBSan and test"
./scripts/build.sh build-asan -DCB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	ctest --output-on-failure -j 2) || status=1

echo "== end-to-end tests under valgrind"
(cd build && CB_VALGRIND=1 ctest --output-on-failure -j 2 -R '^e2e/') || status=1

if [ $status = 0 ]; then echo "all tests passed"; else echo "SOME TESTS FAILED"; fi
exit $status
