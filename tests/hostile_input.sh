#!/usr/bin/env bash
# hostile_input — bad bytes and hostile text at every way in, black box.
#
# HTTP: a path or query parameter that is not valid UTF-8, holds %00 or a
# control character, or is badly escaped is a 400 whose body names it,
# never a filter silently dropped (on the archive's API that used to answer
# 200 with unfiltered results); an unknown /api/search parameter is a 400
# naming it, wherever it stands.  The CLI: an argument or flag value that is
# not valid UTF-8 or holds a control character exits 2 naming the flag (a
# search for such a word used to list the whole archive).  HTML: the list of
# participants escapes & < > " ' in names, organizations and delegation
# names, and a parser reads back exactly the names registered.  Snippets:
# text holding the match markers ⟦ ⟧ cannot forge a match.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
DATA=$PL_TMP/data
pl_system "$DATA"
pl_start_archive "$DATA"
pl_wait_archive
plenary-gateway --data "$DATA" --endpoint "$PLENARY_ENDPOINT" --http '127.0.0.1:*' \
    >>"$PL_TMP/gateway.log" 2>&1 &
PL_PIDS="$PL_PIDS $!"
pl_poll 100 test -s "$DATA/gateway.ready" || pl_fail "gateway wrote no gateway.ready"
BASE=http://$(sed -n 's/^http=//p' "$DATA/gateway.ready")
M=ccm-msp13

plenary meeting add --id $M --convention CCM --kind msp --title "Thirteenth <Meeting> & 'Co'" \
    --venue Geneva --tz Europe/Zurich --start 2030-09-15 --end 2030-09-18 >/dev/null \
    || pl_fail "meeting add"
T=$PL_TMP
release () {  # release SYMBOL LANG TEXT
    printf '%s\n' "$3" >"$T/text"
    plenary release --symbol "$1" --language "$2" --title "Report $1" --meeting $M \
        --file "$T/text" >/dev/null || pl_fail "release $1 $2"
}
release CCM/MSP/2030/1 en "The Meeting adopted the ratification report."
release CCM/MSP/2030/1 fr "La Réunion a adopté le rapport sur la ratification."
release CCM/MSP/2030/1/Rev.1 en "Revised."
release CCM/MSP/2030/2 en "Not a ⟦match⟧ <script>alert(1)</script> &amp; ⟧ then ratification ⟦"
pl_poll 100 sh -c "plenary search ratification --json | jq -e '.total == 3'" \
    || pl_fail "the archive never found the three releases"

# ---- HTTP: every bad byte is a 400 naming where it is
# expect_http PATH STATUS TEXT: GET PATH as is; want STATUS and TEXT in the body
expect_http () {
    local code
    code=$(curl -s --path-as-is -o "$PL_TMP/body" -w '%{http_code}' "$BASE$1")
    [ "$code" = "$2" ] || pl_fail "GET $1: $code, want $2: $(cat "$PL_TMP/body")"
    grep -qF -- "$3" "$PL_TMP/body" || pl_fail "GET $1: body lacks '$3': $(cat "$PL_TMP/body")"
}
expect_http '/api/search?q=ratification&language=fr' 200 '"total":1'
expect_http '/api/search?q=%FF&language=fr' 400 '"error":"q: not valid UTF-8"'
expect_http '/api/search?q=ratification&language=fr%FF' 400 'language: not valid UTF-8'
expect_http '/api/search?language=%FF&q=ratification' 400 'language: not valid UTF-8'
expect_http '/api/search?q=ratification%00&language=fr' 400 'q: contains a NUL byte'
expect_http '/api/search?q=ratification&language=fr%00x' 400 'language: contains a NUL byte'
expect_http '/api/search?q=ratification&language=f%1Br' 400 'language: contains control character 0x1B'
expect_http '/api/search?q=ratification&language=fr%0A' 400 'language:'
expect_http '/api/search?q=ratification&language=%f' 400 'language: bad percent-encoding'
expect_http '/api/search?q=%C0%AFratification' 400 'q: not valid UTF-8'
expect_http '/api/search?q=ratification&nonsense=1' 400 "unknown parameter 'nonsense'"
expect_http '/api/search?q=%FF&nonsense=1' 400 'q: not valid UTF-8'
expect_http '/api/search?q=ratification&%FF=fr' 400 'parameter 2: name: not valid UTF-8'
expect_http '/api/search?q=ratification&page=1%00' 400 'page: contains a NUL byte'
expect_http '/api/documents/CCM/MSP/2030/1' 200 '"symbol":"CCM/MSP/2030/1"'
# the API forgives what a reader types: codes in any case; from after to is
# named; a document comes with its family
expect_http '/api/search?q=ratification&language=FR' 200 '"total":1'
expect_http '/api/search?q=ratification&convention=ccm' 200 '"total":3'
expect_http '/api/search?q=ratification&from=2030-12-01&to=2030-01-01' 400 \
    'from 2030-12-01 is after to 2030-01-01'
curl -s "$BASE/api/documents/CCM/MSP/2030/1" | jq -e '[.family[].symbol]
    == ["CCM/MSP/2030/1", "CCM/MSP/2030/1", "CCM/MSP/2030/1/Rev.1"]' >/dev/null \
    || pl_fail "/api/documents has no family: $(curl -s "$BASE/api/documents/CCM/MSP/2030/1")"
expect_http '/api/documents/CCM/MSP/2030/1%00/x' 400 'path: contains a NUL byte'
expect_http '/api/documents/CCM/MSP/2030/1%FF' 400 'path: not valid UTF-8'
expect_http '/api/documents/CCM/MSP/2030/1?language=fr%00' 400 'language: contains a NUL byte'
expect_http '/ics/meetings/ccm-msp13%00x.ics' 400 'path: contains a NUL byte'
expect_http '/ics/meetings/ccm-msp13.ics?x=%E9' 400 'x: not valid UTF-8'
grep -qi 'application/json' <(curl -s -D - -o /dev/null "$BASE/api/search?q=%FF") \
    || pl_fail "an API refusal is not JSON"

# ---- snippets: the text's own markers are not matches
curl -sf -o "$PL_TMP/hits.json" "$BASE/api/search?q=ratification&language=en" \
    || pl_fail "search over HTTP"
SNIP=$(jq -r '.items[] | select(.symbol == "CCM/MSP/2030/2") | .snippet' "$PL_TMP/hits.json")
[ -n "$SNIP" ] || pl_fail "no snippet for the hostile text: $(cat "$PL_TMP/hits.json")"
[ "$(printf '%s' "$SNIP" | grep -o '⟦' | wc -l)" = 1 ] \
    && [ "$(printf '%s' "$SNIP" | grep -o '⟧' | wc -l)" = 1 ] \
    || pl_fail "markers forged in the snippet: $SNIP"
printf '%s' "$SNIP" | grep -qF '⟦ratification⟧' || pl_fail "the match is not marked: $SNIP"
printf '%s' "$SNIP" | grep -qF '<script>alert(1)</script> &amp;' \
    || pl_fail "the snippet's text is not the text's: $SNIP"
plenary search ratification --language en --json \
    | jq -e '[.items[].snippet | select(test("⟦[^⟧]*⟧.*⟦") or test("^[^⟦]*⟧"))] == []' >/dev/null \
    || pl_fail "the CLI shows a forged marker"

# ---- the CLI: bad text in an argument or a flag value is a usage error naming it
# expect_cli PATTERN COMMAND...: want exit 2 and PATTERN on stderr
expect_cli () {
    local pattern=$1; shift
    "$@" >"$PL_TMP/out" 2>"$PL_TMP/err"
    local rc=$?
    [ "$rc" = 2 ] || pl_fail "'$*' exited $rc, want 2; stdout: $(head -c 300 "$PL_TMP/out")"
    grep -q -- "$pattern" "$PL_TMP/err" || pl_fail "'$*': stderr lacks '$pattern': $(cat "$PL_TMP/err")"
}
expect_cli 'argument 1: not valid UTF-8'           plenary search $'\xff'
expect_cli 'argument 2: contains control character 0x1B' plenary search ratification $'\x1b[2J'
expect_cli '--language: not valid UTF-8'         plenary search ratification --language $'f\xe9'
expect_cli '--meeting: must be lower-case' plenary participants --meeting $'m\n'
expect_cli '--family-name: not valid UTF-8'      plenary register --meeting $M \
    --family-name $'Dupont\xc3' --delegation FR
expect_cli '--as-of: contains control character 0x09' plenary participants --meeting $M \
    --as-of $'2030-09-15T12:00Z\t'
expect_cli 'the command: contains control character 0x1B' plenary $'meeting\x1b'
expect_cli 'the command: not valid UTF-8'           plenary meeting $'l\xffist'
expect_cli '--endpoint: contains control character' plenary --endpoint $'tcp://x\x01' status
expect_cli 'a flag: not valid UTF-8'               plenary outcome $'--\xff'
# search: what is not one of its flags is a word of the query, checked as one
expect_cli 'argument 2: not valid UTF-8'           plenary search budget $'--\xff'
# where a field takes lines (a note), they pass the CLI to the schema, which decides
plenary register --meeting $M --family-name Lines --delegation FR --note $'one\ntwo' >/dev/null \
    || pl_fail "a note of two lines refused"

# ---- HTML: the list of participants escapes what it prints, and reads back the same
plenary delegation set --convention CCM --code FR --status state-party >/dev/null || pl_fail "FR"
plenary delegation set --convention CCM --code XSS --status organization \
    --name "<img src=x onerror=alert(1)> & \"Co\"'s" >/dev/null || pl_fail "declare XSS"
plenary delegation admit --meeting $M --code XSS >/dev/null || pl_fail "admit XSS"
NAMES=("<script>alert('x')</script>" "&amp; \"quoted\" 'single'" "⟦forged⟧ <b>bold</b>")
plenary register --meeting $M --family-name "${NAMES[0]}" --given-name "${NAMES[1]}" \
    --delegation FR --function head --organization "${NAMES[2]}" >/dev/null || pl_fail "register 1"
plenary register --meeting $M --family-name "O'Brien" --given-name '"Jo" <i>' \
    --delegation XSS --position "a & b > c" >/dev/null || pl_fail "register 2"
plenary participants --meeting $M --html >"$PL_TMP/list.html" || pl_fail "participants --html"
grep -q "<script\|<img\|<b>\|<i>\|O'Brien\|'single'\|\"quoted\"" "$PL_TMP/list.html" \
    && pl_fail "raw markup or quotes from a name in the HTML: $(cat "$PL_TMP/list.html")"
grep -qF '&amp;amp; &quot;quoted&quot; &#39;single&#39;' "$PL_TMP/list.html" \
    || pl_fail "the given name is not escaped as expected"
/usr/bin/python3 - "$PL_TMP/list.html" <<'EOF' || pl_fail "the HTML does not read back as registered"
import sys
from html.parser import HTMLParser

class List(HTMLParser):
    """Collects the text of every span by class, and every tag name."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.spans, self.current = set(), [], None
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "span":
            self.current = [dict(attrs).get("class"), ""]
        if tag == "h3":
            self.current = ["h3", ""]
    def handle_endtag(self, tag):
        if tag in ("span", "h3") and self.current:
            self.spans.append(tuple(self.current))
            self.current = None
    def handle_data(self, data):
        if self.current:
            self.current[1] += data

page = List()
page.feed(open(sys.argv[1], encoding="utf-8").read())
want = {
    ("family-name", "<script>alert('x')</script>"), ("given-name", "&amp; \"quoted\" 'single'"),
    ("organization", "⟦forged⟧ <b>bold</b>"), ("family-name", "O'Brien"),
    ("given-name", "\"Jo\" <i>"), ("position", "a & b > c"),
    ("h3", "<img src=x onerror=alert(1)> & \"Co\"'s"),
}
missing = want - set(page.spans)
unexpected = page.tags - {"html", "head", "meta", "title", "style", "body", "p", "h1", "h2",
                          "h3", "section", "ul", "li", "span"}
if missing or unexpected:
    sys.exit("missing %r, unexpected tags %r" % (missing, unexpected))
EOF
pl_pass "hostile input refused at every way in, escaped on the way out"
