#!/usr/bin/env bash
# records_rules_cli — the domain input the records authority refuses, through
# the real CLI, broker and records worker ("One truth", item 4): names of
# only spaces or control characters (refused by the schema: exit 2, nothing
# sent), conventions that are not known and `plenary convention add|list`,
# session times that clocks skip or repeat, statements dated outside their
# meeting, registrations reported as pending by `plenary register` and
# `register --csv`, and `plenary participant update` refused when it would
# register a person twice (another's e-mail, an earlier or a later one) or
# with a new delegation (pending or registered again, as registration would).  Each case checks the exit code (0 applied, 1 refused
# with a one-line reason on stderr, 2 usage) and the exact reason.
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

# --- 2. conventions: unknown ones refused, a way to add one -------------------
known="APMBC, ATT, BWC, CCM, CCW, CTBT, CWC, ENMOD, NPT, TPNW"
expect 1 "plenary: rejected: meeting cppnm-1: convention CPPNM is not known (known: $known); add it with plenary convention add --code CPPNM --name NAME" \
    plenary meeting add --id cppnm-1 --convention CPPNM --kind other --title "First meeting" \
        --venue Vienna --tz Europe/Vienna --start 2030-05-06 --end 2030-05-08
expect 1 "plenary: rejected: delegation FR: convention CPPNM is not known (known: $known); add it with plenary convention add --code CPPNM --name NAME" \
    plenary delegation set --convention CPPNM --code FR --status state-party
expect 1 "plenary: meeting.list: convention CPPNM is not known (known: $known); add it with plenary convention add --code CPPNM --name NAME" \
    plenary meeting list --convention CPPNM
expect 1 "plenary: rejected: convention CCM (Convention on Cluster Munitions) is built in; it needs no declaration" \
    plenary convention add --code CCM --name "Cluster Munitions"
expect 2 "plenary: --code: must be upper-case letters, digits, _ and - (starting with a letter or digit)" \
    plenary convention add --code cppnm --name "Physical Protection"
expect 2 "plenary: --name is required" plenary convention add --code CPPNM
out=$(plenary convention add --code CPPNM --name "Convention on the Physical Protection of Nuclear Material") \
    || pl_fail "convention add: $out"
[[ $out =~ ^declared\ convention\ CPPNM\ \(seq\ [0-9]+\)$ ]] || pl_fail "convention add printed: $out"
plenary meeting add --id cppnm-1 --convention CPPNM --kind other --title "First meeting" \
    --venue Vienna --tz Europe/Vienna --start 2030-05-06 --end 2030-05-08 >/dev/null \
    || pl_fail "a meeting of a declared convention"
plenary delegation set --convention CPPNM --code FR --status state-party >/dev/null \
    || pl_fail "a delegation of a declared convention"
plenary convention list --json | jq -e 'length==11 and .[0].code=="APMBC" and .[0].source=="built-in"
    and (.[] | select(.code=="CPPNM") | .source=="declared" and .seq > 0
         and .name=="Convention on the Physical Protection of Nuclear Material")' >/dev/null \
    || pl_fail "convention list --json: $(plenary convention list --json)"
plenary convention list | grep -q '^CPPNM  *declared  *Convention on the Physical Protection' \
    || pl_fail "convention list: $(plenary convention list)"
plenary meeting add --help | grep -q '^  CCM      Convention on Cluster Munitions$' \
    || pl_fail "meeting add --help does not list the built-in conventions"
plenary meeting add --help | grep -q 'plenary convention add --code CODE --name NAME' \
    || pl_fail "meeting add --help does not say how to add a convention"
pl_pass "conventions: unknown ones refused with the known ones and how to add one; convention add|list"

# --- 3. session times when clocks change in the meeting's zone ----------------
plenary meeting add --id spring --convention CCM --kind other --title "Spring workshop" \
    --venue Geneva --tz Europe/Zurich --start 2025-03-29 --end 2025-03-31 >/dev/null \
    || pl_fail "meeting add spring"
plenary meeting add --id autumn --convention CCM --kind other --title "Autumn workshop" \
    --venue Geneva --tz Europe/Zurich --start 2025-10-25 --end 2025-10-27 >/dev/null \
    || pl_fail "meeting add autumn"
expect 1 "plenary: rejected: session s1: start 2025-03-30T02:30 does not exist in Europe/Zurich: clocks go from 02:00 to 03:00 on 2025-03-30" \
    plenary session add --meeting spring --id s1 --title "Night" \
        --start 2025-03-30T02:30 --end 2025-03-30T04:00
expect 1 "plenary: rejected: session a1: start 2025-10-26T02:30 is ambiguous in Europe/Zurich: it happens twice, at UTC+02:00 and at UTC+01:00 (clocks go back from 03:00 to 02:00 on 2025-10-26); give the offset: 2025-10-26T02:30+02:00 or 2025-10-26T02:30+01:00" \
    plenary session add --meeting autumn --id a1 --title "Night" \
        --start 2025-10-26T02:30 --end 2025-10-26T04:00
expect 1 "plenary: rejected: session a1: start 2025-10-25T10:00+01:00: Europe/Zurich is at UTC+02:00 then, not UTC+01:00" \
    plenary session add --meeting autumn --id a1 --title "Morning" \
        --start 2025-10-25T10:00+01:00 --end 2025-10-25T13:00
expect 2 "plenary: --start: must be a local time YYYY-MM-DDTHH:MM[:SS][±HH:MM]" \
    plenary session add --meeting autumn --id a1 --title "Night" \
        --start 2025-10-26T02:30+1:00 --end 2025-10-26T04:00
out=$(plenary session add --meeting autumn --id a1 --title "Night" \
      --start 2025-10-26T02:30+01:00 --end 2025-10-26T04:00) || pl_fail "the second 02:30: $out"
plenary session list --meeting autumn --json \
    | jq -e '.[0].id=="a1" and .[0].start=="2025-10-26T02:30:00+01:00" and .[0].end=="2025-10-26T04:00:00"' \
    >/dev/null || pl_fail "session list: $(plenary session list --meeting autumn --json)"
expect 1 "plenary: rejected: session a1: end 2025-10-26T02:45 is ambiguous in Europe/Zurich: it happens twice, at UTC+02:00 and at UTC+01:00 (clocks go back from 03:00 to 02:00 on 2025-10-26); give the offset: 2025-10-26T02:45+02:00 or 2025-10-26T02:45+01:00" \
    plenary session move a1 --meeting autumn --start 2025-10-26T02:30+02:00 --end 2025-10-26T02:45
plenary session move a1 --meeting autumn --start 2025-10-26T02:30+02:00 --end 2025-10-26T02:15+01:00 \
    >/dev/null || pl_fail "the first 02:30 to the second 02:15 is 45 minutes"
expect 1 "plenary: rejected: meeting autumn: in America/New_York, session a1: start 2025-10-26T02:30:00+02:00: America/New_York is at UTC-04:00 then, not UTC+02:00; move or cancel the session first" \
    plenary meeting update autumn --tz America/New_York
plenary session add --help | grep -q 'YYYY-MM-DDTHH:MM+HH:MM' || pl_fail "session add --help does not teach the offset"
plenary session move --help | grep -q 'UTC offset (+HH:MM)' || pl_fail "session move --help does not teach the offset"
pl_pass "session times: a time clocks skip, a time that happens twice, offsets that pick or do not"

# --- 4. statements dated outside their meeting --------------------------------
expect 1 "plenary: rejected: statement of FR: delivered_at 2030-09-14T21:00:00Z is 2030-09-14 in Europe/Zurich, before meeting ccm-msp13 (2030-09-15 to 2030-09-18)" \
    plenary statement --meeting ccm-msp13 --delegation FR --language fr --delivered-at 2030-09-14T21:00:00Z
expect 1 "plenary: rejected: statement of FR: delivered_at 2030-09-19T00:10:00+02:00 is 2030-09-19 in Europe/Zurich, after meeting ccm-msp13 (2030-09-15 to 2030-09-18)" \
    plenary statement --meeting ccm-msp13 --delegation FR --language fr --delivered-at 2030-09-19T00:10:00+02:00
plenary statement --meeting ccm-msp13 --delegation FR --language fr --delivered-at 2030-09-14T22:00:00Z \
    >/dev/null || pl_fail "a statement at midnight in Geneva on the first day"
plenary statements --meeting ccm-msp13 --json | jq -e 'length==1' >/dev/null \
    || pl_fail "statements: $(plenary statements --meeting ccm-msp13 --json)"
pl_pass "statements: delivered_at within the meeting's days, in its zone"

# --- 5. pending is reported as pending -----------------------------------------
plenary delegation set --convention CCM --code ICRC --status organization \
    --name "International Committee of the Red Cross" >/dev/null || pl_fail "declare ICRC"
out=$(plenary register --meeting ccm-msp13 --family-name Maurer --delegation ICRC) \
    || pl_fail "a registration waiting for admission must exit 0: $out"
[[ $out =~ ^pending:\ (p[0-9]+)\ Maurer\ \(ICRC\)\ to\ ccm-msp13\ waits\ for\ the\ admission\ of\ ICRC\ as\ observer\ to\ ccm-msp13$ ]] \
    || pl_fail "register printed: $out"
out=$(plenary register --meeting ccm-msp13 --family-name Martin --given-name Luc --delegation FR \
      --focal-point) || pl_fail "register the focal point: $out"
[[ $out =~ ^registered\ (p[0-9]+)\ Martin,\ Luc\ \(FR\)\ to\ ccm-msp13$ ]] || pl_fail "focal point: $out"
focal=${BASH_REMATCH[1]}
out=$(plenary register --meeting ccm-msp13 --family-name Dupont --given-name Anne --delegation FR) \
    || pl_fail "register under a focal point: $out"
[[ $out == "pending: p"*" Dupont, Anne (FR) to ccm-msp13 waits for approval by focal point $focal of FR" ]] \
    || pl_fail "register under a focal point printed: $out"
plenary register --meeting ccm-msp13 --family-name Roth --delegation ICRC --json >"$PL_TMP/reg.json" \
    || pl_fail "register --json"
jq -e '.verdict=="applied" and .status=="pending"
       and .waits_for=="the admission of ICRC as observer to ccm-msp13"' "$PL_TMP/reg.json" >/dev/null \
    || pl_fail "register --json: $(cat "$PL_TMP/reg.json")"
out=$(plenary register --meeting ccm-msp13 --family-name Rossi --delegation IT) || pl_fail "register IT"
[[ $out =~ ^registered\ p[0-9]+\ Rossi\ \(IT\)\ to\ ccm-msp13$ ]] || pl_fail "IT: $out"

# the spreadsheet: its own count and row status
printf 'family_name,given_name,delegation\nKellenberger,Jakob,ICRC\nSchmidt,Eva,DE\nPetit,Luc,FR\n' \
    >"$PL_TMP/pending.csv"
plenary register --meeting ccm-msp13 --csv "$PL_TMP/pending.csv" --verbose >"$PL_TMP/out" 2>"$PL_TMP/err" \
    || pl_fail "a file with pending rows must exit 0: $(cat "$PL_TMP/out" "$PL_TMP/err")"
grep -qx 'line 2: pending p[0-9]* Kellenberger, Jakob (ICRC): waits for the admission of ICRC as observer to ccm-msp13' \
    "$PL_TMP/out" || pl_fail "csv line 2: $(cat "$PL_TMP/out")"
grep -qx 'line 3: registered p[0-9]* Schmidt, Eva (DE)' "$PL_TMP/out" || pl_fail "csv line 3: $(cat "$PL_TMP/out")"
grep -qx "line 4: pending p[0-9]* Petit, Luc (FR): waits for approval by focal point $focal of FR" \
    "$PL_TMP/out" || pl_fail "csv line 4: $(cat "$PL_TMP/out")"
grep -qx '3 rows: 1 registered, 2 pending, 0 updated, 0 unchanged, 0 rejected' "$PL_TMP/out" \
    || pl_fail "csv summary: $(cat "$PL_TMP/out")"
[ ! -s "$PL_TMP/err" ] || pl_fail "csv with pending rows wrote to stderr: $(cat "$PL_TMP/err")"
printf 'family_name,delegation\nAlvarez,ICRC\n' >"$PL_TMP/pending2.csv"
plenary register --meeting ccm-msp13 --csv "$PL_TMP/pending2.csv" --json >"$PL_TMP/csv.json" \
    || pl_fail "csv --json"
jq -e '.accepted==0 and .pending==1 and .items[0].verdict=="pending"
       and .items[0].waits_for=="the admission of ICRC as observer to ccm-msp13"' "$PL_TMP/csv.json" \
    >/dev/null || pl_fail "csv --json: $(cat "$PL_TMP/csv.json")"
# admitted: they wait no more
plenary delegation admit --meeting ccm-msp13 --code ICRC >/dev/null || pl_fail "admit ICRC"
plenary participants --meeting ccm-msp13 --json \
    | jq -e '[.[] | select(.delegation=="ICRC" and .waits_for != null)] | length == 0' >/dev/null \
    || pl_fail "ICRC registrations still wait after the admission"
pl_pass "pending: register and register --csv say what a registration waits for"

# --- 6. an update may not register a person twice, earlier or later -----------
register_id () {  # register_id FAMILY DELEGATION EMAIL: prints the participant id
    plenary register --meeting ccm-msp13 --family-name "$1" --delegation "$2" --email "$3" \
        --json | jq -r .id
}
p2=$(register_id Weber DE a@example.org) && [ -n "$p2" ] || pl_fail "register Weber"
p3=$(register_id Jansen NL b@example.org) && [ -n "$p3" ] || pl_fail "register Jansen"
expect 1 "plenary: rejected: participant $p2: Jansen (NL) is already registered to ccm-msp13 as $p3" \
    plenary participant update "$p2" --meeting ccm-msp13 --email B@example.org
expect 1 "plenary: rejected: participant $p3: Weber (DE) is already registered to ccm-msp13 as $p2" \
    plenary participant update "$p3" --meeting ccm-msp13 --email a@example.org
plenary participants --meeting ccm-msp13 --json \
    | jq -e '[.[] | select((.email // "") | ascii_downcase == "b@example.org")] | length == 1' >/dev/null \
    || pl_fail "two registrations share b@example.org: $(plenary participants --meeting ccm-msp13 --json)"
pl_pass "updates: no second registration of the same person, earlier or later"

# --- 7. a new delegation: what the participant waits for, again ---------------
plenary delegation set --convention CCM --code FR --status state-party >/dev/null \
    || pl_fail "declare FR a State Party"
plenary delegation set --convention CCM --code CMC --status civil-society \
    --name "Cluster Munition Coalition" >/dev/null || pl_fail "declare CMC"
standing () {  # standing ID: prints "STATUS|WAITS_FOR"
    plenary participants --meeting ccm-msp13 --json \
        | jq -r --arg p "$1" '.[] | select(.id == $p) | "\(.status)|\(.waits_for // "")"'
}
moved=$(plenary register --meeting ccm-msp13 --family-name Weiss --delegation CMC --json | jq -r .id)
[ "$(standing "$moved")" = "pending|the admission of CMC as observer to ccm-msp13" ] \
    || pl_fail "CMC registration: $(standing "$moved")"
plenary participant update "$moved" --meeting ccm-msp13 --delegation FR >/dev/null \
    || pl_fail "move the pending CMC registration to FR"
[ "$(standing "$moved")" = "registered|approval by focal point $focal of FR" ] \
    || pl_fail "moved to FR, a State Party with a focal point: $(standing "$moved")"
rossi=$(plenary participants --meeting ccm-msp13 --json | jq -r '.[] | select(.family_name == "Rossi") | .id')
plenary participant update "$rossi" --meeting ccm-msp13 --delegation CMC >/dev/null \
    || pl_fail "move a registered IT participant to CMC"
[ "$(standing "$rossi")" = "pending|the admission of CMC as observer to ccm-msp13" ] \
    || pl_fail "moved to CMC, not admitted: $(standing "$rossi")"
pl_pass "a new delegation: pending or registered, as registration would make it"
