package kpi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
)

func ts(month time.Month, d, h, m, s int) time.Time {
	y := 2026
	if month < time.July {
		y = 2027
	}
	return time.Date(y, month, d, h, m, s, 0, time.UTC)
}

// mk builds a case received at recv (zero: no receipt) and first triaged at tri.
func mk(id string, recv, tri time.Time, opts ...func(*intake.Case)) intake.Case {
	c := intake.Case{ID: id, Keys: []string{id}, State: intake.StateReceived,
		Advisory: feeds.Advisory{ID: id, Title: "Title of " + id}}
	if !recv.IsZero() {
		c.Receipts = []intake.Receipt{{Source: "feed", AdvisoryID: id, ReceivedAt: recv}}
	}
	if !tri.IsZero() {
		c.TriagedAt, c.State = tri, intake.StateTriaged
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func kevListed(c *intake.Case) { c.Advisory.Exploitation.KEV = &feeds.KEVListing{} }
func critical(c *intake.Case)  { c.Advisory.Severity = feeds.SeverityCritical }
func manual(c *intake.Case)    { c.Receipts[0].Manual, c.Receipts[0].Source = true, "manual" }
func rejectedAt(at time.Time) func(*intake.Case) {
	return func(c *intake.Case) { c.State, c.ClosedAt, c.RejectReason = intake.StateRejected, at, "false positive" }
}

var q4 = kpi.Quarter(2026, 4) // [2026-10-01T00:00Z, 2027-01-01T00:00Z)

func scenario() []intake.Case {
	return []intake.Case{
		// A: received exactly at p0 (inside: half-open), triaged after 2h.
		mk("CVE-2026-0001", ts(10, 1, 0, 0, 0), ts(10, 1, 2, 0, 0)),
		// B: received one second before the period, never triaged → backlog only.
		mk("CVE-2026-0002", ts(9, 30, 23, 59, 59), time.Time{}),
		// C: KEV-listed (SLA 24h), triaged after 30h → outside SLA.
		mk("CVE-2026-0003", ts(10, 5, 0, 0, 0), ts(10, 6, 6, 0, 0), kevListed),
		// D: manual, critical (SLA 24h), triaged after exactly 24h → within (Δ ≤ SLA).
		mk("CVE-2026-0004", ts(10, 6, 0, 0, 0), ts(10, 7, 0, 0, 0), manual, critical),
		// E: triaged only after as-of → untriaged at t; age 39d 12h ≥ 72h → backlog.
		mk("CVE-2026-0005", ts(11, 1, 0, 0, 0), ts(12, 11, 0, 0, 0)),
		// F: received exactly t − 72h, untriaged → backlog (age ≥ SLA).
		mk("CVE-2026-0006", ts(12, 7, 12, 0, 0), time.Time{}),
		// G: received t − 72h + 1s, untriaged → not yet backlog.
		mk("CVE-2026-0007", ts(12, 7, 12, 0, 1), time.Time{}),
		// H: received in the period but after as-of.
		mk("CVE-2026-0008", ts(12, 20, 0, 0, 0), time.Time{}),
		// I: rejected before as-of without a triage decision.
		mk("CVE-2026-0009", ts(10, 10, 0, 0, 0), time.Time{}, rejectedAt(ts(10, 11, 0, 0, 0))),
		// J: a second case for A's vulnerability (shares key CVE-2026-0001), received later.
		mk("GHSA-XXXX-YYYY", ts(10, 2, 0, 0, 0), ts(10, 2, 0, 0, 0), func(c *intake.Case) {
			c.Keys = []string{"CVE-2026-0001", "GHSA-XXXX-YYYY"}
		}),
		// K: received exactly at p1 (outside: half-open) and after as-of.
		mk("CVE-2026-0010", ts(1, 1, 0, 0, 0), time.Time{}),
		// L: no receipt at all.
		mk("X-NORECEIPT", time.Time{}, time.Time{}),
		// M: triaged before it was received: inconsistent.
		mk("CVE-2026-0011", ts(10, 20, 0, 0, 0), ts(10, 19, 0, 0, 0)),
		// N: triaged at the receipt instant: Δ = 0.
		mk("CVE-2026-0012", ts(10, 15, 10, 0, 0), ts(10, 15, 10, 0, 0)),
		// O: triaged after 100h > 72h.
		mk("CVE-2026-0013", ts(10, 16, 0, 0, 0), ts(10, 20, 4, 0, 0)),
		// P: rejected only after as-of, never triaged → untriaged at t, backlog.
		mk("CVE-2026-0014", ts(10, 25, 0, 0, 0), time.Time{}, rejectedAt(ts(12, 15, 0, 0, 0))),
	}
}

var scenarioAsOf = ts(12, 10, 12, 0, 0)

func TestReceiptToTriageHandDerived(t *testing.T) {
	got := kpi.ReceiptToTriage(scenario(), q4, scenarioAsOf, nil)

	// Received in [p0, p1) and ≤ t: A C D E F G I M N O P = 11; manual: D.
	// Deltas of the triaged: A 2h, C 30h, D 24h, N 0s, O 100h → n = 5.
	// Sorted 0, 2h, 24h, 30h, 100h: median rank ⌈0.5·5⌉ = 3 → 24h;
	// p90 rank ⌈0.9·5⌉ = 5 → 100h; max 100h.
	// Within SLA: A (2h ≤ 72h), D (24h ≤ 24h), N (0 ≤ 72h) → 3 of 5 = 60 %.
	// C (30h > 24h KEV) and O (100h > 72h) miss it.
	if got.Received != 11 || got.Manual != 1 || got.N != 5 || got.Denominator != 5 || got.Numerator != 3 || got.WithinSLA != 3 {
		t.Fatalf("received %d manual %d n %d den %d num %d", got.Received, got.Manual, got.N, got.Denominator, got.Numerator)
	}
	if got.Value == nil || *got.Value != 60 || got.ValueString() != "60.0%" {
		t.Fatalf("value %s, want 60.0%%", got.ValueString())
	}
	if got.Median.Std() != 24*time.Hour || got.P90.Std() != 100*time.Hour || got.Max.Std() != 100*time.Hour {
		t.Fatalf("median %s p90 %s max %s; want 1d, 4d 4h, 4d 4h", got.Median, got.P90, got.Max)
	}
	if diff := cmp.Diff([]string{"CVE-2026-0004"}, got.ManualCases); diff != "" {
		t.Errorf("manual cases (-want +got):\n%s", diff)
	}
	// Excluded, in the period's scope: J duplicate; H after as-of; E F P
	// untriaged past SLA; G within SLA; I rejected; M inconsistent; L no
	// receipt → 9. Denominator + excluded = 14 cases in scope (all but B, K).
	wantExcl := []kpi.Exclusion{
		{Reason: "duplicate", Count: 1, IDs: []string{"GHSA-XXXX-YYYY"}},
		{Reason: "no-receipt", Count: 1, IDs: []string{"X-NORECEIPT"}},
		{Reason: "received-after-as-of", Count: 1, IDs: []string{"CVE-2026-0008"}},
		{Reason: "rejected-before-triage", Count: 1, IDs: []string{"CVE-2026-0009"}},
		{Reason: "triaged-before-received", Count: 1, IDs: []string{"CVE-2026-0011"}},
		{Reason: "untriaged-past-sla", Count: 3, IDs: []string{"CVE-2026-0005", "CVE-2026-0006", "CVE-2026-0014"}},
		{Reason: "untriaged-within-sla", Count: 1, IDs: []string{"CVE-2026-0007"}},
	}
	if diff := cmp.Diff(wantExcl, got.Exclusions); diff != "" {
		t.Errorf("exclusions (-want +got):\n%s", diff)
	}
	if got.Excluded != 9 || got.Denominator+got.Excluded != 14 {
		t.Errorf("excluded %d; want 9", got.Excluded)
	}
	// Backlog, oldest first: B (before the period) 2026-09-30T23:59:59 →
	// age 70d 12h 0m 1s; P 2026-10-25 → 46d 12h; E 2026-11-01 → 39d 12h;
	// F 2026-12-07T12:00 → exactly 72h. G (72h − 1s) is not in it.
	h := time.Hour
	wantBacklog := []kpi.BacklogItem{
		{Case: "CVE-2026-0002", Title: "Title of CVE-2026-0002", Source: "feed", ReceivedAt: ts(9, 30, 23, 59, 59),
			Age: kpi.Duration(70*24*h + 12*h + time.Second), SLA: kpi.Duration(72 * h)},
		{Case: "CVE-2026-0014", Title: "Title of CVE-2026-0014", Source: "feed", ReceivedAt: ts(10, 25, 0, 0, 0),
			Age: kpi.Duration(46*24*h + 12*h), SLA: kpi.Duration(72 * h), InPeriod: true},
		{Case: "CVE-2026-0005", Title: "Title of CVE-2026-0005", Source: "feed", ReceivedAt: ts(11, 1, 0, 0, 0),
			Age: kpi.Duration(39*24*h + 12*h), SLA: kpi.Duration(72 * h), InPeriod: true},
		{Case: "CVE-2026-0006", Title: "Title of CVE-2026-0006", Source: "feed", ReceivedAt: ts(12, 7, 12, 0, 0),
			Age: kpi.Duration(72 * h), SLA: kpi.Duration(72 * h), InPeriod: true},
	}
	if diff := cmp.Diff(wantBacklog, got.Backlog); diff != "" {
		t.Errorf("backlog (-want +got):\n%s", diff)
	}
	if got.BacklogInPeriod != 3 || got.OutsidePeriod != 1 {
		t.Errorf("backlog in period %d outside period %d; want 3, 1", got.BacklogInPeriod, got.OutsidePeriod)
	}
	want := kpi.SLAPolicy{Default: kpi.Duration(72 * h), KEV: kpi.Duration(24 * h), Critical: kpi.Duration(24 * h), BySource: map[string]kpi.Duration{}}
	if diff := cmp.Diff(want, got.SLA); diff != "" {
		t.Errorf("SLA (-want +got):\n%s", diff)
	}
}

func TestReceiptToTriageEmptyDenominator(t *testing.T) {
	asOf := ts(12, 31, 0, 0, 0)
	tests := []struct {
		name        string
		cases       []intake.Case
		wantBacklog int
	}{
		{"no_cases", nil, 0},
		{"only_outside_period", []intake.Case{mk("CVE-1", ts(9, 1, 0, 0, 0), ts(9, 1, 1, 0, 0))}, 0},
		// Received in the period but nothing triaged: n = 0 → n/a, and the
		// untriaged advisory is still reported in the backlog.
		{"all_untriaged", []intake.Case{mk("CVE-1", ts(10, 1, 0, 0, 0), time.Time{})}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := kpi.ReceiptToTriage(tc.cases, q4, asOf, nil)
			if got.Defined() || got.ValueString() != "n/a" || got.Denominator != 0 || got.N != 0 {
				t.Fatalf("value %s den %d n %d; want n/a, 0, 0", got.ValueString(), got.Denominator, got.N)
			}
			if got.Median != nil || got.P90 != nil || got.Max != nil {
				t.Fatalf("median/p90/max must be n/a (nil) when n = 0")
			}
			if len(got.Backlog) != tc.wantBacklog {
				t.Fatalf("backlog %d, want %d", len(got.Backlog), tc.wantBacklog)
			}
		})
	}
}

func TestReceiptToTriageNearestRank(t *testing.T) {
	// n cases with Δ = 1h … n h (listed in reverse to check sorting).
	// Nearest rank r = ⌈p·n/100⌉:
	//   n=1:  p50 r=1 → 1h;  p90 r=1 → 1h
	//   n=2:  p50 r=1 → 1h;  p90 r=⌈1.8⌉=2 → 2h
	//   n=10: p50 r=5 → 5h;  p90 r=9 → 9h
	//   n=11: p50 r=⌈5.5⌉=6 → 6h; p90 r=⌈9.9⌉=10 → 10h
	tests := []struct {
		n                int
		median, p90, max time.Duration
	}{
		{1, 1 * time.Hour, 1 * time.Hour, 1 * time.Hour},
		{2, 1 * time.Hour, 2 * time.Hour, 2 * time.Hour},
		{10, 5 * time.Hour, 9 * time.Hour, 10 * time.Hour},
		{11, 6 * time.Hour, 10 * time.Hour, 11 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("n_%d", tc.n), func(t *testing.T) {
			var cases []intake.Case
			recv := ts(10, 1, 0, 0, 0)
			for i := tc.n; i >= 1; i-- {
				cases = append(cases, mk(fmt.Sprintf("CVE-2026-%04d", i), recv, recv.Add(time.Duration(i)*time.Hour)))
			}
			got := kpi.ReceiptToTriage(cases, q4, ts(12, 31, 0, 0, 0), nil)
			if got.N != tc.n || got.Median.Std() != tc.median || got.P90.Std() != tc.p90 || got.Max.Std() != tc.max {
				t.Fatalf("n %d median %s p90 %s max %s; want %d %s %s %s", got.N, got.Median, got.P90, got.Max,
					tc.n, kpi.Duration(tc.median), kpi.Duration(tc.p90), kpi.Duration(tc.max))
			}
		})
	}
}

func TestReceiptToTriageSLA(t *testing.T) {
	recv := ts(10, 1, 0, 0, 0)
	asOf := ts(12, 31, 0, 0, 0)
	tests := []struct {
		name   string
		c      intake.Case
		opts   *kpi.TriageSLA
		within bool
	}{
		{"default_72h_at_boundary", mk("C", recv, recv.Add(72*time.Hour)), nil, true},
		{"default_72h_exceeded", mk("C", recv, recv.Add(72*time.Hour+time.Second)), nil, false},
		{"kev_24h", mk("C", recv, recv.Add(25*time.Hour), kevListed), nil, false},
		{"critical_24h", mk("C", recv, recv.Add(24*time.Hour), critical), nil, true},
		{"custom_default", mk("C", recv, recv.Add(30*time.Hour)), &kpi.TriageSLA{Default: 24 * time.Hour}, false},
		{"source_override_tightens", mk("C", recv, recv.Add(13*time.Hour), manual),
			&kpi.TriageSLA{BySource: map[string]time.Duration{"manual": 12 * time.Hour}}, false},
		{"source_override_cannot_loosen", mk("C", recv, recv.Add(25*time.Hour), kevListed),
			&kpi.TriageSLA{BySource: map[string]time.Duration{"feed": 100 * time.Hour}}, false},
		{"kev_switched_off", mk("C", recv, recv.Add(25*time.Hour), kevListed), &kpi.TriageSLA{KEV: 72 * time.Hour}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := kpi.ReceiptToTriage([]intake.Case{tc.c}, q4, asOf, tc.opts)
			if got.N != 1 || (got.WithinSLA == 1) != tc.within {
				t.Fatalf("n %d within %d; want within = %v", got.N, got.WithinSLA, tc.within)
			}
		})
	}
}

func TestReceiptToTriageDeterministic(t *testing.T) {
	cases := scenario()
	a := kpi.ReceiptToTriage(cases, q4, scenarioAsOf, nil)
	rev := make([]intake.Case, len(cases))
	for i, c := range cases {
		rev[len(cases)-1-i] = c
	}
	b := kpi.ReceiptToTriage(rev, q4, scenarioAsOf, nil)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("input order changed the result (-a +b):\n%s", diff)
	}
	c := kpi.ReceiptToTriage(cases, q4, scenarioAsOf, &kpi.TriageSLA{Default: 48 * time.Hour})
	if c.InputHash == a.InputHash {
		t.Error("the SLA did not change the input hash")
	}
	d := kpi.ReceiptToTriage(cases, kpi.Quarter(2026, 3), scenarioAsOf, nil)
	if d.InputHash == a.InputHash {
		t.Error("the period did not change the input hash")
	}
}

func TestPeriod(t *testing.T) {
	tests := []struct {
		name string
		p    kpi.Period
		want string
		in   []time.Time
		out  []time.Time
	}{
		{"quarter", kpi.Quarter(2026, 4), "2026-Q4",
			[]time.Time{ts(10, 1, 0, 0, 0), ts(12, 31, 23, 59, 59)},
			[]time.Time{ts(9, 30, 23, 59, 59), ts(1, 1, 0, 0, 0)}},
		{"quarter_normalised", kpi.Quarter(2026, 5), "2027-Q1", nil, nil},
		{"month", kpi.Month(2026, time.March), "2026-03",
			[]time.Time{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
			[]time.Time{time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}},
		{"year", kpi.Period{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}, "2026", nil, nil},
		{"interval", kpi.Period{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)},
			"2026-01-01T00:00:00Z/2026-02-15T00:00:00Z", nil, nil},
		{"quarter_of", kpi.QuarterOf(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)), "2026-Q4", nil, nil},
		{"zero", kpi.Period{}, "", nil, []time.Time{{}, ts(10, 1, 0, 0, 0)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
			for _, x := range tc.in {
				if !tc.p.Contains(x) {
					t.Errorf("%v not contained", x)
				}
			}
			for _, x := range tc.out {
				if tc.p.Contains(x) {
					t.Errorf("%v contained", x)
				}
			}
		})
	}
	if _, err := kpi.NewPeriod(ts(10, 1, 0, 0, 0), ts(10, 1, 0, 0, 0)); err == nil {
		t.Error("NewPeriod accepted an empty period")
	}
}
