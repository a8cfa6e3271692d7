package rssfeed

import (
	"fmt"
	"strings"
	"testing"
)

// bigJSONFeed builds a JSON Feed with n items made by item(i).
func bigJSONFeed(n int, item func(i int) string) string {
	var b strings.Builder
	b.WriteString("\ufeff{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"t\", \"items\": [")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(item(i))
	}
	b.WriteString("]}")
	return b.String()
}

// TestJSONFeedWithBOM: doc.go allows a byte order mark before any feed.
func TestJSONFeedWithBOM(t *testing.T) {
	f, err := Parse(strings.NewReader(bigJSONFeed(1, func(int) string {
		return `{"id": "https://x.example/1", "title": "CVE-2025-0001 fixed"}`
	})), "bom.json")
	if err != nil || len(f.Advisories) != 1 || f.Advisories[0].Related[0] != "CVE-2025-0001" {
		t.Fatalf("Parse = %+v, %v", f, err)
	}
}

// TestManyWarningsAndDuplicatesStayLinear feeds 20,000 items with a bad
// date and 20,000 duplicates of one ID with distinct links. Before the
// warning cap was checked ahead of the position lookup, and before merging
// used sets, these inputs took minutes (quadratic); the test would then
// hit go test's timeout rather than pass. It also checks the cap.
func TestManyWarningsAndDuplicatesStayLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two 1-2 MB feeds")
	}
	bad := bigJSONFeed(20000, func(i int) string {
		return fmt.Sprintf(`{"id": "https://x.example/%d", "title": "item %d", "date_published": "bad"}`, i, i)
	})
	f, err := Parse(strings.NewReader(bad), "bad-dates.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Advisories) != 20000 || len(f.Warnings) != maxWarnings+1 || !strings.Contains(f.Warnings[maxWarnings], "19000 more") {
		t.Errorf("%d advisories, %d warnings, last %q", len(f.Advisories), len(f.Warnings), f.Warnings[len(f.Warnings)-1])
	}
	dups := bigJSONFeed(20000, func(i int) string {
		return fmt.Sprintf(`{"id": "GHSA-aaaa-bbbb-cccc", "url": "https://x.example/%d", "title": "t", "tags": ["t%d"]}`, i, i%7)
	})
	f, err = Parse(strings.NewReader(dups), "dups.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Advisories) != 1 || len(f.Advisories[0].Tags) != 7 {
		t.Errorf("%d advisories, tags %v; want 1 merged advisory with 7 tags", len(f.Advisories), f.Advisories[0].Tags)
	}
}
