#!/usr/bin/env bash
# A full disk: the broker's data folder on a small tmpfs made here, nearly
# filled.  Publishing goes on until the disk is full; from then on every
# publisher is told "storage full" (status 507, exit 1), the broker says so
# in its log once per interval rather than once per event, nothing is
# half-written (every event acknowledged is in the log, and no other), and
# once space is made again publishing works without a restart.  Needs root
# to mount the tmpfs; otherwise skipped (exit 77).
. "$(dirname "$0")/harness.sh"
SMALL=$PL_TMP/small
mkdir -p "$SMALL"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=3m tmpfs "$SMALL" 2>/dev/null; then
    echo "SKIP: needs root to mount a small tmpfs"; exit 77
fi
# the harness's cleanup, then the tmpfs goes
s_cleanup_all () {
    local pid
    for pid in $PL_PIDS; do kill -TERM "$pid" 2>/dev/null; done
    for pid in $PL_PIDS; do pl_wait_gone "$pid" 50 || kill -KILL "$pid" 2>/dev/null; done
    umount "$SMALL" 2>/dev/null
    if [ "${PL_KEEP:-}" = 1 ]; then echo "kept $PL_TMP"; else rm -rf "$PL_TMP"; fi
}
trap s_cleanup_all EXIT
PLENARY_LOG=info pl_start_broker "$SMALL/data"
# leave about 400 KB: a few hundred events, then the WAL cannot grow
free_kb=$(df -k --output=avail "$SMALL" | tail -1)
dd if=/dev/zero of="$SMALL/filler" bs=1k count=$((free_kb - 400)) status=none 2>/dev/null
PL_PUBLISH_DEADLINE_MS=5000 test-publisher --meeting full-msp --count 4000 --window 64 \
    --prefix df --acks "$PL_TMP/acks" 2>"$PL_TMP/publisher.log"
[ $? = 1 ] || pl_fail "the publisher never met a full disk"
acked=$(wc -l <"$PL_TMP/acks")
refused=$(grep -c ": 507 storage full: the broker's disk is full" "$PL_TMP/publisher.log")
echo "acknowledged $acked, refused as storage full $refused"
[ "$acked" -gt 0 ] && [ "$refused" -gt 100 ] || pl_fail "acked $acked, refused $refused: $(tail -3 "$PL_TMP/publisher.log")"
grep -v ": 507 storage full" "$PL_TMP/publisher.log" | grep -q "test-publisher: df-" \
    && pl_fail "other errors than storage full: $(grep -v 'storage full' "$PL_TMP/publisher.log" | head -3)"
lines=$(grep -c "the disk is full" "$PL_TMP/broker.log")
[ "$lines" -ge 1 ] && [ "$lines" -le 3 ] || pl_fail "the full disk was logged $lines times"
grep -q "error code=507" "$PL_TMP/broker.log" && pl_fail "each refusal was logged"
# make space: the broker takes events again, without a restart
rm -f "$SMALL/filler"
plenary status --json | jq -e --argjson n "$acked" '.events == $n' >/dev/null \
    || pl_fail "the log holds $(plenary status --json | jq .events) events, $acked were acknowledged"
pl_poll 50 test-publisher --meeting full-msp --count 10 --prefix after --acks "$PL_TMP/after" \
    || pl_fail "publishing did not work again after space was made"
plenary status --json | jq -e --argjson n "$((acked + 10))" '.events == $n' >/dev/null \
    || pl_fail "after space was made the log holds $(plenary status --json | jq .events) events"
pl_pass "full disk: $refused publishes told 'storage full', logged $lines time(s), nothing half-written, recovered"
