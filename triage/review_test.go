package triage_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/csaffeed"
	"github.com/sigwatch/sigwatch/feeds/cve5feed"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/triage"
)

func rvEval(t *testing.T, comps []triage.Component, a feeds.Advisory) []triage.Match {
	t.Helper()
	e, err := triage.New(&triage.Stack{Components: comps}, &triage.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return e.Evaluate(&a).Matches
}

func rvOne(t *testing.T, c triage.Component, a feeds.Advisory) triage.Match {
	t.Helper()
	ms := rvEval(t, []triage.Component{c}, a)
	if len(ms) != 1 {
		t.Fatalf("%d matches", len(ms))
	}
	return ms[0]
}

// A listed version that cannot be parsed is silently skipped, and the
// default status then says not_affected.
func TestReviewUnparseableListedVersionDefaultUnaffected(t *testing.T) {
	c := triage.Component{ID: "fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4"}
	a := feeds.Advisory{ID: "CVE-X", Affected: []feeds.Affected{{
		Vendor: "Fortinet", Product: "FortiOS", Status: feeds.StatusAffected,
		Versions: []string{"FortiOS 7.2.4", "FortiOS 7.2.3"}, DefaultStatus: feeds.StatusNotAffected,
	}}}
	m := rvOne(t, c, a)
	if m.Verdict == triage.VerdictNotAffected {
		t.Errorf("listed versions cannot be compared, verdict %s: %s", m.Verdict, m.VersionReason)
	}
}

// The installed version cannot be parsed: only string equality is tried,
// and the default status answers not_affected.
func TestReviewUnparseableInstalledVersionDefaultUnaffected(t *testing.T) {
	c := triage.Component{ID: "fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4 (build1396)"}
	a := feeds.Advisory{ID: "CVE-X", Affected: []feeds.Affected{{
		Vendor: "Fortinet", Product: "FortiOS", Status: feeds.StatusAffected,
		Versions: []string{"7.2.4"}, DefaultStatus: feeds.StatusNotAffected,
	}}}
	m := rvOne(t, c, a)
	if m.Verdict == triage.VerdictNotAffected {
		t.Errorf("installed version cannot be compared, verdict %s: %s", m.Verdict, m.VersionReason)
	}
}

// Versions that parse but cannot be ordered (ErrIncomparable) count as
// "not equal".
func TestReviewIncomparableListedVersionDefaultUnaffected(t *testing.T) {
	c := triage.Component{ID: "vc", Vendor: "VMware", Product: "vCenter Server", Version: "7.0.3"}
	a := feeds.Advisory{ID: "CVE-X", Affected: []feeds.Affected{{
		Vendor: "VMware", Product: "vCenter Server", Status: feeds.StatusAffected,
		Versions: []string{"7.0U3"}, DefaultStatus: feeds.StatusNotAffected,
	}}}
	m := rvOne(t, c, a)
	if m.Verdict == triage.VerdictNotAffected {
		t.Errorf("7.0.3 vs 7.0U3 cannot be ordered, verdict %s: %s", m.Verdict, m.VersionReason)
	}
}

// The Windows aliases collapse every Windows edition into "windows"; a
// patched Windows Server 2022 build then falls inside the 10.0.0 <
// 10.0.22621.3155 range of the Windows 11 22H2 entry.
func TestReviewWindowsAliasFalsePositive(t *testing.T) {
	f, err := os.Open("../feeds/cve5feed/testdata/vulnrichment-kev/CVE-2024-21412.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := cve5feed.Parse(f, "CVE-2024-21412.json")
	if err != nil {
		t.Fatal(err)
	}
	// Windows Server 2022's fix is 10.0.20348.2322; this build is later.
	c := triage.Component{ID: "dc01", Vendor: "Microsoft", Product: "Windows Server 2022", Version: "10.0.20348.2400"}
	m := rvOne(t, c, rec.Advisory)
	if m.Verdict == triage.VerdictAffected {
		t.Errorf("patched Server 2022 judged affected: %s (%s) by %s/%s: %s", m.AdvisoryProduct, m.Identity, m.Method, m.Confidence, m.VersionReason)
	}
}

// RHSA-2024:4546 fixes git-lfs only in the RHEL 8.6 AUS/E4S/TUS streams
// (2.13.3-3.el8_6.1). A RHEL 8.8 build numbered after it says nothing about
// the fix, yet fixedIn answers "fixed" (Release is the major "8" for both).
func TestReviewFixedInAcrossStreams(t *testing.T) {
	p := "../feeds/csaffeed/testdata/documents/redhat/rhsa-2024_4546.json"
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := csaffeed.Parse(f, p)
	if err != nil {
		t.Fatal(err)
	}
	c := triage.Component{ID: "rhel88-git-lfs", PURL: "pkg:rpm/redhat/git-lfs@2.13.3-4.el8_8?arch=x86_64"}
	for i := range doc.Advisories {
		ms := rvEval(t, []triage.Component{c}, doc.Advisories[i])
		for _, m := range ms {
			if m.Verdict == triage.VerdictFixed {
				t.Errorf("%s: %s: %s", doc.Advisories[i].ID, m.Verdict, m.VersionReason)
			}
		}
	}
}

// feeds.Join keeps the first advisory's Extra: an RSS item first in the
// input (as with `triage --feed rss=… --feed kev=…`) marks the joined
// advisory as "hints", and every structured match — the KEV entry's too —
// is downgraded to a low-confidence text mention.
func TestReviewJoinRSSHintDowngradesKEV(t *testing.T) {
	rss := feeds.Advisory{ID: "CVE-2024-21762", Source: "rss", Title: "Fortinet FortiOS out-of-bound write",
		Affected: []feeds.Affected{{Vendor: "Fortinet"}},
		Extra:    map[string]string{"rss.affected": "hint"}}
	kev := kevAdvisory("CVE-2024-21762", "Fortinet", "FortiOS", "Known")
	c := triage.Component{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4",
		Exposure: triage.ExposureInternet, Criticality: triage.CriticalityCritical}
	for _, order := range [][]feeds.Advisory{{kev, rss}, {rss, kev}} {
		j := feeds.Join(order)
		if len(j) != 1 {
			t.Fatalf("%d advisories", len(j))
		}
		m := rvOne(t, c, j[0])
		t.Logf("first=%s: %s/%s %s %s %s", order[0].Source, m.Method, m.Confidence, m.Decision, m.Priority, m.RuleID)
		if m.Priority != triage.P1 {
			t.Errorf("first=%s: KEV on an internet-facing firewall decided %s %s by %s", order[0].Source, m.Decision, m.Priority, m.RuleID)
		}
	}
}

func TestReviewIdentityCases(t *testing.T) {
	for _, tc := range []struct {
		comp            triage.Component
		vendor, product string
		wantNoneOrLow   bool
	}{
		{triage.Component{ID: "ios", Vendor: "Cisco", Product: "IOS", Version: "15.2"}, "Cisco", "IOS XE Software", true},
		{triage.Component{ID: "win10", Vendor: "Microsoft", Product: "Windows 10", Version: "10.0.19045.1"}, "Microsoft", "Windows Server 2022", true},
		{triage.Component{ID: "exch", Vendor: "Microsoft", Product: "Exchange Server", Version: "15.2"}, "Microsoft", "Exchange Online", true},
		{triage.Component{ID: "jira", Vendor: "Atlassian", Product: "Jira Software", Version: "9.0"}, "Atlassian", "Jira Service Management", true},
		{triage.Component{ID: "chrome", Vendor: "Google", Product: "Chrome", Version: "120.0"}, "Google", "Chrome OS", true},
		{triage.Component{ID: "kernel", Vendor: "Linux", Product: "Kernel", Version: "6.1"}, "Microsoft", "Windows Kernel", true},
	} {
		a := feeds.Advisory{ID: "X", Affected: []feeds.Affected{{Vendor: tc.vendor, Product: tc.product}}}
		ms := rvEval(t, []triage.Component{tc.comp}, a)
		for _, m := range ms {
			t.Logf("%s vs %q: %s/%s (%s)", tc.comp.Product, tc.product, m.Method, m.Confidence, m.Identity)
			if tc.wantNoneOrLow && m.Confidence != triage.ConfidenceLow {
				t.Errorf("%s %s matched %q at %s: %s", tc.comp.Vendor, tc.comp.Product, tc.product, m.Confidence, m.Identity)
			}
		}
	}
}

func TestReviewIOSvsIOSXEKEV(t *testing.T) {
	f, err := os.Open("../feeds/kevfeed/data/known_exploited_vulnerabilities.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat, err := kevfeed.Parse(f, "kev.json")
	if err != nil {
		t.Fatal(err)
	}
	c := triage.Component{ID: "core-rtr", Vendor: "Cisco", Product: "IOS", Version: "15.2(4)M", Exposure: triage.ExposureInternet}
	e, err := triage.New(&triage.Stack{Components: []triage.Component{c}}, &triage.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range cat.Advisories {
		a := &cat.Advisories[i]
		r := e.Evaluate(a)
		if len(r.Matches) == 0 || r.Decision != triage.DecisionActionable {
			continue
		}
		m := r.Matches[0]
		switch m.AdvisoryProduct {
		case "IOS XR", "IOS XE Software", "IOS XE Web UI", "Cisco IOS XE Web UI":
			n++
			if n <= 3 {
				t.Logf("%s %q → %s %s (%s, %s)", a.ID, m.AdvisoryProduct, r.Decision, r.Priority, m.Confidence, m.Identity)
			}
		}
	}
	if n > 0 {
		t.Errorf("%d KEV entries for IOS XE / IOS XR only are actionable on a classic IOS router through containment", n)
	}
}

// Entries sharing vendor, product and default status are each other's
// siblings, and every matched entry re-checks all its siblings: n entries
// cost n² version checks.
func TestReviewSiblingsQuadratic(t *testing.T) {
	// Entries of one product are compared with each other, so their cost
	// grows with the square of their number: past maxAffectedEntries (500)
	// the rest are not checked, and the result says so.
	a := feeds.Advisory{ID: "CVE-X"}
	for i := range 501 {
		a.Affected = append(a.Affected, feeds.Affected{Vendor: "Fortinet", Product: "FortiOS", Status: feeds.StatusAffected,
			DefaultStatus: feeds.StatusNotAffected,
			Ranges:        []feeds.Range{{Type: "semver", Events: []feeds.Event{{Introduced: fmt.Sprintf("1.%d.0", i)}, {Fixed: fmt.Sprintf("1.%d.5", i)}}}}})
	}
	e, err := triage.New(&triage.Stack{Components: []triage.Component{{ID: "fw", Vendor: "Fortinet", Product: "FortiOS", Version: "9.9.9"}}}, &triage.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	res := e.Evaluate(&a)
	if !slices.ContainsFunc(res.Unchecked, func(s string) bool { return strings.Contains(s, "501 affected entries; only the first 500") }) {
		t.Errorf("unchecked = %q, want the cap reported", res.Unchecked)
	}
}

// The engine keeps the caller's Tags slices: mutating the stack (or a
// Result's Component.Tags) after New changes later decisions.
func TestReviewTagsAliasing(t *testing.T) {
	st := &triage.Stack{Components: []triage.Component{{ID: "fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Tags: []string{"pci"}}}}
	rules := []triage.Rule{
		{ID: "pci", When: triage.Test("component.tags", triage.OpContains, "pci"), Decision: triage.DecisionActionable, Priority: triage.P1},
		{ID: "rest", Decision: triage.DecisionInformational},
	}
	e, err := triage.New(st, &triage.Options{Now: now, Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	a := kevAdvisory("CVE-1", "Fortinet", "FortiOS", "Unknown")
	r1 := e.Evaluate(&a)
	r1.Matches[0].Component.Tags[0] = "lab"
	r2 := e.Evaluate(&a)
	if r1.RuleID != r2.RuleID {
		t.Errorf("mutating a Result changed the engine: %s then %s", r1.RuleID, r2.RuleID)
	}
}

// offer keeps the verdict of the entry with the higher tier but the
// identity of the entry with the better method/confidence: the verdict of
// a medium containment match ("Junos OS Evolved") is reported under the
// high-confidence identity of another entry ("Junos OS") that says the
// version is not affected.
func TestReviewVerdictAndIdentityFromDifferentEntries(t *testing.T) {
	c := triage.Component{ID: "mx", Vendor: "Juniper Networks", Product: "Junos OS", Version: "22.1R3-S2"}
	a := feeds.Advisory{ID: "CVE-X", Affected: []feeds.Affected{
		{Vendor: "Juniper Networks", Product: "Junos OS", Status: feeds.StatusAffected, DefaultStatus: feeds.StatusNotAffected,
			Ranges: []feeds.Range{{Type: "custom", Events: []feeds.Event{{Introduced: "0"}, {Fixed: "21.4R3-S5"}}}}},
		{Vendor: "Juniper Networks", Product: "Junos OS Evolved", Status: feeds.StatusAffected, DefaultStatus: feeds.StatusNotAffected,
			Ranges: []feeds.Range{{Type: "custom", Events: []feeds.Event{{Introduced: "22.1-EVO"}, {Fixed: "22.1R3-S4-EVO"}}}}},
	}}
	m := rvOne(t, c, a)
	t.Logf("%s %s/%s identity=%q product=%q: %s", m.Verdict, m.Method, m.Confidence, m.Identity, m.AdvisoryProduct, m.VersionReason)
	if m.Verdict == triage.VerdictAffected && m.Confidence == triage.ConfidenceHigh {
		t.Errorf("affected (from %q) reported with high confidence %q", m.AdvisoryProduct, m.Identity)
	}
}

func TestReviewTextFallbackGenericProduct(t *testing.T) {
	comps := []triage.Component{
		{ID: "kernel", Vendor: "Linux", Product: "Kernel", Version: "6.1"},
		{ID: "httpd", Vendor: "Apache", Product: "HTTP Server", Version: "2.4.58"},
	}
	a := feeds.Advisory{ID: "NCSC-1", Source: "rss", Title: "Windows Kernel flaw exploited; router HTTP server also hit"}
	for _, m := range rvEval(t, comps, a) {
		t.Errorf("%s matched by %s: %s", m.Component.ID, m.Method, m.Identity)
	}
}

// The fingerprint of a joined advisory depends on the order the feeds were
// given in: a stored exception reopens when --feed flags are reordered.
func TestReviewFingerprintJoinOrder(t *testing.T) {
	kev := kevAdvisory("CVE-2024-21762", "Fortinet", "FortiOS", "Known")
	cve := feeds.Advisory{ID: "CVE-2024-21762", Source: "cve5", Affected: []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS",
		Status: feeds.StatusAffected, Ranges: []feeds.Range{{Type: "semver", Events: []feeds.Event{{Introduced: "7.2.0"}, {Fixed: "7.2.7"}}}}}}}
	a := feeds.Join([]feeds.Advisory{kev, cve})[0]
	b := feeds.Join([]feeds.Advisory{cve, kev})[0]
	if triage.Fingerprint(&a) != triage.Fingerprint(&b) {
		t.Errorf("fingerprint depends on feed order: %s vs %s", triage.Fingerprint(&a), triage.Fingerprint(&b))
	}
}

// due: kev without an sla gives no due date at all, silently.
func TestReviewDueKEVWithoutSLA(t *testing.T) {
	// due: kev without an sla would give no due date when the KEV date is
	// past: the rule is refused instead.
	_, err := triage.ParseRules(strings.NewReader("rules:\n  - id: k\n    when: {kev: true}\n    decision: actionable\n    due: kev\n"), "r.yaml")
	if err == nil || !strings.Contains(err.Error(), "r.yaml:5:10: rules[0].due: due: kev needs an sla too") {
		t.Errorf("got %v", err)
	}
}

// CVE-2024-6047 (KEV-listed): GeoVision lists version "all" as affected
// with defaultStatus unaffected. "all" is not parsed, so it is skipped, and
// every installed version is judged not_affected.
func TestReviewCVE20246047AllVersions(t *testing.T) {
	p := "../feeds/cve5feed/testdata/vulnrichment-kev/CVE-2024-6047.json"
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := cve5feed.Parse(f, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, af := range rec.Advisory.Affected {
		if af.Product == "GV_VS03" {
			t.Logf("entry: %+v", af)
		}
	}
	c := triage.Component{ID: "cam", Vendor: "GeoVision", Product: "GV_VS03", Version: "1.0"}
	m := rvOne(t, c, rec.Advisory)
	t.Logf("%s %s/%s: %s", m.Verdict, m.Method, m.Confidence, m.VersionReason)
	if m.Verdict == triage.VerdictNotAffected {
		t.Errorf("GeoVision says every version is affected; engine says %s", m.Verdict)
	}
}

// CVE-2024-37085 (KEV, ransomware): VMware lists Cloud Foundation versions
// "5.x" and "4.x" as affected, defaultStatus unaffected.
func TestReviewCVE202437085CloudFoundation(t *testing.T) {
	for _, p := range []string{"../feeds/cve5feed/testdata/vulnrichment-kev/CVE-2024-37085.json", "../feeds/cve5feed/testdata/vulnrichment-kev/CVE-2023-34048.json"} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := cve5feed.Parse(f, p)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, af := range rec.Advisory.Affected {
			if strings.Contains(af.Product, "Cloud Foundation") || strings.Contains(af.Product, "cloud_foundation") {
				t.Logf("entry: %s/%s versions=%q ranges=%+v status=%s default=%s", af.Vendor, af.Product, af.Versions, af.Ranges, af.Status, af.DefaultStatus)
			}
		}
		c := triage.Component{ID: "vcf", Vendor: "VMware", Product: "Cloud Foundation", Version: "5.1"}
		for _, m := range rvEval(t, []triage.Component{c}, rec.Advisory) {
			t.Logf("%s: %s %s/%s (%s): %s", rec.Advisory.ID, m.Verdict, m.Method, m.Confidence, m.AdvisoryProduct, m.VersionReason)
			if m.Verdict == triage.VerdictNotAffected {
				t.Errorf("%s: VCF 5.1 is in 5.x, engine says not_affected", rec.Advisory.ID)
			}
		}
	}
}
