#!/usr/bin/env bash
# The archive worker is killed with SIGKILL in the middle of ingesting
# documents; after it restarts every document is archived exactly once:
# the database holds one item per document, every one is found, the cursor
# is at the end of the log, and republishing them all changes nothing.
# No records worker: the archive follows records only for meetings and
# statements, and these documents name no meeting, so it never waits for it.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/archive_lib.sh"
N=${PL_N:-3000}
pl_start_broker "$PL_TMP/data"
pl_start_archive "$PL_TMP/data" --credit 64
pl_wait_archive
DB=$PL_TMP/data/archive/archive.db

pl-bench-archive --count "$N" --size 1000 --prefix KILL --publish-only \
    >"$PL_TMP/bench.log" 2>&1 &
PUB=$!
PL_PIDS="$PL_PIDS $PUB"
archived () { sqlite3 "$DB" "SELECT count(*) FROM item" 2>/dev/null; }
mid () { local n; n=$(archived); [ -n "$n" ] && [ "$n" -ge $((N / 5)) ]; }
pl_poll 300 mid || pl_fail "the archive did not take $((N / 5)) documents within 30 s"
kill -KILL "$ARCHIVE_PID"
pl_wait_gone "$ARCHIVE_PID" 50 || pl_fail "archive worker did not die"
wait "$PUB" || pl_fail "publisher: $(tail -3 "$PL_TMP/bench.log")"
cursor=$(sqlite3 "$DB" "SELECT seq FROM pl_cursor")
last=$(plenary status --json | jq .last_seq)
echo "archive cursor at the kill: $cursor of $last"
[ -n "$cursor" ] && [ "$cursor" -lt "$last" ] || pl_fail "the worker had archived everything before the kill"

pl_start_archive "$PL_TMP/data" --credit 64
at_end () { [ "$(sqlite3 "$DB" "SELECT seq FROM pl_cursor")" = "$last" ]; }
pl_poll 600 at_end || pl_fail "after restart the cursor is at $(sqlite3 "$DB" "SELECT seq FROM pl_cursor"), not $last"
[ "$(archived)" = "$N" ] || pl_fail "$(archived) items archived, want $N"
dups=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT key FROM item GROUP BY key HAVING count(*) > 1)")
[ "$dups" = 0 ] || pl_fail "$dups documents archived twice"
expect_total "$N" --symbol 'KILL/*' --as-role secretariat
# every document is in the full-text index once (its title: "Synthetic document I")
expect_total "$N" '"synthetic document"' --as-role secretariat

# the same releases again (same event ids: duplicates in the log; new ids would be unchanged too)
pl-bench-archive --count "$N" --size 1000 --prefix KILL --publish-only >/dev/null 2>&1 \
    || pl_fail "republish"
[ "$(archived)" = "$N" ] || pl_fail "republishing changed the archive: $(archived) items"
pl_pass "archive SIGKILL mid-ingest: $N documents archived exactly once"
