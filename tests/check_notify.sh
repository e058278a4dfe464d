#!/usr/bin/env bash
# plenary check compares the notify worker's view with the records: the
# meetings, their dates, the sessions and the participants it writes to
# (their address and whether their registration stands).  After
# registrations confirmed, rejected, withdrawn, pending an admission and
# updated, a session moved and a meeting cancelled, the view agrees (exit
# 0); then its database is corrupted on purpose while it is stopped (an
# address changed, a withdrawal lost, a session gone) and the check names
# each (exit 1).  A group that never joined (the calendar, the archive
# here) is noted, not compared.
. "$(dirname "$0")/harness.sh"
: "${PL_SOURCE:?PL_SOURCE must name the source folder}"
DATA=$PL_TMP/data
T=$PL_TMP
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null \
    || pl_fail "python3-aiosmtpd is needed (scripts/build.sh installs it)"

answers () {
    plenary check --json --timeout 3000 \
        | jq -e '.views[] | select(.group == "notify") | .answered' >/dev/null
}

pl_system "$DATA"
pl_start_smtpd "$PL_TMP/mail"
pl_start_notify "$DATA"
pl_poll 100 answers || pl_fail "the notify worker did not answer the check within 10 s"

plenary meeting add --id ccm-msp13 --convention CCM --kind msp --title "Meeting" --venue Geneva \
    --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18 >/dev/null || pl_fail "meeting"
plenary meeting add --id ccw-gge1 --convention CCW --kind gge --title "GGE" --venue Geneva \
    --tz Europe/Zurich --start 2030-03-03 --end 2030-03-07 >/dev/null || pl_fail "second meeting"
plenary session add --meeting ccm-msp13 --id day1-am --title "Opening" --room "Room XIX" \
    --start 2030-09-15T10:00 --end 2030-09-15T13:00 >/dev/null || pl_fail "session day1-am"
plenary session add --meeting ccw-gge1 --id d1 --title "Opening" \
    --start 2030-03-03T10:00 --end 2030-03-03T13:00 >/dev/null || pl_fail "session d1"
register () {  # register FAMILY DELEGATION EMAIL: prints the participant id
    plenary register --meeting ccm-msp13 --family-name "$1" --delegation "$2" --email "$3" \
        --json | jq -r .id
}
P1=$(register Łukasiewicz PL zofia@example.pl) && [ -n "$P1" ] || pl_fail "register P1"
P2=$(register Dupont FR anne@example.fr) || pl_fail "register P2"
P3=$(register 王 CN wang@example.cn) || pl_fail "register P3"
P4=$(register Roe GB jane@example.org) || pl_fail "register P4"
plenary delegation set --convention CCM --code ICRC --status organization \
    --name "International Committee of the Red Cross" >/dev/null || pl_fail "declare ICRC"
P5=$(register Maurer ICRC peter@example.org) || pl_fail "register P5"
plenary participant confirm "$P1" --meeting ccm-msp13 >/dev/null || pl_fail "confirm P1"
plenary participant withdraw "$P3" --meeting ccm-msp13 --reason visa >/dev/null \
    || pl_fail "withdraw P3"
plenary participant reject "$P4" --meeting ccm-msp13 --reason "not nominated" >/dev/null \
    || pl_fail "reject P4"
plenary participant update "$P2" --meeting ccm-msp13 --email anne.dupont@example.fr \
    --given-name "Anne Marie" >/dev/null || pl_fail "update P2"
plenary session move day1-am --meeting ccm-msp13 --start 2030-09-15T11:00 \
    --end 2030-09-15T13:30 --room "Room XX" >/dev/null || pl_fail "move day1-am"
plenary meeting cancel ccw-gge1 >/dev/null || pl_fail "cancel ccw-gge1"

# 1. The view agrees; the groups that never joined are noted, not compared
plenary check >"$T/out" 2>&1 || pl_fail "check on an agreeing view exited $?: $(cat "$T/out")"
grep -q "^check: 2 views, 4 facets, all agree$" "$T/out" || pl_fail "summary: $(cat "$T/out")"
grep -q "^calendar: no worker of this group ever joined the broker" "$T/out" \
    || pl_fail "the calendar's absence is not noted: $(cat "$T/out")"
plenary check --json >"$T/json" || pl_fail "check --json exited $?"
jq -e --arg p "$P2" '.agree
    and ([.comparisons[] | select(.view == "notify")] | length) >= 5
    and ([.comparisons[] | select(.view == "notify" and .facet == "participants")][0]
         | .authority_count == 5 and .view_count == 5 and .agree)
    and ([.views[] | select(.group == "calendar")][0] | .known == false)' "$T/json" >/dev/null \
    || pl_fail "check --json: $(cat "$T/json")"

# 2. The notify worker's database corrupted: an address, a withdrawal, a session
kill -TERM "$NOTIFY_PID"
pl_wait_gone "$NOTIFY_PID" 100 || pl_fail "plenary-notify did not stop"
sqlite3 "$DATA/notify/notify.db" \
    "UPDATE participant SET email = 'someone.else@example.org' WHERE id = '$P2';
     UPDATE participant SET status = 'registered' WHERE id = '$P3';
     DELETE FROM session WHERE meeting = 'ccm-msp13' AND id = 'day1-am';" \
    || pl_fail "sqlite3 on the notify database"
pl_start_notify "$DATA"
pl_poll 100 answers || pl_fail "the notify worker did not answer again within 10 s"
plenary check >"$T/out" 2>&1; rc=$?
[ "$rc" = 1 ] || pl_fail "check on a corrupted view exited $rc: $(cat "$T/out")"
grep -q "^notify: participants of ccm-msp13: $P2 differs in email: records anne.dupont@example.fr, notify someone.else@example.org$" \
    "$T/out" || pl_fail "the changed address is not named: $(cat "$T/out")"
grep -q "^notify: participants of ccm-msp13: $P3 differs in status: records withdrawn, notify registered$" \
    "$T/out" || pl_fail "the lost withdrawal is not named: $(cat "$T/out")"
grep -q "^notify: sessions of ccm-msp13: day1-am is missing from notify$" "$T/out" \
    || pl_fail "the deleted session is not named: $(cat "$T/out")"
grep -q "^check: 3 differences in notify$" "$T/out" || pl_fail "summary: $(cat "$T/out")"
pl_pass "check_notify"
