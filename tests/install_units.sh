#!/usr/bin/env bash
# The systemd units cmake --install writes (dist/systemd/): one per program,
# pointing at the installed binaries, passing systemd-analyze verify without
# a word (their man pages found too), with the supervision and confinement
# README's "Run it as a service" promises; the environment examples name only
# variables the programs document; the mail worker's unit runs only once
# plenary.conf names a relay (its ExecCondition, run here both ways); README enables each; and the units' own
# command lines, run as systemd would (%S the state root), serve.  Skipped (77) without
# systemd-analyze (Debian: the systemd package, which scripts/build.sh installs).
. "$(dirname "$0")/harness.sh"
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze is not installed"; exit 77; }
P=$PL_TMP/prefix
cmake --install "$PL_BUILD" --prefix "$P" >"$PL_TMP/install.log" 2>&1 \
    || pl_fail "cmake --install failed: $(tail -5 "$PL_TMP/install.log")"
U=$P/lib/systemd/system
DAEMONS="plenaryd plenary-records plenary-calendar plenary-archive plenary-notify plenary-gateway"
units=()
for d in $DAEMONS; do
    f=$U/$d.service
    [ -f "$f" ] || pl_fail "lib/systemd/system/$d.service was not installed"
    units+=("$f")
    grep -qx "ExecStart=$P/bin/$d --data %S/plenary" "$f" || pl_fail "$d.service: $(grep ExecStart "$f")"
    for line in DynamicUser=yes User=plenary StateDirectory=plenary ProtectSystem=strict \
                ReadWritePaths=%S/plenary Restart=on-failure \
                EnvironmentFile=-/etc/plenary/plenary.env WantedBy=multi-user.target; do
        grep -qx "$line" "$f" || pl_fail "$d.service lacks $line"
    done
    if [ "$d" != plenaryd ]; then
        grep -qx "Requires=plenaryd.service" "$f" && grep -qx "After=plenaryd.service" "$f" \
            || pl_fail "$d.service does not require and follow plenaryd.service"
    fi
done
grep -qx "ExecCondition=$P/bin/plenary-notify --data %S/plenary --check-config" "$U/plenary-notify.service" \
    && grep -qx "EnvironmentFile=-/etc/plenary/notify.env" "$U/plenary-notify.service" \
    || pl_fail "plenary-notify.service runs without asking whether a relay is named"
MANPATH=$P/share/man systemd-analyze verify "${units[@]}" >"$PL_TMP/verify.out" 2>&1 \
    || pl_fail "systemd-analyze verify: $(cat "$PL_TMP/verify.out")"
[ -s "$PL_TMP/verify.out" ] && pl_fail "systemd-analyze verify warns: $(cat "$PL_TMP/verify.out")"

# a package's staged install: DESTDIR holds the files, the units name /usr
DESTDIR=$PL_TMP/stage cmake --install "$PL_BUILD" --prefix /usr >"$PL_TMP/stage.log" 2>&1 \
    || pl_fail "DESTDIR install failed: $(tail -5 "$PL_TMP/stage.log")"
grep -qx "ExecStart=/usr/bin/plenaryd --data %S/plenary" "$PL_TMP/stage/usr/lib/systemd/system/plenaryd.service" \
    || pl_fail "with DESTDIR, plenaryd.service: $(grep -s ExecStart "$PL_TMP/stage/usr/lib/systemd/system/plenaryd.service")"
[ -x "$PL_TMP/stage/usr/bin/plenaryd" ] || pl_fail "with DESTDIR, no usr/bin/plenaryd in the stage"

# README's "Run it as a service" enables exactly the units installed
enabled=$(sed -n '/^## Run it as a service/,/^## /p' "$PL_SOURCE/README.md" \
          | sed -n 's/^ *systemctl enable --now \([^#]*\).*/\1/p' | tr ' ' '\n' | grep . | sort)
installed=$(cd "$U" && ls *.service | sed 's/\.service$//' | sort)
[ "$enabled" = "$installed" ] \
    || pl_fail "README enables '$(echo $enabled)', the install has '$(echo $installed)'"

# the examples: installed, and every variable they set is one a program documents
E=$P/share/doc/plenary/examples
[ -f "$E/plenary.conf" ] || pl_fail "share/doc/plenary/examples/plenary.conf was not installed"
for f in plenary.env notify.env; do
    [ -f "$E/$f" ] || pl_fail "share/doc/plenary/examples/$f was not installed"
    for var in $(grep -o '^#\?PLENARY_[A-Z_]*=' "$E/$f" | tr -d '#='); do
        grep -rqF "$var" "$P/share/man" || pl_fail "$f sets $var, which no program's --help names"
    done
done
( set -a; . "$E/notify.env" ) || pl_fail "notify.env is not a valid environment file"

# the units' command lines, as systemd runs them: plenaryd, then records
STATE=$PL_TMP/state
mkdir -p "$STATE/plenary"
command_of () { sed -n 's/^ExecStart=//p' "$U/$1.service" | sed "s|%S|$STATE|g"; }
export PLENARY_ENDPOINT='tcp://127.0.0.1:*' PLENARY_BACKEND='tcp://127.0.0.1:*' PLENARY_PUB='tcp://127.0.0.1:*'
$(command_of plenaryd) >"$PL_TMP/broker.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$STATE/plenary/plenaryd.ready" || pl_fail "plenaryd's unit command wrote no ready file"
PLENARY_ENDPOINT=$(sed -n 's/^frontend=//p' "$STATE/plenary/plenaryd.ready")
PLENARY_BACKEND=$(sed -n 's/^backend=//p' "$STATE/plenary/plenaryd.ready")
$(command_of plenary-records) >"$PL_TMP/records.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 "$P/bin/plenary" meeting list || pl_fail "the records unit's command did not answer"
# the mail worker's condition, as systemd runs it: skipped (non-zero, not
# 255) without a relay, run once the example's [notify] names one
condition=$(sed -n 's/^ExecCondition=//p' "$U/plenary-notify.service" | sed "s|%S|$STATE|g")
$condition >"$PL_TMP/condition.out" 2>&1; rc=$?
[ "$rc" != 0 ] && [ "$rc" != 255 ] && grep -q "no mail relay" "$PL_TMP/condition.out" \
    || pl_fail "plenary-notify's condition without a relay: $rc $(cat "$PL_TMP/condition.out")"
sed 's/^#\(smtp\|from\) = /\1 = /' "$E/plenary.conf" >"$PL_TMP/relay.conf"
PLENARY_CONFIG=$PL_TMP/relay.conf $condition >"$PL_TMP/condition.out" 2>&1 \
    || pl_fail "plenary-notify's condition with the example's relay: $(cat "$PL_TMP/condition.out")"
[ -f "$STATE/plenary/records/records.db" ] || pl_fail "records keeps no database in the state directory"

pl_pass "systemd units: six, verified, confined and supervised; their commands serve from the state directory"
