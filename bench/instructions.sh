#!/usr/bin/env bash
# bench/instructions.sh BUILD [BUILD...] — the broker's instructions per
# acknowledged event, counted by callgrind: the one figure of the publish
# path that a shared, loaded machine does not blur (docs/PERFORMANCE.md).
#
# For each build: plenaryd runs under `valgrind --tool=callgrind` with no
# worker, and pl-bench-publish --ack-only sends SMALL then LARGE
# registrations (one PUBLISH each, --pack 1, and packs of a quarter of the
# window, the client library's default), each run on a fresh data folder;
# the difference of the two runs' totals over LARGE - SMALL events is the
# cost of one event with the broker's start and stop cancelled out.  The
# load generator is the last build's, so every broker is measured by the
# same program.  PL_SMALL (20000), PL_LARGE (40000), PL_WINDOW (500).
set -u
[ $# -ge 1 ] || { echo "usage: bench/instructions.sh BUILD [BUILD...]" >&2; exit 2; }
SMALL=${PL_SMALL:-20000}
LARGE=${PL_LARGE:-40000}
WINDOW=${PL_WINDOW:-500}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
for last; do :; done
BENCH=$(cd "$last" && pwd)/pl-bench-publish

# total BUILD COUNT PACK: callgrind's instruction total of plenaryd for COUNT events
total () {
    local build=$1 count=$2 pack=$3 dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/plenary-instructions.XXXXXX")
    valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" \
        "$build/plenaryd" --data "$dir/data" --endpoint 'tcp://127.0.0.1:*' \
        --backend 'tcp://127.0.0.1:*' --pub 'tcp://127.0.0.1:*' >"$dir/broker.log" 2>&1 &
    local pid=$! i
    for ((i = 0; i < 600; i++)); do [ -s "$dir/data/plenaryd.ready" ] && break; sleep 0.1; done
    [ -s "$dir/data/plenaryd.ready" ] || { echo "plenaryd did not start under valgrind" >&2; kill "$pid"; exit 1; }
    PLENARY_ENDPOINT=$(sed -n 's/^frontend=//p' "$dir/data/plenaryd.ready") \
    PLENARY_PUB=$(sed -n 's/^pub=//p' "$dir/data/plenaryd.ready") \
        "$BENCH" --ack-only --count "$count" --window "$WINDOW" --pack "$pack" >"$dir/bench.log" 2>&1 \
        || { echo "pl-bench-publish failed: $(tail -3 "$dir/bench.log")" >&2; kill "$pid"; exit 1; }
    kill -TERM "$pid"
    wait "$pid"
    sed -n 's/^summary: //p' "$dir/callgrind.out"
    rm -rf "$dir"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
for build in "$@"; do
    build=$(cd "$build" && pwd)
    for pack in 1 $((WINDOW / 4)); do
        small=$(total "$build" "$SMALL" "$pack")
        large=$(total "$build" "$LARGE" "$pack")
        echo "$build pack $pack: $(( (large - small) / (LARGE - SMALL) )) instructions per event" \
             "($SMALL events: $small, $LARGE: $large)"
    done
done
