package triage_test

import (
	"fmt"
	"log"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/triage"
)

func Example() {
	stack := &triage.Stack{Components: []triage.Component{{
		ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4",
		Owner: "netops", Exposure: triage.ExposureInternet,
	}}}
	clock := func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }
	engine, err := triage.New(stack, &triage.Options{Now: clock})
	if err != nil {
		log.Fatal(err)
	}
	adv := feeds.Advisory{
		ID:       "CVE-2024-21762",
		Affected: []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS"}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{
			DateAdded:     time.Date(2024, 2, 9, 0, 0, 0, 0, time.UTC),
			DueDate:       time.Date(2024, 2, 16, 0, 0, 0, 0, time.UTC),
			RansomwareUse: "Known",
		}},
	}
	res := engine.Evaluate(&adv)
	fmt.Println(res.Decision, res.Priority, "owner:", res.Owner, "due:", res.Due.Format(time.DateOnly))
	for _, why := range res.Reasons {
		fmt.Println("-", why)
	}
	// Output:
	// actionable P1 owner: netops due: 2026-11-26
	// - CISA KEV lists CVE-2024-21762 as exploited in the wild since 2024-02-09 (known ransomware use; federal due date 2024-02-16).
	// - edge-fw (version 7.2.4, internet-facing, owner netops) matches Fortinet FortiOS by name: same vendor and product, high confidence; the advisory lists no affected versions: check 7.2.4 against the vendor's advisory [needs_review]. Rule kev-internet (KEV-listed, present in the stack, exposure internet, strength high ≥ medium) → actionable P1, due 2026-11-26. SSVC deployer: out-of-cycle (exploitation active, exposure open, automatable yes, human impact medium; assumed automatable yes, human impact medium).
}
