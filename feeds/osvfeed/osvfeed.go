package osvfeed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/internal/timex"
)

// Names and limits used by the adapter.
const (
	// DefaultName is the source name of advisories from this adapter.
	DefaultName = "osv"
	// DefaultMaxRecordBytes is the size limit of one OSV record, in Parse
	// and per file or zip member in ParseFS and ParseZip: 16 MiB. The
	// largest records published by osv.dev (distribution advisories with
	// hundreds of packages) are around 1 MB.
	DefaultMaxRecordBytes = 16 << 20
	// OSVPageURL is the prefix of osv.dev's page for a record; it is the
	// Advisory URL of records without database_specific.url.
	OSVPageURL = "https://osv.dev/vulnerability/"
)

// Extra keys. Values that are JSON are compact JSON as published (key order
// and numbers unchanged, whitespace removed).
const (
	// ExtraSchemaVersion holds schema_version ("1.3.1").
	ExtraSchemaVersion = "osv.schema_version"
	// ExtraDatabaseSpecific holds the record's database_specific object
	// (JSON).
	ExtraDatabaseSpecific = "osv.database_specific"
	// ExtraReviewStatus holds database_specific.review_status when it is a
	// string: the Go vulnerability database's "REVIEWED" or "UNREVIEWED".
	ExtraReviewStatus = "osv.review_status"
	// ExtraCredits holds the credits array (JSON): name, contact, type.
	ExtraCredits = "osv.credits"
	// ExtraUpstream holds the upstream array (JSON). Its IDs are also in
	// Advisory.Related; this key says which of them were "upstream".
	ExtraUpstream = "osv.upstream"
)

// ExtraAffectedKey returns the Extra key of a per-package object of
// affected entry i: field is "ecosystem_specific", "database_specific" or
// "severity" (JSON as published). Affected entries keep their index in
// Advisory.Affected, so ExtraAffectedKey(i, …) belongs to Advisory.Affected[i].
func ExtraAffectedKey(i int, field string) string {
	return fmt.Sprintf("osv.affected[%d].%s", i, field)
}

// ExtraRangeKey returns the Extra key of ranges[j].database_specific of
// affected entry i (JSON), which belongs to Advisory.Affected[i].Ranges[j].
func ExtraRangeKey(i, j int) string {
	return fmt.Sprintf("osv.affected[%d].ranges[%d].database_specific", i, j)
}

// Record is one parsed OSV record.
type Record struct {
	// Advisory is the record mapped as described in the package
	// documentation.
	Advisory feeds.Advisory `json:"advisory"`
	// SchemaVersion is schema_version as published; "" when absent (the
	// AlmaLinux database has none).
	SchemaVersion string `json:"schemaVersion,omitempty"`
	// Warnings describe oddities that did not stop parsing, each as
	// "input:line:column: ID: field: message".
	Warnings []string `json:"warnings,omitempty"`
}

// Parse reads one OSV record (a JSON object) from r. name identifies the
// input (a file name or URL) in errors and warnings.
//
// Malformed input yields a *feeds.ParseError with the position and, where
// known, the field path ("affected[2].ranges[0].events[1]"). Inputs over
// DefaultMaxRecordBytes wrap feeds.ErrTooLarge; HTML pages, empty input
// and JSON objects that are not OSV records wrap feeds.ErrNotFeed.
func Parse(r io.Reader, name string) (*Record, error) {
	data, err := jsonin.Read(r, name, DefaultMaxRecordBytes)
	if err != nil {
		return nil, prefix(err)
	}
	return parseData(data, name)
}

// prefix adds the package name to errors that do not carry a position.
func prefix(err error) error { return jsonin.Prefix("osvfeed", err) }

type wireRecord struct {
	SchemaVersion    string          `json:"schema_version"`
	ID               *string         `json:"id"`
	Modified         *string         `json:"modified"`
	Published        string          `json:"published"`
	Withdrawn        string          `json:"withdrawn"`
	Aliases          []string        `json:"aliases"`
	Related          []string        `json:"related"`
	Upstream         []string        `json:"upstream"`
	Summary          string          `json:"summary"`
	Details          string          `json:"details"`
	Severity         []wireSeverity  `json:"severity"`
	Affected         []*wireAffected `json:"affected"`
	References       []wireReference `json:"references"`
	Credits          json.RawMessage `json:"credits"`
	DatabaseSpecific json.RawMessage `json:"database_specific"`
}

type wireSeverity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

type wireAffected struct {
	Package           *wirePackage    `json:"package"`
	Severity          []wireSeverity  `json:"severity"`
	Ranges            []*wireRange    `json:"ranges"`
	Versions          []string        `json:"versions"`
	EcosystemSpecific json.RawMessage `json:"ecosystem_specific"`
	DatabaseSpecific  json.RawMessage `json:"database_specific"`
}

type wirePackage struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	PURL      string `json:"purl"`
}

type wireRange struct {
	Type             string          `json:"type"`
	Repo             string          `json:"repo"`
	Events           []*wireEvent    `json:"events"`
	DatabaseSpecific json.RawMessage `json:"database_specific"`
}

type wireEvent struct {
	Introduced   *string `json:"introduced"`
	Fixed        *string `json:"fixed"`
	LastAffected *string `json:"last_affected"`
	Limit        *string `json:"limit"`
}

type wireReference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// maxWarnings bounds the positioned warnings of one record; further ones
// are counted in a final warning.
const maxWarnings = 50

// mapper holds the state of mapping one record.
type mapper struct {
	data     []byte
	name     string
	id       string
	warnings []string
	dropped  int
	scanned  int64 // bytes rescanned by jsonin.Locate so far
}

// warn records a warning about the value at path.
func (m *mapper) warn(path, format string, args ...any) {
	if len(m.warnings) >= maxWarnings {
		m.dropped++
		return
	}
	// Finding a position rescans the record; the scanning budget keeps a
	// huge record with many warnings from taking long. Past it, warnings
	// name the field path only.
	pos := m.name
	if m.scanned+int64(len(m.data)) <= locateBudget {
		m.scanned += int64(len(m.data))
		line, col := 1, 1
		if off, ok := jsonin.Locate(m.data, path); ok {
			line, col = jsonin.Position(m.data, off)
		}
		pos = fmt.Sprintf("%s:%d:%d", m.name, line, col)
	}
	id := m.id
	if id == "" {
		id = "<no id>"
	}
	msg := fmt.Sprintf(format, args...)
	if path == "" {
		m.warnings = append(m.warnings, fmt.Sprintf("%s: %s: %s", pos, id, msg))
		return
	}
	m.warnings = append(m.warnings, fmt.Sprintf("%s: %s: %s: %s", pos, id, path, msg))
}

// locateBudget bounds the bytes rescanned to position one record's
// warnings: 16 MiB, enough for all 50 warnings of records up to 320 KiB.
const locateBudget = 16 << 20

func (m *mapper) errorAt(path string, err error) error {
	return jsonin.ErrorAt(m.data, m.name, path, err)
}

func parseData(data []byte, name string) (*Record, error) {
	var w wireRecord
	if err := jsonin.Unmarshal(data, name, &w); err != nil {
		return nil, err
	}
	m := &mapper{data: data, name: name}
	if w.ID == nil {
		if w.Modified == nil && w.Affected == nil && w.Summary == "" && w.Details == "" && w.Aliases == nil {
			return nil, m.errorAt("", sniff.NotFeed(`not an OSV record: no "id", "modified", "affected", "summary" or "details"`))
		}
		return nil, m.errorAt("id", errors.New(`missing "id"`))
	}
	id := strings.TrimSpace(*w.ID)
	if id == "" {
		return nil, m.errorAt("id", errors.New(`empty "id"`))
	}
	m.id = id
	if id != *w.ID {
		m.warn("id", "id %q has surrounding whitespace; trimmed", clip(*w.ID))
	}

	a := feeds.Advisory{
		ID:        id,
		Source:    DefaultName,
		Publisher: publisherOf(id),
		Title:     w.Summary,
		Summary:   w.Details,
	}
	if a.Title == "" {
		a.Title = id
	}
	var err error
	if a.Published, err = m.time("published", w.Published); err != nil {
		return nil, err
	}
	if w.Modified == nil || strings.TrimSpace(*w.Modified) == "" {
		m.warn("", `"modified" is missing (required by the OSV schema)`)
	} else if a.Modified, err = m.time("modified", *w.Modified); err != nil {
		return nil, err
	}
	if a.Withdrawn, err = m.time("withdrawn", w.Withdrawn); err != nil {
		return nil, err
	}

	extra := map[string]string{}
	if w.SchemaVersion != "" {
		extra[ExtraSchemaVersion] = w.SchemaVersion
	}
	a.Aliases = m.ids("aliases", w.Aliases, id)
	a.Related = m.ids("related", w.Related, id)
	if up := m.ids("upstream", w.Upstream, id); len(up) > 0 {
		a.Related = compactSorted(append(a.Related, up...))
		extra[ExtraUpstream] = compactJSON(marshal(w.Upstream))
	}

	// Top-level database_specific: kept whole; url, severity, cwe_ids and
	// review_status are read from it.
	var db struct {
		URL          json.RawMessage `json:"url"`
		Severity     json.RawMessage `json:"severity"`
		CWEIDs       json.RawMessage `json:"cwe_ids"`
		ReviewStatus json.RawMessage `json:"review_status"`
	}
	if isObject(w.DatabaseSpecific) {
		extra[ExtraDatabaseSpecific] = compactJSON(w.DatabaseSpecific)
		_ = json.Unmarshal(w.DatabaseSpecific, &db) // fields checked one by one below
	} else if !isNull(w.DatabaseSpecific) {
		m.warn("database_specific", "database_specific is not an object; kept in Extra")
		extra[ExtraDatabaseSpecific] = compactJSON(w.DatabaseSpecific)
	}
	a.URL = OSVPageURL + id
	if s, ok := jsonString(db.URL); ok && (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) {
		a.URL = s
	} else if !isNull(db.URL) {
		m.warn("database_specific.url", "url is not an http(s) URL string; using the osv.dev page")
	}
	if s, ok := jsonString(db.ReviewStatus); ok {
		extra[ExtraReviewStatus] = s
	}
	if !isNull(db.CWEIDs) {
		var cwes []string
		if err := json.Unmarshal(db.CWEIDs, &cwes); err != nil {
			m.warn("database_specific.cwe_ids", "cwe_ids is not an array of strings; kept in Extra only")
		}
		for _, c := range cwes {
			if strings.TrimSpace(c) != "" {
				a.Weaknesses = append(a.Weaknesses, c)
			}
		}
	}
	sev := severityPick{}
	if s, ok := jsonString(db.Severity); ok {
		sev.database = m.severityWord("database_specific.severity", s)
	} else if !isNull(db.Severity) {
		m.warn("database_specific.severity", "severity is not a string; ignored for Advisory.Severity")
	}

	// severity[]
	for i, s := range w.Severity {
		m.score(&a, &sev, fmt.Sprintf("severity[%d]", i), s)
	}

	// affected[]
	if len(w.Affected) == 0 {
		m.warn("affected", "record has no affected packages")
	}
	for i, wa := range w.Affected {
		path := fmt.Sprintf("affected[%d]", i)
		if wa == nil {
			return nil, m.errorAt(path, errors.New("affected entry is null"))
		}
		af, err := m.affected(path, i, wa, extra, &a, &sev)
		if err != nil {
			return nil, err
		}
		a.Affected = append(a.Affected, af)
	}
	sev.summary = summaryRating(a.Publisher, w.Summary)
	a.Severity = sev.result()

	for i, r := range w.References {
		if strings.TrimSpace(r.URL) == "" {
			m.warn(fmt.Sprintf("references[%d]", i), "reference without url; dropped")
			continue
		}
		a.References = append(a.References, feeds.Reference{Type: r.Type, URL: r.URL})
	}
	if !isNull(w.Credits) {
		if !isArray(w.Credits) {
			m.warn("credits", "credits is not an array; kept in Extra")
		}
		if c := compactJSON(w.Credits); c != "[]" {
			extra[ExtraCredits] = c
		}
	}
	if len(extra) > 0 {
		a.Extra = extra
	}
	if m.dropped > 0 {
		m.warnings = append(m.warnings, fmt.Sprintf("%s: %s: %d more warnings not shown", m.name, id, m.dropped))
	}
	return &Record{Advisory: a, SchemaVersion: w.SchemaVersion, Warnings: m.warnings}, nil
}

// time parses an optional timestamp field.
func (m *mapper) time(field, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	t, err := timex.Parse(s)
	if err != nil {
		return time.Time{}, m.errorAt(field, fmt.Errorf("invalid timestamp %q: want RFC 3339", clip(s)))
	}
	return t, nil
}

// ids returns list sorted and unique, without self and empty strings.
func (m *mapper) ids(field string, list []string, self string) []string {
	var out []string
	for i, s := range list {
		if strings.TrimSpace(s) == "" {
			m.warn(fmt.Sprintf("%s[%d]", field, i), "empty identifier; dropped")
			continue
		}
		if s == self {
			continue
		}
		out = append(out, s)
	}
	return compactSorted(out)
}

func compactSorted(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// score maps one severity entry into a.Scores.
func (m *mapper) score(a *feeds.Advisory, sev *severityPick, path string, s wireSeverity) {
	if strings.TrimSpace(s.Score) == "" {
		m.warn(path, "severity entry of type %q has no score; dropped", clip(s.Type))
		return
	}
	sc := feeds.Score{Type: s.Type, Vector: s.Score}
	switch s.Type {
	case "CVSS_V2":
		if strings.HasPrefix(s.Score, "CVSS:") || !strings.Contains(s.Score, "AV:") {
			m.warn(path, "CVSS_V2 score %q is not a CVSS v2 vector", clip(s.Score))
		}
	case "CVSS_V3":
		if !strings.HasPrefix(s.Score, "CVSS:3.") {
			m.warn(path, "CVSS_V3 score %q does not start with CVSS:3.", clip(s.Score))
		}
	case "CVSS_V4":
		if !strings.HasPrefix(s.Score, "CVSS:4.") {
			m.warn(path, "CVSS_V4 score %q does not start with CVSS:4.", clip(s.Score))
		}
	case "Ubuntu":
		sev.ubuntu = higher(sev.ubuntu, m.severityWord(path+".score", s.Score))
	default:
		m.warn(path, "unknown severity type %q; kept", clip(s.Type))
	}
	if !slices.Contains(a.Scores, sc) {
		a.Scores = append(a.Scores, sc)
	}
}

// affected maps one affected entry.
func (m *mapper) affected(path string, i int, wa *wireAffected, extra map[string]string, a *feeds.Advisory, sev *severityPick) (feeds.Affected, error) {
	var af feeds.Affected
	eco := ""
	if wa.Package == nil {
		hasGit := false
		for _, r := range wa.Ranges {
			hasGit = hasGit || (r != nil && r.Type == "GIT")
		}
		if hasGit {
			m.warn(path, "no package: only the GIT range's repository identifies the product")
		} else {
			m.warn(path, "no package")
		}
	} else {
		p := wa.Package
		af.Ecosystem, af.Package, af.PURL = p.Ecosystem, p.Name, p.PURL
		eco = p.Ecosystem
		switch {
		case strings.TrimSpace(p.Ecosystem) == "":
			m.warn(path+".package.ecosystem", "package has no ecosystem")
		default:
			if msg := checkEcosystem(p.Ecosystem); msg != "" {
				m.warn(path+".package.ecosystem", "%s", msg)
			}
		}
		if strings.TrimSpace(p.Name) == "" {
			m.warn(path+".package.name", "package has no name")
		}
		if p.PURL != "" && !strings.HasPrefix(p.PURL, "pkg:") {
			m.warn(path+".package.purl", "purl %q does not start with pkg:", clip(p.PURL))
		}
	}
	for j, s := range wa.Severity {
		m.score(a, sev, fmt.Sprintf("%s.severity[%d]", path, j), s)
	}
	if len(wa.Severity) > 0 {
		extra[ExtraAffectedKey(i, "severity")] = compactJSON(marshal(wa.Severity))
	}
	for j, wr := range wa.Ranges {
		rpath := fmt.Sprintf("%s.ranges[%d]", path, j)
		if wr == nil {
			return af, m.errorAt(rpath, errors.New("range is null"))
		}
		r, err := m.rangeOf(rpath, eco, wr)
		if err != nil {
			return af, err
		}
		af.Ranges = append(af.Ranges, r)
		if !isNull(wr.DatabaseSpecific) {
			extra[ExtraRangeKey(i, j)] = compactJSON(wr.DatabaseSpecific)
		}
	}
	for j, v := range wa.Versions {
		if msg := checkVersion(eco, "", v); msg != "" {
			m.warn(fmt.Sprintf("%s.versions[%d]", path, j), "%s", msg)
		}
	}
	if len(wa.Versions) > 0 {
		af.Versions = slices.Clone(wa.Versions)
	}
	if !af.HasVersionData() {
		m.warn(path, "no ranges and no versions")
	}
	if !isNull(wa.EcosystemSpecific) {
		extra[ExtraAffectedKey(i, "ecosystem_specific")] = compactJSON(wa.EcosystemSpecific)
		var es struct {
			Severity json.RawMessage `json:"severity"`
		}
		if json.Unmarshal(wa.EcosystemSpecific, &es) == nil {
			if s, ok := jsonString(es.Severity); ok {
				sev.ecosystem = higher(sev.ecosystem, m.severityWord(path+".ecosystem_specific.severity", s))
			}
		}
	}
	if !isNull(wa.DatabaseSpecific) {
		extra[ExtraAffectedKey(i, "database_specific")] = compactJSON(wa.DatabaseSpecific)
	}
	return af, nil
}

// rangeOf maps one range. eco is the package's ecosystem.
func (m *mapper) rangeOf(path, eco string, wr *wireRange) (feeds.Range, error) {
	r := feeds.Range{Type: wr.Type, Repo: wr.Repo}
	switch wr.Type {
	case "SEMVER", "ECOSYSTEM":
	case "GIT":
		if strings.TrimSpace(wr.Repo) == "" {
			m.warn(path, "GIT range without repo")
		}
	case "":
		m.warn(path+".type", "range has no type")
	default:
		m.warn(path+".type", "unknown range type %q; kept", clip(wr.Type))
	}
	if len(wr.Events) == 0 {
		m.warn(path, "range has no events")
		return r, nil
	}
	introduced := false
	r.Events = make([]feeds.Event, 0, len(wr.Events))
	for k, we := range wr.Events {
		epath := fmt.Sprintf("%s.events[%d]", path, k)
		if we == nil {
			return r, m.errorAt(epath, errors.New("event is null"))
		}
		var e feeds.Event
		var kind, v string
		n := 0
		for _, f := range [...]struct {
			name string
			val  *string
			dst  *string
		}{
			{"introduced", we.Introduced, &e.Introduced},
			{"fixed", we.Fixed, &e.Fixed},
			{"last_affected", we.LastAffected, &e.LastAffected},
			{"limit", we.Limit, &e.Limit},
		} {
			if f.val != nil {
				n++
				kind, v, *f.dst = f.name, *f.val, *f.val
			}
		}
		switch {
		case n == 0:
			return r, m.errorAt(epath, errors.New(`event has none of "introduced", "fixed", "last_affected", "limit"`))
		case n > 1:
			return r, m.errorAt(epath, errors.New(`event has more than one of "introduced", "fixed", "last_affected", "limit"`))
		}
		if v == "" {
			return r, m.errorAt(epath+"."+kind, fmt.Errorf("empty %s version", kind))
		}
		introduced = introduced || kind == "introduced"
		if !(kind == "introduced" && v == "0") {
			if msg := checkVersion(eco, wr.Type, v); msg != "" {
				m.warn(epath+"."+kind, "%s", msg)
			}
		}
		r.Events = append(r.Events, e)
	}
	if !introduced {
		m.warn(path, `range has no "introduced" event`)
	}
	return r, nil
}

// severityPick collects the qualitative ratings a record offers, in order
// of preference.
type severityPick struct {
	database, ecosystem, ubuntu, summary feeds.Severity
}

func (p severityPick) result() feeds.Severity {
	for _, s := range []feeds.Severity{p.database, p.ecosystem, p.ubuntu, p.summary} {
		if s != feeds.SeverityUnknown {
			return s
		}
	}
	return feeds.SeverityUnknown
}

// higher returns the more severe of a and b.
func higher(a, b feeds.Severity) feeds.Severity {
	if b.Rank() > a.Rank() {
		return b
	}
	return a
}

// severityWord reads a qualitative rating (GHSA LOW/MODERATE/HIGH/CRITICAL,
// OSS-Fuzz HIGH, Ubuntu negligible…critical).
func (m *mapper) severityWord(path, s string) feeds.Severity {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "unknown", "untriaged":
		return feeds.SeverityUnknown
	}
	sev, ok := feeds.ParseSeverity(s)
	if !ok {
		m.warn(path, "unrecognised severity %q; severity left unknown", clip(s))
	}
	return sev
}

// summaryRating reads the Red Hat severity that AlmaLinux and Rocky Linux
// advisories put in front of their summary ("Important: kernel security
// update").
func summaryRating(publisher, summary string) feeds.Severity {
	if publisher != "AlmaLinux" && publisher != "Rocky Linux" {
		return feeds.SeverityUnknown
	}
	word, _, ok := strings.Cut(summary, ":")
	if !ok {
		return feeds.SeverityUnknown
	}
	switch word {
	case "Low":
		return feeds.SeverityLow
	case "Moderate":
		return feeds.SeverityMedium
	case "Important":
		return feeds.SeverityHigh
	case "Critical":
		return feeds.SeverityCritical
	}
	return feeds.SeverityUnknown
}

// Publisher names by ID prefix (the prefixes registered in the OSV schema
// documentation). IDs are split at the first "-".
var publishers = map[string]string{
	"ALBA": "AlmaLinux", "ALEA": "AlmaLinux", "ALSA": "AlmaLinux",
	"ASB": "Android", "PUB": "Android",
	"BELL": "BellSoft",
	"BIT":  "Bitnami",
	"CGA":  "Chainguard",
	"CURL": "curl",
	"DSA":  "Debian", "DLA": "Debian", "DTSA": "Debian", "DEBIAN": "Debian",
	"ECHO":  "Echo",
	"GHSA":  "GitHub",
	"GO":    "Go",
	"GSD":   "Global Security Database",
	"HSEC":  "Haskell Security Response Team",
	"KUBE":  "Kubernetes",
	"LBSEC": "LoopBack",
	"MAL":   "OpenSSF Malicious Packages",
	"MGASA": "Mageia",
	"MINI":  "Minimus",
	"OESA":  "openEuler",
	"OSV":   "OSS-Fuzz",
	"PHSA":  "VMware Photon OS",
	"PSF":   "Python Software Foundation",
	"PYSEC": "PyPA",
	"RHBA":  "Red Hat", "RHEA": "Red Hat", "RHSA": "Red Hat",
	"RLSA": "Rocky Linux", "RXSA": "Rocky Linux",
	"RSEC":    "R Consortium",
	"RUSTSEC": "RustSec",
	"SUSE":    "SUSE", "openSUSE": "SUSE",
	"UBUNTU": "Ubuntu", "USN": "Ubuntu", "LSN": "Ubuntu",
	"V8": "V8",
}

func publisherOf(id string) string {
	p, _, ok := strings.Cut(id, "-")
	if !ok {
		return ""
	}
	return publishers[p]
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}

func isArray(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '['
}

func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if isNull(raw) || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// compactJSON returns raw without insignificant whitespace. raw comes from
// a successful decode, so it is valid JSON.
func compactJSON(raw []byte) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}

// marshal encodes v (decoded strings) as JSON without HTML escaping.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// clip shortens hostile input before it goes into a message.
func clip(s string) string { return textx.Clip(s, 60) }
