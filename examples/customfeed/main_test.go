package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/feedtest"
)

func readFeed(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	entries, err := os.ReadDir("testdata/feed")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile("testdata/feed/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		files["/misp/"+e.Name()] = b
	}
	return files
}

func TestConformance(t *testing.T) {
	feedtest.Run(t, feedtest.Harness{
		New: func(base string, c *http.Client) (feeds.Source, error) {
			return NewSource("example-isac", base+"/misp", feedhttp.New(&feedhttp.Options{HTTPClient: c})), nil
		},
		Files: readFeed(t),
		Parse: func(r io.Reader) error {
			b, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			_, err = parseEvent(b, "event.json")
			return err
		},
	})
}

// TestMapping checks the mapping against the bundled events, read by hand.
func TestMapping(t *testing.T) {
	files := readFeed(t)
	a, err := parseEvent(files["/misp/5f0c3a1e-7b2d-4c1a-9e3f-2a6b8d4c1e01.json"], "5f0c.json")
	if err != nil {
		t.Fatal(err)
	}
	want := feeds.Advisory{
		ID:         "MISP-5f0c3a1e-7b2d-4c1a-9e3f-2a6b8d4c1e01",
		Related:    []string{"CVE-2024-21762"},
		Publisher:  "Example Finance ISAC",
		Title:      "Exploitation of FortiOS SSL-VPN out-of-bounds write observed at two members",
		Summary:    "Affected: FortiOS 7.2.0 to 7.2.6 and 7.4.0 to 7.4.2",
		Published:  time.Date(2024, 2, 9, 0, 0, 0, 0, time.UTC),
		Modified:   time.Date(2024, 2, 9, 16, 0, 0, 0, time.UTC), // 1707494400
		Severity:   feeds.SeverityHigh,
		References: []feeds.Reference{{Type: "WEB", URL: "https://www.fortiguard.com/psirt/FG-IR-24-015"}},
		Tags:       []string{"tlp:amber", "sector:finance"},
		TLP:        feeds.TLPAmber,
	}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("mapping (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"truncated", `{"Event": {"uuid": "5f0c3a1e-7b2d-4c1a-9e3f-2a6b8d4c1e01"`, "ev.json: unexpected EOF"},
		{"no event", `{"Events": []}`, "ev.json: feeds: not a feed: no Event with a UUID"},
		{"bad date", `{"Event": {"uuid": "5f0c3a1e-7b2d-4c1a-9e3f-2a6b8d4c1e01", "date": "09/02/2024"}}`, `Event.date: invalid date "09/02/2024"`},
		{"bad timestamp", `{"Event": {"uuid": "5f0c3a1e-7b2d-4c1a-9e3f-2a6b8d4c1e01", "timestamp": "soon"}}`, `invalid Unix time "soon"`},
		{"trailing data", `{"Event": {"uuid": "5f0c3a1e-7b2d-4c1a-9e3f-2a6b8d4c1e01"}} {}`, "data after the JSON value"},
		{"wrong type", `{"Event": {"uuid": "5f0c3a1e-7b2d-4c1a-9e3f-2a6b8d4c1e01", "Attribute": "x"}}`, "cannot unmarshal string"},
	} {
		_, err := parseEvent([]byte(tt.in), "ev.json")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, _, err := parseManifest([]byte(`{"not-a-uuid": {}}`), "manifest.json"); err == nil || !strings.Contains(err.Error(), `key "not-a-uuid" is not an event UUID`) {
		t.Errorf("manifest: err = %v", err)
	}
}

// TestUnchangedEventsAreNotDownloaded checks the per-event cache: a second
// Fetch after the manifest changed downloads only events whose timestamp
// moved.
func TestUnchangedEventsAreNotDownloaded(t *testing.T) {
	files := readFeed(t)
	var eventHits atomic.Int32
	var manifest atomic.Value
	manifest.Store(files["/misp/manifest.json"])
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/misp/manifest.json" {
			w.Write(manifest.Load().([]byte))
			return
		}
		eventHits.Add(1)
		w.Write(files[r.URL.Path])
	}))
	defer srv.Close()
	src := NewSource("isac", srv.URL+"/misp", feedhttp.New(&feedhttp.Options{HTTPClient: srv.Client()}))
	first, err := src.Fetch(context.Background())
	if err != nil || len(first) != 2 || eventHits.Load() != 2 {
		t.Fatalf("first Fetch: %v, %d advisories, %d event downloads", err, len(first), eventHits.Load())
	}
	manifest.Store(bytes.Replace(files["/misp/manifest.json"], []byte(`"1709290800"`), []byte(`"1709290801"`), 1))
	second, err := src.Fetch(context.Background())
	if err != nil || eventHits.Load() != 3 {
		t.Fatalf("second Fetch: %v, %d event downloads in total, want 3", err, eventHits.Load())
	}
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("second Fetch differs (-first +second):\n%s", diff)
	}
}

func TestRunBundled(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		"MISP-5f0c3a1e-7b2d-4c1a-9e3f-2a6b8d4c1e01  2024-02-09  high    AMBER  Exploitation of FortiOS",
		"    CVEs: CVE-2024-21762",
		"MISP-9b1e4d2f-3c5a-4e6b-8a7c-1d2e3f4a5b02  2024-03-01  low     GREEN  Phishing campaign",
		"2 advisories from example-isac (3 requests, ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestRunErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-url", srv.URL}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "HTTP 404") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
	if code := run(context.Background(), []string{"extra"}, &out, &errOut); code != 2 {
		t.Errorf("extra argument: exit %d", code)
	}
}
