package osvfeed

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

var (
	// semverPattern is the SemVer 2.0.0 grammar (semver.org), without a
	// leading "v".
	semverPattern = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
		`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
		`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)
	// pep440Pattern is the version grammar of PEP 440, appendix B
	// (VERSION_PATTERN), anchored.
	pep440Pattern = regexp.MustCompile(`(?i)^v?(?:(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*` +
		`(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?` +
		`(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?` +
		`(?:[-_.]?dev[-_.]?[0-9]*)?)(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$`)
)

// checkVersion returns a warning for a version string that cannot be a
// version of its scheme, or "". rangeType is the range's type ("" for the
// versions list). The checks are deliberately narrow: SEMVER ranges must
// hold SemVer 2.0 versions; PyPI versions must follow PEP 440; Go versions
// must be SemVer (with or without "v", as Go vulndb and GHSA differ). Any
// other version must be non-blank and free of whitespace and control
// characters. The value is kept either way.
func checkVersion(eco, rangeType, v string) string {
	if strings.TrimSpace(v) == "" {
		return "blank version"
	}
	if i := strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); i >= 0 {
		return fmt.Sprintf("version %q contains whitespace or a control character", clip(v))
	}
	name, _ := SplitEcosystem(eco)
	switch {
	case rangeType == "GIT":
		return ""
	case rangeType == "SEMVER":
		if !semverPattern.MatchString(v) {
			return fmt.Sprintf("version %q in a SEMVER range is not a semantic version", clip(v))
		}
	case name == "PyPI":
		if !pep440Pattern.MatchString(v) {
			return fmt.Sprintf("invalid PyPI version %q (not PEP 440)", clip(v))
		}
	case name == "Go":
		if !semverPattern.MatchString(strings.TrimPrefix(v, "v")) {
			return fmt.Sprintf("invalid Go version %q (not a semantic version)", clip(v))
		}
	}
	return ""
}
