# tests/archive_lib.sh — helpers of the archive's black-box tests (sourced
# after harness.sh, not run).

# pl_start_archive DATA [FLAGS...]: start plenary-archive; sets ARCHIVE_PID.
pl_start_archive () {
    local data=$1; shift
    plenary-archive --data "$data" --backend "$PLENARY_BACKEND" "$@" \
        >>"$PL_TMP/archive.log" 2>&1 &
    ARCHIVE_PID=$!
    PL_PIDS="$PL_PIDS $ARCHIVE_PID"
}

# pl_wait_archive: wait (10 s at most) until the archive service answers.
pl_wait_archive () {
    pl_poll 100 plenary search --json \
        || pl_fail "archive worker did not answer 'search' within 10 s"
}

# first_symbol QUERY [FLAGS...]: the symbol of the best hit of a search.
first_symbol () {
    plenary search "$@" --json | jq -r '.items[0].symbol // "none"'
}

# expect_first WANT QUERY [FLAGS...]: fail unless WANT ranks first.
expect_first () {
    local want=$1; shift
    local got
    got=$(first_symbol "$@") || pl_fail "search $* failed"
    [ "$got" = "$want" ] || pl_fail "search $*: first is $got, want $want"
}

# expect_total N QUERY [FLAGS...]: fail unless the search finds N items.
expect_total () {
    local want=$1; shift
    local got
    got=$(plenary search "$@" --json | jq .total) || pl_fail "search $* failed"
    [ "$got" = "$want" ] || pl_fail "search $*: $got found, want $want"
}
