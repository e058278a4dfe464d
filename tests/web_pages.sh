#!/usr/bin/env bash
# web_pages — the public web pages over HTTP without a browser (curl).
#
# Real broker, records, calendar, archive and gateway; the data of
# tests/web_lib.sh.  Every page is valid HTML5 by html5lib's strict parser
# and tidy, loads nothing, and keeps its rules (tests/web_check.py).  Each
# page shows what its JSON twin shows (/api/meetings..., /api/search,
# /api/documents): the same sessions, totals, versions.  Hostile titles come
# out as the text they are; snippets mark only matches.  Nothing restricted
# or limited, no e-mail address or note, is on any page.  Bad bytes are a
# 400 page naming the part (gw_target), unknown things a 404 page, a
# visitor on /secretariat/ is sent to sign in (303); HEAD, ETag and 304, Vary,
# Content-Language,
# the security policy; a text downloaded is the released text, byte for byte.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
. "$(dirname "$0")/web_lib.sh"
CHECK="/usr/bin/python3 $(dirname "$0")/web_check.py"
command -v tidy >/dev/null || pl_fail "tidy is not installed (scripts/build.sh installs it)"
web_system
web_data

# fetch PATH NAME [CURL FLAGS...]: GET PATH into $PL_TMP/NAME.html, headers in NAME.head;
# prints the status
fetch () {
    local path=$1 name=$2
    shift 2
    curl -s --path-as-is -D "$PL_TMP/$name.head" -o "$PL_TMP/$name.html" -w '%{http_code}' \
        "$@" "$BASE$path"
}
# page PATH NAME: a page that must answer 200 and be valid
page () {
    local code
    code=$(fetch "$@")
    [ "$code" = 200 ] || pl_fail "GET $1: $code: $(head -c 400 "$PL_TMP/$2.html")"
    grep -qi '^content-type: text/html; charset=utf-8' "$PL_TMP/$2.head" \
        || pl_fail "GET $1: not text/html in UTF-8"
    $CHECK valid "$PL_TMP/$2.html" || pl_fail "GET $1 is not valid"
}
text () { $CHECK text "$PL_TMP/$1.html"; }
has () { text "$1" | grep -qF -- "$2" || pl_fail "$1: the page does not say '$2'"; }
lacks () { grep -qF -- "$2" "$PL_TMP/$1.html" && pl_fail "$1: the page holds '$2'"; return 0; }

page / home
page /meetings/$M meeting
page "/search?q=ratification" search
page "/search?q=%E6%89%B9%E5%87%86&language=zh&lang=zh" search_zh
page "/search?q=%D8%A7%D9%84%D8%AA%D8%B5%D8%AF%D9%8A%D9%82&lang=ar" search_ar
page "/search" search_all
page /documents/CCM/MSP/2030/1 document
page "/documents/CCM/MSP/2030/1?language=ar&lang=ar" document_ar
page "/documents/CCM/MSP/2030/1/Rev.1?lang=fr" document_rev
pl_pass "every page answers 200, valid HTML5, nothing loaded from elsewhere"

# ---- the home page: conventions, upcoming before past
has home "CCM Convention on Cluster Munitions"
has home "$HOSTILE_TITLE"
has home "Двадцатое совещание"
has home "اجتماع فريق الخبراء الحكوميين"
# Conventions by code; in CCM's section, upcoming first, then past
ORDER=$(text home | sed 's/.*APMBC \(.*\)CCM Convention on Cluster Munitions\(.*\)CCW .*/\2/' \
    | grep -o "Upcoming and current\|Past\|$HOSTILE_TITLE\|Intersessional meeting 2021\|Двадцатое" \
    | tr '\n' '|')
[ "$ORDER" = "Upcoming and current|$HOSTILE_TITLE|Past|Intersessional meeting 2021|" ] \
    || pl_fail "home: CCM's meetings not upcoming first: $ORDER"
grep -q 'href="/meetings/ccm-msp13"' "$PL_TMP/home.html" || pl_fail "home: no link to the meeting"
grep -q 'href="/ics/conventions/CCM.ics"' "$PL_TMP/home.html" || pl_fail "home: no convention feed"

# ---- the meeting: the same sessions as the API, times in the zone and in UTC
curl -sf -o "$PL_TMP/sessions.json" "$BASE/api/meetings/$M/sessions" || pl_fail "API sessions"
jq -r '.items[].title' "$PL_TMP/sessions.json" | while read -r title; do
    has meeting "$title"
done
[ "$(jq '.items | length' "$PL_TMP/sessions.json")" = 3 ] || pl_fail "API: not 3 sessions"
has meeting "$HOSTILE_SESSION"
has meeting "Local time (Europe/Zurich)"
has meeting "Saturday 2030-03-30"
has meeting "Monday 2030-04-01"
has meeting "09:00–12:00 08:00–11:00"          # 30 March: UTC+1
has meeting "10:00–13:00 08:00–11:00"          # 1 April, moved: UTC+2
grep -q 'data-start="2030-03-30T08:00:00Z" data-end="2030-03-30T11:00:00Z"' \
    "$PL_TMP/meeting.html" || pl_fail "meeting: no UTC instants for the script"
has meeting "Cancelled No interpretation available"
has meeting "Moved Moved to the afternoon room plan"
grep -q '<tr class="cancelled">' "$PL_TMP/meeting.html" || pl_fail "meeting: cancelled row unmarked"
FEED="${BASE}/ics/meetings/$M.ics"
grep -qF "value=\"$FEED\"" "$PL_TMP/meeting.html" || pl_fail "meeting: no copyable feed address"
grep -qF "href=\"webcal://${BASE#http://}/ics/meetings/$M.ics\"" "$PL_TMP/meeting.html" \
    || pl_fail "meeting: no webcal link"
grep -qF "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" "$PL_TMP/meeting.html" \
    || pl_fail "meeting: no Google Calendar link"
grep -qF "https://outlook.live.com/calendar/0/addfromweb?url=http%3A%2F%2F" "$PL_TMP/meeting.html" \
    || pl_fail "meeting: no Outlook link"
curl -sf -o /dev/null "$FEED" || pl_fail "the feed the page names does not answer"
for symbol in CCM/MSP/2030/1 CCM/MSP/2030/1/Rev.1 CCM/MSP/2030/7; do
    grep -qF "href=\"/documents/$symbol\"" "$PL_TMP/meeting.html" || pl_fail "meeting: no $symbol"
done
for language in ar zh en fr ru es; do
    grep -qF "href=\"/documents/CCM/MSP/2030/1?language=$language\"" "$PL_TMP/meeting.html" \
        || pl_fail "meeting: no $language version of CCM/MSP/2030/1"
done
pl_pass "home and meeting pages: by convention, programme in two zones, subscribe links, documents"

# ---- search: the API's total and hits, marks only on matches, pages
API_TOTAL=$(curl -sf "$BASE/api/search?q=ratification" | jq .total)
[ "$API_TOTAL" -ge 10 ] || pl_fail "the API finds only $API_TOTAL"
has search "Items found: $API_TOTAL"
MARKS=$($CHECK marks "$PL_TMP/search.html" | sort -u | tr '\n' '|')
[ "$MARKS" = "ratification|" ] || pl_fail "search: marks other than the word: $MARKS"
# the text's own markers come as U+FFFD from the archive, escaped markup as text
has search "$(printf '\xef\xbf\xbd')fake$(printf '\xef\xbf\xbd') <b>bold</b> & the"
has search_zh "关于批准情况的报告"
[ "$($CHECK marks "$PL_TMP/search_zh.html" | sort -u)" = 批准 ] || pl_fail "zh: marks"
grep -q 'lang="zh" dir="ltr">' "$PL_TMP/search_zh.html" || pl_fail "zh: hit without lang"
[ "$($CHECK lang "$PL_TMP/search_ar.html")" = "ar rtl" ] || pl_fail "ar: not <html lang=ar dir=rtl>"
has search_ar "تقرير عن حالة التصديق"
grep -q '<a href="/documents/CCM/MSP/2030/1?language=ar&amp;lang=ar" class="title" lang="ar" dir="rtl">' \
    "$PL_TMP/search_ar.html" || pl_fail "ar: the Arabic hit is not right to left"
has search_ar "البحث في الأرشيف"
page "/search?q=ratification&page_size=4&page=2" search_p2
has search_p2 "Page 2 / $(( (API_TOTAL + 3) / 4 ))"
grep -q "rel=\"prev\" href=\"/search?q=ratification&amp;page_size=4&amp;page=1\"" \
    "$PL_TMP/search_p2.html" || pl_fail "page 2: no link to page 1"
grep -q "rel=\"next\" href=\"/search?q=ratification&amp;page_size=4&amp;page=3\"" \
    "$PL_TMP/search_p2.html" || pl_fail "page 2: no link to page 3"
grep -q '<ol class="hits" start="5">' "$PL_TMP/search_p2.html" || pl_fail "page 2 does not start at 5"
# Filters as the form sends them: empty ones filter nothing, the others as the API
page "/search?q=ratification&convention=&meeting=$M&language=fr&kind=&from=&to=&symbol=CCM%2FMSP%2F2030%2F*" search_f
FILTERED=$(curl -sf "$BASE/api/search?q=ratification&meeting=$M&language=fr&symbol=CCM%2FMSP%2F2030%2F*" | jq .total)
has search_f "Items found: $FILTERED"
grep -q '<option value="fr" selected>' "$PL_TMP/search_f.html" || pl_fail "filter not kept"
has search_all "Items found: $(curl -sf "$BASE/api/search" | jq .total)"
pl_pass "search pages: the API's totals and pages, marks on matches only, Chinese and Arabic"

# ---- the document family: versions, text, family, outcomes, statements
curl -sf -o "$PL_TMP/doc.json" "$BASE/api/documents/CCM/MSP/2030/1" || pl_fail "API document"
[ "$(grep -o '<tr><td data-label="Language"' "$PL_TMP/document.html" | wc -l)" \
  = "$(jq '.versions | length' "$PL_TMP/doc.json")" ] || pl_fail "document: not the API's versions"
has document "CCM/MSP/2030/1/Rev.1 Revised report on ratification"
has document "Final report of the Thirteenth Meeting"
has document "Mme Dupont"
has document_ar "نظر الاجتماع في التقرير المتعلق بالتصديق."
grep -q '<pre class="text" lang="ar" dir="rtl">' "$PL_TMP/document_ar.html" \
    || pl_fail "the Arabic text is not right to left"
has document_rev "Versions linguistiques et révisions"
grep -q 'href="/documents/CCM/MSP/2030/1?lang=fr"' "$PL_TMP/document_rev.html" \
    || pl_fail "Rev.1 does not lead to its family's base"
# The text as released, byte for byte, under both revisions
printf '%s\n' "The Meeting considered the ratification report. ⟦fake⟧ <b>bold</b> & more." \
    >"$PL_TMP/want1.txt"
printf '%s\n' "The Meeting considered the revised ratification report (second revision)." \
    >"$PL_TMP/want2.txt"
code=$(fetch "/documents/CCM/MSP/2030/1?language=en&revision=1&format=txt" txt1)
[ "$code" = 200 ] && cmp -s "$PL_TMP/txt1.html" "$PL_TMP/want1.txt" \
    || pl_fail "revision 1 downloaded is not the text released ($code)"
grep -qi '^content-type: text/plain; charset=utf-8' "$PL_TMP/txt1.head" || pl_fail "txt type"
grep -qi '^content-disposition: attachment; filename="CCM-MSP-2030-1.en.txt"' "$PL_TMP/txt1.head" \
    || pl_fail "txt: not an attachment"
fetch "/documents/CCM/MSP/2030/1?language=en&format=txt" txt2 >/dev/null
cmp -s "$PL_TMP/txt2.html" "$PL_TMP/want2.txt" || pl_fail "the current text is not revision 2"
pl_pass "document pages: the API's versions, texts byte for byte, family, outcomes, statements"

# ---- what the public never sees, on any page
for name in home meeting search search_all search_p2 search_f document document_ar; do
    for secret in SECRETXYZZY LIMITEDQUUX CCM/MSP/2030/9 CCM/MSP/2030/10 "$SECRET_EMAIL" \
                  "$SECRET_NOTE" Hidden; do
        lacks $name "$secret"
    done
done
page "/search?q=SECRETXYZZY" secret
has secret "Items found: 0"
for path in /documents/CCM/MSP/2030/9 /documents/CCM/MSP/2030/10 "/documents/CCM/MSP/2030/9?language=en&format=txt"; do
    code=$(fetch "$path" hidden)
    [ "$code" = 404 ] || pl_fail "$path: $code, not 404"
    lacks hidden SECRETXYZZY
done
pl_pass "no restricted or limited document, no e-mail address or note on any page"

# ---- escaping: hostile text reads back as itself, and no markup of it survives
grep -q "<script>alert\|<img src=x\|<b>bold\|<b>status" "$PL_TMP/"{home,meeting,search,document}.html \
    && pl_fail "markup from a title came through"
has meeting "$HOSTILE_TITLE"
grep -qF '&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; &quot;Co&quot;' "$PL_TMP/meeting.html" \
    || pl_fail "the title is not escaped as expected"
pl_pass "hostile titles and names escaped, read back as themselves"

# ---- refusals: 400 naming the part, 404 pages, a visitor sent to sign in
# expect PATH STATUS TEXT
expect () {
    local code
    code=$(fetch "$1" refused)
    [ "$code" = "$2" ] || pl_fail "GET $1: $code, want $2"
    has refused "$3"
    $CHECK valid "$PL_TMP/refused.html" || pl_fail "GET $1: the refusal is not valid HTML"
}
expect '/search?q=%FF' 400 'q: not valid UTF-8'
expect '/search?q=a%00b' 400 'q: contains a NUL byte'
expect '/search?q=ratification&language=fr%1B' 400 'language: contains control character 0x1B'
expect '/search?q=ratification&nonsense=1' 400 "unknown parameter 'nonsense'"
expect '/search?q=ratification&kind=memo' 400 'kind'
expect '/search?page=0' 400 'page: must be at least 1'
expect '/meetings/ccm%00msp13' 400 'path: contains a NUL byte'
expect '/meetings/CCM-MSP13' 400 'meeting.show: id:'
expect '/meetings/ccm-msp99' 404 'Not found'
expect '/documents/CCM/MSP/2099/1' 404 'Not found'
expect '/documents/NOT-A-SYMBOL' 400 "document.show: symbol: component 1 'NOT-A-SYMBOL'"
expect '/documents/CCM/MSP/2030/1?format=pdf' 400 'format: want txt'
expect '/documents/CCM/MSP/2030/1?format=txt' 400 'format: give the language'
expect '/nothing' 404 'Not found'
code=$(fetch /secretariat/ visitor)
[ "$code" = 303 ] && grep -qi '^location: /secretariat/sign-in' "$PL_TMP/visitor.head" \
    || pl_fail "a visitor on /secretariat/ got $code, not a 303 to the sign-in page"
expect '/login' 404 'Not found'
expect '/logout' 404 'Not found'
expect "/search?q=$(printf 'x%.0s' $(seq 1 4100))" 414 'request target longer than 4096 bytes'
grep -q '"error"' <(curl -s "$BASE/api/search?q=%FF") || pl_fail "the API's refusals are no longer JSON"
pl_pass "bad bytes a 400 page naming them, unknown things a 404 page, a visitor sent to sign in"

# ---- HTTP: HEAD, ETag and 304, Vary, language, policy
fetch /meetings/$M get >/dev/null
curl -s -I "$BASE/meetings/$M" >"$PL_TMP/head.head" || pl_fail "HEAD"
header () { sed -n "s/^$2: \(.*\)\r$/\1/Ip" "$PL_TMP/$1.head"; }
[ "$(header head content-length)" = "$(stat -c %s "$PL_TMP/get.html")" ] \
    || pl_fail "HEAD: Content-Length is not the page's"
ETAG=$(header get etag)
[ -n "$ETAG" ] && [ "$(header head etag)" = "$ETAG" ] || pl_fail "HEAD: another ETag"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$BASE/meetings/$M")" = 304 ] \
    || pl_fail "If-None-Match: not 304"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: "stale"' "$BASE/meetings/$M")" = 200 ] \
    || pl_fail "a stale If-None-Match: not 200"
[ "$(header get vary)" = Accept-Language ] || pl_fail "no Vary: Accept-Language"
[ "$(header get cache-control)" = "public, no-cache" ] || pl_fail "Cache-Control"
header get content-security-policy | grep -q "^default-src 'none'; style-src 'sha256-" \
    || pl_fail "no Content-Security-Policy"
[ "$(header get content-language)" = en ] || pl_fail "Content-Language"
fetch /meetings/$M fr -H 'Accept-Language: de-CH, fr;q=0.8, en;q=0.5' >/dev/null
[ "$(header fr content-language)" = fr ] || pl_fail "Accept-Language: fr not chosen"
has fr "Programme de travail"
[ "$(header fr etag)" != "$ETAG" ] || pl_fail "the French page has the English one's ETag"
fetch "/meetings/$M?lang=zh" zh -H 'Accept-Language: fr' >/dev/null
has zh "工作方案"
grep -q 'href="/documents/CCM/MSP/2030/1?lang=zh"' "$PL_TMP/zh.html" \
    || pl_fail "?lang= is not kept in the page's links"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/search")" = 405 ] || pl_fail "POST"
pl_pass "HEAD, ETag and 304, Vary and Content-Language, the policy; ?lang= over Accept-Language"
