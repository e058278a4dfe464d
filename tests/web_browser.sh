#!/usr/bin/env bash
# web_browser — the public web pages in a real browser.
#
# The system and data of tests/web_lib.sh, then tests/web/pages.mjs drives
# Debian's chromium with playwright-core (tests/web/package-lock.json; npm ci
# in scripts/build.sh): a reader in Shanghai clicks from the meetings to a
# meeting (its programme in Geneva time and in theirs, the cancelled session
# struck), to a document family and its Arabic text (right to left), searches
# in Chinese with a filter and in Arabic in the Arabic interface, turns a
# page of results, subscribes; searches by the keyboard alone; a phone's
# width in French; the same pages without JavaScript; print.  Each page has
# its <html lang dir> and labelled controls, and passes axe-core's WCAG 2.1
# A and AA rules (tests/web/package-lock.json).  Nothing secret in any
# page's HTML, no request to another origin, no script error.  A screenshot
# of each page goes to $PL_BUILD/web-screens (replaced by each run: the
# artefacts of the last).
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
. "$(dirname "$0")/web_lib.sh"
WEB=$(cd "$(dirname "$0")/web" && pwd)
web_browser_ready
web_system
web_data
SCREENS=$PL_BUILD/web-screens
rm -rf "$SCREENS" && mkdir -p "$SCREENS"
# The browser's fresh profile goes under TMPDIR: the test's folder
TMPDIR=$PL_TMP node "$WEB/pages.mjs" "$BASE" "$SCREENS" || pl_fail "the pages in chromium (screens in $SCREENS)"
[ "$(find "$SCREENS" -name '*.png' | wc -l)" -ge 16 ] || pl_fail "screenshots missing"
pl_pass "the public pages in chromium: clicks, languages, right to left, times, phone, no script, print"
