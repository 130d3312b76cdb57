package fakeenerflo

import (
	"slices"
	"testing"
)

func TestSeededOrgIsConsistent(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	offices, managers, users := s.Offices(), s.Managers(), s.ExistingUsers()
	if len(offices) < 3 || len(managers) < 3 || len(users) <= len(managers) {
		t.Fatalf("seed too small: %d offices, %d managers, %d users", len(offices), len(managers), len(users))
	}
	for _, m := range managers {
		i := slices.IndexFunc(users, func(u User) bool { return u.ID == m.ID })
		if i < 0 || users[i].Email != m.Email || !slices.Contains(users[i].Roles, "Sales Manager") {
			t.Errorf("manager %+v is not a seeded Sales Manager user", m)
		}
		if !slices.ContainsFunc(offices, func(o Office) bool { return o.ID == m.OfficeID }) {
			t.Errorf("manager %s works at unknown office %q", m.Name, m.OfficeID)
		}
	}
	for _, u := range users {
		if u.ID >= firstCreatedID {
			t.Errorf("seeded id %d is not below the first created id %d", u.ID, firstCreatedID)
		}
		if u.OfficeID != "" && !slices.ContainsFunc(offices, func(o Office) bool { return o.ID == u.OfficeID }) {
			t.Errorf("user %s at unknown office %q", u.Email, u.OfficeID)
		}
	}
	if !slices.ContainsFunc(users, func(u User) bool { return u.Email == TakenEmail }) {
		t.Errorf("%s is not seeded", TakenEmail)
	}

	// Callers get copies: changing them changes nothing in the fake.
	offices[0].ID = "changed"
	users[0].Roles[0] = "changed"
	if s.Offices()[0].ID == "changed" || s.ExistingUsers()[0].Roles[0] == "changed" {
		t.Error("the seed can be changed through a returned slice")
	}
	if len(s.Created()) != 0 {
		t.Error("a new fake has created users")
	}
	wantCreated(t, post(t, s, userBody(t, map[string]any{"office_id": offices[1].ID})))
	if len(s.ExistingUsers()) != len(users) || len(s.Created()) != 1 {
		t.Error("a created user is counted as seeded")
	}
}
