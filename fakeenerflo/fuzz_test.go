package fakeenerflo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzServeUsers feeds arbitrary bodies to POST /api/v1/users: the fake must
// never panic, and must answer 200, 400 or 413 with a JSON body.
func FuzzServeUsers(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"email":`, `{"password":"x"`,
		`{"email":"a@sunpeak-demo.com","roles":["Sales Rep"],"notify_email":true,"allow_optimus":false}`,
		`{"email":"taken@sunpeak-demo.com","roles":["sales_rep"],"notify_email":1,"allow_optimus":"no"}`,
		`{"email":"b@sunpeak-demo.com","roles":["Sales Rep"],"notify_email":false,"allow_optimus":false,"manager_id":2147483648,"manager_email":"x","office_id":"off_phx_01"}`,
		`{"email":"c@sunpeak-demo.com","roles":[null,{},"Setter"],"notify_email":false,"allow_optimus":false,"manager_id":1e99,"phone":"+999","timezone":"../etc"}`,
		`{"email":"\u0000@x.com","roles":["\ud800"],"password":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"}`,
	} {
		f.Add([]byte(seed))
	}
	s := New(Options{RateLimit: -1})
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, UsersPath, strings.NewReader(string(body)))
		req.Header.Set("api-key", DemoAPIKey)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 413:
		default:
			t.Fatalf("status %d for body %q", rec.Code, body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("status %d with a body that is not JSON: %q", rec.Code, rec.Body)
		}
		var answer map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("answer is not a JSON object: %q", rec.Body)
		}
		if _, ok := answer["password"]; ok {
			t.Fatalf("answer echoes a password: %q", rec.Body)
		}
		if rec.Code == 400 {
			if _, ok := answer["message"]; !ok {
				t.Fatalf("400 without a message: %q", rec.Body)
			}
		}
	})
}
