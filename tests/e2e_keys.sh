#!/usr/bin/env bash
# Keys (issue "Authentication"): each attack is refused.
#   - a broker without keys will not listen beyond loopback (nothing written),
#     unless --insecure, which it says loudly;
#   - with keys: no key, an unknown key, a revoked key are refused at the
#     handshake, and the client says which; a delegate key cannot publish; a
#     worker key for the calendar cannot join as records nor offer the records
#     service, and its credit is capped by its grant; a worker key is not a
#     client key; a delegate cannot follow the live stream;
#   - revoking a worker's key disconnects it within a tick; revoking a
#     subscriber's key cuts it off the live stream;
#   - every file under the data folder is 0600 and every folder 0700.
. "$(dirname "$0")/harness.sh"
D=$PL_TMP/data
K=$D/keys/issued

# ---- without keys: loopback only
plenaryd --data "$PL_TMP/open" --endpoint 'tcp://0.0.0.0:*' --backend 'tcp://127.0.0.1:*' \
    --pub 'tcp://127.0.0.1:*' 2>"$PL_TMP/open.err"
rc=$?
[ $rc = 1 ] || pl_fail "a broker without keys on 0.0.0.0 exited $rc, want 1"
grep -q "is not a loopback address" "$PL_TMP/open.err" && grep -q "plenary keys init" "$PL_TMP/open.err" \
    || pl_fail "the refusal does not say why and how: $(cat "$PL_TMP/open.err")"
[ ! -e "$PL_TMP/open/broker" ] || pl_fail "the refused broker wrote its log anyway"
plenaryd --data "$PL_TMP/open" --endpoint 'tcp://0.0.0.0:*' --backend 'tcp://127.0.0.1:*' \
    --pub 'tcp://127.0.0.1:*' --insecure >"$PL_TMP/insecure.log" 2>&1 &
INSECURE=$!
PL_PIDS="$PL_PIDS $INSECURE"
pl_poll 100 test -s "$PL_TMP/open/plenaryd.ready" || pl_fail "--insecure did not start"
grep -q "INSECURE" "$PL_TMP/insecure.log" || pl_fail "--insecure is not said loudly"
kill -TERM "$INSECURE"; pl_wait_gone "$INSECURE" 50 || pl_fail "insecure broker did not stop"

# ---- with keys
plenary keys init --data "$D" >/dev/null || pl_fail "keys init"
plenary keys new --role secretariat --name op --data "$D" >/dev/null || pl_fail "keys new op"
plenary keys new --role secretariat --name watcher --data "$D" >/dev/null || pl_fail "keys new watcher"
plenary keys new --role delegate --name del --data "$D" >/dev/null || pl_fail "keys new del"
plenary keys new --role worker --name cal2 --group calendar --service calendar --credit 2 \
    --data "$D" >/dev/null || pl_fail "keys new cal2"
plenary keys new --role chairman --name x --data "$D" 2>"$PL_TMP/err"; [ $? = 1 ] \
    && grep -q "role 'chairman'" "$PL_TMP/err" || pl_fail "an unknown role was issued"
plenary keys new --role delegate --name op --data "$D" 2>"$PL_TMP/err"; [ $? = 1 ] \
    && grep -q "exists already" "$PL_TMP/err" || pl_fail "a name was issued twice"
plenary keys list --json --data "$D" | jq -e 'length == 9 and any(.[]; .name == "cal2" and .credit == 2)' \
    >/dev/null || pl_fail "keys list: $(plenary keys list --data "$D")"

PLENARY_LOG=info pl_start_broker "$D"          # its refusals are read from its log
PLENARY_CERT=$K/records.key pl_start_records "$D"
PLENARY_CERT=$K/calendar.key pl_start_calendar "$D"
export PLENARY_CERT=$K/op.key
pl_wait_records
plenary meeting add --id keys-msp --convention CCM --kind msp --title "Keys" --venue Geneva \
    --tz Europe/Zurich --start 2031-03-02 --end 2031-03-04 >/dev/null || pl_fail "op publishes"

# no key, a key of another broker, a worker key on the client socket
PLENARY_CERT= plenary meeting list 2>"$PL_TMP/err"; [ $? = 1 ] \
    && grep -q "requires a key: set PLENARY_CERT" "$PL_TMP/err" || pl_fail "no key: $(cat "$PL_TMP/err")"
plenary keys init --data "$PL_TMP/other" >/dev/null
plenary keys new --role secretariat --name op --data "$PL_TMP/other" >/dev/null
PLENARY_CERT=$PL_TMP/other/keys/issued/op.key plenary meeting list 2>"$PL_TMP/err"; [ $? = 1 ] \
    || pl_fail "another broker's key was accepted"
PLENARY_CERT=$K/records.key plenary meeting list 2>"$PL_TMP/err"; [ $? = 1 ] \
    && grep -q "refused the key records" "$PL_TMP/err" || pl_fail "worker key as client: $(cat "$PL_TMP/err")"

# a delegate queries but does not publish, nor follow the live stream
PLENARY_CERT=$K/del.key plenary meeting list --json | jq -e 'any(.[]; .id == "keys-msp")' >/dev/null \
    || pl_fail "a delegate cannot query"
PLENARY_CERT=$K/del.key plenary meeting add --id del-msp --convention CCM --kind msp --title D \
    --venue Geneva --tz Europe/Zurich --start 2031-03-02 --end 2031-03-04 2>"$PL_TMP/err"
[ $? = 1 ] && grep -q "role delegate may not publish" "$PL_TMP/err" || pl_fail "a delegate published"
PLENARY_CERT=$K/del.key timeout 1 plenary tail >/dev/null 2>&1
pl_poll 50 grep -q "key del (delegate) may not follow the live stream" "$PL_TMP/broker.log" \
    || pl_fail "the delegate's subscription was not refused"

# a key granted one topic publishes that topic and no other: the gateway's
PLENARY_CERT=$K/gateway.key plenary meeting add --id gw-msp --convention CCM --kind msp --title G \
    --venue Geneva --tz Europe/Zurich --start 2031-03-02 --end 2031-03-04 2>"$PL_TMP/err"
[ $? = 1 ] && grep -q "role public may not publish meeting.scheduled" "$PL_TMP/err" \
    || pl_fail "the gateway's key published a meeting: $(cat "$PL_TMP/err")"
printf '%s' '{"token_hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}' \
    >"$PL_TMP/unsub.json"
PLENARY_CERT=$K/gateway.key test-receipt --publish mail.unsubscribed "$PL_TMP/unsub.json" \
    >"$PL_TMP/unsub.out" 2>&1 || pl_fail "the gateway's key could not publish mail.unsubscribed: $(cat "$PL_TMP/unsub.out")"
PLENARY_CERT=$K/del.key test-receipt --publish mail.unsubscribed "$PL_TMP/unsub.json" \
    2>"$PL_TMP/err" && pl_fail "a delegate key without the grant published mail.unsubscribed"
grep -q "role delegate may not publish mail.unsubscribed" "$PL_TMP/err" || pl_fail "$(cat "$PL_TMP/err")"

# a calendar worker key cannot be records, nor offer its service; its credit is capped
plenary-records --data "$PL_TMP/rogue" --backend "$PLENARY_BACKEND" --cert "$K/cal2.key" \
    >>"$PL_TMP/rogue.log" 2>&1 &
ROGUE=$!
PL_PIDS="$PL_PIDS $ROGUE"
pl_poll 100 grep -q "key cal2 may not join group records" "$PL_TMP/broker.log" \
    || pl_fail "a calendar key joined as records"
kill -TERM "$ROGUE"; pl_wait_gone "$ROGUE" 50
[ "$(plenary status --json | jq '.groups[] | select(.group == "records") | .workers')" = 1 ] \
    || pl_fail "records has a second worker: $(plenary status)"
plenary-calendar --data "$PL_TMP/cal2" --backend "$PLENARY_BACKEND" --cert "$K/cal2.key" \
    --credit 500 >>"$PL_TMP/cal2.log" 2>&1 &
CAL2=$!
PL_PIDS="$PL_PIDS $CAL2"
pl_poll 100 grep -q "worker ready group=calendar .* credit=2 " "$PL_TMP/broker.log" \
    || pl_fail "cal2's credit was not capped at 2"

# ---- revocation
# a subscriber whose key is revoked is cut off the live stream
PLENARY_CERT=$K/watcher.key plenary tail >"$PL_TMP/watcher.out" 2>&1 &
WATCHER=$!
PL_PIDS="$PL_PIDS $WATCHER"
plenary tail >"$PL_TMP/op.out" 2>&1 &
OPTAIL=$!
PL_PIDS="$PL_PIDS $OPTAIL"
seen () { grep -q "$2" "$1"; }
i=0
until seen "$PL_TMP/watcher.out" "tail-probe"; do
    i=$((i + 1)); [ $i -le 50 ] || pl_fail "the watcher saw nothing: $(cat "$PL_TMP/watcher.out")"
    plenary meeting add --id "tail-probe-$i" --convention CCM --kind msp --title P --venue Geneva \
        --tz Europe/Zurich --start 2031-03-02 --end 2031-03-04 >/dev/null
    sleep 0.1                           # a subscriber joins late: probe until it hears
done
plenary keys revoke watcher --data "$D" >/dev/null || pl_fail "revoke watcher"
pl_poll 100 grep -q "live stream bound again" "$PL_TMP/broker.log" || pl_fail "PUB was not bound again"
i=0
until seen "$PL_TMP/op.out" "after-revoke"; do
    i=$((i + 1)); [ $i -le 50 ] || pl_fail "op's tail saw nothing after the rebind"
    plenary meeting add --id "after-revoke-$i" --convention CCM --kind msp --title P --venue Geneva \
        --tz Europe/Zurich --start 2031-03-02 --end 2031-03-04 >/dev/null
    sleep 0.1
done
seen "$PL_TMP/watcher.out" "after-revoke" && pl_fail "the revoked watcher still follows the live stream"
pl_poll 50 grep -q "unknown or revoked key" "$PL_TMP/broker.log" || pl_fail "the watcher's return was not refused"
# and its tail says so, once, on stderr (here with its stdout)
pl_poll 50 grep -q "^plenary: the broker at $PLENARY_PUB refused the handshake: does it know the key in PLENARY_CERT?" \
    "$PL_TMP/watcher.out" || pl_fail "the revoked watcher's tail did not say it was refused: $(cat "$PL_TMP/watcher.out")"
[ "$(grep -c 'refused the handshake' "$PL_TMP/watcher.out")" = 1 ] \
    || pl_fail "the watcher's tail said more than once that it was refused"

# a worker whose key is revoked is disconnected within a tick, and stays out
plenary keys revoke cal2 --data "$D" >/dev/null || pl_fail "revoke cal2"
pl_poll 50 grep -q "cause=key cal2 was revoked" "$PL_TMP/broker.log" \
    || pl_fail "the revoked worker was not disconnected"
plenary keys revoke cal2 --data "$D" 2>"$PL_TMP/err"; [ $? = 1 ] && grep -q "revoked already" "$PL_TMP/err" \
    || pl_fail "a second revoke: $(cat "$PL_TMP/err")"
plenary keys new --role worker --name cal2 --group calendar --service calendar --data "$D" 2>/dev/null \
    && pl_fail "a revoked name was issued again"
# and a revoked client key is refused, saying so
plenary keys revoke del --data "$D" >/dev/null
PLENARY_CERT=$K/del.key plenary meeting list 2>"$PL_TMP/err"; [ $? = 1 ] \
    && grep -q "refused the key del" "$PL_TMP/err" || pl_fail "revoked key: $(cat "$PL_TMP/err")"
plenary meeting list >/dev/null || pl_fail "op was cut off too"

# ---- data at rest
loose=$(find "$D" "$PL_TMP/rogue" -type f -perm /077 -o -type d -perm /077)
[ -z "$loose" ] || pl_fail "open to group or others: $loose"
[ -e "$D/broker/log.db-wal" ] || pl_fail "no WAL to check"
pl_pass "keys: anonymous, unknown, revoked, rogue and underprivileged peers refused; files private"
