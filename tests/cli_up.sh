#!/usr/bin/env bash
# plenary up: starts plenaryd and plenary-records on ephemeral ports, reports
# where they listen, restarts a child killed with SIGKILL (the broker on the
# same addresses), and on SIGTERM stops everything within 5 s and exits 0.
# The programs' log lines come out after their names: warnings and errors,
# everything with --verbose; a clean stop logs no warning.
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
DATA=$PL_TMP/data
export PLENARY_ENDPOINT='tcp://127.0.0.1:*' PLENARY_BACKEND='tcp://127.0.0.1:*' PLENARY_PUB='tcp://127.0.0.1:*'
plenary up --data "$DATA" >"$PL_TMP/up.out" 2>"$PL_TMP/up.log" &
UP=$!
PL_PIDS="$PL_PIDS $UP"
pl_poll 100 test -s "$DATA/plenaryd.ready" || pl_fail "no $DATA/plenaryd.ready within 10 s"
PLENARY_ENDPOINT=$(sed -n 's/^frontend=//p' "$DATA/plenaryd.ready")
export PLENARY_ENDPOINT
pl_poll 100 plenary meeting list --json || pl_fail "records did not answer within 10 s of plenary up"
grep -q "clients   $PLENARY_ENDPOINT" "$PL_TMP/up.out" || pl_fail "up did not print the frontend: $(cat "$PL_TMP/up.out")"
grep -q "plenary-records *pid [0-9]" "$PL_TMP/up.out" || pl_fail "up did not print the records pid"
plenary meeting add --id apmbc-msp22 --convention APMBC --kind msp --title "Twenty-second MSP" \
    --venue Geneva --tz Europe/Zurich --start 2030-11-24 --end 2030-11-28 >/dev/null \
    || pl_fail "meeting add under plenary up"

child () { pgrep -P "$UP" -x "$1"; }
# a worker killed with SIGKILL comes back
old=$(child plenary-records) || pl_fail "no plenary-records child of up"
kill -KILL "$old"
restarted () { local p; p=$(child plenary-records) && [ "$p" != "$old" ]; }
pl_poll 50 restarted || pl_fail "plenary-records was not restarted within 5 s"
grep -q "plenary-records pid=$old was killed by signal 9; restarting" "$PL_TMP/up.log" \
    || pl_fail "up did not log the restart"
# the broker killed with SIGKILL comes back on the same addresses
ready=$(cat "$DATA/plenaryd.ready")
old=$(child plenaryd) || pl_fail "no plenaryd child of up"
kill -KILL "$old"
back () { local p; p=$(child plenaryd) && [ "$p" != "$old" ] && [ "$(cat "$DATA/plenaryd.ready" 2>/dev/null)" = "$ready" ]; }
pl_poll 50 back || pl_fail "plenaryd was not restarted on the same endpoints within 5 s"
has_meeting () { plenary meeting list --json | jq -e 'any(.[]; .id=="apmbc-msp22")'; }
pl_poll 150 has_meeting || pl_fail "after the broker restart the meeting list does not answer"

# SIGTERM: everything stops within 5 s, exit 0, the ready file is gone
broker=$(child plenaryd); records=$(child plenary-records)
kill -TERM "$UP"
pl_wait_gone "$UP" 50 || pl_fail "plenary up did not stop within 5 s of SIGTERM"
wait "$UP"; rc=$?
[ $rc = 0 ] || pl_fail "plenary up exited $rc after SIGTERM, want 0"
for p in $broker $records; do kill -0 "$p" 2>/dev/null && pl_fail "child $p outlived plenary up"; done
[ -e "$DATA/plenaryd.ready" ] && pl_fail "plenaryd.ready left behind after a clean stop"
# without --verbose no program's info lines; every line up's own or a program's
# after its name
PROGRAM_LINE='^(plenaryd|plenary-[a-z]+) +\| '
grep -E "$PROGRAM_LINE[^ ]+Z [ID] " "$PL_TMP/up.log" && pl_fail "up showed info lines without --verbose"
grep -v -E -e "$PROGRAM_LINE" -e '^plenary: ' "$PL_TMP/up.log" \
    && pl_fail "a line of up's stderr is neither its own nor after a program's name"

# --version's database schema is the user_version the program left in its database
user_version () { /usr/bin/python3 -c 'import sqlite3, sys
print (sqlite3.connect (sys.argv [1]).execute ("PRAGMA user_version").fetchone () [0])' "$1"; }
for pair in plenaryd:broker/log.db plenary-records:records/records.db; do
    said=$("$PL_BUILD/${pair%%:*}" --version | sed -n 's/^database schema: \([0-9]*\),.*/\1/p')
    has=$(user_version "$DATA/${pair#*:}")
    [ -n "$said" ] && [ "$said" = "$has" ] \
        || pl_fail "${pair%%:*} --version says schema '$said', DATA/${pair#*:} has user_version $has"
done

# with keys: up gives each program its own key, and every group joins
KEYS=$PL_TMP/keys
plenary keys init --data "$KEYS" >/dev/null || pl_fail "keys init"
plenary keys new --role secretariat --name operator --data "$KEYS" >/dev/null || pl_fail "keys new"
PLENARY_CERT=$KEYS/keys/issued/operator.key plenary up --verbose --data "$KEYS" \
    >"$PL_TMP/up-keys.out" 2>"$PL_TMP/up-keys.log" &
UP=$!
PL_PIDS="$PL_PIDS $UP"
pl_poll 100 test -s "$KEYS/plenaryd.ready" || pl_fail "no plenaryd.ready with keys"
export PLENARY_ENDPOINT=$(sed -n 's/^frontend=//p' "$KEYS/plenaryd.ready")
export PLENARY_CERT=$KEYS/keys/issued/operator.key
joined () {
    plenary status --json | jq -e '[.groups[] | select(.workers > 0) | .group] | sort
        == ["archive", "calendar", "records"]'
}
pl_poll 100 joined || pl_fail "with keys, not every worker joined: $(plenary status 2>&1)"
PLENARY_CERT= plenary meeting list 2>/dev/null && pl_fail "up's broker answered a client without a key"
kill -TERM "$UP"
pl_wait_gone "$UP" 50 || pl_fail "plenary up with keys did not stop"
# --verbose: every program's info lines, after its name
for line in "plenaryd +\| .*Z I broker: ready" "plenary-records +\| .*Z I records: started" \
            "plenary-archive +\| .*Z I archive: stopped" "plenaryd +\| .*Z I plenaryd: stopped rc=0"; do
    grep -q -E "^$line" "$PL_TMP/up-keys.log" || pl_fail "up --verbose lacks '$line': $(cat "$PL_TMP/up-keys.log")"
done
# a start and a stop with nothing wrong: no warning, no error (the workers stop
# before the broker, so none sees it leave)
grep -E -e "$PROGRAM_LINE[^ ]+Z [WE] " -e '^plenary: .*(did not|killed|exited)' "$PL_TMP/up-keys.log" \
    && pl_fail "a clean start and stop of up logged warnings"
pl_pass "plenary up: serves, restarts killed children, stops on SIGTERM; with keys each program shows its own"
