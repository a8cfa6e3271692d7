package vercmp

import (
	"errors"
	"strings"
	"testing"
)

// TestEcosystemOrder checks orderings that each ecosystem's documentation
// states (dpkg: epoch, then "~" before anything; rpm: epoch and "~"; apk:
// suffixes and -rN; PEP 440 pre, post and dev releases; Maven qualifiers;
// SemVer pre-release precedence; NuGet case-insensitive pre-release).
func TestEcosystemOrder(t *testing.T) {
	for _, tt := range []struct {
		eco, a, b string
		want      int
	}{
		{"Go", "v1.2.3", "1.2.3", 0},
		{"Go", "1.19.0-0", "1.19.0", -1},
		{"Go", "1.18.10", "1.19.0-0", -1},
		{"Go", "1.19.0-0", "1.19.0-rc.1", -1},
		{"Go", "v2.0.0+incompatible", "v2.0.0", 0}, // build metadata is ignored, as golang.org/x/mod/semver does
		{"Go", "v2.0.0+incompatible", "v2.0.1", -1},
		{"Go", "v1.9.9", "v2.0.0+incompatible", -1},
		{"Go", "0.0.0-20210101000000-abcdefabcdef", "0.0.0-20220101000000-abcdefabcdef", -1},
		{"Go", "0.0.0-20210101000000-abcdefabcdef", "0.1.0", -1},
		{"npm", "1.0.0-alpha", "1.0.0-alpha.1", -1},
		{"npm", "1.0.0-alpha.beta", "1.0.0-beta", -1},
		{"npm", "1.0.0-beta.2", "1.0.0-beta.11", -1},
		{"npm", "1.0.0-rc.1", "1.0.0", -1},
		{"crates.io", "0.9.9", "0.10.0", -1},
		{"PyPI", "1.0a1", "1.0", -1},
		{"PyPI", "1.0.dev1", "1.0a1", -1},
		{"PyPI", "1.0", "1.0.post1", -1},
		{"PyPI", "1.0", "1.0.0", 0},
		{"PyPI", "1!0.1", "2.0", 1},
		{"PyPI", "1.0+local", "1.0", 1},
		{"Maven", "1.0-alpha-1", "1.0", -1},
		{"Maven", "1.0-SNAPSHOT", "1.0", -1},
		{"Maven", "1.0", "1.0-sp1", -1},
		{"Maven", "1", "1.0.0", 0},
		{"NuGet", "1.0.0-BETA", "1.0.0-beta", 0},
		{"NuGet", "1.0.0", "1.0.0.1", -1},
		{"RubyGems", "1.2.4.beta", "1.2.4", -1},
		{"RubyGems", "3.2", "3.10", -1},
		{"Packagist", "v1.2.3", "1.2.4", -1},
		{"Packagist", "1.0.0-beta1", "1.0.0", -1},
		{"Pub", "1.0.0-pre", "1.0.0", -1},
		{"Hex", "1.0.0", "1.0.1", -1},
		{"Debian", "1:1.0", "2.0", 1},
		{"Debian", "1.0~rc1", "1.0", -1},
		{"Debian", "1.0-1", "1.0-1+deb10u1", -1},
		{"Debian:11", "2.3.1-1+deb10u1", "2.3.1-1+deb10u2", -1},
		{"Ubuntu:22.04:LTS", "1.2-3ubuntu1", "1.2-3ubuntu2", -1},
		{"Alpine:v3.18", "1.0_rc1", "1.0", -1},
		{"Alpine", "1.0-r1", "1.0-r2", -1},
		{"Alpine", "1.0_p1", "1.0", 1},
		{"Wolfi", "3.0.8-r0", "3.0.10-r0", -1},
		{"Red Hat:rhel_aus:8.4::appstream", "1:1.0-1.el8", "2.0-1.el8", 1},
		{"AlmaLinux:9", "2.06-27.el9_0.7.alma", "1:2.06-27.el9_0.7.alma", -1},
		{"Rocky Linux:9", "1.0~rc1-1", "1.0-1", -1},
		{"SUSE:SUSE Linux Enterprise Server 15 SP5", "1.2.3-150500.1.1", "1.2.3-150500.3.1", -1},
		{"openSUSE:Leap 15.5", "1.0^20230101-1", "1.0-1", 1},
		{"CRAN", "1.2-3", "1.2-10", -1},
		{"Hackage", "1.2.3", "1.10", -1},
		{"Root:Alpine:3.18", "1.0-r1", "1.0-r2", -1},
	} {
		s, err := ForEcosystem(tt.eco)
		if err != nil {
			t.Errorf("ForEcosystem(%q): %v", tt.eco, err)
			continue
		}
		got, err := Compare(s, tt.a, tt.b)
		if err != nil {
			t.Errorf("%s: Compare(%q, %q): %v", tt.eco, tt.a, tt.b, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s: Compare(%q, %q) = %d, want %d", tt.eco, tt.a, tt.b, got, tt.want)
		}
	}
}

// TestEcosystemRejects checks that placeholders and garbage are errors in
// every ecosystem: osv-scalibr's semantic accepts them (it orders "" before
// "1.0" in every ecosystem), so our validation must catch them.
func TestEcosystemRejects(t *testing.T) {
	garbage := []string{"", " ", "n/a", "latest", "*", "-", "unspecified", "all", " 1.0", "1.0 ", "1.0\n", "1.\u00e90"}
	for key, e := range ecosystems {
		s, err := ForEcosystem(e.name)
		if err != nil {
			t.Errorf("ForEcosystem(%q) (table key %q): %v", e.name, key, err)
			continue
		}
		for _, g := range garbage {
			if _, err := s.Parse(g); !errors.Is(err, ErrInvalidVersion) {
				t.Errorf("%s: Parse(%q) error = %v, want ErrInvalidVersion", e.name, g, err)
			}
		}
	}
	for _, tt := range []struct{ eco, v string }{
		{"Go", "1.2"},
		{"Go", "01.2.3"},
		{"Go", "1.2.3-01"},
		{"Go", "go1.21.0"},
		{"npm", "1.2.3.4"},
		{"npm", "^1.2.3"},
		{"PyPI", "0.1-bulbasaur"},
		{"PyPI", "1.0-foo-bar"},
		{"Maven", "RELEASE"},
		{"Maven", "-1.0"},
		{"NuGet", "1.2.3.4.5"},
		{"RubyGems", "1beta"},
		{"Packagist", "dev-main"},
		{"Debian", "a1.0"},
		{"Debian", "x:1.0"},
		{"Debian", "1.0-"},
		{"Debian", "1.0-1_2"},
		{"Alpine", "1.0-r"},
		{"Alpine", "1.0_foo"},
		{"Alpine", "1..0"},
		{"Red Hat", "a:1.0"},
		{"Red Hat", "1.0-"},
		{"Red Hat", "+1.0"},
		{"CRAN", "1"},
		{"Hackage", "1.0-1"},
		{"Bitnami", "v"},
	} {
		s, err := ForEcosystem(tt.eco)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Parse(tt.v); !errors.Is(err, ErrInvalidVersion) {
			t.Errorf("%s: Parse(%q) error = %v, want ErrInvalidVersion", tt.eco, tt.v, err)
		}
	}
}

func TestForEcosystem(t *testing.T) {
	for in, want := range map[string]string{
		"Go":                              "Go",
		"go":                              "Go",
		"Debian:11":                       "Debian",
		"AlmaLinux:9":                     "AlmaLinux",
		"Alpine:v3.18":                    "Alpine",
		"Ubuntu:22.04:LTS":                "Ubuntu",
		"Ubuntu:Pro:18.04:LTS":            "Ubuntu",
		"Red Hat:rhel_aus:8.4::appstream": "Red Hat",
		"Maven:https://maven.google.com":  "Maven",
		"Root:Alpine:3.18":                "Alpine",
		"Root:PyPI":                       "PyPI",
		"crates.io":                       "crates.io",
	} {
		s, err := ForEcosystem(in)
		if err != nil {
			t.Errorf("ForEcosystem(%q): %v", in, err)
			continue
		}
		if s.Name() != want {
			t.Errorf("ForEcosystem(%q).Name() = %q, want %q", in, s.Name(), want)
		}
	}
	for _, in := range []string{"", "FreeBSD:ports", "Linux", "GIT", "purl-type:swift", "OSS-Fuzz", "Root"} {
		if _, err := ForEcosystem(in); !errors.Is(err, ErrUnknownScheme) {
			t.Errorf("ForEcosystem(%q) error = %v, want ErrUnknownScheme", in, err)
		}
	}
}

func TestSemVer(t *testing.T) {
	for _, v := range []string{"1.2.3", "v1.2.3", "0.0.0", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85", "1.0.0-x-y-z.--"} {
		if _, err := SemVer().Parse(v); err != nil {
			t.Errorf("Parse(%q): %v", v, err)
		}
	}
	for _, v := range []string{"0", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.3-01", "1.2.3-", "1.2.3+", "1.2.3-a..b", "1.2.3 ", "v", "1.2.3_4", "=1.2.3"} {
		_, err := SemVer().Parse(v)
		if !errors.Is(err, ErrInvalidVersion) {
			t.Errorf("Parse(%q) error = %v, want ErrInvalidVersion", v, err)
		}
	}
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"1.0.0", "2.0.0", -1},
		{"2.0.0", "2.1.0", -1},
		{"2.1.0", "2.1.1", -1},
		{"1.0.0-alpha", "1.0.0", -1},
		{"1.0.0-alpha", "1.0.0-alpha.1", -1},
		{"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
		{"1.0.0-beta.11", "1.0.0-rc.1", -1},
		{"1.0.0+a", "1.0.0+b", 0},
		{"v1.0.0", "1.0.0", 0},
	} {
		if got, err := Compare(SemVer(), tt.a, tt.b); err != nil || got != tt.want {
			t.Errorf("Compare(%q, %q) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
		}
	}
	loose := semverLoose()
	if c, err := Compare(loose, "6.13", "6.13.0"); err != nil || c != 0 {
		t.Errorf("loose: Compare(6.13, 6.13.0) = %d, %v; want 0", c, err)
	}
	if c, err := Compare(loose, "5.10.235", "6.1"); err != nil || c != -1 {
		t.Errorf("loose: Compare(5.10.235, 6.1) = %d, %v; want -1", c, err)
	}
}

func TestErrorMessages(t *testing.T) {
	s, _ := ForEcosystem("Debian")
	_, err := s.Parse("1.0-1_2")
	want := `vercmp: Debian version "1.0-1_2": unexpected character '_' in the revision at position 5`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant    %s", err, want)
	}
	_, err = Generic().Parse("5.9.2 and older")
	if err == nil || !strings.Contains(err.Error(), `word "and" looks like prose`) {
		t.Errorf("error = %v, want the prose word named", err)
	}
}
