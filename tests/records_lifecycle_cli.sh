#!/usr/bin/env bash
# The records subcommands of issue 3 part A against a real plenaryd +
# plenary-records: meeting update|cancel, session add|move|cancel|list,
# delegation set|admit|list, register --focal-point, participant
# update|approve|confirm|reject|withdraw|history and stats, each checked
# for its output, its exit code (0 applied, 1 rejected with the reason on
# one line, 2 usage) and its effect as the queries then show it.
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
pl_system "$PL_TMP/data"

# expect CODE STDERR-LINE COMMAND...: exit CODE and that exact stderr line
expect () {
    local want=$1 line=$2; shift 2
    "$@" >"$PL_TMP/out" 2>"$PL_TMP/err"
    local rc=$?
    [ "$rc" = "$want" ] || pl_fail "$* exited $rc, want $want: $(cat "$PL_TMP/err")"
    [ -z "$line" ] || grep -qxF -- "$line" "$PL_TMP/err" || pl_fail "$*: stderr $(cat "$PL_TMP/err"), want $line"
}

plenary meeting add --id ccm-msp13 --convention CCM --kind msp --title "Thirteenth MSP" \
    --venue Geneva --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18 >/dev/null || pl_fail "meeting add"

# --- meetings and sessions --------------------------------------------------
out=$(plenary meeting update ccm-msp13 --venue "Palais des Nations" --reason "room booked") \
    || pl_fail "meeting update"
[[ $out =~ ^updated\ meeting\ ccm-msp13\ \(seq\ [0-9]+\)$ ]] || pl_fail "meeting update printed: $out"
plenary meeting show ccm-msp13 --json | jq -e '.venue=="Palais des Nations"' >/dev/null || pl_fail "venue not updated"
expect 1 "plenary: rejected: meeting ccm-msp13: end 2030-09-18 is before start 2030-09-20" \
    plenary meeting update ccm-msp13 --start 2030-09-20
expect 2 "" plenary meeting update ccm-msp13 --start 20300920
expect 2 "" plenary meeting update

out=$(plenary session add --meeting ccm-msp13 --id d1-am --title "First plenary" \
      --start 2030-09-15T10:00 --end 2030-09-15T13:00 --room "Room XIX" \
      --agenda-item 1 --agenda-item "8(a)") || pl_fail "session add: $out"
[[ $out =~ ^scheduled\ session\ d1-am ]] || pl_fail "session add printed: $out"
plenary session add --meeting ccm-msp13 --id d2-am --title "Second plenary" \
    --start 2030-09-16T10:00 --end 2030-09-16T13:00 >/dev/null || pl_fail "session add d2"
expect 1 "plenary: rejected: session d9: 2030-09-19 is outside meeting ccm-msp13 (2030-09-15 to 2030-09-18)" \
    plenary session add --meeting ccm-msp13 --id d9 --title X --start 2030-09-19T10:00 --end 2030-09-19T11:00
expect 1 "plenary: rejected: session d1-am of meeting ccm-msp13 already exists" \
    plenary session add --meeting ccm-msp13 --id d1-am --title X --start 2030-09-15T10:00 --end 2030-09-15T11:00
expect 1 "plenary: rejected: session d3 of meeting ccm-msp13 does not exist" \
    plenary session move d3 --meeting ccm-msp13 --start 2030-09-17T10:00 --end 2030-09-17T11:00
plenary session move d1-am --meeting ccm-msp13 --start 2030-09-17T15:00 --end 2030-09-17T18:00 \
    --reason "opening delayed" >/dev/null || pl_fail "session move"
plenary session cancel d2-am --meeting ccm-msp13 --json | jq -e '.verdict=="applied"' >/dev/null \
    || pl_fail "session cancel --json"
plenary session list --meeting ccm-msp13 --json >"$PL_TMP/s" || pl_fail "session list --json"
jq -e 'length==2 and .[0].id=="d2-am" and .[0].status=="cancelled"
       and .[1].id=="d1-am" and .[1].start=="2030-09-17T15:00:00" and .[1].agenda_items==["1","8(a)"]' \
    "$PL_TMP/s" >/dev/null || pl_fail "session list --json: $(cat "$PL_TMP/s")"
plenary session list --meeting ccm-msp13 | grep -q "^d1-am .*Room XIX .*scheduled  *1, 8(a) " \
    || pl_fail "session list table: $(plenary session list --meeting ccm-msp13)"

# --- delegations and admission ---------------------------------------------
for code in FR DE IT; do
    plenary delegation set --convention CCM --code "$code" --status state-party >/dev/null \
        || pl_fail "delegation set $code"
done
plenary delegation set --convention CCM --code ICRC --status organization \
    --name "International Committee of the Red Cross" >/dev/null || pl_fail "delegation set ICRC"
expect 1 "plenary: rejected: organisation CMC needs a name (--name)" \
    plenary delegation set --convention CCM --code CMC --status civil-society
expect 1 "plenary: rejected: delegation QQ: not an ISO 3166-1 alpha-2 code of a State" \
    plenary register --meeting ccm-msp13 --family-name Doe --delegation QQ
plenary delegation list --convention CCM --json | jq -e 'length==4 and .[0].code=="DE" and .[0].name=="Germany"' \
    >/dev/null || pl_fail "delegation list: $(plenary delegation list --convention CCM --json)"

reg () { plenary register --meeting ccm-msp13 --json "$@" | jq -r '.id'; }
head=$(reg --family-name Martin --given-name Luc --delegation FR --function head --gender m --focal-point)
adviser=$(reg --family-name Dupont --given-name Anne --delegation FR --function adviser --gender f --sponsored)
expert=$(reg --family-name Bernard --delegation FR --function expert --gender f)
de=$(reg --family-name Müller --delegation DE --function head --gender f)
icrc=$(reg --family-name Maurer --delegation ICRC --gender m)
[ -n "$icrc" ] && [ "$icrc" != null ] || pl_fail "registrations failed"
plenary participants --meeting ccm-msp13 --json | jq -e --arg p "$icrc" \
    'any(.[]; .id==$p and .status=="pending" and .status_reason=="awaiting admission of ICRC as observer")' \
    >/dev/null || pl_fail "ICRC registration is not pending: $(plenary participants --meeting ccm-msp13 --json)"
expect 1 "plenary: rejected: FR is a State Party to CCM; it takes part without admission" \
    plenary delegation admit --meeting ccm-msp13 --code FR
out=$(plenary delegation admit --meeting ccm-msp13 --code ICRC --reason "decision of the plenary") \
    || pl_fail "delegation admit"
[[ $out =~ ^admitted\ ICRC\ as\ observer ]] || pl_fail "delegation admit printed: $out"
plenary participants --meeting ccm-msp13 --json | jq -e --arg p "$icrc" 'any(.[]; .id==$p and .status=="registered")' \
    >/dev/null || pl_fail "ICRC registration did not become registered"

# --- approval, rejection, withdrawal, updates --------------------------------
plenary participant approve "$adviser" --meeting ccm-msp13 --focal-point "$head" >/dev/null \
    || pl_fail "approve by the focal point"
expect 1 "plenary: rejected: $expert is not a focal point of delegation FR" \
    plenary participant approve "$de" --meeting ccm-msp13 --focal-point "$expert"
plenary participant confirm "$adviser" --meeting ccm-msp13 >/dev/null || pl_fail "confirm"
expect 1 "plenary: rejected: participant $adviser is confirmed; it cannot be approved" \
    plenary participant approve "$adviser" --meeting ccm-msp13
expect 2 "" plenary participant reject "$expert" --meeting ccm-msp13
plenary participant reject "$expert" --meeting ccm-msp13 --focal-point "$head" --reason "not in the delegation" \
    >/dev/null || pl_fail "reject by the focal point"
plenary participant update "$de" --meeting ccm-msp13 --given-name Anna --reason "typo" >/dev/null \
    || pl_fail "participant update"
expect 1 "plenary: rejected: participant $de: nothing to change" \
    plenary participant update "$de" --meeting ccm-msp13 --given-name Anna
plenary participant history "$de" --meeting ccm-msp13 --json >"$PL_TMP/h" || pl_fail "history --json"
jq -e 'length==2 and .[1].change=="updated" and .[1].changed==["given_name"] and .[1].reason=="typo"' \
    "$PL_TMP/h" >/dev/null || pl_fail "history: $(cat "$PL_TMP/h")"
plenary participant withdraw "$head" --meeting ccm-msp13 --reason "travel cancelled" >/dev/null \
    || pl_fail "withdraw"
plenary participants --meeting ccm-msp13 --json | jq -e --arg h "$head" --arg e "$expert" --arg a "$adviser" \
    'any(.[]; .id==$h and .status=="withdrawn" and .status_reason=="travel cancelled")
     and any(.[]; .id==$e and .status=="rejected") and any(.[]; .id==$a and .status=="confirmed")' \
    >/dev/null || pl_fail "statuses: $(plenary participants --meeting ccm-msp13 --json)"

# --- statistics ---------------------------------------------------------------
plenary stats --meeting ccm-msp13 --json >"$PL_TMP/st" || pl_fail "stats --json"
jq -e '.participants==3 and .delegations==3 and .heads==1 and .sponsored==1 and .rejected==1
       and .withdrawn==1 and .states_parties_declared==3 and .states_parties_represented==2
       and .states_parties_share==667
       and (.categories[] | select(.category=="organization") | .participants==1)
       and (.gender[] | select(.gender=="f") | .participants==2 and .heads==1)' "$PL_TMP/st" >/dev/null \
    || pl_fail "stats --json: $(cat "$PL_TMP/st")"
plenary stats --meeting ccm-msp13 >"$PL_TMP/st.txt" || pl_fail "stats"
grep -q "^States Parties represented: 2 of 3 declared (66.7 %)$" "$PL_TMP/st.txt" \
    || pl_fail "stats text: $(cat "$PL_TMP/st.txt")"
expect 1 "plenary: meeting nope does not exist" plenary stats --meeting nope

# --- a cancelled meeting takes no more registrations -------------------------
plenary meeting cancel ccm-msp13 --reason "postponed" >/dev/null || pl_fail "meeting cancel"
expect 1 "plenary: rejected: meeting ccm-msp13 is cancelled; registration is closed" \
    plenary register --meeting ccm-msp13 --family-name Late --delegation IT
pl_pass "records part A subcommands against plenaryd + plenary-records"
