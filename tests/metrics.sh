# tests/metrics.sh — GET /metrics scraped and read by Prometheus's own
# parser, and `plenary status` agreeing with it (issue 14, item 5).
#
# Real broker, records and calendar workers and gateway on ephemeral ports.
# A meeting with a session is set up and its feed fetched (a render), then
# a first scrape; between it and the next, exactly: N registrations
# published (test-publisher), two /api/meetings (two records queries, 200),
# one feed, one path that does not exist (404).  Every scrape is parsed by
# python3-prometheus-client (tests/metrics_check.py, which also checks the
# families' HELP, types, _total and each histogram's buckets) and the
# counters must have moved by exactly that:
#  - events published and acknowledged by N, refused by none, the log by N;
#  - the commit histograms: as many commits of events as of times, more
#    than none, their events adding up to N;
#  - the records service's query times counted twice, no error;
#  - HTTP responses: api 200 by 2, feed 200 by 1, page 404 by 1; feed
#    renders at least one since the start;
#  - per group: no backlog, no lag and no dead letter once caught up.
# `plenary status --json` asked right after a scrape gives the same numbers
# (its own broker service one more: the scrape's query was counted after
# its answer), and `plenary status` prints them for a person.  With the
# calendar stopped and M events published, its backlog is M and its lag
# positive.  A request forwarded by a proxy (X-Forwarded-For) is refused
# 403; with the broker stopped, plenary_broker_up is 0 and the gateway's
# own numbers are still served.
. "$(dirname "$0")/harness.sh"
SRC=$(cd "$(dirname "$0")" && pwd)
DATA=$PL_TMP/data
N=150
M=7
pl_system "$DATA"
pl_start_calendar "$DATA"
plenary-gateway --data "$DATA" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
    >>"$PL_TMP/gateway.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$DATA/gateway.ready" || pl_fail "gateway wrote no gateway.ready"
HTTP=http://$(sed -n 's/^http=//p' "$DATA/gateway.ready")

plenary meeting add --id ccm-msp14 --convention CCM --kind msp --title "Fourteenth meeting" \
    --venue Geneva --tz Europe/Zurich --start 2031-03-24 --end 2031-03-28 >/dev/null \
    || pl_fail "meeting add"
plenary session add --meeting ccm-msp14 --id day1 --title "Plenary meeting 1" \
    --start 2031-03-24T10:00 --end 2031-03-24T13:00 >/dev/null || pl_fail "session add"
has_session () { curl -sf "$HTTP/ics/meetings/ccm-msp14.ics" | grep -q '^UID:session/ccm-msp14/day1'; }
pl_poll 100 has_session || pl_fail "the feed never showed the session"
pl_poll 100 pl_caught_up || pl_fail "the groups did not catch up: $(plenary status)"

# scrape NAME: GET /metrics into NAME.txt, parsed into NAME.json
scrape () {
    local code
    code=$(curl -s -o "$PL_TMP/$1.txt" -D "$PL_TMP/$1.h" -w '%{http_code}' "$HTTP/metrics")
    [ "$code" = 200 ] || pl_fail "/metrics answered $code"
    grep -qi '^Content-Type: text/plain; version=0.0.4; charset=utf-8' "$PL_TMP/$1.h" \
        || pl_fail "/metrics: Content-Type $(grep -i '^content-type' "$PL_TMP/$1.h")"
    /usr/bin/python3 "$SRC/metrics_check.py" "$PL_TMP/$1.txt" >"$PL_TMP/$1.json" \
        || pl_fail "/metrics did not parse: $(head -40 "$PL_TMP/$1.txt")"
}
# value NAME SAMPLE: the sample's value in scrape NAME (0 when absent)
value () { jq -r --arg k "$2" '.[$k] // 0' "$PL_TMP/$1.json"; }
# moved SAMPLE: how much SAMPLE grew from scrape "before" to "after"
moved () { jq -n --argjson a "$(value before "$1")" --argjson b "$(value after "$1")" '$b - $a'; }
# expect WHAT GOT WANT
expect () { [ "$2" = "$3" ] || pl_fail "$1: $2, want $3"; }

scrape before
expect "broker up" "$(value before plenary_broker_up)" 1
expect "feed renders since the start > 0" "$(jq '.plenary_feed_renders_total > 0' "$PL_TMP/before.json")" true

# Between the scrapes: N events, two queries of records, a feed, a 404
test-publisher --meeting ccm-msp14 --count "$N" --prefix metrics >"$PL_TMP/publisher.out" \
    2>"$PL_TMP/publisher.log" || pl_fail "test-publisher: $(tail -3 "$PL_TMP/publisher.log")"
for i in 1 2; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$HTTP/api/meetings")
    expect "/api/meetings" "$code" 200
done
code=$(curl -s -o "$PL_TMP/feed.ics" -w '%{http_code}' "$HTTP/ics/meetings/ccm-msp14.ics")
expect "the feed" "$code" 200
code=$(curl -s -o /dev/null -w '%{http_code}' "$HTTP/no-such-page")
expect "a path that does not exist" "$code" 404
pl_poll 300 pl_caught_up || pl_fail "the groups did not catch up: $(plenary status)"
scrape after
plenary status --json >"$PL_TMP/status.json" || pl_fail "plenary status --json"

# Published and acknowledged: exactly N.  A client that heard nothing
# within its back-off window resends (Lazy Pirate, docs/protocol.md): the
# broker then counts the resent events again, so on a machine loaded that
# much only what settles is exact (published = acknowledged + refused,
# the log grew by N), and the test says so.
resent=$(grep -c 'resending' "$PL_TMP/publisher.log")
published=$(moved plenary_events_published_total)
acknowledged=$(moved plenary_events_acknowledged_total)
refused=$(moved plenary_events_refused_total)
expect "refused" "$refused" 0
expect "log events" "$(moved plenary_log_events)" "$N"
expect "last seq" "$(moved plenary_log_last_seq)" "$N"
if [ "$resent" = 0 ]; then
    expect "published" "$published" "$N"
    expect "acknowledged" "$acknowledged" "$N"
else
    echo "note: the publisher resent after silence $resent times; published $published for $N events"
    expect "published = acknowledged + refused" "$published" "$((acknowledged + refused))"
    [ "$acknowledged" -ge "$N" ] || pl_fail "acknowledged $acknowledged, want at least $N"
fi

# The commits: one time per commit, more than none, N events in them
commits=$(moved plenary_commit_events_count)
expect "commit times counted" "$(moved plenary_commit_seconds_count)" "$commits"
[ "$commits" -gt 0 ] || pl_fail "no commit counted"
[ "$resent" != 0 ] || expect "events in the commits" "$(moved plenary_commit_events_sum)" "$N"
expect "commits of at most 8192 events" "$(moved 'plenary_commit_events_bucket{le="8192"}')" "$commits"
jq -e '.["plenary_commit_seconds_sum"] > 0' "$PL_TMP/after.json" >/dev/null \
    || pl_fail "the commits took no time"

# Queries: the records service twice (the two /api/meetings), no error
expect "records queries" "$(moved 'plenary_query_seconds_count{service="records"}')" 2
expect "records query errors" "$(moved 'plenary_query_errors_total{service="records"}')" 0
expect "records queries in +Inf" "$(moved 'plenary_query_seconds_bucket{le="+Inf",service="records"}')" 2

# HTTP responses by class and status
expect "api 200" "$(moved 'plenary_http_responses_total{class="api",code="200"}')" 2
expect "feed 200" "$(moved 'plenary_http_responses_total{class="feed",code="200"}')" 1
expect "page 404" "$(moved 'plenary_http_responses_total{class="page",code="404"}')" 1
expect "metrics 200" "$(moved 'plenary_http_responses_total{class="metrics",code="200"}')" 1

# Groups caught up: no backlog, no lag, no dead letter
for group in records calendar; do
    expect "$group backlog" "$(value after "plenary_group_backlog_events{group=\"$group\"}")" 0
    expect "$group lag" "$(value after "plenary_group_cursor_lag_seconds{group=\"$group\"}")" 0
    expect "$group dead letters" "$(value after "plenary_group_dead_letters{group=\"$group\"}")" 0
    expect "$group workers" "$(value after "plenary_group_workers{group=\"$group\"}")" 1
done

# plenary status --json says the same (nothing was published or queried
# between the two, but the scrape's own broker.status)
same () { expect "status --json $1 against /metrics" "$(jq -r "$2" "$PL_TMP/status.json")" \
    "$(value after "$3")"; }
same published .published plenary_events_published_total
same acknowledged .acknowledged plenary_events_acknowledged_total
same refused .refused plenary_events_refused_total
same last_seq .last_seq plenary_log_last_seq
same events .events plenary_log_events
same dead_letters .dead_letters plenary_dead_letters
same commits '.histograms[] | select(.name == "commit_events") | .count' plenary_commit_events_count
same "events committed" '.histograms[] | select(.name == "commit_events") | .sum' \
    plenary_commit_events_sum
same "records queries" '.histograms[] | select(.service == "records") | .count' \
    'plenary_query_seconds_count{service="records"}'
same "records queries under 1 ms" \
    '.histograms[] | select(.service == "records") | .buckets[] | select(.le == 1000) | .count' \
    'plenary_query_seconds_bucket{le="0.001",service="records"}'
for group in records calendar; do
    same "$group backlog" ".groups[] | select(.group == \"$group\") | .lag" \
        "plenary_group_backlog_events{group=\"$group\"}"
    same "$group cursor" ".groups[] | select(.group == \"$group\") | .acked_through" \
        "plenary_group_acked_through{group=\"$group\"}"
done
# The commit times: microseconds there, seconds here
jq -e --argjson s "$(value after plenary_commit_seconds_sum)" \
    '.histograms[] | select(.name == "commit_us") | .sum == ($s * 1000000 | round)' \
    "$PL_TMP/status.json" >/dev/null || pl_fail "commit times: status --json and /metrics differ"
expect "broker queries, the scrape's one more" \
    "$(jq '.histograms[] | select(.service == "broker") | .count' "$PL_TMP/status.json")" \
    "$(( $(value after 'plenary_query_seconds_count{service="broker"}') + 1 ))"

# For a person: the counters, the percentiles, the groups and the services
plenary status >"$PL_TMP/status.txt" || pl_fail "plenary status"
grep -q "$(jq -r .published "$PL_TMP/status.json") events published" "$PL_TMP/status.txt" \
    || pl_fail "plenary status does not say the events published: $(cat "$PL_TMP/status.txt")"
grep -q "group commits: $(jq '.histograms[] | select(.name == "commit_events") | .count' \
    "$PL_TMP/status.json") " "$PL_TMP/status.txt" \
    || pl_fail "plenary status does not count the commits: $(cat "$PL_TMP/status.txt")"
grep -q 'fsync p50 .*, p90 .*, p99 ' "$PL_TMP/status.txt" \
    || pl_fail "plenary status has no fsync percentiles: $(cat "$PL_TMP/status.txt")"
grep -q '^GROUP .*BACKLOG .*LAG .*DEAD LETTERS' "$PL_TMP/status.txt" \
    || pl_fail "plenary status has no backlog column: $(cat "$PL_TMP/status.txt")"
grep -Eq "^records +[0-9]+ +0 +[0-9.]+ +[0-9.]+ (µs|ms)" "$PL_TMP/status.txt" \
    || pl_fail "plenary status has no line for the records service: $(cat "$PL_TMP/status.txt")"

# A backlog: the calendar stopped, M events published
kill -TERM "$CALENDAR_PID"
pl_wait_gone "$CALENDAR_PID" 100 || pl_fail "the calendar did not stop"
calendar_gone () { plenary status --json | jq -e '.groups[] | select(.group == "calendar") | .workers == 0'; }
pl_poll 300 calendar_gone || pl_fail "the broker still counts a calendar worker: $(plenary status)"
test-publisher --meeting ccm-msp14 --count "$M" --prefix backlog >/dev/null \
    2>>"$PL_TMP/publisher.log" || pl_fail "test-publisher (backlog)"
scrape behind
expect "calendar backlog" "$(value behind 'plenary_group_backlog_events{group="calendar"}')" "$M"
expect "calendar workers" "$(value behind 'plenary_group_workers{group="calendar"}')" 0
jq -e '.["plenary_group_cursor_lag_seconds{group=\"calendar\"}"] > 0' "$PL_TMP/behind.json" \
    >/dev/null || pl_fail "calendar lag: $(value behind 'plenary_group_cursor_lag_seconds{group="calendar"}')"
plenary status | grep -Eq "^calendar .* $M +[0-9.]+ (ms|s|min) " \
    || pl_fail "plenary status does not show the calendar's backlog: $(plenary status)"

# Only for this host: a request a proxy forwarded is refused
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-For: 203.0.113.9' "$HTTP/metrics")
expect "/metrics forwarded by a proxy" "$code" 403
scrape refused
expect "metrics 403" "$(value refused 'plenary_http_responses_total{class="metrics",code="403"}')" 1

# Without the broker: up 0, the gateway's own numbers still there
kill -TERM "$BROKER_PID"
pl_wait_gone "$BROKER_PID" 100 || pl_fail "the broker did not stop"
scrape alone
expect "broker up without the broker" "$(value alone plenary_broker_up)" 0
expect "api 200 without the broker" \
    "$(value alone 'plenary_http_responses_total{class="api",code="200"}')" \
    "$(value after 'plenary_http_responses_total{class="api",code="200"}')"
[ "$(value alone plenary_events_published_total)" = 0 ] \
    || pl_fail "broker numbers served without the broker"
pl_pass "metrics: /metrics parsed by Prometheus's parser, counters exact, plenary status agrees"
