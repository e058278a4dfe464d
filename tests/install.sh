#!/usr/bin/env bash
# cmake --install into a temporary prefix (dist/install.cmake): every binary
# is there and answers --help; plenary-notify's templates are installed and
# the installed daemon finds them relative to itself (not in the build or
# source folder); the installed `plenary up` starts the installed daemons,
# the mail worker included, and they serve.
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
P=$PL_TMP/prefix
cmake --install "$PL_BUILD" --prefix "$P" >"$PL_TMP/install.log" 2>&1 \
    || pl_fail "cmake --install failed: $(tail -5 "$PL_TMP/install.log")"

PROGRAMS="plenary plenaryd plenary-records plenary-calendar plenary-archive plenary-notify plenary-gateway"
for b in $PROGRAMS; do
    [ -x "$P/bin/$b" ] || pl_fail "bin/$b was not installed"
    "$P/bin/$b" --help >"$PL_TMP/help.out" 2>&1 || pl_fail "installed $b --help failed"
    grep -qi "^usage: *$b\|^$b —" "$PL_TMP/help.out" || pl_fail "installed $b --help: $(head -2 "$PL_TMP/help.out")"
done

T=$P/share/plenary/notify-templates
diff -r "$PL_SOURCE/workers/notify/templates" "$T" >/dev/null \
    || pl_fail "share/plenary/notify-templates differs from workers/notify/templates"
# without them the installed daemon says where it looked: relative to itself
mv "$T" "$T.away"
"$P/bin/plenary-notify" --data "$PL_TMP/nodata" --smtp smtp://127.0.0.1:9 --from isu@example.org \
    >"$PL_TMP/notify-away.out" 2>&1 && pl_fail "plenary-notify started without its templates"
grep -q "templates" "$PL_TMP/notify-away.out" || pl_fail "no templates error: $(cat "$PL_TMP/notify-away.out")"
grep -qF -e "$PL_BUILD" -e "$PL_SOURCE" "$PL_TMP/notify-away.out" \
    && pl_fail "installed plenary-notify looked in the build or source folder: $(cat "$PL_TMP/notify-away.out")"
mv "$T.away" "$T"

# the installed system: plenary up starts the daemons beside itself
DATA=$PL_TMP/data
export PLENARY_ENDPOINT='tcp://127.0.0.1:*' PLENARY_BACKEND='tcp://127.0.0.1:*' PLENARY_PUB='tcp://127.0.0.1:*'
export PLENARY_HTTP='127.0.0.1:0' PLENARY_SMTP=smtp://127.0.0.1:9 PLENARY_MAIL_FROM=isu@example.org
env PATH=/usr/bin:/bin "$P/bin/plenary" up --data "$DATA" >"$PL_TMP/up.out" 2>"$PL_TMP/up.log" &
UP=$!
PL_PIDS="$PL_PIDS $UP"
pl_poll 100 test -s "$DATA/plenaryd.ready" || pl_fail "installed plenary up: no plenaryd.ready within 10 s"
PLENARY_ENDPOINT=$(sed -n 's/^frontend=//p' "$DATA/plenaryd.ready")
export PLENARY_ENDPOINT
joined () {
    "$P/bin/plenary" status --json | jq -e '[.groups[] | select(.workers > 0) | .group] | sort
        == ["archive", "calendar", "notify", "records"]'
}
pl_poll 150 joined || pl_fail "installed workers did not all join: $("$P/bin/plenary" status 2>&1)"
for pid in $(pgrep -P "$UP"); do
    exe=$(readlink "/proc/$pid/exe")
    case $exe in "$P"/bin/*) ;; *) pl_fail "plenary up started $exe, not the installed one" ;; esac
done
[ "$(pgrep -P "$UP" | wc -l)" -ge 6 ] || pl_fail "installed plenary up runs $(pgrep -P "$UP" | wc -l) programs, want 6"
"$P/bin/plenary" meeting list --json >/dev/null || pl_fail "installed records worker did not answer"
kill -TERM "$UP"
pl_wait_gone "$UP" 50 || pl_fail "installed plenary up did not stop within 5 s"

pl_pass "cmake --install: binaries answer --help, templates found relative to the prefix, the installed system serves"
