package cve5feed

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sigwatch/sigwatch/feeds"
)

func TestParseFSRealTree(t *testing.T) {
	fsys := os.DirFS("testdata")
	set, err := ParseFS(context.Background(), fsys, "osv-dev-testdata")
	if err != nil {
		t.Fatal(err)
	}
	// 13 + 11 files, 22 IDs: CVE-2024-3094 and CVE-2023-45803 are in both
	// folders (ls osv-dev-testdata/*/ | sort | uniq -d).
	if len(set.Records) != 22 {
		t.Errorf("%d records, want 22", len(set.Records))
	}
	dups := 0
	for _, w := range set.Warnings {
		if strings.Contains(w, "also in") {
			dups++
		}
	}
	if dups != 2 {
		t.Errorf("%d duplicate warnings, want 2: %q", dups, set.Warnings)
	}
	// Lexical path order: cve5/ before cvelistV5/; the kept copies of the
	// duplicates are the cve5/ ones (same dateUpdated, first wins).
	if set.Records[0].Input != "osv-dev-testdata/cve5/CVE-2016-15012.json" ||
		set.Records[len(set.Records)-1].Input != "osv-dev-testdata/cvelistV5/CVE-2025-21772.json" {
		t.Errorf("order: first %s, last %s", set.Records[0].Input, set.Records[len(set.Records)-1].Input)
	}
	for _, r := range set.Records {
		if r.Advisory.ID == "CVE-2024-3094" && r.Input != "osv-dev-testdata/cve5/CVE-2024-3094.json" {
			t.Errorf("kept %s", r.Input)
		}
	}
	if got := len(set.Advisories()); got != 22 {
		t.Errorf("Advisories: %d", got)
	}

	set, err = ParseFS(context.Background(), fsys, "vulnrichment-kev")
	if err != nil || len(set.Records) != 38 {
		t.Errorf("vulnrichment-kev: %d records, %v", len(set.Records), err)
	}
}

func TestParseFSLayoutAndErrors(t *testing.T) {
	rec := minimal(t, nil)
	newer := []byte(strings.Replace(string(rec), `"dateUpdated":"2024-01-03"`, `"dateUpdated":"2024-02-01"`, 1))
	other := []byte(strings.Replace(string(rec), "CVE-2024-0001", "CVE-2024-1000", 1))
	fsys := fstest.MapFS{
		"cvelistV5/cves/2024/0xxx/CVE-2024-0001.json": {Data: rec},
		"cvelistV5/cves/2024/1xxx/CVE-2024-1000.json": {Data: other},
		"cvelistV5/cves/2024/1xxx/CVE-2024-1001.json": {Data: []byte(`{"dataType":"CVE_RECORD",`)},
		"cvelistV5/cves/delta.json":                   {Data: []byte(`{"fetchTime":"2024-10-24T10:00:00Z","numberOfChanges":0,"new":[],"updated":[],"error":[]}`)},
		"cvelistV5/cves/deltaLog.json":                {Data: []byte(`[{"fetchTime":"2024-10-24T10:00:00Z"}]`)},
		"cvelistV5/cves/README.md":                    {Data: []byte("# not json")},
		"cvelistV5/.git/objects/x.json":               {Data: []byte("garbage")},
		"flat/CVE-2024-0001.json":                     {Data: newer},
	}
	set, err := ParseFS(context.Background(), fsys, ".")
	if err == nil {
		t.Fatal("no error for the truncated CVE-2024-1001.json")
	}
	var pe *feeds.ParseError
	if !errors.As(err, &pe) || pe.Input != "cvelistV5/cves/2024/1xxx/CVE-2024-1001.json" {
		t.Errorf("error %v does not name the file", err)
	}
	if set == nil || len(set.Records) != 2 {
		t.Fatalf("set %+v", set)
	}
	// The flat copy has the later dateUpdated and replaces the first.
	if set.Records[0].Input != "flat/CVE-2024-0001.json" || set.Records[1].Advisory.ID != "CVE-2024-1000" {
		t.Errorf("records %s, %s", set.Records[0].Input, set.Records[1].Advisory.ID)
	}
	skipped := 0
	for _, w := range set.Warnings {
		if strings.Contains(w, "skipped") {
			skipped++
		}
	}
	// delta.json (an object without dataType) and deltaLog.json (an
	// array) are not records.
	if skipped != 2 {
		t.Errorf("%d skipped, want 2: %q", skipped, set.Warnings)
	}
}

func TestParseFSCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	set, err := ParseFS(ctx, os.DirFS("testdata"), ".")
	if !errors.Is(err, context.Canceled) || set != nil {
		t.Errorf("ParseFS with a cancelled context: %v, %v", set, err)
	}
}

func TestParseFSMissingRoot(t *testing.T) {
	if _, err := ParseFS(context.Background(), os.DirFS("testdata"), "nope"); err == nil {
		t.Error("no error for a missing root")
	}
}
