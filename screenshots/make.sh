#!/usr/bin/env bash
# Regenerates the PNGs in this folder: runs the real wizard in demo mode in a
# 100x30 tmux pane, walks it as a person would, captures each screen with its
# colours (tmux capture-pane -e) and renders it with freeze (declared as a
# tool in this folder's own go.mod, so the product's module stays lean).
#
#   bash screenshots/make.sh          # from the repo root; needs tmux
#   ONLY=salesrep bash screenshots/make.sh   # just that one, then stop
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="$(mktemp -d)"
trap 'tmux kill-session -t shots 2>/dev/null || true; rm -rf "$work"' EXIT

(cd "$root" && go build -o "$work/enerflo-onboard" .)
(cd "$here" && go build -o "$work/freeze" github.com/charmbracelet/freeze)

pause=${PAUSE:-0.5}
keys() { tmux send-keys -t shots "$@"; sleep "$pause"; }
typ() { tmux send-keys -t shots -l "$1"; sleep "$pause"; }
shot() { # name: capture the pane and render it (with ONLY set, only that one)
  if [ -n "${ONLY:-}" ] && [ "$1" != "$ONLY" ]; then return; fi
  sleep "$pause"
  tmux capture-pane -e -p -t shots > "$here/$1.ansi"
  # freeze paints SGR 49 (default background) with the last background
  # set; the terminal paints its own. Spell the default out for freeze.
  sed 's/\x1b\[49m/\x1b[48;2;23;23;23m/g' "$here/$1.ansi" > "$work/$1.ansi"
  "$work/freeze" --language ansi --window --padding 20 --margin 0 \
    --font.size 14 --width 1000 --background "#171717" \
    -o "$here/$1.png" "$work/$1.ansi" >/dev/null
  echo "screenshots/$1.png"
  if [ -n "${ONLY:-}" ]; then exit 0; fi
}

start() {
  tmux kill-session -t shots 2>/dev/null || true
  tmux new-session -d -s shots -x 100 -y 30 \
    "env -i PATH=$PATH HOME=$work TERM=xterm-256color COLORTERM=truecolor \
     XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state \
     $work/enerflo-onboard --demo $*; sleep 30"
  sleep 1.5
}

start
typ "Jordan"; keys Enter; typ "Rivera"; keys Enter
typ "jordan.rivera@sunpeak-demo.com"; keys Enter
typ "602 555 0147"; keys Enter
shot identity
keys Enter
for _ in 1 2 3 4 5; do keys Down; done; keys Space
shot roles
keys Enter
for _ in 1 2 3 4; do keys Down; done
shot timezone
keys Enter
# The manager picker, read from the demo org in the background, filtered.
sleep 1
typ "mar"; keys Down
shot salesrep
keys Enter; keys Down; keys Enter
keys y
shot permissions
keys Enter; keys Enter; keys Enter; keys Enter; keys Enter
shot review
keys Enter
shot result

# A taken email: the org's people flag it at the field, and the review
# sends the person back there.
keys a
sleep 1
keys Enter; keys Enter; typ "taken@sunpeak-demo.com"; keys Enter
keys PageDown; keys PageDown; keys PageDown; keys PageDown; keys PageDown
sleep 1 # read the review first: an earlier enter is held back (tui.ConfirmDelay)
keys Enter
sleep 1
shot duplicate-email

# The terminal-too-small message.
tmux resize-window -t shots -x 50 -y 15 2>/dev/null || true
shot too-small

# Over SSH: the real OpenSSH client against `serve --demo` on loopback.
ssh-keygen -q -t ed25519 -N "" -C "support@sunpeak-demo" -f "$work/id_ed25519"
cp "$work/id_ed25519.pub" "$work/authorized_keys"
port=${SSH_PORT:-22222}
env -i PATH="$PATH" HOME="$work" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config" \
  "$work/enerflo-onboard" serve --demo --listen "127.0.0.1:$port" \
  --host-key "$work/host_ed25519" --authorized-keys "$work/authorized_keys" \
  --audit-log "$work/audit.jsonl" 2>"$work/serve.log" &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null || true; tmux kill-session -t shots 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
tmux kill-session -t shots 2>/dev/null || true
tmux new-session -d -s shots -x 100 -y 30 \
  "ssh -t -p $port -i $work/id_ed25519 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR 127.0.0.1; sleep 30"
sleep 2
typ "Sam"; keys Enter; typ "Okoro"; keys Enter
typ "sam.okoro@sunpeak-demo.com"; keys Enter
keys PageDown
for _ in 1 2 3 4 5 6; do keys Down; done; keys Space; keys Enter
keys PageDown; keys PageDown
sleep 0.5
shot ssh-review
keys Enter
sleep 1
shot ssh-result


# The import: the rows and the confirmation, then the progress against a
# fake limited to 60 requests a minute and --rate 6, so the pacing's countdown shows.
tmux kill-session -t shots 2>/dev/null || true
printf 'first_name,last_name,email,roles,notify_email\n' > "$work/team.csv"
for n in Avery Blake Casey Devon Emery Finley Harper Jules; do
  printf '%s,Rivera,%s.rivera@sunpeak-demo.com,Setter,yes\n' "$n" "$(echo "$n" | tr A-Z a-z)" >> "$work/team.csv"
done
printf 'Taylor,Kim,taken@sunpeak-demo.com,Sales Rep,\n' >> "$work/team.csv"
tmux new-session -d -s shots -x 100 -y 30 \
  "env -i PATH=$PATH HOME=$work TERM=xterm-256color COLORTERM=truecolor \
   XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state \
   ENERFLO_BASE_URL=http://127.0.0.1:18089 ENERFLO_API_KEY=demo-0000-enerflo-onboard \
   sh -c '$work/enerflo-onboard fake-api --listen 127.0.0.1:18089 --rate-limit 60 >/dev/null 2>&1 & sleep 1; cd $work && $work/enerflo-onboard import team.csv --rate 6; sleep 30'"
sleep 3
shot import-confirm
keys Enter
sleep 12
shot import-progress
