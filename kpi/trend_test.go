package kpi_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

func TestPreviousPeriod(t *testing.T) {
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	custom, _ := kpi.NewPeriod(d(2026, 1, 10), d(2026, 1, 20))
	for _, tc := range []struct {
		in, want kpi.Period
	}{
		{kpi.Quarter(2027, 1), kpi.Quarter(2026, 4)},                  // 90 days after 92: calendar, not duration
		{kpi.Month(2026, time.March), kpi.Month(2026, time.February)}, // 31 days after 28
		{kpi.Period{Start: d(2026, 1, 1), End: d(2027, 1, 1)}, kpi.Period{Start: d(2025, 1, 1), End: d(2026, 1, 1)}},
		{custom, kpi.Period{Start: d(2025, 12, 31), End: d(2026, 1, 10)}}, // 10 days back
		// Two months starting on a month boundary are not a calendar unit: same duration (59 days).
		{kpi.Period{Start: d(2026, 1, 1), End: d(2026, 3, 1)}, kpi.Period{Start: d(2025, 11, 3), End: d(2026, 1, 1)}},
		{kpi.Period{}, kpi.Period{}},
	} {
		if got := kpi.PreviousPeriod(tc.in); !got.Start.Equal(tc.want.Start) || !got.End.Equal(tc.want.End) {
			t.Errorf("PreviousPeriod(%s) = %s, want %s", tc.in.Interval(), got.Interval(), tc.want.Interval())
		}
	}
}

func TestTrend(t *testing.T) {
	active := register.Membership{Status: register.MembershipActive, Since: day(2024, 1, 1)}
	reg := &register.Register{People: []register.Person{{ID: "akhan"}}, Groups: []register.Group{
		{ID: "cisa", Kind: register.KindGovernmentCERT, Owner: "akhan", Membership: active},
		{ID: "isac", Kind: register.KindISAC, Owner: "akhan", Membership: active},
	}}
	act, info := "actionable by rule kev (P1)", "informational by rule low"
	closed := func(c intake.Case, at time.Time) intake.Case {
		c.State, c.ClosedAt = intake.StateClosed, at
		return c
	}
	// Q3 2026 (previous) and Q4 2026 (current); t = 2027-01-01.
	cases := []intake.Case{
		// Q3: cisa 2 actionable of 2, isac 0 of 1.
		closed(triaged("CVE-P1", "cisa", ts(7, 1, 0, 0, 0), ts(7, 1, 2, 0, 0), act), ts(7, 11, 2, 0, 0)), // Δtriage 2h, action 10d
		triaged("CVE-P2", "cisa", ts(8, 1, 0, 0, 0), ts(8, 1, 4, 0, 0), act),                             // Δ 4h
		triaged("CVE-P3", "isac", ts(9, 1, 0, 0, 0), ts(9, 2, 0, 0, 0), info),                            // Δ 24h
		// Q4: cisa 1 of 2, isac 1 of 1.
		closed(triaged("CVE-C1", "cisa", ts(10, 1, 0, 0, 0), ts(10, 1, 1, 0, 0), act), ts(10, 21, 1, 0, 0)), // Δ 1h, action 20d
		triaged("CVE-C2", "cisa", ts(11, 1, 0, 0, 0), ts(11, 5, 0, 0, 0), info),                             // Δ 96h > 72h SLA
		triaged("CVE-C3", "isac", ts(12, 1, 0, 0, 0), ts(12, 1, 0, 30, 0), act),                             // Δ 30m
	}
	r := kpi.Compute(reg, cases, kpi.Quarter(2026, 4), ts(1, 1, 0, 0, 0), &kpi.Options{Generator: "g"})
	tr := r.Trend
	if tr == nil || tr.Previous.String() != "2026-Q3" {
		t.Fatalf("trend %+v", tr)
	}
	f := func(v float64) *float64 { return &v }
	h := 3600.0
	// By hand:
	//   KPI 2: current 2 actionable of 3 (66.7 %), previous 2 of 3 (66.7 %): change 0, 0 pp.
	//   KPI 3: current Δ = 1h, 96h, 30m → sorted 30m, 1h, 96h: median (rank 2) 1h, p90 (rank 3) 96h,
	//          max 96h, within 72h SLA 2 of 3 = 66.7 %; previous Δ = 2h, 4h, 24h: median 4h, p90 24h,
	//          max 24h, 3 of 3 = 100 %. Changes: −33.3 pp, −3h, +72h, +72h.
	//   KPI 5: current C1 closed after 20d (≤ 30d SLA): 100 %, median 20d; previous P1 10d: 100 %, 10d.
	want := []kpi.TrendMetric{
		{KPI: 2, ID: kpi.ActionableItemsID, Metric: "actionable_items", Unit: kpi.UnitCount, Current: f(2), Previous: f(2), Change: f(0)},
		{KPI: 2, ID: kpi.ActionableItemsID, Metric: "actionable_rate", Unit: kpi.UnitPercent, Current: f(200.0 / 3), Previous: f(200.0 / 3), Change: f(0)},
		{KPI: 3, ID: kpi.ReceiptToTriageID, Metric: "within_sla_percent", Unit: kpi.UnitPercent, Current: f(200.0 / 3), Previous: f(100), Change: f(-100.0 / 3)},
		{KPI: 3, ID: kpi.ReceiptToTriageID, Metric: "median_seconds", Unit: kpi.UnitSeconds, Current: f(h), Previous: f(4 * h), Change: f(-3 * h)},
		{KPI: 3, ID: kpi.ReceiptToTriageID, Metric: "p90_seconds", Unit: kpi.UnitSeconds, Current: f(96 * h), Previous: f(24 * h), Change: f(72 * h)},
		{KPI: 3, ID: kpi.ReceiptToTriageID, Metric: "max_seconds", Unit: kpi.UnitSeconds, Current: f(96 * h), Previous: f(24 * h), Change: f(72 * h)},
		{KPI: 5, ID: kpi.TimeToActionID, Metric: "within_sla_percent", Unit: kpi.UnitPercent, Current: f(100), Previous: f(100), Change: f(0)},
		{KPI: 5, ID: kpi.TimeToActionID, Metric: "median_seconds", Unit: kpi.UnitSeconds, Current: f(480 * h), Previous: f(240 * h), Change: f(240 * h)},
		{KPI: 5, ID: kpi.TimeToActionID, Metric: "p90_seconds", Unit: kpi.UnitSeconds, Current: f(480 * h), Previous: f(240 * h), Change: f(240 * h)},
		{KPI: 5, ID: kpi.TimeToActionID, Metric: "max_seconds", Unit: kpi.UnitSeconds, Current: f(480 * h), Previous: f(240 * h), Change: f(240 * h)},
	}
	approx := cmp.Comparer(func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 })
	if diff := cmp.Diff(want, tr.Metrics, approx); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	// Per group: cisa 1 vs 2 (50 % vs 100 %: −50 pp); isac 1 vs 0 (100 % vs 0 %: +100 pp).
	wantGroups := []kpi.GroupTrend{
		{Group: "cisa", Kind: register.KindGovernmentCERT, Actionable: 1, PreviousActionable: 2, Change: -1,
			Rate: f(50), PreviousRate: f(100), RateChange: f(-50)},
		{Group: "isac", Kind: register.KindISAC, Actionable: 1, PreviousActionable: 0, Change: 1,
			Rate: f(100), PreviousRate: f(0), RateChange: f(100)},
	}
	if diff := cmp.Diff(wantGroups, tr.ByGroup, approx); diff != "" {
		t.Errorf("by group (-want +got):\n%s", diff)
	}
	if kpi.Compute(reg, cases, kpi.Period{}, ts(1, 1, 0, 0, 0), nil).Trend != nil {
		t.Error("a trend without a period")
	}
}

func TestFormatTrendValue(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, tt := range []struct {
		unit   string
		v      *float64
		change bool
		want   string
	}{
		{kpi.UnitCount, nil, false, "n/a"},
		{kpi.UnitCount, f(3), false, "3"},
		{kpi.UnitCount, f(3), true, "+3"},
		{kpi.UnitCount, f(-2), true, "-2"},
		{kpi.UnitPercent, f(66.66), false, "66.7%"},
		{kpi.UnitPercent, f(0), true, "+0.0 pp"},
		{kpi.UnitPercent, f(-12.5), true, "-12.5 pp"},
		{kpi.UnitSeconds, f(9000), false, kpi.Duration(9000 * time.Second).String()},
		{kpi.UnitSeconds, f(-3600), true, kpi.Duration(-3600 * time.Second).String()},
		{kpi.UnitSeconds, f(math.NaN()), false, "n/a"},
		{kpi.UnitSeconds, f(1e12), false, "n/a"}, // beyond a time.Duration
	} {
		if got := kpi.FormatTrendValue(tt.unit, tt.v, tt.change); got != tt.want {
			t.Errorf("FormatTrendValue(%s, %v, %v) = %q, want %q", tt.unit, tt.v, tt.change, got, tt.want)
		}
	}
}
