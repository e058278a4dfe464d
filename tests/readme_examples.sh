#!/usr/bin/env bash
# readme_examples — README.md's examples, run as they are written, so that
# README cannot drift from what works: the block between the markers
# "<!-- readme-examples: begin -->" and "<!-- readme-examples: end -->" is
# cut out of README.md and run with `bash -e`, from a folder laid out as the
# project's root (build/, and examples/ with the spreadsheet and the
# documents it uses), against the system README's first command starts
# (`./build/plenary up --data ./var`, on ephemeral ports here).  Every
# command must succeed, and so must the mail block's ("readme-examples-mail",
# with a test SMTP server as the relay); `plenary tail`, which runs until Ctrl-C, is
# stopped with SIGINT once it says it waits for events.  Then what the
# examples did is checked: everyone in the spreadsheet registered, the
# Chinese agenda found by its word for budget, the public sees the agenda
# declassified with the draft withdrawn, the backup verified.
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
README=$PL_SOURCE/README.md
grep -q '^bash scripts/build.sh && ./build/plenary up --data ./var$' "$README" \
    || pl_fail "README.md no longer starts the system with ./build/plenary up --data ./var"
block () {  # block NAME: the lines between README.md's markers NAME: begin and NAME: end
    sed -n "/^<!-- $1: begin -->\$/,/^<!-- $1: end -->\$/p" "$README" | sed '/^<!-- /d; /^```/d'
}
block readme-examples > "$PL_TMP/examples.sh"
block readme-examples-mail > "$PL_TMP/mail.sh"
[ "$(grep -c '^plenary ' "$PL_TMP/examples.sh")" -ge 20 ] \
    || pl_fail "no example block between README.md's markers: $(head -5 "$PL_TMP/examples.sh")"
grep -q '^plenary subscribe ' "$PL_TMP/mail.sh" || pl_fail "no mail block between README.md's markers"

# the project's root as README's reader has it
ROOT=$PL_TMP/root
mkdir -p "$ROOT" && ln -s "$PL_BUILD" "$ROOT/build" && ln -s "$PL_SOURCE/examples" "$ROOT/examples" \
    || pl_fail "cannot lay out $ROOT"
cd "$ROOT" || pl_fail "no $ROOT"
# a mail relay named, as README's mail examples want (a test SMTP server)
pl_start_smtpd "$PL_TMP/mail"
export PLENARY_SMTP=smtp://127.0.0.1:$SMTP_PORT PLENARY_MAIL_FROM=isu@example.org
export PLENARY_ENDPOINT='tcp://127.0.0.1:*' PLENARY_BACKEND='tcp://127.0.0.1:*' \
       PLENARY_PUB='tcp://127.0.0.1:*' PLENARY_HTTP='127.0.0.1:*'
./build/plenary up --data ./var >"$PL_TMP/up.out" 2>"$PL_TMP/up.log" &
PL_PIDS="$PL_PIDS $!"
pl_poll 150 test -s var/plenaryd.ready || pl_fail "plenary up: no var/plenaryd.ready"
pl_poll 150 test -s var/gateway.ready || pl_fail "plenary up: no var/gateway.ready"
PLENARY_ENDPOINT=$(sed -n 's/^frontend=//p' var/plenaryd.ready)
PLENARY_PUB=$(sed -n 's/^pub=//p' var/plenaryd.ready)
PLENARY_HTTP=$(sed -n 's/^http=//p' var/gateway.ready)
export PLENARY_ENDPOINT PLENARY_PUB PLENARY_HTTP
serving () {
    plenary status --json | jq -e '[.groups[] | select(.workers > 0) | .group]
        | contains(["records", "calendar", "archive", "notify"])' >/dev/null
}
pl_poll 150 serving || pl_fail "the workers plenary up started did not join: $(plenary status 2>&1)"

# `plenary tail` runs until Ctrl-C: stopped once it says it is waiting
cat > "$PL_TMP/run.sh" <<'EOF'
plenary () {
    if [ "$1" != tail ]; then
        command plenary "$@"
        return
    fi
    command plenary "$@" >tail.out 2>&1 &
    local pid=$! i
    for ((i = 0; i < 100; i++)); do
        grep -q 'waiting for events' tail.out && break
        sleep 0.1
    done
    grep -q 'waiting for events' tail.out || { cat tail.out >&2; return 1; }
    kill -INT $pid
    wait $pid
    case $? in 0|130) ;; *) return 1 ;; esac
}
set -x
EOF
cat "$PL_TMP/examples.sh" "$PL_TMP/mail.sh" >> "$PL_TMP/run.sh"
bash -e "$PL_TMP/run.sh" >"$PL_TMP/examples.out" 2>"$PL_TMP/examples.err" \
    || pl_fail "README.md's examples stopped at: $(grep '^+' "$PL_TMP/examples.err" | tail -1)
$(tail -5 "$PL_TMP/examples.err")"
pl_pass "README.md's examples ran as written ($(cat "$PL_TMP/examples.sh" "$PL_TMP/mail.sh" \
    | grep -c '^plenary ') commands)"

out=$PL_TMP/examples.out
rows=$(($(wc -l < examples/delegates.csv) - 1))
grep -qx "$rows rows: $rows registered, 0 pending, 0 updated, 0 unchanged, 0 rejected" "$out" \
    || pl_fail "examples/delegates.csv did not register its $rows rows: $(grep rows "$out")"
[ "$(plenary participants --meeting ccm-msp13 --json | jq length)" = $((rows + 1)) ] \
    || pl_fail "$((rows + 1)) participants expected"
plenary participants --meeting ccm-msp13 --json \
    | jq -e 'any(.[]; .family_name == "王") and any(.[]; .family_name == "عبد الله")
             and any(.[]; .position == "Ambassador, Permanent Representative")' >/dev/null \
    || pl_fail "the spreadsheet's names in their scripts, or its quoted cells, were not kept"
plenary search 预算 --language zh --json | jq -e 'any(.items[]; .symbol == "CCM/MSP/2025/4")' >/dev/null \
    || pl_fail "预算 does not find the Chinese agenda: $(plenary search 预算 --language zh 2>&1)"
plenary doc CCM/MSP/2025/4 --as-role public --json \
    | jq -e '.distribution == "general"' >/dev/null \
    || pl_fail "the public does not see the agenda declassified: $(plenary doc CCM/MSP/2025/4 --as-role public 2>&1)"
plenary doc CCM/MSP/2025/4 --language en --as-role public | grep -q 'DRAFT' \
    && pl_fail "the public sees the draft withdrawn"
plenary verify --data ./var.copy >/dev/null || pl_fail "the examples' backup does not verify"
grep -q '^plenary [0-9]' "$out" || pl_fail "plenary --version: $(tail -3 "$out")"
grep -q '^subscribed archives@example.org' "$out" || pl_fail "plenary subscribe: $(tail -3 "$out")"
grep -q "^relay smtp://127.0.0.1:$SMTP_PORT: up" "$out" || pl_fail "plenary notify status: $(tail -3 "$out")"
pl_pass "what the examples did: registrations, search, distribution, withdrawal, backup, mail"
