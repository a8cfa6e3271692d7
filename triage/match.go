package triage

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/pkgid"
	"github.com/sigwatch/sigwatch/internal/vercmp"
)

// compiledComponent is a component with everything matching needs worked
// out once: identities, index keys and its parsed version.
type compiledComponent struct {
	c   Component
	id  identity
	pkg *pkgid.Package
	cpe *pkgid.CPE
	// ecosystem is the OSV ecosystem (from the purl, else the component's).
	ecosystem string
	// version is the installed version normalised for the ecosystem.
	version string
	// native is the version parsed in the ecosystem's scheme; generic in
	// the generic vendor scheme. Either may be nil.
	scheme  vercmp.Scheme
	native  vercmp.Version
	generic vercmp.Version
	// words are the normalised product names a free-text mention must
	// contain, longest first; empty when the name is too generic.
	words []string
}

// index finds candidate components for an affected entry without scanning
// the stack.
type index struct {
	purl map[string][]int32 // package key → components
	cpe  map[string][]int32 // "vendor:product" → components
	// vendorPrefix holds each component under every word prefix of its
	// canonical vendor ("palo", "palo alto", "palo alto networks");
	// vendorExact under the whole vendor only. Together they find the
	// vendors vendorsMatch accepts without a scan.
	vendorPrefix map[string][]int32
	vendorExact  map[string][]int32
	// text holds each component under the rarest word of each of its
	// text names, so a free-text search looks at few candidates.
	text map[string][]int32
}

// Gap is something the engine could not check: a component without an
// identifier or a comparable version, or an advisory without product data.
type Gap struct {
	// Kind is "component" or "advisory".
	Kind string `json:"kind"`
	// ID is the component or advisory ID.
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Coverage lists the stack's components that cannot be checked fully, in
// stack order: "no findings" for them means "could not look".
func (e *Engine) Coverage() []Gap { return slices.Clone(e.gaps) }

func (e *Engine) compileStack(s *Stack) {
	e.idx = index{purl: map[string][]int32{}, cpe: map[string][]int32{}, vendorPrefix: map[string][]int32{},
		vendorExact: map[string][]int32{}, text: map[string][]int32{}}
	e.comps = make([]compiledComponent, len(s.Components))
	generic := vercmp.Generic()
	for i := range s.Components {
		c := s.Components[i]
		c.Tags = slices.Clone(c.Tags) // the engine shares nothing with the caller
		cc := compiledComponent{c: c, id: e.aliases.identityOf(c.Vendor, c.Product), ecosystem: strings.TrimSpace(c.Ecosystem)}
		var why []string
		if strings.TrimSpace(c.PURL) != "" {
			if p, err := pkgid.ParsePURL(c.PURL); err != nil {
				why = append(why, fmt.Sprintf("purl %q cannot be read (%v)", c.PURL, err))
			} else {
				cc.pkg = &p
				if cc.ecosystem == "" {
					cc.ecosystem = p.Ecosystem
				}
				e.idx.purl[p.Key] = append(e.idx.purl[p.Key], int32(i))
				if p.SourceKey != "" && p.SourceKey != p.Key {
					e.idx.purl[p.SourceKey] = append(e.idx.purl[p.SourceKey], int32(i))
				}
			}
		}
		if strings.TrimSpace(c.CPE) != "" {
			if p, err := pkgid.ParseCPE(c.CPE); err != nil {
				why = append(why, fmt.Sprintf("CPE %q cannot be read (%v)", c.CPE, err))
			} else if k := p.Key(); k != "" {
				cc.cpe = &p
				e.idx.cpe[k] = append(e.idx.cpe[k], int32(i))
			}
		}
		if cc.id.vendor != "" && cc.id.product != "" {
			e.idx.vendorExact[cc.id.vendor] = append(e.idx.vendorExact[cc.id.vendor], int32(i))
			for p := range wordPrefixes(cc.id.vendor) {
				e.idx.vendorPrefix[p] = append(e.idx.vendorPrefix[p], int32(i))
			}
		}
		cc.words = textNames(cc.id)
		if cc.pkg == nil && cc.cpe == nil && (cc.id.vendor == "" || cc.id.product == "") {
			why = append(why, "no purl, no CPE and no vendor with product: only a free-text mention can match it")
		}

		// Version.
		cc.version = strings.TrimSpace(c.Version)
		if cc.version == "" && cc.pkg != nil {
			cc.version = cc.pkg.Version
		}
		if cc.ecosystem != "" {
			cc.version = pkgid.NormalizeVersion(cc.ecosystem, cc.version)
		}
		switch {
		case cc.version == "":
			why = append(why, "no version: every match needs review")
		default:
			if cc.ecosystem != "" {
				if sch, err := vercmp.ForEcosystem(cc.ecosystem); err == nil {
					cc.scheme = sch
					if v, err := sch.Parse(cc.version); err == nil {
						cc.native = v
					} else {
						why = append(why, fmt.Sprintf("version %q is not a valid %s version (%v)", cc.version, sch.Name(), err))
					}
				} else {
					why = append(why, fmt.Sprintf("ecosystem %q has no known version ordering", cc.ecosystem))
				}
			}
			if v, err := generic.Parse(cc.version); err == nil {
				cc.generic = v
			} else if cc.native == nil && cc.scheme == nil {
				why = append(why, fmt.Sprintf("version %q cannot be ordered (%v)", cc.version, err))
			}
		}
		if len(why) > 0 {
			e.gaps = append(e.gaps, Gap{Kind: "component", ID: c.ID, Reason: strings.Join(why, "; ")})
		}
		e.comps[i] = cc
	}
	// Text index: each name under its rarest word.
	freq := map[string]int{}
	for i := range e.comps {
		for _, n := range e.comps[i].words {
			for _, w := range strings.Fields(n) {
				freq[w]++
			}
		}
	}
	for i := range e.comps {
		for _, n := range e.comps[i].words {
			rare := ""
			for _, w := range strings.Fields(n) {
				if rare == "" || freq[w] < freq[rare] {
					rare = w
				}
			}
			if l := e.idx.text[rare]; len(l) == 0 || l[len(l)-1] != int32(i) {
				e.idx.text[rare] = append(l, int32(i))
			}
		}
	}
}

// wordPrefixes yields "a", "a b", "a b c" for "a b c".
func wordPrefixes(s string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for i := 0; i <= len(s); i++ {
			if (i == len(s) || s[i] == ' ') && i > 0 {
				if !yield(s[:i]) {
					return
				}
			}
		}
	}
}

// vendorCandidates returns the components whose vendor vendorsMatch
// accepts for the advisory vendor v: the same vendor, a longer name that
// starts with it, or a shorter name it starts with.
func (e *Engine) vendorCandidates(v string) []int32 {
	if v == "" {
		return nil
	}
	out := e.idx.vendorPrefix[v]
	for p := range wordPrefixes(v) {
		if p != v {
			if more := e.idx.vendorExact[p]; len(more) > 0 {
				out = append(slices.Clip(out), more...)
			}
		}
	}
	return out
}

// textNames are the names a free-text mention of the component must
// contain: "vendor product" and, when distinctive, the product alone.
func textNames(id identity) []string {
	var out []string
	if id.product == "" || !slices.ContainsFunc(significantWords(id.product), func(w string) bool { return !weakWords[w] }) {
		return nil
	}
	if id.vendor != "" && !strings.HasPrefix(id.product, id.vendor+" ") {
		out = append(out, id.vendor+" "+id.product)
	}
	// The product alone only when it has two distinctive words: "kernel"
	// or "http server" alone are in too many advisories.
	if n := len(slices.DeleteFunc(significantWords(id.product), func(w string) bool { return weakWords[w] })); n >= 2 {
		out = append(out, id.product)
	}
	return out
}

// maxAffectedEntries bounds the work one advisory can cause: entries of
// one product are compared with each other (default statuses), so the
// cost grows with the square of their number. Real records have at most a
// few hundred (CVE-2023-20198 lists 186 versions in one entry).
const maxAffectedEntries = 500

// rssHint is the value rssfeed sets in Extra["rss.affected"] when Affected
// holds title-derived hints rather than publisher product data.
const rssHintKey, rssHint = "rss.affected", "hint"

// match ties the advisory to components and checks versions. It returns
// the matches and what could not be checked.
func (e *Engine) match(a *feeds.Advisory) ([]Match, []string) {
	best := map[int32]*Match{}
	var order []int32
	var unchecked []string
	hints := a.Extra[rssHintKey] == rssHint
	structured := false
	text := ""
	advText := func() string {
		if text == "" {
			text = advisoryText(a)
		}
		return text
	}
	offer := func(ci int32, m Match, b basis) {
		m.tier = verdictTier(m.Verdict, b)
		cur, ok := best[ci]
		switch {
		case !ok:
			mm := m
			best[ci] = &mm
			order = append(order, ci)
		case m.tier > cur.tier || (m.tier == cur.tier && m.Method.rank()*4+m.Confidence.rank() > cur.Method.rank()*4+cur.Confidence.rank()):
			// The verdict and the identity always come from the same
			// entry: a strong name match of one entry never vouches for
			// another entry's range.
			*cur = m
		}
	}
	entries := a.Affected
	if len(entries) > maxAffectedEntries {
		unchecked = append(unchecked, fmt.Sprintf("the advisory has %d affected entries; only the first %d were checked", len(entries), maxAffectedEntries))
		entries = entries[:maxAffectedEntries]
	}
	for ai := range entries {
		aff := &entries[ai]
		var sib []*feeds.Affected
		sibDone := false
		siblingsOf := func() []*feeds.Affected {
			if !sibDone {
				sib, sibDone = siblings(entries, ai), true
			}
			return sib
		}
		check := func(ci int32, method MatchMethod, conf Confidence, why, pkgName string, pkg *pkgid.Package) {
			cc := &e.comps[ci]
			if hints {
				method, conf, why = MethodText, ConfidenceLow, "the feed item's title names it ("+why+")"
			}
			v, vwhy, b := e.checkVersion(cc, aff, pkg, siblingsOf())
			offer(ci, Match{
				Component: cc.c, AdvisoryVendor: aff.Vendor, AdvisoryProduct: aff.Product, AdvisoryPackage: pkgName,
				Method: method, Confidence: conf, Identity: why, Verdict: v, VersionReason: vwhy, ecosystem: cc.ecosystem,
			}, b)
		}
		has := false

		// 1. Package identity: purl, or ecosystem + package name.
		var apkg *pkgid.Package
		pkgName := ""
		if p := strings.TrimSpace(aff.PURL); p != "" {
			if pk, err := pkgid.ParsePURL(p); err == nil {
				apkg, pkgName = &pk, p
			} else {
				unchecked = append(unchecked, fmt.Sprintf("affected[%d]: purl %q cannot be read (%v)", ai, p, err))
			}
		} else if aff.Ecosystem != "" && aff.Package != "" {
			if pk, err := pkgid.FromEcosystem(aff.Ecosystem, aff.Package); err == nil {
				apkg, pkgName = &pk, aff.Ecosystem+"/"+aff.Package
			} else {
				unchecked = append(unchecked, fmt.Sprintf("affected[%d]: package %s %q cannot be identified (%v)", ai, aff.Ecosystem, aff.Package, err))
			}
		}
		if apkg != nil {
			has = true
			for _, key := range uniqueKeys(apkg.Key, apkg.SourceKey) {
				for _, ci := range e.idx.purl[key] {
					cc := &e.comps[ci]
					if !pkgid.SameRelease(apkg.Release, cc.pkg.Release) {
						continue
					}
					why := "same package " + cc.pkg.Key
					if key == apkg.SourceKey && key != apkg.Key {
						why = "built from the same source package " + key
					}
					check(ci, MethodPURL, ConfidenceHigh, why, pkgName, apkg)
				}
			}
		}

		// 2. CPE, for components without a purl (package-managed components
		// are matched by purl only: CPE guessing on libraries is the
		// false-positive source users complain about).
		for _, s := range aff.CPEs {
			acpe, err := pkgid.ParseCPE(s)
			if err != nil {
				unchecked = append(unchecked, fmt.Sprintf("affected[%d]: CPE %q cannot be read (%v)", ai, s, err))
				continue
			}
			has = true
			if len(aff.Ranges) > 0 || len(aff.Versions) > 0 {
				// The entry's version data decides; a CVE 5 cpes entry
				// carries only the first version of its range.
				acpe.Version = pkgid.Any
			}
			for _, ci := range e.idx.cpe[acpe.Key()] {
				cc := &e.comps[ci]
				if cc.pkg != nil {
					continue
				}
				if ok, why := pkgid.Match(acpe, *cc.cpe); ok {
					check(ci, MethodCPE, ConfidenceHigh, why, "", nil)
				}
			}
		}

		// 3. Vendor and product names.
		if strings.TrimSpace(aff.Vendor) != "" || strings.TrimSpace(aff.Product) != "" {
			has = true
			aid := e.aliases.identityOf(aff.Vendor, aff.Product)
			for _, ci := range e.vendorCandidates(aid.vendor) {
				cc := &e.comps[ci]
				if conf, why := matchIdentity(aid, cc.id); conf == ConfidenceLow {
					// Vendor only, or another edition of the product: the
					// entry's versions are not the component's.
					offer(ci, Match{
						Component: cc.c, AdvisoryVendor: aff.Vendor, AdvisoryProduct: aff.Product,
						Method: MethodName, Confidence: ConfidenceLow, Identity: why, Verdict: VerdictNeedsReview,
						VersionReason: "the advisory's version data is for " + quote(strings.TrimSpace(aff.Product)) + ": a person must check " + firstNonEmpty(cc.version, "the component"),
						ecosystem:     cc.ecosystem,
					}, basisNone)
				} else if conf != "" {
					check(ci, MethodName, conf, why, "", nil)
				} else if vendorsMatch(aid.vendor, cc.id.vendor) && !strings.Contains(cc.id.vendor, cc.id.product) && mentions(advText(), cc.id.product) {
					// Same vendor, another product name, but the advisory's
					// text names the component's product ("OSGeo JAI-EXT"
					// described as "OSGeo GeoServer JAI-EXT …"). A product
					// named like its vendor (Jenkins, Git) says nothing here:
					// the vendor's name is in every one of its advisories.
					// The entry's version data is about the other product.
					offer(ci, Match{
						Component: cc.c, AdvisoryVendor: aff.Vendor, AdvisoryProduct: aff.Product,
						Method: MethodText, Confidence: ConfidenceLow,
						Identity:      "same vendor; the advisory's text names " + quote(cc.id.product),
						Verdict:       VerdictNeedsReview,
						VersionReason: "the advisory's version data is for " + quote(aff.Product) + ": a person must check " + firstNonEmpty(cc.version, "the component"),
						ecosystem:     cc.ecosystem,
					}, basisNone)
				}
			}
		}
		if has {
			structured = true
		} else {
			unchecked = append(unchecked, fmt.Sprintf("affected[%d] names no vendor, product, package or CPE", ai))
		}
	}

	// 4. Free text, when the advisory carries no product data of its own.
	if !structured || hints {
		for _, ci := range e.textMentions(a) {
			if _, ok := best[ci]; ok {
				continue
			}
			cc := &e.comps[ci]
			offer(ci, Match{
				Component: cc.c, Method: MethodText, Confidence: ConfidenceLow,
				Identity: "its name appears in the advisory's text", Verdict: VerdictNeedsReview,
				VersionReason: "a text mention carries no version data: a person must confirm", ecosystem: cc.ecosystem,
			}, basisNone)
		}
		if !structured && len(a.Affected) == 0 {
			unchecked = append(unchecked, "the advisory has no structured product data; only its text was searched")
		}
	}
	out := make([]Match, 0, len(order))
	for _, ci := range order {
		m := *best[ci]
		m.Component.Tags = slices.Clone(m.Component.Tags) // results share nothing with the engine
		out = append(out, m)
	}
	slices.SortStableFunc(out, compareMatches)
	return out, unchecked
}

func uniqueKeys(a, b string) []string {
	if b == "" || b == a {
		return []string{a}
	}
	return []string{a, b}
}

// advisoryText is the advisory's title, summary and tags, normalised and
// padded with spaces for whole-word searches.
func advisoryText(a *feeds.Advisory) string {
	t := a.Title + " " + a.Summary + " " + strings.Join(a.Tags, " ")
	if len(t) > 64<<10 {
		t = t[:64<<10]
	}
	return " " + normalizeName(t) + " "
}

// mentions reports whether the normalised name appears word for word in
// text (from advisoryText).
func mentions(text, name string) bool {
	return name != "" && strings.Contains(text, " "+name+" ")
}

// textMentions finds components whose name appears, word for word, in the
// advisory's title, summary or tags.
func (e *Engine) textMentions(a *feeds.Advisory) []int32 {
	text := advisoryText(a)
	var out []int32
	seen := map[int32]bool{}
	for _, w := range strings.Fields(text) {
		for _, ci := range e.idx.text[w] {
			if seen[ci] {
				continue
			}
			for _, n := range e.comps[ci].words {
				if mentions(text, n) {
					seen[ci] = true
					out = append(out, ci)
					break
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// siblings returns the other entries for the same product as entry i: a
// CVE 5 product with affected and unaffected versions arrives as two
// entries sharing vendor, product, package and default status, and the
// default applies only to versions neither of them lists.
func siblings(all []feeds.Affected, i int) []*feeds.Affected {
	a := &all[i]
	if a.DefaultStatus == feeds.StatusUnknown {
		return nil
	}
	var out []*feeds.Affected
	for j := range all {
		b := &all[j]
		if j != i && b.Vendor == a.Vendor && b.Product == a.Product && b.Package == a.Package && b.DefaultStatus == a.DefaultStatus {
			out = append(out, b)
		}
	}
	return out
}

// verdictTier ranks how much an entry's verdict says, so that entries are
// combined (OR-ed) sensibly: an explicit "affected" wins; explicit data
// that cannot be compared beats an explicit "not affected" from another
// entry (a person must look); explicit statements beat default statuses;
// an entry that says nothing about the version says least.
func verdictTier(v Verdict, b basis) int {
	switch b {
	case basisExplicit:
		switch v {
		case VerdictAffected:
			return 6
		case VerdictNeedsReview, VerdictUnderInvestigation:
			return 5
		}
		return 4
	case basisDefault:
		if v == VerdictAffected {
			return 3
		}
		return 2
	}
	return 1
}
