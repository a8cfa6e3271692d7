package vercmp

import (
	"github.com/google/osv-scalibr/semantic"
)

// SemVer returns the scheme of OSV "SEMVER" ranges: Semantic Versioning
// 2.0.0 (https://semver.org), strictly — MAJOR.MINOR.PATCH without
// leading zeros, optional "-pre.release" and "+build" — tolerating a
// leading "v" ("v1.2.3"). Build metadata does not take part in ordering
// ("1.0.0+x" equals "1.0.0"). The OSV "introduced": "0" bound is handled
// by InEvents, not by Parse.
func SemVer() Scheme { return semverScheme{name: "SemVer", strict: true} }

// semverLoose is the scheme of CVE 5 versionType "semver" without a known
// ecosystem: SemVer 2.0 that also accepts one or two numeric components
// ("6.13" = "6.13.0") and leading zeros, as CNAs write them.
func semverLoose() Scheme { return semverScheme{name: "semver (loose)", strict: false} }

// semverScheme validates SemVer and orders with osv-scalibr's semantic
// SemVer comparison (numeric components, pre-release identifiers per
// SemVer §11, build metadata ignored).
type semverScheme struct {
	name   string
	strict bool
}

func (s semverScheme) Name() string { return s.name }

func (s semverScheme) Parse(str string) (Version, error) {
	if err := precheck(s.name, str, false); err != nil {
		return nil, err
	}
	if reason, pos := checkSemVer(str, s.strict); reason != "" {
		return nil, invalidAt(s.name, str, pos, reason)
	}
	return &ecoVersion{scheme: s.name, raw: str, v: semantic.ParseSemverVersion(trimV(str))}, nil
}

// checkSemVer checks s against the SemVer 2.0.0 grammar (after an optional
// leading "v"). It returns the reason and byte position of the first
// problem, or "" when s is valid. loose accepts 1 to 3 numeric components
// and leading zeros in them.
func checkSemVer(s string, strict bool) (reason string, pos int) {
	i := 0
	if i < len(s) && (s[i] == 'v' || s[i] == 'V') {
		i++
	}
	for n := 0; ; n++ {
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return "expected a number", i
		}
		if strict && i-start > 1 && s[start] == '0' {
			return "leading zero in a numeric component", start
		}
		if n == 2 || i == len(s) || s[i] != '.' {
			if strict && n < 2 {
				return "expected MAJOR.MINOR.PATCH", i
			}
			break
		}
		i++ // '.'
	}
	if i < len(s) && s[i] == '-' {
		i++
		var r string
		if r, i = checkIdents(s, i, true); r != "" {
			return r, i
		}
	}
	if i < len(s) && s[i] == '+' {
		i++
		var r string
		if r, i = checkIdents(s, i, false); r != "" {
			return r, i
		}
	}
	if i < len(s) {
		return "unexpected character " + quoteByte(s[i]), i
	}
	return "", 0
}

// checkIdents checks dot-separated identifiers [0-9A-Za-z-]+ from i; pre
// forbids leading zeros in numeric identifiers (SemVer §9). It returns the
// position after them.
func checkIdents(s string, i int, pre bool) (string, int) {
	for {
		start, digits := i, true
		for i < len(s) && (isAlnum(s[i]) || s[i] == '-') {
			if !isDigit(s[i]) {
				digits = false
			}
			i++
		}
		if i == start {
			return "empty identifier", i
		}
		if pre && digits && i-start > 1 && s[start] == '0' {
			return "leading zero in a numeric pre-release identifier", start
		}
		if i == len(s) || s[i] != '.' {
			return "", i
		}
		i++
	}
}

// trimV removes one leading "v" or "V".
func trimV(s string) string {
	if s != "" && (s[0] == 'v' || s[0] == 'V') {
		return s[1:]
	}
	return s
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return "byte 0x" + string("0123456789abcdef"[c>>4]) + string("0123456789abcdef"[c&15])
}
