package api

import (
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"regexp"
	"strings"
	"syscall"
)

// lookupHost finds the host of a failed DNS lookup in an error's text,
// for errors that lost their type on the way (scrubbed, wrapped as text).
var lookupHost = regexp.MustCompile(`lookup ([^\s:]+)`)

// Words is the failure for the person at the keyboard: which host could
// not be reached and why, in one sentence without Go's error chain
// ("Could not connect to enerflo.io: connection refused"). It does not say
// whether anything was sent; MayHaveReached does, and callers add it.
func (e *TransportError) Words() string {
	if e == nil || e.Err == nil {
		return ""
	}
	msg := e.Err.Error()
	host := ""
	var ue *url.Error
	if errors.As(e.Err, &ue) {
		if u, err := url.Parse(ue.URL); err == nil {
			host = u.Host
		}
	}
	var dns *net.DNSError
	if errors.As(e.Err, &dns) && dns.Name != "" {
		host = dns.Name
	} else if m := lookupHost.FindStringSubmatch(msg); m != nil && host == "" {
		host = m[1]
	}
	host = Sanitize(host, 120)
	if host == "" {
		host = "Enerflo"
	}
	cause := msg
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		cause = msg[i+2:]
	}
	cause = Sanitize(cause, 160)
	if errors.Is(e.Err, io.EOF) || errors.Is(e.Err, io.ErrUnexpectedEOF) || cause == "EOF" || cause == "unexpected EOF" {
		cause = "the connection closed before Enerflo answered"
	}
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	switch {
	case e.MayHaveReached:
		return "The connection to " + host + " failed after the request was sent: " + cause
	case errors.Is(e.Err, syscall.ECONNREFUSED) || cause == "connection refused":
		return "Could not connect to " + host + ": connection refused"
	case dns != nil && dns.IsNotFound || cause == "no such host":
		return "Could not find " + host + ": no such host. Check the address"
	case errors.As(e.Err, &unknownCA) || errors.As(e.Err, &badHost):
		return "Could not connect to " + host + ": its certificate could not be verified"
	}
	return "Could not connect to " + host + ": " + cause
}
