package main

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// Example runs "sigwatch feeds parse --kind kev -" on a tiny catalog read
// from standard input and prints the table and the exit status.
func Example() {
	catalog := `{
	  "title": "CISA Catalog of Known Exploited Vulnerabilities",
	  "catalogVersion": "2025.08.25",
	  "dateReleased": "2025-08-25T17:04:19.9796Z",
	  "count": 1,
	  "vulnerabilities": [{
	    "cveID": "CVE-2021-44228", "vendorProject": "Apache", "product": "Log4j2",
	    "vulnerabilityName": "Apache Log4j2 Remote Code Execution Vulnerability",
	    "dateAdded": "2021-12-10", "dueDate": "2021-12-24",
	    "knownRansomwareCampaignUse": "Known"
	  }]
	}`
	code := run(context.Background(), []string{"feeds", "parse", "--kind", "kev", "-"},
		strings.NewReader(catalog), os.Stdout, os.Stdout)
	fmt.Println("exit status", code)
	// Output:
	// ID              ADDED       DUE         RANSOMWARE  VENDOR  PRODUCT  NAME
	// CVE-2021-44228  2021-12-10  2021-12-24  Known       Apache  Log4j2   Apache Log4j2 Remote Code Execution Vulnerability
	// 1 advisory (CISA Catalog of Known Exploited Vulnerabilities, catalogVersion 2025.08.25, released 2025-08-25T17:04:19.9796Z)
	// exit status 0
}
