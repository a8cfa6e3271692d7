package csaffeed

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
)

// docJSON builds a small CSAF document around a product_tree and a
// vulnerabilities array (raw JSON; "" leaves them out).
func docJSON(tree, vulns string) string {
	s := `{"document":{"category":"csaf_security_advisory","csaf_version":"2.0","title":"T",
"publisher":{"name":"P","category":"vendor","namespace":"https://p.example"},
"distribution":{"tlp":{"label":"GREEN"}},
"tracking":{"id":"X-1","status":"final","version":"1","initial_release_date":"2024-01-01T00:00:00Z",
"current_release_date":"2024-01-02T00:00:00Z","revision_history":[{"number":"1","date":"2024-01-01T00:00:00Z","summary":"s"}]}}`
	if tree != "" {
		s += `,"product_tree":` + tree
	}
	if vulns != "" {
		s += `,"vulnerabilities":` + vulns
	}
	return s + "}"
}

const vendorTree = `{"branches":[{"category":"vendor","name":"V","branches":[
 {"category":"product_name","name":"Prod","branches":[
  {"category":"product_version","name":"1.0","product":{"name":"Prod 1.0","product_id":"P1"}},
  {"category":"product_version","name":"2.0","product":{"name":"Prod 2.0","product_id":"P2",
    "product_identification_helper":{"purl":"pkg:generic/v/prod@2.0","cpe":"cpe:2.3:a:v:prod:2.0:*:*:*:*:*:*:*",
     "hashes":[{"filename":"prod.bin","file_hashes":[{"algorithm":"sha256","value":"abc"}]}],
     "model_numbers":["M-*"],"sbom_urls":["https://s.example/sbom"],"serial_numbers":["S1"],"skus":["K1"],
     "x_generic_uris":[{"namespace":"https://n.example","uri":"https://u.example/1"}]}}},
  {"category":"product_version_range","name":"vers:generic/>=3.0|<3.5","product":{"name":"Prod 3.x","product_id":"P3"}}]}]}],
 "product_groups":[{"group_id":"G1","product_ids":["P1","P2"],"summary":"old"}]}`

func TestProductStatusMapping(t *testing.T) {
	d := docParseString(t, docJSON(vendorTree, `[{"cve":"CVE-2024-0001",
 "product_status":{"first_affected":["P1"],"last_affected":["P2"],"first_fixed":["P3"],"known_not_affected":["NOPE"],
   "under_investigation":["P3"],"recommended":["P2"]}}]`))
	a := d.Advisories[0]
	want := []feeds.Affected{
		{Vendor: "V", Product: "Prod", ProductID: "P1", Versions: []string{"1.0"}, Status: feeds.StatusAffected,
			Ranges: []feeds.Range{{Type: "ECOSYSTEM", Events: []feeds.Event{{Introduced: "1.0"}}}}},
		{Vendor: "V", Product: "Prod", ProductID: "P2", Versions: []string{"2.0"}, Status: feeds.StatusAffected,
			PURL: "pkg:generic/v/prod@2.0", Package: "prod", CPEs: []string{"cpe:2.3:a:v:prod:2.0:*:*:*:*:*:*:*"},
			Ranges: []feeds.Range{{Type: "ECOSYSTEM", Events: []feeds.Event{{Introduced: "0"}, {LastAffected: "2.0"}}}}},
		// first_fixed on a range product: the range is kept, no event is invented.
		{Vendor: "V", Product: "Prod", ProductID: "P3", Status: feeds.StatusFixed,
			Ranges: []feeds.Range{{Type: "VERS", Expr: "vers:generic/>=3.0|<3.5"}}},
		{ProductID: "NOPE", Status: feeds.StatusNotAffected},
		{Vendor: "V", Product: "Prod", ProductID: "P3", Status: feeds.StatusUnderInvestigation,
			Ranges: []feeds.Range{{Type: "VERS", Expr: "vers:generic/>=3.0|<3.5"}}},
	}
	if diff := cmp.Diff(want, a.Affected); diff != "" {
		t.Errorf("Affected (-want +got):\n%s", diff)
	}
	for k, v := range map[string]string{
		"first_affected": `["P1"]`, "last_affected": `["P2"]`, "first_fixed": `["P3"]`, "recommended": `["P2"]`,
	} {
		if got := a.Extra[ExtraProductStatusPrefix+k]; got != v {
			t.Errorf("Extra[%s] = %q, want %q", k, got, v)
		}
	}
	wantWarn := `vulnerabilities[0].product_status.known_not_affected[0]: product_id "NOPE" is not defined in product_tree (kept with its ID only)`
	if !slices.Contains(d.Warnings, wantWarn) {
		t.Errorf("Warnings = %q, want %q", d.Warnings, wantWarn)
	}
	if d.TLP != feeds.TLPGreen {
		t.Errorf("TLP = %q", d.TLP)
	}
}

func TestProductHelper(t *testing.T) {
	d := docParseString(t, docJSON(vendorTree, ""))
	p, ok := d.Product("P2")
	if !ok {
		t.Fatal("P2 not found")
	}
	want := &Helper{
		CPE: "cpe:2.3:a:v:prod:2.0:*:*:*:*:*:*:*", PURL: "pkg:generic/v/prod@2.0",
		Hashes:       []FileHashes{{Filename: "prod.bin", Hashes: []FileHash{{Algorithm: "sha256", Value: "abc"}}}},
		ModelNumbers: []string{"M-*"}, SBOMURLs: []string{"https://s.example/sbom"}, SerialNumbers: []string{"S1"},
		SKUs: []string{"K1"}, XGenericURIs: []GenericURI{{Namespace: "https://n.example", URI: "https://u.example/1"}},
	}
	if diff := cmp.Diff(want, p.Helper); diff != "" {
		t.Errorf("Helper (-want +got):\n%s", diff)
	}
	if p.Field != "product_tree.branches[0].branches[0].branches[1].product" || p.Vendor != "V" || p.ProductName != "Prod" || p.Version != "2.0" {
		t.Errorf("product = %+v", p)
	}
	if diff := cmp.Diff([]ProductGroup{{ID: "G1", Summary: "old", ProductIDs: []string{"P1", "P2"}}}, d.Groups); diff != "" {
		t.Errorf("Groups (-want +got):\n%s", diff)
	}
	// Informational: no vulnerabilities, one advisory listing every product
	// with no status.
	a := d.Advisories[0]
	if a.ID != "X-1" || len(a.Affected) != 3 || a.Affected[0].Status != feeds.StatusUnknown {
		t.Errorf("document advisory = %q with %+v", a.ID, a.Affected)
	}
}

func TestVulnerabilityMapping(t *testing.T) {
	d := docParseString(t, docJSON(vendorTree, `[
 {"cve":"CVE-2024-0001","title":"first","cwe":{"id":"CWE-79","name":"XSS"},
  "notes":[{"category":"summary","text":"short"},{"category":"description","text":"long","title":"D"},
           {"category":"details","title":"SSVC","text":"SSVCv2/E:A/A:N/T:T/2024-07-11T21:26:33Z/"}],
  "ids":[{"system_name":"Vendor","text":"V-77"}],
  "product_status":{"known_affected":["P1"],"fixed":["P2"]},
  "scores":[{"products":["P1"],"cvss_v2":{"version":"2.0","vectorString":"AV:N/AC:L/Au:N/C:P/I:P/A:P","baseScore":7.5}},
            {"products":["P1"],"cvss_v3":{"version":"3.1","vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","baseScore":9.8,"baseSeverity":"CRITICAL"},
             "cvss_v4":{"version":"4.0","vectorString":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N","baseScore":"6.9","baseSeverity":"MEDIUM"}}],
  "threats":[{"category":"exploit_status","details":"Exploited in the wild","date":"2024-02-01T00:00:00Z"},
             {"category":"target_set","details":"Web servers","group_ids":["G1"]}],
  "remediations":[{"category":"vendor_fix","details":"Update","group_ids":["G1","G9"],"product_ids":["P1","P3"],
                   "entitlements":["support contract"],"restart_required":{"category":"service","details":"restart httpd"}}],
  "flags":[{"label":"vulnerable_code_not_in_execute_path","product_ids":["P3"]}],
  "involvements":[{"party":"vendor","status":"completed","summary":"fixed","date":"2024-01-01T00:00:00Z"}],
  "acknowledgments":[{"names":["A","B"],"organization":"Org","urls":["https://a.example"]}],
  "references":[{"category":"external","url":"https://r.example/1","summary":"R"},{"url":""}],
  "release_date":"2024-01-01T10:00:00+02:00","discovery_date":"2023-12-24"},
 {"ids":[{"system_name":"Vendor","text":"V-78"}]},
 {"notes":[{"category":"general","text":"nothing"}]},
 {"cve":"CVE-2024-0001"}]`))
	if len(d.Advisories) != 4 {
		t.Fatalf("%d advisories", len(d.Advisories))
	}
	a := d.Advisories[0]
	if a.ID != "X-1/CVE-2024-0001" || !slices.Equal(a.Aliases, []string{"CVE-2024-0001", "V-77"}) || !slices.Equal(a.Related, []string{"X-1"}) {
		t.Errorf("ID %q Aliases %q Related %q", a.ID, a.Aliases, a.Related)
	}
	if a.Title != "first" || a.Summary != "long" || a.Severity != feeds.SeverityCritical || !slices.Equal(a.Weaknesses, []string{"CWE-79"}) {
		t.Errorf("Title %q Summary %q Severity %q Weaknesses %q", a.Title, a.Summary, a.Severity, a.Weaknesses)
	}
	wantScores := []feeds.Score{
		{Type: "SSVC", Vector: "SSVCv2/E:A/A:N/T:T/2024-07-11T21:26:33Z/"},
		{Type: "CVSS_V2", Vector: "AV:N/AC:L/Au:N/C:P/I:P/A:P", Value: 7.5},
		{Type: "CVSS_V3", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Value: 9.8},
		{Type: "CVSS_V4", Vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", Value: 6.9},
	}
	if diff := cmp.Diff(wantScores, a.Scores); diff != "" {
		t.Errorf("Scores (-want +got):\n%s", diff)
	}
	if s := a.Exploitation.SSVC; s == nil || s.Exploitation != "active" || s.Automatable != "no" || s.TechnicalImpact != "total" || s.Timestamp.IsZero() {
		t.Errorf("SSVC = %+v", s)
	}
	if !slices.Equal(a.Exploitation.Statements, []string{"Exploited in the wild"}) {
		t.Errorf("Statements = %q", a.Exploitation.Statements)
	}
	wantRem := []feeds.Remediation{{Category: "vendor_fix", Details: "Update", Products: []string{"P1", "P3", "P2", "G9"}}}
	if diff := cmp.Diff(wantRem, a.Remediations); diff != "" {
		t.Errorf("Remediations (-want +got):\n%s", diff)
	}
	for k, v := range map[string]string{
		ExtraRemediationPrefix + "0.entitlements":    `["support contract"]`,
		ExtraRemediationPrefix + "0.restartRequired": "service: restart httpd",
		ExtraReleaseDate:        "2024-01-01T08:00:00Z",
		ExtraDiscoveryDate:      "2023-12-24T00:00:00Z",
		ExtraCWEName:            "XSS",
		ExtraVulnerabilityTitle: "first",
		ExtraIDs:                `[{"system_name":"Vendor","text":"V-77"}]`,
	} {
		if got := a.Extra[k]; got != v {
			t.Errorf("Extra[%s] = %q, want %q", k, got, v)
		}
	}
	var cats []string
	for _, n := range a.Notes {
		cats = append(cats, n.Category+"|"+n.Title+"|"+n.Text)
	}
	wantNotes := []string{
		"summary||short", "description|D|long", "details|SSVC|SSVCv2/E:A/A:N/T:T/2024-07-11T21:26:33Z/",
		"threat.exploit_status|date: 2024-02-01T00:00:00Z|Exploited in the wild",
		"threat.target_set|products: P1, P2|Web servers",
		"flag|products: P3|vulnerable_code_not_in_execute_path",
		"involvement|vendor completed (2024-01-01T00:00:00Z)|fixed",
		"acknowledgment|Org|A, B\nhttps://a.example",
	}
	if diff := cmp.Diff(wantNotes, cats); diff != "" {
		t.Errorf("Notes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]feeds.Reference{{Type: "WEB", URL: "https://r.example/1"}}, a.References); diff != "" {
		t.Errorf("References (-want +got):\n%s", diff)
	}

	// Fallbacks: ids[0], then the array position; a repeated CVE gets the
	// position too.
	for i, want := range []string{"X-1/V-78", "X-1/vulnerabilities[2]", "X-1/vulnerabilities[3]"} {
		if got := d.Advisories[i+1].ID; got != want {
			t.Errorf("advisory %d ID = %q, want %q", i+1, got, want)
		}
	}
	if got := d.Advisories[3].Aliases; !slices.Equal(got, []string{"CVE-2024-0001"}) {
		t.Errorf("repeated CVE aliases = %q", got)
	}
	for _, w := range []string{
		`vulnerabilities[0].remediations[0].group_ids[1]: group_id "G9" is not defined in product_tree.product_groups (kept as is)`,
		`vulnerabilities[0].references[1].url: empty reference URL (skipped)`,
		`vulnerabilities[2]: no cve and no ids; advisory ID is "X-1/vulnerabilities[2]"`,
		`vulnerabilities[3]: advisory ID "X-1/CVE-2024-0001" repeats vulnerabilities[0]; this one is "X-1/vulnerabilities[3]"`,
	} {
		if !slices.Contains(d.Warnings, w) {
			t.Errorf("missing warning %q in %q", w, d.Warnings)
		}
	}
}

func TestRelationships(t *testing.T) {
	tree := `{"branches":[{"category":"vendor","name":"V","branches":[
  {"category":"product_name","name":"Lib","branches":[{"category":"product_version","name":"1.2","product":{"name":"Lib 1.2","product_id":"LIB"}}]},
  {"category":"product_name","name":"OS","product":{"name":"OS","product_id":"OS"}}]}],
 "full_product_names":[{"name":"Box","product_id":"BOX"}],
 "relationships":[
  {"category":"installed_on","product_reference":"LIB","relates_to_product_reference":"OS","full_product_name":{"name":"Lib 1.2 on OS","product_id":"LIB@OS"}},
  {"category":"optional_component_of","product_reference":"LIB@OS","relates_to_product_reference":"BOX","full_product_name":{"name":"Lib on OS in Box","product_id":"LIB@OS@BOX"}},
  {"category":"installed_with","product_reference":"GHOST","relates_to_product_reference":"NOWHERE","full_product_name":{"name":"?","product_id":"G@N"}}]}`
	d := docParseString(t, docJSON(tree, `[{"cve":"CVE-2024-0002","product_status":{"known_affected":["LIB@OS@BOX","G@N"]}}]`))
	a := d.Advisories[0]
	want := []feeds.Affected{
		{Vendor: "V", Product: "Lib", ProductID: "LIB@OS@BOX", Versions: []string{"1.2"}, Status: feeds.StatusAffected},
		{Product: "?", ProductID: "G@N", Status: feeds.StatusAffected},
	}
	if diff := cmp.Diff(want, a.Affected); diff != "" {
		t.Errorf("Affected (-want +got):\n%s", diff)
	}
	if got := a.Extra[ExtraRelationshipPrefix+"LIB@OS@BOX"]; got != "optional_component_of BOX: Lib on OS in Box" {
		t.Errorf("Extra = %q", got)
	}
	for _, w := range []string{
		`product_tree.relationships[2].relates_to_product_reference: product_id "NOWHERE" is not defined in product_tree`,
		`product_tree.relationships[2].product_reference: product_id "GHOST" is not defined in product_tree`,
	} {
		if !slices.Contains(d.Warnings, w) {
			t.Errorf("missing warning %q in %q", w, d.Warnings)
		}
	}
	if p, _ := d.Product("BOX"); p == nil || p.Field != "product_tree.full_product_names[0]" {
		t.Errorf("BOX = %+v", p)
	}
}

func TestTreeOddities(t *testing.T) {
	tree := `{"branches":[{"category":"vendor","name":"V","branches":[
  {"category":"flavour","name":"F","product":{"name":"F","product_id":"F1"}},
  {"category":"product_name","name":"Empty"},
  {"category":"product_name","name":"NoID","product":{"name":"NoID"}},
  {"category":"product_name","name":"Dup","product":{"name":"Dup","product_id":"F1"}}]}]}`
	d := docParseString(t, docJSON(tree, ""))
	want := []string{
		`product_tree.branches[0].branches[0].category: unknown branch category "flavour" (kept)`,
		`product_tree.branches[0].branches[1]: branch "Empty" has neither product nor branches`,
		`product_tree.branches[0].branches[2].product.product_id: missing; the product cannot be referenced (kept in Products)`,
		`product_tree.branches[0].branches[3].product.product_id: "F1" is already defined at product_tree.branches[0].branches[0].product; references use the first definition`,
	}
	if diff := cmp.Diff(want, d.Warnings); diff != "" {
		t.Errorf("Warnings (-want +got):\n%s", diff)
	}
	if len(d.Products) != 3 {
		t.Errorf("%d products, want 3 (nothing dropped)", len(d.Products))
	}
	if p, _ := d.Product("F1"); p.Name != "F" {
		t.Errorf("F1 resolves to %+v, want the first definition", p)
	}
}

// nestedTree returns a product tree n branch levels deep.
func nestedTree(n int) string {
	var b strings.Builder
	b.WriteString(`{"branches":`)
	for i := range n {
		fmt.Fprintf(&b, `[{"category":"product_family","name":"L%d",`, i)
		if i == n-1 {
			b.WriteString(`"product":{"name":"deep","product_id":"D"}`)
		} else {
			b.WriteString(`"branches":`)
		}
	}
	for i := range n {
		if i > 0 {
			b.WriteString("]")
		}
		b.WriteString("}")
	}
	b.WriteString("]}")
	return b.String()
}

func TestBranchDepth(t *testing.T) {
	d := docParseString(t, docJSON(nestedTree(DefaultMaxBranchDepth), ""))
	if p, ok := d.Product("D"); !ok || len(p.Path) != DefaultMaxBranchDepth {
		t.Fatalf("product at depth %d: %+v", DefaultMaxBranchDepth, p)
	}
	for _, n := range []int{DefaultMaxBranchDepth + 1, 2000} {
		_, err := Parse(strings.NewReader(docJSON(nestedTree(n), "")), "deep.json")
		wantParseError(t, err, "product_tree.branches"+strings.Repeat("[0].branches", DefaultMaxBranchDepth), "nested deeper than 64 levels", nil)
	}
	// Beyond encoding/json's own nesting limit (10000) the decoder stops first.
	_, err := Parse(strings.NewReader(docJSON(nestedTree(6000), "")), "deep.json")
	wantParseError(t, err, "-", "exceeded max depth", nil)
}

func TestRelationshipCycle(t *testing.T) {
	tree := `{"relationships":[
  {"category":"installed_on","product_reference":"B","relates_to_product_reference":"B","full_product_name":{"name":"A","product_id":"A"}},
  {"category":"installed_on","product_reference":"A","relates_to_product_reference":"A","full_product_name":{"name":"B","product_id":"B"}}]}`
	_, err := Parse(strings.NewReader(docJSON(tree, "")), "cycle.json")
	wantParseError(t, err, "product_tree.relationships[0].product_reference", `relationship cycle through product_id "A"`, nil)
}

func TestAdvisoryIDsStayUnique(t *testing.T) {
	d := docParseString(t, docJSON("", `[{"cve":"vulnerabilities[1]"},{},{"ids":[{"text":"vulnerabilities[1]"}]}]`))
	var ids []string
	for _, a := range d.Advisories {
		ids = append(ids, a.ID)
	}
	want := []string{"X-1/vulnerabilities[1]", "X-1/vulnerabilities[1]#2", "X-1/vulnerabilities[2]"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
}

// TestPurlName: the package name taken from a purl, read off each purl by
// hand (type / namespace / name @ version ? qualifiers # subpath), named as
// OSV names packages of that ecosystem (formats.md §11).
func TestPurlName(t *testing.T) {
	for in, want := range map[string]string{
		"pkg:rpm/redhat/python3.9@3.9.18-3.el9_4.5?arch=src&epoch=0": "python3.9",
		"pkg:golang/github.com/go-git/go-git/v5@v5.4.2":              "github.com/go-git/go-git/v5",
		"pkg:npm/%40angular/core@17.0.0":                             "@angular/core",
		"pkg:npm/lodash@4.17.21":                                     "lodash",
		"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1":       "org.apache.logging.log4j:log4j-core",
		"pkg:deb/ubuntu/pcre3@2%3A8.39-12ubuntu0.1?arch=amd64":       "pcre3",
		"pkg:pypi/Django":                    "Django",
		"pkg:generic/openssl%20fips@3.0#src": "openssl fips",
		"pkg:generic":                        "",
		"cpe:2.3:a:v:p:1":                    "",
		"pkg:npm/":                           "",
	} {
		if got := purlName(in); got != want {
			t.Errorf("purlName(%q) = %q, want %q", in, got, want)
		}
	}
}
