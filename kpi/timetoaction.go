package kpi

import (
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/triage"
)

// TimeToActionID identifies the definition TimeToAction implements.
const TimeToActionID = "kpi.time-to-action/v1"

// TimeToActionDefinition is the exact definition of KPI 5.
const TimeToActionDefinition = "Over actionable advisories closed in the period [p0, p1) and no later than the as-of " +
	"instant t (state closed with decision actionable; a rejection is not an action): delta = closed_at - " +
	"triaged_at, where triaged_at is the first triage decision. Reports n, median and p90 (nearest rank on the " +
	"sorted deltas), max, and the value: the percentage of the n closed within the action SLA (n/a when n = 0). " +
	"The action SLA is met when closed_at <= the case's due date if it has one, otherwise when delta <= the " +
	"default action SLA (30 days unless configured); an SLA exception does not turn a late closure into one " +
	"within SLA. Also reported: every actionable advisory open at t (not closed or rejected by t) that is past " +
	"its due date at t with no SLA exception running at t, and separately those past due but under an " +
	"exception. Cases sharing an identifier count once: triaged_at is the earliest triage and closed_at the " +
	"earliest closure."

// DefaultActionSLA is the action SLA of an actionable case with no due date: 30 days.
const DefaultActionSLA = 30 * 24 * time.Hour

// Reasons a closed actionable advisory is not in the time-to-action denominator.
const (
	ReasonClosedAfterAsOf     = "closed-after-as-of"    // closed in the period but after t
	ReasonNoTriageTime        = "no-triage-time"        // closed actionable but no triaged_at recorded
	ReasonClosedBeforeTriaged = "closed-before-triaged" // closed_at < triaged_at: inconsistent data
)

// ActionSLA configures the time-to-action SLA. Nil or zero fields take the
// documented defaults.
type ActionSLA struct {
	// Default applies to cases without a due date (and to every case when
	// IgnoreDue is set). Optional: 0 means DefaultActionSLA (30 days).
	Default time.Duration
	// IgnoreDue measures every case against Default instead of its due
	// date. Optional: false means a case's due date, when set, is its SLA.
	IgnoreDue bool
}

// ActionSLAPolicy is the action SLA configuration a result was computed
// with, defaults filled in.
type ActionSLAPolicy struct {
	Default Duration `json:"default_seconds"`
	UseDue  bool     `json:"use_due_date"`
}

func (o *ActionSLA) policy() ActionSLAPolicy {
	if o == nil {
		o = &ActionSLA{}
	}
	d := o.Default
	if d <= 0 {
		d = DefaultActionSLA
	}
	return ActionSLAPolicy{Default: Duration(d), UseDue: !o.IgnoreDue}
}

// TimeToActionResult is KPI 5. Value is the percentage of actionable
// advisories closed in the period within their action SLA: Numerator of
// Denominator (= N).
type TimeToActionResult struct {
	Measure
	Period Period          `json:"period"`
	SLA    ActionSLAPolicy `json:"sla"`
	// N is the number of deltas; Median, P90 and Max are nil when N is 0.
	N      int       `json:"n"`
	Median *Duration `json:"median_seconds"`
	P90    *Duration `json:"p90_seconds"`
	Max    *Duration `json:"max_seconds"`
	// WithinSLA counts the closures within their action SLA (the numerator).
	WithinSLA int `json:"within_sla"`
	// Overdue lists every actionable advisory open at t, past its due date
	// and with no exception running at t, whatever its period, most
	// overdue first.
	Overdue []OverdueItem `json:"overdue"`
	// UnderException lists the actionable advisories open at t and past their
	// due date that an SLA exception keeps from being overdue.
	UnderException []OverdueItem `json:"under_exception"`
}

// OverdueItem is an open actionable advisory past its due date at t.
type OverdueItem struct {
	Case  string    `json:"case"`
	Title string    `json:"title"`
	Owner string    `json:"owner"`
	Due   time.Time `json:"due"`
	// PastDue is t - due.
	PastDue Duration `json:"past_due_seconds"`
	// ExceptionUntil is the expiry of the exception running at t, if any.
	ExceptionUntil time.Time `json:"exception_until,omitzero"`
}

// TimeToAction computes KPI 5 for the period p at the instant asOf with the
// action SLA in opts (nil: defaults).
//
// "Actionable" is the case's current decision: intake does not re-triage a
// closed case, so for a closed case it is the decision it was closed under.
// The due date is the case's current one. For the overdue list the case is
// taken as it stood at asOf: a case closed or rejected after asOf was open
// at asOf, a case first triaged after asOf is left out, and the exception
// is the latest one granted at or before asOf (from the case's exception
// events; a case without them keeps its recorded exception unless it was
// granted after asOf). [intake.Case.Overdue] then decides, so an exception
// running at asOf keeps a case off the list.
func TimeToAction(cases []intake.Case, p Period, asOf time.Time, opts *ActionSLA) TimeToActionResult {
	asOf = asOf.UTC()
	p = Period{Start: p.Start.UTC(), End: p.End.UTC()}
	pol := opts.policy()
	res := TimeToActionResult{
		Measure: Measure{KPI: 5, ID: TimeToActionID, Name: "Time to action",
			Definition: TimeToActionDefinition, AsOf: asOf, Unit: UnitPercent},
		Period: p, SLA: pol, Overdue: []OverdueItem{}, UnderException: []OverdueItem{},
	}
	excl := exclusions{}
	var deltas []time.Duration
	members := casesByID(cases)
	for _, a := range mergeCases(cases, asOf) {
		ms := members.of(a.members)
		first, triagedAt := firstTriaged(ms)

		// The earliest actionable closure of the advisory.
		var closer *intake.Case
		for _, c := range ms {
			if c.State == intake.StateClosed && c.Decision == triage.DecisionActionable && !c.ClosedAt.IsZero() &&
				(closer == nil || c.ClosedAt.Before(closer.ClosedAt) || (c.ClosedAt.Equal(closer.ClosedAt) && c.ID < closer.ID)) {
				closer = c
			}
		}
		if closer != nil && p.Contains(closer.ClosedAt.UTC()) {
			closedAt := closer.ClosedAt.UTC()
			others := slices.Clone(a.members)
			others = slices.Delete(others, slices.Index(others, closer.ID), slices.Index(others, closer.ID)+1)
			for _, id := range others {
				excl.add(ReasonDuplicate, id)
			}
			switch {
			case closedAt.After(asOf):
				excl.add(ReasonClosedAfterAsOf, closer.ID)
			case first == nil:
				excl.add(ReasonNoTriageTime, closer.ID)
			case closedAt.Before(triagedAt):
				excl.add(ReasonClosedBeforeTriaged, closer.ID)
			default:
				d := closedAt.Sub(triagedAt)
				deltas = append(deltas, d)
				within := d <= pol.Default.Std()
				if pol.UseDue && !closer.Due.IsZero() {
					within = !closedAt.After(closer.Due.UTC())
				}
				if within {
					res.WithinSLA++
				}
			}
		}

		// Open at t and past due?
		done := false
		for _, c := range ms {
			if !c.State.Open() && !c.ClosedAt.IsZero() && !c.ClosedAt.After(asOf) {
				done = true
			}
		}
		if done {
			continue
		}
		var over, excepted *OverdueItem
		for _, c := range ms {
			if c.Decision != triage.DecisionActionable || c.TriagedAt.IsZero() || c.TriagedAt.After(asOf) ||
				c.Due.IsZero() || !asOf.After(c.Due) {
				continue
			}
			at, ok := c.At(asOf)
			if !ok {
				continue // not received by asOf
			}
			item := OverdueItem{Case: a.id, Title: a.title, Owner: c.Owner, Due: c.Due.UTC(), PastDue: Duration(asOf.Sub(c.Due))}
			if at.Overdue(asOf) {
				if over == nil || item.Due.Before(over.Due) {
					over = &item
				}
			} else if at.Exception != nil {
				item.ExceptionUntil = at.Exception.Until.UTC()
				if excepted == nil || item.Due.Before(excepted.Due) {
					excepted = &item
				}
			}
		}
		switch {
		case over != nil:
			res.Overdue = append(res.Overdue, *over)
		case excepted != nil:
			res.UnderException = append(res.UnderException, *excepted)
		}
	}
	byPastDue := func(x, y OverdueItem) int {
		if c := y.PastDue - x.PastDue; c != 0 {
			if c > 0 {
				return 1
			}
			return -1
		}
		return strings.Compare(x.Case, y.Case)
	}
	slices.SortFunc(res.Overdue, byPastDue)
	slices.SortFunc(res.UnderException, byPastDue)
	res.N, res.Median, res.P90, res.Max = spread(deltas)
	res.Numerator, res.Denominator = res.WithinSLA, res.N
	res.Value = percent(res.WithinSLA, res.N)
	res.Exclusions, res.Excluded = excl.list()
	res.InputHash = hashInputs(struct {
		Definition string          `json:"definition"`
		AsOf       time.Time       `json:"as_of"`
		Period     Period          `json:"period"`
		SLA        ActionSLAPolicy `json:"sla"`
		Cases      []actionInput   `json:"cases"`
	}{TimeToActionID, asOf, p, pol, actionInputs(cases)})
	return res
}

// actionInput is the part of a case KPI 5 reads, as hashed.
type actionInput struct {
	ID         string      `json:"id"`
	Keys       []string    `json:"keys"`
	Received   time.Time   `json:"received_at"`
	Title      string      `json:"title"`
	Owner      string      `json:"owner"`
	Decision   string      `json:"decision"`
	State      string      `json:"state"`
	TriagedAt  time.Time   `json:"triaged_at"`
	ClosedAt   time.Time   `json:"closed_at"`
	Due        time.Time   `json:"due"`
	Exceptions []time.Time `json:"exceptions"` // granted at, until; pairs
}

func actionInputs(cases []intake.Case) []actionInput {
	out := make([]actionInput, 0, len(cases))
	for i := range cases {
		c := &cases[i]
		in := actionInput{ID: c.ID, Keys: sortedKeys(c.Keys), Received: c.ReceivedAt().UTC(), Title: c.Advisory.Title,
			Owner: c.Owner, Decision: string(c.Decision), State: string(c.State), TriagedAt: c.TriagedAt.UTC(),
			ClosedAt: c.ClosedAt.UTC(), Due: c.Due.UTC(), Exceptions: []time.Time{}}
		if c.Exception != nil {
			in.Exceptions = append(in.Exceptions, c.Exception.At.UTC(), c.Exception.Until.UTC())
		}
		for _, e := range c.Events {
			if e.Kind == intake.EventException {
				in.Exceptions = append(in.Exceptions, e.At.UTC(), e.Until.UTC())
			}
		}
		out = append(out, in)
	}
	slices.SortStableFunc(out, func(a, b actionInput) int {
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return a.Received.Compare(b.Received)
	})
	return out
}
