#!/usr/bin/env bash
# cmake --install into a temporary prefix (dist/install.cmake): every binary
# is there and answers --help; its man page too, rendering and in step; bash
# and zsh completion complete commands, flags and file names; plenary-notify's templates are installed and
# the installed daemon finds them relative to itself (not in the build or
# source folder); the installed `plenary up` starts the installed daemons,
# the mail worker included, and they serve.
. "$(dirname "$0")/harness.sh"
command -v jq >/dev/null || pl_fail "jq is not installed"
P=$PL_TMP/prefix
cmake --install "$PL_BUILD" --prefix "$P" >"$PL_TMP/install.log" 2>&1 \
    || pl_fail "cmake --install failed: $(tail -5 "$PL_TMP/install.log")"

# the commands plenary --help lists, which the man page and completion must hold
COMMANDS=$("$P/bin/plenary" --help \
           | awk 'tolower($0) ~ /^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1; next } on { exit }')
[ "$(echo $COMMANDS | wc -w)" -ge 20 ] || pl_fail "plenary --help lists only '$COMMANDS' after 'commands:'"

PROGRAMS="plenary plenaryd plenary-records plenary-calendar plenary-archive plenary-notify plenary-gateway"
for b in $PROGRAMS; do
    [ -x "$P/bin/$b" ] || pl_fail "bin/$b was not installed"
    "$P/bin/$b" --help >"$PL_TMP/help.out" 2>&1 || pl_fail "installed $b --help failed"
    grep -qi "^usage: *$b\|^$b —" "$PL_TMP/help.out" || pl_fail "installed $b --help: $(head -2 "$PL_TMP/help.out")"
done

T=$P/share/plenary/notify-templates
diff -r "$PL_SOURCE/workers/notify/templates" "$T" >/dev/null \
    || pl_fail "share/plenary/notify-templates differs from workers/notify/templates"
# without them the installed daemon says where it looked: relative to itself
mv "$T" "$T.away"
"$P/bin/plenary-notify" --data "$PL_TMP/nodata" --smtp smtp://127.0.0.1:9 --from isu@example.org \
    >"$PL_TMP/notify-away.out" 2>&1 && pl_fail "plenary-notify started without its templates"
grep -q "templates" "$PL_TMP/notify-away.out" || pl_fail "no templates error: $(cat "$PL_TMP/notify-away.out")"
grep -qF -e "$PL_BUILD" -e "$PL_SOURCE" "$PL_TMP/notify-away.out" \
    && pl_fail "installed plenary-notify looked in the build or source folder: $(cat "$PL_TMP/notify-away.out")"
mv "$T.away" "$T"

# man pages (dist/help2roff.sh): one per program, rendered without a warning,
# holding every flag its --help names (plenary's: every command's section)
for b in $PROGRAMS; do
    s=8; [ "$b" = plenary ] && s=1
    page=$P/share/man/man$s/$b.$s
    [ -f "$page" ] || pl_fail "share/man/man$s/$b.$s was not installed"
    groff -k -t -man -Tutf8 -ww -z "$page" 2>"$PL_TMP/groff.err" || pl_fail "groff failed on $b.$s"
    [ -s "$PL_TMP/groff.err" ] && pl_fail "$b.$s renders with warnings: $(head -3 "$PL_TMP/groff.err")"
    MANWIDTH=120 man -l "$page" 2>/dev/null | sed 's/.\x08//g' >"$PL_TMP/page.txt"
    grep -q "^ *$b - " "$PL_TMP/page.txt" || pl_fail "$b.$s has no NAME line: $(head -5 "$PL_TMP/page.txt")"
    for flag in $("$P/bin/$b" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        grep -qF -- "$flag" "$PL_TMP/page.txt" || pl_fail "$b.$s lacks $flag, which $b --help names"
    done
    cp "$PL_TMP/page.txt" "$PL_TMP/$b.txt"
done
for command in $COMMANDS; do
    grep -q "^ *plenary $command\$" "$PL_TMP/plenary.txt" || pl_fail "plenary.1 has no section for $command"
done
grep -q "^ *plenary meeting add\$" "$PL_TMP/plenary.txt" || pl_fail "plenary.1 has no section for meeting add"

# completion (dist/complete.sh): bash completes commands, sub-commands and
# flags, and file names after a flag that takes a value; zsh the same words
B=$P/share/bash-completion/completions/plenary
Z=$P/share/zsh/site-functions/_plenary
[ -f "$B" ] || pl_fail "share/bash-completion/completions/plenary was not installed"
[ -f "$Z" ] || pl_fail "share/zsh/site-functions/_plenary was not installed"
complete_bash () {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _plenary
             echo "${COMPREPLY[*]}"' _ "$B" "$@"
}
[ "$(complete_bash plenary me)" = meeting ] || pl_fail "bash: plenary me<TAB> gives '$(complete_bash plenary me)'"
[ "$(complete_bash plenary meeting a)" = add ] || pl_fail "bash: plenary meeting a<TAB> gives '$(complete_bash plenary meeting a)'"
[ "$(complete_bash plenary --timeout 5 keys re)" = revoke ] \
    || pl_fail "bash: plenary --timeout 5 keys re<TAB> gives '$(complete_bash plenary --timeout 5 keys re)'"
[ "$(complete_bash plenary meeting add --conv)" = --convention ] \
    || pl_fail "bash: plenary meeting add --conv<TAB> gives '$(complete_bash plenary meeting add --conv)'"
mkdir "$PL_TMP/files" && touch "$PL_TMP/files/agenda.txt"
[ "$(complete_bash plenary release --file "$PL_TMP/files/ag")" = "$PL_TMP/files/agenda.txt" ] \
    || pl_fail "bash: no file name after release --file: '$(complete_bash plenary release --file "$PL_TMP/files/ag")'"
# every command plenary --help lists is offered
for command in $COMMANDS; do
    complete_bash plenary "" | tr ' ' '\n' | grep -qx "$command" || pl_fail "bash does not offer $command"
done
if command -v zsh >/dev/null; then
    # compadd and _files stand in for zsh's completion system: they print
    complete_zsh () {
        zsh -f -c 'compadd () { [[ $1 == -- ]] && shift; print -r -- "$@"; }
                   _files () { print -r -- FILES; }
                   words=("${@:2}"); CURRENT=$(($# - 1)); source "$1"' _ "$Z" "$@"
    }
    complete_zsh plenary "" | tr ' ' '\n' | grep -qx meeting || pl_fail "zsh does not offer meeting: $(complete_zsh plenary "")"
    complete_zsh plenary meeting "" | tr ' ' '\n' | grep -qx add || pl_fail "zsh does not offer meeting add"
    [ "$(complete_zsh plenary meeting add --tz "")" = FILES ] || pl_fail "zsh: no file names after --tz"
else
    echo "zsh is not installed (scripts/build.sh installs it): its completion is not run"
fi

# the installed system: plenary up starts the daemons beside itself
DATA=$PL_TMP/data
export PLENARY_ENDPOINT='tcp://127.0.0.1:*' PLENARY_BACKEND='tcp://127.0.0.1:*' PLENARY_PUB='tcp://127.0.0.1:*'
export PLENARY_HTTP='127.0.0.1:0' PLENARY_SMTP=smtp://127.0.0.1:9 PLENARY_MAIL_FROM=isu@example.org
env PATH=/usr/bin:/bin "$P/bin/plenary" up --data "$DATA" >"$PL_TMP/up.out" 2>"$PL_TMP/up.log" &
UP=$!
PL_PIDS="$PL_PIDS $UP"
pl_poll 100 test -s "$DATA/plenaryd.ready" || pl_fail "installed plenary up: no plenaryd.ready within 10 s"
PLENARY_ENDPOINT=$(sed -n 's/^frontend=//p' "$DATA/plenaryd.ready")
export PLENARY_ENDPOINT
joined () {
    "$P/bin/plenary" status --json | jq -e '[.groups[] | select(.workers > 0) | .group] | sort
        == ["archive", "calendar", "notify", "records"]'
}
pl_poll 150 joined || pl_fail "installed workers did not all join: $("$P/bin/plenary" status 2>&1)"
for pid in $(pgrep -P "$UP"); do
    exe=$(readlink "/proc/$pid/exe")
    case $exe in "$P"/bin/*) ;; *) pl_fail "plenary up started $exe, not the installed one" ;; esac
done
[ "$(pgrep -P "$UP" | wc -l)" -ge 6 ] || pl_fail "installed plenary up runs $(pgrep -P "$UP" | wc -l) programs, want 6"
"$P/bin/plenary" meeting list --json >/dev/null || pl_fail "installed records worker did not answer"
kill -TERM "$UP"
pl_wait_gone "$UP" 50 || pl_fail "installed plenary up did not stop within 5 s"

pl_pass "cmake --install: binaries answer --help, man pages render their --help, completion completes, templates found relative to the prefix, the installed system serves"
