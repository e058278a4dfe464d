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
#   follow   50,000 registrations at 10,000 events/s (PL_RATE) with records and the
#            calendar (which follows records): publish->applied of each
#   archive  documents into the archive worker, then searches (pl-bench-archive,
#            then pl-bench-search in process)
#   archive-curve  the same archive grown step by step (PL_ARCHIVE_STEPS, default
#            "100000 250000 500000 1000000" documents), ingest rate of each step,
#            database size and the searches timed at each size
#   import   plenary register --csv of 5,000 rows end to end, then participant.list
#   calendar feed render times (pl-bench-calendar: 500 sessions, 2,000
#            participants), then the gateway answering If-None-Match with 304
#            to 200 concurrent clients (h2load, 10 s) on a real system; the
#            gateway beside nginx is bench/gateway_vs_nginx.sh
#   web      PL_ARCHIVE_COUNT documents (100,000) into the archive, then on a
#            real system (broker, records, archive, gateway) the search page
#            /search and its JSON twin /api/search asked the same searches
#            (pl-bench-archive --urls, bench/web_search.lua) by wrk with 1, 4
#            and 16 connections, PL_WEB_SECONDS (20) each.  PL_WEB_DATA=DIR
#            keeps the system's data in DIR: a second run on it skips the
#            load (and the worker's own search times) and asks again
#   notify   plenary-notify: messages rendered per second in process, the
#            worker's batches of registrations and a session move to 10,000
#            timed in process (what each holds its loop for), then on
#            a real system with a relay that logs arrivals (tests/notify_smtpd.py):
#            2,000 registrations as fast as they go (messages handed to the
#            relay per second), then 600 at a steady 20/s (publish -> arrival)
#   backup   a log of PL_BACKUP_EVENTS registrations (1,000,000) that records
#            and the calendar applied, then pl-bench-publish at a steady
#            PL_RATE (1,000/s) for PL_LOAD_SECONDS (120 s) three times:
#            alone, with plenary backup of the folder 5 s in, with sqlite3's
#            VACUUM INTO of the log 5 s in; each copy's time and whether the
#            load outlasted it, each database's WAL at its largest, the
#            load's percentiles; plenary verify of the copy, then --quick
set -u
PL_BUILD=$(cd "${1:?usage: bench/run.sh BUILD_DIR [full|rate|million]...}" && pwd)
shift
export PL_BUILD PLENARY_LOG=warn
# The load generators may come from another build than the system under
# test (bench/compare.sh runs an older system with today's benches).
# PL_PACK=N passes --pack N to pl-bench-publish (1: one event per message,
# which a broker older than PUBLISH_MANY needs; bench/compare.sh sets it).
PL_BENCH=${PL_BENCH:-$PL_BUILD}
scenarios=${*:-full rate million ackonly}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
     "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), disk $(df -h "${TMPDIR:-/tmp}" | awk 'NR==2 {print $1}')"
# The calendar scenario: render times in-process, then 304s over HTTP.
bench_calendar () {
    . "$(dirname "$0")/../tests/harness.sh"
    "$PL_BUILD/pl-bench-calendar" --sessions 500 --participants 2000
    "$PL_BUILD/pl-bench-calendar" --cpu --sessions 500 --participants 2000
    #  h2load, not wrk: the gateway's 304 says its 200's Content-Length,
    #  which wrk's parser takes for a body to wait for
    command -v h2load >/dev/null \
        || pl_fail "h2load is not installed (apt-get install nghttp2-client)"
    pl_system "$PL_TMP/data"
    plenary-calendar --data "$PL_TMP/data" --backend "$PLENARY_BACKEND" >>"$PL_TMP/calendar.log" 2>&1 &
    PL_PIDS="$PL_PIDS $!"
    #  The 200 clients come from one address: no per-address limit
    plenary-gateway --data "$PL_TMP/data" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
        --per-ip-limit 0 >>"$PL_TMP/gateway.log" 2>&1 &
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
    echo "== calendar: h2load --h1 -t2 -c200 -D 10, If-None-Match -> 304"
    h2load --h1 -t2 -c200 -D 10 -H "If-None-Match: $etag" "$feed" | grep -E '^(finished|requests|status|time for)'

    echo "== calendar: the same without trusting the gateway's copy (--cache-ms 0: every"
    echo "   request a calendar.feed query with the ETag held, answered 'not modified')"
    kill -TERM "$gateway"
    pl_wait_gone "$gateway" 50 || pl_fail "the gateway did not stop within 5 s of SIGTERM"
    rm -f "$PL_TMP/data/gateway.ready"
    plenary-gateway --data "$PL_TMP/data" --endpoint "$PLENARY_ENDPOINT" --http "$http" \
        --cache-ms 0 --per-ip-limit 0 >>"$PL_TMP/gateway.log" 2>&1 &
    gateway=$!
    PL_PIDS="$PL_PIDS $gateway"
    pl_poll 100 test -s "$PL_TMP/data/gateway.ready" || pl_fail "no gateway.ready"
    h2load --h1 -t2 -c200 -D 10 -H "If-None-Match: $etag" "$feed" | grep -E '^(finished|requests|status|time for)'

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

# The web scenario: the search page beside /api/search on a loaded archive.
bench_web () {
    . "$(dirname "$0")/../tests/harness.sh"
    local count=${PL_ARCHIVE_COUNT:-100000} seconds=${PL_WEB_SECONDS:-20}
    local data=${PL_WEB_DATA:-$PL_TMP/data} loaded=0
    [ -s "$data/archive/archive.db" ] && loaded=1
    pl_system "$data"
    plenary-archive --data "$data" --backend "$PLENARY_BACKEND" >>"$PL_TMP/archive.log" 2>&1 &
    PL_PIDS="$PL_PIDS $!"
    pl_poll 100 plenary search --json || pl_fail "archive worker did not answer"
    if [ $loaded = 0 ]; then
        echo "== web: pl-bench-archive --count $count --size 5000 (the load; then the worker's searches)"
        "$PL_BUILD/pl-bench-archive" --count "$count" --size 5000 --window 1000 --queries 100 \
            --data "$data" || pl_fail "pl-bench-archive"
    else
        echo "== web: the archive loaded before in $data"
    fi
    rm -f "$data/gateway.ready"
    plenary-gateway --data "$data" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
        >>"$PL_TMP/gateway.log" 2>&1 &
    PL_PIDS="$PL_PIDS $!"
    pl_poll 100 test -s "$data/gateway.ready" || pl_fail "no gateway.ready"
    local base queries=$PL_TMP/queries.txt
    base=http://$(sed -n 's/^http=//p' "$data/gateway.ready")
    echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$PL_BUILD/pl-bench-archive" --urls --queries 200 >"$queries" || pl_fail "pl-bench-archive --urls"
    # A search the public may see answers, with hits, on both paths
    curl -sf "$base/search?$(head -1 "$queries")" | grep -q '<ol class="hits"' \
        || pl_fail "the search page has no hits for $(head -1 "$queries")"
    curl -sf "$base/api/search?$(head -1 "$queries")" | jq -e '.total > 0' >/dev/null \
        || pl_fail "/api/search has no hits for $(head -1 "$queries")"
    echo "page of $(head -1 "$queries"): $(curl -s -o /dev/null -w '%{size_download}' \
        "$base/search?$(head -1 "$queries")") bytes; JSON: $(curl -s -o /dev/null \
        -w '%{size_download}' "$base/api/search?$(head -1 "$queries")") bytes"
    # Once through every search (the worker's first fills its tables), unmeasured
    wrk -t1 -c1 -d5s -s "$(dirname "$0")/web_search.lua" "$base" -- /search "$queries" >/dev/null
    local connections path threads
    for connections in 1 4 16; do
        threads=$(( connections < 2 ? 1 : 2 ))
        for path in /search /api/search; do
            echo "== web: $path, $(wc -l <"$queries") searches in turn, wrk -t$threads -c$connections -d${seconds}s (load $(cut -d' ' -f1 /proc/loadavg))"
            wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency \
                -s "$(dirname "$0")/web_search.lua" "$base" -- "$path" "$queries"
        done
    done
}

# The notify scenario: the render alone, then end to end through the relay.
bench_notify () {
    . "$(dirname "$0")/../tests/harness.sh"
    PL_SOURCE=$(cd "$(dirname "$0")/.." && pwd)
    echo "== notify: pl-bench-notify --render 5000 (in process)"
    "$PL_BUILD/pl-bench-notify" --render 5000
    echo "== notify: pl-bench-notify --apply 10000 (in process: what a batch holds the loop for)"
    "$PL_BUILD/pl-bench-notify" --apply 10000
    pl_system "$PL_TMP/data"
    pl_start_smtpd "$PL_TMP/mail" --no-files --log "$PL_TMP/arrivals"
    pl_start_notify "$PL_TMP/data" --rate 10000
    echo "== notify: 2,000 registrations as fast as they go (notify --rate 10000)"
    "$PL_BUILD/pl-bench-notify" --count 2000 --arrivals "$PL_TMP/arrivals"
    echo "== notify: 600 registrations at a steady 20 events/s"
    "$PL_BUILD/pl-bench-notify" --count 600 --rate 20 --arrivals "$PL_TMP/arrivals"
}

# The backup scenario (see the list above).
bench_backup () {
    . "$(dirname "$0")/../tests/harness.sh"
    local events=${PL_BACKUP_EVENTS:-1000000} rate=${PL_RATE:-1000}
    local seconds=${PL_LOAD_SECONDS:-120}
    local data=$PL_TMP/data count=$(( ${PL_RATE:-1000} * ${PL_LOAD_SECONDS:-120} ))
    pl_system "$data"
    pl_start_calendar "$data"
    echo "== backup: a log of $events registrations, applied by records and the calendar"
    "$PL_BENCH/pl-bench-publish" --count "$events" --window 2000 | grep -E '^(acknowledged|applied)'
    pl_poll 6000 pl_caught_up || pl_fail "the workers did not catch up within 10 min"
    ls -l "$data"/broker/log.db* "$data"/records/records.db* "$data"/calendar/calendar.db* \
        | awk '{printf "  %-60s %6.1f MB\n", $9, $5 / 1e6}'
    # each database's largest WAL while the load runs (sampled every 0.1 s):
    # a snapshot held by a copy keeps checkpoints from going past it
    wal_watch () {
        local -A most=()
        local db size
        local dbs="broker/log.db records/records.db calendar/calendar.db"
        while kill -0 "$1" 2>/dev/null; do
            for db in $dbs; do
                size=$(stat -c %s "$data/$db-wal" 2>/dev/null || echo 0)
                [ "$size" -gt "${most[$db]:-0}" ] && most[$db]=$size
            done
            sleep 0.1
        done
        for db in $dbs; do
            echo "  $db's WAL at its largest during the load: $(( ${most[$db]:-0} / 1000000 )) MB"
        done
    }
    # load WHAT COMMAND...: the steady load, COMMAND run 5 s into it
    load () {
        local what=$1; shift
        echo "== backup: pl-bench-publish --rate $rate for $seconds s, $what"
        "$PL_BENCH/pl-bench-publish" --count "$count" --window 1000 --rate "$rate" \
            >"$PL_TMP/load.out" &
        local bench=$!
        wal_watch "$bench" &
        local watch=$!
        if [ $# -gt 0 ]; then
            sleep 5
            /usr/bin/time -f "  %C: %e s, %M kB resident at most" "$@"
            if kill -0 "$bench" 2>/dev/null; then
                echo "  (the load was still running when it ended)"
            else
                echo "  (the load ended before it did: raise PL_LOAD_SECONDS)"
            fi
        fi
        wait "$bench"
        wait "$watch"
        cat "$PL_TMP/load.out"
    }
    load "nothing else"
    load "plenary backup 5 s in" \
        plenary backup --data "$data" --to "$PL_TMP/copy" --json --no-secrets
    ls -l "$PL_TMP"/copy/*/*.db | awk '{printf "  %-60s %6.1f MB\n", $9, $5 / 1e6}'
    load "VACUUM INTO of the log alone 5 s in" \
        sqlite3 "file:$data/broker/log.db?mode=ro" "VACUUM INTO '$PL_TMP/vacuum.db'"
    ls -l "$PL_TMP/vacuum.db" | awk '{printf "  %-60s %6.1f MB\n", $9, $5 / 1e6}'
    echo "== backup: plenary verify of the copy, then --quick"
    /usr/bin/time -f "  %e s, %M kB resident at most" plenary verify --data "$PL_TMP/copy"
    /usr/bin/time -f "  %e s, %M kB resident at most" plenary verify --data "$PL_TMP/copy" --quick \
        | tail -1
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
    if [ "$scenario" = notify ]; then ( bench_notify ); continue; fi
    if [ "$scenario" = archive ]; then ( bench_archive ); continue; fi
    if [ "$scenario" = web ]; then ( bench_web ); continue; fi
    if [ "$scenario" = backup ]; then ( bench_backup ); continue; fi
    (
        . "$(dirname "$0")/../tests/harness.sh"
        if [ "$scenario" = curve ]; then
            plenary keys init --data "$PL_TMP/data" >/dev/null
            plenary keys new --role secretariat --name bench --data "$PL_TMP/data" >/dev/null
            pl_start_broker "$PL_TMP/data"
            echo "== curve: pl-bench-publish --count 200000 --window 2000 --ack-only (keys on)"
            PLENARY_CERT=$PL_TMP/data/keys/issued/bench.key \
                "$PL_BENCH/pl-bench-publish" ${PL_PACK:+--pack $PL_PACK} --count 200000 --window 2000 --ack-only \
                --broker-pid "$BROKER_PID"
            PLENARY_CERT=$PL_TMP/data/keys/issued/records.key pl_start_records "$PL_TMP/data"
            PLENARY_CERT=$PL_TMP/data/keys/issued/bench.key pl_wait_records
            echo "== curve: pl-bench-publish --count 50000 --window 1000 --rate 10000 (keys on)"
            PLENARY_CERT=$PL_TMP/data/keys/issued/bench.key \
                "$PL_BENCH/pl-bench-publish" ${PL_PACK:+--pack $PL_PACK} --count 50000 --window 1000 --rate 10000
            exit $?
        fi
        if [ "$scenario" = ackonly ]; then pl_start_broker "$PL_TMP/data"
        else pl_system "$PL_TMP/data"; fi
        if [ "$scenario" = follow ]; then
            pl_start_calendar "$PL_TMP/data"
            rate=${PL_RATE:-10000}
            echo "== follow: pl-bench-publish --count 50000 --window 1000 --rate $rate (records applied)"
            "$PL_BENCH/pl-bench-publish" ${PL_PACK:+--pack $PL_PACK} --count 50000 --window 1000 --rate "$rate" --group records
            echo "== follow: the same, calendar applied (after records' verdict)"
            "$PL_BENCH/pl-bench-publish" ${PL_PACK:+--pack $PL_PACK} --count 50000 --window 1000 --rate "$rate" --group calendar
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
        "$PL_BENCH/pl-bench-publish" ${PL_PACK:+--pack $PL_PACK} $args --broker-pid "$BROKER_PID"
        echo "log size: $(du -sh "$PL_TMP/data/broker" | cut -f1)"
        if [ "$scenario" != ackonly ]; then
            # the records worker's CPU (user + system) per event: the figure
            # a loaded machine disturbs least
            count=$(echo "$args" | sed -n 's/.*--count \([0-9]*\).*/\1/p')
            ticks=$(awk '{print $14 + $15}' "/proc/$RECORDS_PID/stat")
            awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$count" 'BEGIN {
                printf "records worker CPU: %.2f s, %.1f us per event\n", t / hz, t / hz / n * 1e6 }'
        fi
    )
done
