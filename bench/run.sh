#!/usr/bin/env bash
# bench/run.sh BUILD_DIR [SCENARIO...] — the broker/records benchmarks of
# docs/PERFORMANCE.md.  Each scenario starts a fresh broker and records worker
# on ephemeral ports in a temporary folder and runs pl-bench-publish.
#   full     100,000 registrations, 1,000 in flight, as fast as possible
#   rate     50,000 registrations at a steady 10,000 events/s
#   million  1,000,000 registrations, then the broker's resident memory
#   ackonly  200,000 registrations to a broker with no worker: publish->ack alone
set -u
PL_BUILD=$(cd "${1:?usage: bench/run.sh BUILD_DIR [full|rate|million]...}" && pwd)
shift
export PL_BUILD PLENARY_LOG=warn
scenarios=${*:-full rate million ackonly}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
     "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), disk $(df -h "${TMPDIR:-/tmp}" | awk 'NR==2 {print $1}')"
for scenario in $scenarios; do
    (
        . "$(dirname "$0")/../tests/harness.sh"
        if [ "$scenario" = ackonly ]; then pl_start_broker "$PL_TMP/data"
        else pl_system "$PL_TMP/data"; fi
        case $scenario in
            full)    args="--count 100000 --window 1000" ;;
            rate)    args="--count 50000 --window 1000 --rate 10000" ;;
            million) args="--count 1000000 --window 2000" ;;
            ackonly) args="--count 200000 --window 2000 --ack-only" ;;
            *) echo "unknown scenario $scenario"; exit 2 ;;
        esac
        echo "== $scenario: pl-bench-publish $args"
        "$PL_BUILD/pl-bench-publish" $args --broker-pid "$BROKER_PID"
        echo "log size: $(du -sh "$PL_TMP/data/broker" | cut -f1)"
    )
done
