package csaffeed

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
)

// The -update flag may also be registered by the distribution tests.
var _ = func() bool {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
	return true
}()

func docUpdating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

const docDir = "testdata/documents"

func docParseFile(t testing.TB, rel string) *Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(docDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(bytes.NewReader(data), rel)
	if err != nil {
		t.Fatalf("Parse(%s): %v", rel, err)
	}
	return d
}

func docParseString(t *testing.T, s string) *Document {
	t.Helper()
	d, err := Parse(strings.NewReader(s), "test.json")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return d
}

// realDocs lists every CSAF document in testdata/documents with values
// derived from the raw JSON by python3, independently of this package:
//
//	S = ["known_affected", "first_affected", "last_affected", "fixed",
//	     "first_fixed", "known_not_affected", "under_investigation"]
//	def leaves(bs): return sum((1 if b.get("product") else 0) + leaves(b.get("branches")) for b in bs or [])
//	d = json.load(open(f)); doc = d["document"]; vs = d.get("vulnerabilities", []); pt = d.get("product_tree", {})
//	tlp   = ((doc.get("distribution") or {}).get("tlp") or {}).get("label", "")
//	vulns = len(vs); rels = len(pt.get("relationships", []))
//	products = leaves(pt.get("branches")) + len(pt.get("full_product_names", [])) + rels
//	cves  = [v.get("cve", "") for v in vs]
//	M = {"known_affected": "affected", "first_affected": "affected", "last_affected": "affected",
//	     "fixed": "fixed", "first_fixed": "fixed", "known_not_affected": "not_affected",
//	     "under_investigation": "under_investigation"}
//	status[s] = number of distinct (M[k], product_id) pairs with M[k] == s, summed over vs
//	            (bsi-2022-0001 lists CSAFPID-0006 in both fixed and first_fixed: 1 pair)
//
// Every file defines each product_id once (so products equals the number
// of distinct IDs) and references only defined IDs.
var realDocs = []struct {
	file     string
	id       string
	tlpLabel string
	vulns    int
	rels     int
	products int
	cves     []string
	status   map[string]int
}{
	{"cisa/IT/2024/va-24-201-01.json", "VA-24-201-01", "WHITE", 3, 1, 8, []string{"CVE-2023-45195", "CVE-2023-45196", "CVE-2023-45197"}, map[string]int{"affected": 8, "fixed": 3}},
	{"cisa/IT/2024/va-24-254-01.json", "VA-24-254-01", "WHITE", 3, 0, 2, []string{"CVE-2024-45075", "CVE-2024-45076", "CVE-2024-45074"}, map[string]int{"affected": 3, "fixed": 3}},
	{"cisa/IT/2024/va-24-254-02.json", "VA-24-254-02", "WHITE", 2, 0, 3, []string{"CVE-2024-45744", "CVE-2024-45745"}, map[string]int{"affected": 2, "fixed": 1}},
	{"cisa/IT/2024/va-24-262-01.json", "VA-24-262-01", "WHITE", 1, 0, 2, []string{"CVE-2024-43201"}, map[string]int{"affected": 1, "fixed": 1}},
	{"cisa/OT/2023/icsa-23-080-04.json", "ICSA-23-080-04", "WHITE", 1, 0, 28, []string{"CVE-2022-38767"}, map[string]int{"affected": 28}},
	{"cisa/OT/2023/icsa-23-143-03.json", "ICSA-23-143-03", "WHITE", 1, 0, 43, []string{"CVE-2023-1424"}, map[string]int{"affected": 43}},
	{"cisa/OT/2023/icsa-23-248-01.json", "ICSA-23-248-01", "WHITE", 1, 0, 11, []string{"CVE-2023-38433"}, map[string]int{"affected": 11}},
	{"cisa/OT/2024/icsa-24-193-05.json", "ICSA-24-193-05", "WHITE", 1, 0, 424, []string{"CVE-2024-3596"}, map[string]int{"affected": 424}},
	{"cisa/OT/2024/icsa-24-226-10.json", "ICSA-24-226-10", "WHITE", 1, 0, 5, []string{"CVE-2024-7515"}, map[string]int{"affected": 5}},
	{"cisa/OT/2024/icsa-24-256-05.json", "ICSA-24-256-05", "WHITE", 1, 0, 5, []string{"CVE-2023-49069"}, map[string]int{"affected": 5}},
	{"cisa/OT/2024/icsa-24-284-01.json", "ICSA-24-284-01", "WHITE", 1, 0, 158, []string{"CVE-2024-46886"}, map[string]int{"affected": 158}},
	{"oasis-examples/bsi-2022-0001.json", "BSI-2022-0001", "WHITE", 1, 0, 6, []string{"CVE-2022-27193"}, map[string]int{"affected": 5, "fixed": 1}},
	{"oasis-examples/cisco-sa-20180328-smi2.json", "cisco-sa-20180328-smi2", "", 1, 0, 259, []string{"CVE-2018-0171"}, map[string]int{"affected": 259}},
	{"oasis-examples/csaf_vex/2022-evd-uc-01-a-001.json", "2022-EVD-UC-01-A-001", "", 1, 0, 1, []string{"CVE-2021-44228"}, map[string]int{"affected": 1}},
	{"oasis-examples/csaf_vex/2022-evd-uc-01-f-001.json", "2022-EVD-UC-01-F-001", "", 1, 0, 1, []string{"CVE-2021-44228"}, map[string]int{"fixed": 1}},
	{"oasis-examples/csaf_vex/2022-evd-uc-01-na-001.json", "2022-EVD-UC-01-NA-001", "", 1, 0, 1, []string{"CVE-2021-44228"}, map[string]int{"not_affected": 1}},
	{"oasis-examples/csaf_vex/2022-evd-uc-01-ui-001.json", "2022-EVD-UC-01-UI-001", "", 1, 0, 1, []string{"CVE-2021-44228"}, map[string]int{"under_investigation": 1}},
	{"oasis-examples/csaf_vex/2022-evd-uc-02-na-001.json", "2022-EVD-UC-02-NA-001", "", 19, 0, 1, []string{"CVE-2020-11896", "CVE-2020-11897", "CVE-2020-11898", "CVE-2020-11899", "CVE-2020-11900", "CVE-2020-11901", "CVE-2020-11902", "CVE-2020-11903", "CVE-2020-11904", "CVE-2020-11905", "CVE-2020-11906", "CVE-2020-11907", "CVE-2020-11908", "CVE-2020-11909", "CVE-2020-11910", "CVE-2020-11911", "CVE-2020-11912", "CVE-2020-11913", "CVE-2020-11914"}, map[string]int{"not_affected": 19}},
	{"oasis-examples/csaf_vex/2022-evd-uc-03-ms-001.json", "2022-EVD-UC-03-MS-001", "", 19, 0, 1, []string{"CVE-2020-11896", "CVE-2020-11897", "CVE-2020-11898", "CVE-2020-11899", "CVE-2020-11900", "CVE-2020-11901", "CVE-2020-11902", "CVE-2020-11903", "CVE-2020-11904", "CVE-2020-11905", "CVE-2020-11906", "CVE-2020-11907", "CVE-2020-11908", "CVE-2020-11909", "CVE-2020-11910", "CVE-2020-11911", "CVE-2020-11912", "CVE-2020-11913", "CVE-2020-11914"}, map[string]int{"affected": 5, "fixed": 3, "not_affected": 6, "under_investigation": 5}},
	{"oasis-examples/csaf_vex/2022-evd-uc-04-001.json", "2022-EVD-UC-04-001", "", 1, 0, 3, []string{"CVE-2021-44228"}, map[string]int{"affected": 3}},
	{"oasis-examples/csaf_vex/2022-evd-uc-05-001.json", "2022-EVD-UC-05-001", "", 1, 0, 1, []string{"CVE-2021-44228"}, map[string]int{"under_investigation": 1}},
	{"oasis-examples/csaf_vex/2022-evd-uc-06-001.json", "2022-EVD-UC-06-001", "", 1, 0, 7, []string{"CVE-2021-44228"}, map[string]int{"affected": 3, "not_affected": 4}},
	{"oasis-examples/csaf_vex/2022-evd-uc-07-001.json", "2022-EVD-UC-07-001", "", 1, 0, 10, []string{"CVE-2021-44228"}, map[string]int{"affected": 4, "fixed": 1, "not_affected": 5}},
	{"oasis-examples/csaf_vex/2022-evd-uc-08-001.json", "2022-EVD-UC-08-001", "", 2, 0, 11, []string{"CVE-2021-44228", "CVE-2021-45105"}, map[string]int{"affected": 8, "fixed": 3, "not_affected": 10}},
	{"oasis-examples/csaf_vex/2022-evd-uc-09-001.json", "2022-EVD-UC-09-001", "", 2, 0, 2, []string{"CVE-2021-44228", "CVE-2021-45105"}, map[string]int{"affected": 2, "not_affected": 2}},
	{"oasis-examples/csaf_vex/sec-vex-2022-0001.json", "SEC-VEX-2022-0001", "WHITE", 3, 0, 1, []string{"CVE-2021-44228", "CVE-2021-45046", "CVE-2021-45105"}, map[string]int{"not_affected": 3}},
	{"oasis-examples/rhsa-2019_1862.json", "RHSA-2019:1862", "WHITE", 0, 0, 1, []string{}, map[string]int{}},
	{"oasis-examples/rhsa-2021_5186.json", "RHSA-2021:5186", "WHITE", 2, 3, 7, []string{"CVE-2021-4104", "CVE-2021-4125"}, map[string]int{"fixed": 2, "not_affected": 4}},
	{"oasis-examples/rhsa-2021_5217.json", "RHSA-2021:5217", "WHITE", 1, 0, 1, []string{"CVE-2021-4133"}, map[string]int{"fixed": 1}},
	{"oasis-examples/rhsa-2022_0011.json", "RHSA-2022:0011", "WHITE", 1, 15, 25, []string{"CVE-2020-10188"}, map[string]int{"fixed": 15}},
	{"redhat/rhsa-2003_315.json", "RHSA-2003:315", "WHITE", 1, 26, 41, []string{"CVE-2003-0858"}, map[string]int{"fixed": 26}},
	{"redhat/rhsa-2024_4546.json", "RHSA-2024:4546", "WHITE", 1, 15, 25, []string{"CVE-2023-45288"}, map[string]int{"fixed": 15}},
	{"redhat/rhsa-2024_6163.json", "RHSA-2024:6163", "WHITE", 1, 3, 7, []string{"CVE-2024-8088"}, map[string]int{"fixed": 3}},
	{"redhat/rhsa-2024_6220.json", "RHSA-2024:6220", "WHITE", 1, 342, 531, []string{"CVE-2024-6345"}, map[string]int{"fixed": 342}},
	{"redhat/rhsa-2024_9371.json", "RHSA-2024:9371", "WHITE", 1, 3, 7, []string{"CVE-2024-8088"}, map[string]int{"fixed": 3}},
}

func TestParseRealDocuments(t *testing.T) {
	for _, tc := range realDocs {
		t.Run(strings.NewReplacer("/", "_", ".", "_", "-", "_").Replace(tc.file), func(t *testing.T) {
			d := docParseFile(t, tc.file)
			if d.ID != tc.id || d.TLPLabel != tc.tlpLabel || d.Vulnerabilities != tc.vulns {
				t.Errorf("ID, TLPLabel, Vulnerabilities = %q %q %d, want %q %q %d", d.ID, d.TLPLabel, d.Vulnerabilities, tc.id, tc.tlpLabel, tc.vulns)
			}
			wantTLP := feeds.TLPClear
			if tc.tlpLabel == "" {
				wantTLP = feeds.TLPUnspecified
				if !slices.ContainsFunc(d.Warnings, func(w string) bool { return strings.HasPrefix(w, "document.distribution") }) {
					t.Errorf("no warning about the missing TLP label: %q", d.Warnings)
				}
			}
			if d.TLP != wantTLP {
				t.Errorf("TLP = %q, want %q", d.TLP, wantTLP)
			}
			var rels int
			for _, p := range d.Products {
				if p.Relationship != nil {
					rels++
				}
			}
			if len(d.Products) != tc.products || rels != tc.rels {
				t.Errorf("products, relationships = %d %d, want %d %d", len(d.Products), rels, tc.products, tc.rels)
			}
			for _, w := range d.Warnings {
				if !strings.HasPrefix(w, "document.distribution") {
					t.Errorf("unexpected warning %q", w)
				}
			}

			wantAdv := max(tc.vulns, 1)
			if len(d.Advisories) != wantAdv {
				t.Fatalf("%d advisories, want %d", len(d.Advisories), wantAdv)
			}
			got := map[string]int{}
			for i, a := range d.Advisories {
				if tc.vulns == 0 {
					if a.ID != tc.id {
						t.Errorf("informational advisory ID = %q, want %q", a.ID, tc.id)
					}
					continue
				}
				if want := tc.id + "/" + tc.cves[i]; a.ID != want {
					t.Errorf("advisory %d: ID = %q, want %q", i, a.ID, want)
				}
				if cves := a.CVEs(); !slices.Equal(cves, []string{tc.cves[i]}) {
					t.Errorf("advisory %d: CVEs() = %q", i, cves)
				}
				if !slices.Contains(a.Related, tc.id) {
					t.Errorf("advisory %d: Related = %q, want %s in it", i, a.Related, tc.id)
				}
				if a.TLP != wantTLP || a.Extra[ExtraTrackingID] != tc.id || a.Publisher != d.Publisher.Name || a.Publisher == "" {
					t.Errorf("advisory %d: TLP %q, trackingId %q, Publisher %q", i, a.TLP, a.Extra[ExtraTrackingID], a.Publisher)
				}
				for _, af := range a.Affected {
					got[string(af.Status)]++
					if _, ok := d.Product(af.ProductID); !ok {
						t.Errorf("advisory %d: Affected with undefined ProductID %q", i, af.ProductID)
					}
				}
			}
			if diff := cmp.Diff(tc.status, got); diff != "" {
				t.Errorf("Affected per status (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRealDocumentsCovered fails when a CSAF document is added to
// testdata/documents without a realDocs entry.
func TestRealDocumentsCovered(t *testing.T) {
	known := map[string]bool{}
	for _, tc := range realDocs {
		known[tc.file] = true
	}
	err := filepath.WalkDir(docDir, func(p string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() || filepath.Ext(p) != ".json" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if notDocumentKind(data) != "" {
			return nil
		}
		rel, _ := filepath.Rel(docDir, p)
		if !known[filepath.ToSlash(rel)] {
			t.Errorf("%s has no entry in realDocs", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The odd product_version_range values of the CISA files, as listed in
// formats.md §4 and counted with python3 over the raw files:
//
//	walk every branch of cisa/*/*/*.json; r = [b["name"] for b in branches if b["category"] == "product_version_range"]
//	len(r) -> 678, sum(x.startswith("vers:") for x in r) -> 502,
//	collections.Counter(r)["vers:all/*"] -> 461
//
// Each must reach Affected.Ranges byte for byte, typed VERS or TEXT.
func TestVersionRangesVerbatim(t *testing.T) {
	cases := []struct{ file, expr, typ string }{
		{"cisa/OT/2024/icsa-24-193-05.json", "vers:all/*", "VERS"},
		{"cisa/OT/2024/icsa-24-284-01.json", "vers:all/*", "VERS"},
		{"cisa/OT/2024/icsa-24-284-01.json", "vers:all/<V3.1.4", "VERS"},
		{"cisa/OT/2024/icsa-24-193-05.json", "<V4.1.8", "TEXT"},
		{"cisa/OT/2023/icsa-23-080-04.json", ">= V7.80 < V9.30", "TEXT"},
		{"cisa/OT/2023/icsa-23-080-04.json", ">= V7.80", "TEXT"},
		{"cisa/OT/2023/icsa-23-143-03.json", ">=1.220|<=1.281", "TEXT"},
		{"cisa/OT/2023/icsa-23-143-03.json", ">=12|<=68", "TEXT"},
		{"cisa/OT/2023/icsa-23-143-03.json", "<=35", "TEXT"},
		{"cisa/OT/2023/icsa-23-248-01.json", ">= V01L001 | < V02L061", "TEXT"},
		{"cisa/OT/2024/icsa-24-226-10.json", "<v36.011_v35.013_v34.014", "TEXT"},
		{"cisa/OT/2024/icsa-24-256-05.json", "<V10.6.12_only_if_the_basic_authentication_mechanism_is_used_by_the_application", "TEXT"},
		{"cisa/IT/2024/va-24-201-01.json", "all versions", "TEXT"},
		{"cisa/IT/2024/va-24-254-02.json", "0 < 8.0.1", "TEXT"},
		{"cisa/IT/2024/va-24-262-01.json", "0 < 9.8.12", "TEXT"},
	}
	docs := map[string]*Document{}
	for _, c := range cases {
		d := docs[c.file]
		if d == nil {
			d = docParseFile(t, c.file)
			docs[c.file] = d
		}
		found := false
		for _, a := range d.Advisories {
			for _, af := range a.Affected {
				for _, r := range af.Ranges {
					if r.Expr == c.expr {
						found = true
						if r.Type != c.typ || len(r.Events) != 0 {
							t.Errorf("%s: range %q has type %q and %d events, want %q and none", c.file, c.expr, r.Type, len(r.Events), c.typ)
						}
					}
				}
			}
		}
		if !found {
			t.Errorf("%s: no Affected range %q", c.file, c.expr)
		}
	}

	// Totals over the CISA files: every range branch reaches the Product
	// list, and every referenced one an Affected entry.
	var total, vers, all int
	for _, tc := range realDocs {
		if !strings.HasPrefix(tc.file, "cisa/") {
			continue
		}
		for _, p := range docParseFile(t, tc.file).Products {
			if p.VersionRange != "" && p.Relationship == nil {
				total++
				if strings.HasPrefix(p.VersionRange, "vers:") {
					vers++
				}
				if p.VersionRange == "vers:all/*" {
					all++
				}
			}
		}
	}
	if total != 678 || vers != 502 || all != 461 {
		t.Errorf("range products = %d, vers %d, vers:all/* %d; want 678, 502, 461", total, vers, all)
	}
}

// Red Hat's largest sample. Derived with python3 from the raw file:
//
//	pt = d["product_tree"]; walk all branches
//	Counter(b["category"])["product_version"]         -> 186
//	len(pt["relationships"])                            -> 342
//	len(d["vulnerabilities"][0]["product_status"]["fixed"]) -> 342 (all relationship IDs)
//	r = pt["relationships"][0] -> product_reference "python-setuptools-0:..." etc. (checked below by lookup)
func TestRedHatRelationships(t *testing.T) {
	d := docParseFile(t, "redhat/rhsa-2024_6220.json")
	var versions, rels int
	for _, p := range d.Products {
		if p.Relationship != nil {
			rels++
		} else if p.Version != "" {
			versions++
		}
	}
	if versions != 186 || rels != 342 {
		t.Errorf("product versions %d, relationships %d; want 186, 342", versions, rels)
	}
	a := d.Advisories[0]
	for _, af := range a.Affected {
		p, _ := d.Product(af.ProductID)
		if p.Relationship == nil || af.Status != feeds.StatusFixed {
			t.Fatalf("%s: not a fixed relationship product", af.ProductID)
		}
		comp, ok := d.Product(p.Relationship.Component)
		if !ok || af.PURL == "" || af.PURL != comp.Helper.PURL || !slices.Equal(af.Versions, []string{comp.Version}) {
			t.Errorf("%s: PURL %q Versions %q, want the component's %q", af.ProductID, af.PURL, af.Versions, comp.Version)
		}
		if _, ok := a.Extra[ExtraRelationshipPrefix+af.ProductID]; !ok {
			t.Errorf("%s: no relationship in Extra", af.ProductID)
		}
	}

	// rhsa-2024_4546.json, by hand: the relationship
	// AppStream-8.6.0.Z.AUS:git-lfs-0:2.13.3-3.el8_6.1.src joins
	// git-lfs-0:2.13.3-3.el8_6.1.src (purl pkg:rpm/redhat/git-lfs@2.13.3-3.el8_6.1?arch=src)
	// to AppStream-8.6.0.Z.AUS (cpe:/a:redhat:rhel_aus:8.6::appstream).
	d = docParseFile(t, "redhat/rhsa-2024_4546.json")
	const id = "AppStream-8.6.0.Z.AUS:git-lfs-0:2.13.3-3.el8_6.1.src"
	p, ok := d.Product(id)
	if !ok {
		t.Fatalf("%s not found", id)
	}
	want := Product{
		ID:           id,
		Name:         "git-lfs-0:2.13.3-3.el8_6.1.src as a component of Red Hat Enterprise Linux AppStream AUS (v.8.6)",
		Field:        "product_tree.relationships[0].full_product_name",
		Vendor:       "Red Hat",
		Version:      "git-lfs-0:2.13.3-3.el8_6.1.src",
		Helper:       &Helper{PURL: "pkg:rpm/redhat/git-lfs@2.13.3-3.el8_6.1?arch=src"},
		Relationship: &Relationship{Category: "default_component_of", Component: "git-lfs-0:2.13.3-3.el8_6.1.src", Platform: "AppStream-8.6.0.Z.AUS"},
	}
	if diff := cmp.Diff(&want, p); diff != "" {
		t.Errorf("product (-want +got):\n%s", diff)
	}
	plat, _ := d.Product("AppStream-8.6.0.Z.AUS")
	if plat.Helper == nil || plat.Helper.CPE != "cpe:/a:redhat:rhel_aus:8.6::appstream" || plat.ProductName != "Red Hat Enterprise Linux AppStream AUS (v.8.6)" {
		t.Errorf("platform = %+v", plat)
	}
	wantExtra := "default_component_of AppStream-8.6.0.Z.AUS: " + want.Name
	if got := d.Advisories[0].Extra[ExtraRelationshipPrefix+id]; got != wantExtra {
		t.Errorf("Extra[relationship] = %q, want %q", got, wantExtra)
	}
}

// Per-document facts read off the raw files by hand.
func TestDocumentMetadata(t *testing.T) {
	t.Run("cisa_OT_integer_version_six_digit_fraction", func(t *testing.T) {
		// icsa-23-143-03.json: "version": "5", five revisions,
		// "current_release_date": "2023-06-08T06:00:00.000000Z" style.
		d := docParseFile(t, "cisa/OT/2023/icsa-23-143-03.json")
		if d.Version != "5" || len(d.Revisions) != 5 || d.Category != "csaf_security_advisory" {
			t.Errorf("Version %q, %d revisions, Category %q", d.Version, len(d.Revisions), d.Category)
		}
		if d.CurrentRelease.Location() != time.UTC || d.CurrentRelease.Before(d.InitialRelease) {
			t.Errorf("releases %v .. %v", d.InitialRelease, d.CurrentRelease)
		}
	})
	t.Run("cisco_unknown_category_no_distribution", func(t *testing.T) {
		d := docParseFile(t, "oasis-examples/cisco-sa-20180328-smi2.json")
		if d.Category != "Cisco Security Advisory" || d.TLP != feeds.TLPUnspecified || d.Version != "3.0.0" {
			t.Errorf("Category %q TLP %q Version %q", d.Category, d.TLP, d.Version)
		}
		if want := time.Date(2018, 3, 28, 16, 0, 0, 0, time.UTC); !d.InitialRelease.Equal(want) {
			t.Errorf("InitialRelease = %v, want %v", d.InitialRelease, want)
		}
	})
	t.Run("redhat_offset_dates_self_url", func(t *testing.T) {
		d := docParseFile(t, "redhat/rhsa-2024_4546.json")
		if d.SelfURL != "https://access.redhat.com/errata/RHSA-2024:4546" || d.Advisories[0].URL != d.SelfURL {
			t.Errorf("SelfURL %q, URL %q", d.SelfURL, d.Advisories[0].URL)
		}
		if d.AggregateSeverity == nil || d.AggregateSeverity.Text != "Important" || d.Publisher.Name != "Red Hat Product Security" {
			t.Errorf("AggregateSeverity %+v Publisher %+v", d.AggregateSeverity, d.Publisher)
		}
	})
	t.Run("informational_advisory", func(t *testing.T) {
		d := docParseFile(t, "oasis-examples/rhsa-2019_1862.json")
		a := d.Advisories[0]
		// The document's only note of category summary ("Topic").
		if !strings.HasPrefix(a.Summary, "This is the one-month notification") || a.Severity != feeds.SeverityLow {
			t.Errorf("Summary %q Severity %q", a.Summary, a.Severity)
		}
		if len(a.Affected) != 1 || a.Affected[0].Product != "Red Hat OpenShift Enterprise" || a.Affected[0].Status != feeds.StatusUnknown {
			t.Errorf("Affected = %+v", a.Affected)
		}
	})
}
