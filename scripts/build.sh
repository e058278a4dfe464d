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
    libinih-dev                               # the configuration file (INI) every program reads
    libgnutls28-dev                           # the gateway checks its TLS certificate and key
    zlib1g-dev                                # the gateway's gzip of each feed
    iso-codes tzdata                          # reference data: countries, time zones
    jq python3                                # tests and the contract smoke test
    libsodium-dev                             # calendar tokens (random, SHA-256), entity tags, archive hashes; web users' passwords (Argon2id)
    libstemmer-dev libicu-dev                 # the archive: Snowball word forms; NFKC, digits, Chinese words
    python3-icalendar python3-vobject vdirsyncer curl  # real calendar clients in tests
    openssl iproute2                          # tests: a self-signed certificate; a network namespace
    clang libclang-rt-14-dev                  # tests: the libFuzzer targets (scripts/test.sh fuzz)
    wrk                                       # bench: the gateway's 304 throughput
    libcurl4-gnutls-dev                       # plenary-notify: SMTP (STARTTLS, AUTH) over GnuTLS, the gateway's TLS stack
    python3-aiosmtpd                          # tests: a real SMTP server for plenary-notify
    chromium                                  # tests: the web pages in a real browser (playwright-core)
    fonts-wqy-zenhei fonts-dejavu-core        # tests: Chinese, Arabic and Cyrillic glyphs in its screenshots
    tidy python3-html5lib                     # tests: the web pages validated as HTML5, offline
    python3-prometheus-client                 # tests: /metrics read by Prometheus's own parser
    zsh man-db groff-base                     # tests: the installed zsh completion and man pages
    systemd                                   # tests: systemd-analyze verify on the installed units
)
if [ "${PL_NO_APT:-}" != 1 ]; then
    missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    # ical.js (the parser Thunderbird uses) for tests/calendar_gateway.sh needs
    # npm.  Node may come from elsewhere than Debian (with npm inside); only
    # when there is none, Debian's.
    command -v npm >/dev/null || missing+=(nodejs npm)
    if [ ${#missing[@]} -gt 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
fi
# ical.js, pinned by tests/calendar_js/package-lock.json, and playwright-core
# (which drives Debian's /usr/bin/chromium: it downloads no browser of its
# own), pinned by tests/web/package-lock.json.
if [ "${PL_NO_NPM:-}" != 1 ] && command -v npm >/dev/null; then
    (cd tests/calendar_js && npm ci --no-audit --no-fund --loglevel=error)
    (cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPL_WERROR=ON >/dev/null
cmake --build build -j "$(nproc)"
