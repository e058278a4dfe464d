#!/usr/bin/env bash
# records_lists_cli — the CLI of issue 3 part B end to end: credentials and the
# Credentials Committee's report, the list of speakers (table, --json, --csv)
# closed by a statement, statements by item and delegation, the list of
# participants as --csv and as the UN's --html document (grouping, order,
# head first), issues and --since-issue, --as-of (participants and their
# delegations' categories and names as they stood), and the same answers
# after the records database is rebuilt from the log.
. "$PL_SOURCE/tests/harness.sh"
pl_system "$PL_TMP/data"
cd "$PL_TMP" || pl_fail "no temporary folder"
M=ccm-msp13

plenary meeting add --id $M --convention CCM --kind msp --title "Thirteenth Meeting of States Parties" \
    --venue Geneva --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18 >/dev/null || pl_fail "meeting add"
for d in FR:state-party DE:state-party MX:state-party AT:state-party EG:signatory IN:not-party; do
    plenary delegation set --convention CCM --code ${d%%:*} --status ${d#*:} >/dev/null || pl_fail "declare $d"
done
plenary delegation set --convention CCM --code ICRC --status organization \
    --name "International Committee of the Red Cross" >/dev/null || pl_fail "declare ICRC"
plenary delegation admit --meeting $M --code IN >/dev/null || pl_fail "admit IN"
plenary delegation admit --meeting $M --code ICRC >/dev/null || pl_fail "admit ICRC"

reg () { plenary register --meeting $M --family-name "$1" --given-name "$2" --delegation "$3" \
             --function "$4" >/dev/null || pl_fail "register $*"; }
reg Zeller Anna FR adviser
reg Dupont Marie FR head
reg Müller Hans DE head
reg López Ana MX head
reg Nasser Omar EG head
reg Singh Raj IN head
reg Maurer Peter ICRC head

# --- credentials
plenary credentials submit --meeting $M --delegation FR --form original --received 2030-09-10 \
    --issued-by foreign-minister >/dev/null || pl_fail "submit FR"
plenary credentials verify --meeting $M --delegation FR >/dev/null || pl_fail "verify FR"
plenary credentials submit --meeting $M --delegation DE --form note-verbale --received 2030-09-11 >/dev/null \
    || pl_fail "submit DE"
plenary credentials submit --meeting $M --delegation EG --form original --received 2030-09-11 2>err.txt >/dev/null
[ $? = 1 ] || pl_fail "a signatory's credentials must be rejected"
grep -q 'delegation EG is not a State Party to CCM' err.txt || pl_fail "reason: $(cat err.txt)"
plenary credentials report --meeting $M > report.txt || pl_fail "report"
grep -q '^3 States Parties registered: 1 in due form, 1 provisional, 0 pending, 0 rejected, 1 without credentials$' report.txt \
    || pl_fail "report summary: $(cat report.txt)"
grep -A1 '^Credentials in due form:' report.txt | grep -q 'FR   France — original' || pl_fail "FR in due form: $(cat report.txt)"
grep -A1 '^No credentials received:' report.txt | grep -q 'MX   Mexico' || pl_fail "MX without: $(cat report.txt)"
plenary credentials report --meeting $M --json > report.json || pl_fail "report --json"
grep -q '"provisional": 1' report.json || pl_fail "report --json counts"
grep -q '"standing": "provisional"' report.json || pl_fail "report --json standing"
pl_pass "credentials: submit, verify, signatory refused, report text and json"

# --- list of speakers, closed by a statement
plenary speakers inscribe --meeting $M --item 8 --delegation FR >/dev/null || pl_fail "inscribe FR"
plenary speakers inscribe --meeting $M --item 8 --delegation AT --on-behalf-of "European Union" >/dev/null \
    || pl_fail "inscribe AT"
plenary speakers inscribe --meeting $M --item 8 --delegation MX >/dev/null || pl_fail "inscribe MX"
plenary speakers inscribe --meeting $M --item 8 --delegation MX 2>err.txt >/dev/null
[ $? = 1 ] || pl_fail "a second inscription must be rejected"
plenary speakers swap --meeting $M --item 8 --delegation FR --with MX >/dev/null || pl_fail "swap"
plenary speakers withdraw --meeting $M --item 8 --delegation AT >/dev/null || pl_fail "withdraw"
plenary statement --meeting $M --item 8 --delegation MX --language es --duration 240 \
    --delivered-at 2030-09-16T10:00:00Z --text "Gracias, señor Presidente" >/dev/null || pl_fail "statement"
plenary speakers --meeting $M --item 8 --csv > speakers.csv || pl_fail "speakers --csv"
head -1 speakers.csv | grep -q '^position,delegation,delegation_name,speaker,on_behalf_of,inscribed_at,status,started_at,duration_s,statement,reason' \
    || pl_fail "speakers csv header: $(head -1 speakers.csv)"
sed -n 2p speakers.csv | grep -q '^"1","MX","Mexico","","",".*","spoken","2030-09-16T10:00:00Z","240","s[0-9]*",""' \
    || pl_fail "MX spoke first: $(cat speakers.csv)"
sed -n 3p speakers.csv | grep -q '^"2","AT","Austria","","European Union",".*","withdrawn"' || pl_fail "AT withdrawn second: $(cat speakers.csv)"
sed -n 4p speakers.csv | grep -q '^"3","FR","France",.*"waiting"' || pl_fail "FR waiting third: $(cat speakers.csv)"
plenary speakers --meeting $M --item 8 | grep -q '^3 inscribed: 1 spoken, 1 waiting$' || pl_fail "speakers table"
plenary speakers --meeting $M --item 8 --json | grep -q '"status": "spoken"' || pl_fail "speakers --json"
pl_pass "speakers: order, swap, withdraw, statement closes the turn; table, json, csv"

# --- statements by item and by delegation
plenary statement --meeting $M --item 9 --delegation MX --language en --document CCM/MSP/2030/WP.1 >/dev/null \
    || pl_fail "statement item 9"
[ "$(plenary statements --meeting $M --item 8 --json | grep -c '"id":')" = 1 ] || pl_fail "statements --item 8"
[ "$(plenary statements --meeting $M --delegation MX --json | grep -c '"id":')" = 2 ] || pl_fail "statements --delegation MX"
plenary statements --meeting $M --item 9 | grep -q 'CCM/MSP/2030/WP.1' || pl_fail "statement table shows the document"
pl_pass "statements listed by item and by delegation"

# --- the list of participants: --csv and the HTML document
plenary participants --meeting $M --csv > list.csv || pl_fail "participants --csv"
head -1 list.csv | grep -q '^id,delegation,delegation_name,category,title,family_name,given_name,function' \
    || pl_fail "participants csv header"
[ "$(($(wc -l < list.csv) - 1))" = 7 ] || pl_fail "7 csv rows expected: $(cat list.csv)"
plenary participants --meeting $M --html > list.html || pl_fail "participants --html"
grep -q '<h1>List of participants</h1>' list.html || pl_fail "html title"
# sections in the UN's order, delegations alphabetical, head of delegation first
sections=$(grep -o '<section class="category" id="[a-z-]*"' list.html | sed 's/.*id="//; s/"//' | tr '\n' ' ')
[ "$sections" = "state-party signatory not-party organization " ] || pl_fail "sections: $sections"
delegations=$(grep -o '<section class="delegation" id="[A-Z]*"' list.html | sed 's/.*id="//; s/"//' | tr '\n' ' ')
[ "$delegations" = "FR DE MX EG IN ICRC " ] || pl_fail "delegations by name (France, Germany, Mexico): $delegations"
first_fr=$(sed -n '/id="FR"/,/<\/section>/p' list.html | grep -m1 '<li')
echo "$first_fr" | grep -q 'class="participant head".*Dupont' || pl_fail "head of delegation first: $first_fr"
sed -n '/id="FR"/,/<\/section>/p' list.html | grep -q 'Zeller.*Adviser' || pl_fail "adviser listed after"
pl_pass "participants --csv; --html grouped by category, alphabetical, head first"

# --- issues, addenda, as of a time
plenary participants issue --meeting $M --issue 1 --symbol CCM/MSP/2030/INF.1 >/dev/null || pl_fail "issue 1"
plenary participants issue --meeting $M --issue 3 >/dev/null 2>err.txt
[ $? = 1 ] || pl_fail "issue 3 after 1 must be rejected"
grep -q 'the next is issue 2, not 3' err.txt || pl_fail "issue gap reason: $(cat err.txt)"
mark=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
reg Late Lisa FR expert
# after the mark EG ratifies and ICRC is renamed: --as-of keeps them as they stood
plenary delegation set --convention CCM --code EG --status state-party >/dev/null || pl_fail "EG ratifies"
plenary delegation set --convention CCM --code ICRC --status organization \
    --name "ICRC (renamed)" >/dev/null || pl_fail "rename ICRC"
plenary participants --meeting $M --since-issue 1 --json > addendum.json || pl_fail "since-issue"
[ "$(grep -c '"id":' addendum.json)" = 1 ] || pl_fail "addendum holds one entry: $(cat addendum.json)"
grep -q '"change": "added"' addendum.json || pl_fail "addendum entry is added"
grep -q '"family_name": "Late"' addendum.json || pl_fail "addendum entry is Late"
plenary participants --meeting $M --since-issue 1 | grep -q '^added ' || pl_fail "addendum table"
plenary participants --meeting $M --since-issue 1 --html > addendum.html || pl_fail "addendum --html"
grep -q 'class="participant added">.*Late' addendum.html || pl_fail "addendum html entry"
grep -q 'Dupont' addendum.html && pl_fail "addendum html holds an unchanged entry"
plenary participants --meeting $M --as-of "$mark" --json > asof.json || pl_fail "as-of"
[ "$(grep -c '"id":' asof.json)" = 7 ] || pl_fail "as of the issue: 7 participants"
grep -q Late asof.json && pl_fail "as-of shows a later registration"
# category and name of a participant's delegation in a participant.list --json file
delegation_of () { python3 -c 'import json, sys
for p in json.load(open(sys.argv[1])):
    if p["family_name"] == sys.argv[2]: print(p["category"], p.get("delegation_name", ""))' "$@"; }
[ "$(delegation_of asof.json Nasser)" = "signatory Egypt" ] \
    || pl_fail "as-of: EG was a signatory then: $(delegation_of asof.json Nasser)"
[ "$(delegation_of asof.json Maurer)" = "organization International Committee of the Red Cross" ] \
    || pl_fail "as-of: ICRC's name as it stood: $(delegation_of asof.json Maurer)"
plenary participants --meeting $M --json > now.json || pl_fail "list now"
[ "$(delegation_of now.json Nasser)" = "state-party Egypt" ] || pl_fail "now: EG is a State Party"
[ "$(delegation_of now.json Maurer)" = "organization ICRC (renamed)" ] || pl_fail "now: ICRC renamed"
[ "$(plenary participants --meeting $M --json | grep -c '"id":')" = 8 ] || pl_fail "now: 8 participants"
plenary participants --meeting $M --as-of 2030-13-01T00:00Z >/dev/null 2>&1
[ $? = 2 ] || pl_fail "a bad --as-of is a usage error"
pl_pass "issues numbered without gaps; --since-issue addendum; --as-of"

# --- a page at a time: --limit 3 gives one page (an array, as every --json
# list) and says on stderr how to get the next; the pages followed with
# --after hold the whole list once, in order
next_of () { sed -n "s/^plenary: more follow: .* --after '\(.*\)'\$/\1/p" "$1"; }
plenary participants --meeting $M --json > whole.json || pl_fail "list for pages"
plenary participants --meeting $M --json --limit 3 > page.json 2>more.txt || pl_fail "first page"
[ "$(jq length page.json)" = 3 ] || pl_fail "--limit 3: $(cat page.json)"
jq -c '.[]' page.json > paged.jsonl
while next=$(next_of more.txt); [ -n "$next" ]; do
    plenary participants --meeting $M --json --limit 3 --after "$next" > page.json 2>more.txt \
        || pl_fail "page after $next"
    jq -c '.[]' page.json >> paged.jsonl
done
[ "$(jq -c '.[]' whole.json)" = "$(cat paged.jsonl)" ] || pl_fail "pages differ from the list"
plenary participants --meeting $M --limit 3 >/dev/null 2>more.txt || pl_fail "a page as a table"
grep -q "^plenary: more follow: plenary participants --meeting $M --limit 3 --after '" more.txt \
    || pl_fail "a page as a table does not say how to get the next: $(cat more.txt)"
plenary participants --meeting $M --after 'not a cursor' >/dev/null 2>bad.txt \
    && pl_fail "a bad cursor was taken"
grep -q "after: not a cursor of this list" bad.txt || pl_fail "bad cursor: $(cat bad.txt)"
pl_pass "pages with --limit and --after hold the list once, in order"

# --- rebuild the records database from the log: the same answers
plenary credentials report --meeting $M --json > report.json || pl_fail "report before the rebuild"
kill -TERM "$RECORDS_PID"; pl_wait_gone "$RECORDS_PID" 50 || pl_fail "records did not stop"
rm -rf "$PL_TMP/data/records"
pl_start_records "$PL_TMP/data"
pl_poll 100 sh -c "[ \"\$(plenary participants --meeting $M --json | grep -c '\"id\":')\" = 8 ]" \
    || pl_fail "records did not rebuild from the log"
plenary participants --meeting $M --as-of "$mark" --json > asof2.json || pl_fail "as-of after rebuild"
cmp -s asof.json asof2.json || pl_fail "as-of differs after a rebuild: $(diff asof.json asof2.json)"
[ "$(delegation_of asof2.json Nasser)" = "signatory Egypt" ] || pl_fail "delegation history not rebuilt"
plenary credentials report --meeting $M --json > report2.json
cmp -s report.json report2.json || pl_fail "credentials report differs after a rebuild"
plenary speakers --meeting $M --item 8 --csv > speakers2.csv
cmp -s speakers.csv speakers2.csv || pl_fail "speakers differ after a rebuild"
pl_pass "a rebuild from the log gives the same history, report and lists"
