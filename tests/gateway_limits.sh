#!/usr/bin/env bash
# gateway_limits — the gateway stays bounded under slow and greedy clients,
# black box (tests/gateway_slow.py plays the clients).  A broker and the
# calendar worker answer /ics/all.ics (200, kept alive: libmicrohttpd closes
# the connection after an error status, so a 404 would not hold it).
#
# 1. Per address: one address holding --per-ip-limit slow connections gets
#    its next connection closed at once, while another address is served;
#    when they go, the address is served again.  Keep-alive still works.
# 2. The request deadline: a connection that trickles one header byte every
#    half second (which restarts an idle timeout every time) is closed after
#    --header-timeout, and so is a keep-alive connection idle that long.
# 3. Every slot: slow clients from many addresses filling --max-connections
#    hold the gateway only until the deadline; then a normal client is served.
. "$(dirname "$0")/harness.sh"
SLOW=$(dirname "$0")/gateway_slow.py
command -v curl >/dev/null || pl_fail "curl is not installed (scripts/build.sh installs it)"
pl_start_broker "$PL_TMP/data"
pl_start_calendar "$PL_TMP/data"
FEED=/ics/all.ics

# start_gateway NAME FLAGS...: a gateway on 127.0.0.1:*; sets PORT
start_gateway () {
    local name=$1; shift
    mkdir -p "$PL_TMP/$name"
    plenary-gateway --data "$PL_TMP/$name" --endpoint "$PLENARY_ENDPOINT" --pub "$PLENARY_PUB" \
        --http '127.0.0.1:*' "$@" >>"$PL_TMP/$name.log" 2>&1 &
    PL_PIDS="$PL_PIDS $!"
    pl_poll 100 test -s "$PL_TMP/$name/gateway.ready" || pl_fail "$name wrote no gateway.ready"
    PORT=$(sed -n 's/^http=127.0.0.1://p' "$PL_TMP/$name/gateway.ready")
    feed_ok () { [ "$(status "http://127.0.0.1:$PORT$FEED")" = 200 ]; }
    pl_poll 100 feed_ok || pl_fail "$name: no feed from the calendar worker"
}

# status [CURL FLAGS...] URL: the HTTP status curl gets, 000 when none
status () { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }

# ---- 1. connections per address
start_gateway perip --per-ip-limit 8 --header-timeout 60
/usr/bin/python3 "$SLOW" hold 127.0.0.1 "$PORT" $FEED 8 "$PL_TMP/held.ready" >>"$PL_TMP/slow.log" 2>&1 &
HOLD=$!
PL_PIDS="$PL_PIDS $HOLD"
pl_poll 100 test -e "$PL_TMP/held.ready" || pl_fail "the slow client could not open its 8 connections"
code=$(status "http://127.0.0.1:$PORT$FEED")
[ "$code" = 000 ] || pl_fail "a 9th connection from 127.0.0.1 was answered $code, not closed"
code=$(status --interface 127.0.0.2 "http://127.0.0.1:$PORT$FEED")
[ "$code" = 200 ] || pl_fail "another address was not served while 127.0.0.1 held its 8: $code"
kill "$HOLD"
pl_poll 100 feed_ok || pl_fail "127.0.0.1 not served again after its slow connections went"
# keep-alive: two requests on one connection
curl -sv -o /dev/null -o /dev/null "http://127.0.0.1:$PORT$FEED" "http://127.0.0.1:$PORT$FEED" \
    2>"$PL_TMP/keepalive" || true
grep -qi 're-using existing connection' "$PL_TMP/keepalive" \
    || pl_fail "keep-alive no longer works: $(grep -i connect "$PL_TMP/keepalive")"

# ---- 2. the request deadline
start_gateway deadline --header-timeout 2
took=$(/usr/bin/python3 "$SLOW" trickle 127.0.0.1 "$PORT" $FEED 8) \
    || pl_fail "a connection trickling header bytes was not closed within 8 s: $took"
awk -v t="$took" 'BEGIN { exit !(t >= 1.5) }' \
    || pl_fail "the trickling connection was closed after $took s, before its 2 s deadline"
took=$(/usr/bin/python3 "$SLOW" idle 127.0.0.1 "$PORT" $FEED 8) \
    || pl_fail "an idle keep-alive connection was not closed within 8 s: $took"
awk -v t="$took" 'BEGIN { exit !(t >= 1.5) }' \
    || pl_fail "the idle keep-alive connection was closed after $took s, before its 2 s deadline"
feed_ok || pl_fail "a normal request after the slow ones"

# ---- 3. slow clients from many addresses cannot hold every slot
start_gateway crowd --threads 1 --max-connections 16 --per-ip-limit 0 --header-timeout 3
/usr/bin/python3 "$SLOW" hold 127.0.0.1 "$PORT" $FEED 16 "$PL_TMP/crowd.ready" --spread \
    >>"$PL_TMP/slow.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -e "$PL_TMP/crowd.ready" || pl_fail "the slow crowd could not open its 16 connections"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 0.5 --interface 127.0.0.2 \
           "http://127.0.0.1:$PORT$FEED")
[ "$code" = 000 ] || pl_fail "the 16 slow connections did not fill the gateway: answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --interface 127.0.0.2 \
           "http://127.0.0.1:$PORT$FEED")
[ "$code" = 200 ] || pl_fail "a normal client waited in vain behind the slow crowd: $code"
pl_pass "per-address limit, request deadline, slow crowd"
