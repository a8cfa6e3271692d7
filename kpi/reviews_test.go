package kpi_test

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

func reviewRegister() *register.Register {
	mem := func(y int, m time.Month, d int) register.Membership {
		return register.Membership{Status: register.MembershipActive, Since: day(y, m, d)}
	}
	rec := func(y int, m time.Month, d int, o register.ReviewOutcome) register.ReviewRecord {
		return register.ReviewRecord{Date: day(y, m, d), By: "akhan", Outcome: o}
	}
	keep := register.OutcomeKeep
	return &register.Register{
		People: []register.Person{{ID: "akhan"}, {ID: "jlee", Active: no()}},
		Groups: []register.Group{
			// r1: reviewed 2026-01-01, 364 days before t's day → in.
			{ID: "r1", Kind: register.KindISAC, Owner: "akhan", Membership: mem(2024, 1, 1),
				Review: register.Review{Records: []register.ReviewRecord{rec(2025, 1, 1, keep), rec(2026, 1, 1, keep)}}},
			// r2: reviewed 2025-12-31, exactly 365 days before → out.
			{ID: "r2", Kind: register.KindCERT, Owner: "akhan", Membership: mem(2024, 1, 1),
				Review: register.Review{Records: []register.ReviewRecord{rec(2025, 12, 31, register.OutcomeChange)}}},
			// r3: started in the window (2026-06-01); its only review (2026-05-20) predates it.
			{ID: "r3", Kind: register.KindVendor, Owner: "akhan", Membership: mem(2026, 6, 1),
				Review: register.Review{Records: []register.ReviewRecord{rec(2026, 5, 20, keep)}}},
			// r4: started in the window, onboarding review on its start day → in.
			{ID: "r4", Kind: register.KindVendor, Owner: "akhan", Membership: mem(2026, 6, 1),
				Review: register.Review{Records: []register.ReviewRecord{rec(2026, 6, 1, keep)}}},
			// r5: never reviewed.
			{ID: "r5", Kind: register.KindForum, Owner: "akhan", Membership: mem(2024, 1, 1)},
			// r6: reviewed, but its owner left → not active (KPI 1), not in the denominator.
			{ID: "r6", Kind: register.KindForum, Owner: "jlee", Membership: mem(2024, 1, 1),
				Review: register.Review{Records: []register.ReviewRecord{rec(2026, 6, 1, keep)}}},
			// r7: a forward-dated record and one without an outcome: both ignored → never reviewed.
			{ID: "r7", Kind: register.KindISAC, Owner: "akhan", Membership: mem(2024, 1, 1),
				Review: register.Review{Records: []register.ReviewRecord{rec(2027, 1, 5, keep), rec(2026, 3, 1, "")}}},
			// r8: lapsed membership → not active.
			{ID: "r8", Kind: register.KindISAC, Owner: "akhan",
				Membership: register.Membership{Status: register.MembershipLapsed, Since: day(2024, 1, 1)},
				Review:     register.Review{Records: []register.ReviewRecord{rec(2026, 6, 1, keep)}}},
		},
	}
}

func TestReviewedMembershipsHandDerived(t *testing.T) {
	asOf := time.Date(2026, 12, 31, 15, 0, 0, 0, time.UTC)
	got := kpi.ReviewedMemberships(reviewRegister(), asOf)

	// Window (t − 365 d, t] by day: 2026-12-31 − 364 d = 2026-01-01 to 2026-12-31.
	if !got.WindowStart.Equal(day(2026, 1, 1)) || !got.WindowEnd.Equal(day(2026, 12, 31)) {
		t.Fatalf("window %s to %s; want 2026-01-01 to 2026-12-31", got.WindowStart, got.WindowEnd)
	}
	// Active at t: r1 r2 r3 r4 r5 r7 = 6 (r6 owner left, r8 lapsed).
	// Reviewed: r1, r4 = 2 → 2/6 = 33.3 %.
	if got.Numerator != 2 || got.Denominator != 6 || got.Value == nil || math.Abs(*got.Value-100.0/3) > 1e-9 ||
		got.ValueString() != "33.3%" {
		t.Fatalf("value %s num %d den %d; want 33.3%%, 2, 6", got.ValueString(), got.Numerator, got.Denominator)
	}
	if diff := cmp.Diff([]string{"r1", "r4"}, got.Reviewed); diff != "" {
		t.Errorf("reviewed (-want +got):\n%s", diff)
	}
	wantGaps := []kpi.ReviewGap{
		{Group: "r2", Kind: register.KindCERT, Since: day(2024, 1, 1), LastReview: day(2025, 12, 31), Reason: "review-older-than-window"},
		{Group: "r3", Kind: register.KindVendor, Since: day(2026, 6, 1), LastReview: day(2026, 5, 20), Reason: "onboarding-review-missing"},
		{Group: "r5", Kind: register.KindForum, Since: day(2024, 1, 1), Reason: "never-reviewed"},
		{Group: "r7", Kind: register.KindISAC, Since: day(2024, 1, 1), Reason: "never-reviewed"},
	}
	if diff := cmp.Diff(wantGaps, got.NotReviewed); diff != "" {
		t.Errorf("not reviewed (-want +got):\n%s", diff)
	}
	wantIgnored := []kpi.IgnoredReview{
		{Group: "r7", Date: day(2026, 3, 1), Reason: "no-outcome"},
		{Group: "r7", Date: day(2027, 1, 5), Reason: "dated-after-as-of"},
	}
	if diff := cmp.Diff(wantIgnored, got.Ignored); diff != "" {
		t.Errorf("ignored (-want +got):\n%s", diff)
	}
	// The exclusions are KPI 1's: r6 owner-inactive, r8 membership-not-active.
	wantExcl := []kpi.Exclusion{
		{Reason: "membership-not-active", Count: 1, IDs: []string{"r8"}},
		{Reason: "owner-inactive", Count: 1, IDs: []string{"r6"}},
	}
	if diff := cmp.Diff(wantExcl, got.Exclusions); diff != "" || got.Excluded != 2 {
		t.Errorf("exclusions (-want +got):\n%s", diff)
	}
}

func TestReviewedMembershipsWindowEdges(t *testing.T) {
	// One active entry since 2020 reviewed on date d; t = 2026-12-31T23:59:59Z.
	asOf := time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)
	tests := []struct {
		name     string
		review   register.Date
		reviewed bool
	}{
		{"on_as_of_day", day(2026, 12, 31), true},
		{"364_days_before", day(2026, 1, 1), true},
		{"365_days_before", day(2025, 12, 31), false},
		{"day_after_as_of", day(2027, 1, 1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := &register.Register{People: []register.Person{{ID: "p"}}, Groups: []register.Group{{ID: "g", Owner: "p",
				Membership: register.Membership{Status: register.MembershipActive, Since: day(2020, 1, 1)},
				Review:     register.Review{Records: []register.ReviewRecord{{Date: tc.review, By: "p", Outcome: register.OutcomeKeep}}}}}}
			got := kpi.ReviewedMemberships(reg, asOf)
			if got.Denominator != 1 || (got.Numerator == 1) != tc.reviewed {
				t.Fatalf("num %d den %d; want reviewed = %v", got.Numerator, got.Denominator, tc.reviewed)
			}
		})
	}
	if got := kpi.ReviewedMemberships(nil, asOf); got.Defined() || got.ValueString() != "n/a" || got.Reviewed == nil || got.NotReviewed == nil {
		t.Fatalf("empty register: %s", got.ValueString())
	}
}
