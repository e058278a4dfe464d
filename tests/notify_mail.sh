#!/usr/bin/env bash
# plenary-notify end to end, with a real SMTP server (Debian's aiosmtpd,
# tests/notify_smtpd.py) on an ephemeral port and python3's e-mail parser
# and python3-icalendar reading what it received (tests/notify_check.py):
#   - registrations: the participant told (received, or pending when the
#     delegation has a focal point) in their language, the focal point asked,
#     no other person's address in any message; approval and rejection;
#   - the private calendar address in the message opens the person's feed at
#     the gateway (the token stored nowhere: the calendar keeps its hash);
#   - a session moved, then cancelled: iTIP REQUEST and CANCEL whose UID and
#     SEQUENCE are the meeting feed's, read by python3-icalendar;
#   - subscribers: one message for several releases, restricted ones left
#     out, List-Unsubscribe (one click, RFC 8058) posted to the gateway, then
#     nothing more to that address;
#   - a 5xx recorded and shown by plenary notify status and plenary status;
#   - a registration records refuses makes no message;
#   - a rebuild of the notify database from seq 0 sends nothing again;
#   - a template with an unknown placeholder keeps the worker from starting.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
: "${PL_SOURCE:?PL_SOURCE must name the source folder}"
DATA=$PL_TMP/data
MAIL=$PL_TMP/mail
CHECK="/usr/bin/python3 $PL_SOURCE/tests/notify_check.py"
/usr/bin/python3 -c 'import aiosmtpd, icalendar' 2>/dev/null \
    || pl_fail "python3-aiosmtpd and python3-icalendar are needed (scripts/build.sh installs them)"

pl_system "$DATA"
pl_start_calendar "$DATA"
pl_start_archive "$DATA"
plenary-gateway --data "$DATA" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
    >>"$PL_TMP/gateway.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$DATA/gateway.ready" || pl_fail "gateway wrote no gateway.ready"
BASE=http://$(sed -n 's/^http=//p' "$DATA/gateway.ready")
pl_start_smtpd "$MAIL" --refuse nobody@example.invalid
pl_start_notify "$DATA" --batch 1 --rate 100 --public-url "$BASE"
groups () { plenary status --json | jq -e '[.groups[] | select(.workers > 0)] | length == 4'; }
pl_poll 100 groups || pl_fail "the four worker groups did not join: $(plenary status)"

# messages NAME: every message received, as JSON lines, into $PL_TMP/NAME.json
messages () { $CHECK "$MAIL" >"$PL_TMP/$1.json" || pl_fail "a message does not parse"; }
# wait_mails N: until the server holds N messages and the outbox is empty
wait_mails () {
    pl_poll 150 sh -c "[ \$(find '$MAIL' -name '*.eml' | wc -l) -ge $1 ]" \
        || pl_fail "expected $1 messages, the server has $(pl_mails "$MAIL"): $(plenary notify status)"
    pl_poll 100 sh -c "plenary notify status --json | jq -e '.queued == 0'" \
        || pl_fail "the outbox did not empty: $(plenary notify status)"
    [ "$(pl_mails "$MAIL")" -eq "$1" ] \
        || pl_fail "expected exactly $1 messages, the server has $(pl_mails "$MAIL")"
}
# one FILE FILTER: the one message of FILE that jq FILTER selects
one () {
    local found
    found=$(jq -c "select($2)" "$PL_TMP/$1.json")
    [ "$(printf '%s' "$found" | grep -c .)" -eq 1 ] || pl_fail "not one message of $1 matches $2: $found"
    printf '%s\n' "$found"
}

# A template the secretariat edited with a placeholder its kind does not
# take: the worker refuses to start, naming the file, the line and the
# placeholder (exit 2), rather than send a broken mail later
cp -r "$PL_SOURCE/workers/notify/templates" "$PL_TMP/edited"
sed -i '3s/$/ {{nmae}}/' "$PL_TMP/edited/registration-received.fr.txt"
plenary-notify --data "$PL_TMP/edited-data" --smtp "smtp://127.0.0.1:$SMTP_PORT" \
    --from isu@ccm.example.org --templates "$PL_TMP/edited" >"$PL_TMP/edited.out" 2>&1; rc=$?
[ "$rc" = 2 ] && grep -q "registration-received.fr.txt:3: unknown placeholder {{nmae}}" \
    "$PL_TMP/edited.out" || pl_fail "a bad template started the worker ($rc): $(cat "$PL_TMP/edited.out")"
pl_pass "a template with an unknown placeholder is refused at start"

plenary meeting add --id ccm-msp13 --convention CCM --kind msp \
    --title "Thirteenth Meeting of States Parties" --venue Geneva --tz Europe/Zurich \
    --start 2030-09-15 --end 2030-09-18 >/dev/null || pl_fail "meeting add"
plenary session add --meeting ccm-msp13 --id day1-am --title "Opening plenary" \
    --start 2030-09-15T10:00 --end 2030-09-15T13:00 --room "Room XIX" >/dev/null \
    || pl_fail "session add"
plenary register --meeting ccm-msp13 --family-name Martin --given-name Claire --delegation FR \
    --email claire@example.fr --focal-point >/dev/null || pl_fail "focal point"
plenary register --meeting ccm-msp13 --family-name Dupont --given-name Marie --delegation FR \
    --email marie@example.fr --language fr >/dev/null || pl_fail "member"
plenary register --meeting ccm-msp13 --family-name 王 --given-name 芳 --delegation CN \
    --email wang@example.cn --language zh >/dev/null || pl_fail "zh"
plenary register --meeting ccm-msp13 --family-name Haddad --given-name Leila --delegation JO \
    --email leila@example.jo --language ar >/dev/null || pl_fail "ar"
wait_mails 5
messages registered
one registered '.envelope_to == "claire@example.fr" and (.subject | startswith("Registration received"))' >/dev/null
PENDING=$(one registered '.envelope_to == "marie@example.fr"')
echo "$PENDING" | jq -e '.language == "fr" and (.subject | startswith("Inscription en attente d'"'"'approbation"))
                         and (.text | contains("Claire Martin"))
                         and (.types == ["text/plain", "text/html"])
                         and .list_unsubscribe == null and .auto_submitted == "auto-generated"' >/dev/null \
    || pl_fail "the pending member's message in French: $PENDING"
one registered '.envelope_to == "claire@example.fr" and (.subject | contains("awaits your approval"))
                and (.text | contains("Marie Dupont")) and (.text | contains("marie@") | not)' >/dev/null
one registered '.envelope_to == "wang@example.cn" and .language == "zh" and (.subject | startswith("已收到登记"))' >/dev/null
one registered '.envelope_to == "leila@example.jo" and .language == "ar" and (.html | contains("dir=\"rtl\""))' >/dev/null
# Nobody's message holds another person's address
jq -r '[.envelope_to, (.text + .html)] | @tsv' "$PL_TMP/registered.json" | while IFS=$'\t' read -r to body; do
    for other in claire@example.fr marie@example.fr wang@example.cn leila@example.jo; do
        [ "$other" = "$to" ] || ! printf '%s' "$body" | grep -q "$other" \
            || pl_fail "the message to $to names $other"
    done
done || exit 1
# Message-IDs: the event's seq, the kind and the recipient
jq -r '.message_id' "$PL_TMP/registered.json" | grep -qx '<4\.registration-pending\.[0-9a-f]\{16\}@ccm\.example\.org>' \
    || pl_fail "Message-ID of seq 4: $(jq -r .message_id "$PL_TMP/registered.json")"
pl_pass "registrations: the participant in their language, the focal point asked, no other address"

# The private calendar address opens the person's feed; nothing was issued
FEED_URL=$(echo "$PENDING" | jq -r '.text' | grep -o "$BASE/ics/p/[0-9a-f]*\.ics")
[ -n "$FEED_URL" ] || pl_fail "no private calendar address in: $(echo "$PENDING" | jq -r .text)"
curl -sf "$FEED_URL" -o "$PL_TMP/private.ics" || pl_fail "the mailed address does not open: $FEED_URL"
grep -q "UID:meeting/ccm-msp13@plenary" "$PL_TMP/private.ics" || pl_fail "the private feed lacks the meeting"
TOKEN=${FEED_URL##*/ics/p/}
TOKEN=${TOKEN%.ics}
! grep -rqa "$TOKEN" "$DATA" || pl_fail "the token is stored somewhere under $DATA"
pl_pass "the mailed private feed address opens the feed; the token is stored nowhere"

# A session moves, then is cancelled: iTIP with the feed's UID and SEQUENCE
plenary participant reject p4 --meeting ccm-msp13 --reason "not accredited" >/dev/null \
    || pl_fail "reject"
plenary session move day1-am --meeting ccm-msp13 --start 2030-09-15T15:00 --end 2030-09-15T18:00 \
    --reason "Opening delayed" >/dev/null || pl_fail "move"
wait_mails 9
curl -sf "$BASE/ics/meetings/ccm-msp13.ics" -o "$PL_TMP/feed.ics" || pl_fail "meeting feed"
SEQ=$($CHECK --feed "$PL_TMP/feed.ics" session/ccm-msp13/day1-am@plenary)
messages moved
MOVED=$(one moved '.envelope_to == "claire@example.fr" and .itip != null')
echo "$MOVED" | jq -e --argjson seq "$SEQ" '.itip.method == "REQUEST" and .itip.content_method == "REQUEST"
        and .itip.uid == "session/ccm-msp13/day1-am@plenary" and .itip.sequence == $seq and $seq == 1
        and .itip.tzid == "Europe/Zurich" and (.itip.dtstart | startswith("2030-09-15T15:00:00+02:00"))
        and .itip.organizer == "mailto:isu@ccm.example.org" and .itip.attendee == "mailto:claire@example.fr"
        and (.list_unsubscribe | startswith("<'"$BASE"'/unsubscribe/"))
        and .list_unsubscribe_post == "List-Unsubscribe=One-Click"
        and (.types == ["text/plain", "text/html", "text/calendar"])' >/dev/null \
    || pl_fail "the move's iTIP (feed SEQUENCE $SEQ): $MOVED"
one moved '.envelope_to == "marie@example.fr" and (.subject | startswith("Inscription non acceptée"))' >/dev/null
[ "$(jq -c 'select(.itip != null)' "$PL_TMP/moved.json" | wc -l)" -eq 3 ] \
    || pl_fail "the move goes to the three registrations that stand, not the rejected one"
plenary session cancel day1-am --meeting ccm-msp13 >/dev/null || pl_fail "cancel"
wait_mails 12
# The gateway holds the feed it served until the calendar's verdict reaches
# it on the PUB socket: poll until the cancellation shows
cancelled_shown () { curl -sf "$BASE/ics/meetings/ccm-msp13.ics" -o "$PL_TMP/feed.ics" \
    && grep -q '^SUMMARY:\[CANCELLED\]' "$PL_TMP/feed.ics"; }
pl_poll 100 cancelled_shown || pl_fail "meeting feed: the cancellation never showed"
SEQ=$($CHECK --feed "$PL_TMP/feed.ics" session/ccm-msp13/day1-am@plenary)
messages cancelled
one cancelled '.envelope_to == "claire@example.fr" and .itip.method == "CANCEL"' \
    | jq -e --argjson seq "$SEQ" '.itip.sequence == $seq and $seq == 2 and .itip.status == "CANCELLED"' >/dev/null \
    || pl_fail "the cancellation's iTIP does not carry the feed's SEQUENCE $SEQ"
pl_pass "session moved and cancelled: iTIP REQUEST and CANCEL with the feed's UID and SEQUENCE"

# Subscribers: releases in one message, restricted ones left out; one click
plenary subscribe --email archives@example.org --meeting ccm-msp13 >/dev/null || pl_fail "subscribe"
plenary subscribe --email archives@example.org --meeting ccm-msp13 >/dev/null 2>&1 \
    && pl_fail "a second subscription to the same was accepted"
plenary subscribe --email archives@example.org --meeting ccm-msp99 >/dev/null 2>&1 \
    && pl_fail "a subscription to an unknown meeting was accepted"
printf 'Provisional agenda\n' >"$PL_TMP/doc.txt"
plenary release --symbol CCM/MSP/2030/1 --language en --title "Provisional agenda" \
    --meeting ccm-msp13 --file "$PL_TMP/doc.txt" >/dev/null || pl_fail "release 1"
plenary release --symbol CCM/MSP/2030/2 --language en --title "Budget (restricted)" \
    --meeting ccm-msp13 --distribution restricted --file "$PL_TMP/doc.txt" >/dev/null || pl_fail "release 2"
plenary release --symbol CCM/MSP/2030/3 --language en --title "Report" \
    --meeting ccm-msp13 --file "$PL_TMP/doc.txt" >/dev/null || pl_fail "release 3"
wait_mails 13
messages documents
NEWS=$(one documents '.envelope_to == "archives@example.org"')
echo "$NEWS" | jq -e '(.text | contains("CCM/MSP/2030/1 (en)")) and (.text | contains("CCM/MSP/2030/3 (en)"))
                      and (.text | contains("2030/2") | not) and (.subject | contains("(2)"))
                      and .list_unsubscribe_post == "List-Unsubscribe=One-Click"' >/dev/null \
    || pl_fail "the subscriber's message: $NEWS"
UNSUBSCRIBE=$(echo "$NEWS" | jq -r '.list_unsubscribe | ltrimstr("<") | rtrimstr(">")')
curl -sf "$UNSUBSCRIBE" | grep -q '<form method="post"' || pl_fail "GET of the link shows no form"
plenary notify status --json | jq -e '.suppressed == 0' >/dev/null || pl_fail "GET changed something"
CODE=$(curl -s -o "$PL_TMP/unsubscribed.html" -w '%{http_code}' -X POST \
       -d 'List-Unsubscribe=One-Click' "$UNSUBSCRIBE")
[ "$CODE" = 200 ] && grep -q Unsubscribed "$PL_TMP/unsubscribed.html" \
    || pl_fail "one-click POST answered $CODE: $(cat "$PL_TMP/unsubscribed.html")"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/unsubscribe/$(printf '%064d' 0)")
[ "$CODE" = 404 ] || pl_fail "an unknown unsubscribe link answered $CODE"
plenary release --symbol CCM/MSP/2030/4 --language en --title "Addendum" \
    --meeting ccm-msp13 --file "$PL_TMP/doc.txt" >/dev/null || pl_fail "release 4"
plenary session add --meeting ccm-msp13 --id day2-am --title "Second plenary" \
    --start 2030-09-16T10:00 --end 2030-09-16T13:00 >/dev/null || pl_fail "session 2"
pl_poll 100 pl_caught_up || pl_fail "the workers did not catch up"
plenary notify status --json | jq -e '.notices == 0 and .queued == 0' >/dev/null \
    || pl_fail "a notice for an address that unsubscribed: $(plenary notify status)"
[ "$(pl_mails "$MAIL")" -eq 13 ] || pl_fail "a message after the unsubscription"
pl_pass "subscribers: one message, no restricted document, one-click unsubscribe, then nothing"

# A permanent failure: recorded, shown, never retried
plenary register --meeting ccm-msp13 --family-name Nobody --delegation DE \
    --email nobody@example.invalid >/dev/null || pl_fail "register nobody"
pl_poll 100 sh -c "plenary notify status --json | jq -e '.failed == 1'" \
    || pl_fail "the 550 is not recorded: $(plenary notify status)"
plenary notify status --json | jq -e '.failures[0].error | startswith("550")' >/dev/null \
    || pl_fail "the failure lacks the relay's answer: $(plenary notify status --json)"
plenary notify status | grep -q "nobody@example.invalid" || pl_fail "notify status hides the failure"
plenary status | grep -q "1 failed for good" || pl_fail "plenary status does not show the failure"
pl_pass "a 5xx is recorded with the relay's answer, in notify status and plenary status"

# A registration records refuses (the same person again, which the notify
# worker's view alone would take) is nobody's news: the notify group
# follows records' verdict, so once it has a verdict on every event the
# outbox has not grown
BEFORE=$(plenary notify status --json | jq '.queued + .sent + .failed + .suppressed')
plenary register --meeting ccm-msp13 --family-name Haddad --given-name Leila --delegation JO \
    --email leila@example.jo >/dev/null 2>"$PL_TMP/again.err" \
    && pl_fail "records registered Leila Haddad twice"
grep -q "already registered" "$PL_TMP/again.err" || pl_fail "not refused as a person registered: $(cat "$PL_TMP/again.err")"
pl_poll 100 pl_caught_up || pl_fail "the notify group has no verdict on the refused registration"
[ "$(plenary notify status --json | jq '.queued + .sent + .failed + .suppressed')" -eq "$BEFORE" ] \
    || pl_fail "a registration records refused made a message: $(plenary notify status)"
pl_pass "a registration records refused is told to nobody"

# A rebuild from seq 0 sends nothing again
SENT=$(plenary notify status --json | jq '.sent')
kill -TERM "$NOTIFY_PID"
pl_wait_gone "$NOTIFY_PID" 100 || pl_fail "plenary-notify did not stop"
rm -rf "$DATA/notify"
pl_start_notify "$DATA" --batch 1 --rate 100 --public-url "$BASE"
# Every event-borne message again, now recorded as replayed: as many as were
# sent, less the subscriber's (a replay makes no notices), plus the one the
# relay refused
pl_poll 100 sh -c "plenary notify status --json | jq -e '.replayed == $SENT'" \
    || pl_fail "the rebuild did not replay every message: $(plenary notify status) (sent before $SENT)"
plenary notify status --json | jq -e '.sent == 0 and .queued == 0 and .notices == 0' >/dev/null \
    || pl_fail "the rebuild queued something: $(plenary notify status)"
[ "$(pl_mails "$MAIL")" -eq 13 ] || pl_fail "the rebuild sent $(( $(pl_mails "$MAIL") - 13 )) messages"
pl_pass "a rebuild from seq 0 records the past as replayed and sends nothing"
