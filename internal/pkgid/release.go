package pkgid

import "strings"

// SameRelease reports whether two distribution releases, as Package.Release
// gives them, can name the same system: true when either is unknown (""),
// when they are equal ignoring case, and when one is a dotted prefix of
// the other ("8" and "8.6": OSV scopes AlmaLinux and Rocky advisories to
// major releases, Red Hat streams and purl distro qualifiers often carry
// the minor release).
func SameRelease(a, b string) bool {
	if a == "" || b == "" || strings.EqualFold(a, b) {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(b) > len(a) && b[len(a)] == '.' && strings.EqualFold(a, b[:len(a)])
}

// purlRelease derives Package.Release for a distribution purl from its
// distro qualifier, or for Red Hat-family rpms without one from the
// ".elN" marker of the version's release field.
func purlRelease(typ, ns, distro, version string) string {
	d := strings.ToLower(strings.TrimSpace(distro))
	ns = strings.ToLower(ns)
	switch typ {
	case "deb":
		switch ns {
		case "debian":
			return debianRelease(trimPrefixes(d, "debian-", "debian:", "debian"))
		case "ubuntu":
			return ubuntuRelease(trimPrefixes(d, "ubuntu-", "ubuntu:", "ubuntu"))
		}
	case "apk":
		if ns == "alpine" {
			return alpineRelease(trimPrefixes(d, "alpine-", "alpine:", "alpine"))
		}
	case "rpm":
		if d != "" {
			// "rhel-8.6", "almalinux-9.4", "el9", "fedora-25" → from the
			// first digit on.
			if i := strings.IndexFunc(d, func(r rune) bool { return '0' <= r && r <= '9' }); i >= 0 {
				return d[i:]
			}
			return d
		}
		switch rpmNamespace(ns) {
		case "redhat", "almalinux", "rocky":
			return elRelease(version)
		}
	}
	return d
}

// osvRelease derives Package.Release from an OSV ecosystem suffix.
func osvRelease(base, suffix string) string {
	s := strings.TrimSpace(suffix)
	switch base {
	case "Debian":
		return debianRelease(strings.ToLower(s))
	case "Ubuntu":
		// "22.04:LTS", "Pro:18.04:LTS", "24.10"
		for f := range strings.SplitSeq(s, ":") {
			if f != "" && isDigit(f[0]) {
				return ubuntuRelease(f)
			}
		}
		return strings.ToLower(s)
	case "Alpine":
		return alpineRelease(strings.ToLower(s))
	case "Red Hat":
		// A CPE without its "cpe:/[ao]:redhat:" prefix:
		// "enterprise_linux:9::appstream", "rhel_aus:8.6::appstream".
		f := strings.Split(s, ":")
		if len(f) > 1 {
			return strings.ToLower(f[1])
		}
		return ""
	case "Wolfi", "Chainguard":
		return ""
	}
	return strings.ToLower(s)
}

func trimPrefixes(s string, prefixes ...string) string {
	for _, p := range prefixes {
		if t, ok := strings.CutPrefix(s, p); ok {
			return t
		}
	}
	return s
}

// debianRelease maps a Debian release ("11", "11.5", "bullseye") to the
// major release number OSV's "Debian:<release>" uses.
func debianRelease(s string) string {
	if s == "" {
		return ""
	}
	if isDigit(s[0]) {
		major, _, _ := strings.Cut(s, ".")
		return major
	}
	switch s {
	case "hamm":
		return "2"
	case "slink":
		return "2.1"
	case "potato":
		return "2.2"
	case "woody":
		return "3.0"
	case "sarge":
		return "3.1"
	case "etch":
		return "4"
	case "lenny":
		return "5"
	case "squeeze":
		return "6"
	case "wheezy":
		return "7"
	case "jessie":
		return "8"
	case "stretch":
		return "9"
	case "buster":
		return "10"
	case "bullseye":
		return "11"
	case "bookworm":
		return "12"
	case "trixie":
		return "13"
	case "forky":
		return "14"
	case "unstable":
		return "sid"
	}
	return s
}

// ubuntuRelease maps an Ubuntu release ("22.04", "22.04.3", "jammy") to
// the "YY.MM" form OSV's "Ubuntu:<release>" uses.
func ubuntuRelease(s string) string {
	if s == "" {
		return ""
	}
	if isDigit(s[0]) {
		f := strings.SplitN(s, ".", 3)
		if len(f) >= 2 {
			return f[0] + "." + f[1]
		}
		return s
	}
	switch s {
	case "trusty":
		return "14.04"
	case "xenial":
		return "16.04"
	case "bionic":
		return "18.04"
	case "focal":
		return "20.04"
	case "groovy":
		return "20.10"
	case "hirsute":
		return "21.04"
	case "impish":
		return "21.10"
	case "jammy":
		return "22.04"
	case "kinetic":
		return "22.10"
	case "lunar":
		return "23.04"
	case "mantic":
		return "23.10"
	case "noble":
		return "24.04"
	case "oracular":
		return "24.10"
	case "plucky":
		return "25.04"
	case "questing":
		return "25.10"
	}
	return s
}

// alpineRelease maps an Alpine release ("3.22.0", "v3.18") to the
// "major.minor" form of OSV's "Alpine:v<release>" without the "v".
func alpineRelease(s string) string {
	s = strings.TrimPrefix(s, "v")
	if s == "" || !isDigit(s[0]) {
		return s
	}
	f := strings.SplitN(s, ".", 3)
	if len(f) >= 2 {
		return f[0] + "." + f[1]
	}
	return s
}

// elRelease finds the "elN" marker in an rpm version's release field,
// after "." or "+" ("1.1.1k-7.el8_6", "1.module+el8.6.0+1234" → "8"),
// or "".
func elRelease(version string) string {
	_, rel, ok := strings.Cut(version, "-")
	if !ok {
		return ""
	}
	for i := 1; i+2 < len(rel); i++ {
		if rel[i] != 'e' || rel[i+1] != 'l' || (rel[i-1] != '.' && rel[i-1] != '+') {
			continue
		}
		n := i + 2
		for n < len(rel) && isDigit(rel[n]) {
			n++
		}
		if n > i+2 {
			return rel[i+2 : n]
		}
	}
	return ""
}
