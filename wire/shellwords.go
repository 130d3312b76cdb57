package wire

import "strings"

// The environment variables that give the tool its Enerflo, named here so
// that advice in every mode (and config, which reads them) says the same.
const (
	EnvAPIKey  = "ENERFLO_API_KEY"
	EnvBaseURL = "ENERFLO_BASE_URL"
)

// Shell is a shell a person types a command into. Setting a variable is
// written differently in each, so advice is given in the person's own.
type Shell int

// The shells advice is written for.
const (
	// POSIXShell is bash, zsh and the other Unix shells.
	POSIXShell Shell = iota
	// PowerShell is Windows' default shell (Windows Terminal, VS Code).
	PowerShell
	// Cmd is Windows' older command prompt, cmd.exe.
	Cmd
)

// Shells are every shell, in the order class lines are printed.
var Shells = []Shell{POSIXShell, PowerShell, Cmd}

// ShellOf is the shell a person on goos (runtime.GOOS) most likely types
// into: PowerShell on Windows, a POSIX shell elsewhere. It is the one
// place advice picks a shell; callers pass runtime.GOOS, tests any.
func ShellOf(goos string) Shell {
	if goos == "windows" {
		return PowerShell
	}
	return POSIXShell
}

// String names the shell as people know it.
func (s Shell) String() string {
	switch s {
	case PowerShell:
		return "PowerShell"
	case Cmd:
		return "cmd"
	}
	return "bash/zsh"
}

// EnvVar is a variable to set and its value.
type EnvVar struct{ Name, Value string }

// SetEnv is the command that sets one variable for the rest of the
// session: export NAME=value, $env:NAME="value", set "NAME=value".
func (s Shell) SetEnv(v EnvVar) string {
	switch s {
	case PowerShell:
		return "$env:" + v.Name + "=" + powerShellQuote(v.Value)
	case Cmd:
		return `set "` + v.Name + "=" + v.Value + `"`
	}
	return "export " + v.Name + "=" + posixQuote(v.Value)
}

// RunWith is one line that sets vars and then runs command, pasted as is:
// NAME=value command (the variables for that command alone) in a POSIX
// shell, the variables then the command in PowerShell and cmd.
func (s Shell) RunWith(vars []EnvVar, command string) string {
	parts := make([]string, 0, len(vars)+1)
	switch s {
	case PowerShell, Cmd:
		for _, v := range vars {
			parts = append(parts, s.SetEnv(v))
		}
		sep := "; "
		if s == Cmd {
			sep = " && "
		}
		return strings.Join(append(parts, command), sep)
	}
	for _, v := range vars {
		parts = append(parts, v.Name+"="+posixQuote(v.Value))
	}
	return strings.Join(append(parts, command), " ")
}

// Advice is a command to run and why, for a person who has to act.
type Advice struct{ Command, Why string }

// KeyAdvice is how to give the tool an API key on goos: login first (it
// checks the key with Enerflo and keeps it with its host), then the
// variable, in the person's shell, for this session alone.
func KeyAdvice(goos string) []Advice {
	return []Advice{
		{"enerflo-onboard login", "checks the key with Enerflo and saves it"},
		{ShellOf(goos).SetEnv(EnvVar{EnvAPIKey, "…"}), "or set it for this " + ShellOf(goos).String() + " session only"},
	}
}

// posixQuote quotes a value for a POSIX shell when it needs it.
func posixQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == ':' || r == '@' || r == '…' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// powerShellQuote puts a value in PowerShell's double quotes, escaping
// with a backtick what it would otherwise read ($, `, ").
func powerShellQuote(s string) string {
	r := strings.NewReplacer("`", "``", "$", "`$", `"`, "`\"")
	return `"` + r.Replace(s) + `"`
}
