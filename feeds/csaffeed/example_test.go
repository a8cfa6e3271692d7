package csaffeed_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"testing/fstest"

	"github.com/sigwatch/sigwatch/feeds/csaffeed"
)

// Parse one CISA CSAF document: one advisory per vulnerability, with the
// products resolved from the product tree and ranges kept as published.
func ExampleParse() {
	f, err := os.Open("testdata/documents/cisa/OT/2024/icsa-24-226-10.json")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	doc, err := csaffeed.Parse(f, "icsa-24-226-10.json")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(doc.ID, doc.Version, doc.Category, doc.TLP)
	for _, a := range doc.Advisories {
		fmt.Println(a.ID, a.Severity, a.Aliases)
		for _, af := range a.Affected {
			for _, r := range af.Ranges {
				fmt.Printf("  %s | %s | %s %q\n", af.Status, af.Product, r.Type, r.Expr)
			}
		}
	}
	// Output:
	// ICSA-24-226-10 1 csaf_security_advisory CLEAR
	// ICSA-24-226-10/CVE-2024-7515 high [CVE-2024-7515]
	//   affected | CompactLogix 5380 (5069 - L3z) | TEXT "<v36.011_v35.013_v34.014"
	//   affected | CompactLogix 5480 (5069 - L4) | TEXT "<v36.011_v35.013_v34.014"
	//   affected | ControlLogix 5580 (1756 - L8z) | TEXT "<v36.011_v35.013_v34.014"
	//   affected | GuardLogix 5580 (1756 - L8z) | TEXT "<v36.011_v35.013_v34.014"
	//   affected | Compact GuardLogix 5380 (5069 - L3zS2) | TEXT "<v36.011_v35.013_v34.014"
}

// A Red Hat composite product_id resolves to its component; the platform
// it belongs to is recorded in the document (and in the advisory's Extra).
func ExampleDocument_Product() {
	f, err := os.Open("testdata/documents/redhat/rhsa-2024_4546.json")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	doc, err := csaffeed.Parse(f, "rhsa-2024_4546.json")
	if err != nil {
		log.Fatal(err)
	}
	p, _ := doc.Product("AppStream-8.6.0.Z.AUS:git-lfs-0:2.13.3-3.el8_6.1.x86_64")
	platform, _ := doc.Product(p.Relationship.Platform)
	fmt.Println(p.Relationship.Category, p.Helper.PURL)
	fmt.Println("on", platform.ProductName, platform.Helper.CPE)
	// Output:
	// default_component_of pkg:rpm/redhat/git-lfs@2.13.3-3.el8_6.1?arch=x86_64
	// on Red Hat Enterprise Linux AppStream AUS (v.8.6) cpe:/a:redhat:rhel_aus:8.6::appstream
}

// ParseFS reads a folder of downloaded documents and sets aside files that
// are not CSAF documents.
func ExampleParseFS() {
	fsys := fstest.MapFS{
		"2024/x-1.json": {Data: []byte(`{"document":{"category":"csaf_informational_advisory","csaf_version":"2.0",
			"title":"Notice","publisher":{"name":"Example"},"distribution":{"tlp":{"label":"WHITE"}},
			"tracking":{"id":"X-1","version":"1","current_release_date":"2024-05-01T00:00:00Z"}}}`)},
		"feed.json":   {Data: []byte(`{"feed":{"id":"example-feed","entry":[]}}`)},
		"changes.csv": {Data: []byte("2024/x-1.json,2024-05-01T00:00:00Z\n")},
	}
	res, err := csaffeed.ParseFS(context.Background(), fsys, ".", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range res.Documents {
		fmt.Println(d.Name, d.ID, d.TLP, len(d.Warnings), "warnings")
	}
	for _, s := range res.Skipped {
		fmt.Println("skipped", s.Path+":", s.Reason)
	}
	fmt.Println(len(res.Errors), "errors")
	// Output:
	// 2024/x-1.json X-1 CLEAR 0 warnings
	// skipped changes.csv: not a .json file
	// skipped feed.json: not a CSAF document: ROLIE feed
	// 0 errors
}
