#!/usr/bin/env bash
# scripts/build.sh — install plenary's Debian packages, then configure and
# build into ./build with warnings as errors.  Idempotent; run as root on
# Debian 12.  Set PL_NO_APT=1 to skip the package step (offline rebuilds).
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGES=(
    build-essential cmake pkg-config          # the toolchain
    libzmq3-dev libczmq-dev                   # ZeroMQ and its C binding (zsock, zmsg, zpoller)
    libsqlite3-dev sqlite3                    # the broker's log and every worker's store
    libmsgpack-dev libjansson-dev             # the wire codec and JSON for --json
    libical-dev libmicrohttpd-dev libcsv-dev  # calendars, HTTP gateway, spreadsheets
    iso-codes tzdata                          # reference data: countries, time zones
    jq python3                                # tests and the contract smoke test
)
if [ "${PL_NO_APT:-}" != 1 ]; then
    missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPL_WERROR=ON >/dev/null
cmake --build build -j "$(nproc)"
