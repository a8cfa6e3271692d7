package cve5feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
	"github.com/sigwatch/sigwatch/internal/timex"
)

// Names, limits and locations used by the adapter.
const (
	// DefaultName is the source name of advisories from this adapter.
	DefaultName = "cve5"
	// DefaultMaxBytes is the size limit of Parse and ParseFS per record:
	// 16 MiB. The largest published CVE records are a few hundred KB; the
	// biggest sample (CVE-2023-20198, 186 enumerated versions) is 31 KB.
	DefaultMaxBytes = 16 << 20
	// RecordPageURL is the prefix of each advisory's URL: the record's page
	// on cve.org.
	RecordPageURL = "https://www.cve.org/CVERecord?id="
)

// Range types this adapter sets besides a CVE 5 versionType as published.
const (
	// RangeTypeUnspecified is the Range.Type of version ranges whose entry
	// has no versionType: the publisher did not name a version scheme.
	RangeTypeUnspecified = "UNSPECIFIED"
	// RangeTypeText is the Range.Type of entries kept verbatim in
	// Range.Expr because they are not plain versions (prose, placeholders
	// such as "unspecified" or "n/a", wildcards such as "5.x", bounds such
	// as "log4j-core*"). A matcher must treat them as needing review.
	RangeTypeText = "TEXT"
	// RangeTypeGit is the Range.Type of entries with versionType "git";
	// Range.Repo is the affected entry's repo.
	RangeTypeGit = "GIT"
)

// Record is one parsed CVE record.
type Record struct {
	// Input is the name given to Parse (a file name or URL).
	Input string `json:"input,omitempty"`
	// Advisory is the record mapped as described in the package
	// documentation.
	Advisory feeds.Advisory `json:"advisory"`
	// DataVersion is the record's dataVersion ("5.1").
	DataVersion string `json:"dataVersion,omitempty"`
	// State is cveMetadata.state: "PUBLISHED" or "REJECTED".
	State string `json:"state"`
	// AssignerOrgID and AssignerShortName identify the CNA that assigned
	// the ID (cveMetadata).
	AssignerOrgID     string `json:"assignerOrgId,omitempty"`
	AssignerShortName string `json:"assignerShortName,omitempty"`
	// Reserved is cveMetadata.dateReserved in UTC; zero when absent.
	Reserved time.Time `json:"reserved,omitzero"`
	// Warnings describe oddities that did not stop parsing, each naming the
	// JSON path and line of the value: prose or placeholder versions kept
	// as TEXT ranges, version types that look like versions, "n/a" vendors,
	// conditional CPE configurations, unknown statuses and SSVC values.
	Warnings []string `json:"warnings,omitempty"`
}

// Extra keys set on advisories; see the package documentation. Keys of the
// form "cve5.affected[<i>].<name>" describe Advisory.Affected[i].
const (
	// ExtraDataVersion holds the record's dataVersion ("5.1").
	ExtraDataVersion = "cve5.dataVersion"
	// ExtraState holds cveMetadata.state ("PUBLISHED", "REJECTED").
	ExtraState = "cve5.state"
	// ExtraAssignerOrgID holds cveMetadata.assignerOrgId.
	ExtraAssignerOrgID = "cve5.assignerOrgId"
	// ExtraDateReserved holds cveMetadata.dateReserved as published.
	ExtraDateReserved = "cve5.dateReserved"
	// ExtraDatePublic holds the CNA's datePublic (the public disclosure
	// date, which may precede datePublished) as published.
	ExtraDatePublic = "cve5.datePublic"
	// ExtraSource holds the CNA's source object as compact JSON
	// ({"advisory":"GHSA-…","discovery":"UNKNOWN"}).
	ExtraSource = "cve5.source"
)

// Parse reads one CVE JSON 5.x record (dataType "CVE_RECORD", dataVersion
// 5.0, 5.1 or 5.2) from r. name identifies the input in errors and
// warnings.
//
// Malformed input yields a *feeds.ParseError with the position and, where
// known, the JSON path of the value. Inputs over DefaultMaxBytes wrap
// feeds.ErrTooLarge; HTML pages, empty input and JSON that is not a CVE
// record (no dataType "CVE_RECORD") wrap feeds.ErrNotFeed.
func Parse(r io.Reader, name string) (*Record, error) {
	return parseReader(r, name, DefaultMaxBytes)
}

func parseReader(r io.Reader, name string, limit int64) (*Record, error) {
	data, err := jsonin.Read(r, name, limit)
	if err != nil {
		return nil, prefix(err)
	}
	return parseData(data, name)
}

// prefix adds the package name to errors that do not carry a position.
func prefix(err error) error { return jsonin.Prefix("cve5feed", err) }

var (
	cveIDPattern  = regexp.MustCompile(`(?i)^CVE-[0-9]{4}-[0-9]{4,19}$`)
	cwePattern    = regexp.MustCompile(`^CWE-[0-9]{1,9}$`)
	cweTextPrefix = regexp.MustCompile(`^(CWE-[0-9]{1,9})(?:[\s:,.]|$)`)
	versionType   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.+-]*$`)
)

// Plausible years for record dates: the CVE list started in 1999; the
// upper bound only rejects absurd values.
const (
	minYear = 1970
	maxYear = 2200
)

// parser holds the state of one Parse call.
type parser struct {
	data     []byte
	name     string
	warnings []string
	adv      *feeds.Advisory
	// severityFromADP is set when Advisory.Severity came from an ADP
	// container (the CNA gave none).
	severityFromADP bool
	// nwarn counts warnings, scanned the bytes Locate has been given.
	nwarn, scanned int
	// affectedKeys holds the mapped Affected entries seen so far, to drop
	// ADP entries that repeat one exactly.
	affectedKeys map[string]bool
}

// Warnings are capped so that a hostile record with many odd values
// stays cheap: at most maxWarnings are kept (then one summary line), and
// line numbers are looked up only while the bytes scanned to find them
// stay within locateBudget.
const (
	maxWarnings  = 1000
	locateBudget = 8 << 20
)

// warn records a warning about the value at path.
func (p *parser) warn(path, format string, args ...any) {
	p.nwarn++
	if p.nwarn > maxWarnings {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if path == "" {
		p.warnings = append(p.warnings, msg)
		return
	}
	where := path
	if p.scanned+len(p.data) <= locateBudget {
		p.scanned += len(p.data)
		if off, ok := jsonin.Locate(p.data, path); ok {
			line, _ := jsonin.Position(p.data, off)
			where = fmt.Sprintf("%s (line %d)", path, line)
		}
	}
	p.warnings = append(p.warnings, where+": "+msg)
}

// fail returns a positioned error for the value at path.
func (p *parser) fail(path string, err error) error {
	return jsonin.ErrorAt(p.data, p.name, path, err)
}

func (p *parser) failf(path, format string, args ...any) error {
	return p.fail(path, fmt.Errorf(format, args...))
}

func parseData(data []byte, name string) (*Record, error) {
	p := &parser{data: data, name: name}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] != '{' {
		// An array (cvelistV5's deltaLog.json) or a scalar: valid JSON
		// but not a record; invalid JSON gets its syntax error.
		var v any
		if err := jsonin.Unmarshal(data, name, &v); err != nil {
			return nil, err
		}
		return nil, p.fail("", sniff.NotFeed("not a CVE record: the document is not a JSON object"))
	}
	var w wireRecord
	if err := jsonin.Unmarshal(data, name, &w); err != nil {
		return nil, err
	}
	if !utf8.Valid(data) {
		// encoding/json reads invalid bytes as U+FFFD; the text is not
		// repaired silently.
		off := bytes.IndexFunc(data, func(r rune) bool { return r == utf8.RuneError })
		line, col := jsonin.Position(data, int64(max(off, 0)))
		p.warn("", "%s:%d:%d: invalid UTF-8; the decoder replaced it with U+FFFD", name, line, col)
	}
	switch {
	case w.DataType == "" && w.CveMetadata == nil && w.Containers == nil:
		return nil, p.fail("", sniff.NotFeed(`not a CVE record: no "dataType", "cveMetadata" or "containers"`))
	case w.DataType != "CVE_RECORD":
		return nil, p.fail("dataType", sniff.NotFeed(fmt.Sprintf("not a CVE record: dataType %q, want \"CVE_RECORD\"", clip(w.DataType))))
	}
	switch dv := strings.TrimSpace(w.DataVersion); {
	case dv == "":
		p.warn("", `"dataVersion" is missing; read as 5.x`)
	case dv != "5" && !strings.HasPrefix(dv, "5."):
		return nil, p.failf("dataVersion", "unsupported dataVersion %q: want 5.x", clip(w.DataVersion))
	}
	if w.CveMetadata == nil {
		return nil, p.failf("cveMetadata", `missing "cveMetadata"`)
	}
	m := w.CveMetadata
	id := strings.TrimSpace(m.CveID)
	switch {
	case id == "":
		return nil, p.failf("cveMetadata.cveId", "missing cveId")
	case !cveIDPattern.MatchString(id):
		return nil, p.failf("cveMetadata.cveId", "invalid cveId %q: want CVE-YYYY-NNNN", clip(m.CveID))
	}
	id = strings.ToUpper(id)

	rec := &Record{
		Input:             name,
		DataVersion:       w.DataVersion,
		State:             m.State,
		AssignerOrgID:     m.AssignerOrgID,
		AssignerShortName: m.AssignerShortName,
	}
	a := &rec.Advisory
	p.adv = a
	a.ID = id
	a.Source = DefaultName
	a.Publisher = m.AssignerShortName
	a.URL = RecordPageURL + url.QueryEscape(id)
	a.TLP = feeds.TLPClear

	var err error
	if rec.Reserved, err = p.date("cveMetadata.dateReserved", m.DateReserved); err != nil {
		return nil, err
	}
	if a.Published, err = p.date("cveMetadata.datePublished", m.DatePublished); err != nil {
		return nil, err
	}
	if a.Modified, err = p.date("cveMetadata.dateUpdated", m.DateUpdated); err != nil {
		return nil, err
	}
	rejected, err := p.date("cveMetadata.dateRejected", m.DateRejected)
	if err != nil {
		return nil, err
	}

	if w.Containers == nil || w.Containers.CNA == nil {
		return nil, p.failf("containers.cna", `missing "containers.cna"`)
	}
	cna := w.Containers.CNA

	p.setExtra(ExtraDataVersion, w.DataVersion)
	p.setExtra(ExtraState, m.State)
	p.setExtra(ExtraAssignerOrgID, m.AssignerOrgID)
	p.setExtra(ExtraDateReserved, m.DateReserved)

	switch strings.ToUpper(strings.TrimSpace(m.State)) {
	case "PUBLISHED":
		if m.DatePublished == "" {
			p.warn("cveMetadata", `published record without "datePublished"`)
		}
		if err := p.published(cna, w.Containers.ADP); err != nil {
			return nil, err
		}
	case "REJECTED":
		a.Withdrawn = rejected
		if a.Withdrawn.IsZero() {
			a.Withdrawn = a.Modified
		}
		if a.Withdrawn.IsZero() {
			p.warn("cveMetadata", `rejected record without "dateRejected" or "dateUpdated"; Withdrawn cannot be set`)
		}
		p.rejected(cna)
		// ADP containers of a rejected record are kept as they are: they
		// may still carry KEV or SSVC facts of historical interest.
		for i := range w.Containers.ADP {
			if err := p.container(&w.Containers.ADP[i], fmt.Sprintf("containers.adp[%d]", i), false); err != nil {
				return nil, err
			}
		}
	case "":
		return nil, p.failf("cveMetadata.state", "missing state")
	default:
		return nil, p.failf("cveMetadata.state", "unknown state %q: want PUBLISHED or REJECTED", clip(m.State))
	}
	p.finish()
	if p.nwarn > maxWarnings {
		p.warnings = append(p.warnings, fmt.Sprintf("%d more warnings not listed", p.nwarn-maxWarnings))
	}
	rec.Warnings = p.warnings
	return rec, nil
}

func (p *parser) setExtra(key, value string) {
	if value == "" {
		return
	}
	if p.adv.Extra == nil {
		p.adv.Extra = map[string]string{}
	}
	p.adv.Extra[key] = value
}

// date parses an optional timestamp field.
func (p *parser) date(path, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	t, err := timex.Parse(s)
	if err != nil {
		return time.Time{}, p.failf(path, "invalid timestamp %q", clip(s))
	}
	if !t.IsZero() && (t.Year() < minYear || t.Year() > maxYear) {
		return time.Time{}, p.failf(path, "implausible timestamp %q: year outside %d–%d", clip(s), minYear, maxYear)
	}
	return t, nil
}

// published maps a published record's containers.
func (p *parser) published(cna *wireContainer, adps []wireContainer) error {
	a := p.adv
	a.Title = cna.Title
	if summary, ok := p.english(cna.Descriptions, "containers.cna.descriptions", "description", ""); ok {
		a.Summary = summary
	} else {
		p.warn("containers.cna.descriptions", "no English description; Summary is empty")
	}
	if strings.TrimSpace(a.Title) == "" {
		a.Title = headline(a.Summary, a.ID)
	}
	p.setExtra(ExtraDatePublic, cna.DatePublic)
	if len(cna.Source) > 0 && !bytes.Equal(cna.Source, []byte("null")) {
		p.setExtra(ExtraSource, compact(cna.Source))
		var src struct {
			Advisory any `json:"advisory"`
		}
		if json.Unmarshal(cna.Source, &src) == nil {
			if s, ok := src.Advisory.(string); ok {
				s = strings.TrimSpace(s)
				if s != "" && !strings.ContainsFunc(s, isSpace) && !strings.EqualFold(s, a.ID) {
					a.Aliases = append(a.Aliases, s)
				}
			}
		}
	}
	for _, t := range cna.Tags {
		if t != "" {
			a.Tags = append(a.Tags, t)
		}
	}
	if err := p.container(cna, "containers.cna", true); err != nil {
		return err
	}
	for i := range adps {
		if err := p.container(&adps[i], fmt.Sprintf("containers.adp[%d]", i), false); err != nil {
			return err
		}
	}
	return nil
}

// rejected maps the CNA container of a rejected record.
func (p *parser) rejected(cna *wireContainer) {
	a := p.adv
	if reason, ok := p.english(cna.RejectedReasons, "containers.cna.rejectedReasons", "rejectedReason", ""); ok {
		a.Summary = reason
	} else {
		p.warn("containers.cna.rejectedReasons", "no English rejected reason; Summary is empty")
	}
	a.Title = cna.Title
	if strings.TrimSpace(a.Title) == "" {
		a.Title = headline(a.Summary, a.ID)
	}
	for _, id := range cna.ReplacedBy {
		if id = strings.TrimSpace(id); id != "" {
			a.Related = append(a.Related, id)
		}
	}
	p.notes(cna, "")
	p.references(cna.References)
}

// english returns the first English text among texts and adds every other
// text as a Note with category "<category>.<lang>" (prefixed for ADPs).
func (p *parser) english(texts []wireText, path, category, notePrefix string) (string, bool) {
	first := -1
	for i, t := range texts {
		if first < 0 && isEnglish(t.Lang) {
			first = i
		}
	}
	for i, t := range texts {
		if i == first {
			continue
		}
		lang := t.Lang
		if lang == "" {
			lang = "und"
			p.warn(fmt.Sprintf("%s[%d]", path, i), "text without lang; noted as %q", notePrefix+category+".und")
		}
		p.note(notePrefix+category+"."+lang, "", t.Value)
	}
	if first < 0 {
		return "", false
	}
	return texts[first].Value, true
}

func isEnglish(lang string) bool {
	l := strings.ToLower(strings.TrimSpace(lang))
	return l == "en" || strings.HasPrefix(l, "en-") || strings.HasPrefix(l, "en_")
}

func (p *parser) note(category, title, text string) {
	p.adv.Notes = append(p.adv.Notes, feeds.Note{Category: category, Title: title, Text: text})
}

// headline derives a Title from the first line of the description when the
// CNA gives no title: at most 120 characters, cut at a word boundary and
// marked with "…". With no description it is the CVE ID.
func headline(summary, id string) string {
	line := strings.TrimSpace(summary)
	if i := strings.IndexAny(line, "\r\n"); i >= 0 {
		line = strings.TrimSpace(line[:i])
	}
	if line == "" {
		return id
	}
	const n = 120
	if utf8.RuneCountInString(line) <= n {
		return line
	}
	r := []rune(line)[:n]
	cut := string(r)
	if i := strings.LastIndexFunc(cut, isSpace); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0:
		return true
	}
	return r > 0xFF && (r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000)
}

// container maps what every container (CNA or ADP) may carry.
func (p *parser) container(c *wireContainer, path string, isCNA bool) error {
	provider := c.ProviderMetadata.ShortName
	if provider == "" {
		if isCNA {
			provider = "cna"
		} else {
			provider = "adp"
		}
	}
	notePrefix := ""
	if !isCNA {
		notePrefix = "adp." + provider + "."
		p.english(c.Descriptions, path+".descriptions", "description", notePrefix)
		p.notes(c, notePrefix)
		for _, t := range c.Tags {
			if t != "" {
				p.adv.Tags = append(p.adv.Tags, t)
			}
		}
	} else {
		p.notes(c, "")
	}
	if err := p.metrics(c.Metrics, path+".metrics", isCNA, notePrefix); err != nil {
		return err
	}
	p.problemTypes(c.ProblemTypes, path+".problemTypes", notePrefix)
	p.references(c.References)
	for i := range c.Affected {
		p.affected(&c.Affected[i], fmt.Sprintf("%s.affected[%d]", path, i), provider, !isCNA)
	}
	p.cpeApplicability(c.CPEApplicability, path+".cpeApplicability", provider, notePrefix, isCNA)
	return nil
}

// notes maps the free-text parts of a container.
func (p *parser) notes(c *wireContainer, prefix string) {
	a := p.adv
	for _, t := range c.Solutions {
		a.Remediations = append(a.Remediations, feeds.Remediation{Category: prefix + langCategory("solution", t.Lang), Details: t.Value})
	}
	for _, t := range c.Workarounds {
		a.Remediations = append(a.Remediations, feeds.Remediation{Category: prefix + langCategory("workaround", t.Lang), Details: t.Value})
	}
	for _, t := range c.Exploits {
		if t.Value != "" {
			a.Exploitation.Statements = append(a.Exploitation.Statements, t.Value)
		}
	}
	for _, t := range c.Configurations {
		p.note(prefix+langCategory("configuration", t.Lang), "", t.Value)
	}
	for _, im := range c.Impacts {
		for _, t := range im.Descriptions {
			p.note(prefix+langCategory("impact", t.Lang), im.CapecID, t.Value)
		}
	}
	for _, t := range c.Timeline {
		p.note(prefix+langCategory("timeline", t.Lang), t.Time, t.Value)
	}
	for _, t := range c.Credits {
		p.note(prefix+langCategory("credit", t.Lang), t.Type, t.Value)
	}
}

// langCategory appends a non-English language to a note category.
func langCategory(category, lang string) string {
	if lang == "" || isEnglish(lang) {
		return category
	}
	return category + "." + lang
}

// problemTypes adds CWE IDs to Weaknesses and keeps other problem types
// as notes.
func (p *parser) problemTypes(pts []wireProblemType, path, prefix string) {
	a := p.adv
	for i, pt := range pts {
		for j, d := range pt.Descriptions {
			dpath := fmt.Sprintf("%s[%d].descriptions[%d]", path, i, j)
			cwe := strings.TrimSpace(d.CweID)
			desc := strings.TrimSpace(d.Description)
			switch {
			case cwe != "":
				if !cwePattern.MatchString(strings.ToUpper(cwe)) {
					p.warn(dpath+".cweId", "cweId %q is not of the form CWE-NNN; kept as published", clip(d.CweID))
				}
				a.Weaknesses = append(a.Weaknesses, cwe)
				// The description is usually the CWE's name; keep it
				// only when it says something else.
				if desc != "" && !strings.HasPrefix(strings.ToUpper(desc), strings.ToUpper(cwe)) {
					p.note(prefix+langCategory("problemType", d.Lang), cwe, d.Description)
				}
			case desc == "" || strings.EqualFold(desc, "n/a"):
				// The "n/a" placeholder of CNAs without CWE data.
			default:
				if m := cweTextPrefix.FindStringSubmatch(desc); m != nil {
					a.Weaknesses = append(a.Weaknesses, m[1])
					p.warn(dpath, "CWE ID %s taken from the description of a problem type without cweId", m[1])
					continue
				}
				p.note(prefix+langCategory("problemType", d.Lang), d.Type, d.Description)
			}
		}
	}
}

// references adds references, one per URL and tag, skipping x_ tags.
func (p *parser) references(refs []wireReference) {
	a := p.adv
	for _, r := range refs {
		if strings.TrimSpace(r.URL) == "" {
			continue
		}
		tagged := false
		for _, t := range r.Tags {
			if t == "" || strings.HasPrefix(t, "x_") {
				continue
			}
			tagged = true
			a.References = append(a.References, feeds.Reference{Type: t, URL: r.URL})
		}
		if !tagged {
			a.References = append(a.References, feeds.Reference{URL: r.URL})
		}
	}
}

// metrics maps CVSS scores, the qualitative severity, and the CISA-ADP
// "ssvc" and "kev" metrics; other metrics become notes.
func (p *parser) metrics(ms []wireMetric, path string, isCNA bool, prefix string) error {
	a := p.adv
	best := feeds.SeverityUnknown
	for i, m := range ms {
		mpath := fmt.Sprintf("%s[%d]", path, i)
		for _, s := range []struct {
			key, typ string
			c        *wireCVSS
		}{
			{"cvssV4_0", "CVSS_V4", m.CVSSV4_0},
			{"cvssV3_1", "CVSS_V3", m.CVSSV3_1},
			{"cvssV3_0", "CVSS_V3", m.CVSSV3_0},
			{"cvssV2_0", "CVSS_V2", m.CVSSV2_0},
		} {
			if s.c == nil {
				continue
			}
			score := feeds.Score{Type: s.typ, Vector: s.c.VectorString}
			if s.c.BaseScore != nil {
				v := *s.c.BaseScore
				if v < 0 || v > 10 {
					return p.failf(mpath+"."+s.key+".baseScore", "baseScore %v outside 0–10", v)
				}
				score.Value = v
			}
			if score.Vector == "" && s.c.BaseScore == nil {
				p.warn(mpath+"."+s.key, "CVSS metric without vectorString or baseScore; ignored")
				continue
			}
			a.Scores = append(a.Scores, score)
			if s.c.BaseSeverity != "" && s.key != "cvssV2_0" { // v2 has no qualitative scale of its own
				// CVSS words only: ParseSeverity also reads publishers'
				// "moderate" and "important".
				sev, ok := feeds.ParseSeverity(s.c.BaseSeverity)
				if !ok || !strings.EqualFold(strings.TrimSpace(s.c.BaseSeverity), string(sev)) {
					p.warn(mpath+"."+s.key+".baseSeverity", "unknown baseSeverity %q; ignored", clip(s.c.BaseSeverity))
				} else if sev.Rank() > best.Rank() {
					best = sev
				}
			}
		}
		if m.Other != nil {
			if err := p.other(m.Other, mpath+".other", prefix); err != nil {
				return err
			}
		}
	}
	// The CNA's rating wins; an ADP's rating only fills a gap, and the
	// highest among ADPs wins.
	if best != feeds.SeverityUnknown && (a.Severity == feeds.SeverityUnknown || (!isCNA && p.severityFromADP && best.Rank() > a.Severity.Rank())) {
		a.Severity = best
		p.severityFromADP = !isCNA
	}
	return nil
}
