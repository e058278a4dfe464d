#!/usr/bin/env bash
# scripts/test.sh — install the packages, build, and run every test, in
# three stages, each judged by ctest and printing ctest's own summary:
#
#   suite  the whole suite on ./build (scripts/build.sh: RelWithDebInfo, -Werror)
#   asan   the whole suite again on ./build-asan: a Debug build (asserts on)
#          with ASan, LSan and UBSan, any report fatal, also from a daemon
#          in the background (tests/CMakeLists.txt, PL_SANITIZE)
#   fuzz   each libFuzzer target for PL_FUZZ_SECONDS (20) over its seeds in
#          tests/fuzz/ (./build-fuzz, clang: PL_FUZZ); "skipped: no clang"
#          when clang cannot build a libFuzzer program
#
# Usage: bash scripts/test.sh [STAGE...]   (default: suite asan fuzz)
# Every stage chosen runs even when one before it failed; the exit status is
# 1 when any failed.  PL_JOBS (2) tests run at once; PL_NO_APT=1 and
# PL_NO_NPM=1 as for scripts/build.sh.  README.md's test command is this
# script, and .ci/run runs it.
set -uo pipefail
cd "$(dirname "$0")/.."
STAGES=("$@")
[ ${#STAGES[@]} -gt 0 ] || STAGES=(suite asan fuzz)
for stage in "${STAGES[@]}"; do
    case $stage in suite|asan|fuzz) ;; *) echo "test.sh: no stage '$stage' (suite, asan, fuzz)" >&2; exit 2 ;; esac
done
JOBS=${PL_JOBS:-2}
CTEST=(--output-on-failure --timeout 300 -j "$JOBS")
FUZZ_SECONDS=${PL_FUZZ_SECONDS:-20}

# s_stage NAME COMMAND...: run one stage, timed; remember how it went.
RESULTS=()
FAILED=0
s_stage () {
    local name=$1 start=$SECONDS rc
    shift
    echo "==== test.sh: stage $name"
    "$@"
    rc=$?
    if [ $rc = 0 ]; then
        RESULTS+=("$name: passed ($((SECONDS - start)) s)")
    elif [ $rc = 77 ]; then
        RESULTS+=("$name: skipped: no clang with libFuzzer (apt-get install clang libclang-rt-14-dev)")
    else
        RESULTS+=("$name: FAILED ($((SECONDS - start)) s)")
        FAILED=1
    fi
}

# s_quiet LOG COMMAND...: run COMMAND into LOG; show LOG when it fails.
s_quiet () {
    local log=$1
    shift
    mkdir -p "$(dirname "$log")"
    "$@" >"$log" 2>&1 || { cat "$log"; echo "test.sh: failed: $* (log: $log)" >&2; return 1; }
}

s_suite () {
    ctest --test-dir build "${CTEST[@]}"
}

s_asan () {
    s_quiet build-asan/configure.log \
            cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPL_SANITIZE=ON -DPL_WERROR=ON \
        && s_quiet build-asan/build.log cmake --build build-asan -j "$(nproc)" \
        && ctest --test-dir build-asan "${CTEST[@]}"
}

# Can clang link a libFuzzer program?  (Debian: clang, libclang-rt-14-dev)
s_have_libfuzzer () {
    local out rc
    command -v clang >/dev/null || return 1
    out=$(mktemp) || return 1
    printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput (const uint8_t *d, size_t s) { (void) d; (void) s; return 0; }\n' \
        | clang -fsanitize=fuzzer -x c - -o "$out" 2>/dev/null
    rc=$?
    rm -f "$out"
    return $rc
}

s_fuzz () {
    if ! s_have_libfuzzer; then
        echo "fuzz: skipped: no clang with libFuzzer (apt-get install clang libclang-rt-14-dev)"
        return 77
    fi
    local targets=() file
    for file in tests/fuzz_*.c; do
        targets+=("$(basename "$file" .c)")
    done
    s_quiet build-fuzz/configure.log \
            cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
                  -DPL_FUZZ=ON -DPL_WERROR=ON -DPL_FUZZ_SECONDS="$FUZZ_SECONDS" \
        && s_quiet build-fuzz/build.log cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]}" \
        && ctest --test-dir build-fuzz -L fuzz "${CTEST[@]}"
}

bash scripts/build.sh || exit 1
for stage in "${STAGES[@]}"; do
    s_stage "$stage" "s_$stage"
done
echo "==== test.sh: ${#STAGES[@]} stage(s) in $SECONDS s"
printf '  %s\n' "${RESULTS[@]}"
exit $FAILED
