package csaffeed

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// goldenDocs are compared in full with testdata/documents/golden/<base>.golden
// (the Document as indented JSON). Regenerate with go test -update and
// review the diff by eye.
var goldenDocs = []string{
	"cisa/IT/2024/va-24-201-01.json",                  // relationship, SSVC note, TEXT range, remediations
	"cisa/OT/2024/icsa-24-226-10.json",                // packed "<v36.011_v35.013_v34.014" range
	"oasis-examples/bsi-2022-0001.json",               // first_fixed, CPE 2.3, ids
	"oasis-examples/csaf_vex/sec-vex-2022-0001.json",  // flags (VEX justification), impact threats
	"oasis-examples/csaf_vex/2022-evd-uc-08-001.json", // recommended, two CVEs
	"oasis-examples/rhsa-2019_1862.json",              // informational advisory, no vulnerabilities
	"redhat/rhsa-2024_6163.json",                      // Red Hat relationships, purl, restart_required
}

func TestGolden(t *testing.T) {
	for _, f := range goldenDocs {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(strings.ReplaceAll(name, "-", "_"), func(t *testing.T) {
			d := docParseFile(t, f)
			got, err := json.MarshalIndent(d, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join(docDir, "golden", name+".golden")
			if docUpdating() {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs (-want +got):\n%s", path, cmp.Diff(string(want), string(got)))
			}
		})
	}
}

// BenchmarkParseRedHat parses the largest sample (550 KB, 531 products,
// 342 relationships).
func BenchmarkParseRedHat(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(docDir, "redhat/rhsa-2024_6220.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "rhsa-2024_6220.json"); err != nil {
			b.Fatal(err)
		}
	}
}
