package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"enerflo-onboard/fakeenerflo"
)

// --any-timezone is import's too: a zone outside the documented eight is
// refused naming the flag, sent with it, and a legacy alias never is.
func TestImportAnyTimezone(t *testing.T) {
	t.Parallel()
	write := func(t *testing.T, zone string) string {
		path := filepath.Join(t.TempDir(), "team.csv")
		body := "email,roles,timezone\nrep.london@" + fakeenerflo.DemoDomain + ",Setter," + zone + "\n"
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	t.Run("without the flag", func(t *testing.T) {
		t.Parallel()
		_, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
		o.File, o.DryRun = write(t, "Europe/London"), true
		err := runImport(context.Background(), o)
		if exitCode(err) != exitUsage || !strings.Contains(errw.String(), "line 2, timezone:") || !strings.Contains(errw.String(), "--any-timezone") {
			t.Fatalf("exit %d; stderr %s", exitCode(err), errw)
		}
	})
	t.Run("with the flag", func(t *testing.T) {
		t.Parallel()
		s, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
		o.File, o.AnyTimezone = write(t, "Europe/London"), true
		if err := runImport(context.Background(), o); err != nil {
			t.Fatalf("exit %d (%v); stderr %s", exitCode(err), err, errw)
		}
		if created := s.Created(); len(created) != 1 || created[0].Timezone != "Europe/London" {
			t.Fatalf("created %+v", created)
		}
	})
	t.Run("a legacy alias, even with the flag", func(t *testing.T) {
		t.Parallel()
		_, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
		o.File, o.AnyTimezone, o.DryRun = write(t, "US/Arizona"), true, true
		err := runImport(context.Background(), o)
		if exitCode(err) != exitUsage || !strings.Contains(errw.String(), "use America/Phoenix") {
			t.Fatalf("exit %d; stderr %s", exitCode(err), errw)
		}
	})
}

// An extension typed with a phone number is said in import too, not
// dropped silently; the number itself is sent.
func TestImportSaysTheExtensionIsNotSent(t *testing.T) {
	t.Parallel()
	s, o, _, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
	path := filepath.Join(t.TempDir(), "team.csv")
	body := "email,roles,phone\next@" + fakeenerflo.DemoDomain + ",Setter,602-555-0142 x12\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	o.File = path
	if err := runImport(context.Background(), o); err != nil {
		t.Fatalf("exit %d (%v); stderr %s", exitCode(err), err, errw)
	}
	if !strings.Contains(errw.String(), "line 2: the phone's extension 12 is not sent") {
		t.Errorf("stderr does not say the extension is not sent:\n%s", errw)
	}
	if created := s.Created(); len(created) != 1 || created[0].Phone != "+16025550142" {
		t.Fatalf("created %+v", created)
	}
}
