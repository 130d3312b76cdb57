package cli

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"enerflo-onboard/domain"
	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/importer"
)

// TestImportTenThousand sends 10,000 rows to the fake with its limit off
// (the pacing's clock injected, so 300 a minute takes no time) and checks
// every row is created once and the heap stays bounded. It takes about
// half a minute under -race, so it runs only with ENERFLO_IMPORT_10K=1.
func TestImportTenThousand(t *testing.T) {
	if os.Getenv("ENERFLO_IMPORT_10K") == "" {
		t.Skip("set ENERFLO_IMPORT_10K=1 to import 10,000 rows")
	}
	clock := &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	s, o, out, errw := importFake(t, fakeenerflo.Options{RateLimit: -1})
	o.File, o.Now, o.Sleep, o.Output = teamCSV(t, 10000), clock.Now, clock.Sleep, "json"

	var peak uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	start := time.Now()
	err := runImport(context.Background(), o)
	close(done)
	if err != nil {
		t.Fatalf("exit %d (%v); stderr %s", exitCode(err), err, errw)
	}
	if n := len(s.Created()); n != 10000 {
		t.Fatalf("created %d, want 10000", n)
	}
	if !strings.Contains(out.String(), `"summary":{"created":10000}`) {
		t.Errorf("summary: %s", out.String()[max(0, out.Len()-300):])
	}
	t.Logf("10,000 rows in %s; peak heap in use %.1f MiB (the fake's 10,000 users and its request log included)", time.Since(start).Round(time.Millisecond), float64(peak)/(1<<20))
	if peak > 200<<20 {
		t.Errorf("peak heap %d MiB, want under 200", peak>>20)
	}
}

// BenchmarkImportValidation is the check before anything is sent: read a
// CSV file of 10,000 rows and validate every row with the org's rules.
func BenchmarkImportValidation(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("first_name,last_name,email,phone,roles,timezone,notify_email,allow_optimus\n")
	for i := range 10000 {
		fmt.Fprintf(&sb, "Rep,Number%d,rep%d@company.com,+1602555%04d,Setter;Sales Rep,America/Phoenix,yes,no\n", i, i, i%10000)
	}
	data := []byte(sb.String())
	org := fakeenerflo.New(fakeenerflo.Options{})
	rules := domain.Rules{Offices: org.OrgOffices()}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rows, _, err := readImport(data, "")
		if err != nil {
			b.Fatal(err)
		}
		checkRows(rows, rules, false)
		if rows[9999].Status != importer.RowPending {
			b.Fatalf("row: %+v", rows[9999])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/row")
}
