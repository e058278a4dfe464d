#!/usr/bin/env bash
# The broker is killed with SIGKILL while a client publishes 10,000 events and
# retries the unacknowledged ones; after restart every acknowledged event is in
# the log exactly once and applied exactly once.
. "$(dirname "$0")/harness.sh"
N=${PL_N:-10000}
pl_system "$PL_TMP/data"
plenary meeting add --id crash-msp --convention CCM --kind msp --title "Crash test" \
    --venue Lausanne --tz Europe/Zurich --start 2031-09-01 --end 2031-09-05 >/dev/null \
    || pl_fail "meeting add"

PL_PUBLISH_DEADLINE_MS=20000 test-publisher --meeting crash-msp --count "$N" --window 512 \
    --prefix bk --acks "$PL_TMP/acks" 2>"$PL_TMP/publisher.log" &
PUB=$!
PL_PIDS="$PL_PIDS $PUB"

some () { [ "$(wc -l <"$PL_TMP/acks" 2>/dev/null || echo 0)" -ge $((N / 5)) ]; }
pl_poll 300 some || pl_fail "fewer than $((N / 5)) acks within 30 s"
kill -KILL "$BROKER_PID"
pl_wait_gone "$BROKER_PID" 50 || pl_fail "broker did not die"
acked_at_kill=$(wc -l <"$PL_TMP/acks")
pl_start_broker "$PL_TMP/data"          # same endpoints: exported by the first start
wait "$PUB" || pl_fail "publisher: $(tail -3 "$PL_TMP/publisher.log")"
echo "acked before the kill: $acked_at_kill of $N"

# every event id acknowledged with exactly one seq, and seqs are distinct
[ "$(cut -d' ' -f1 "$PL_TMP/acks" | sort -u | wc -l)" = "$N" ] || pl_fail "not every event acknowledged"
[ "$(cut -d' ' -f1,2 "$PL_TMP/acks" | sort -u | wc -l)" = "$N" ] || pl_fail "an event id got two different seqs"
[ "$(cut -d' ' -f2 "$PL_TMP/acks" | sort -u | wc -l)" = "$N" ] || pl_fail "two events share a seq"
# the log holds the meeting plus exactly N registrations
plenary status --json | jq -e --argjson n "$((N + 1))" '.events==$n' >/dev/null \
    || pl_fail "log holds $(plenary status --json | jq .events) events, want $((N + 1))"
all () { [ "$(plenary participants --meeting crash-msp --json | jq length)" = "$N" ]; }
pl_poll 600 all || pl_fail "records lists $(plenary participants --meeting crash-msp --json | jq length) of $N"
test-publisher --meeting crash-msp --count "$N" --prefix bk --verify 2>"$PL_TMP/verify.log" \
    || pl_fail "verify: $(tail -5 "$PL_TMP/verify.log")"
pl_pass "broker SIGKILL mid-stream: $N acknowledged, logged and applied exactly once"
