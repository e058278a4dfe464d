#!/usr/bin/env bash
# Authority is decided by the broker: a connection whose role is not the
# secretariat may query but not publish, and gets a 403 reason.
. "$(dirname "$0")/harness.sh"
pl_start_broker "$PL_TMP/data" --loopback-role delegate
pl_start_records "$PL_TMP/data"
pl_wait_records
plenary meeting add --id role-msp --convention CCM --kind msp --title T --venue Geneva \
    --tz Europe/Zurich --start 2031-01-05 --end 2031-01-06 >/dev/null 2>"$PL_TMP/err"
rc=$?; [ $rc = 1 ] || pl_fail "a delegate's publish exited $rc, want 1"
grep -q "role delegate may not publish" "$PL_TMP/err" || pl_fail "reason: $(cat "$PL_TMP/err")"
plenary status --json | jq -e '.events==0' >/dev/null || pl_fail "the refused event reached the log"
plenaryd --loopback-role chairman --data "$PL_TMP/x" 2>"$PL_TMP/err"
[ $? = 2 ] && grep -q "loopback-role: expected one of secretariat" "$PL_TMP/err" || pl_fail "an unknown role was accepted"
pl_pass "roles"
