package rssfeed

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

// FuzzParse feeds arbitrary bytes to Parse. It must never panic; an error
// must be a *feeds.ParseError, wrap feeds.ErrNotFeed or feeds.ErrTooLarge;
// a result must satisfy the package's invariants.
//
// Seeds cover all four formats: every real and synthetic feed in testdata,
// the large real ones (over 16 KB) cut to their first two items so that
// each execution, and the minimisation of interesting inputs, stays fast;
// plus small hostile cases.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.xml", "testdata/*.rss", "testdata/*.json", "testdata/*.rdf", "testdata/synthetic/*"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(firstItems(f, data, 2))
		}
	}
	for _, s := range []string{
		minimalRSS,
		`{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": 1, "url": "https://x.example/?utm_source=a", "tags": ["severity"]}]}`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>GHSA-aaaa-bbbb-cccc</id><category label="severity" term="LOW"/></entry></feed>`,
		`<!DOCTYPE r [<!ENTITY a "b">]><rss>&a;</rss>`,
		"<rss><channel><item><guid>x</guid><guid>x</guid></item><item><guid>x</guid></item></channel></rss>",
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="a"/></rdf:RDF>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := ParseWith(bytes.NewReader(data), "fuzz", &ParseOptions{MaxItems: 1000})
		if err != nil {
			var pe *feeds.ParseError
			if !errors.As(err, &pe) && !errors.Is(err, feeds.ErrNotFeed) && !errors.Is(err, feeds.ErrTooLarge) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if feed != nil {
				t.Fatal("feed and error both returned")
			}
			return
		}
		seen := map[string]bool{}
		for _, a := range feed.Advisories {
			if strings.TrimSpace(a.ID) == "" {
				t.Fatalf("empty ID: %+v", a)
			}
			if seen[a.ID] {
				t.Fatalf("duplicate ID %q", a.ID)
			}
			seen[a.ID] = true
			if !slices.IsSorted(a.Related) || slices.Contains(a.Related, a.ID) {
				t.Fatalf("%s: related %q", a.ID, a.Related)
			}
			for _, tm := range []time.Time{a.Published, a.Modified} {
				if !tm.IsZero() && tm.Location() != time.UTC {
					t.Fatalf("%s: time %v not UTC", a.ID, tm)
				}
			}
			if a.Source != DefaultName {
				t.Fatalf("source %q", a.Source)
			}
		}
		// Parsing is deterministic.
		again, err := ParseWith(bytes.NewReader(data), "fuzz", &ParseOptions{MaxItems: 1000})
		if err != nil || len(again.Advisories) != len(feed.Advisories) || len(again.Warnings) != len(feed.Warnings) {
			t.Fatalf("second parse differs: %v", err)
		}
	})
}

// firstItems returns a feed cut after its n-th item (keeping the closing
// tags of the document), or data itself when it is small.
func firstItems(tb testing.TB, data []byte, n int) []byte {
	if len(data) <= 16<<10 {
		return data
	}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			tb.Fatal(err)
		}
		if items, ok := doc["items"].([]any); ok && len(items) > n {
			doc["items"] = items[:n]
		}
		out, err := json.MarshalIndent(doc, "", "    ")
		if err != nil {
			tb.Fatal(err)
		}
		return out
	}
	for _, tag := range []string{"</item>", "</entry>"} {
		end := 0
		for range n {
			i := bytes.Index(data[end:], []byte(tag))
			if i < 0 {
				end = -1
				break
			}
			end += i + len(tag)
		}
		if end > 0 {
			closing := "\n</channel>\n</rss>\n"
			if tag == "</entry>" {
				closing = "\n</feed>\n"
			}
			return append(bytes.Clone(data[:end]), closing...)
		}
	}
	return data
}

// The trimmed seeds must still be valid feeds, or the fuzzer would start
// from error paths only.
func TestFuzzSeedsParse(t *testing.T) {
	for _, file := range []string{"testdata/al2-alas.rss.xml", "testdata/npm.rss", "testdata/go.rss", "testdata/maven.rss", "testdata/npm.json"} {
		data := readFile(t, file)
		seed := firstItems(t, data, 2)
		feed, err := Parse(bytes.NewReader(seed), file)
		if err != nil || len(feed.Advisories) == 0 || len(seed) > 16<<10 {
			t.Errorf("%s: trimmed seed (%d bytes): %v", file, len(seed), err)
		}
	}
}
