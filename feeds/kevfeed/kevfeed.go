package kevfeed

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/internal/timex"
)

// Names and locations used by the adapter.
const (
	// DefaultName is the source name of advisories from this adapter.
	DefaultName = "cisa-kev"
	// DefaultURL is the live JSON catalog published by CISA.
	DefaultURL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
	// CatalogPageURL is CISA's human-readable catalog page. Each advisory's
	// URL is this page searched for the advisory's CVE ID.
	CatalogPageURL = "https://www.cisa.gov/known-exploited-vulnerabilities-catalog"
	// DefaultMaxBytes is the size limit of Parse and the default of
	// Options.MaxBytes: 64 MiB, about fifty times the 2025 catalog.
	DefaultMaxBytes = 64 << 20
)

// publisher is the value of feeds.Advisory.Publisher.
const publisher = "CISA"

// ransomwareUnknown is the knownRansomwareCampaignUse value assumed when an
// entry has none.
const ransomwareUnknown = "Unknown"

// ExtraCatalogVersion is the feeds.Advisory.Extra key holding the catalog's
// catalogVersion. It is release metadata ([feeds.IsReleaseExtra]): it
// changes with every release, not when the entry does.
const ExtraCatalogVersion = "kev.release.catalogVersion"

// Catalog is one release of the KEV catalog.
type Catalog struct {
	// Title is the catalog's title as published.
	Title string `json:"title,omitempty"`
	// Version is the catalogVersion string, "YYYY.MM.DD" (sort it as a date).
	Version string `json:"catalogVersion,omitempty"`
	// Released is dateReleased in UTC; zero when the catalog has none.
	Released time.Time `json:"dateReleased,omitzero"`
	// Count is the catalog's own count field, zero when absent. It is not
	// validated: a mismatch with the number of entries is a warning.
	Count int `json:"count"`
	// Advisories are the entries in catalog order (newest first in CISA's
	// releases), mapped as described in the package documentation.
	Advisories []feeds.Advisory `json:"advisories"`
	// Warnings describe problems that did not stop parsing: a missing or
	// wrong count, a missing catalogVersion or dateReleased, duplicate CVE
	// IDs (the first entry is kept). A feed-health check should report them.
	Warnings []string `json:"warnings,omitempty"`
}

// Parse reads a KEV catalog in CISA's JSON format from r. name identifies
// the input (a file name or URL) in error messages.
//
// Malformed input yields a *feeds.ParseError with the position and, for
// entries, the field path ("vulnerabilities[12].dueDate"). Inputs over
// DefaultMaxBytes fail with an error wrapping feeds.ErrTooLarge; HTML pages,
// empty input and JSON that is not a KEV catalog wrap feeds.ErrNotFeed.
func Parse(r io.Reader, name string) (*Catalog, error) {
	return parse(r, name, DefaultMaxBytes)
}

func parse(r io.Reader, name string, limit int64) (*Catalog, error) {
	data, err := jsonin.Read(r, name, limit)
	if err != nil {
		return nil, prefix(err)
	}
	return parseData(data, name)
}

// prefix adds the package name to errors that do not carry a position.
func prefix(err error) error { return jsonin.Prefix("kevfeed", err) }

type wireCatalog struct {
	Title           string      `json:"title"`
	CatalogVersion  string      `json:"catalogVersion"`
	DateReleased    string      `json:"dateReleased"`
	Count           *int        `json:"count"`
	Vulnerabilities []wireEntry `json:"vulnerabilities"`
}

type wireEntry struct {
	CveID             string   `json:"cveID"`
	VendorProject     string   `json:"vendorProject"`
	Product           string   `json:"product"`
	VulnerabilityName string   `json:"vulnerabilityName"`
	DateAdded         string   `json:"dateAdded"`
	ShortDescription  string   `json:"shortDescription"`
	RequiredAction    string   `json:"requiredAction"`
	DueDate           string   `json:"dueDate"`
	RansomwareUse     string   `json:"knownRansomwareCampaignUse"`
	Notes             string   `json:"notes"`
	CWEs              []string `json:"cwes"`
}

var cveIDPattern = regexp.MustCompile(`(?i)^CVE-[0-9]{4}-[0-9]{4,19}$`)

// minYear is the earliest year accepted in dateAdded and dueDate; earlier
// dates are implausible for a catalog started in 2021.
const minYear = 1990

func parseData(data []byte, name string) (*Catalog, error) {
	var w wireCatalog
	if err := jsonin.Unmarshal(data, name, &w); err != nil {
		return nil, err
	}
	if len(w.Vulnerabilities) == 0 && strings.TrimSpace(w.CatalogVersion) == "" {
		return nil, jsonin.ErrorAt(data, name, "", sniff.NotFeed(`not a KEV catalog: no "catalogVersion" and no "vulnerabilities"`))
	}

	cat := &Catalog{Title: w.Title, Version: w.CatalogVersion}
	if strings.TrimSpace(w.CatalogVersion) == "" {
		cat.Warnings = append(cat.Warnings, `"catalogVersion" is missing`)
	}
	if strings.TrimSpace(w.DateReleased) == "" {
		cat.Warnings = append(cat.Warnings, `"dateReleased" is missing`)
	} else {
		t, err := timex.Parse(w.DateReleased)
		if err != nil {
			return nil, jsonin.ErrorAt(data, name, "dateReleased", err)
		}
		cat.Released = t
	}
	switch {
	case w.Count == nil:
		cat.Warnings = append(cat.Warnings, fmt.Sprintf(`"count" is missing; the catalog lists %d vulnerabilities`, len(w.Vulnerabilities)))
	case *w.Count != len(w.Vulnerabilities):
		cat.Count = *w.Count
		cat.Warnings = append(cat.Warnings, fmt.Sprintf(`"count" is %d but the catalog lists %d vulnerabilities`, *w.Count, len(w.Vulnerabilities)))
	default:
		cat.Count = *w.Count
	}

	cat.Advisories = make([]feeds.Advisory, 0, len(w.Vulnerabilities))
	first := make(map[string]int, len(w.Vulnerabilities))
	for i := range w.Vulnerabilities {
		a, field, err := mapEntry(&w.Vulnerabilities[i], w.CatalogVersion)
		if err != nil {
			return nil, jsonin.ErrorAt(data, name, fmt.Sprintf("vulnerabilities[%d].%s", i, field), err)
		}
		if j, dup := first[a.ID]; dup {
			cat.Warnings = append(cat.Warnings, fmt.Sprintf(
				"vulnerabilities[%d]: duplicate cveID %s (first at vulnerabilities[%d]); kept the first", i, a.ID, j))
			continue
		}
		first[a.ID] = i
		cat.Advisories = append(cat.Advisories, a)
	}
	return cat, nil
}

// mapEntry maps one catalog entry. On error it returns the JSON key of the
// offending field.
func mapEntry(e *wireEntry, version string) (feeds.Advisory, string, error) {
	id := strings.TrimSpace(e.CveID)
	switch {
	case id == "":
		return feeds.Advisory{}, "cveID", errors.New("missing cveID")
	case !cveIDPattern.MatchString(id):
		return feeds.Advisory{}, "cveID", fmt.Errorf("invalid cveID %q: want CVE-YYYY-NNNN", clip(e.CveID))
	}
	id = strings.ToUpper(id)
	added, err := parseDay("dateAdded", e.DateAdded)
	if err != nil {
		return feeds.Advisory{}, "dateAdded", err
	}
	due, err := parseDay("dueDate", e.DueDate)
	if err != nil {
		return feeds.Advisory{}, "dueDate", err
	}

	ransomware := e.RansomwareUse
	if strings.TrimSpace(ransomware) == "" {
		ransomware = ransomwareUnknown
	}
	a := feeds.Advisory{
		ID:        id,
		Source:    DefaultName,
		Publisher: publisher,
		Title:     e.VulnerabilityName,
		Summary:   e.ShortDescription,
		URL:       CatalogPageURL + "?search_api_fulltext=" + url.QueryEscape(id),
		Published: added,
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{
			VulnerabilityName: e.VulnerabilityName,
			DateAdded:         added,
			DueDate:           due,
			DueBeforeAdded:    due.Before(added),
			RequiredAction:    e.RequiredAction,
			RansomwareUse:     ransomware,
			Notes:             e.Notes,
		}},
		TLP: feeds.TLPClear,
	}
	if strings.TrimSpace(e.VendorProject) != "" || strings.TrimSpace(e.Product) != "" {
		a.Affected = []feeds.Affected{{Vendor: e.VendorProject, Product: e.Product}}
	}
	for _, cwe := range e.CWEs {
		if strings.TrimSpace(cwe) != "" {
			a.Weaknesses = append(a.Weaknesses, cwe)
		}
	}
	for _, u := range noteURLs(e.Notes) {
		a.References = append(a.References, feeds.Reference{Type: "WEB", URL: u})
	}
	if version != "" {
		a.Extra = map[string]string{ExtraCatalogVersion: version}
	}
	return a, "", nil
}

// parseDay parses a required YYYY-MM-DD field (tolerantly, see timex).
func parseDay(field, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, fmt.Errorf("missing %s", field)
	}
	t, err := timex.ParseDate(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", clip(s))
	}
	if t.Year() < minYear {
		return time.Time{}, fmt.Errorf("implausible date %q: before %d", clip(s), minYear)
	}
	return t, nil
}

// noteURLs extracts the links from a KEV notes field, in order and without
// duplicates. Notes separate links with ";" and inconsistent spacing,
// sometimes with prose first, sometimes with commas ("url1, url2" or
// "url1,url2"), and once with a stray `",` after the last link
// (CVE-2025-5419). The notes are split on `\s*;\s*`, http(s) URLs are found
// by pattern in each part, comma-joined URLs are separated, and trailing
// punctuation (.,;:!?'" and unbalanced closing brackets) is removed.
func noteURLs(notes string) []string {
	if !strings.Contains(notes, "://") {
		return nil
	}
	var out []string
	var seen map[string]bool
	for part := range strings.SplitSeq(notes, ";") {
		for rest := part; ; {
			start := indexScheme(rest, 0)
			if start < 0 {
				break
			}
			end := start + schemeLen(rest[start:])
			for end < len(rest) && !urlStop(rest[end]) {
				end++
			}
			for _, u := range splitJoined(rest[start:end]) {
				u = trimURL(u)
				if len(u) <= strings.Index(u, "://")+len("://") || seen[u] {
					continue
				}
				if seen == nil {
					seen = map[string]bool{}
				}
				seen[u] = true
				out = append(out, u)
			}
			rest = rest[end:]
		}
	}
	return out
}

// indexScheme returns the index of the first "http://" or "https://" (any
// case) in s at or after from, or -1.
func indexScheme(s string, from int) int {
	for i := from; i < len(s); i++ {
		if (s[i] == 'h' || s[i] == 'H') && schemeLen(s[i:]) > 0 {
			return i
		}
	}
	return -1
}

// schemeLen returns 7 or 8 when s starts with "http://" or "https://" in
// any case, else 0.
func schemeLen(s string) int {
	if len(s) < 7 || !strings.EqualFold(s[:4], "http") {
		return 0
	}
	switch {
	case s[4:7] == "://":
		return 7
	case len(s) >= 8 && (s[4] == 's' || s[4] == 'S') && s[5:8] == "://":
		return 8
	}
	return 0
}

// urlStop reports whether c ends a URL in notes: white space, quotes,
// angle brackets and backquotes.
func urlStop(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\f', '\r', '"', '\'', '<', '>', '`':
		return true
	}
	return false
}

// splitJoined splits "https://a/1,https://a/2" into its URLs.
func splitJoined(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] == ',' && schemeLen(s[i+1:]) > 0 {
			out = append(out, s[:i])
			s, i = s[i+1:], -1
		}
	}
	return append(out, s)
}

func trimURL(u string) string {
	for {
		n := len(u)
		u = strings.TrimRight(u, ".,;:!?'\"")
		for _, p := range [...][2]string{{"(", ")"}, {"[", "]"}, {"{", "}"}} {
			if strings.HasSuffix(u, p[1]) && strings.Count(u, p[0]) < strings.Count(u, p[1]) {
				u = u[:len(u)-1]
			}
		}
		if len(u) == n {
			return u
		}
	}
}

// clip shortens hostile input before it goes into an error message.
func clip(s string) string { return textx.Clip(s, 40) }
