package pkgid

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The purl-spec test suite (testdata/purl-spec, see SOURCES.md) run
// through ParsePURL. Every case either passes or is a listed exception
// with its reason; an exception that starts passing fails the test, so
// that the list stays true.

// specCase is one case of either suite format, reduced to what ParsePURL
// can be asked.
type specCase struct {
	id        string // file#index (type)
	kind      string // parse, roundtrip, build
	input     string // the purl to parse ("" for build cases)
	canonical string // expected canonical purl, if any
	fields    *specFields
	invalid   bool
}

type specFields struct {
	Type       *string           `json:"type"`
	Namespace  *string           `json:"namespace"`
	Name       *string           `json:"name"`
	Version    *string           `json:"version"`
	Qualifiers map[string]string `json:"qualifiers"`
	Subpath    *string           `json:"subpath"`
}

// purlSpecExceptions lists the cases where ParsePURL disagrees with the
// suite, and why.
var purlSpecExceptions = map[string]string{
	// The classic suite's type rules that packageurl-go v0.1.7 does not
	// implement (it checks chrome-extension, cpan, julia, otp, swift
	// namespace, vcpkg and vscode-extension only). ParsePURL is lenient
	// here like the library: the identity (Key) is still well defined.
	"test-suite-data.json#27": "packageurl-go v0.1.7 does not check the classic conan rule that a namespace needs a channel qualifier",
	"test-suite-data.json#28": "packageurl-go v0.1.7 does not check the classic conan rule that a channel qualifier needs a namespace",
	"test-suite-data.json#32": "packageurl-go v0.1.7 does not check the classic rule that a cran purl has a version",
	"test-suite-data.json#36": "packageurl-go v0.1.7 does not check the classic rule that a swift purl has a version",
	// By design: the rpm epoch qualifier is folded into Version.
	"tests/types/rpm-test.json#7": `pkgid folds the epoch qualifier into Version ("1:4.22.10-1.el6"), by design`,
	"tests/types/rpm-test.json#9": `pkgid folds the epoch qualifier into Version ("1:4.22.10-1.el6"), by design`,
}

func loadSpecCases(t *testing.T) []specCase {
	t.Helper()
	var cases []specCase

	// The classic single-file suite.
	data, err := os.ReadFile("testdata/purl-spec/test-suite-data.json")
	if err != nil {
		t.Fatal(err)
	}
	var classic []struct {
		Description string  `json:"description"`
		PURL        string  `json:"purl"`
		Canonical   *string `json:"canonical_purl"`
		Invalid     bool    `json:"is_invalid"`
		specFields
	}
	if err := json.Unmarshal(data, &classic); err != nil {
		t.Fatal(err)
	}
	for i, c := range classic {
		sc := specCase{
			id:      fmt.Sprintf("test-suite-data.json#%d", i),
			kind:    "parse",
			input:   c.PURL,
			invalid: c.Invalid,
		}
		if !c.Invalid {
			f := c.specFields
			sc.fields = &f
			if c.Canonical != nil {
				sc.canonical = *c.Canonical
			}
		}
		cases = append(cases, sc)
	}

	// The per-type files.
	files, err := filepath.Glob("testdata/purl-spec/tests/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var suite struct {
			Tests []struct {
				Type     string          `json:"test_type"`
				Input    json.RawMessage `json:"input"`
				Expected json.RawMessage `json:"expected_output"`
				Failure  bool            `json:"expected_failure"`
			} `json:"tests"`
		}
		if err := json.Unmarshal(data, &suite); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		rel := strings.TrimPrefix(filepath.ToSlash(file), "testdata/purl-spec/")
		for i, tc := range suite.Tests {
			sc := specCase{id: fmt.Sprintf("%s#%d", rel, i), kind: tc.Type, invalid: tc.Failure}
			switch tc.Type {
			case "parse", "roundtrip":
				if err := json.Unmarshal(tc.Input, &sc.input); err != nil {
					t.Fatalf("%s: %v", sc.id, err)
				}
				if !tc.Failure && tc.Type == "parse" {
					sc.fields = new(specFields)
					if err := json.Unmarshal(tc.Expected, sc.fields); err != nil {
						t.Fatalf("%s: %v", sc.id, err)
					}
				}
				if !tc.Failure && tc.Type == "roundtrip" {
					if err := json.Unmarshal(tc.Expected, &sc.canonical); err != nil {
						t.Fatalf("%s: %v", sc.id, err)
					}
				}
			case "build":
				// The components become the expected fields of parsing
				// the expected canonical purl.
				if !tc.Failure {
					sc.fields = new(specFields)
					if err := json.Unmarshal(tc.Input, sc.fields); err != nil {
						t.Fatalf("%s: %v", sc.id, err)
					}
					if err := json.Unmarshal(tc.Expected, &sc.canonical); err != nil {
						t.Fatalf("%s: %v", sc.id, err)
					}
				}
			default:
				t.Fatalf("%s: unknown test_type %q", sc.id, tc.Type)
			}
			cases = append(cases, sc)
		}
	}
	return cases
}

// checkSpecCase returns the problems ParsePURL has with one case, and
// whether the case applies to a parser at all.
func checkSpecCase(sc specCase) (problems []string, applicable bool) {
	if sc.kind == "build" {
		if sc.invalid {
			// Invalid components given to a builder: nothing to parse.
			return nil, false
		}
		// Parse the canonical purl the builder should produce and
		// compare with the components.
		p, err := ParsePURL(sc.canonical)
		if err != nil {
			return []string{fmt.Sprintf("canonical %q: %v", sc.canonical, err)}, true
		}
		return compareFields(p, sc.fields), true
	}
	p, err := ParsePURL(sc.input)
	if sc.invalid {
		if err == nil {
			return []string{fmt.Sprintf("%q parsed, want an error (got %+v)", sc.input, p)}, true
		}
		return nil, true
	}
	if err != nil {
		return []string{fmt.Sprintf("%q: %v", sc.input, err)}, true
	}
	if sc.fields != nil {
		problems = append(problems, compareFields(p, sc.fields)...)
	}
	if sc.canonical != "" {
		// The canonical form must be the same package, field by field.
		q, err := ParsePURL(sc.canonical)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("canonical %q: %v", sc.canonical, err))
		case !equalPackage(p, q):
			problems = append(problems, fmt.Sprintf("%q and its canonical form %q differ:\n%+v\n%+v", sc.input, sc.canonical, p, q))
		}
	}
	return problems, true
}

func compareFields(p Package, f *specFields) []string {
	var out []string
	check := func(name, got string, want *string) {
		w := ""
		if want != nil {
			w = *want
		}
		if got != w {
			out = append(out, fmt.Sprintf("%s = %q, want %q", name, got, w))
		}
	}
	check("type", p.Type, f.Type)
	check("namespace", p.Namespace, f.Namespace)
	check("name", p.Name, f.Name)
	check("version", p.Version, f.Version)
	check("subpath", p.Subpath, f.Subpath)
	if len(p.Qualifiers) != 0 || len(f.Qualifiers) != 0 {
		if !maps.Equal(p.Qualifiers, f.Qualifiers) {
			out = append(out, fmt.Sprintf("qualifiers = %v, want %v", p.Qualifiers, f.Qualifiers))
		}
	}
	return out
}

func equalPackage(a, b Package) bool {
	return cmp.Equal(a, b, cmpopts.EquateEmpty())
}

func TestPURLSpecSuite(t *testing.T) {
	cases := loadSpecCases(t)
	var pass, fail, excepted, notApplicable int
	seen := map[string]bool{}
	for _, sc := range cases {
		problems, applicable := checkSpecCase(sc)
		reason, isException := purlSpecExceptions[sc.id]
		seen[sc.id] = true
		switch {
		case !applicable:
			notApplicable++
			t.Logf("%s (%s): not applicable: expected_failure build case (invalid components for a builder); ParsePURL has no builder", sc.id, sc.kind)
		case len(problems) == 0 && isException:
			t.Errorf("%s: listed as an exception (%s) but now passes: remove it from purlSpecExceptions", sc.id, reason)
		case len(problems) == 0:
			pass++
		case isException:
			excepted++
			t.Logf("%s: known exception: %s (%s)", sc.id, reason, strings.Join(problems, "; "))
		default:
			fail++
			t.Errorf("%s (%s): %s", sc.id, sc.kind, strings.Join(problems, "; "))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(purlSpecExceptions)) {
		if !seen[id] {
			t.Errorf("exception %s names no case in the suite", id)
		}
	}
	t.Logf("purl-spec suite: %d cases: %d pass, %d known exceptions, %d not applicable, %d fail",
		len(cases), pass, excepted, notApplicable, fail)
	// The suite must actually have been read (a test that cannot fail is
	// a defect): 41 classic cases and 199 cases in the per-type files.
	if len(cases) != 41+199 {
		t.Errorf("read %d cases, want 240", len(cases))
	}
}
