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
// channels live in subpackages (kevfeed for the CISA KEV catalog; more follow)
// and each exports a pure Parse function beside its Source, so tests and
// air-gapped users need no HTTP. A custom feed for an ISAC portal is a
// [SourceFunc].
//
// # Errors
//
// Parse functions report malformed input as a [*ParseError] that names the
// input and the line and column. Fetching reports HTTP failures as
// [*HTTPError], oversized bodies as [ErrTooLarge] and HTML error pages served
// in place of a feed as [ErrNotFeed].
package feeds
