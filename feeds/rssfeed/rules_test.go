package rssfeed

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sigwatch/sigwatch/feeds"
)

func TestStripTracking(t *testing.T) {
	tests := []struct {
		name, in string
		extra    []string
		want     string
	}{
		{"no_query", "https://a.example/x", nil, "https://a.example/x"},
		{"utm_only", "https://a.example/x?utm_source=rss&utm_medium=feed", nil, "https://a.example/x"},
		{"utm_case", "https://a.example/x?UTM_Source=rss", nil, "https://a.example/x"},
		{"keeps_others_in_order", "https://a.example/x?b=2&utm_source=rss&a=1", nil, "https://a.example/x?b=2&a=1"},
		{"cisco", "https://sec.example/cisco-sa-x?vs_f=Cisco%20Security%20Advisory&vs_cat=Security%20Intelligence&vs_type=RSS&vs_p=IOS&vs_k=1", nil, "https://sec.example/cisco-sa-x"},
		{"fragment_kept", "https://a.example/x?utm_source=rss#top", nil, "https://a.example/x#top"},
		{"question_mark_in_fragment", "https://a.example/a#x?utm_source=1", nil, "https://a.example/a#x?utm_source=1"},
		{"encoding_kept", "https://a.example/x?q=a%20b+c&fbclid=1", nil, "https://a.example/x?q=a%20b+c"},
		{"encoded_key", "https://a.example/x?utm%5Fsource=1&k=v", nil, "https://a.example/x?k=v"},
		{"nothing_to_strip", "https://a.example/x?id=7&&", nil, "https://a.example/x?id=7&&"},
		{"extra_param", "https://a.example/x?src=feed&id=7", []string{"src"}, "https://a.example/x?id=7"},
		{"extra_prefix", "https://a.example/x?trk_a=1&trk_b=2&id=7", []string{"trk_*"}, "https://a.example/x?id=7"},
		{"not_a_url", "urn:uuid:1?utm_source=x", nil, "urn:uuid:1?utm_source=x"},
		{"relative", "/news/x?utm_source=x", nil, "/news/x?utm_source=x"},
		{"unparseable", "https://a.example/%zz?utm_source=x", nil, "https://a.example/%zz?utm_source=x"},
		{"utm_alone_is_not_prefix", "https://a.example/x?utm=1", nil, "https://a.example/x?utm=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stripTracking(tt.in, tt.extra); got != tt.want {
				t.Errorf("stripTracking(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if p := TrackingParams(); !slices.Contains(p, "vs_k") || !slices.Contains(p, "utm_*") {
		t.Errorf("TrackingParams() = %q", p)
	}
}

// Each built-in rule on the titles and links it was written for, and on
// near misses that must not match.
func TestBuiltinRules(t *testing.T) {
	tests := []struct {
		name, title, guid, link string
		wantID, wantRule        string
		wantSeverity            feeds.Severity
		wantAffected            []feeds.Affected
	}{
		{
			name: "alas_al2", title: "ALAS-2018-1103 (important): spamassassin",
			link:   "https://alas.aws.amazon.com/AL2/ALAS-2018-1103.html",
			wantID: "ALAS-2018-1103", wantRule: "amazon-alas", wantSeverity: feeds.SeverityHigh,
			wantAffected: []feeds.Affected{{Vendor: "Amazon", Product: "Amazon Linux 2", Package: "spamassassin"}},
		},
		{
			name: "alas2_prefixed", title: "ALAS2-2024-2500 (low): curl",
			link:   "https://alas.aws.amazon.com/AL2/ALAS2-2024-2500.html",
			wantID: "ALAS2-2024-2500", wantRule: "amazon-alas", wantSeverity: feeds.SeverityLow,
			wantAffected: []feeds.Affected{{Vendor: "Amazon", Product: "Amazon Linux 2", Package: "curl"}},
		},
		{
			name: "alas_unknown_product", title: "ALAS-2018-1106 (medium): 389-ds-base",
			link:   "https://alas.aws.amazon.com/ALAS-2018-1106.html",
			wantID: "ALAS-2018-1106", wantRule: "amazon-alas", wantSeverity: feeds.SeverityMedium,
			wantAffected: []feeds.Affected{{Vendor: "Amazon", Package: "389-ds-base"}},
		},
		{
			name: "usn", title: "USN-4504-1: OpenSSL vulnerabilities", guid: "https://ubuntu.com/security/notices/USN-4504-1",
			wantID: "USN-4504-1", wantRule: "ubuntu-usn",
			wantAffected: []feeds.Affected{{Vendor: "Canonical", Product: "Ubuntu", Package: "OpenSSL"}},
		},
		{
			name: "dla", title: "DLA-3500-1 openssl - security update", link: "https://www.debian.org/lts/security/2023/dla-3500",
			wantID: "DLA-3500-1", wantRule: "debian-dsa",
			wantAffected: []feeds.Affected{{Vendor: "Debian", Product: "Debian", Package: "openssl"}},
		},
		{
			name: "ghsa_in_link", title: "[lodash] Prototype pollution", link: "https://github.com/advisories/GHSA-p6mc-m468-83gw",
			wantID: "GHSA-p6mc-m468-83gw", wantRule: "github-ghsa",
			wantAffected: []feeds.Affected{{Package: "lodash"}},
		},
		{
			name: "fortinet", title: "FortiOS - heap overflow", link: "https://fortiguard.fortinet.com/psirt/FG-IR-23-097",
			wantID: "FG-IR-23-097", wantRule: "fortinet-psirt",
			wantAffected: []feeds.Affected{{Vendor: "Fortinet"}},
		},
		{
			name: "paloalto_pansa", title: "PAN-SA-2024-0001 Informational Bulletin", link: "https://security.paloaltonetworks.com/PAN-SA-2024-0001",
			wantID: "PAN-SA-2024-0001", wantRule: "paloalto-psirt",
			wantAffected: []feeds.Affected{{Vendor: "Palo Alto Networks"}},
		},
		// Near misses: mentions are not identities.
		{
			name: "news_mentions_usn", title: "Patch now: see USN-4504-1", link: "https://news.example/usn",
			wantID: "https://news.example/usn",
		},
		{
			name: "ghsa_in_query_only", title: "t", link: "https://news.example/post?ref=GHSA-p6mc-m468-83gw",
			wantID: "https://news.example/post?ref=GHSA-p6mc-m468-83gw",
		},
		{
			name: "ghsa_prefix_of_segment", title: "t", link: "https://news.example/GHSA-p6mc-m468-83gw-writeup",
			wantID: "https://news.example/GHSA-p6mc-m468-83gw-writeup",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := newParser("r.xml", nil)
			if err != nil {
				t.Fatal(err)
			}
			a, ok := p.mapItem(&rawItem{path: "x", title: tt.title, guid: tt.guid, hasGUID: tt.guid != "", link: tt.link, permaLink: true})
			if !ok {
				t.Fatalf("item dropped: %q", p.warnings)
			}
			if a.ID != tt.wantID || a.Extra[ExtraRule] != tt.wantRule || a.Severity != tt.wantSeverity {
				t.Errorf("ID %q rule %q severity %q, want %q %q %q", a.ID, a.Extra[ExtraRule], a.Severity, tt.wantID, tt.wantRule, tt.wantSeverity)
			}
			if diff := cmp.Diff(tt.wantAffected, a.Affected); diff != "" {
				t.Errorf("affected (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCustomRules(t *testing.T) {
	doc := `<rss><channel>
<item><title>[ISAC-2025-0042] (HIGH) Acme Widget flaw</title><link>https://isac.example/a/42?utm_source=mail</link></item>
<item><title>ALAS-2018-1 (low): curl</title><guid>g</guid></item>
</channel></rss>`
	opts := &ParseOptions{
		SourceName: "acme-isac",
		Publisher:  "Acme ISAC",
		Vendor:     "Acme",
		Rules: []ItemRule{{
			Name:            "acme-isac",
			IDPattern:       `^\[(?P<id>ISAC-\d{4}-\d+)\]`,
			IDIn:            []string{FieldTitle},
			SeverityPattern: `\((\w+)\)`,
			ProductPattern:  `\) (Acme \w+)`,
		}},
		NoBuiltinRules: true,
	}
	f, err := ParseWith(strings.NewReader(doc), "isac.xml", opts)
	if err != nil {
		t.Fatal(err)
	}
	a := f.Advisories[0]
	if a.ID != "ISAC-2025-0042" || a.Severity != feeds.SeverityHigh || a.Publisher != "Acme ISAC" || a.Source != "acme-isac" ||
		a.URL != "https://isac.example/a/42" {
		t.Errorf("custom rule: %+v", a)
	}
	if diff := cmp.Diff([]feeds.Affected{{Vendor: "Acme", Product: "Acme Widget"}}, a.Affected); diff != "" {
		t.Errorf("affected (-want +got):\n%s", diff)
	}
	// With the built-in rules off, the ALAS title is not recognised; the
	// options' vendor still gives a vendor-only hint.
	if b := f.Advisories[1]; b.ID != "g" || b.Severity != "" || !cmp.Equal(b.Affected, []feeds.Affected{{Vendor: "Acme"}}) {
		t.Errorf("second item: %q %q %+v", b.ID, b.Severity, b.Affected)
	}
}

func TestRuleErrors(t *testing.T) {
	tests := []struct {
		rule ItemRule
		msg  string
	}{
		{ItemRule{IDPattern: "x"}, "has no name"},
		{ItemRule{Name: "r"}, `item rule "r": IDPattern is required`},
		{ItemRule{Name: "r", IDPattern: "("}, `item rule "r": IDPattern: error parsing regexp`},
		{ItemRule{Name: "r", IDPattern: "x", SeverityPattern: "high"}, `SeverityPattern "high" needs a capturing group`},
		{ItemRule{Name: "r", IDPattern: "x", PackagePattern: "[("}, "PackagePattern: error parsing regexp"},
		{ItemRule{Name: "r", IDPattern: "x", IDIn: []string{"description"}}, `unknown field "description"`},
	}
	for _, tt := range tests {
		_, err := ParseWith(strings.NewReader(minimalRSS), "x.xml", &ParseOptions{Rules: []ItemRule{tt.rule}})
		if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "rssfeed: ") {
			t.Errorf("rule %+v: err = %v, want %q", tt.rule, err, tt.msg)
		}
	}
}

func TestPresets(t *testing.T) {
	ps := Presets()
	names := PresetNames()
	if !slices.IsSorted(names) || len(names) != len(ps) {
		t.Fatalf("names not sorted: %q", names)
	}
	for _, want := range []string{DefaultPreset, "ncsc-news", "ncsc-reports", "ncsc-blog", "ncsc-guidance", "msrc", "cisco-psirt",
		"fortinet-psirt", "paloalto-psirt", "ubuntu-usn", "debian-dsa", "amazon-al2", "amazon-al2023"} {
		if !slices.Contains(names, want) {
			t.Errorf("preset %q missing", want)
		}
	}
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p.Name] {
			t.Errorf("duplicate preset %q", p.Name)
		}
		seen[p.Name] = true
		if p.Title == "" || p.Publisher == "" || !strings.HasPrefix(p.URL, "https://") {
			t.Errorf("%s: incomplete: %+v", p.Name, p)
		}
		if strings.Contains(p.URL, "alerts-rss-feed") {
			t.Errorf("%s: the dead NCSC alerts feed", p.Name)
		}
		if !p.Verified && !strings.Contains(p.Notes, "nverified") && !strings.Contains(p.Notes, "not captured") {
			t.Errorf("%s: unverified preset does not say so: %q", p.Name, p.Notes)
		}
		// Every preset's rules compile.
		o := p.parseOptions()
		if _, err := newParser("x", &o); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
	if p, _ := LookupPreset(DefaultPreset); p.URL != "https://www.ncsc.gov.uk/api/1/services/v1/all-rss-feed.xml" {
		t.Errorf("default preset URL %q", p.URL)
	}
	// Presets returns copies: changing one does not change the next call.
	ps[0].Name = "changed"
	ps[0].Rules = append(ps[0].Rules, ItemRule{Name: "x"})
	if Presets()[0].Name == "changed" {
		t.Error("Presets shares state between calls")
	}
	al2, _ := LookupPreset("amazon-al2")
	al2.Rules[0].LinkProducts["AL2"] = "changed"
	if again, _ := LookupPreset("amazon-al2"); again.Rules[0].LinkProducts["AL2"] != "Amazon Linux 2" {
		t.Error("LookupPreset shares maps between calls")
	}
	if BuiltinRules()[0].LinkProducts["AL2"] != "Amazon Linux 2" {
		t.Error("BuiltinRules shares maps with presets")
	}
}

// appendCVEs must agree with the regular expression it replaces.
func TestAppendCVEs(t *testing.T) {
	re := regexp.MustCompile(`(?i)\bCVE-\d{4}-\d{4,}\b`)
	for _, s := range []string{
		"", "CVE-2021-44228", "cve-2021-44228.", "xCVE-2021-44228", "CVE-2021-44228x", "CVE-2021-44228_",
		"CVE-21-44228", "CVE-2021-442", "CVE-20211-44228", "(CVE-2019-1547, CVE-2019-1563)",
		"CvE-2020-0001/CVE-2020-0002", "CVE-2021-CVE-2021-12345", "ÄCVE-2021-12345", "CVE-2021-1234567890",
		"CVE-2021-44228-", "https://nvd.example/vuln/detail/CVE-2026-4092\">", "CVE-CVE-2020-1234",
	} {
		var want []string
		for _, m := range re.FindAllString(s, -1) {
			want = append(want, strings.ToUpper(m))
		}
		if got := appendCVEs(nil, s); !slices.Equal(got, want) {
			t.Errorf("appendCVEs(%q) = %q, regexp gives %q", s, got, want)
		}
	}
}

func FuzzAppendCVEs(f *testing.F) {
	f.Add("CVE-2021-44228 and cve-2020-1234")
	re := regexp.MustCompile(`(?i)\bCVE-\d{4}-\d{4,}\b`)
	f.Fuzz(func(t *testing.T, s string) {
		var want []string
		for _, m := range re.FindAllString(s, -1) {
			want = append(want, strings.ToUpper(m))
		}
		if got := appendCVEs(nil, s); !slices.Equal(got, want) {
			t.Errorf("appendCVEs(%q) = %q, regexp gives %q", s, got, want)
		}
	})
}
