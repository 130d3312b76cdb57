package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"enerflo-onboard/config"
)

func managersTable() *table {
	t := &table{header: []string{"ID", "NAME", "EMAIL", "ROLES", "OFFICE"}, showHeader: true, title: 1}
	t.add("1043", "Derek Chen", "derek.chen@sunpeak-demo.com", "Sales Manager", "Denver — RiNo")
	t.add("1057", "Priya Natarajan", "priya.natarajan@sunpeak-demo.com", "Sales Manager", "Los Angeles — Burbank")
	return t
}

// TestTableFitsTheWidth: side by side when it fits; stacked, each cell
// whole, when it does not; a description wrapped under itself.
func TestTableFitsTheWidth(t *testing.T) {
	var wide, narrow strings.Builder
	if err := managersTable().write(&wide, 120); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(wide.String(), "ID    NAME             EMAIL") || strings.Count(wide.String(), "\n") != 3 {
		t.Errorf("at 120:\n%s", wide.String())
	}
	_ = managersTable().write(&narrow, 80)
	want := `Derek Chen
  id      1043
  email   derek.chen@sunpeak-demo.com
  roles   Sales Manager
  office  Denver — RiNo

Priya Natarajan
  id      1057
  email   priya.natarajan@sunpeak-demo.com
  roles   Sales Manager
  office  Los Angeles — Burbank
`
	if narrow.String() != want {
		t.Errorf("at 80:\n%s\nwant\n%s", narrow.String(), want)
	}

	roles := &table{header: []string{"ROLE", "DESCRIPTION"}, wrapLast: true, indent: "  "}
	roles.add("Company Admin", "sees and edits all data; manages every role except Super Admin")
	roles.add("Setter", "sets appointments for sales reps")
	var b strings.Builder
	_ = roles.write(&b, 60)
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if ansi.StringWidth(l) > 60 {
			t.Errorf("line wider than 60: %q", l)
		}
	}
	if !strings.Contains(b.String(), "  Company Admin  sees and edits all data; manages every role\n                 except Super Admin\n") {
		t.Errorf("the description is not wrapped under itself:\n%s", b.String())
	}
}

// TestListsFit80Columns: `org managers --all`, `org offices` and `config
// show` (with a long base URL, the key from the environment and serve
// settings) written for an 80-column terminal: no line wider, every
// email and URL whole.
func TestListsFit80Columns(t *testing.T) {
	t.Parallel()
	check := func(name, out string, whole ...string) {
		t.Helper()
		for i, l := range strings.Split(out, "\n") {
			if ansi.StringWidth(l) > 80 {
				t.Errorf("%s: line %d is %d wide: %q", name, i+1, ansi.StringWidth(l), l)
			}
		}
		for _, w := range whole {
			if !strings.Contains(out, w) {
				t.Errorf("%s: %q not whole:\n%s", name, w, out)
			}
		}
	}
	for list, whole := range map[string][]string{
		"managers": {"priya.natarajan@sunpeak-demo.com", "Los Angeles — Burbank"},
		"offices":  {"Honolulu — Kakaako", "America/Los_Angeles"},
	} {
		var out, errw strings.Builder
		o := orgOptions{Out: &out, Err: &errw, Demo: true, Config: testConfig(t, nil), List: list, Output: "text", All: true, Width: 80}
		if err := runOrg(context.Background(), o); err != nil {
			t.Fatalf("org %s: %v %s", list, err, errw.String())
		}
		check("org "+list, out.String(), whole...)
	}
	var out strings.Builder
	url := "https://enerflo-staging.internal.sunpeak-solar-example.com/api-gateway"
	cfg := testConfig(t, map[string]string{config.EnvAPIKey: sentinelKey, config.EnvBaseURL: url, "ENERFLO_SERVE_LISTEN": "0.0.0.0:2222"})
	if err := runConfigShow(configShowOptions{Out: &out, Config: cfg, Width: 80}); err != nil {
		t.Fatal(err)
	}
	check("config show", out.String(), url, "env ENERFLO_BASE_URL")
	assertNoSecrets(t, "config show", out.String())
}
