package importer

import (
	"strings"
	"unicode"

	"enerflo-onboard/domain"
	"github.com/agnivade/levenshtein"
)

// ImportColumns are the columns of an import file (`enerflo-onboard import`):
// the API's name of every field of Fields a person may give for a whole
// team. Secret fields (the password) are left out: a file of passwords is
// one more place they leak from, and each new user picks their own.
func ImportColumns() []string {
	var out []string
	for _, f := range domain.Fields {
		if !f.Secret {
			out = append(out, f.Name)
		}
	}
	return out
}

// ImportColumn finds the field an import file's column names.
func ImportColumn(name string) (domain.Field, bool) {
	f, ok := domain.FieldNamed(strings.ToLower(strings.TrimSpace(name)))
	if !ok || f.Secret {
		return domain.Field{}, false
	}
	return f, true
}

// columnAliases are the headers people write for a field, besides its API
// name and its Label, which are always accepted. Headers are compared
// folded (FoldHeader): "E-mail", "e_mail" and "EMAIL" are one alias.
var columnAliases = map[string][]string{
	domain.Named.FirstName.Name:          {"First", "Given Name", "Forename", "FName"},
	domain.Named.LastName.Name:           {"Last", "Surname", "Family Name", "LName"},
	domain.Named.Email.Name:              {"Email Address", "E-mail", "E-mail Address", "Mail", "Work Email", "User Email", "Login"},
	domain.Named.Phone.Name:              {"Phone Number", "Mobile", "Mobile Phone", "Mobile Number", "Cell", "Cell Phone", "Telephone", "Tel"},
	domain.Named.ExternalUserID.Name:     {"External ID", "CRM ID", "Employee ID"},
	domain.Named.Roles.Name:              {"Role", "Role Name", "Role Names", "User Role", "User Roles"},
	domain.Named.Timezone.Name:           {"TZ", "Zone", "Time Zone Name"},
	domain.Named.ManagerEmail.Name:       {"Manager Email Address", "Supervisor Email"},
	domain.Named.ManagerID.Name:          {"Manager User ID", "Manager Enerflo ID"},
	domain.Named.OfficeID.Name:           {"Office ID", "Office Number"},
	domain.Named.NotifyEmail.Name:        {"Welcome Email", "Send Welcome Email", "Notify"},
	domain.Named.AllowOptimus.Name:       {"Optimus"},
	domain.Named.CanCreateCustomers.Name: {"Create Customers"},
	domain.Named.CanReassignLeads.Name:   {"Reassign Leads"},
}

// FoldHeader is a header as it is compared: lower case, letters and digits
// only, so "Email Address", "email_address" and "E-mail address" match.
func FoldHeader(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// importHeaders maps a folded header to its column: every import column's
// API name, Label and aliases, and the report's own columns.
func importHeaders() map[string]string {
	m := map[string]string{}
	for _, f := range domain.Fields {
		if f.Secret {
			continue
		}
		for _, h := range append([]string{f.Name, f.Label}, columnAliases[f.Name]...) {
			m[FoldHeader(h)] = f.Name
		}
	}
	for _, c := range ReportColumns {
		m[FoldHeader(c)] = c
	}
	return m
}

// ColumnFor is the column (an API field name, or one of ReportColumns) a
// header people write names: "Email Address" is email, "Role" is roles.
func ColumnFor(header string) (string, bool) {
	name, ok := importHeaders()[FoldHeader(header)]
	return name, ok
}

// SuggestColumn is the column an unknown header most likely means (a
// header within a few typos of a name or alias), or "".
func SuggestColumn(header string) string {
	h := FoldHeader(header)
	best, bestD := "", max(2, len(h)/4)+1
	for alias, name := range importHeaders() {
		if d := levenshtein.ComputeDistance(h, alias); d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	return best
}

// ReportColumns are the columns an import's report adds after the input's:
// an import file may carry them (a report fed back as input), and they are
// not fields.
var ReportColumns = []string{"status", "enerflo_id", "message"}

// ImportStatus is what became of one row of an import, as its report says.
type ImportStatus string

// The statuses of an import's rows.
const (
	// RowCreated: Enerflo created the user (in this run or an earlier one).
	RowCreated ImportStatus = "created"
	// RowExists: the org already has the email; nothing was sent.
	RowExists ImportStatus = "exists"
	// RowInvalid: the row breaks a rule; nothing was sent.
	RowInvalid ImportStatus = "invalid"
	// RowRefused: Enerflo refused the user (or the key); nothing was created.
	RowRefused ImportStatus = "refused"
	// RowUnknown: the request may have created the user; check before resending.
	RowUnknown ImportStatus = "unknown"
	// RowSkipped: not sent in this run (a dry run, a stop, an earlier refusal of the key).
	RowSkipped ImportStatus = "skipped"
	// RowPending: valid and waiting to be sent (only before the run ends).
	RowPending ImportStatus = "pending"
)

// ImportStatusOf is a row's status after a create's outcome: the one
// translation from Classify's Outcome to a report's word. RateLimited and
// NotSent were not processed: the row is still to be sent.
func ImportStatusOf(o domain.Outcome) ImportStatus {
	switch o {
	case domain.Succeeded:
		return RowCreated
	case domain.Invalid, domain.Rejected, domain.KeyRefused:
		return RowRefused
	case domain.Unknown:
		return RowUnknown
	}
	return RowSkipped
}
