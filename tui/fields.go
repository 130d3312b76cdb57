package tui

import (
	"sort"
	"strconv"

	"enerflo-onboard/api"
	"enerflo-onboard/forms"
)

// stepOf is the input step on which a JSON field is edited, so an answer
// from Enerflo about that field can take the person there.
func stepOf(field string) (step, bool) {
	switch field {
	case "first_name", "last_name", "email", "phone", "external_user_id":
		return stepIdentity, true
	case "roles":
		return stepRoles, true
	case "timezone":
		return stepTimezone, true
	case "manager_email", "manager_id", "office_id":
		return stepSalesRep, true
	case "notify_email", "can_create_customers", "allow_optimus", "can_reassign_leads", "password":
		return stepPermissions, true
	}
	return 0, false
}

// draftValue is field's current value in the draft, as text, for telling
// whether Enerflo's answer about it still applies.
func draftValue(d *api.Draft, field string) (string, bool) {
	switch field {
	case "email":
		return d.Email, true
	case "first_name":
		return d.FirstName, true
	case "last_name":
		return d.LastName, true
	case "phone":
		return d.Phone, true
	case "external_user_id":
		return d.ExternalUserID, true
	case "roles":
		return forms.RolesValue(d.Roles), true
	case "timezone":
		return d.Timezone, true
	case "manager_email":
		return d.ManagerEmail, true
	case "manager_id":
		return string(d.ManagerID), true
	case "office_id":
		return d.OfficeID, true
	case "password":
		return d.Password, true
	case "notify_email":
		return strconv.FormatBool(d.NotifyEmail), true
	case "can_create_customers":
		return strconv.FormatBool(d.CanCreateCustomers), true
	case "allow_optimus":
		return strconv.FormatBool(d.AllowOptimus), true
	case "can_reassign_leads":
		return strconv.FormatBool(d.CanReassignLeads), true
	}
	return "", false
}

func rejectedFields(r forms.Rejections) []string {
	out := make([]string, 0, len(r))
	for f := range r {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}
