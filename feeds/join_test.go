package feeds_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
)

func TestJoinGroupsThroughAliasChains(t *testing.T) {
	kev := feeds.Advisory{ID: "CVE-2024-3400", Source: "cisa-kev",
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{DueDate: time.Date(2024, 4, 19, 0, 0, 0, 0, time.UTC)}},
		Affected:     []feeds.Affected{{Vendor: "Palo Alto Networks", Product: "PAN-OS"}}}
	cve := feeds.Advisory{ID: "cve-2024-3400", Source: "cve5", Severity: feeds.SeverityCritical,
		Affected: []feeds.Affected{{Vendor: "Palo Alto Networks", Product: "PAN-OS", Versions: []string{"11.1.2"}}}}
	// The lower-case duplicate of the ID is not added as an alias.
	// A vendor advisory linked only through a third record's aliases.
	vendor := feeds.Advisory{ID: "PAN-SA-2024-0001", Source: "rss"}
	link := feeds.Advisory{ID: "GHSA-xxxx", Aliases: []string{"CVE-2024-3400", "PAN-SA-2024-0001"}, Source: "osv"}
	other := feeds.Advisory{ID: "CVE-2023-0001", Source: "cve5"}
	in := []feeds.Advisory{kev, vendor, other, cve, link}
	before := in[0].Clone()

	got := feeds.Join(in)
	if len(got) != 2 {
		t.Fatalf("Join gave %d advisories, want 2 (one per vulnerability): %+v", len(got), got)
	}
	j := got[0]
	if j.ID != "CVE-2024-3400" || j.Source != "cisa-kev" {
		t.Errorf("base = %s from %s, want the first input (CVE-2024-3400 from cisa-kev)", j.ID, j.Source)
	}
	if diff := cmp.Diff([]string{"GHSA-xxxx", "PAN-SA-2024-0001"}, j.Aliases); diff != "" {
		t.Errorf("aliases (-want +got):\n%s", diff)
	}
	if len(j.Affected) != 2 || j.Severity != feeds.SeverityCritical || j.Exploitation.KEV == nil {
		t.Errorf("merged advisory lost data: affected %d, severity %q, kev %v", len(j.Affected), j.Severity, j.Exploitation.KEV)
	}
	if got[1].ID != "CVE-2023-0001" {
		t.Errorf("second group = %s", got[1].ID)
	}
	// Inputs are untouched and share nothing with the output.
	if diff := cmp.Diff(before, in[0]); diff != "" {
		t.Errorf("Join changed its input (-before +after):\n%s", diff)
	}
	got[0].Affected[1].Versions[0] = "changed"
	if cve.Affected[0].Versions[0] != "11.1.2" {
		t.Error("Join's output shares memory with its input")
	}
}

func TestMergeRSSHintsYieldToProductData(t *testing.T) {
	kev := feeds.Advisory{ID: "CVE-2024-21762", Affected: []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS"}}}
	rss := feeds.Advisory{ID: "FG-IR-24-015", Aliases: []string{"CVE-2024-21762"},
		Affected: []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS SSL-VPN"}},
		Extra:    map[string]string{"rss.affected": "hint"}}
	for _, order := range [][]feeds.Advisory{{kev, rss}, {rss, kev}} {
		got := feeds.Join(order)
		if len(got) != 1 {
			t.Fatalf("%d advisories", len(got))
		}
		if a := got[0]; len(a.Affected) != 1 || a.Affected[0].Product != "FortiOS" || a.Extra["rss.affected"] == "hint" {
			t.Errorf("first %s: affected %+v, extra %v; want only the KEV product data, no hint flag", order[0].ID, a.Affected, a.Extra)
		}
	}
	if rss.Extra["rss.affected"] != "hint" {
		t.Error("Join changed its input's Extra")
	}
}

// TestMergeTLPTakesTheStricterLabel: whichever source arrives first, the
// merged advisory carries the stricter label; an unknown label counts as
// stricter than RED.
func TestMergeTLPTakesTheStricterLabel(t *testing.T) {
	for _, tt := range []struct {
		dst, src, want feeds.TLP
	}{
		{feeds.TLPUnspecified, feeds.TLPAmber, feeds.TLPAmber},
		{feeds.TLPAmber, feeds.TLPUnspecified, feeds.TLPAmber},
		{feeds.TLPClear, feeds.TLPGreen, feeds.TLPGreen},
		{feeds.TLPRed, feeds.TLPAmberStrict, feeds.TLPRed},
		{feeds.TLPAmber, feeds.TLPAmberStrict, feeds.TLPAmberStrict},
		{feeds.TLPGreen, "PURPLE", "PURPLE"},
		{"PURPLE", feeds.TLPRed, "PURPLE"},
		{feeds.TLPClear, feeds.TLPClear, feeds.TLPClear},
	} {
		dst := feeds.Advisory{ID: "CVE-2026-0001", TLP: tt.dst}
		src := feeds.Advisory{ID: "CVE-2026-0001", TLP: tt.src}
		feeds.Merge(&dst, &src)
		if dst.TLP != tt.want {
			t.Errorf("Merge(%q ← %q): TLP %q, want %q", tt.dst, tt.src, dst.TLP, tt.want)
		}
	}
}
