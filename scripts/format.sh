#!/usr/bin/env bash
# scripts/format.sh — the C sources in plenary's style (.clang-format), by
# clang-format 14 (Debian 12's; another version formats differently).
#
# Usage: bash scripts/format.sh [--check] [FILE...]
#   without --check  reformat the files in place
#   --check          change nothing: print each file that is not formatted,
#                    exit 1 when there is one, 0 when there is none
# FILE... defaults to every *.c and *.h git tracks.  CLANG_FORMAT names
# the program (default: clang-format-14, else clang-format if it is 14).
# Exit 2 on a usage error or without clang-format 14.
set -uo pipefail
cd "$(dirname "$0")/.."
check=0
if [ "${1:-}" = --check ]; then
    check=1
    shift
fi
case ${1:-} in -*) echo "format.sh: unknown option '$1' (usage: format.sh [--check] [FILE...])" >&2; exit 2 ;; esac
tool=${CLANG_FORMAT:-}
if [ -z "$tool" ]; then
    if command -v clang-format-14 >/dev/null; then
        tool=clang-format-14
    elif command -v clang-format >/dev/null; then
        tool=clang-format
    fi
fi
if [ -z "$tool" ] || ! "$tool" --version 2>/dev/null | grep -q 'version 14\.'; then
    echo "format.sh: needs clang-format 14 (apt-get install clang-format-14)" >&2
    exit 2
fi
if [ $# -gt 0 ]; then
    files=("$@")
else
    mapfile -t files < <(git ls-files '*.c' '*.h')
fi
if [ $check = 0 ]; then
    #  Twice: clang-format 14 settles some long initializer lists
    #  (schemas/pl_schema_table.c) only on its second pass
    "$tool" --style=file -i "${files[@]}" && "$tool" --style=file -i "${files[@]}"
    exit $?
fi
bad=0
for file in "${files[@]}"; do
    if ! "$tool" --style=file "$file" | cmp -s - "$file"; then
        echo "$file"
        bad=1
    fi
done
exit $bad
