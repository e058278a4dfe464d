#!/usr/bin/env bash
# plenary backup under load, and the restore (plenary up --data COPY).
#
# A system (plenary up: broker, records, calendar, archive, gateway) holds a
# meeting with sessions, participants, a statement and documents; a
# publisher registers participants to a second meeting at a steady rate,
# and plenary backup runs while it does (the publisher is still running
# when the backup ends, and the copied log holds events logged after the
# backup began).  The copy: every worker's cursor at or below the copied
# log's last seq (read with sqlite3, not with verify), files 0600 and
# folders 0700, plenary verify content.  Then the original is read (its
# answers kept), stopped, and the copy started: it answers every query as
# the original did (participants, sessions, statements, documents, searches,
# the meeting's feed over HTTP, the load's participants up to the copied
# seq), plenary check agrees, plenary verify passes while it runs; the
# publisher then sends the whole load again to the copy, which logs only
# the events it lacked and applies each exactly once.
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
command -v sqlite3 >/dev/null || pl_fail "sqlite3 is not installed"
unset PLENARY_SMTP PLENARY_CERT
# feeds name their address: the same for the original and the copy
export PLENARY_PUBLIC_URL=https://plenary.example.org
DATA=$PL_TMP/data
COPY=$PL_TMP/copy
T=$PL_TMP
LOAD=${PL_LOAD:-6000}           # registrations, at RATE a second
RATE=${PL_RATE:-1000}

# start_up DATA NAME: plenary up on ephemeral ports, wait for the records
# worker and the gateway; sets UP (its pid), EP (its frontend), HTTP.
start_up () {
    PLENARY_ENDPOINT='tcp://127.0.0.1:*' PLENARY_BACKEND='tcp://127.0.0.1:*' \
        PLENARY_PUB='tcp://127.0.0.1:*' PLENARY_HTTP='127.0.0.1:*' \
        plenary up --data "$1" >"$T/up-$2.out" 2>"$T/up-$2.log" &
    UP=$!
    PL_PIDS="$PL_PIDS $UP"
    pl_poll 100 test -s "$1/plenaryd.ready" || pl_fail "$2: no plenaryd.ready within 10 s"
    EP=$(sed -n 's/^frontend=//p' "$1/plenaryd.ready")
    PLENARY_ENDPOINT=$EP pl_poll 100 plenary meeting list --json \
        || pl_fail "$2: records did not answer within 10 s"
    pl_poll 100 grep -q '^http=' "$1/gateway.ready" || pl_fail "$2: no gateway.ready within 10 s"
    HTTP=$(sed -n 's/^http=//p' "$1/gateway.ready")
}

# on EP COMMAND...: run COMMAND against the system at frontend EP.
on () { local ep=$1; shift; PLENARY_ENDPOINT=$ep "$@"; }

# caught_up EP: every group has a verdict on every event of the log.
caught_up () { on "$1" pl_caught_up; }

start_up "$DATA" original
ORIG=$EP
ORIG_HTTP=$HTTP
pl_poll 100 on "$ORIG" plenary search --json || pl_fail "the archive did not answer within 10 s"

# 1. The facts to compare
on "$ORIG" plenary meeting add --id ccm-msp13 --convention CCM --kind msp \
    --title "Thirteenth Meeting of States Parties" --venue Geneva --tz Europe/Zurich \
    --start 2025-09-15 --end 2025-09-18 >/dev/null || pl_fail "meeting add"
on "$ORIG" plenary meeting add --id load-msp --convention CCM --kind msp --title "Load" \
    --venue Lausanne --tz Europe/Zurich --start 2031-09-01 --end 2031-09-05 >/dev/null \
    || pl_fail "meeting add load-msp"
on "$ORIG" plenary session add --meeting ccm-msp13 --id day1-am --title "Séance d'ouverture" \
    --room "Room XIX" --start 2025-09-15T10:00 --end 2025-09-15T13:00 --agenda-item 1 \
    >/dev/null || pl_fail "session day1-am"
on "$ORIG" plenary session add --meeting ccm-msp13 --id day1-pm --title "一般性辩论" \
    --start 2025-09-15T15:00 --end 2025-09-15T18:00 --agenda-item 8 >/dev/null \
    || pl_fail "session day1-pm"
for who in "Łukasiewicz Zofia PL" "王 芳 CN" "Дмитриев Иван RU"; do
    set -- $who
    on "$ORIG" plenary register --meeting ccm-msp13 --family-name "$1" --given-name "$2" \
        --delegation "$3" --function head >/dev/null || pl_fail "register $1"
done
on "$ORIG" plenary statement --meeting ccm-msp13 --delegation FR --language fr --item 8 \
    --text "La France salue le budget adopté" >/dev/null || pl_fail "statement"
printf 'Provisional agenda\nAdoption of the budget\n' >"$T/agenda.txt"
on "$ORIG" plenary release --symbol CCM/MSP/2025/1 --language en --title "Provisional agenda" \
    --meeting ccm-msp13 --file "$T/agenda.txt" >/dev/null || pl_fail "release en"
# a page break (form feed), as pdftotext writes them: the SHA-256 recorded
# is the file's, the text stored has a line feed there
printf '临时议程\f预算\n' >"$T/agenda-zh.txt"
on "$ORIG" plenary release --symbol CCM/MSP/2025/1 --language zh --title "临时议程" \
    --meeting ccm-msp13 --file "$T/agenda-zh.txt" >/dev/null || pl_fail "release zh"
pl_poll 100 caught_up "$ORIG" || pl_fail "the original did not catch up within 10 s"

# 2. The backup, under load
PLENARY_ENDPOINT=$ORIG test-publisher --meeting load-msp --count "$LOAD" --rate "$RATE" \
    --prefix ld --acks "$T/acks" 2>"$T/publisher.log" &
PUB=$!
PL_PIDS="$PL_PIDS $PUB"
flowing () { [ "$(wc -l <"$T/acks" 2>/dev/null || echo 0)" -ge 200 ]; }
pl_poll 100 flowing || pl_fail "fewer than 200 events acknowledged within 10 s"
before=$(on "$ORIG" plenary status --json | jq .last_seq)
on "$ORIG" plenary backup --data "$DATA" --to "$COPY" --json >"$T/backup.json" \
    2>"$T/backup.err" || pl_fail "backup exited $?: $(cat "$T/backup.err")"
kill -0 "$PUB" 2>/dev/null || pl_fail "the load ended before the backup did: not under load"
S=$(jq .last_seq "$T/backup.json")
[ "$S" -gt "$before" ] \
    || pl_fail "the copied log ends at seq $S, the log was at $before when the backup began"
echo "backup under load: the log was at seq $before, the copy's ends at seq $S" \
     "($(jq '[.databases[].bytes] | add' "$T/backup.json") bytes in $(jq .ms "$T/backup.json") ms)"

# the copy: the log copied last, so no worker is past its end
[ "$(jq -r '[.databases[].file] | join(" ")' "$T/backup.json")" \
    = "archive/archive.db calendar/calendar.db records/records.db broker/log.db" ] \
    || pl_fail "copied in this order: $(jq -c '[.databases[].file]' "$T/backup.json")"
[ "$(sqlite3 "$COPY/broker/log.db" "SELECT max(seq) FROM log")" = "$S" ] \
    || pl_fail "the copy's log does not end at seq $S"
for group in records calendar archive; do
    cursor=$(sqlite3 "$COPY/$group/$group.db" "SELECT seq FROM pl_cursor") \
        || pl_fail "no cursor in the copy of $group"
    [ "$cursor" -gt 0 ] && [ "$cursor" -le "$S" ] \
        || pl_fail "$group's copied cursor $cursor is not within the copied log (1..$S)"
    jq -e --arg g "$group" --argjson c "$cursor" \
        '.databases[] | select(.group == $g) | .cursor == $c' "$T/backup.json" >/dev/null \
        || pl_fail "backup --json gives $group's cursor other than $cursor"
done
jq -e '.consistent and .secrets and (.keys | not)' "$T/backup.json" >/dev/null \
    || pl_fail "backup --json: $(cat "$T/backup.json")"
[ -z "$(find "$COPY" -type f ! -perm 600)" ] || pl_fail "files not 0600: $(find "$COPY" -type f ! -perm 600)"
[ -z "$(find "$COPY" -type d ! -perm 700)" ] || pl_fail "folders not 0700: $(find "$COPY" -type d ! -perm 700)"
cmp -s "$DATA/secrets/mail.key" "$COPY/secrets/mail.key" || pl_fail "the mail key was not copied"
ls "$PL_TMP" | grep -q partial && pl_fail "a .partial copy was left behind"
plenary verify --data "$COPY" --json >"$T/verify.json" || pl_fail "verify of the copy: $(cat "$T/verify.json")"
jq -e '.ok and ([.databases[].integrity] | all(. == "ok"))
       and ([.databases[] | select(.group == "archive")][0].documents
            | .revisions == 2 and .match_sha256 == 1 and .match_log == 1)' "$T/verify.json" \
    >/dev/null || pl_fail "verify --json: $(cat "$T/verify.json")"

# --no-secrets: the databases without the private folders
on "$ORIG" plenary backup --data "$DATA" --to "$T/nosecrets" --no-secrets --json \
    >"$T/nosecrets.json" || pl_fail "backup --no-secrets"
[ -e "$T/nosecrets/secrets" ] && pl_fail "--no-secrets copied DATA/secrets"
[ -s "$T/nosecrets/broker/log.db" ] || pl_fail "--no-secrets copied no log"
jq -e '(.secrets | not) and .consistent' "$T/nosecrets.json" >/dev/null \
    || pl_fail "--no-secrets --json: $(cat "$T/nosecrets.json")"

wait "$PUB" || pl_fail "publisher: $(tail -3 "$T/publisher.log")"
pl_poll 300 caught_up "$ORIG" || pl_fail "the original did not catch up with the load within 30 s"

# 3. What the original answers, kept; then it stops
QUERIES=(
    "participants --meeting ccm-msp13 --json"
    "session list --meeting ccm-msp13 --json"
    "statements --meeting ccm-msp13 --json"
    "meeting show ccm-msp13 --json"
    "doc CCM/MSP/2025/1 --json"
    "doc CCM/MSP/2025/1 --language zh --json"
    "search budget --json"
    "search 预算 --language zh --json"
)
for i in "${!QUERIES[@]}"; do
    on "$ORIG" plenary ${QUERIES[$i]} >"$T/orig.$i" || pl_fail "original: ${QUERIES[$i]}"
done
curl -sf "http://$ORIG_HTTP/ics/meetings/ccm-msp13.ics" >"$T/orig.ics" || pl_fail "original feed"
grep -q "UID:session/ccm-msp13/day1-pm@" "$T/orig.ics" || pl_fail "the original feed lacks day1-pm"
on "$ORIG" plenary participants --meeting load-msp --json >"$T/orig.load" || pl_fail "original load"
kill -TERM "$UP"
pl_wait_gone "$UP" 60 || pl_fail "the original did not stop within 6 s"

# 4. The restore: the copy answers as the original did
start_up "$COPY" copy
COPIED=$EP
pl_poll 100 caught_up "$COPIED" || pl_fail "the copy did not catch up with its log within 10 s"
[ "$(on "$COPIED" plenary status --json | jq .last_seq)" = "$S" ] \
    || pl_fail "the restored log does not end at seq $S"
for i in "${!QUERIES[@]}"; do
    on "$COPIED" plenary ${QUERIES[$i]} >"$T/copy.$i" || pl_fail "copy: ${QUERIES[$i]}"
    cmp -s "$T/orig.$i" "$T/copy.$i" \
        || pl_fail "'${QUERIES[$i]}' differs: $(diff "$T/orig.$i" "$T/copy.$i" | head -5)"
done
curl -sf "http://$HTTP/ics/meetings/ccm-msp13.ics" >"$T/copy.ics" || pl_fail "copy feed"
cmp -s "$T/orig.ics" "$T/copy.ics" \
    || pl_fail "the feed differs: $(diff "$T/orig.ics" "$T/copy.ics" | head -5)"
# the load's participants: exactly the original's up to the copied seq
jq --argjson s "$S" '[.[] | select((.id[1:] | tonumber) <= $s)]' "$T/orig.load" >"$T/orig.prefix"
on "$COPIED" plenary participants --meeting load-msp --json >"$T/copy.load" || pl_fail "copy load"
[ "$(jq length "$T/copy.load")" -gt 0 ] || pl_fail "the copy holds none of the load"
jq -S . "$T/orig.prefix" | cmp -s - <(jq -S . "$T/copy.load") \
    || pl_fail "the load's participants differ up to seq $S: $(jq length "$T/orig.prefix") in the original, $(jq length "$T/copy.load") in the copy"
on "$COPIED" plenary check >"$T/check.out" || pl_fail "check on the copy: $(cat "$T/check.out")"
plenary verify --data "$COPY" >"$T/verify.out" || pl_fail "verify of the running copy: $(cat "$T/verify.out")"

# 5. The copy goes on: the whole load again, only the missing events logged,
#    each applied once, as in the original but for the time of logging
PLENARY_ENDPOINT=$COPIED test-publisher --meeting load-msp --count "$LOAD" --prefix ld \
    --acks "$T/acks-copy" 2>"$T/publisher-copy.log" \
    || pl_fail "publisher on the copy: $(tail -3 "$T/publisher-copy.log")"
fresh=$(awk '$3 == 0' "$T/acks-copy" | wc -l)
[ "$fresh" = "$(awk -v s="$S" '$2 > s' "$T/acks" | wc -l)" ] \
    || pl_fail "the copy logged $fresh events anew, the original logged $(awk -v s="$S" '$2 > s' "$T/acks" | wc -l) after seq $S"
PLENARY_ENDPOINT=$COPIED test-publisher --meeting load-msp --count "$LOAD" --prefix ld --verify \
    2>"$T/verify-load.log" || pl_fail "the copy's load: $(tail -3 "$T/verify-load.log")"
on "$COPIED" plenary participants --meeting load-msp --json >"$T/copy.all" || pl_fail "copy all"
jq -S 'map(del(.registered_at))' "$T/orig.load" | cmp -s - <(jq -S 'map(del(.registered_at))' "$T/copy.all") \
    || pl_fail "after the load again the copy's participants differ from the original's"
pl_pass "backup under load (log at $before, copy to $S, load of $LOAD): the copy verified, restored, answers as the original, and goes on"
