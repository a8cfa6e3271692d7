// Package kevfeed reads CISA's Known Exploited Vulnerabilities (KEV) catalog
// and maps it onto sigwatch's normalised [feeds.Advisory].
//
// [Parse] reads a catalog in CISA's JSON format from any io.Reader (the CSV
// form of the catalog is not supported); [New] returns a [Source] that fetches the live catalog over
// HTTP; [Snapshot] and [SnapshotSource] serve a release embedded in the
// package (catalogVersion 2025.08.25) for offline demos.
//
// # Mapping
//
// Each entry of "vulnerabilities" becomes one Advisory:
//
//	ID           cveID, trimmed and upper-cased (must match CVE-YYYY-NNNN…)
//	Source       "cisa-kev" from Parse; the Source's Name from Fetch
//	Publisher    "CISA"
//	Title        vulnerabilityName, raw
//	Summary      shortDescription, raw (U+FFFD and typographic quotes kept)
//	URL          https://www.cisa.gov/known-exploited-vulnerabilities-catalog?search_api_fulltext=<ID>,
//	             the catalog page filtered to the entry (search_api_fulltext is
//	             the page's own search parameter); the NVD page is not used
//	             because it is not the publisher's record
//	Published    dateAdded, midnight UTC
//	Severity     unknown (KEV has none); Scores none; Aliases none
//	Exploitation.KEV
//	             VulnerabilityName, DateAdded, DueDate (midnight UTC, as
//	             published), DueBeforeAdded (dueDate < dateAdded, true for the
//	             15 entries of the first 2021-11-03 batch; dates are not
//	             "corrected"), RequiredAction raw, RansomwareUse raw
//	             ("Unknown" when absent or empty), Notes raw
//	Affected     one entry {Vendor: vendorProject, Product: product}, raw, with
//	             no versions, CPEs, purls or status (KEV has none); omitted
//	             only when both are empty
//	Weaknesses   cwes as published (empty strings dropped; [] and absent give nil)
//	References   the URLs in notes, type "WEB": notes are split on `\s*;\s*`,
//	             http(s) URLs found by pattern, comma-joined URLs separated,
//	             trailing punctuation and unbalanced closing brackets removed
//	             (the stray `",` after CVE-2025-5419's last link), duplicates
//	             dropped; prose such as "N/A" yields nothing
//	TLP          CLEAR (the catalog is public)
//	Extra        "kev.release.catalogVersion": catalogVersion (when present;
//	             release metadata, see feeds.IsReleaseExtra)
//
// Text is never trimmed or repaired except the ID; about 50 values in the
// 2025 catalog carry stray spaces ("SimpleHelp ") and matching code trims
// them itself. Advisories keep catalog order (newest first in CISA's
// releases). An entry whose cveID repeats an earlier one is dropped with a
// warning.
//
// The catalog header becomes [Catalog]: Title, Version (catalogVersion),
// Released (dateReleased, read with a tolerant RFC 3339 parser because CISA
// writes four fractional digits), Count (the declared count). A count that
// differs from the number of entries, a missing count, catalogVersion or
// dateReleased, and duplicate IDs are reported in Catalog.Warnings, not as
// errors: they are feed-health events, and the entries are still usable.
//
// # Options
//
// [New] takes an *[Options]; nil and zero fields mean defaults:
//
//	URL         DefaultURL, the catalog on www.cisa.gov
//	HTTP        a feedhttp.Client made once per Source from the three below
//	HTTPClient  a client with a 60 s timeout
//	MaxBytes    DefaultMaxBytes, 64 MiB
//	Name        DefaultName, "cisa-kev"
//	UserAgent   "sigwatch (+https://github.com/sigwatch/sigwatch)"
//
// Fetching goes through feeds/feedhttp: conditional GET (an unchanged
// catalog costs one 304 and returns feeds.ErrNotModified), retries honouring
// Retry-After, gzip, the size cap. A Source is safe for concurrent use.
//
// # Diff
//
// CISA revises entries in place (a ransomware flag flips from Unknown to
// Known, notes gain links, a product is renamed), so comparing two releases
// by CVE ID alone misses updates. [Diff] compares two catalogs entry by
// entry and reports added and removed CVE IDs and, for entries in both, the
// names of the KEV fields that changed (in CISA's spelling, such as
// "knownRansomwareCampaignUse").
//
// # Errors
//
// Malformed input is a *[feeds.ParseError] naming the input (file name or
// URL), the 1-based line and column, and the field path when the problem is
// in a value:
//
//	kev.json:5:12: count: expected integer, found string
//	kev.json:8740:27: unexpected end of input (truncated JSON)          (wraps io.ErrUnexpectedEOF)
//	kev.json:1:1: got an HTML page, not a JSON feed                     (wraps feeds.ErrNotFeed)
//	kev.json:185:26: vulnerabilities[12].dateAdded: invalid date "2025-13-05": want YYYY-MM-DD
//	kev.json:20:5: vulnerabilities[1].cveID: missing cveID
//
// A missing value points at its entry. Each entry must have a cveID of the
// form CVE-YYYY-NNNN and parseable dateAdded and dueDate (YYYY-MM-DD; full
// timestamps are also accepted and reduced to their day; years before 1990
// are rejected as implausible); dateReleased, when present, must parse.
// Positions are 1-based; columns count characters. JSON that decodes but is
// not a catalog (no catalogVersion and no vulnerabilities, as in an API error
// object) wraps feeds.ErrNotFeed. Input beyond the size limit wraps
// feeds.ErrTooLarge.
//
// Fetching adds: *[feeds.HTTPError] for a status outside 2xx (with
// RetryAfter from a 429 or 503, after retries), feeds.ErrNotModified for a
// 304 answer to a conditional request, and the
// context's error when ctx ends. Errors without a position are prefixed
// "kevfeed: " and wrap their cause with %w.
package kevfeed
