// Package triage decides what an advisory means for the organisation: which
// components of its stack it touches, how the match was made, whether the
// installed version is affected, and — through ordered rules — whether it is
// actionable, with what priority, by when and for whom. Every decision
// carries its reasons, because auditors and engineers both need to see why.
//
// # The stack
//
// A [Stack] lists [Component] values: vendor, product, version, purl, CPE,
// ecosystem, owner (a register person or team), criticality, exposure and
// tags. [LoadStack] reads a hand-written YAML/JSON or CSV file, a CycloneDX
// (1.2–1.6) or SPDX (2.2/2.3) JSON SBOM, detected from the content; a YAML
// stack can import SBOMs and give their components an owner, exposure and
// criticality.
//
// # Identity
//
// An advisory's affected entries are tied to components in this order, and
// the match records which way it was made ([Match.Method]) and how sure it
// is ([Match.Confidence]):
//
//   - purl: the same package (type, namespace, name), normalised per
//     ecosystem (Go module paths, PEP 503 names for PyPI, Maven
//     group:artifact, distribution source packages); an OSV entry's
//     ecosystem and package name count as a purl;
//   - cpe: CPE 2.3 (and 2.2 URI) names compared as NISTIR 7696 prescribes,
//     with the guards other tools adopted after false positives (no match on
//     ANY vendor or product, no mixed subset/superset, NVD version "-"
//     matches only ANY or NA). Components that have a purl are matched by
//     purl only: CPE guessing on libraries is a known false-positive source;
//   - name: vendor and product normalised (case, punctuation, corporate
//     suffixes) and resolved through an [Aliases] dictionary that ships with
//     the library ([DefaultAliases]) and that users extend — KEV writes
//     "Application Delivery Controller (ADC)" for NetScaler ADC and "Chromium
//     V8" for Chrome. Product lists in prose are split; containment gives a
//     medium-confidence match, "Multiple Products" a vendor-only low one;
//   - text: a component named in the advisory's text when the advisory has
//     no product data, or by an advisory of the same vendor about another
//     product ("OSGeo JAI-EXT" described as "GeoServer JAI-EXT"), or in an
//     RSS item's title (rssfeed's hints): always low confidence and
//     needs_review, for a person to confirm.
//
// The engine builds an index over the stack once ([New]); one advisory
// costs a few map lookups, not a scan of the stack.
//
// # Versions
//
// Each component's version is compared in the right ordering: the
// ecosystem's own (Go, npm, PyPI, Maven, crates.io, RubyGems, NuGet,
// Packagist, Debian, Ubuntu, Alpine, the RPM family and more, through
// osv-scalibr's semantic package), SemVer for OSV SEMVER ranges, and a
// generic vendor scheme for strings such as "22.7R2.3", "10.2.9-h1",
// "13.1-49.15" and "2019 CU14". Ranges come as OSV events, CVE 5
// lessThan/lessThanOrEqual/changes (as events), vers expressions and CSAF
// free-text comparators. Whatever cannot be compared — no version data, as
// in KEV, an unparseable version, a git range — yields
// [VerdictNeedsReview] with the reason: never "not affected".
//
// # Rules
//
// [Rule] values are data (see [ParseRules] for the file format), tried in
// order for each matched component; the first whose [Cond] holds decides
// the component's outcome: decision, priority, SLA or KEV due date, and
// route. Conditions are trees (all / any / not) over advisory facts (KEV,
// ransomware, CVSS, EPSS, severity, SSVC decision points, source), component
// facts (exposure, criticality, tags, owner) and match facts (status,
// method, strength); [Fields] lists them. The CERT/CC SSVC deployer
// decision is computed for every match ([SSVC]) and rules can test it.
// [Suppression] values are accepted exceptions with an owner, a VEX
// justification and an expiry; a changed advisory ([Fingerprint]) reopens
// them. [DefaultRules] is a starting set a security team can accept on day
// one. [New] validates the stack, the rules and the suppressions and returns
// every problem at once; the [Engine] it returns is immutable, safe for
// concurrent use and deterministic for a given clock.
//
// # Coverage
//
// [Engine.Coverage] lists the components that cannot be checked fully
// (no identifier, no version, a version no ordering can read) and
// [Result.Unchecked] the parts of an advisory that could not be (no product
// data, unreadable identifiers), so that "no findings" is never mistaken for
// "could not look".
package triage
