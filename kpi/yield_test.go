package kpi_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

func TestChannelYield(t *testing.T) {
	active := register.Membership{Status: register.MembershipActive, Since: day(2024, 1, 1)}
	reg := &register.Register{
		People: []register.Person{{ID: "akhan"}},
		Groups: []register.Group{
			{ID: "cisa", Kind: register.KindGovernmentCERT, Owner: "akhan", Membership: active},
			{ID: "isac", Kind: register.KindISAC, Owner: "akhan", Membership: active},
			{ID: "silent", Kind: register.KindForum, Owner: "akhan", Membership: active},
		},
	}
	asOf := healthAsOf // 2026-12-10T12:00Z; the window is (2025-12-10T12:00Z, 2026-12-10T12:00Z]
	start := time.Date(2025, 12, 10, 12, 0, 0, 0, time.UTC)
	act, info, na := "actionable by rule kev (P1)", "informational by rule low", "not_applicable by rule default"
	dup := triaged("GHSA-Y8", "isac", asOf.Add(-20*time.Hour), asOf.Add(-20*time.Hour), act)
	dup.Keys = []string{"GHSA-Y8", "CVE-Y3"}
	cases := []intake.Case{
		triaged("CVE-Y1", "cisa", start, start, act),                                        // exactly at the window start: out
		triaged("CVE-Y2", "cisa", start.Add(-time.Hour), start.Add(-time.Second), act),      // 1 s before: out
		triaged("CVE-Y3", "cisa", asOf.Add(-24*time.Hour), asOf.Add(-24*time.Hour), act),    // in
		triaged("CVE-Y4", "cisa", asOf.Add(-48*time.Hour), asOf.Add(-48*time.Hour), info),   // in, not actionable
		triaged("CVE-Y5", "isac", asOf.Add(-120*time.Hour), asOf.Add(-120*time.Hour), info), // isac: receipts,
		triaged("CVE-Y6", "isac", asOf.Add(-144*time.Hour), asOf.Add(-144*time.Hour), na),   // nothing actionable
		triaged("CVE-Y7", "cisa", asOf.Add(-time.Hour), asOf, info),                         // exactly at t: in, not actionable
		dup, // shares CVE-Y3, received later → duplicate
	}
	res := kpi.ChannelYield(reg, cases, asOf)
	// By hand: cisa Y3 actionable of Y3, Y4, Y7 → 1 of 3 (33.3 %); isac 0 of 2 (0 %);
	// silent 0 of 0 (n/a). Overall 1 of 5 = 20 %; GHSA-Y8 excluded as duplicate.
	// (Under v1's [start, t) cisa would have been Y1, Y3 of Y1, Y3, Y4: 2 of 3.)
	if *res.Value != 1 || res.Numerator != 1 || res.Denominator != 5 || *res.Rate != 20 {
		t.Errorf("value %s, %d of %d, rate %v", res.ValueString(), res.Numerator, res.Denominator, res.Rate)
	}
	want := []kpi.GroupActionable{
		{Group: "cisa", Kind: register.KindGovernmentCERT, Actionable: 1, Triaged: 3, Rate: pct(100.0 / 3)},
		{Group: "isac", Kind: register.KindISAC, Actionable: 0, Triaged: 2, Rate: pct(0)},
		{Group: "silent", Kind: register.KindForum},
	}
	approx := cmp.Comparer(func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 })
	if diff := cmp.Diff(want, res.ByGroup, approx); diff != "" {
		t.Errorf("by group (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]kpi.Exclusion{{Reason: kpi.ReasonDuplicate, Count: 1, IDs: []string{"GHSA-Y8"}}}, res.Exclusions); diff != "" {
		t.Errorf("exclusions (-want +got):\n%s", diff)
	}
	if !res.Window.Start.Equal(start) || !res.Window.End.Equal(asOf) || res.ID != kpi.ChannelYieldID || res.KPI != 8 {
		t.Errorf("window %v, id %s kpi %d", res.Window, res.ID, res.KPI)
	}
	if empty := kpi.ChannelYield(nil, nil, asOf); empty.Rate != nil || *empty.Value != 0 {
		t.Errorf("empty: rate %v value %s", empty.Rate, empty.ValueString())
	}
}
