package csaffeed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/feedtest"
)

// distServer serves files from memory on loopback and counts requests.
type distServer struct {
	mu    sync.Mutex
	files map[string][]byte
	hits  map[string]int
	etag  bool // send ETags and answer If-None-Match with 304
	srv   *httptest.Server
}

func newDistServer(t *testing.T, etag bool) *distServer {
	s := &distServer{files: map[string][]byte{}, hits: map[string]int{}, etag: etag}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		body, ok := s.files[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		if s.etag {
			sum := sha256.Sum256(body)
			tag := `"` + hex.EncodeToString(sum[:8]) + `"`
			w.Header().Set("ETag", tag)
			if r.Header.Get("If-None-Match") == tag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Write(body)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *distServer) set(path string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = body
}

func (s *distServer) del(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.files, path)
}

func (s *distServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// docHits counts requests for CSAF documents (not hash files or listings).
func (s *distServer) docHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for p, c := range s.hits {
		if strings.HasSuffix(p, ".json") && strings.Contains(p, "/2024/") {
			n += c
		}
	}
	return n
}

const cisaITBase = "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/IT/white/"

// providerTree serves a provider: provider-metadata.json naming a WHITE
// feed (CISA's real IT feed, links rewritten to the test server, the "ref"
// mistake kept) and an AMBER feed, plus the four IT documents and their
// .sha512 files, unmodified.
func providerTree(t *testing.T, etag bool) *distServer {
	s := newDistServer(t, etag)
	pm := fmt.Sprintf(`{
  "canonical_url": "%[1]s/.well-known/csaf/provider-metadata.json",
  "distributions": [{"rolie": {"feeds": [
    {"summary": "WHITE", "tlp_label": "WHITE", "url": "%[1]s/csaf/white/feed-tlp-white.json"},
    {"summary": "AMBER", "tlp_label": "AMBER", "url": "/csaf/amber/feed-tlp-amber.json"}]}}],
  "last_updated": "2024-10-10T18:21:27Z",
  "list_on_CSAF_aggregators": true, "mirror_on_CSAF_aggregators": true,
  "metadata_version": "2.0", "publisher": {"category": "coordinator", "name": "Test CERT", "namespace": "https://cert.example"},
  "role": "csaf_trusted_provider"
}`, s.srv.URL)
	s.set("/.well-known/csaf/provider-metadata.json", []byte(pm))
	feed := strings.ReplaceAll(string(distRead(t, "cisa/IT/cisa-csaf-it-feed-tlp-white.json")), cisaITBase, s.srv.URL+"/csaf/white/")
	s.set("/csaf/white/feed-tlp-white.json", []byte(feed))
	s.set("/csaf/amber/feed-tlp-amber.json", []byte(`{"feed": {"id": "amber", "entry": []}}`))
	for _, f := range distITDocs {
		s.set("/csaf/white/2024/"+f, distRead(t, "cisa/IT/2024/"+f))
		s.set("/csaf/white/2024/"+f+".sha512", distRead(t, "cisa/IT/2024/"+f+".sha512"))
	}
	return s
}

// directoryTree serves CISA's real IT changes.csv and index.txt
// (unmodified, with their csaf_files/IT/white/ prefix) in the folder
// /csaf_files/IT/white/, with the documents below it.
func directoryTree(t *testing.T) *distServer {
	s := newDistServer(t, false)
	s.set("/csaf_files/IT/white/changes.csv", distRead(t, "cisa/IT/changes.csv"))
	s.set("/csaf_files/IT/white/index.txt", distRead(t, "cisa/IT/index.txt"))
	for _, f := range distITDocs {
		s.set("/csaf_files/IT/white/2024/"+f, distRead(t, "cisa/IT/2024/"+f))
		s.set("/csaf_files/IT/white/2024/"+f+".sha512", distRead(t, "cisa/IT/2024/"+f+".sha512"))
	}
	return s
}

// distWantIDs are the advisory IDs of the four IT documents in Fetch
// order. Derived with python3 over the documents: document order by the
// feed's / changes.csv's update time, newest first (254-02 2024-10-03,
// 262-01 09-18T16:56, 201-01 09-18T16:00, 254-01 09-10), then each
// document's vulnerabilities[].cve in file order, prefixed with its
// tracking ID (the ID Parse gives).
var distWantIDs = []string{
	"VA-24-254-02/CVE-2024-45744", "VA-24-254-02/CVE-2024-45745",
	"VA-24-262-01/CVE-2024-43201",
	"VA-24-201-01/CVE-2023-45195", "VA-24-201-01/CVE-2023-45196", "VA-24-201-01/CVE-2023-45197",
	"VA-24-254-01/CVE-2024-45075", "VA-24-254-01/CVE-2024-45076", "VA-24-254-01/CVE-2024-45074",
}

func distIDs(advs []feeds.Advisory) []string {
	var ids []string
	for _, a := range advs {
		ids = append(ids, a.ID)
	}
	return ids
}

func distClient() *feedhttp.Client {
	return feedhttp.New(&feedhttp.Options{Retries: -1})
}

func TestSourceProviderMetadata(t *testing.T) {
	srv := providerTree(t, false)
	src := New(&Options{URL: srv.srv.URL + "/.well-known/csaf/provider-metadata.json", HTTP: distClient(), VerifyHashes: true})
	if src.Name() != DefaultName {
		t.Errorf("Name() = %q", src.Name())
	}
	rep, err := src.FetchWithReport(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(distWantIDs, distIDs(rep.Advisories)); d != "" {
		t.Errorf("advisory IDs (-want +got):\n%s", d)
	}
	for _, a := range rep.Advisories {
		doc := srv.srv.URL + "/csaf/white/2024/" + strings.ToLower(strings.SplitN(a.ID, "/", 2)[0]) + ".json"
		if a.Source != "csaf" || a.Extra[ExtraDocumentURL] != doc || a.Extra[ExtraHashVerified] != "sha512" || len(a.Extra[ExtraDocumentSHA512]) != 128 {
			t.Errorf("%s: Source %q, Extra %v", a.ID, a.Source, a.Extra)
		}
	}
	// The first document's digest is the first line of its .sha512 file.
	if got, want := rep.Advisories[0].Extra[ExtraDocumentSHA512], "aadc4284dc8ece59746b4a139dbbb6583ead0077fdcbe67a050e02a26cddaba3e2254f9dad3a688ac58e96d5f44d58fabf441c76d965923390276fe8381b5f26"; got != want {
		t.Errorf("documentSha512 = %s, want %s", got, want)
	}
	if rep.Kind != "provider-metadata" || rep.Entries != 4 || rep.Selected != 4 || rep.Downloaded != 4 || rep.Cached != 0 {
		t.Errorf("report = %+v", rep)
	}
	wantSkipped := []string{srv.srv.URL + `/csaf/amber/feed-tlp-amber.json (TLP label "AMBER")`}
	if d := cmp.Diff(wantSkipped, rep.SkippedFeeds); d != "" {
		t.Errorf("skipped feeds (-want +got):\n%s", d)
	}
	if n := srv.count("/csaf/amber/feed-tlp-amber.json"); n != 0 {
		t.Errorf("the AMBER feed was requested %d times", n)
	}
	// The "ref" mistake is reported, and the hashes were still found.
	if !slicesContainsPrefix(rep.Warnings, srv.srv.URL+`/csaf/white/feed-tlp-white.json: link has "ref": "hash" instead of "rel"`) {
		t.Errorf("warnings = %q", rep.Warnings)
	}
	for _, f := range distITDocs {
		if n := srv.count("/csaf/white/2024/" + f + ".sha512"); n != 1 {
			t.Errorf("%s.sha512 requested %d times, want 1", f, n)
		}
	}

	// Second Fetch: the server sends no validators, so the listings are
	// read again, but no document (and no hash file) is downloaded.
	rep2, err := src.FetchWithReport(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Downloaded != 0 || rep2.Cached != 4 || srv.docHits() != 4 {
		t.Errorf("second fetch: downloaded %d, cached %d, document requests %d; want 0, 4, 4", rep2.Downloaded, rep2.Cached, srv.docHits())
	}
	if d := cmp.Diff(rep.Advisories, rep2.Advisories); d != "" {
		t.Errorf("second fetch differs (-first +second):\n%s", d)
	}
	if n := srv.count("/csaf/white/feed-tlp-white.json"); n != 2 {
		t.Errorf("feed requested %d times, want 2", n)
	}
	// Callers may modify what they got without touching the cache.
	rep2.Advisories[0].Extra[ExtraDocumentURL] = "changed"
	rep2.Advisories[0].Aliases = append(rep2.Advisories[0].Aliases[:0], "X")
	adv3, err := src.Fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(rep.Advisories, adv3); d != "" {
		t.Errorf("cache was changed through a returned advisory (-first +third):\n%s", d)
	}

	// An entry whose updated time changes is downloaded again, alone.
	feed := strings.Replace(string(distRead(t, "cisa/IT/cisa-csaf-it-feed-tlp-white.json")), `"updated": "2024-09-18T16:56:00Z"`, `"updated": "2024-10-11T00:00:00Z"`, 1)
	srv.set("/csaf/white/feed-tlp-white.json", []byte(strings.ReplaceAll(feed, cisaITBase, srv.srv.URL+"/csaf/white/")))
	rep4, err := src.FetchWithReport(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rep4.Downloaded != 1 || rep4.Cached != 3 || srv.count("/csaf/white/2024/va-24-262-01.json") != 2 {
		t.Errorf("after an entry update: downloaded %d, cached %d", rep4.Downloaded, rep4.Cached)
	}
	// VA-24-262-01 is now the newest entry and comes first.
	if rep4.Advisories[0].ID != "VA-24-262-01/CVE-2024-43201" {
		t.Errorf("first advisory %s", rep4.Advisories[0].ID)
	}
}

func slicesContainsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func TestSourceNotModified(t *testing.T) {
	srv := providerTree(t, true)
	src := New(&Options{URL: srv.srv.URL + "/.well-known/csaf/provider-metadata.json", HTTP: distClient()})
	if _, err := src.Fetch(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, err := src.Fetch(t.Context())
	if !errors.Is(err, feeds.ErrNotModified) {
		t.Fatalf("second fetch: err = %v, want feeds.ErrNotModified", err)
	}
	if srv.docHits() != 4 {
		t.Errorf("document requests = %d, want 4", srv.docHits())
	}
	// The feed changes (one entry newer): the Fetch goes through, one
	// document is downloaded again... and answers 304, so the cached parse
	// is reused.
	feed := strings.Replace(string(distRead(t, "cisa/IT/cisa-csaf-it-feed-tlp-white.json")), `"updated": "2024-09-18T16:56:00Z"`, `"updated": "2024-10-11T00:00:00Z"`, 1)
	srv.set("/csaf/white/feed-tlp-white.json", []byte(strings.ReplaceAll(feed, cisaITBase, srv.srv.URL+"/csaf/white/")))
	rep, err := src.FetchWithReport(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Advisories) != 9 || rep.Cached != 4 || srv.count("/csaf/white/2024/va-24-262-01.json") != 2 {
		t.Errorf("advisories %d, cached %d, requests for 262-01 %d", len(rep.Advisories), rep.Cached, srv.count("/csaf/white/2024/va-24-262-01.json"))
	}
}

func TestSourceDocumentFailures(t *testing.T) {
	const bad = "/csaf/white/2024/va-24-201-01.json"
	for _, tc := range []struct {
		name   string
		break_ func(s *distServer)
		check  func(t *testing.T, err error)
	}{
		{"tampered", func(s *distServer) {
			s.set(bad, append(distRead(t, "cisa/IT/2024/va-24-201-01.json"), ' '))
		}, func(t *testing.T, err error) {
			if !errors.Is(err, ErrChecksumMismatch) {
				t.Errorf("err = %v, want ErrChecksumMismatch", err)
			}
		}},
		{"not_found", func(s *distServer) { s.del(bad) }, func(t *testing.T, err error) {
			var he *feeds.HTTPError
			if !errors.As(err, &he) || he.StatusCode != 404 {
				t.Errorf("err = %v, want HTTP 404", err)
			}
		}},
		{"hash_missing", func(s *distServer) { s.del(bad + ".sha512") }, func(t *testing.T, err error) {
			var he *feeds.HTTPError
			if !errors.As(err, &he) || he.StatusCode != 404 || !strings.Contains(err.Error(), "hash file") {
				t.Errorf("err = %v, want a hash file 404", err)
			}
		}},
		{"not_csaf", func(s *distServer) {
			s.set(bad, []byte("<html><body>maintenance</body></html>"))
			s.set(bad+".sha512", []byte(strings.Repeat("0", 128)))
		}, func(t *testing.T, err error) {
			if !errors.Is(err, ErrChecksumMismatch) {
				t.Errorf("err = %v", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := providerTree(t, true)
			tc.break_(srv)
			src := New(&Options{URL: srv.srv.URL + "/.well-known/csaf/provider-metadata.json", HTTP: distClient(), VerifyHashes: true})
			advs, err := src.Fetch(t.Context())
			if err == nil {
				t.Fatalf("no error, %d advisories", len(advs))
			}
			if advs != nil {
				t.Errorf("got %d advisories with the error", len(advs))
			}
			var de *DocumentError
			if !errors.As(err, &de) || de.URL != srv.srv.URL+bad {
				t.Errorf("err = %v, want a *DocumentError for %s", err, bad)
			}
			tc.check(t, err)

			// The same with SkipBadDocuments: the other three documents.
			src2 := New(&Options{URL: srv.srv.URL + "/.well-known/csaf/provider-metadata.json", HTTP: distClient(), VerifyHashes: true, SkipBadDocuments: true})
			rep, err := src2.FetchWithReport(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Advisories) != 6 || len(rep.Failed) != 1 || rep.Failed[0].URL != srv.srv.URL+bad {
				t.Errorf("skip mode: %d advisories, failed %v", len(rep.Advisories), rep.Failed)
			}

			// Repaired: the next Fetch of the first Source succeeds (the
			// listings are not answered 304) and downloads only the
			// document that failed... or all of them, when the failure was
			// not the document itself.
			for _, f := range distITDocs {
				srv.set("/csaf/white/2024/"+f, distRead(t, "cisa/IT/2024/"+f))
				srv.set("/csaf/white/2024/"+f+".sha512", distRead(t, "cisa/IT/2024/"+f+".sha512"))
			}
			rep, err = src.FetchWithReport(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(distWantIDs, distIDs(rep.Advisories)); d != "" {
				t.Errorf("after repair (-want +got):\n%s", d)
			}
			if rep.Downloaded != 1 || rep.Cached != 3 {
				t.Errorf("after repair: downloaded %d, cached %d; want 1, 3", rep.Downloaded, rep.Cached)
			}
		})
	}
}

func TestSourceParseErrorDocument(t *testing.T) {
	srv := providerTree(t, false)
	srv.set("/csaf/white/2024/va-24-262-01.json", []byte(`{"document": {"tracking": `))
	src := New(&Options{URL: srv.srv.URL + "/.well-known/csaf/provider-metadata.json", HTTP: distClient()})
	_, err := src.Fetch(t.Context())
	var pe *feeds.ParseError
	var de *DocumentError
	if !errors.As(err, &pe) || !errors.As(err, &de) || pe.Input != srv.srv.URL+"/csaf/white/2024/va-24-262-01.json" {
		t.Fatalf("err = %v, want a *feeds.ParseError inside a *DocumentError", err)
	}
}

func TestSourceDirectory(t *testing.T) {
	srv := directoryTree(t)
	for _, tc := range []struct{ name, path string }{
		{"directory", "/csaf_files/IT/white/"},
		{"changes_csv", "/csaf_files/IT/white/changes.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := New(&Options{Name: "cisa-it", URL: srv.srv.URL + tc.path, HTTP: distClient(), VerifyHashes: true})
			rep, err := src.FetchWithReport(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(distWantIDs, distIDs(rep.Advisories)); d != "" {
				t.Errorf("advisory IDs (-want +got):\n%s", d)
			}
			if rep.Kind != "directory" || rep.Downloaded != 4 || rep.Advisories[0].Source != "cisa-it" {
				t.Errorf("report %+v", rep)
			}
			if want := []string{srv.srv.URL + "/csaf_files/IT/white/changes.csv"}; !cmp.Equal(want, rep.Listings) {
				t.Errorf("listings = %q", rep.Listings)
			}
		})
	}
	// index.txt has no times: every Fetch downloads everything again.
	src := New(&Options{URL: srv.srv.URL + "/csaf_files/IT/white/index.txt", HTTP: distClient()})
	for range 2 {
		rep, err := src.FetchWithReport(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Advisories) != 9 || rep.Downloaded != 4 {
			t.Errorf("index.txt: %d advisories, %d downloaded", len(rep.Advisories), rep.Downloaded)
		}
	}
}

// A provider whose directory has no TLP folder name (like Red Hat's) is
// filtered on each document's own label.
func TestSourceProviderDirectoryTLP(t *testing.T) {
	srv := directoryTree(t)
	for _, f := range distITDocs {
		srv.set("/data/2024/"+f, distRead(t, "cisa/IT/2024/"+f))
	}
	amber := strings.Replace(string(distRead(t, "cisa/IT/2024/va-24-262-01.json")), `"label": "WHITE"`, `"label": "AMBER"`, 1)
	srv.set("/data/2024/va-24-262-01.json", []byte(amber))
	srv.set("/data/changes.csv", distRead(t, "cisa/IT/changes.csv"))
	srv.set("/pm/provider-metadata.json", []byte(`{"canonical_url": "`+srv.srv.URL+`/pm/provider-metadata.json",
		"distributions": [{"directory_url": "/data/"}, {"directory_url": "/secret/amber/"}]}`))
	src := New(&Options{URL: srv.srv.URL + "/pm/provider-metadata.json", HTTP: distClient()})
	rep, err := src.FetchWithReport(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := slicesDelete(distWantIDs, "VA-24-262-01/CVE-2024-43201")
	if d := cmp.Diff(want, distIDs(rep.Advisories)); d != "" {
		t.Errorf("advisory IDs (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{srv.srv.URL + "/data/2024/va-24-262-01.json (document TLP label AMBER)"}, rep.SkippedDocuments); d != "" {
		t.Errorf("skipped documents (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{srv.srv.URL + "/secret/amber/ (TLP label from the folder name: AMBER)"}, rep.SkippedFeeds); d != "" {
		t.Errorf("skipped feeds (-want +got):\n%s", d)
	}
	// Allowing AMBER reads the AMBER document too (the AMBER directory
	// does not exist: its 404 fails the Fetch).
	src = New(&Options{URL: srv.srv.URL + "/pm/provider-metadata.json", HTTP: distClient(), TLP: []feeds.TLP{feeds.TLPClear, feeds.TLPAmber}})
	_, err = src.Fetch(t.Context())
	var he *feeds.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 404 || !strings.Contains(he.URL, "/secret/amber/changes.csv") {
		t.Errorf("err = %v, want a 404 for the AMBER changes.csv", err)
	}
}

func slicesDelete(in []string, drop string) []string {
	var out []string
	for _, s := range in {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}

func TestSourceSinceAndMax(t *testing.T) {
	srv := providerTree(t, false)
	feedURL := srv.srv.URL + "/csaf/white/feed-tlp-white.json"
	for _, tc := range []struct {
		name string
		opts Options
		want []string
	}{
		// Entries updated at or after 2024-09-18T16:30Z: 254-02 and 262-01.
		{"since", Options{Since: time.Date(2024, 9, 18, 16, 30, 0, 0, time.UTC)}, distWantIDs[:3]},
		{"max", Options{MaxDocuments: 1}, distWantIDs[:2]},
		{"since_and_max", Options{Since: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), MaxDocuments: 3}, distWantIDs[:6]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.URL, tc.opts.HTTP = feedURL, distClient()
			rep, err := New(&tc.opts).FetchWithReport(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, distIDs(rep.Advisories)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			if rep.Kind != "rolie" || rep.Entries != 4 {
				t.Errorf("kind %q, entries %d", rep.Kind, rep.Entries)
			}
		})
	}
}

func TestSourceErrors(t *testing.T) {
	srv := providerTree(t, false)
	srv.set("/html", []byte("<!DOCTYPE html><html><body>Login</body></html>"))
	srv.set("/doc.json", distRead(t, "cisa/IT/2024/va-24-201-01.json"))
	srv.set("/red-only.json", []byte(`{"canonical_url": "x/provider-metadata.json", "distributions": [{"rolie": {"feeds": [{"tlp_label": "RED", "url": "/red.json"}]}}]}`))
	srv.set("/bad-feed.json", []byte(`{"feed": {"entry": [{"id": "X"}]}}`))
	for _, tc := range []struct {
		name  string
		url   string
		check func(t *testing.T, err error)
	}{
		{"html", "/html", func(t *testing.T, err error) {
			if !errors.Is(err, feeds.ErrNotFeed) {
				t.Errorf("err = %v", err)
			}
		}},
		{"single_document", "/doc.json", func(t *testing.T, err error) {
			if !errors.Is(err, feeds.ErrNotFeed) || !strings.Contains(err.Error(), "single CSAF document") {
				t.Errorf("err = %v", err)
			}
		}},
		{"no_allowed_feed", "/red-only.json", func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "no feed or directory with an allowed TLP label") {
				t.Errorf("err = %v", err)
			}
		}},
		{"bad_feed", "/bad-feed.json", func(t *testing.T, err error) {
			var pe *feeds.ParseError
			if !errors.As(err, &pe) || pe.Field != "feed.entry[0]" {
				t.Errorf("err = %v", err)
			}
		}},
		{"not_found", "/nothing.json", func(t *testing.T, err error) {
			var he *feeds.HTTPError
			if !errors.As(err, &he) || he.StatusCode != 404 {
				t.Errorf("err = %v", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			advs, err := New(&Options{URL: srv.srv.URL + tc.url, HTTP: distClient()}).Fetch(t.Context())
			if err == nil {
				t.Fatalf("no error, %d advisories", len(advs))
			}
			tc.check(t, err)
		})
	}
	if _, err := New(nil).Fetch(t.Context()); err == nil {
		t.Error("a Source without URL fetched")
	}
}

func TestSourceCancelled(t *testing.T) {
	srv := providerTree(t, false)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := New(&Options{URL: srv.srv.URL + "/.well-known/csaf/provider-metadata.json", HTTP: distClient()}).Fetch(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := srv.count("/.well-known/csaf/provider-metadata.json"); n != 0 {
		t.Errorf("%d requests with a cancelled context", n)
	}

	// Cancelled while documents download: the test cancels when the first
	// document request arrives, and the handler holds it until then.
	started := make(chan struct{}, 1)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "changes.csv") {
			w.Write(distRead(t, "cisa/IT/changes.csv"))
			return
		}
		select {
		case started <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	}))
	defer slow.Close()
	ctx, cancel = context.WithCancel(t.Context())
	go func() {
		<-started
		cancel()
	}()
	_, err = New(&Options{URL: slow.URL + "/csaf_files/IT/white/", HTTP: distClient()}).Fetch(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestConformance runs the feedtest kit on a directory distribution built
// from CISA's real IT changes.csv, documents and .sha512 files.
func TestConformance(t *testing.T) {
	files := map[string][]byte{"/csaf_files/IT/white/changes.csv": distRead(t, "cisa/IT/changes.csv")}
	for _, f := range distITDocs {
		files["/csaf_files/IT/white/2024/"+f] = distRead(t, "cisa/IT/2024/"+f)
		files["/csaf_files/IT/white/2024/"+f+".sha512"] = distRead(t, "cisa/IT/2024/"+f+".sha512")
	}
	feedtest.Run(t, feedtest.Harness{
		New: func(baseURL string, client *http.Client) (feeds.Source, error) {
			return New(&Options{
				URL:          baseURL + "/csaf_files/IT/white/",
				HTTP:         feedhttp.New(&feedhttp.Options{HTTPClient: client, Retries: -1}),
				VerifyHashes: true,
			}), nil
		},
		// No Parse: the Source reads three formats (changes.csv, CSAF
		// documents, .sha512 files), each fuzzed on its own. Note that a
		// changes.csv cut at a line boundary is a valid, shorter file.
		Files: files,
	})
}

// TestSourceOTFeedCache serves CISA's real OT feed (2,379 entries) with a
// small generated CSAF document behind every entry: the first Fetch
// downloads 2,379 documents, the second none.
func TestSourceOTFeedCache(t *testing.T) {
	if testing.Short() {
		t.Skip("2,379 loopback requests")
	}
	const otBase = "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/OT/white/"
	var mu sync.Mutex
	docRequests := 0
	var feed []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ot/feed.json" {
			w.Write(feed)
			return
		}
		name, ok := strings.CutSuffix(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], ".json")
		if !ok {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		docRequests++
		mu.Unlock()
		fmt.Fprintf(w, `{"document": {"category": "csaf_base", "csaf_version": "2.0", "title": "%[1]s",
"publisher": {"category": "coordinator", "name": "CISA", "namespace": "https://www.cisa.gov/"},
"distribution": {"tlp": {"label": "WHITE"}},
"tracking": {"id": "%[1]s", "status": "final", "version": "1",
 "initial_release_date": "2024-01-01T00:00:00Z", "current_release_date": "2024-01-01T00:00:00Z",
 "revision_history": [{"date": "2024-01-01T00:00:00Z", "number": "1", "summary": "Initial"}]}}}`, strings.ToUpper(name))
	}))
	defer srv.Close()
	feed = []byte(strings.ReplaceAll(string(distRead(t, "cisa/OT/cisa-csaf-ot-feed-tlp-white.json")), otBase, srv.URL+"/ot/"))

	src := New(&Options{URL: srv.URL + "/ot/feed.json", HTTP: distClient(), Concurrency: 16})
	rep, err := src.FetchWithReport(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// 2379 entries, 2379 distinct document URLs (python3: len(set(content.src))).
	if rep.Entries != 2379 || rep.Downloaded != 2379 || len(rep.Advisories) != 2379 || docRequests != 2379 {
		t.Fatalf("first fetch: entries %d, downloaded %d, advisories %d, requests %d", rep.Entries, rep.Downloaded, len(rep.Advisories), docRequests)
	}
	// Newest entries first, ties by URL: python3 sorting by updated shows
	// four entries at 2024-10-24T06:00:00.000000Z (ICSA-24-298-03, -298-02,
	// -298-01, -268-06), and icsa-24-268-06.json sorts first among them.
	if rep.Advisories[0].ID != "ICSA-24-268-06" {
		t.Errorf("first advisory %s", rep.Advisories[0].ID)
	}
	rep, err = src.FetchWithReport(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Downloaded != 0 || rep.Cached != 2379 || docRequests != 2379 {
		t.Errorf("second fetch: downloaded %d, cached %d, requests %d", rep.Downloaded, rep.Cached, docRequests)
	}
}
