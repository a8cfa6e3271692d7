// Package pkgid computes the identity of packages and products for the
// triage engine: purl keys (from a package URL or an OSV ecosystem and
// package name) and CPE 2.3 names with NISTIR 7696 matching. Everything
// here is a pure function over strings: no I/O, no global state. The
// engine computes keys once when it builds its index and compares them as
// plain strings when an advisory arrives.
//
// # purl
//
// [ParsePURL] parses a package URL with github.com/package-url/packageurl-go
// and adds what matching needs: the OSV ecosystem, the distribution release,
// and [Package.Key], a normalised identity that is the same for the same
// package whatever its spelling and whatever its source:
//
//	ParsePURL("pkg:pypi/Django_REST@1").Key       pkg:pypi/django-rest
//	FromEcosystem("PyPI", "django.rest").Key      pkg:pypi/django-rest
//
// The normalisation by type:
//
//	golang    namespace + "/" + name is the module path, case kept (Go paths
//	          are case-sensitive; packageurl-go lower-cases them, ParsePURL
//	          restores the case from the input); pkg:golang/stdlib and
//	          pkg:golang/std are the standard library ("stdlib" in OSV),
//	          pkg:golang/toolchain the go command; subpath ignored
//	npm       scope in the namespace, "@" added when missing; lower case
//	pypi      PEP 503: lower case, runs of "-", "_", "." become "-"
//	maven     group/artifact, case kept (Maven coordinates are case-sensitive:
//	          the purl spec's own HTTPClient/HTTPClient case); qualifiers
//	          such as type=jar and classifier ignored
//	nuget, composer, pub, hex   lower case (NuGet and Packagist compare
//	          names without case; Pub and Hex names are lower case by rule)
//	cargo     lower case, "_" as "-" (crates.io refuses names that differ
//	          only so)
//	gem, cran, hackage          as written
//	deb       namespace debian or ubuntu; release from distro ("debian-11",
//	          "bullseye", "focal", "ubuntu-22.04"); source package from the
//	          source or upstream qualifier; the epoch arrives percent-encoded
//	          in the version and is decoded ("2%3A8.39-12ubuntu0.1")
//	rpm       namespace redhat, almalinux, rocky, suse, opensuse (os-release
//	          spellings such as rhel, sles, opensuse-leap are mapped); the
//	          epoch qualifier folds into the version ("1:1.1.1k-7.el8_6");
//	          source package from upstream or sourcerpm ("x-1.0-1.src.rpm")
//	apk       namespace alpine, wolfi or chainguard; source package from
//	          origin or upstream; release "3.18" from "3.18.2" or "alpine-3.18.2"
//	others    "pkg:type/namespace/name" as packageurl-go normalises it;
//	          Ecosystem ""
//
// OSV names Debian, Ubuntu, Alpine, AlmaLinux, Rocky Linux, SUSE and
// openSUSE packages by source package, so a binary package's purl also
// gets [Package.SourceKey]: index components under Key and SourceKey,
// look advisories up by Key. [Package.FoldKey] is the lower-cased Key for
// a lower-confidence fallback when a producer lower-cased a Go path.
//
// # CPE
//
// [ParseCPE] reads CPE 2.3 formatted strings and CPE 2.2 URIs into a [CPE]
// of well-formed-name values; [CPE.String] writes the canonical formatted
// string and [CPE.Key] the "vendor:product" index key. [CompareAttr] is the
// attribute comparison of NISTIR 7696 Table 6-2 and [Match] the name
// match with the false-positive guards that DependencyTrack adopted; its
// documentation lists them; [Compare] is the plain NISTIR 7696 name
// comparison without guards. Match does not decide version ranges: the
// engine does, with the range data, and Match only requires equal
// versions when both CPEs carry a specific one. CVE 5 affected[].cpes
// (and CISA's Vulnrichment) put the first version of a range in the CPE
// (fortinet:fortios:7.2.0 for 7.2.0 <= v < 7.2.7): when the entry carries
// ranges, match with the advisory CPE's Version set to [Any] and let the
// range decide.
//
// # Errors
//
// Parse errors wrap [ErrInvalidPURL] or [ErrInvalidCPE], quote the input
// (clipped) and, for CPEs, name the attribute and the byte offset.
// [FromEcosystem] wraps [ErrUnknownEcosystem] for ecosystems it does not
// map.
package pkgid
