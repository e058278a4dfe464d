#!/usr/bin/env bash
# tests/distribution.sh — who sees what, on every path, with real keys.
#
# A broker with keys (plenary keys init) and one key per role: the
# secretariat (op), a delegate (del), the public (pub); the records worker
# and its replies through the real worker engine.
#   - personal data: a delegate's `participants --json` has no e-mail
#     address where the secretariat's has it, its --csv no e-mail column,
#     its history no e-mail inside the details before a change.
. "$(dirname "$0")/harness.sh"
D=$PL_TMP/data
K=$D/keys/issued

plenary keys init --data "$D" >/dev/null || pl_fail "keys init"
for who in op:secretariat del:delegate pub:public; do
    plenary keys new --role "${who#*:}" --name "${who%%:*}" --data "$D" >/dev/null \
        || pl_fail "keys new $who"
done
pl_start_broker "$D"
PLENARY_CERT=$K/records.key pl_start_records "$D"
export PLENARY_CERT=$K/op.key
pl_wait_records

# as ROLE: run plenary with the key of op, del or pub
as () { local key=$1; shift; PLENARY_CERT=$K/$key.key plenary "$@"; }

# ---- personal data: the secretariat's only
plenary meeting add --id dist-msp --convention CCM --kind msp --title "Distribution" \
    --venue Geneva --tz Europe/Zurich --start 2031-05-05 --end 2031-05-08 >/dev/null \
    || pl_fail "meeting add"
plenary register --meeting dist-msp --family-name Dupont --given-name Anne --delegation FR \
    --email anne.dupont@example.fr --note "passport 12AB34567" >/dev/null || pl_fail "register"
P=$(plenary participants --meeting dist-msp --json | jq -r '.[0].id')
plenary participant update "$P" --meeting dist-msp --email a.dupont@example.fr >/dev/null \
    || pl_fail "participant update"
plenary participants --meeting dist-msp --json \
    | jq -e '.[0].email == "a.dupont@example.fr" and .[0].note == "passport 12AB34567"' \
    >/dev/null || pl_fail "the secretariat's list has no e-mail or note"
as del participants --meeting dist-msp --json >"$PL_TMP/del.json" || pl_fail "a delegate's list"
jq -e 'length == 1 and .[0].family_name == "Dupont" and (.[0] | has("email") | not)
       and (.[0] | has("note") | not)' "$PL_TMP/del.json" >/dev/null \
    || pl_fail "a delegate's list: $(cat "$PL_TMP/del.json")"
as del participants --meeting dist-msp --csv | head -1 | grep -q "email" \
    && pl_fail "a delegate's CSV has an e-mail column"
as del participants --meeting dist-msp --csv | head -1 | grep -q "family_name" \
    || pl_fail "a delegate's CSV has no header"
as del participants --meeting dist-msp | grep -q "EMAIL" && pl_fail "a delegate's table has an e-mail column"
plenary participants --meeting dist-msp --csv | head -1 | grep -q "email" \
    || pl_fail "the secretariat's CSV has no e-mail column"
as pub participants --meeting dist-msp --as-of 2031-01-01T00:00Z --json >/dev/null \
    || pl_fail "an as-of list for the public"
as pub participant history "$P" --meeting dist-msp --json >"$PL_TMP/history.json" \
    || pl_fail "the public's history"
grep -q "example.fr\|passport" "$PL_TMP/history.json" \
    && pl_fail "the public's history holds personal data: $(cat "$PL_TMP/history.json")"
plenary participant history "$P" --meeting dist-msp --json | grep -q "anne.dupont@example.fr" \
    || pl_fail "the secretariat's history lost the e-mail before the change"
pl_pass "personal data is the secretariat's"

pl_pass "distribution"
