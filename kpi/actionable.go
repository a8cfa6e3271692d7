package kpi

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// ActionableItemsID identifies the definition ActionableItems implements.
const ActionableItemsID = "kpi.actionable-items/v1"

// ActionableItemsDefinition is the exact definition of KPI 2.
const ActionableItemsDefinition = "Count of advisories whose first triage decision was made in the period [p0, p1), " +
	"no later than the as-of instant t, and was actionable; overall, by register group (the group of the " +
	"advisory's earliest receipt) and by that group's kind. The first triage decision is the decision word that " +
	"opens the note of the case's first transition to triaged in its history; a case with no triage transition " +
	"in its history is taken at its current decision and listed under decision_from_current. Companion: the " +
	"actionable rate = actionable / all advisories first triaged in the period (n/a when none). A later " +
	"re-triage, rejection or closure does not change the first decision. Cases sharing an identifier count " +
	"once: the group is that of the earliest receipt and the decision that of the earliest triage."

// Reasons an advisory is not in the actionable-items denominator.
const (
	ReasonTriagedAfterAsOf   = "triaged-after-as-of" // first triage in the period but after t
	ReasonDecisionUnreadable = "decision-unreadable" // first triage event's note has no known decision word
	ReasonNoDecision         = "no-decision"         // no triage event and no current decision
)

// Group and kind names for advisories no register group can be named for.
const (
	// UnattributedGroup is the group of advisories whose earliest receipt
	// names no register group.
	UnattributedGroup = "(none)"
	// KindUnregistered is the kind of UnattributedGroup and of groups a
	// receipt names that are not in the register.
	KindUnregistered register.Kind = "unregistered"
)

// ActionableItemsResult is KPI 2. Value and Numerator count the actionable
// advisories; Denominator counts the advisories first triaged in the period.
type ActionableItemsResult struct {
	Measure
	Period Period `json:"period"`
	// Rate is the actionable rate, Numerator ÷ Denominator × 100; nil (n/a)
	// when nothing was first triaged in the period.
	Rate *float64 `json:"actionable_rate"`
	// ByGroup has one row per register group (every group in the register,
	// so silent groups show 0) and per other group a receipt names, sorted
	// by group ID; UnattributedGroup collects receipts that name none.
	ByGroup []GroupActionable `json:"by_group"`
	// ByKind has one row per group kind that appears in ByGroup, sorted.
	ByKind []KindActionable `json:"by_kind"`
	// Actionable are the counted advisories (case IDs), sorted.
	Actionable []string `json:"actionable"`
	// DecisionFromCurrent are advisories counted at their current decision
	// because their history holds no triage transition, sorted.
	DecisionFromCurrent []string `json:"decision_from_current"`
}

// GroupActionable is KPI 2 for one register group.
type GroupActionable struct {
	Group string        `json:"group"`
	Kind  register.Kind `json:"kind"`
	// Actionable of Triaged advisories first triaged in the period had an
	// actionable first decision; Rate is nil when Triaged is 0.
	Actionable int      `json:"actionable"`
	Triaged    int      `json:"triaged"`
	Rate       *float64 `json:"actionable_rate"`
}

// KindActionable is KPI 2 for one group kind.
type KindActionable struct {
	Kind       register.Kind `json:"kind"`
	Actionable int           `json:"actionable"`
	Triaged    int           `json:"triaged"`
	Rate       *float64      `json:"actionable_rate"`
}

// ActionableItems computes KPI 2 for the period p at the instant asOf. A nil
// register is an empty one: every group a receipt names is then unregistered.
//
// What it relies on: [intake.Case.TriagedAt] is the time of the first triage
// decision, and intake records every triage decision as a state transition
// to triaged whose note begins with the decision word ("actionable by rule
// kev-internet (P1)"); [intake.Case.Decision] holds only the latest one. So
// the first decision is read from the first such event. Without any triage
// transition in the history (a case built or imported without its events),
// the current decision is used and the case is listed in
// DecisionFromCurrent; a first event whose note names no known decision is
// excluded as decision-unreadable rather than guessed.
func ActionableItems(reg *register.Register, cases []intake.Case, p Period, asOf time.Time) ActionableItemsResult {
	if reg == nil {
		reg = &register.Register{}
	}
	asOf = asOf.UTC()
	p = Period{Start: p.Start.UTC(), End: p.End.UTC()}
	res := ActionableItemsResult{
		Measure: Measure{KPI: 2, ID: ActionableItemsID, Name: "Actionable items",
			Definition: ActionableItemsDefinition, AsOf: asOf, Unit: UnitCount},
		Period: p, ByGroup: []GroupActionable{}, ByKind: []KindActionable{},
		Actionable: []string{}, DecisionFromCurrent: []string{},
	}
	kinds := map[string]register.Kind{}
	rows := map[string]*GroupActionable{}
	for i := range reg.Groups {
		g := &reg.Groups[i]
		if _, ok := kinds[g.ID]; ok {
			continue // a duplicate ID: the first entry's kind stands (as in KPI 1)
		}
		kind := g.Kind
		if kind == "" {
			kind = "unspecified"
		}
		kinds[g.ID] = kind
		rows[g.ID] = &GroupActionable{Group: g.ID, Kind: kind}
	}
	row := func(group string) *GroupActionable {
		if group == "" {
			group = UnattributedGroup
		}
		if r, ok := rows[group]; ok {
			return r
		}
		r := &GroupActionable{Group: group, Kind: KindUnregistered}
		rows[group] = r
		return r
	}

	excl := exclusions{}
	members := casesByID(cases)
	hashed := make([]actionableInput, 0, len(cases))
	for _, a := range mergeCases(cases, asOf) {
		ms := members.of(a.members)
		first, firstAt := firstTriaged(ms)
		for _, c := range ms {
			hashed = append(hashed, actionableInput{ID: c.ID, Keys: sortedKeys(c.Keys), Group: receiptGroup(c),
				Received: c.ReceivedAt().UTC(), TriagedAt: c.TriagedAt.UTC(), Decision: string(c.Decision),
				FirstEvent: firstTriageNote(c)})
		}
		if first == nil || !p.Contains(firstAt) {
			continue // never triaged, or first triaged outside the period
		}
		for _, id := range a.members[1:] {
			excl.add(ReasonDuplicate, id)
		}
		if firstAt.After(asOf) {
			excl.add(ReasonTriagedAfterAsOf, a.id)
			continue
		}
		d, fromCurrent := firstDecision(first)
		switch {
		case d == "" && fromCurrent:
			excl.add(ReasonNoDecision, a.id)
			continue
		case d == "":
			excl.add(ReasonDecisionUnreadable, a.id)
			continue
		}
		if fromCurrent {
			res.DecisionFromCurrent = append(res.DecisionFromCurrent, a.id)
		}
		r := row(representativeGroup(ms, a))
		r.Triaged++
		res.Denominator++
		if d == triage.DecisionActionable {
			r.Actionable++
			res.Numerator++
			res.Actionable = append(res.Actionable, a.id)
		}
	}

	byKind := map[register.Kind]*KindActionable{}
	for _, id := range slices.Sorted(maps.Keys(rows)) {
		r := rows[id]
		r.Rate = percent(r.Actionable, r.Triaged)
		res.ByGroup = append(res.ByGroup, *r)
		k, ok := byKind[r.Kind]
		if !ok {
			k = &KindActionable{Kind: r.Kind}
			byKind[r.Kind] = k
		}
		k.Actionable += r.Actionable
		k.Triaged += r.Triaged
	}
	for _, kind := range slices.Sorted(maps.Keys(byKind)) {
		k := byKind[kind]
		k.Rate = percent(k.Actionable, k.Triaged)
		res.ByKind = append(res.ByKind, *k)
	}
	slices.Sort(res.Actionable)
	slices.Sort(res.DecisionFromCurrent)
	v := float64(res.Numerator)
	res.Value = &v
	res.Rate = percent(res.Numerator, res.Denominator)
	res.Exclusions, res.Excluded = excl.list()

	groups := make([]string, 0, len(kinds))
	for id, k := range kinds {
		groups = append(groups, id+"="+string(k))
	}
	slices.Sort(groups)
	slices.SortStableFunc(hashed, func(a, b actionableInput) int {
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return a.Received.Compare(b.Received)
	})
	res.InputHash = hashInputs(struct {
		Definition string            `json:"definition"`
		AsOf       time.Time         `json:"as_of"`
		Period     Period            `json:"period"`
		Groups     []string          `json:"groups"`
		Cases      []actionableInput `json:"cases"`
	}{ActionableItemsID, asOf, p, groups, hashed})
	return res
}

// actionableInput is the part of a case KPI 2 reads, as hashed.
type actionableInput struct {
	ID         string    `json:"id"`
	Keys       []string  `json:"keys"`
	Group      string    `json:"group"`
	Received   time.Time `json:"received_at"`
	TriagedAt  time.Time `json:"triaged_at"`
	Decision   string    `json:"decision"`
	FirstEvent string    `json:"first_triage_note"`
}

// caseIndex maps case IDs to the cases carrying them.
type caseIndex struct {
	cases []intake.Case
	byID  map[string][]int
}

func casesByID(cases []intake.Case) caseIndex {
	ix := caseIndex{cases: cases, byID: map[string][]int{}}
	for i := range cases {
		ix.byID[cases[i].ID] = append(ix.byID[cases[i].ID], i)
	}
	return ix
}

// of returns every case whose ID is one of ids (a merged advisory's
// members; one ID may stand for several cases), in input order.
func (ix caseIndex) of(ids []string) []*intake.Case {
	var idx []int
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			idx = append(idx, ix.byID[id]...)
		}
	}
	slices.Sort(idx)
	out := make([]*intake.Case, len(idx))
	for i, j := range idx {
		out[i] = &ix.cases[j]
	}
	return out
}

// firstTriaged returns the member with the earliest triage (ties: the
// smaller case ID) and its time; nil when none was triaged.
func firstTriaged(ms []*intake.Case) (*intake.Case, time.Time) {
	var first *intake.Case
	for _, c := range ms {
		if c.TriagedAt.IsZero() {
			continue
		}
		if first == nil || c.TriagedAt.Before(first.TriagedAt) ||
			(c.TriagedAt.Equal(first.TriagedAt) && c.ID < first.ID) {
			first = c
		}
	}
	if first == nil {
		return nil, time.Time{}
	}
	return first, first.TriagedAt.UTC()
}

// firstTriageNote returns the note of the case's first transition to
// triaged, or "" when its history has none.
func firstTriageNote(c *intake.Case) string {
	for _, e := range c.Events {
		if e.Kind == "" && e.To == intake.StateTriaged {
			return e.Note
		}
	}
	return ""
}

// firstDecision reads the case's first triage decision from its history:
// the Decision the triage event records, or — for histories recorded
// before events carried it — the first word of its note ("actionable by
// rule …"). fromCurrent is true when the history has no triage transition
// and the current decision was used; d is "" when neither gives a known
// decision.
func firstDecision(c *intake.Case) (d triage.Decision, fromCurrent bool) {
	for _, e := range c.Events {
		if e.Kind == "" && e.To == intake.StateTriaged {
			if e.Decision.Valid() && e.Decision != "" {
				return e.Decision, false
			}
			word, _, _ := strings.Cut(strings.TrimSpace(e.Note), " ")
			if d := triage.Decision(word); d.Valid() {
				return d, false
			}
			return "", false
		}
	}
	if c.Decision.Valid() {
		return c.Decision, true
	}
	return "", true
}

// representativeGroup is the register group of the merged advisory's
// earliest receipt (the representative case mergeCases chose).
func representativeGroup(ms []*intake.Case, a advisory) string {
	for _, c := range ms {
		if c.ID == a.id && c.ReceivedAt().UTC().Equal(a.received) {
			return receiptGroup(c)
		}
	}
	for _, c := range ms {
		if c.ID == a.id {
			return receiptGroup(c)
		}
	}
	return ""
}

func receiptGroup(c *intake.Case) string {
	if r, ok := c.FirstReceipt(); ok {
		return r.Group
	}
	return ""
}

func sortedKeys(keys []string) []string {
	k := slices.Clone(keys)
	slices.Sort(k)
	return k
}
