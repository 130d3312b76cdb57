package wire

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"

	"enerflo-onboard/textsafe"
)

// answer is one HTTP answer, read (up to MaxBodyBytes) and closed.
type answer struct {
	status    int
	header    http.Header
	body      []byte
	truncated bool
	// url is where the request went, to resolve a relative Location.
	url *url.URL
}

// send makes one request to Enerflo with the api-key header, under the
// client's timeout, never following a redirect (see NewClient), and reads
// the answer. It never retries. The error is a *TransportError when no
// answer came, with MayHaveReached set once the request was written. Every
// request the client makes goes through here.
func (c *Client) send(ctx context.Context, method, path string, body []byte) (answer, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, rd)
	if err != nil {
		return answer{}, &TransportError{Err: err}
	}
	req.Header.Set("api-key", c.apiKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.ua)

	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				wrote.Store(true)
			}
		},
	}
	req = req.WithContext(httptrace.WithClientTrace(ctx, trace))

	resp, err := c.http.Do(req)
	if err != nil {
		te := newTransportError(err, wrote.Load(), c.apiKey)
		te.Host = textsafe.Sanitize(req.URL.Host, 200)
		return answer{}, te
	}
	defer resp.Body.Close()
	raw, truncated, err := readCapped(resp.Body, MaxBodyBytes)
	if err != nil && !truncated && resp.StatusCode/100 == 2 && (errors.Is(err, context.DeadlineExceeded) || isTimeout(err)) {
		// A 2xx whose body (the user) was still arriving at the deadline:
		// a time-out after the request reached Enerflo, not a body that
		// "is not JSON".
		te := newTransportError(err, true, c.apiKey)
		te.Host = textsafe.Sanitize(req.URL.Host, 200)
		return answer{}, te
	}
	if err != nil && !truncated {
		// The status line arrived, so Enerflo did answer; a body cut short
		// is parsed as far as it goes rather than reported as "unknown".
		raw = append(raw, []byte("…")...)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: raw, truncated: truncated, url: req.URL}, nil
}
