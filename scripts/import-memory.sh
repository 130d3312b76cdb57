#!/usr/bin/env bash
# import-memory.sh measures the peak memory (RSS) of `import --dry-run` on a
# large CSV file, the figure issue 22 bounds: a 50 MB file's dry run stays
# under 100 MB. It builds the binary, writes a file of SIZE_MB megabytes
# (unique emails, the template's columns), runs the dry run under GNU time
# and prints the file's size, the rows, the exit code and the peak RSS.
# It exits 1 when the peak is over LIMIT_MB.
#
#   scripts/import-memory.sh                 # 50 MB, limit 100 MB
#   SIZE_MB=200 LIMIT_MB=100 scripts/import-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-50}
LIMIT_MB=${LIMIT_MB:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

CGO_ENABLED=0 go build -o "$work/enerflo-onboard" .
python3 - "$work/team.csv" "$SIZE_MB" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2]) << 20
with open(path, "w", newline="") as f:
    f.write("first_name,last_name,email,phone,roles,timezone,notify_email,allow_optimus\r\n")
    i = 0
    while f.tell() < size:
        f.write(f"Rep,Number{i},rep{i}@sunpeak-demo.com,+1602555{i % 10000:04d},Setter;Sales Rep,America/Phoenix,yes,no\r\n")
        i += 1
print(f"{i} rows", file=sys.stderr)
PY
ls -l "$work/team.csv" | awk '{printf "file: %.1f MB\n", $5 / 1048576}'
set +e
env -u ENERFLO_API_KEY -u ENERFLO_API_KEY_FILE XDG_CONFIG_HOME="$work/cfg" XDG_STATE_HOME="$work/state" \
	/usr/bin/time -f '%M %e' -o "$work/rss" "$work/enerflo-onboard" import "$work/team.csv" --dry-run >/dev/null 2>"$work/stderr"
code=$?
set -e
tail -n 2 "$work/stderr"
read -r kb secs < "$work/rss"
peak=$(( kb / 1024 ))
echo "exit: $code; peak RSS: $peak MB (limit $LIMIT_MB MB); ${secs}s"
[ "$peak" -le "$LIMIT_MB" ]
