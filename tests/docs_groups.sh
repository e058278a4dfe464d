#!/usr/bin/env bash
# docs/protocol.md lists the worker groups with the topics they take, the
# services they answer and the groups they follow, between the markers
# "<!-- groups -->" and "<!-- /groups -->".  This test starts the real
# workers, reads what each one declared from the running broker
# (plenary status --json) and fails when the document says otherwise.
# PL_UPDATE_DOCS=1 rewrites the block instead (then review the diff).
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
DOC=${PL_SOURCE:?PL_SOURCE must name the source folder}/docs/protocol.md
pl_system "$PL_TMP/data"
pl_start_calendar "$PL_TMP/data"
pl_start_archive "$PL_TMP/data"
groups () { plenary status --json | jq -e '[.groups[] | select(.workers > 0)] | length == 3'; }
pl_poll 100 groups || pl_fail "the three worker groups did not join: $(plenary status)"
{
    echo "| group | topics it takes | services it answers | follows |"
    echo "|---|---|---|---|"
    plenary status --json | jq -r '.groups | sort_by(.group)[] |
        "| `\(.group)` | \(.topics | split(",") | map("`\(.)`") | join(", ")) | " +
        "\(.services // "" | split(",") | map("`\(.)`") | join(", ")) | " +
        "\(.follows // "" | split(",") | map("`\(.)`") | join(", ")) |"'
} >"$PL_TMP/table"
grep -qx '<!-- groups -->' "$DOC" && grep -qx '<!-- /groups -->' "$DOC" \
    || pl_fail "$DOC has no <!-- groups --> ... <!-- /groups --> block"
awk '/^<!-- groups -->$/ {on = 1; next} /^<!-- \/groups -->$/ {on = 0} on' "$DOC" >"$PL_TMP/doc"
if ! cmp -s "$PL_TMP/table" "$PL_TMP/doc"; then
    if [ "${PL_UPDATE_DOCS:-}" = 1 ]; then
        awk -v table="$PL_TMP/table" '
            /^<!-- groups -->$/ {print; while ((getline line < table) > 0) print line; skip = 1; next}
            /^<!-- \/groups -->$/ {skip = 0}
            !skip' "$DOC" >"$PL_TMP/new" && cp "$PL_TMP/new" "$DOC"
        echo "rewrote the groups of $DOC"
    else
        diff "$PL_TMP/doc" "$PL_TMP/table" >&2
        pl_fail "docs/protocol.md's groups differ from the running workers (PL_UPDATE_DOCS=1 rewrites them)"
    fi
fi
pl_pass "docs/protocol.md lists the groups as the workers declare them"
