#!/usr/bin/env bash
# Times `elogii-console get tasks --date today -o json` of 10,000 tasks from a local sandbox,
# next to curl fetching the same pages (same page size) one after another, first on a clean
# server and then with injected faults; prints the figures and the ratio.
#
#   scripts/bench-get.sh                    # release build (builds it first)
#   PROFILE=debug scripts/bench-get.sh      # the debug build, for a quick check of the script
#   BIN=path/to/elogii-console scripts/bench-get.sh
#
# Settings (environment): N tasks (10000), PAGE size (1000), RUNS per figure (3, the median
# is shown), FAULTS spec ('429:0.2,500:0.1,delay=300ms:0.3,drop:0.05').
set -euo pipefail

N=${N:-10000}
PAGE=${PAGE:-1000}
RUNS=${RUNS:-3}
FAULTS=${FAULTS:-429:0.2,500:0.1,delay=300ms:0.3,drop:0.05}
PROFILE=${PROFILE:-release}

cd "$(dirname "$0")/.."
if [[ -z ${BIN:-} ]]; then
    if [[ $PROFILE == release ]]; then
        cargo build --release --quiet
        BIN=target/release/elogii-console
    else
        cargo build --quiet
        BIN=target/debug/elogii-console
    fi
fi
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

TMP=$(mktemp -d)
PID=
cleanup() {
    if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
        kill -INT "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

KEY=bench-key-$RANDOM$RANDOM
DAY=$(date +%Y%m%d)
export ELOGII_CONSOLE_CONFIG_DIR=$TMP/cfg ELOGII_CONSOLE_DATA_DIR=$TMP/data
unset ELOGII_BASE_URL ELOGII_API_KEY

# Starts the sandbox on a free port with the given extra arguments; sets URL and PID.
start_sandbox() {
    : >"$TMP/sb.out"
    "$BIN" sandbox --listen 127.0.0.1:0 --db "$TMP/sandbox.db" --api-key "$KEY" "$@" \
        >"$TMP/sb.out" 2>"$TMP/sb.err" &
    PID=$!
    URL=
    for _ in $(seq 1 3000); do
        URL=$(sed -n 's/^sandbox listening on //p' "$TMP/sb.out")
        [[ -n $URL ]] && return 0
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "the sandbox did not start:" >&2
    cat "$TMP/sb.err" >&2
    exit 1
}

stop_sandbox() {
    kill -INT "$PID"
    wait "$PID" || true
    PID=
}

# Creates N tasks for today through createMany, 1000 per request.
seed_with_curl() {
    local i batch
    for ((batch = 0; batch < N; batch += 1000)); do
        {
            printf '{"items":['
            for ((i = batch; i < batch + 1000 && i < N; i++)); do
                ((i > batch)) && printf ','
                printf '{"reference":"bench-%05d","type":1,"date":%s,"timeWindows":[{"start":540,"end":900}],' "$i" "$DAY"
                printf '"location":{"type":2,"name":"Bench stop %d","postCode":"GU3 1DQ","coordinates":[-0.630083,51.220836]}}' "$i"
            done
            printf ']}'
        } >"$TMP/batch.json"
        curl -sS -f -o /dev/null -X POST -H "Authorization: $KEY" -H 'Content-Type: application/json' \
            --data-binary @"$TMP/batch.json" "$URL/tasks/createMany"
    done
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

time_get() {
    local t0 t1
    t0=$(now)
    "$BIN" get tasks --date today -o json --page-size "$PAGE" --base-url "$URL" --api-key "$KEY" >/dev/null
    t1=$(now)
    elapsed "$t0" "$t1"
}

# The same pages as get asks for, one after another on one connection; under faults curl
# retries on its own (429 with Retry-After, 5xx, broken transfers).
time_curl() {
    local urls=() skip t0 t1 retry=()
    for ((skip = 0; skip < N; skip += PAGE)); do
        urls+=("$URL/tasks?date=$DAY&sort=_id&limit=$PAGE&skip=$skip")
    done
    [[ ${1:-} == retry ]] && retry=(--retry 12 --retry-all-errors)
    t0=$(now)
    if ((${#retry[@]})); then
        # Each retry prints a line; only the final outcome matters (set -e stops on failure).
        curl -s -f --compressed "${retry[@]}" -H "Authorization: $KEY" "${urls[@]}" >/dev/null
    else
        curl -sS -f --compressed -H "Authorization: $KEY" "${urls[@]}" >/dev/null
    fi
    t1=$(now)
    elapsed "$t0" "$t1"
}

# Checks that get returned every task: a CSV of ids has N rows and a header.
check_complete() {
    local rows
    rows=$("$BIN" get tasks --date today -o csv --select _id --page-size "$PAGE" \
        --base-url "$URL" --api-key "$KEY" | wc -l)
    if ((rows != N + 1)); then
        echo "get returned $((rows - 1)) tasks, expected $N" >&2
        exit 1
    fi
}

measure() { # label, curl mode
    local g=() c=() r
    for ((r = 0; r < RUNS; r++)); do
        g+=("$(time_get)")
        c+=("$(time_curl "${2:-}")")
    done
    local gm cm
    gm=$(median "${g[@]}")
    cm=$(median "${c[@]}")
    printf '%-12s %9s %9s %7s   (get runs: %s; curl runs: %s)\n' "$1" "$gm" "$cm" \
        "$(awk -v a="$gm" -v b="$cm" 'BEGIN { printf "%.2f", a / b }')" "${g[*]}" "${c[*]}"
}

if "$BIN" sandbox --help | grep -q -- '--demo-scale'; then
    start_sandbox --demo-scale "$N"
    # The demo data set has tasks of its own around today; count what is there.
    N=$(curl -sS -f -D - -o /dev/null -H "Authorization: $KEY" "$URL/tasks?date=$DAY&limit=1" |
        tr -d '\r' | awk -F': ' 'tolower($1) == "x-total-count" { print $2 }')
else
    start_sandbox
    seed_with_curl
fi
check_complete

echo "binary: $BIN; tasks for $DAY: $N; page size: $PAGE; median of $RUNS runs"
echo "faults: $FAULTS"
printf '%-12s %9s %9s %7s\n' "" "get (s)" "curl (s)" "ratio"
measure "no faults"
stop_sandbox

start_sandbox --faults "$FAULTS"
check_complete
measure "with faults" retry
stop_sandbox
