package drafts

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/domain"
)

const sentinelPassword = "SENTINEL-pw-7f3a9c"

func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "state", AppDir))
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return time.Date(2025, 3, 14, 16, 30, 0, 0, time.UTC) }
	return s
}

func fullDraft() domain.Draft {
	d := domain.NewDraft()
	d.Email, d.Roles = "alice@sunpeak-demo.com", []string{"Sales Rep", "Setter"}
	d.FirstName, d.LastName, d.Phone = "Alice", "Nguyen", "(602) 555-0147"
	d.Timezone, d.TimezoneOther = "Europe/Berlin", true
	d.ManagerEmail, d.ManagerID, d.OfficeID = "maria@sunpeak-demo.com", "1042", "off_phx_01"
	d.NotifyEmail, d.AllowOptimus = true, true
	d.Password = sentinelPassword
	return d
}

func TestSaveKeepsEverythingButThePassword(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	path, err := s.Save(Local, fullDraft())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(sentinelPassword)) || bytes.Contains(raw, []byte(`"password"`)) {
		t.Fatalf("the password is in the draft file:\n%s", raw)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("draft file mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(s.Dir()); di.Mode().Perm() != 0o700 {
		t.Errorf("drafts dir mode %v, want 0700", di.Mode().Perm())
	}
	got, err := s.Load(Local)
	if err != nil {
		t.Fatal(err)
	}
	want := fullDraft()
	want.Password = ""
	if !equalDrafts(got.Draft, want) {
		t.Errorf("loaded %+v\nwant   %+v", got.Draft, want)
	}
	if got.Path != path || got.SavedAt.IsZero() {
		t.Errorf("saved %+v", got)
	}
}

// TestSaveReplacesTheFile: a save is a new file renamed over the old one,
// never a rewrite in place, so a reader (or a crash) never sees half a
// draft. A hard link to the old file keeps the old content only then.
func TestSaveReplacesTheFile(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := fullDraft()
	path, err := s.Save(Local, d)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	link := filepath.Join(t.TempDir(), "old")
	if err := os.Link(path, link); err != nil {
		t.Skip("no hard links here:", err)
	}
	d.Email = "changed@sunpeak-demo.com"
	if _, err := s.Save(Local, d); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(link)
	if !bytes.Equal(old, before) {
		t.Fatal("the draft was rewritten in place, not replaced with a rename")
	}
	now, _ := os.ReadFile(path)
	if !bytes.Contains(now, []byte("changed@sunpeak-demo.com")) {
		t.Fatalf("new draft not saved:\n%s", now)
	}
	entries, _ := os.ReadDir(s.Dir())
	for _, e := range entries {
		if e.Name() != "local.json" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestOwnersGetTheirOwnSafeFile(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	owners := []string{
		Local, "alice:SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
		"bob:SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
		"../../../../etc/passwd", "a/b/c", "/abs", "..", ".", "nul\x00byte", "\x1b]0;title\a",
		strings.Repeat("x", 10000), "local ", "LOCAL",
	}
	safe := regexp.MustCompile(`^(local|owner-[0-9a-f]{32})\.json$`)
	seen := map[string]string{}
	for i, o := range owners {
		p := s.Path(o)
		if filepath.Dir(p) != s.Dir() || !safe.MatchString(filepath.Base(p)) {
			t.Errorf("owner %q: path %q", o, p)
		}
		if prev, dup := seen[p]; dup {
			t.Errorf("owners %q and %q share %s", prev, o, p)
		}
		seen[p] = o
		d := domain.NewDraft()
		d.Email = strings.Repeat("z", i) + "@x.co"
		if _, err := s.Save(o, d); err != nil {
			t.Fatalf("owner %q: %v", o, err)
		}
	}
	for i, o := range owners {
		got, err := s.Load(o)
		if err != nil || got.Draft.Email != strings.Repeat("z", i)+"@x.co" {
			t.Errorf("owner %q: %+v, %v", o, got.Draft, err)
		}
	}
	if p := s.Path(""); p != s.Path(Local) {
		t.Errorf("empty owner is %s, want the local draft", p)
	}
}

func TestNoDraft(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	if _, err := s.Load(Local); !errors.Is(err, ErrNoDraft) {
		t.Fatalf("err = %v, want ErrNoDraft", err)
	}
	if err := s.Delete(Local); err != nil {
		t.Fatalf("deleting no draft: %v", err)
	}
}

func TestDeleteForgets(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	if _, err := s.Save("u:fp", fullDraft()); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("u:fp"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load("u:fp"); !errors.Is(err, ErrNoDraft) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestCorruptDraftIsMovedAsideAndReported(t *testing.T) {
	t.Parallel()
	for name, content := range map[string][]byte{
		"empty":       {},
		"cut short":   []byte(`{"email": "a@b.co", "roles": [`),
		"null":        []byte("null"),
		"array":       []byte(`["a@b.co"]`),
		"wrong type":  []byte(`{"email": 3}`),
		"unknown key": []byte(`{"email": "a@b.co", "api_key": "x"}`),
		"two values":  []byte(`{"email": "a@b.co"} {"email": "b@b.co"}`),
		"manager id":  []byte(`{"manager_id": true}`),
		"binary":      {0xff, 0xfe, 0x00, 0x1b, '[', '2', 'J'},
		"huge":        append([]byte(`{"email": "`), bytes.Repeat([]byte("a"), MaxFileSize)...),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			path := s.Path(Local)
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.Load(Local)
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *CorruptError", err)
			}
			if want := path + ".corrupt-20250314-163000"; ce.MovedTo != want {
				t.Errorf("moved to %q, want %q", ce.MovedTo, want)
			}
			if !strings.Contains(err.Error(), ce.MovedTo) || strings.ContainsRune(err.Error(), 0x1b) {
				t.Errorf("message %q does not name %s (or has escapes)", err, ce.MovedTo)
			}
			if kept, _ := os.ReadFile(ce.MovedTo); !bytes.Equal(kept, content) {
				t.Errorf("the moved-aside file lost its content")
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("the corrupt draft is still at %s", path)
			}
			if _, err := s.Load(Local); !errors.Is(err, ErrNoDraft) {
				t.Errorf("second load: %v", err)
			}
			if _, err := s.Save(Local, fullDraft()); err != nil {
				t.Errorf("save after corruption: %v", err)
			}
		})
	}
}

func TestCorruptTwiceKeepsBoth(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	for range 2 {
		_ = os.WriteFile(s.Path(Local), []byte("{"), 0o600)
		_, _ = s.Load(Local)
	}
	m, _ := filepath.Glob(s.Path(Local) + ".corrupt-*")
	if len(m) != 2 {
		t.Fatalf("moved-aside files: %v", m)
	}
}

func TestNotARegularFileIsCorrupt(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	if err := os.Mkdir(s.Path(Local), 0o700); err != nil {
		t.Fatal(err)
	}
	var ce *CorruptError
	if _, err := s.Load(Local); !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
	target := filepath.Join(t.TempDir(), "elsewhere")
	_ = os.WriteFile(target, []byte(`{"email":"a@b.co"}`), 0o600)
	if err := os.Symlink(target, s.Path("u:fp")); err != nil {
		t.Skip(err)
	}
	if _, err := s.Load("u:fp"); !errors.As(err, &ce) {
		t.Fatalf("a symlink was followed: %v", err)
	}
}

func TestLoadDropsAPasswordPutInByHand(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	_ = os.WriteFile(s.Path(Local), []byte(`{"email":"a@b.co","roles":["Setter"],"password":"`+sentinelPassword+`"}`), 0o600)
	got, err := s.Load(Local)
	if err != nil || got.Draft.Password != "" || got.Draft.Email != "a@b.co" {
		t.Fatalf("%+v, %v", got.Draft, err)
	}
}

func TestDefaultDir(t *testing.T) {
	t.Parallel()
	home := func() (string, error) { return "/home/ada", nil }
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": "/var/state"}, "/var/state/enerflo-onboard"},
		{map[string]string{"XDG_STATE_HOME": "relative/state"}, "/home/ada/.local/state/enerflo-onboard"},
		{map[string]string{}, "/home/ada/.local/state/enerflo-onboard"},
	} {
		got, err := DefaultDir(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }, home)
		if err != nil || got != tt.want {
			t.Errorf("%v: %q, %v; want %q", tt.env, got, err, tt.want)
		}
	}
	if _, err := DefaultDir(func(string) (string, bool) { return "", false }, func() (string, error) { return "", errors.New("no home") }); err == nil {
		t.Error("no HOME and no XDG_STATE_HOME: no error")
	}
}

func TestSaveCrashIsPrivate(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	p, err := s.SaveCrash("u:fp", "panic: boom\n")
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if filepath.Dir(p) != s.Dir() || fi.Mode().Perm() != 0o600 {
		t.Errorf("crash file %s mode %v", p, fi.Mode().Perm())
	}
}

func equalDrafts(a, b domain.Draft) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// TestDraftOfAnEarlierVersionKeepsItsSend: a draft file written by a
// version that kept the record of a send in the draft (its "sending"
// object) is read, record and all, so the wizard can move the send into
// the journal; Decode (the draft alone) still reads it, and Save writes
// the draft without it.
func TestDraftOfAnEarlierVersionKeepsItsSend(t *testing.T) {
	s := newStore(t)
	legacy := `{
  "email": "alice@sunpeak-demo.com",
  "roles": ["Setter"],
  "notify_email": false,
  "can_create_customers": true,
  "allow_optimus": false,
  "can_reassign_leads": true,
  "sending": {"since": "2025-03-14T16:31:00Z", "email": "alice@sunpeak-demo.com", "attempts": 2}
}
`
	path := s.Path(Local)
	if err := os.WriteFile(path, []byte(legacy), 0o600); err != nil {
		t.Fatal(err)
	}
	saved, err := s.Load(Local)
	if err != nil {
		t.Fatal(err)
	}
	since := time.Date(2025, 3, 14, 16, 31, 0, 0, time.UTC)
	if saved.Sending == nil || !saved.Sending.Since.Equal(since) || saved.Sending.Email != "alice@sunpeak-demo.com" || saved.Sending.Attempts != 2 {
		t.Fatalf("record read back: %+v", saved.Sending)
	}
	if saved.Draft.Email != "alice@sunpeak-demo.com" {
		t.Fatalf("draft read back: %+v", saved.Draft)
	}
	if d, err := Decode([]byte(legacy)); err != nil || d.Email != "alice@sunpeak-demo.com" {
		t.Fatalf("Decode: %v, %+v", err, d)
	}
	if _, err := s.Save(Local, saved.Draft); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), "sending") {
		t.Fatalf("Save wrote a send into the draft:\n%s", b)
	}
}
