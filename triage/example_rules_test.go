package triage_test

import (
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/triage"
)

// The rules file from the README: one team rule in front of the defaults,
// and an accepted exception.
const readmeRules = `include_defaults: true
rules:
  - id: pci-exploited
    description: Exploited, or critical, on the card-data perimeter
    when:
      all:
        - component.tags: {contains: pci}
        - status: [affected, needs_review]
        - any:
            - kev: true
            - ssvc.exploitation: active
            - cvss: {gte: 9}
    decision: actionable
    priority: P1
    sla: 2d
    due: kev
    route: pci-team
suppressions:
  - id: EX-2026-004
    advisory: CVE-2024-3400
    component: branch-fw
    owner: akhan
    justification: vulnerable_code_not_in_execute_path
    statement: GlobalProtect is not enabled on branch firewalls.
    expires: 2027-02-01
`

func ExampleParseRules() {
	pol, err := triage.ParseRules(strings.NewReader(readmeRules), "rules.yaml")
	if err != nil {
		log.Fatal(err)
	}
	stack := &triage.Stack{Components: []triage.Component{
		{ID: "pay-fw", Vendor: "Palo Alto Networks", Product: "PAN-OS", Version: "10.2.9",
			Owner: "netops", Exposure: triage.ExposureInternet, Tags: []string{"pci"}},
		{ID: "branch-fw", Vendor: "Palo Alto Networks", Product: "PAN-OS", Version: "10.2.8",
			Owner: "netops", Exposure: triage.ExposureInternal},
	}}
	opts := pol.Options()
	opts.Now = func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }
	engine, err := triage.New(stack, opts)
	if err != nil {
		log.Fatal(err)
	}
	adv := feeds.Advisory{
		ID: "CVE-2024-3400",
		Affected: []feeds.Affected{{Vendor: "Palo Alto Networks", Product: "PAN-OS",
			Status: feeds.StatusAffected, DefaultStatus: feeds.StatusNotAffected,
			Ranges: []feeds.Range{{Type: "custom", Events: []feeds.Event{{Introduced: "10.2.0"}, {Fixed: "10.2.9-h1"}}}}}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{
			DateAdded: time.Date(2024, 4, 12, 0, 0, 0, 0, time.UTC), DueDate: time.Date(2024, 4, 19, 0, 0, 0, 0, time.UTC)}},
	}
	res := engine.Evaluate(&adv)
	for _, m := range res.Matches {
		line := fmt.Sprintf("%s %s: %s → %s", m.Component.ID, m.Component.Version, m.Verdict, m.Decision)
		if m.SuppressedBy != "" {
			line += " (exception " + m.SuppressedBy + ")"
		} else {
			line += fmt.Sprintf(" %s, %s, due %s (rule %s)", m.Priority, m.Owner, m.Due.Format(time.DateOnly), m.RuleID)
		}
		fmt.Println(line)
	}
	// Output:
	// pay-fw 10.2.9: affected → actionable P1, pci-team, due 2026-11-25 (rule pci-exploited)
	// branch-fw 10.2.8: affected → not_applicable (exception EX-2026-004)
}
