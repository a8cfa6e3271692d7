package kpi_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

// The KPI 7 tests use t = healthAsOf = 2026-12-10T12:00Z.

func freshnessRegister() *register.Register {
	no := false
	active := register.Membership{Status: register.MembershipActive, Since: day(2024, 1, 1)}
	every := func(s string) register.Period {
		p, err := register.ParsePeriod(s)
		if err != nil {
			panic(err)
		}
		return p
	}
	g := func(id string, chans ...register.Channel) register.Group {
		return register.Group{ID: id, Kind: register.KindCERT, Owner: "akhan", Membership: active, Channels: chans}
	}
	orphan := g("orphan", register.Channel{Kind: "rss", Source: "orphan-rss", Every: every("1d")})
	orphan.Owner = "gone"
	return &register.Register{
		People: []register.Person{{ID: "akhan"}, {ID: "gone", Active: &no}},
		Groups: []register.Group{
			g("cisa", register.Channel{Kind: "kev", URL: "https://kev.example/kev.json", Every: every("1d")}),
			g("vendor",
				register.Channel{Kind: "rss", Source: "vendor-rss", Every: every("1w")},
				register.Channel{Kind: "rss", Source: "vendor-csaf"},
				register.Channel{Kind: "csaf", Source: "never", Every: every("1d")}),
			g("isac", register.Channel{Kind: "manual", Every: every("1mo")}),
			g("future", register.Channel{Kind: "osv", Every: every("1d")}),
			g("missing-state", register.Channel{Kind: "cve5", Every: every("1mo")}),
			orphan,
		},
	}
}

func freshnessStates() []intake.SourceState {
	t := healthAsOf
	return []intake.SourceState{
		{Source: "cisa-kev", LastAttempt: t.Add(-48 * time.Hour), LastSuccess: t.Add(-48 * time.Hour)},
		{Source: "vendor-rss", LastAttempt: t.Add(-time.Hour), LastSuccess: t.Add(-14*24*time.Hour - time.Second),
			LastError: "HTTP 503"},
		{Source: "vendor-csaf", LastAttempt: t.Add(-time.Hour), LastSuccess: t.Add(-time.Hour)},
		{Source: "never", LastAttempt: t.Add(-time.Hour), LastError: "connection refused"},
		{Source: "osv", LastAttempt: t.Add(time.Hour), LastSuccess: t.Add(time.Hour)},
		{Source: "orphan-rss", LastSuccess: t.Add(-30 * 24 * time.Hour)},
	}
}

func freshnessCases() []intake.Case {
	rc := func(id, source, group string, manual bool, at time.Time) intake.Case {
		return intake.Case{ID: id, Receipts: []intake.Receipt{{Source: source, Group: group, Manual: manual, ReceivedAt: at}}}
	}
	t := healthAsOf
	return []intake.Case{
		rc("CVE-1", "cisa-kev", "cisa", false, t.Add(-20*24*time.Hour)),
		rc("CVE-2", "cisa-kev", "cisa", false, t.Add(-10*24*time.Hour)),
		rc("CVE-3", "cisa-kev", "cisa", false, t.Add(time.Hour)), // after t: ignored
		rc("ISAC-1", "manual", "isac", true, t.Add(-3*24*time.Hour)),
	}
}

func TestFeedFreshness(t *testing.T) {
	res := kpi.FeedFreshness(freshnessRegister(), freshnessCases(), freshnessStates(), healthAsOf, 0)
	// By hand (tolerance 2):
	//   cisa/channels[0] (cisa-kev, 1d): threshold 48h, age exactly 48h → fresh; last item t−10d.
	//   vendor/channels[0] (vendor-rss, 1w): threshold 14d, age 14d 1s → stale.
	//   vendor/channels[1] (vendor-csaf, no every): fetched 1h ago → not judged, no-interval.
	//   vendor/channels[2] (never, 1d): no success → never-fetched, stale.
	//   isac/channels[0] (manual): not judged; last item = the manual receipt, t−3d.
	//   future/channels[0] (osv): last success after t → not judged.
	//   missing-state/channels[0] (cve5): no state at all → never-fetched, stale.
	//   orphan: not active (owner gone) → no endpoints.
	// Judged 4, fresh 1 → 25%.
	if res.Numerator != 1 || res.Denominator != 4 || *res.Value != 25 {
		t.Errorf("value %s (%d of %d), want 25.0%% (1 of 4)", res.ValueString(), res.Numerator, res.Denominator)
	}
	if diff := cmp.Diff([]string{"missing-state/channels[0]", "vendor/channels[0]", "vendor/channels[2]"}, res.Stale); diff != "" {
		t.Errorf("stale (-want +got):\n%s", diff)
	}
	wantExcl := []kpi.Exclusion{
		{Reason: kpi.ReasonFetchAfterAsOf, Count: 1, IDs: []string{"future/channels[0]"}},
		{Reason: kpi.ReasonManualChannel, Count: 1, IDs: []string{"isac/channels[0]"}},
		{Reason: kpi.ReasonNoInterval, Count: 1, IDs: []string{"vendor/channels[1]"}},
	}
	if diff := cmp.Diff(wantExcl, res.Exclusions); diff != "" || res.Excluded != 3 {
		t.Errorf("exclusions (%d) (-want +got):\n%s", res.Excluded, diff)
	}
	type row struct {
		Status, Reason string
		Age, Since     time.Duration
	}
	d := func(p *kpi.Duration) time.Duration {
		if p == nil {
			return -1
		}
		return p.Std()
	}
	got := map[string]row{}
	for _, e := range res.Endpoints {
		got[e.Group+"/"+e.Channel] = row{e.Status, e.Reason, d(e.Age), d(e.SinceNewItem)}
	}
	h := time.Hour
	want := map[string]row{
		"cisa/channels[0]":          {kpi.FreshnessFresh, "", 48 * h, 240 * h},
		"vendor/channels[0]":        {kpi.FreshnessStale, "", 14*24*h + time.Second, -1},
		"vendor/channels[1]":        {kpi.FreshnessNotJudged, kpi.ReasonNoInterval, h, -1},
		"vendor/channels[2]":        {kpi.FreshnessNeverFetched, "", -1, -1},
		"isac/channels[0]":          {kpi.FreshnessNotJudged, kpi.ReasonManualChannel, -1, 72 * h},
		"future/channels[0]":        {kpi.FreshnessNotJudged, kpi.ReasonFetchAfterAsOf, -1, -1},
		"missing-state/channels[0]": {kpi.FreshnessNeverFetched, "", -1, -1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("endpoints (-want +got):\n%s", diff)
	}
	if e := res.Endpoints[0]; e.Group != "cisa" || e.Source != "cisa-kev" || e.Threshold.Std() != 48*h || e.Interval.Std() != 24*h {
		t.Errorf("first endpoint %+v", e)
	}
}

func TestFeedFreshnessTolerance(t *testing.T) {
	for _, tc := range []struct {
		tol   float64
		fresh int
	}{
		// 3: cisa threshold 72h (age 48h) fresh, vendor-rss 21d (age 14d 1s) fresh → 2 of 4.
		{3, 2},
		// 1.5: cisa threshold 36h < 48h stale, vendor-rss 10.5d stale → 0 of 4.
		{1.5, 0},
		// -1 → the default 2 → 1 of 4.
		{-1, 1},
	} {
		res := kpi.FeedFreshness(freshnessRegister(), freshnessCases(), freshnessStates(), healthAsOf, tc.tol)
		if res.Numerator != tc.fresh || res.Denominator != 4 {
			t.Errorf("tolerance %v: %d of %d fresh, want %d of 4", tc.tol, res.Numerator, res.Denominator, tc.fresh)
		}
	}
}

func TestFeedFreshnessWithoutStates(t *testing.T) {
	res := kpi.FeedFreshness(freshnessRegister(), freshnessCases(), nil, healthAsOf, 0)
	// Every fetched channel is unknown (6), the manual one is manual → nothing judged: n/a.
	if res.StatesGiven || res.Value != nil || res.Denominator != 0 || res.Excluded != 7 || len(res.Stale) != 0 {
		t.Fatalf("given %v value %s judged %d excluded %d stale %v", res.StatesGiven, res.ValueString(),
			res.Denominator, res.Excluded, res.Stale)
	}
	given := kpi.FeedFreshness(freshnessRegister(), freshnessCases(), []intake.SourceState{}, healthAsOf, 0)
	// Given but empty: every fetched channel, with or without an interval, is never fetched → 0 fresh
	// of 6 judged (cisa, vendor ×3, future, missing-state); the manual channel stays not judged.
	if !given.StatesGiven || given.Denominator != 6 || given.Numerator != 0 || given.InputHash == res.InputHash {
		t.Fatalf("empty states: given %v %d of %d", given.StatesGiven, given.Numerator, given.Denominator)
	}
}
