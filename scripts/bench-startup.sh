#!/usr/bin/env bash
# Time from start to the first frame with data on the embedded default: runs the release
# console in tmux and polls the screen until today's tasks are shown ("refreshed").
# Prints the first start (which seeds the demo data) and the median of warm starts.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=$PWD/target/release/elogii-console
TMP=$(mktemp -d)
trap 'tmux kill-session -t elogii-start-$$ 2>/dev/null || true; rm -rf "$TMP"' EXIT
run_once() {
    local t0 t1
    t0=$(date +%s%N)
    tmux new-session -d -s "elogii-start-$$" -x 160 -y 45 \
        "ELOGII_CONSOLE_DATA_DIR=$TMP/data ELOGII_CONSOLE_CONFIG_DIR=$TMP/cfg $BIN"
    until tmux capture-pane -p -t "elogii-start-$$" 2>/dev/null | grep -q refreshed; do sleep 0.005; done
    t1=$(date +%s%N)
    tmux send-keys -t "elogii-start-$$" q
    sleep 0.3
    tmux kill-session -t "elogii-start-$$" 2>/dev/null || true
    echo $(((t1 - t0) / 1000000))
}
echo "first start (seeds the demo data): $(run_once) ms"
runs=()
for _ in 1 2 3 4 5; do runs+=("$(run_once)"); done
sorted=($(printf '%s\n' "${runs[@]}" | sort -n))
echo "warm start to first frame with data: median ${sorted[2]} ms (runs: ${runs[*]})"
