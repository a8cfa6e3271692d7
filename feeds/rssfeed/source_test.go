package rssfeed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

// Source must satisfy the plugin interface.
var _ feeds.Source = (*Source)(nil)

func serve(t *testing.T, h http.HandlerFunc) (*httptest.Server, *feedhttp.Client) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, feedhttp.New(&feedhttp.Options{HTTPClient: srv.Client(), Retries: -1})
}

func TestNewDefaults(t *testing.T) {
	s := New(nil)
	if s.Name() != DefaultName || s.URL() != "" || s.http == nil {
		t.Errorf("New(nil) = %+v", s)
	}
	if _, err := s.Fetch(context.Background()); err == nil || !strings.Contains(err.Error(), "no feed URL") {
		t.Errorf("Fetch without URL: %v", err)
	}
	p, _ := LookupPreset("msrc")
	s = New(&Options{Preset: &p})
	if s.Name() != "msrc" || s.URL() != "https://api.msrc.microsoft.com/update-guide/rss" {
		t.Errorf("preset source: %q %q", s.Name(), s.URL())
	}
	s = New(&Options{Preset: &p, Name: "msrc-mirror", URL: "https://mirror.example/msrc.xml"})
	if s.Name() != "msrc-mirror" || s.URL() != "https://mirror.example/msrc.xml" {
		t.Errorf("overrides: %q %q", s.Name(), s.URL())
	}
	//lint:ignore SA4000 two calls to New, not one value compared with itself
	if New(nil).http == New(nil).http {
		t.Error("default HTTP clients are shared")
	}
	if _, err := FromPreset("ncsc-alerts", nil); err == nil || !strings.Contains(err.Error(), `unknown preset "ncsc-alerts" (known: amazon-al2, `) {
		t.Errorf("unknown preset: %v", err)
	}
}

func TestFetchPreset(t *testing.T) {
	body := readFile(t, "testdata/synthetic/ncsc-all.xml")
	var accept atomic.Value
	srv, client := serve(t, func(w http.ResponseWriter, r *http.Request) {
		accept.Store(r.Header.Get("Accept"))
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(body)
	})
	src, err := FromPreset("ncsc-all", &Options{URL: srv.URL + "/all-rss-feed.xml", HTTP: client})
	if err != nil {
		t.Fatal(err)
	}
	advs, err := src.Fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(advs) != 4 {
		t.Fatalf("%d advisories, want 4", len(advs))
	}
	for _, a := range advs {
		if a.Source != "ncsc-all" || a.Publisher != ncscPublisher || a.Extra[ExtraFeed] != srv.URL+"/all-rss-feed.xml" {
			t.Errorf("%s: source %q publisher %q feed %q", a.ID, a.Source, a.Publisher, a.Extra[ExtraFeed])
		}
	}
	if got := accept.Load(); got != Accept {
		t.Errorf("Accept %q, want %q", got, Accept)
	}
	// A Name option renames the source and its advisories.
	src, _ = FromPreset("ncsc-all", &Options{Name: "uk-ncsc", URL: srv.URL, HTTP: client})
	f, err := src.FetchFeed(context.Background())
	if err != nil || f.Advisories[0].Source != "uk-ncsc" || len(f.Warnings) != 1 {
		t.Errorf("FetchFeed: %v, source %q, warnings %q", err, f.Advisories[0].Source, f.Warnings)
	}
}

func TestFetchPublisherVendorOverride(t *testing.T) {
	srv, client := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write(readFile(t, "testdata/synthetic/fortinet-psirt.xml"))
	})
	src, _ := FromPreset("fortinet-psirt", &Options{URL: srv.URL, HTTP: client, Publisher: "Mirror Inc"})
	advs, err := src.Fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if advs[0].Publisher != "Mirror Inc" || advs[0].Affected[0].Vendor != "Fortinet" {
		t.Errorf("publisher %q affected %+v", advs[0].Publisher, advs[0].Affected)
	}
}

func TestFetchConditionalAndForget(t *testing.T) {
	var (
		mu       sync.Mutex
		body     = minimalRSS
		inm      []string
		requests int
	)
	srv, client := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		requests++
		inm = append(inm, r.Header.Get("If-None-Match"))
		if r.Header.Get("If-None-Match") == `"v1"` && body == minimalRSS {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, body)
	})
	src := New(&Options{URL: srv.URL, HTTP: client})
	ctx := context.Background()

	if _, err := src.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	// Unchanged: 304 passes through as feeds.ErrNotModified.
	if _, err := src.Fetch(ctx); !errors.Is(err, feeds.ErrNotModified) {
		t.Fatalf("second fetch: %v, want ErrNotModified", err)
	}
	// The server now sends an HTML error page (with the same ETag): the
	// parse fails, and the Source makes the client forget the validators.
	mu.Lock()
	body = "<!DOCTYPE html><html><body>maintenance</body></html>"
	mu.Unlock()
	_, err := src.Fetch(ctx)
	if !errors.Is(err, feeds.ErrNotFeed) {
		t.Fatalf("HTML body: %v, want ErrNotFeed", err)
	}
	wantParseError(t, err, srv.URL, 1, 1, "HTML page")
	if _, err := src.Fetch(ctx); !errors.Is(err, feeds.ErrNotFeed) {
		t.Fatalf("fourth fetch: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"", `"v1"`, `"v1"`, ""}
	if requests != 4 || !equalStrings(inm, want) {
		t.Errorf("If-None-Match per request %q, want %q", inm, want)
	}
}

func TestFetchErrors(t *testing.T) {
	t.Run("not_found", func(t *testing.T) {
		srv, client := serve(t, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
		_, err := New(&Options{URL: srv.URL + "/alerts-rss-feed.xml", HTTP: client}).Fetch(context.Background())
		var he *feeds.HTTPError
		if !errors.As(err, &he) || he.StatusCode != 404 || !strings.HasPrefix(err.Error(), "rssfeed: ") {
			t.Fatalf("err = %v, want *feeds.HTTPError 404 prefixed rssfeed", err)
		}
	})
	t.Run("bad_rule", func(t *testing.T) {
		srv, client := serve(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, minimalRSS) })
		_, err := New(&Options{URL: srv.URL, HTTP: client, Rules: []ItemRule{{Name: "bad", IDPattern: "("}}}).Fetch(context.Background())
		if err == nil || !strings.Contains(err.Error(), `item rule "bad"`) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("max_items_negative_means_default", func(t *testing.T) {
		srv, client := serve(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, minimalRSS) })
		_, err := New(&Options{URL: srv.URL, HTTP: client, MaxItems: -1}).Fetch(context.Background())
		if err != nil {
			t.Fatalf("MaxItems -1 means the default: %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		var hits atomic.Int32
		srv, client := serve(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1); fmt.Fprint(w, minimalRSS) })
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := New(&Options{URL: srv.URL, HTTP: client}).Fetch(ctx)
		if !errors.Is(err, context.Canceled) || hits.Load() != 0 {
			t.Fatalf("err = %v after %d requests, want context.Canceled and none", err, hits.Load())
		}
	})
}

func TestFetchConcurrent(t *testing.T) {
	srv, client := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write(readFile(t, "testdata/npm.rss"))
	})
	src, _ := FromPreset("ghsa-azu-npm", &Options{URL: srv.URL, HTTP: client})
	var wg sync.WaitGroup
	errs := make([]error, 8)
	counts := make([]int, 8)
	for i := range errs {
		wg.Go(func() {
			advs, err := src.Fetch(context.Background())
			errs[i], counts[i] = err, len(advs)
		})
	}
	wg.Wait()
	for i := range errs {
		// Some fetches may be answered 304 (the client is shared).
		if errs[i] != nil && !errors.Is(errs[i], feeds.ErrNotModified) {
			t.Errorf("fetch %d: %v", i, errs[i])
		}
		if errs[i] == nil && counts[i] != 11 {
			t.Errorf("fetch %d: %d advisories", i, counts[i])
		}
	}
}
