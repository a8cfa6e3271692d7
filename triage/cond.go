package triage

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sigwatch/sigwatch/internal/yamlin"
)

// Op is a comparison in a condition leaf.
type Op string

// Operators. Which ones a field accepts depends on its kind: every field
// takes eq, ne, in and exists; ordered fields (numbers, severity,
// exposure, criticality, status confidence, SSVC values) also take gt,
// gte, lt and lte; set fields (tags) take contains.
const (
	OpEq       Op = "eq"
	OpNe       Op = "ne"
	OpIn       Op = "in"
	OpGt       Op = "gt"
	OpGte      Op = "gte"
	OpLt       Op = "lt"
	OpLte      Op = "lte"
	OpContains Op = "contains"
	OpExists   Op = "exists"
)

// Cond is a condition tree over advisory, component and match facts. A
// node is either a group — All (every child holds), Any (at least one
// holds) or Not (the child does not hold) — or a leaf that tests one Field
// with Op against Value. The zero Cond always holds.
//
// A leaf on a fact the advisory or component does not have (no CVSS score,
// no EPSS, no component at all) is false; use [OpExists] to test presence.
// In a rules file a condition is written compactly:
//
//	when:
//	  all:
//	    - kev: true                   # eq
//	    - exposure: [internet]        # in
//	    - cvss: {gte: 9}              # any operator by name
//	    - not: {confidence: text}
type Cond struct {
	All   []Cond `json:"all,omitempty"`
	Any   []Cond `json:"any,omitempty"`
	Not   *Cond  `json:"not,omitempty"`
	Field string `json:"field,omitempty"`
	Op    Op     `json:"op,omitempty"`
	// Value is a bool, a number (int or float64), a string or a []string,
	// as the field's kind requires; nil for OpExists.
	Value any `json:"value,omitempty"`
}

// IsZero reports whether c is the always-true empty condition.
func (c Cond) IsZero() bool {
	return len(c.All) == 0 && len(c.Any) == 0 && c.Not == nil && c.Field == "" && c.Op == "" && c.Value == nil
}

// All returns a condition that holds when every one of cs holds.
func All(cs ...Cond) Cond { return Cond{All: cs} }

// Any returns a condition that holds when at least one of cs holds.
func Any(cs ...Cond) Cond { return Cond{Any: cs} }

// Not returns a condition that holds when c does not.
func Not(c Cond) Cond { return Cond{Not: &c} }

// Is tests field == value.
func Is(field string, value any) Cond { return Cond{Field: field, Op: OpEq, Value: value} }

// In tests that field is one of values.
func In(field string, values ...string) Cond { return Cond{Field: field, Op: OpIn, Value: values} }

// Test tests field op value, for any operator.
func Test(field string, op Op, value any) Cond { return Cond{Field: field, Op: op, Value: value} }

// fieldKind is the type of a fact.
type fieldKind int

const (
	kindBool fieldKind = iota
	kindNumber
	kindEnum // ordered levels, lowest first
	kindString
	kindSet
)

func (k fieldKind) String() string {
	return [...]string{"boolean", "number", "level", "text", "list"}[k]
}

// fact is the value of a field for one evaluation.
type fact struct {
	b   bool
	n   float64
	s   string
	set []string
}

// fieldDef describes one field rules can test.
type fieldDef struct {
	name   string
	kind   fieldKind
	levels []string // kindEnum: lowest first
	doc    string
	get    func(x *evalCtx) (fact, bool)
}

func (f *fieldDef) level(s string) int { return slices.Index(f.levels, s) }

// Fields lists the fields rules can test, with their kind and meaning, for
// documentation and tooling.
func Fields() []FieldInfo {
	out := make([]FieldInfo, 0, len(fieldDefs))
	for _, f := range fieldDefs {
		out = append(out, FieldInfo{Name: f.name, Kind: f.kind.String(), Levels: slices.Clone(f.levels), Doc: f.doc})
	}
	return out
}

// FieldInfo documents one field rules can test.
type FieldInfo struct {
	Name   string   `json:"name"`
	Kind   string   `json:"kind"`
	Levels []string `json:"levels,omitempty"`
	Doc    string   `json:"doc"`
}

// fieldDefs is the closed vocabulary of rule fields. It is a constant
// table: nothing modifies it after package initialisation.
var fieldDefs = []*fieldDef{
	{name: "kev", kind: kindBool, doc: "CISA KEV lists the vulnerability (exploited in the wild).",
		get: func(x *evalCtx) (fact, bool) { return fact{b: x.f.kev}, true }},
	{name: "ransomware", kind: kindBool, doc: "KEV records known use in ransomware campaigns.",
		get: func(x *evalCtx) (fact, bool) { return fact{b: x.f.ransomware}, true }},
	{name: "withdrawn", kind: kindBool, doc: "The publisher withdrew the advisory.",
		get: func(x *evalCtx) (fact, bool) { return fact{b: x.f.withdrawn}, true }},
	{name: "cvss", kind: kindNumber, doc: "Highest CVSS base score the advisory carries (any version), 0–10.",
		get: func(x *evalCtx) (fact, bool) { return fact{n: x.f.cvss}, x.f.hasCVSS }},
	{name: "epss", kind: kindNumber, doc: "FIRST EPSS probability of exploitation in the next 30 days, 0–1.",
		get: func(x *evalCtx) (fact, bool) { return fact{n: x.f.epss}, x.f.hasEPSS }},
	{name: "epss_percentile", kind: kindNumber, doc: "EPSS percentile, 0–1.",
		get: func(x *evalCtx) (fact, bool) { return fact{n: x.f.epssPct}, x.f.hasEPSS && x.f.epssPct > 0 }},
	{name: "severity", kind: kindEnum, levels: []string{"none", "low", "medium", "high", "critical"},
		doc: "The publisher's qualitative severity.",
		get: func(x *evalCtx) (fact, bool) { return fact{s: x.f.severity}, x.f.severity != "" }},
	{name: "ssvc.exploitation", kind: kindEnum, levels: []string{"none", "poc", "active"},
		doc: "SSVC Exploitation (CISA Vulnrichment); KEV listing counts as active.",
		get: func(x *evalCtx) (fact, bool) { return fact{s: x.f.exploitation}, x.f.exploitation != "" }},
	{name: "ssvc.automatable", kind: kindEnum, levels: []string{"no", "yes"}, doc: "SSVC Automatable (CISA Vulnrichment).",
		get: func(x *evalCtx) (fact, bool) { return fact{s: x.f.automatable}, x.f.automatable != "" }},
	{name: "ssvc.technical_impact", kind: kindEnum, levels: []string{"partial", "total"}, doc: "SSVC Technical Impact (CISA Vulnrichment).",
		get: func(x *evalCtx) (fact, bool) { return fact{s: x.f.techImpact}, x.f.techImpact != "" }},
	{name: "ssvc.decision", kind: kindEnum, levels: ssvcLevels,
		doc: "SSVC deployer decision computed for the matched component (defer, scheduled, out-of-cycle, immediate).",
		get: func(x *evalCtx) (fact, bool) {
			if x.m == nil {
				return fact{}, false
			}
			return fact{s: string(x.ssvc().Decision)}, true
		}},
	{name: "source", kind: kindString, doc: "Name of the feed the advisory came from (\"cisa-kev\", \"ncsc-all\").",
		get: func(x *evalCtx) (fact, bool) { return fact{s: x.a.Source}, x.a.Source != "" }},
	{name: "source_kind", kind: kindString, doc: "Kind of that feed: kev, rss, csaf, osv, cve5, or as Options.SourceKinds says.",
		get: func(x *evalCtx) (fact, bool) { return fact{s: x.f.sourceKind}, x.f.sourceKind != "" }},
	{name: "tags", kind: kindSet, doc: "The advisory's tags or categories as published (lower case).",
		get: func(x *evalCtx) (fact, bool) { return fact{set: x.f.tags}, true }},
	{name: "tlp", kind: kindEnum, levels: []string{"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"}, doc: "The advisory's TLP label.",
		get: func(x *evalCtx) (fact, bool) { return fact{s: string(x.a.TLP)}, x.a.TLP != "" }},
	{name: "age_days", kind: kindNumber, doc: "Days since the advisory was published, at evaluation time.",
		get: func(x *evalCtx) (fact, bool) {
			if x.a.Published.IsZero() {
				return fact{}, false
			}
			return fact{n: math.Floor(x.now.Sub(x.a.Published).Hours() / 24)}, true
		}},
	{name: "matched", kind: kindBool,
		doc: "A component matched and its status is affected, needs_review or under_investigation.",
		get: func(x *evalCtx) (fact, bool) { return fact{b: x.m != nil && x.m.Verdict.counts()}, true }},
	{name: "status", kind: kindString, doc: "Version status of the match: affected, not_affected, fixed, under_investigation, needs_review.",
		get: func(x *evalCtx) (fact, bool) {
			if x.m == nil {
				return fact{}, false
			}
			return fact{s: string(x.m.Verdict)}, true
		}},
	{name: "confidence", kind: kindEnum, levels: []string{"text", "name", "cpe", "purl"},
		doc: "How the component was identified, weakest first: text mention, vendor/product name, CPE, purl.",
		get: func(x *evalCtx) (fact, bool) {
			if x.m == nil {
				return fact{}, false
			}
			return fact{s: string(x.m.Method)}, true
		}},
	{name: "strength", kind: kindEnum, levels: []string{"low", "medium", "high"},
		doc: "How sure the identity match is: high (same product), medium (names overlap), low (vendor only or text).",
		get: func(x *evalCtx) (fact, bool) {
			if x.m == nil {
				return fact{}, false
			}
			return fact{s: string(x.m.Confidence)}, true
		}},
	{name: "exposure", kind: kindEnum, levels: []string{"isolated", "internal", "internet"},
		doc: "The matched component's exposure; unknown exposure counts as internal.",
		get: func(x *evalCtx) (fact, bool) {
			if x.m == nil {
				return fact{}, false
			}
			e := x.m.Component.Exposure
			if e == ExposureUnknown {
				e = ExposureInternal
			}
			return fact{s: string(e)}, true
		}},
	{name: "criticality", kind: kindEnum, levels: []string{"low", "medium", "high", "critical"},
		doc: "The matched component's business criticality (absent when not set).",
		get: func(x *evalCtx) (fact, bool) {
			if x.m == nil || x.m.Component.Criticality == "" {
				return fact{}, false
			}
			return fact{s: string(x.m.Component.Criticality)}, true
		}},
	{name: "component", kind: kindString, doc: "The matched component's ID.",
		get: func(x *evalCtx) (fact, bool) {
			if x.m == nil {
				return fact{}, false
			}
			return fact{s: x.m.Component.ID}, true
		}},
	{name: "component.tags", kind: kindSet, doc: "The matched component's tags.",
		get: func(x *evalCtx) (fact, bool) {
			if x.m == nil {
				return fact{}, false
			}
			return fact{set: x.m.Component.Tags}, true
		}},
	{name: "owner", kind: kindString, doc: "The matched component's owner.",
		get: func(x *evalCtx) (fact, bool) {
			if x.m == nil || x.m.Component.Owner == "" {
				return fact{}, false
			}
			return fact{s: x.m.Component.Owner}, true
		}},
	{name: "ecosystem", kind: kindString, doc: "The matched component's package ecosystem (Go, npm, Maven, …).",
		get: func(x *evalCtx) (fact, bool) {
			if x.m == nil || x.m.ecosystem == "" {
				return fact{}, false
			}
			return fact{s: x.m.ecosystem}, true
		}},
}

func lookupField(name string) *fieldDef {
	for _, f := range fieldDefs {
		if f.name == name {
			return f
		}
	}
	return nil
}

// compiled condition.
type ccond struct {
	op   byte // 'A' all, 'O' any, 'N' not, 'L' leaf, 'T' true
	kids []*ccond
	f    *fieldDef
	lop  Op
	vals []fact // operands: one, or several for in
}

// condError is a problem at a path inside a condition.
type condError struct {
	path string
	msg  string
}

func (e condError) Error() string { return e.path + ": " + e.msg }

func compileCond(c *Cond, path string, errs *[]condError) *ccond {
	bad := func(format string, args ...any) {
		*errs = append(*errs, condError{path, fmt.Sprintf(format, args...)})
	}
	groups := 0
	if len(c.All) > 0 {
		groups++
	}
	if len(c.Any) > 0 {
		groups++
	}
	if c.Not != nil {
		groups++
	}
	leaf := c.Field != "" || c.Op != "" || c.Value != nil
	switch {
	case groups == 0 && !leaf:
		return &ccond{op: 'T'}
	case groups > 1 || (groups == 1 && leaf):
		bad("a condition node is one of all, any, not or a field test; this one mixes several (wrap them in all)")
		return nil
	case len(c.All) > 0:
		n := &ccond{op: 'A'}
		for i := range c.All {
			n.kids = append(n.kids, compileCond(&c.All[i], fmt.Sprintf("%s.all[%d]", path, i), errs))
		}
		return n
	case len(c.Any) > 0:
		n := &ccond{op: 'O'}
		for i := range c.Any {
			n.kids = append(n.kids, compileCond(&c.Any[i], fmt.Sprintf("%s.any[%d]", path, i), errs))
		}
		return n
	case c.Not != nil:
		return &ccond{op: 'N', kids: []*ccond{compileCond(c.Not, path+".not", errs)}}
	}
	f := lookupField(c.Field)
	if f == nil {
		msg := fmt.Sprintf("unknown field %q", c.Field)
		if s := yamlin.Suggest(c.Field, fieldNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		bad("%s", msg)
		return nil
	}
	op := c.Op
	if op == "" {
		op = OpEq
		if _, isList := c.Value.([]string); isList {
			op = OpIn
		}
	}
	n := &ccond{op: 'L', f: f, lop: op}
	switch op {
	case OpExists:
		if c.Value != nil {
			if b, ok := c.Value.(bool); !ok || !b {
				bad("%s: exists takes no value (or true)", f.name)
			}
		}
		return n
	case OpEq, OpNe:
	case OpIn:
	case OpGt, OpGte, OpLt, OpLte:
		if f.kind != kindNumber && f.kind != kindEnum {
			bad("%s is a %s: %s needs a number or a level field", f.name, f.kind, op)
			return nil
		}
	case OpContains:
		if f.kind != kindSet {
			bad("%s is a %s: contains needs a list field", f.name, f.kind)
			return nil
		}
	default:
		bad("unknown operator %q (want eq, ne, in, gt, gte, lt, lte, contains, exists)", op)
		return nil
	}
	var raw []any
	if op == OpIn {
		switch v := c.Value.(type) {
		case []string:
			for _, s := range v {
				raw = append(raw, s)
			}
		case []any:
			raw = v
		default:
			raw = []any{c.Value}
		}
		if len(raw) == 0 {
			bad("%s: in needs at least one value", f.name)
			return nil
		}
	} else {
		raw = []any{c.Value}
	}
	for _, v := range raw {
		fv, err := operand(f, op, v)
		if err != nil {
			bad("%s: %v", f.name, err)
			return nil
		}
		n.vals = append(n.vals, fv)
	}
	return n
}

// operand converts a rule value for field f.
func operand(f *fieldDef, op Op, v any) (fact, error) {
	kind := f.kind
	if kind == kindSet {
		kind = kindString // a set is tested against one member
	}
	switch kind {
	case kindBool:
		b, ok := v.(bool)
		if !ok {
			return fact{}, fmt.Errorf("want true or false, got %s", describeValue(v))
		}
		return fact{b: b}, nil
	case kindNumber:
		switch x := v.(type) {
		case int:
			return fact{n: float64(x)}, nil
		case int64:
			return fact{n: float64(x)}, nil
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fact{}, fmt.Errorf("want a finite number, got %v", x)
			}
			return fact{n: x}, nil
		case string:
			if x, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
				return fact{n: x}, nil
			}
		}
		return fact{}, fmt.Errorf("want a number, got %s", describeValue(v))
	case kindEnum:
		s, ok := v.(string)
		if !ok {
			return fact{}, fmt.Errorf("want one of %s, got %s", strings.Join(f.levels, ", "), describeValue(v))
		}
		for _, l := range f.levels {
			if strings.EqualFold(l, strings.TrimSpace(s)) {
				return fact{s: l}, nil
			}
		}
		msg := fmt.Sprintf("%q is not one of %s", s, strings.Join(f.levels, ", "))
		if sug := yamlin.Suggest(strings.ToLower(s), f.levels); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sug)
		}
		return fact{}, errors.New(msg)
	default:
		switch x := v.(type) {
		case string:
			if f.name == "status" && !Verdict(x).valid() {
				return fact{}, fmt.Errorf("%q is not one of affected, not_affected, fixed, under_investigation, needs_review", x)
			}
			return fact{s: x}, nil
		case bool, int, int64, float64:
			return fact{s: fmt.Sprint(x)}, nil
		}
		return fact{}, fmt.Errorf("want text, got %s", describeValue(v))
	}
}

func describeValue(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("the text %q", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	case []string, []any:
		return "a list"
	case map[string]any:
		return "a map"
	}
	return fmt.Sprintf("%v", v)
}

func fieldNames() []string {
	out := make([]string, len(fieldDefs))
	for i, f := range fieldDefs {
		out[i] = f.name
	}
	return out
}

// eval evaluates the compiled condition and appends the facts that made
// it hold to why.
func (n *ccond) eval(x *evalCtx, why *[]string) bool {
	switch n.op {
	case 'T':
		return true
	case 'A':
		mark := len(*why)
		for _, k := range n.kids {
			if !k.eval(x, why) {
				*why = (*why)[:mark]
				return false
			}
		}
		return true
	case 'O':
		for _, k := range n.kids {
			mark := len(*why)
			if k.eval(x, why) {
				return true
			}
			*why = (*why)[:mark]
		}
		return false
	case 'N':
		var scratch []string
		if n.kids[0].eval(x, &scratch) {
			return false
		}
		*why = append(*why, "not ("+n.kids[0].describe()+")")
		return true
	}
	v, known := n.f.get(x)
	if n.lop == OpExists {
		if known {
			*why = append(*why, n.f.name+" is known")
		}
		return known
	}
	if !known {
		return false
	}
	ok := false
	switch n.lop {
	case OpEq, OpIn:
		for _, o := range n.vals {
			if n.equal(v, o) {
				ok = true
				break
			}
		}
	case OpNe:
		ok = !n.equal(v, n.vals[0])
	case OpContains:
		ok = slices.ContainsFunc(v.set, func(s string) bool { return strings.EqualFold(s, n.vals[0].s) })
	default:
		c := n.cmp(v, n.vals[0])
		switch n.lop {
		case OpGt:
			ok = c > 0
		case OpGte:
			ok = c >= 0
		case OpLt:
			ok = c < 0
		case OpLte:
			ok = c <= 0
		}
	}
	if ok {
		*why = append(*why, n.factText(v))
	}
	return ok
}

func (n *ccond) equal(v, o fact) bool {
	switch n.f.kind {
	case kindBool:
		return v.b == o.b
	case kindNumber:
		return v.n == o.n
	case kindSet:
		return slices.ContainsFunc(v.set, func(s string) bool { return strings.EqualFold(s, o.s) })
	}
	return strings.EqualFold(v.s, o.s)
}

func (n *ccond) cmp(v, o fact) int {
	if n.f.kind == kindNumber {
		switch {
		case v.n < o.n:
			return -1
		case v.n > o.n:
			return 1
		}
		return 0
	}
	return n.f.level(v.s) - n.f.level(o.s)
}

// boolLabels say boolean facts in words: [true, false].
var boolLabels = map[string][2]string{
	"kev":        {"KEV-listed", "not KEV-listed"},
	"ransomware": {"known ransomware use", "no known ransomware use"},
	"withdrawn":  {"withdrawn", "not withdrawn"},
	"matched":    {"present in the stack", "not present in the stack"},
}

// factText states the fact a true leaf relied on.
func (n *ccond) factText(v fact) string {
	name := n.f.name
	switch n.f.kind {
	case kindBool:
		if l, ok := boolLabels[name]; ok {
			return l[map[bool]int{true: 0, false: 1}[v.b]]
		}
		if v.b {
			return name
		}
		return "not " + name
	case kindNumber:
		return fmt.Sprintf("%s %s %s %s", name, formatNum(v.n), opSymbol(n.lop), formatNum(n.vals[0].n))
	case kindSet:
		if n.lop == OpContains {
			return fmt.Sprintf("%s include %s", name, n.vals[0].s)
		}
		return fmt.Sprintf("%s %s", name, strings.Join(v.set, ", "))
	}
	if n.lop == OpEq || n.lop == OpIn {
		return name + " " + v.s
	}
	return fmt.Sprintf("%s %s %s %s", name, v.s, opSymbol(n.lop), n.vals[0].s)
}

func opSymbol(op Op) string {
	switch op {
	case OpGt:
		return ">"
	case OpGte:
		return "≥"
	case OpLt:
		return "<"
	case OpLte:
		return "≤"
	case OpNe:
		return "≠"
	}
	return "="
}

func formatNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// describe renders the condition in words.
func (n *ccond) describe() string {
	switch n.op {
	case 'T':
		return "always"
	case 'A', 'O':
		sep := " and "
		if n.op == 'O' {
			sep = " or "
		}
		parts := make([]string, len(n.kids))
		for i, k := range n.kids {
			parts[i] = k.describe()
			if k.op == 'A' || k.op == 'O' {
				parts[i] = "(" + parts[i] + ")"
			}
		}
		return strings.Join(parts, sep)
	case 'N':
		return "not (" + n.kids[0].describe() + ")"
	}
	name := n.f.name
	if n.lop == OpExists {
		return name + " is known"
	}
	vals := make([]string, len(n.vals))
	for i, v := range n.vals {
		switch n.f.kind {
		case kindBool:
			vals[i] = strconv.FormatBool(v.b)
		case kindNumber:
			vals[i] = formatNum(v.n)
		default:
			vals[i] = v.s
		}
	}
	switch n.lop {
	case OpIn:
		return name + " in " + strings.Join(vals, ", ")
	case OpContains:
		return name + " include " + vals[0]
	}
	if n.f.kind == kindBool && n.lop == OpEq {
		if n.vals[0].b {
			return name
		}
		return "not " + name
	}
	return name + " " + opSymbol(n.lop) + " " + vals[0]
}
