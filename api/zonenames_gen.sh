#!/usr/bin/env bash
# Regenerates zonenames.go from the Go toolchain's embedded tz database.
# Run from api/ after a Go upgrade: bash zonenames_gen.sh
set -euo pipefail
zip="$(go env GOROOT)/lib/time/zoneinfo.zip"
{
  echo '// Code generated from $GOROOT/lib/time/zoneinfo.zip by hand-run: see zonenames_gen.sh. DO NOT EDIT.'
  echo
  echo 'package api'
  echo
  echo "// ianaZoneNames are the Area/Location names in Go's embedded tz database."
  echo 'var ianaZoneNames = []string{'
  unzip -Z1 "$zip" | grep -E '^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/' | sort | sed 's/.*/\t"&",/'
  echo '	"UTC",'
  echo '}'
} > zonenames.go
gofmt -w zonenames.go
