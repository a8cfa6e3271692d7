package register_test

import (
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// Judge a register as an auditor would, and against the stack it should
// cover.
func ExampleCheck() {
	const file = `
organisation: {name: Example Ltd, regions: [uk]}
people:
  - {id: akhan, name: Aisha Khan, technical: true}
  - {id: mokafor, name: Maria Okafor, role: Head of GRC}
  - {id: rpatel, name: Ravi Patel, technical: true, active: false}
groups:
  - id: cisa-kev
    name: CISA Known Exploited Vulnerabilities Catalog
    kind: government-cert
    url: https://www.cisa.gov/known-exploited-vulnerabilities-catalog
    relevance: Exploited CVEs drive our patch SLAs.
    owner: mokafor
    backup: akhan
    membership: {status: active, since: 2024-03-01, proof: [change CHG-2024-0311]}
    channels: [{kind: kev, url: "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"}]
    review: {records: [{date: 2026-01-10, by: mokafor, outcome: keep}]}
  - id: twitter
    name: Twitter
    kind: forum
    relevance: Security news.
    owner: rpatel
    channels: [{kind: manual}]
`
	reg, err := register.Parse(strings.NewReader(file), "register.yaml")
	if err != nil {
		log.Fatal(err)
	}
	stack := &triage.Stack{Components: []triage.Component{{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS"}}}
	findings := register.Check(reg, &register.CheckOptions{
		Now:   func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) },
		Stack: stack,
	})
	for _, f := range findings {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-7s %-22s %s", f.Severity, f.Code, f.Group)))
	}
	fmt.Println("fails the audit:", register.HasErrors(findings))
	// Output:
	// warning stack-vendor-uncovered
	// warning non-technical-owner    cisa-kev
	// error   owner-inactive         twitter
	// error   vague-entry            twitter
	// warning no-backup              twitter
	// warning no-url                 twitter
	// warning review-never           twitter
	// info    no-membership          twitter
	// fails the audit: true
}
