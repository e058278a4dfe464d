#!/usr/bin/env bash
# docs/protocol.md lists the worker groups with the topics they take, the
# services they answer and the groups they follow, between the markers
# "<!-- groups -->" and "<!-- /groups -->".  This test starts the real
# workers, reads what each one declared from the running broker
# (plenary status --json) and fails when the document says otherwise.
# PL_UPDATE_DOCS=1 rewrites the block instead (then review the diff).
# It then holds the schema's account of each event (pl-schema-doc
# --authorities: the group that decides it, the groups that follow it)
# against the same declarations: the authority takes the topic and follows
# no one for it; each follower takes it and follows the authority for it;
# every other group that takes it is named among its followers; every topic
# taken is an event of the schema.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
DOC=${PL_SOURCE:?PL_SOURCE must name the source folder}/docs/protocol.md
pl_system "$PL_TMP/data"
pl_start_calendar "$PL_TMP/data"
pl_start_archive "$PL_TMP/data"
pl_start_smtpd "$PL_TMP/mail"
pl_start_notify "$PL_TMP/data"
groups () { plenary status --json | jq -e '[.groups[] | select(.workers > 0)] | length == 4'; }
pl_poll 100 groups || pl_fail "the four worker groups did not join: $(plenary status)"
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

pl-schema-doc --authorities >"$PL_TMP/authorities" && [ -s "$PL_TMP/authorities" ] \
    || pl_fail "pl-schema-doc --authorities printed no events"
plenary status --json >"$PL_TMP/status.json" || pl_fail "plenary status failed"
# One line per disagreement between the schema and the running workers
jq -r -n --slurpfile status "$PL_TMP/status.json" --rawfile tsv "$PL_TMP/authorities" '
    # pl_topic_match for one pattern: "*", a prefix ending in ".*", or a topic
    def matches($pattern; $topic):
        $pattern == "*" or $pattern == $topic
        or (($pattern | endswith(".*")) and ($topic | startswith($pattern[:-1]))
            and ($topic | length) >= ($pattern | length));
    ($status[0].groups | map({key: .group, value: {
        topics: (.topics // "" | split(",")),
        follows: (.follows // "" | split(",") | map(select(. != "") | split(":")))}})
     | from_entries) as $groups
    # The groups GROUP follows for TOPIC, among those that take it (a leader
    # that does not take a topic does not judge it: docs/protocol.md)
    | def leaders($group; $topic):
        [$groups[$group].follows[] | select(matches(.[1]; $topic)) | .[0]
         | select(. as $leader | $groups[$leader].topics // [] | index([$topic]))];
    def takes($group; $topic): ($groups[$group].topics // []) | index([$topic]) != null;
    [$tsv | split("\n")[] | select(. != "") | split("\t")
     | {event: .[0], authority: .[1], followers: (.[2] // "" | split(",") | map(select(. != "")))}]
    | . as $events
    | (.[] | . as $e | $e.event as $t
       | (if takes($e.authority; $t) | not
          then "\($t): decided by \($e.authority), which does not take it" else empty end),
         (leaders($e.authority; $t)[]
          | "\($t): its authority \($e.authority) follows \(.) for it"),
         ($e.followers[]
          | if takes(.; $t) | not then "\($t): follower \(.) does not take it"
            elif leaders(.; $t) | index([$e.authority]) | not
            then "\($t): follower \(.) does not follow \($e.authority) for it"
            else empty end),
         ($groups | keys[] | select(takes(.; $t)) | select(. != $e.authority)
          | select(. as $g | $e.followers | index([$g]) | not)
          | "\($t): \(.) takes it but the schema names it neither authority nor follower")),
      ($groups | to_entries[] | .key as $g | .value.topics[]
       | select(. as $t | $events | map(.event) | index([$t]) | not)
       | "\(.): taken by \($g) but not an event of the schema")
' >"$PL_TMP/disagreements" || pl_fail "the authority check (jq) failed"
if [ -s "$PL_TMP/disagreements" ]; then
    cat "$PL_TMP/disagreements" >&2
    pl_fail "schemas/pl_schema_table.c's authorities and followers differ from the running workers"
fi
pl_pass "docs/protocol.md lists the groups as the workers declare them, and the schema's authorities and followers agree"
