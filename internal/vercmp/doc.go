// Package vercmp orders versions for triage: it decides whether an
// installed version is inside an advisory's affected range, for every
// version scheme advisories use, and answers "cannot compare, because …"
// (an error) rather than guess.
//
// A [Scheme] parses the versions of one scheme into [Version] values that
// compare with each other. Schemes come from [ForEcosystem] (OSV ecosystem
// names), [ForVers] (vers types), [ForRange] (an OSV range type or a CVE 5
// versionType, with the affected entry's ecosystem), [SemVer] and
// [Generic]. Ranges are OSV-style event lists ([InEvents],
// [CompileEvents]), vers strings ([ParseVers], [Vers.Contains]) and
// free-text comparator lists ([ParseComparators], [MatchComparators]).
// Every answer that places a version comes with a reason in words ("in the
// affected range [1.2.0, 1.2.5)") for the triage evidence.
//
// Schemes and compiled ranges are immutable and safe for concurrent use.
// There is no global state.
//
// # Errors
//
// Errors read "vercmp: …", name the input (clipped to 80 bytes) and, where
// known, the byte position, and match one of these with errors.Is:
//
//	ErrInvalidVersion  the string is not a version of the scheme (empty,
//	                   placeholder, garbage, outside the scheme's grammar)
//	ErrIncomparable    two versions cannot be ordered: different schemes,
//	                   or the generic rules do not decide
//	ErrUnknownScheme   no ordering is known for the ecosystem or vers type
//	ErrNotOrderable    the range kind cannot be ordered here (GIT commits,
//	                   VERS/TEXT expressions, CVE 5 "patch" levels)
//	ErrInvalidRange    an event list, vers or comparator list is malformed
//	                   (also wraps the version error that caused it)
//
// [Version.Compare] returns (int, error): the generic scheme cannot order
// every pair, and versions of two schemes never compare.
//
// # Ecosystems
//
// [ForEcosystem] accepts OSV ecosystem names with or without their
// ":suffix" ("Debian:11", "Ubuntu:22.04:LTS", "Alpine:v3.18",
// "Red Hat:rhel_aus:8.4::appstream", "Maven:https://…"), case-insensitively;
// "Root:<ecosystem>[:…]" uses the named ecosystem. Ordering comes from
// github.com/google/osv-scalibr/semantic (v0.5.3), which agrees with the
// ecosystems' own test vectors. Validation is ours: semantic accepts
// nearly anything — "", "n/a" and "latest" parse without error in every
// ecosystem, and "" sorts before "1.0" — so each ecosystem first checks
// its grammar:
//
//	Go, npm, crates.io, Hex,   SemVer 2.0 strictly (MAJOR.MINOR.PATCH, no
//	SwiftURL, Pub              leading zeros), leading "v" tolerated; Go
//	                           strips it ("v1.2.3" = "1.2.3")
//	Bitnami, Bioconductor,     a digit first (after an optional "v"), then
//	ConanCenter, GHC, Julia,   [0-9A-Za-z.+~_-]
//	Docker Hardened Images
//	PyPI                       PEP 440 (legacy versions are rejected, as
//	                           pip does since packaging 22)
//	Maven                      [0-9A-Za-z._+~-], a letter or digit first,
//	                           at least one digit ("RELEASE" is rejected)
//	NuGet                      1 to 4 numbers, SemVer pre-release/metadata
//	RubyGems                   Gem::Version's pattern
//	Packagist                  a digit first (after an optional "v");
//	                           branch names ("dev-main") are rejected
//	CRAN, Hackage              numbers separated by . or - (CRAN), . (Hackage)
//	Debian, Ubuntu             dpkg: [epoch:]upstream[-revision], numeric
//	                           epoch, upstream starting with a digit
//	Alpine, Wolfi, Chainguard, apk: N(.N)*[a-z][N](_suffix[N])*(~hash)(-rN)
//	MinimOS, Alpaquita,
//	BellSoft Hardened Containers
//	Red Hat, AlmaLinux, Rocky  rpm: [epoch:]version[-release], numeric
//	Linux, SUSE, openSUSE,     epoch, [0-9A-Za-z._+~^]
//	Mageia, openEuler
//
// Every scheme rejects, before its grammar: empty or whitespace-only
// strings; the placeholders "*", "-", "n/a", "na", "unspecified",
// "unknown", "all", "any", "none", "latest", "x", "?", "tbd", "various";
// whitespace (the generic scheme allows spaces), control and non-ASCII
// characters; more than [MaxVersionLen] bytes. Other OSV ecosystems (Linux,
// Kubernetes, GitHub Actions, OSS-Fuzz, Photon OS, FreeBSD, …) give
// [ErrUnknownScheme].
//
// Go: module versions are SemVer with a "v"; OSV's Go events carry none,
// so the "v" is stripped. "+incompatible" is build metadata and does not
// take part in ordering, exactly as golang.org/x/mod/semver.Compare treats
// it: "v2.0.0+incompatible" equals "v2.0.0" and sorts below "v2.0.1".
// The vulndb bound "1.19.0-0" is the lowest pre-release of 1.19.0: above
// every 1.18.x, below "1.19.0-rc.1" and "1.19.0".
//
// Measured against osv-scalibr's own vectors (semantic/testdata), the
// validators accept every version of the generated vectors (taken from the
// ecosystems' tools) except 69 of 12,375 PyPI pairs (legacy versions such
// as "0.1-bulbasaur") and 5 of 14,752 Maven pairs (words without a digit:
// "stable"). Of the hand-written edge cases they reject 45 of 165 rpm pairs
// ("+a", non-numeric epochs "a:1"), 33 of 778 apk ("1-r-0", "0..1"), 8 of
// 95 Packagist ("dev-foo", "1.2.3.#"), 11 of 37 PyPI (legacy versions), 2
// of 86 SemVer and 2 of 100 Pub ("1.1.3.4.5", a bare 30-digit number), 2 of
// 25 RubyGems ("1beta"). No accepted pair compares differently from the
// vectors.
//
// # Range types
//
// [ForRange](rangeType, ecosystem) picks the scheme of one range. OSV range
// types are upper case; CVE 5 versionType values arrive as published (the
// cve5feed adapter uses "UNSPECIFIED" when there is none, and keeps junk
// such as "8.0U2").
//
//	range type                    scheme
//	SEMVER (exactly, OSV)         SemVer()
//	ECOSYSTEM (any case)          ForEcosystem(ecosystem); Go is SemVer
//	                              (GHSA writes ECOSYSTEM for Go); error
//	                              when the ecosystem is empty or unknown
//	GIT, git,                     error ErrNotOrderable: commits cannot be
//	original_commit_for_fix       ordered without the repository
//	VERS, TEXT                    error ErrNotOrderable: parse the Expr with
//	                              ParseVers or ParseComparators
//	patch                         error ErrNotOrderable: CNAs give a patch or
//	                              build level relative to the version
//	                              (NetScaler "13.1" lessThan "51.15"), which
//	                              no ordering of whole versions can place
//	any other, when ecosystem     ForEcosystem(ecosystem): the package's
//	is known                      ecosystem beats the publisher's label
//	semver (CVE 5 spelling)       SemVer 2.0 that also accepts one or two
//	                              numbers and leading zeros ("6.13" =
//	                              "6.13.0"), as the Linux kernel CNA writes
//	custom, UNSPECIFIED, ""       Generic()
//	python; debian, dpkg;         ForVers("pypi"), ForVers("deb"),
//	rubygems; go                  ForVers("gem"), ForVers("golang")
//	a vers type (rpm, maven,      ForVers(type)
//	npm, pypi, deb, …)
//	anything else ("8.0U2",       Generic(), with Note(scheme) saying that
//	"12.8.3")                     the generic vendor ordering stands in for
//	                              the unknown type; InEvents appends the
//	                              note to its reason. Versions that do not
//	                              parse cleanly are errors as always.
//
// # Generic ordering
//
// [Generic] is for vendor strings that follow no published scheme. A
// version is split into runs of ASCII digits and runs of ASCII letters;
// ".", "-", "_", "+" and space only separate runs. A leading "v" or "V"
// before a digit is dropped. Runs compare position by position:
//
//   - two numbers compare numerically (any length; "007" = "7");
//   - two words compare case-insensitively in byte order ("CU" = "cu");
//   - a pre-release word sorts before any number or other word; two
//     pre-release words compare by rank: dev < alpha = a < beta = b <
//     milestone = m < pre = preview < rc = cr < snapshot. The single
//     letters a, b and m count as pre-release words only when a number
//     follows them ("1.0a1" < "1.0"); otherwise they are revision letters
//     ("17.3.1" < "17.3.1a", as Cisco and OpenSSL use them);
//   - when one version runs out, the rest of the other decides: zeros are
//     ignored ("7.2" = "7.2.0"), a pre-release word sorts before the end
//     ("1.0-beta2" < "1.0"), anything else after it ("10.2.9" <
//     "10.2.9-h1", "22.7R2" < "22.7R2.3", "9.1.10" < "9.1.10.1").
//
// So "10.2.9-h1" < "10.2.9-h2" < "10.2.10", "22.7R2.3" < "22.7R3",
// "13.1-49.15" < "13.1-51.15" < "14.1-4.42", "2019 CU13" < "2019 CU14".
// Separators carry no meaning: "13.1-49.15" equals "13.1.49.15".
//
// The one case Compare refuses (ErrIncomparable): at the first position
// where the versions differ, one has a number and the other a word that is
// not a pre-release word ("22.7R2" vs "22.7.1", "10.2.9-h1" vs "10.2.9.1",
// "2019 CU14" vs "2019.1", "7.0U3" vs "7.0.3"). Parse refuses (ErrInvalid-
// Version): the common rejections above; any character other than letters,
// digits and the separators; a string without a digit; a space-separated
// field without a digit that is not a pre-release word (prose: "5.9.2.14
// and older", "Apache Flink 1.11.0"); a bare "x" between dots ("5.x", a
// wildcard).
//
// # Events
//
// [CompileEvents] and [InEvents] follow the OSV evaluation algorithm
// (https://ossf.github.io/osv-schema/#evaluation) exactly — a test checks
// them against the published pseudocode on random event lists. Events are
// sorted by version with the scheme (introduced "0" first; equal versions
// keep their given order, so CVE 5 ranges may arrive unsorted);
// introduced opens an affected interval, fixed closes it before its
// version, last_affected after it; several pairs make several intervals;
// a limit other than "*" restricts the range to versions below it. A range
// must have at least one introduced event; a bound the scheme cannot parse
// is an error naming the bound and the event.
//
// # vers
//
// [ParseVers] implements the vers specification
// (https://github.com/package-url/vers-spec) and accepts only canonical
// input, as it asks: tools "shall not correct or normalise invalid input".
// [Vers.String] prints the canonical form; [Vers.Contains] and
// [Vers.Explain] implement its containment algorithm (equality first, then
// "!=", then the walk over the bounds). Types "all" and "none" take only
// "*". For types [ForVers] knows, versions are validated with the scheme
// and ordering is checked; other types are checked for syntax only and
// cannot be evaluated. The package runs the published test suites in
// testdata/vers-spec (see SOURCES.md there): the cases it deliberately
// does not follow are the suite's "validate" (normalisation) case, three
// non-canonical (unsorted) containment inputs, which ParseVers rejects, and
// "vers:npm/1.0%252F0", whose version "1.0%2F0" is not an npm version.
//
// # Comparator lists
//
// [ParseComparators] reads the free-text lists of CSAF
// product_version_range and CVE 5 version fields ("< 3.1", ">= 2.0, <
// 3.0", "<=4.1"): comma-separated, each one of < <= > >= = != and a
// version; the list is a conjunction ([MatchComparators]). Anything else is
// an error.
package vercmp
