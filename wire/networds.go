package wire

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"regexp"
	"strings"
	"syscall"

	"enerflo-onboard/textsafe"
)

// ReachWords says in words why a request that is not a create got no
// answer (a read of the org, an update, a check of the key): the same
// sentence as TransportError.Words, with a small first letter so it reads
// after "could not read the offices: ". apiKey is scrubbed from it.
func ReachWords(err error, apiKey string) string {
	return lowerFirst(newTransportError(err, false, apiKey).Words())
}

// lowerFirst puts a sentence after a colon.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// lookupHost finds the host of a failed DNS lookup in an error's text,
// for errors that lost their type on the way (scrubbed, wrapped as text).
var lookupHost = regexp.MustCompile(`lookup ([^\s:]+)`)

// hostOf is the host a failed request was for, from the error itself.
func hostOf(err error) string {
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.Name != "" {
		return dns.Name
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			return u.Host
		}
	}
	if m := lookupHost.FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	return ""
}

// Words is the failure in one sentence for the person at the keyboard:
// which host could not be reached and why, without Go's error chain
// ("Could not connect to enerflo.io: connection refused"). Whether
// anything was sent is MayHaveReached's to say (Explain says it).
func (te *TransportError) Words() string {
	if te == nil || te.Err == nil {
		return ""
	}
	host := te.Host
	if host == "" {
		host = hostOf(te.Err)
	}
	host = textsafe.Sanitize(host, 120)
	if host == "" {
		host = "Enerflo"
	}
	what := "Could not reach " + host + ": " + transportReason(te)
	switch {
	case te.Canceled:
		what = "The request to " + host + " was cancelled"
	case te.TimedOut:
		what = host + " did not answer in time"
	default:
		var dns *net.DNSError
		var op *net.OpError
		switch {
		case errors.As(te.Err, &dns) || strings.HasSuffix(te.Err.Error(), "no such host"):
			what = "Could not find " + host + ": there is no such host (check the base URL and the network)"
		case errors.As(te.Err, &op) && op.Op == "dial", errors.Is(te.Err, syscall.ECONNREFUSED):
			what = "Could not connect to " + host + ": " + transportReason(te)
		}
	}
	return what
}

// transportReason is the cause of a failed request in a few plain words.
func transportReason(te *TransportError) string {
	var cert *x509.UnknownAuthorityError
	var host x509.HostnameError
	var rec tls.RecordHeaderError
	switch {
	case errors.Is(te.Err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(te.Err, syscall.ECONNRESET):
		return "the connection was reset"
	case errors.Is(te.Err, syscall.EHOSTUNREACH), errors.Is(te.Err, syscall.ENETUNREACH):
		return "the network cannot reach it"
	case errors.Is(te.Err, io.EOF), errors.Is(te.Err, io.ErrUnexpectedEOF):
		return "the connection was closed before an answer came"
	case errors.As(te.Err, &cert):
		return "its certificate is not signed by an authority this machine trusts"
	case errors.As(te.Err, &host):
		return "its certificate is for another host"
	case errors.As(te.Err, &rec):
		return "it did not answer with TLS (is the base URL http:// rather than https://?)"
	}
	var op *net.OpError
	if errors.As(te.Err, &op) && op.Err != nil {
		return textsafe.Sanitize(op.Err.Error(), 200)
	}
	inner := te.Err
	var ue *url.Error
	if errors.As(inner, &ue) && ue.Err != nil {
		inner = ue.Err
	}
	// The last link of Go's chain ("read tcp …: connection reset by peer").
	msg := inner.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return textsafe.Sanitize(msg, 200)
}
