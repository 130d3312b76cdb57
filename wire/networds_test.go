package wire

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"enerflo-onboard/domain"
)

// A refused connection, a missing host and a dropped answer are said in
// words, with the host and whether anything was sent, once; never Go's
// text.
func TestTransportWords(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()

	dropped := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			c.Close()
		}
	}))
	defer dropped.Close()

	for _, c := range []struct{ base, want string }{
		{"http://" + closed, "Nothing was sent: a@b.co was not created.\nCould not connect to " + closed + ": connection refused.\n"},
		{dropped.URL, "The outcome is unknown: a@b.co may or may not have been created.\nThe request was sent, but the connection was closed before an answer came.\n"},
	} {
		cl, err := NewClient(ClientOptions{BaseURL: c.base, APIKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = cl.CreateUser(context.Background(), domain.NewUser{Email: "a@b.co"})
		var te *TransportError
		if !errors.As(err, &te) {
			t.Fatalf("%s: %v is not a TransportError", c.base, err)
		}
		got := Explain(Classify(nil, err), domain.ActionCreate, Situation{Who: "a@b.co"}).Text()
		if !strings.HasPrefix(got, c.want) || strings.Count(got, "may or may not") > 1 || strings.Count(got, "ould not") > 1 {
			t.Errorf("Explain =\n %q\nwant it to start\n %q", got, c.want)
		}
	}

	dns := &TransportError{Host: "enerflo.invalid", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "enerflo.invalid", IsNotFound: true}}}
	if got := dns.Words(); !strings.HasPrefix(got, "Could not find enerflo.invalid: there is no such host") || strings.Contains(got, "dial") {
		t.Errorf("Words(DNS) = %q", got)
	}
}
