package cli

import (
	"cmp"
	"fmt"
	"io"

	"charm.land/log/v2"
)

// serverTimeFormat is the server log's time: RFC 3339 with milliseconds
// and the zone, so lines from machines in different zones (and the audit
// log's UTC) line up.
const serverTimeFormat = "2006-01-02T15:04:05.000Z07:00"

// newServerLogger is serve's log on w at level ("debug", "info", "warn",
// "error"; "" is info) as text or JSON lines (format "text" or "json"; ""
// is text).
func newServerLogger(w io.Writer, level, format string) (*log.Logger, error) {
	lv, err := log.ParseLevel(cmp.Or(level, "info"))
	if err != nil {
		return nil, fmt.Errorf("--log-level %q is not debug, info, warn or error", level)
	}
	var f log.Formatter
	switch cmp.Or(format, "text") {
	case "text":
		f = log.TextFormatter
	case "json":
		f = log.JSONFormatter
	default:
		return nil, fmt.Errorf("--log-format %q is not text or json", format)
	}
	return log.NewWithOptions(w, log.Options{
		ReportTimestamp: true,
		TimeFormat:      serverTimeFormat,
		Level:           lv,
		Formatter:       f,
		Prefix:          "serve",
	}), nil
}
