package intake_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/triage"
)

func Example() {
	clock := func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }
	engine, err := triage.New(&triage.Stack{Components: []triage.Component{{
		ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4",
		Owner: "netops", Exposure: triage.ExposureInternet,
	}}}, &triage.Options{Now: clock})
	if err != nil {
		log.Fatal(err)
	}
	kev := feeds.SourceFunc("cisa-kev", func(context.Context) ([]feeds.Advisory, error) {
		return []feeds.Advisory{{
			ID:           "CVE-2024-21762",
			Affected:     []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS"}},
			Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{RansomwareUse: "Known"}},
		}}, nil
	})
	p, err := intake.New([]feeds.Source{kev}, engine, &intake.Options{Now: clock})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	if err := p.Action(context.Background(), "CVE-2024-21762", "CHG-1042", "akhan", "upgraded to 7.2.7"); err != nil {
		log.Fatal(err)
	}
	c, _ := p.Case(context.Background(), "CVE-2024-21762")
	for _, e := range c.Events {
		fmt.Printf("%-8s by %-8s %s\n", e.To, e.Actor, e.Note)
	}
	// Output:
	// received by sigwatch received CVE-2024-21762 from cisa-kev
	// triaged  by sigwatch actionable by rule kev-internet (P1)
	// assigned by sigwatch routed to netops
	// actioned by akhan    upgraded to 7.2.7
}
