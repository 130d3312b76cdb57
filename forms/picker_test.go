package forms

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	tea "charm.land/bubbletea/v2"

	"enerflo-onboard/api"
)

func pickerOrg(n int) *api.Org {
	names := []string{"Maria Alvarez", "Mario Rossi", "Marianne Ode", "Derek Chen", "Ana Lima"}
	users := make([]api.User, n)
	for i := range users {
		role := "Sales Rep"
		if i%7 == 0 {
			role = "Sales Manager"
		}
		users[i] = api.User{ID: int32(i + 1), Email: fmt.Sprintf("p%d@x.com", i), Name: names[i%len(names)], Roles: []string{role}, Active: i%11 != 0}
	}
	return api.NewOrg("Org", users, nil)
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// Whatever is typed and erased, in any order, the rows are the matches a
// search from scratch finds: the kept narrowings never go stale.
func TestManagerPickerNarrowingMatchesAFreshSearch(t *testing.T) {
	org := pickerOrg(500)
	d := api.NewDraft()
	d.Roles = []string{api.SalesRep}
	p := newManagerPicker(&d, cfg(), org)
	p.Focus()
	rng := rand.New(rand.NewPCG(1, 2))
	letters := []string{"m", "a", "r", "i", " ", "o", "1", "@", "d", "e", "backspace", "backspace", "backspace", "esc"}
	for i := range 3000 {
		k := letters[rng.IntN(len(letters))]
		p.Update(press(k))
		want := org.Match(p.query, nil, nil)
		if !slices.Equal(p.matches, want) {
			t.Fatalf("key %d (%q), query %q: %d rows, a fresh search finds %d", i, k, p.query, len(p.matches), len(want))
		}
	}
}

// What the picker writes into the draft: a person by id, a typed email as
// manager_email, a typed number as manager_id, nothing for "No manager".
func TestManagerPickerWritesWhatIsShown(t *testing.T) {
	org := api.NewOrg("Org", []api.User{
		{ID: 1042, Email: "maria@x.com", Name: "Maria Alvarez", Roles: []string{"Sales Manager"}, Active: true},
		{ID: 7, Email: "ana@x.com", Name: "Ana Lima", Active: true},
	}, nil)
	for _, tc := range []struct {
		typed, id, email string
		down             int
	}{
		{"alvarez", "1042", "", 0},
		{"MARIA@X.COM", "1042", "", 0},
		{"boss@elsewhere.com", "", "boss@elsewhere.com", 0},
		{"99", "99", "", 0},
		{"", "", "", 0},
		{"", "1042", "", 1}, // down from "No manager": the first manager
		{"a", "7", "", 1},
	} {
		d := api.NewDraft()
		d.Roles, d.ManagerEmail = []string{api.SalesRep}, "old@x.com"
		p := newManagerPicker(&d, cfg(), org)
		p.Focus()
		if p.query != "old@x.com" {
			t.Fatalf("the picker starts on %q, not the draft's manager", p.query)
		}
		p.Update(press("esc")) // clears the query: no manager yet
		for _, r := range tc.typed {
			p.Update(press(string(r)))
		}
		for range tc.down {
			p.Update(tea.KeyPressMsg{Code: tea.KeyDown})
		}
		if string(d.ManagerID) != tc.id || d.ManagerEmail != tc.email {
			t.Errorf("typed %q, down %d: manager_id %q, manager_email %q; want %q, %q", tc.typed, tc.down, d.ManagerID, d.ManagerEmail, tc.id, tc.email)
		}
	}
}
