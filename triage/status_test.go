package triage

import (
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
)

// TestPublisherStatusAppliesToListedVersionsOnly covers the CVE 5 shape
// "affected versions in one entry, unaffected versions in another, a
// default status for the rest" (CVE-2025-21631's semver entry, reduced).
// Expected verdicts are read off the entries by hand.
func TestPublisherStatusAppliesToListedVersionsOnly(t *testing.T) {
	semver := func(intro, fixed string) feeds.Range {
		r := feeds.Range{Type: "semver", Events: []feeds.Event{{Introduced: intro}}}
		if fixed != "" {
			r.Events = append(r.Events, feeds.Event{Fixed: fixed})
		}
		return r
	}
	kernel := []feeds.Affected{
		{Vendor: "Linux", Product: "Linux", Status: feeds.StatusAffected, DefaultStatus: feeds.StatusAffected, Versions: []string{"6.12"}},
		{Vendor: "Linux", Product: "Linux", Status: feeds.StatusNotAffected, DefaultStatus: feeds.StatusAffected,
			Ranges: []feeds.Range{semver("0", "6.12"), semver("6.6.72", "6.7"), semver("6.12.10", "6.13")}},
	}
	unreadable := []feeds.Affected{
		{Vendor: "Acme", Product: "Gateway", Status: feeds.StatusNotAffected, DefaultStatus: feeds.StatusAffected,
			Ranges: []feeds.Range{{Type: "TEXT", Expr: "unspecified"}}},
	}
	partial := []feeds.Affected{
		{Vendor: "Acme", Product: "Gateway", Status: feeds.StatusNotAffected, Ranges: []feeds.Range{semver("2.0", "")}},
	}
	tests := []struct {
		name     string
		affected []feeds.Affected
		product  string
		version  string
		want     Verdict
	}{
		{"listed affected", kernel, "Linux", "6.12", VerdictAffected},
		{"unlisted, default affected", kernel, "Linux", "6.12.5", VerdictAffected},
		{"later release line, default affected", kernel, "Linux", "7.0", VerdictAffected},
		{"listed unaffected (fixed backport)", kernel, "Linux", "6.12.10", VerdictNotAffected},
		{"listed unaffected (older line)", kernel, "Linux", "6.6.80", VerdictNotAffected},
		{"listed unaffected (before introduction)", kernel, "Linux", "5.4.1", VerdictNotAffected},
		{"unreadable unaffected range is never not_affected", unreadable, "Gateway", "1.0", VerdictNeedsReview},
		{"unaffected statement about other versions only", partial, "Gateway", "1.5", VerdictNeedsReview},
		{"unaffected statement covering the version", partial, "Gateway", "2.3.0", VerdictNotAffected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vendor := tt.affected[0].Vendor
			e, err := New(&Stack{Components: []Component{{ID: "c", Vendor: vendor, Product: tt.product, Version: tt.version, Owner: "o"}}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			r := e.Evaluate(&feeds.Advisory{ID: "CVE-2025-0001", Affected: tt.affected})
			if len(r.Matches) != 1 {
				t.Fatalf("%d matches", len(r.Matches))
			}
			if m := r.Matches[0]; m.Verdict != tt.want {
				t.Errorf("%s %s: verdict %s (%s), want %s", tt.product, tt.version, m.Verdict, m.VersionReason, tt.want)
			}
		})
	}
}
