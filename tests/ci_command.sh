#!/usr/bin/env bash
# ci_command — README.md's test command (the fenced block after "run every
# test:") is the command .ci/run runs, so that what the README promises is
# what CI checks.
set -u
src=${PL_SOURCE:?PL_SOURCE must name the source folder}
readme=$(awk '/run every test:/ { found = 1; next }
              found && /^```/ { if (inside) exit; inside = 1; next }
              inside { print }' "$src/README.md")
ci=$(grep -v '^#' "$src/.ci/run" | grep -v '^set \|^cd ' | grep -v '^$')
[ -n "$readme" ] || { echo "FAIL: no test command in README.md after 'run every test:'" >&2; exit 1; }
[ "$readme" = "$ci" ] || { echo "FAIL: README.md says '$readme', .ci/run runs '$ci'" >&2; exit 1; }
echo "PASS: .ci/run runs README.md's test command: $ci"
