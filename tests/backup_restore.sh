#!/usr/bin/env bash
# plenary backup under load, and the restore (plenary up --data COPY).
#
# A system (plenary up: broker, records, calendar, archive, notify on a real
# SMTP server, gateway) holds a meeting with sessions, delegations,
# participants (one changed), credentials, a list of speakers, a statement,
# documents, a private calendar feed and a subscriber; a
# publisher registers participants to a second meeting at a steady rate,
# and plenary backup runs while it does (the publisher is still running
# when the backup ends, and the copied log holds events logged after the
# backup began).  The copy: every worker's cursor at or below the copied
# log's last seq (read with sqlite3, not with verify), files 0600 and
# folders 0700, plenary verify content.  Then the original is read (its
# answers kept), stopped, and the copy started: it answers every query as
# the original did: the JSON answer of every list and query command of the
# CLI (and the CSV and HTML lists), the notify worker's outbox, the feeds
# over HTTP (the private one too), the load's participants up to the copied
# seq; plenary check agrees, plenary verify passes while it runs; the
# publisher then sends the whole load again to the copy, which logs only
# the events it lacked and applies each exactly once.  Last, a worker's
# database copied behind the log's record of it: the backup lowers that
# record, and the restored plenary-notify sends those events' mail.
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
command -v sqlite3 >/dev/null || pl_fail "sqlite3 is not installed"
: "${PL_SOURCE:?PL_SOURCE must name the source folder}"
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null \
    || pl_fail "python3-aiosmtpd is needed (scripts/build.sh installs it)"
unset PLENARY_CERT
# feeds name their address: the same for the original and the copy
export PLENARY_PUBLIC_URL=https://plenary.example.org
DATA=$PL_TMP/data
COPY=$PL_TMP/copy
T=$PL_TMP
LOAD=${PL_LOAD:-4000}           # registrations, at RATE a second
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

# plenary up starts plenary-notify too: its database is copied and restored
pl_start_smtpd "$T/mail"
export PLENARY_SMTP=smtp://127.0.0.1:$SMTP_PORT PLENARY_MAIL_FROM=isu@ccm.example.org
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
for who in "PL state-party" "CN state-party" "RU not-party" "FR state-party"; do
    set -- $who
    on "$ORIG" plenary delegation set --convention CCM --code "$1" --status "$2" >/dev/null \
        || pl_fail "delegation set $1"
done
for who in "Łukasiewicz Zofia PL" "王 芳 CN" "Дмитриев Иван RU"; do
    set -- $who
    on "$ORIG" plenary register --meeting ccm-msp13 --family-name "$1" --given-name "$2" \
        --delegation "$3" --function head >/dev/null || pl_fail "register $1"
done
P=$(on "$ORIG" plenary register --meeting ccm-msp13 --family-name Dupont --given-name Marie \
    --delegation FR --email marie@example.fr --language fr --json | jq -r .id) \
    || pl_fail "register with an e-mail address"
on "$ORIG" plenary participant update "$P" --meeting ccm-msp13 --function head \
    --reason "head of delegation" >/dev/null || pl_fail "participant update"
on "$ORIG" plenary credentials submit --meeting ccm-msp13 --delegation PL --form original \
    --received 2025-09-10 --issued-by foreign-minister >/dev/null || pl_fail "credentials submit"
on "$ORIG" plenary speakers inscribe --meeting ccm-msp13 --item 8 --delegation CN \
    --at 2025-09-15T15:05:00+02:00 >/dev/null || pl_fail "speakers inscribe"
on "$ORIG" plenary subscribe --email watcher@example.org --meeting ccm-msp13 >/dev/null \
    || pl_fail "subscribe"
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
PRIVATE=$(on "$ORIG" plenary calendar url --participant "$P" --json | jq -r .url) \
    || pl_fail "calendar url --participant"
pl_poll 100 caught_up "$ORIG" || pl_fail "the original did not catch up within 10 s"
# the outbox sent (Marie's registration; the subscriber waits for the batch)
sent () { on "$ORIG" plenary notify status --json | jq -e '.queued == 0 and .sent >= 1'; }
pl_poll 100 sent || pl_fail "notify did not send within 10 s: $(on "$ORIG" plenary notify status)"

# 2. The backup, under load
PLENARY_ENDPOINT=$ORIG test-publisher --meeting load-msp --count "$LOAD" --rate "$RATE" \
    --prefix ld --acks "$T/acks" 2>"$T/publisher.log" &
PUB=$!
PL_PIDS="$PL_PIDS $PUB"
flowing () { [ "$(wc -l <"$T/acks" 2>/dev/null || echo 0)" -ge 200 ]; }
pl_poll 100 flowing || pl_fail "fewer than 200 events acknowledged within 10 s"
# A backup quicker than the gap between two of the load's events saw no
# event arrive: it is taken again (five times at most), since what is
# tested is a copy made while events arrive
for attempt in 1 2 3 4 5; do
    rm -rf "$COPY"
    before=$(on "$ORIG" plenary status --json | jq .last_seq)
    on "$ORIG" plenary backup --data "$DATA" --to "$COPY" --json >"$T/backup.json" \
        2>"$T/backup.err" || pl_fail "backup exited $?: $(cat "$T/backup.err")"
    kill -0 "$PUB" 2>/dev/null || pl_fail "the load ended before the backup did: not under load"
    S=$(jq .last_seq "$T/backup.json")
    [ "$S" -gt "$before" ] && break
done
[ "$S" -gt "$before" ] \
    || pl_fail "the copied log ends at seq $S, the log was at $before when the backup began (5 tries)"
echo "backup under load: the log was at seq $before, the copy's ends at seq $S" \
     "($(jq '[.databases[].bytes] | add' "$T/backup.json") bytes in $(jq .ms "$T/backup.json") ms)"

# the copy: the log copied last, so no worker is past its end
[ "$(jq -r '[.databases[].file] | join(" ")' "$T/backup.json")" \
    = "archive/archive.db calendar/calendar.db notify/notify.db records/records.db broker/log.db" ] \
    || pl_fail "copied in this order: $(jq -c '[.databases[].file]' "$T/backup.json")"
[ "$(sqlite3 "$COPY/broker/log.db" "SELECT max(seq) FROM log")" = "$S" ] \
    || pl_fail "the copy's log does not end at seq $S"
for group in records calendar archive notify; do
    cursor=$(sqlite3 "$COPY/$group/$group.db" "SELECT seq FROM pl_cursor") \
        || pl_fail "no cursor in the copy of $group"
    [ "$cursor" -gt 0 ] && [ "$cursor" -le "$S" ] \
        || pl_fail "$group's copied cursor $cursor is not within the copied log (1..$S)"
    jq -e --arg g "$group" --argjson c "$cursor" \
        '.databases[] | select(.group == $g) | .cursor == $c and .log_cursor > 0' \
        "$T/backup.json" >/dev/null \
        || pl_fail "backup --json gives $group's cursor other than $cursor: $(cat "$T/backup.json")"
    # the copied log's record of the group is not past the group's copy
    logged=$(sqlite3 "$COPY/broker/log.db" "SELECT acked_through FROM cursor WHERE grp = '$group'")
    [ "$logged" -le "$cursor" ] \
        || pl_fail "the copied log has $group at seq $logged, past its copy's cursor $cursor"
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
            | .revisions == 2 and .match_sha256 == 2 and .match_log == 0)' "$T/verify.json" \
    >/dev/null || pl_fail "verify --json: $(cat "$T/verify.json")"

# --no-secrets: the databases without the private folders
on "$ORIG" plenary backup --data "$DATA" --to "$T/nosecrets" --no-secrets --json \
    >"$T/nosecrets.json" || pl_fail "backup --no-secrets"
[ -e "$T/nosecrets/secrets" ] && pl_fail "--no-secrets copied DATA/secrets"
[ -s "$T/nosecrets/broker/log.db" ] || pl_fail "--no-secrets copied no log"
jq -e '(.secrets | not) and .consistent' "$T/nosecrets.json" >/dev/null \
    || pl_fail "--no-secrets --json: $(cat "$T/nosecrets.json")"

wait "$PUB" || pl_fail "publisher: $(tail -3 "$T/publisher.log")"
# plenary-notify queues a message per registration of the load and lags
# behind the others: a bounded wait of 2 minutes
pl_poll 1200 caught_up "$ORIG" \
    || pl_fail "the original did not catch up with the load within 2 min: $(on "$ORIG" plenary status)"

# 3. What the original answers, kept; then it stops
# every list and query command of the CLI, with --json (the CSV and HTML
# lists too); they must answer the copy byte for byte
QUERIES=(
    "meeting list --json"
    "meeting list --convention CCM --json"
    "meeting show ccm-msp13 --json"
    "session list --meeting ccm-msp13 --json"
    "convention list --json"
    "delegation list --convention CCM --json"
    "delegation list --meeting ccm-msp13 --json"
    "participants --meeting ccm-msp13 --json"
    "participants --meeting ccm-msp13 --csv"
    "participants --meeting ccm-msp13 --html"
    "participant history $P --meeting ccm-msp13 --json"
    "credentials report --meeting ccm-msp13 --json"
    "statements --meeting ccm-msp13 --json"
    "speakers --meeting ccm-msp13 --item 8 --json"
    "stats --meeting ccm-msp13 --json"
    "doc CCM/MSP/2025/1 --json"
    "doc CCM/MSP/2025/1 --language zh --json"
    "search --json"
    "search budget --json"
    "search 预算 --language zh --json"
    "search France --kind statement --json"
    "dlq --json"
)
# What legitimately differs: the load meeting's participant count in the
# lists of meetings (the original took the whole load, the copy what the
# copied log held; the load is compared below, up to the copied seq)
declare -A LEGIT=(
    ["meeting list --json"]='map(if .id == "load-msp" then del(.participants) else . end)'
    ["meeting list --convention CCM --json"]='map(if .id == "load-msp" then del(.participants) else . end)'
)
# answer EP I: the answer of QUERIES[I] at EP, less what legitimately differs
answer () {
    local query=${QUERIES[$2]}
    if [ -n "${LEGIT[$query]:-}" ]; then
        on "$1" plenary $query | jq "${LEGIT[$query]}"
    else
        on "$1" plenary $query
    fi
}
# the feeds over HTTP: a meeting's, a convention's, everything, a person's
FEEDS=(/ics/meetings/ccm-msp13.ics /ics/conventions/CCM.ics /ics/all.ics "${PRIVATE#*://*/}")
# notify status without what moves with time rather than with the log: how
# many messages the sender has sent so far (at its rate, 10 a second, the
# load's are still queued), the oldest one's age, the relay's state.  The
# copy sends again what the original sent after the backup (with the same
# Message-ID); what it holds to send is compared below, message by message.
NOTIFY='del(.relay_state, .queued, .sent, .oldest_queued_ms)'
# outbox DATA: the messages of the events up to the copied seq, read-only
outbox () {
    sqlite3 "file:$1/notify/notify.db?mode=ro" "SELECT message_id, seq, kind, recipient,
        address, language, params FROM outbox WHERE seq <= $S ORDER BY message_id"
}
for i in "${!QUERIES[@]}"; do
    answer "$ORIG" "$i" >"$T/orig.$i" || pl_fail "original: ${QUERIES[$i]}"
done
for i in "${!FEEDS[@]}"; do
    curl -sf "http://$ORIG_HTTP/${FEEDS[$i]#/}" >"$T/orig.ics.$i" || pl_fail "original feed ${FEEDS[$i]}"
done
grep -q "UID:session/ccm-msp13/day1-pm@" "$T/orig.ics.0" || pl_fail "the original feed lacks day1-pm"
grep -q "Thirteenth Meeting" "$T/orig.ics.3" || pl_fail "the private feed lacks the meeting"
on "$ORIG" plenary notify status --json | jq -S "$NOTIFY" >"$T/orig.notify" || pl_fail "original notify"
on "$ORIG" plenary participants --meeting load-msp --json >"$T/orig.load" || pl_fail "original load"
kill -TERM "$UP"
pl_wait_gone "$UP" 60 || pl_fail "the original did not stop within 6 s"
outbox "$DATA" >"$T/orig.outbox" || pl_fail "cannot read the original's outbox"
[ "$(sqlite3 "file:$DATA/notify/notify.db?mode=ro" "SELECT count (*) FROM outbox
      WHERE seq <= $S AND recipient LIKE 'ld.%'")" -gt 0 ] \
    || pl_fail "the original's outbox holds none of the load's messages up to seq $S"

# 4. The restore: the copy answers as the original did
start_up "$COPY" copy
COPIED=$EP
pl_poll 1200 caught_up "$COPIED" \
    || pl_fail "the copy did not catch up with its log within 2 min: $(on "$COPIED" plenary status)"
[ "$(on "$COPIED" plenary status --json | jq .last_seq)" = "$S" ] \
    || pl_fail "the restored log does not end at seq $S"
for i in "${!QUERIES[@]}"; do
    answer "$COPIED" "$i" >"$T/copy.$i" || pl_fail "copy: ${QUERIES[$i]}"
    cmp -s "$T/orig.$i" "$T/copy.$i" \
        || pl_fail "'${QUERIES[$i]}' differs: $(diff "$T/orig.$i" "$T/copy.$i" | head -5)"
done
for i in "${!FEEDS[@]}"; do
    curl -sf "http://$HTTP/${FEEDS[$i]#/}" >"$T/copy.ics.$i" || pl_fail "copy feed ${FEEDS[$i]}"
    cmp -s "$T/orig.ics.$i" "$T/copy.ics.$i" \
        || pl_fail "the feed ${FEEDS[$i]} differs: $(diff "$T/orig.ics.$i" "$T/copy.ics.$i" | head -5)"
done
on "$COPIED" plenary notify status --json | jq -S "$NOTIFY" | cmp -s - "$T/orig.notify" \
    || pl_fail "notify status differs: $(on "$COPIED" plenary notify status --json | jq -S "$NOTIFY" | diff "$T/orig.notify" - | head -5)"
outbox "$COPY" | cmp -s - "$T/orig.outbox" \
    || pl_fail "the copy's outbox up to seq $S differs: $(outbox "$COPY" | diff "$T/orig.outbox" - | head -5)"
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
# (counted by seq, not by the acks' duplicate flag: a publisher that timed
# out and sent an event again gets "duplicate" for one logged anew)
fresh=$(awk -v s="$S" '$2 > s' "$T/acks-copy" | wc -l)
[ "$fresh" = "$(awk -v s="$S" '$2 > s' "$T/acks" | wc -l)" ] \
    || pl_fail "the copy logged $fresh events anew, the original logged $(awk -v s="$S" '$2 > s' "$T/acks" | wc -l) after seq $S"
[ "$(awk -v s="$S" '$2 <= s && $3 != 1' "$T/acks-copy" | wc -l)" = 0 ] \
    || pl_fail "events the copy held were logged again: $(awk -v s="$S" '$2 <= s && $3 != 1' "$T/acks-copy" | head -3)"
[ "$(on "$COPIED" plenary status --json | jq .last_seq)" = "$((S + fresh))" ] \
    || pl_fail "the copy's log does not end at seq $((S + fresh))"
PLENARY_ENDPOINT=$COPIED test-publisher --meeting load-msp --count "$LOAD" --prefix ld --verify \
    2>"$T/verify-load.log" || pl_fail "the copy's load: $(tail -3 "$T/verify-load.log")"
on "$COPIED" plenary participants --meeting load-msp --json >"$T/copy.all" || pl_fail "copy all"
jq -S 'map(del(.registered_at))' "$T/orig.load" | cmp -s - <(jq -S 'map(del(.registered_at))' "$T/copy.all") \
    || pl_fail "after the load again the copy's participants differ from the original's"
kill -TERM "$UP"
pl_wait_gone "$UP" 60 || pl_fail "the copy did not stop within 6 s"

# 6. A worker copied behind what the copied log says it acknowledged (it
#    went on between its copy and the log's): the backup lowers the log's
#    cursor to the worker's, so that the restored worker gets those events
#    as new ones.  As replays, plenary-notify would record their mail
#    without sending it.  The folder: the original's, stopped, with the
#    notify database as it was K events earlier (its messages and
#    participants of those events deleted, its cursor moved back).
K=5
cp -a "$DATA" "$T/behind"
C=$(sqlite3 "$T/behind/notify/notify.db" "SELECT seq FROM pl_cursor")
sqlite3 "$T/behind/notify/notify.db" "DELETE FROM outbox WHERE seq > $((C - K));
    DELETE FROM participant WHERE seq > $((C - K)); UPDATE pl_cursor SET seq = $((C - K))" \
    || pl_fail "sqlite3 on the notify database"
[ "$(sqlite3 "$T/behind/broker/log.db" "SELECT acked_through FROM cursor WHERE grp = 'notify'")" = "$C" ] \
    || pl_fail "the stopped original's log does not hold notify's cursor at seq $C"
plenary backup --data "$T/behind" --to "$T/behind-copy" --json >"$T/behind.json" \
    || pl_fail "backup of the folder behind: $(cat "$T/behind.json")"
jq -e --argjson c "$C" --argjson k "$K" '.databases[] | select(.group == "notify")
    | .log_cursor == $c and .cursor == $c - $k' "$T/behind.json" >/dev/null \
    || pl_fail "backup --json of notify: $(cat "$T/behind.json")"
[ "$(sqlite3 "$T/behind-copy/broker/log.db" "SELECT acked_through FROM cursor WHERE grp = 'notify'")" \
  = "$((C - K))" ] || pl_fail "the copied log's cursor of notify was not lowered to $((C - K))"
[ "$(sqlite3 "$T/behind-copy/broker/log.db" "SELECT acked_through FROM cursor WHERE grp = 'records'")" \
  = "$(sqlite3 "$T/behind-copy/records/records.db" "SELECT seq FROM pl_cursor")" ] \
    || pl_fail "the copied log's cursor of records moved"
start_up "$T/behind-copy" behind
pl_poll 300 caught_up "$EP" || pl_fail "the copy behind did not catch up within 30 s"
sqlite3 "file:$T/behind-copy/notify/notify.db?mode=ro" "SELECT message_id, state FROM outbox
    WHERE seq > $((C - K)) ORDER BY message_id" >"$T/behind.outbox"
[ "$(grep -c . "$T/behind.outbox")" = "$K" ] && ! grep -q '|replayed$' "$T/behind.outbox" \
    || pl_fail "the restored notify recorded the $K events' mail as: $(cat "$T/behind.outbox")"
cut -d'|' -f1 "$T/behind.outbox" | cmp -s - <(sqlite3 "file:$DATA/notify/notify.db?mode=ro" \
    "SELECT message_id FROM outbox WHERE seq > $((C - K)) ORDER BY message_id") \
    || pl_fail "the restored notify's messages of the $K events are not the original's"

pl_pass "backup under load (log at $before, copy to $S, load of $LOAD): the copy verified, restored, answers as the original, and goes on"
