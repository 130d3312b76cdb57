package fakeenerflo

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteBanner prints what `enerflo-onboard fake-api` shows on start: that
// this is a fake, where it listens, the key it accepts (printing it is fine:
// it opens only this fake), the seeded offices and managers, and a curl
// command that creates a user.
func WriteBanner(w io.Writer, baseURL, apiKey string, s *Server) {
	baseURL = strings.TrimSuffix(baseURL, "/")
	if apiKey == "" {
		apiKey = DemoAPIKey
	}
	fmt.Fprintf(w, "Fake Enerflo for %s\n", DemoOrgName)
	fmt.Fprintln(w, "This is a FAKE: nothing sent here reaches Enerflo, and users it creates live in memory until it stops.")
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  Base URL\t%s\n", baseURL)
	fmt.Fprintf(tw, "  Endpoint\tPOST %s%s\n", baseURL, UsersPath)
	fmt.Fprintf(tw, "  Reads\tGET %s%s (page, pageSize, status=inactive), GET %s%s\n", baseURL, UsersListPath, baseURL, OfficesPath)
	fmt.Fprintf(tw, "  API key\t%s\t(header api-key)\n", apiKey)
	if n := s.RateLimit(); n > 0 {
		fmt.Fprintf(tw, "  Rate limit\t%d requests/minute per key\n", n)
	}
	_ = tw.Flush()

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Offices (office_id, Sales Rep only):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ID\tNAME\tTIMEZONE")
	for _, o := range s.Offices() {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", o.ID, o.Name, o.Timezone)
	}
	_ = tw.Flush()

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Sales Managers (manager_id or manager_email, Sales Rep only):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ID\tEMAIL\tNAME\tOFFICE")
	for _, m := range s.Managers() {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n", m.ID, m.Email, m.Name, m.OfficeID)
	}
	_ = tw.Flush()

	fmt.Fprintln(w)
	fmt.Fprintf(w, "Already taken (try it for the duplicate-email error): %s\n", TakenEmail)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Create a user:")
	fmt.Fprintf(w, "  curl -sS -X POST %s \\\n", shellQuote(baseURL+UsersPath))
	fmt.Fprintf(w, "    -H %s \\\n", shellQuote("api-key: "+apiKey))
	fmt.Fprintln(w, "    -H 'Content-Type: application/json' \\")
	fmt.Fprintf(w, "    -d %s\n", shellQuote(string(ExampleBody(s))))
}

// ExampleBody is a request body that the fake accepts (once: the email is
// then taken), naming the first seeded office and its manager.
func ExampleBody(s *Server) []byte {
	o, m := s.Offices()[0], s.Managers()[0]
	b, _ := json.Marshal(struct {
		Email        string   `json:"email"`
		Roles        []string `json:"roles"`
		NotifyEmail  bool     `json:"notify_email"`
		AllowOptimus bool     `json:"allow_optimus"`
		FirstName    string   `json:"first_name"`
		LastName     string   `json:"last_name"`
		Timezone     string   `json:"timezone"`
		OfficeID     string   `json:"office_id"`
		ManagerID    int32    `json:"manager_id"`
	}{"jamie.rivera@" + DemoDomain, []string{"Sales Rep"}, false, true, "Jamie", "Rivera", o.Timezone, o.ID, m.ID})
	return b
}

// shellQuote wraps s in single quotes for a POSIX shell, so a key or URL
// with odd characters still pastes as one word.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
