#!/usr/bin/env bash
# Workers never stall (issue 13): a query that runs far longer than the
# broker's liveness (3 heartbeats of 1 s) runs on the records
# worker's query thread, while events keep applying and the loop keeps
# heartbeating: the broker never declares the worker dead, redelivers
# nothing, and the query's answer is the snapshot it began on.  Then a
# query past the worker's --query-timeout is answered 504 with the reason.
#
# The long query is the test hook PL_TEST_HOLD_QUERIES=FILE (lib/pl_queries.h):
# a query thread holds the query FILE names while FILE exists and says so in
# FILE.held.
. "$(dirname "$0")/harness.sh"
HOLD=$PL_TMP/hold
export PL_TEST_HOLD_QUERIES=$HOLD
pl_start_broker "$PL_TMP/data" --query-timeout 60000
pl_start_records "$PL_TMP/data" --query-timeout 60000
pl_wait_records
plenary meeting add --id stall-msp --convention APMBC --kind msp --title "Stall test" \
    --venue Geneva --tz Europe/Zurich --start 2031-06-02 --end 2031-06-06 >/dev/null \
    || pl_fail "meeting add"

# 1. a list held on a query thread
echo participant.list >"$HOLD"
plenary participants --meeting stall-msp --json --timeout 60000 >"$PL_TMP/held.json" 2>"$PL_TMP/held.err" &
LIST=$!
pl_poll 100 test -s "$HOLD.held" || pl_fail "no query was held within 10 s"
grep -qx participant.list "$HOLD.held" || pl_fail "held $(cat "$HOLD.held"), not participant.list"
held_at=$(date +%s%N)

# 2. events keep applying meanwhile: each register waits for the worker's
# verdict, then asks participant.show, which the other query thread answers
for i in 1 2 3 4 5 6 7 8; do
    plenary register --meeting stall-msp --family-name "Stall$i" --given-name Test \
        --delegation FR >/dev/null 2>"$PL_TMP/register.err" \
        || pl_fail "register $i while a query is held: $(cat "$PL_TMP/register.err")"
done

# 3. the query stays held longer than the broker's liveness (3 x 1 s)
held_long () { [ $(( ($(date +%s%N) - held_at) / 1000000 )) -ge 4000 ]; }
pl_poll 100 held_long || pl_fail "the clock did not move"
test -e "$HOLD.held" || pl_fail "the query was let go before the test released it"
kill -0 "$LIST" 2>/dev/null || pl_fail "the held list ended: $(cat "$PL_TMP/held.err")"
plenary status --json >"$PL_TMP/status.json" || pl_fail "status while a query is held"
jq -e '.groups[] | select(.group == "records") | .workers == 1 and .in_flight == 0' \
    "$PL_TMP/status.json" >/dev/null \
    || pl_fail "records not alone and idle while a query is held: $(cat "$PL_TMP/status.json")"
if grep -E "worker dead|ack timeout|redeliver" "$PL_TMP/broker.log"; then
    pl_fail "the broker gave up on the records worker while its query was held"
fi

# 4. let go: the list answers from the snapshot it began on (no participant
# yet), and a new list sees the eight
rm -f "$HOLD"
wait "$LIST" || pl_fail "the held list failed: $(cat "$PL_TMP/held.err")"
[ "$(jq length "$PL_TMP/held.json")" = 0 ] \
    || pl_fail "the held list is not the snapshot it began on: $(cat "$PL_TMP/held.json")"
[ "$(plenary participants --meeting stall-msp --json | jq length)" = 8 ] \
    || pl_fail "8 participants not listed after the hold"
grep -q "worker: reconnecting" "$PL_TMP/records.log" && pl_fail "the records worker reconnected"

# 5. past its deadline a query is stopped, and the client reads 504 with the
# reason, never "no worker offers service"
kill -TERM "$RECORDS_PID"
pl_wait_gone "$RECORDS_PID" 100 || pl_fail "records worker did not stop"
pl_start_records "$PL_TMP/data" --query-timeout 1000
pl_wait_records
echo participant.list >"$HOLD"
if plenary participants --meeting stall-msp --json >/dev/null 2>"$PL_TMP/late.err"; then
    pl_fail "a query held past its deadline succeeded"
fi
grep -q "participant.list ran past its deadline of 900 ms and was stopped by the records worker" \
    "$PL_TMP/late.err" || pl_fail "no 504 with its reason: $(cat "$PL_TMP/late.err")"
rm -f "$HOLD"
[ "$(plenary participants --meeting stall-msp --json | jq length)" = 8 ] \
    || pl_fail "8 participants not listed after the deadline"
pl_pass "a query held 4 s on a thread: events applied, worker alive, snapshot kept; 504 past its deadline"
