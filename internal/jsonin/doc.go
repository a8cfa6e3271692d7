// Package jsonin is the shared front end of sigwatch's JSON feed adapters:
// it reads a body with a size limit, refuses HTML error pages, decodes with
// encoding/json, and turns every decoding problem into a *feeds.ParseError
// that names the input, the 1-based line and column, and the path of the
// offending value ("vulnerabilities[12].cveID").
//
// [Decode] does all of this in one call; [Read] and [Unmarshal] are its two
// halves, and [ErrorAt] reports problems found after decoding at the
// position of a value given by its path.
//
// # Positions
//
// Columns count Unicode characters (runes; an invalid byte counts as one),
// not bytes. A UTF-8 byte order mark is removed by [Read] before anything
// else, so positions match what an editor shows. Invalid UTF-8 inside
// strings is accepted (encoding/json replaces it with U+FFFD).
package jsonin
