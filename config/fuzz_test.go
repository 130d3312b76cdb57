package config

import (
	"errors"
	"testing"
)

// FuzzConfigParse feeds arbitrary bytes to the config parser: it must never
// panic, and it either returns a File or a *FileError with at least one problem.
func FuzzConfigParse(f *testing.F) {
	for _, seed := range []string{
		fullFile,
		"",
		"api_key = \"x\"",
		"[[roles]]\nname = \"sales_rep\"",
		"roles = []\noffices = [{id = \"a\", timezone = \"Nowhere\"}]",
		"theme = \"dark\"\n[x]\ny = 1",
		"default_timezone = \"../../etc/passwd\"",
		"phone_region = \"\u0000\u0001\"",
		"base_url = \"http://user:pw@host\"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(data)
		if err == nil {
			return
		}
		var fe *FileError
		if !errors.As(err, &fe) || len(fe.Problems) == 0 {
			t.Fatalf("Parse error is not a *FileError with problems: %#v", err)
		}
	})
}
