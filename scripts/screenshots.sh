#!/usr/bin/env bash
# Captures the real console in a real terminal (tmux) on its embedded sandbox and renders the
# screens to PNG in screenshots/: the task list, a task's detail, a proof of delivery, the
# routes with one route's stops, the map and timeline, a form, the help overlay.
#
#   scripts/screenshots.sh            # builds the release binary first
# Needs tmux, python3 with Pillow (installed with pip when missing) and DejaVu Sans Mono.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 1; }
python3 -c 'import PIL' 2>/dev/null || pip install --quiet pillow
cargo build --release --quiet
BIN=$PWD/target/release/elogii-console
TMP=$(mktemp -d)
SESSION=elogii-shots-$$
cleanup() { tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# A fresh data dir: the console starts its sandbox there and seeds the demo data.
tmux new-session -d -s "$SESSION" -x 160 -y 45 \
    "ELOGII_CONSOLE_DATA_DIR=$TMP/data ELOGII_CONSOLE_CONFIG_DIR=$TMP/cfg $BIN; sleep 2"

wait_for() { # wait until the screen shows $1
    for _ in $(seq 1 100); do
        tmux capture-pane -p -t "$SESSION" | grep -q "$1" && return 0
        sleep 0.2
    done
    echo "the console never showed '$1'" >&2
    tmux capture-pane -p -t "$SESSION" >&2
    exit 1
}
shot() { # name
    sleep 0.5
    tmux capture-pane -e -p -t "$SESSION" > "$TMP/$1.ans"
    python3 scripts/ansi_to_png.py "$TMP/$1.ans" "screenshots/$1.png"
    echo "screenshots/$1.png"
}
keys() { tmux send-keys -t "$SESSION" "$@"; sleep 0.3; }
# Esc on its own: followed at once by a key, a terminal reads it as Alt+key.
esc() { keys Escape; }

wait_for "refreshed"
shot tasks
keys j j j Enter
shot task-detail
esc; keys 2
wait_for "Routes ("
wait_for "refreshed"
shot routes
keys j Enter
shot route-detail
esc; keys M
wait_for "Map"
shot map
esc; keys T
wait_for "Timeline"
shot timeline
esc; keys 1 / p o s t c o d e : G U 3 Enter
shot filter
esc; keys / s t a t e : c o m p l e t e d Enter j p
wait_for "Signature"
shot pod
esc; esc; keys 5
wait_for "Customers ("
keys e
wait_for "Edit customer"
shot customer-form
esc
esc; keys '?'
shot help
esc; keys q
