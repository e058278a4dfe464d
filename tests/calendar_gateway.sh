# tests/calendar_gateway.sh — the calendar worker and the HTTP gateway, black box.
#
# Real broker, records and calendar workers and gateway on ephemeral ports.
# A meeting in Europe/Zurich with sessions on both sides of the 2030 change
# to summer time (Sunday 31 March).  Each feed must pass libical's checks
# (test_calendar --check), python3-icalendar and python3-vobject
# (calendar_check.py), ical.js (calendar_js/check.mjs, times in UTC from the
# feed's own VTIMEZONE), and a vdirsyncer http->filesystem subscription must
# follow a move and a cancellation without duplicates.  Sessions at a time
# that happens twice (October 2030), given with their UTC offset, are read
# as the right instants by every client.  Then HTTP behaviour
# (HEAD, 304, Last-Modified, no redirects), private feeds (token, rotation,
# 404; TENTATIVE until the registration is confirmed, a rejected one gone,
# no token for a person registered nowhere), `plenary calendar url|watch`,
# and the JSON API routes.
. "$(dirname "$0")/harness.sh"
SRC=$(cd "$(dirname "$0")" && pwd)
DATA=$PL_TMP/data
[ -d "$SRC/calendar_js/node_modules/ical.js" ] \
    || pl_fail "ical.js is not installed: run 'npm ci' in tests/calendar_js (scripts/build.sh does)"
for tool in vdirsyncer node curl; do
    command -v $tool >/dev/null || pl_fail "$tool is not installed (scripts/build.sh installs it)"
done
pl_system "$DATA"
plenary-calendar --data "$DATA" --backend "$PLENARY_BACKEND" >>"$PL_TMP/calendar.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
plenary-gateway --data "$DATA" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
    >>"$PL_TMP/gateway.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$DATA/gateway.ready" || pl_fail "gateway wrote no gateway.ready"
HTTP=$(sed -n 's/^http=//p' "$DATA/gateway.ready")
BASE=http://$HTTP
export PLENARY_HTTP=$HTTP
FEED=$BASE/ics/meetings/ccm-msp13.ics

plenary meeting add --id ccm-msp13 --convention CCM --kind msp \
    --title "第十三次缔约国会议, Тринадцатое совещание; الاجتماع الثالث عشر" --venue "Geneva, Palais des Nations" \
    --tz Europe/Zurich --start 2030-03-28 --end 2030-04-02 >/dev/null || pl_fail "meeting add"
plenary session add --meeting ccm-msp13 --id day1-am --title "First plenary meeting" \
    --start 2030-03-30T09:00 --end 2030-03-30T12:00 --room "Room XIX" --agenda-item "8(a)" \
    >/dev/null || pl_fail "session add day1-am"
plenary session add --meeting ccm-msp13 --id day2-am --title "Second plenary meeting" \
    --start 2030-04-01T09:00 --end 2030-04-01T12:00 --room "Room XX" >/dev/null \
    || pl_fail "session add day2-am"
plenary session add --meeting ccm-msp13 --id day2-pm --title "Third plenary meeting" \
    --start 2030-04-01T15:00 --end 2030-04-01T18:00 >/dev/null || pl_fail "session add day2-pm"

has_sessions () { curl -sf "$FEED" | grep -c '^UID:session/' | grep -qx 3; }
pl_poll 100 has_sessions || pl_fail "the feed never showed the three sessions"

# ---- the feed, as every client reads it
curl -sf -D "$PL_TMP/h1" -o "$PL_TMP/f1.ics" "$FEED" || pl_fail "GET feed"
grep -qi '^content-type: text/calendar; charset=utf-8' "$PL_TMP/h1" || pl_fail "content type"
grep -qi '^content-disposition' "$PL_TMP/h1" && pl_fail "attachment disposition"
ETAG=$(sed -n 's/^[Ee][Tt][Aa][Gg]: \(.*\)\r$/\1/p' "$PL_TMP/h1")
LM1=$(sed -n 's/^[Ll]ast-[Mm]odified: \(.*\)\r$/\1/p' "$PL_TMP/h1")
[ -n "$ETAG" ] && [ -n "$LM1" ] || pl_fail "no ETag or Last-Modified"
case $ETAG in W/*) pl_fail "weak ETag $ETAG" ;; esac
test_calendar --check "$PL_TMP/f1.ics" || pl_fail "libical checks"
/usr/bin/python3 "$SRC/calendar_check.py" "$PL_TMP/f1.ics" >"$PL_TMP/py1" || pl_fail "python clients"
node "$SRC/calendar_js/check.mjs" "$PL_TMP/f1.ics" >"$PL_TMP/js1" || pl_fail "ical.js"
# Before the change to summer time Geneva is UTC+1, after it UTC+2
grep -qx 'session/ccm-msp13/day1-am@plenary 2030-03-30T08:00:00Z 2030-03-30T11:00:00Z CONFIRMED 0' \
    "$PL_TMP/js1" || { cat "$PL_TMP/js1"; pl_fail "ical.js: day1-am not 08:00Z"; }
grep -qx 'session/ccm-msp13/day2-am@plenary 2030-04-01T07:00:00Z 2030-04-01T10:00:00Z CONFIRMED 0' \
    "$PL_TMP/js1" || { cat "$PL_TMP/js1"; pl_fail "ical.js: day2-am not 07:00Z"; }
grep -qx 'meeting/ccm-msp13@plenary 2030-03-28 2030-04-03 CONFIRMED 0' "$PL_TMP/js1" \
    || { cat "$PL_TMP/js1"; pl_fail "ical.js: all-day meeting with DTEND the day after"; }
grep -qx 'session/ccm-msp13/day1-am@plenary 20300330T080000Z CONFIRMED 0' "$PL_TMP/py1" \
    || { cat "$PL_TMP/py1"; pl_fail "vobject: day1-am not 08:00Z"; }
grep -q 'Тринадцатое' "$PL_TMP/f1.ics" || pl_fail "Russian title lost"
# The calendar's name as Thunderbird shows it: ical.js does not unescape
# X-WR-CALNAME, so it is written without escapes (a comma as U+201A, a
# semicolon as U+FF1B), while NAME keeps the exact name, escaped
name=$(tr -d '\r' <"$PL_TMP/f1.ics" | sed ':a;N;$!ba;s/\n //g' | sed -n 's/^NAME://p')
case $name in *'会议\, Тринадцатое совещание\; الاجتماع'*) ;; *) pl_fail "NAME is not the exact name, escaped: $name" ;; esac
shown=${name//\\,/‚}; shown=${shown//\\;/；}
grep -Fqx "calendar $shown" "$PL_TMP/js1" \
    || pl_fail "ical.js shows the calendar as '$(sed -n 's/^calendar //p' "$PL_TMP/js1")', not '$shown'"
grep '^calendar ' "$PL_TMP/js1" | grep -q '\\' && pl_fail "a backslash in the name ical.js shows"

# ---- HTTP: byte-identical, HEAD, 304, no redirect, unknown feeds
curl -sf -o "$PL_TMP/f1b.ics" "$FEED" && cmp -s "$PL_TMP/f1.ics" "$PL_TMP/f1b.ics" \
    || pl_fail "two GETs of an unchanged feed differ"
curl -sf -I "$FEED" >"$PL_TMP/head" || pl_fail "HEAD"
grep -qi "^etag: $ETAG" "$PL_TMP/head" || pl_fail "HEAD has another ETag"
# (asking to close: with keep-alive, curl -X HEAD would wait for the body
# the headers announce until the connection goes; a body sent would land in
# headbody all the same)
[ "$(curl -s -X HEAD -H 'Connection: close' -o "$PL_TMP/headbody" -w '%{http_code}' "$FEED")" = 200 ] \
    && [ ! -s "$PL_TMP/headbody" ] || pl_fail "HEAD with a body"
code=$(curl -s -o "$PL_TMP/nm" -w '%{http_code}' -H "If-None-Match: $ETAG" "$FEED")
[ "$code" = 304 ] && [ ! -s "$PL_TMP/nm" ] || pl_fail "If-None-Match: $code, not 304"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: \"other\", $ETAG" "$FEED")
[ "$code" = 304 ] || pl_fail "If-None-Match list: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: "stale"' "$FEED")
[ "$code" = 200 ] || pl_fail "stale If-None-Match: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $LM1" "$FEED")
[ "$code" = 304 ] || pl_fail "If-Modified-Since: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$FEED")
[ "$code" = 405 ] || pl_fail "POST: $code, not 405"
for path in /ics/meetings/nope.ics /ics/meetings/ccm-msp13 /ics/conventions/XYZ.ics \
            /ics/meetings/../all.ics /nothing; do
    code=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "$BASE$path")
    [ "$code" = 404 ] || pl_fail "$path: $code, not 404"
done
curl -sf -o "$PL_TMP/conv.ics" "$BASE/ics/conventions/CCM.ics" || pl_fail "convention feed"
curl -sf -o "$PL_TMP/all.ics" "$BASE/ics/all.ics" || pl_fail "feed of everything"
/usr/bin/python3 "$SRC/calendar_check.py" "$PL_TMP/conv.ics" "$PL_TMP/all.ics" >/dev/null \
    || pl_fail "convention and all feeds"

# ---- vdirsyncer subscribes, then a session moves across the DST change
#      and another is cancelled
mkdir -p "$PL_TMP/vdir/status" "$PL_TMP/vdir/local"
cat >"$PL_TMP/vdir/config" <<EOF
[general]
status_path = "$PL_TMP/vdir/status/"
[pair feed]
a = "remote"
b = "local"
collections = null
conflict_resolution = "a wins"
[storage remote]
type = "http"
url = "$FEED"
[storage local]
type = "filesystem"
path = "$PL_TMP/vdir/local/"
fileext = ".ics"
EOF
VDIR="vdirsyncer -c $PL_TMP/vdir/config"
yes | $VDIR discover >/dev/null 2>&1
$VDIR sync >"$PL_TMP/vdir1.log" 2>&1 || { cat "$PL_TMP/vdir1.log"; pl_fail "vdirsyncer sync 1"; }
[ "$(ls "$PL_TMP/vdir/local" | wc -l)" = 4 ] || pl_fail "vdirsyncer: not 4 items after sync 1"

plenary calendar watch --participant p9999 >"$PL_TMP/watch-bad" 2>&1 && pl_fail "watch unknown participant"
P=$(plenary register --meeting ccm-msp13 --family-name Dupont --given-name Anne \
      --delegation FR --email anne@example.org --json | jq -r .id)
[ -n "$P" ] && [ "$P" != null ] || pl_fail "register"
plenary calendar watch --participant "$P" >"$PL_TMP/watch" 2>&1 &
WATCH=$!
PL_PIDS="$PL_PIDS $WATCH"
pl_poll 100 grep -q '^watching the schedule' "$PL_TMP/watch" || pl_fail "watch did not start"

plenary session move day1-am --meeting ccm-msp13 --start 2030-04-01T10:00 \
    --end 2030-04-01T11:00 >/dev/null || pl_fail "session move"
plenary session cancel day2-pm --meeting ccm-msp13 >/dev/null || pl_fail "session cancel"
changed () { curl -sf "$FEED" | grep -q 'SUMMARY:\[CANCELLED\] Third plenary meeting'; }
pl_poll 100 changed || pl_fail "the feed never showed the cancellation"
pl_poll 100 grep -q 'session.moved ccm-msp13/day1-am' "$PL_TMP/watch" \
    || { cat "$PL_TMP/watch"; pl_fail "watch did not print the move"; }
# its times with their zone (RFC 9557): after the change to summer time, +02:00
grep -q 'session.moved ccm-msp13/day1-am start=2030-04-01T10:00+02:00\[Europe/Zurich\] end=2030-04-01T11:00+02:00\[Europe/Zurich\]' \
    "$PL_TMP/watch" || { cat "$PL_TMP/watch"; pl_fail "watch printed the move's times without their zone"; }
grep -q 'session.cancelled ccm-msp13/day2-pm' "$PL_TMP/watch" || pl_poll 50 grep -q \
    'session.cancelled ccm-msp13/day2-pm' "$PL_TMP/watch" || pl_fail "watch missed the cancel"

curl -sf -D "$PL_TMP/h2" -o "$PL_TMP/f2.ics" "$FEED" || pl_fail "GET after the change"
LM2=$(sed -n 's/^[Ll]ast-[Mm]odified: \(.*\)\r$/\1/p' "$PL_TMP/h2")
[ "$(date -d "$LM2" +%s)" -gt "$(date -d "$LM1" +%s)" ] || pl_fail "Last-Modified $LM2 not after $LM1"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$FEED")
[ "$code" = 200 ] || pl_fail "old ETag after a change: $code"
test_calendar --check "$PL_TMP/f2.ics" || pl_fail "libical checks after the change"
/usr/bin/python3 "$SRC/calendar_check.py" "$PL_TMP/f2.ics" >"$PL_TMP/py2" || pl_fail "python 2"
node "$SRC/calendar_js/check.mjs" "$PL_TMP/f2.ics" >"$PL_TMP/js2" || pl_fail "ical.js 2"
grep -qx 'session/ccm-msp13/day1-am@plenary 2030-04-01T08:00:00Z 2030-04-01T09:00:00Z CONFIRMED 1' \
    "$PL_TMP/js2" || { cat "$PL_TMP/js2"; pl_fail "moved across DST: not 08:00Z, SEQUENCE 1"; }
grep -qx 'session/ccm-msp13/day2-pm@plenary 2030-04-01T13:00:00Z 2030-04-01T16:00:00Z CANCELLED 1' \
    "$PL_TMP/js2" || { cat "$PL_TMP/js2"; pl_fail "cancelled session"; }

$VDIR sync >"$PL_TMP/vdir2.log" 2>&1 || { cat "$PL_TMP/vdir2.log"; pl_fail "vdirsyncer sync 2"; }
[ "$(ls "$PL_TMP/vdir/local" | wc -l)" = 4 ] || pl_fail "vdirsyncer: duplicates after sync 2"
# vdirsyncer's http storage names items by a hash of their content, so a
# changed event is a deletion and an upload: exactly two of each, and every
# UID once
[ "$(grep -c '^Deleting item' "$PL_TMP/vdir2.log")" = 2 ] \
    && [ "$(grep -c '^Copying (uploading)' "$PL_TMP/vdir2.log")" = 2 ] \
    || { cat "$PL_TMP/vdir2.log"; pl_fail "vdirsyncer: not exactly the two changed items"; }
[ "$(grep -h '^UID:' "$PL_TMP"/vdir/local/*.ics | sort -u | wc -l)" = 4 ] \
    || pl_fail "vdirsyncer: UIDs duplicated or lost"
grep -l 'DTSTART;TZID=Europe/Zurich:20300401T100000' "$PL_TMP"/vdir/local/*.ics >/dev/null \
    || pl_fail "vdirsyncer: the move is not in the local copy"
grep -l 'STATUS:CANCELLED' "$PL_TMP"/vdir/local/*.ics >/dev/null \
    || pl_fail "vdirsyncer: the cancellation is not in the local copy"

# ---- a time that happens twice when clocks go back (Geneva, 27 October 2030):
#      the sessions given with their UTC offset are in UTC in the feed, both ends
plenary meeting add --id ccm-night --convention CCM --kind other --title "Night session" \
    --venue Geneva --tz Europe/Zurich --start 2030-10-26 --end 2030-10-28 >/dev/null \
    || pl_fail "meeting add ccm-night"
plenary session add --meeting ccm-night --id n1 --title "The second 02:30" \
    --start 2030-10-27T02:30+01:00 --end 2030-10-27T04:00 >/dev/null || pl_fail "session add n1"
plenary session add --meeting ccm-night --id n2 --title "Until the first 02:30" \
    --start 2030-10-27T01:30 --end 2030-10-27T02:30+02:00 >/dev/null || pl_fail "session add n2"
NIGHT=$BASE/ics/meetings/ccm-night.ics
has_night () { curl -sf "$NIGHT" | grep -c '^UID:session/' | grep -qx 2; }
pl_poll 100 has_night || pl_fail "the night feed never showed its two sessions"
curl -sf -o "$PL_TMP/night.ics" "$NIGHT" || pl_fail "GET the night feed"
test_calendar --check "$PL_TMP/night.ics" || pl_fail "libical checks of the night feed"
/usr/bin/python3 "$SRC/calendar_check.py" "$PL_TMP/night.ics" >"$PL_TMP/pyn" || pl_fail "python night"
node "$SRC/calendar_js/check.mjs" "$PL_TMP/night.ics" >"$PL_TMP/jsn" || pl_fail "ical.js night"
grep -q '^DTSTART:20301027T013000Z' "$PL_TMP/night.ics" || pl_fail "n1 not in UTC: $(cat "$PL_TMP/night.ics")"
grep -qx 'session/ccm-night/n1@plenary 2030-10-27T01:30:00Z 2030-10-27T03:00:00Z CONFIRMED 0' \
    "$PL_TMP/jsn" || { cat "$PL_TMP/jsn"; pl_fail "ical.js: n1 is not the second 02:30"; }
grep -qx 'session/ccm-night/n2@plenary 2030-10-26T23:30:00Z 2030-10-27T00:30:00Z CONFIRMED 0' \
    "$PL_TMP/jsn" || { cat "$PL_TMP/jsn"; pl_fail "ical.js: n2 does not end at the first 02:30"; }
grep -qx 'session/ccm-night/n1@plenary 20301027T013000Z CONFIRMED 0' "$PL_TMP/pyn" \
    || { cat "$PL_TMP/pyn"; pl_fail "vobject: n1 not 01:30Z"; }

# ---- private feeds: url prints both forms once, rotate revokes, unknown is 404
plenary calendar url --meeting ccm-msp13 >"$PL_TMP/url" || pl_fail "calendar url --meeting"
grep -qx "$FEED" "$PL_TMP/url" && grep -qx "webcal://$HTTP/ics/meetings/ccm-msp13.ics" "$PL_TMP/url" \
    || pl_fail "calendar url: $(cat "$PL_TMP/url")"
plenary calendar url --meeting nope >/dev/null 2>&1; [ $? = 1 ] || pl_fail "url of no meeting"
plenary calendar url --participant "$P" >"$PL_TMP/purl" || pl_fail "calendar url --participant"
TOKEN_URL=$(grep -m1 '^http' "$PL_TMP/purl")
case $TOKEN_URL in */ics/p/????????????????????????????????????????????????????????????????.ics) ;;
    *) pl_fail "token URL $TOKEN_URL has no 256-bit token" ;; esac
curl -sf -o "$PL_TMP/p.ics" "$TOKEN_URL" || pl_fail "private feed"
grep -q 'UID:session/ccm-msp13/day2-am@plenary' "$PL_TMP/p.ics" || pl_fail "private feed content"
TOKEN=$(basename "$TOKEN_URL" .ics)
grep -rq "$TOKEN" "$DATA" && pl_fail "the token itself is stored"
plenary calendar url --participant "$P" >/dev/null 2>"$PL_TMP/again"; [ $? = 1 ] \
    && grep -q rotate "$PL_TMP/again" || pl_fail "a second url for the same participant"
plenary calendar rotate --participant "$P" >"$PL_TMP/rurl" || pl_fail "rotate"
NEW_URL=$(grep -m1 '^http' "$PL_TMP/rurl")
curl -sf -o /dev/null "$NEW_URL" || pl_fail "rotated feed"
# The gateway holds the feed it served until the rotation's verdict reaches
# it on the PUB socket (or --cache-ms passes): poll for the 404
revoked () { [ "$(curl -s -o "$PL_TMP/old" -w '%{http_code}' "$TOKEN_URL")" = 404 ]; }
pl_poll 100 revoked || pl_fail "revoked token: $(curl -s -o /dev/null -w '%{http_code}' "$TOKEN_URL")"
[ "$(cat "$PL_TMP/old")" = "Not Found" ] || pl_fail "404 says more than Not Found"
for t in 0000000000000000000000000000000000000000000000000000000000000000 short 'a%2Fb'; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/ics/p/$t.ics")
    [ "$code" = 404 ] || pl_fail "token $t: $code"
done

# ---- private feeds follow where each registration stands: tentative until
#      the secretariat confirms it, gone once rejected or withdrawn
curl -sf -o "$PL_TMP/p1.ics" "$NEW_URL" || pl_fail "private feed before confirmation"
test_calendar --check "$PL_TMP/p1.ics" || pl_fail "libical checks of the private feed"
/usr/bin/python3 "$SRC/calendar_check.py" "$PL_TMP/p1.ics" >"$PL_TMP/pyp1" || pl_fail "python private"
node "$SRC/calendar_js/check.mjs" "$PL_TMP/p1.ics" >"$PL_TMP/jsp1" || pl_fail "ical.js private"
grep -qx 'session/ccm-msp13/day2-am@plenary 2030-04-01T07:00:00Z 2030-04-01T10:00:00Z TENTATIVE 0' \
    "$PL_TMP/jsp1" || { cat "$PL_TMP/jsp1"; pl_fail "ical.js: a registration not confirmed is not tentative"; }
grep -qx 'meeting/ccm-msp13@plenary 20300328 TENTATIVE 0' "$PL_TMP/pyp1" \
    || { cat "$PL_TMP/pyp1"; pl_fail "vobject: the meeting is not tentative"; }
plenary participant confirm "$P" --meeting ccm-msp13 >/dev/null || pl_fail "confirm $P"
confirmed () { curl -sf "$NEW_URL" | grep -q '^STATUS:CONFIRMED'; }
pl_poll 100 confirmed || pl_fail "the private feed never showed the confirmation"
curl -sf -o "$PL_TMP/p2.ics" "$NEW_URL" || pl_fail "private feed after confirmation"
test_calendar --check "$PL_TMP/p2.ics" || pl_fail "libical checks of the confirmed feed"
node "$SRC/calendar_js/check.mjs" "$PL_TMP/p2.ics" >"$PL_TMP/jsp2" || pl_fail "ical.js confirmed"
grep -qx 'session/ccm-msp13/day2-am@plenary 2030-04-01T07:00:00Z 2030-04-01T10:00:00Z CONFIRMED 1' \
    "$PL_TMP/jsp2" || { cat "$PL_TMP/jsp2"; pl_fail "ical.js: confirmed, SEQUENCE 1"; }
grep -q 'TENTATIVE' "$PL_TMP/p2.ics" && pl_fail "a confirmed registration still tentative"
# the same person (same e-mail) registered to the night session, then rejected
Q=$(plenary register --meeting ccm-night --family-name Dupont --given-name Anne \
      --delegation FR --email ANNE@example.org --json | jq -r .id)
[ -n "$Q" ] && [ "$Q" != null ] || pl_fail "register to ccm-night"
night_shown () { curl -sf "$NEW_URL" | grep -q '^UID:meeting/ccm-night@plenary'; }
pl_poll 100 night_shown || pl_fail "the private feed never showed the second registration"
curl -sf -o "$PL_TMP/p3.ics" "$NEW_URL" || pl_fail "private feed with two meetings"
node "$SRC/calendar_js/check.mjs" "$PL_TMP/p3.ics" >"$PL_TMP/jsp3" || pl_fail "ical.js two meetings"
grep -qx 'meeting/ccm-night@plenary 2030-10-26 2030-10-29 TENTATIVE 0' "$PL_TMP/jsp3" \
    || { cat "$PL_TMP/jsp3"; pl_fail "ical.js: the night meeting is not tentative"; }
grep -qx 'meeting/ccm-msp13@plenary 2030-03-28 2030-04-03 CONFIRMED 1' "$PL_TMP/jsp3" \
    || { cat "$PL_TMP/jsp3"; pl_fail "ical.js: the confirmed meeting"; }
plenary participant reject "$Q" --meeting ccm-night --reason "duplicate nomination" >/dev/null \
    || pl_fail "reject $Q"
night_gone () { ! curl -sf "$NEW_URL" | grep -q '^UID:meeting/ccm-night@plenary'; }
pl_poll 100 night_gone || pl_fail "a rejected registration stays in the private feed"
curl -sf -o "$PL_TMP/p4.ics" "$NEW_URL" && test_calendar --check "$PL_TMP/p4.ics" \
    || pl_fail "private feed after the rejection"
grep -q '^UID:session/ccm-msp13/day2-am@plenary' "$PL_TMP/p4.ics" || pl_fail "the confirmed one is gone too"
# a feed is the person's: one for the rejected registration of a person
# registered elsewhere; none for a person whose every registration is
# withdrawn or rejected
plenary calendar url --participant "$Q" >/dev/null || pl_fail "no feed for $Q, registered as $P"
R=$(plenary register --meeting ccm-night --family-name Keller --delegation CH --json | jq -r .id)
plenary participant reject "$R" --meeting ccm-night --reason "not nominated" >/dev/null \
    || pl_fail "reject $R"
plenary calendar url --participant "$R" >/dev/null 2>"$PL_TMP/rejected"; [ $? = 1 ] \
    && grep -qx "plenary: rejected: participant $R is not registered to any meeting; no private feed can be issued for it" \
       "$PL_TMP/rejected" || pl_fail "a feed for a rejected person: $(cat "$PL_TMP/rejected")"
W=$(plenary register --meeting ccm-night --family-name Weber --delegation DE --json | jq -r .id)
plenary participant withdraw "$W" --meeting ccm-night >/dev/null || pl_fail "withdraw $W"
plenary calendar url --participant "$W" >/dev/null 2>"$PL_TMP/withdrawn"; [ $? = 1 ] \
    && grep -q "participant $W is not registered to any meeting" "$PL_TMP/withdrawn" \
    || pl_fail "a feed for a withdrawn person: $(cat "$PL_TMP/withdrawn")"

# ---- the JSON API routes are generic over the schema
code=$(curl -s -o "$PL_TMP/api" -w '%{http_code}' "$BASE/api/search?nonsense=1")
case $code in
    400) grep -q 'nonsense' "$PL_TMP/api" || pl_fail "400 does not name the parameter" ;;
    503) grep -q '"status":503' "$PL_TMP/api" || pl_fail "503 without its JSON" ;;
    *) pl_fail "/api/search?nonsense=1: $code" ;;
esac
grep -qi 'application/json' <(curl -s -D - -o /dev/null "$BASE/api/documents/CCM/MSP/2030/5") \
    || pl_fail "API answers are not JSON"
pl_pass "calendar feeds and gateway"
