package csaffeed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/internal/timex"
)

// Limits applied by Parse; ParseOptions overrides them.
const (
	// DefaultMaxBytes is the size limit of one document: 64 MiB. The
	// largest sample, Red Hat's rhsa-2024_6220.json, is 550 KB; Red Hat
	// kernel advisories reach tens of megabytes.
	DefaultMaxBytes = 64 << 20
	// DefaultMaxBranchDepth bounds the nesting of product_tree.branches
	// (and of relationships that refer to other relationships). Real
	// trees are 3 to 6 levels deep.
	DefaultMaxBranchDepth = 64
	// MaxWarnings caps Document.Warnings; further warnings are counted in
	// a last line.
	MaxWarnings = 1000
	// MaxExpansion bounds the values the mapping copies: document notes,
	// acknowledgments, references and tracking aliases repeated in every
	// advisory, and group members expanded in remediations, threats and
	// flags. Real documents stay far below it (rhsa-2024_6220.json: a few
	// dozen); a hostile document that would multiply a small input into
	// gigabytes fails instead.
	MaxExpansion = 1 << 20
)

// Extra keys set on every advisory (see the package documentation for the
// keys that depend on the document).
const (
	ExtraTrackingID         = "csaf.trackingId"
	ExtraTrackingVersion    = "csaf.trackingVersion"
	ExtraTrackingStatus     = "csaf.trackingStatus"
	ExtraDocumentCategory   = "csaf.documentCategory"
	ExtraDocumentTitle      = "csaf.documentTitle"
	ExtraVulnerabilityTitle = "csaf.vulnerabilityTitle"
	ExtraAggregateSeverity  = "csaf.aggregateSeverity"
	ExtraCWEName            = "csaf.cweName"
	ExtraReleaseDate        = "csaf.releaseDate"
	ExtraDiscoveryDate      = "csaf.discoveryDate"
	ExtraIDs                = "csaf.ids"
	// ExtraProductStatusPrefix + a product_status key ("first_affected",
	// "last_affected", "first_fixed", "recommended") holds that list as a
	// JSON array of product IDs, for the lists whose meaning the Affected
	// status alone does not carry.
	ExtraProductStatusPrefix = "csaf.productStatus."
	// ExtraRelationshipPrefix + a composite product_id describes the
	// relationship behind it: "<category> <platform id>: <full name>".
	ExtraRelationshipPrefix = "csaf.relationship."
	// ExtraRemediationPrefix + "<i>.entitlements" / "<i>.restartRequired"
	// keep the remediation fields feeds.Remediation has no room for (i is
	// the index in the vulnerability's remediations array).
	ExtraRemediationPrefix = "csaf.remediation."
)

// ParseOptions tunes ParseWithOptions. The zero value means defaults.
type ParseOptions struct {
	// MaxBytes caps the input size. Optional: 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxBranchDepth bounds the nesting of product_tree.branches.
	// Optional: 0 means DefaultMaxBranchDepth.
	MaxBranchDepth int
}

// Parse reads one CSAF 2.0 JSON document from r with the default limits.
// name identifies the input (a file name or URL) in errors and warnings.
//
// Malformed input yields a *feeds.ParseError with the position and, when
// known, the field path ("vulnerabilities[0].product_status.fixed"). Inputs
// over DefaultMaxBytes wrap feeds.ErrTooLarge; HTML pages, empty input and
// JSON that is not a CSAF document (no "document" object) wrap
// feeds.ErrNotFeed.
func Parse(r io.Reader, name string) (*Document, error) {
	return ParseWithOptions(r, name, nil)
}

// ParseWithOptions is Parse with explicit limits; nil opts means defaults.
func ParseWithOptions(r io.Reader, name string, opts *ParseOptions) (*Document, error) {
	var o ParseOptions
	if opts != nil {
		o = *opts
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxBranchDepth <= 0 {
		o.MaxBranchDepth = DefaultMaxBranchDepth
	}
	data, err := jsonin.Read(r, name, o.MaxBytes)
	if err != nil {
		return nil, docPrefix(err)
	}
	return parseBytes(data, name, &o)
}

// docPrefix adds the package name to errors that do not carry a position.
func docPrefix(err error) error {
	var pe *feeds.ParseError
	if err == nil || errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("csaffeed: %w", err)
}

// parser holds the state of one Parse call.
type parser struct {
	data     []byte
	name     string
	opts     *ParseOptions
	doc      *Document
	groups   map[string][]string // group_id -> product_ids
	dropped  int                 // warnings beyond MaxWarnings
	spent    int                 // values copied so far, see MaxExpansion
	relNames map[string]string   // composite product_id -> Extra text
	compName map[string]string   // composite product_id -> component's name
}

func (p *parser) warnf(format string, args ...any) {
	if len(p.doc.Warnings) >= MaxWarnings {
		p.dropped++
		return
	}
	p.doc.Warnings = append(p.doc.Warnings, fmt.Sprintf(format, args...))
}

// spend counts n copied values against MaxExpansion; path locates the
// error.
func (p *parser) spend(path string, n int) error {
	p.spent += n
	if p.spent > MaxExpansion {
		return p.errAt(path, fmt.Errorf("document too large to map: more than %d values copied into its advisories", MaxExpansion))
	}
	return nil
}

// errAt returns a *feeds.ParseError positioned at the value at path.
func (p *parser) errAt(path string, err error) error {
	return jsonin.ErrorAt(p.data, p.name, path, err)
}

func parseBytes(data []byte, name string, opts *ParseOptions) (*Document, error) {
	if !utf8.Valid(data) {
		off := invalidUTF8(data)
		line, col := jsonin.Position(data, int64(off))
		return nil, &feeds.ParseError{Input: name, Line: line, Column: col,
			Err: fmt.Errorf("invalid UTF-8 (byte 0x%02x at offset %d): CSAF documents must be UTF-8", data[off], off)}
	}
	var w wireRoot
	if err := jsonin.Unmarshal(data, name, &w); err != nil {
		// Other JSON (a KEV catalog, an OSV record) is "not a CSAF
		// document", not an error about its first field that clashes with
		// CSAF's. Probed only on this error path, so valid input is decoded
		// once.
		var probe struct {
			Document json.RawMessage `json:"document"`
		}
		if json.Unmarshal(data, &probe) == nil && len(probe.Document) == 0 {
			return nil, jsonin.ErrorAt(data, name, "", sniff.NotFeed(`not a CSAF document: no "document" object`))
		}
		return nil, err
	}
	if w.Document == nil {
		return nil, jsonin.ErrorAt(data, name, "", sniff.NotFeed(`not a CSAF document: no "document" object`))
	}
	p := &parser{data: data, name: name, opts: opts, doc: &Document{Name: name}}
	if err := p.parseDocument(w.Document); err != nil {
		return nil, err
	}
	if err := p.parseProductTree(w.ProductTree); err != nil {
		return nil, err
	}
	d := p.doc
	d.Vulnerabilities = len(w.Vulnerabilities)
	if len(w.Vulnerabilities) == 0 {
		d.Advisories = []feeds.Advisory{p.documentAdvisory()}
	} else {
		// Every advisory repeats the document's notes, acknowledgments,
		// references and aliases: refuse an absurd product up front.
		per := int64(1 + len(d.Notes) + len(d.Acknowledgments) + len(d.References) + len(d.Aliases))
		if n := int64(len(w.Vulnerabilities)) * per; n > MaxExpansion {
			return nil, p.errAt("vulnerabilities", fmt.Errorf("document too large to map: %d vulnerabilities would each repeat %d document values (limit %d in all)",
				len(w.Vulnerabilities), per-1, MaxExpansion))
		}
		p.spent = int(int64(len(w.Vulnerabilities)) * per)
		d.Advisories = make([]feeds.Advisory, 0, len(w.Vulnerabilities))
		seen := make(map[string]int, len(w.Vulnerabilities))
		for i := range w.Vulnerabilities {
			a, err := p.mapVulnerability(i, &w.Vulnerabilities[i])
			if err != nil {
				return nil, err
			}
			if j, dup := seen[a.ID]; dup {
				id := fmt.Sprintf("%s/vulnerabilities[%d]", d.ID, i)
				for n := 2; ; n++ {
					if _, taken := seen[id]; !taken {
						break
					}
					id = fmt.Sprintf("%s/vulnerabilities[%d]#%d", d.ID, i, n)
				}
				p.warnf("vulnerabilities[%d]: advisory ID %q repeats vulnerabilities[%d]; this one is %q", i, clip(a.ID), j, id)
				a.ID = id
			}
			seen[a.ID] = i
			d.Advisories = append(d.Advisories, a)
		}
	}
	if p.dropped > 0 {
		d.Warnings = append(d.Warnings, fmt.Sprintf("%d more warnings not shown", p.dropped))
	}
	return d, nil
}

// invalidUTF8 returns the offset of the first invalid UTF-8 sequence.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// Year bounds for dates: earlier or later values are absurd for a CSAF
// document (CVRF, its predecessor, dates from 2011; Red Hat's oldest
// advisories converted to CSAF from 2000).
const (
	minYear = 1990
	maxYear = 2200
)

// parseTime parses an optional timestamp at path; "" gives the zero time.
func (p *parser) parseTime(path, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	t, err := timex.Parse(s)
	if err != nil {
		return time.Time{}, p.errAt(path, fmt.Errorf("invalid timestamp %q", clip(s)))
	}
	if !t.IsZero() && (t.Year() < minYear || t.Year() > maxYear) {
		return time.Time{}, p.errAt(path, fmt.Errorf("implausible timestamp %q: year outside %d–%d", clip(s), minYear, maxYear))
	}
	return t, nil
}

// scalar turns a JSON string or number into its text ("" for null or
// absent). Other JSON types are an error at path.
func (p *parser) scalar(path string, raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", p.errAt(path, err)
		}
		return s, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw), nil
	}
	return "", p.errAt(path, fmt.Errorf("expected string or number, found %s", jsonKind(raw[0])))
}

func jsonKind(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	}
	return "value"
}

func (p *parser) parseDocument(w *wireDocument) error {
	d := p.doc
	d.Category = w.Category
	d.CSAFVersion = w.CSAFVersion
	d.Title = w.Title
	d.Lang = w.Lang
	d.SourceLang = w.SourceLang
	d.Publisher = Publisher{
		Name:             w.Publisher.Name,
		Category:         w.Publisher.Category,
		Namespace:        w.Publisher.Namespace,
		ContactDetails:   w.Publisher.ContactDetails,
		IssuingAuthority: w.Publisher.IssuingAuthority,
	}
	if w.Tracking == nil {
		return p.errAt("document.tracking", errors.New(`missing "tracking": a CSAF document needs tracking.id`))
	}
	t := w.Tracking
	d.ID = t.ID
	if strings.TrimSpace(t.ID) == "" {
		return p.errAt("document.tracking.id", errors.New("missing tracking.id"))
	}
	var err error
	if d.Version, err = p.scalar("document.tracking.version", t.Version); err != nil {
		return err
	}
	d.Status = t.Status
	d.Aliases = t.Aliases
	if d.InitialRelease, err = p.parseTime("document.tracking.initial_release_date", t.InitialReleaseDate); err != nil {
		return err
	}
	if d.CurrentRelease, err = p.parseTime("document.tracking.current_release_date", t.CurrentReleaseDate); err != nil {
		return err
	}
	for i, r := range t.RevisionHistory {
		path := fmt.Sprintf("document.tracking.revision_history[%d]", i)
		rev := Revision{Summary: r.Summary, LegacyVersion: r.LegacyVersion}
		if rev.Number, err = p.scalar(path+".number", r.Number); err != nil {
			return err
		}
		if rev.Date, err = p.parseTime(path+".date", r.Date); err != nil {
			return err
		}
		d.Revisions = append(d.Revisions, rev)
	}
	if g := t.Generator; g != nil {
		d.Generator = &Generator{Engine: g.Engine.Name, EngineVersion: g.Engine.Version}
		if d.Generator.Date, err = p.parseTime("document.tracking.generator.date", g.Date); err != nil {
			return err
		}
	}
	if w.AggregateSeverity != nil {
		d.AggregateSeverity = &AggregateSeverity{Text: w.AggregateSeverity.Text, Namespace: w.AggregateSeverity.Namespace}
	}
	for _, n := range w.Notes {
		d.Notes = append(d.Notes, feeds.Note{Category: n.Category, Title: n.Title, Text: n.Text})
	}
	for _, r := range w.References {
		d.References = append(d.References, Reference(r))
		if d.SelfURL == "" && r.Category == "self" && strings.TrimSpace(r.URL) != "" {
			d.SelfURL = r.URL
		}
	}
	for _, a := range w.Acknowledgments {
		d.Acknowledgments = append(d.Acknowledgments, Acknowledgment(a))
	}

	switch {
	case w.Distribution == nil:
		p.warnf("document.distribution: absent, so the document has no TLP label (left unspecified, not assumed CLEAR)")
	case w.Distribution.TLP == nil:
		d.Distribution = w.Distribution.Text
		p.warnf("document.distribution.tlp: absent, so the document has no TLP label (left unspecified, not assumed CLEAR)")
	default:
		d.Distribution = w.Distribution.Text
		d.TLPLabel, d.TLPURL = w.Distribution.TLP.Label, w.Distribution.TLP.URL
		tlp, ok := feeds.ParseTLP(d.TLPLabel) // WHITE (TLP 1.0, as in CSAF 2.0) is CLEAR
		if !ok {
			p.warnf("document.distribution.tlp.label: unknown TLP label %q (left unspecified)", clip(d.TLPLabel))
		}
		d.TLP = tlp
	}

	if strings.TrimSpace(d.Category) == "" {
		p.warnf("document.category: missing")
	}
	if strings.TrimSpace(d.Title) == "" {
		p.warnf("document.title: missing")
	}
	if strings.TrimSpace(d.Publisher.Name) == "" {
		p.warnf("document.publisher.name: missing")
	}
	if strings.TrimSpace(d.Version) == "" {
		p.warnf("document.tracking.version: missing")
	}
	if d.CurrentRelease.IsZero() {
		p.warnf("document.tracking.current_release_date: missing or unknown")
	}
	switch v := strings.TrimSpace(d.CSAFVersion); v {
	case "2.0":
	case "":
		p.warnf("document.csaf_version: missing (read as 2.0)")
	default:
		p.warnf("document.csaf_version: %q is not 2.0 (read with the 2.0 rules)", clip(v))
	}
	return nil
}

// clip shortens hostile input before it goes into a message.
func clip(s string) string { return textx.Clip(s, 60) }

// mustJSON encodes v, which is always encodable (strings and structs of
// strings), as compact JSON for an Extra value.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", err.Error())
	}
	return string(b)
}

func parseTimeLoose(s string) (time.Time, error) { return timex.Parse(s) }

func itoa(i int) string { return strconv.Itoa(i) }
