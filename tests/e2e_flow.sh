#!/usr/bin/env bash
# The first flow through the CLI: publish -> ack -> applied -> receipt -> query,
# idempotent publishing by event id, and the records worker's business rules
# reported as exit 1 with the reason on stderr.
. "$(dirname "$0")/harness.sh"
pl_system "$PL_TMP/data"

plenary meeting add --id ccm-msp11 --convention CCM --kind msp \
    --title "Eleventh Meeting of States Parties" --venue Geneva --tz Europe/Zurich \
    --start 2030-09-09 --end 2030-09-12 >"$PL_TMP/out" 2>"$PL_TMP/err" \
    || pl_fail "meeting add: $(cat "$PL_TMP/err")"
plenary meeting list --json | jq -e 'any(.[]; .id=="ccm-msp11" and .status=="scheduled" and .tz=="Europe/Zurich")' >/dev/null \
    || pl_fail "meeting list --json lacks ccm-msp11"

# register with a producer-chosen event id: the receipt says registered
plenary register --meeting ccm-msp11 --family-name "王" --given-name "小明" --delegation CN \
    --function head --gender m --email wang@example.cn --id reg-wang-1 --json >"$PL_TMP/r1" \
    || pl_fail "register: $(cat "$PL_TMP/r1")"
jq -e '.verdict=="applied" and .duplicate==false and (.seq|type)=="number"' "$PL_TMP/r1" >/dev/null \
    || pl_fail "register --json: $(cat "$PL_TMP/r1")"
seq1=$(jq .seq "$PL_TMP/r1")

# the same event id again: the same seq, marked duplicate, nothing new applied
plenary register --meeting ccm-msp11 --family-name "王" --given-name "小明" --delegation CN \
    --function head --gender m --email wang@example.cn --id reg-wang-1 --json >"$PL_TMP/r2" \
    || pl_fail "register retry: $(cat "$PL_TMP/r2")"
jq -e --argjson s "$seq1" '.seq==$s and .duplicate==true' "$PL_TMP/r2" >/dev/null \
    || pl_fail "retry with the same --id did not return seq $seq1: $(cat "$PL_TMP/r2")"

plenary participants --meeting ccm-msp11 --json >"$PL_TMP/p" || pl_fail "participants"
jq -e --arg id "p$seq1" 'length==1 and .[0].id==$id and .[0].family_name=="王" and .[0].given_name=="小明"
    and .[0].delegation=="CN" and .[0].function=="head" and .[0].status=="registered"' "$PL_TMP/p" >/dev/null \
    || pl_fail "participants --json: $(cat "$PL_TMP/p")"

# the same person under a new event id is refused by the records worker
plenary register --meeting ccm-msp11 --family-name "Wang" --given-name "Xiaoming" --delegation CN \
    --email WANG@example.cn 2>"$PL_TMP/err" >/dev/null
rc=$?; [ $rc = 1 ] || pl_fail "second registration of one e-mail exited $rc, want 1"
grep -q "already registered" "$PL_TMP/err" || pl_fail "duplicate person reason: $(cat "$PL_TMP/err")"

# an unknown meeting: exit 1 and the reason
plenary register --meeting ccm-msp99 --family-name X --given-name Y --delegation FR 2>"$PL_TMP/err" >/dev/null
rc=$?; [ $rc = 1 ] || pl_fail "register to unknown meeting exited $rc"
grep -q "meeting ccm-msp99 does not exist" "$PL_TMP/err" || pl_fail "reason: $(cat "$PL_TMP/err")"

# invalid input is refused before it is published, naming the field
plenary register --meeting ccm-msp11 --family-name "$(head -c 200 /dev/zero | tr '\0' x)" \
    --given-name Y --delegation FR 2>"$PL_TMP/err" >/dev/null && pl_fail "200-byte family name accepted"
grep -q "family" "$PL_TMP/err" || pl_fail "too-long family name error does not name the field: $(cat "$PL_TMP/err")"

# a meeting that ends before it starts is rejected with the reason
plenary meeting add --id bad-dates --convention CCW --kind gge --title T --venue Geneva \
    --tz Europe/Zurich --start 2030-09-09 --end 2030-09-01 2>"$PL_TMP/err" >/dev/null
rc=$?; [ $rc = 1 ] || pl_fail "end before start exited $rc"
grep -q "before start" "$PL_TMP/err" || pl_fail "end-before-start reason: $(cat "$PL_TMP/err")"

# the log holds exactly what was accepted: meeting, wang, the duplicate-person
# attempt, the unknown-meeting attempt, the bad-dates meeting = 5 events
plenary status --json | jq -e '.events==5' >/dev/null \
    || pl_fail "broker.status events: $(plenary status --json)"
# a second broker on the same data folder is refused, and the first keeps serving
plenaryd --data "$PL_TMP/data" --endpoint 'tcp://127.0.0.1:*' --backend 'tcp://127.0.0.1:*' \
    --pub 'tcp://127.0.0.1:*' 2>"$PL_TMP/err"
rc=$?; [ $rc = 1 ] || pl_fail "a second plenaryd on one data folder exited $rc, want 1"
grep -q "another plenaryd" "$PL_TMP/err" || pl_fail "second broker: $(cat "$PL_TMP/err")"
plenary meeting list --json | jq -e 'length==1 and .[0].id=="ccm-msp11"' >/dev/null || pl_fail "first broker stopped serving"
pl_pass "e2e flow"
