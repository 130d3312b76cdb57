#!/bin/sh
# Makes testdata/import/: the files spreadsheets write, made by the tools
# that write them (LibreOffice Calc headless, Python's csv module), for the
# import tests (cli/import_files_test.go, testdata/script/import_files.txtar).
# Needs soffice (apt-get install libreoffice-calc-nogui) and python3.
# Run from the repository's root: scripts/import-fixtures.sh
set -eu
out=testdata/import
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# The team, as a person types it: the headers people write, accents that
# Windows-1252 holds, phones a spreadsheet takes for numbers.
cat > "$tmp/team.csv" <<'CSV'
First Name,Last Name,Email Address,Phone Number,Role,Time Zone,Send Welcome Email
José,Núñez,jose.nunez@sunpeak-demo.com,6025550142,Setter,America/Phoenix,no
Zoë,Ødegård,zoe.odegard@sunpeak-demo.com,6025550143,Sales Manager,America/Denver,yes
CSV

soffice_to() { # FILTER-OPTIONS EXT NAME: convert team.csv with LibreOffice
	mkdir -p "$tmp/$3"
	soffice --headless -env:UserInstallation=file://"$tmp/profile" \
		--infilter="CSV:44,34,76,1" --convert-to "$2:$1" --outdir "$tmp/$3" "$tmp/team.csv" >/dev/null 2>&1
	cp "$tmp/$3/team.$2" "$out/$3"
}
# Excel's "CSV (Comma delimited)" on Windows: the ANSI code page.
soffice_to 'Text - txt - csv (StarCalc):44,34,1252' csv libreoffice-cp1252.csv
# Excel's "Unicode Text": UTF-16 with a byte-order mark, tab-separated.
soffice_to 'Text - txt - csv (StarCalc):9,34,65535' csv libreoffice-utf16-tab.txt
# Excel where the decimal mark is a comma: semicolon-separated.
soffice_to 'Text - txt - csv (StarCalc):59,34,76' csv libreoffice-semicolon.csv
# A workbook saved by LibreOffice: the phones are number cells.
soffice_to 'Calc MS Excel 2007 XML' xlsx libreoffice.xlsx

python3 - "$tmp/team.csv" "$out" <<'PY'
import csv, sys
src, out = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(src, encoding="utf-8")))
# Excel's "CSV UTF-8 (Comma delimited)": a byte-order mark and CRLF, which
# is also what Python's csv module writes by default.
with open(out + "/python-bom-crlf.csv", "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f).writerows(rows)
# Excel leaves rows of empty cells below a table it once held.
with open(out + "/python-trailing-empty-rows.csv", "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows(rows + [[""] * len(rows[0])] * 3)
# Excel for Mac's "CSV (Macintosh)": CR line ends.
with open(out + "/python-cr.csv", "w", encoding="utf-8", newline="") as f:
    csv.writer(f, lineterminator="\r").writerows(rows)
# A phone column left as General, saved as CSV: the digits are lost.
sci = [r[:] for r in rows]
sci[1][3], sci[2][3] = "6.02555E+09", "6.02555E+09"
with open(out + "/python-scientific.csv", "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows(sci)
# Only a header: nothing to import.
with open(out + "/python-header-only.csv", "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows(rows[:1])
PY
ls -l "$out"
