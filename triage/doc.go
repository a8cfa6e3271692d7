// Package triage decides what an advisory means for the organisation: which
// components of its stack it touches, how sure the match is, whether the
// installed version is affected, and — through ordered rules — whether it is
// actionable, with what priority, by when and for whom. Every decision
// carries its reasons, because auditors and engineers both need to see why.
//
// # The stack
//
// A [Stack] lists [Component] values: vendor, product, version, purl, CPE,
// ecosystem, owner (a register person), criticality, exposure and tags.
//
// # Identity
//
// Vendor and product names are normalised (case, punctuation, corporate
// suffixes such as "Inc." or "Corporation") and resolved through an [Aliases]
// dictionary that ships with the library ([DefaultAliases]) and that users
// extend: KEV writes "Application Delivery Controller (ADC)" for NetScaler
// ADC and "Chromium V8" for Chrome. Product fields written as prose lists
// ("FortiOS and FortiProxy SSL-VPN", "Confluence Data Center and Server")
// are split into items. A match is graded:
//
//   - high: same vendor and product, or the product is one of a listed set;
//   - medium: one product name is contained in the other, word for word;
//     a person should confirm;
//   - low: only the vendor matches because the advisory names "Multiple
//     Products"; a person must confirm.
//
// Names made only of generic words ("Server", "Gateway") never match by
// containment, so "Confluence Data Center and Server" does not hit Jira
// Server.
//
// # Versions
//
// Explicit version lists and OSV-style SEMVER/ECOSYSTEM ranges
// (introduced, fixed, last_affected, limit) are compared with
// Masterminds/semver. Whatever cannot be compared — no version data, as in
// KEV, an unparseable version, a GIT range — yields [VerdictNeedsReview] with
// the reason: never "not affected".
//
// # Rules
//
// [Rule] values are data, tried in order; the first whose [Condition] holds
// decides. [DefaultRules] starts from KEV listing, ransomware use, exposure
// and criticality. [New] validates the stack and every rule up front and
// returns all problems at once; the [Engine] it returns is immutable and safe
// for concurrent use.
package triage
