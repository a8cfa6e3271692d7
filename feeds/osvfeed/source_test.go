package osvfeed

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/feedtest"
)

var _ feeds.Source = (*Source)(nil)

func TestNewDefaults(t *testing.T) {
	for _, opts := range []*Options{nil, {}} {
		s := New(opts)
		if s.Name() != "osv" || s.URL() != "" || s.http == nil || s.tlp != "" {
			t.Errorf("New(%v) = %+v", opts, s)
		}
		if _, err := s.Fetch(t.Context()); err == nil || err.Error() != "osvfeed: source osv has no Ecosystem or URL" {
			t.Errorf("Fetch without URL: %v", err)
		}
	}
	s := New(&Options{Ecosystem: "Go"})
	if s.URL() != "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip" || s.tlp != feeds.TLPClear {
		t.Errorf("Ecosystem Go: URL %q TLP %q", s.URL(), s.tlp)
	}
	s = New(&Options{Ecosystem: "Go", URL: "https://mirror.example/go.zip", Name: "osv-go"})
	if s.URL() != "https://mirror.example/go.zip" || s.tlp != "" || s.Name() != "osv-go" {
		t.Errorf("URL override: %q TLP %q name %q", s.URL(), s.tlp, s.Name())
	}
	for eco, want := range map[string]string{
		"Red Hat":     "https://osv-vulnerabilities.storage.googleapis.com/Red%20Hat/all.zip",
		"AlmaLinux:9": "https://osv-vulnerabilities.storage.googleapis.com/AlmaLinux:9/all.zip",
		"crates.io":   "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip",
		"a/b?c":       "https://osv-vulnerabilities.storage.googleapis.com/a%2Fb%3Fc/all.zip",
	} {
		if got := EcosystemURL(eco); got != want {
			t.Errorf("EcosystemURL(%q) = %q, want %q", eco, got, want)
		}
	}
	c := feedhttp.New(nil)
	if New(&Options{HTTP: c}).http != c {
		t.Error("HTTP option ignored")
	}
	//lint:ignore SA4000 two calls to New, not one value compared with itself
	if New(nil).http == New(nil).http {
		t.Error("default clients are shared")
	}
}

// zipServer serves body with an ETag and records the If-None-Match
// headers it receives.
type zipServer struct {
	mu    sync.Mutex
	body  []byte
	inm   []string
	calls int
}

func (z *zipServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.calls++
	z.inm = append(z.inm, r.Header.Get("If-None-Match"))
	etag := `"v1"`
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/zip")
	w.Write(z.body)
}

func TestFetch(t *testing.T) {
	body := makeZip(t,
		zipEntry{"GO-2.json", record("GO-2", "2024-02-01T00:00:00Z")},
		zipEntry{"GO-1.json", record("GO-1", "2024-01-01T00:00:00Z")},
	)
	zs := &zipServer{body: body}
	srv := httptest.NewServer(zs)
	defer srv.Close()
	s := New(&Options{Name: "osv-go", URL: srv.URL + "/Go/all.zip", HTTP: feedhttp.New(&feedhttp.Options{HTTPClient: srv.Client()}), TLP: feeds.TLPGreen})
	advs, err := s.Fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(advs) != 2 || advs[0].ID != "GO-1" || advs[1].ID != "GO-2" {
		t.Fatalf("advisories %+v", advs)
	}
	for _, a := range advs {
		if a.Source != "osv-go" || a.TLP != feeds.TLPGreen {
			t.Errorf("%s: Source %q TLP %q", a.ID, a.Source, a.TLP)
		}
	}
	// Unchanged: the conditional GET answers 304.
	if _, err := s.Fetch(t.Context()); !errors.Is(err, feeds.ErrNotModified) {
		t.Errorf("second Fetch: %v, want ErrNotModified", err)
	}
	if zs.inm[0] != "" || zs.inm[1] != `"v1"` {
		t.Errorf("If-None-Match sent: %q", zs.inm)
	}
}

func TestFetchBrokenBodyForgetsValidators(t *testing.T) {
	zs := &zipServer{body: makeZip(t, zipEntry{"bad.json", `{"id": ""}`})}
	srv := httptest.NewServer(zs)
	defer srv.Close()
	s := New(&Options{URL: srv.URL + "/all.zip", HTTP: feedhttp.New(&feedhttp.Options{HTTPClient: srv.Client()})})
	for i := range 2 {
		_, err := s.Fetch(t.Context())
		var pe *feeds.ParseError
		if !errors.As(err, &pe) || pe.Input != srv.URL+"/all.zip/bad.json" {
			t.Fatalf("Fetch %d: %v, want a ParseError naming the member", i, err)
		}
	}
	// The second request was unconditional: the broken body is fetched again.
	if zs.inm[1] != "" {
		t.Errorf("If-None-Match after a parse error: %q", zs.inm[1])
	}
}

func TestFetchErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/html":
			w.Write([]byte("<!DOCTYPE html><html><body>Sign in</body></html>"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	client := feedhttp.New(&feedhttp.Options{HTTPClient: srv.Client()})
	_, err := New(&Options{URL: srv.URL + "/html", HTTP: client}).Fetch(t.Context())
	if !errors.Is(err, feeds.ErrNotFeed) {
		t.Errorf("HTML body: %v", err)
	}
	_, err = New(&Options{URL: srv.URL + "/missing", HTTP: client}).Fetch(t.Context())
	var he *feeds.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 404 {
		t.Errorf("404: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := New(&Options{URL: srv.URL + "/html", HTTP: client}).Fetch(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestConformance(t *testing.T) {
	body := readFile(t, "testdata/almalinux9-2025.zip")
	feedtest.Run(t, feedtest.Harness{
		New: func(baseURL string, client *http.Client) (feeds.Source, error) {
			return New(&Options{URL: baseURL + "/AlmaLinux/all.zip", HTTP: feedhttp.New(&feedhttp.Options{HTTPClient: client, Retries: -1})}), nil
		},
		Files: map[string][]byte{"/AlmaLinux/all.zip": body},
		Parse: func(r io.Reader) error {
			data, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			_, err = ParseZip(context.Background(), bytes.NewReader(data), int64(len(data)), "all.zip", nil)
			return err
		},
	})
}
