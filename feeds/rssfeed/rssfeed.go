package rssfeed

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"slices"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
)

// Defaults and limits.
const (
	// DefaultName is the source name of advisories parsed without a
	// source name or preset.
	DefaultName = "rss"
	// DefaultMaxBytes is the default input size limit of Parse and of a
	// Source: 64 MiB, the same as feedhttp's body limit. The largest feed
	// known, MSRC's, has about 4,700 items.
	DefaultMaxBytes = 64 << 20
	// DefaultMaxItems is the default limit on the number of items in one
	// feed: 100,000. It bounds memory on hostile input made of tiny items.
	DefaultMaxItems = 100_000
	// MaxDepth is the deepest element nesting accepted in an XML feed.
	// Real feeds stay below 10 (XHTML content adds a few levels).
	MaxDepth = 256
	// maxWarnings caps Feed.Warnings; further warnings are counted in a
	// final summary warning.
	maxWarnings = 1000
)

// Format is the wire format of a feed, detected from its content.
type Format string

// Formats Parse recognises.
const (
	// FormatRSS is RSS 2.0 and its ancestors 0.91 and 0.92 (root <rss>).
	FormatRSS Format = "rss"
	// FormatRDF is RSS 1.0 (root <rdf:RDF>).
	FormatRDF Format = "rdf"
	// FormatAtom is Atom 1.0 (root <feed>).
	FormatAtom Format = "atom"
	// FormatJSON is JSON Feed 1.0 or 1.1.
	FormatJSON Format = "json"
)

// Feed is one parsed feed document.
type Feed struct {
	// Format is the format detected from the content.
	Format Format `json:"format"`
	// Version is the format version as the document states it: the rss
	// element's version attribute ("2.0"), "1.0" for RSS 1.0 and Atom, and
	// the version URL of a JSON Feed ("https://jsonfeed.org/version/1").
	Version string `json:"version,omitempty"`
	// Title, Link and Description describe the channel as published (Atom:
	// title, the alternate link, subtitle; JSON Feed: title,
	// home_page_url, description).
	Title       string `json:"title,omitempty"`
	Link        string `json:"link,omitempty"`
	Description string `json:"description,omitempty"`
	// Updated is when the publisher last changed the feed (RSS
	// lastBuildDate, else pubDate, else dc:date; Atom updated), in UTC;
	// zero when the feed does not say.
	Updated time.Time `json:"updated,omitzero"`
	// Advisories are the items in document order, mapped as described in
	// the package documentation. Items that repeat an earlier item's ID
	// are merged into it.
	Advisories []feeds.Advisory `json:"advisories"`
	// Warnings describe tolerated problems, each prefixed with the input
	// name, position and item path: items without an ID, unparseable
	// dates, unknown severity words, merged duplicates.
	Warnings []string `json:"warnings,omitempty"`
}

// ParseOptions configure [ParseWith]. The zero value and a nil
// *ParseOptions mean all defaults.
type ParseOptions struct {
	// SourceName is written to each Advisory.Source. Optional: "" means
	// DefaultName.
	SourceName string
	// Publisher is written to each Advisory.Publisher. Optional: "" leaves
	// Publisher empty (feeds do not name their publishing organisation).
	Publisher string
	// Vendor is the vendor of affected-product hints whose rule names none.
	// When set, an item no rule recognises still gets a vendor-only hint.
	// Optional.
	Vendor string
	// Rules are tried before the built-in rules, in order; the first rule
	// whose IDPattern matches applies. Optional.
	Rules []ItemRule
	// NoBuiltinRules turns the built-in rules ([BuiltinRules]) off.
	NoBuiltinRules bool
	// StripParams are query parameters removed from links in addition to
	// the built-in tracking parameters ([TrackingParams]); "x_*" matches
	// a prefix. Optional.
	StripParams []string
	// MaxBytes caps the input. Optional: 0 or less means DefaultMaxBytes.
	MaxBytes int64
	// MaxItems caps the number of items. Optional: 0 or less means
	// DefaultMaxItems.
	MaxItems int
}

// Parse reads an RSS 2.0, RSS 1.0, Atom 1.0 or JSON Feed document from r,
// detecting the format from the content, and maps its items to advisories
// with the built-in rules. name identifies the input (a file name or URL)
// in errors and warnings. It is ParseWith with nil options.
func Parse(r io.Reader, name string) (*Feed, error) {
	return ParseWith(r, name, nil)
}

// ParseWith is Parse with options: a source name, publisher, vendor, extra
// item rules and limits. Errors are described in the package documentation.
func ParseWith(r io.Reader, name string, opts *ParseOptions) (*Feed, error) {
	p, err := newParser(name, opts)
	if err != nil {
		return nil, err
	}
	data, err := readAll(r, name, p.maxBytes)
	if err != nil {
		return nil, err
	}
	return p.parse(data)
}

// readAll reads r up to limit bytes.
func readAll(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("rssfeed: read %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("rssfeed: %s: more than %d bytes: %w", name, limit, feeds.ErrTooLarge)
	}
	return data, nil
}

// parser holds the settings of one parse and collects its warnings.
type parser struct {
	name        string
	source      string
	publisher   string
	vendor      string
	rules       []*compiledRule
	stripParams []string
	maxBytes    int64
	maxItems    int

	data     []byte
	json     bool // the input is a JSON Feed
	warnings []string
	dropped  int // warnings beyond maxWarnings
	items    int // items seen, for MaxItems
	// locateSpent counts bytes rescanned for JSON warning positions.
	locateSpent int64
}

func newParser(name string, opts *ParseOptions) (*parser, error) {
	var o ParseOptions
	if opts != nil {
		o = *opts
	}
	p := &parser{
		name:        name,
		source:      o.SourceName,
		publisher:   o.Publisher,
		vendor:      o.Vendor,
		stripParams: o.StripParams,
		maxBytes:    o.MaxBytes,
		maxItems:    o.MaxItems,
	}
	if p.source == "" {
		p.source = DefaultName
	}
	if p.maxBytes <= 0 {
		p.maxBytes = DefaultMaxBytes
	}
	if p.maxItems <= 0 {
		p.maxItems = DefaultMaxItems
	}
	for _, r := range o.Rules {
		c, err := compileRule(r)
		if err != nil {
			return nil, err
		}
		p.rules = append(p.rules, c)
	}
	if !o.NoBuiltinRules {
		for _, b := range builtinCompiled() {
			// A preset lists the built-in rule for its publisher first, to
			// give it priority; do not run the same rule twice.
			if !slices.ContainsFunc(o.Rules, func(r ItemRule) bool { return reflect.DeepEqual(r, b.ItemRule) }) {
				p.rules = append(p.rules, b)
			}
		}
	}
	return p, nil
}

// parseBytes parses data with a copy of p, which is not modified, so one
// configured parser can serve many inputs.
func (p *parser) parseBytes(data []byte, name string) (*Feed, error) {
	q := *p
	q.name = name
	if int64(len(data)) > q.maxBytes {
		return nil, fmt.Errorf("rssfeed: %s: more than %d bytes: %w", name, q.maxBytes, feeds.ErrTooLarge)
	}
	return q.parse(data)
}

// errorAt returns a *feeds.ParseError at a position.
func (p *parser) errorAt(line, col int, field string, err error) *feeds.ParseError {
	return &feeds.ParseError{Input: p.name, Line: line, Column: col, Field: field, Err: err}
}

// warn records a warning at a position.
// maxLocateBytes bounds the bytes rescanned to find the positions of
// warnings in a JSON Feed.
const maxLocateBytes = 16 << 20

func (p *parser) warn(line, col int, field, format string, args ...any) {
	if len(p.warnings) >= maxWarnings {
		p.dropped++
		return
	}
	p.warnings = append(p.warnings, p.errorAt(line, col, field, fmt.Errorf(format, args...)).Error())
}

func (p *parser) parse(data []byte) (*Feed, error) {
	p.data = data
	trimmed := sniff.TrimLeft(data)
	switch {
	case len(trimmed) == 0:
		return nil, p.errorAt(1, 1, "", sniff.NotFeedf("not a feed: empty input"))
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return nil, p.errorAt(1, 1, "", sniff.NotFeedf("not a feed: UTF-16 input is not supported (want UTF-8)"))
	case sniff.HTML(data):
		line, col := jsonin.Position(data, int64(len(data)-len(trimmed)))
		return nil, p.errorAt(line, col, "", sniff.NotFeedf("got an HTML page, not a feed"))
	}
	var (
		feed *Feed
		err  error
	)
	switch trimmed[0] {
	case '<':
		feed, err = p.parseXML(data)
	case '{':
		d := sniff.TrimBOM(data) // a byte order mark before a JSON Feed is allowed
		p.data = d
		feed, err = p.parseJSON(d)
	default:
		line, col := jsonin.Position(data, int64(len(data)-len(trimmed)))
		return nil, p.errorAt(line, col, "", sniff.NotFeedf("not a feed: input starts with %s, want '<' (XML) or '{' (JSON Feed)", describeStart(trimmed)))
	}
	if err != nil {
		return nil, err
	}
	if p.dropped > 0 {
		p.warnings = append(p.warnings, fmt.Sprintf("%s: %d more warnings not shown", p.name, p.dropped))
	}
	feed.Warnings = p.warnings
	if feed.Advisories == nil {
		feed.Advisories = []feeds.Advisory{}
	}
	return feed, nil
}

// describeStart describes the first bytes of a body for an error message.
func describeStart(b []byte) string {
	if len(b) > 8 {
		b = b[:8]
	}
	return fmt.Sprintf("%q", b)
}

// tooManyItems reports a feed with more than MaxItems items.
func (p *parser) tooManyItems(line, col int, field string) error {
	return p.errorAt(line, col, field, fmt.Errorf("more than %d items: %w", p.maxItems, feeds.ErrTooLarge))
}

// countItem counts one item against MaxItems.
func (p *parser) countItem(line, col int, field string) error {
	p.items++
	if p.items > p.maxItems {
		return p.tooManyItems(line, col, field)
	}
	return nil
}
