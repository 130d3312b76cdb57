package domain

// Step is one input step of the wizard: every field belongs to one (see
// Fields), and which steps there are follows from the draft (see Steps).
// The full-screen wizard and the accessible prompts both walk Steps.
type Step int

// The input steps, in the order they are asked.
const (
	StepIdentity Step = iota
	StepRoles
	StepTimezone
	StepSalesRep
	StepPermissions
)

// AllSteps are every input step, whether or not a draft needs it.
var AllSteps = []Step{StepIdentity, StepRoles, StepTimezone, StepSalesRep, StepPermissions}

// String is the step's name in the progress line.
func (s Step) String() string {
	switch s {
	case StepIdentity:
		return "Identity"
	case StepRoles:
		return "Roles"
	case StepTimezone:
		return "Time zone"
	case StepSalesRep:
		return "Sales Rep"
	case StepPermissions:
		return "Permissions"
	}
	return "Step?"
}

// Steps are the input steps d needs, in order: the Sales Rep step exists
// while Sales Rep is one of the roles. Work it out again after every
// answer; a choice of role adds or removes a step.
func Steps(d Draft) []Step {
	out := make([]Step, 0, len(AllSteps))
	for _, s := range AllSteps {
		if s == StepSalesRep && !d.HasSalesRep() {
			continue
		}
		out = append(out, s)
	}
	return out
}

// StepOf is the step that asks for the field with JSON name field.
func StepOf(field string) (Step, bool) {
	f, ok := FieldNamed(field)
	return f.Step, ok
}
