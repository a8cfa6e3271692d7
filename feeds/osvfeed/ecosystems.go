package osvfeed

import (
	"fmt"
	"slices"
	"strings"
)

// ecosystems are the ecosystem names of the OSV schema's ecosystems.json
// (ossf/osv-schema commit 51b8156b, 48 names, in that file's order; a test
// checks the list against testdata/ecosystems.json).
var ecosystems = []string{
	"AlmaLinux",
	"Alpaquita",
	"Alpine",
	"Android",
	"Azure Linux",
	"BellSoft Hardened Containers",
	"Bioconductor",
	"Bitnami",
	"Chainguard",
	"CleanStart",
	"ConanCenter",
	"CRAN",
	"crates.io",
	"Debian",
	"Docker Hardened Images",
	"Echo",
	"FreeBSD",
	"GHC",
	"GitHub Actions",
	"Go",
	"Hackage",
	"Hex",
	"Julia",
	"Kubernetes",
	"Linux",
	"Mageia",
	"Maven",
	"MinimOS",
	"npm",
	"NuGet",
	"opam",
	"openEuler",
	"openSUSE",
	"OSS-Fuzz",
	"Packagist",
	"Photon OS",
	"Pub",
	"PyPI",
	"Red Hat",
	"Rocky Linux",
	"Root",
	"RubyGems",
	"SUSE",
	"SwiftURL",
	"TuxCare",
	"Ubuntu",
	"VSCode",
	"Wolfi",
}

// PURLTypePrefix starts the ecosystem names GitHub uses for packages that
// have no OSV ecosystem ("purl-type:swift" in GHSA-qppj-fm5r-hxr3): the
// rest is a purl type and the package name is written as that type's
// ecosystem writes it (a repository URL for swift).
const PURLTypePrefix = "purl-type:"

// Ecosystems returns the ecosystem names the package knows, from the OSV
// schema's ecosystems.json, sorted. The caller may modify the slice.
func Ecosystems() []string {
	out := slices.Clone(ecosystems)
	slices.Sort(out)
	return out
}

// SplitEcosystem splits an OSV ecosystem string into the ecosystem name
// and its suffix at the first ":": "AlmaLinux:9" gives ("AlmaLinux", "9"),
// "Red Hat:rhel_aus:8.6::appstream" gives ("Red Hat", "rhel_aus:8.6::appstream"),
// "Go" gives ("Go", ""). The suffix scopes a distribution ecosystem to a
// release (Maven and Packagist use it for a repository URL); filter on the
// whole string to keep releases apart. GitHub's "purl-type:<type>" names
// are not split: they are returned whole with an empty suffix.
func SplitEcosystem(eco string) (name, suffix string) {
	if strings.HasPrefix(eco, PURLTypePrefix) {
		return eco, ""
	}
	name, suffix, _ = strings.Cut(eco, ":")
	return name, suffix
}

// KnownEcosystem reports whether eco names an ecosystem of the OSV list,
// with or without a suffix ("AlmaLinux:9", "Go"). Names are compared
// exactly, as OSV does: "pypi" is not known. GitHub's "purl-type:<type>"
// names are reported known.
func KnownEcosystem(eco string) bool {
	if strings.HasPrefix(eco, PURLTypePrefix) {
		return len(eco) > len(PURLTypePrefix)
	}
	name, _ := SplitEcosystem(eco)
	return slices.Contains(ecosystems, name)
}

// checkEcosystem returns a warning for an ecosystem string outside the OSV
// list, or "".
func checkEcosystem(eco string) string {
	if KnownEcosystem(eco) {
		return ""
	}
	name, _ := SplitEcosystem(eco)
	for _, k := range ecosystems {
		if strings.EqualFold(k, strings.TrimSpace(name)) {
			return fmt.Sprintf("ecosystem %q is not in the OSV list (OSV spells it %q)", clip(eco), k)
		}
	}
	return fmt.Sprintf("ecosystem %q is not in the OSV list", clip(eco))
}
