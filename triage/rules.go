package triage

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Decision is the triage outcome for an advisory.
type Decision string

// Decisions.
const (
	// DecisionActionable: the advisory touches the stack and someone must act.
	DecisionActionable Decision = "actionable"
	// DecisionInformational: worth knowing (for example exploited in the wild,
	// or a low-confidence match to confirm) but no action is due yet.
	DecisionInformational Decision = "informational"
	// DecisionNotApplicable: nothing in the stack is affected. The reason is
	// recorded so the suppression is auditable.
	DecisionNotApplicable Decision = "not_applicable"
)

// Valid reports whether d is a known decision.
func (d Decision) Valid() bool {
	return d == DecisionActionable || d == DecisionInformational || d == DecisionNotApplicable
}

// Priority orders actionable work; P1 is the most urgent.
type Priority string

// Priorities.
const (
	P1 Priority = "P1"
	P2 Priority = "P2"
	P3 Priority = "P3"
	P4 Priority = "P4"
)

// Valid reports whether p is a known priority (the empty priority included).
func (p Priority) Valid() bool {
	return p == "" || p == P1 || p == P2 || p == P3 || p == P4
}

// Rule is one triage rule. Rules are tried in order; the first whose
// condition holds decides. Rules are data: they can be written in YAML or
// JSON, and Compile checks them before use.
type Rule struct {
	// ID is a stable identifier recorded with every decision ("kev-internet").
	ID string `yaml:"id" json:"id"`
	// Description says in words what the rule is for.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// When is the condition; the zero Condition always holds.
	When Condition `yaml:"when,omitempty" json:"when,omitzero"`
	// Decision, Priority and SLA are the outcome. The due date is the
	// evaluation time plus SLA; a zero SLA means no due date.
	Decision Decision      `yaml:"decision" json:"decision"`
	Priority Priority      `yaml:"priority,omitempty" json:"priority,omitempty"`
	SLA      time.Duration `yaml:"sla,omitempty" json:"sla,omitempty"`
}

// Condition is a conjunction: every field that is set must hold. Unset
// fields (nil pointers, empty lists) are not tested.
type Condition struct {
	// KEVListed tests whether CISA KEV lists the vulnerability.
	KEVListed *bool `yaml:"kev_listed,omitempty" json:"kev_listed,omitempty"`
	// RansomwareKnown tests KEV's knownRansomwareCampaignUse.
	RansomwareKnown *bool `yaml:"ransomware_known,omitempty" json:"ransomware_known,omitempty"`
	// Matched tests whether at least one component matched with at least
	// MinConfidence and a verdict that is not "not affected" or "fixed".
	Matched *bool `yaml:"matched,omitempty" json:"matched,omitempty"`
	// MinConfidence is the weakest identity match that counts for Matched,
	// Exposure and Criticality; empty means medium.
	MinConfidence Confidence `yaml:"min_confidence,omitempty" json:"min_confidence,omitempty"`
	// Exposure holds when a counted match has one of these exposures.
	Exposure []Exposure `yaml:"exposure,omitempty" json:"exposure,omitempty"`
	// Criticality holds when a counted match has one of these criticalities.
	Criticality []Criticality `yaml:"criticality,omitempty" json:"criticality,omitempty"`
}

func (c *Condition) minConfidence() Confidence {
	if c.MinConfidence == "" {
		return ConfidenceMedium
	}
	return c.MinConfidence
}

// describe renders the condition for explanations.
func (c *Condition) describe() string {
	var parts []string
	yesNo := func(b *bool, yes, no string) {
		if b != nil {
			parts = append(parts, map[bool]string{true: yes, false: no}[*b])
		}
	}
	yesNo(c.KEVListed, "KEV-listed", "not KEV-listed")
	yesNo(c.RansomwareKnown, "known ransomware use", "no known ransomware use")
	if c.Matched != nil {
		if *c.Matched {
			parts = append(parts, fmt.Sprintf("matches the stack (%s confidence or better)", c.minConfidence()))
		} else {
			parts = append(parts, fmt.Sprintf("no %s-confidence match in the stack", c.minConfidence()))
		}
	}
	if len(c.Exposure) > 0 {
		parts = append(parts, "exposure "+joinStrings(c.Exposure, " or "))
	}
	if len(c.Criticality) > 0 {
		parts = append(parts, "criticality "+joinStrings(c.Criticality, " or "))
	}
	if len(parts) == 0 {
		return "always"
	}
	return strings.Join(parts, ", ")
}

func joinStrings[S ~string](xs []S, sep string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return strings.Join(out, sep)
}

func ptr[T any](v T) *T { return &v }

// DefaultRules returns sigwatch's starting rule set. The SLAs follow common
// practice for exploited vulnerabilities (CISA BOD 22-01 gives federal
// agencies two weeks for new KEV entries) and are meant to be tuned.
func DefaultRules() []Rule {
	day := 24 * time.Hour
	return []Rule{
		{ID: "kev-internet", Description: "Exploited in the wild and reachable from the internet",
			When:     Condition{KEVListed: ptr(true), Matched: ptr(true), Exposure: []Exposure{ExposureInternet}},
			Decision: DecisionActionable, Priority: P1, SLA: 3 * day},
		{ID: "kev-ransomware", Description: "Exploited in the wild and used by ransomware crews",
			When:     Condition{KEVListed: ptr(true), RansomwareKnown: ptr(true), Matched: ptr(true)},
			Decision: DecisionActionable, Priority: P1, SLA: 7 * day},
		{ID: "kev-critical", Description: "Exploited in the wild on a critical component",
			When:     Condition{KEVListed: ptr(true), Matched: ptr(true), Criticality: []Criticality{CriticalityCritical}},
			Decision: DecisionActionable, Priority: P1, SLA: 7 * day},
		{ID: "kev-matched", Description: "Exploited in the wild and present in the stack",
			When:     Condition{KEVListed: ptr(true), Matched: ptr(true)},
			Decision: DecisionActionable, Priority: P2, SLA: 14 * day},
		{ID: "matched", Description: "Present in the stack",
			When:     Condition{Matched: ptr(true)},
			Decision: DecisionActionable, Priority: P3, SLA: 30 * day},
		{ID: "vendor-only", Description: "Only the vendor matches: confirm whether the product is in use",
			When:     Condition{Matched: ptr(true), MinConfidence: ConfidenceLow},
			Decision: DecisionInformational, Priority: P4, SLA: 14 * day},
		{ID: "no-match", Description: "Nothing in the stack matches",
			Decision: DecisionNotApplicable},
	}
}

// compileRules checks rules and returns every problem joined.
func compileRules(rules []Rule) error {
	var errs []error
	seen := map[string]bool{}
	for i, r := range rules {
		bad := func(format string, args ...any) {
			errs = append(errs, &RuleError{Index: i, RuleID: r.ID, Err: fmt.Errorf(format, args...)})
		}
		switch {
		case r.ID == "":
			bad("missing id")
		case seen[r.ID]:
			bad("duplicate id %q", r.ID)
		}
		seen[r.ID] = true
		if !r.Decision.Valid() {
			bad("decision %q is not one of actionable, informational, not_applicable", r.Decision)
		}
		if !r.Priority.Valid() {
			bad("priority %q is not one of P1, P2, P3, P4", r.Priority)
		}
		if r.SLA < 0 {
			bad("negative SLA %s", r.SLA)
		}
		if c := r.When.MinConfidence; c != "" && c.rank() == 0 {
			bad("min_confidence %q is not one of high, medium, low", c)
		}
		for _, e := range r.When.Exposure {
			if e == "" || !e.Valid() {
				bad("exposure %q is not one of internet, internal, isolated", e)
			}
		}
		for _, c := range r.When.Criticality {
			if c == "" || !c.Valid() {
				bad("criticality %q is not one of critical, high, medium, low", c)
			}
		}
	}
	return errors.Join(errs...)
}

// RuleError reports a problem with one rule.
type RuleError struct {
	Index  int
	RuleID string
	Err    error
}

func (e *RuleError) Error() string {
	if e.RuleID != "" {
		return fmt.Sprintf("triage: rules[%d] (%s): %v", e.Index, e.RuleID, e.Err)
	}
	return fmt.Sprintf("triage: rules[%d]: %v", e.Index, e.Err)
}

func (e *RuleError) Unwrap() error { return e.Err }

// holds evaluates the condition against an advisory's facts and matches, and
// returns the matches that satisfied it.
func (c *Condition) holds(f facts, matches []Match) (bool, []Match) {
	if c.KEVListed != nil && *c.KEVListed != f.kev {
		return false, nil
	}
	if c.RansomwareKnown != nil && *c.RansomwareKnown != f.ransomware {
		return false, nil
	}
	var counted []Match
	for _, m := range matches {
		if !m.Confidence.AtLeast(c.minConfidence()) || !m.Verdict.counts() {
			continue
		}
		if len(c.Exposure) > 0 && !slices.Contains(c.Exposure, m.Component.Exposure) {
			continue
		}
		if len(c.Criticality) > 0 && !slices.Contains(c.Criticality, m.Component.Criticality) {
			continue
		}
		counted = append(counted, m)
	}
	needMatch := c.Matched != nil || len(c.Exposure) > 0 || len(c.Criticality) > 0
	if c.Matched != nil && !*c.Matched {
		return len(counted) == 0, nil
	}
	if needMatch && len(counted) == 0 {
		return false, nil
	}
	return true, counted
}

type facts struct {
	kev, ransomware bool
}
