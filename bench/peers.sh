#!/usr/bin/env bash
# bench/peers.sh BUILD_DIR [ROUNDS] — plenaryd side by side with its peers
# (issue "Speed"), in one run, rounds interleaved so the machine's noise
# falls on all alike.  Each round runs, each on a fresh server in a fresh
# temporary folder, PL_COUNT events (100,000) of the same size with
# PL_WINDOW (256) in flight:
#   plenary        plenaryd alone, publish->ack, the client library's default
#                  (packs of a quarter of the window in one PUBLISH_MANY)
#   plenary-one    the same, one event per PUBLISH (--pack 1)
#   redis          Redis Streams XADD, appendonly yes, appendfsync always,
#                  pipelined with the same window (pl-bench-redis)
#   nats           NATS JetStream, file storage, js_PublishAsync with the same
#                  window (pl-bench-nats); JetStream does not fsync
#   plenary-records  plenaryd with the records worker applying every event:
#                  publish->ack and publish->applied
#   redis-group    Redis with a consumer group reading beside the producer
#                  (XREADGROUP, XACK per batch): publish->delivered
#   plenary-rate, redis-rate   50,000 events at a steady 10,000/s (PL_RATE):
#                  publish->ack p99 and p99.9
# then prints the medians of each, and the ratios the issue asks for.
# Installs what it needs (redis-server, nats-server, libhiredis-dev,
# libnats-dev, jq) with apt-get when missing, and builds pl-bench-redis and
# pl-bench-nats in BUILD_DIR; README's commands never install these.
set -u
BUILD=$(cd "${1:?usage: bench/peers.sh BUILD_DIR [ROUNDS]}" && pwd)
ROUNDS=${2:-3}
SOURCE=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${PL_COUNT:-100000}
WINDOW=${PL_WINDOW:-256}
RATE=${PL_RATE:-10000}

missing=
for package in redis-server nats-server libhiredis-dev libnats-dev jq; do
    dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
        || { echo "bench/peers.sh: could not install$missing" >&2; exit 1; }
fi
if [ ! -x "$BUILD/pl-bench-redis" ] || [ ! -x "$BUILD/pl-bench-nats" ]; then
    cmake -S "$SOURCE" -B "$BUILD" >/dev/null && cmake --build "$BUILD" -j2 \
        --target pl-bench-redis pl-bench-nats >/dev/null \
        || { echo "bench/peers.sh: could not build the peers' clients" >&2; exit 1; }
fi
export PL_BUILD=$BUILD PLENARY_LOG=warn
OUT=$(mktemp -d "${TMPDIR:-/tmp}/plenary-peers.XXXXXX")
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
     "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), disk $(df -h "${TMPDIR:-/tmp}" | awk 'NR==2 {print $1}'),"\
     "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), nats-server $(nats-server --version | awk '{print $NF}'),"\
     "$COUNT events, window $WINDOW, rounds $ROUNDS; raw results in $OUT"

# A free TCP port on loopback.
s_port () {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# s_redis NAME ARGS...: a fresh Redis with fsync on every write, then pl-bench-redis.
s_redis () {
    local name=$1 dir port pid
    shift
    dir=$(mktemp -d "$OUT/redis.XXXX")
    port=$(s_port)
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes \
        --appendfsync always --save '' --daemonize no >"$dir/log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    "$BUILD/pl-bench-redis" --port "$port" --json "$@" >>"$OUT/$name.json"
    kill "$pid"; wait "$pid" 2>/dev/null
    rm -rf "$dir"
}

s_nats () {
    local name=$1 dir port pid
    shift
    dir=$(mktemp -d "$OUT/nats.XXXX")
    port=$(s_port)
    nats-server -js -sd "$dir" -a 127.0.0.1 -p "$port" >"$dir/log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q "Server is ready" "$dir/log" && break; sleep 0.1; done
    "$BUILD/pl-bench-nats" --port "$port" --json "$@" >>"$OUT/$name.json"
    kill "$pid"; wait "$pid" 2>/dev/null
    rm -rf "$dir"
}

# s_plenary NAME broker|system ARGS...: a fresh plenaryd (with the records
# worker for "system"), then pl-bench-publish.
s_plenary () {
    local name=$1 what=$2
    shift 2
    (
        . "$SOURCE/tests/harness.sh"
        if [ "$what" = broker ]; then pl_start_broker "$PL_TMP/data"; else pl_system "$PL_TMP/data"; fi
        "$BUILD/pl-bench-publish" --json --broker-pid "$BROKER_PID" "$@" >>"$OUT/$name.json"
    )
}

for round in $(seq 1 "$ROUNDS"); do
    echo "round $round"
    s_plenary plenary broker --count "$COUNT" --window "$WINDOW" --ack-only
    s_plenary plenary-one broker --count "$COUNT" --window "$WINDOW" --ack-only --pack 1
    s_redis redis --count "$COUNT" --window "$WINDOW"
    s_nats nats --count "$COUNT" --window "$WINDOW"
    s_plenary plenary-records system --count "$COUNT" --window "$WINDOW"
    s_redis redis-group --count "$COUNT" --window "$WINDOW" --consumer
    s_plenary plenary-rate system --count 50000 --window 1000 --rate "$RATE"
    s_redis redis-rate --count 50000 --window 1000 --rate "$RATE"
done

# The median of a jq expression over a run's lines.
s_median () {
    jq -s "[.[] | $2] | sort | .[(length - 1) / 2 | floor]" "$OUT/$1.json" 2>/dev/null
}
s_ratio () {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}
echo
echo "medians of $ROUNDS rounds (events/s; ms)"
printf '%-17s %10s %10s %8s %8s %8s\n' run ack/s applied/s p50 p99 p99.9
for run in plenary plenary-one redis nats plenary-records redis-group plenary-rate redis-rate; do
    [ -s "$OUT/$run.json" ] || { echo "$run: no result"; continue; }
    applied=$(s_median "$run" '(.applied_per_s // .delivered_per_s // 0)')
    printf '%-17s %10s %10s %8s %8s %8s\n' "$run" "$(s_median "$run" .ack_per_s)" "$applied" \
        "$(s_median "$run" .ack_ms.p50)" "$(s_median "$run" .ack_ms.p99)" "$(s_median "$run" .ack_ms.p999)"
done
echo
plenary=$(s_median plenary .ack_per_s); one=$(s_median plenary-one .ack_per_s)
redis=$(s_median redis .ack_per_s); nats=$(s_median nats .ack_per_s)
records=$(s_median plenary-records .ack_per_s); applied=$(s_median plenary-records .applied_per_s)
group=$(s_median redis-group .ack_per_s); delivered=$(s_median redis-group .delivered_per_s)
echo "plenary (packs) / redis:              $(s_ratio "$plenary" "$redis")  (goal >= 1.5)"
echo "plenary (one per message) / redis:    $(s_ratio "$one" "$redis")  (goal >= 1.0)"
echo "plenary / nats (which does not fsync): $(s_ratio "$plenary" "$nats")"
echo "with a consumer, ack: plenary+records / redis+group:       $(s_ratio "$records" "$group")  (goal >= 1.0)"
echo "with a consumer, applied / delivered:                      $(s_ratio "$applied" "$delivered")"
echo "at $RATE/s, publish->ack p99 / p99.9 ms: plenary $(s_median plenary-rate .ack_ms.p99) / $(s_median plenary-rate .ack_ms.p999)," \
     "redis $(s_median redis-rate .ack_ms.p99) / $(s_median redis-rate .ack_ms.p999)  (goal <= 2 / 5)"
