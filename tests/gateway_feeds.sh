# tests/gateway_feeds.sh — feeds served from the gateway's memory, black box
# (issue 13, item 4).
#
# Real broker, records and calendar workers and gateway on ephemeral ports.
#  - keep-alive: curl fetches two feeds on one connection (one connect, the
#    second reused), and one python connection carries a 200, a 304, a gzip
#    200, a gzip 304 and a HEAD without being closed;
#  - gzip: asked for with Accept-Encoding, the body inflates to the very
#    bytes of the plain feed, under an ETag of its own, with
#    Content-Encoding: gzip and Vary: Accept-Encoding on both; without it
#    (or with gzip;q=0) the plain bytes;
#  - 304 for each representation's own ETag, 200 for the other's; a 304
#    says the Content-Length of its 200 (RFC 9110 8.6), or none;
#  - Last-Modified is never later than Date, on 200s and 304s;
#  - a session moved: both representations change (new ETags, the moved
#    time in the bytes), the old ETags get 200 (the cache was invalidated);
#  - with --cache-ms 0 each request asks the worker: a 304 with its 200's
#    length, and a move served as soon as the calendar applied it.
. "$(dirname "$0")/harness.sh"
SRC=$(cd "$(dirname "$0")" && pwd)
DATA=$PL_TMP/data
pl_system "$DATA"
pl_start_calendar "$DATA"
plenary-gateway --data "$DATA" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
    >>"$PL_TMP/gateway.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
# A second gateway that trusts nothing it holds: every request asks
mkdir -p "$PL_TMP/asking"
plenary-gateway --data "$PL_TMP/asking" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
    --cache-ms 0 >>"$PL_TMP/gateway-asking.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$DATA/gateway.ready" || pl_fail "gateway wrote no gateway.ready"
pl_poll 100 test -s "$PL_TMP/asking/gateway.ready" || pl_fail "gateway (--cache-ms 0) wrote no gateway.ready"
HTTP=$(sed -n 's/^http=//p' "$DATA/gateway.ready")
ASKING=http://$(sed -n 's/^http=//p' "$PL_TMP/asking/gateway.ready")/ics/meetings/ccm-msp14.ics
FEED=http://$HTTP/ics/meetings/ccm-msp14.ics
ALL=http://$HTTP/ics/all.ics

plenary meeting add --id ccm-msp14 --convention CCM --kind msp --title "Fourteenth meeting" \
    --venue Geneva --tz Europe/Zurich --start 2031-03-24 --end 2031-03-28 >/dev/null \
    || pl_fail "meeting add"
for i in 1 2 3 4; do
    plenary session add --meeting ccm-msp14 --id "day$i" --title "Plenary meeting $i — 全体会议" \
        --start "2031-03-2$((i + 3))T10:00" --end "2031-03-2$((i + 3))T13:00" --room "Room XIX" >/dev/null \
        || pl_fail "session add day$i"
done
has_sessions () { curl -sf "$FEED" | grep -c '^UID:session/ccm-msp14/' | grep -qx 4; }
pl_poll 100 has_sessions || pl_fail "the feed never showed the four sessions"

header () { sed -n "s/^$2: \(.*\)\r\$/\1/Ip" "$1" | head -1; }
# get NAME [CURL ARGS...]: GET the feed, headers to NAME.h, body to NAME.body;
# prints the status
get () { local name=$1; shift; curl -s -D "$PL_TMP/$name.h" -o "$PL_TMP/$name.body" \
    -w '%{http_code}' "$@" "$FEED"; }
# Last-Modified <= Date, both in the headers NAME.h
not_later () {
    python3 - "$PL_TMP/$1.h" <<'PY' || pl_fail "$1: Last-Modified is later than Date"
import sys, email.utils
h = dict(l.split(': ', 1) for l in open(sys.argv[1], newline='').read().lower().split('\r\n') if ': ' in l)
lm, date = email.utils.parsedate_to_datetime(h['last-modified']), email.utils.parsedate_to_datetime(h['date'])
sys.exit(0 if lm <= date else 1)
PY
}

# ---- keep-alive: two feeds, one connection
connects=$(curl -s -o /dev/null -o /dev/null -w '%{num_connects} ' "$FEED" "$ALL")
[ "$connects" = "1 0 " ] || pl_fail "curl connected for each request (num_connects: $connects)"

# ---- the plain representation
[ "$(get plain)" = 200 ] || pl_fail "GET the feed"
ETAG=$(header "$PL_TMP/plain.h" etag)
LENGTH=$(header "$PL_TMP/plain.h" content-length)
[ -n "$ETAG" ] && [ "$LENGTH" = "$(stat -c %s "$PL_TMP/plain.body")" ] || pl_fail "plain: ETag, Content-Length"
[ -z "$(header "$PL_TMP/plain.h" content-encoding)" ] || pl_fail "plain: a Content-Encoding"
[ "$(header "$PL_TMP/plain.h" vary)" = Accept-Encoding ] || pl_fail "plain: no Vary: Accept-Encoding"
not_later plain
[ "$(get plain0 -H 'Accept-Encoding: gzip;q=0, deflate')" = 200 ] \
    && [ -z "$(header "$PL_TMP/plain0.h" content-encoding)" ] \
    && cmp -s "$PL_TMP/plain.body" "$PL_TMP/plain0.body" || pl_fail "gzip;q=0 still got gzip"

# ---- the gzip representation
[ "$(get gz -H 'Accept-Encoding: gzip, deflate')" = 200 ] || pl_fail "GET the feed gzipped"
GZ_ETAG=$(header "$PL_TMP/gz.h" etag)
[ "$(header "$PL_TMP/gz.h" content-encoding)" = gzip ] || pl_fail "gzip: no Content-Encoding: gzip"
[ "$(header "$PL_TMP/gz.h" vary)" = Accept-Encoding ] || pl_fail "gzip: no Vary: Accept-Encoding"
[ -n "$GZ_ETAG" ] && [ "$GZ_ETAG" != "$ETAG" ] || pl_fail "gzip: the ETag of the plain bytes ($GZ_ETAG)"
[ "$(header "$PL_TMP/gz.h" content-length)" = "$(stat -c %s "$PL_TMP/gz.body")" ] \
    || pl_fail "gzip: Content-Length is not the compressed size"
gzip -dc "$PL_TMP/gz.body" >"$PL_TMP/gz.ics" || pl_fail "gzip: the body does not inflate"
cmp -s "$PL_TMP/gz.ics" "$PL_TMP/plain.body" || pl_fail "gzip: inflates to other bytes"
[ "$(stat -c %s "$PL_TMP/gz.body")" -lt "$LENGTH" ] || pl_fail "gzip: no smaller"
not_later gz

# ---- 304 for each representation's own tag, 200 for the other's
[ "$(get p304 -H "If-None-Match: $ETAG")" = 304 ] || pl_fail "plain: its ETag not 304"
[ "$(get g304 -H 'Accept-Encoding: gzip' -H "If-None-Match: $GZ_ETAG")" = 304 ] \
    || pl_fail "gzip: its ETag not 304"
[ "$(get cross1 -H "If-None-Match: $GZ_ETAG")" = 200 ] || pl_fail "plain: the gzip ETag got 304"
[ "$(get cross2 -H 'Accept-Encoding: gzip' -H "If-None-Match: $ETAG")" = 200 ] \
    || pl_fail "gzip: the plain ETag got 304"
[ "$(header "$PL_TMP/cross2.h" content-encoding)" = gzip ] || pl_fail "gzip 200 after a plain tag"
for name in p304:plain g304:gz; do
    n304=${name%%:*}; n200=${name##*:}
    [ "$(header "$PL_TMP/$n304.h" etag)" = "$(header "$PL_TMP/$n200.h" etag)" ] \
        || pl_fail "$n304: not its representation's ETag"
    [ -n "$(header "$PL_TMP/$n304.h" last-modified)" ] || pl_fail "$n304: no Last-Modified"
    [ "$(header "$PL_TMP/$n304.h" vary)" = Accept-Encoding ] || pl_fail "$n304: no Vary"
    length=$(header "$PL_TMP/$n304.h" content-length)
    [ -z "$length" ] || [ "$length" = "$(header "$PL_TMP/$n200.h" content-length)" ] \
        || pl_fail "$n304: Content-Length $length, its 200 says $(header "$PL_TMP/$n200.h" content-length)"
    [ ! -s "$PL_TMP/$n304.body" ] || pl_fail "$n304: a body"
    not_later "$n304"
done
LM=$(header "$PL_TMP/plain.h" last-modified)
[ "$(get ims -H "If-Modified-Since: $LM")" = 304 ] || pl_fail "If-Modified-Since not 304"

# ---- one python connection for everything: never closed
python3 - "${HTTP%:*}" "${HTTP##*:}" "$ETAG" "$GZ_ETAG" "$LENGTH" <<'PY' \
    || pl_fail "one connection for a 200, 304s, gzip and HEAD"
import http.client, sys, gzip
host, port, etag, gz_etag, length = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
c = http.client.HTTPConnection(host, port, timeout=5)
c.connect()
local = c.sock.getsockname()
path = '/ics/meetings/ccm-msp14.ics'
plain = None
for method, headers, status in [
        ('GET', {}, 200), ('GET', {'If-None-Match': etag}, 304),
        ('GET', {'Accept-Encoding': 'gzip'}, 200),
        ('GET', {'Accept-Encoding': 'gzip', 'If-None-Match': gz_etag}, 304),
        ('HEAD', {}, 200), ('GET', {}, 200)]:
    c.request(method, path, headers=headers)
    r = c.getresponse()
    body = r.read()
    if r.status != status or r.will_close or c.sock is None or c.sock.getsockname() != local:
        sys.exit('%s %s: status %d, will_close %s' % (method, headers, r.status, r.will_close))
    if method == 'HEAD' and (body or r.getheader('Content-Length') != length):
        sys.exit('HEAD: body %d bytes, Content-Length %s' % (len(body), r.getheader('Content-Length')))
    if status == 200 and method == 'GET':
        text = gzip.decompress(body) if 'gzip' in headers.values() else body
        if plain is not None and text != plain:
            sys.exit('%s: other bytes' % headers)
        plain = text
PY

# ---- --cache-ms 0: the worker is asked every time (with the ETag held),
# its 304 says the 200's length too
curl -s -D "$PL_TMP/a200.h" -o "$PL_TMP/a200.body" "$ASKING" || pl_fail "GET from the asking gateway"
A_ETAG=$(header "$PL_TMP/a200.h" etag)
[ "$(curl -s -D "$PL_TMP/a304.h" -o /dev/null -w '%{http_code}' -H "If-None-Match: $A_ETAG" \
    "$ASKING")" = 304 ] || pl_fail "--cache-ms 0: its ETag not 304"
[ "$(header "$PL_TMP/a304.h" content-length)" = "$(header "$PL_TMP/a200.h" content-length)" ] \
    || pl_fail "--cache-ms 0: the 304's Content-Length is not its 200's"

# ---- a session moves: both representations change
plenary session move day2 --meeting ccm-msp14 --start 2031-03-28T15:00 --end 2031-03-28T18:00 \
    >/dev/null || pl_fail "session move"
plain_changed () { [ "$(get moved -H "If-None-Match: $ETAG")" = 200 ]; }
pl_poll 100 plain_changed || pl_fail "plain: the old ETag still got 304 after the move"
grep -q 'DTSTART;TZID=Europe/Zurich:20310328T150000' "$PL_TMP/moved.body" \
    || pl_fail "plain: the moved session is not in the feed"
[ "$(get gzmoved -H 'Accept-Encoding: gzip' -H "If-None-Match: $GZ_ETAG")" = 200 ] \
    || pl_fail "gzip: the old ETag still got 304 after the move"
NEW_GZ=$(header "$PL_TMP/gzmoved.h" etag)
[ "$NEW_GZ" != "$GZ_ETAG" ] && [ "$NEW_GZ" != "$(header "$PL_TMP/moved.h" etag)" ] \
    || pl_fail "gzip: no new ETag of its own after the move"
gzip -dc "$PL_TMP/gzmoved.body" | cmp -s - "$PL_TMP/moved.body" \
    || pl_fail "gzip: after the move, not the new plain bytes"
not_later moved
not_later gzmoved
# The calendar has applied the move (the first gateway shows it): the
# asking gateway, which listens to no verdict, shows it at once
[ "$(curl -s -o "$PL_TMP/amoved.body" -w '%{http_code}' -H "If-None-Match: $A_ETAG" "$ASKING")" = 200 ] \
    && grep -q 'DTSTART;TZID=Europe/Zurich:20310328T150000' "$PL_TMP/amoved.body" \
    || pl_fail "--cache-ms 0: the move is not served at once"
pl_pass "feeds from memory: keep-alive, gzip, 304s, Last-Modified, invalidation"
