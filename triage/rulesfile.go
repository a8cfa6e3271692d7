package triage

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sigwatch/sigwatch/internal/timex"
	"github.com/sigwatch/sigwatch/internal/yamlin"
)

// MaxRulesFileSize caps a rules file.
const MaxRulesFileSize = 4 << 20

// Policy is the content of a rules file: ordered rules, accepted
// exceptions and extra aliases. Use it through [Policy.Options].
type Policy struct {
	Rules        []Rule        `json:"rules"`
	Suppressions []Suppression `json:"suppressions,omitempty"`
	Aliases      Aliases       `json:"aliases,omitzero"`
}

// Options returns engine options for the policy.
func (p *Policy) Options() *Options {
	return &Options{Rules: slices.Clone(p.Rules), Suppressions: slices.Clone(p.Suppressions), Aliases: p.Aliases}
}

// LoadRules reads a rules file; see [ParseRules].
func LoadRules(path string) (*Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("triage: %w", err)
	}
	defer f.Close()
	return ParseRules(f, path)
}

// ParseRules reads a rules file (YAML, or JSON which is read as YAML):
//
//	include_defaults: true       # append DefaultRules() after these rules
//	rules:
//	  - id: kev-internet
//	    description: Exploited and reachable from the internet
//	    when:
//	      all:
//	        - kev: true
//	        - exposure: internet
//	        - status: [affected, needs_review]
//	    decision: actionable     # actionable | informational | not_applicable
//	    priority: P1             # P1..P4
//	    sla: 3d                  # 3d, 2w, 72h, 90m
//	    due: kev                 # sla (default) | kev
//	    route: owner             # owner (default) | a person or team ID
//	suppressions:
//	  - id: EX-2026-004
//	    advisory: CVE-2024-3400
//	    component: edge-fw       # omit for every component
//	    owner: akhan
//	    justification: inline_mitigations_already_exist
//	    statement: GlobalProtect is disabled on this firewall.
//	    created: 2026-11-01
//	    expires: 2027-02-01
//	    fingerprint: 3f2a…         # optional: reopen when the advisory changes
//	aliases:
//	  vendors: {citrix: [netscaler]}
//	  products: {citrix: {netscaler adc: [citrix adc]}}
//
// A condition is a map: all / any (lists of conditions), not (one
// condition), or field tests — field: value (equality), field: [a, b] (one
// of), field: {gte: 7} (operators eq, ne, in, gt, gte, lt, lte, contains,
// exists). Several keys in one map must all hold. [Fields] lists the fields.
//
// Every problem is reported at once, each with the file, line and column
// and the path inside the file; the error is a [FileErrors].
func ParseRules(r io.Reader, name string) (*Policy, error) {
	if name == "" {
		name = "<rules>"
	}
	if r == nil {
		return nil, fmt.Errorf("triage: read %s: nil reader", name)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxRulesFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("triage: read %s: %w", name, err)
	}
	if len(data) > MaxRulesFileSize {
		return nil, FileErrors{{File: name, Msg: fmt.Sprintf("file is larger than the %d MiB limit", MaxRulesFileSize>>20)}}
	}
	doc, err := yamlin.Parse(data, &yamlin.ParseOptions{File: name, MaxBytes: MaxRulesFileSize, What: "a rules file"})
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			return nil, FileErrors{fe}
		}
		return nil, FileErrors{{File: name, Msg: err.Error()}}
	}
	if doc == nil {
		return nil, FileErrors{{File: name, Msg: "file is empty; want a map with a \"rules\" list"}}
	}
	p := &rulesParser{file: name, pos: map[string]*yaml.Node{}, bad: map[string]bool{}}
	pol := p.policy(doc)
	// Semantic checks run even when the file had other problems, so that
	// one pass reports everything; values that failed to read (or whose key
	// was misspelt) are not reported again as missing.
	if _, err := compileRules(pol.Rules); err != nil {
		for _, e := range flatten(err) {
			var re *RuleError
			if errors.As(e, &re) {
				path := fmt.Sprintf("rules[%d]", re.Index)
				if re.Path != "" {
					path += "." + re.Path
				}
				if !p.bad[path] {
					p.at(p.nearest(path), path, "%v", re.Err)
				}
			}
		}
	}
	for _, sp := range suppressionProblems(pol.Suppressions) {
		path := fmt.Sprintf("suppressions[%d].%s", sp.index, sp.field)
		if p.bad[path] {
			continue
		}
		if _, ok := p.pos[path]; !ok {
			path = fmt.Sprintf("suppressions[%d]", sp.index)
		}
		p.at(p.nearest(path), path, "%s", sp.msg)
	}
	if len(p.errs) > 0 {
		return nil, p.sorted()
	}
	return pol, nil
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// FileError is one problem in a rules file: File, Line, Column, Path
// ("rules[2].when.all[0]") and Msg.
type FileError = yamlin.Error

// FileErrors is every problem found in a file, in file order, one line
// each.
type FileErrors = yamlin.ErrorList

type rulesParser struct {
	file string
	errs FileErrors
	pos  map[string]*yaml.Node
	// bad holds paths whose value could not be read, or that a misspelt
	// key was probably meant to be.
	bad map[string]bool
	// steps counts nodes visited; a document whose aliases expand past
	// maxRuleNodes ("billion laughs") is refused.
	steps int
}

const maxRuleNodes = 200_000

const maxRuleErrors = 100

func (p *rulesParser) at(n *yaml.Node, path, format string, args ...any) {
	if len(p.errs) >= maxRuleErrors {
		return
	}
	e := &FileError{File: p.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

func (p *rulesParser) sorted() FileErrors {
	slices.SortStableFunc(p.errs, func(a, b *FileError) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return p.errs
}

// nearest returns the node recorded for path or its closest ancestor.
func (p *rulesParser) nearest(path string) *yaml.Node {
	for path != "" {
		if n, ok := p.pos[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return nil
}

// resolve follows document and alias nodes, counting the visit.
func (p *rulesParser) resolve(n *yaml.Node) *yaml.Node {
	p.steps++
	if p.steps == maxRuleNodes {
		p.at(n, "", "the file expands to more than %d values (aliases?); refusing it", maxRuleNodes)
	}
	if p.steps >= maxRuleNodes {
		return nil
	}
	return resolve(n)
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && (n.Kind == yaml.DocumentNode || n.Kind == yaml.AliasNode) {
		if n.Kind == yaml.DocumentNode {
			if len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
		} else {
			n = n.Alias
		}
	}
	return n
}

// mapping iterates a map node's keys, reporting keys not in known.
func (p *rulesParser) mapping(n *yaml.Node, path string, known []string, f func(key string, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.at(n, path, "want a map, got %s", yamlin.DescribeNode(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], p.resolve(n.Content[i+1])
		if v == nil {
			continue
		}
		if seen[k.Value] {
			p.at(k, path, "key %q appears twice", k.Value)
			continue
		}
		seen[k.Value] = true
		if known != nil && !slices.Contains(known, k.Value) {
			msg := fmt.Sprintf("unknown field %q", k.Value)
			if s := yamlin.Suggest(k.Value, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
				p.bad[yamlin.JoinPath(path, s)] = true
			}
			p.at(k, path, "%s", msg)
			continue
		}
		f(k.Value, v)
	}
}

func (p *rulesParser) str(n *yaml.Node, path string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.bad[path] = true
		p.at(n, path, "want text, got %s", yamlin.DescribeNode(n))
		return ""
	}
	return n.Value
}

func (p *rulesParser) policy(doc *yaml.Node) *Policy {
	pol := &Policy{}
	root := p.resolve(doc)
	if root == nil {
		p.at(nil, "", "file has no content; want a map with a \"rules\" list")
		return pol
	}
	defaults := false
	p.mapping(root, "", []string{"rules", "suppressions", "aliases", "include_defaults"}, func(key string, v *yaml.Node) {
		switch key {
		case "include_defaults":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				p.at(v, key, "want true or false, got %s", yamlin.DescribeNode(v))
				return
			}
			defaults = v.Value == "true"
		case "rules":
			p.list(v, "rules", func(i int, n *yaml.Node, path string) {
				pol.Rules = append(pol.Rules, p.rule(n, path))
			})
		case "suppressions":
			p.list(v, "suppressions", func(i int, n *yaml.Node, path string) {
				pol.Suppressions = append(pol.Suppressions, p.suppression(n, path))
			})
		case "aliases":
			if err := v.Decode(&pol.Aliases); err != nil {
				p.at(v, "aliases", "want {vendors: {name: [alias, …]}, products: {vendor: {product: [alias, …]}}}: %s",
					strings.TrimPrefix(err.Error(), "yaml: "))
			}
		}
	})
	if defaults {
		pol.Rules = append(pol.Rules, DefaultRules()...)
	}
	if len(pol.Rules) == 0 && len(p.errs) == 0 {
		p.at(root, "rules", "no rules: give a \"rules\" list, or include_defaults: true")
	}
	return pol
}

func (p *rulesParser) list(n *yaml.Node, path string, f func(i int, n *yaml.Node, path string)) {
	if n.Kind != yaml.SequenceNode {
		p.at(n, path, "want a list, got %s", yamlin.DescribeNode(n))
		return
	}
	for i, c := range n.Content {
		c = p.resolve(c)
		if c == nil {
			continue
		}
		ip := fmt.Sprintf("%s[%d]", path, i)
		p.pos[ip] = c
		f(i, c, ip)
	}
}

var ruleKeys = []string{"id", "description", "when", "decision", "priority", "sla", "due", "route"}

func (p *rulesParser) rule(n *yaml.Node, path string) Rule {
	var r Rule
	p.mapping(n, path, ruleKeys, func(key string, v *yaml.Node) {
		kp := path + "." + key
		p.pos[kp] = v
		switch key {
		case "id":
			r.ID = p.str(v, kp)
		case "description":
			r.Description = p.str(v, kp)
		case "when":
			r.When = p.cond(v, kp)
		case "decision":
			r.Decision = Decision(p.str(v, kp))
		case "priority":
			r.Priority = Priority(strings.ToUpper(p.str(v, kp)))
		case "sla":
			s := p.str(v, kp)
			d, err := ParseDuration(s)
			if err != nil {
				p.bad[kp] = true
				p.at(v, kp, "%v", err)
			}
			r.SLA = d
		case "due":
			switch s := p.str(v, kp); s {
			case "sla", "":
				r.Due = DueFromSLA
			default:
				r.Due = DueFrom(s)
			}
		case "route":
			r.Route = p.str(v, kp)
		}
	})
	return r
}

// cond reads a condition map. Several keys in one map are an implicit all.
func (p *rulesParser) cond(n *yaml.Node, path string) Cond {
	if n.Kind != yaml.MappingNode {
		p.at(n, path, "want a condition map (all, any, not or field: value), got %s", yamlin.DescribeNode(n))
		return Cond{}
	}
	var parts []Cond
	var paths []string
	p.mapping(n, path, nil, func(key string, v *yaml.Node) {
		kp := path + "." + key
		p.pos[kp] = v
		switch key {
		case "all", "any":
			var kids []Cond
			if v.Kind != yaml.SequenceNode {
				p.at(v, kp, "want a list of conditions, got %s", yamlin.DescribeNode(v))
				return
			}
			if len(v.Content) == 0 {
				p.at(v, kp, "empty list: give at least one condition")
			}
			for i, c := range v.Content {
				ip := fmt.Sprintf("%s[%d]", kp, i)
				if c = p.resolve(c); c != nil {
					p.pos[ip] = c
					kids = append(kids, p.cond(c, ip))
				}
			}
			if key == "all" {
				parts = append(parts, Cond{All: kids})
			} else {
				parts = append(parts, Cond{Any: kids})
			}
		case "not":
			c := p.cond(v, kp)
			parts = append(parts, Cond{Not: &c})
		default:
			parts = append(parts, p.leaf(key, v, kp))
		}
		paths = append(paths, kp)
	})
	if len(parts) == 1 {
		// Keep the compiled paths aligned with the file: a single key is
		// the node itself.
		p.alias(paths[0], path)
		return parts[0]
	}
	for i, kp := range paths {
		p.alias(kp, fmt.Sprintf("%s.all[%d]", path, i))
	}
	return Cond{All: parts}
}

// alias records that compiled path to refers to the node at from.
func (p *rulesParser) alias(from, to string) {
	if n, ok := p.pos[from]; ok {
		if _, exists := p.pos[to]; !exists {
			p.pos[to] = n
		}
	}
}

func (p *rulesParser) leaf(field string, v *yaml.Node, path string) Cond {
	switch v.Kind {
	case yaml.MappingNode:
		// field: {op: value}
		var c Cond
		n := 0
		p.mapping(v, path, []string{"eq", "ne", "in", "gt", "gte", "lt", "lte", "contains", "exists"}, func(op string, val *yaml.Node) {
			n++
			if n > 1 {
				p.at(val, path, "one operator per test; write several tests under all")
				return
			}
			c = Cond{Field: field, Op: Op(op), Value: p.value(val, path+"."+op)}
		})
		if n == 0 {
			p.at(v, path, "empty operator map")
		}
		return c
	case yaml.SequenceNode:
		return Cond{Field: field, Op: OpIn, Value: p.value(v, path)}
	}
	return Cond{Field: field, Op: OpEq, Value: p.value(v, path)}
}

// value converts a scalar or a list of scalars.
func (p *rulesParser) value(n *yaml.Node, path string) any {
	switch n.Kind {
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			c = p.resolve(c)
			if c == nil || c.Kind != yaml.ScalarNode {
				p.at(n, fmt.Sprintf("%s[%d]", path, i), "want a plain value in the list")
				continue
			}
			out = append(out, scalar(c))
		}
		return out
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		return scalar(n)
	}
	p.at(n, path, "want a value, got %s", yamlin.DescribeNode(n))
	return nil
}

func scalar(n *yaml.Node) any {
	switch n.Tag {
	case "!!bool":
		return n.Value == "true"
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
			return float64(i)
		}
	case "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	}
	return n.Value
}

var suppressionKeys = []string{"id", "advisory", "component", "owner", "justification", "statement", "created", "expires", "fingerprint"}

func (p *rulesParser) suppression(n *yaml.Node, path string) Suppression {
	var s Suppression
	p.mapping(n, path, suppressionKeys, func(key string, v *yaml.Node) {
		kp := path + "." + key
		p.pos[kp] = v
		switch key {
		case "id":
			s.ID = p.str(v, kp)
		case "advisory":
			s.Advisory = p.str(v, kp)
		case "component":
			s.Component = p.str(v, kp)
		case "owner":
			s.Owner = p.str(v, kp)
		case "justification":
			s.Justification = Justification(p.str(v, kp))
		case "statement":
			s.Statement = p.str(v, kp)
		case "fingerprint":
			s.Fingerprint = p.str(v, kp)
		case "created", "expires":
			t, err := parseDay(p.str(v, kp))
			if err != nil {
				p.bad[kp] = true
				p.at(v, kp, "%v", err)
			}
			if key == "created" {
				s.Created = t
			} else {
				s.Expires = t
			}
		}
	})
	return s
}

func parseDay(s string) (time.Time, error) {
	t, err := timex.Parse(s)
	if err != nil || t.IsZero() {
		return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return t, nil
}

// ParseDuration reads an SLA: a number followed by a unit — m (minutes), h
// (hours), d (days) or w (weeks) — or a Go duration ("36h30m").
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if t == "" || t == "0" {
		return 0, nil
	}
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if u, ok := unit[t[len(t)-1]]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(t[:len(t)-1]))
		if err != nil || n < 0 || n > 3650 {
			return 0, fmt.Errorf("sla %q: want a whole number of days or weeks up to 10 years (\"3d\", \"2w\")", s)
		}
		return time.Duration(n) * u, nil
	}
	d, err := time.ParseDuration(t)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("sla %q is not a duration (want \"3d\", \"2w\", \"72h\")", s)
	}
	return d, nil
}
