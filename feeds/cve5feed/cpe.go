package cve5feed

import (
	"fmt"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
)

// splitCPE splits a CPE 2.3 formatted string into its components, honouring
// backslash escapes. ok is false for anything that is not "cpe:2.3:" with 13
// components.
func splitCPE(s string) (parts []string, ok bool) {
	var cur strings.Builder
	esc := false
	for _, r := range s {
		switch {
		case esc:
			cur.WriteByte('\\')
			cur.WriteRune(r)
			esc = false
		case r == '\\':
			esc = true
		case r == ':':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	parts = append(parts, cur.String())
	if len(parts) != 13 || parts[0] != "cpe" || parts[1] != "2.3" {
		return nil, false
	}
	return parts, true
}

// conditional reports whether a configuration's vulnerable matches depend
// on something else: an AND with more than one operand, a negation, or a
// non-vulnerable (platform) match anywhere in the configuration.
func conditional(cfg *wireCPEConfig) bool {
	if cfg.Negate || (strings.EqualFold(cfg.Operator, "AND") && len(cfg.Nodes) > 1) {
		return true
	}
	for _, n := range cfg.Nodes {
		if n.Negate || (strings.EqualFold(n.Operator, "AND") && len(n.CPEMatch) > 1) {
			return true
		}
		for _, m := range n.CPEMatch {
			if !m.Vulnerable {
				return true
			}
		}
	}
	return false
}

// describeMatch renders a cpeMatch with its bounds.
func describeMatch(m *wireCPEMatch) string {
	var b strings.Builder
	b.WriteString(m.Criteria)
	var bounds []string
	for _, x := range []struct{ op, v string }{
		{">=", m.VersionStartIncluding}, {">", m.VersionStartExcluding},
		{"<=", m.VersionEndIncluding}, {"<", m.VersionEndExcluding},
	} {
		if x.v != "" {
			bounds = append(bounds, x.op+" "+x.v)
		}
	}
	if len(bounds) > 0 {
		b.WriteString(" [" + strings.Join(bounds, ", ") + "]")
	}
	if m.Vulnerable {
		b.WriteString(" (vulnerable)")
	} else {
		b.WriteString(" (not vulnerable)")
	}
	return b.String()
}

// describeConfig renders a configuration as a boolean expression.
func describeConfig(cfg *wireCPEConfig) string {
	op := func(s string) string {
		if s = strings.ToUpper(strings.TrimSpace(s)); s == "" {
			return "OR"
		}
		return s
	}
	nodes := make([]string, 0, len(cfg.Nodes))
	for _, n := range cfg.Nodes {
		ms := make([]string, 0, len(n.CPEMatch))
		for i := range n.CPEMatch {
			ms = append(ms, describeMatch(&n.CPEMatch[i]))
		}
		s := "(" + strings.Join(ms, " "+op(n.Operator)+" ") + ")"
		if n.Negate {
			s = "NOT " + s
		}
		nodes = append(nodes, s)
	}
	s := strings.Join(nodes, " "+op(cfg.Operator)+" ")
	if cfg.Negate {
		s = "NOT (" + s + ")"
	}
	return s
}

// cpeRange maps a cpeMatch's bounds. A start-excluding bound has no event
// equivalent: the bounds are then kept as a TEXT range.
func cpeRange(m *wireCPEMatch) (feeds.Range, bool) {
	if m.VersionStartIncluding == "" && m.VersionStartExcluding == "" && m.VersionEndIncluding == "" && m.VersionEndExcluding == "" {
		return feeds.Range{}, false
	}
	if m.VersionStartExcluding != "" || (m.VersionEndIncluding != "" && m.VersionEndExcluding != "") {
		d := describeMatch(&wireCPEMatch{
			VersionStartIncluding: m.VersionStartIncluding, VersionStartExcluding: m.VersionStartExcluding,
			VersionEndIncluding: m.VersionEndIncluding, VersionEndExcluding: m.VersionEndExcluding, Vulnerable: true,
		})
		d = strings.TrimSuffix(strings.TrimPrefix(d, " ["), "] (vulnerable)")
		return feeds.Range{Type: RangeTypeText, Expr: d}, true
	}
	start := m.VersionStartIncluding
	if start == "" {
		start = "0"
	}
	r := feeds.Range{Type: RangeTypeUnspecified, Events: []feeds.Event{{Introduced: start}}}
	switch {
	case m.VersionEndExcluding != "":
		r.Events = append(r.Events, feeds.Event{Fixed: m.VersionEndExcluding})
	case m.VersionEndIncluding != "":
		r.Events = append(r.Events, feeds.Event{LastAffected: m.VersionEndIncluding})
	}
	return r, true
}

// cpeApplicability maps the NVD-style CPE configurations of a container.
func (p *parser) cpeApplicability(cfgs []wireCPEConfig, path, provider, notePrefix string, isCNA bool) {
	for ci := range cfgs {
		cfg := &cfgs[ci]
		cpath := fmt.Sprintf("%s[%d]", path, ci)
		cond := conditional(cfg)
		expr := ""
		if cond {
			expr = describeConfig(cfg)
			p.note(notePrefix+"cpeApplicability", cpath, "affected only where this configuration holds: "+expr)
			p.warn(cpath, "conditional CPE configuration (AND, negation or platform CPEs); its vulnerable CPEs are listed with the condition in Extra and a note, not as unconditional matches")
		}
		for ni := range cfg.Nodes {
			n := &cfg.Nodes[ni]
			for mi := range n.CPEMatch {
				m := &n.CPEMatch[mi]
				mpath := fmt.Sprintf("%s.nodes[%d].cpeMatch[%d]", cpath, ni, mi)
				if !m.Vulnerable {
					continue
				}
				if strings.TrimSpace(m.Criteria) == "" {
					p.warn(mpath, "vulnerable cpeMatch without criteria; ignored")
					continue
				}
				if n.Negate || cfg.Negate {
					p.warn(mpath, "vulnerable CPE inside a negated node; not listed as affected (see the configuration note)")
					continue
				}
				a := feeds.Affected{CPEs: []string{m.Criteria}, Status: feeds.StatusAffected}
				parts, isCPE := splitCPE(m.Criteria)
				if isCPE {
					a.Vendor, a.Product = parts[3], parts[4]
				} else {
					p.warn(mpath+".criteria", "criteria %q is not a CPE 2.3 formatted string", clip(m.Criteria))
				}
				if r, ok := cpeRange(m); ok {
					a.Ranges = []feeds.Range{r}
					if r.Type == RangeTypeText {
						p.warn(mpath, "CPE bounds %q are not expressible as events; kept as a TEXT range", r.Expr)
					}
				} else if isCPE && parts[5] != "*" && parts[5] != "-" && parts[5] != "" {
					a.Versions = []string{parts[5]}
				}
				i := len(p.adv.Affected)
				if cond {
					// Never merged with an unconditional twin: the
					// condition belongs to this entry.
					p.adv.Affected = append(p.adv.Affected, a)
				} else if !p.addAffected(&a, !isCNA) {
					continue
				}
				key := fmt.Sprintf("cve5.affected[%d].", i)
				p.setExtra(key+"source", provider+":"+mpath)
				if cond {
					p.setExtra(key+"condition", expr)
				}
			}
		}
	}
}
