#!/usr/bin/env bash
# tests/distribution.sh — who sees what, on every path, with real keys.
#
# A broker with keys (plenary keys init) and one key per role: the
# secretariat (op), a record-keeper (rk), a delegate (del), the public
# (pub); the records, archive and calendar workers and the HTTP gateway
# (which asks as the public), each with its own key.
#   - personal data: a delegate's `participants --json` has no e-mail
#     address where the secretariat's has it, its --csv no e-mail column,
#     its history no e-mail inside the details before a change;
#   - documents: general revision 1, then restricted revision 2: the public
#     sees nothing of the document on any path (doc, doc --revision 1, a
#     Corr. of it, search by word and by symbol, an outcome citing it, the
#     HTTP API, the meeting's feed); declassified, it sees every revision;
#     a withdrawn revision is gone for it and renumbered away, kept with who
#     and why for the secretariat; a document withdrawn leaves every path.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
D=$PL_TMP/data
K=$D/keys/issued

plenary keys init --data "$D" >/dev/null || pl_fail "keys init"
for who in op:secretariat rk:record-keeper del:delegate pub:public; do
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
as del participants --meeting dist-msp --as-of 2099-01-01T00:00Z --json >"$PL_TMP/asof.json" \
    || pl_fail "an as-of list for a delegate"
jq -e 'length == 1 and (.[0] | has("email") | not)' "$PL_TMP/asof.json" >/dev/null \
    || pl_fail "a delegate's as-of list: $(cat "$PL_TMP/asof.json")"
plenary participants --meeting dist-msp --as-of 2099-01-01T00:00Z --json \
    | jq -e '.[0].email == "a.dupont@example.fr"' >/dev/null \
    || pl_fail "the secretariat's as-of list has no e-mail"
as pub participant history "$P" --meeting dist-msp --json >"$PL_TMP/history.json" \
    || pl_fail "the public's history"
grep -q "example.fr\|passport" "$PL_TMP/history.json" \
    && pl_fail "the public's history holds personal data: $(cat "$PL_TMP/history.json")"
plenary participant history "$P" --meeting dist-msp --json | grep -q "anne.dupont@example.fr" \
    || pl_fail "the secretariat's history lost the e-mail before the change"
pl_pass "personal data is the secretariat's"

# ---- documents: the distribution in force of a family, through time
PLENARY_CERT=$K/archive.key pl_start_archive "$D"
PLENARY_CERT=$K/calendar.key pl_start_calendar "$D"
PLENARY_CERT=$K/gateway.key plenary-gateway --data "$D" --endpoint "$PLENARY_ENDPOINT" \
    --pub "$PLENARY_PUB" --http '127.0.0.1:*' >>"$PL_TMP/gateway.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$D/gateway.ready" || pl_fail "gateway wrote no gateway.ready"
BASE=http://$(sed -n 's/^http=//p' "$D/gateway.ready")
pl_wait_archive
S=CCM/MSP/2031/7
G=CCM/MSP/2031/8
printf 'quokka numbat first draft\n' >"$PL_TMP/r1.txt"
printf 'kiwi second draft\n' >"$PL_TMP/r2.txt"
printf 'budget of the unit\n' >"$PL_TMP/budget.txt"
printf 'rectificatif au projet\n' >"$PL_TMP/corr.txt"
plenary session add --meeting dist-msp --id s1 --title "Plenary" --start 2031-05-05T10:00 \
    --end 2031-05-05T13:00 --agenda-item 8 >/dev/null || pl_fail "session add"
plenary release --symbol $S --language en --title "Draft report" --meeting dist-msp \
    --agenda-item 8 --file "$PL_TMP/r1.txt" >/dev/null || pl_fail "release revision 1"
plenary release --symbol $G --language en --title "Budget" --file "$PL_TMP/budget.txt" \
    >/dev/null || pl_fail "release $G"

# what ROLE (a key) sees of symbol $1 through doc: its versions as
# "language:revision[*]" or "none"
versions () {
    local json
    json=$(as "$1" doc "$2" --json 2>/dev/null) || { echo none; return; }
    jq -r '[.versions[] | "\(.language):\(.revision)\(if .current then "*" else "" end)"]
           | join(" ")' <<<"$json"
}
# the HTTP status of GET $1 at the gateway
http () { curl -s -o /dev/null -w '%{http_code}' "$BASE$1"; }
# the meeting's public feed holds symbol $1
in_feed () { curl -s "$BASE/ics/meetings/dist-msp.ics" | tr -d '\r' | grep -q "8 $1"; }

[ "$(versions pub $S)" = "en:1*" ] || pl_fail "the public does not see revision 1: $(versions pub $S)"
[ "$(http /api/documents/$S)" = 200 ] || pl_fail "the API hides a general document"
pl_poll 100 in_feed $S || pl_fail "the feed does not show a general document"

# restricted revision 2: nothing of the document for any role below the secretariat
plenary release --symbol $S --language en --title "Draft report" --meeting dist-msp \
    --agenda-item 8 --distribution restricted --file "$PL_TMP/r2.txt" >/dev/null \
    || pl_fail "release revision 2"
plenary release --symbol $S/Corr.1 --language fr --title "Rectificatif" --file "$PL_TMP/corr.txt" \
    >/dev/null || pl_fail "release the Corr."
plenary outcome --meeting dist-msp --id budget --kind decision --title "Budget decision" \
    --adopted 2031-05-08 --documents $S,$G >/dev/null || pl_fail "outcome"
for who in pub del rk; do
    [ "$(versions $who $S)" = none ] || pl_fail "$who sees $S: $(versions $who $S)"
    [ "$(versions $who $S/Corr.1)" = none ] || pl_fail "$who sees the Corr. of $S"
    as $who doc $S --language en --revision 1 >/dev/null 2>"$PL_TMP/err" \
        && pl_fail "$who reads revision 1 of $S"
    grep -q "no document $S in the archive" "$PL_TMP/err" || pl_fail "$who: $(cat "$PL_TMP/err")"
    for q in quokka kiwi; do
        [ "$(as $who search $q --json | jq .total)" = 0 ] || pl_fail "$who finds $q"
    done
    [ "$(as $who search --symbol 'CCM/MSP/2031/7*' --json | jq .total)" = 0 ] \
        || pl_fail "$who finds the family by its symbol"
    as $who search --kind outcome --json >"$PL_TMP/outcome.json"
    jq -e --arg g $G '.total == 1 and .items[0].documents == [$g] and .items[0].symbol == $g' \
        "$PL_TMP/outcome.json" >/dev/null || pl_fail "$who: the outcome: $(cat "$PL_TMP/outcome.json")"
    grep -q "$S" "$PL_TMP/outcome.json" && pl_fail "$who learns the outcome cites $S"
done
[ "$(http /api/documents/$S)" = 404 ] || pl_fail "the API shows $S"
[ "$(curl -s "$BASE/api/search?q=quokka" | jq .total)" = 0 ] || pl_fail "the API finds $S"
pl_poll 100 sh -c "! curl -s '$BASE/ics/meetings/dist-msp.ics' | grep -q '$S'" \
    || pl_fail "the feed still shows $S"
[ "$(versions op $S)" = "en:1 en:2*" ] || pl_fail "the secretariat's versions: $(versions op $S)"
plenary search --kind outcome --json | jq -e --arg s $S --arg g $G '.items[0].documents == [$s, $g]' \
    >/dev/null || pl_fail "the secretariat's outcome does not cite both"
plenary doc $S --language en --revision 1 | grep -q "quokka" || pl_fail "the secretariat lost revision 1"

# declassified: every revision and language of the family, for everyone
plenary doc declassify $S/Corr.1 --distribution general --by "Head, ISU" \
    --reason "Decision of the Coordination Committee" >/dev/null || pl_fail "declassify"
plenary doc declassify $S --distribution limited --by x --reason y 2>"$PL_TMP/err"
[ $? = 1 ] && grep -q "is general already" "$PL_TMP/err" || pl_fail "a raise by declassification"
[ "$(versions pub $S)" = "en:1 en:2*" ] || pl_fail "declassified, the public sees $(versions pub $S)"
as pub doc $S --language en --revision 1 | grep -q quokka || pl_fail "the public cannot read revision 1"
[ "$(versions pub $S/Corr.1)" = "fr:1*" ] || pl_fail "declassified, the Corr. is hidden"
[ "$(http /api/documents/$S)" = 200 ] || pl_fail "declassified, the API hides $S"
pl_poll 100 in_feed $S || pl_fail "declassified, the feed does not show $S"
as pub doc $S | grep -q "Head, ISU" && pl_fail "the public learns who declassified it"
plenary doc $S | grep -q "declassified to general on .* by Head, ISU: Decision" \
    || pl_fail "the secretariat does not see who declassified it"

# a revision withdrawn: gone for the public, renumbered away; kept for the secretariat
plenary doc withdraw $S --language en --revision 1 --by "Documents Officer" \
    --reason "wrong annex" >/dev/null || pl_fail "withdraw revision 1"
[ "$(versions pub $S)" = "en:1*" ] || pl_fail "withdrawn, the public sees $(versions pub $S)"
as pub doc $S --language en --revision 1 | grep -q kiwi || pl_fail "revision 2 is not the public's 1"
as pub doc $S --language en --revision 2 >/dev/null 2>&1 && pl_fail "the public reads a revision 2"
as pub doc $S --json | grep -q "withdrawn\|wrong annex" && pl_fail "the public is told of the withdrawal"
plenary doc $S | grep -q "withdrawn: en revision 1 on .* by Documents Officer: wrong annex" \
    || pl_fail "the secretariat does not see who withdrew it and why"
[ "$(versions op $S)" = "en:1 en:2*" ] || pl_fail "the secretariat's versions: $(versions op $S)"
plenary doc withdraw $S --language en --revision 2 --by x --reason y 2>"$PL_TMP/err"
[ $? = 1 ] && grep -q "withdraw the document itself" "$PL_TMP/err" \
    || pl_fail "the last revision withdrawn alone: $(cat "$PL_TMP/err")"
# the document withdrawn: gone from every path
plenary doc withdraw $S --by "Head, ISU" --reason "issued in error" >/dev/null \
    || pl_fail "withdraw the document"
[ "$(versions pub $S)" = none ] || pl_fail "withdrawn, the public still sees $S"
[ "$(http /api/documents/$S)" = 404 ] || pl_fail "withdrawn, the API shows $S"
[ "$(as pub search kiwi --json | jq .total)" = 0 ] || pl_fail "withdrawn, the public finds it"
pl_poll 100 sh -c "! curl -s '$BASE/ics/meetings/dist-msp.ics' | grep -q '$S'" \
    || pl_fail "withdrawn, the feed still shows $S"
plenary doc $S --language en --revision 2 | grep -q kiwi || pl_fail "the secretariat lost the text"
pl_pass "documents are seen by the distribution of their family, through time"

pl_pass "distribution"
