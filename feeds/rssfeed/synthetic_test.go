package rssfeed

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sigwatch/sigwatch/feeds"
)

// The fixtures in testdata/synthetic are SYNTHETIC: no captured copy of the
// NCSC, MSRC, Cisco, Ubuntu, Fortinet or Debian DSA feeds was available.
// They were written by hand from the structure described in formats.md §2
// and §3 (see testdata/SOURCES.md); the expected values below were read
// from the fixtures by eye. They test this package's handling of the
// documented quirks, not the real feeds.

func TestSyntheticMSRC(t *testing.T) {
	f := parseFile(t, "testdata/synthetic/msrc.xml", presetOptions(t, "msrc"))
	if got, want := ids(f), []string{"CVE-2024-21413", "CVE-2023-36884", "ADV240001"}; !slices.Equal(got, want) {
		t.Fatalf("IDs %q, want %q", got, want)
	}
	a := f.Advisories[0]
	// The guid is a bare CVE: it is the ID, not an alias; the CVE named in
	// the Markdown description is related.
	if a.Aliases != nil || !slices.Equal(a.Related, []string{"CVE-2024-21378"}) {
		t.Errorf("aliases %q related %q", a.Aliases, a.Related)
	}
	// "Tue, 13 Feb 2024 08:00:00 -0700" is 15:00 UTC.
	if want := time.Date(2024, 2, 13, 15, 0, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("published %v, want %v", a.Published, want)
	}
	if a.Extra[ExtraAttrPrefix+"Revision"] != "1.0000" || f.Advisories[1].Extra[ExtraAttrPrefix+"Revision"] != "2.0000" {
		t.Errorf("Revision attributes not kept: %v", a.Extra)
	}
	if !strings.HasPrefix(a.Summary, "**What is the attack vector?**") {
		t.Errorf("Markdown summary not kept: %q", a.Summary)
	}
	if a.Publisher != "Microsoft Security Response Center" || a.Source != "msrc" {
		t.Errorf("publisher %q source %q", a.Publisher, a.Source)
	}
	if diff := cmp.Diff([]feeds.Affected{{Vendor: "Microsoft", Product: "Microsoft Outlook"}}, a.Affected); diff != "" {
		t.Errorf("hint (-want +got):\n%s", diff)
	}
	// A lower-case guid is upper-cased; the raw value stays in Extra.
	if b := f.Advisories[1]; b.Extra[ExtraGUID] != "cve-2023-36884" || b.Affected[0].Product != "Windows Search" {
		t.Errorf("second item: guid %q affected %+v", b.Extra[ExtraGUID], b.Affected)
	}
	// An ADV item is not a CVE: its guid is the ID, the CVE it mentions is related.
	if c := f.Advisories[2]; c.Aliases != nil || !slices.Equal(c.Related, []string{"CVE-2024-21410"}) {
		t.Errorf("ADV item aliases %q related %q", c.Aliases, c.Related)
	}
}

func TestSyntheticCisco(t *testing.T) {
	f := parseFile(t, "testdata/synthetic/cisco-psirt.xml", presetOptions(t, "cisco-psirt"))
	base := "https://sec.cloudapps.cisco.com/security/center/content/CiscoSecurityAdvisory/"
	want := []struct{ id, url string }{
		{"cisco-sa-iosxe-webui-privesc-j22SaA4z", base + "cisco-sa-iosxe-webui-privesc-j22SaA4z"},
		{"cisco-sa-asaftd-ravpn-auth-8LyfCkeC", base + "cisco-sa-asaftd-ravpn-auth-8LyfCkeC"},
	}
	if len(f.Advisories) != len(want) {
		t.Fatalf("%d advisories", len(f.Advisories))
	}
	for i, w := range want {
		a := f.Advisories[i]
		if a.ID != w.id || a.URL != w.url {
			t.Errorf("item %d: ID %q URL %q, want %q %q", i, a.ID, a.URL, w.id, w.url)
		}
		if !strings.Contains(a.Extra[ExtraLink], "vs_k=1") {
			t.Errorf("item %d: raw link not kept: %q", i, a.Extra[ExtraLink])
		}
		if a.Affected[0].Vendor != "Cisco" {
			t.Errorf("item %d: affected %+v", i, a.Affected)
		}
	}
	if got := f.Advisories[0].Related; !slices.Equal(got, []string{"CVE-2023-20198", "CVE-2023-20273"}) {
		t.Errorf("related %q", got)
	}
}

func TestSyntheticUbuntu(t *testing.T) {
	f := parseFile(t, "testdata/synthetic/ubuntu-usn.xml", presetOptions(t, "ubuntu-usn"))
	a := f.Advisories[0]
	if a.ID != "USN-4504-1" || a.URL != "https://ubuntu.com/security/notices/USN-4504-1" {
		t.Errorf("ID %q URL %q", a.ID, a.URL)
	}
	// Three CVEs in parentheses, over two lines.
	if want := []string{"CVE-2019-1547", "CVE-2019-1563", "CVE-2020-1968"}; !slices.Equal(a.Related, want) {
		t.Errorf("related %q, want %q", a.Related, want)
	}
	// isPermaLink="false": the guid is not used as a reference of its own.
	if len(a.References) != 1 || a.Extra[ExtraGUID] != "https://ubuntu.com/security/notices/USN-4504-1" {
		t.Errorf("references %v guid %q", a.References, a.Extra[ExtraGUID])
	}
	if diff := cmp.Diff([]feeds.Affected{{Vendor: "Canonical", Product: "Ubuntu", Package: "OpenSSL"}}, a.Affected); diff != "" {
		t.Errorf("hint (-want +got):\n%s", diff)
	}
	if b := f.Advisories[1]; b.ID != "USN-6000-2" || b.Affected[0].Package != "Linux kernel (Azure)" {
		t.Errorf("second: %q %+v", b.ID, b.Affected)
	}
}

func TestSyntheticFortinet(t *testing.T) {
	f := parseFile(t, "testdata/synthetic/fortinet-psirt.xml", presetOptions(t, "fortinet-psirt"))
	a := f.Advisories[0]
	// "Thu, 08 Feb 2024 17:00:00 -0800" is the next day, 01:00 UTC.
	if a.ID != "FG-IR-24-015" || !slices.Equal(a.Related, []string{"CVE-2024-21762"}) ||
		!a.Published.Equal(time.Date(2024, 2, 9, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("ID %q related %q published %v", a.ID, a.Related, a.Published)
	}
}

func TestSyntheticNCSC(t *testing.T) {
	f := parseFile(t, "testdata/synthetic/ncsc-all.xml", presetOptions(t, "ncsc-all"))
	want := []string{
		// No guid: the link is the ID. The later copy of this item with a
		// utm_campaign parameter is merged into it.
		"https://www.ncsc.gov.uk/report/weekly-threat-report-31st-may-2019",
		"https://www.ncsc.gov.uk/news/exploitation-of-microsoft-exchange",
		"https://www.ncsc.gov.uk/guidance/vulnerability-management",
		"https://www.ncsc.gov.uk/blog-post/putting-staff-at-the-heart-of-cyber-security",
	}
	if !slices.Equal(ids(f), want) {
		t.Fatalf("IDs\n got %q\nwant %q", ids(f), want)
	}
	a := f.Advisories[0]
	if a.Title != "Weekly Threat Report 31st May 2019" || !a.Published.Equal(time.Date(2019, 5, 31, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("WTR: title %q published %v", a.Title, a.Published)
	}
	// NCSC items name no products: no hints, and the publisher is set.
	for _, a := range f.Advisories {
		if a.Affected != nil || a.Publisher != "UK National Cyber Security Centre (NCSC)" || a.Source != "ncsc-all" {
			t.Errorf("%s: affected %+v publisher %q source %q", a.ID, a.Affected, a.Publisher, a.Source)
		}
	}
	// CVE IDs in any case are upper-cased and go into Related, not Aliases.
	b := f.Advisories[1]
	if !slices.Equal(b.Related, []string{"CVE-2021-26855", "CVE-2021-27065"}) || b.Aliases != nil {
		t.Errorf("related %q aliases %q", b.Related, b.Aliases)
	}
	wantWarn := []string{"testdata/synthetic/ncsc-all.xml:26:5: rss.channel.item[2]: id https://www.ncsc.gov.uk/report/weekly-threat-report-31st-may-2019 repeats rss.channel.item[0]; merged into it"}
	if !slices.Equal(f.Warnings, wantWarn) {
		t.Errorf("warnings\n got %q\nwant %q", f.Warnings, wantWarn)
	}
	if !f.Updated.Equal(time.Date(2019, 5, 31, 16, 30, 0, 0, time.UTC)) {
		t.Errorf("Updated %v", f.Updated)
	}
}

func TestSyntheticDebianDSA(t *testing.T) {
	f := parseFile(t, "testdata/synthetic/debian-dsa.rdf", presetOptions(t, "debian-dsa"))
	if got := ids(f); !slices.Equal(got, []string{"DSA-5496-1", "DSA-5495-1"}) || len(f.Warnings) != 0 {
		t.Fatalf("IDs %q warnings %q", got, f.Warnings)
	}
	a := f.Advisories[0]
	if a.Affected[0].Package != "firefox-esr" || !a.Published.Equal(time.Date(2023, 9, 12, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("affected %+v published %v", a.Affected, a.Published)
	}
}

// The GitHub presets add the OSV ecosystem name to the package hints and
// the publisher; checked on the real files.
func TestGitHubPresets(t *testing.T) {
	for file, eco := range map[string]string{"npm.rss": "npm", "go.rss": "Go", "maven.rss": "Maven"} {
		name := "ghsa-azu-" + strings.TrimSuffix(file, ".rss")
		f := parseFile(t, "testdata/"+file, presetOptions(t, name))
		for _, a := range f.Advisories {
			if a.Publisher != "GitHub" || a.Source != name || a.Extra[ExtraRule] != name {
				t.Errorf("%s %s: publisher %q source %q rule %q", file, a.ID, a.Publisher, a.Source, a.Extra[ExtraRule])
			}
			for _, af := range a.Affected {
				if af.Ecosystem != eco || af.Package == "" || af.Vendor != "" {
					t.Errorf("%s %s: hint %+v", file, a.ID, af)
				}
			}
		}
	}
	f := parseFile(t, "testdata/maven.rss", presetOptions(t, "ghsa-azu-maven"))
	want := []feeds.Affected{{Ecosystem: "Maven", Package: "com.vaadin:vaadin"}, {Ecosystem: "Maven", Package: "com.vaadin:flow-server"}}
	if diff := cmp.Diff(want, find(t, f, "GHSA-rjgh-wgc7-m37j").Affected); diff != "" {
		t.Errorf("merged Maven packages (-want +got):\n%s", diff)
	}
}
