# tests/calendar_cache.sh — the gateway's feed cache and its stop, black box.
#
# Real broker, records and calendar workers and two gateways on ephemeral
# ports: A hears the broker's PUB socket and trusts cached validators for
# 60 s; B's --pub leads nowhere and trusts them for 1 s.
#  - A answers If-None-Match with 304 from its cache while the calendar
#    worker is stopped (SIGSTOP): no broker round trip;
#  - after a change A answers the old ETag with 200 long before 60 s: the
#    $verdict.calendar notification invalidated its cache;
#  - B, which hears no notification, does so once its 1 s bound passes;
#  - A, holding idle keep-alive connections and requests blocked on the
#    stopped worker, exits 0 within 5 s of SIGTERM.
. "$(dirname "$0")/harness.sh"
SRC=$(cd "$(dirname "$0")" && pwd)
DATA=$PL_TMP/data
pl_system "$DATA"
plenary-calendar --data "$DATA" --backend "$PLENARY_BACKEND" >>"$PL_TMP/calendar.log" 2>&1 &
CAL=$!
PL_PIDS="$PL_PIDS $CAL"
plenary-gateway --data "$DATA" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
    --cache-ms 60000 >>"$PL_TMP/gateway-a.log" 2>&1 &
GWA=$!
PL_PIDS="$PL_PIDS $GWA"
mkdir -p "$PL_TMP/b"
plenary-gateway --data "$PL_TMP/b" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
    --pub "ipc://$PL_TMP/nothing" --cache-ms 1000 >>"$PL_TMP/gateway-b.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$DATA/gateway.ready" || pl_fail "gateway A wrote no gateway.ready"
pl_poll 100 test -s "$PL_TMP/b/gateway.ready" || pl_fail "gateway B wrote no gateway.ready"
HTTP_A=$(sed -n 's/^http=//p' "$DATA/gateway.ready")
HTTP_B=$(sed -n 's/^http=//p' "$PL_TMP/b/gateway.ready")
PATH_M=/ics/meetings/ccm-msp14.ics
FEED_A=http://$HTTP_A$PATH_M
FEED_B=http://$HTTP_B$PATH_M

plenary meeting add --id ccm-msp14 --convention CCM --kind msp --title "Fourteenth meeting" \
    --venue Geneva --tz Europe/Zurich --start 2031-03-24 --end 2031-03-28 >/dev/null \
    || pl_fail "meeting add"
plenary session add --meeting ccm-msp14 --id day1 --title "First plenary" \
    --start 2031-03-24T10:00 --end 2031-03-24T13:00 >/dev/null || pl_fail "session add"
has_session () { curl -sf "$FEED_A" | grep -q '^UID:session/ccm-msp14/day1@'; }
pl_poll 100 has_session || pl_fail "the feed never showed the session"
# Each gateway's feed names itself as SOURCE, so each has its own ETag
etag_of () { curl -sfI "$1" | sed -n 's/^[Ee][Tt][Aa][Gg]: \(.*\)\r$/\1/p'; }
ETAG=$(etag_of "$FEED_A")
ETAG_B=$(etag_of "$FEED_B")
[ -n "$ETAG" ] && [ -n "$ETAG_B" ] || pl_fail "no ETag"
code_of () { curl -s -m 3 -o /dev/null -w '%{http_code}' -H "If-None-Match: $2" "$1"; }
[ "$(code_of "$FEED_A" "$ETAG")" = 304 ] || pl_fail "A: If-None-Match not 304"
[ "$(code_of "$FEED_B" "$ETAG_B")" = 304 ] || pl_fail "B: If-None-Match not 304"

# ---- served from the cache: the worker cannot answer, A still says 304
kill -STOP "$CAL"
curl -s -m 3 -D "$PL_TMP/h304" -o /dev/null -H "If-None-Match: $ETAG" "$FEED_A"
grep -q '^HTTP/1.1 304' "$PL_TMP/h304" || { kill -CONT "$CAL"; pl_fail "A asked the stopped worker"; }
grep -qi "^etag: $ETAG" "$PL_TMP/h304" && grep -qi '^last-modified: ' "$PL_TMP/h304" \
    || { kill -CONT "$CAL"; pl_fail "a cached 304 without its validators"; }
code=$(curl -s -m 3 -o /dev/null -w '%{http_code}' -H 'If-None-Match: "other"' "$FEED_A")
[ "$code" != 304 ] || { kill -CONT "$CAL"; pl_fail "a tag the cache does not hold got 304"; }
kill -CONT "$CAL"

# ---- a change: the verdict invalidates A at once; B's bound ends its entry
plenary session move day1 --meeting ccm-msp14 --start 2031-03-25T10:00 --end 2031-03-25T13:00 \
    >/dev/null || pl_fail "session move"
old_tag_200 () { [ "$(code_of "$1" "$2")" = 200 ]; }
pl_poll 100 old_tag_200 "$FEED_A" "$ETAG" || pl_fail "A kept answering 304 for the old ETag"
curl -sf "$FEED_A" | grep -q 'DTSTART;TZID=Europe/Zurich:20310325T100000' \
    || pl_fail "A does not serve the moved session"
pl_poll 100 old_tag_200 "$FEED_B" "$ETAG_B" || pl_fail "B, without notifications, never let go of the old ETag"

# ---- SIGTERM with idle keep-alive connections and requests in flight
python3 "$SRC/calendar_conns.py" 127.0.0.1 "${HTTP_A##*:}" "$PATH_M" 20 40 \
    "$PL_TMP/conns" "$PL_TMP/go" >>"$PL_TMP/conns.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -e "$PL_TMP/conns.1" || pl_fail "could not open the idle connections"
kill -STOP "$CAL"
touch "$PL_TMP/go"
pl_poll 100 test -e "$PL_TMP/conns.2" || { kill -CONT "$CAL"; pl_fail "could not send the requests"; }
start=$(date +%s%N)
kill -TERM "$GWA"
pl_wait_gone "$GWA" 50 || { kill -CONT "$CAL"; pl_fail "gateway still running 5 s after SIGTERM"; }
wait "$GWA"
rc=$?
kill -CONT "$CAL"
[ "$rc" = 0 ] || pl_fail "gateway exit status $rc after SIGTERM"
echo "gateway stopped in $(( ($(date +%s%N) - start) / 1000000 )) ms"
pl_pass "gateway feed cache and stop"
