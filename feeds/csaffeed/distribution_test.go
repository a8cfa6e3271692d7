package csaffeed

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
)

// The -update flag rewrites golden files. The document tests of this
// package may define the same flag; it is registered here only when no
// other file of the package did (package-level variables are initialised
// before init functions run).
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite testdata/**/*.golden files")
	}
}

func distUpdating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// distTestdata is the directory of the distribution test files.
const distTestdata = "testdata/distribution"

func distRead(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(distTestdata, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// distGolden compares v, marshalled as indented JSON, with the golden file
// testdata/distribution/golden/<name>; -update rewrites it.
func distGolden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	file := filepath.Join(distTestdata, "golden", name)
	if distUpdating() {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", file, d)
	}
}

// distWantParseError checks that err is a *feeds.ParseError at line:col
// (col 0 = any) with the given field ("-" = any) that wraps target (nil =
// any).
func distWantParseError(t *testing.T, err error, line, col int, field string, target error) {
	t.Helper()
	var pe *feeds.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *feeds.ParseError", err, err)
	}
	if pe.Line != line || (col != 0 && pe.Column != col) {
		t.Errorf("position = %d:%d, want %d:%d (%v)", pe.Line, pe.Column, line, col, err)
	}
	if field != "-" && pe.Field != field {
		t.Errorf("field = %q, want %q (%v)", pe.Field, field, err)
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("error %v does not wrap %v", err, target)
	}
}

func TestFileName(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"ICSA-24-298-03", "icsa-24-298-03.json"},
		{"VA-24-254-02", "va-24-254-02.json"},
		{"RHSA-2024:6220", "rhsa-2024_6220.json"},
		{"cisco-sa-20180328-smi2", "cisco-sa-20180328-smi2.json"},
		{"BSI-2022 / 0001", "bsi-2022_0001.json"},
		{"a+b", "a+b.json"},
	} {
		if got := FileName(tc.id); got != tc.want {
			t.Errorf("FileName(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}

func TestDistTLPLabel(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want feeds.TLP
		ok   bool
	}{
		{"WHITE", feeds.TLPClear, true},
		{"white", feeds.TLPClear, true},
		{"TLP:CLEAR", feeds.TLPClear, true},
		{"GREEN", feeds.TLPGreen, true},
		{"AMBER", feeds.TLPAmber, true},
		{"AMBER+STRICT", feeds.TLPAmberStrict, true},
		{"RED", feeds.TLPRed, true},
		{"UNLABELED", feeds.TLPUnspecified, true},
		{"", feeds.TLPUnspecified, false},
		{"PURPLE", feeds.TLPUnspecified, false},
	} {
		got, ok := distTLPLabel(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("distTLPLabel(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
