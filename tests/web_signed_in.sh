#!/usr/bin/env bash
# web_signed_in — the /secretariat/ pages over HTTP (curl): who may sign in
# and what a session may do, with a broker that requires keys.
#   - `plenary keys web-user` seals a key by a password read from stdin;
#     the password never goes on a command line, the sealed file is 0600
#     and holds no secret in clear;
#   - a visitor without a session is sent to the sign-in page (303), and a
#     POST without one is a 403 that changes nothing;
#   - a wrong password is a 401; the fifth failure for one name locks it
#     (429) even with the right password; the lock-out says nothing more;
#   - the right password signs in: the cookie is HttpOnly and
#     SameSite=Strict (plenary_session on plain HTTP to loopback), the
#     session's pages ask the workers as the person's key (the broker logs
#     the key's name), and the dashboard shows what `plenary stats --json`
#     and `plenary credentials report --json` say, with its gender chart;
#   - a POST from another origin, or without the session's CSRF token, is a
#     403 and the session lives on; sign-out with both ends it, and the old
#     cookie is then nobody's;
#   - a focal point's key signs in and may not open the dashboard (403);
#   - the pages are valid HTML5 (tests/web_check.py) in Arabic too, with
#     lang and dir, and nothing secret is in any URL or log.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/web_lib.sh"
D=$PL_TMP/data
K=$D/keys/issued
PASSWORD='correct horse battery staple'
plenary keys init --data "$D" >/dev/null || pl_fail "keys init"
plenary keys new --role secretariat --name op --data "$D" >/dev/null || pl_fail "keys new op"
printf '%s\n' "$PASSWORD" | plenary keys web-user amina --role secretariat --data "$D" >/dev/null \
    || pl_fail "keys web-user amina"
printf '%s\n' "$PASSWORD" | plenary keys web-user lucie --role delegate --delegation fr \
    --data "$D" >/dev/null || pl_fail "keys web-user lucie"
printf 'short\n' | plenary keys web-user bob --role secretariat --data "$D" 2>"$PL_TMP/err"
[ $? = 1 ] && grep -q "12 to 1024" "$PL_TMP/err" || pl_fail "a short password was taken"
[ "$(stat -c %a "$D/keys/web/amina.sealed")" = 600 ] || pl_fail "the sealed key is not 0600"
! grep -q "secret-key" "$D/keys/web/amina.sealed" || pl_fail "a secret key in clear in the sealed file"
[ ! -e "$K/amina.key" ] || pl_fail "the web user's secret was written in clear"

PLENARY_LOG=debug pl_start_broker "$D"      # its admissions name each key
PLENARY_CERT=$K/records.key pl_start_records "$D"
export PLENARY_CERT=$K/op.key
pl_wait_records
plenary meeting add --id ccm-msp13 --convention CCM --kind msp --title "Thirteenth MSP" \
    --venue Geneva --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18 >/dev/null \
    || pl_fail "meeting add"
for code in FR DE; do
    plenary delegation set --convention CCM --code "$code" --status state-party >/dev/null \
        || pl_fail "delegation set $code"
done
DUPONT=$(plenary register --meeting ccm-msp13 --family-name Dupont --given-name Anne --gender f \
    --delegation FR --function head --json | jq -r .id) || pl_fail "register FR"
WEBER=$(plenary register --meeting ccm-msp13 --family-name Weber --given-name Jan --gender m \
    --delegation DE --function adviser --sponsored --json | jq -r .id) || pl_fail "register DE"
KELLER=$(plenary register --meeting ccm-msp13 --family-name Keller --given-name Uta --gender f \
    --delegation DE --function head --json | jq -r .id) || pl_fail "register DE head"

PLENARY_CERT=$K/gateway.key plenary-gateway --data "$D" --endpoint "$PLENARY_ENDPOINT" \
    --pub "$PLENARY_PUB" --http '127.0.0.1:*' >>"$PL_TMP/gateway.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$D/gateway.ready" || pl_fail "gateway wrote no gateway.ready"
BASE=http://$(sed -n 's/^http=//p' "$D/gateway.ready")
JAR=$PL_TMP/cookies

# get PATH [CURL FLAGS...]: the status, the headers in $PL_TMP/h, the body in $PL_TMP/b
get () {
    local path=$1; shift
    curl -s -o "$PL_TMP/b" -D "$PL_TMP/h" -w '%{http_code}' "$@" "$BASE$path"
}
# post PATH DATA [CURL FLAGS...]: a form from our own origin
post () {
    local path=$1 data=$2; shift 2
    get "$path" -H "Origin: $BASE" --data "$data" "$@"
}
valid () { /usr/bin/python3 "$(dirname "$0")/web_check.py" valid "$PL_TMP/b" >"$PL_TMP/check" 2>&1 \
    || pl_fail "$1 is not valid HTML5: $(cat "$PL_TMP/check")"; }

# ---- no session
code=$(get /secretariat/)
[ "$code" = 303 ] && grep -qi '^location: /secretariat/sign-in' "$PL_TMP/h" \
    || pl_fail "a visitor on /secretariat/ got $code, not a 303 to the sign-in page"
code=$(get /secretariat/meetings/ccm-msp13)
[ "$code" = 303 ] || pl_fail "a visitor on the dashboard got $code"
code=$(post /secretariat/sign-out "csrf=x")
[ "$code" = 403 ] || pl_fail "a POST without a session got $code"
code=$(get /secretariat/sign-in --data "name=amina&password=correct+horse+battery+staple")
[ "$code" = 403 ] || pl_fail "a sign-in with neither Origin nor Referer got $code"
code=$(post /secretariat/sign-out "csrf=x")
[ "$code" = 403 ] || pl_fail "a POST without a session got $code"
code=$(get /secretariat/sign-in?lang=ar)
[ "$code" = 200 ] || pl_fail "the sign-in page: $code"
grep -q '<html lang="ar" dir="rtl">' "$PL_TMP/b" || pl_fail "the Arabic sign-in page has no lang/dir"
grep -q '<label for="password">' "$PL_TMP/b" || pl_fail "the password field has no label"
valid "the sign-in page"

# ---- wrong passwords, then the lock-out of the name
code=$(post /secretariat/sign-in "name=amina&password=wrong+horse+battery+staple")
[ "$code" = 401 ] && ! grep -qi '^set-cookie' "$PL_TMP/h" || pl_fail "a wrong password got $code"
grep -q 'Wrong user name or password' "$PL_TMP/b" || pl_fail "a wrong password is not said"
code=$(post /secretariat/sign-in "name=nobody&password=x")
[ "$code" = 401 ] || pl_fail "an unknown name got $code"
code=$(get /secretariat/sign-in --data "name=amina&password=correct+horse+battery+staple" \
    -H "Origin: http://evil.example")
[ "$code" = 403 ] || pl_fail "a sign-in from another origin got $code"
for i in 1 2 3 4 5; do
    code=$(post /secretariat/sign-in "name=lucie&password=wrong$i")
    [ "$code" = 401 ] || pl_fail "failure $i got $code"
done
code=$(post /secretariat/sign-in "name=lucie&password=correct+horse+battery+staple")
[ "$code" = 429 ] || pl_fail "after 5 failures the right password got $code, not 429"
grep -q 'locked for 15 minutes' "$PL_TMP/b" || pl_fail "the lock-out is not said"
grep -q 'sign-in locked for 900 s: user lucie' "$PL_TMP/gateway.log" || pl_fail "the lock-out is not logged"

# ---- sign in
code=$(post /secretariat/sign-in "name=amina&password=correct+horse+battery+staple" -c "$JAR")
[ "$code" = 303 ] || pl_fail "the right password got $code: $(cat "$PL_TMP/b")"
cookie=$(grep -i '^set-cookie' "$PL_TMP/h")
[[ $cookie =~ plenary_session=[0-9a-f]{64}\;\ Path=/\;\ HttpOnly\;\ SameSite=Strict ]] \
    || pl_fail "the session cookie: $cookie"
[[ $cookie != *Secure* ]] || pl_fail "Secure on plain HTTP: the browser would drop it"
code=$(get /secretariat/ -b "$JAR")
[ "$code" = 200 ] || pl_fail "the signed-in home: $code"
grep -q 'Signed in as <strong>amina</strong>' "$PL_TMP/b" || pl_fail "the home does not say who"
grep -qi '^cache-control: no-store' "$PL_TMP/h" || pl_fail "a signed-in page may be cached"
grep -q 'href="/secretariat/meetings/ccm-msp13"' "$PL_TMP/b" || pl_fail "no link to the dashboard"
valid "the signed-in home"
grep -q 'identity: admitted key=amina role=secretariat domain=frontend' "$PL_TMP/broker.log" \
    || pl_fail "the gateway did not connect as amina's key"

# ---- the dashboard: the CLI's figures
code=$(get /secretariat/meetings/ccm-msp13 -b "$JAR")
[ "$code" = 200 ] || pl_fail "the dashboard: $code $(cat "$PL_TMP/b")"
valid "the dashboard"
plenary stats --meeting ccm-msp13 --json >"$PL_TMP/stats" || pl_fail "plenary stats"
for field in participants delegations heads sponsored; do
    n=$(jq -r ".$field" "$PL_TMP/stats")
    grep -q "<dd>$n</dd>" "$PL_TMP/b" || pl_fail "the dashboard lacks $field=$n"
done
[ "$(jq -r .participants "$PL_TMP/stats")" = 3 ] && [ "$(jq -r .sponsored "$PL_TMP/stats")" = 1 ] \
    || pl_fail "stats: $(cat "$PL_TMP/stats")"
grep -q '<svg class="chart" role="img"' "$PL_TMP/b" || pl_fail "no gender chart"
grep -q '<tr><td>Women</td><td>2</td><td>2</td></tr>' "$PL_TMP/b" \
    || pl_fail "the gender table is not the CLI's"
plenary credentials report --meeting ccm-msp13 --json >"$PL_TMP/cred" || pl_fail "credentials report"
n=$(jq -r .none "$PL_TMP/cred")
grep -q "<dt>None</dt><dd>$n</dd>" "$PL_TMP/b" || pl_fail "the credentials are not the CLI's"
code=$(get '/secretariat/meetings/ccm-msp13?lang=zh' -b "$JAR")
grep -q '<html lang="zh" dir="ltr">' "$PL_TMP/b" && grep -q '性别平衡' "$PL_TMP/b" \
    || pl_fail "the Chinese dashboard"
code=$(get /secretariat/meetings/nope -b "$JAR")
[ "$code" = 404 ] || pl_fail "an unknown meeting's dashboard: $code"

# ---- the approval queue: the CLI's events, the worker's verdict shown
code=$(get /secretariat/meetings/ccm-msp13/queue -b "$JAR")
[ "$code" = 200 ] || pl_fail "the queue: $code"
valid "the approval queue"
for p in "$DUPONT" "$WEBER" "$KELLER"; do
    grep -q "<tr id=\"$p\">" "$PL_TMP/b" || pl_fail "the queue lacks $p"
done
csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$PL_TMP/b" | head -1)
code=$(post /secretariat/meetings/ccm-msp13/queue "csrf=$csrf&participant=$KELLER&action=approve" \
    -b "$JAR")
[ "$code" = 200 ] && grep -q "Recorded: <span dir=\"auto\">participant.approved $KELLER" "$PL_TMP/b" \
    || pl_fail "approve from the queue: $code $(grep -o 'class="verdict[^<]*<span[^<]*' "$PL_TMP/b")"
plenary participants --meeting ccm-msp13 --json | jq -e --arg p "$KELLER" \
    'any(.[]; .id==$p and .status=="approved")' >/dev/null || pl_fail "the queue's approval is not recorded"
code=$(post /secretariat/meetings/ccm-msp13/queue "csrf=$csrf&participant=$KELLER&action=approve" \
    -b "$JAR")
grep -q "Refused: <span dir=\"auto\">participant $KELLER is already approved" "$PL_TMP/b" \
    || pl_fail "the worker's refusal is not shown"
code=$(post /secretariat/meetings/ccm-msp13/queue "participant=$DUPONT&action=reject" -b "$JAR")
[ "$code" = 403 ] || pl_fail "an action without the CSRF token got $code"
plenary participants --meeting ccm-msp13 --json | jq -e --arg p "$DUPONT" \
    'any(.[]; .id==$p and .status=="registered")' >/dev/null || pl_fail "a refused POST changed $DUPONT"

# ---- the registration form: participant.registered as `plenary register` publishes it
code=$(get /secretariat/meetings/ccm-msp13/register -b "$JAR")
[ "$code" = 200 ] || pl_fail "the registration form: $code"
valid "the registration form"
code=$(post /secretariat/meetings/ccm-msp13/register \
    "csrf=$csrf&family_name=Sch%C3%A4fer&given_name=Eva&delegation=DE&function=expert&gender=f&email=&sponsored=true" \
    -b "$JAR")
new=$(sed -n 's/.*Recorded: <span dir="auto">participant.registered \(p[0-9]*\)<.*/\1/p' "$PL_TMP/b")
[ -n "$new" ] || pl_fail "register from the form: $code $(grep -o 'class="verdict.*</p>' "$PL_TMP/b")"
plenary participants --meeting ccm-msp13 --json | jq -e --arg p "$new" 'any(.[]; .id==$p
    and .family_name=="Schäfer" and .function=="expert" and .sponsored==true and (has("email")|not))' \
    >/dev/null || pl_fail "the form's registration is not the CLI's: $(plenary participants --meeting ccm-msp13 --json)"
code=$(post /secretariat/meetings/ccm-msp13/register "csrf=$csrf&given_name=Eva&delegation=DE" -b "$JAR")
grep -q 'Refused: <span dir="auto">participant.registered: family_name' "$PL_TMP/b" \
    || pl_fail "a registration without a family name: $(grep -o 'class="verdict.*</p>' "$PL_TMP/b")"
code=$(post /secretariat/meetings/ccm-msp13/register "family_name=X&delegation=DE" -b "$JAR")
[ "$code" = 403 ] || pl_fail "a registration without the CSRF token got $code"

# ---- CSRF and origin: refused, and the session lives on
code=$(post /secretariat/sign-out "" -b "$JAR")
[ "$code" = 403 ] || pl_fail "sign-out without the CSRF token got $code"
code=$(post /secretariat/sign-out "csrf=0000" -b "$JAR")
[ "$code" = 403 ] || pl_fail "sign-out with a wrong CSRF token got $code"
get /secretariat/ -b "$JAR" >/dev/null
csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$PL_TMP/b")
[ ${#csrf} = 64 ] || pl_fail "no CSRF token in the page"
code=$(get /secretariat/sign-out -b "$JAR" -H "Origin: http://evil.example" --data "csrf=$csrf")
[ "$code" = 403 ] || pl_fail "sign-out from another origin got $code"
code=$(get /secretariat/sign-out -b "$JAR" --data "csrf=$csrf")
[ "$code" = 403 ] || pl_fail "sign-out with neither Origin nor Referer got $code"
code=$(get /secretariat/ -b "$JAR")
[ "$code" = 200 ] || pl_fail "the refused POSTs ended the session: $code"

# ---- sign out
code=$(get /secretariat/sign-out -b "$JAR" -H "Referer: $BASE/secretariat/" --data "csrf=$csrf")
[ "$code" = 303 ] && grep -qi '^set-cookie: plenary_session=;.*Max-Age=0' "$PL_TMP/h" \
    || pl_fail "sign-out: $code"
code=$(get /secretariat/ -b "$JAR")
[ "$code" = 303 ] || pl_fail "the old cookie still opens a page after sign-out: $code"

# ---- a focal point may not see the dashboard
plenary keys web-user x --role delegate --data "$D" </dev/null 2>"$PL_TMP/err"
[ $? = 2 ] || pl_fail "a delegate web user without --delegation was issued"
printf '%s\n' "$PASSWORD" | plenary keys web-user jean --role delegate --delegation de \
    --data "$D" >/dev/null || pl_fail "keys web-user jean"
code=$(post /secretariat/sign-in "name=jean&password=correct+horse+battery+staple" -c "$JAR")
[ "$code" = 303 ] || pl_fail "the focal point's sign-in: $code"
code=$(get /secretariat/ -b "$JAR")
grep -q 'Focal point of the delegation: de' "$PL_TMP/b" || pl_fail "the focal point is not said"
! grep -q 'href="/secretariat/meetings/ccm-msp13"' "$PL_TMP/b" || pl_fail "a focal point is offered the dashboard"
grep -q 'href="/secretariat/meetings/ccm-msp13/queue"' "$PL_TMP/b" || pl_fail "a focal point has no queue"
code=$(get /secretariat/meetings/ccm-msp13 -b "$JAR")
[ "$code" = 403 ] || pl_fail "a focal point on the dashboard got $code"
grep -q 'identity: admitted key=jean role=delegate domain=frontend' "$PL_TMP/broker.log" \
    || pl_fail "the gateway did not connect as jean's key"
# the focal point registers: its delegation, the form filled with it; another refused by records
code=$(get /secretariat/meetings/ccm-msp13/register -b "$JAR")
grep -q 'name="delegation" type="text" required value="DE"' "$PL_TMP/b" \
    || pl_fail "the focal point's form is not filled with its delegation"
csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$PL_TMP/b" | head -1)
code=$(post /secretariat/meetings/ccm-msp13/register "csrf=$csrf&family_name=Faux&delegation=FR" \
    -b "$JAR")
grep -q 'Refused: <span dir="auto">key jean is the focal point of de; it cannot register for FR' \
    "$PL_TMP/b" || pl_fail "a focal point registered another delegation from the form"
code=$(post /secretariat/meetings/ccm-msp13/register "csrf=$csrf&family_name=Brandt&delegation=DE" \
    -b "$JAR")
grep -q 'Recorded: <span dir="auto">participant.registered p' "$PL_TMP/b" \
    || pl_fail "the focal point could not register its own delegation from the form"
# the focal point's queue: its delegation's registrations, to approve only
code=$(get /secretariat/meetings/ccm-msp13/queue -b "$JAR")
[ "$code" = 200 ] && grep -q "<tr id=\"$WEBER\">" "$PL_TMP/b" || pl_fail "jean's queue lacks $WEBER"
! grep -q "<tr id=\"$DUPONT\">" "$PL_TMP/b" || pl_fail "jean's queue shows another delegation's"
! grep -q 'value="confirm"' "$PL_TMP/b" || pl_fail "a focal point is offered the second level"
valid "the focal point's queue"
csrf=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$PL_TMP/b" | head -1)
code=$(post /secretariat/meetings/ccm-msp13/queue "csrf=$csrf&participant=$DUPONT&action=approve" \
    -b "$JAR")
grep -q "Refused: <span dir=\"auto\">key jean is the focal point of de; it cannot approve for FR" \
    "$PL_TMP/b" || pl_fail "a focal point approved another delegation's participant"
code=$(post /secretariat/meetings/ccm-msp13/queue "csrf=$csrf&participant=$WEBER&action=confirm" \
    -b "$JAR")
[ "$code" = 403 ] || pl_fail "a focal point's confirm got $code"
code=$(post /secretariat/meetings/ccm-msp13/queue "csrf=$csrf&participant=$WEBER&action=approve" \
    -b "$JAR")
grep -q "Recorded: <span dir=\"auto\">participant.approved $WEBER" "$PL_TMP/b" \
    || pl_fail "the focal point could not approve its own delegation's $WEBER"

# ---- a focal point's key through the CLI: its own delegation only, from
# the broker's stamp (records refuses the rest with the reason)
plenary keys new --role delegate --name fp-fr --delegation fr \
    --publish participant.registered,participant.approved --data "$D" >/dev/null \
    || pl_fail "keys new fp-fr"
plenary keys new --role secretariat --name fp-x --delegation fr --data "$D" 2>"$PL_TMP/err"
[ $? = 1 ] && grep -q "delegation is for --role delegate" "$PL_TMP/err" \
    || pl_fail "a secretariat key with a delegation was issued"
FP=$K/fp-fr.key
MARTIN=$(PLENARY_CERT=$FP plenary register --meeting ccm-msp13 --family-name Martin \
    --given-name Paul --gender m --delegation FR --function adviser --json | jq -r .id)
[[ $MARTIN =~ ^p[0-9]+$ ]] || pl_fail "the focal point could not register its own delegation"
PLENARY_CERT=$FP plenary register --meeting ccm-msp13 --family-name Roth --delegation DE \
    2>"$PL_TMP/err"
[ $? = 1 ] && grep -qxF "plenary: rejected: key fp-fr is the focal point of fr; it cannot register for DE" \
    "$PL_TMP/err" || pl_fail "a focal point registered another delegation: $(cat "$PL_TMP/err")"
PLENARY_CERT=$FP plenary participant approve "$WEBER" --meeting ccm-msp13 2>"$PL_TMP/err"
[ $? = 1 ] && grep -qxF "plenary: rejected: key fp-fr is the focal point of fr; it cannot approve for DE" \
    "$PL_TMP/err" || pl_fail "a focal point approved another delegation: $(cat "$PL_TMP/err")"
PLENARY_CERT=$FP plenary participant approve "$MARTIN" --meeting ccm-msp13 >/dev/null \
    || pl_fail "the focal point could not approve its own delegation"
PLENARY_CERT=$FP plenary participant confirm "$MARTIN" --meeting ccm-msp13 2>"$PL_TMP/err"
[ $? = 1 ] && grep -q "may not publish participant.confirmed" "$PL_TMP/err" \
    || pl_fail "a focal point confirmed (the second level): $(cat "$PL_TMP/err")"
plenary participants --meeting ccm-msp13 --json >"$PL_TMP/parts"
jq -e --arg m "$MARTIN" --arg w "$WEBER" 'any(.[]; .id==$m and .status=="approved")
    and any(.[]; .id==$w and .status=="approved")' "$PL_TMP/parts" >/dev/null \
    || pl_fail "statuses after the focal point: $(cat "$PL_TMP/parts")"
plenary participant history "$MARTIN" --meeting ccm-msp13 --json \
    | grep -q "approved by the focal point of FR (key fp-fr)" || pl_fail "the history does not say who approved"
plenary participant history "$WEBER" --meeting ccm-msp13 --json \
    | grep -q "approved by the focal point of DE (key jean)" || pl_fail "the history does not name jean"

# ---- no secret in any log
for secret in "$PASSWORD" "$csrf" correct+horse; do
    ! grep -rqF -- "$secret" "$PL_TMP"/*.log || pl_fail "a secret in a log"
done
pl_pass "the signed-in pages: keys sealed by passwords, sessions, lock-out, CSRF, dashboard"

# ---- the same pages in Debian's chromium (tests/web/signed_in.mjs): axe-core,
# labels, lang and dir, screenshots in $PL_BUILD/web-screens-signed-in
WEB=$(cd "$(dirname "$0")/web" && pwd)
web_browser_ready
SCREENS=$PL_BUILD/web-screens-signed-in
rm -rf "$SCREENS" && mkdir -p "$SCREENS"
TMPDIR=$PL_TMP node "$WEB/signed_in.mjs" "$BASE" "$SCREENS" "$PASSWORD" "$DUPONT" \
    || pl_fail "the signed-in pages in chromium (screens in $SCREENS)"
[ "$(find "$SCREENS" -name '*.png' | wc -l)" -ge 11 ] || pl_fail "screenshots missing"
pl_pass "the signed-in pages in chromium: sign-in, dashboard, queue, print, sign-out, Arabic, a focal point"
