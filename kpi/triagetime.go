package kpi

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
)

// ReceiptToTriageID identifies the definition ReceiptToTriage implements.
const ReceiptToTriageID = "kpi.receipt-to-triage/v1"

// ReceiptToTriageDefinition is the exact definition of KPI 3.
const ReceiptToTriageDefinition = "Over advisories first received in the period [p0, p1) and no later than the as-of " +
	"instant t: delta = triaged_at - received_at, where received_at is the earliest receipt (for a manual receipt " +
	"the asserted time, flagged manual) and triaged_at is the first triage decision, counted only when at or " +
	"before t. Reports n, median and p90 (nearest rank on the sorted deltas; the median is the 50th percentile), " +
	"max, and the value: the percentage of the n with delta <= SLA (n/a when n = 0). The SLA of an advisory is " +
	"the shortest that applies of: the default, the KEV-listed SLA, the critical-severity SLA and an override " +
	"for the source of its first receipt. Untriaged backlog: every advisory received at any time with " +
	"t - received_at >= SLA that has no triage decision at t and was not rejected by t; it is reported in full, " +
	"never dropped. Cases sharing an identifier count once, on the earliest receipt."

// Default SLAs for receipt-to-triage.
const (
	// DefaultTriageSLA applies to advisories no shorter SLA covers: 72 hours
	// (three days, so a Friday-evening advisory is triaged by Monday).
	DefaultTriageSLA = 72 * time.Hour
	// DefaultKEVTriageSLA applies to advisories CISA KEV lists as exploited
	// in the wild: 24 hours.
	DefaultKEVTriageSLA = 24 * time.Hour
	// DefaultCriticalTriageSLA applies to advisories the publisher rates
	// critical: 24 hours.
	DefaultCriticalTriageSLA = 24 * time.Hour
)

// Reasons a case is not in the receipt-to-triage denominator.
const (
	ReasonDuplicate             = "duplicate"               // shares an identifier with an earlier-received case
	ReasonNoReceipt             = "no-receipt"              // has no receipt, so no received_at
	ReasonReceivedAfterAsOf     = "received-after-as-of"    // first receipt in the period but after t
	ReasonUntriagedPastSLA      = "untriaged-past-sla"      // untriaged at t, t - received_at >= SLA (in the backlog)
	ReasonUntriagedWithinSLA    = "untriaged-within-sla"    // untriaged at t, still inside its SLA
	ReasonRejectedBeforeTriage  = "rejected-before-triage"  // rejected by t without a triage decision
	ReasonTriagedBeforeReceived = "triaged-before-received" // triaged_at < received_at: inconsistent data
)

// TriageSLA configures the receipt-to-triage SLA. Nil or zero fields take the
// documented defaults. An advisory's SLA is the shortest of those that apply,
// so an override can only tighten: to switch the KEV or critical SLA off, set
// it to Default or longer.
type TriageSLA struct {
	// Default applies to every advisory. Optional: 0 means DefaultTriageSLA (72h).
	Default time.Duration
	// KEV applies to KEV-listed advisories. Optional: 0 means DefaultKEVTriageSLA (24h).
	KEV time.Duration
	// Critical applies to advisories with severity critical. Optional: 0
	// means DefaultCriticalTriageSLA (24h).
	Critical time.Duration
	// BySource applies to advisories whose first receipt came through the
	// named feeds.Source ("cisa-kev", "manual"). Optional; values ≤ 0 are ignored.
	BySource map[string]time.Duration
}

// SLAPolicy is the SLA configuration a result was computed with, defaults filled in.
type SLAPolicy struct {
	Default  Duration            `json:"default_seconds"`
	KEV      Duration            `json:"kev_seconds"`
	Critical Duration            `json:"critical_seconds"`
	BySource map[string]Duration `json:"by_source_seconds"`
}

func (o *TriageSLA) policy() SLAPolicy {
	if o == nil {
		o = &TriageSLA{}
	}
	or := func(d, def time.Duration) Duration {
		if d <= 0 {
			return Duration(def)
		}
		return Duration(d)
	}
	p := SLAPolicy{Default: or(o.Default, DefaultTriageSLA), KEV: or(o.KEV, DefaultKEVTriageSLA),
		Critical: or(o.Critical, DefaultCriticalTriageSLA), BySource: map[string]Duration{}}
	for src, d := range o.BySource {
		if d > 0 {
			p.BySource[src] = Duration(d)
		}
	}
	return p
}

// sla returns the SLA of one advisory.
func (p *SLAPolicy) sla(kev, critical bool, source string) time.Duration {
	d := p.Default
	if kev {
		d = min(d, p.KEV)
	}
	if critical {
		d = min(d, p.Critical)
	}
	if s, ok := p.BySource[source]; ok {
		d = min(d, s)
	}
	return d.Std()
}

// ReceiptToTriageResult is KPI 3. Value is the percentage of triaged
// advisories triaged within their SLA: Numerator of Denominator (= N).
type ReceiptToTriageResult struct {
	Measure
	Period Period    `json:"period"`
	SLA    SLAPolicy `json:"sla"`
	// Received counts the distinct advisories first received in the period
	// at or before t; Manual of them arrived by a manual receipt.
	Received    int      `json:"received"`
	Manual      int      `json:"manual"`
	ManualCases []string `json:"manual_cases"`
	// N is the number of deltas (advisories received in the period and
	// triaged by t); Median, P90 and Max are nil when N is 0 (n/a).
	N      int       `json:"n"`
	Median *Duration `json:"median_seconds"`
	P90    *Duration `json:"p90_seconds"`
	Max    *Duration `json:"max_seconds"`
	// WithinSLA counts the deltas ≤ their SLA (the numerator).
	WithinSLA int `json:"within_sla"`
	// Backlog lists every advisory received with t - received_at ≥ SLA and
	// still untriaged at t, from any period, oldest first.
	Backlog []BacklogItem `json:"backlog"`
	// BacklogInPeriod counts the backlog items received in the period.
	BacklogInPeriod int `json:"backlog_in_period"`
	// OutsidePeriod counts distinct advisories received at or before t but
	// outside the period (they feed the backlog only).
	OutsidePeriod int `json:"outside_period"`
}

// BacklogItem is one advisory past its triage SLA and still untriaged at t.
type BacklogItem struct {
	Case       string    `json:"case"`
	Title      string    `json:"title"`
	Source     string    `json:"source"`
	ReceivedAt time.Time `json:"received_at"`
	// Age is t - received_at.
	Age      Duration `json:"age_seconds"`
	SLA      Duration `json:"sla_seconds"`
	KEV      bool     `json:"kev"`
	Manual   bool     `json:"manual"`
	InPeriod bool     `json:"in_period"`
}

// advisory is one upstream vulnerability after merging cases that share an
// identifier.
type advisory struct {
	id         string
	title      string
	members    []string // every case ID merged into it
	received   time.Time
	source     string
	manual     bool
	triaged    time.Time // first triage at or before t; zero if none
	rejected   bool      // rejected by t
	kev        bool
	critical   bool
	noReceipts bool
}

// ReceiptToTriage computes KPI 3 for the period p at the instant asOf with
// the SLA in opts (nil: defaults).
//
// Scope: the time figures cover advisories whose earliest receipt is in
// [p.Start, p.End) and at or before asOf. The backlog covers every case
// received at or before asOf - SLA, whatever its period, because an
// advisory received last quarter and still untriaged is this quarter's
// problem. A triage or rejection recorded after asOf is ignored, so a report
// for a past asOf can be reproduced from today's data. A case rejected
// without a triage decision is no longer waiting for triage: it is excluded
// from the time figures and is not in the backlog.
//
// Duplicates: cases sharing an ID or key (cases from different stores, or a
// list with one case twice) are merged and counted once, with received_at
// the earliest receipt and triaged_at the earliest triage at or before asOf.
func ReceiptToTriage(cases []intake.Case, p Period, asOf time.Time, opts *TriageSLA) ReceiptToTriageResult {
	asOf = asOf.UTC()
	p = Period{Start: p.Start.UTC(), End: p.End.UTC()}
	pol := opts.policy()
	res := ReceiptToTriageResult{
		Measure: Measure{KPI: 3, ID: ReceiptToTriageID, Name: "Receipt-to-triage time",
			Definition: ReceiptToTriageDefinition, AsOf: asOf, Unit: UnitPercent},
		Period: p, SLA: pol, ManualCases: []string{}, Backlog: []BacklogItem{},
	}
	excl := exclusions{}
	var deltas []time.Duration
	for _, a := range mergeCases(cases, asOf) {
		if a.noReceipts {
			for _, id := range a.members {
				excl.add(ReasonNoReceipt, id)
			}
			continue
		}
		inPeriod := p.Contains(a.received)
		if inPeriod {
			for _, id := range a.members[1:] {
				excl.add(ReasonDuplicate, id)
			}
		}
		if a.received.After(asOf) {
			if inPeriod {
				excl.add(ReasonReceivedAfterAsOf, a.id)
			}
			continue
		}
		if !inPeriod {
			res.OutsidePeriod++
		}
		sla := pol.sla(a.kev, a.critical, a.source)
		untriaged := a.triaged.IsZero() && !a.rejected
		age := asOf.Sub(a.received)
		if untriaged && age >= sla {
			res.Backlog = append(res.Backlog, BacklogItem{Case: a.id, Title: a.title, Source: a.source,
				ReceivedAt: a.received, Age: Duration(age), SLA: Duration(sla),
				KEV: a.kev, Manual: a.manual, InPeriod: inPeriod})
			if inPeriod {
				res.BacklogInPeriod++
			}
		}
		if !inPeriod {
			continue
		}
		res.Received++
		if a.manual {
			res.Manual++
			res.ManualCases = append(res.ManualCases, a.id)
		}
		switch {
		case untriaged && age >= sla:
			excl.add(ReasonUntriagedPastSLA, a.id)
		case untriaged:
			excl.add(ReasonUntriagedWithinSLA, a.id)
		case a.triaged.IsZero(): // rejected by t, never triaged
			excl.add(ReasonRejectedBeforeTriage, a.id)
		case a.triaged.Before(a.received):
			excl.add(ReasonTriagedBeforeReceived, a.id)
		default:
			d := a.triaged.Sub(a.received)
			deltas = append(deltas, d)
			if d <= sla {
				res.WithinSLA++
			}
		}
	}
	slices.Sort(res.ManualCases)
	slices.SortFunc(res.Backlog, func(x, y BacklogItem) int {
		if c := x.ReceivedAt.Compare(y.ReceivedAt); c != 0 {
			return c
		}
		return strings.Compare(x.Case, y.Case)
	})
	res.N, res.Median, res.P90, res.Max = spread(deltas)
	res.Numerator, res.Denominator = res.WithinSLA, res.N
	res.Value = percent(res.WithinSLA, res.N)
	res.Exclusions, res.Excluded = excl.list()
	res.InputHash = hashInputs(struct {
		Definition string      `json:"definition"`
		AsOf       time.Time   `json:"as_of"`
		Period     Period      `json:"period"`
		SLA        SLAPolicy   `json:"sla"`
		Cases      []caseInput `json:"cases"`
	}{ReceiptToTriageID, asOf, p, pol, caseInputs(cases)})
	return res
}

// mergeCases groups cases that share an ID or key, and summarises each group
// as it stood at asOf. Groups come back ordered by ID.
func mergeCases(cases []intake.Case, asOf time.Time) []advisory {
	// Union-find over case indexes, joined through shared identifiers.
	parent := make([]int, len(cases))
	for i := range parent {
		parent[i] = i
	}
	//lint:ignore S1021 find is recursive: it must be declared before it is assigned
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	owner := map[string]int{}
	for i := range cases {
		for _, k := range append([]string{cases[i].ID}, cases[i].Keys...) {
			k = strings.ToUpper(strings.TrimSpace(k))
			if k == "" {
				continue
			}
			if j, ok := owner[k]; ok {
				if ri, rj := find(i), find(j); ri != rj {
					parent[max(ri, rj)] = min(ri, rj)
				}
			} else {
				owner[k] = i
			}
		}
	}
	groups := map[int][]int{}
	for i := range cases {
		r := find(i)
		groups[r] = append(groups[r], i)
	}
	out := make([]advisory, 0, len(groups))
	for _, root := range slices.Sorted(maps.Keys(groups)) {
		idx := groups[root]
		// The representative is the earliest-received case; cases without
		// receipts sort last; ties go to the smaller ID.
		slices.SortStableFunc(idx, func(x, y int) int {
			cx, cy := &cases[x], &cases[y]
			rx, ry := cx.ReceivedAt(), cy.ReceivedAt()
			switch {
			case rx.IsZero() != ry.IsZero():
				if rx.IsZero() {
					return 1
				}
				return -1
			case !rx.Equal(ry):
				return rx.Compare(ry)
			}
			return strings.Compare(cx.ID, cy.ID)
		})
		rep := &cases[idx[0]]
		a := advisory{id: rep.ID, title: rep.Advisory.Title}
		if r, ok := rep.FirstReceipt(); ok && !r.ReceivedAt.IsZero() {
			a.received, a.source, a.manual = r.ReceivedAt.UTC(), r.Source, r.Manual
		} else {
			a.noReceipts = true
		}
		for _, i := range idx {
			c := &cases[i]
			a.members = append(a.members, c.ID)
			if t := c.TriagedAt; !t.IsZero() && !t.After(asOf) && (a.triaged.IsZero() || t.Before(a.triaged)) {
				a.triaged = t.UTC()
			}
			if c.State == intake.StateRejected && !c.ClosedAt.IsZero() && !c.ClosedAt.After(asOf) {
				a.rejected = true
			}
			a.kev = a.kev || c.Advisory.KEVListed()
			a.critical = a.critical || c.Advisory.Severity == feeds.SeverityCritical
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(x, y advisory) int { return strings.Compare(x.id, y.id) })
	return out
}

// caseInput is the part of a case KPI 3 reads, as hashed.
type caseInput struct {
	ID        string    `json:"id"`
	Keys      []string  `json:"keys"`
	Source    string    `json:"source"`
	Received  time.Time `json:"received_at"`
	Manual    bool      `json:"manual"`
	TriagedAt time.Time `json:"triaged_at"`
	State     string    `json:"state"`
	ClosedAt  time.Time `json:"closed_at"`
	KEV       bool      `json:"kev"`
	Severity  string    `json:"severity"`
	Title     string    `json:"title"`
}

func caseInputs(cases []intake.Case) []caseInput {
	out := make([]caseInput, 0, len(cases))
	for i := range cases {
		c := &cases[i]
		keys := slices.Clone(c.Keys)
		slices.Sort(keys)
		in := caseInput{ID: c.ID, Keys: keys, TriagedAt: c.TriagedAt.UTC(), State: string(c.State),
			ClosedAt: c.ClosedAt.UTC(), KEV: c.Advisory.KEVListed(), Severity: string(c.Advisory.Severity),
			Title: c.Advisory.Title}
		if r, ok := c.FirstReceipt(); ok {
			in.Source, in.Received, in.Manual = r.Source, r.ReceivedAt.UTC(), r.Manual
		}
		out = append(out, in)
	}
	slices.SortStableFunc(out, func(a, b caseInput) int {
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return a.Received.Compare(b.Received)
	})
	return out
}
