package kevfeed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

// Source must satisfy the plugin interface.
var _ feeds.Source = (*Source)(nil)

func TestNewDefaults(t *testing.T) {
	for _, opts := range []*Options{nil, {}} {
		s := New(opts)
		if s.Name() != "cisa-kev" || s.url != DefaultURL || s.maxBytes != 64<<20 || s.http == nil {
			t.Errorf("New(%v) = %+v", opts, s)
		}
	}
	if New(&Options{Name: "kev-mirror"}).Name() != "kev-mirror" {
		t.Error("Name option ignored")
	}
	// Sources do not share a default client (nor its stored validators).
	//lint:ignore SA4000 two calls to New, not one value compared with itself
	if New(nil).http == New(nil).http {
		t.Error("default clients are shared")
	}
	c := feedhttp.New(nil)
	if New(&Options{HTTP: c}).http != c {
		t.Error("HTTP option ignored")
	}
}

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchOK(t *testing.T) {
	body := readFile(t, currentFile)
	var ua, accept string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		ua, accept = r.UserAgent(), r.Header.Get("Accept")
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	s := New(&Options{URL: srv.URL + "/feeds/kev.json", HTTPClient: srv.Client(), UserAgent: "test-agent/1"})
	advs, err := s.Fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(advs) != 1404 || advs[0].ID != "CVE-2025-48384" {
		t.Errorf("%d advisories, first %q", len(advs), advs[0].ID)
	}
	for _, a := range advs {
		if a.Source != "cisa-kev" {
			t.Fatalf("%s: Source %q, want the source name", a.ID, a.Source)
		}
	}
	if ua != "test-agent/1" || accept != "application/json" {
		t.Errorf("User-Agent %q, Accept %q", ua, accept)
	}
	cat, err := s.FetchCatalog(context.Background())
	if err != nil || cat.Version != "2025.08.25" {
		t.Errorf("FetchCatalog: %v, version %q", err, cat.Version)
	}
}

type countingTransport struct {
	n    atomic.Int32
	base http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

func TestFetchUsesHTTPClient(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, minimal) })
	ct := &countingTransport{base: srv.Client().Transport}
	s := New(&Options{URL: srv.URL, HTTPClient: &http.Client{Transport: ct}})
	for range 2 {
		if _, err := s.Fetch(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := ct.n.Load(); got != 2 {
		t.Errorf("custom transport used %d times, want 2", got)
	}
}

func TestFetchErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		opts    Options
		check   func(t *testing.T, err error, url string)
	}{
		{
			name: "not_found",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.NotFound(w, r)
			},
			check: func(t *testing.T, err error, url string) {
				var he *feeds.HTTPError
				if !errors.As(err, &he) || he.StatusCode != 404 || he.URL != url {
					t.Fatalf("err = %v, want *feeds.HTTPError 404 for %s", err, url)
				}
				if !strings.HasPrefix(err.Error(), "kevfeed: ") {
					t.Errorf("Error() = %q, want kevfeed prefix", err)
				}
			},
		},
		{
			name: "rate_limited",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "300")
				http.Error(w, "slow down", http.StatusTooManyRequests)
			},
			check: func(t *testing.T, err error, _ string) {
				var he *feeds.HTTPError
				if !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter != 5*time.Minute {
					t.Fatalf("err = %#v, want 429 with RetryAfter 5m", err)
				}
			},
		},
		{
			name: "html_served_as_200",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json") // lies
				fmt.Fprint(w, "\n<!DOCTYPE html>\n<html><body>Maintenance</body></html>")
			},
			check: func(t *testing.T, err error, url string) {
				var pe *feeds.ParseError
				if !errors.Is(err, feeds.ErrNotFeed) || !errors.As(err, &pe) || pe.Input != url || pe.Line != 2 {
					t.Fatalf("err = %v, want ParseError at %s:2 wrapping ErrNotFeed", err, url)
				}
			},
		},
		{
			name: "truncated_body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, minimal[:200])
			},
			check: func(t *testing.T, err error, url string) {
				var pe *feeds.ParseError
				if !errors.As(err, &pe) || pe.Input != url || pe.Line == 0 {
					t.Fatalf("err = %v, want positioned ParseError naming %s", err, url)
				}
			},
		},
		{
			name: "body_over_max_bytes",
			handler: func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, minimal)
			},
			opts: Options{MaxBytes: 100},
			check: func(t *testing.T, err error, _ string) {
				if !errors.Is(err, feeds.ErrTooLarge) {
					t.Fatalf("err = %v, want ErrTooLarge", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.handler)
			opts := tt.opts
			opts.URL = srv.URL + "/kev.json"
			opts.HTTPClient = srv.Client()
			advs, err := New(&opts).Fetch(context.Background())
			if err == nil {
				t.Fatalf("Fetch succeeded with %d advisories", len(advs))
			}
			if advs != nil {
				t.Errorf("Fetch returned %d advisories with the error", len(advs))
			}
			tt.check(t, err, opts.URL)
		})
	}
}

// TestFetchNotModified checks the conditional GET round trip, and that a
// body that fails to parse is fetched in full the next time rather than
// answered with 304 forever.
func TestFetchNotModified(t *testing.T) {
	var broken atomic.Bool
	var conditional atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"2025.08.25"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"2025.08.25"`)
		if broken.Load() {
			fmt.Fprint(w, minimal[:100])
			return
		}
		fmt.Fprint(w, minimal)
	})
	s := New(&Options{URL: srv.URL + "/kev.json", HTTPClient: srv.Client(), Name: "kev-mirror"})
	ctx := context.Background()
	advs, err := s.Fetch(ctx)
	if err != nil || len(advs) == 0 || advs[0].Source != "kev-mirror" {
		t.Fatalf("first Fetch: %v (%d advisories)", err, len(advs))
	}
	if _, err := s.Fetch(ctx); !errors.Is(err, feeds.ErrNotModified) || !strings.HasPrefix(err.Error(), "kevfeed: ") {
		t.Fatalf("second Fetch: err = %v, want kevfeed: … ErrNotModified", err)
	}

	broken.Store(true)
	s2 := New(&Options{URL: srv.URL + "/kev.json", HTTPClient: srv.Client()})
	if _, err := s2.Fetch(ctx); err == nil {
		t.Fatal("truncated body parsed")
	}
	broken.Store(false)
	if _, err := s2.Fetch(ctx); err != nil {
		t.Fatalf("Fetch after a parse failure: %v (validators should have been forgotten)", err)
	}
	if conditional.Load() != 1 {
		t.Errorf("%d conditional requests, want 1", conditional.Load())
	}
}

func TestFetchContextCancelled(t *testing.T) {
	release := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	s := New(&Options{URL: srv.URL, HTTPClient: srv.Client()})

	t.Run("before_request", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.Fetch(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("during_request", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, err := s.Fetch(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("snapshot_source", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := SnapshotSource().Fetch(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
}
