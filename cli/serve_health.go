package cli

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"time"

	"charm.land/log/v2"

	"enerflo-onboard/sshserver"
	"enerflo-onboard/wire"
)

// healthPath is where the health check answers.
const healthPath = "/healthz"

// healthReport is the health check's answer. It holds counts and states,
// never a name, a key or an address: it may be read by a load balancer.
type healthReport struct {
	// Status is "ok" (200), or why not (503): "stopping", "key_refused"
	// (Enerflo refuses the org's key: every create fails) or
	// "no_authorized_keys" (nobody can log in) or
	// "authorized_keys_refused" (other users could change it, so it is not
	// read: the keys read before are in use until it is fixed).
	Status  string `json:"status"`
	Version string `json:"version"`
	Demo    bool   `json:"demo,omitempty"`
	// APIKey is what Enerflo last said of the key: accepted, unchecked,
	// refused (or demo).
	APIKey string `json:"api_key"`
	sshserver.Stats
	UptimeSeconds int64 `json:"uptime_seconds"`
}

// healthOf is the report for the server's state now.
func healthOf(st sshserver.Stats, keyState string, demo bool, since time.Time) (healthReport, int) {
	r := healthReport{Status: "ok", Version: wire.Version, Demo: demo, APIKey: keyState, Stats: st, UptimeSeconds: int64(time.Since(since).Seconds())}
	switch {
	case st.Stopping:
		r.Status = "stopping"
	case keyState == keyRefusedAt:
		r.Status = "key_refused"
	case st.AuthorizedKeys == 0:
		r.Status = "no_authorized_keys"
	case st.AuthorizedKeysRefused:
		r.Status = "authorized_keys_refused"
	}
	if r.Status != "ok" {
		return r, http.StatusServiceUnavailable
	}
	return r, http.StatusOK
}

// healthHandler answers GET /healthz with the report as JSON.
func healthHandler(report func() (healthReport, int)) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+healthPath, func(w http.ResponseWriter, _ *http.Request) {
		r, status := report()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(r)
	})
	return mux
}

// serveHealth answers the health check on ln until ctx ends.
func serveHealth(ctx context.Context, ln net.Listener, h http.Handler, logger *log.Logger) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Error("the health check stopped", "err", err)
	}
}
