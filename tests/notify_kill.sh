#!/usr/bin/env bash
# plenary-notify sends each message exactly once, whatever dies when:
#   - SIGKILL of the worker mid-send (the test SMTP server notes the
#     conversation cut in the middle of a message): after a restart every
#     message arrives, none twice;
#   - SIGKILL of the relay mid-send: the worker marks it down, backs off
#     (notify status shows it down with the next attempt), and when the relay
#     is back on the same port every message arrives, none twice;
#   - a relay answering 451: the message waits 200, 400, 800 ms (--retry
#     200, doubling) and arrives once.
# Each message's Message-ID is unique and derived from its event's seq.
. "$(dirname "$0")/harness.sh"
: "${PL_SOURCE:?PL_SOURCE must name the source folder}"
DATA=$PL_TMP/data
MAIL=$PL_TMP/mail
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null \
    || pl_fail "python3-aiosmtpd is needed (scripts/build.sh installs it)"

pl_system "$DATA"
pl_start_smtpd "$MAIL" --delay-ms 150
pl_start_notify "$DATA" --rate 1000 --retry 200
pl_poll 100 sh -c "plenary status --json | jq -e '[.groups[] | select(.group == \"notify\" and .workers > 0)] | length == 1'" \
    || pl_fail "the notify worker did not join"
plenary meeting add --id ccm-msp13 --convention CCM --kind msp --title "Meeting" --venue Geneva \
    --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18 >/dev/null || pl_fail "meeting"

# register FROM TO: participants pFROM..pTO's people, one message each
register () {
    local i
    for ((i = $1; i <= $2; i++)); do
        plenary register --meeting ccm-msp13 --family-name "Person$i" --delegation FR \
            --email "person$i@example.org" >/dev/null || pl_fail "register $i"
    done
}
# exactly N: the server holds N messages, N distinct Message-IDs, one per person
exactly () {
    pl_poll 300 sh -c "[ \$(find '$MAIL' -name '*.eml' | wc -l) -ge $1 ]" \
        || pl_fail "expected $1 messages, the server has $(pl_mails "$MAIL"): $(plenary notify status)"
    pl_poll 100 sh -c "plenary notify status --json | jq -e '.queued == 0'" \
        || pl_fail "the outbox did not empty: $(plenary notify status)"
    local count ids people
    count=$(pl_mails "$MAIL")
    ids=$(cat "$MAIL"/*.eml | grep -i '^Message-ID:' | sort -u | wc -l)
    people=$(sed -s -n 2p "$MAIL"/*.rcpt | sort -u | wc -l)
    [ "$count" -eq "$1" ] && [ "$ids" -eq "$1" ] && [ "$people" -eq "$1" ] \
        || pl_fail "expected $1 messages once each: $count messages, $ids Message-IDs, $people people"
}

# stop_notify: the worker stopped (SIGTERM) while registrations go in, so
# that once started again it sends them in a row, each held 150 ms by the
# relay: a kill after the first few lands mid-send however slowly the
# registrations went in (a loaded machine once let the worker keep pace)
stop_notify () {
    kill -TERM "$NOTIFY_PID"
    pl_wait_gone "$NOTIFY_PID" 100 || pl_fail "plenary-notify did not stop on SIGTERM"
}

# 1. The worker killed mid-send
stop_notify
register 1 30
pl_start_notify "$DATA" --rate 1000 --retry 200
pl_poll 100 sh -c "[ \$(find '$MAIL' -name '*.eml' | wc -l) -ge 5 ]" || pl_fail "nothing sent"
kill -KILL "$NOTIFY_PID"
pl_wait_gone "$NOTIFY_PID" 50 || pl_fail "plenary-notify survived SIGKILL"
AT_KILL=$(pl_mails "$MAIL")
[ "$AT_KILL" -lt 30 ] || pl_fail "the kill came after every message was sent"
pl_poll 50 test -s "$MAIL/aborted" || pl_fail "the kill did not cut a message mid-send"
pl_start_notify "$DATA" --rate 1000 --retry 200
exactly 30
pl_pass "SIGKILL of the worker mid-send after $AT_KILL of 30: all 30 sent, once each"

# 2. The relay killed mid-send, down for a while, back on the same port
stop_notify
register 31 50
pl_start_notify "$DATA" --rate 1000 --retry 200
pl_poll 100 sh -c "[ \$(find '$MAIL' -name '*.eml' | wc -l) -ge 33 ]" || pl_fail "nothing sent"
kill -KILL "$SMTPD_PID"
pl_wait_gone "$SMTPD_PID" 50 || pl_fail "the relay survived SIGKILL"
AT_KILL=$(pl_mails "$MAIL")
[ "$AT_KILL" -lt 50 ] || pl_fail "the relay died after every message was sent"
pl_poll 100 sh -c "plenary notify status --json | jq -e '.relay_state == \"down\" and .retry_at != null and .queued > 0'" \
    || pl_fail "the relay is not shown down: $(plenary notify status)"
plenary notify status | grep -q "next attempt" || pl_fail "notify status does not say when it tries again"
pl_start_smtpd "$MAIL" --delay-ms 150
exactly 50
plenary notify status --json | jq -e '.relay_state == "up"' >/dev/null || pl_fail "the relay is not up again"
pl_pass "SIGKILL of the relay mid-send after $AT_KILL of 50: down, backed off, all 50 sent once"

# 3. A relay that answers 451 three times
kill -TERM "$SMTPD_PID"
pl_wait_gone "$SMTPD_PID" 50 || pl_fail "the relay did not stop"
pl_start_smtpd "$MAIL" --tempfail 3
register 51 51
exactly 51
for wait in 200 400 800; do
    grep -q "waits $wait ms" "$PL_TMP/notify.log" || pl_fail "no wait of $wait ms after a 451: $(grep waits "$PL_TMP/notify.log")"
done
pl_pass "451 three times: waits of 200, 400 and 800 ms, then sent once"
