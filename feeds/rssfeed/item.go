package rssfeed

import (
	"fmt"
	"html"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/internal/timex"
)

// Extra keys set by this package (see the package documentation).
const (
	ExtraFeed      = "rss.feed"      // the input name or fetched URL
	ExtraGUID      = "rss.guid"      // the raw guid / id when it is not the ID
	ExtraLink      = "rss.link"      // the raw link when tracking parameters were stripped
	ExtraRule      = "rss.rule"      // the ItemRule that recognised the item
	ExtraSeverity  = "rss.severity"  // the publisher's severity word as published
	ExtraAuthor    = "rss.author"    // item authors, joined with "; "
	ExtraAffected  = "rss.affected"  // "hint" when Affected holds title/link hints
	ExtraPublished = "rss.published" // a publication date that could not be parsed, raw
	ExtraModified  = "rss.modified"  // a modification date that could not be parsed, raw
	// ExtraAttrPrefix prefixes attributes of the item element, such as
	// MSRC's Revision ("rss.attr.Revision").
	ExtraAttrPrefix = "rss.attr."
)

// affectedHint is the ExtraAffected value.
const affectedHint = "hint"

// rawItem is one item or entry as read from any of the four formats.
type rawItem struct {
	path      string // "rss.channel.item[3]"
	line, col int

	title     string
	guid      string
	hasGUID   bool
	permaLink bool // RSS guid isPermaLink (default true); Atom and JSON ids are not links
	about     string
	link      string
	links     []rawLink // further links: Atom rel≠alternate, enclosures, comments, external_url
	summary   string
	content   string
	notes     []feeds.Note
	published rawDate
	modified  rawDate
	cats      []rawCategory
	authors   []string
	attrs     [][2]string
}

type rawLink struct{ rel, href string }

type rawCategory struct {
	term   string
	scheme string // RSS domain, Atom scheme
	label  string // Atom label
}

type rawDate struct {
	value     string
	field     string
	line, col int
	set       bool
}

var (
	bareCVE     = regexp.MustCompile(`(?i)^CVE-\d{4}-\d{4,}$`)
	hrefPattern = regexp.MustCompile(`(?i)\bhref\s*=\s*["']?(https?://[^"'\s<>]+)`)
)

// severityName is the category label or scheme that marks a severity.
const severityName = "severity"

// mapItems maps raw items to advisories in order, merging duplicates.
func (p *parser) mapItems(items []rawItem) []feeds.Advisory {
	out := make([]feeds.Advisory, 0, len(items))
	first := make(map[string]int, len(items))
	firstPath := make(map[string]string, len(items))
	var seen map[int]*mergeSeen // per merged advisory, built on its first merge
	for i := range items {
		it := &items[i]
		a, ok := p.mapItem(it)
		if !ok {
			continue
		}
		if j, dup := first[a.ID]; dup {
			if seen == nil {
				seen = map[int]*mergeSeen{}
			}
			if seen[j] == nil {
				seen[j] = newMergeSeen(&out[j])
			}
			diff := merge(&out[j], &a, seen[j])
			msg := fmt.Sprintf("id %s repeats %s; merged into it", a.ID, firstPath[a.ID])
			if len(diff) > 0 {
				msg += fmt.Sprintf(" (kept the first %s)", strings.Join(diff, ", "))
			}
			p.warnItem(it, it.line, it.col, it.path, "%s", msg)
			continue
		}
		first[a.ID] = len(out)
		firstPath[a.ID] = it.path
		out = append(out, a)
	}
	return out
}

// mapItem maps one item. It returns false, after a warning, when the item
// has nothing usable as an ID.
func (p *parser) mapItem(it *rawItem) (feeds.Advisory, bool) {
	guid := strings.TrimSpace(it.guid)
	link := strings.TrimSpace(it.link)
	about := strings.TrimSpace(it.about)
	cleanLink := stripTracking(link, p.stripParams)

	a := feeds.Advisory{
		Source:    p.source,
		Publisher: p.publisher,
		Title:     it.title,
		Summary:   it.summary,
		Notes:     it.notes,
		Extra:     map[string]string{ExtraFeed: p.name},
	}
	if it.summary == "" && it.content != "" {
		a.Summary = it.content
	} else if it.content != "" && it.content != it.summary {
		a.Notes = append([]feeds.Note{{Category: "content", Text: it.content}}, a.Notes...)
	}

	// Identity.
	var rule *compiledRule
	for _, r := range p.rules {
		if id := r.matchID(it.title, guid, link); id != "" {
			if bareCVE.MatchString(id) {
				id = strings.ToUpper(id)
			}
			rule, a.ID = r, id
			a.Extra[ExtraRule] = r.Name
			break
		}
	}
	if rule == nil {
		switch {
		case guid != "" && bareCVE.MatchString(guid):
			a.ID = strings.ToUpper(guid)
		case guid != "":
			a.ID = stripTracking(guid, p.stripParams)
		case about != "":
			a.ID = stripTracking(about, p.stripParams)
		case cleanLink != "":
			a.ID = cleanLink
		default:
			p.warnItem(it, it.line, it.col, it.path, "item has no guid, id or link to identify it; skipped (title %q)", clip(it.title))
			return feeds.Advisory{}, false
		}
	} else if guid != "" && bareCVE.MatchString(guid) && !strings.EqualFold(guid, a.ID) {
		// The publisher's guid names the vulnerability itself.
		a.Aliases = []string{strings.ToUpper(guid)}
	}
	if it.hasGUID && it.guid != a.ID {
		a.Extra[ExtraGUID] = it.guid
	}
	if cleanLink != link {
		a.Extra[ExtraLink] = it.link
	}

	// Human-readable URL.
	switch {
	case cleanLink != "":
		a.URL = cleanLink
	case it.permaLink && isHTTP(guid):
		a.URL = stripTracking(guid, p.stripParams)
	case isHTTP(about):
		a.URL = stripTracking(about, p.stripParams)
	}

	// Dates.
	a.Published = p.date(it, &it.published, ExtraPublished, a.Extra)
	a.Modified = p.date(it, &it.modified, ExtraModified, a.Extra)

	// Categories: tags as published, severity from a "severity" category.
	for _, c := range it.cats {
		if strings.TrimSpace(c.term) == "" {
			continue
		}
		a.Tags = append(a.Tags, c.term)
		if strings.EqualFold(strings.TrimSpace(c.label), severityName) || strings.EqualFold(strings.TrimSpace(c.scheme), severityName) {
			p.severity(it, &a, c.term)
		}
	}
	if rule != nil && rule.severity != nil && a.Severity == feeds.SeverityUnknown {
		if m := rule.severity.FindStringSubmatch(it.title); m != nil {
			p.severity(it, &a, m[1])
		}
	}

	// Affected-product hints.
	a.Affected = p.hints(rule, it.title, link)
	if len(a.Affected) > 0 {
		a.Extra[ExtraAffected] = affectedHint
	}

	// Related CVEs.
	texts := []string{it.title, it.summary, it.content, guid, link, about}
	for _, n := range it.notes {
		texts = append(texts, n.Text)
	}
	for _, c := range it.cats {
		texts = append(texts, c.term)
	}
	for _, l := range it.links {
		texts = append(texts, l.href)
	}
	a.Related = relatedCVEs(texts, a.ID, a.Aliases)

	// References.
	a.References = p.references(it, a.URL, guid)

	if len(it.authors) > 0 {
		a.Extra[ExtraAuthor] = strings.Join(it.authors, "; ")
	}
	for _, kv := range it.attrs {
		a.Extra[ExtraAttrPrefix+kv[0]] = kv[1]
	}
	return a, true
}

// date parses one of the item's dates; an unparseable value is a warning
// and is kept raw in Extra under key.
func (p *parser) date(it *rawItem, d *rawDate, key string, extra map[string]string) time.Time {
	if !d.set || strings.TrimSpace(d.value) == "" {
		return time.Time{}
	}
	t, err := timex.Parse(d.value)
	if err != nil {
		p.warnItem(it, d.line, d.col, it.path+"."+d.field, "unparseable date %q; kept raw in Extra[%q]", clip(d.value), key)
		extra[key] = d.value
		return time.Time{}
	}
	return t
}

// severity sets a.Severity from a publisher's word, warning on unknown words.
func (p *parser) severity(it *rawItem, a *feeds.Advisory, word string) {
	a.Extra[ExtraSeverity] = word
	s, ok := feeds.ParseSeverity(word)
	if !ok {
		p.warnItem(it, it.line, it.col, it.path, "unknown severity %q; severity left unknown", clip(word))
		return
	}
	a.Severity = s
}

// hints builds the affected-product hints of an item.
func (p *parser) hints(rule *compiledRule, title, link string) []feeds.Affected {
	vendor := p.vendor
	if rule == nil {
		if vendor == "" {
			return nil
		}
		return []feeds.Affected{{Vendor: vendor}}
	}
	if rule.Vendor != "" {
		vendor = rule.Vendor
	}
	product := ""
	if rule.product != nil {
		if m := rule.product.FindStringSubmatch(title); m != nil {
			product = strings.TrimSpace(m[1])
		}
	}
	if product == "" && len(rule.LinkProducts) > 0 {
		product = linkProduct(link, rule.LinkProducts)
	}
	if product == "" {
		product = rule.Product
	}
	var pkgs []string
	if rule.pkg != nil {
		if m := rule.pkg.FindStringSubmatch(title); m != nil {
			if rule.PackageSeparator != "" {
				for _, s := range strings.Split(m[1], rule.PackageSeparator) {
					if s = strings.TrimSpace(s); s != "" {
						pkgs = append(pkgs, s)
					}
				}
			} else if s := strings.TrimSpace(m[1]); s != "" {
				pkgs = append(pkgs, s)
			}
		}
	}
	if len(pkgs) == 0 {
		if vendor == "" && product == "" {
			return nil
		}
		return []feeds.Affected{{Vendor: vendor, Product: product, Ecosystem: rule.Ecosystem}}
	}
	out := make([]feeds.Affected, 0, len(pkgs))
	for _, pkg := range pkgs {
		out = append(out, feeds.Affected{Vendor: vendor, Product: product, Ecosystem: rule.Ecosystem, Package: pkg})
	}
	return out
}

// linkProduct returns the product of the first path segment of link that
// is a key of products.
func linkProduct(link string, products map[string]string) string {
	rest := link
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			rest = rest[j:]
		} else {
			return ""
		}
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	for _, seg := range strings.Split(rest, "/") {
		if v, ok := products[seg]; ok {
			return v
		}
	}
	return ""
}

// relatedCVEs returns the CVE IDs in texts, upper-cased, sorted and unique,
// without the advisory's own ID and aliases.
func relatedCVEs(texts []string, id string, aliases []string) []string {
	var out []string
	for _, t := range texts {
		out = appendCVEs(out, t)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	return slices.DeleteFunc(out, func(c string) bool {
		return strings.EqualFold(c, id) || slices.ContainsFunc(aliases, func(a string) bool { return strings.EqualFold(a, c) })
	})
}

// references lists the item's links: the advisory URL first, then other
// links, the guid when it is a different permalink, and the http(s) links
// inside HTML summary and content; without duplicates.
func (p *parser) references(it *rawItem, url, guid string) []feeds.Reference {
	var out []feeds.Reference
	seen := map[string]bool{}
	add := func(typ, u string) {
		u = strings.TrimSpace(u)
		if u == "" || seen[u] {
			return
		}
		seen[u] = true
		out = append(out, feeds.Reference{Type: typ, URL: u})
	}
	add("ADVISORY", url)
	for _, l := range it.links {
		add("WEB", stripTracking(l.href, p.stripParams))
	}
	if it.permaLink && isHTTP(guid) {
		add("WEB", stripTracking(guid, p.stripParams))
	}
	for _, text := range []string{it.summary, it.content} {
		if !containsFold(text, "href") {
			continue // the pattern below has no literal prefix to skip ahead with
		}
		for _, m := range hrefPattern.FindAllStringSubmatch(text, -1) {
			add("WEB", stripTracking(html.UnescapeString(m[1]), p.stripParams))
		}
	}
	return out
}

// mergeSeen holds what a merged advisory already contains, so that folding
// in many duplicates stays linear.
type mergeSeen struct {
	strs     map[string]bool // aliases, related and tags, prefixed by kind
	refs     map[feeds.Reference]bool
	notes    map[feeds.Note]bool
	affected map[[4]string]bool
}

func affectedKey(x *feeds.Affected) [4]string {
	return [4]string{x.Vendor, x.Product, x.Package, x.Ecosystem}
}

func newMergeSeen(a *feeds.Advisory) *mergeSeen {
	m := &mergeSeen{strs: map[string]bool{}, refs: map[feeds.Reference]bool{}, notes: map[feeds.Note]bool{}, affected: map[[4]string]bool{}}
	for _, s := range a.Aliases {
		m.strs["a"+s] = true
	}
	for _, s := range a.Related {
		m.strs["r"+s] = true
	}
	for _, s := range a.Tags {
		m.strs["t"+s] = true
	}
	for _, r := range a.References {
		m.refs[r] = true
	}
	for _, n := range a.Notes {
		m.notes[n] = true
	}
	for i := range a.Affected {
		m.affected[affectedKey(&a.Affected[i])] = true
	}
	return m
}

// merge folds b, a later item with the same ID, into a. Lists are joined
// without duplicates; for single values the first item wins and the names
// of the fields that differ are returned.
func merge(a, b *feeds.Advisory, seen *mergeSeen) []string {
	var diff []string
	if a.Title != b.Title {
		diff = append(diff, "title")
	}
	if a.Summary != b.Summary {
		diff = append(diff, "summary")
	}
	if a.URL != b.URL {
		diff = append(diff, "url")
	}
	if !a.Published.Equal(b.Published) {
		diff = append(diff, "published")
	}
	if !a.Modified.Equal(b.Modified) {
		diff = append(diff, "modified")
	}
	if a.Severity != b.Severity {
		diff = append(diff, "severity")
	}
	union := func(dst, src []string, kind string) ([]string, bool) {
		added := false
		for _, s := range src {
			if !seen.strs[kind+s] {
				seen.strs[kind+s] = true
				dst, added = append(dst, s), true
			}
		}
		return dst, added
	}
	var added bool
	if a.Aliases, added = union(a.Aliases, b.Aliases, "a"); added {
		slices.Sort(a.Aliases)
	}
	if a.Related, added = union(a.Related, b.Related, "r"); added {
		slices.Sort(a.Related)
	}
	a.Tags, _ = union(a.Tags, b.Tags, "t")
	for i := range b.Affected {
		if k := affectedKey(&b.Affected[i]); !seen.affected[k] {
			seen.affected[k] = true
			a.Affected = append(a.Affected, b.Affected[i])
		}
	}
	for _, r := range b.References {
		if !seen.refs[r] {
			seen.refs[r] = true
			a.References = append(a.References, r)
		}
	}
	for _, n := range b.Notes {
		if !seen.notes[n] {
			seen.notes[n] = true
			a.Notes = append(a.Notes, n)
		}
	}
	for k, v := range maps.All(b.Extra) {
		if _, ok := a.Extra[k]; !ok {
			if a.Extra == nil {
				a.Extra = map[string]string{}
			}
			a.Extra[k] = v
		}
	}
	return diff
}

func isHTTP(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// clip shortens hostile input before it goes into a message, without
// splitting a UTF-8 sequence.
func clip(s string) string { return textx.Clip(s, 60) }

// warnItem records a warning about an item. A zero line means the position
// is not known yet: in a JSON Feed it is looked up from field, a path such
// as "items[3].date_published".
func (p *parser) warnItem(it *rawItem, line, col int, field, format string, args ...any) {
	if len(p.warnings) >= maxWarnings {
		p.dropped++ // before the position lookup: a dropped warning costs nothing
		return
	}
	// Each lookup rescans the document; a budget keeps a feed full of odd
	// items linear (later warnings keep their field path, without line).
	if line == 0 && p.json && p.locateSpent <= maxLocateBytes {
		p.locateSpent += int64(len(p.data))
		if off, ok := jsonin.Locate(p.data, field); ok {
			line, col = jsonin.Position(p.data, off)
		} else if off, ok := jsonin.Locate(p.data, it.path); ok {
			line, col = jsonin.Position(p.data, off)
		}
	}
	p.warn(line, col, field, format, args...)
}

// appendCVEs appends the CVE IDs in s to out, upper-cased. It matches
// (?i)\bCVE-\d{4}-\d{4,}\b like the regular expression would, but scans
// for the literal "CVE-" first, which is much faster on long texts.
func appendCVEs(out []string, s string) []string {
	for i := 0; i+len("CVE-0000-0000") <= len(s); i++ {
		if s[i]|0x20 != 'c' || s[i+1]|0x20 != 'v' || s[i+2]|0x20 != 'e' || s[i+3] != '-' {
			continue
		}
		if i > 0 && isWordByte(s[i-1]) {
			continue
		}
		j := i + 4
		year := digits(s[j:])
		if year != 4 || j+year >= len(s) || s[j+year] != '-' {
			continue
		}
		k := j + year + 1
		n := digits(s[k:])
		if n < 4 || (k+n < len(s) && isWordByte(s[k+n])) {
			continue
		}
		out = append(out, strings.ToUpper(s[i:k+n]))
		i = k + n - 1
	}
	return out
}

// digits returns the number of leading ASCII digits of s.
func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// isWordByte reports whether b is a \w character (ASCII letter, digit, _).
func isWordByte(b byte) bool {
	return b == '_' || (b >= '0' && b <= '9') || (b|0x20 >= 'a' && b|0x20 <= 'z')
}

// containsFold reports whether s contains the lower-case ASCII word sub,
// ignoring ASCII case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 != sub[0] {
			continue
		}
		j := 1
		for j < len(sub) && s[i+j]|0x20 == sub[j] {
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}
