#!/bin/sh
# Generates the shell completions and the man page from the commands
# themselves, for the release archives and packages (.goreleaser.yaml runs
# it first). Writes completions/ and manpages/ at the top of the repository.
set -eu
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/enerflo-onboard" .
rm -rf completions manpages
mkdir -p completions manpages
for shell in bash zsh fish powershell; do
	"$work/enerflo-onboard" completion "$shell" >"completions/enerflo-onboard.$shell"
done
mv completions/enerflo-onboard.powershell completions/enerflo-onboard.ps1
"$work/enerflo-onboard" man | gzip -9n >manpages/enerflo-onboard.1.gz
