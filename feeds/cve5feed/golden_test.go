package cve5feed

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenFiles are mapped in full to testdata/golden/<name>.golden. The
// golden files were generated with -update and reviewed by eye against
// the raw records (see the package's report in DESIGN notes).
var goldenFiles = []string{
	"vulnrichment-kev/CVE-2024-21762.json",
	"vulnrichment-kev/CVE-2024-3400.json",
	"vulnrichment-kev/CVE-2023-22515.json",
	"osv-dev-testdata/cvelistV5/CVE-2021-44228.json",
	"osv-dev-testdata/cvelistV5/CVE-2025-21631.json",
	"synthetic/rejected.json",
	"synthetic/cpe-and.json",
}

func TestGolden(t *testing.T) {
	for _, f := range goldenFiles {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(strings.ReplaceAll(name, "-", "_"), func(t *testing.T) {
			rec := parseFile(t, filepath.Join("testdata", f))
			rec.Input = f // independent of the working directory
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(rec); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", name+".golden")
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s differs from %s (-want +got):\n%s", f, golden, diff)
			}
		})
	}
}
