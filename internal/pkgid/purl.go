package pkgid

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// Errors callers branch on. Parse errors wrap ErrInvalidPURL or
// ErrInvalidCPE; FromEcosystem wraps ErrUnknownEcosystem when it does not
// know the ecosystem.
var (
	ErrInvalidPURL      = errors.New("pkgid: invalid purl")
	ErrInvalidCPE       = errors.New("pkgid: invalid CPE")
	ErrUnknownEcosystem = errors.New("pkgid: unknown ecosystem")
)

// MaxPURLLen caps the length of a purl ParsePURL accepts (16 KiB; real
// purls with download URLs stay under 1 KiB).
const MaxPURLLen = 16 << 10

// Keys of the Go distribution. OSV's Go ecosystem names the standard
// library "stdlib" and the go command "toolchain"; ParsePURL gives
// pkg:golang/stdlib (and pkg:golang/std) the first. A component that is a
// Go installation rather than a program built with one should be indexed
// under both.
const (
	KeyGoStdlib    = "pkg:golang/stdlib"
	KeyGoToolchain = "pkg:golang/toolchain"
)

// Package is the identity of a package, from a purl or from an OSV
// (ecosystem, name) pair.
type Package struct {
	// Type, Namespace, Name, Version, Subpath and Qualifiers are the purl's
	// components as packageurl-go parses and normalises them (type and
	// qualifier keys lower-cased, percent-decoding done, namespace and
	// name lower-cased for the types whose spec says so), with two
	// differences: golang keeps the case of the module path as written
	// (Go module paths are case-sensitive: github.com/Azure/azure-sdk-for-go
	// and github.com/azure/azure-sdk-for-go are different modules), and an
	// rpm "epoch" qualifier is folded into Version as "epoch:version".
	// Qualifiers is nil when the purl has none.
	Type, Namespace, Name, Version, Subpath string
	Qualifiers                              map[string]string

	// Ecosystem is the OSV ecosystem name without suffix ("Go", "npm",
	// "PyPI", "Maven", "crates.io", "RubyGems", "NuGet", "Packagist",
	// "Pub", "Hex", "CRAN", "Hackage", "Debian", "Ubuntu", "Alpine",
	// "Red Hat", "AlmaLinux", "Rocky Linux", "SUSE", "openSUSE", "Wolfi",
	// "Chainguard"), or "" when the type or distribution has none.
	Ecosystem string
	// Release is the distribution release in the form OSV's ecosystem
	// suffix uses, when known: Debian "11" (codenames mapped, point
	// releases dropped; "sid" kept), Ubuntu "22.04" (codenames mapped),
	// Alpine "3.18", AlmaLinux and Rocky "9", Red Hat the stream version
	// ("9", "8.6"). A value that cannot be mapped is kept lower-cased as
	// given (SUSE and openSUSE product names). Compare with SameRelease.
	Release string

	// Key is the identity used by the index: the same package gives the
	// same Key whatever the spelling and whatever the source (a purl or
	// an OSV ecosystem and name). It looks like a purl without version,
	// qualifiers or subpath: "pkg:golang/github.com/Azure/go-amqp",
	// "pkg:pypi/django-rest", "pkg:maven/org.apache.logging.log4j/log4j-core",
	// "pkg:deb/debian/openssl". Versions and releases are not part of it.
	Key string
	// SourceName is the source package a distribution package was built
	// from, when the purl says so (deb "source" or "upstream", apk
	// "origin" or "upstream", rpm "upstream" or "sourcerpm"); OSV names
	// Debian, Ubuntu, Alpine, AlmaLinux, Rocky Linux, SUSE and openSUSE
	// packages by their source package. For an OSV pair of those
	// ecosystems it is the name itself.
	SourceName string
	// SourceKey is the Key of the source package, and equals Key when no
	// other source package is named. Index a component under both Key
	// and SourceKey.
	SourceKey string
	// FoldKey is Key in lower case, for a lower-confidence lookup when a
	// producer changed the case of a case-sensitive name (the purl spec
	// asks for lower-case Go paths, Go module paths are case-sensitive).
	FoldKey string
}

// ParsePURL parses a package URL and computes its identity keys. The
// syntax is checked by github.com/package-url/packageurl-go; see Package
// for the normalisation. The error wraps ErrInvalidPURL.
func ParsePURL(s string) (Package, error) {
	if len(s) > MaxPURLLen {
		return Package{}, fmt.Errorf("%w %q: %d bytes, more than the %d allowed", ErrInvalidPURL, textx.Clip(s, 80), len(s), MaxPURLLen)
	}
	u, err := packageurl.FromString(s)
	if err != nil {
		return Package{}, fmt.Errorf("%w %q: %w", ErrInvalidPURL, textx.Clip(s, 200), err)
	}
	p := Package{
		Type:      u.Type,
		Namespace: u.Namespace,
		Name:      u.Name,
		Version:   u.Version,
		Subpath:   u.Subpath,
	}
	if len(u.Qualifiers) > 0 {
		p.Qualifiers = make(map[string]string, len(u.Qualifiers))
		for _, q := range u.Qualifiers {
			p.Qualifiers[q.Key] = q.Value
		}
	}
	switch p.Type {
	case "golang":
		// packageurl-go lower-cases Go paths as the purl spec asks; take
		// the case back from the input.
		if ns, name, ok := rawNamespaceName(s); ok &&
			strings.ToLower(ns) == p.Namespace && strings.ToLower(name) == p.Name {
			p.Namespace, p.Name = ns, name
		}
	case "rpm":
		if e := p.Qualifiers["epoch"]; e != "" && p.Version != "" && !strings.Contains(p.Version, ":") {
			p.Version = e + ":" + p.Version
		}
	}
	p.finish(sourceFromQualifiers(p.Type, p.Qualifiers))
	if p.Type == "deb" || p.Type == "rpm" || p.Type == "apk" {
		p.Release = purlRelease(p.Type, p.Namespace, p.Qualifiers["distro"], p.Version)
	}
	return p, nil
}

// FromEcosystem builds the identity of the package an OSV record names by
// ecosystem and package name ("Go", "github.com/Azure/go-amqp";
// "Maven", "org.apache.logging.log4j:log4j-core"; "Debian:11", "openssl").
// The ecosystem may carry OSV's ":suffix"; for distributions it becomes
// Release. The Key equals the Key ParsePURL gives a purl of the same
// package. Ecosystems outside the list in Package.Ecosystem give an error
// wrapping ErrUnknownEcosystem.
func FromEcosystem(ecosystem, name string) (Package, error) {
	base, suffix, _ := strings.Cut(ecosystem, ":")
	base = canonicalEcosystem(base)
	if strings.TrimSpace(name) == "" {
		return Package{}, fmt.Errorf("pkgid: ecosystem %q: empty package name", textx.Clip(ecosystem, 80))
	}
	p := Package{Ecosystem: base}
	source := ""
	switch base {
	case "Go":
		p.Type = "golang"
		p.Namespace, p.Name = splitLast(name, "/")
	case "npm":
		p.Type = "npm"
		if strings.HasPrefix(name, "@") {
			ns, n, ok := strings.Cut(name, "/")
			if !ok || n == "" || ns == "@" {
				return Package{}, fmt.Errorf("pkgid: npm package %q: a scoped name is @scope/name", textx.Clip(name, 80))
			}
			p.Namespace, p.Name = ns, n
		} else {
			p.Name = name
		}
	case "PyPI":
		p.Type, p.Name = "pypi", name
	case "Maven":
		p.Type = "maven"
		g, a, ok := strings.Cut(name, ":")
		if !ok || g == "" || a == "" || strings.Contains(a, ":") {
			return Package{}, fmt.Errorf("pkgid: Maven package %q: want groupId:artifactId", textx.Clip(name, 80))
		}
		p.Namespace, p.Name = g, a
	case "crates.io":
		p.Type, p.Name = "cargo", name
	case "RubyGems":
		p.Type, p.Name = "gem", name
	case "NuGet":
		p.Type, p.Name = "nuget", name
	case "Packagist":
		p.Type = "composer"
		p.Namespace, p.Name = splitLast(strings.ToLower(name), "/")
	case "Pub":
		p.Type, p.Name = "pub", name
	case "Hex":
		p.Type, p.Name = "hex", name
	case "CRAN":
		p.Type, p.Name = "cran", name
	case "Hackage":
		p.Type, p.Name = "hackage", name
	case "Debian", "Ubuntu":
		p.Type, p.Namespace, p.Name = "deb", strings.ToLower(base), strings.ToLower(name)
		source = p.Name
		p.Release = osvRelease(base, suffix)
	case "Alpine", "Wolfi", "Chainguard":
		p.Type, p.Namespace, p.Name = "apk", strings.ToLower(base), strings.ToLower(name)
		source = p.Name
		p.Release = osvRelease(base, suffix)
	case "Red Hat", "AlmaLinux", "Rocky Linux", "SUSE", "openSUSE":
		p.Type, p.Namespace, p.Name = "rpm", rpmNamespace(base), name
		if base != "Red Hat" {
			source = name
		}
		p.Release = osvRelease(base, suffix)
	default:
		return Package{}, fmt.Errorf("%w %q (package %q)", ErrUnknownEcosystem, textx.Clip(ecosystem, 80), textx.Clip(name, 80))
	}
	p.finish(source)
	return p, nil
}

// finish sets Ecosystem (for purls), Key, SourceName, SourceKey and FoldKey.
func (p *Package) finish(source string) {
	if p.Ecosystem == "" {
		p.Ecosystem = purlEcosystem(p.Type, p.Namespace)
	}
	ns, name := keyParts(p.Type, p.Namespace, p.Name)
	p.Key = key(p.Type, ns, name)
	p.SourceKey = p.Key
	if source != "" {
		p.SourceName = source
		if _, s := keyParts(p.Type, p.Namespace, source); s != name {
			p.SourceKey = key(p.Type, ns, s)
		}
	}
	p.FoldKey = strings.ToLower(p.Key)
}

// keyParts normalises a namespace and name for the Key, by type.
func keyParts(typ, ns, name string) (string, string) {
	switch typ {
	case "golang":
		path := goPath(ns, name)
		if path == "std" {
			path = "stdlib"
		}
		return "", path
	case "npm":
		ns, name = strings.ToLower(ns), strings.ToLower(name)
		if ns != "" && !strings.HasPrefix(ns, "@") {
			ns = "@" + ns
		}
	case "pypi":
		name = PEP503(name)
	case "nuget", "composer", "pub", "hex", "deb", "apk":
		ns, name = strings.ToLower(ns), strings.ToLower(name)
	case "cargo":
		name = strings.ReplaceAll(strings.ToLower(name), "_", "-")
	case "rpm":
		ns = rpmNamespace(ns)
	}
	return ns, name
}

func key(typ, ns, name string) string {
	if ns == "" {
		return "pkg:" + typ + "/" + name
	}
	return "pkg:" + typ + "/" + ns + "/" + name
}

// OSVName returns the package name as OSV writes it for the ecosystem: a
// Go module path ("github.com/Azure/go-amqp", "stdlib"), "@scope/name"
// for npm, "groupId:artifactId" for Maven, "vendor/name" for Packagist, the
// PEP 503 name for PyPI, and for Debian, Ubuntu, Alpine, AlmaLinux,
// Rocky Linux, SUSE and openSUSE the source package when it is known.
func (p Package) OSVName() string {
	switch p.Type {
	case "golang":
		if path := goPath(p.Namespace, p.Name); path != "std" {
			return path
		}
		return "stdlib"
	case "maven":
		if p.Namespace == "" {
			return p.Name
		}
		return p.Namespace + ":" + p.Name
	case "pypi":
		return PEP503(p.Name)
	case "deb", "apk", "rpm":
		if p.SourceName != "" && osvNamesSource(p.Ecosystem) {
			return p.SourceName
		}
		return p.Name
	}
	if p.Namespace == "" {
		return p.Name
	}
	return p.Namespace + "/" + p.Name
}

// NormalizeVersion returns v as the version comparators expect it for the
// ecosystem (an OSV ecosystem, suffix allowed): percent-decoded and trimmed
// for every ecosystem; for Go also without the leading "v" of module
// versions or the "go" of Go release tags ("v1.2.3" and "go1.21.0" give
// "1.2.3" and "1.21.0"), with "+incompatible" and pseudo-version suffixes
// kept, as the Go vulnerability database writes them.
func NormalizeVersion(ecosystem, v string) string {
	v = strings.TrimSpace(v)
	if strings.Contains(v, "%") {
		if d, err := url.PathUnescape(v); err == nil {
			v = strings.TrimSpace(d)
		}
	}
	base, _, _ := strings.Cut(ecosystem, ":")
	if canonicalEcosystem(base) == "Go" {
		switch {
		case len(v) > 1 && v[0] == 'v' && isDigit(v[1]):
			v = v[1:]
		case len(v) > 2 && v[:2] == "go" && isDigit(v[2]):
			v = v[2:]
		}
	}
	return v
}

// PEP503 normalises a Python package name as PEP 503 does: lower case,
// and every run of "-", "_" and "." replaced by a single "-".
func PEP503(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == '.' {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	if sep {
		b.WriteByte('-')
	}
	return b.String()
}

// goPath joins a golang purl's namespace and name into the module path.
// A module path without "/" ("go.opencensus.io") cannot be written as a
// purl with the namespace the spec requires; syft writes it as namespace
// and name both ("pkg:golang/go.opencensus.io/go.opencensus.io", in the
// Flux SBOM), which is read back as the single path.
func goPath(ns, name string) string {
	if ns == "" {
		return name
	}
	if ns == name && strings.Contains(ns, ".") {
		return name
	}
	return ns + "/" + name
}

// splitLast splits s at the last sep: ("a/b/c", "/") gives ("a/b", "c").
func splitLast(s, sep string) (string, string) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", s
	}
	return s[:i], s[i+len(sep):]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// rawNamespaceName extracts the namespace and name of a purl the way
// packageurl-go does (the purl spec's "how to parse"), without changing
// their case. ok is false when a segment does not percent-decode.
func rawNamespaceName(s string) (ns, name string, ok bool) {
	if len(s) < 4 {
		return "", "", false
	}
	rest := strings.TrimLeft(s[4:], "/")
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest = rest[:i]
	}
	_, rest, found := strings.Cut(rest, "/")
	if !found {
		return "", "", false
	}
	if i := strings.LastIndexByte(rest, '@'); i > 0 {
		rest = rest[:i]
	}
	var segs []string
	for _, seg := range strings.Split(rest, "/") {
		if seg == "" {
			continue
		}
		d, err := url.PathUnescape(seg)
		if err != nil {
			return "", "", false
		}
		segs = append(segs, d)
	}
	if len(segs) == 0 {
		return "", "", false
	}
	return strings.Join(segs[:len(segs)-1], "/"), segs[len(segs)-1], true
}

// sourceFromQualifiers returns the source package named by a distribution
// purl's qualifiers, or "".
func sourceFromQualifiers(typ string, q map[string]string) string {
	var v string
	switch typ {
	case "deb":
		v = first(q["source"], q["upstream"])
	case "apk":
		v = first(q["origin"], q["upstream"])
	case "rpm":
		v = first(q["sourcerpm"], q["upstream"])
		if name, ok := strings.CutSuffix(v, ".src.rpm"); ok {
			// name-version-release.src.rpm
			for range 2 {
				if i := strings.LastIndexByte(name, '-'); i > 0 {
					name = name[:i]
				}
			}
			return name
		}
	default:
		return ""
	}
	// syft writes "name@version" or "name (version)" when the source
	// version differs from the binary's.
	if i := strings.IndexAny(v, "@ "); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// canonicalEcosystem returns OSV's spelling of an ecosystem name the
// package knows, matching case-insensitively; other names are returned
// unchanged.
func canonicalEcosystem(base string) string {
	for _, e := range [...]string{"Go", "npm", "PyPI", "Maven", "crates.io", "RubyGems", "NuGet",
		"Packagist", "Pub", "Hex", "CRAN", "Hackage", "Debian", "Ubuntu", "Alpine", "Red Hat",
		"AlmaLinux", "Rocky Linux", "SUSE", "openSUSE", "Wolfi", "Chainguard"} {
		if base == e || strings.EqualFold(base, e) {
			return e
		}
	}
	return base
}

// purlEcosystem maps a purl type (and, for distributions, its namespace)
// to an OSV ecosystem.
func purlEcosystem(typ, ns string) string {
	switch typ {
	case "golang":
		return "Go"
	case "npm":
		return "npm"
	case "pypi":
		return "PyPI"
	case "maven":
		return "Maven"
	case "cargo":
		return "crates.io"
	case "gem":
		return "RubyGems"
	case "nuget":
		return "NuGet"
	case "composer":
		return "Packagist"
	case "pub":
		return "Pub"
	case "hex":
		return "Hex"
	case "cran":
		return "CRAN"
	case "hackage":
		return "Hackage"
	case "deb":
		switch strings.ToLower(ns) {
		case "debian":
			return "Debian"
		case "ubuntu":
			return "Ubuntu"
		}
	case "apk":
		switch strings.ToLower(ns) {
		case "alpine":
			return "Alpine"
		case "wolfi":
			return "Wolfi"
		case "chainguard":
			return "Chainguard"
		}
	case "rpm":
		switch rpmNamespace(ns) {
		case "redhat":
			return "Red Hat"
		case "almalinux":
			return "AlmaLinux"
		case "rocky":
			return "Rocky Linux"
		case "suse":
			return "SUSE"
		case "opensuse":
			return "openSUSE"
		}
	}
	return ""
}

// rpmNamespace maps the spellings of rpm distributions that SBOM tools use
// (os-release IDs) and OSV ecosystem names to one purl namespace.
func rpmNamespace(ns string) string {
	ns = strings.ToLower(ns)
	switch {
	case ns == "redhat" || ns == "red hat" || ns == "rhel":
		return "redhat"
	case ns == "almalinux" || ns == "alma":
		return "almalinux"
	case ns == "rocky" || ns == "rockylinux" || ns == "rocky-linux" || ns == "rocky linux":
		return "rocky"
	case ns == "opensuse" || strings.HasPrefix(ns, "opensuse-"):
		return "opensuse"
	case ns == "suse" || strings.HasPrefix(ns, "sles") || strings.HasPrefix(ns, "sled") || strings.HasPrefix(ns, "sle-") || strings.HasPrefix(ns, "sle_"):
		return "suse"
	}
	return ns
}

// osvNamesSource reports whether OSV names the ecosystem's packages by
// source package (ecosystems.json of the OSV schema).
func osvNamesSource(eco string) bool {
	switch eco {
	case "Debian", "Ubuntu", "Alpine", "AlmaLinux", "Rocky Linux", "SUSE", "openSUSE":
		return true
	}
	return false
}
