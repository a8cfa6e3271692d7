package register_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/sigwatch/sigwatch/register"
)

// Assess a supplier: the customer recorded what the supplier answered and
// showed, and the supplier's register lists one group, owned by one person
// with no backup, and "Twitter".
func ExampleAssess() {
	const assessment = `
vendor: Fabrikam Cloud Ltd
assessed: 2026-11-23
answers:
  - {question: q1, answer: "CISA KEV, and we follow Twitter."}
  - {question: q3, answer: "Everything is triaged within a day."}
  - {question: q4, answer: "By e-mail within 48 hours."}
intake:
  targets: {receipt_to_triage: 1d}
  sample:
    - {advisory: CVE-2026-0001, received: 2026-10-02T08:00:00Z, decision: not_applicable}
disclosure:
  security_txt: https://fabrikam.example/.well-known/security.txt
  notify_within: 2d
examples:
  - {date: 2026-04-02, advisory: CVE-2026-0002, change: patched the load balancers}
`
	const vendorRegister = `
people:
  - {id: pat, name: Pat Quinn, role: CTO, technical: true}
groups:
  - id: cisa-kev
    name: CISA Known Exploited Vulnerabilities Catalog
    kind: government-cert
    url: https://www.cisa.gov/known-exploited-vulnerabilities-catalog
    relevance: Exploited CVEs.
    owner: pat
    membership: {status: active, since: 2025-01-01, proof: [subscription screenshot]}
    channels: [{kind: kev, url: "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"}]
    review: {records: [{date: 2026-01-10, by: pat, outcome: keep}]}
  - id: twitter
    name: Twitter
    kind: forum
    url: https://x.com/
    relevance: News.
    owner: pat
    channels: [{kind: manual}]
    review: {records: [{date: 2026-01-10, by: pat, outcome: keep}]}
`
	a, err := register.ParseAssessment(strings.NewReader(assessment), "fabrikam.yaml")
	if err != nil {
		log.Fatal(err)
	}
	vendor, err := register.Parse(strings.NewReader(vendorRegister), "fabrikam-register.yaml")
	if err != nil {
		log.Fatal(err)
	}
	res := register.Assess(a, vendor, nil)
	fmt.Printf("%s, assessed %s: %d findings, errors: %v\n", res.Vendor, res.Assessed, len(res.Findings), register.HasErrors(res.Findings))
	for _, f := range res.RedFlags {
		fmt.Printf("%-27s %-3s %s\n", f.Code, f.Question, f.Message[:strings.Index(f.Message, ":")])
	}
	fmt.Println("unanswered:", res.Unanswered)
	// Output:
	// Fabrikam Cloud Ltd, assessed 2026-11-23: 4 findings, errors: true
	// platforms-only              q1  the register lists platforms or media instead of groups ("we follow Twitter / the news")
	// single-person               q1  Pat Quinn (pat) owns every one of the 2 live groups; no live group has a backup (an active person other than its owner)
	// no-timestamps               q3  intake records without a receipt or triage time, so receipt-to-triage cannot be computed (1 of 1)
	// unexplained-not-applicable  q3  the one intake record is not_applicable and gives no reason
	// undated-proof               q1  no proof of membership carries a date for cisa-kev
	// no-examples                 q6  1 example between 2025-11-23 and 2026-11-23 of external information changing a control or triggering a fix, 2 wanted
	// unanswered                      3 questions left unanswered
	// unanswered: [q2 q5 q6]
}

// The questionnaire is data: print it for the supplier, or fill an
// assessment file from it.
func ExampleQuestionnaire() {
	for _, q := range register.Questionnaire()[:2] {
		fmt.Printf("%s: %s\n", q.ID, q.Text)
		for _, e := range q.Evidence {
			fmt.Printf("  - %s\n", e)
		}
	}
	// Output:
	// q1: Which specific groups and channels do you watch for the products and components you supply to us, and who is the owner and who the backup of each?
	//   - an extract of the register with each group's owner, backup and last review date
	//   - dated subscription or membership confirmations (e-mails, invoices, certificates)
	// q2: How do you find out about vulnerabilities in the third-party components of your product: do you keep an SBOM, and which advisory sources do you match it against?
	//   - the SBOM of the product we use, or an extract of it
	//   - the list of advisory sources matched against it, with a sample of intake-log entries showing the source of each
}
