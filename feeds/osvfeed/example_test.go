package osvfeed_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/sigwatch/sigwatch/feeds/osvfeed"
)

func ExampleParse() {
	const record = `{
	  "schema_version": "1.3.1",
	  "id": "GO-2022-0191",
	  "modified": "0001-01-01T00:00:00Z",
	  "published": "2022-07-15T23:03:26Z",
	  "aliases": ["CVE-2018-16875"],
	  "summary": "Denial of service in chain verification in crypto/x509",
	  "affected": [{
	    "package": {"name": "stdlib", "ecosystem": "Go"},
	    "ranges": [{"type": "SEMVER", "events": [
	      {"introduced": "0"}, {"fixed": "1.10.6"},
	      {"introduced": "1.11.0-0"}, {"fixed": "1.11.3"}
	    ]}],
	    "ecosystem_specific": {"imports": [{"path": "crypto/x509"}]}
	  }],
	  "database_specific": {"url": "https://pkg.go.dev/vuln/GO-2022-0191", "review_status": "REVIEWED"}
	}`
	rec, err := osvfeed.Parse(strings.NewReader(record), "GO-2022-0191.json")
	if err != nil {
		log.Fatal(err)
	}
	a := rec.Advisory
	fmt.Println(a.ID, a.Aliases, a.Publisher, a.URL)
	fmt.Println("modified known:", !a.Modified.IsZero())
	for _, af := range a.Affected {
		for _, r := range af.Ranges {
			fmt.Println(af.Ecosystem, af.Package, r.Type, r.Events)
		}
	}
	fmt.Println(a.Extra[osvfeed.ExtraReviewStatus], a.Extra[osvfeed.ExtraAffectedKey(0, "ecosystem_specific")])
	// Output:
	// GO-2022-0191 [CVE-2018-16875] Go https://pkg.go.dev/vuln/GO-2022-0191
	// modified known: false
	// Go stdlib SEMVER [{0   } { 1.10.6  } {1.11.0-0   } { 1.11.3  }]
	// REVIEWED {"imports":[{"path":"crypto/x509"}]}
}

func ExampleParse_warnings() {
	// A linter fixture from the OSV schema: "4.36.-1" is not a PyPI version.
	rec, err := osvfeed.Parse(strings.NewReader(`{
  "id": "GHSA-9v2f-6vcg-3hgv",
  "modified": "2024-07-03T20:05:21Z",
  "affected": [{
    "package": {"ecosystem": "PyPI", "name": "Gradio"},
    "versions": ["4.36.1", "4.36.-1"]
  }]
}`), "GHSA-9v2f-6vcg-3hgv.json")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.Advisory.Affected[0].Versions)
	for _, w := range rec.Warnings {
		fmt.Println(w)
	}
	// Output:
	// [4.36.1 4.36.-1]
	// GHSA-9v2f-6vcg-3hgv.json:6:28: GHSA-9v2f-6vcg-3hgv: affected[0].versions[1]: invalid PyPI version "4.36.-1" (not PEP 440)
}

func ExampleParseZip() {
	data, err := os.ReadFile("testdata/almalinux9-2025.zip")
	if err != nil {
		log.Fatal(err)
	}
	db, err := osvfeed.ParseZip(context.Background(), bytes.NewReader(data), int64(len(data)), "almalinux9-2025.zip", nil)
	if err != nil {
		log.Fatal(err)
	}
	a, _ := db.Lookup("ALSA-2025:0147")
	fmt.Println(len(db.Advisories), "advisories; first", db.Advisories[0].ID, "from", db.Files[0])
	fmt.Println(a.Title, a.Severity, a.RelatedCVEs())
	// Output:
	// 373 advisories; first ALSA-2025:0059 from almalinux9-2025.zip/ALSA-2025-0059.json
	// Important: thunderbird security update high [CVE-2025-0242 CVE-2025-0243]
}

func ExampleSplitEcosystem() {
	for _, eco := range []string{"Go", "AlmaLinux:9", "Red Hat:rhel_aus:8.6::appstream", "purl-type:swift"} {
		name, suffix := osvfeed.SplitEcosystem(eco)
		fmt.Printf("%q %q %v\n", name, suffix, osvfeed.KnownEcosystem(eco))
	}
	// Output:
	// "Go" "" true
	// "AlmaLinux" "9" true
	// "Red Hat" "rhel_aus:8.6::appstream" true
	// "purl-type:swift" "" true
}
