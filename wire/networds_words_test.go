package wire

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"enerflo-onboard/domain"
)

// A refused connection, as a real client meets it, reads as a sentence:
// the host and the reason, none of Go's chain.
func TestTransportErrorWords(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	c, err := NewClient(ClientOptions{BaseURL: "http://" + addr, APIKey: "k", HTTPClient: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateUser(context.Background(), domain.NewUser{Email: "a@b.com", Roles: []string{"Setter"}})
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want a TransportError", err)
	}
	if got, want := te.Words(), "Could not connect to "+addr+": connection refused"; got != want {
		t.Errorf("Words() = %q, want %q", got, want)
	}
	for _, tt := range []struct {
		te   *TransportError
		want string
	}{
		{&TransportError{Err: errors.New("dial tcp: lookup enerflo.example: no such host")}, "Could not find enerflo.example: there is no such host (check the base URL and the network)"},
		{&TransportError{Err: errors.New("read: connection reset by peer"), MayHaveReached: true}, "Could not reach Enerflo: connection reset by peer"},
	} {
		if got := tt.te.Words(); got != tt.want {
			t.Errorf("Words() = %q, want %q", got, tt.want)
		}
		if strings.Contains(tt.te.Words(), "dial tcp") {
			t.Errorf("Go's chain leaks: %q", tt.te.Words())
		}
	}
}
