package feeds

import (
	"reflect"
	"slices"
	"strings"
)

// Merge folds src into dst, as intake does when several sources report the
// same vulnerability: identifiers, affected products, references and
// exploitation facts (KEV listing, SSVC, EPSS, statements) that dst lacks
// are added; dst keeps its own text, dates and scores, and takes src's TLP
// label when it is stricter (TLP.Stricter), so that a vulnerability one
// source shared under AMBER stays AMBER whichever source came first. src
// is not changed
// and dst shares no memory with it afterwards.
func Merge(dst, src *Advisory) {
	for _, k := range append([]string{src.ID}, src.Aliases...) {
		if !strings.EqualFold(k, dst.ID) && !slices.ContainsFunc(dst.Aliases, func(x string) bool { return strings.EqualFold(x, k) }) {
			dst.Aliases = append(dst.Aliases, k)
		}
	}
	slices.Sort(dst.Aliases)
	for _, r := range src.Related {
		if !slices.Contains(dst.Related, r) {
			dst.Related = append(dst.Related, r)
		}
	}
	c := src.Clone()
	// Affected entries an RSS item's title suggested ("rss.affected":
	// "hint", see rssfeed) are weaker than any publisher's product data:
	// they are not added to structured data, and are replaced by it, so
	// the result does not depend on the order of the feeds.
	const hintKey, hint = "rss.affected", "hint"
	srcHint, dstHint := c.Extra[hintKey] == hint, dst.Extra[hintKey] == hint
	switch {
	case srcHint && !dstHint && len(dst.Affected) > 0:
		c.Affected = nil
	case dstHint && !srcHint && len(c.Affected) > 0:
		dst.Affected = nil
		delete(dst.Extra, hintKey)
	}
	for _, af := range c.Affected {
		if !slices.ContainsFunc(dst.Affected, func(x Affected) bool { return reflect.DeepEqual(x, af) }) {
			dst.Affected = append(dst.Affected, af)
		}
	}
	for _, r := range c.References {
		if !slices.Contains(dst.References, r) {
			dst.References = append(dst.References, r)
		}
	}
	for _, s := range c.Scores {
		if !slices.Contains(dst.Scores, s) {
			dst.Scores = append(dst.Scores, s)
		}
	}
	if c.TLP.Stricter(dst.TLP) {
		dst.TLP = c.TLP
	}
	if dst.Severity == SeverityUnknown {
		dst.Severity = c.Severity
	}
	if dst.Exploitation.KEV == nil {
		dst.Exploitation.KEV = c.Exploitation.KEV
	}
	if dst.Exploitation.SSVC == nil {
		dst.Exploitation.SSVC = c.Exploitation.SSVC
	}
	if dst.Exploitation.EPSS == nil {
		dst.Exploitation.EPSS = c.Exploitation.EPSS
	}
	for _, s := range c.Exploitation.Statements {
		if !slices.Contains(dst.Exploitation.Statements, s) {
			dst.Exploitation.Statements = append(dst.Exploitation.Statements, s)
		}
	}
}

// Join groups advisories that describe the same vulnerability — sharing
// an ID or alias, case-insensitively, directly or through a chain — and
// merges each group into one advisory with [Merge], the first advisory of
// the group (in input order) as the base. The result keeps input order of
// each group's first member. advs is not changed.
func Join(advs []Advisory) []Advisory {
	parent := make([]int, len(advs))
	for i := range parent {
		parent[i] = i
	}
	//lint:ignore S1021 find is recursive: it must be declared before it is assigned
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	owner := map[string]int{}
	for i := range advs {
		for _, k := range advs[i].Keys() {
			if j, ok := owner[k]; ok {
				a, b := find(i), find(j)
				if a != b {
					if a < b {
						parent[b] = a
					} else {
						parent[a] = b
					}
				}
				continue
			}
			owner[k] = i
		}
	}
	out := make([]Advisory, 0, len(advs))
	slot := map[int]int{}
	for i := range advs {
		r := find(i)
		if k, ok := slot[r]; ok {
			Merge(&out[k], &advs[i])
			continue
		}
		slot[r] = len(out)
		out = append(out, advs[i].Clone())
	}
	return out
}
