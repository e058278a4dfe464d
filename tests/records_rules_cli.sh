#!/usr/bin/env bash
# records_rules_cli — the domain input the records authority refuses, through
# the real CLI, broker and records worker ("One truth", item 4): names of
# only spaces or control characters (refused by the schema: exit 2, nothing
# sent).  Each case checks the exit code (0 applied, 1 refused with a
# one-line reason on stderr, 2 usage) and the exact reason.
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
pl_system "$PL_TMP/data"

# expect CODE STDERR-LINE COMMAND...: exit CODE and that exact stderr line,
# which must be the only one
expect () {
    local want=$1 line=$2; shift 2
    "$@" >"$PL_TMP/out" 2>"$PL_TMP/err"
    local rc=$?
    [ "$rc" = "$want" ] || pl_fail "$* exited $rc, want $want: $(cat "$PL_TMP/out" "$PL_TMP/err")"
    [ -z "$line" ] || grep -qxF -- "$line" "$PL_TMP/err" \
        || pl_fail "$*: stderr $(cat "$PL_TMP/err"), want $line"
    [ "$want" = 2 ] || [ "$(wc -l <"$PL_TMP/err")" -le 1 ] \
        || pl_fail "$*: more than one line on stderr: $(cat "$PL_TMP/err")"
}
events () { plenary status --json | jq -r '.last_seq'; }

plenary meeting add --id ccm-msp13 --convention CCM --kind msp --title "Thirteenth MSP" \
    --venue Geneva --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18 >/dev/null \
    || pl_fail "meeting add"

# --- 1. names: a visible character, no control character ---------------------
before=$(events)
expect 2 "plenary: --family-name: must contain a visible character" \
    plenary register --meeting ccm-msp13 --family-name "   " --delegation FR
expect 2 "plenary: --given-name: must contain a visible character" \
    plenary register --meeting ccm-msp13 --family-name Dupont --given-name $'\u3000\u200b' --delegation FR
expect 2 "plenary: --family-name: contains control character 0x0A" \
    plenary register --meeting ccm-msp13 --family-name $'Du\npont' --delegation FR
expect 2 "plenary: --family-name: contains control character 0x7F" \
    plenary register --meeting ccm-msp13 --family-name $'Dupont\x7f' --delegation FR
expect 2 "plenary: --family-name: contains control character U+0085" \
    plenary register --meeting ccm-msp13 --family-name $'Du\u0085pont' --delegation FR
expect 2 "plenary: --title: must contain a visible character" \
    plenary meeting add --id ccm-x --convention CCM --kind msp --title " " --venue Geneva \
        --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18
expect 2 "plenary: --title: contains control character 0x09" \
    plenary session add --meeting ccm-msp13 --id d1 --title $'\t' \
        --start 2030-09-15T10:00 --end 2030-09-15T13:00
expect 2 "plenary: --speaker: must contain a visible character" \
    plenary statement --meeting ccm-msp13 --delegation FR --language fr --speaker "  "
expect 2 "plenary: --name: must contain a visible character" \
    plenary delegation set --convention CCM --code CMC --status civil-society --name $'\u00a0'
[ "$(events)" = "$before" ] || pl_fail "a refused name reached the log"
out=$(plenary register --meeting ccm-msp13 --family-name "de la Cruz" --given-name $'محمد\u200c' \
      --delegation FR) || pl_fail "a name with inner spaces and a joiner: $out"
pl_pass "names: spaces, invisible characters and control characters refused (exit 2, nothing sent)"
