package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"enerflo-onboard/config"
)

// startInits are the package inits Go runs before main on every start
// that once built large tables there, and what each may allocate now. Go
// runs every linked package's init, whether or not the run uses the
// package; the patched copies in third_party/ build these tables on first
// use instead (each one's PATCHED.md). Dropping a patched copy (its
// replace in go.mod) or a new var that builds a table at init fails
// TestHeavyInitsAreNotRunAtStart.
var startInits = []struct {
	pkg    string
	budget int // bytes allocated by the package's init
	was    string
}{
	// the phone metadata (2.5 MB, 16 ms) and twenty compiled patterns
	// (0.29 MB, 1,700 allocations); now about 12 KB
	{"github.com/nyaruka/phonenumbers", 64 << 10, "2.5 MB unpatched"},
	// 16,384 column names, the calc and filter patterns and the language
	// tables of number formats (1.34 MB, 21,400 allocations); now about 47 KB
	// (160 allocations: the maps it still builds)
	{"github.com/xuri/excelize/v2", 128 << 10, "1.34 MB unpatched"},
}

// TestHeavyInitsAreNotRunAtStart: the inits of startInits stay within
// their budgets, as GODEBUG=inittrace=1 reports them for `--version`.
func TestHeavyInitsAreNotRunAtStart(t *testing.T) {
	h := newPTYHome(t, "GODEBUG=inittrace=1")
	cmd := exec.Command(filepath.Join(h.dir, "bin", "enerflo-onboard"), "--version")
	cmd.Env = h.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("--version: %v\n%s", err, out)
	}
	for _, p := range startInits {
		m := regexp.MustCompile(`init ` + regexp.QuoteMeta(p.pkg) + ` @\S+ ms, \S+ ms clock, (\d+) bytes`).FindSubmatch(out)
		if m == nil {
			t.Errorf("no init line of %s in:\n%s", p.pkg, out)
			continue
		}
		bytes, _ := strconv.Atoi(string(m[1]))
		if bytes > p.budget {
			t.Errorf("%s's init allocates %d bytes (budget %d; %s): its tables are built at start again", p.pkg, bytes, p.budget, p.was)
		}
	}
}

// TestConfiguredRegionIsCheckedWithoutPhoneData: a config file's
// phone_region is checked at every start, before the first frame
// (config.CheckPhoneRegion); the patched phonenumbers answers it from its
// region map alone (4 KB) instead of building every region's metadata
// (2.5 MB allocated, 16 ms). Measured in a fresh process, since any phone
// number checked earlier in this one builds the metadata.
func TestConfiguredRegionIsCheckedWithoutPhoneData(t *testing.T) {
	if os.Getenv("ENERFLO_CHECK_REGION_HELPER") == "1" {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		msg := config.CheckPhoneRegion("us") + config.CheckPhoneRegion("XX")
		runtime.ReadMemStats(&after)
		fmt.Printf("allocated %d\n%s\n", after.TotalAlloc-before.TotalAlloc, msg)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestConfiguredRegionIsCheckedWithoutPhoneData$")
	cmd.Env = append(os.Environ(), "ENERFLO_CHECK_REGION_HELPER=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`allocated (\d+)\n(.*)\n`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no allocation figure in:\n%s", out)
	}
	if !strings.Contains(string(m[2]), `"XX" is not a region`) || strings.Contains(string(m[2]), `"us"`) {
		t.Errorf("us should pass and XX fail: %q", m[2])
	}
	if bytes, _ := strconv.Atoi(string(m[1])); bytes > 512<<10 {
		t.Errorf("checking a configured region allocated %d bytes: the phone metadata is built at start again", bytes)
	}
}
