#!/usr/bin/env bash
# plenary check: every view against its authority, with the real binaries.
# A meeting with sessions, participants, statements and documents agrees in
# every view (exit 0), registrations confirmed, rejected and pending among
# them; then the calendar's database is corrupted on purpose
# while it is stopped (a session moved, a participant deleted) and the check
# names the meeting, the session and the participant (exit 1); then the
# archive's (a statement deleted); a stopped worker is reported; usage errors
# exit 2.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
DATA=$PL_TMP/data
T=$PL_TMP

# pl_start_calendar: start plenary-calendar; sets CALENDAR_PID.
pl_start_calendar () {
    plenary-calendar --data "$DATA" --backend "$PLENARY_BACKEND" >>"$PL_TMP/calendar.log" 2>&1 &
    CALENDAR_PID=$!
    PL_PIDS="$PL_PIDS $CALENDAR_PID"
}

# answers GROUP: the check found GROUP's worker and it answered.
answers () {
    plenary check --json --timeout 3000 \
        | jq -e --arg g "$1" '.views[] | select(.group == $g) | .answered' >/dev/null
}

# stop PID: SIGTERM, and wait until it is gone.
stop () {
    kill -TERM "$1" 2>/dev/null
    pl_wait_gone "$1" 100 || pl_fail "worker $1 did not stop within 10 s"
}

pl_system "$DATA"
pl_start_calendar
pl_start_archive "$DATA"
pl_wait_archive
pl_poll 100 answers calendar || pl_fail "the calendar did not answer the check within 10 s"

plenary meeting add --id ccm-msp13 --convention CCM --kind msp \
    --title "Thirteenth Meeting of States Parties" --venue Geneva --tz Europe/Zurich \
    --start 2025-09-15 --end 2025-09-18 >/dev/null || pl_fail "meeting add"
plenary meeting add --id ccw-gge1 --convention CCW --kind gge --title "GGE LAWS" \
    --venue Geneva --tz Europe/Zurich --start 2025-03-03 --end 2025-03-07 >/dev/null \
    || pl_fail "second meeting add"
plenary session add --meeting ccm-msp13 --id day1-am --title "Opening" --room "Room XIX" \
    --start 2025-09-15T10:00 --end 2025-09-15T13:00 --agenda-item 1 --agenda-item 8 >/dev/null \
    || pl_fail "session day1-am"
plenary session add --meeting ccm-msp13 --id day1-pm --title "General exchange" --room "Room XIX" \
    --start 2025-09-15T15:00 --end 2025-09-15T18:00 --agenda-item 8 >/dev/null \
    || pl_fail "session day1-pm"
plenary session add --meeting ccw-gge1 --id d1 --title "Opening" \
    --start 2025-03-03T10:00 --end 2025-03-03T13:00 >/dev/null || pl_fail "session d1"
register () {  # register FAMILY GIVEN DELEGATION: prints the participant id
    plenary register --meeting ccm-msp13 --family-name "$1" --given-name "$2" \
        --delegation "$3" --json | jq -r .id
}
P1=$(register Łukasiewicz Zofia PL) && [ -n "$P1" ] || pl_fail "register P1"
P2=$(register Dupont "Anne Marie" FR) || pl_fail "register P2"
P3=$(register 王 芳 CN) || pl_fail "register P3"
plenary participant withdraw "$P3" --meeting ccm-msp13 --reason "visa" >/dev/null \
    || pl_fail "withdraw P3"
# where each registration stands: confirmed, rejected, and pending in records
# (registered in the calendar, which cannot tell them apart)
plenary participant confirm "$P1" --meeting ccm-msp13 >/dev/null || pl_fail "confirm P1"
P4=$(register Roe Jane GB) || pl_fail "register P4"
plenary participant reject "$P4" --meeting ccm-msp13 --reason "not nominated" >/dev/null \
    || pl_fail "reject P4"
plenary delegation set --convention CCM --code ICRC --status organization \
    --name "International Committee of the Red Cross" >/dev/null || pl_fail "declare ICRC"
P5=$(register Maurer Peter ICRC) || pl_fail "register P5"
plenary participants --meeting ccm-msp13 --json \
    | jq -e --arg p "$P5" '.[] | select(.id == $p) | .status == "pending"' >/dev/null \
    || pl_fail "P5 is not pending"
S1=$(plenary statement --meeting ccm-msp13 --delegation FR --language fr --item 8 \
    --text "La France salue…" --json | jq -r '"s\(.seq)"') || pl_fail "statement S1"
S2=$(plenary statement --meeting ccm-msp13 --delegation CN --language zh --item 8 \
    --text "中国代表团" --json | jq -r '"s\(.seq)"') || pl_fail "statement S2"
printf 'Provisional agenda\n' >"$T/agenda.txt"
plenary release --symbol CCM/MSP/2025/1 --language en --title "Provisional agenda" \
    --meeting ccm-msp13 --agenda-item 8 --file "$T/agenda.txt" >/dev/null || pl_fail "release en"
plenary release --symbol CCM/MSP/2025/1 --language fr --title "Ordre du jour provisoire" \
    --meeting ccm-msp13 --agenda-item 8 --file "$T/agenda.txt" >/dev/null || pl_fail "release fr"
plenary release --symbol CCM/MSP/2025/2 --language en --title "Report" \
    --meeting ccm-msp13 --agenda-item 1 --file "$T/agenda.txt" >/dev/null || pl_fail "release 2"

# 1. Every view agrees: exit 0, a summary that says so, and a JSON document
plenary check >"$T/out" 2>&1 || pl_fail "check on agreeing views exited $?: $(cat "$T/out")"
grep -q "^check: 3 views, 7 facets, all agree$" "$T/out" || pl_fail "summary: $(cat "$T/out")"
grep -q "^notify: no worker of this group ever joined the broker" "$T/out" \
    || pl_fail "the notify group's absence is not noted: $(cat "$T/out")"
plenary check --json >"$T/json" || pl_fail "check --json exited $?"
jq -e '.agree and (.differences | length) == 0 and ([.views[] | select(.known) | .answered] | all)
       and ([.views[] | select(.group == "notify")][0] | .known == false)
       and ([.comparisons[] | select(.facet == "sessions" and .key == "ccm-msp13")][0]
            | .authority_count == 2 and .view_count == 2 and .agree)
       and ([.comparisons[] | select(.facet == "documents")][0] | .authority_count == 2)
       and ([.comparisons[] | select(.facet == "statements")][0] | .view_count == 2)' \
    "$T/json" >/dev/null || pl_fail "check --json: $(cat "$T/json")"
plenary check --facet participants >"$T/out" || pl_fail "check --facet participants exited $?"
grep -q "^check: 2 views, 1 facets, all agree$" "$T/out" || pl_fail "--facet: $(cat "$T/out")"

# 2. The calendar's database corrupted on purpose: a session moved, a participant
#    gone, a confirmation lost
stop "$CALENDAR_PID"
sqlite3 "$DATA/calendar/calendar.db" \
    "UPDATE session SET start = '2025-09-15T10:00', \"end\" = '2025-09-15T12:00'
       WHERE meeting = 'ccm-msp13' AND id = 'day1-pm';
     DELETE FROM participant WHERE id = '$P2';
     UPDATE participant SET status = 'registered' WHERE id = '$P1';" \
    || pl_fail "sqlite3 on the calendar"
pl_start_calendar
pl_poll 100 answers calendar || pl_fail "the calendar did not answer again within 10 s"
plenary check >"$T/out" 2>&1; rc=$?
[ "$rc" = 1 ] || pl_fail "check on a corrupted calendar exited $rc: $(cat "$T/out")"
grep -q "^calendar: sessions of ccm-msp13: day1-pm differs in start, end: records 2025-09-15T15:00:00 2025-09-15T18:00:00, calendar 2025-09-15T10:00:00 2025-09-15T12:00:00$" \
    "$T/out" || pl_fail "the moved session is not named: $(cat "$T/out")"
grep -q "^calendar: participants of ccm-msp13: $P2 is missing from calendar$" "$T/out" \
    || pl_fail "the deleted participant is not named: $(cat "$T/out")"
grep -q "^calendar: participants of ccm-msp13: $P1 differs in status: records confirmed, calendar registered$" \
    "$T/out" || pl_fail "the lost confirmation is not named: $(cat "$T/out")"
grep -q "^check: 3 differences in calendar$" "$T/out" || pl_fail "summary: $(cat "$T/out")"
grep -q "^archive:" "$T/out" && pl_fail "the archive agrees, yet: $(cat "$T/out")"
plenary check --json >"$T/json"; [ $? = 1 ] || pl_fail "check --json on a corrupted calendar"
jq -e --arg p "$P2" '(.agree | not) and (.differences | length) == 3
    and ([.differences[] | select(.what == "missing" and .id == $p and .view == "calendar"
          and .facet == "participants" and .key == "ccm-msp13")] | length) == 1
    and ([.differences[] | select(.what == "differs" and .id == "day1-pm")][0].fields
         == ["start", "end"])
    and ([.views[] | select(.group == "calendar")][0].differences == 3)' "$T/json" >/dev/null \
    || pl_fail "check --json: $(cat "$T/json")"

# 3. The archive's: a statement deleted
stop "$ARCHIVE_PID"
sqlite3 "$DATA/archive/archive.db" "DELETE FROM item WHERE key = '$S2'" \
    || pl_fail "sqlite3 on the archive"
pl_start_archive "$DATA"
pl_poll 100 answers archive || pl_fail "the archive did not answer again within 10 s"
plenary check >"$T/out" 2>&1; rc=$?
[ "$rc" = 1 ] || pl_fail "check on a corrupted archive exited $rc: $(cat "$T/out")"
grep -q "^archive: statements of ccm-msp13: $S2 is missing from archive$" "$T/out" \
    || pl_fail "the deleted statement is not named: $(cat "$T/out")"
grep -q "$S1" "$T/out" && pl_fail "statement $S1 agrees, yet: $(cat "$T/out")"
grep -q "^check: 3 differences in calendar, 1 in archive$" "$T/out" \
    || pl_fail "summary: $(cat "$T/out")"

# 4. A stopped worker is reported, and the check fails
stop "$ARCHIVE_PID"
plenary check --facet statements >"$T/out" 2>&1; rc=$?
[ "$rc" = 1 ] || pl_fail "check with the archive stopped exited $rc: $(cat "$T/out")"
grep -q "^archive did not answer: no archive worker is connected" "$T/out" \
    || pl_fail "the stopped archive is not reported: $(cat "$T/out")"
grep -q "^check: archive did not answer; nothing compared$" "$T/out" \
    || pl_fail "summary: $(cat "$T/out")"

# 5. Usage errors: nothing is asked
plenary check --facet nothing >/dev/null 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && grep -q "is not a facet" "$T/err" || pl_fail "--facet nothing: $rc $(cat "$T/err")"
plenary check extra >/dev/null 2>&1; [ $? = 2 ] || pl_fail "an argument is not a usage error"
plenary check --help | grep -q "^usage: plenary check" || pl_fail "check --help"
pl_pass "check_views"
