#!/usr/bin/env bash
# Keys across hosts: the broker on one host, a worker and the secretariat's
# CLI on another, joined by a link of their own (two network namespaces and
# a veth pair made here; no traffic leaves them).  The broker listens on the
# link's address, not on loopback: without keys it refuses to start; with
# them the worker and the CLI on the second host work with their keys, and
# nothing works without one.  Needs root and iproute2; otherwise skipped
# (exit 77).
. "$(dirname "$0")/harness.sh"
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
    echo "SKIP: needs root and iproute2 for network namespaces"; exit 77
fi
NS_B=plb$$ NS_W=plw$$
NET=10.$((200 + $$ % 50)).$(($$ % 250)).
s_teardown () {
    pl_cleanup
    ip netns del "$NS_B" 2>/dev/null
    ip netns del "$NS_W" 2>/dev/null
}
trap s_teardown EXIT
if ! ip netns add "$NS_B" 2>/dev/null; then
    echo "SKIP: cannot make network namespaces here"; exit 77
fi
ip netns add "$NS_W" || pl_fail "ip netns add"
ip link add "b$$" netns "$NS_B" type veth peer name "w$$" netns "$NS_W" || pl_fail "veth"
ip -n "$NS_B" addr add "${NET}1/30" dev "b$$"
ip -n "$NS_W" addr add "${NET}2/30" dev "w$$"
for ns in "$NS_B" "$NS_W"; do ip -n "$ns" link set lo up; done
ip -n "$NS_B" link set "b$$" up
ip -n "$NS_W" link set "w$$" up
on_b () { ip netns exec "$NS_B" "$@"; }
on_w () { ip netns exec "$NS_W" "$@"; }
D=$PL_TMP/data
K=$D/keys/issued
EP="tcp://${NET}1:*"

# without keys the broker will not listen on the link
on_b plenaryd --data "$D" --endpoint "$EP" --backend "$EP" --pub "$EP" 2>"$PL_TMP/err"
[ $? = 1 ] && grep -q "is not a loopback address" "$PL_TMP/err" || pl_fail "no keys: $(cat "$PL_TMP/err")"

plenary keys init --data "$D" >/dev/null || pl_fail "keys init"
plenary keys new --role secretariat --name op --data "$D" >/dev/null || pl_fail "keys new"
# (ip netns exec becomes the program: $! is the daemon's own pid, for cleanup)
ip netns exec "$NS_B" plenaryd --data "$D" --endpoint "$EP" --backend "$EP" --pub "$EP" \
    >>"$PL_TMP/broker.log" 2>&1 &
BROKER_PID=$!
PL_PIDS="$PL_PIDS $BROKER_PID"
pl_poll 100 test -s "$D/plenaryd.ready" || pl_fail "no plenaryd.ready"
export PLENARY_ENDPOINT=$(sed -n 's/^frontend=//p' "$D/plenaryd.ready")
export PLENARY_BACKEND=$(sed -n 's/^backend=//p' "$D/plenaryd.ready")
export PLENARY_PUB=$(sed -n 's/^pub=//p' "$D/plenaryd.ready")
case $PLENARY_ENDPOINT in tcp://${NET}1:*) ;; *) pl_fail "bound to $PLENARY_ENDPOINT" ;; esac

# the records worker on the second host, with its key, in a folder of its own
ip netns exec "$NS_W" plenary-records --data "$PL_TMP/host-w" --backend "$PLENARY_BACKEND" \
    --cert "$K/records.key" >>"$PL_TMP/records.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
export PLENARY_CERT=$K/op.key
pl_poll 100 on_w plenary meeting list --json || pl_fail "the worker or the CLI on host W cannot reach the broker"
on_w plenary meeting add --id hosts-msp --convention CCM --kind msp --title "Two hosts" \
    --venue Geneva --tz Europe/Zurich --start 2031-05-04 --end 2031-05-06 >/dev/null \
    || pl_fail "the secretariat on host W cannot publish"
on_w plenary meeting list --json | jq -e 'any(.[]; .id == "hosts-msp")' >/dev/null \
    || pl_fail "the meeting is not in the records of host W"
# nothing without a key, from the other host
PLENARY_CERT= on_w plenary meeting list 2>"$PL_TMP/err"; [ $? = 1 ] \
    && grep -q "requires a key" "$PL_TMP/err" || pl_fail "no key from host W: $(cat "$PL_TMP/err")"
ip netns exec "$NS_W" plenary-archive --data "$PL_TMP/host-w" --backend "$PLENARY_BACKEND" \
    >>"$PL_TMP/archive.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
# a worker that cannot finish its handshake hears no heartbeat and gives up
# on the connection after liveness; one that joined would hear them
pl_poll 150 grep -q "broker silent .* reconnecting group=archive" "$PL_TMP/archive.log" \
    || pl_fail "the keyless archive worker did not find itself shut out"
on_w plenary status --json | jq -e 'all(.groups[]; .group != "archive")' >/dev/null \
    || pl_fail "a worker without a key joined from host W"
pl_pass "keys across two hosts: the broker on a link address, a worker and the secretariat elsewhere"
