// Package sheet reads the tables people save from spreadsheets — CSV in
// whatever encoding, separator and line ending Excel, LibreOffice or Google
// Sheets wrote, and .xlsx workbooks — as rows of text cells, one row at a
// time, so an import never holds a whole file and never sends a name
// mangled by a wrong guess at its encoding.
//
// It earns its own package because none of it is about Enerflo: it knows
// byte-order marks, Windows-1252, UTF-16, separators and workbooks, and
// nothing of users, fields or the API. The import command (cli) maps the
// cells to fields.
package sheet
