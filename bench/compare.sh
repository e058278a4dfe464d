#!/usr/bin/env bash
# bench/compare.sh BEFORE_BUILD AFTER_BUILD [ROUNDS] [SCENARIO...] — the same
# scenarios of bench/run.sh on two builds of plenary (say, main before and
# after a change), interleaved round by round so that the machine's noise
# falls on both alike.  The load generators are AFTER_BUILD's for both, so
# both systems are measured by the same program, sending one event per
# message (PL_PACK=1) unless PL_PACK says otherwise, since a build before
# PUBLISH_MANY does not know packs.  Default: 3 rounds of
# ackonly, full, rate and follow.  Prints each run under a header naming the
# build and the round; docs/PERFORMANCE.md gives the medians.
set -u
BEFORE=$(cd "${1:?usage: bench/compare.sh BEFORE_BUILD AFTER_BUILD [ROUNDS] [SCENARIO...]}" && pwd)
AFTER=$(cd "${2:?usage: bench/compare.sh BEFORE_BUILD AFTER_BUILD [ROUNDS] [SCENARIO...]}" && pwd)
ROUNDS=${3:-3}
shift 3 2>/dev/null || shift $#
SCENARIOS=${*:-ackonly full rate follow}
HERE=$(cd "$(dirname "$0")" && pwd)
for round in $(seq 1 "$ROUNDS"); do
    for scenario in $SCENARIOS; do
        for build in "$BEFORE" "$AFTER"; do
            echo "#### round $round, $scenario, $build"
            PL_BENCH=$AFTER PL_PACK=${PL_PACK:-1} bash "$HERE/run.sh" "$build" "$scenario" 2>&1 | grep -v '^machine:'
        done
    done
done
