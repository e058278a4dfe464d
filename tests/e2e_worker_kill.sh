#!/usr/bin/env bash
# The records worker is killed with SIGKILL in the middle of 10,000 events;
# after it restarts every event is applied exactly once (count and compare).
. "$(dirname "$0")/harness.sh"
N=${PL_N:-10000}
pl_system "$PL_TMP/data"
plenary meeting add --id kill-msp --convention APMBC --kind msp --title "Kill test" \
    --venue Geneva --tz Europe/Zurich --start 2031-06-02 --end 2031-06-06 >/dev/null \
    || pl_fail "meeting add"

test-publisher --meeting kill-msp --count "$N" --window 512 --prefix wk \
    --acks "$PL_TMP/acks" 2>"$PL_TMP/publisher.log" &
PUB=$!
PL_PIDS="$PL_PIDS $PUB"

# kill the worker once it has applied some, but not all, of the events
applied () { plenary participants --meeting kill-msp --json 2>/dev/null | jq length; }
mid () { local n; n=$(applied); [ -n "$n" ] && [ "$n" -ge $((N / 5)) ]; }
pl_poll 300 mid || pl_fail "the worker did not apply $((N / 5)) events within 30 s"
kill -KILL "$RECORDS_PID"
pl_wait_gone "$RECORDS_PID" 50 || pl_fail "records worker did not die"
wait "$PUB" || pl_fail "publisher: $(tail -3 "$PL_TMP/publisher.log")"
# the kill must have landed mid-stream: the worker's durable cursor is short of the last event
cursor=$(sqlite3 "$PL_TMP/data/records/records.db" "SELECT seq FROM pl_cursor")
last=$(plenary status --json | jq .last_seq)
echo "records cursor at the kill: $cursor of $last"
[ -n "$cursor" ] && [ "$cursor" -lt "$last" ] || pl_fail "the worker had applied everything before the kill"

pl_start_records "$PL_TMP/data"
all () { [ "$(applied)" = "$N" ]; }
pl_poll 600 all || pl_fail "after restart $(applied) of $N participants listed"
test-publisher --meeting kill-msp --count "$N" --prefix wk --verify 2>"$PL_TMP/verify.log" \
    || pl_fail "verify: $(tail -5 "$PL_TMP/verify.log")"
pl_pass "worker SIGKILL mid-stream: $N applied exactly once"
