package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"testing"
	"unicode/utf8"

	"enerflo-onboard/domain"
)

// TestEchoedSecretsAreScrubbed: a server (or a proxy in front of it) that
// quotes the request back must not get the key or the password shown.
func TestEchoedSecretsAreScrubbed(t *testing.T) {
	t.Parallel()
	const key, password = "SENTINEL-KEY-scrub-1", "SENTINEL-PW-scrub-2"
	for _, status := range []int{200, 400, 401, 500} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			echo := "key " + r.Header.Get("api-key") + " body " + strings.ReplaceAll(string(body), `"`, `'`)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, `{"id":"`+echo+`","email":"`+echo+`","message":"`+echo+`","errors":{"password":["`+echo+`"]}}`)
		}))
		c, err := NewClient(ClientOptions{BaseURL: srv.URL, APIKey: key, HTTPClient: srv.Client()})
		if err != nil {
			t.Fatal(err)
		}
		cu, err := c.CreateUser(context.Background(), domain.NewUser{Email: "a@b.co", Roles: []string{"Setter"}, Password: password})
		srv.Close()
		var said strings.Builder
		if cu != nil {
			said.WriteString(cu.ID + cu.Email + string(cu.Raw))
		}
		if err != nil {
			said.WriteString(err.Error())
		}
		var re *ResponseError
		if errors.As(err, &re) {
			said.WriteString(re.Message)
			for _, m := range re.Fields {
				said.WriteString(strings.Join(m, " "))
			}
		}
		if said.Len() == 0 {
			t.Fatalf("%d: nothing came back: %v", status, err)
		}
		if s := said.String(); strings.Contains(s, key) || strings.Contains(s, password) {
			t.Errorf("%d: a secret came back: %s", status, s)
		}
	}
}

// keyRun returns a run of MinSecretRun or more characters of key found in
// text, or "".
func keyRun(text, key string) string {
	for i := 0; i+MinSecretRun <= len(key); i++ {
		if strings.Contains(text, key[i:i+MinSecretRun]) {
			return key[i : i+MinSecretRun]
		}
	}
	return ""
}

func TestScrubSecret(t *testing.T) {
	t.Parallel()
	const key = "ek_live_7fQ2mZ9xR4tW8yB1"
	for _, tt := range []struct{ name, in, want string }{
		{"whole", "key " + key + " refused", "key $K refused"},
		{"minus last character", "key " + key[:len(key)-1] + " refused", "key $K refused"},
		{"minus first character", "key=" + key[1:], "key=$K"},
		{"middle slice", "saw …" + key[6:18] + "… here", "saw …$K… here"},
		{"exactly eight", "x" + key[3:11] + "y", "x$Ky"},
		{"seven is not a run", "x" + key[3:10] + "y", "x" + key[3:10] + "y"},
		{"two pieces", key[:9] + " and " + key[12:], "$K and $K"},
		{"adjacent pieces become one", key[10:] + key[:10], "$K"},
		{"twice", key + key, "$K"},
		{"nothing", "The email has already been taken.", "The email has already been taken."},
		{"empty", "", ""},
	} {
		if got := ScrubSecret(tt.in, key, "$K"); got != tt.want {
			t.Errorf("%s: ScrubSecret(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
	// A short secret is hidden whole; an empty one hides nothing.
	if got := ScrubSecret("pw abc123 end", "abc123", "•"); got != "pw • end" {
		t.Errorf("short secret: %q", got)
	}
	if got := ScrubSecret("anything", "", "•"); got != "anything" {
		t.Errorf("empty secret: %q", got)
	}
	// A multi-byte secret cut mid-character leaves no half character behind.
	pw := "pässwörd-ünïcode"
	if got := ScrubSecret("said "+pw[1:]+"!", pw, "•"); got != "said •!" || !utf8.ValidString(got) {
		t.Errorf("multibyte: %q", got)
	}
}

// TestEchoedPartialKeyIsScrubbed: an answer that quotes the key cut short
// at either end, or a slice of it, shows none of it.
func TestEchoedPartialKeyIsScrubbed(t *testing.T) {
	t.Parallel()
	const key = "PARTIAL-KEY-0123456789abcdef"
	for name, piece := range map[string]string{
		"minus last": key[:len(key)-1], "minus first": key[1:], "middle slice": key[7:19],
	} {
		for _, status := range []int{200, 201, 307, 400, 401, 500} {
			t.Run(fmt.Sprintf("%s %d", name, status), func(t *testing.T) {
				t.Parallel()
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Location", "http://"+strings.ToLower(piece)+".example.com/?k="+piece)
					w.WriteHeader(status)
					id := `"` + piece + `"`
					if status == 201 {
						id = "1"
					}
					fmt.Fprintf(w, `{"id":%s,"email":"%s@b.co","message":"key %s","errors":{"email":["bad %s"],"%s":["x"]}}`, id, piece, piece, piece, piece)
				}))
				defer srv.Close()
				c, err := NewClient(ClientOptions{BaseURL: srv.URL, APIKey: key, HTTPClient: srv.Client()})
				if err != nil {
					t.Fatal(err)
				}
				cu, err := c.CreateUser(context.Background(), minimalUser())
				var said strings.Builder
				if cu != nil {
					said.WriteString(cu.ID + " " + cu.Email + " " + string(cu.Raw))
				}
				if err != nil {
					fmt.Fprintf(&said, "%v %+v", err, err)
				}
				var re *ResponseError
				if errors.As(err, &re) {
					for f, m := range re.Fields {
						said.WriteString(f + strings.Join(m, " "))
					}
				}
				var rd *RedirectError
				if errors.As(err, &rd) {
					said.WriteString(rd.Location + rd.Host)
				}
				var nu *NotAUserError // its kept body quotes the echo
				if errors.As(err, &nu) {
					said.WriteString(nu.Body)
				}
				if run := keyRun(said.String(), key); run != "" {
					t.Errorf("%q of the key came back:\n%s", run, said.String())
				}
				if !strings.Contains(said.String(), KeyMask) {
					t.Errorf("nothing was masked, so the test saw no echo:\n%s", said.String())
				}
			})
		}
	}
}

// keyInError is a transport that fails with the key in its words, as a
// proxy's CONNECT refusal or a URL that carried it would.
type keyInError struct {
	text  string
	wrote bool // fail after the request went out
}

func (k keyInError) RoundTrip(r *http.Request) (*http.Response, error) {
	if k.wrote {
		if tr := httptrace.ContextClientTrace(r.Context()); tr != nil && tr.WroteRequest != nil {
			tr.WroteRequest(httptrace.WroteRequestInfo{})
		}
	}
	return nil, errors.New(k.text)
}

// TestTransportErrorScrubsKey: a network error that quotes the key, whole
// or in part, never carries it out of the client, by Error, %+v or Unwrap.
func TestTransportErrorScrubsKey(t *testing.T) {
	t.Parallel()
	const key = "TRANSPORT-KEY-0123456789abcdef"
	for _, tt := range []struct {
		name string
		text string
	}{
		{"whole key", "proxy refused api-key " + key},
		{"minus last", "proxy refused api-key " + key[:len(key)-1]},
		{"in a URL", "dial tcp: lookup user:" + key[2:20] + "@enerflo.io: no such host"},
	} {
		for _, wrote := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s sent=%v", tt.name, wrote), func(t *testing.T) {
				t.Parallel()
				c, err := NewClient(ClientOptions{BaseURL: "https://enerflo.io", APIKey: key,
					HTTPClient: &http.Client{Transport: keyInError{text: tt.text, wrote: wrote}}})
				if err != nil {
					t.Fatal(err)
				}
				_, err = c.CreateUser(context.Background(), minimalUser())
				var te *TransportError
				if !errors.As(err, &te) || te.MayHaveReached != wrote {
					t.Fatalf("%T %v", err, err)
				}
				said := fmt.Sprintf("%v | %+v | %s", err, err, te.Err)
				for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
					said += " | " + e.Error()
				}
				if run := keyRun(said, key); run != "" {
					t.Errorf("%q of the key is in the error: %s", run, said)
				}
				if !strings.Contains(said, "proxy refused") && !strings.Contains(said, "no such host") {
					t.Errorf("the error lost its words: %s", said)
				}
			})
		}
	}
}
