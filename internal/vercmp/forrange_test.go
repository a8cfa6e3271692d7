package vercmp

import (
	"errors"
	"testing"
)

// TestForRange pins the decisions of the table in doc.go.
func TestForRange(t *testing.T) {
	for _, tt := range []struct {
		typ, eco string
		name     string // "" when an error is expected
		noted    bool
		err      error
	}{
		{"SEMVER", "Go", "SemVer", false, nil},
		{"SEMVER", "", "SemVer", false, nil},
		{"ECOSYSTEM", "Go", "Go", false, nil},
		{"ECOSYSTEM", "Debian:11", "Debian", false, nil},
		{"ECOSYSTEM", "AlmaLinux:9", "AlmaLinux", false, nil},
		{"ECOSYSTEM", "", "", false, ErrUnknownScheme},
		{"ECOSYSTEM", "purl-type:swift", "", false, ErrUnknownScheme},
		{"GIT", "", "", false, ErrNotOrderable},
		{"git", "PyPI", "", false, ErrNotOrderable},
		{"original_commit_for_fix", "", "", false, ErrNotOrderable},
		{"VERS", "", "", false, ErrNotOrderable},
		{"TEXT", "", "", false, ErrNotOrderable},
		{"patch", "", "", false, ErrNotOrderable},
		{"semver", "", "semver (loose)", false, nil},
		{"semver", "PyPI", "PyPI", false, nil},
		{"custom", "", "generic", false, nil},
		{"custom", "npm", "npm", false, nil},
		{"UNSPECIFIED", "", "generic", false, nil},
		{"", "", "generic", false, nil},
		{"rpm", "", "rpm", false, nil},
		{"maven", "", "maven", false, nil},
		{"python", "", "pypi", false, nil},
		{"pypi", "", "pypi", false, nil},
		{"npm", "", "npm", false, nil},
		{"generic", "", "generic", false, nil},
		{"8.0U2", "", "generic", true, nil},
		{"12.8.3", "", "generic", true, nil},
		{"7.0U3o", "unknown-eco", "generic", true, nil},
		{"8.0U2", "Debian", "Debian", false, nil},
	} {
		s, err := ForRange(tt.typ, tt.eco)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ForRange(%q, %q) error = %v, want %v", tt.typ, tt.eco, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ForRange(%q, %q): %v", tt.typ, tt.eco, err)
			continue
		}
		if s.Name() != tt.name || (Note(s) != "") != tt.noted {
			t.Errorf("ForRange(%q, %q) = %q (note %q), want %q (noted %v)", tt.typ, tt.eco, s.Name(), Note(s), tt.name, tt.noted)
		}
	}
}
