// Package cve5feed reads CVE records in the CVE JSON 5.x format (dataType
// "CVE_RECORD", dataVersion 5.0, 5.1 and 5.2) — the records of the CVE
// List, of CVEProject/cvelistV5 and of CISA's Vulnrichment repository — and
// maps each onto one sigwatch [feeds.Advisory], merging the CNA container
// with the ADP containers (CISA-ADP SSVC and KEV facts, Vulnrichment's
// affected products, CWE and CVSS; the "CVE" program container's
// references).
//
// [Parse] reads one record; [ParseFS] reads a directory tree of records;
// [New] returns a [Source] that fetches the records of a list of CVE IDs
// from the CVE Services API, and [Source.Lookup] fetches one record for
// enrichment: a KEV entry names a CVE, its CVE record carries the affected
// versions.
//
// # Mapping
//
//	ID           cveMetadata.cveId, trimmed and upper-cased
//	Source       "cve5" (intake replaces it with the Source's name)
//	Publisher    cveMetadata.assignerShortName (the CNA: "fortinet", "palo_alto")
//	URL          https://www.cve.org/CVERecord?id=<ID>
//	Published    cveMetadata.datePublished; Modified: dateUpdated (UTC;
//	             zone-less values such as "2021-02-08T22:22:51" are UTC)
//	Title        the CNA's title; when it has none, the first line of the
//	             English description cut at 120 characters ("…"); else the ID
//	Summary      the CNA's first English description (lang "en", "en-*"),
//	             raw; every other description becomes a Note with category
//	             "description.<lang>"
//	Severity     the highest CVSS baseSeverity of the CNA's metrics; only
//	             when the CNA gives none, the highest of the ADPs' metrics
//	             (an ADP never overrides the CNA). CVSS v2 has no
//	             baseSeverity and does not count.
//	Scores       every cvssV4_0, cvssV3_1, cvssV3_0, cvssV2_0 metric of
//	             every container, CNA first: Type "CVSS_V4", "CVSS_V3",
//	             "CVSS_V2", Vector = vectorString, Value = baseScore
//	Exploitation SSVC from a metrics[].other of type "ssvc" (CISA-ADP):
//	             Exploitation, Automatable, Technical Impact lower-cased
//	             ("Active" → "active"; values outside none/poc/active,
//	             yes/no, partial/total are kept and warned about), role,
//	             version, timestamp. KEV from a metric of type "kev":
//	             DateAdded (midnight UTC) and Reference, so a record alone
//	             says "KEV-listed"; the other KEVListing fields stay empty
//	             (the record does not carry them; RansomwareUse is "").
//	             Statements: the CNA's exploits[].value.
//	Weaknesses   problemTypes cweId values, CNA then ADP, de-duplicated; a
//	             problem type without cweId whose description starts with
//	             "CWE-NNN" gives that ID (with a warning)
//	References   CNA, then ADP references (the "CVE" container repeats the
//	             CNA's with tag x_transferred) — one Reference per URL and
//	             tag, Type = the tag as published ("vendor-advisory",
//	             "patch"); x_* tags are skipped; a URL without other tags
//	             gets Type ""; exact duplicates are dropped
//	Remediations solutions → Category "solution", workarounds → "workaround"
//	Notes        other descriptions ("description.<lang>"), problem types
//	             that are text ("problemType", Title = its type) or whose
//	             description is not the CWE name (Title = the CWE ID),
//	             configurations ("configuration"), impacts ("impact", Title =
//	             CAPEC ID), timeline ("timeline", Title = time), credits
//	             ("credit", Title = type), other metrics ("metric", Title =
//	             type, Text = the content as compact JSON: "Red Hat severity
//	             rating"), conditional CPE configurations ("cpeApplicability").
//	             Notes from ADP containers carry the category prefix
//	             "adp.<shortName>." ("adp.CISA-ADP.timeline"); non-English
//	             texts add ".<lang>". The "n/a" problem type is dropped.
//	Aliases      cna.source.advisory when it is one token ("GHSA-…")
//	Tags         the containers' tags ("disputed", "unsupported-when-assigned")
//	TLP          CLEAR (CVE records are public)
//	Extra        "cve5.dataVersion", "cve5.state", "cve5.assignerOrgId",
//	             "cve5.dateReserved", "cve5.datePublic" (raw), "cve5.source"
//	             (cna.source as compact JSON), and per Affected[i]:
//	             "cve5.affected[i].source" (provider and JSON path of the
//	             entry it comes from: "CISA-ADP:containers.adp[1].affected[0]"),
//	             ".collectionURL", ".repo", ".platforms", ".modules",
//	             ".programFiles" (JSON arrays), ".programRoutines",
//	             ".condition" (see CPE applicability)
//
// supportingMedia (the same texts with HTML markup), providerMetadata other
// than the short name, x_* extensions and the CVSS sub-metrics are not
// mapped.
//
// # Rejected records
//
// A record in state REJECTED becomes an advisory with Withdrawn set from
// cveMetadata.dateRejected (dateUpdated when absent). Its English
// rejectedReasons value is the Summary (others are Notes
// "rejectedReason.<lang>"); replacedBy IDs go to Related. ADP containers are
// still mapped.
//
// # Affected products and versions
//
// Each entry of affected[] (CNA first, then each ADP in order) becomes one
// feeds.Affected per version status, in the order the statuses first
// appear: the versions with status "affected" go to an entry with Status
// affected, "unaffected" to one with Status not_affected, "unknown" (and
// unknown values, with a warning) to one with Status under_investigation.
// An entry without versions becomes one Affected without Status. Every
// group carries Vendor, Product, Package (packageName), CPEs (cpes),
// DefaultStatus (defaultStatus: affected, not_affected; "unknown" and
// absent are StatusUnknown) and Ecosystem when collectionURL is a known
// package registry (pypi.org → PyPI, registry.npmjs.org → npm,
// repo.maven.apache.org → Maven, crates.io, rubygems.org, packagist.org,
// pkg.go.dev, nuget.org, hex.pm, pub.dev, hackage, CRAN). An ADP entry
// that maps to exactly the same Affected as an earlier one is dropped; ADPs
// add entries, they never change or remove the CNA's.
//
// Within a group, each version entry becomes:
//
//   - a single plain version (no lessThan, lessThanOrEqual or changes)
//     without versionType: an element of Versions. The ~23 KB enumeration
//     of CVE-2023-20198 is one Affected with 186 Versions. With a
//     versionType, the exact range {introduced v, last_affected v} of that
//     Type, so the scheme is not lost.
//   - a range: Range{Type: versionType as published, or
//     RangeTypeUnspecified ("UNSPECIFIED") when absent; Events:
//     introduced = version, then for each change in publisher order a change
//     to unaffected = fixed and back to affected = introduced, then the
//     bound: lessThan = fixed, lessThanOrEqual = last_affected (lessThan
//     after a change to unaffected = limit, omitted when it equals that
//     change's version, as in CVE-2024-3400)}. The CVE 5 wildcards become
//     exclusive bounds, since events carry no wildcard: a bound "*" is no
//     upper bound, lessThanOrEqual "5.15.*" is fixed 5.16, lessThan
//     "5.15.*" is fixed 5.15; a wildcard anywhere else (a change at "*",
//     "5.x.*") makes the entry a TEXT range. In a not_affected or
//     under_investigation group the events bound that status: {introduced
//     0, fixed 8.0.0} there means "versions below 8.0.0 are not affected".
//   - versionType "git" (any case): Range{Type: "GIT", Repo: the entry's
//     repo, Events as above}; a single commit is {introduced c,
//     last_affected c}, exactly that commit.
//   - a comparator list in version (">= 1.7.0, < 1.18.4", "< 1.26.18",
//     ">= 8.0.0"): parsed into events when it is exactly expressible —
//     ">= a" → introduced a; "< b" → fixed b; "<= b" → last_affected b;
//     an upper bound alone starts at introduced "0" — with Expr keeping the
//     published text for evidence. Any other comparator shape is TEXT.
//   - anything else is kept verbatim as Range{Type: RangeTypeText ("TEXT"),
//     Expr}, with a warning, and never becomes a negative statement: prose
//     ("Apache Flink 1.11.0 to 1.11.2", "5.9.2.14-12o and older versions"),
//     placeholders ("n/a", "unspecified", "all"), wildcards outside bounds
//     ("5.x", "8.1.*"), bounds that are not versions (lessThan
//     "log4j-core*"), both bounds at once, changes that events cannot
//     express. Expr is the version string itself when the entry has nothing
//     else, else the entry without its status as compact JSON
//     ({"version":"2.0-beta9","versionType":"custom","lessThan":"log4j-core*","changes":[…]}).
//
// A versionType that does not look like a scheme name (it must start with a
// letter: "8.0U2", "7.0U3o" and "12.8.3" do not) is kept as Range.Type and
// reported in Warnings. Vendor or product "n/a" is kept and reported.
// Raw values are never trimmed ("10.2.9-h1 " keeps its space); versions are
// not compared or sorted here, so changes stay in publisher order although
// the schema asks consumers to sort them by versionType.
//
// # CPE applicability
//
// cpeApplicability uses the NVD configuration vocabulary. Ignoring AND
// nodes and platform CPEs turns "application X running on platform Y" into
// "every X is affected" (anchore/grype#1349). The adapter therefore maps
// only cpeMatch entries with vulnerable=true, each to an Affected with
// Status affected, CPEs = [criteria], Vendor and Product from the CPE, and
// one range from the bounds (versionStartIncluding → introduced, none → "0";
// versionEndExcluding → fixed; versionEndIncluding → last_affected;
// versionStartExcluding has no event and gives a TEXT range) or, without
// bounds, the CPE's version as Versions. A configuration is conditional
// when it has an AND with more than one operand, a negation or any
// vulnerable=false (platform) match: its vulnerable CPEs are still listed
// (never silently flattened), each with "cve5.affected[i].condition" in
// Extra holding the whole configuration as a boolean expression
// ("(cpe:…:app:* [< 2.0] (vulnerable)) AND (cpe:…:windows:* (not
// vulnerable))"), plus a Note and a warning; a vulnerable match inside a
// negated node is not listed at all. Conditional entries are never merged
// with equal unconditional ones. Matchers must treat an Affected with a
// condition as needing review unless they can evaluate it.
//
// # Order
//
// Output is deterministic: Affected in container order (CNA affected[],
// CNA cpeApplicability, then each ADP's), statuses in order of first
// appearance, ranges and versions in publisher order; References,
// Weaknesses, Scores and Notes in container order; Aliases sorted.
//
// # Options
//
// [New] takes an *[Options]; nil and zero fields mean defaults:
//
//	Name           DefaultName, "cve5"
//	IDs            none (Fetch returns nothing)
//	URLTemplate    DefaultURLTemplate, https://cveawg.mitre.org/api/cve/{id}
//	HTTP           feedhttp.New(nil), made once per Source
//	Concurrency    DefaultConcurrency, 4 requests at a time
//	IgnoreNotFound false: an unknown ID fails Fetch
//
// A Source is safe for concurrent use. It remembers the last good body of
// each record so that a 304 answer to feedhttp's conditional requests can
// still be served when only some records changed.
//
// # Errors
//
// Malformed input is a *[feeds.ParseError] naming the input, the 1-based
// line and column, and the JSON path when the problem is in a value:
//
//	CVE-2024-3400.json:84:25: containers.adp[1].affected[0].versions: expected array, found string
//	CVE-2024-3400.json:277:506: unexpected end of input (truncated JSON)       (wraps io.ErrUnexpectedEOF)
//	CVE-2024-3400.json:1:1: got an HTML page, not a JSON feed                  (wraps feeds.ErrNotFeed)
//	CVE-2024-3400.json:411:22: cveMetadata.datePublished: invalid timestamp "2024-13-40"
//	CVE-2024-3400.json:2:15: dataType: not a CVE record: dataType "CVE_DELTA", want "CVE_RECORD"   (wraps feeds.ErrNotFeed)
//
// Required: dataType "CVE_RECORD", dataVersion 5.x (missing is a warning),
// cveMetadata with a cveId of the form CVE-YYYY-NNNN and a state of
// PUBLISHED or REJECTED, containers.cna. A JSON document that is not an
// object (cvelistV5's deltaLog.json) or an object without dataType
// "CVE_RECORD" (delta.json, an API error) wraps feeds.ErrNotFeed. Timestamps must parse and lie in
// the years 1970–2200; CVSS base scores must lie in 0–10; an SSVC or KEV
// metric must have object content (KEV with a dateAdded). Input beyond
// DefaultMaxBytes (16 MiB) wraps feeds.ErrTooLarge; nesting deeper than
// encoding/json's limit is a positioned syntax error.
//
// Tolerated oddities are not errors: they go to Record.Warnings, each
// naming the JSON path and, while looking it up stays cheap, the line
// ("containers.cna.affected[0].versions[0] (line 261): …"). A record keeps
// at most 1000 warnings plus one line counting the rest.
//
// Fetching adds: an error wrapping [ErrNotFound] (and the *feeds.HTTPError)
// for HTTP 404, *feeds.HTTPError for other statuses outside 2xx,
// feeds.ErrNotModified when every record of a Fetch answered 304, an error
// when the API returns a record for another ID, and the context's error
// when ctx ends. Errors without a position are prefixed "cve5feed: ".
package cve5feed
