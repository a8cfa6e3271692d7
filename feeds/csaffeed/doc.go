// Package csaffeed reads CSAF 2.0 advisories (OASIS Common Security
// Advisory Framework) and maps them onto sigwatch's normalised
// [feeds.Advisory].
//
// [Parse] reads one CSAF JSON document from any io.Reader and returns a
// [Document]: the document metadata, the resolved product tree, the
// advisories and the warnings. [ParseFS] reads a directory of documents.
// The distribution side of CSAF (provider-metadata.json, ROLIE feeds,
// changes.csv, checksums) and the [Source] that fetches over HTTP build on
// Parse.
//
// Any document category is accepted: the CSAF profiles
// (csaf_security_advisory, csaf_vex, csaf_informational_advisory, …) and
// free-form values such as "Cisco Security Advisory" are read with the same
// generic rules. csaf_version other than "2.0" is read with the 2.0 rules
// and a warning.
//
// # Document
//
// Document keeps tracking (id, version as published — an integer string or
// semver, never compared lexically —, status, initial and current release
// dates, revision history, aliases, generator), category, title, lang,
// publisher, distribution (TLP and text), aggregate severity, notes,
// references (SelfURL is the first "self" reference), acknowledgments, the
// products and the product groups. Times are UTC; "0001-01-01T00:00:00Z"
// and absent dates are the zero time.
//
// TLP: CSAF 2.0 writes TLP 1.0 labels, so WHITE becomes [feeds.TLPClear];
// GREEN, AMBER and RED are kept; CLEAR, AMBER+STRICT and a "TLP:" prefix are
// accepted. A document without distribution or distribution.tlp (the
// OASIS TC's Cisco example and most of its VEX examples) gets
// [feeds.TLPUnspecified] and a warning: the CSAF 2.0 schema makes the
// label optional and sigwatch does not guess CLEAR — whoever shares the
// advisory must decide. An unknown label is also TLPUnspecified, with a
// warning; TLPLabel keeps the raw value.
//
// # Products
//
// product_tree.branches are walked depth first; every branch that carries a
// product becomes a [Product] with its full branch Path and the innermost
// vendor, product_family, product_name, product_version and
// product_version_range names. Any branch category is accepted (unknown
// ones with a warning). product_identification_helper is kept whole in
// [Helper]: cpe (as published: CPE 2.3 or the CPE 2.2 URIs Red Hat uses,
// not converted), purl, hashes, model_numbers, sbom_urls, serial_numbers,
// skus, x_generic_uris. full_product_names follow, then relationships: a
// relationship's product (Red Hat's
// "AppStream-8.6.0.Z.AUS:git-lfs-0:2.13.3-3.el8_6.1.src") takes the vendor,
// names, version and helper of its component (product_reference),
// following chains of relationships, and keeps the category and both
// references in Product.Relationship. Lookups use a map
// ([Document.Product]); a product_id defined twice keeps its first
// definition (warning). Branch nesting is bounded by
// DefaultMaxBranchDepth (64) levels, relationship chains likewise, and a
// relationship cycle is an error.
//
// # Mapping
//
// One advisory per vulnerabilities[] entry, in document order:
//
//	ID           "<tracking.id>/<cve>", else "<tracking.id>/<first ids[].text>",
//	             else "<tracking.id>/vulnerabilities[<i>]" (warning). An ID
//	             already used in the document (a repeated CVE) becomes
//	             "<tracking.id>/vulnerabilities[<i>]" (warning), so IDs are
//	             unique per document and stable across revisions
//	Aliases      the cve and every ids[].text, trimmed, sorted, unique
//	Related      tracking.id and tracking.aliases
//	Source       DefaultName ("csaf"); the Source and intake overwrite it
//	Publisher    document.publisher.name
//	Title        the vulnerability's title, else document.title
//	Summary      the text of the first vulnerability note of category
//	             "description", else "summary", else "details", else
//	             "general"; else the same search over the document notes
//	URL          SelfURL (the document's first "self" reference)
//	Published    tracking.initial_release_date
//	Modified     tracking.current_release_date
//	Withdrawn    current_release_date when the category is csaf_withdrawn
//	Severity     the highest baseSeverity of cvss_v3/cvss_v4 in scores;
//	             without one, document.aggregate_severity.text when it is
//	             a known word (critical, high/important, medium/moderate,
//	             low, none)
//	Scores       every cvss_v2, cvss_v3, cvss_v4 as {CVSS_V2|V3|V4,
//	             vectorString, baseScore}, unique; plus {SSVC, note text}
//	             for CISA's SSVC note ("SSVCv2/E:N/A:Y/T:P/<time>/"), which
//	             also fills Exploitation.SSVC. The link from a score to its
//	             products is not kept
//	Exploitation.Statements
//	             details of every threat of category exploit_status
//	Affected     see below
//	Weaknesses   cwe.id
//	References   document references, then the vulnerability's, unique
//	             by URL; "self" → ADVISORY, anything else → WEB (the
//	             summaries stay in Document.References)
//	Remediations category, details, url, date; Products = product_ids
//	             followed by the members of group_ids (an unknown group ID is
//	             kept as is, with a warning)
//	Notes        the vulnerability's notes (category as published), then
//	             "threat.<category>" (Title "products: …; date: …", Text the
//	             details), "flag" (Title as for threats, Text the VEX
//	             justification label), "involvement" (Title party, status
//	             and date, Text summary), "acknowledgment" (Title the
//	             organization, Text names, summary and URLs), then the
//	             document's notes as "document.<category>" and its
//	             acknowledgments as "document.acknowledgment"
//	TLP          Document.TLP
//	Extra        csaf.trackingId, csaf.trackingVersion, csaf.trackingStatus,
//	             csaf.documentCategory, csaf.documentTitle,
//	             csaf.vulnerabilityTitle, csaf.aggregateSeverity,
//	             csaf.cweName, csaf.releaseDate and csaf.discoveryDate
//	             (RFC 3339, UTC), csaf.ids (ids[] as JSON),
//	             csaf.productStatus.<list> (JSON array) for first_affected,
//	             last_affected, first_fixed and recommended,
//	             csaf.relationship.<product_id> for composite products
//	             ("<category> <platform id>: <full product name>"),
//	             csaf.remediation.<i>.entitlements (JSON) and
//	             csaf.remediation.<i>.restartRequired ("<category>: <details>")
//
// A document without vulnerabilities (csaf_informational_advisory) gives
// one advisory with ID tracking.id, the document's notes, references and
// acknowledgments, Severity from aggregate_severity, and one Affected entry
// per product of the tree with no Status.
//
// Affected: one entry per product_id of each product_status list, in the
// order known_affected, first_affected, last_affected, fixed, first_fixed,
// known_not_affected, under_investigation, each list in document order.
// known_affected, first_affected and last_affected give StatusAffected;
// fixed and first_fixed StatusFixed; known_not_affected StatusNotAffected;
// under_investigation StatusUnderInvestigation. recommended gives no entry
// (it is not a status): it is kept in Extra. A product in two lists of the
// same status (fixed and first_fixed) gives one entry; a product in lists of
// different statuses gives both entries and a warning. Each entry has
// ProductID, Vendor, Product (the product_name branch, else product_family,
// else the component's name for a relationship, else the product's full
// name), PURL, Package (the purl's name, since Red Hat's product_version
// names are full NEVRA strings), CPEs (the helper's cpe), Versions
// [product_version] and
// Ranges [product_version_range]. A product_version_range is never
// evaluated: a value starting with "vers:" is Range{Type: "VERS"}, anything
// else Range{Type: "TEXT"}, Expr byte for byte as published ("vers:all/*",
// "vers:all/<V3.1.4", "<V4.1.8", ">= V7.80 < V9.30", ">=1.220|<=1.281",
// "<v36.011_v35.013_v34.014", "all versions", "0 < 8.0.1"); triage reads
// them or reports "needs review". first_affected, last_affected and
// first_fixed of a product with a product_version also get an event range
// of type ECOSYSTEM (the vendor's own ordering): first_affected
// {introduced: v}, last_affected {introduced: "0"}, {last_affected: v},
// first_fixed {introduced: v} on the fixed entry (the versions from v on
// are fixed). A relationship's entry describes its component; the platform
// is in Extra (csaf.relationship.<id>) and in Document.Products, and its CPE
// is deliberately not added to CPEs (it would match every installation of
// the platform). A product_id that product_tree does not define still gives
// an entry with ProductID and Status only, and a warning with its field
// path, so nothing is lost.
//
// Output order is deterministic: advisories in vulnerabilities order,
// Affected, Notes, Scores and References as described, Products in tree
// order, warnings in the order found.
//
// # Warnings
//
// Oddities that do not stop parsing are reported in Document.Warnings with
// their field path: a missing TLP label, unknown labels and categories,
// undefined or duplicate product IDs, unknown groups, missing title,
// publisher name, version or current release date, an empty reference URL,
// a cve that does not look like CVE-YYYY-NNNN, contradictory statuses,
// repeated advisory IDs. At most MaxWarnings are kept; a last line counts
// the rest.
//
// # Errors
//
// Malformed input is a *[feeds.ParseError] naming the input, the 1-based
// line and column, and the field path when the problem is in a value:
//
//	doc.json:412:7: unexpected end of input (truncated JSON)             (wraps io.ErrUnexpectedEOF)
//	doc.json:1:1: got an HTML page, not a JSON feed                      (wraps feeds.ErrNotFeed)
//	doc.json:1:1: not a CSAF document: no "document" object              (wraps feeds.ErrNotFeed)
//	doc.json:88:25: vulnerabilities[0].product_status: expected object, found string
//	doc.json:20:31: document.tracking.current_release_date: implausible timestamp "1066-10-14T00:00:00Z": year outside 1990–2200
//	doc.json:3:9: invalid UTF-8 (byte 0xff at offset 61): CSAF documents must be UTF-8
//	doc.json:5:1: product_tree.branches[0].branches…: product_tree.branches nested deeper than 64 levels
//
// Required: a "document" object with tracking.id. Timestamps must parse
// (RFC 3339 with any fraction, offsets, zone-less and date-only forms are
// accepted) and fall in 1990–2200; baseScore must be a number (or numeric
// string) in 0–10; tracking.version and revision numbers may be strings or
// numbers. Input is capped at DefaultMaxBytes (64 MiB; ParseOptions.MaxBytes
// changes it) and wraps feeds.ErrTooLarge beyond. A document whose mapping
// would copy more than MaxExpansion values (document notes repeated in
// thousands of advisories, huge groups expanded again and again) fails
// rather than exhausting memory. Errors without a position are prefixed
// "csaffeed: ".
//
// # Distribution
//
// CSAF providers publish their documents in one of two ways, both described
// by a provider-metadata.json file (discovered at
// /.well-known/csaf/provider-metadata.json, through a "CSAF:" line in
// security.txt, or at csaf.data.security.<domain>):
//
//   - ROLIE feeds: JSON Atom-like feeds, one per TLP label, listing each
//     document with its URL, hash and signature links and its last update.
//     [ParseROLIE] reads them.
//   - Directories: a base URL with one folder per year, an index.txt (one
//     path per line) and a changes.csv ("path,timestamp", newest first).
//     [ParseChanges] reads changes.csv, index.txt and Red Hat's deletions.csv;
//     [ResolvePath] turns a listed path into a document URL.
//
// [ParseProviderMetadata] reads provider-metadata.json. [VerifySHA512] and
// [VerifySHA256] check a document against the .sha512 / .sha256 file
// published next to it. [New] returns a [Source] that does all of this:
// discover → list → fetch documents with bounded concurrency → optional hash
// check → [Parse].
//
// Real-world quirks handled (formats.md §4 "CSAF distribution"):
//
//   - CISA's IT feed writes its hash and signature links as {"ref": "hash"}
//     and {"ref": "signature"} instead of "rel". [ROLIELink.Relation] falls
//     back to the href suffix (.sha512/.sha256 → hash, .asc → signature),
//     then to "ref"; the feed's Warnings record it.
//   - ROLIE times without fraction (CISA IT), with six fractional digits
//     (CISA OT) and with milliseconds (the OASIS example) all parse.
//   - Entry IDs are upper case ("ICSA-24-298-03") while file names are lower
//     case: documents are matched by URL, never by ID, and [FileName]
//     implements the spec's ID → file name rule used to cross-check them.
//   - OT entries have no summary: Summary is then empty, not an error.
//   - CISA's links point to raw.githubusercontent.com rather than a cisa.gov
//     host. The Source follows the links the feed gives; it does not require
//     documents to live on the feed's host.
//   - changes.csv: CISA writes unquoted paths with a repository prefix
//     ("csaf_files/IT/white/2024/va-24-254-02.json,2024-10-03T16:03:00.000Z");
//     Red Hat quotes both fields and writes an offset. [ResolvePath] keeps
//     only the trailing "YYYY/file.json" part of a path when there is one.
//
// # Source
//
// Options.URL may be provider metadata, a ROLIE feed, a directory URL
// ending in "/" (its changes.csv is read) or the URL of a changes.csv or
// index.txt; anything not ending in "/" is recognised from the body. From
// provider metadata, distributions with ROLIE feeds are read through their
// feeds and the others through their directory's changes.csv.
//
// TLP: by default only TLP:CLEAR (WHITE) feeds of provider metadata are
// read (Options.TLP widens this). A directory's label is its folder name
// ("…/white/"); a directory without one is read and each document is kept
// or left out by its own label. A feed or directory named directly in
// Options.URL is read whatever its label.
//
// Fetch lists the entries (deduplicated by URL, the newest entry winning),
// drops those updated before Options.Since, orders them newest first (then
// by URL), keeps Options.MaxDocuments, downloads them with
// Options.Concurrency workers, checks hashes when Options.VerifyHashes is
// set, and parses them with [Parse]. Advisories come out in that document
// order, with Source set to the Source's name and three Extra keys:
// "csaf.documentUrl", "csaf.documentSha512" (of the bytes read) and, when a
// hash was checked, "csaf.hashVerified". An advisory ID already given by a
// newer document (the same document at two URLs) is left out with a
// warning in the [Report].
//
// Caching: the Source keeps each parsed document with its entry's update
// time and downloads it again only when that time changes (entries without
// a time, as in index.txt, are downloaded every time); when the time
// changed but the server answers the conditional request with 304, the
// kept parse is reused. So a second Fetch of CISA's 2,379-entry OT feed
// downloads only what changed. When every listing answers 304 after a
// successful Fetch, Fetch returns the HTTP layer's error wrapping
// feeds.ErrNotModified.
//
// Failures: one document that cannot be downloaded (404), fails its hash
// check or does not parse fails the whole Fetch by default — every failed
// document is reported, joined, as a *DocumentError, and no advisories are
// returned, because a partial list must never look complete. Documents
// that did succeed are kept in the cache, and the listings are fetched
// unconditionally next time, so a repaired document is picked up without
// downloading the rest again. Options.SkipBadDocuments returns the good
// documents' advisories instead and lists the failures in Report.Failed.
//
// # Integrity and signatures
//
// Hashes (.sha512, .sha256 in sha256sum/sha512sum format) are checked when
// Options.VerifyHashes is set. OpenPGP signatures (.asc) are NOT verified:
// the module has no OpenPGP implementation among its dependencies, so the
// public_openpgp_keys of provider-metadata.json are parsed and exposed but
// not used. This is a known gap: a hash fetched from the same server as the
// document protects against corruption and truncation, not against a
// compromised server.
//
// # Errors in distribution files
//
// Malformed provider metadata, ROLIE feeds and changes files give a
// *feeds.ParseError naming the input, the 1-based line and column, and for
// JSON the field path ("feed.entry[3].updated"). HTML bodies, empty bodies
// and JSON of another kind (a CSAF document or a ROLIE service document
// where a feed was expected) wrap feeds.ErrNotFeed; bodies over
// DistributionMaxBytes wrap feeds.ErrTooLarge. Hash mismatches wrap
// ErrChecksumMismatch.
package csaffeed
