package triage

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

// Options configure an Engine. The zero value (or nil) gives the default
// rules, no suppressions, the default alias dictionary and the system clock.
type Options struct {
	// Rules are tried in order; nil means DefaultRules().
	Rules []Rule
	// Suppressions are accepted exceptions, applied after the rules.
	Suppressions []Suppression
	// Aliases are added to the built-in dictionary (DefaultAliases).
	Aliases Aliases
	// NoDefaultAliases drops the built-in dictionary, leaving only Aliases.
	NoDefaultAliases bool
	// SourceKinds maps feed names to their kind (kev, rss, csaf, osv, cve5,
	// or anything a rule tests with source_kind). The adapters' default
	// names ("cisa-kev", "rss", "csaf", "osv", "cve5") are known without it.
	SourceKinds map[string]string
	// Now is the clock used for due dates, expiries and ages. Optional:
	// defaults to time.Now.
	Now func() time.Time
}

// Engine matches advisories against one stack and applies the rules. It is
// immutable after New and safe for concurrent use; for a given clock its
// results are deterministic.
type Engine struct {
	rules   []compiledRule
	supps   []Suppression
	aliases *aliasTable
	now     func() time.Time
	kinds   map[string]string
	comps   []compiledComponent
	idx     index
	gaps    []Gap
}

// New validates the stack, the rules and the suppressions, and compiles an
// engine for them: identities are normalised, versions parsed and an index
// built once, so that evaluating an advisory costs lookups, not a scan of
// the stack. All problems are returned at once, joined; rule problems are
// *RuleError values.
func New(stack *Stack, opts *Options) (*Engine, error) {
	if opts == nil {
		opts = &Options{}
	}
	if stack == nil {
		stack = &Stack{}
	}
	rules := opts.Rules
	if rules == nil {
		rules = DefaultRules()
	}
	compiled, rerr := compileRules(rules)
	if err := errors.Join(stack.Validate(), rerr, validateSuppressions(opts.Suppressions)); err != nil {
		return nil, err
	}
	aliases := opts.Aliases
	if !opts.NoDefaultAliases {
		aliases = DefaultAliases().Merge(opts.Aliases)
	}
	e := &Engine{
		rules:   compiled,
		supps:   slices.Clone(opts.Suppressions),
		aliases: compileAliases(aliases),
		now:     opts.Now,
		kinds:   map[string]string{"cisa-kev": "kev", "kev": "kev", "rss": "rss", "csaf": "csaf", "osv": "osv", "cve5": "cve5"},
	}
	for k, v := range opts.SourceKinds {
		e.kinds[k] = v
	}
	if e.now == nil {
		e.now = time.Now
	}
	e.compileStack(stack)
	return e, nil
}

// Rules returns a copy of the engine's rules.
func (e *Engine) Rules() []Rule {
	out := make([]Rule, len(e.rules))
	for i, r := range e.rules {
		out[i] = r.Rule
	}
	return out
}

// Result is the triage of one advisory: the overall decision (the most
// urgent of the per-component decisions), the components it touches, each
// with its own decision, and, in words, why.
type Result struct {
	AdvisoryID string   `json:"advisory_id"`
	Decision   Decision `json:"decision"`
	Priority   Priority `json:"priority,omitempty"`
	// RuleID is the rule that made the overall decision.
	RuleID string `json:"rule_id"`
	// Due is the overall due date; zero when none.
	Due time.Time `json:"due,omitzero"`
	// Owner is who the advisory is routed to: the route of the deciding
	// component decision; empty when it has none.
	Owner string `json:"owner,omitempty"`
	// Matches are every component the advisory was tied to, most urgent
	// first, each with its version status and decision.
	Matches []Match `json:"matches,omitempty"`
	// Checked is how many components the stack has.
	Checked int `json:"checked"`
	// Unchecked says which parts of the advisory could not be checked
	// (no product data, entries without identifiers), so that "no match"
	// is never mistaken for "could not look".
	Unchecked []string `json:"unchecked,omitempty"`
	// Reasons explain the overall decision, one sentence each.
	Reasons     []string  `json:"reasons"`
	Fingerprint string    `json:"fingerprint"`
	EvaluatedAt time.Time `json:"evaluated_at"`
}

// Why returns the reasons as one paragraph.
func (r *Result) Why() string { return strings.Join(r.Reasons, " ") }

// Match ties an advisory to one component, with the component's own
// triage decision.
type Match struct {
	Component Component `json:"component"`
	// AdvisoryVendor and AdvisoryProduct are the names the advisory used;
	// AdvisoryPackage its purl or ecosystem package, when it gave one.
	AdvisoryVendor  string `json:"advisory_vendor,omitempty"`
	AdvisoryProduct string `json:"advisory_product,omitempty"`
	AdvisoryPackage string `json:"advisory_package,omitempty"`
	// Method is how the component was identified: purl, cpe, name or text.
	Method MatchMethod `json:"method"`
	// Confidence is how sure the identity is: high, medium or low.
	Confidence Confidence `json:"confidence"`
	// Identity says why the component was identified.
	Identity string `json:"identity"`
	// Verdict and VersionReason are the version-level answer.
	Verdict       Verdict `json:"verdict"`
	VersionReason string  `json:"version_reason"`

	// Decision, Priority, Due, Owner and RuleID are this component's
	// outcome; Reason says why in one paragraph.
	Decision Decision  `json:"decision"`
	Priority Priority  `json:"priority,omitempty"`
	Due      time.Time `json:"due,omitzero"`
	Owner    string    `json:"owner,omitempty"`
	RuleID   string    `json:"rule_id"`
	Reason   string    `json:"reason"`
	// SSVC is the deployer decision for this component.
	SSVC SSVC `json:"ssvc"`
	// SuppressedBy is the ID of the exception that decided, if any.
	SuppressedBy string `json:"suppressed_by,omitempty"`

	ecosystem string
	tier      int
}

// advFacts are the advisory-level facts rules test, computed once.
type advFacts struct {
	kev, ransomware, withdrawn bool
	cvss                       float64
	hasCVSS                    bool
	epss, epssPct              float64
	hasEPSS                    bool
	severity                   string
	exploitation, automatable  string
	techImpact                 string
	sourceKind                 string
	tags                       []string
}

func (e *Engine) facts(a *feeds.Advisory) advFacts {
	f := advFacts{kev: a.KEVListed(), withdrawn: !a.Withdrawn.IsZero(), severity: string(a.Severity), sourceKind: e.kinds[a.Source]}
	if k := a.Exploitation.KEV; k != nil {
		f.ransomware = k.RansomwareKnown()
	}
	for _, s := range a.Scores {
		if strings.HasPrefix(strings.ToUpper(s.Type), "CVSS") && s.Value > 0 && (!f.hasCVSS || s.Value > f.cvss) {
			f.cvss, f.hasCVSS = s.Value, true
		}
	}
	if p := a.Exploitation.EPSS; p != nil {
		f.epss, f.epssPct, f.hasEPSS = p.Score, p.Percentile, true
	}
	if s := a.Exploitation.SSVC; s != nil {
		f.exploitation = strings.ToLower(strings.TrimSpace(s.Exploitation))
		f.automatable = strings.ToLower(strings.TrimSpace(s.Automatable))
		f.techImpact = strings.ToLower(strings.TrimSpace(s.TechnicalImpact))
		if f.exploitation == "public poc" {
			f.exploitation = "poc"
		}
	}
	if f.kev {
		f.exploitation = "active"
	}
	for _, t := range a.Tags {
		f.tags = append(f.tags, strings.ToLower(strings.TrimSpace(t)))
	}
	return f
}

// evalCtx is what a condition sees: one advisory and at most one match.
type evalCtx struct {
	a      *feeds.Advisory
	f      *advFacts
	m      *Match
	now    time.Time
	ssvcOK bool
}

func (x *evalCtx) ssvc() SSVC {
	if !x.ssvcOK {
		x.m.SSVC = deployerSSVC(x.f, &x.m.Component)
		x.ssvcOK = true
	}
	return x.m.SSVC
}

// Evaluate triages one advisory.
func (e *Engine) Evaluate(a *feeds.Advisory) Result {
	now := e.now().UTC()
	f := e.facts(a)
	res := Result{AdvisoryID: a.ID, Checked: len(e.comps), EvaluatedAt: now}
	var unchecked []string
	res.Matches, unchecked = e.match(a)
	res.Unchecked = unchecked
	fp := ""
	fingerprint := func() string {
		if fp == "" {
			fp = Fingerprint(a)
		}
		return fp
	}
	if f.kev {
		res.Reasons = append(res.Reasons, kevSentence(a.ID, a.Exploitation.KEV))
	}
	for i := range res.Matches {
		m := &res.Matches[i]
		x := evalCtx{a: a, f: &f, m: m, now: now}
		r, why := e.decide(&x)
		m.SSVC = x.ssvc()
		e.applyRule(m, r, why, a, now)
		if s, note := applySuppression(e.supps, a, m.Component.ID, now, fingerprint); s != nil {
			m.Decision, m.Priority, m.Due, m.SuppressedBy = DecisionNotApplicable, "", time.Time{}, s.ID
			m.Reason += fmt.Sprintf(" Exception %s accepted by %s (%s: %s) until %s → not_applicable.",
				s.ID, s.Owner, s.Justification, s.Statement, day(s.Expires))
		} else if note != "" {
			m.Reason += " " + note
		}
	}
	slices.SortStableFunc(res.Matches, compareDecisions)
	if len(res.Matches) > 0 {
		top := &res.Matches[0]
		res.Decision, res.Priority, res.RuleID, res.Due, res.Owner = top.Decision, top.Priority, top.RuleID, top.Due, top.Owner
		res.Reasons = append(res.Reasons, top.Reason)
		if n := len(res.Matches) - 1; n > 0 {
			res.Reasons = append(res.Reasons, othersSentence(res.Matches[1:]))
		}
	} else {
		x := evalCtx{a: a, f: &f, now: now}
		r, why := e.decide(&x)
		res.Reasons = append(res.Reasons, e.noMatchSentence(a))
		if r == nil {
			res.Decision = DecisionInformational
			res.Reasons = append(res.Reasons, "No rule matched; review by hand.")
		} else {
			res.Decision, res.Priority, res.RuleID = r.Decision, r.Priority, r.ID
			res.Due = e.due(r, a, now)
			if r.Route != "" && r.Route != RouteOwner {
				res.Owner = r.Route
			}
			res.Reasons = append(res.Reasons, ruleSentence(r, why, res.Decision, res.Priority, res.Due))
		}
	}
	if len(res.Unchecked) > 0 {
		res.Reasons = append(res.Reasons, "Not checked: "+strings.Join(res.Unchecked, "; ")+".")
	}
	res.Fingerprint = fingerprint()
	return res
}

// decide returns the first rule whose condition holds, and the facts it used.
func (e *Engine) decide(x *evalCtx) (*compiledRule, []string) {
	var why []string
	for i := range e.rules {
		r := &e.rules[i]
		why = why[:0]
		if r.cond.eval(x, &why) {
			return r, why
		}
	}
	return nil, nil
}

func (e *Engine) applyRule(m *Match, r *compiledRule, why []string, a *feeds.Advisory, now time.Time) {
	if r == nil {
		m.Decision = DecisionInformational
		m.Reason = matchSentence(m) + " No rule matched; review by hand."
		return
	}
	m.Decision, m.Priority, m.RuleID = r.Decision, r.Priority, r.ID
	m.Due = e.due(r, a, now)
	m.Owner = m.Component.Owner
	if r.Route != "" && r.Route != RouteOwner {
		m.Owner = r.Route
	}
	m.Reason = matchSentence(m) + " " + ruleSentence(r, why, m.Decision, m.Priority, m.Due)
	if m.Decision == DecisionActionable || slices.ContainsFunc(why, func(s string) bool { return strings.HasPrefix(s, "ssvc.decision") }) {
		m.Reason += " " + m.SSVC.String() + "."
	}
}

// due applies the rule's SLA and due-date mode.
func (e *Engine) due(r *compiledRule, a *feeds.Advisory, now time.Time) time.Time {
	if r.SLA <= 0 {
		return time.Time{}
	}
	due := now.Add(r.SLA)
	if r.Due == DueFromKEV {
		if k := a.Exploitation.KEV; k != nil && k.DueDate.After(now) && k.DueDate.Before(due) {
			due = k.DueDate.UTC()
		}
	}
	return due
}

// compareDecisions orders component decisions most urgent first: decision,
// priority, earlier due date, then match relevance.
func compareDecisions(a, b Match) int {
	if d := b.Decision.rank() - a.Decision.rank(); d != 0 {
		return d
	}
	if d := b.Priority.rank() - a.Priority.rank(); d != 0 {
		return d
	}
	switch {
	case !a.Due.IsZero() && !b.Due.IsZero() && !a.Due.Equal(b.Due):
		return a.Due.Compare(b.Due)
	case a.Due.IsZero() != b.Due.IsZero():
		if a.Due.IsZero() {
			return 1
		}
		return -1
	}
	return compareMatches(a, b)
}

// compareMatches orders matches by relevance: counted verdicts, method,
// confidence, exposure, criticality, then component ID for determinism.
func compareMatches(a, b Match) int {
	if x, y := a.Verdict.counts(), b.Verdict.counts(); x != y {
		if x {
			return -1
		}
		return 1
	}
	if d := b.Method.rank() - a.Method.rank(); d != 0 {
		return d
	}
	if d := b.Confidence.rank() - a.Confidence.rank(); d != 0 {
		return d
	}
	if d := exposureRank(b.Component.Exposure) - exposureRank(a.Component.Exposure); d != 0 {
		return d
	}
	if d := b.Component.Criticality.rank() - a.Component.Criticality.rank(); d != 0 {
		return d
	}
	return strings.Compare(a.Component.ID, b.Component.ID)
}

func exposureRank(e Exposure) int {
	switch e {
	case ExposureInternet:
		return 3
	case ExposureInternal, ExposureUnknown:
		return 2
	}
	return 1
}

func day(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format(time.DateOnly)
}

func kevSentence(id string, k *feeds.KEVListing) string {
	ransom := "no known ransomware use"
	if k.RansomwareKnown() {
		ransom = "known ransomware use"
	}
	return fmt.Sprintf("CISA KEV lists %s as exploited in the wild since %s (%s; federal due date %s).",
		id, day(k.DateAdded), ransom, day(k.DueDate))
}

func matchSentence(m *Match) string {
	var facts []string
	if m.Component.Version != "" {
		facts = append(facts, "version "+m.Component.Version)
	}
	if m.Component.Exposure != "" {
		facts = append(facts, string(m.Component.Exposure)+"-facing")
	}
	if m.Component.Owner != "" {
		facts = append(facts, "owner "+m.Component.Owner)
	}
	detail := ""
	if len(facts) > 0 {
		detail = " (" + strings.Join(facts, ", ") + ")"
	}
	what := strings.TrimSpace(strings.TrimSpace(m.AdvisoryVendor) + " " + strings.TrimSpace(m.AdvisoryProduct))
	if m.AdvisoryPackage != "" {
		what = m.AdvisoryPackage
	}
	return fmt.Sprintf("%s%s matches %s by %s: %s, %s confidence; %s [%s].",
		m.Component.ID, detail, what, m.Method, m.Identity, m.Confidence, m.VersionReason, m.Verdict)
}

func (e *Engine) noMatchSentence(a *feeds.Advisory) string {
	var names []string
	for _, aff := range a.Affected {
		n := strings.TrimSpace(strings.TrimSpace(aff.Vendor) + " " + strings.TrimSpace(aff.Product))
		if n == "" {
			n = firstNonEmpty(aff.PURL, aff.Package)
		}
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return fmt.Sprintf("The advisory names no product to compare, and no component is mentioned in its text (%d components in the stack).", len(e.comps))
	}
	if len(names) > 5 {
		names = append(names[:5], fmt.Sprintf("%d more", len(names)-5))
	}
	return fmt.Sprintf("No component matches %s (%d components in the stack).", strings.Join(names, "; "), len(e.comps))
}

func ruleSentence(r *compiledRule, why []string, d Decision, p Priority, due time.Time) string {
	out := string(d)
	if p != "" {
		out += " " + string(p)
	}
	if !due.IsZero() {
		out += ", due " + day(due)
	}
	used := "always"
	if len(why) > 0 {
		used = strings.Join(why, ", ")
	}
	return fmt.Sprintf("Rule %s (%s) → %s.", r.ID, used, out)
}

func othersSentence(ms []Match) string {
	var parts []string
	for i, m := range ms {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("%d more", len(ms)-5))
			break
		}
		s := m.Component.ID + ": " + string(m.Decision)
		if m.Priority != "" {
			s += " " + string(m.Priority)
		}
		parts = append(parts, s)
	}
	return fmt.Sprintf("Also matched: %s.", strings.Join(parts, "; "))
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}
