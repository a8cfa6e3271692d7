package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
)

const kevOld = "../../feeds/kevfeed/testdata/known_exploited_vulnerabilities_2025-02-26.json"
const kevPrev = "../../feeds/kevfeed/testdata/known_exploited_vulnerabilities_2025-08-21.json"

// TestFeedsDiff checks the figures derived with Python in
// feeds/kevfeed/diff_test.go, through the command line.
func TestFeedsDiff(t *testing.T) {
	r := runCLI(t, "", "feeds", "diff", "--kind", "kev", kevOld, kevFile, "--json")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var d struct {
		From, To       string
		Added, Removed []string
		Changed        []struct {
			ID     string
			Fields []string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("not JSON: %v\n%.200s", err, r.stdout)
	}
	if d.From != "2025.02.26" || d.To != "2025.08.25" || len(d.Added) != 124 || len(d.Removed) != 0 || len(d.Changed) != 43 {
		t.Errorf("from %s to %s: %d added, %d removed, %d changed", d.From, d.To, len(d.Added), len(d.Removed), len(d.Changed))
	}
	if !strings.Contains(r.stdout, `"removed": []`) {
		t.Errorf("empty lists must print as [], not null:\n%.300s", r.stdout)
	}

	r = runCLI(t, "", "feeds", "diff", "--kind", "kev", kevPrev, kevFile)
	want := "2025.08.21 -> 2025.08.25: 3 added, 0 removed, 0 changed\n+ CVE-2025-48384\n+ CVE-2024-8068\n+ CVE-2024-8069\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, stdout\n%s\nwant\n%s", r.code, r.stdout, want)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"feeds", "diff", kevPrev, kevFile}, "--kind is required"},
		{[]string{"feeds", "diff", "--kind", "osv", kevPrev, kevFile}, `cannot compare feeds of kind "osv"`},
		{[]string{"feeds", "diff", "--kind", "kev", kevFile}, "want OLD and NEW catalog files, got 1 arguments"},
		{[]string{"feeds", "diff", "--kind", "kev", "-", "-"}, "cannot both be standard input"},
	} {
		r := runCLI(t, "", tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q", tt.args, r.code, r.stderr)
		}
	}
	if r := runCLI(t, "", "feeds", "diff", "--kind", "kev", kevPrev, "/nonexistent.json"); r.code != 1 || !strings.Contains(r.stderr, "/nonexistent.json") {
		t.Errorf("missing file: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestFeedsParseSeveralPaths(t *testing.T) {
	r := runCLI(t, "", "feeds", "parse", "--kind", "kev", kevPrev, kevFile, "--json")
	var advs []feeds.Advisory
	if err := json.Unmarshal([]byte(r.stdout), &advs); err != nil || r.code != 0 {
		t.Fatalf("exit %d, %v", r.code, err)
	}
	if len(advs) != 1401+1404 {
		t.Errorf("%d advisories, want 2805", len(advs))
	}
}

func TestFeedsFetch(t *testing.T) {
	body, err := os.ReadFile(kevPrev)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing.json" {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()

	r := runCLI(t, "", "feeds", "fetch", "--kind", "kev", srv.URL+"/kev.json", "--json")
	var advs []feeds.Advisory
	if err := json.Unmarshal([]byte(r.stdout), &advs); err != nil || r.code != 0 || len(advs) != 1401 {
		t.Fatalf("exit %d, %d advisories, err %v, stderr %q", r.code, len(advs), err, r.stderr)
	}
	wantHealth := fmt.Sprintf("sigwatch: GET %s/kev.json: HTTP 200, %d bytes in ", srv.URL, len(body))
	if !strings.HasPrefix(r.stderr, wantHealth) {
		t.Errorf("stderr %q, want prefix %q", r.stderr, wantHealth)
	}
	if advs[0].Source != "cisa-kev" {
		t.Errorf("Source %q", advs[0].Source)
	}

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"feeds", "fetch", srv.URL + "/kev.json"}, 2, "--kind is required with a URL"},
		{[]string{"feeds", "fetch", "no-such-feed"}, 2, `unknown source "no-such-feed"`},
		{[]string{"feeds", "fetch", "--kind", "kev", "cisa-kev"}, 2, "--kind applies to URLs"},
		{[]string{"feeds", "fetch", "--kind", "kev", srv.URL + "/missing.json"}, 1, "HTTP 404"},
	} {
		r := runCLI(t, "", tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q", tt.args, r.code, r.stderr)
		}
	}
}

// TestFeedsParseKinds parses real files of every kind through the command
// line. Expected counts come from the adapters' own tests, where they were
// derived with python3 over the raw files: 4,291 Go OSV records, 97 ALAS
// items, 38 Vulnrichment records.
func TestFeedsParseKinds(t *testing.T) {
	for _, tt := range []struct {
		kind, path string
		n          int
		firstID    string
	}{
		{"osv", "../../feeds/osvfeed/testdata/go-vulndb.zip", 4291, "GO-2020-0001"},
		{"osv", "../../feeds/osvfeed/testdata/ghsa/GHSA-jfh8-c2jp-5v3q.json", 1, "GHSA-jfh8-c2jp-5v3q"},
		{"rss", "../../feeds/rssfeed/testdata/al2-alas.rss.xml", 97, ""},
		{"cve5", "../../feeds/cve5feed/testdata/vulnrichment-kev", 38, ""},
		{"cve5", "../../feeds/cve5feed/testdata/vulnrichment-kev/CVE-2024-3400.json", 1, "CVE-2024-3400"},
		{"csaf", "../../feeds/csaffeed/testdata/documents/cisa/IT/2024/va-24-254-02.json", 0, ""},
	} {
		r := runCLI(t, "", "feeds", "parse", "--kind", tt.kind, tt.path, "--json")
		var advs []feeds.Advisory
		if err := json.Unmarshal([]byte(r.stdout), &advs); err != nil || r.code != 0 {
			t.Errorf("%s %s: exit %d, %v, stderr %.200q", tt.kind, tt.path, r.code, err, r.stderr)
			continue
		}
		if tt.n > 0 && len(advs) != tt.n || tt.n == 0 && len(advs) == 0 {
			t.Errorf("%s %s: %d advisories, want %d", tt.kind, tt.path, len(advs), tt.n)
		}
		if tt.firstID != "" && advs[0].ID != tt.firstID {
			t.Errorf("%s %s: first ID %q, want %q", tt.kind, tt.path, advs[0].ID, tt.firstID)
		}
	}
	// The wrong kind for a file is one clear line, not a confusing field error.
	for kind, want := range map[string]string{
		"osv": `not an OSV record`, "cve5": `not a CVE record`, "csaf": `not a CSAF document`, "rss": `not a JSON Feed`,
	} {
		r := runCLI(t, "", "feeds", "parse", "--kind", kind, kevFile)
		if r.code != 1 || !strings.Contains(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("kev file as %s: exit %d, stderr %q", kind, r.code, r.stderr)
		}
	}
}
