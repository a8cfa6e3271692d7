package kpi_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

func day(y int, m time.Month, d int) register.Date { return register.NewDate(y, m, d) }

func no() *bool { b := false; return &b }

func activeRegister() *register.Register {
	active := register.MembershipActive
	return &register.Register{
		People: []register.Person{
			{ID: "akhan", Name: "Aisha Khan"},
			{ID: "jlee", Name: "Jin Lee", Active: no()},
			{ID: "bwu", Name: "Bo Wu"},
		},
		Groups: []register.Group{
			{ID: "a-isac", Kind: register.KindISAC, Owner: "akhan",
				Membership: register.Membership{Status: active, Since: day(2024, 1, 1)}},
			{ID: "b-cert", Kind: register.KindCERT, Owner: "akhan",
				Membership: register.Membership{Status: active, Since: day(2025, 6, 1), Until: day(2026, 12, 31)}},
			{ID: "c-ended", Kind: register.KindVendor, Owner: "akhan",
				Membership: register.Membership{Status: active, Until: day(2026, 12, 30)}},
			{ID: "d-future", Kind: register.KindVendor, Owner: "akhan",
				Membership: register.Membership{Status: active, Since: day(2027, 1, 1)}},
			{ID: "e-lapsed", Kind: register.KindForum, Owner: "akhan",
				Membership: register.Membership{Status: register.MembershipLapsed, Since: day(2024, 1, 1)}},
			{ID: "f-inactive", Kind: register.KindVendor, Owner: "jlee",
				Membership: register.Membership{Status: active, Since: day(2024, 1, 1)}},
			{ID: "g-unknown", Kind: register.KindMailingList, Owner: "ghost",
				Membership: register.Membership{Status: active, Since: day(2024, 1, 1)}},
			{ID: "h-noowner", Kind: register.KindISAC,
				Membership: register.Membership{Status: active, Since: day(2024, 1, 1)}},
			{ID: "i-nosince", Kind: register.KindVendor, Owner: "bwu",
				Membership: register.Membership{Status: active}},
			{ID: "j-since-today", Kind: register.KindCERT, Owner: "akhan",
				Membership: register.Membership{Status: active, Since: day(2026, 12, 31)}},
			{ID: "a-isac", Kind: register.KindISAC, Owner: "akhan", // duplicate ID
				Membership: register.Membership{Status: active}},
			{ID: "k-nostatus", Kind: register.KindForum, Owner: "akhan"},
		},
	}
}

func TestActiveMembershipsHandDerived(t *testing.T) {
	asOf := time.Date(2026, 12, 31, 15, 0, 0, 0, time.UTC)
	got := kpi.ActiveMemberships(activeRegister(), asOf)

	// 12 entries, one a duplicate ID → denominator 11.
	// Counted: a-isac (isac), b-cert (cert; until = t's day), i-nosince
	// (vendor; no since = started), j-since-today (cert; since = t's day) → 4.
	// Excluded: c-ended, d-future, e-lapsed, k-nostatus, f-inactive,
	// g-unknown, h-noowner, duplicate a-isac → 8 = 12 − 4.
	if got.Value == nil || *got.Value != 4 || got.Numerator != 4 || got.Denominator != 11 || got.Excluded != 8 {
		t.Fatalf("value %v num %d den %d excluded %d; want 4, 4, 11, 8", got.ValueString(), got.Numerator, got.Denominator, got.Excluded)
	}
	if got.ValueString() != "4" || got.Unit != kpi.UnitCount || got.ID != "kpi.active-memberships/v1" {
		t.Errorf("ValueString %q unit %q id %q", got.ValueString(), got.Unit, got.ID)
	}
	if diff := cmp.Diff(map[register.Kind]int{"isac": 1, "cert": 2, "vendor": 1}, got.ByKind); diff != "" {
		t.Errorf("by kind (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a-isac", "b-cert", "i-nosince", "j-since-today"}, got.Active); diff != "" {
		t.Errorf("active (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"i-nosince"}, got.MissingSince); diff != "" {
		t.Errorf("missing since (-want +got):\n%s", diff)
	}
	wantOrphans := []kpi.Orphan{
		{Group: "f-inactive", Kind: register.KindVendor, Owner: "jlee", Reason: kpi.ReasonOwnerInactive},
		{Group: "g-unknown", Kind: register.KindMailingList, Owner: "ghost", Reason: kpi.ReasonOwnerUnknown},
		{Group: "h-noowner", Kind: register.KindISAC, Owner: "", Reason: kpi.ReasonOwnerMissing},
	}
	if diff := cmp.Diff(wantOrphans, got.ActiveWithoutActiveOwner); diff != "" {
		t.Errorf("orphans (-want +got):\n%s", diff)
	}
	wantExcl := []kpi.Exclusion{
		{Reason: "duplicate-group-id", Count: 1, IDs: []string{"a-isac"}},
		{Reason: "membership-ended", Count: 1, IDs: []string{"c-ended"}},
		{Reason: "membership-not-active", Count: 2, IDs: []string{"e-lapsed", "k-nostatus"}},
		{Reason: "membership-not-started", Count: 1, IDs: []string{"d-future"}},
		{Reason: "owner-inactive", Count: 1, IDs: []string{"f-inactive"}},
		{Reason: "owner-missing", Count: 1, IDs: []string{"h-noowner"}},
		{Reason: "owner-unknown", Count: 1, IDs: []string{"g-unknown"}},
	}
	if diff := cmp.Diff(wantExcl, got.Exclusions); diff != "" {
		t.Errorf("exclusions (-want +got):\n%s", diff)
	}
}

func TestActiveMembershipsBoundaries(t *testing.T) {
	reg := &register.Register{
		People: []register.Person{{ID: "akhan"}},
		Groups: []register.Group{{ID: "g", Kind: register.KindCERT, Owner: "akhan",
			Membership: register.Membership{Status: register.MembershipActive,
				Since: day(2026, 10, 1), Until: day(2026, 12, 31)}}},
	}
	tests := []struct {
		name string
		asOf time.Time
		want float64
	}{
		{"before_since", time.Date(2026, 9, 30, 23, 59, 59, 999999999, time.UTC), 0},
		{"since_midnight", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), 1},
		{"until_day_start", time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), 1},
		{"until_day_last_instant", time.Date(2026, 12, 31, 23, 59, 59, 999999999, time.UTC), 1},
		{"day_after_until", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		// 2027-01-01T01:00+02:00 is 2026-12-31T23:00Z: the UTC day counts.
		{"offset_zone_uses_utc_day", time.Date(2027, 1, 1, 1, 0, 0, 0, time.FixedZone("EET", 2*3600)), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := kpi.ActiveMemberships(reg, tc.asOf)
			if *got.Value != tc.want || got.Denominator != 1 || got.Excluded != 1-int(tc.want) {
				t.Fatalf("value %s den %d excluded %d; want %v, 1, %d", got.ValueString(), got.Denominator, got.Excluded, tc.want, 1-int(tc.want))
			}
			if got.AsOf.Location() != time.UTC {
				t.Errorf("as_of not UTC: %v", got.AsOf)
			}
		})
	}
}

func TestActiveMembershipsEmpty(t *testing.T) {
	asOf := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	for name, reg := range map[string]*register.Register{"nil": nil, "empty": {}} {
		t.Run(name, func(t *testing.T) {
			got := kpi.ActiveMemberships(reg, asOf)
			// A count over no entries is 0, a fact, not n/a.
			if !got.Defined() || *got.Value != 0 || got.Denominator != 0 || got.Excluded != 0 {
				t.Fatalf("got %+v", got.Measure)
			}
			if got.Active == nil || got.ActiveWithoutActiveOwner == nil || got.MissingSince == nil || got.Exclusions == nil {
				t.Fatal("empty lists must be non-nil so JSON shows [] not null")
			}
		})
	}
}

func TestActiveMembershipsInputHash(t *testing.T) {
	asOf := time.Date(2026, 12, 31, 15, 0, 0, 0, time.UTC)
	base := kpi.ActiveMemberships(activeRegister(), asOf).InputHash

	reordered := activeRegister()
	g := reordered.Groups
	g[0], g[9] = g[9], g[0]
	if h := kpi.ActiveMemberships(reordered, asOf).InputHash; h != base {
		t.Errorf("reordering groups changed the hash: %s vs %s", h, base)
	}
	// Fields the KPI does not read do not change the hash.
	renamed := activeRegister()
	renamed.Groups[0].Name, renamed.Groups[0].URL = "Renamed", "https://example.org"
	if h := kpi.ActiveMemberships(renamed, asOf).InputHash; h != base {
		t.Errorf("an unread field changed the hash")
	}
	changed := activeRegister()
	changed.People[1].Active = nil // jlee is back
	if h := kpi.ActiveMemberships(changed, asOf).InputHash; h == base {
		t.Errorf("an owner's active flag did not change the hash")
	}
	if h := kpi.ActiveMemberships(activeRegister(), asOf.Add(time.Second)).InputHash; h == base {
		t.Errorf("as_of did not change the hash")
	}
	if len(base) != len("sha256:")+64 || base[:7] != "sha256:" {
		t.Errorf("hash %q is not sha256:<64 hex>", base)
	}
}
