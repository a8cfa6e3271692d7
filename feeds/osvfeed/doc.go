// Package osvfeed reads vulnerability records in the OSV format (Open Source
// Vulnerability schema, https://ossf.github.io/osv-schema/) and maps them
// onto sigwatch's normalised [feeds.Advisory].
//
// [Parse] reads one record from any io.Reader; [ParseFS] reads a directory
// of records and [ParseZip] an ecosystem zip as osv.dev publishes it
// (https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip);
// [New] returns a [Source] that downloads such a zip through
// [feedhttp.Client], so an unchanged zip costs one 304.
//
// # Mapping
//
// Each record becomes one Advisory:
//
//	ID          id (surrounding whitespace trimmed, with a warning)
//	Aliases     aliases, sorted and unique, without id and empty strings
//	Related     related and upstream together, sorted and unique; AlmaLinux
//	            records have no aliases and name their CVEs here, Red Hat
//	            records name theirs in upstream (also kept as Extra
//	            "osv.upstream"). Advisory.RelatedCVEs returns them.
//	Source      "osv" (Source.Fetch sets its Name)
//	Publisher   from the ID prefix registered with OSV: GO → "Go", GHSA →
//	            "GitHub", ALSA → "AlmaLinux", RHSA → "Red Hat", PYSEC →
//	            "PyPA", RUSTSEC → "RustSec", MAL → "OpenSSF Malicious
//	            Packages", OSV → "OSS-Fuzz", …; "" for other prefixes
//	            (CVE-, records converted from the CVE list by osv.dev)
//	Title       summary, raw; the ID when there is no summary
//	Summary     details, raw (Markdown)
//	URL         database_specific.url when it is an http(s) URL (Go:
//	            https://pkg.go.dev/vuln/GO-…), else OSVPageURL + id
//	Published   published; Modified modified; Withdrawn withdrawn — UTC,
//	            read tolerantly (microseconds, zone-less);
//	            "0001-01-01T00:00:00Z" is the zero time, "unknown": every
//	            record of the Go vulnerability database has that modified
//	            (osv.dev sets it only when serving), so do not sync Go
//	            records on Modified
//	Severity    the first of: database_specific.severity (GHSA LOW,
//	            MODERATE, HIGH, CRITICAL); the highest
//	            affected[].ecosystem_specific.severity (OSS-Fuzz); the
//	            highest severity of type "Ubuntu" (negligible counts as
//	            low); for AlmaLinux and Rocky Linux advisories, the Red Hat
//	            rating that starts the summary ("Important: kernel security
//	            update"; Low, Moderate, Important, Critical). MODERATE and
//	            "medium" are SeverityMedium, "important" is high. No
//	            severity is derived from CVSS vectors.
//	Scores      severity[] and affected[].severity[] entries, in that order,
//	            exact duplicates once: {Type: type, Vector: score} — CVSS
//	            vectors are kept as vectors (no numeric Value is computed)
//	            and qualitative scores ("Ubuntu": "medium") are kept as
//	            the Vector text
//	Weaknesses  database_specific.cwe_ids (GHSA), as published
//	Affected    one entry per affected[] element, in published order (the
//	            same package may appear several times, as in Log4Shell's
//	            three ranges: OR them):
//	              Ecosystem  package.ecosystem, raw ("AlmaLinux:9",
//	                         "Red Hat:rhel_aus:8.6::appstream",
//	                         "purl-type:swift"); see SplitEcosystem
//	              Package    package.name, raw (Maven "group:artifact",
//	                         Go module paths and the special Go packages
//	                         "stdlib", the standard library, and
//	                         "toolchain", the go command: both mean Go
//	                         itself, versioned like Go releases)
//	              PURL       package.purl, raw
//	              Ranges     {Type, Repo, Events} per range, events in
//	                         published order, values raw (Go versions
//	                         have no "v", "+incompatible" and
//	                         pseudo-versions kept; RPM EVRs such as
//	                         "1:2.06-27.el9_0.7.alma" kept)
//	              Versions   versions[], in published order
//	            Status and DefaultStatus stay unknown: OSV states none.
//	References  references[] {type, url}, in order
//	TLP         unspecified; Source sets CLEAR for osv.dev's bucket
//	Extra       "osv.schema_version"; "osv.database_specific" (the
//	            top-level object); "osv.review_status" (Go: REVIEWED or
//	            UNREVIEWED); "osv.credits" (the credits array); per
//	            affected entry i "osv.affected[i].ecosystem_specific" (Go
//	            imports and custom_ranges, Debian urgency, …),
//	            "osv.affected[i].database_specific" and
//	            "osv.affected[i].severity"; per range
//	            "osv.affected[i].ranges[j].database_specific" (see
//	            ExtraAffectedKey and ExtraRangeKey). JSON values are
//	            compact JSON of the published value.
//
// null is accepted wherever an array or object is expected and means
// absent.
//
// # Warnings
//
// Oddities that leave the record usable are reported in Record.Warnings
// (and Database.Warnings) as "input:line:column: ID: field: message", and
// the data is kept as published:
//
//   - an ecosystem outside the OSV list (the 48 names of the schema's
//     ecosystems.json, see Ecosystems; a ":<release>" suffix is allowed
//     and GitHub's "purl-type:<type>" names are accepted);
//   - a version that cannot belong to its scheme: not SemVer 2.0 in a
//     SEMVER range (GHSA-wcg3-cvx6-7396's "0.1"), not PEP 440 for PyPI
//     (GHSA-9v2f-6vcg-3hgv's "4.36.-1"), not SemVer for Go, blank or
//     containing whitespace or control characters for any ecosystem;
//   - a record without affected entries (RHSA-2022:0216 has none,
//     SUSE-FU-2022:0444-1 has []), an entry without package (only a GIT
//     range, as in CVE-2023-41045), without ecosystem or name, or without
//     ranges and versions; a range without events, without an
//     "introduced" event, of unknown type, or GIT without repo;
//   - a missing modified, an unknown severity type, a CVSS score that is
//     not a vector of its version, an unrecognised qualitative severity, a
//     purl not starting with "pkg:";
//   - empty aliases and references without url, which are dropped.
//
// At most 50 warnings per record are listed, then their number. Finding a
// warning's position rescans the record, so for large records (over 320
// KiB with many warnings) later warnings name the field path without
// line and column.
//
// # Collections
//
// ParseFS and ParseZip read every file or member whose name ends in
// ".json" as one record; others are listed in Database.Skipped. Records
// are parsed concurrently and returned sorted by ID (byte order), with
// Database.Files naming each one's file. Two records with the same ID are
// a warning: the one modified later is kept, on a tie the first by file
// name. [Limits] bound the number of entries and records and the size of
// each record and of all together (defaults: 2,000,000 entries, 1,000,000
// records, 16 MiB per record, 4 GiB in total); zip limits are checked
// against the declared sizes before decompressing, and archive/zip stops
// any member at its declared size, so a zip bomb costs nothing. Member
// names that are absolute or contain "..", a backslash or NUL are errors,
// although nothing is extracted.
//
// # Source
//
// [New] takes an *[Options]; nil and zero fields mean defaults:
//
//	Name       DefaultName, "osv"
//	Ecosystem  selects EcosystemURL(Ecosystem) on osv.dev's bucket
//	URL        overrides Ecosystem (a mirror, a private OSV database)
//	HTTP       feedhttp.New with MaxBytes DefaultMaxZipBytes (1 GiB)
//	Limits     the Limits defaults
//	TLP        CLEAR for osv.dev's bucket, unspecified for other URLs
//
// Fetch returns the advisories sorted by ID with Source set to Name(). A
// Source holds no mutable state of its own (the feedhttp client keeps the
// validators) and is safe for concurrent use.
//
// # Errors
//
// Malformed input is a *[feeds.ParseError] naming the input — for zip
// members "<archive>/<member>" — the 1-based line and column, and the
// field path when the problem is in a value:
//
//	GO-2022-0191.json:1:1: got an HTML page, not a JSON feed             (wraps feeds.ErrNotFeed)
//	GO-2022-0191.json:40:3: unexpected end of input (truncated JSON)      (wraps io.ErrUnexpectedEOF)
//	all.zip/GO-2022-0191.json:1:1: id: missing "id"
//	x.json:5:16: published: invalid timestamp "yesterday": want RFC 3339
//	x.json:9:9: affected[0].ranges[0].events[1]: event has more than one of "introduced", "fixed", "last_affected", "limit"
//	x.json:4:13: aliases: expected array, found string
//
// Each record needs a non-empty id; timestamps must parse; every event
// must carry exactly one of introduced, fixed, last_affected and limit,
// with a non-empty value; affected entries, ranges and events must not be
// null. A JSON object with none of id, modified, affected, aliases, summary
// and details is not an OSV record and wraps feeds.ErrNotFeed, as do HTML
// pages, empty input and bodies that are not zip archives. Inputs beyond
// a size limit wrap feeds.ErrTooLarge. Errors without a position are
// prefixed "osvfeed: ".
//
// Fetching adds feedhttp's errors unchanged: *[feeds.HTTPError] for a
// status outside 2xx, feeds.ErrNotModified for a 304, the context's error
// when ctx ends. When a fetched zip fails to parse, the Source calls
// feedhttp.Client.Forget so the next Fetch downloads it again.
package osvfeed
