#!/usr/bin/env bash
# plenary verify on a live data folder and on backups, whole and damaged on
# purpose; a restore of a system with keys; the usage of backup and verify.
#
# A system with keys (plenary keys init) holds documents whose SHA-256 is
# their text's, a file's given with --sha256, and a text with a page break
# (the SHA-256 is of the file with its form feed, the text stored has a line
# feed): verify passes on the live folder and on a backup, telling the
# three apart.  The backup lists the same keys, and started with plenary
# up serves the operator's key (the broker's key and the allowed keys were
# copied) and refuses a connection without one.  Then each damage on a fresh copy of the backup
# makes verify exit 1 naming it: a byte of a document's stored text flipped
# in the file, the log's last events deleted (the cursors past its end), the
# log's file cut short, a worker's cursor set past the log, an event deleted
# in the middle (a gap), a payload replaced, a page of records.db
# overwritten (--quick too).
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
command -v sqlite3 >/dev/null || pl_fail "sqlite3 is not installed"
unset PLENARY_SMTP
DATA=$PL_TMP/data
BACKUP=$PL_TMP/backup
T=$PL_TMP

# start_up DATA NAME: plenary up on ephemeral ports with PLENARY_CERT's key;
# sets UP and exports PLENARY_ENDPOINT.
start_up () {
    PLENARY_ENDPOINT='tcp://127.0.0.1:*' PLENARY_BACKEND='tcp://127.0.0.1:*' \
        PLENARY_PUB='tcp://127.0.0.1:*' PLENARY_HTTP='127.0.0.1:*' \
        plenary up --data "$1" >"$T/up-$2.out" 2>"$T/up-$2.log" &
    UP=$!
    PL_PIDS="$PL_PIDS $UP"
    pl_poll 100 test -s "$1/plenaryd.ready" || pl_fail "$2: no plenaryd.ready within 10 s"
    PLENARY_ENDPOINT=$(sed -n 's/^frontend=//p' "$1/plenaryd.ready")
    export PLENARY_ENDPOINT
    pl_poll 100 plenary meeting list --json || pl_fail "$2: records did not answer within 10 s"
    pl_poll 100 plenary search --json || pl_fail "$2: the archive did not answer within 10 s"
}

stop_up () {
    kill -TERM "$UP"
    pl_wait_gone "$UP" 60 || pl_fail "plenary up did not stop within 6 s"
}

plenary keys init --data "$DATA" >/dev/null || pl_fail "keys init"
plenary keys new --role secretariat --name operator --data "$DATA" --out "$T/operator.key" \
    >/dev/null || pl_fail "keys new"
export PLENARY_CERT=$T/operator.key
start_up "$DATA" original

plenary meeting add --id ccm-msp13 --convention CCM --kind msp \
    --title "Thirteenth Meeting of States Parties" --venue Geneva --tz Europe/Zurich \
    --start 2025-09-15 --end 2025-09-18 >/dev/null || pl_fail "meeting add"
P=$(plenary register --meeting ccm-msp13 --family-name Łukasiewicz --given-name Zofia \
    --delegation PL --json | jq -r .seq) || pl_fail "register"
plenary register --meeting ccm-msp13 --family-name Dupont --given-name Anne --delegation FR \
    >/dev/null || pl_fail "register 2"
printf 'Draft final report QXROTMARKER of the Thirteenth Meeting\n' >"$T/report.txt"
D1=$(plenary release --symbol CCM/MSP/2025/4 --language en --title "Draft final report" \
    --meeting ccm-msp13 --file "$T/report.txt" --json | jq -r .seq) || pl_fail "release D1"
printf '%%PDF-1.7 not really\n' >"$T/budget.pdf"
printf 'Budget estimates\n' >"$T/budget.txt"
plenary release --symbol CCM/MSP/2025/5 --language en --title "Budget" --meeting ccm-msp13 \
    --file "$T/budget.txt" --sha256 "$(sha256sum "$T/budget.pdf" | cut -c1-64)" >/dev/null \
    || pl_fail "release D2 with the PDF's hash"
printf 'Page one\fPage two\n' >"$T/pages.txt"
plenary release --symbol CCM/MSP/2025/6 --language fr --title "Deux pages" --meeting ccm-msp13 \
    --file "$T/pages.txt" >/dev/null || pl_fail "release D3 with a page break"
S=$(plenary status --json | jq .last_seq)
pl_poll 100 pl_caught_up || pl_fail "the groups did not catch up within 10 s"

# 1. verify on the live folder, then a backup of it
docs_ok='.ok and ([.databases[] | select(.group == "archive")][0].documents
         | .revisions == 3 and .match_sha256 == 1 and .match_log == 2 and .without_text == 0)'
plenary verify --data "$DATA" --json >"$T/live.json" || pl_fail "verify live: $(cat "$T/live.json")"
jq -e "$docs_ok" "$T/live.json" >/dev/null || pl_fail "verify live --json: $(cat "$T/live.json")"
plenary backup --data "$DATA" --to "$BACKUP" >"$T/backup.out" || pl_fail "backup"
grep -q "keys *copied" "$T/backup.out" || pl_fail "keys not copied: $(cat "$T/backup.out")"
cmp -s "$DATA/keys/broker.key" "$BACKUP/keys/broker.key" || pl_fail "the broker's key not copied"
[ "$(stat -c %a "$BACKUP/keys/broker.key")" = 600 ] || pl_fail "the broker's key copy is not 0600"
plenary participants --meeting ccm-msp13 --json >"$T/participants.orig" || pl_fail "participants"
stop_up
plenary verify --data "$BACKUP" >"$T/verify.out" || pl_fail "verify backup: $(cat "$T/verify.out")"
grep -q "^verify: all is well in $BACKUP$" "$T/verify.out" || pl_fail "verify: $(cat "$T/verify.out")"
grep -q "^broker/log.db: integrity ok, $S events, last seq $S, $S payloads checked$" "$T/verify.out" \
    || pl_fail "verify's line on the log: $(cat "$T/verify.out")"

# 2. The backup restored: the broker's key and the allowed keys came along
cp -a "$BACKUP" "$T/restored"
plenary keys list --data "$DATA" --json >"$T/keys.orig" || pl_fail "keys list"
plenary keys list --data "$T/restored" --json | cmp -s - "$T/keys.orig" \
    || pl_fail "the restored copy lists other keys: $(plenary keys list --data "$T/restored")"
jq -e 'length >= 5' "$T/keys.orig" >/dev/null || pl_fail "keys list --json: $(cat "$T/keys.orig")"
start_up "$T/restored" restored
plenary participants --meeting ccm-msp13 --json | cmp -s - "$T/participants.orig" \
    || pl_fail "the restored system lists other participants"
PLENARY_CERT= plenary meeting list >/dev/null 2>&1 && pl_fail "the restored broker took a connection without a key"
stop_up

# 3. Damage, each on a fresh copy of the backup: verify exits 1 and names it
# damaged NAME: a fresh copy of the backup in $T/NAME; sets C.
damaged () { C=$T/$1; rm -rf "$C"; cp -a "$BACKUP" "$C"; }
# expect_problem PATTERN [FLAGS...]: verify of $C exits 1 and prints a line
# matching PATTERN (grep -E).
expect_problem () {
    local pattern=$1; shift
    plenary verify --data "$C" "$@" >"$T/out" 2>&1; local rc=$?
    [ "$rc" = 1 ] || pl_fail "verify of $(basename "$C") exited $rc: $(cat "$T/out")"
    grep -Eq "$pattern" "$T/out" || pl_fail "verify of $(basename "$C") does not say '$pattern': $(cat "$T/out")"
}

# a byte of a stored text flipped in the file, as a failing disk would
damaged flipped
python3 - "$C/archive/archive.db" <<'EOF' || pl_fail "cannot flip a byte"
import sys
path = sys.argv[1]
data = bytearray(open(path, 'rb').read())
at = data.find(b'QXROTMARKER')
assert at > 0 and data.count(b'QXROTMARKER') == 1
data[at] ^= 0x01
open(path, 'wb').write(data)
EOF
expect_problem "^archive/archive.db: document CCM/MSP/2025/4 \(en\) revision 1, released at seq $D1: the stored text \([0-9]+ bytes\) does not match its SHA-256 [0-9a-f]{12}\.\.\., nor is it the text the log released$"
grep -q "^verify: 1 problem in $C$" "$T/out" || pl_fail "more than the flipped text: $(cat "$T/out")"
plenary verify --data "$C" --json | jq -e --argjson seq "$D1" '(.ok | not) and .problem_count == 1
    and .problems[0].what == "document" and .problems[0].file == "archive/archive.db"
    and (.problems[0].message | contains("seq \($seq)"))' >/dev/null || pl_fail "verify --json on the flipped text"

# the log's last three events gone: the workers that applied them are past its end
damaged truncated
sqlite3 "$C/broker/log.db" "DELETE FROM log WHERE seq > $((S - 3))" || pl_fail "sqlite3 on the log"
expect_problem "^archive/archive.db: the cursor is at seq $S, past the log's last seq $((S - 3)): this database holds events the log does not$"
grep -Eq "^broker/log.db: the broker's cursor of group archive is at seq [0-9]+, past the log's last seq $((S - 3))$" \
    "$T/out" || pl_fail "the broker's own cursor past the log: $(cat "$T/out")"

# the log's file cut short
damaged cut
truncate -s $(( $(stat -c %s "$C/broker/log.db") / 2 )) "$C/broker/log.db"
expect_problem "^broker/log.db: "

# a worker's cursor set past the log
damaged ahead
sqlite3 "$C/calendar/calendar.db" "UPDATE pl_cursor SET seq = $((S + 100))" || pl_fail "sqlite3 on the calendar"
expect_problem "^calendar/calendar.db: the cursor is at seq $((S + 100)), past the log's last seq $S: "
grep -q "^verify: 1 problem in $C$" "$T/out" || pl_fail "more than the calendar's cursor: $(cat "$T/out")"

# an event gone from the middle of the log, and a payload replaced by another
damaged gap
sqlite3 "$C/broker/log.db" "DELETE FROM log WHERE seq = $P;
    UPDATE log SET payload = X'81a36e6f7401' WHERE seq = 1" || pl_fail "sqlite3 on the log"
expect_problem "^broker/log.db: seq $P is missing$"
grep -Eq "^broker/log.db: seq 1: meeting.scheduled: .+" "$T/out" \
    || pl_fail "the replaced payload is not named: $(cat "$T/out")"

# a page of the records' database overwritten: the participants' table's first
damaged page
page=$(sqlite3 "$C/records/records.db" "SELECT rootpage FROM sqlite_schema WHERE name = 'participant'")
python3 - "$C/records/records.db" "$page" <<'EOF' || pl_fail "cannot overwrite a page"
import sys
path, page = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, 'rb').read())
size = int.from_bytes(data[16:18], 'big') or 65536
data[(page - 1) * size:page * size] = b'\x5a' * size
open(path, 'wb').write(data)
EOF
expect_problem "^records/records.db: (damaged|cannot be checked|the cursor cannot be read)"
expect_problem "^records/records.db: (damaged|cannot be checked|the cursor cannot be read)" --quick

# 4. Usage and refusals
plenary backup >/dev/null 2>&1; [ $? = 2 ] || pl_fail "backup without --to did not exit 2"
plenary verify --bogus >/dev/null 2>&1; [ $? = 2 ] || pl_fail "verify --bogus did not exit 2"
plenary backup --data "$DATA" --to "$BACKUP" 2>"$T/err"; [ $? = 1 ] \
    && grep -q "exists and is not an empty folder" "$T/err" || pl_fail "backup over a backup: $(cat "$T/err")"
mkdir "$T/empty"
plenary backup --data "$DATA" --to "$T/empty" >/dev/null || pl_fail "backup into an empty folder"
[ -s "$T/empty/broker/log.db" ] || pl_fail "nothing in the empty folder after backup"
mkdir "$T/again.partial"
plenary backup --data "$DATA" --to "$T/again" 2>"$T/err"; [ $? = 1 ] \
    && grep -q "remains of an interrupted backup" "$T/err" || pl_fail "backup beside a .partial: $(cat "$T/err")"
plenary backup --data "$T/nowhere" --to "$T/x" 2>"$T/err"; [ $? = 1 ] \
    && grep -q "no log at $T/nowhere/broker/log.db" "$T/err" || pl_fail "backup of no data: $(cat "$T/err")"
[ -e "$T/x" ] && pl_fail "a failed backup left $T/x"
plenary verify --data "$T/nowhere" >"$T/out" 2>&1; [ $? = 1 ] || pl_fail "verify of no data: $(cat "$T/out")"
plenary backup --help | grep -q "the log last" || pl_fail "backup --help does not give the order"
pl_pass "verify names each damage; a backup with keys restores and serves the same keys"
