package vercmp

import (
	"regexp"
	"strings"

	"github.com/google/osv-scalibr/semantic"
)

// ecosystems maps the lower-cased OSV ecosystem name (without ":suffix")
// to its scheme. Ordering comes from osv-scalibr's semantic package;
// validation is ours, because semantic accepts nearly any string (it
// parsed "", "n/a" and "latest" without error in every ecosystem we
// checked, ordering "" before "1.0").
var ecosystems = map[string]ecosystem{
	// SemVer 2.0 (strict, leading "v" tolerated).
	"go":        {"Go", checkStrictSemVer},
	"npm":       {"npm", checkStrictSemVer},
	"crates.io": {"crates.io", checkStrictSemVer},
	"hex":       {"Hex", checkStrictSemVer},
	"swifturl":  {"SwiftURL", checkStrictSemVer},
	"pub":       {"Pub", checkStrictSemVer},
	// semver-like: semantic orders them as dotted numbers plus a suffix.
	"bitnami":                {"Bitnami", checkSemverLike},
	"bioconductor":           {"Bioconductor", checkSemverLike},
	"conancenter":            {"ConanCenter", checkSemverLike},
	"docker hardened images": {"Docker Hardened Images", checkSemverLike},
	"ghc":                    {"GHC", checkSemverLike},
	"julia":                  {"Julia", checkSemverLike},
	// Native schemes.
	"pypi":      {"PyPI", checkPEP440},
	"maven":     {"Maven", checkMaven},
	"nuget":     {"NuGet", checkNuGet},
	"rubygems":  {"RubyGems", checkRubyGems},
	"packagist": {"Packagist", checkPackagist},
	"cran":      {"CRAN", checkCRAN},
	"hackage":   {"Hackage", checkHackage},
	// dpkg.
	"debian": {"Debian", checkDebian},
	"ubuntu": {"Ubuntu", checkDebian},
	// apk.
	"alpine":                       {"Alpine", checkAPK},
	"alpaquita":                    {"Alpaquita", checkAPK},
	"bellsoft hardened containers": {"BellSoft Hardened Containers", checkAPK},
	"chainguard":                   {"Chainguard", checkAPK},
	"minimos":                      {"MinimOS", checkAPK},
	"wolfi":                        {"Wolfi", checkAPK},
	// rpm.
	"almalinux":   {"AlmaLinux", checkRPM},
	"mageia":      {"Mageia", checkRPM},
	"openeuler":   {"openEuler", checkRPM},
	"opensuse":    {"openSUSE", checkRPM},
	"red hat":     {"Red Hat", checkRPM},
	"rocky linux": {"Rocky Linux", checkRPM},
	"suse":        {"SUSE", checkRPM},
}

// ecosystem is one entry of the table: the name semantic knows and our
// validator, which returns the reason and byte position of the first
// problem (-1 when the whole string is at fault; "" when the string is a
// valid version).
type ecosystem struct {
	name  string
	check func(s string) (reason string, pos int)
}

// ForEcosystem returns the scheme of an OSV ecosystem ("Go", "npm",
// "PyPI", "Debian:11", "Ubuntu:22.04:LTS", "Alpine:v3.18", "AlmaLinux:9",
// "Red Hat:rhel_aus:8.4::appstream", "Root:Alpine:3.18", …). The ":suffix"
// (release, product stream, repository URL) does not change the ordering
// and is dropped; names match case-insensitively. An ecosystem without a
// known ordering gives an error wrapping ErrUnknownScheme.
func ForEcosystem(ecosystem string) (Scheme, error) {
	name := strings.TrimSpace(ecosystem)
	base, rest, _ := strings.Cut(name, ":")
	key := strings.ToLower(strings.TrimSpace(base))
	if key == "root" && rest != "" { // Root:<distro or package manager>[:release]
		return ForEcosystem(rest)
	}
	e, ok := ecosystems[key]
	if !ok {
		if name == "" {
			return nil, kindf(ErrUnknownScheme, "no ecosystem given")
		}
		return nil, kindf(ErrUnknownScheme, "ecosystem %q has no known version ordering", clip(ecosystem))
	}
	return &ecoScheme{ecosystem: e}, nil
}

// ecoScheme is an OSV ecosystem ordered by semantic. display, when set,
// is the name shown instead of the ecosystem's (the vers type).
type ecoScheme struct {
	ecosystem
	display string
}

func (s *ecoScheme) Name() string {
	if s.display != "" {
		return s.display
	}
	return s.name
}

func (s *ecoScheme) Parse(str string) (Version, error) {
	name := s.Name()
	if err := precheck(name, str, false); err != nil {
		return nil, err
	}
	if reason, pos := s.check(str); reason != "" {
		return nil, invalidAt(name, str, pos, reason)
	}
	in := str
	if s.name == "Go" { // Go module versions carry "v"; OSV's Go events do not
		in = trimV(in)
	}
	v, err := semantic.Parse(in, s.name)
	if err != nil {
		return nil, kindf(ErrInvalidVersion, "%s version %q: %w", name, clip(str), err)
	}
	return &ecoVersion{scheme: name, raw: str, v: v}, nil
}

// ecoVersion is a version ordered by semantic.
type ecoVersion struct {
	scheme string
	raw    string
	v      semantic.Version
}

func (v *ecoVersion) String() string     { return v.raw }
func (v *ecoVersion) schemeName() string { return v.scheme }

func (v *ecoVersion) Compare(other Version) (int, error) {
	o, ok := other.(*ecoVersion)
	if !ok || o.scheme != v.scheme {
		return 0, otherScheme(v, other)
	}
	c, err := v.v.Compare(o.v)
	if err != nil {
		return 0, kindf(ErrIncomparable, "cannot order %q and %q: %w", clip(v.raw), clip(o.raw), err)
	}
	return sign(c), nil
}

func checkStrictSemVer(s string) (string, int) { return checkSemVer(s, true) }

// checkSemverLike: an optional "v", a digit, then [0-9A-Za-z.+~_-].
func checkSemverLike(s string) (string, int) {
	i := 0
	if s[0] == 'v' || s[0] == 'V' {
		i++
	}
	if i >= len(s) || !isDigit(s[i]) {
		return "must start with a number", i
	}
	return checkChars(s, i, "alnum.+~_-")
}

// checkChars reports the first byte of s[i:] outside the allowed set, where
// "alnum" in allowed stands for ASCII letters and digits.
func checkChars(s string, i int, allowed string) (string, int) {
	alnum := strings.HasPrefix(allowed, "alnum")
	extra := strings.TrimPrefix(allowed, "alnum")
	for ; i < len(s); i++ {
		c := s[i]
		if alnum && isAlnum(c) || strings.IndexByte(extra, c) >= 0 {
			continue
		}
		return "unexpected character " + quoteByte(c), i
	}
	return "", 0
}

// pep440 is the version pattern of PEP 440 Appendix B (packaging's
// VERSION_PATTERN), anchored and case-insensitive. Legacy (non-PEP 440)
// versions are rejected, as pip has done since packaging 22.
var pep440 = regexp.MustCompile(`(?i)^v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*` +
	`(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?` +
	`(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?` +
	`(?:[-_.]?dev[-_.]?[0-9]*)?` +
	`(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$`)

func checkPEP440(s string) (string, int) {
	if !pep440.MatchString(s) {
		return "not a PEP 440 version", -1
	}
	return "", 0
}

// checkMaven: Maven accepts any string; we accept [0-9A-Za-z._+~-]
// starting with a letter or digit and containing a digit, so that words
// such as "RELEASE" or "latest" are not taken for versions.
func checkMaven(s string) (string, int) {
	if !isAlnum(s[0]) {
		return "must start with a letter or digit", 0
	}
	if r, p := checkChars(s, 0, "alnum._+~-"); r != "" {
		return r, p
	}
	if !strings.ContainsAny(s, "0123456789") {
		return "has no number", -1
	}
	return "", 0
}

// nugetRE: 1 to 4 numeric parts, SemVer 2.0 pre-release and metadata.
var nugetRE = regexp.MustCompile(`^[0-9]+(?:\.[0-9]+){0,3}(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$`)

func checkNuGet(s string) (string, int) {
	if !nugetRE.MatchString(s) {
		return "not a NuGet version (N[.N[.N[.N]]][-pre][+meta])", -1
	}
	return "", 0
}

// gemRE is Gem::Version's pattern (without surrounding whitespace).
var gemRE = regexp.MustCompile(`^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$`)

func checkRubyGems(s string) (string, int) {
	if !gemRE.MatchString(s) {
		return "not a RubyGems version", -1
	}
	return "", 0
}

// checkPackagist: Composer versions such as "v1.2.3", "1.2.3.4",
// "2.0.0-beta1", "1.0.x-dev"; branch names ("dev-main") are not versions.
func checkPackagist(s string) (string, int) {
	i := 0
	if s[0] == 'v' || s[0] == 'V' {
		i++
	}
	if i >= len(s) || !isDigit(s[i]) {
		return "must start with a number (branch names are not versions)", i
	}
	return checkChars(s, i, "alnum._+-")
}

var cranRE = regexp.MustCompile(`^[0-9]+(?:[.-][0-9]+)+$`)

func checkCRAN(s string) (string, int) {
	if !cranRE.MatchString(s) {
		return "not a CRAN version (at least two numbers separated by . or -)", -1
	}
	return "", 0
}

var hackageRE = regexp.MustCompile(`^[0-9]+(?:\.[0-9]+)*$`)

func checkHackage(s string) (string, int) {
	if !hackageRE.MatchString(s) {
		return "not a Hackage version (numbers separated by dots)", -1
	}
	return "", 0
}

// checkDebian checks dpkg's [epoch:]upstream[-revision] (Debian Policy
// 5.6.12): a numeric epoch; an upstream version that starts with a digit
// and holds [0-9A-Za-z.+~-:] ("-" only when there is a revision, ":" only
// with an epoch); a revision of [0-9A-Za-z.+~].
func checkDebian(s string) (string, int) {
	off := 0
	up := s
	if i := strings.IndexByte(s, ':'); i >= 0 {
		if i == 0 {
			return "empty epoch", 0
		}
		for j := 0; j < i; j++ {
			if !isDigit(s[j]) {
				return "epoch must be a number", j
			}
		}
		off, up = i+1, s[i+1:]
	}
	if j := strings.LastIndexByte(up, '-'); j >= 0 {
		rev := up[j+1:]
		if rev == "" {
			return "empty revision", off + j + 1
		}
		if r, p := checkChars(rev, 0, "alnum.+~"); r != "" {
			return r + " in the revision", off + j + 1 + p
		}
		up = up[:j]
	}
	if up == "" {
		return "empty upstream version", off
	}
	if !isDigit(up[0]) {
		return "upstream version must start with a digit", off
	}
	if r, p := checkChars(up, 0, "alnum.+~-:"); r != "" {
		return r, off + p
	}
	return "", 0
}

// apkSuffixes are apk-tools' version suffixes.
var apkSuffixes = []string{"alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"}

// checkAPK checks apk-tools' grammar,
// N(.N)*[a-z]?(_suffix[N])*(~hex)?(-rN)?, also accepting digits after the
// letter ("6.6.2p1-r0", as older Alpine openssh packages were numbered).
func checkAPK(s string) (string, int) {
	i := 0
	for {
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return "expected a number", i
		}
		if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
			i++
			continue
		}
		break
	}
	if i < len(s) && s[i] >= 'a' && s[i] <= 'z' {
		i++
		for i < len(s) && isDigit(s[i]) { // "6.6.2p1": older Alpine openssh
			i++
		}
	}
	for i < len(s) && s[i] == '_' {
		i++
		found := false
		for _, suf := range apkSuffixes {
			if strings.HasPrefix(s[i:], suf) {
				i += len(suf)
				found = true
				break
			}
		}
		if !found {
			return "unknown suffix (alpha, beta, pre, rc, cvs, svn, git, hg, p)", i
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && s[i] == '~' {
		i++
		start := i
		for i < len(s) && (isDigit(s[i]) || s[i] >= 'a' && s[i] <= 'f') {
			i++
		}
		if i == start {
			return "expected a hexadecimal commit hash after '~'", i
		}
	}
	if strings.HasPrefix(s[i:], "-r") {
		i += 2
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return "expected a number after \"-r\"", i
		}
	}
	if i < len(s) {
		return "unexpected character " + quoteByte(s[i]), i
	}
	return "", 0
}

// checkRPM checks [epoch:]version[-release]: a numeric epoch, version and
// release of [0-9A-Za-z._+~^] starting with a letter or digit.
func checkRPM(s string) (string, int) {
	off := 0
	rest := s
	if i := strings.IndexByte(s, ':'); i >= 0 {
		if i == 0 {
			return "empty epoch", 0
		}
		for j := 0; j < i; j++ {
			if !isDigit(s[j]) {
				return "epoch must be a number", j
			}
		}
		off, rest = i+1, s[i+1:]
	}
	ver, rel, hasRel := strings.Cut(rest, "-")
	if ver == "" {
		return "empty version", off
	}
	if !isAlnum(ver[0]) {
		return "version must start with a letter or digit", off
	}
	if r, p := checkChars(ver, 0, "alnum._+~^"); r != "" {
		return r, off + p
	}
	if hasRel {
		roff := off + len(ver) + 1
		if rel == "" {
			return "empty release", roff
		}
		if r, p := checkChars(rel, 0, "alnum._+~^"); r != "" {
			return r + " in the release", roff + p
		}
	}
	return "", 0
}
