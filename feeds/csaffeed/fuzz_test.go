package csaffeed

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
)

// FuzzParse is seeded with every real document in testdata/documents and
// a few synthetic edge cases. Parse must return either a document or one
// positioned (or prefixed) error, never panic, and be deterministic.
func FuzzParse(f *testing.F) {
	for _, tc := range realDocs {
		data, err := os.ReadFile(filepath.Join(docDir, tc.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(docJSON(vendorTree, `[{"cve":"CVE-2024-0001","product_status":{"first_affected":["P1"],"last_affected":["P2"],"recommended":["P3"]},"remediations":[{"group_ids":["G1"]}]}]`)))
	f.Add([]byte(docJSON(nestedTree(70), "")))
	f.Add([]byte(`{"document":{"tracking":{"id":"A"}},"product_tree":{"relationships":[{"product_reference":"A","full_product_name":{"product_id":"A"}}]}}`))
	f.Add([]byte(`{"document":{"tracking":{"id":"A","version":1.5}},"vulnerabilities":[{},{}]}`))
	f.Add([]byte("<html>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseWithOptions(bytes.NewReader(data), "fuzz.json", &ParseOptions{MaxBytes: 1 << 20})
		if err != nil {
			if d != nil {
				t.Error("non-nil document with error")
			}
			var pe *feeds.ParseError
			if errors.As(err, &pe) {
				if pe.Input != "fuzz.json" || pe.Line < 1 || pe.Column < 1 {
					t.Errorf("bad position in %v", err)
				}
			} else if !strings.HasPrefix(err.Error(), "csaffeed: ") {
				t.Errorf("error without position or prefix: %v", err)
			}
			return
		}
		if len(d.Advisories) == 0 || len(d.Advisories) != max(d.Vulnerabilities, 1) {
			t.Errorf("%d advisories for %d vulnerabilities", len(d.Advisories), d.Vulnerabilities)
		}
		seen := map[string]bool{}
		for _, a := range d.Advisories {
			if strings.TrimSpace(a.ID) == "" || seen[a.ID] {
				t.Errorf("empty or duplicate advisory ID %q", a.ID)
			}
			seen[a.ID] = true
		}
		if len(d.Warnings) > MaxWarnings+1 {
			t.Errorf("%d warnings", len(d.Warnings))
		}
		out1, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		d2, err := ParseWithOptions(bytes.NewReader(data), "fuzz.json", &ParseOptions{MaxBytes: 1 << 20})
		if err != nil {
			t.Fatalf("second parse: %v", err)
		}
		if out2, _ := json.Marshal(d2); !bytes.Equal(out1, out2) {
			t.Error("output differs between two parses")
		}
	})
}
