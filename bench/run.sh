#!/usr/bin/env bash
# bench/run.sh BUILD_DIR [SCENARIO...] — the broker/records benchmarks of
# docs/PERFORMANCE.md.  Each scenario starts a fresh broker and records worker
# on ephemeral ports in a temporary folder and runs pl-bench-publish.
#   full     100,000 registrations, 1,000 in flight, as fast as possible
#   rate     50,000 registrations at a steady 10,000 events/s
#   million  1,000,000 registrations, then the broker's resident memory
#   ackonly  200,000 registrations to a broker with no worker: publish->ack alone
#   curve    ackonly and rate again, on a broker with keys (CurveZMQ): the
#            cost of encryption and authentication
#   follow   50,000 registrations at 10,000 events/s with records and the
#            calendar (which follows records): publish->applied of each
#   archive  documents into the archive worker, then searches (pl-bench-archive,
#            then pl-bench-search in process)
#   archive-curve  the same archive grown step by step (PL_ARCHIVE_STEPS, default
#            "100000 250000 500000 1000000" documents), ingest rate of each step,
#            database size and the searches timed at each size
#   import   plenary register --csv of 5,000 rows end to end, then participant.list
#   calendar feed render times (pl-bench-calendar: 500 sessions, 2,000
#            participants), then the gateway answering If-None-Match with 304
#            to 200 concurrent clients (wrk, 10 s) on a real system
set -u
PL_BUILD=$(cd "${1:?usage: bench/run.sh BUILD_DIR [full|rate|million]...}" && pwd)
shift
export PL_BUILD PLENARY_LOG=warn
# The load generators may come from another build than the system under
# test (bench/compare.sh runs an older system with today's benches).
PL_BENCH=${PL_BENCH:-$PL_BUILD}
scenarios=${*:-full rate million ackonly}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
     "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), disk $(df -h "${TMPDIR:-/tmp}" | awk 'NR==2 {print $1}')"
# The calendar scenario: render times in-process, then 304s over HTTP.
bench_calendar () {
    . "$(dirname "$0")/../tests/harness.sh"
    "$PL_BUILD/pl-bench-calendar" --sessions 500 --participants 2000
    pl_system "$PL_TMP/data"
    plenary-calendar --data "$PL_TMP/data" --backend "$PLENARY_BACKEND" >>"$PL_TMP/calendar.log" 2>&1 &
    PL_PIDS="$PL_PIDS $!"
    plenary-gateway --data "$PL_TMP/data" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
        >>"$PL_TMP/gateway.log" 2>&1 &
    local gateway=$!
    PL_PIDS="$PL_PIDS $gateway"
    pl_poll 100 test -s "$PL_TMP/data/gateway.ready" || pl_fail "no gateway.ready"
    local http
    http=$(sed -n 's/^http=//p' "$PL_TMP/data/gateway.ready")
    local feed="http://$http/ics/meetings/bench.ics"
    plenary meeting add --id bench --convention CCM --kind msp --title "Bench" --venue Geneva \
        --tz Europe/Zurich --start 2030-03-01 --end 2030-03-28 >/dev/null
    for i in $(seq 1 20); do
        plenary session add --meeting bench --id "s$i" --title "Session $i" \
            --start "2030-03-$(printf %02d "$i")T10:00" --end "2030-03-$(printf %02d "$i")T13:00" >/dev/null
    done
    pl_poll 100 sh -c "curl -sf '$feed' | grep -q 'UID:session/bench/s20@'" || pl_fail "feed not ready"
    local etag
    etag=$(curl -sI "$feed" | sed -n 's/^[Ee][Tt][Aa][Gg]: \(.*\)\r$/\1/p')
    echo "== calendar: wrk -t2 -c200 -d10s, If-None-Match -> 304"
    wrk -t2 -c200 -d10s -H "If-None-Match: $etag" "$feed"
    echo "== calendar: the same without the gateway's cache (--cache-ms 0)"
    kill -TERM "$gateway"
    pl_wait_gone "$gateway" 50 || pl_fail "the gateway did not stop within 5 s of SIGTERM"
    rm -f "$PL_TMP/data/gateway.ready"
    plenary-gateway --data "$PL_TMP/data" --endpoint "$PLENARY_ENDPOINT" --http "$http" \
        --cache-ms 0 >>"$PL_TMP/gateway.log" 2>&1 &
    gateway=$!
    PL_PIDS="$PL_PIDS $gateway"
    pl_poll 100 test -s "$PL_TMP/data/gateway.ready" || pl_fail "no gateway.ready"
    wrk -t2 -c200 -d10s -H "If-None-Match: $etag" "$feed"
    local start
    start=$(date +%s%N)
    kill -TERM "$gateway"
    pl_wait_gone "$gateway" 50 || pl_fail "the gateway did not stop within 5 s of SIGTERM"
    echo "gateway stopped $(( ($(date +%s%N) - start) / 1000000 )) ms after SIGTERM"
}

# The archive scenario: PL_ARCHIVE_COUNT synthetic documents of ~5 KB in the
# six languages (default 100,000; the count is a flag so a quick run stays quick),
# ingest rate, database size, query p50/p99 by shape.
bench_archive () {
    . "$(dirname "$0")/../tests/harness.sh"
    pl_start_broker "$PL_TMP/data"
    plenary-archive --data "$PL_TMP/data" --backend "$PLENARY_BACKEND" >>"$PL_TMP/archive.log" 2>&1 &
    local worker=$!
    PL_PIDS="$PL_PIDS $worker"
    pl_poll 100 plenary search --json || pl_fail "archive worker did not answer"
    echo "== archive: pl-bench-archive --count ${PL_ARCHIVE_COUNT:-100000} --size 5000" \
         "(load average $(cut -d' ' -f1-3 /proc/loadavg))"
    "$PL_BUILD/pl-bench-archive" --count "${PL_ARCHIVE_COUNT:-100000}" --size 5000 \
        --window 1000 --queries 500 --data "$PL_TMP/data" --worker-pid "$worker"
    echo "== archive: pl-bench-search (the worker's search alone, in process; then --cold)"
    "$PL_BUILD/pl-bench-search" --data "$PL_TMP/data" --queries 500
    "$PL_BUILD/pl-bench-search" --data "$PL_TMP/data" --queries 500 --cold
}

# The archive grown step by step: after each step of PL_ARCHIVE_STEPS (total
# documents), the step's ingest rate, the database's size and every shape's
# p50/p99, end to end, then in process.
bench_archive_curve () {
    . "$(dirname "$0")/../tests/harness.sh"
    pl_start_broker "$PL_TMP/data"
    plenary-archive --data "$PL_TMP/data" --backend "$PLENARY_BACKEND" >>"$PL_TMP/archive.log" 2>&1 &
    local worker=$!
    PL_PIDS="$PL_PIDS $worker"
    pl_poll 100 plenary search --json || pl_fail "archive worker did not answer"
    local loaded=0 step
    for step in ${PL_ARCHIVE_STEPS:-100000 250000 500000 1000000}; do
        echo "== archive-curve: documents $loaded..$((step - 1)), then searches at $step" \
             "(load average $(cut -d' ' -f1-3 /proc/loadavg); $(df -h "$PL_TMP" | awk 'NR==2 {print $4}') free)"
        "$PL_BUILD/pl-bench-archive" --start "$loaded" --count "$((step - loaded))" --size 5000 \
            --window 1000 --queries "${PL_ARCHIVE_QUERIES:-500}" --data "$PL_TMP/data" \
            --worker-pid "$worker" || exit 1
        echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "broker log: $(du -sh "$PL_TMP/data/broker" | cut -f1)"
        "$PL_BUILD/pl-bench-search" --data "$PL_TMP/data" --queries "${PL_ARCHIVE_QUERIES:-500}"
        loaded=$step
    done
}

for scenario in $scenarios; do
    if [ "$scenario" = archive-curve ]; then ( bench_archive_curve ); continue; fi
    if [ "$scenario" = calendar ]; then ( bench_calendar ); continue; fi
    if [ "$scenario" = archive ]; then ( bench_archive ); continue; fi
    (
        . "$(dirname "$0")/../tests/harness.sh"
        if [ "$scenario" = curve ]; then
            plenary keys init --data "$PL_TMP/data" >/dev/null
            plenary keys new --role secretariat --name bench --data "$PL_TMP/data" >/dev/null
            pl_start_broker "$PL_TMP/data"
            echo "== curve: pl-bench-publish --count 200000 --window 2000 --ack-only (keys on)"
            PLENARY_CERT=$PL_TMP/data/keys/issued/bench.key \
                "$PL_BENCH/pl-bench-publish" --count 200000 --window 2000 --ack-only \
                --broker-pid "$BROKER_PID"
            PLENARY_CERT=$PL_TMP/data/keys/issued/records.key pl_start_records "$PL_TMP/data"
            PLENARY_CERT=$PL_TMP/data/keys/issued/bench.key pl_wait_records
            echo "== curve: pl-bench-publish --count 50000 --window 1000 --rate 10000 (keys on)"
            PLENARY_CERT=$PL_TMP/data/keys/issued/bench.key \
                "$PL_BENCH/pl-bench-publish" --count 50000 --window 1000 --rate 10000
            exit $?
        fi
        if [ "$scenario" = ackonly ]; then pl_start_broker "$PL_TMP/data"
        else pl_system "$PL_TMP/data"; fi
        if [ "$scenario" = follow ]; then
            pl_start_calendar "$PL_TMP/data"
            echo "== follow: pl-bench-publish --count 50000 --window 1000 --rate 10000 (records applied)"
            "$PL_BENCH/pl-bench-publish" --count 50000 --window 1000 --rate 10000 --group records
            echo "== follow: the same, calendar applied (after records' verdict)"
            "$PL_BENCH/pl-bench-publish" --count 50000 --window 1000 --rate 10000 --group calendar
            exit $?
        fi
        case $scenario in
            full)    args="--count 100000 --window 1000" ;;
            rate)    args="--count 50000 --window 1000 --rate 10000" ;;
            million) args="--count 1000000 --window 2000" ;;
            ackonly) args="--count 200000 --window 2000 --ack-only" ;;
            import)  echo "== import: pl-bench-import --rows 5000"
                     "$PL_BUILD/pl-bench-import" --rows 5000 --plenary "$PL_BUILD/plenary"
                     exit $? ;;
            *) echo "unknown scenario $scenario"; exit 2 ;;
        esac
        echo "== $scenario: pl-bench-publish $args"
        "$PL_BENCH/pl-bench-publish" $args --broker-pid "$BROKER_PID"
        echo "log size: $(du -sh "$PL_TMP/data/broker" | cut -f1)"
    )
done
