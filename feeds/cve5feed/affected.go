package cve5feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
)

// placeholders are version strings that name no version.
var placeholders = map[string]bool{
	"unspecified": true, "n/a": true, "na": true, "unknown": true,
	"all": true, "none": true, "-": true, "*": true, "all versions": true,
}

// plainVersion reports whether s (trimmed) is a single version token a
// version comparator can be asked about: not empty, no placeholder, no
// whitespace, no comparator or list punctuation, no "x" wildcard segment.
// In a bound (lessThan, lessThanOrEqual, changes[].at) the CVE 5 wildcards
// "*" and a trailing ".*" ("5.15.*") are allowed.
func plainVersion(s string, bound bool) bool {
	t := strings.TrimSpace(s)
	if bound && t == "*" {
		return true
	}
	if t == "" || placeholders[strings.ToLower(t)] {
		return false
	}
	if strings.ContainsFunc(t, isSpace) || strings.ContainsAny(t, ",;|<>=") {
		return false
	}
	if i := strings.IndexByte(t, '*'); i >= 0 {
		if !bound || i != len(t)-1 || !strings.HasSuffix(t, ".*") {
			return false
		}
	}
	for _, seg := range strings.Split(t, ".") {
		if seg == "x" || seg == "X" {
			return false
		}
	}
	return true
}

// status maps a CVE 5 version status.
func status(s string) (feeds.Status, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "affected":
		return feeds.StatusAffected, true
	case "unaffected":
		return feeds.StatusNotAffected, true
	case "unknown":
		return feeds.StatusUnderInvestigation, true
	}
	return feeds.StatusUnderInvestigation, false
}

// defaultStatus maps a CVE 5 defaultStatus; "unknown" and absent are
// StatusUnknown.
func defaultStatus(s string) (feeds.Status, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "affected":
		return feeds.StatusAffected, true
	case "unaffected":
		return feeds.StatusNotAffected, true
	case "unknown", "":
		return feeds.StatusUnknown, true
	}
	return feeds.StatusUnknown, false
}

// group collects the versions of one status within an affected entry.
type group struct {
	status   feeds.Status
	ranges   []feeds.Range
	versions []string
}

// ecosystems maps package registry hosts in collectionURL to OSV ecosystem
// names.
var ecosystems = map[string]string{
	"pypi.org": "PyPI", "pypi.python.org": "PyPI",
	"registry.npmjs.org": "npm", "www.npmjs.com": "npm", "npmjs.com": "npm",
	"repo.maven.apache.org": "Maven", "repo1.maven.org": "Maven", "central.sonatype.com": "Maven",
	"crates.io":     "crates.io",
	"rubygems.org":  "RubyGems",
	"packagist.org": "Packagist",
	"pkg.go.dev":    "Go", "proxy.golang.org": "Go",
	"www.nuget.org": "NuGet", "nuget.org": "NuGet", "api.nuget.org": "NuGet",
	"hex.pm":              "Hex",
	"pub.dev":             "Pub",
	"hackage.haskell.org": "Hackage",
	"cran.r-project.org":  "CRAN",
}

func ecosystem(collectionURL string) string {
	u, err := url.Parse(strings.TrimSpace(collectionURL))
	if err != nil || u.Host == "" {
		return ""
	}
	return ecosystems[strings.ToLower(u.Hostname())]
}

// affected maps one entry of a container's affected[].
func (p *parser) affected(w *wireAffected, path, provider string, dedupe bool) {
	for _, f := range []struct{ name, v string }{{"vendor", w.Vendor}, {"product", w.Product}} {
		if strings.EqualFold(strings.TrimSpace(f.v), "n/a") {
			p.warn(path+"."+f.name, "%s is %q: the record does not name it; look for ADP, NVD or OSV data on this CVE", f.name, f.v)
		}
	}
	def, ok := defaultStatus(w.DefaultStatus)
	if !ok {
		p.warn(path+".defaultStatus", "unknown defaultStatus %q; read as unknown", clip(w.DefaultStatus))
	}
	base := feeds.Affected{
		Vendor:        w.Vendor,
		Product:       w.Product,
		Package:       w.PackageName,
		Ecosystem:     ecosystem(w.CollectionURL),
		DefaultStatus: def,
	}
	for _, c := range w.CPEs {
		if strings.TrimSpace(c) != "" {
			base.CPEs = append(base.CPEs, c)
		}
	}

	// Group the versions by status, keeping the publisher's order.
	var groups []*group
	byStatus := map[feeds.Status]*group{}
	for i := range w.Versions {
		v := &w.Versions[i]
		vpath := fmt.Sprintf("%s.versions[%d]", path, i)
		st, ok := status(v.Status)
		if !ok {
			p.warn(vpath+".status", "unknown status %q; listed as under_investigation", clip(v.Status))
		}
		g := byStatus[st]
		if g == nil {
			g = &group{status: st}
			byStatus[st] = g
			groups = append(groups, g)
		}
		p.version(g, v, vpath, w.Repo)
	}

	extras := func(a *feeds.Affected) {
		i := len(p.adv.Affected)
		if !p.addAffected(a, dedupe) {
			return
		}
		key := fmt.Sprintf("cve5.affected[%d].", i)
		p.setExtra(key+"source", provider+":"+path)
		p.setExtra(key+"collectionURL", w.CollectionURL)
		p.setExtra(key+"repo", w.Repo)
		p.setExtra(key+"platforms", jsonList(w.Platforms))
		p.setExtra(key+"modules", jsonList(w.Modules))
		p.setExtra(key+"programFiles", jsonList(w.ProgramFiles))
		if len(w.ProgramRoutines) > 0 && !bytes.Equal(w.ProgramRoutines, []byte("null")) {
			p.setExtra(key+"programRoutines", compact(w.ProgramRoutines))
		}
	}
	if len(groups) == 0 {
		a := base
		extras(&a)
		return
	}
	for _, g := range groups {
		a := base
		a.CPEs = append([]string(nil), base.CPEs...)
		a.Status = g.status
		a.Ranges = g.ranges
		a.Versions = g.versions
		extras(&a)
	}
}

// addAffected appends a. With dedupe (ADP entries) it drops a when an
// identical entry is already there. It reports whether a was added.
//
// Keys are built only once the first ADP entry arrives: most records have
// no ADP affected entries, and the CNA's long enumerations (CVE-2023-20198)
// need not be encoded for nothing.
func (p *parser) addAffected(a *feeds.Affected, dedupe bool) bool {
	if dedupe && p.affectedKeys == nil {
		p.affectedKeys = make(map[string]bool, len(p.adv.Affected)+1)
		for i := range p.adv.Affected {
			if key, err := json.Marshal(&p.adv.Affected[i]); err == nil {
				p.affectedKeys[string(key)] = true
			}
		}
	}
	if p.affectedKeys != nil {
		if key, err := json.Marshal(a); err == nil {
			if dedupe && p.affectedKeys[string(key)] {
				return false
			}
			p.affectedKeys[string(key)] = true
		}
	}
	p.adv.Affected = append(p.adv.Affected, *a)
	return true
}

func jsonList(s []string) string {
	if len(s) == 0 {
		return ""
	}
	b, err := marshalNoEscape(s)
	if err != nil {
		return ""
	}
	return string(b)
}

func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// textEntry is the published form of a version entry kept as a TEXT range.
type textEntry struct {
	Version         string       `json:"version"`
	VersionType     string       `json:"versionType,omitempty"`
	LessThan        string       `json:"lessThan,omitempty"`
	LessThanOrEqual string       `json:"lessThanOrEqual,omitempty"`
	Changes         []wireChange `json:"changes,omitempty"`
}

// textRange keeps a version entry verbatim: the version string itself
// when the entry has nothing else, else the entry (without status) as
// compact JSON.
func textRange(v *wireVersion) feeds.Range {
	if v.VersionType == "" && v.LessThan == "" && v.LessThanOrEqual == "" && len(v.Changes) == 0 {
		return feeds.Range{Type: RangeTypeText, Expr: v.Version}
	}
	b, err := marshalNoEscape(textEntry{v.Version, v.VersionType, v.LessThan, v.LessThanOrEqual, v.Changes})
	if err != nil {
		return feeds.Range{Type: RangeTypeText, Expr: v.Version}
	}
	return feeds.Range{Type: RangeTypeText, Expr: string(b)}
}

// version maps one version entry into its status group.
func (p *parser) version(g *group, v *wireVersion, path, repo string) {
	vt := v.VersionType
	if vt != "" && !versionType.MatchString(vt) {
		p.warn(path+".versionType", "versionType %q is not a version scheme name (it looks like a version); kept as the range type", clip(vt))
	}
	isGit := strings.EqualFold(strings.TrimSpace(vt), "git")
	typ := vt
	switch {
	case isGit:
		typ = RangeTypeGit
	case typ == "":
		typ = RangeTypeUnspecified
	}
	hasBounds := v.LessThan != "" || v.LessThanOrEqual != "" || len(v.Changes) > 0

	toText := func(why string) {
		g.ranges = append(g.ranges, textRange(v))
		p.warn(path, "%s; kept verbatim as a TEXT range (needs review)", why)
	}

	// A comparator list in "version" (">= 1.7.0, < 1.18.4", "< 1.26.18").
	if t := strings.TrimSpace(v.Version); t != "" && strings.ContainsAny(t[:1], "<>=!") {
		if hasBounds {
			toText(fmt.Sprintf("version %q is a comparator and the entry has bounds too", clip(v.Version)))
			return
		}
		evs, ok := comparatorEvents(t)
		if !ok {
			toText(fmt.Sprintf("version %q is a comparator list that events cannot express exactly", clip(v.Version)))
			return
		}
		g.ranges = append(g.ranges, feeds.Range{Type: typ, Events: evs, Expr: v.Version})
		return
	}

	if !plainVersion(v.Version, false) {
		toText(fmt.Sprintf("version %q is not a plain version", clip(v.Version)))
		return
	}
	for _, b := range []struct{ name, v string }{{"lessThan", v.LessThan}, {"lessThanOrEqual", v.LessThanOrEqual}} {
		if b.v != "" && !plainVersion(b.v, true) {
			toText(fmt.Sprintf("%s %q is not a version", b.name, clip(b.v)))
			return
		}
	}
	for _, c := range v.Changes {
		if !plainVersion(c.At, true) {
			toText(fmt.Sprintf("changes[].at %q is not a version", clip(c.At)))
			return
		}
	}

	if !hasBounds {
		if isGit {
			// A single commit: exactly that commit.
			g.ranges = append(g.ranges, feeds.Range{Type: RangeTypeGit, Repo: repo, Events: []feeds.Event{{Introduced: v.Version}, {LastAffected: v.Version}}})
			return
		}
		if vt != "" {
			// A typed single version: an exact range keeps the scheme.
			g.ranges = append(g.ranges, feeds.Range{Type: typ, Events: []feeds.Event{{Introduced: v.Version}, {LastAffected: v.Version}}})
			return
		}
		g.versions = append(g.versions, v.Version)
		return
	}
	if v.LessThan != "" && v.LessThanOrEqual != "" {
		toText("both lessThan and lessThanOrEqual are set")
		return
	}
	evs, why := boundEvents(v, g.status)
	if why != "" {
		toText(why)
		return
	}
	r := feeds.Range{Type: typ, Events: evs}
	if isGit {
		r.Repo = repo
	}
	g.ranges = append(g.ranges, r)
}

// boundEvents turns version, changes and the upper bound into events. In
// an affected range, a change to unaffected is "fixed" and a change back to
// affected "introduced"; the bound is "fixed" (lessThan) or
// "last_affected" (lessThanOrEqual) while the range is affected, and
// "limit" (lessThan) after a change to unaffected unless it equals the
// last change's version. In other groups the
// events bound the group's status and changes are not expressible. A
// non-empty reason means the entry cannot be expressed exactly.
func boundEvents(v *wireVersion, st feeds.Status) ([]feeds.Event, string) {
	evs := []feeds.Event{{Introduced: v.Version}}
	if len(v.Changes) > 0 && st != feeds.StatusAffected {
		return nil, "status changes inside a range that does not start affected"
	}
	affected := true
	for _, c := range v.Changes {
		if strings.Contains(c.At, "*") {
			return nil, fmt.Sprintf("status change at the wildcard %q is not expressible as an event", clip(c.At))
		}
		cs, _ := status(c.Status)
		switch {
		case cs == feeds.StatusNotAffected && affected:
			evs = append(evs, feeds.Event{Fixed: c.At})
			affected = false
		case cs == feeds.StatusAffected && !affected:
			evs = append(evs, feeds.Event{Introduced: c.At})
			affected = true
		default:
			return nil, fmt.Sprintf("status change to %q at %q is not expressible as an event", clip(c.Status), clip(c.At))
		}
	}
	// Wildcard bounds: "*" is no upper bound at all; "5.15.*" ends before
	// 5.16 (lessThanOrEqual) or before 5.15 (lessThan). Events never carry
	// a wildcard, which a comparator would order below every version.
	for _, b := range []*string{&v.LessThan, &v.LessThanOrEqual} {
		if !strings.Contains(*b, "*") {
			continue
		}
		next, unbounded, ok := wildcardBound(*b, b == &v.LessThanOrEqual)
		switch {
		case !ok:
			return nil, fmt.Sprintf("wildcard bound %q is not expressible as an event", clip(*b))
		case unbounded && affected:
			return evs, ""
		case unbounded:
			return nil, fmt.Sprintf("wildcard bound %q after a change to unaffected is not expressible as an event", clip(*b))
		}
		w := *v
		w.LessThan, w.LessThanOrEqual = next, ""
		v = &w
	}
	switch {
	case v.LessThan != "" && affected:
		evs = append(evs, feeds.Event{Fixed: v.LessThan})
	case v.LessThan != "" && v.LessThan == v.Changes[len(v.Changes)-1].At:
		// The last change already ends the range there.
	case v.LessThan != "":
		evs = append(evs, feeds.Event{Limit: v.LessThan})
	case v.LessThanOrEqual != "" && affected:
		evs = append(evs, feeds.Event{LastAffected: v.LessThanOrEqual})
	case v.LessThanOrEqual != "":
		return nil, "lessThanOrEqual after a change to unaffected is not expressible as an event"
	}
	return evs, ""
}

// wildcardBound turns a CVE 5 wildcard bound into an exclusive upper
// bound: "*" is unbounded; with lessThanOrEqual, "5.15.*" gives "5.16";
// with lessThan, "5.15.*" gives "5.15". ok is false for any other use of
// "*" or a last segment before ".*" that is not a number.
func wildcardBound(b string, orEqual bool) (next string, unbounded, ok bool) {
	t := strings.TrimSpace(b)
	if t == "*" {
		return "", true, true
	}
	prefix, found := strings.CutSuffix(t, ".*")
	if !found || prefix == "" || strings.Contains(prefix, "*") {
		return "", false, false
	}
	if !orEqual {
		return prefix, false, true
	}
	i := strings.LastIndexByte(prefix, '.') + 1
	n, err := strconv.Atoi(prefix[i:])
	if err != nil || n < 0 || n > 1<<30 {
		return "", false, false
	}
	return prefix[:i] + strconv.Itoa(n+1), false, true
}

var comparatorToken = regexp.MustCompile(`(>=|<=|>|<|=|!=)\s*([^\s,<>=!|;]+)`)

// comparatorEvents parses a comparator list written in a version field.
// Only the shapes events express exactly are accepted: ">= a", ">= a, < b",
// ">= a, <= b", "< b" and "<= b" (comparators separated by commas and/or
// spaces). "<" and "<=" alone start at "0".
func comparatorEvents(s string) ([]feeds.Event, bool) {
	ms := comparatorToken.FindAllStringSubmatchIndex(s, -1)
	if len(ms) == 0 || len(ms) > 2 {
		return nil, false
	}
	prev := 0
	type cmp struct{ op, v string }
	var cs []cmp
	for _, m := range ms {
		if strings.Trim(s[prev:m[0]], " \t,") != "" {
			return nil, false
		}
		prev = m[1]
		c := cmp{s[m[2]:m[3]], s[m[4]:m[5]]}
		if !plainVersion(c.v, false) {
			return nil, false
		}
		cs = append(cs, c)
	}
	if strings.Trim(s[prev:], " \t,") != "" {
		return nil, false
	}
	upper := func(c cmp) (feeds.Event, bool) {
		switch c.op {
		case "<":
			return feeds.Event{Fixed: c.v}, true
		case "<=":
			return feeds.Event{LastAffected: c.v}, true
		}
		return feeds.Event{}, false
	}
	switch {
	case len(cs) == 1 && cs[0].op == ">=":
		return []feeds.Event{{Introduced: cs[0].v}}, true
	case len(cs) == 1:
		if e, ok := upper(cs[0]); ok {
			return []feeds.Event{{Introduced: "0"}, e}, true
		}
	case cs[0].op == ">=":
		if e, ok := upper(cs[1]); ok {
			return []feeds.Event{{Introduced: cs[0].v}, e}, true
		}
	}
	return nil, false
}
