// Package feeds defines sigwatch's normalised advisory model and the
// interface that every advisory channel implements.
//
// An [Advisory] is what every adapter produces, whatever its wire format:
// identifiers and aliases (the CVE ID is the join key across sources), text,
// timestamps, severity and scores, exploitation facts such as a CISA KEV
// listing ([KEVListing]), affected products with version ranges
// ([Affected], [Range]), references and a TLP label.
//
// # Sources
//
// A [Source] has two methods, Name and Fetch. Adapters for the public
// channels live in subpackages — kevfeed (CISA KEV), rssfeed (RSS, RDF,
// Atom, JSON Feed, with NCSC and vendor presets), csaffeed (CSAF 2.0 and its
// distribution), osvfeed (OSV), cve5feed (CVE JSON 5) — plus epssfeed (EPSS
// scores, an enrichment) and memfeed (in memory). Each exports a pure Parse
// function beside its Source, so tests and air-gapped users need no HTTP. A
// custom feed for an ISAC portal is a [SourceFunc]; docs/writing-a-feed-
// adapter.md shows a full adapter, and feedtest checks one.
//
// Sources fetch through feedhttp, which reports every HTTP exchange as a
// [FetchInfo] to the observer a pipeline installs with [WithFetchObserver].
// A Fetch that finds nothing changed upstream returns an error wrapping
// [ErrNotModified]; intake treats it as a success with nothing to do.
//
// # Identity
//
// ID is the publisher's identifier; Aliases are other names of the same
// vulnerability (intake merges cases on ID and Aliases); Related are
// distinct vulnerabilities or advisories the advisory refers to, such as the
// CVEs a distribution bulletin fixes or an RSS item mentions, which must not
// merge cases. [Advisory.Clone] is a deep copy.
//
// # Errors
//
// Parse functions report malformed input as a [*ParseError] that names the
// input and the line and column. Fetching reports HTTP failures as
// [*HTTPError], oversized bodies as [ErrTooLarge] and HTML error pages served
// in place of a feed as [ErrNotFeed].
package feeds
