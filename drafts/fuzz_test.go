package drafts

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"
)

// FuzzLoad writes anything to a draft file and loads it: Load must never
// panic; it either returns a draft (which then saves and decodes back the
// same, without a password) or a *CorruptError with the file moved aside.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		`{"email":"a@b.co","roles":["Setter"],"notify_email":false,"can_create_customers":true,"allow_optimus":false,"can_reassign_leads":true}`,
		`{"email":"a@b.co","password":"hunter22","manager_id":42}`,
		`{"manager_id":"99999999999999999999"}`, `{"manager_id":1e400}`, `{"roles":null}`,
		``, `{`, `null`, `[]`, `{} {}`, `{"x":1}`, "\xff\xfe", `{"email":"\u001b]0;t\u0007"}`,
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		path := s.Path(Local)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		saved, err := s.Load(Local)
		var ce *CorruptError
		switch {
		case err == nil:
			if saved.Draft.Password != "" {
				t.Fatal("a password was loaded")
			}
			// What Save writes (it syncs to disk, too slow to fuzz) must
			// decode back to the same draft.
			b, err := json.MarshalIndent(saved.Draft, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			again, err := Decode(b)
			if err != nil {
				t.Fatalf("a draft Load accepted does not load back once saved: %v\n%s", err, b)
			}
			if !equalDrafts(again, saved.Draft) {
				t.Fatalf("round trip changed the draft:\n%+v\n%+v", saved.Draft, again)
			}
			_ = s.Delete(Local)
		case errors.As(err, &ce):
			if ce.MovedTo == "" {
				t.Fatalf("not moved aside: %v", err)
			}
			kept, _ := os.ReadFile(ce.MovedTo)
			if !bytes.Equal(kept, data) {
				t.Fatal("moved-aside file differs")
			}
			_ = os.Remove(ce.MovedTo)
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	})
}
