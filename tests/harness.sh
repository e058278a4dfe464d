# tests/harness.sh — shared helpers for black-box tests (sourced, not run).
#
# Starts the real binaries from $PL_BUILD on 127.0.0.1 with ephemeral ports
# ("tcp://127.0.0.1:*", the broker reports what it bound in DATA/plenaryd.ready)
# and a temporary data folder; waits for readiness with bounded polls; kills
# everything it started when the test exits.  Polls never sleep to
# synchronise with a fixed delay: they re-check a condition up to a deadline.
set -u
: "${PL_BUILD:?PL_BUILD must name the build folder}"
PATH="$PL_BUILD:$PATH"
export PATH
PL_PIDS=""
# The machine's own configuration file (/etc/plenary/plenary.conf, read by
# every program when it exists) must not change what a test starts: an
# empty one for all; tests/config_file.sh names its own.
export PLENARY_CONFIG=/dev/null
PL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/plenary-test.XXXXXX")

pl_cleanup () {
    local pid
    for pid in $PL_PIDS; do kill -TERM "$pid" 2>/dev/null; done
    for pid in $PL_PIDS; do
        pl_wait_gone "$pid" 50 || kill -KILL "$pid" 2>/dev/null
    done
    if [ "${PL_KEEP:-}" = 1 ]; then echo "kept $PL_TMP"; else rm -rf "$PL_TMP"; fi
}
trap pl_cleanup EXIT

pl_fail () { echo "FAIL: $*" >&2; for f in "$PL_TMP"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; } >&2; done; exit 1; }
pl_pass () { echo "PASS: $*"; }

# pl_poll TRIES COMMAND...: run COMMAND until it succeeds, at most TRIES times,
# 0.1 s apart.  Returns 0 on success, 1 when it never succeeded.
pl_poll () {
    local tries=$1; shift
    local i
    for ((i = 0; i < tries; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# pl_wait_gone PID TRIES: wait for PID to exit (0) or give up (1).
pl_wait_gone () {
    local i
    for ((i = 0; i < $2; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    return 1
}

# pl_start_broker DATA [FLAGS...]: start plenaryd on ephemeral ports (or the
# ones already exported by an earlier start, for a restart on the same
# addresses), wait for its ready file, export PLENARY_ENDPOINT/BACKEND/PUB.
# Sets BROKER_PID.
pl_start_broker () {
    local data=$1; shift
    mkdir -p "$data"
    rm -f "$data/plenaryd.ready"
    plenaryd --data "$data" \
        --endpoint "${PLENARY_ENDPOINT:-tcp://127.0.0.1:*}" \
        --backend "${PLENARY_BACKEND:-tcp://127.0.0.1:*}" \
        --pub "${PLENARY_PUB:-tcp://127.0.0.1:*}" "$@" >>"$PL_TMP/broker.log" 2>&1 &
    BROKER_PID=$!
    PL_PIDS="$PL_PIDS $BROKER_PID"
    pl_poll 100 test -s "$data/plenaryd.ready" \
        || pl_fail "plenaryd wrote no $data/plenaryd.ready within 10 s"
    PLENARY_ENDPOINT=$(sed -n 's/^frontend=//p' "$data/plenaryd.ready")
    PLENARY_BACKEND=$(sed -n 's/^backend=//p' "$data/plenaryd.ready")
    PLENARY_PUB=$(sed -n 's/^pub=//p' "$data/plenaryd.ready")
    export PLENARY_ENDPOINT PLENARY_BACKEND PLENARY_PUB
    [ -n "$PLENARY_ENDPOINT" ] || pl_fail "ready file has no frontend= line"
}

# pl_start_records DATA [FLAGS...]: start plenary-records; sets RECORDS_PID.
pl_start_records () {
    local data=$1; shift
    plenary-records --data "$data" --backend "$PLENARY_BACKEND" "$@" \
        >>"$PL_TMP/records.log" 2>&1 &
    RECORDS_PID=$!
    PL_PIDS="$PL_PIDS $RECORDS_PID"
}

# pl_wait_records: wait (10 s at most) until the records service answers.
pl_wait_records () {
    pl_poll 100 plenary meeting list --json \
        || pl_fail "records worker did not answer 'meeting list' within 10 s"
}

# pl_start_calendar DATA [FLAGS...]: start plenary-calendar; sets CALENDAR_PID.
pl_start_calendar () {
    local data=$1; shift
    plenary-calendar --data "$data" --backend "$PLENARY_BACKEND" "$@" \
        >>"$PL_TMP/calendar.log" 2>&1 &
    CALENDAR_PID=$!
    PL_PIDS="$PL_PIDS $CALENDAR_PID"
}

# pl_caught_up: every worker group has a verdict on every event of the log.
pl_caught_up () {
    plenary status --json | jq -e '.last_seq as $l | all(.groups[]; .acked_through == $l)'
}

# pl_system DATA: broker + records worker, ready to use.
pl_system () {
    pl_start_broker "$1"
    pl_start_records "$1"
    pl_wait_records
}

# pl_start_smtpd FOLDER [FLAGS...]: a real SMTP server (tests/notify_smtpd.py,
# Debian's aiosmtpd) on an ephemeral port, or on $SMTP_PORT when set (a
# restart on the same port), writing each message to FOLDER/NNNNNN.eml.  Sets
# SMTPD_PID and SMTP_PORT.
pl_start_smtpd () {
    local folder=$1; shift
    mkdir -p "$folder"
    rm -f "$folder/port"
    /usr/bin/python3 "$PL_SOURCE/tests/notify_smtpd.py" "$folder" --port "${SMTP_PORT:-0}" "$@" \
        >>"$PL_TMP/smtpd.log" 2>&1 &
    SMTPD_PID=$!
    PL_PIDS="$PL_PIDS $SMTPD_PID"
    pl_poll 100 test -s "$folder/port" || pl_fail "the test SMTP server did not start within 10 s"
    SMTP_PORT=$(cat "$folder/port")
}

# pl_start_notify DATA [FLAGS...]: start plenary-notify on the relay at
# $SMTP_PORT; sets NOTIFY_PID.  PL_NOTIFY_WRAP runs it under a wrapper
# (PL_NOTIFY_WRAP="gdb -q -batch -ex run -ex bt --args" puts a crash's
# backtrace in notify.log).
pl_start_notify () {
    local data=$1; shift
    ${PL_NOTIFY_WRAP:-} plenary-notify --data "$data" --backend "$PLENARY_BACKEND" \
        --smtp "smtp://127.0.0.1:$SMTP_PORT" --from isu@ccm.example.org \
        --public-url https://plenary.example.org "$@" >>"$PL_TMP/notify.log" 2>&1 &
    NOTIFY_PID=$!
    PL_PIDS="$PL_PIDS $NOTIFY_PID"
}

# pl_mails FOLDER: how many messages the test SMTP server holds.
pl_mails () {
    find "$1" -maxdepth 1 -name '*.eml' | wc -l
}
