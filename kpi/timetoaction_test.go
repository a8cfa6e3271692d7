package kpi_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/triage"
)

// acted builds an actionable case triaged at tri, closed at closed (zero:
// still open, assigned) with due date due (zero: none).
func acted(id string, tri, closed, due time.Time, opts ...func(*intake.Case)) intake.Case {
	c := intake.Case{ID: id, Keys: []string{id}, State: intake.StateAssigned, Decision: triage.DecisionActionable,
		Owner: "netops", TriagedAt: tri, Due: due, Advisory: intakeAdvisory(id),
		Receipts: []intake.Receipt{{Source: "feed", AdvisoryID: id, ReceivedAt: tri}}}
	if !closed.IsZero() {
		c.State, c.ClosedAt = intake.StateClosed, closed
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func excepted(at, until time.Time) func(*intake.Case) {
	return func(c *intake.Case) {
		c.Exception = &intake.Exception{Reason: "vendor fix pending", Until: until, By: "ciso", At: at}
		c.Events = append(c.Events, intake.Event{At: at, Kind: intake.EventException, From: c.State, To: c.State,
			Actor: "ciso", Note: "vendor fix pending", Until: until})
	}
}

func TestTimeToActionHandDerived(t *testing.T) {
	none := time.Time{}
	asOf := ts(1, 10, 0, 0, 0) // 2027-01-10T00:00Z, after the period
	cases := []intake.Case{
		// T1: closed exactly at p0 (in); Δ = 10-01 − 09-25 = 6d; no due → 30d → within.
		acted("T1", ts(9, 25, 0, 0, 0), ts(10, 1, 0, 0, 0), none),
		// T2: closed exactly at p1: out of the period.
		acted("T2", ts(12, 1, 0, 0, 0), ts(1, 1, 0, 0, 0), none),
		// T3: Δ 10d, but closed 10-20 after its due 10-17 → missed.
		acted("T3", ts(10, 10, 0, 0, 0), ts(10, 20, 0, 0, 0), ts(10, 17, 0, 0, 0)),
		// T4: no due, Δ = 11-19 − 10-10 = 40d > 30d → missed.
		acted("T4", ts(10, 10, 0, 0, 0), ts(11, 19, 0, 0, 0), none),
		// T5: closed exactly at its due → within; Δ 4d.
		acted("T5", ts(11, 1, 0, 0, 0), ts(11, 5, 0, 0, 0), ts(11, 5, 0, 0, 0)),
		// T6 and its duplicate from another source: triaged_at the earliest
		// (GHSA 11-09T12:00), closed_at the earliest (CVE 11-12) → Δ 2d 12h = 60h, within.
		acted("CVE-T6", ts(11, 10, 0, 0, 0), ts(11, 12, 0, 0, 0), none),
		acted("GHSA-T6", ts(11, 9, 12, 0, 0), ts(11, 15, 0, 0, 0), none, func(c *intake.Case) { c.Keys = []string{"CVE-T6", "GHSA-T6"} }),
		// T7: closed but informational: out of scope.
		acted("T7", ts(10, 1, 0, 0, 0), ts(10, 2, 0, 0, 0), none, func(c *intake.Case) { c.Decision = triage.DecisionInformational }),
		// T8: rejected: not an action, out of scope.
		acted("T8", ts(10, 1, 0, 0, 0), ts(10, 2, 0, 0, 0), none, func(c *intake.Case) { c.State = intake.StateRejected }),
		// T9: closed actionable with no triage time → excluded.
		acted("T9", none, ts(10, 3, 0, 0, 0), none),

		// O1: open, due 12-01 → overdue 40d at t.
		acted("O1", ts(11, 20, 0, 0, 0), none, ts(12, 1, 0, 0, 0)),
		// O2: open, due 12-20, exception granted 12-19 until 2027-02-01 → not overdue.
		acted("O2", ts(12, 1, 0, 0, 0), none, ts(12, 20, 0, 0, 0), excepted(ts(12, 19, 0, 0, 0), ts(2, 1, 0, 0, 0))),
		// O3: open, due 12-25, exception expired 2027-01-05 → overdue 16d.
		acted("O3", ts(12, 1, 0, 0, 0), none, ts(12, 25, 0, 0, 0), excepted(ts(12, 24, 0, 0, 0), ts(1, 5, 0, 0, 0))),
		// O4: open informational past due → not listed.
		acted("O4", ts(12, 1, 0, 0, 0), none, ts(12, 2, 0, 0, 0), func(c *intake.Case) { c.Decision = triage.DecisionInformational }),
		// O5: due exactly at t → not yet overdue.
		acted("O5", ts(12, 1, 0, 0, 0), none, asOf),
		// O6: closed only after t (01-15), due 01-01 → open at t, overdue 9d.
		acted("O6", ts(12, 1, 0, 0, 0), ts(1, 15, 0, 0, 0), ts(1, 1, 0, 0, 0)),
		// O7: due 12-31; its exception was granted after t (01-12) → overdue 10d at t.
		acted("O7", ts(12, 1, 0, 0, 0), none, ts(12, 31, 0, 0, 0), excepted(ts(1, 12, 0, 0, 0), ts(3, 1, 0, 0, 0))),
	}
	got := kpi.TimeToAction(cases, q4, asOf, nil)

	// Deltas: T1 144h, T3 240h, T4 960h, T5 96h, T6 60h → sorted 60 96 144 240 960.
	// n 5: median rank 3 → 144h; p90 rank ⌈4.5⌉ = 5 → 960h; max 960h.
	// Within: T1, T5, T6 → 3 of 5 = 60 %.
	h := time.Hour
	if got.N != 5 || got.Numerator != 3 || got.Denominator != 5 || got.ValueString() != "60.0%" {
		t.Fatalf("n %d num %d den %d value %s; want 5, 3, 5, 60.0%%", got.N, got.Numerator, got.Denominator, got.ValueString())
	}
	if got.Median.Std() != 144*h || got.P90.Std() != 960*h || got.Max.Std() != 960*h {
		t.Fatalf("median %s p90 %s max %s; want 6d, 40d, 40d", got.Median, got.P90, got.Max)
	}
	wantExcl := []kpi.Exclusion{
		{Reason: "duplicate", Count: 1, IDs: []string{"GHSA-T6"}},
		{Reason: "no-triage-time", Count: 1, IDs: []string{"T9"}},
	}
	if diff := cmp.Diff(wantExcl, got.Exclusions); diff != "" || got.Excluded != 2 {
		t.Errorf("exclusions (-want +got):\n%s", diff)
	}
	item := func(id string, due time.Time, past time.Duration) kpi.OverdueItem {
		return kpi.OverdueItem{Case: id, Title: "Title of " + id, Owner: "netops", Due: due, PastDue: kpi.Duration(past)}
	}
	// Most overdue first: O1 40d, O3 16d, O7 10d, O6 9d.
	wantOverdue := []kpi.OverdueItem{
		item("O1", ts(12, 1, 0, 0, 0), 40*24*h),
		item("O3", ts(12, 25, 0, 0, 0), 16*24*h),
		item("O7", ts(12, 31, 0, 0, 0), 10*24*h),
		item("O6", ts(1, 1, 0, 0, 0), 9*24*h),
	}
	if diff := cmp.Diff(wantOverdue, got.Overdue); diff != "" {
		t.Errorf("overdue (-want +got):\n%s", diff)
	}
	// O2: due 12-20, 21d past due, exception until 2027-02-01.
	o2 := item("O2", ts(12, 20, 0, 0, 0), 21*24*h)
	o2.ExceptionUntil = ts(2, 1, 0, 0, 0)
	if diff := cmp.Diff([]kpi.OverdueItem{o2}, got.UnderException); diff != "" {
		t.Errorf("under exception (-want +got):\n%s", diff)
	}
	// The same exception, checked with intake's own rule.
	if cases[11].Overdue(asOf) || !cases[10].Overdue(asOf) {
		t.Fatal("test data disagrees with intake.Case.Overdue")
	}
}

func TestTimeToActionOptionsAndEmpty(t *testing.T) {
	// Δ 10d, closed after a 7d due: missed by due date; within a 30d SLA that ignores due dates.
	c := acted("T", ts(10, 10, 0, 0, 0), ts(10, 20, 0, 0, 0), ts(10, 17, 0, 0, 0))
	asOf := ts(12, 31, 0, 0, 0)
	if got := kpi.TimeToAction([]intake.Case{c}, q4, asOf, nil); got.WithinSLA != 0 {
		t.Errorf("due date: within %d, want 0", got.WithinSLA)
	}
	if got := kpi.TimeToAction([]intake.Case{c}, q4, asOf, &kpi.ActionSLA{IgnoreDue: true}); got.WithinSLA != 1 {
		t.Errorf("ignore due: within %d, want 1", got.WithinSLA)
	}
	if got := kpi.TimeToAction([]intake.Case{c}, q4, asOf, &kpi.ActionSLA{IgnoreDue: true, Default: 9 * 24 * time.Hour}); got.WithinSLA != 0 {
		t.Errorf("9d SLA: within %d, want 0", got.WithinSLA)
	}
	// Closed in the period but after as-of.
	got := kpi.TimeToAction([]intake.Case{c}, q4, ts(10, 15, 0, 0, 0), nil)
	if got.Defined() || got.N != 0 || got.Median != nil || got.Excluded != 1 || got.Exclusions[0].Reason != "closed-after-as-of" {
		t.Errorf("closed after as-of: %s n %d excl %+v", got.ValueString(), got.N, got.Exclusions)
	}
	if got := kpi.TimeToAction(nil, q4, asOf, nil); got.Defined() || got.Overdue == nil || got.UnderException == nil {
		t.Errorf("empty: %s", got.ValueString())
	}
}

func intakeAdvisory(id string) feeds.Advisory { return feeds.Advisory{ID: id, Title: "Title of " + id} }
