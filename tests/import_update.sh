#!/usr/bin/env bash
# import_update — a corrected spreadsheet imported again (`plenary register
# --csv`): the people on record whose rows changed are updated
# (participant.updated, "updated pN ...: function, e-mail"), matched as the
# records worker tells the same person (the same names in the same
# delegation, or the same e-mail address); an unchanged row publishes
# nothing; a row the schema refuses, a change the records worker's rules
# refuse (an approved participant moved to an observer not admitted) and a
# second row of one person are rejected with why; a new row registers.
# The update is in the participant's history and --as-of still gives the
# list as it stood; the same file imported twice publishes nothing.
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
pl_system "$PL_TMP/data"
cd "$PL_TMP" || pl_fail "no temporary folder"

plenary meeting add --id ccm-msp13 --convention CCM --kind msp --title "Thirteenth MSP" \
    --venue Geneva --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18 >/dev/null \
    || pl_fail "meeting add"
plenary delegation set --convention CCM --code CMC --status civil-society \
    --name "Cluster Munition Coalition" >/dev/null || pl_fail "declare CMC"
last_seq () { plenary status --json | jq -r '.last_seq'; }
person () {  # person FAMILY: the participant's record as JSON
    plenary participants --meeting ccm-msp13 --json | jq -c --arg f "$1" '.[] | select(.family_name == $f)'
}

# --- the first file: five people
cat > first.csv <<'EOF'
Family Name,Given Name,Delegation,Function,E-mail
Dupont,Anne,FR,adviser,anne@example.fr
Müller,Hans,DE,Head of delegation,hans@example.de
王,小明,CN,expert,wang@example.cn
Kowalska,Ewa,PL,adviser,ewa@example.pl
Martinez,Luis,ES,expert,luis@example.es
EOF
plenary register --meeting ccm-msp13 --csv first.csv --json >first.json 2>err.txt \
    || pl_fail "the first file must register everyone: $(cat first.json err.txt)"
jq -e '.accepted == 5 and .updated == 0 and .unchanged == 0' first.json >/dev/null \
    || pl_fail "first file: $(cat first.json)"
id_of () { jq -r --arg f "$1" '.items[] | select(.participant | startswith($f)) | .id' first.json; }
dupont=$(id_of Dupont); kowalska=$(id_of Kowalska); martinez=$(id_of Martinez); wang=$(id_of 王)
plenary participant approve "$kowalska" --meeting ccm-msp13 >/dev/null || pl_fail "approve Kowalska"
before_update=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)

# --- the corrected file: Dupont's function and e-mail (matched by her names),
# Müller unchanged, Wang's function misspelt (the schema refuses it),
# Kowalska moved to CMC, not admitted while she is approved (the records
# worker refuses it), Martinez's accent (matched by his e-mail), Müller
# twice, and a new person
cat > corrected.csv <<'EOF'
Family Name,Given Name,Delegation,Function,E-mail
Dupont,Anne,FR,Head of delegation,anne.dupont@diplomatie.gouv.fr
Müller,Hans,DE,head,hans@example.de
王,小明,CN,chief,wang@example.cn
Kowalska,Ewa,CMC,adviser,ewa@example.pl
Martínez,Luis,ES,expert,luis@example.es
Müller,Hans,DE,adviser,
Nowak,Jan,PL,expert,jan@example.pl
EOF
seq_before=$(last_seq)
plenary register --meeting ccm-msp13 --csv corrected.csv >out.txt 2>err.txt
rc=$?
[ $rc = 1 ] || pl_fail "rejected rows must exit 1, got $rc: $(cat out.txt err.txt)"
expect_line () { grep -qxF -- "$1" out.txt || pl_fail "no line '$1' in: $(cat out.txt)"; }
expect_line "line 2: updated $dupont Dupont, Anne (FR): function, e-mail"
expect_line "line 4: rejected: 王, 小明 (CN): function: must be one of head, alternate, adviser, expert"
expect_line "line 5: rejected: Kowalska, Ewa (CMC): participant $kowalska: CMC is not admitted to ccm-msp13 as observer; admit it first"
expect_line "line 6: updated $martinez Martínez, Luis (ES): family name"
expect_line "line 7: rejected: Müller, Hans (DE): the same person ($(id_of Müller)) as line 3; one row a person"
expect_line "7 rows: 1 registered, 0 pending, 2 updated, 1 unchanged, 3 rejected"
grep -q '^line 3' out.txt && pl_fail "an unchanged row printed without --verbose: $(cat out.txt)"
grep -q 'Nowak' out.txt && pl_fail "a registered row printed without --verbose: $(cat out.txt)"
grep -qx 'plenary: 3 of 7 rows rejected (see the report above)' err.txt || pl_fail "stderr: $(cat err.txt)"
pl_pass "a corrected file: updated rows with the fields changed, rule and schema refusals, one row a person"

# what the records hold now
person Dupont | jq -e '.function == "head" and .email == "anne.dupont@diplomatie.gouv.fr"' >/dev/null \
    || pl_fail "Dupont not updated: $(person Dupont)"
person Martínez | jq -e --arg id "$martinez" '.id == $id' >/dev/null \
    || pl_fail "Martinez's family name not corrected in place: $(person Martínez)"
person Kowalska | jq -e '.delegation == "PL" and .status == "approved"' >/dev/null \
    || pl_fail "the refused move changed Kowalska: $(person Kowalska)"
person Müller | jq -e '.function == "head"' >/dev/null || pl_fail "Müller changed: $(person Müller)"
person 王 | jq -e '.function == "expert"' >/dev/null || pl_fail "Wang changed: $(person 王)"
[ -n "$(person Nowak)" ] || pl_fail "Nowak not registered"
[ "$(plenary participants --meeting ccm-msp13 --json | jq length)" = 6 ] \
    || pl_fail "6 participants expected: $(plenary participants --meeting ccm-msp13 --json)"
# two updates and one refused, one registration: four events; nothing for the
# unchanged row, the row the schema refused and the second row of one person
[ "$(last_seq)" = $((seq_before + 4)) ] || pl_fail "$(( $(last_seq) - seq_before )) events published, not 4"
# the history keeps the details before, and the list as it stood before
plenary participant history "$dupont" --meeting ccm-msp13 --json \
    | jq -e '[.[] | select(.change == "updated")] | length == 1 and
             (.[0].changed | sort) == ["email", "function"]
             and (.[0].before | fromjson | .email) == "anne@example.fr"' >/dev/null \
    || pl_fail "Dupont's history: $(plenary participant history "$dupont" --meeting ccm-msp13 --json)"
plenary participants --meeting ccm-msp13 --as-of "$before_update" --json \
    | jq -e '.[] | select(.family_name == "Dupont") | .function == "adviser" and .email == "anne@example.fr"' \
    >/dev/null || pl_fail "--as-of $before_update: $(plenary participants --meeting ccm-msp13 --as-of "$before_update" --json)"
pl_pass "updated in place, in the history, and --as-of gives the list as it stood"

# --- with --verbose and --json: every row, the fields changed
printf 'family_name,given_name,delegation,function,email,sponsored\nDupont,Anne,FR,head,anne.dupont@diplomatie.gouv.fr,yes\nNowak,Jan,PL,expert,jan@example.pl,\n' > sponsored.csv
plenary register --meeting ccm-msp13 --csv sponsored.csv --json >out.json 2>err.txt \
    || pl_fail "sponsored.csv: $(cat out.json err.txt)"
jq -e --arg d "$dupont" '.updated == 1 and .unchanged == 1 and .items[0].verdict == "updated"
       and .items[0].id == $d and .items[0].changed == ["sponsored"] and .items[1].verdict == "unchanged"' \
    out.json >/dev/null || pl_fail "sponsored.csv --json: $(cat out.json)"
plenary register --meeting ccm-msp13 --csv sponsored.csv --verbose >out.txt 2>err.txt || pl_fail "again"
expect_line "line 2: unchanged $dupont Dupont, Anne (FR)"
expect_line "2 rows: 0 registered, 0 pending, 0 updated, 2 unchanged, 0 rejected"
pl_pass "--json names the fields changed; --verbose prints the unchanged rows"

# --- the same file twice: everything unchanged, nothing published; a
# refused update imported again is the same event (no new one in the log)
seq_before=$(last_seq)
plenary register --meeting ccm-msp13 --csv corrected.csv --verbose >out.txt 2>err.txt
[ $? = 1 ] || pl_fail "the corrected file again: the refused rows are still refused"
expect_line "line 2: unchanged $dupont Dupont, Anne (FR)"
expect_line "line 5: rejected: Kowalska, Ewa (CMC): participant $kowalska: CMC is not admitted to ccm-msp13 as observer; admit it first"
expect_line "line 6: unchanged $martinez Martínez, Luis (ES)"
expect_line "7 rows: 0 registered, 0 pending, 0 updated, 4 unchanged, 3 rejected"
[ "$(last_seq)" = "$seq_before" ] || pl_fail "importing the same file again published $(( $(last_seq) - seq_before )) events"
grep -v '^Kowalska\|^王\|^Müller,Hans,DE,adviser' corrected.csv > clean.csv
plenary register --meeting ccm-msp13 --csv clean.csv >out.txt 2>err.txt || pl_fail "clean.csv: $(cat out.txt err.txt)"
expect_line "4 rows: 0 registered, 0 pending, 0 updated, 4 unchanged, 0 rejected"
[ "$(last_seq)" = "$seq_before" ] || pl_fail "an unchanged file published $(( $(last_seq) - seq_before )) events"
pl_pass "the same file twice: unchanged, nothing published"

# --- an update undone by hand, then imported again: the same change from the
# same values, which the broker had, is made again
plenary participant update "$dupont" --meeting ccm-msp13 --function adviser \
    --email anne@example.fr >/dev/null || pl_fail "undo Dupont's function and e-mail by hand"
seq_before=$(last_seq)
plenary register --meeting ccm-msp13 --csv clean.csv >out.txt 2>err.txt || pl_fail "redo: $(cat out.txt err.txt)"
expect_line "line 2: updated $dupont Dupont, Anne (FR): function, e-mail"
person Dupont | jq -e '.function == "head" and .email == "anne.dupont@diplomatie.gouv.fr"' >/dev/null \
    || pl_fail "the update imported again after an undo was not made: $(person Dupont)"
[ "$(last_seq)" = $((seq_before + 1)) ] || pl_fail "the update made again: $(( $(last_seq) - seq_before )) events, not 1"
pl_pass "an update undone by hand is made again by the file"

# --- a person withdrawn is not matched: the row registers them again
plenary participant withdraw "$wang" --meeting ccm-msp13 >/dev/null || pl_fail "withdraw Wang"
printf 'family_name,given_name,delegation,function,email\n王,小明,CN,head,wang@example.cn\n' > wang.csv
plenary register --meeting ccm-msp13 --csv wang.csv --verbose >out.txt 2>err.txt || pl_fail "wang.csv: $(cat out.txt err.txt)"
grep -q '^line 2: registered p[0-9]* 王, 小明 (CN)$' out.txt || pl_fail "a withdrawn person's row: $(cat out.txt)"
pl_pass "a withdrawn registration is not matched"
