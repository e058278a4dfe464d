#!/usr/bin/env bash
# records_import — `plenary register --meeting M --csv FILE` with the mess
# real spreadsheet exports carry: a byte-order mark, CRLF, quoted cells with
# commas and line breaks, empty lines, header spellings, unknown columns,
# Chinese and Arabic names, a bad row; then the same file again (nobody
# registered twice), an edited file (only corrected rows are new; a repeated
# row named), a file missing a required column (nothing published),
# an unclosed quote, an unknown meeting, and overlong cells in --json; a
# Language column in the event and in its id.
. "$PL_SOURCE/tests/harness.sh"
pl_system "$PL_TMP/data"
cd "$PL_TMP" || pl_fail "no temporary folder"

plenary meeting add --id ccm-msp13 --convention CCM --kind msp --title "Thirteenth MSP" \
    --venue Geneva --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18 >/dev/null \
    || pl_fail "meeting add"
plenary delegation set --convention CCM --code FR --status state-party >/dev/null || pl_fail "declare FR"

count () { plenary participants --meeting ccm-msp13 --json | grep -c '"id":'; }

# --- the messy file: BOM, CRLF, header spellings, an unknown column, an empty
# line, quoted comma and line break (in a note: a name holds no line break),
# Chinese, Arabic, and a bad function
printf '\xEF\xBB\xBFFamily Name,Given-Name,DELEGATION,function,Gender,e_mail,Sponsored,Shoe Size,Note\r\n' > mess.csv
printf 'Dupont,Anne,fr,Head of delegation,F,anne@example.fr,no,38\r\n' >> mess.csv
printf '\r\n' >> mess.csv
printf '"Martin, Jr.",Paul Henri,FR,adviser,m,,yes,44,"arrives Tuesday\nleaves Thursday"\r\n' >> mess.csv
printf '王,小明,CN,head,m,wang@example.cn,,\r\n' >> mess.csv
printf 'عبد الله,محمد,EG,Head,M,,,\r\n' >> mess.csv
printf 'Bad,Row,FR,chief,m,,,\r\n' >> mess.csv

plenary register --meeting ccm-msp13 --csv mess.csv --verbose >out.txt 2>err.txt
rc=$?
[ $rc = 1 ] || pl_fail "a rejected row must exit 1, got $rc: $(cat out.txt err.txt)"
grep -q '^line 2: registered p[0-9]* Dupont, Anne (FR)$' out.txt || pl_fail "row at line 2: $(cat out.txt)"
grep -q '^line 4: registered p[0-9]* Martin, Jr., Paul Henri (FR)$' out.txt || pl_fail "quoted row at line 4 (after an empty line): $(cat out.txt)"
grep -q '^line 6: registered p[0-9]* 王, 小明 (CN)$' out.txt || pl_fail "Chinese row at line 6: $(cat out.txt)"
grep -q '^line 7: registered p[0-9]* عبد الله, محمد (EG)$' out.txt || pl_fail "Arabic row at line 7: $(cat out.txt)"
grep -q '^line 8: rejected: Bad, Row (FR): function: must be one of head, alternate, adviser, expert$' out.txt \
    || pl_fail "bad row at line 8 with its reason: $(cat out.txt)"
grep -q '^5 rows: 4 registered, 0 pending, 0 updated, 0 unchanged, 1 rejected$' out.txt || pl_fail "summary: $(cat out.txt)"
grep -q 'warning: mess.csv: unknown column ignored: \["Shoe Size"\]' err.txt || pl_fail "unknown column not reported: $(cat err.txt)"
grep -q '1 of 5 rows rejected' err.txt || pl_fail "the failure is not said on stderr: $(cat err.txt)"
if grep -q $'\r' err.txt; then pl_fail "a progress bar was drawn although stderr is not a terminal"; fi
pl_pass "messy file: per-row report with line numbers, warning, exit 1"

plenary participants --meeting ccm-msp13 --json > list.json
[ "$(count)" = 4 ] || pl_fail "4 participants expected, got $(count)"
grep -q '"family_name": "王"' list.json || pl_fail "Chinese name not kept"
grep -q '"family_name": "عبد الله"' list.json || pl_fail "Arabic name not kept"
grep -q '"family_name": "Martin, Jr."' list.json || pl_fail "quoted comma not kept"
grep -q '"note": "arrives Tuesday\\nleaves Thursday"' list.json || pl_fail "embedded line break not kept"
grep -q '"delegation": "FR"' list.json || pl_fail "delegation code not upper-cased"
grep -q '"function": "head"' list.json || pl_fail "'Head of delegation' not read as head"
grep -q '"sponsored": true' list.json || pl_fail "sponsored yes not read as true"
grep -q '"gender": "f"' list.json || pl_fail "gender F not read as f"
grep -q '"email": "anne@example.fr"' list.json || pl_fail "e_mail column not matched"
pl_pass "names in any script, quotes and line breaks kept; header spellings matched"

# --- the same file again: nobody registered twice
plenary register --meeting ccm-msp13 --csv mess.csv --json >again.json 2>/dev/null
[ $? = 1 ] || pl_fail "the bad row is still bad: exit 1"
grep -q '"accepted": 0' again.json || pl_fail "re-import accepted rows: $(cat again.json)"
grep -q '"unchanged": 4' again.json || pl_fail "re-import: 4 unchanged expected: $(cat again.json)"
grep -q '"verdict": "unchanged"' again.json || pl_fail "no unchanged verdicts"
[ "$(count)" = 4 ] || pl_fail "re-import registered someone twice: $(count)"
pl_pass "re-import registers nobody twice"

# --- a clean LF file with a column order of its own: exit 0
printf 'delegation,given_name,family_name,organisation\nFR,Claire,Bernard,Ministère des affaires étrangères\n\nFR,Luc,Petit,\n' > clean.csv
plenary register --meeting ccm-msp13 --csv clean.csv >out.txt 2>err.txt || pl_fail "clean file must exit 0: $(cat out.txt err.txt)"
grep -q '^2 rows: 2 registered, 0 pending, 0 updated, 0 unchanged, 0 rejected$' out.txt || pl_fail "clean summary: $(cat out.txt)"
[ ! -s err.txt ] || pl_fail "clean file wrote to stderr: $(cat err.txt)"
plenary participants --meeting ccm-msp13 --json | grep -q '"organization": "Ministère des affaires étrangères"' \
    || pl_fail "organisation (British spelling) column not matched"
pl_pass "clean file, free column order, exit 0"

# --- a Language column (the language of the person's mail, which the notify
# worker keeps): in the event, and a part of the row's id (a Debug build
# asserted, a release build left it out of the event)
printf 'family_name,given_name,delegation,language\nRenard,Élise,FR,fr\n' > lang.csv
plenary register --meeting ccm-msp13 --csv lang.csv --json >lang.json 2>err.txt \
    || pl_fail "the file with a language column must exit 0: $(cat lang.json err.txt)"
seq=$(jq -r '.items[0].id | ltrimstr("p")' lang.json)
# the payload (msgpack) holds the key "language" (a8 + its bytes) then "fr" (a2 66 72)
[ "$(sqlite3 "file:$PL_TMP/data/broker/log.db?mode=ro" "SELECT instr (hex (payload),
      'A8' || hex ('language') || 'A26672') > 0 FROM log WHERE seq = $seq")" = 1 ] \
    || pl_fail "the event of seq $seq does not carry language fr"
plenary register --meeting ccm-msp13 --csv lang.csv --json | jq -e '.unchanged == 1' >/dev/null \
    || pl_fail "the file with a language column, imported again, is not unchanged"
pl_pass "a language column is in the event and its id"

# --- on a terminal (script(1) from bsdutils gives one): a progress bar on stderr
printf 'family_name,delegation\nTerminal,FR\nConsole,FR\n' > tty.csv
script -qec "plenary register --meeting ccm-msp13 --csv tty.csv" /dev/null > tty.txt 2>&1 \
    || pl_fail "importing a file on a terminal must exit 0: $(cat tty.txt)"
grep -q $'\r\[#*\] 2/2 rows published' tty.txt || pl_fail "no progress bar on a terminal: $(cat -A tty.txt | head -5)"
grep -q '2 rows: 2 registered, 0 pending, 0 updated, 0 unchanged, 0 rejected' tty.txt || pl_fail "tty summary: $(cat tty.txt)"
pl_pass "progress bar on a terminal only"

# --- without --verbose the report names only the rows that need a look
# (rejected, pending), then the counts
plenary register --meeting ccm-msp13 --csv clean.csv >out.txt 2>err.txt || pl_fail "clean again"
[ "$(cat out.txt)" = "2 rows: 0 registered, 0 pending, 0 updated, 2 unchanged, 0 rejected" ] \
    || pl_fail "without --verbose, lines for rows that need nothing: $(cat out.txt)"
pl_pass "per-row lines only with --verbose"

# --- the progress bar redraws at most 4 times a second (and once at the end
# of each phase, published and verdicts), however fast the rows go
{ echo family_name,given_name,delegation
  for i in $(seq 400); do echo "Rapid$i,Row,FR"; done; } > many.csv
start=$(date +%s%N)
script -qec "plenary register --meeting ccm-msp13 --csv many.csv" /dev/null > tty.txt 2>&1 \
    || pl_fail "many.csv on a terminal: $(tail -3 tty.txt)"
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
redraws=$(grep -o $'\r\[' tty.txt | wc -l)
[ "$redraws" -ge 2 ] || pl_fail "no progress bar for many.csv: $(cat -A tty.txt | head -3)"
[ "$redraws" -le $(( 2 * (took_ms / 250 + 2) )) ] \
    || pl_fail "$redraws redraws of the progress bar in $took_ms ms, more than 4 a second"
printf 'family_name,delegation\nQuiet,FR\n' > quiet.csv
script -qec "plenary --quiet register --meeting ccm-msp13 --csv quiet.csv" /dev/null > tty.txt 2>&1
grep -q '1 row: 1 registered' tty.txt || pl_fail "quiet.csv: $(cat tty.txt)"
grep -q $'\r\[' tty.txt && pl_fail "a progress bar with --quiet: $(cat -A tty.txt | head -3)"
pl_pass "progress bar: at most 4 redraws a second, none with --quiet"

# --- a file separated by semicolons (the European spreadsheets' CSV) is read
printf 'Family Name;Given Name;Delegation;Note\r\nSemi;Colon;FR;"one; two"\r\n' > semi.csv
plenary register --meeting ccm-msp13 --csv semi.csv --verbose >out.txt 2>err.txt \
    || pl_fail "semi.csv must exit 0: $(cat out.txt err.txt)"
grep -q '^line 2: registered p[0-9]* Semi, Colon (FR)$' out.txt || pl_fail "semi.csv: $(cat out.txt err.txt)"
plenary participants --meeting ccm-msp13 --json | jq -e 'any(.[]; .family_name == "Semi" and .note == "one; two")' \
    >/dev/null || pl_fail "semi.csv's note with a quoted semicolon was not kept"
pl_pass "semicolon-separated file read"

# --- one byte that is not UTF-8 (an é saved as Latin-1): its line and byte, nothing registered
before=$(count)
printf 'family_name,delegation\nOk,FR\nM\xe9ndez,FR\n' > latin1.csv
plenary register --meeting ccm-msp13 --csv latin1.csv >out.txt 2>err.txt
[ $? = 1 ] || pl_fail "a Latin-1 file must exit 1"
grep -q '^plenary: latin1.csv: line 3: byte 2 of the line (0xE9) is not UTF-8 text; nothing was registered' err.txt \
    || pl_fail "the byte that is not UTF-8 is not named with its line: $(cat err.txt)"
[ "$(count)" = "$before" ] || pl_fail "rows published from a file that is not UTF-8"
pl_pass "a byte that is not UTF-8 named with its line"

# --- register --csv --help is the import's help
plenary register --csv --help >out.txt 2>&1 || pl_fail "register --csv --help exited $?"
grep -q '^usage: plenary register --meeting M --csv FILE' out.txt || pl_fail "register --csv --help: $(head -3 out.txt)"
plenary help register --csv >out.txt 2>&1 || pl_fail "plenary help register --csv exited $?"
grep -q '^usage: plenary register --meeting M --csv FILE' out.txt || pl_fail "help register --csv: $(head -3 out.txt)"

# --- an edited file: a row's id comes from its own values, not its line nor
# the file, so only the corrected row (and a new one) are new events; a row
# repeated in the file is reported as the same row as the first's line
printf 'family_name,given_name,delegation,function\nLefebvre,Marc,FR,Head of delegation\nGarcia,Ana,XORG,\nLefebvre,Marc,FR,head\n' > edit.csv
plenary register --meeting ccm-msp13 --csv edit.csv --verbose >out.txt 2>/dev/null
[ $? = 1 ] || pl_fail "edit.csv: the bad delegation must exit 1: $(cat out.txt)"
grep -q '^line 2: registered p[0-9]* Lefebvre, Marc (FR)$' out.txt || pl_fail "edit.csv line 2: $(cat out.txt)"
grep -q '^line 3: rejected: Garcia, Ana (XORG): delegation XORG is not declared' out.txt \
    || pl_fail "edit.csv line 3: $(cat out.txt)"
grep -q '^line 4: rejected: Lefebvre, Marc (FR): the same row as line 2 (imported once)$' out.txt \
    || pl_fail "a repeated row is not reported as the same as line 2: $(cat out.txt)"
first=$(sed -n 's/^line 2: registered \(p[0-9]*\) .*/\1/p' out.txt)
before=$(count)
# corrected: Garcia's delegation; a new row on top; other column order
printf 'delegation,function,given_name,family_name\nFR,,Jean,Nouveau\nFR,head,Marc,Lefebvre\nFR,,Ana,Garcia\n' > edit.csv
plenary register --meeting ccm-msp13 --csv edit.csv --verbose >out.txt 2>err.txt \
    || pl_fail "the corrected file must exit 0: $(cat out.txt err.txt)"
grep -q '^line 2: registered p[0-9]* Nouveau, Jean (FR)$' out.txt || pl_fail "new row: $(cat out.txt)"
grep -q "^line 3: unchanged $first Lefebvre, Marc (FR)\$" out.txt \
    || pl_fail "an unchanged row on another line must be unchanged ($first): $(cat out.txt)"
grep -q '^line 4: registered p[0-9]* Garcia, Ana (FR)$' out.txt || pl_fail "corrected row: $(cat out.txt)"
grep -q '^3 rows: 2 registered, 0 pending, 0 updated, 1 unchanged, 0 rejected$' out.txt || pl_fail "edited summary: $(cat out.txt)"
[ "$(count)" = $((before + 2)) ] || pl_fail "the corrected file registered $(( $(count) - before )), not 2"
pl_pass "an edited file: unchanged rows unchanged, corrected rows new, repeats named"

# --- missing a required column: an error before anything is published
before=$(count)
printf 'Given Name,Delegation\nAnne,FR\n' > missing.csv
plenary register --meeting ccm-msp13 --csv missing.csv >out.txt 2>err.txt
[ $? = 1 ] || pl_fail "a missing column must exit 1"
grep -q 'missing required column family_name' err.txt || pl_fail "missing column not named: $(cat err.txt)"
grep -q 'nothing was registered' err.txt || pl_fail "does not say nothing was registered"
[ "$(count)" = "$before" ] || pl_fail "rows published despite the missing column"
printf 'family_name,given_name\nX,Y\n' > missing2.csv
plenary register --meeting ccm-msp13 --csv missing2.csv 2>err.txt >/dev/null
grep -q 'missing required column delegation' err.txt || pl_fail "missing delegation not named: $(cat err.txt)"
pl_pass "missing required columns: error, nothing published"

# --- an unclosed quote: the line is named, nothing published
printf 'family_name,delegation\n"Open,FR\n' > open.csv
plenary register --meeting ccm-msp13 --csv open.csv >/dev/null 2>err.txt
[ $? = 1 ] || pl_fail "an unclosed quote must exit 1"
grep -q 'line 2' err.txt || pl_fail "unclosed quote: line not named: $(cat err.txt)"
[ "$(count)" = "$before" ] || pl_fail "rows published despite the unclosed quote"
pl_pass "unclosed quote refused with its line"

# --- an unknown meeting: every row rejected by the records worker, with why
plenary register --meeting ccm-msp99 --csv clean.csv >out.txt 2>/dev/null
[ $? = 1 ] || pl_fail "an unknown meeting must exit 1"
grep -q '^line 2: rejected: Bernard, Claire (FR): meeting ccm-msp99 does not exist$' out.txt \
    || pl_fail "worker's reason not in the report: $(cat out.txt)"
pl_pass "rows rejected by the records worker are reported with its reason"

# --- overlong cells in a script of two-byte letters: the row refused is in
# the --json report (its name and reason were cut inside a letter, and
# json_pack refused the broken text; found by tests/fuzz_csv.c)
{ printf 'family_name,delegation,sponsored\n'
  printf 'é%.0s' $(seq 200); printf ',FR,\n'
  printf 'A,FR,a'; printf 'é%.0s' $(seq 300); printf '\n'; } > long.csv
plenary register --meeting ccm-msp13 --csv long.csv --json >long.json 2>/dev/null
[ $? = 1 ] || pl_fail "overlong cells must be rejected (exit 1)"
jq -e '.rows == 2 and (.items | length) == 2 and all(.items[]; .verdict == "rejected")' long.json \
    >/dev/null || pl_fail "rows missing from the --json report: $(head -c 600 long.json)"
jq -e '.items[0].reason | startswith("family_name:")' long.json >/dev/null \
    || pl_fail "overlong name: $(jq -c '.items[0]' long.json | head -c 300)"
pl_pass "rows with overlong cells are in the --json report"

# --- usage: --csv without --meeting
plenary register --csv clean.csv >/dev/null 2>&1
[ $? = 2 ] || pl_fail "--csv without --meeting is a usage error"
pl_pass "usage errors exit 2"
