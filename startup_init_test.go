package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestPhoneDataIsNotBuiltAtStart: the phone library's metadata is built
// on first use (third_party/phonenumbers/PATCHED.md), not in its package
// init, which Go runs before main on every start: the upstream init
// allocates 2.5 MB and took 16 ms of the first frame. Dropping the
// patched copy (the replace in go.mod) fails this test.
func TestPhoneDataIsNotBuiltAtStart(t *testing.T) {
	h := newPTYHome(t, "GODEBUG=inittrace=1")
	cmd := exec.Command(filepath.Join(h.dir, "bin", "enerflo-onboard"), "--version")
	cmd.Env = h.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("--version: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`init github\.com/nyaruka/phonenumbers @\S+ ms, \S+ ms clock, (\d+) bytes`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no init line of phonenumbers in:\n%s", out)
	}
	bytes, _ := strconv.Atoi(string(m[1]))
	if bytes > 1<<20 {
		t.Errorf("phonenumbers' init allocates %d bytes: its metadata is built at start again", bytes)
	}
}
