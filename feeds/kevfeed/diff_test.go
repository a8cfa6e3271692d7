package kevfeed

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
)

// The expected values in this file were derived independently of the Go
// code, with a Python script over the raw JSON releases: for every cveID
// in both, compare each of the ten entry fields (an absent
// knownRansomwareCampaignUse counted as "Unknown"); IDs only in the new
// release are added, only in the old one removed. formats.md §1 lists the
// same figures.
func TestDiffSixMonths(t *testing.T) {
	old := parseFile(t, "testdata/known_exploited_vulnerabilities_2025-02-26.json")
	cur := parseFile(t, currentFile)
	d := Diff(old, cur)

	if d.From != "2025.02.26" || d.To != "2025.08.25" {
		t.Errorf("From %q To %q", d.From, d.To)
	}
	if len(d.Added) != 124 || len(d.Removed) != 0 || len(d.Changed) != 43 {
		t.Fatalf("added %d removed %d changed %d, want 124, 0, 43", len(d.Added), len(d.Removed), len(d.Changed))
	}
	if want := []string{"CVE-2025-48384", "CVE-2024-8068", "CVE-2024-8069"}; !slices.Equal(d.Added[:3], want) {
		t.Errorf("first added = %v, want %v (catalog order)", d.Added[:3], want)
	}
	other := map[string][]string{
		"CVE-2024-57727": {FieldRansomware, FieldNotes},
		"CVE-2024-53104": {FieldNotes},
		"CVE-2024-45195": {FieldNotes},
		"CVE-2024-27348": {FieldNotes},
		"CVE-2024-5217":  {FieldProduct},
		"CVE-2024-4879":  {FieldProduct, FieldShortDescription},
		"CVE-2024-4761":  {FieldProduct},
		"CVE-2023-44487": {FieldRequiredAction, FieldNotes},
		"CVE-2020-6572":  {FieldVulnerabilityName},
	}
	counts := map[string]int{}
	for _, c := range d.Changed {
		for _, f := range c.Fields {
			counts[f]++
		}
		if want, ok := other[c.ID]; ok {
			if !slices.Equal(c.Fields, want) {
				t.Errorf("%s changed %v, want %v", c.ID, c.Fields, want)
			}
			delete(other, c.ID)
		} else if !slices.Equal(c.Fields, []string{FieldRansomware}) {
			t.Errorf("%s changed %v, want only the ransomware flag", c.ID, c.Fields)
		}
	}
	if len(other) != 0 {
		t.Errorf("changes not reported: %v", other)
	}
	wantCounts := map[string]int{FieldRansomware: 35, FieldNotes: 5, FieldProduct: 3, FieldShortDescription: 1, FieldRequiredAction: 1, FieldVulnerabilityName: 1}
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("field counts (-want +got):\n%s", diff)
	}

	// The flip the issue names: CVE-2024-21762 went from Unknown to Known.
	i := slices.IndexFunc(d.Changed, func(c Change) bool { return c.ID == "CVE-2024-21762" })
	if i < 0 {
		t.Fatal("CVE-2024-21762 ransomware flip not reported")
	}
	for cat, want := range map[*Catalog]string{old: "Unknown", cur: "Known"} {
		j := slices.IndexFunc(cat.Advisories, func(a feeds.Advisory) bool { return a.ID == "CVE-2024-21762" })
		if got := cat.Advisories[j].Exploitation.KEV.RansomwareUse; got != want {
			t.Errorf("%s: CVE-2024-21762 ransomware use %q, want %q", cat.Version, got, want)
		}
	}
}

func TestDiffFourDays(t *testing.T) {
	d := Diff(parseFile(t, "testdata/known_exploited_vulnerabilities_2025-08-21.json"), parseFile(t, currentFile))
	want := &Delta{From: "2025.08.21", To: "2025.08.25", Added: []string{"CVE-2025-48384", "CVE-2024-8068", "CVE-2024-8069"}, Removed: []string{}, Changed: []Change{}}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
}

func TestDiffEdges(t *testing.T) {
	cur := parseFile(t, currentFile)
	if d := Diff(cur, cur); !d.Empty() {
		t.Errorf("a catalog differs from itself: %+v", d)
	}
	if d := Diff(nil, cur); len(d.Added) != 1404 || d.From != "" {
		t.Errorf("Diff(nil, cur): %d added", len(d.Added))
	}
	if d := Diff(cur, nil); len(d.Removed) != 1404 || d.To != "" {
		t.Errorf("Diff(cur, nil): %d removed", len(d.Removed))
	}

	// Every field is compared, raw: a trailing space is a change.
	mutate := func(f func(c *Catalog)) *Delta {
		c := mustParse(t, minimal)
		f(c)
		return Diff(mustParse(t, minimal), c)
	}
	cases := map[string]func(c *Catalog){
		FieldVendorProject:     func(c *Catalog) { c.Advisories[0].Affected[0].Vendor += " " },
		FieldProduct:           func(c *Catalog) { c.Advisories[0].Affected[0].Product = "Other" },
		FieldVulnerabilityName: func(c *Catalog) { c.Advisories[0].Exploitation.KEV.VulnerabilityName = "x" },
		FieldDateAdded: func(c *Catalog) {
			c.Advisories[0].Exploitation.KEV.DateAdded = c.Advisories[0].Exploitation.KEV.DateAdded.AddDate(0, 0, 1)
		},
		FieldShortDescription: func(c *Catalog) { c.Advisories[0].Summary = "changed" },
		FieldRequiredAction:   func(c *Catalog) { c.Advisories[0].Exploitation.KEV.RequiredAction = "Patch." },
		FieldDueDate: func(c *Catalog) {
			c.Advisories[0].Exploitation.KEV.DueDate = c.Advisories[0].Exploitation.KEV.DueDate.AddDate(0, 1, 0)
		},
		FieldRansomware: func(c *Catalog) { c.Advisories[0].Exploitation.KEV.RansomwareUse += "!" },
		FieldNotes:      func(c *Catalog) { c.Advisories[0].Exploitation.KEV.Notes += "; https://example.org" },
		FieldCWEs:       func(c *Catalog) { c.Advisories[0].Weaknesses = append(c.Advisories[0].Weaknesses, "CWE-79") },
	}
	for field, f := range cases {
		d := mutate(f)
		if len(d.Changed) != 1 || !slices.Equal(d.Changed[0].Fields, []string{field}) {
			t.Errorf("changing %s: Diff = %+v", field, d.Changed)
		}
	}
}

func mustParse(t *testing.T, s string) *Catalog {
	t.Helper()
	c, err := Parse(strings.NewReader(s), "minimal.json")
	if err != nil {
		t.Fatal(err)
	}
	return c
}
