# tests/web_lib.sh — the system and the data the web pages' tests look at
# (sourced after harness.sh and, for web_system, archive_lib.sh; not run).
#
# web_system: broker, records, calendar, archive and gateway on ephemeral
# ports; sets BASE (http://127.0.0.1:PORT).
# web_data: three meetings of three conventions (one past, one upcoming,
# one current-or-future with sessions either side of the 2030 change to
# summer time in Geneva, one moved, one cancelled), titles in Chinese,
# Arabic and Russian and hostile ones (markup, quotes, the snippet markers),
# a document family in six languages with a second revision and a Rev.1,
# enough documents for several pages of results, an outcome, a statement,
# and what the public must never see: a restricted and a limited document
# (their words SECRETXYZZY and LIMITEDQUUX) and a participant's e-mail
# address and note.
# web_browser_ready: Debian's chromium and tests/web's modules are installed
# (the browser tests need them; $WEB is tests/web).
web_browser_ready () {
    [ -x /usr/bin/chromium ] || pl_fail "Debian's chromium is not installed (scripts/build.sh installs it)"
    for module in playwright-core axe-core; do
        [ -d "$WEB/node_modules/$module" ] \
            || pl_fail "$module is not installed: run 'npm ci' in tests/web (scripts/build.sh does)"
    done
}

web_system () {
    DATA=$PL_TMP/data
    pl_system "$DATA"
    pl_start_archive "$DATA"
    pl_start_calendar "$DATA"
    pl_wait_archive
    plenary-gateway --data "$DATA" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
        >>"$PL_TMP/gateway.log" 2>&1 &
    GATEWAY_PID=$!
    PL_PIDS="$PL_PIDS $GATEWAY_PID"
    pl_poll 100 test -s "$DATA/gateway.ready" || pl_fail "gateway wrote no gateway.ready"
    BASE=http://$(sed -n 's/^http=//p' "$DATA/gateway.ready")
}

M=ccm-msp13
# What a name or title may hold that must come out as text
HOSTILE_TITLE="第十三次缔约国会议 <script>alert('t')</script> & \"Co\" ⟦forged⟧"
HOSTILE_SESSION='<img src=x onerror=alert(1)> Opening & "welcome"'
SECRET_EMAIL=hidden.person@example.org
SECRET_NOTE=PASSPORT-X99-NOTE

# web_release SYMBOL LANG TITLE TEXT [FLAGS...]
web_release () {
    local symbol=$1 language=$2 title=$3 text=$4
    shift 4
    printf '%s\n' "$text" >"$PL_TMP/release.txt"
    plenary release --symbol "$symbol" --language "$language" --title "$title" --meeting $M \
        --file "$PL_TMP/release.txt" "$@" >/dev/null || pl_fail "release $symbol $language"
}

web_data () {
    plenary meeting add --id $M --convention CCM --kind msp --title "$HOSTILE_TITLE" \
        --venue "Geneva, Palais des Nations" --tz Europe/Zurich --start 2030-03-28 \
        --end 2030-04-02 >/dev/null || pl_fail "meeting $M"
    plenary meeting add --id apmbc-msp20 --convention APMBC --kind msp \
        --title "Двадцатое совещание государств-участников" --venue Geneva --tz Europe/Zurich \
        --start 2022-11-21 --end 2022-11-25 >/dev/null || pl_fail "meeting apmbc-msp20"
    plenary meeting add --id ccw-gge-2031 --convention CCW --kind gge \
        --title "اجتماع فريق الخبراء الحكوميين" --venue Geneva --tz Europe/Zurich \
        --start 2031-03-03 --end 2031-03-07 >/dev/null || pl_fail "meeting ccw-gge-2031"
    plenary meeting add --id ccm-past --convention CCM --kind intersessional \
        --title "Intersessional meeting 2021" --venue Lausanne --tz Europe/Zurich \
        --start 2021-05-10 --end 2021-05-11 >/dev/null || pl_fail "meeting ccm-past"
    # Before the change to summer time (31 March 2030) Geneva is UTC+1, after it UTC+2
    plenary session add --meeting $M --id day1-am --title "$HOSTILE_SESSION" \
        --start 2030-03-30T09:00 --end 2030-03-30T12:00 --room "Room XIX" --agenda-item "8(a)" \
        >/dev/null || pl_fail "session day1-am"
    plenary session add --meeting $M --id day2-am --title "Second plenary meeting" \
        --start 2030-04-01T09:00 --end 2030-04-01T12:00 --room "Room XX" >/dev/null \
        || pl_fail "session day2-am"
    plenary session add --meeting $M --id day2-pm --title "Third plenary meeting" \
        --start 2030-04-01T15:00 --end 2030-04-01T18:00 >/dev/null || pl_fail "session day2-pm"
    plenary session move day2-am --meeting $M --start 2030-04-01T10:00 --end 2030-04-01T13:00 \
        --reason "Moved to the afternoon room plan" >/dev/null || pl_fail "move day2-am"
    plenary session cancel day2-pm --meeting $M --reason "No interpretation available" \
        >/dev/null || pl_fail "cancel day2-pm"
    plenary delegation set --convention CCM --code FR --status state-party >/dev/null \
        || pl_fail "delegation FR"
    plenary register --meeting $M --family-name "Hidden" --given-name "Person" --delegation FR \
        --email "$SECRET_EMAIL" --note "$SECRET_NOTE" >/dev/null || pl_fail "register"

    local family=CCM/MSP/2030/1
    web_release $family en "Report on the ratification <b>status</b>" \
        "The Meeting considered the ratification report. ⟦fake⟧ <b>bold</b> & more."
    web_release $family fr "Rapport sur l'état de la ratification" \
        "La Réunion a examiné le rapport sur la ratification."
    web_release $family es "Informe sobre la ratificación" \
        "La Reunión examinó el informe sobre la ratificación."
    web_release $family ru "Доклад о ратификации" "Совещание рассмотрело доклад о ратификации."
    web_release $family zh "关于批准情况的报告" "会议审议了关于批准情况的报告。"
    web_release $family ar "تقرير عن حالة التصديق" "نظر الاجتماع في التقرير المتعلق بالتصديق."
    web_release $family en "Report on the ratification <b>status</b>" \
        "The Meeting considered the revised ratification report (second revision)."
    web_release $family/Rev.1 en "Revised report on ratification" \
        "The revised text of the ratification report."
    web_release CCM/MSP/2030/2 en "Working paper 2" \
        "Working paper 2: ⟦fake⟧ <b>bold</b> & the ratification of the Convention."
    for n in 3 4 5 6 7; do
        web_release CCM/MSP/2030/$n en "Working paper $n on ratification" \
            "Working paper number $n on the ratification of the Convention."
    done
    web_release CCM/MSP/2030/9 en "Restricted SECRETXYZZY strategy" \
        "SECRETXYZZY ratification strategy, for the secretariat." --distribution restricted
    web_release CCM/MSP/2030/10 en "Limited LIMITEDQUUX note" \
        "LIMITEDQUUX ratification note." --distribution limited
    plenary outcome --meeting $M --id final-report --kind final-report \
        --title "Final report of the Thirteenth Meeting" --adopted 2030-04-02 \
        --documents $family >/dev/null || pl_fail "outcome"
    plenary statement --meeting $M --delegation FR --language fr --item "8(a)" \
        --speaker "Mme Dupont" --text "La France salue les progrès de la ratification." \
        --document $family --delivered-at 2030-03-30T10:00:00+01:00 >/dev/null \
        || pl_fail "statement"
    pl_poll 100 pl_caught_up || pl_fail "the workers did not catch up with the log"
}
