package vercmp

import (
	"errors"
	"strings"
	"testing"
)

func TestParseVersErrors(t *testing.T) {
	for _, tt := range []struct {
		in, want string
	}{
		// Real-world misuse.
		{"vers:all/<V3.1.4", `type "all" only takes the constraint "*" (vers:all/*), not "<V3.1.4"`},
		{"vers:generic/PAN-OS Firewall>=11.2.10", "whitespace is not permitted (encode a space as %20) at position 19"},
		{"vers:generic/PAN-OS%20Firewall>=11.2.10", `character '>' must be percent-encoded (a comparator must start the constraint)`},
		// Syntax.
		{"", `no ":" after the scheme`},
		{"vers", `no ":" after the scheme`},
		{"VERS:npm/1.0.0", `the scheme must be lowercase "vers"`},
		{"purl:npm/1.0.0", `the scheme must be "vers"`},
		{"vers:npm", `no "/" after the type`},
		{"vers:NPM/1.0.0", "the type must be lowercase at position 5"},
		{"vers:/1.0.0", "empty type"},
		{"vers:1npm/1.0.0", "the type must start with a letter"},
		{"vers:np_m/1.0.0", "unexpected character '_' in the type"},
		{"vers:npm/", "no constraints"},
		{"vers:npm/|1.0.0", "leading pipe"},
		{"vers:npm/1.0.0|", "trailing pipe"},
		{"vers:npm/1.0.0||2.0.0", "consecutive pipes"},
		{"vers:npm/=1.0.0", `must not start with "="`},
		{"vers:npm/*|1.0.0", `"*" must be the only constraint`},
		{"vers:npm/1.0.0|*", `"*" must be the only constraint`},
		{"vers:npm/>=", "empty version"},
		{"vers:npm/>==1.0.0", `character '=' must be percent-encoded`},
		{"vers:npm/1.0.0%2", "invalid percent-encoding"},
		{"vers:npm/1.0.0%2e", "not canonical (use uppercase hex)"},
		{"vers:npm/1.0.0%2E1", `percent-encoding of '.' is not canonical`},
		{"vers:npm/1.0.0\x01", "only printable ASCII"},
		{"vers:npm/caf\u00e9", "only printable ASCII"},
		{"vers:invalid/1.0.0", "reserved for intentionally invalid"},
		// Canonical order (vers-spec §5.4).
		{"vers:npm/>=2.0.0|<1.0.0", "not sorted by version"},
		{"vers:npm/1.0.0|1.0.0", "duplicate version"},
		{"vers:npm/>=1.0.0|<=1.0.0", "duplicate version"},
		{"vers:npm/>=1.0.0|>=2.0.0", "lower and upper bounds must alternate"},
		{"vers:npm/<1.0.0|<2.0.0", "lower and upper bounds must alternate"},
		{"vers:npm/1.0.0|<2.0.0", "is redundant"},
		{"vers:pypi/0.1-bulbasaur", `constraint 1 "0.1-bulbasaur": pypi version "0.1-bulbasaur": not a PEP 440 version`},
		{"vers:generic/>=22.7R1|<22.7.2", "cannot order"},
	} {
		_, err := ParseVers(tt.in)
		if !errors.Is(err, ErrInvalidRange) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseVers(%q) error = %v; want ErrInvalidRange containing %q", tt.in, err, tt.want)
		}
	}
}

func TestParseVersValid(t *testing.T) {
	for _, in := range []string{
		"vers:npm/1.2.3|>=2.0.0|<5.0.0",
		"vers:gem/>=2.2.0|!=2.2.1|<2.3.0",
		"vers:generic/>=2.9|<=4.1", // the OASIS CSAF example: valid
		"vers:deb/*",
		"vers:all/*",
		"vers:none/*",
		"vers:pypi/<=1.3.0|3.0.0",
		"vers:pypi/!=1.0|!=2.0",
		"vers:npm/<1.0.0|>=2.0.0|<3.0.0|>3.5.0",
		"vers:golang/>=v1.2.0|<v1.2.5",
		"vers:maven/>=2.0-beta|<2.14.0",
		"vers:example/1%7C2",
		"vers:unregistered-type.x/<b|>a",
		"vers:lexicographic/a%20b|c%25d",
	} {
		v, err := ParseVers(in)
		if err != nil {
			t.Errorf("ParseVers(%q): %v", in, err)
			continue
		}
		if got := v.String(); got != in {
			t.Errorf("ParseVers(%q).String() = %q", in, got)
		}
	}
	v, err := ParseVers("vers:lexicographic/a%20b|c%25d")
	if err != nil {
		t.Fatal(err)
	}
	if want := []Constraint{{"=", "a b"}, {"=", "c%d"}}; v.Constraints[0] != want[0] || v.Constraints[1] != want[1] {
		t.Errorf("constraints = %+v, want %+v", v.Constraints, want)
	}
}

func TestVersContains(t *testing.T) {
	for _, tt := range []struct {
		vers, version string
		in            bool
		why           string
	}{
		{"vers:npm/1.2.3|>=2.0.0|<5.0.0", "1.2.3", true, "equal to the constraint 1.2.3"},
		{"vers:npm/1.2.3|>=2.0.0|<5.0.0", "1.2.4", false, "outside vers:npm/1.2.3|>=2.0.0|<5.0.0"},
		{"vers:npm/1.2.3|>=2.0.0|<5.0.0", "2.0.0", true, "equal to the constraint >=2.0.0"},
		{"vers:npm/1.2.3|>=2.0.0|<5.0.0", "4.9.9", true, "between the constraints >=2.0.0 and <5.0.0"},
		{"vers:npm/1.2.3|>=2.0.0|<5.0.0", "5.0.0", false, "outside vers:npm/1.2.3|>=2.0.0|<5.0.0"},
		{"vers:gem/>=2.2.0|!=2.2.1|<2.3.0", "2.2.1", false, "excluded by the constraint !=2.2.1"},
		{"vers:gem/>=2.2.0|!=2.2.1|<2.3.0", "2.2.2", true, "between the constraints >=2.2.0 and <2.3.0"},
		{"vers:npm/<1.0.0|>=2.0.0|<3.0.0|>3.5.0", "0.9.0", true, "below the constraint <1.0.0"},
		{"vers:npm/<1.0.0|>=2.0.0|<3.0.0|>3.5.0", "1.5.0", false, "outside vers:npm/<1.0.0|>=2.0.0|<3.0.0|>3.5.0"},
		{"vers:npm/<1.0.0|>=2.0.0|<3.0.0|>3.5.0", "3.5.0", false, "outside vers:npm/<1.0.0|>=2.0.0|<3.0.0|>3.5.0"},
		{"vers:npm/<1.0.0|>=2.0.0|<3.0.0|>3.5.0", "3.5.1", true, "above the constraint >3.5.0"},
		{"vers:npm/>1.0.0", "1.0.0", false, "outside vers:npm/>1.0.0"},
		{"vers:npm/<=1.0.0", "1.0.0", true, "equal to the constraint <=1.0.0"},
		{"vers:generic/>=2.9|<=4.1", "3.0", true, "between the constraints >=2.9 and <=4.1"},
		{"vers:generic/>=10.2.0|<10.2.9-h1", "10.2.9", true, "between the constraints >=10.2.0 and <10.2.9-h1"},
		{"vers:generic/>=10.2.0|<10.2.9-h1", "10.2.9-h1", false, "outside vers:generic/>=10.2.0|<10.2.9-h1"},
		{"vers:deb/*", "1:2.3-4", true, "vers:deb/* contains every version"},
		{"vers:none/*", "1.0", false, "vers:none/* contains no version"},
		{"vers:golang/>=v1.2.0|<v1.2.5", "v1.2.4", true, "between the constraints >=v1.2.0 and <v1.2.5"},
	} {
		v, err := ParseVers(tt.vers)
		if err != nil {
			t.Fatalf("ParseVers(%q): %v", tt.vers, err)
		}
		in, why, err := v.ContainsString(tt.version)
		if err != nil || in != tt.in || why != tt.why {
			t.Errorf("%s contains %s = %v, %q, %v; want %v, %q", tt.vers, tt.version, in, why, err, tt.in, tt.why)
		}
	}
	// Errors: no ordering for the type, a version the scheme rejects,
	// versions the scheme cannot order.
	for _, tt := range []struct {
		vers, version string
		kind          error
	}{
		{"vers:example/1.2.3|>=2.0.0|<5.0.0", "2.0.0", ErrUnknownScheme},
		{"vers:alpm/>=1.0", "1.1", ErrUnknownScheme},
		{"vers:npm/>=1.0.0", "n/a", ErrInvalidVersion},
		{"vers:generic/>=22.7R1|<22.7R3", "22.7.1", ErrIncomparable},
	} {
		v, err := ParseVers(tt.vers)
		if err != nil {
			t.Fatalf("ParseVers(%q): %v", tt.vers, err)
		}
		if _, _, err := v.ContainsString(tt.version); !errors.Is(err, tt.kind) {
			t.Errorf("%s contains %s: error %v, want %v", tt.vers, tt.version, err, tt.kind)
		}
	}
	// Contains with an explicit scheme; a nil scheme is an error.
	v, _ := ParseVers("vers:npm/>=1.0.0|<2.0.0")
	s, _ := ForVers("npm")
	if in, err := v.Contains(s, mustParse(t, s, "1.5.0")); err != nil || !in {
		t.Errorf("Contains(1.5.0) = %v, %v", in, err)
	}
	if _, err := v.Contains(nil, mustParse(t, s, "1.5.0")); !errors.Is(err, ErrUnknownScheme) {
		t.Errorf("Contains(nil scheme) error = %v", err)
	}
	if _, err := v.Contains(Generic(), mustParse(t, s, "1.5.0")); !errors.Is(err, ErrIncomparable) {
		t.Errorf("Contains(generic scheme, npm version) error = %v", err)
	}
}

func TestForVers(t *testing.T) {
	for _, name := range []string{"golang", "npm", "pypi", "maven", "deb", "rpm", "apk", "gem", "cargo", "nuget", "composer", "hex", "pub", "cran", "hackage", "swift", "semver", "generic", "intdot", "lexicographic", "datetime", "NPM"} {
		s, err := ForVers(name)
		if err != nil {
			t.Errorf("ForVers(%q): %v", name, err)
			continue
		}
		if s.Name() != strings.ToLower(name) {
			t.Errorf("ForVers(%q).Name() = %q", name, s.Name())
		}
	}
	for _, name := range []string{"", "alpm", "gentoo", "conan", "openssl", "nginx", "example", "test", "invalid", "all", "none"} {
		if _, err := ForVers(name); !errors.Is(err, ErrUnknownScheme) {
			t.Errorf("ForVers(%q) error = %v, want ErrUnknownScheme", name, err)
		}
	}
}

// FuzzParseVers checks that ParseVers never panics, that what it accepts
// prints back unchanged (only canonical input is accepted), and that
// Contains never panics on it.
func FuzzParseVers(f *testing.F) {
	for _, s := range []string{
		"vers:npm/1.2.3|>=2.0.0|<5.0.0", "vers:gem/>=2.2.0|!=2.2.1|<2.3.0", "vers:generic/>=2.9|<=4.1",
		"vers:all/*", "vers:all/<V3.1.4", "vers:generic/PAN-OS Firewall>=11.2.10", "vers:lexicographic/a%20b",
		"vers:datetime/2024-01-01T00:00:00Z", "vers:pypi/<=1.3.0|3.0.0", "vers:deb/>=1:1.0-1|<1:1.0-2",
	} {
		f.Add(s, "1.0")
	}
	f.Fuzz(func(t *testing.T, s, version string) {
		v, err := ParseVers(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidRange) {
				t.Fatalf("ParseVers(%q) error %v does not wrap ErrInvalidRange", s, err)
			}
			return
		}
		if got := v.String(); got != s {
			t.Fatalf("ParseVers(%q).String() = %q", s, got)
		}
		_, _, _ = v.ContainsString(version)
	})
}
