#!/usr/bin/env bash
# docs/record-cli-session.sh — records docs/cli-session.txt: bin/gistgrep in a tmux pane,
# captured frame by frame with `tmux capture-pane` while a search runs, then two errors.
# Needs tmux, and the stack started with `bin/run-local --sim` (api on :8080).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=docs/cli-session.txt
session=gistgrep-recording-$$
user=${1:-synthetic-350}
pattern=${2:-'AKIA[0-9A-Z]{16}'}

curl -fsS --max-time 2 localhost:8080/ping >/dev/null || { echo "start bin/run-local --sim first" >&2; exit 1; }
bin/gistgrep --version >/dev/null   # builds the client if needed, and warms its class-data archive

tmux new-session -d -s "$session" -x 110 -y 16 "bash --norc --noprofile"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
tmux send-keys -t "$session" "PS1='$ '; clear" Enter
sleep 0.5

start=$(date +%s.%N)
frames=0
frame() {
  local at
  at=$(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)")
  frames=$((frames + 1))
  {
    printf -- '--- frame %d, %s s\n' "$frames" "$at"
    # The pane as it is, trailing blank lines dropped.
    tmux capture-pane -p -t "$session" | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}'
    echo
  } >>"$out"
}
busy() { [[ "$(tmux display-message -p -t "$session" '#{pane_current_command}')" != bash ]]; }

{
  echo "# bin/gistgrep, recorded with tmux (docs/record-cli-session.sh) against bin/run-local --sim"
  echo "# $(date -u +%Y-%m-%d) · a 110x16 pane · each frame is 'tmux capture-pane -p' at the time shown"
  echo
} >"$out"

tmux send-keys -t "$session" "bin/gistgrep search $user '$pattern'; echo \"exit \$?\"" Enter
sleep 0.3
while busy; do
  frame
  sleep 1.2
done
frame

run() {  # one command, waited for
  tmux send-keys -t "$session" "$1" Enter
  sleep 0.3
  while busy; do sleep 0.2; done
}
tmux send-keys -t "$session" clear Enter
sleep 0.3
run "bin/gistgrep search justdionysus 'TerbiumLabsChallenge_[0-9]+'; echo \"exit \$?\""
run "bin/gistgrep search justdionysus 'a(b'; echo \"exit \$?\""
run "bin/gistgrep search no-such-user-1 x; echo \"exit \$?\""
frame

# Ctrl-C while a search waits: the client asks whether to cancel the job on the server.
tmux send-keys -t "$session" clear Enter
sleep 0.3
tmux send-keys -t "$session" "bin/gistgrep search synthetic-2000 TODO; echo \"exit \$?\"" Enter
sleep 4
frame
tmux send-keys -t "$session" C-c
sleep 1
frame
tmux send-keys -t "$session" y Enter
sleep 0.3
while busy; do sleep 0.2; done
frame
echo "recorded $frames frames into $out"
