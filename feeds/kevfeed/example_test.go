package kevfeed_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/sigwatch/sigwatch/feeds/kevfeed"
)

func ExampleParse() {
	const catalog = `{
	  "title": "CISA Catalog of Known Exploited Vulnerabilities",
	  "catalogVersion": "2025.08.25",
	  "dateReleased": "2025-08-25T17:04:19.9796Z",
	  "count": 1,
	  "vulnerabilities": [{
	    "cveID": "CVE-2025-48384",
	    "vendorProject": "Git",
	    "product": "Git",
	    "vulnerabilityName": "Git Link Following Vulnerability",
	    "dateAdded": "2025-08-25",
	    "shortDescription": "Git contains a link following vulnerability.",
	    "requiredAction": "Apply mitigations per vendor instructions.",
	    "dueDate": "2025-09-15",
	    "knownRansomwareCampaignUse": "Unknown",
	    "notes": "https://github.com/git/git/security/advisories/GHSA-vwqx-4fm8-6qc9 ; https://nvd.nist.gov/vuln/detail/CVE-2025-48384",
	    "cwes": ["CWE-59", "CWE-436"]
	  }]
	}`
	cat, err := kevfeed.Parse(strings.NewReader(catalog), "inline.json")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("catalog", cat.Version, "released", cat.Released.Format("2006-01-02 15:04:05.0000"))
	for _, a := range cat.Advisories {
		kev := a.Exploitation.KEV
		fmt.Printf("%s  %s / %s  due %s  ransomware: %s\n",
			a.ID, a.Affected[0].Vendor, a.Affected[0].Product, kev.DueDate.Format("2006-01-02"), kev.RansomwareUse)
		for _, r := range a.References {
			fmt.Println("  ", r.URL)
		}
	}
	// Output:
	// catalog 2025.08.25 released 2025-08-25 17:04:19.9796
	// CVE-2025-48384  Git / Git  due 2025-09-15  ransomware: Unknown
	//    https://github.com/git/git/security/advisories/GHSA-vwqx-4fm8-6qc9
	//    https://nvd.nist.gov/vuln/detail/CVE-2025-48384
}

func ExampleParse_error() {
	_, err := kevfeed.Parse(strings.NewReader(`{"catalogVersion": "x", "vulnerabilities": [
	  {"cveID": "CVE-2021-44228", "dateAdded": "2021-12-10", "dueDate": "next week"}
	]}`), "kev.json")
	fmt.Println(err)
	// Output:
	// kev.json:2:70: vulnerabilities[0].dueDate: invalid date "next week": want YYYY-MM-DD
}

func ExampleSnapshot() {
	cat, err := kevfeed.Snapshot()
	if err != nil {
		log.Fatal(err)
	}
	known := 0
	for _, a := range cat.Advisories {
		if a.Exploitation.KEV.RansomwareKnown() {
			known++
		}
	}
	fmt.Printf("%s: %d entries, %d known ransomware use\n", cat.Version, len(cat.Advisories), known)
	// Output:
	// 2025.08.25: 1404 entries, 293 known ransomware use
}
