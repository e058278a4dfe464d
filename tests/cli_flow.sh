#!/usr/bin/env bash
# The CLI against a real plenaryd + plenary-records: meeting add/list/show,
# register (human and --json), participants (table and --json), idempotent
# publishing by --id, a rejection as exit 1 with the reason, status and dlq,
# and a register that is started while the broker is down and succeeds,
# exactly once, when the broker comes back on the same address.
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
pl_system "$PL_TMP/data"

out=$(plenary meeting add --id ccw-gge-2030 --convention CCW --kind gge \
      --title "Group of Governmental Experts on LAWS" --venue Genève --tz Europe/Zurich \
      --start 2030-03-04 --end 2030-03-08 2>"$PL_TMP/err") || pl_fail "meeting add: $(cat "$PL_TMP/err")"
[[ $out =~ ^scheduled\ meeting\ ccw-gge-2030\ \(seq\ [0-9]+\)$ ]] || pl_fail "meeting add printed: $out"
plenary meeting list --convention CCW --json \
    | jq -e 'length==1 and .[0].id=="ccw-gge-2030" and .[0].venue=="Genève" and .[0].kind=="gge"' >/dev/null \
    || pl_fail "meeting list --convention CCW --json: $(plenary meeting list --json)"
plenary meeting list --convention CCM --json | jq -e 'length==0' >/dev/null \
    || pl_fail "meeting list --convention CCM is not empty"
plenary meeting show ccw-gge-2030 --json | jq -e '.title=="Group of Governmental Experts on LAWS"' >/dev/null \
    || pl_fail "meeting show --json"
plenary meeting show ccw-gge-2030 | grep -q "^venue  *Genève$" || pl_fail "meeting show: $(plenary meeting show ccw-gge-2030)"
plenary meeting show no-such-meeting >/dev/null 2>&1 && pl_fail "meeting show of an unknown meeting succeeded"

out=$(plenary register --meeting ccw-gge-2030 --family-name "Łukasiewicz" --given-name Zofia \
      --delegation PL --function head --gender f --email zofia@example.pl --sponsored 2>"$PL_TMP/err") \
    || pl_fail "register: $(cat "$PL_TMP/err")"
[[ $out =~ ^registered\ p([0-9]+)\ Łukasiewicz,\ Zofia\ \(PL\)\ to\ ccw-gge-2030$ ]] \
    || pl_fail "register printed: $out"
zofia=p${BASH_REMATCH[1]}

plenary register --meeting ccw-gge-2030 --family-name "عبد الله" --given-name "محمد" \
    --delegation JO --id reg-jo-1 --json >"$PL_TMP/r1" || pl_fail "register --json: $(cat "$PL_TMP/r1")"
jq -e '.verdict=="applied" and .duplicate==false and .event_id=="reg-jo-1" and .reason==""
       and .id==("p" + (.seq|tostring))' "$PL_TMP/r1" >/dev/null || pl_fail "register --json: $(cat "$PL_TMP/r1")"
plenary register --meeting ccw-gge-2030 --family-name "عبد الله" --given-name "محمد" \
    --delegation JO --id reg-jo-1 --json >"$PL_TMP/r2" || pl_fail "register again: $(cat "$PL_TMP/r2")"
jq -e --argjson s "$(jq .seq "$PL_TMP/r1")" '.seq==$s and .duplicate==true' "$PL_TMP/r2" >/dev/null \
    || pl_fail "the same --id twice gave $(cat "$PL_TMP/r2")"

plenary register --meeting no-such-meeting --family-name X --given-name Y --delegation FR \
    >"$PL_TMP/out" 2>"$PL_TMP/err"
rc=$?; [ $rc = 1 ] || pl_fail "register to an unknown meeting exited $rc, want 1"
grep -qx "plenary: rejected: meeting no-such-meeting does not exist" "$PL_TMP/err" \
    || pl_fail "rejection reason: $(cat "$PL_TMP/err")"
[ "$(wc -l <"$PL_TMP/err")" = 1 ] || pl_fail "rejection is not one line: $(cat "$PL_TMP/err")"

plenary participants --meeting ccw-gge-2030 --json >"$PL_TMP/p" || pl_fail "participants --json"
jq -e --arg z "$zofia" 'length==2 and any(.[]; .id==$z and .family_name=="Łukasiewicz" and .sponsored==true
       and .function=="head" and .gender=="f" and .status=="registered")
       and any(.[]; .family_name=="عبد الله" and .delegation=="JO")' "$PL_TMP/p" >/dev/null \
    || pl_fail "participants --json: $(cat "$PL_TMP/p")"
plenary participants --meeting ccw-gge-2030 >"$PL_TMP/table" || pl_fail "participants table"
grep -q "^$zofia  *PL  *Łukasiewicz  *Zofia  *head  *f  *yes  *registered  *zofia@example.pl$" "$PL_TMP/table" \
    || pl_fail "participants table (UTF-8 columns): $(cat "$PL_TMP/table")"
plenary status --json | jq -e '.events==4 and any(.groups[]; .group=="records")' >/dev/null \
    || pl_fail "status --json: $(plenary status --json)"
plenary dlq --json | jq -e 'type=="array" and length==0' >/dev/null || pl_fail "dlq --json"

# --- tail: live events and verdicts, stopped by Ctrl-C ----------------------
plenary tail --json --verdicts >"$PL_TMP/tail" 2>"$PL_TMP/tail.err" &
TAIL=$!
PL_PIDS="$PL_PIDS $TAIL"
# A SUB socket joins asynchronously: publish probes until one is seen.
probe () {
    plenary meeting add --id "probe-$RANDOM$RANDOM" --convention CCW --kind other --title probe \
        --venue Geneva --tz UTC --start 2030-01-01 --end 2030-01-01 >/dev/null
    grep -q '"topic":"meeting.scheduled"' "$PL_TMP/tail"
}
pl_poll 50 probe || pl_fail "tail showed no event: $(cat "$PL_TMP/tail.err")"
seen_verdict () { grep -q '"topic":"\$verdict.records","group":"records","verdict":"applied"' "$PL_TMP/tail"; }
pl_poll 50 seen_verdict || pl_fail "tail --verdicts showed no verdict: $(cat "$PL_TMP/tail")"
jq -e -s 'all(.[]; (.seq|type)=="number") and any(.[]; .payload.kind=="other")' "$PL_TMP/tail" >/dev/null \
    || pl_fail "tail --json lines: $(cat "$PL_TMP/tail")"
kill -INT "$TAIL"
pl_wait_gone "$TAIL" 30 || pl_fail "tail did not stop on SIGINT"
wait "$TAIL" || pl_fail "tail exited $? on SIGINT, want 0"
# stderr: the one note that it waits, nothing about its connection (it reached the broker)
[ "$(cat "$PL_TMP/tail.err")" = "plenary: waiting for events from $PLENARY_PUB; Ctrl-C to stop" ] \
    || pl_fail "tail's stderr, want only the note that it waits: $(cat "$PL_TMP/tail.err")"
probes=$(plenary meeting list --convention CCW --json | jq '[.[] | select(.kind=="other")] | length')

# --- a publish that rides out a broker restart -----------------------------
kill -KILL "$BROKER_PID"
pl_wait_gone "$BROKER_PID" 50 || pl_fail "broker did not die"
PLENARY_LOG=info plenary --timeout 30000 register --meeting ccw-gge-2030 --family-name Restart \
    --delegation CH --id reg-restart-1 --json >"$PL_TMP/rr" 2>"$PL_TMP/rr.err" &
REG=$!
PL_PIDS="$PL_PIDS $REG"
# A new process has never reached the broker: it says that nothing listens
# and how to start the system, and waits (its event queued for the
# connection, so that the ACK finds it: no resend, no duplicate)
retried () { grep -q "nothing listens at $PLENARY_ENDPOINT: is plenary running?.*trying again for up to 30 s" "$PL_TMP/rr.err"; }
pl_poll 100 retried || pl_fail "register did not say it waits while the broker was down: $(cat "$PL_TMP/rr.err")"
pl_start_broker "$PL_TMP/data"          # the same endpoints, exported by the first start
wait "$REG" || pl_fail "register across a broker restart: $(cat "$PL_TMP/rr.err")"
jq -e '.verdict=="applied" and .duplicate==false' "$PL_TMP/rr" >/dev/null \
    || pl_fail "register across a restart: $(cat "$PL_TMP/rr")"
plenary participants --meeting ccw-gge-2030 --json \
    | jq -e '[.[] | select(.family_name=="Restart")] | length==1' >/dev/null \
    || pl_fail "the restarted registration is not there exactly once"
plenary status --json | jq -e --argjson n "$((5 + probes))" '.events==$n' >/dev/null \
    || pl_fail "log holds $(plenary status --json | jq .events) events after the restart, want $((5 + probes))"
pl_pass "cli flow against plenaryd + plenary-records, publish across a broker restart"
