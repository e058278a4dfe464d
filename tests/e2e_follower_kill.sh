#!/usr/bin/env bash
# Followers under crashes.  Two streams run at once: registrations (records
# decides them, the calendar follows) and statements (records decides them,
# the archive follows); every tenth event of each names a meeting that does
# not exist, so records rejects it and its followers must skip it.  In the
# middle of the streams the calendar, the archive, records and the broker
# are each killed with SIGKILL and started again.  Afterwards every event is
# in the log once; records applied exactly the good ones; each follower gave
# "applied" where records applied and "skipped" where it rejected, and its
# database holds exactly the good ones, each once; plenary check finds every
# view in agreement with records.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
N=${PL_N:-5000}
D=$PL_TMP/data
pl_system "$D"
pl_start_calendar "$D"
pl_start_archive "$D"
pl_wait_archive
plenary meeting add --id fk-msp --convention CCM --kind msp --title "Follower kill test" \
    --venue Geneva --tz Europe/Zurich --start 2031-09-01 --end 2031-09-05 >/dev/null \
    || pl_fail "meeting add"

PL_PUBLISH_DEADLINE_MS=30000 test-publisher --meeting fk-msp --count "$N" --rate 1000 \
    --prefix fr --reject-every 10 --acks "$PL_TMP/acks-r" 2>"$PL_TMP/publisher-r.log" &
PUB_R=$!
PL_PUBLISH_DEADLINE_MS=30000 test-publisher --meeting fk-msp --count "$N" --rate 1000 \
    --prefix fs --statements --reject-every 10 --acks "$PL_TMP/acks-s" \
    2>"$PL_TMP/publisher-s.log" &
PUB_S=$!
PL_PIDS="$PL_PIDS $PUB_R $PUB_S"

acks () { cat "$PL_TMP/acks-r" "$PL_TMP/acks-s" 2>/dev/null | wc -l; }
cursor () { sqlite3 "$D/$1/$1.db" "SELECT seq FROM pl_cursor" 2>/dev/null || echo 0; }
# kill WHO with SIGKILL once its progress (acks for the broker, its durable
# cursor for a worker) has reached AT, and start it again; remember where
# it was, to prove afterwards that the kill landed mid-stream
crash () {
    local who=$1 at=$2 pid
    if [ "$who" = broker ]; then
        pl_poll 600 eval '[ "$(acks)" -ge '"$at"' ]' || pl_fail "fewer than $at acks"
    else
        pl_poll 600 eval '[ "$(cursor '"$who"')" -ge '"$at"' ]' \
            || pl_fail "$who did not reach seq $at: $(cursor "$who")"
    fi
    case $who in
        calendar) pid=$CALENDAR_PID ;; archive) pid=$ARCHIVE_PID ;;
        records) pid=$RECORDS_PID ;; broker) pid=$BROKER_PID ;;
    esac
    kill -KILL "$pid"
    pl_wait_gone "$pid" 50 || pl_fail "$who did not die"
    if [ "$who" = broker ]; then echo "$(acks)" >"$PL_TMP/at-broker"
    else cursor "$who" >"$PL_TMP/at-$who"; fi
    echo "killed $who at $(cat "$PL_TMP/at-$who")"
    case $who in
        calendar) pl_start_calendar "$D" ;; archive) pl_start_archive "$D" ;;
        records) pl_start_records "$D" ;; broker) pl_start_broker "$D" ;;
    esac
}
crash broker $((2 * N / 5))
crash calendar $((2 * N / 5))
crash records $((3 * N / 5))
crash archive $((4 * N / 5))
wait "$PUB_R" || pl_fail "registrations: $(tail -3 "$PL_TMP/publisher-r.log")"
wait "$PUB_S" || pl_fail "statements: $(tail -3 "$PL_TMP/publisher-s.log")"
# the kills must have landed mid-stream
[ "$(cut -d' ' -f2 "$PL_TMP/acks-r" "$PL_TMP/acks-s" | sort -un | wc -l)" = "$((2 * N))" ] \
    || pl_fail "not every event acknowledged with its own seq"
pl_poll 900 pl_caught_up || pl_fail "the groups did not catch up: $(plenary status)"
last=$(plenary status --json | jq .last_seq)
[ "$(cat "$PL_TMP/at-broker")" -lt $((2 * N)) ] || pl_fail "the broker died after every ack"
for who in calendar records archive; do
    [ "$(cat "$PL_TMP/at-$who")" -lt "$last" ] || pl_fail "$who had applied everything before its kill"
done

test-publisher --meeting fk-msp --count "$N" --prefix fr --reject-every 10 --verify \
    --follower calendar 2>"$PL_TMP/verify-r.log" || pl_fail "registrations: $(tail -5 "$PL_TMP/verify-r.log")"
test-publisher --meeting fk-msp --count "$N" --prefix fs --statements --reject-every 10 --verify \
    --follower archive 2>"$PL_TMP/verify-s.log" || pl_fail "statements: $(tail -5 "$PL_TMP/verify-s.log")"
GOOD=$((N - N / 10))
q () { sqlite3 "$D/$1/$1.db" "$2"; }
[ "$(q calendar "SELECT count(*) FROM participant WHERE meeting = 'fk-msp'")" = "$GOOD" ] \
    || pl_fail "calendar holds $(q calendar "SELECT count(*) FROM participant") participants, want $GOOD"
[ "$(q calendar "SELECT count(*) FROM participant WHERE meeting LIKE '%-none'")" = 0 ] \
    || pl_fail "calendar holds participants records rejected"
[ "$(q records "SELECT group_concat(id) FROM (SELECT id FROM participant ORDER BY id)")" \
  = "$(q calendar "SELECT group_concat(id) FROM (SELECT id FROM participant ORDER BY id)")" ] \
    || pl_fail "calendar's participants are not records' participants"
[ "$(q archive "SELECT count(*) FROM item WHERE kind = 'statement'")" = "$GOOD" ] \
    || pl_fail "archive holds $(q archive "SELECT count(*) FROM item WHERE kind = 'statement'") statements, want $GOOD"
expect_total "$GOOD" '"victim assistance"' --as-role secretariat
plenary check >"$PL_TMP/check.out" 2>&1 || pl_fail "plenary check: $(tail -5 "$PL_TMP/check.out")"
pl_pass "followers under SIGKILL of calendar, archive, records and broker: $N + $N events, each applied once, rejected ones skipped"
