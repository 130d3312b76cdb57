package journal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// Target names where a request goes, and so which org a record counts
// for. It never holds the API key: when the org cannot be read, the key
// is named by a one-way fingerprint.
type Target struct {
	// BaseURL is the Enerflo address, lower-cased scheme and host, no
	// trailing slash; "demo:<scenario>" for the built-in demo.
	BaseURL string `json:"base_url"`
	// Org is the org as Enerflo names it, when the key can read it.
	Org string `json:"org,omitempty"`
	// KeyID is a fingerprint of the key, when Org is unknown.
	KeyID string `json:"key_id,omitempty"`
}

// keyIDSalt is the HMAC key of the fingerprint: a fixed salt, so that the
// fingerprint of a key is the same in every process and cannot be matched
// against a plain SHA-256 of leaked keys.
const keyIDSalt = "enerflo-onboard journal key fingerprint v1"

// KeyID is the fingerprint of an API key that names a target whose org
// cannot be read: 16 hex digits of HMAC-SHA256, one-way.
func KeyID(apiKey string) string {
	m := hmac.New(sha256.New, []byte(keyIDSalt))
	m.Write([]byte(apiKey))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

// NewTarget names the target of requests sent to baseURL with apiKey:
// by org when org is known (the key could read it), else by the key's
// fingerprint. An empty org and key (the demo) leave both empty.
func NewTarget(baseURL, org, apiKey string) Target {
	t := Target{BaseURL: normalizeURL(baseURL), Org: strings.TrimSpace(org)}
	if t.Org == "" && apiKey != "" {
		t.KeyID = KeyID(apiKey)
	}
	return t
}

// DemoTarget is the target of the built-in demo running scenario (""
// for the plain demo): each scenario is its own org.
func DemoTarget(scenario string) Target {
	return Target{BaseURL: "demo:" + strings.ToLower(strings.TrimSpace(scenario))}
}

// normalizeURL lower-cases the scheme and host and drops a trailing slash,
// so "HTTPS://Acme.enerflo.io/" and "https://acme.enerflo.io" are one target.
func normalizeURL(u string) string {
	u = strings.TrimRight(strings.TrimSpace(u), "/")
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	host, path, _ := strings.Cut(rest, "/")
	if path != "" {
		path = "/" + path
	}
	return strings.ToLower(scheme) + "://" + strings.ToLower(host) + path
}

// String is the target's stable name, part of every record's key:
// "https://acme.enerflo.io#org=Acme Solar", "https://…#key=3f2a…", "demo:".
func (t Target) String() string {
	switch {
	case t.Org != "":
		return t.BaseURL + "#org=" + t.Org
	case t.KeyID != "":
		return t.BaseURL + "#key=" + t.KeyID
	}
	return t.BaseURL
}

// EmailPerson is the Person of a create: the email trimmed and lower-cased,
// as Enerflo compares them.
func EmailPerson(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// IDPerson is the Person of an update or deactivation: "id:10234".
func IDPerson(id int64) string { return "id:" + strconv.FormatInt(id, 10) }

// CreateKey is the key of creating email in t.
func CreateKey(t Target, email string) Key {
	return Key{Target: t.String(), Person: EmailPerson(email), Action: Create}
}

// UserKey is the key of action (Update, Deactivate) on the user id in t.
func UserKey(t Target, action Action, id int64) Key {
	return Key{Target: t.String(), Person: IDPerson(id), Action: action}
}
