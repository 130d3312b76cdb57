package theme

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
)

func TestDarkAndLightDiffer(t *testing.T) {
	dark, light := New(true, false), New(false, false)
	if dark.Title.Render("x") == light.Title.Render("x") {
		t.Fatal("the title looks the same on dark and light backgrounds")
	}
}

func TestNoColorHasNoColour(t *testing.T) {
	th := New(true, true)
	styles := map[string]string{
		"banner": th.Banner.Render("x"), "current": th.StepCurrent.Render("x"), "error": th.Error.Render("x"),
		"code": th.Code.Render("x"), "dialog": th.Dialog.Render("x"), "help": th.Help.ShortKey.Render("x"),
		"huh title": th.huh.Focused.Title.Render("x"), "huh button": th.huh.Focused.FocusedButton.Render("Yes"),
	}
	for name, out := range styles {
		// Downsampling to the Ascii profile drops colours and keeps bold,
		// underline and reverse: a colourless style comes out unchanged.
		var b strings.Builder
		w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
		_, _ = w.Write([]byte(out))
		if b.String() != out {
			t.Errorf("%s has a colour: %q", name, out)
		}
	}
	if !strings.Contains(styles["huh button"], "[Yes]") {
		t.Errorf("without colour the chosen button needs a mark: %q", styles["huh button"])
	}
}

func TestHuhThemeFollowsSet(t *testing.T) {
	th := New(true, false)
	h := th.Huh()
	before := h.Theme(true).Focused.Title.Render("x")
	th.Set(false, false)
	if h.Theme(true).Focused.Title.Render("x") == before {
		t.Fatal("the huh theme kept the old background's colours after Set")
	}
}

// TestNoColourOutsideTheme is the check CONVENTIONS.md asks for: no
// lipgloss.Color( anywhere in the module but here.
func TestNoColourOutsideTheme(t *testing.T) {
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "theme" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "lipgloss.Color(") {
			t.Errorf("%s names a colour; colours belong in theme/", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
