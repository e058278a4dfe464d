#!/usr/bin/env bash
# bench/curve.sh BUILD_DIR — the curve of issue "Speed", item 6:
#   in flight   plenaryd alone (publish->ack) and with the records worker
#               (publish->applied) at 1, 16, 256 and 2,000 events in flight
#               (5,000 events at 1 in flight, 50,000 otherwise)
#   log size    a log grown to 1,000,000 events (PL_CURVE_LOG, e.g. 10000000
#               for ten million), then: the broker's start time on it, its
#               resident memory after the start, 100,000 new events on top
#               (throughput, p99), and 100,000 events already in the log sent
#               again (every one a duplicate: the cost of the event-id look-up
#               in a large log), then its memory at the end.
# Prints one JSON line per run (pl-bench-publish --json) under a header, and
# a table.  Needs only the build.
set -u
BUILD=$(cd "${1:?usage: bench/curve.sh BUILD_DIR}" && pwd)
SOURCE=$(cd "$(dirname "$0")/.." && pwd)
LOG_EVENTS=${PL_CURVE_LOG:-1000000}
export PL_BUILD=$BUILD PLENARY_LOG=warn
OUT=$(mktemp -d "${TMPDIR:-/tmp}/plenary-curve.XXXXXX")
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
     "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg);" \
     "raw results in $OUT"

printf '%-26s %10s %10s %9s %9s %9s\n' run ack/s applied/s "ack p99" "appl p99" "rss kB"
s_row () {
    jq -r --arg name "$1" '[$name, (.ack_per_s|floor), (.applied_per_s|floor), .ack_ms.p99,
        .applied_ms.p99, .broker_rss_kb] | @tsv' "$2" \
        | awk -F'\t' '{ printf "%-26s %10s %10s %9s %9s %9s\n", $1, $2, $3, $4, $5, $6 }'
}

for window in 1 16 256 2000; do
    count=50000
    [ "$window" = 1 ] && count=5000
    (
        . "$SOURCE/tests/harness.sh"
        pl_start_broker "$PL_TMP/data"
        "$BUILD/pl-bench-publish" --json --ack-only --count "$count" --window "$window" \
            --broker-pid "$BROKER_PID" >"$OUT/ack-$window.json"
    )
    s_row "broker, $window in flight" "$OUT/ack-$window.json"
    (
        . "$SOURCE/tests/harness.sh"
        pl_system "$PL_TMP/data"
        "$BUILD/pl-bench-publish" --json --count "$count" --window "$window" \
            --broker-pid "$BROKER_PID" >"$OUT/records-$window.json"
    )
    s_row "records, $window in flight" "$OUT/records-$window.json"
done

(
    . "$SOURCE/tests/harness.sh"
    pl_start_broker "$PL_TMP/data"
    "$BUILD/pl-bench-publish" --json --ack-only --count "$LOG_EVENTS" --window 2000 \
        --meeting grow --broker-pid "$BROKER_PID" >"$OUT/grow.json"
    s_row "grow to $LOG_EVENTS" "$OUT/grow.json"
    echo "log on disk: $(du -sh "$PL_TMP/data/broker" | cut -f1)"
    kill -TERM "$BROKER_PID"
    pl_wait_gone "$BROKER_PID" 300 || pl_fail "the broker did not stop"
    start=$(date +%s%N)
    pl_start_broker "$PL_TMP/data"
    echo "start on a log of $LOG_EVENTS events: $(( ($(date +%s%N) - start) / 1000000 )) ms to its ready file," \
         "resident $(awk '/VmRSS/ {print $2}' "/proc/$BROKER_PID/status") kB"
    "$BUILD/pl-bench-publish" --json --ack-only --count 100000 --window 256 \
        --broker-pid "$BROKER_PID" >"$OUT/on-top.json"
    s_row "100,000 new on top" "$OUT/on-top.json"
    "$BUILD/pl-bench-publish" --json --ack-only --count 100000 --window 256 --meeting grow \
        --broker-pid "$BROKER_PID" >"$OUT/again.json"
    s_row "100,000 duplicates" "$OUT/again.json"
)
