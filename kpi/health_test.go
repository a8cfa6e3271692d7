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

// healthAsOf is t for the KPI 6 tests: 2026-12-10T12:00Z.
// t − 7 d = 2026-12-03T12:00Z; t − 90 d = 2026-09-11T12:00Z; t's day − 90 d = 2026-09-11.
var healthAsOf = ts(12, 10, 12, 0, 0)

func healthRegister() *register.Register {
	no := false
	active := register.Membership{Status: register.MembershipActive, Since: day(2024, 1, 1)}
	reviewed := register.Review{Records: []register.ReviewRecord{{Date: day(2026, 1, 5), By: "akhan", Outcome: register.OutcomeKeep}}}
	g := func(id, url string, channels []register.Channel, backup string, rev register.Review, eng ...register.Date) register.Group {
		gr := register.Group{ID: id, Kind: register.KindCERT, URL: url, Owner: "akhan", Backup: backup,
			Membership: active, Channels: channels, Review: rev}
		for _, d := range eng {
			gr.Engagements = append(gr.Engagements, register.Engagement{Date: d, Kind: "meeting"})
		}
		return gr
	}
	feed := []register.Channel{{Kind: "rss", URL: "https://example.org/feed"}}
	return &register.Register{
		People: []register.Person{{ID: "akhan"}, {ID: "jlee"}, {ID: "gone", Active: &no}},
		Groups: []register.Group{
			g("a-healthy", "https://a.example", feed, "jlee", reviewed),
			g("b-dormant", "https://b.example", nil, "jlee", reviewed, day(2026, 9, 10)),
			g("c-stale-link", "https://c.example", nil, "jlee", reviewed, day(2026, 9, 11)),
			g("d-bad", "", nil, "gone", register.Review{}),
			g("e-overdue", "https://e.example", nil, "akhan",
				register.Review{Records: []register.ReviewRecord{{Date: day(2025, 11, 1), By: "akhan", Outcome: register.OutcomeKeep}}}),
			{ID: "f-orphan", Kind: register.KindCERT, Owner: "gone", Membership: active},
			g("g-unchecked", "https://g.example", feed, "nobody", reviewed, day(2026, 12, 10)),
		},
	}
}

func healthLinks() []register.LinkResult {
	ok := func(group, field string, at time.Time) register.LinkResult {
		return register.LinkResult{Group: group, Field: field, Status: register.LinkOK, CheckedAt: at}
	}
	t := healthAsOf
	return []register.LinkResult{
		ok("a-healthy", "url", t.Add(-7*24*time.Hour)), // exactly 7 days old: passes
		ok("a-healthy", "channels[0].url", t.Add(-24*time.Hour)),
		ok("b-dormant", "url", t.Add(-24*time.Hour)),
		ok("c-stale-link", "url", t.Add(-7*24*time.Hour-time.Second)), // 7 d 1 s: stale
		ok("c-stale-link", "url", t.Add(time.Hour)),                   // after t: ignored
		{Group: "e-overdue", Field: "url", Status: register.LinkNotFound, CheckedAt: t.Add(-time.Hour)},
		ok("e-overdue", "url", t.Add(-48*time.Hour)), // older than the 404: the 404 is the latest
		ok("g-unchecked", "url", t.Add(-24*time.Hour)),
		// g-unchecked's channels[0].url has no result.
	}
}

func healthCases() []intake.Case {
	rc := func(id, group string, at time.Time) intake.Case {
		return intake.Case{ID: id, Receipts: []intake.Receipt{{Source: "feed", Group: group, ReceivedAt: at}}}
	}
	t := healthAsOf
	return []intake.Case{
		rc("CVE-1", "a-healthy", t.Add(-90*24*time.Hour)),             // exactly 90 days ago: counts
		rc("CVE-2", "b-dormant", t.Add(-90*24*time.Hour-time.Second)), // 1 s too old
		rc("CVE-3", "b-dormant", t.Add(time.Hour)),                    // after t: ignored
		rc("CVE-4", "e-overdue", t.Add(-24*time.Hour)),
	}
}

func TestRegisterHealth(t *testing.T) {
	res := kpi.RegisterHealth(healthRegister(), healthCases(), healthLinks(), healthAsOf)
	// By hand:
	//   a-healthy: links url ok at exactly t−7d (age = 7 d, not > 7 d) and channel ok at t−1d;
	//              backup jlee active; reviewed 2026-01-05, due 2027-01-05; receipt at exactly t−90d → healthy.
	//   b-dormant: link ok, owners ok, review ok; receipt at t−90d−1s is out, the one after t ignored,
	//              engagement 2026-09-10 is before the first day 2026-09-11 → fails only interaction → dormant.
	//   c-stale-link: latest check at or before t is t−7d−1s → stale (the check after t is ignored);
	//              engagement 2026-09-11 = first day → interacted. Fails links only: not dormant.
	//   d-bad:     no URL; backup gone (inactive); never reviewed; no interaction.
	//   e-overdue: latest check (t−1h) is not_found; backup = owner; review 2025-11-01 + 12 mo = 2026-11-01
	//              < 2026-12-10 → overdue; receipt t−1d → interacted.
	//   f-orphan:  owner gone → not active (KPI 1), excluded.
	//   g-unchecked: channel URL never checked; backup "nobody" unknown; engagement on t's day.
	// Healthy 1 of 6 active → 16.666…%.
	if res.Numerator != 1 || res.Denominator != 6 || res.Value == nil || math.Abs(*res.Value-100.0/6) > 1e-9 {
		t.Errorf("value = %s (%d of %d), want 16.7%% (1 of 6)", res.ValueString(), res.Numerator, res.Denominator)
	}
	if diff := cmp.Diff([]string{"a-healthy"}, res.Healthy); diff != "" {
		t.Errorf("healthy (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"b-dormant"}, res.Dormant); diff != "" {
		t.Errorf("dormant (-want +got):\n%s", diff)
	}
	if res.Excluded != 1 || res.Exclusions[0].Reason != kpi.ReasonOwnerInactive {
		t.Errorf("exclusions = %+v", res.Exclusions)
	}
	if !res.LinksGiven {
		t.Error("LinksGiven = false")
	}
	reasons := map[string][]string{}
	last := map[string]time.Time{}
	for _, e := range res.Entries {
		reasons[e.Group] = []string{}
		for _, f := range e.Failures {
			reasons[e.Group] = append(reasons[e.Group], f.Criterion+"/"+f.Reason)
		}
		last[e.Group] = e.LastInteraction
	}
	want := map[string][]string{
		"a-healthy":    {},
		"b-dormant":    {"interaction/no-interaction"},
		"c-stale-link": {"links/link-check-stale"},
		"d-bad":        {"interaction/no-interaction", "links/no-url", "owners/backup-inactive", "review/review-never"},
		"e-overdue":    {"links/link-not-ok", "owners/backup-is-owner", "review/review-overdue"},
		"g-unchecked":  {"links/link-not-checked", "owners/backup-unknown"},
	}
	if diff := cmp.Diff(want, reasons); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	wantLast := map[string]time.Time{
		"a-healthy":    ts(9, 11, 12, 0, 0),
		"b-dormant":    ts(9, 11, 11, 59, 59), // the receipt, later than the 09-10 engagement
		"c-stale-link": ts(9, 11, 0, 0, 0),
		"d-bad":        {},
		"e-overdue":    ts(12, 9, 12, 0, 0),
		"g-unchecked":  ts(12, 10, 0, 0, 0),
	}
	if diff := cmp.Diff(wantLast, last); diff != "" {
		t.Errorf("last interaction (-want +got):\n%s", diff)
	}
}

func TestRegisterHealthWithoutLinks(t *testing.T) {
	res := kpi.RegisterHealth(healthRegister(), healthCases(), nil, healthAsOf)
	// Without link results no entry with a URL can pass; d-bad has none at all (no-url).
	// b-dormant now also fails links, so it is not dormant. 0 of 6.
	if res.LinksGiven || res.Numerator != 0 || res.Denominator != 6 || *res.Value != 0 || len(res.Dormant) != 0 {
		t.Fatalf("links given %v, %d of %d, dormant %v", res.LinksGiven, res.Numerator, res.Denominator, res.Dormant)
	}
	for _, e := range res.Entries {
		want := kpi.ReasonLinksUnknown
		if e.Group == "d-bad" {
			want = kpi.ReasonNoURL
		}
		if !containsReason(e.Failures, want) {
			t.Errorf("%s failures %+v, want %s", e.Group, e.Failures, want)
		}
	}
	// An empty, non-nil slice is "given, none for these URLs": link-not-checked.
	given := kpi.RegisterHealth(healthRegister(), healthCases(), []register.LinkResult{}, healthAsOf)
	if !given.LinksGiven || !containsReason(given.Entries[0].Failures, kpi.ReasonLinkNotChecked) {
		t.Errorf("empty links: given %v, a-healthy failures %+v", given.LinksGiven, given.Entries[0].Failures)
	}
	if res.InputHash == given.InputHash {
		t.Error("nil and empty link results hash alike")
	}
}

func containsReason(fs []kpi.HealthFailure, reason string) bool {
	for _, f := range fs {
		if f.Reason == reason {
			return true
		}
	}
	return false
}

func TestRegisterHealthEmpty(t *testing.T) {
	res := kpi.RegisterHealth(nil, nil, nil, healthAsOf)
	if res.Value != nil || res.ValueString() != "n/a" || res.Denominator != 0 {
		t.Fatalf("empty register: %s of %d", res.ValueString(), res.Denominator)
	}
	a := kpi.RegisterHealth(healthRegister(), healthCases(), healthLinks(), healthAsOf)
	b := kpi.RegisterHealth(healthRegister(), healthCases()[:1], healthLinks(), healthAsOf)
	if a.InputHash == b.InputHash {
		t.Error("the input hash ignores receipts")
	}
}
