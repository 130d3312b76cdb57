package api

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"syscall"
)

// TransportWords says in words what became of a request that got no
// answer, for the person at the keyboard rather than Go's text ("Post
// \"http://…\": dial tcp …: connect: connection refused"): what failed,
// with which host, and whether anything was sent, e.g.
//
//	Could not connect to 127.0.0.1:8080: connection refused. Nothing was sent.
func TransportWords(te *TransportError) string {
	host := te.Host
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
		case errors.As(te.Err, &dns):
			what = "Could not find " + host + ": there is no such host (check the base URL and the network)"
		case errors.As(te.Err, &op) && op.Op == "dial":
			what = "Could not connect to " + host + ": " + transportReason(te)
		}
	}
	if te.MayHaveReached {
		return what + ". The request was sent, so the user may or may not have been created: check Enerflo before trying again."
	}
	return what + ". Nothing was sent."
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
		return Sanitize(op.Err.Error(), 200)
	}
	inner := te.Err
	var ue *url.Error
	if errors.As(inner, &ue) && ue.Err != nil {
		inner = ue.Err
	}
	return Sanitize(inner.Error(), 200)
}
