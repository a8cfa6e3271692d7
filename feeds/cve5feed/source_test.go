package cve5feed

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/feedtest"
)

var sourceIDs = []string{"CVE-2024-21762", "CVE-2024-3400", "CVE-2023-20198"}

func recordBodies(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, id := range sourceIDs {
		b, err := os.ReadFile(vk(id))
		if err != nil {
			t.Fatal(err)
		}
		files["/api/cve/"+id] = b
	}
	return files
}

func TestConformance(t *testing.T) {
	feedtest.Run(t, feedtest.Harness{
		New: func(base string, client *http.Client) (feeds.Source, error) {
			return New(&Options{
				IDs:         sourceIDs,
				URLTemplate: base + "/api/cve/{id}",
				HTTP:        feedhttp.New(&feedhttp.Options{HTTPClient: client, Retries: -1}),
			}), nil
		},
		Files: recordBodies(t),
		Parse: func(r io.Reader) error {
			_, err := Parse(r, "conformance.json")
			return err
		},
		Timeout: 10 * time.Second,
	})
}

// server serves records by path with ETags, counting requests.
type server struct {
	mu     sync.Mutex
	files  map[string][]byte
	hits   map[string]int
	cond   map[string]int // requests that carried If-None-Match
	srv    *httptest.Server
	client *feedhttp.Client
}

func newServer(t *testing.T, files map[string][]byte) *server {
	s := &server{files: files, hits: map[string]int{}, cond: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		body, ok := s.files[r.URL.Path]
		s.hits[r.URL.Path]++
		if r.Header.Get("If-None-Match") != "" {
			s.cond[r.URL.Path]++
		}
		s.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":"CVE_RECORD_DNE","message":"The cve record for the cve id does not exist."}`)
			return
		}
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256(body))
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(s.srv.Close)
	s.client = feedhttp.New(&feedhttp.Options{Retries: -1})
	return s
}

func (s *server) set(path string, body []byte) {
	s.mu.Lock()
	s.files[path] = body
	s.mu.Unlock()
}

func (s *server) source(ids ...string) *Source {
	return New(&Options{Name: "cve-watch", IDs: ids, URLTemplate: s.srv.URL + "/api/cve/{id}", HTTP: s.client, Concurrency: 2})
}

func TestFetch(t *testing.T) {
	s := newServer(t, recordBodies(t))
	src := s.source(" cve-2023-20198", "CVE-2024-21762", "CVE-2023-20198", "CVE-2024-3400")
	advs, err := src.Fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range advs {
		got = append(got, a.ID)
		if a.Source != "cve-watch" {
			t.Errorf("%s: Source %q", a.ID, a.Source)
		}
	}
	// Options order, trimmed, upper-cased, duplicates once.
	if want := "CVE-2023-20198 CVE-2024-21762 CVE-2024-3400"; strings.Join(got, " ") != want {
		t.Errorf("IDs %v, want %s", got, want)
	}

	// Second Fetch: everything answers 304.
	_, err = src.Fetch(context.Background())
	if !errors.Is(err, feeds.ErrNotModified) {
		t.Fatalf("second Fetch: %v, want ErrNotModified", err)
	}

	// One record changes: the others answer 304 and are served from the
	// last bodies, so the result is complete.
	b, _ := os.ReadFile(vk("CVE-2024-3400"))
	s.set("/api/cve/CVE-2024-3400", []byte(strings.Replace(string(b), "PAN-OS: Arbitrary", "PAN-OS (rev 2): Arbitrary", 1)))
	advs, err = src.Fetch(context.Background())
	if err != nil || len(advs) != 3 {
		t.Fatalf("third Fetch: %d advisories, %v", len(advs), err)
	}
	if !strings.HasPrefix(advs[2].Title, "PAN-OS (rev 2)") || advs[0].ID != "CVE-2023-20198" || len(advs[0].Affected[0].Versions) != 186 {
		t.Errorf("third Fetch: %q, %s", advs[2].Title, advs[0].ID)
	}
	if s.cond["/api/cve/CVE-2024-21762"] != 2 {
		t.Errorf("conditional requests %v", s.cond)
	}
}

func TestFetchErrors(t *testing.T) {
	s := newServer(t, recordBodies(t))
	t.Run("not_found", func(t *testing.T) {
		_, err := s.source("CVE-2024-21762", "CVE-2099-0001").Fetch(context.Background())
		var he *feeds.HTTPError
		if !errors.Is(err, ErrNotFound) || !errors.As(err, &he) || he.StatusCode != 404 || !strings.Contains(err.Error(), "CVE-2099-0001") {
			t.Errorf("%v", err)
		}
	})
	t.Run("ignore_not_found", func(t *testing.T) {
		src := New(&Options{IDs: []string{"CVE-2099-0001", "CVE-2024-21762"}, URLTemplate: s.srv.URL + "/api/cve/{id}", HTTP: feedhttp.New(&feedhttp.Options{Retries: -1}), IgnoreNotFound: true})
		advs, err := src.Fetch(context.Background())
		if err != nil || len(advs) != 1 || advs[0].ID != "CVE-2024-21762" || advs[0].Source != DefaultName {
			t.Errorf("%v, %v", advs, err)
		}
	})
	t.Run("invalid_id", func(t *testing.T) {
		_, err := s.source("CVE-2024-21762", "not-a-cve").Fetch(context.Background())
		if err == nil || !strings.Contains(err.Error(), `invalid CVE ID "NOT-A-CVE"`) {
			t.Errorf("%v", err)
		}
	})
	t.Run("template_without_placeholder", func(t *testing.T) {
		_, err := New(&Options{IDs: []string{"CVE-2024-21762"}, URLTemplate: s.srv.URL + "/api/cve/"}).Fetch(context.Background())
		if err == nil || !strings.Contains(err.Error(), "{id}") {
			t.Errorf("%v", err)
		}
	})
	t.Run("wrong_record", func(t *testing.T) {
		b, _ := os.ReadFile(vk("CVE-2024-3400"))
		s.set("/api/cve/CVE-2024-1709", b)
		_, err := s.source("CVE-2024-1709").Fetch(context.Background())
		if err == nil || !strings.Contains(err.Error(), "got the record of CVE-2024-3400") {
			t.Errorf("%v", err)
		}
	})
	t.Run("broken_body_forgets_validators", func(t *testing.T) {
		path := "/api/cve/CVE-2024-1086"
		s.set(path, []byte(`{"dataType":"CVE_RECORD","cveMetadata":`))
		src := s.source("CVE-2024-1086")
		for i := range 2 {
			_, err := src.Fetch(context.Background())
			var pe *feeds.ParseError
			if !errors.As(err, &pe) || !strings.HasSuffix(pe.Input, path) {
				t.Errorf("Fetch %d: %v", i, err)
			}
		}
		if s.cond[path] != 0 {
			t.Errorf("%d conditional requests after a parse failure, want 0", s.cond[path])
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.source("CVE-2024-21762").Fetch(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Fetch: %v", err)
		}
		if _, err := s.source().Lookup(ctx, "CVE-2024-21762"); !errors.Is(err, context.Canceled) {
			t.Errorf("Lookup: %v", err)
		}
	})
}

func TestLookup(t *testing.T) {
	s := newServer(t, recordBodies(t))
	src := s.source()
	for i := range 2 { // the second answer is a 304, served from the cache
		a, err := src.Lookup(context.Background(), "CVE-2024-3400")
		if err != nil {
			t.Fatalf("Lookup %d: %v", i, err)
		}
		if a.ID != "CVE-2024-3400" || a.Source != "cve-watch" || !a.KEVListed() || len(a.Affected) != 7 {
			t.Errorf("Lookup %d: %s %s KEV %v, %d Affected", i, a.ID, a.Source, a.KEVListed(), len(a.Affected))
		}
	}
	if s.cond["/api/cve/CVE-2024-3400"] != 1 {
		t.Errorf("conditional requests: %v", s.cond)
	}
	rec, err := src.LookupRecord(context.Background(), "CVE-2024-24919")
	if err == nil {
		t.Errorf("unknown record served: %+v", rec)
	}
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("%v does not wrap ErrNotFound", err)
	}
	// A shared client already holds validators the Source has no body for:
	// the 304 is retried unconditionally.
	other := New(&Options{URLTemplate: s.srv.URL + "/api/cve/{id}", HTTP: s.client})
	if a, err := other.Lookup(context.Background(), "CVE-2024-3400"); err != nil || a.ID != "CVE-2024-3400" {
		t.Errorf("fresh Source on a shared client: %v", err)
	}
}

func TestNew(t *testing.T) {
	s := New(nil)
	if s.Name() != DefaultName || s.template != DefaultURLTemplate || s.concurrency != DefaultConcurrency || s.http == nil {
		t.Errorf("defaults: %+v", s)
	}
	advs, err := s.Fetch(context.Background())
	if err != nil || len(advs) != 0 {
		t.Errorf("Fetch without IDs: %v, %v", advs, err)
	}
	u, err := s.recordURL("CVE-2024-3400")
	if err != nil || u != "https://cveawg.mitre.org/api/cve/CVE-2024-3400" {
		t.Errorf("recordURL: %q, %v", u, err)
	}
}
