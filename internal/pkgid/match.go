package pkgid

import (
	"strconv"
	"strings"
)

// Relation is the set relation between a source and a target attribute
// value, or between two names (NISTIR 7696 §6–7). The source is what an
// advisory names, the target what a component is.
type Relation int

// Relations. Undefined is NISTIR 7696's answer when the target holds
// wildcards (a target must name one thing).
const (
	Disjoint Relation = iota
	Subset
	Superset
	Equal
	Undefined
)

// String implements fmt.Stringer.
func (r Relation) String() string {
	switch r {
	case Disjoint:
		return "DISJOINT"
	case Subset:
		return "SUBSET"
	case Superset:
		return "SUPERSET"
	case Equal:
		return "EQUAL"
	case Undefined:
		return "UNDEFINED"
	}
	return "Relation(" + strconv.Itoa(int(r)) + ")"
}

// CompareAttr compares a source attribute value with a target one as
// NISTIR 7696 Table 6-2 does. Values are in the form CPE holds them: Any
// ("*"; "" counts as ANY), NA ("-"), or a lower-case value whose unescaped
// "*" and "?" are wildcards; literal values compare without regard to
// case.
//
//	source \ target   ANY       NA        value     value with wildcards
//	ANY               EQUAL     SUPERSET  SUPERSET  UNDEFINED
//	NA                SUBSET    EQUAL     DISJOINT  UNDEFINED
//	value             SUBSET    DISJOINT  EQUAL or DISJOINT    UNDEFINED
//	with wildcards    SUBSET    DISJOINT  SUPERSET or DISJOINT UNDEFINED
//
// A leading or trailing "*" matches any run of characters, a run of n "?"
// at the start or end at most n characters (the compare_strings procedure
// of NISTIR 7696 §6.1.2).
func CompareAttr(source, target string) Relation {
	if source == "" {
		source = Any
	}
	if target == "" {
		target = Any
	}
	if target != Any && target != NA && hasWildcards(target) {
		return Undefined
	}
	switch {
	case source == Any:
		if target == Any {
			return Equal
		}
		return Superset
	case source == NA:
		switch target {
		case Any:
			return Subset
		case NA:
			return Equal
		}
		return Disjoint
	case target == Any:
		return Subset
	case target == NA:
		return Disjoint
	case hasWildcards(source):
		if matchWildcards(source, target) {
			return Superset
		}
		return Disjoint
	case strings.EqualFold(source, target):
		return Equal
	}
	return Disjoint
}

// hasWildcards reports whether v holds an unquoted "*" or "?".
func hasWildcards(v string) bool {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '*', '?':
			return true
		}
	}
	return false
}

// unquote removes the backslashes of the stored form: `\*` → `*`.
func unquote(v string) string {
	if strings.IndexByte(v, '\\') < 0 {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// matchWildcards reports whether the pattern source (wildcards only at its
// ends, as ParseCPE guarantees) covers the literal value target.
func matchWildcards(source, target string) bool {
	// Leading wildcards.
	anyPrefix, maxPrefix := false, 0
	body := source
	if strings.HasPrefix(body, "*") {
		anyPrefix, body = true, body[1:]
	} else {
		for strings.HasPrefix(body, "?") {
			maxPrefix++
			body = body[1:]
		}
	}
	// Trailing wildcards: unquoted only (an even number of backslashes
	// before them).
	anySuffix, maxSuffix := false, 0
	if n := len(body); n > 0 && body[n-1] == '*' && !quotedAt(body, n-1) {
		anySuffix, body = true, body[:n-1]
	} else {
		for n := len(body); n > 0 && body[n-1] == '?' && !quotedAt(body, n-1); n = len(body) {
			maxSuffix++
			body = body[:n-1]
		}
	}
	mid := strings.ToLower(unquote(body))
	tgt := strings.ToLower(unquote(target))
	for from := 0; from <= len(tgt); {
		i := strings.Index(tgt[from:], mid)
		if i < 0 {
			return false
		}
		idx := from + i
		if !anyPrefix && idx > maxPrefix {
			return false // later occurrences start even later
		}
		if anySuffix || len(tgt)-idx-len(mid) <= maxSuffix {
			return true
		}
		from = idx + 1
	}
	return false
}

// quotedAt reports whether v[i] is preceded by an odd number of
// backslashes.
func quotedAt(v string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && v[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// Compare is the name comparison of NISTIR 7696 §7: Disjoint when an
// attribute is DISJOINT, Equal when all are EQUAL, Subset when all are
// SUBSET or EQUAL, Superset when all are SUPERSET or EQUAL, and Undefined
// otherwise (an attribute is UNDEFINED, or SUBSET and SUPERSET are mixed,
// so that none of the spec's four tests holds). It has none of Match's
// guards.
func Compare(source, target CPE) Relation {
	s, t := source.attrs(), target.attrs()
	sub, super, undefined := true, true, false
	for i := range s {
		switch CompareAttr(*s[i], *t[i]) {
		case Disjoint:
			return Disjoint
		case Subset:
			super = false
		case Superset:
			sub = false
		case Undefined:
			undefined = true
		}
	}
	switch {
	case undefined:
		return Undefined
	case sub && super:
		return Equal
	case sub:
		return Subset
	case super:
		return Superset
	}
	return Undefined
}

// Match reports whether an advisory's CPE (the NISTIR 7696 source) names
// the component's CPE (the target), and why, in one short sentence for
// the decision record.
//
// The name comparison is NISTIR 7696's, with the guards that tools adopted
// after false-positive reports:
//
//   - no match when the advisory's or the component's vendor or product
//     is ANY or NA, or holds a wildcard (too generic: DependencyTrack
//     #3146, #3178; a component must name one product);
//   - no match on a mixed vendor/product relation (one SUBSET, the other
//     SUPERSET; DependencyTrack #3178), which the rule above already
//     excludes and which is checked again for safety;
//   - part must be EQUAL when both name one (a, o or h). Appliances are
//     often described twice in NVD, the firmware as o (fortinet:fortios)
//     and the box as h (fortinet:fortigate_100f), joined by an AND
//     "running on" node. Match does not bridge h and o: the products
//     differ as well, and the configuration node is the engine's to
//     evaluate. A component that is an appliance should carry the CPE of
//     its operating system (cpe:2.3:o:fortinet:fortios:7.2.4);
//   - version: the advisory's ANY covers every version (the engine then
//     decides with the range data); the advisory's NA matches only the
//     component's ANY or NA (DependencyTrack #3268); when both CPEs carry
//     a specific version they must be EQUAL — Match decides no ranges; an
//     advisory pattern ("7.2.*") must cover the component's version; a
//     component without version (ANY) matches any advisory version, and
//     the engine must then use the component's own version field;
//   - the other attributes (update, edition, language, sw_edition,
//     target_sw, target_hw, other) match when EQUAL or SUPERSET, and also
//     when SUBSET because the component says ANY: an advisory limited to
//     target_sw node.js applies to a component whose CPE names no
//     platform (NISTIR 7696 calls this SUBSET; treating it as a match
//     follows DependencyTrack #2988). It is named in why.
func Match(advisory, component CPE) (ok bool, why string) {
	for _, side := range [2]struct {
		name string
		c    *CPE
	}{{"advisory", &advisory}, {"component", &component}} {
		if !specific(side.c.Vendor) || !specific(side.c.Product) {
			return false, side.name + " CPE " + show(side.c.Vendor) + ":" + show(side.c.Product) + " is too generic (vendor and product must both be named)"
		}
	}
	rv := CompareAttr(advisory.Vendor, component.Vendor)
	rp := CompareAttr(advisory.Product, component.Product)
	if rv == Disjoint || rv == Undefined {
		return false, "CPE vendor " + advisory.Vendor + " differs from " + component.Vendor
	}
	if rp == Disjoint || rp == Undefined {
		return false, "CPE product " + advisory.Vendor + ":" + advisory.Product + " differs from " + component.Vendor + ":" + component.Product
	}
	if rv == Subset && rp == Superset || rv == Superset && rp == Subset {
		return false, "CPE vendor and product relations are mixed (" + rv.String() + ", " + rp.String() + ")"
	}
	if advisory.Part != Any && component.Part != Any && !strings.EqualFold(advisory.Part, component.Part) {
		return false, "CPE part " + partName(advisory.Part) + " differs from " + partName(component.Part) + " for " + component.Vendor + ":" + component.Product
	}

	var b strings.Builder
	b.Grow(96)
	b.WriteString("CPE vendor ")
	b.WriteString(component.Vendor)
	b.WriteString(" and product ")
	b.WriteString(component.Product)
	if rv == Equal && rp == Equal {
		b.WriteString(" are equal")
	} else {
		b.WriteString(" are covered by ")
		b.WriteString(advisory.Vendor + ":" + advisory.Product)
	}

	// Version.
	av, cv := advisory.Version, component.Version
	b.WriteString("; ")
	switch r := CompareAttr(av, cv); {
	case r == Undefined:
		return false, "component CPE version " + cv + " has wildcards; a component must name one version"
	case av == NA && cv != Any && cv != NA:
		return false, "advisory CPE version - (not applicable) does not match component version " + cv
	case r == Disjoint:
		return false, "CPE versions differ: advisory " + av + ", component " + cv
	case av == Any && cv == Any:
		b.WriteString("neither CPE gives a version")
	case av == Any:
		b.WriteString("advisory version * covers " + cv)
	case r == Equal:
		b.WriteString("versions are equal (" + show(cv) + ")")
	case r == Superset:
		b.WriteString("advisory version " + av + " covers " + cv)
	case cv == Any:
		b.WriteString("advisory version " + show(av) + ", component CPE gives no version")
	}

	// The other attributes.
	for i, pair := range [7][2]string{
		{advisory.Update, component.Update},
		{advisory.Edition, component.Edition},
		{advisory.Language, component.Language},
		{advisory.SWEdition, component.SWEdition},
		{advisory.TargetSW, component.TargetSW},
		{advisory.TargetHW, component.TargetHW},
		{advisory.Other, component.Other},
	} {
		name := attrNames[4+i]
		switch CompareAttr(pair[0], pair[1]) {
		case Disjoint:
			return false, "CPE " + name + " differs: advisory " + show(pair[0]) + ", component " + show(pair[1])
		case Undefined:
			return false, "component CPE " + name + " " + pair[1] + " has wildcards"
		case Subset:
			// The component says ANY. Say so when the advisory names a
			// value (not for NA, which NVD writes for "no update").
			if pair[0] != NA {
				b.WriteString("; advisory " + name + " " + pair[0] + " but the component names no " + name + " (ANY)")
			}
		}
	}
	return true, b.String()
}

func show(v string) string {
	switch v {
	case "", Any:
		return "*"
	case NA:
		return "-"
	}
	return v
}

func partName(p string) string {
	switch p {
	case "a":
		return "a (application)"
	case "o":
		return "o (operating system)"
	case "h":
		return "h (hardware)"
	}
	return p
}
