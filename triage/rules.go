package triage

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Decision is the triage outcome for an advisory, or for one component.
type Decision string

// Decisions.
const (
	// DecisionActionable: the advisory touches the stack and someone must act.
	DecisionActionable Decision = "actionable"
	// DecisionInformational: worth knowing (for example a low-confidence
	// match to confirm) but no action is due yet.
	DecisionInformational Decision = "informational"
	// DecisionNotApplicable: nothing in the stack is affected. The reason is
	// recorded so the decision is auditable.
	DecisionNotApplicable Decision = "not_applicable"
)

// Valid reports whether d is a known decision.
func (d Decision) Valid() bool {
	return d == DecisionActionable || d == DecisionInformational || d == DecisionNotApplicable
}

func (d Decision) rank() int {
	switch d {
	case DecisionActionable:
		return 3
	case DecisionInformational:
		return 2
	case DecisionNotApplicable:
		return 1
	}
	return 0
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

// rank is 4 for P1 down to 1 for P4, 0 for none.
func (p Priority) rank() int {
	switch p {
	case P1:
		return 4
	case P2:
		return 3
	case P3:
		return 2
	case P4:
		return 1
	}
	return 0
}

// DueFrom says how a rule sets the due date.
type DueFrom string

// Due date modes.
const (
	// DueFromSLA: the evaluation time plus the rule's SLA (the default).
	DueFromSLA DueFrom = ""
	// DueFromKEV: CISA's KEV due date when the advisory is KEV-listed and
	// that date is after the evaluation time and before the SLA's; the SLA
	// otherwise. A KEV due date already past (old catalog entries) never
	// makes new work overdue on arrival.
	DueFromKEV DueFrom = "kev"
)

// RouteOwner routes to the matched component's owner (the default).
const RouteOwner = "owner"

// Rule is one triage rule. Rules are tried in order for every matched
// component (and once for the advisory when nothing matches); the first
// whose condition holds decides. Rules are data: they can be written in
// YAML or JSON (see [ParseRules]) and are checked before use.
type Rule struct {
	// ID is a stable identifier recorded with every decision ("kev-internet").
	ID string `json:"id"`
	// Description says in words what the rule is for.
	Description string `json:"description,omitempty"`
	// When is the condition; the zero Cond always holds.
	When Cond `json:"when,omitzero"`
	// Decision and Priority are the outcome.
	Decision Decision `json:"decision"`
	Priority Priority `json:"priority,omitempty"`
	// SLA is the time allowed; zero means no due date.
	SLA time.Duration `json:"sla,omitempty"`
	// Due chooses how the due date is set; see DueFrom.
	Due DueFrom `json:"due,omitempty"`
	// Route is who is told: RouteOwner or "" for the component's owner, or
	// the ID of a person or team in the register.
	Route string `json:"route,omitempty"`
}

// RuleError reports a problem with one rule.
type RuleError struct {
	Index  int
	RuleID string
	// Path locates the problem inside the rule ("when.all[1]"); empty for
	// the rule as a whole.
	Path string
	Err  error
}

// Error implements the error interface.
func (e *RuleError) Error() string {
	where := fmt.Sprintf("rules[%d]", e.Index)
	if e.RuleID != "" {
		where += " (" + e.RuleID + ")"
	}
	if e.Path != "" {
		where += " " + e.Path
	}
	return fmt.Sprintf("triage: %s: %v", where, e.Err)
}

// Unwrap returns the underlying error, for errors.Is and errors.As.
func (e *RuleError) Unwrap() error { return e.Err }

// compiledRule is a rule with its condition compiled.
type compiledRule struct {
	Rule
	cond *ccond
}

// CompileRules checks rules and returns them compiled, or every problem at
// once: each is a *RuleError, joined with errors.Join.
func compileRules(rules []Rule) ([]compiledRule, error) {
	var errs []error
	seen := map[string]int{}
	out := make([]compiledRule, len(rules))
	for i, r := range rules {
		bad := func(path, format string, args ...any) {
			errs = append(errs, &RuleError{Index: i, RuleID: r.ID, Path: path, Err: fmt.Errorf(format, args...)})
		}
		switch j, dup := seen[r.ID]; {
		case strings.TrimSpace(r.ID) == "":
			bad("", "missing id")
		case dup:
			bad("", "duplicate id %q (first used by rules[%d])", r.ID, j)
		default:
			seen[r.ID] = i
		}
		if !r.Decision.Valid() {
			bad("decision", "%q is not one of actionable, informational, not_applicable", r.Decision)
		}
		if !r.Priority.Valid() {
			bad("priority", "%q is not one of P1, P2, P3, P4", r.Priority)
		}
		if r.SLA < 0 {
			bad("sla", "negative SLA %s", r.SLA)
		}
		if r.Due != DueFromSLA && r.Due != DueFromKEV {
			bad("due", "%q is not one of sla, kev", r.Due)
		}
		if r.Due == DueFromKEV && r.SLA <= 0 {
			bad("due", "due: kev needs an sla too (used when the KEV due date is past or absent)")
		}
		var cerrs []condError
		c := compileCond(&r.When, "when", &cerrs)
		for _, ce := range cerrs {
			bad(ce.path, "%s", ce.msg)
		}
		out[i] = compiledRule{Rule: r, cond: c}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// ValidateRules checks rules as the engine would and returns every problem
// at once (each a *RuleError, joined).
func ValidateRules(rules []Rule) error {
	_, err := compileRules(rules)
	return err
}

// DefaultRules returns sigwatch's starting rule set, tried per matched
// component. The SLAs follow common practice for exploited vulnerabilities
// (CISA BOD 22-01 gives federal agencies two weeks for new KEV entries) and
// are meant to be tuned; they are a rule file's starting point, see
// [ParseRules].
func DefaultRules() []Rule {
	day := 24 * time.Hour
	counted := Is("matched", true)
	return []Rule{
		{ID: "withdrawn", Description: "The publisher withdrew the advisory",
			When: Is("withdrawn", true), Decision: DecisionNotApplicable},
		{ID: "version-not-affected", Description: "A component matches, but its version is not affected or already fixed",
			When: In("status", string(VerdictNotAffected), string(VerdictFixed)), Decision: DecisionNotApplicable},
		{ID: "text-mention", Description: "Only a free-text mention: a person must confirm the component is concerned",
			When: All(counted, Is("confidence", "text")), Decision: DecisionInformational, Priority: P4, SLA: 7 * day},
		{ID: "kev-internet", Description: "Exploited in the wild and reachable from the internet",
			When:     All(Is("kev", true), counted, Is("exposure", "internet"), Test("strength", OpGte, "medium")),
			Decision: DecisionActionable, Priority: P1, SLA: 3 * day, Due: DueFromKEV},
		{ID: "kev-ransomware", Description: "Exploited in the wild and used by ransomware crews",
			When:     All(Is("kev", true), Is("ransomware", true), counted, Test("strength", OpGte, "medium")),
			Decision: DecisionActionable, Priority: P1, SLA: 7 * day, Due: DueFromKEV},
		{ID: "kev-critical", Description: "Exploited in the wild on a critical component",
			When:     All(Is("kev", true), counted, Is("criticality", "critical"), Test("strength", OpGte, "medium")),
			Decision: DecisionActionable, Priority: P1, SLA: 7 * day, Due: DueFromKEV},
		{ID: "kev-matched", Description: "Exploited in the wild and present in the stack",
			When:     All(Is("kev", true), counted, Test("strength", OpGte, "medium")),
			Decision: DecisionActionable, Priority: P2, SLA: 14 * day, Due: DueFromKEV},
		{ID: "ssvc-immediate", Description: "SSVC deployer decision is immediate or out-of-cycle (active exploitation reported by CISA)",
			When:     All(counted, Test("ssvc.decision", OpGte, string(SSVCOutOfCycle)), Test("strength", OpGte, "medium")),
			Decision: DecisionActionable, Priority: P2, SLA: 14 * day},
		{ID: "critical-internet", Description: "Critical severity on an internet-facing component",
			When: All(counted, Is("exposure", "internet"), Test("strength", OpGte, "medium"),
				Any(Test("cvss", OpGte, 9.0), Is("severity", "critical"))),
			Decision: DecisionActionable, Priority: P2, SLA: 14 * day},
		{ID: "vendor-only", Description: "Only the vendor matches: confirm whether the product is in use",
			When: All(counted, Is("strength", "low")), Decision: DecisionInformational, Priority: P4, SLA: 14 * day},
		{ID: "matched", Description: "Present in the stack",
			When: counted, Decision: DecisionActionable, Priority: P3, SLA: 30 * day},
		{ID: "no-match", Description: "Nothing in the stack matches",
			Decision: DecisionNotApplicable},
	}
}
