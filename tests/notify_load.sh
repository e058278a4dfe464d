#!/usr/bin/env bash
# plenary-notify under load: a spreadsheet of PL_NOTIFY_LOAD (6,000)
# registrations to one delegation of one meeting, published as fast as the
# CLI packs them, each a message to the participant and one to the
# delegation's focal point.  The worker keeps up without ever being
# declared dead by the broker (a batch that held its loop past the
# liveness did, when each registration read the whole meeting to find the
# focal points), the sender never finds the database locked, and every
# message reaches the relay exactly once: as many arrivals as messages, as
# many distinct Message-IDs, the outbox empty, nothing failed.  The relay
# logs arrivals only (tests/notify_smtpd.py --no-files --log); every wait
# is a bounded poll.
. "$(dirname "$0")/harness.sh"
: "${PL_SOURCE:?PL_SOURCE must name the source folder}"
DATA=$PL_TMP/data
COUNT=${PL_NOTIFY_LOAD:-6000}
ARRIVALS=$PL_TMP/arrivals
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null \
    || pl_fail "python3-aiosmtpd is needed (scripts/build.sh installs it)"

pl_system "$DATA"
pl_start_smtpd "$PL_TMP/mail" --no-files --log "$ARRIVALS"
touch "$ARRIVALS"
pl_start_notify "$DATA" --rate 10000
pl_poll 100 sh -c "plenary status --json | jq -e '[.groups[] | select(.group == \"notify\" and .workers > 0)] | length == 1'" \
    || pl_fail "the notify worker did not join"
plenary meeting add --id ccm-msp13 --convention CCM --kind msp --title "Meeting" --venue Geneva \
    --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18 >/dev/null || pl_fail "meeting"
plenary register --meeting ccm-msp13 --family-name Focal --delegation FR --focal-point \
    --email focal@example.org >/dev/null || pl_fail "the focal point"

awk -v n="$COUNT" 'BEGIN { print "family_name,delegation,email";
    for (i = 1; i <= n; i++) printf "Person%d,FR,person%d@example.org\n", i, i }' \
    >"$PL_TMP/people.csv"
plenary register --meeting ccm-msp13 --csv "$PL_TMP/people.csv" --json >"$PL_TMP/import.json" \
    || pl_fail "the import: $(head -c 300 "$PL_TMP/import.json")"
# each row registered once, pending its focal point's approval (a row the
# CLI published again after a slow acknowledgement reads as a duplicate of
# its first, already registered)
jq -e --argjson n "$COUNT" '.rows == $n and .rejected == 0 and .accepted == 0' \
    "$PL_TMP/import.json" >/dev/null \
    || pl_fail "expected $COUNT registrations pending the focal point: $(jq -c 'del(.items)' "$PL_TMP/import.json")"
[ "$(plenary participants --meeting ccm-msp13 --json | jq length)" -eq $((COUNT + 1)) ] \
    || pl_fail "records does not hold the focal point and the $COUNT registrations"

# the focal point's own confirmation, then two per registration
EXPECTED=$((1 + 2 * COUNT))
arrived () { [ "$(wc -l <"$ARRIVALS")" -ge "$EXPECTED" ]; }
pl_poll 1800 arrived \
    || pl_fail "expected $EXPECTED messages within 3 min, the relay has $(wc -l <"$ARRIVALS"): $(plenary notify status)"
pl_poll 100 pl_caught_up || pl_fail "the notify group did not acknowledge the log: $(plenary status)"
plenary notify status --json >"$PL_TMP/status.json" || pl_fail "notify status"
jq -e --argjson n "$EXPECTED" '.queued == 0 and .failed == 0 and .sent == $n' "$PL_TMP/status.json" \
    >/dev/null || pl_fail "the outbox is not $EXPECTED sent: $(cat "$PL_TMP/status.json")"

# exactly once: every arrival a distinct Message-ID, one per message
LINES=$(wc -l <"$ARRIVALS")
IDS=$(cut -f2 "$ARRIVALS" | sort -u | wc -l)
APPROVALS=$(cut -f2 "$ARRIVALS" | grep -c '\.focal-point-approval\.')
[ "$LINES" -eq "$EXPECTED" ] && [ "$IDS" -eq "$EXPECTED" ] && [ "$APPROVALS" -eq "$COUNT" ] \
    || pl_fail "expected $EXPECTED messages once each ($COUNT to the focal point): $LINES arrived, $IDS distinct, $APPROVALS approvals"

# never declared dead, never locked out, never reconnected
! grep -E "worker dead group=notify|ack timeout group=notify" "$PL_TMP/broker.log" \
    || pl_fail "the broker declared the notify worker dead"
! grep -E "broker silent|reconnecting group=notify|database is locked|cannot read or write the outbox" \
    "$PL_TMP/notify.log" || pl_fail "the notify worker lost the broker or its database"
pl_pass "$COUNT registrations: $EXPECTED messages, each once; the worker never declared dead"
