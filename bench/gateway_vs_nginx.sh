#!/usr/bin/env bash
# bench/gateway_vs_nginx.sh BUILD_DIR [ROUNDS] — plenary-gateway beside nginx
# serving the same feed bytes, in the same run (issue 13, item 4).
#
# Starts plenaryd, plenary-records, plenary-calendar and plenary-gateway on
# 127.0.0.1 ephemeral ports in a temporary data folder, schedules a meeting
# with 500 sessions (multilingual titles, rooms, agenda items: ~270 KB of
# iCalendar), fetches its feed from the gateway, writes those bytes (and
# their gzip, for gzip_static) to files and has nginx serve them from a
# temporary configuration on 127.0.0.1.  Then, ROUNDS times (default 3),
# interleaved so that the machine's noise falls on both alike, each at 200
# concurrent connections for 10 s, gateway then nginx:
#   200        wrk -t2 -c200, GET the feed
#   200-h2     h2load --h1 -t2 -c200, the same (the 304s' client, for a like
#              for like cross-check)
#   304        h2load --h1 -t2 -c200, If-None-Match: the server's own ETag
#   gzip-200   wrk -t2 -c200, Accept-Encoding: gzip
# and prints each run's raw figures (requests/s, latency, errors, and the
# TCP connections opened during the run: 200 when every connection was
# kept), then per measure the median of each server and the ratio
# gateway / nginx.
#
# The 304s are counted by h2load, not wrk: the gateway's 304 carries its
# 200's Content-Length (libmicrohttpd writes one, RFC 9110 8.6 allows it),
# and wrk's HTTP parser reads that many bytes of the next responses as a
# body; h2load's (llhttp) knows a 304 has none.  nginx sends no
# Content-Length on a 304, so either client counts its 304s.
#
# PL_WRK_SECONDS changes the 10 s, PL_SESSIONS the 500; PL_GATEWAY names
# another plenary-gateway binary to measure (an older build, for a before
# and after: one without gzip has its gzip runs left out).  nginx-light, wrk
# and nghttp2-client (h2load) are installed with apt-get when missing (this
# script's own step, not scripts/build.sh's).  wrk's 200 clients all come
# from 127.0.0.1, so the gateway runs with --per-ip-limit 0 (its default,
# 32 per address, would close the other 168 at once, as nginx without
# limit_conn does not).  Both servers run with their access logs off (the
# gateway logs a request only at debug level); nginx with sendfile,
# keep-alive and open_file_cache as a production configuration has them
# (the gateway holds its feeds in memory too), and as many worker
# processes as the gateway has server threads (PL_THREADS, default 8, the
# gateway's default): on a machine shared with other work the scheduler
# shares the cores out by runnable task, so the one with more would get
# more of them.  Run it on a machine
# at rest where possible, and with nice when others share it.
set -u
PL_BUILD=$(cd "${1:?usage: bench/gateway_vs_nginx.sh BUILD_DIR [ROUNDS]}" && pwd)
ROUNDS=${2:-3}
SECONDS_EACH=${PL_WRK_SECONDS:-10}
SESSIONS=${PL_SESSIONS:-500}
THREADS=${PL_THREADS:-8}
export PL_BUILD PLENARY_LOG=warn
HERE=$(cd "$(dirname "$0")" && pwd)

missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
command -v h2load >/dev/null || missing+=(nghttp2-client)
if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
        || { apt-get update -q >/dev/null \
             && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; } \
        || { echo "cannot install ${missing[*]}" >&2; exit 1; }
fi

. "$HERE/../tests/harness.sh"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)," \
     "kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- plenary: broker, records, calendar, gateway
pl_system "$PL_TMP/data"
pl_start_calendar "$PL_TMP/data"
"${PL_GATEWAY:-plenary-gateway}" --data "$PL_TMP/data" --endpoint "$PLENARY_ENDPOINT" \
    --http '127.0.0.1:*' --per-ip-limit 0 --threads "$THREADS" >>"$PL_TMP/gateway.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$PL_TMP/data/gateway.ready" || pl_fail "no gateway.ready"
HTTP=$(sed -n 's/^http=//p' "$PL_TMP/data/gateway.ready")
FEED=http://$HTTP/ics/meetings/bench.ics

plenary meeting add --id bench --convention CCM --kind msp \
    --title "第十三次缔约国会议 Thirteenth Meeting of States Parties" \
    --venue "Geneva, Palais des Nations" --tz Europe/Zurich \
    --start 2030-01-01 --end 2030-12-31 >/dev/null || pl_fail "meeting add"
# Four sessions a day, as pl-bench-calendar makes them; four publishers at once
for ((i = 0; i < SESSIONS; i++)); do
    day=$(( i / 4 % 28 + 1 )); month=$(( i / 112 % 12 + 1 )); hour=$(( 8 + i % 4 * 2 ))
    printf '%s %04d-%02d-%02dT%02d:00 %04d-%02d-%02dT%02d:45\n' "s$i" 2030 "$month" "$day" \
        "$hour" 2030 "$month" "$day" $(( hour + 1 ))
done | xargs -P 4 -L 1 sh -c 'plenary session add --meeting bench --id "$0" \
    --title "Plenary meeting — 全体会议 — пленарное заседание" --start "$1" --end "$2" \
    --room "Room XIX" --agenda-item "8(a)" --agenda-item "9(h)(i)" >/dev/null' \
    || pl_fail "session add"
last=$(( SESSIONS - 1 ))
all_there () { [ "$(curl -sf "$FEED" | grep -c '^UID:session/bench/')" = "$SESSIONS" ]; }
pl_poll 300 all_there || pl_fail "the feed never showed $SESSIONS sessions"

# ---- nginx: the same bytes from a file
WWW=$(mktemp -d "${TMPDIR:-/tmp}/plenary-nginx.XXXXXX")
trap 'kill -TERM $(cat "$WWW/nginx.pid" 2>/dev/null) 2>/dev/null; rm -rf "$WWW"; pl_cleanup' EXIT
chmod 755 "$WWW"
mkdir -p "$WWW/ics/meetings" "$WWW/tmp"
curl -sf -o "$WWW/ics/meetings/bench.ics" "$FEED" || pl_fail "GET the feed"
gzip -6 -n -k "$WWW/ics/meetings/bench.ics"     #  zlib's default level, as the gateway's
chmod -R a+rX "$WWW/ics"
BYTES=$(stat -c %s "$WWW/ics/meetings/bench.ics")
# An ephemeral port for nginx: bind 0 would not tell us which one
NGINX_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$WWW/nginx.conf" <<EOF
worker_processes $THREADS;
pid $WWW/nginx.pid;
error_log $WWW/error.log warn;
daemon on;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    open_file_cache max=1000 inactive=60s;
    open_file_cache_valid 60s;
    types { text/calendar ics; }
    client_body_temp_path $WWW/tmp/body;
    proxy_temp_path $WWW/tmp/proxy;
    fastcgi_temp_path $WWW/tmp/fastcgi;
    uwsgi_temp_path $WWW/tmp/uwsgi;
    scgi_temp_path $WWW/tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WWW;
        charset utf-8;
        charset_types text/calendar;
        gzip_static on;
        gzip_vary on;
    }
}
EOF
nginx -c "$WWW/nginx.conf" -e "$WWW/error.log" || pl_fail "nginx did not start: $(cat "$WWW/error.log")"
NGINX=http://127.0.0.1:$NGINX_PORT/ics/meetings/bench.ics
pl_poll 100 curl -sf -o /dev/null "$NGINX" || pl_fail "nginx does not serve the feed"
cmp -s <(curl -sf "$NGINX") "$WWW/ics/meetings/bench.ics" || pl_fail "nginx serves other bytes"
GZIP_GW=1
for url in "$FEED" "$NGINX"; do
    if [ "$(curl -sf -H 'Accept-Encoding: gzip' -D - -o "$WWW/check.gz" "$url" \
        | grep -ci '^content-encoding: gzip')" != 1 ]; then
        [ "$url" = "$FEED" ] && [ -n "${PL_GATEWAY:-}" ] || pl_fail "$url: no gzip"
        echo "gateway: no gzip ($PL_GATEWAY); its gzip runs are left out"
        GZIP_GW=0
        continue
    fi
    gzip -dc "$WWW/check.gz" | cmp -s - "$WWW/ics/meetings/bench.ics" \
        || pl_fail "$url: the gzip inflates to other bytes"
done

etag_of () { curl -sfI "$1" | sed -n 's/^[Ee][Tt][Aa][Gg]: \(.*\)\r$/\1/p'; }
ETAG_GW=$(etag_of "$FEED")
ETAG_NG=$(etag_of "$NGINX")
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG_GW" "$FEED")" = 304 ] \
    || pl_fail "the gateway does not answer its ETag with 304"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG_NG" "$NGINX")" = 304 ] \
    || pl_fail "nginx does not answer its ETag with 304"
echo "feed: $SESSIONS sessions, $BYTES bytes; gateway $FEED ETag $ETAG_GW; nginx $NGINX ETag $ETAG_NG"

# TCP connections this host opened so far (wrk's and h2load's among them)
opens () { awk '/^Tcp:/ { if (n++) print $6 }' /proc/net/snmp; }
# run NAME TOOL URL [ARGS...]: one run of TOOL (wrk or h2load); prints its
# figures and records its requests/s under NAME
declare -A RESULTS
run () {
    local name=$1 tool=$2 url=$3 out rps detail before after
    shift 3
    before=$(opens)
    if [ "$tool" = wrk ]; then
        out=$(wrk -t2 -c200 -d"${SECONDS_EACH}s" "$@" "$url" 2>&1)
        rps=$(sed -n 's/^Requests\/sec:[[:space:]]*\([0-9.]*\)/\1/p' <<<"$out")
        detail="$(sed -n 's/^ *Latency *\([^ ]*\).*/latency mean \1/p' <<<"$out")"
        detail="$detail $(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
    else
        out=$(h2load --h1 -t2 -c200 -D "$SECONDS_EACH" "$@" "$url" 2>&1)
        rps=$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out")
        detail="$(sed -n 's/^time for request: *[^ ]* *[^ ]* *\([^ ]*\).*/latency mean \1/p' <<<"$out")"
        detail="$detail $(grep -E '^requests:|^status codes:' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
    fi
    after=$(opens)
    printf '%-16s %10s req/s  connections opened %s  %s\n' "$name" "${rps:-?}" \
        "$((after - before))" "$detail"
    RESULTS[$name]="${RESULTS[$name]:-} ${rps:-0}"
}
for round in $(seq 1 "$ROUNDS"); do
    echo "== round $round (load average $(cut -d' ' -f1 /proc/loadavg))"
    run gateway-200 wrk "$FEED"
    run nginx-200 wrk "$NGINX"
    run gateway-200-h2 h2load "$FEED"
    run nginx-200-h2 h2load "$NGINX"
    run gateway-304 h2load "$FEED" -H "If-None-Match: $ETAG_GW"
    run nginx-304 h2load "$NGINX" -H "If-None-Match: $ETAG_NG"
    [ "$GZIP_GW" = 0 ] || run gateway-gzip-200 wrk "$FEED" -H "Accept-Encoding: gzip"
    run nginx-gzip-200 wrk "$NGINX" -H "Accept-Encoding: gzip"
done

median () { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "== medians of $ROUNDS rounds, requests/s (ratio gateway / nginx)"
for measure in 200 200-h2 304 gzip-200; do
    [ -n "${RESULTS[gateway-$measure]:-}" ] || continue
    gw=$(median <<<"${RESULTS[gateway-$measure]}")
    ng=$(median <<<"${RESULTS[nginx-$measure]}")
    printf '%-9s gateway %s [%s]  nginx %s [%s]  ratio %s\n' "$measure:" "$gw" \
        "${RESULTS[gateway-$measure]# }" "$ng" "${RESULTS[nginx-$measure]# }" \
        "$(awk -v a="$gw" -v b="$ng" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
done
