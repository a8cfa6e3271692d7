package notify_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/intake/notify"
)

// hostile is a title that tries HTML, a Slack broadcast, a spreadsheet
// formula and an e-mail header at once.
const hostile = "<script>alert(1)</script> <!channel> =HYPERLINK(\"x\") \r\nBcc: evil@x"

var (
	t0  = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	due = time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
)

func fixedNow() time.Time { return t0 }

// sample is a one-item message with every field set.
func sample() *notify.Message {
	return &notify.Message{
		ID:      "case-CVE-2024-3400-routed-1",
		Kind:    "case.routed",
		Time:    t0,
		To:      notify.Recipient{ID: "akhan", Name: "Aisha Khan", Email: "aisha.khan@example.com"},
		Subject: "P1 CVE-2024-3400: PAN-OS GlobalProtect command injection",
		Items: []notify.Item{{
			CaseID:     "CVE-2024-3400",
			Title:      "PAN-OS GlobalProtect command injection",
			Priority:   "P1",
			Decision:   "actionable",
			Owner:      "akhan",
			Source:     "cisa-kev",
			Group:      "cisa",
			Why:        "KEV-listed\nfirewall fw-edge-1 runs 10.2.9",
			URL:        "https://security.paloaltonetworks.com/CVE-2024-3400",
			Due:        due,
			KEV:        true,
			References: []string{"https://nvd.nist.gov/vuln/detail/CVE-2024-3400"},
		}},
	}
}

// recorded is one request a test server saw.
type recorded struct {
	method, path string
	header       http.Header
	body         []byte
}

// recorder is an httptest server that records requests and answers with
// respond.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

func newRecorder(t *testing.T, respond func(w http.ResponseWriter, r *http.Request)) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, recorded{r.Method, r.URL.Path, r.Header.Clone(), body})
		rec.mu.Unlock()
		respond(w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (r *recorder) only(t *testing.T) recorded {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.reqs) != 1 {
		t.Fatalf("server saw %d requests, want 1", len(r.reqs))
	}
	return r.reqs[0]
}

func answer(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}
