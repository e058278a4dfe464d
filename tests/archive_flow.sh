#!/usr/bin/env bash
# The archive through the CLI: every language found by its own words,
# revisions (new text = new revision, same text = unchanged, history kept,
# only the current text searchable), outcomes linked to documents, and
# distribution by role, both with --as-role and with plenaryd --loopback-role.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
pl_system "$PL_TMP/data"
pl_start_archive "$PL_TMP/data"
pl_wait_archive
plenary meeting add --id ccm-msp13 --convention CCM --kind msp --title "13MSP" --venue Geneva \
    --tz Europe/Zurich --start 2025-09-15 --end 2025-09-18 >/dev/null || pl_fail "meeting add"

T=$PL_TMP
release () {  # release SYMBOL LANG TEXT [FLAGS...]
    local symbol=$1 lang=$2 text=$3; shift 3
    printf '%s\n' "$text" >"$T/text"
    plenary release --symbol "$symbol" --language "$lang" --title "Report $symbol" \
        --meeting ccm-msp13 --file "$T/text" "$@"
}
release CCM/MSP/2025/1 fr "La Réunion des États parties a adopté le budget de l'Unité." >/dev/null || pl_fail fr
release CCM/MSP/2025/1 ar "مُؤْتَمَرُ الدول الأطراف يعتمد الميزانية" >/dev/null || pl_fail ar
release CCM/MSP/2025/1 ru "Совещание государств-участников утвердило бюджет и отчёт" >/dev/null || pl_fail ru
release CCM/MSP/2025/1 es "La Reunión de los Estados partes aprobó el presupuesto" >/dev/null || pl_fail es
release CCM/MSP/2025/1 zh "缔约国会议通过了执行支助股的预算" >/dev/null || pl_fail zh
release CCM/MSP/2025/1 en "The Meeting of States Parties adopted the budget of the Unit" >/dev/null || pl_fail en
expect_first CCM/MSP/2025/1 reunion --language fr
expect_first CCM/MSP/2025/1 ETATS --language fr
expect_first CCM/MSP/2025/1 مؤتمر --language ar
expect_first CCM/MSP/2025/1 الاطراف --language ar
expect_first CCM/MSP/2025/1 отчет --language ru
expect_first CCM/MSP/2025/1 государств --language ru
expect_first CCM/MSP/2025/1 presupuesto --language es
expect_first CCM/MSP/2025/1 reunion --language es
expect_first CCM/MSP/2025/1 预算 --language zh
expect_first CCM/MSP/2025/1 '"states parties"' --language en
expect_total 0 '"parties states"'
expect_total 2 reunion
plenary doc CCM/MSP/2025/1 --json | jq -e '[.versions[].language] == ["ar","zh","en","fr","ru","es"]' \
    >/dev/null || pl_fail "doc does not list the six languages in UN order"

# revisions
release CCM/MSP/2025/1 en "The Meeting of States Parties adopted the budget of the Unit" >"$T/out" \
    || pl_fail "re-release"
grep -q "^unchanged: CCM/MSP/2025/1 (en) revision 1" "$T/out" || pl_fail "identical: $(cat "$T/out")"
release ccm/msp/2025/1 en "The Meeting of States Parties postponed the budget" --status final >"$T/out" \
    || pl_fail "new text"
grep -q "^released CCM/MSP/2025/1 (en) revision 2" "$T/out" || pl_fail "revision: $(cat "$T/out")"
plenary doc CCM/MSP/2025/1 --json | jq -e '[.versions[] | select(.language=="en") | [.revision,.current]]
    == [[1,false],[2,true]]' >/dev/null || pl_fail "history: $(plenary doc CCM/MSP/2025/1)"
expect_total 1 postponed
expect_total 0 adopted --language en
plenary doc CCM/MSP/2025/1 --language en --revision 1 | grep -q adopted || pl_fail "revision 1 text lost"
plenary doc CCM/MSP/2025/1 --language en | grep -q postponed || pl_fail "current text"
plenary doc CCM/MSP/2025/9 >/dev/null 2>"$T/err"; [ $? = 1 ] && grep -q "no document CCM/MSP/2025/9" "$T/err" \
    || pl_fail "unknown symbol: $(cat "$T/err")"
plenary doc CCM/MSP >/dev/null 2>"$T/err"; [ $? = 1 ] && grep -q "names a series" "$T/err" \
    || pl_fail "malformed symbol: $(cat "$T/err")"
# a malformed symbol is refused by the CLI before anything is published
before=$(plenary status --json | jq .last_seq)
release "CCM/MSP/2025/1/Rev.1/Rev.2" en "x" >/dev/null 2>"$T/err"; [ $? = 2 ] \
    && grep -q -- "--symbol: 'CCM/MSP/2025/1/Rev.1/Rev.2' is not a document symbol: component 6 'Rev.2' repeats a suffix kind" "$T/err" \
    || pl_fail "bad symbol released: $(cat "$T/err")"
plenary outcome --meeting ccm-msp13 --id x --kind decision --title T --adopted 2025-09-18 \
    --documents "CCM/MSP/2025/1, CCM/MSP" >/dev/null 2>"$T/err"; [ $? = 2 ] \
    && grep -q -- "--documents: 'CCM/MSP' is not a document symbol" "$T/err" \
    || pl_fail "bad outcome document: $(cat "$T/err")"
[ "$(plenary status --json | jq .last_seq)" = "$before" ] || pl_fail "a refused symbol reached the log"

# outcomes link to documents
plenary outcome --meeting ccm-msp13 --id budget-2026 --kind decision --title "Budget decision" \
    --adopted 2025-09-18 --documents CCM/MSP/2025/1 >/dev/null || pl_fail "outcome"
plenary outcome --meeting ccm-msp13 --id budget-2026 --kind decision --title "Again" \
    --adopted 2025-09-18 >/dev/null 2>"$T/err"; [ $? = 1 ] && grep -q "already adopted" "$T/err" \
    || pl_fail "outcome twice: $(cat "$T/err")"
plenary doc CCM/MSP/2025/1 --json | jq -e '.outcomes == ["ccm-msp13/budget-2026"]' >/dev/null \
    || pl_fail "outcome not linked"
expect_total 1 "budget decision" --kind outcome

# distribution by role
release CCM/MSP/2025/2 en "zebra general" >/dev/null || pl_fail general
release CCM/MSP/2025/3 en "zebra limited" --distribution limited >/dev/null || pl_fail limited
release CCM/MSP/2025/4 en "zebra restricted" --distribution restricted >/dev/null || pl_fail restricted
expect_total 3 zebra
expect_total 3 zebra --as-role secretariat
expect_total 2 zebra --as-role record-keeper
expect_total 2 zebra --as-role delegate
expect_total 1 zebra --as-role public
expect_total 0 restricted --as-role delegate
plenary doc CCM/MSP/2025/4 --as-role record-keeper >/dev/null 2>"$T/err"; [ $? = 1 ] \
    && grep -q "no document" "$T/err" || pl_fail "restricted doc shown to a record-keeper"
# a word in every visible document: its bm25 score falls to 0, its relevance does not
plenary search zebra --as-role public > "$T/out" || pl_fail "search zebra"
grep -q "^1\. document CCM/MSP/2025/2 · .* · relevance 100%$" "$T/out" \
    || pl_fail "the best hit does not show its relevance: $(cat "$T/out")"
plenary search zebra --as-role chairman >/dev/null 2>&1; [ $? = 2 ] || pl_fail "unknown role accepted"

# the released bytes given back as they are, their SHA-256 the one recorded;
# --sha256 is another file's; the same text with a new title changes metadata
printf 'Page one\fPage two\r\nend\n' >"$T/pages"
plenary release --symbol CCM/MSP/2025/20 --language en --title "Pages" --file "$T/pages" \
    --sha256 "$(printf pdf | sha256sum | cut -d' ' -f1 | tr a-f A-F)" >/dev/null || pl_fail "pages"
plenary doc CCM/MSP/2025/20 --language en >"$T/back" || pl_fail "doc pages"
cmp -s "$T/pages" "$T/back" || pl_fail "the text given back is not the bytes released"
plenary doc CCM/MSP/2025/20 --json | jq -e --arg s "$(sha256sum <"$T/pages" | cut -d' ' -f1)" \
    --arg p "$(printf pdf | sha256sum | cut -d' ' -f1)" \
    '.versions[0].sha256 == $s and .versions[0].file_sha256 == $p' >/dev/null \
    || pl_fail "hashes: $(plenary doc CCM/MSP/2025/20 --json | jq -c .versions)"
plenary release --symbol CCM/MSP/2025/20 --language en --title "Pages, retitled" \
    --file "$T/pages" >"$T/out" || pl_fail "retitle"
grep -q "^changed: the metadata of CCM/MSP/2025/20 (en) revision 1" "$T/out" \
    || pl_fail "a new title made: $(cat "$T/out")"
plenary doc CCM/MSP/2025/20 | grep -q "changed: en revision 1 on .*: title 'Pages' -> 'Pages, retitled'" \
    || pl_fail "the change is not shown: $(plenary doc CCM/MSP/2025/20)"
# every argument not a flag is a word: -word excludes; forms of a word; a family
release CCM/MSP/2025/20/Corr.1 en "Corrigendum to the pages" >/dev/null || pl_fail "corr"
expect_total 1 budgets postponing --language EN
expect_total 0 budgets -postponed --language EN
release CCM/MSP/2025/21 en "The budget under this agenda item" >/dev/null || pl_fail "agenda"
budgets=$(plenary search budget --json | jq .total)
expect_total $((budgets - 1)) budget -agenda
expect_total 1 budget agenda
# filters that forgive: codes in any case, a convention's symbol prefix; dates in order
expect_total "$budgets" budget --convention ccm
expect_total 0 budget --convention aplc
expect_total 1 agenda --language EN --convention Ccm
plenary search budget --from 2025-12-01 --to 2025-01-01 >/dev/null 2>"$T/err"; [ $? = 1 ] \
    && grep -q "from 2025-12-01 is after to 2025-01-01" "$T/err" \
    || pl_fail "from after to: $(cat "$T/err")"
plenary search CCM/MSP/2025/20 --json | jq -e '[.items[].id] | .[0:2]
    == ["CCM/MSP/2025/20:en", "CCM/MSP/2025/20/Corr.1:en"]' >/dev/null \
    || pl_fail "a symbol's family first: $(plenary search CCM/MSP/2025/20 --json | jq -c '[.items[].id]')"
plenary doc CCM/MSP/2025/20 | grep -q "^family CCM/MSP/2025/20:" || pl_fail "doc shows no family"
plenary search "budget OR" >/dev/null 2>"$T/err"; [ $? = 1 ] \
    && grep -q "'OR' after 'budget'" "$T/err" || pl_fail "the error names no word: $(cat "$T/err")"

# the broker decides: a record-keeper connection cannot ask as secretariat
kill -TERM "$BROKER_PID"; pl_wait_gone "$BROKER_PID" 50 || pl_fail "broker did not stop"
pl_start_broker "$PL_TMP/data" --loopback-role record-keeper
pl_poll 100 plenary search zebra --json || pl_fail "archive did not reconnect"
expect_total 2 zebra
plenary search zebra --as-role secretariat >/dev/null 2>"$T/err"; [ $? = 1 ] \
    && grep -q "as_role secretariat is above this connection's role record-keeper" "$T/err" \
    || pl_fail "a record-keeper asked as secretariat: $(cat "$T/err")"
expect_total 1 zebra --as-role public
pl_pass "archive flow: languages, revisions, outcomes, roles"
