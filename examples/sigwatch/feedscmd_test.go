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
