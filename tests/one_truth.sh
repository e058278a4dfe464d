#!/usr/bin/env bash
# One truth, with the real processes: broker, records, calendar, archive and
# gateway on ephemeral ports.  Every fact has one authority; the calendar
# and the archive follow records' verdicts (and the calendar the archive's
# on documents), so what records refused appears in no view:
#   1. a session outside its meeting's dates: records rejects it, the
#      calendar's receipt is "skipped" with records' reason, the feed does
#      not show it; the valid session of the same id is then in both, at
#      the right time, and `plenary session list` and the feed agree;
#   2. a registration for a delegation records refuses: skipped by the
#      calendar, so no private feed can be issued for it;
#   3. statements records rejected (unknown delegation, unknown meeting)
#      are not indexed: neither `search` nor `statements` shows them;
#   4. nothing refers to what does not exist: a release and an outcome
#      naming an unknown meeting, and an outcome citing a symbol never
#      released, are refused with the reason and found nowhere (search,
#      doc, feeds);
#   5. an outcome citing two documents is shown by `doc` of each (and of
#      their families) and found by a search by either symbol;
#   6. a rebuild: the calendar and archive workers stopped, their databases
#      deleted, started again (a replay from seq 0): the feeds and the
#      archive's answers are byte-identical to those before.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
DATA=$PL_TMP/data
T=$PL_TMP
M=ccm-msp15

start_calendar () {
    plenary-calendar --data "$DATA" --backend "$PLENARY_BACKEND" >>"$PL_TMP/calendar.log" 2>&1 &
    CALENDAR_PID=$!
    PL_PIDS="$PL_PIDS $CALENDAR_PID"
}
pl_system "$DATA"
start_calendar
pl_start_archive "$DATA"
# --cache-ms 0: every request asks the calendar (with the ETag of the feed
# the gateway holds), so that the snapshots after the rebuild are the
# rebuilt worker's answers and not the gateway's copies of those before it
plenary-gateway --data "$DATA" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
    --cache-ms 0 >>"$PL_TMP/gateway.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$DATA/gateway.ready" || pl_fail "gateway wrote no gateway.ready"
BASE=http://$(sed -n 's/^http=//p' "$DATA/gateway.ready")
FEED=$BASE/ics/meetings/$M.ics
pl_wait_archive
pl_poll 100 curl -sf "$BASE/ics/all.ics" || pl_fail "the calendar did not answer within 10 s"

# receipt SEQ GROUP: GROUP's verdict on SEQ as "verdict|reason"
receipt () {
    test-receipt "$1" "$2" | jq -r '.verdict + "|" + .reason'
}
# expect_receipt SEQ GROUP WANT: fail unless the verdict is WANT ("verdict|reason")
expect_receipt () {
    local got
    got=$(receipt "$1" "$2") || pl_fail "no receipt of seq $1 from $2"
    [ "$got" = "$3" ] || pl_fail "$2 on seq $1: '$got', want '$3'"
}
# feed_has PATTERN: the meeting's feed holds a line matching PATTERN
feed_has () { curl -sf "$FEED" | tr -d '\r' | grep -q "$1"; }

plenary meeting add --id $M --convention CCM --kind msp --title "Fifteenth Meeting of States Parties" \
    --venue Geneva --tz Europe/Zurich --start 2030-09-09 --end 2030-09-12 >/dev/null \
    || pl_fail "meeting add"
plenary session add --meeting $M --id day1-am --title "Opening" --start 2030-09-09T10:00 \
    --end 2030-09-09T13:00 --agenda-item 1 >/dev/null || pl_fail "session add day1-am"

# ---- 1. a session outside the meeting's dates: rejected by records, skipped by the calendar
plenary session add --meeting $M --id day2-am --title "Second plenary" --start 2030-09-15T10:00 \
    --end 2030-09-15T13:00 --json >"$T/out" 2>"$T/err"
[ $? = 1 ] || pl_fail "a session outside the meeting was not rejected: $(cat "$T/out")"
seq=$(jq .seq "$T/out")
reason=$(jq -r .reason "$T/out")
[ "$reason" = "session day2-am: 2030-09-15 is outside meeting $M (2030-09-09 to 2030-09-12)" ] \
    || pl_fail "records' reason: $reason"
expect_receipt "$seq" calendar "skipped|records rejected it: $reason"
pl_poll 100 feed_has 'UID:session/ccm-msp15/day1-am@plenary' || pl_fail "the feed never showed day1-am"
feed_has 'UID:session/ccm-msp15/day2-am@plenary' && pl_fail "the feed shows the rejected session"
# the valid session of the same id: applied by both, at the right time
plenary session add --meeting $M --id day2-am --title "Second plenary" --start 2030-09-10T10:00 \
    --end 2030-09-10T13:00 --room "Room XVIII" --json >"$T/out" || pl_fail "valid session add"
expect_receipt "$(jq .seq "$T/out")" calendar "applied|"
curl -sf "$FEED" | tr -d '\r' >"$T/feed"
grep -A 12 '^UID:session/ccm-msp15/day2-am@plenary' "$T/feed" \
    | grep -qx 'DTSTART;TZID=Europe/Zurich:20300910T100000' || pl_fail "day2-am not at 10:00 Geneva"
grep -c '^UID:session/ccm-msp15/day2-am@plenary' "$T/feed" | grep -qx 1 || pl_fail "day2-am twice"
# records and the feed agree: the same sessions at the same times
plenary session list --meeting $M --json \
    | jq -r '.[] | "\(.id) \(.start | gsub("[-:]"; "") | .[0:13])00"' | sort >"$T/records"
awk '/^UID:session\/ccm-msp15\// { split ($0, a, "/"); sub (/@plenary$/, "", a [3]); id = a [3] }
     /^DTSTART;TZID=/ && id { sub (/.*:/, ""); print id, $0; id = "" }' "$T/feed" | sort >"$T/feed_sessions"
[ "$(wc -l <"$T/records")" = 2 ] && cmp -s "$T/records" "$T/feed_sessions" \
    || pl_fail "session list and feed disagree: $(paste -d '|' "$T/records" "$T/feed_sessions")"

# ---- 2. a registration records refuses: skipped, so no private feed for it
plenary register --meeting $M --family-name Nobody --given-name Ann --delegation ZZNGO --json \
    >"$T/out" 2>"$T/err"
[ $? = 1 ] || pl_fail "a registration for an undeclared delegation was not rejected"
seq=$(jq .seq "$T/out")
reason=$(jq -r .reason "$T/out")
case $reason in "delegation ZZNGO is not declared for CCM"*) ;; *) pl_fail "records' reason: $reason" ;; esac
expect_receipt "$seq" calendar "skipped|records rejected it: $reason"
plenary calendar url --participant "p$seq" >"$T/out" 2>"$T/err"
[ $? = 1 ] && grep -q "participant p$seq is not registered to any meeting; no private feed can be issued" \
    "$T/err" || pl_fail "a private feed for a refused registration: $(cat "$T/out" "$T/err")"
plenary register --meeting $M --family-name Dupont --given-name Anne --delegation FR \
    --email anne@example.org --json >"$T/out" || pl_fail "register FR"
P=p$(jq .seq "$T/out")
PRIVATE=$(plenary calendar url --participant "$P" --base "$BASE" | head -1)
case $PRIVATE in "$BASE"/ics/p/*.ics) ;; *) pl_fail "private feed address: $PRIVATE" ;; esac
curl -sf "$PRIVATE" | grep -q "UID:meeting/$M@plenary" || pl_fail "the private feed lacks $M"

# ---- 3. statements records rejected are not indexed
plenary statement --meeting $M --delegation ZZNGO --language en --text "zeppelin one" --json \
    >"$T/out" 2>/dev/null
[ $? = 1 ] || pl_fail "a statement of an undeclared delegation was not rejected"
seq=$(jq .seq "$T/out")
expect_receipt "$seq" archive "skipped|records rejected it: $(jq -r .reason "$T/out")"
plenary statement --meeting ccm-msp99 --delegation FR --language en --text "zeppelin two" --json \
    >"$T/out" 2>/dev/null
[ $? = 1 ] && [ "$(jq -r .reason "$T/out")" = "meeting ccm-msp99 does not exist" ] \
    || pl_fail "a statement at an unknown meeting: $(cat "$T/out")"
expect_receipt "$(jq .seq "$T/out")" archive "skipped|records rejected it: meeting ccm-msp99 does not exist"
plenary statement --meeting $M --delegation FR --language en --item 1 \
    --text "France welcomes the zeppelin of cooperation" --json >"$T/out" || pl_fail "statement FR"
expect_receipt "$(jq .seq "$T/out")" archive "applied|"
expect_total 1 zeppelin --as-role secretariat
plenary search zeppelin --json | jq -e '.items[0].delegation == "FR"' >/dev/null \
    || pl_fail "search found another statement than France's"
plenary statements --meeting $M --json | jq -e 'length == 1 and .[0].delegation == "FR"' >/dev/null \
    || pl_fail "statements lists a rejected statement: $(plenary statements --meeting $M --json)"

# ---- 4. nothing refers to what does not exist
printf 'The quetzal report of a meeting that never was.\n' >"$T/lost.txt"
plenary release --symbol CCM/MSP/2030/99 --language en --title "Lost report" --meeting ccm-msp99 \
    --agenda-item 1 --file "$T/lost.txt" >/dev/null 2>"$T/err"
[ $? = 1 ] && grep -qx "plenary: rejected: meeting ccm-msp99 does not exist" "$T/err" \
    || pl_fail "a release for an unknown meeting: $(cat "$T/err")"
# (release prints no receipt when refused; nothing else publishes: it is the last event)
expect_receipt "$(plenary status --json | jq .last_seq)" calendar \
    "skipped|archive rejected it: meeting ccm-msp99 does not exist"
plenary outcome --meeting ccm-msp99 --id lost --kind decision --title "Lost decision" \
    --adopted 2030-09-12 --file "$T/lost.txt" >/dev/null 2>"$T/err"
[ $? = 1 ] && grep -qx "plenary: rejected: meeting ccm-msp99 does not exist" "$T/err" \
    || pl_fail "an outcome of an unknown meeting: $(cat "$T/err")"
plenary outcome --meeting $M --id early --kind decision --title "Early decision" \
    --adopted 2030-09-12 --documents CCM/MSP/2030/9 >/dev/null 2>"$T/err"
[ $? = 1 ] && grep -qx "plenary: rejected: outcome early cites CCM/MSP/2030/9, which has not been released; release it first" \
    "$T/err" || pl_fail "an outcome citing an unreleased symbol: $(cat "$T/err")"
expect_total 0 quetzal --as-role secretariat
expect_total 0 --meeting ccm-msp99 --as-role secretariat
plenary doc CCM/MSP/2030/99 >/dev/null 2>"$T/err"
[ $? = 1 ] && grep -q "no document CCM/MSP/2030/99" "$T/err" || pl_fail "doc of a refused release"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/ics/meetings/ccm-msp99.ics")" = 404 ] \
    || pl_fail "a feed for the unknown meeting"
curl -sf "$BASE/ics/all.ics" | grep -q 'CCM/MSP/2030/99' && pl_fail "the refused release is in a feed"

# ---- 5. an outcome citing two documents: shown by doc of each, found by either symbol
release () {  # release SYMBOL TEXT [FLAGS...]
    local symbol=$1 text=$2; shift 2
    printf '%s\n' "$text" >"$T/text"
    plenary release --symbol "$symbol" --language en --title "Report $symbol" --meeting $M \
        --file "$T/text" "$@" >/dev/null || pl_fail "release $symbol"
}
release CCM/MSP/2030/1 "Provisional agenda and the budget of the meeting" --agenda-item 1
release CCM/MSP/2030/2 "Estimated costs: the budget in detail"
release CCM/MSP/2030/2/Rev.1 "Estimated costs revised: the budget in detail"
pl_poll 100 feed_has 'CCM/MSP/2030/1' || pl_fail "the feed never showed CCM/MSP/2030/1 under item 1"
plenary outcome --meeting $M --id budget --kind decision --title "Decision on the budget" \
    --adopted 2030-09-12 --documents CCM/MSP/2030/1,CCM/MSP/2030/2 \
    --file "$T/text" >/dev/null || pl_fail "outcome citing two documents"
for symbol in CCM/MSP/2030/1 CCM/MSP/2030/2 ccm/msp/2030/2/rev.1; do
    plenary doc "$symbol" --json | jq -e '.outcomes == ["ccm-msp15/budget"]' >/dev/null \
        || pl_fail "doc $symbol does not show the outcome: $(plenary doc "$symbol" --json | jq -c .outcomes)"
done
plenary doc CCM/MSP/2030/2 | grep -qx 'adopted by: ccm-msp15/budget' || pl_fail "doc, human form"
for symbol in CCM/MSP/2030/1 CCM/MSP/2030/2; do
    expect_total 1 --symbol "$symbol" --kind outcome
    plenary search budget --symbol "$symbol" --json \
        | jq -e '[.items[] | select(.kind == "outcome") | .id] == ["ccm-msp15/budget"]' >/dev/null \
        || pl_fail "search budget --symbol $symbol does not find the outcome"
done
expect_total 0 --symbol CCM/MSP/2030/3 --kind outcome

# ---- 6. rebuild the calendar and the archive from the log: the same bytes
# The last event, one both take: caught up when both cursors reach it.
plenary meeting add --id ccw-gge30 --convention CCW --kind gge --title "GGE" --venue Geneva \
    --tz Europe/Zurich --start 2030-11-04 --end 2030-11-08 --json >"$T/out" || pl_fail "last meeting"
LAST=$(jq .seq "$T/out")
[ "$(plenary status --json | jq .last_seq)" = "$LAST" ] || pl_fail "the sentinel is not the last event"
cursor () { sqlite3 "$DATA/$1/$1.db" "SELECT seq FROM pl_cursor" 2>/dev/null; }
caught_up () {
    [ "$(cursor calendar)" = "$LAST" ] && [ "$(cursor archive)" = "$LAST" ] \
    && plenary status --json | jq -e '.last_seq as $l | all(.groups[]; .acked_through == $l)' >/dev/null
}
snapshot () {  # snapshot DIR: the feeds and the archive's answers
    mkdir -p "$1"
    curl -sf -D "$1/meeting.head" -o "$1/meeting.ics" "$FEED" || pl_fail "GET $FEED"
    curl -sf -o "$1/all.ics" "$BASE/ics/all.ics" || pl_fail "GET all.ics"
    curl -sf -o "$1/ccm.ics" "$BASE/ics/conventions/CCM.ics" || pl_fail "GET CCM.ics"
    curl -sf -o "$1/private.ics" "$PRIVATE" || pl_fail "GET the private feed"
    plenary search budget --json >"$1/search-budget.json" || pl_fail "search budget"
    plenary search --json --page-size 100 >"$1/search-all.json" || pl_fail "search listing"
    plenary search zeppelin --json >"$1/search-zeppelin.json" || pl_fail "search zeppelin"
    plenary search budget --symbol 'CCM/MSP/2030/2' --json >"$1/search-symbol.json" \
        || pl_fail "search by symbol"
    for n in 1 2; do
        plenary doc CCM/MSP/2030/$n --json >"$1/doc-$n.json" || pl_fail "doc $n"
    done
    plenary doc CCM/MSP/2030/2/Rev.1 --json >"$1/doc-2-rev1.json" || pl_fail "doc 2/Rev.1"
}
pl_poll 100 caught_up || pl_fail "not caught up before the rebuild: $(plenary status --json | jq -c .groups)"
snapshot "$T/before"
grep -q 'UID:session/ccm-msp15/day2-am@plenary' "$T/before/meeting.ics" || pl_fail "before: no day2-am"
[ "$(jq .total "$T/before/search-all.json")" = 5 ] || pl_fail "before: the archive does not hold its 5 items"

kill -TERM "$CALENDAR_PID" "$ARCHIVE_PID"
pl_wait_gone "$CALENDAR_PID" 50 || pl_fail "the calendar did not stop"
pl_wait_gone "$ARCHIVE_PID" 50 || pl_fail "the archive did not stop"
rm -rf "$DATA/calendar" "$DATA/archive"
start_calendar
pl_start_archive "$DATA"
pl_poll 300 caught_up || pl_fail "the rebuild did not catch up: calendar at $(cursor calendar)," \
    "archive at $(cursor archive), log at $LAST"
snapshot "$T/after"
for file in meeting.ics all.ics ccm.ics private.ics search-budget.json search-all.json \
            search-zeppelin.json search-symbol.json doc-1.json doc-2.json doc-2-rev1.json; do
    cmp -s "$T/before/$file" "$T/after/$file" \
        || pl_fail "after the rebuild $file differs: $(diff "$T/before/$file" "$T/after/$file" | head -6)"
done
etag () { sed -n 's/^[Ee][Tt][Aa][Gg]: \(.*\)\r$/\1/p' "$1"; }
[ "$(etag "$T/before/meeting.head")" = "$(etag "$T/after/meeting.head")" ] \
    || pl_fail "after the rebuild the feed's ETag differs"
pl_pass "one truth: followers skip what records refused, nothing refers to what does not exist," \
    "outcomes are found by each document, a rebuild gives the same bytes"
