#!/usr/bin/env bash
# The configuration file (lib/pl_settings.c): every program reads it, in one
# order, flag over environment over file over default, and says where each
# value came from.  Proven on the real programs:
#   1. plenaryd takes its data folder from the file ($PLENARY_CONFIG), then
#      from PLENARY_DATA over the file, then from --data over both: the
#      ready file appears in the folder that won, and --print-config and
#      `plenary config --program broker` name the source of each;
#   2. [broker] loopback-role = public in the file is obeyed (a publish is
#      refused) and --loopback-role secretariat overrides it;
#   3. plenary-records takes its data folder and backend from the file;
#   4. the CLI takes its endpoint and timeout from the file, PLENARY_ENDPOINT
#      over the file, --endpoint over both (`plenary config --json` agrees);
#   5. `plenary --config FILE up` passes the file on: its data folder, and
#      plenary-notify started because [notify] names a relay;
#   6. a bad file stops every program before it starts, exit 2, naming
#      FILE:LINE, the key and what it expects (the nearest key for a typo);
#      a missing file that was named is an error;
#   7. the example (dist/plenary.conf, installed beside the docs) names every
#      setting of every program in its section, and with every key
#      uncommented each program accepts it.
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
unset PLENARY_ENDPOINT PLENARY_BACKEND PLENARY_PUB PLENARY_DATA PLENARY_HTTP PLENARY_SMTP \
      PLENARY_MAIL_FROM
T=$PL_TMP
F=$T/plenary.conf
cat >"$F" <<EOF
# plenary's configuration, for this test
[plenary]
data = $T/from-file
endpoint = tcp://127.0.0.1:*
backend = tcp://127.0.0.1:*
pub = tcp://127.0.0.1:*

[broker]
loopback-role = public   ; only for this test
max-batch = 128
EOF

# source_of PROGRAM KEY [ARGS...]: where PROGRAM's KEY came from (--print-config=json)
source_of () {
    local program=$1 key=$2; shift 2
    "$program" "$@" --print-config=json | jq -r --arg k "$key" '.settings[] | select(.key == $k) | .source'
}
# start_broker DATA-WANTED [ENV...] -- [FLAGS...]: plenaryd, its ready file in DATA-WANTED
start_broker () {
    local want=$1; shift
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    rm -rf "$T/from-file" "$T/from-env" "$T/from-flag"
    env "${envs[@]}" plenaryd "$@" >>"$T/broker.log" 2>&1 &
    BROKER_PID=$!
    PL_PIDS="$PL_PIDS $BROKER_PID"
    pl_poll 100 test -s "$want/plenaryd.ready" \
        || pl_fail "plenaryd ${envs[*]} $* wrote no ready file in $want: $(ls "$T")"
    for other in "$T/from-file" "$T/from-env" "$T/from-flag"; do
        [ "$other" = "$want" ] || [ ! -e "$other" ] || pl_fail "plenaryd also made $other"
    done
    ENDPOINT=$(sed -n 's/^frontend=//p' "$want/plenaryd.ready")
    BACKEND=$(sed -n 's/^backend=//p' "$want/plenaryd.ready")
}
stop () {
    kill -TERM "$1" 2>/dev/null
    pl_wait_gone "$1" 100 || pl_fail "pid $1 did not stop"
}

# ---- 1. the data folder: file, then environment over it, then a flag over both
start_broker "$T/from-file" PLENARY_CONFIG="$F" --
[ "$(source_of plenaryd data --config "$F")" = "$F:3" ] || pl_fail "data: $(source_of plenaryd data --config "$F")"
[ "$(source_of plenaryd max-batch --config "$F")" = "$F:10" ] || pl_fail "max-batch's source"
[ "$(source_of plenaryd heartbeat --config "$F")" = default ] || pl_fail "heartbeat's source"
[ "$(PLENARY_CONFIG=$F plenaryd --print-config=json | jq -r .file)" = "$F" ] \
    || pl_fail "PLENARY_CONFIG did not name the file"

# ---- 2 and 3: the broker obeys the file's role; the records worker reads its file
W=$T/worker.conf
printf '[plenary]\ndata = %s\nbackend = %s\n[records]\nquery-threads = 1\n' "$T/from-file" "$BACKEND" >"$W"
plenary-records --config "$W" >>"$T/records.log" 2>&1 &
RECORDS_PID=$!
PL_PIDS="$PL_PIDS $RECORDS_PID"
C=$T/client.conf
printf '[plenary]\nendpoint = %s\n\n[client]\ntimeout = 4000\n' "$ENDPOINT" >"$C"
pl_poll 100 plenary --config "$C" meeting list \
    || pl_fail "the records worker, configured by its file, did not answer"
[ -f "$T/from-file/records/records.db" ] || pl_fail "records keeps no database in the file's data folder"
[ "$(source_of plenary-records query-threads --config "$W")" = "$W:5" ] || pl_fail "records' query-threads"
MEETING=(meeting add --id cfg-1 --convention CCM --kind msp --title "Configured" --venue Geneva
         --tz Europe/Zurich --start 2031-09-15 --end 2031-09-18)
plenary --config "$C" "${MEETING[@]}" >"$T/refused.out" 2>&1 \
    && pl_fail "a publish was accepted though the file makes every loopback connection public"
grep -q "role public may not publish" "$T/refused.out" || pl_fail "refusal does not say why: $(cat "$T/refused.out")"
stop "$RECORDS_PID"
stop "$BROKER_PID"

start_broker "$T/from-env" PLENARY_CONFIG="$F" PLENARY_DATA="$T/from-env" --
[ "$(PLENARY_DATA=$T/from-env source_of plenaryd data --config "$F")" = "env PLENARY_DATA" ] \
    || pl_fail "data's source with PLENARY_DATA"
stop "$BROKER_PID"

start_broker "$T/from-flag" PLENARY_CONFIG="$F" PLENARY_DATA="$T/from-env" -- \
    --data "$T/from-flag" --loopback-role secretariat
[ "$(PLENARY_DATA=$T/from-env source_of plenaryd data --config "$F" --data /x)" = "flag --data" ] \
    || pl_fail "data's source with --data"
json=$(PLENARY_DATA=$T/from-env plenary --config "$F" config --program broker --json --data-ignored 2>/dev/null)
[ -z "$json" ] || pl_fail "plenary config took an unknown flag"
json=$(PLENARY_DATA=$T/from-env plenary --config "$F" config --program broker --json)
[ "$(echo "$json" | jq -r '.settings[] | select(.key == "data") | .source')" = "env PLENARY_DATA" ] \
    && [ "$(echo "$json" | jq -r '.settings[] | select(.key == "max-batch") | .value')" = 128 ] \
    && [ "$(echo "$json" | jq -r '.settings[] | select(.key == "max-batch") | .source')" = "$F:10" ] \
    || pl_fail "plenary config --program broker: $json"
printf '[plenary]\ndata = %s\nbackend = %s\n' "$T/from-flag" "$BACKEND" >"$W"
plenary-records --config "$W" >>"$T/records.log" 2>&1 &
RECORDS_PID=$!
PL_PIDS="$PL_PIDS $RECORDS_PID"
printf '[plenary]\nendpoint = %s\n\n[client]\ntimeout = 4000\n' "$ENDPOINT" >"$C"
pl_poll 100 plenary --config "$C" meeting list || pl_fail "records did not answer on the flag's broker"
plenary --config "$C" "${MEETING[@]}" >"$T/accepted.out" 2>&1 \
    || pl_fail "--loopback-role secretariat did not override the file: $(cat "$T/accepted.out")"

# ---- 4. the CLI: endpoint from the file, the environment over it, a flag over both
plenary --config "$C" status --json >/dev/null || pl_fail "the CLI did not reach the file's endpoint"
[ "$(plenary --config "$C" config --json | jq -r '.settings[] | select(.key == "endpoint") | .source')" = "$C:2" ] \
    || pl_fail "the CLI's endpoint does not come from $C:2"
[ "$(plenary --config "$C" config --json | jq -r '.settings[] | select(.key == "timeout") | .value')" = 4000 ] \
    || pl_fail "the CLI's timeout from the file"
PLENARY_ENDPOINT=tcp://127.0.0.1:1 plenary --config "$C" --timeout 1000 status >/dev/null 2>&1 \
    && pl_fail "PLENARY_ENDPOINT did not override the file's endpoint"
PLENARY_ENDPOINT=tcp://127.0.0.1:1 plenary --config "$C" --endpoint "$ENDPOINT" status >/dev/null \
    || pl_fail "--endpoint did not override PLENARY_ENDPOINT"
src=$(PLENARY_ENDPOINT=tcp://127.0.0.1:1 plenary --config "$C" config --json \
      | jq -r '.settings[] | select(.key == "endpoint") | .source')
[ "$src" = "env PLENARY_ENDPOINT" ] || pl_fail "endpoint's source with PLENARY_ENDPOINT: $src"
src=$(PLENARY_ENDPOINT=tcp://127.0.0.1:1 plenary --config "$C" --endpoint "$ENDPOINT" config --json \
      | jq -r '.settings[] | select(.key == "endpoint") | .source')
[ "$src" = "flag --endpoint" ] || pl_fail "endpoint's source with --endpoint: $src"
plenary --config "$C" config | grep -q "^timeout *= 4000 *; $C:5\$" \
    || pl_fail "plenary config's table: $(plenary --config "$C" config)"
stop "$RECORDS_PID"
stop "$BROKER_PID"

# ---- 5. plenary --config FILE up: every program it starts reads the file
U=$T/up.conf
cat >"$U" <<EOF
[plenary]
data = $T/up-data
endpoint = tcp://127.0.0.1:*
backend = tcp://127.0.0.1:*
pub = tcp://127.0.0.1:*
http = 127.0.0.1:0

[notify]
smtp = smtp://127.0.0.1:9
from = isu@example.org
EOF
plenary --config "$U" up >"$T/up.out" 2>"$T/up.log" &
UP_PID=$!
PL_PIDS="$PL_PIDS $UP_PID"
pl_poll 150 grep -q "Ctrl-C stops everything" "$T/up.out" || pl_fail "up did not start: $(cat "$T/up.log")"
[ -s "$T/up-data/plenaryd.ready" ] || pl_fail "up did not use the file's data folder"
grep -q "plenary-notify" "$T/up.out" || pl_fail "up did not start plenary-notify for [notify] smtp: $(cat "$T/up.out")"
pl_poll 100 test -f "$T/up-data/notify/notify.db" || pl_fail "plenary-notify made no database under up"
stop "$UP_PID"

# ---- 6. a bad file: every program refuses to start, naming FILE:LINE and what is expected
B=$T/bad.conf
# expect_bad LINE PATTERN CONTENT: each program exits 2 saying B:LINE and PATTERN
expect_bad () {
    local line=$1 pattern=$2
    printf "$3" >"$B"
    for program in plenaryd plenary-records plenary-calendar plenary-archive plenary-notify \
                   plenary-gateway plenary; do
        if [ "$program" = plenary ]; then
            plenary --config "$B" meeting list
        else
            $program --config "$B"
        fi >"$T/bad.out" 2>&1 </dev/null
        rc=$?
        [ "$rc" = 2 ] || pl_fail "$program on '$3' exited $rc, want 2: $(cat "$T/bad.out")"
        grep -qF -- "$B:$line: $pattern" "$T/bad.out" \
            || pl_fail "$program on '$3': want '$B:$line: $pattern', got: $(cat "$T/bad.out")"
    done
}
expect_bad 2 "[broker] max-bach: no such setting; did you mean 'max-batch'?" '[broker]\nmax-bach = 10\n'
expect_bad 3 "[records] max-batch: no such setting here; it is a setting of [broker]" \
    '; comment\n[records]\nmax-batch = 10\n'
expect_bad 1 "[brokr]: no such section; did you mean [broker]?" '[brokr]\n'
expect_bad 2 "[gateway] threads: expected a whole number from 1 to 256, not '0'" '[gateway]\nthreads = 0\n'
expect_bad 2 "[broker] loopback-role: expected one of secretariat, record-keeper, delegate, public, not 'chair'" \
    '[broker]\nloopback-role = chair\n'
expect_bad 2 "expected 'key = value', '[section]' or a comment (; or #), not 'max-batch 10'" \
    '[broker]\nmax-batch 10\n'
expect_bad 3 "[plenary] data: given twice, here and at line 2" '[plenary]\ndata = a\ndata = b\n'
expect_bad 1 "data: a key before any [section]" 'data = a\n'
expect_bad 2 "a line longer than 197 bytes" "[plenary]\ndata = /$(printf 'd%.0s' $(seq 1 200))\n"
# a missing file that was named: an error, both ways of naming it
plenaryd --config "$T/none.conf" >"$T/bad.out" 2>&1; rc=$?
[ "$rc" = 2 ] && grep -qF -- "--config $T/none.conf: No such file" "$T/bad.out" \
    || pl_fail "--config of a missing file: $rc $(cat "$T/bad.out")"
PLENARY_CONFIG=$T/none.conf plenary status >"$T/bad.out" 2>&1; rc=$?
[ "$rc" = 2 ] && grep -qF "PLENARY_CONFIG $T/none.conf: No such file" "$T/bad.out" \
    || pl_fail "PLENARY_CONFIG of a missing file: $rc $(cat "$T/bad.out")"
# a missing default file is no configuration, not an error
default=$(plenary config --help | sed -n 's/.*else \(\/[^ ]*\) when it exists.*/\1/p')
[ -n "$default" ] || pl_fail "plenary config --help names no default file"
if [ ! -e "$default" ]; then
    env -u PLENARY_CONFIG plenary config --json | jq -e '.file == null' >/dev/null \
        || pl_fail "without $default, plenary config: $(env -u PLENARY_CONFIG plenary config 2>&1)"
fi
# --help still answers with a bad file (it reads none)
printf '[brokr]\n' >"$B"
plenaryd --config "$B" --help >/dev/null || pl_fail "plenaryd --help failed on a bad file"

# ---- 7. the example: every setting of every program, and all of them valid
X=$T/example.conf
sed 's/^#\([a-z-]* = \)/\1/' "$PL_SOURCE/dist/plenary.conf" >"$X"
for pair in broker:plenaryd records:plenary-records calendar:plenary-calendar \
            archive:plenary-archive notify:plenary-notify gateway:plenary-gateway client:plenary; do
    section=${pair%%:*} program=${pair#*:}
    if [ "$program" = plenary ]; then
        plenary --config "$X" config --json
    else
        "$program" --config "$X" --print-config=json
    fi >"$T/example.json" 2>"$T/example.err" || pl_fail "$program refuses the example: $(cat "$T/example.err")"
    for key in $(jq -r '.settings[].key' "$T/example.json"); do
        awk -v s="[$section]" -v k="$key" '/^\[/ { at = $1 } $1 == k && $2 == "=" && (at == "[plenary]" || at == s) { found = 1 }
             END { exit !found }' "$X" || pl_fail "dist/plenary.conf does not show $key in [$section] or [plenary]"
    done
done

pl_pass "configuration file: flag over environment over file over default, in plenaryd, records, the CLI and up; bad files refused with FILE:LINE"
