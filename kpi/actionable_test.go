package kpi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// triaged builds a case received through group at recv whose history has
// one triage transition per note, the first at tri and each later one an
// hour after the previous; Decision is the last note's decision word, as
// intake keeps it. With no notes the case has no history.
func triaged(id, group string, recv, tri time.Time, notes ...string) intake.Case {
	c := intake.Case{ID: id, Keys: []string{id}, State: intake.StateReceived,
		Receipts: []intake.Receipt{{Source: "feed", Group: group, AdvisoryID: id, ReceivedAt: recv}}}
	c.TriagedAt = tri
	for i, n := range notes {
		c.Events = append(c.Events, intake.Event{At: tri.Add(time.Duration(i) * time.Hour), From: c.State,
			To: intake.StateTriaged, Actor: "sigwatch", Note: n})
		c.State = intake.StateTriaged
		word, _, _ := strings.Cut(n, " ")
		c.Decision = triage.Decision(word)
	}
	return c
}

func pct(v float64) *float64 { return &v }

func actionableRegister() *register.Register {
	active := register.Membership{Status: register.MembershipActive, Since: day(2024, 1, 1)}
	return &register.Register{
		People: []register.Person{{ID: "akhan"}},
		Groups: []register.Group{
			{ID: "cisa", Kind: register.KindGovernmentCERT, Owner: "akhan", Membership: active},
			{ID: "isac-x", Kind: register.KindISAC, Owner: "akhan", Membership: active},
			{ID: "vendor-y", Kind: register.KindVendor, Owner: "akhan", Membership: active},
			{ID: "silent", Kind: register.KindForum, Owner: "akhan", Membership: active},
		},
	}
}

func actionableCases() []intake.Case {
	act, info := "actionable by rule kev-internet (P1)", "informational by rule low-confidence"
	na := "not_applicable by rule default"
	withKeys := func(c intake.Case, keys ...string) intake.Case { c.Keys = keys; return c }
	k := triaged("CVE-K", "unknown-grp", ts(11, 1, 0, 0, 0), ts(11, 1, 0, 0, 0))
	k.Decision = triage.DecisionActionable // no history: current decision used
	o := triaged("CVE-O", "isac-x", ts(10, 20, 0, 0, 0), ts(10, 20, 0, 0, 0), act)
	o.State, o.ClosedAt, o.RejectReason = intake.StateRejected, ts(10, 21, 0, 0, 0), "accepted risk"
	return []intake.Case{
		// A: cisa, first decision actionable on 10-02.
		triaged("CVE-A", "cisa", ts(10, 2, 0, 0, 0), ts(10, 2, 0, 0, 0), act),
		// B: received before the period (09-28), triaged exactly at p0: in.
		triaged("CVE-B", "isac-x", ts(9, 28, 0, 0, 0), ts(10, 1, 0, 0, 0), act),
		// C: first informational, re-triaged actionable: the first decision counts → not actionable.
		triaged("CVE-C", "vendor-y", ts(10, 5, 0, 0, 0), ts(10, 5, 0, 0, 0), info, act),
		// D: first actionable, re-triaged not applicable: actionable.
		triaged("CVE-D", "vendor-y", ts(10, 6, 0, 0, 0), ts(10, 6, 0, 0, 0), act, na),
		// E: a second source's case for A (shares key CVE-A), received and triaged later → duplicate.
		withKeys(triaged("GHSA-E", "isac-x", ts(10, 3, 0, 0, 0), ts(10, 3, 0, 0, 0), act), "CVE-A", "GHSA-E"),
		// F: cisa received first (10-10) and triaged not applicable on 10-12; the
		// isac-x duplicate, received 10-11, was triaged actionable on 10-11 —
		// the earliest triage → actionable, under the group of the first receipt (cisa).
		triaged("CVE-F", "cisa", ts(10, 10, 0, 0, 0), ts(10, 12, 0, 0, 0), na),
		withKeys(triaged("GHSA-F", "isac-x", ts(10, 11, 0, 0, 0), ts(10, 11, 0, 0, 0), act), "CVE-F", "GHSA-F"),
		// H: triaged one second before the period: out of scope.
		triaged("CVE-H", "cisa", ts(9, 30, 0, 0, 0), ts(9, 30, 23, 59, 59), act),
		// I: triaged in the period but after as-of (12-10T12:00).
		triaged("CVE-I", "cisa", ts(12, 14, 0, 0, 0), ts(12, 15, 0, 0, 0), act),
		// J: triaged exactly at p1: out of scope.
		triaged("CVE-J", "cisa", ts(12, 31, 0, 0, 0), ts(1, 1, 0, 0, 0), act),
		// K: a group not in the register, no history → current decision (actionable).
		k,
		// L: a receipt naming no group, informational.
		triaged("CVE-L", "", ts(11, 2, 0, 0, 0), ts(11, 2, 0, 0, 0), info),
		// M: the first triage note names no decision.
		triaged("CVE-M", "cisa", ts(11, 3, 0, 0, 0), ts(11, 3, 0, 0, 0), "garbage"),
		// N: never triaged: out of scope.
		triaged("CVE-N", "cisa", ts(11, 4, 0, 0, 0), time.Time{}),
		// O: actionable, then rejected: the first decision still counts.
		o,
	}
}

func TestActionableItemsHandDerived(t *testing.T) {
	got := kpi.ActionableItems(actionableRegister(), actionableCases(), q4, scenarioAsOf)

	// First triaged in [p0, p1) and ≤ t, readable: A B C D F K L O = 8.
	// Actionable first decisions: A B D F K O = 6 → rate 6/8 = 75 %.
	if got.Value == nil || *got.Value != 6 || got.Numerator != 6 || got.Denominator != 8 || got.ValueString() != "6" {
		t.Fatalf("value %s num %d den %d; want 6, 6, 8", got.ValueString(), got.Numerator, got.Denominator)
	}
	if got.Rate == nil || *got.Rate != 75 {
		t.Fatalf("rate %v; want 75", got.Rate)
	}
	// Per group: (none) L → 0 of 1; cisa A F → 2 of 2; isac-x B O → 2 of 2;
	// silent → 0 of 0 (n/a); unknown-grp K → 1 of 1; vendor-y C D → 1 of 2.
	wantGroups := []kpi.GroupActionable{
		{Group: "(none)", Kind: "unregistered", Actionable: 0, Triaged: 1, Rate: pct(0)},
		{Group: "cisa", Kind: register.KindGovernmentCERT, Actionable: 2, Triaged: 2, Rate: pct(100)},
		{Group: "isac-x", Kind: register.KindISAC, Actionable: 2, Triaged: 2, Rate: pct(100)},
		{Group: "silent", Kind: register.KindForum},
		{Group: "unknown-grp", Kind: "unregistered", Actionable: 1, Triaged: 1, Rate: pct(100)},
		{Group: "vendor-y", Kind: register.KindVendor, Actionable: 1, Triaged: 2, Rate: pct(50)},
	}
	if diff := cmp.Diff(wantGroups, got.ByGroup); diff != "" {
		t.Errorf("by group (-want +got):\n%s", diff)
	}
	// Per kind: forum 0/0; government-cert 2/2; isac 2/2; unregistered
	// (none)+unknown-grp 1/2 = 50 %; vendor 1/2 = 50 %.
	wantKinds := []kpi.KindActionable{
		{Kind: register.KindForum},
		{Kind: register.KindGovernmentCERT, Actionable: 2, Triaged: 2, Rate: pct(100)},
		{Kind: register.KindISAC, Actionable: 2, Triaged: 2, Rate: pct(100)},
		{Kind: "unregistered", Actionable: 1, Triaged: 2, Rate: pct(50)},
		{Kind: register.KindVendor, Actionable: 1, Triaged: 2, Rate: pct(50)},
	}
	if diff := cmp.Diff(wantKinds, got.ByKind); diff != "" {
		t.Errorf("by kind (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"CVE-A", "CVE-B", "CVE-D", "CVE-F", "CVE-K", "CVE-O"}, got.Actionable); diff != "" {
		t.Errorf("actionable (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"CVE-K"}, got.DecisionFromCurrent); diff != "" {
		t.Errorf("decision from current (-want +got):\n%s", diff)
	}
	// Excluded: duplicates GHSA-E and GHSA-F, I triaged after as-of, M unreadable → 4.
	wantExcl := []kpi.Exclusion{
		{Reason: "decision-unreadable", Count: 1, IDs: []string{"CVE-M"}},
		{Reason: "duplicate", Count: 2, IDs: []string{"GHSA-E", "GHSA-F"}},
		{Reason: "triaged-after-as-of", Count: 1, IDs: []string{"CVE-I"}},
	}
	if diff := cmp.Diff(wantExcl, got.Exclusions); diff != "" {
		t.Errorf("exclusions (-want +got):\n%s", diff)
	}
	if got.Excluded != 4 || got.ID != "kpi.actionable-items/v1" || got.KPI != 2 {
		t.Errorf("excluded %d id %s kpi %d", got.Excluded, got.ID, got.KPI)
	}
}

func TestActionableItemsEmptyAndDeterministic(t *testing.T) {
	got := kpi.ActionableItems(nil, nil, q4, scenarioAsOf)
	if got.Rate != nil || !got.Defined() || *got.Value != 0 || got.ByGroup == nil || got.Actionable == nil {
		t.Fatalf("empty: rate %v value %s", got.Rate, got.ValueString())
	}
	cases := actionableCases()
	a := kpi.ActionableItems(actionableRegister(), cases, q4, scenarioAsOf)
	rev := make([]intake.Case, len(cases))
	for i, c := range cases {
		rev[len(cases)-1-i] = c
	}
	if diff := cmp.Diff(a, kpi.ActionableItems(actionableRegister(), rev, q4, scenarioAsOf)); diff != "" {
		t.Fatalf("input order changed the result (-a +b):\n%s", diff)
	}
	changed := actionableCases()
	changed[2].Events[0].Note = "actionable by rule x" // C's first decision
	b := kpi.ActionableItems(actionableRegister(), changed, q4, scenarioAsOf)
	if b.InputHash == a.InputHash || b.Numerator != 7 {
		t.Errorf("changing C's first decision: hash changed %v, numerator %d (want 7)", b.InputHash != a.InputHash, b.Numerator)
	}
}

// The decision a triage event records wins over its note: notes are words
// for people, the field is the record.
func TestActionableItemsReadsTheRecordedDecision(t *testing.T) {
	p := kpi.Quarter(2026, 4)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	c := triaged("CVE-2026-0001", "cisa", at, at, "triage by a person: see the ticket")
	c.Events[0].Decision = triage.DecisionActionable
	r := kpi.ActionableItems(actionableRegister(), []intake.Case{c}, p, p.End)
	if r.Numerator != 1 || r.Denominator != 1 || len(r.DecisionFromCurrent) != 0 {
		t.Fatalf("numerator %d of %d (from current %v); want the recorded actionable decision counted", r.Numerator, r.Denominator, r.DecisionFromCurrent)
	}
}
