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
// rules, the default alias dictionary and the system clock.
type Options struct {
	// Rules are tried in order; nil means DefaultRules().
	Rules []Rule
	// Aliases are added to the built-in dictionary (DefaultAliases).
	Aliases Aliases
	// NoDefaultAliases drops the built-in dictionary, leaving only Aliases.
	NoDefaultAliases bool
	// Now is the clock used for due dates. Optional: defaults to time.Now.
	Now func() time.Time
}

// Engine matches advisories against one stack and applies the rules. It is
// immutable after New and safe for concurrent use.
type Engine struct {
	rules   []Rule
	aliases *aliasTable
	now     func() time.Time
	comps   []compiledComponent
}

type compiledComponent struct {
	c  Component
	id identity
}

// New validates the stack and the rules and returns an engine for them.
// All problems are returned joined; rule problems are *RuleError values.
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
	if err := errors.Join(stack.Validate(), compileRules(rules)); err != nil {
		return nil, err
	}
	aliases := opts.Aliases
	if !opts.NoDefaultAliases {
		aliases = DefaultAliases().Merge(opts.Aliases)
	}
	e := &Engine{rules: slices.Clone(rules), aliases: compileAliases(aliases), now: opts.Now}
	if e.now == nil {
		e.now = time.Now
	}
	for _, c := range stack.Components {
		e.comps = append(e.comps, compiledComponent{c: c, id: e.aliases.identityOf(c.Vendor, c.Product)})
	}
	return e, nil
}

// Rules returns a copy of the engine's rules.
func (e *Engine) Rules() []Rule { return slices.Clone(e.rules) }

// Result is the triage of one advisory: the decision, the rule that made
// it, the components it touches and, in words, why.
type Result struct {
	AdvisoryID string   `json:"advisory_id"`
	Decision   Decision `json:"decision"`
	Priority   Priority `json:"priority,omitempty"`
	// RuleID is the rule that decided.
	RuleID string `json:"rule_id"`
	// Due is the evaluation time plus the rule's SLA; zero when none.
	Due time.Time `json:"due,omitzero"`
	// Owner is who the advisory is routed to: the owner of the most
	// relevant matched component; empty when no matched component has one.
	Owner string `json:"owner,omitempty"`
	// Matches are all identity matches, most relevant first, including
	// those the deciding rule did not count.
	Matches []Match `json:"matches,omitempty"`
	// Checked is how many components were compared.
	Checked int `json:"checked"`
	// Reasons explain the decision, one sentence each.
	Reasons     []string  `json:"reasons"`
	EvaluatedAt time.Time `json:"evaluated_at"`
}

// Why returns the reasons as one paragraph.
func (r *Result) Why() string { return strings.Join(r.Reasons, " ") }

// Match ties an advisory to one component.
type Match struct {
	Component Component `json:"component"`
	// AdvisoryVendor and AdvisoryProduct are the names the advisory used.
	AdvisoryVendor  string      `json:"advisory_vendor,omitempty"`
	AdvisoryProduct string      `json:"advisory_product,omitempty"`
	Method          MatchMethod `json:"method"`
	Confidence      Confidence  `json:"confidence"`
	// Identity says why the component was identified.
	Identity string `json:"identity"`
	// Verdict and VersionReason are the version-level answer.
	Verdict       Verdict `json:"verdict"`
	VersionReason string  `json:"version_reason"`
}

// Evaluate triages one advisory.
func (e *Engine) Evaluate(a *feeds.Advisory) Result {
	now := e.now().UTC()
	res := Result{AdvisoryID: a.ID, Checked: len(e.comps), EvaluatedAt: now}
	res.Matches = e.match(a)
	f := facts{kev: a.KEVListed()}
	if k := a.Exploitation.KEV; k != nil {
		f.ransomware = k.RansomwareKnown()
		res.Reasons = append(res.Reasons, kevSentence(a.ID, k))
	}
	for i := range e.rules {
		r := &e.rules[i]
		ok, counted := r.When.holds(f, res.Matches)
		if !ok {
			continue
		}
		res.Decision, res.Priority, res.RuleID = r.Decision, r.Priority, r.ID
		if r.SLA > 0 {
			res.Due = now.Add(r.SLA)
		}
		for _, m := range counted {
			if res.Owner == "" && m.Component.Owner != "" {
				res.Owner = m.Component.Owner
			}
			res.Reasons = append(res.Reasons, matchSentence(&m))
		}
		if len(counted) == 0 {
			res.Reasons = append(res.Reasons, e.noMatchSentence(a, res.Matches))
		}
		res.Reasons = append(res.Reasons, ruleSentence(r, &res))
		return res
	}
	// No rule held: never drop an advisory silently.
	res.Decision, res.RuleID = DecisionInformational, ""
	res.Reasons = append(res.Reasons, "No rule matched; review by hand.")
	return res
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

func (e *Engine) match(a *feeds.Advisory) []Match {
	// Several affected entries can match one component (KEV names the
	// product without versions, the vendor's advisory gives the range):
	// keep, per component, the most informative verdict and the highest
	// identity confidence.
	type candidate struct {
		m    Match
		tier int
	}
	best := map[string]*candidate{}
	var order []string
	for ai := range a.Affected {
		aff := &a.Affected[ai]
		if strings.TrimSpace(aff.Vendor) == "" && strings.TrimSpace(aff.Product) == "" {
			continue
		}
		aid := e.aliases.identityOf(aff.Vendor, aff.Product)
		for _, cc := range e.comps {
			conf, why := matchIdentity(aid, cc.id)
			if conf == "" {
				continue
			}
			verdict, vwhy, informed := checkVersion(cc.c.Version, aff, siblings(a.Affected, ai))
			m := Match{
				Component: cc.c, AdvisoryVendor: aff.Vendor, AdvisoryProduct: aff.Product,
				Method: MethodVendorProduct, Confidence: conf, Identity: why,
				Verdict: verdict, VersionReason: vwhy,
			}
			tier := verdictTier(verdict, informed)
			cur, ok := best[cc.c.ID]
			switch {
			case !ok:
				best[cc.c.ID] = &candidate{m, tier}
				order = append(order, cc.c.ID)
			case tier > cur.tier || (tier == cur.tier && conf.rank() > cur.m.Confidence.rank()):
				if cur.m.Confidence.rank() > m.Confidence.rank() {
					m.Confidence, m.Identity = cur.m.Confidence, cur.m.Identity
				}
				cur.m, cur.tier = m, tier
			case conf.rank() > cur.m.Confidence.rank():
				cur.m.Confidence, cur.m.Identity = conf, why
			}
		}
	}
	out := make([]Match, 0, len(order))
	for _, id := range order {
		out = append(out, best[id].m)
	}
	slices.SortStableFunc(out, compareMatches)
	return out
}

// verdictTier ranks how much a verdict says. "Affected" from any entry wins
// (entries are OR-ed); an entry with version data that cannot be compared
// beats a definite "not affected" from another; an entry without any
// version data says least of all.
func verdictTier(v Verdict, informed bool) int {
	switch {
	case v == VerdictAffected:
		return 4
	case informed && (v == VerdictNeedsReview || v == VerdictUnderInvestigation):
		return 3
	case informed:
		return 2
	}
	return 1
}

// compareMatches orders matches by relevance: counted verdicts, confidence,
// exposure, criticality, then component ID for determinism.
func compareMatches(a, b Match) int {
	if x, y := a.Verdict.counts(), b.Verdict.counts(); x != y {
		if x {
			return -1
		}
		return 1
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
	return fmt.Sprintf("%s%s matches %s %s: %s, %s confidence; %s [%s].",
		m.Component.ID, detail, strings.TrimSpace(m.AdvisoryVendor), strings.TrimSpace(m.AdvisoryProduct),
		m.Identity, m.Confidence, m.VersionReason, m.Verdict)
}

func (e *Engine) noMatchSentence(a *feeds.Advisory, matches []Match) string {
	var names []string
	for _, aff := range a.Affected {
		if n := strings.TrimSpace(strings.TrimSpace(aff.Vendor) + " " + strings.TrimSpace(aff.Product)); n != "" {
			names = append(names, n)
		}
	}
	what := "the advisory's products"
	if len(names) > 0 {
		what = strings.Join(names, "; ")
	}
	if len(names) == 0 {
		return fmt.Sprintf("The advisory names no vendor or product to compare (%d components in the stack).", len(e.comps))
	}
	s := fmt.Sprintf("No component matches %s (%d components checked)", what, len(e.comps))
	if len(matches) > 0 {
		s += fmt.Sprintf("; %d weaker or unaffected match(es) did not count", len(matches))
	}
	return s + "."
}

func ruleSentence(r *Rule, res *Result) string {
	out := string(r.Decision)
	if r.Priority != "" {
		out += " " + string(r.Priority)
	}
	if !res.Due.IsZero() {
		out += ", due " + day(res.Due)
	}
	return fmt.Sprintf("Rule %s (%s) → %s.", r.ID, r.When.describe(), out)
}
