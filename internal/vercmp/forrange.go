package vercmp

import (
	"strings"
)

// versTypes maps vers types (https://github.com/package-url/vers-spec) to
// the OSV ecosystem whose ordering they use.
var versTypes = map[string]string{
	"golang":   "Go",
	"npm":      "npm",
	"pypi":     "PyPI",
	"maven":    "Maven",
	"deb":      "Debian",
	"rpm":      "Red Hat",
	"apk":      "Alpine",
	"gem":      "RubyGems",
	"cargo":    "crates.io",
	"nuget":    "NuGet",
	"composer": "Packagist",
	"hex":      "Hex",
	"pub":      "Pub",
	"cran":     "CRAN",
	"hackage":  "Hackage",
	"swift":    "SwiftURL",
}

// ForVers returns the scheme of a vers type: golang, npm, pypi, maven,
// deb, rpm, apk, gem, cargo, nuget, composer, hex, pub, cran, hackage,
// swift (through the matching OSV ecosystem), semver, generic, intdot,
// lexicographic and datetime. The scheme's Name is the vers type. Any
// other type — including alpm, gentoo, conan, openssl, nginx and the
// reserved types example, test and invalid — gives an error wrapping
// ErrUnknownScheme.
func ForVers(versType string) (Scheme, error) {
	t := strings.ToLower(strings.TrimSpace(versType))
	if eco, ok := versTypes[t]; ok {
		e := ecosystems[strings.ToLower(eco)]
		return &ecoScheme{ecosystem: e, display: t}, nil
	}
	switch t {
	case "semver":
		return semverScheme{name: "semver", strict: true}, nil
	case "generic":
		return Generic(), nil
	case "intdot":
		return intdotScheme{}, nil
	case "lexicographic":
		return lexScheme{}, nil
	case "datetime":
		return datetimeScheme{}, nil
	case "example", "test":
		return nil, kindf(ErrUnknownScheme, "no version ordering is defined for the reserved VERS type: %s", t)
	case "invalid":
		return nil, kindf(ErrUnknownScheme, "invalid VERS type: 'invalid' is reserved for intentionally invalid VERS notations")
	case "all", "none":
		return nil, kindf(ErrUnknownScheme, "vers type %q has no version ordering: it only takes the constraint \"*\"", t)
	case "":
		return nil, kindf(ErrUnknownScheme, "no vers type given")
	}
	return nil, kindf(ErrUnknownScheme, "vers type %q has no known version ordering", clip(versType))
}

// ForRange returns the scheme for a range of the given type whose affected
// entry names ecosystem ("" when it names none): an OSV range type, or a
// CVE 5 versionType as published. The decisions are the table in the
// package documentation (# Range types). In short: OSV "SEMVER" is
// SemVer; "ECOSYSTEM" is ForEcosystem(ecosystem); GIT, VERS, TEXT and
// "patch" ranges cannot be ordered (ErrNotOrderable); for any other type a
// known ecosystem wins, then the type itself, then Generic — and when
// Generic stands in for a type it does not know, Note(scheme) says so and
// InEvents adds that to its reason.
func ForRange(rangeType, ecosystem string) (Scheme, error) {
	t := strings.TrimSpace(rangeType)
	lt := strings.ToLower(t)
	switch {
	case t == "SEMVER":
		return SemVer(), nil
	case lt == "ecosystem":
		return ForEcosystem(ecosystem)
	case lt == "git" || lt == "original_commit_for_fix":
		return nil, kindf(ErrNotOrderable, "range type %q lists commits: commits cannot be ordered without the repository", clip(t))
	case lt == "vers" || lt == "text":
		return nil, kindf(ErrNotOrderable, "range type %q is an expression: parse it with ParseVers or ParseComparators", clip(t))
	case lt == "patch":
		return nil, kindf(ErrNotOrderable, "range type \"patch\": publishers give a patch or build level relative to the version (NetScaler 13.1 below 51.15 means 13.1-51.15), not a version")
	}
	if ecosystem != "" {
		if s, err := ForEcosystem(ecosystem); err == nil {
			return s, nil
		}
	}
	switch lt {
	case "semver":
		return semverLoose(), nil
	case "custom", "unspecified", "":
		return Generic(), nil
	case "python":
		return ForVers("pypi")
	case "debian", "dpkg":
		return ForVers("deb")
	case "rubygems":
		return ForVers("gem")
	case "go":
		return ForVers("golang")
	}
	if s, err := ForVers(lt); err == nil {
		return s, nil
	}
	return notedScheme{Scheme: Generic(), note: "compared with the generic vendor ordering because range type \"" + clip(t) + "\" is not a known version scheme"}, nil
}

// notedScheme is a scheme used in place of another, with the reason.
type notedScheme struct {
	Scheme
	note string
}

func (n notedScheme) noteText() string { return n.note }

// Note returns what the caller must know about how s orders versions: for
// the scheme ForRange returns for an unknown range type, that the generic
// vendor ordering stands in for it. It is "" for every other scheme.
func Note(s Scheme) string {
	if n, ok := s.(interface{ noteText() string }); ok {
		return n.noteText()
	}
	return ""
}
