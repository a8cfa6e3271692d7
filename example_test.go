package sigwatch_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// This is the code sample in README.md ("The whole path in code"): keep the
// two in step (TestReadmeSamplesCompiled checks it).
func Example() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }

	// The register of groups, as kept in git (register.Load reads a file).
	reg, err := register.Parse(strings.NewReader(`
people:
  - {id: akhan, name: Aisha Khan, role: Network Engineer, technical: true}
groups:
  - id: cisa-kev
    name: CISA Known Exploited Vulnerabilities Catalog
    kind: government-cert
    owner: akhan
    membership: {status: active, since: 2024-03-01}
    channels: [{kind: kev}]
`), "register.yaml")
	if err != nil {
		log.Fatal(err)
	}

	// The stack, and a triage engine with the default rules.
	stack := &triage.Stack{Components: []triage.Component{{
		ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4",
		Owner: "akhan", Exposure: triage.ExposureInternet,
	}}}
	engine, err := triage.New(stack, &triage.Options{Now: now})
	if err != nil {
		log.Fatal(err)
	}

	// The bundled KEV snapshot; kevfeed.New(nil) fetches the live catalog.
	sources := []feeds.Source{kevfeed.SnapshotSource()}
	pipe, err := intake.New(sources, engine, &intake.Options{Register: reg, Now: now})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := pipe.Run(ctx); err != nil {
		log.Fatal(err)
	}

	c, err := pipe.Case(ctx, "CVE-2024-21762")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.ID, c.Decision, c.Triage.Priority, "owner:", c.Owner, "due:", c.Due.Format(time.DateOnly))
	fmt.Println("received via group:", c.Receipts[0].Group)

	cases, err := pipe.Cases(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	report := kpi.Compute(reg, cases, kpi.QuarterOf(now()), now(), nil)
	fmt.Println("active memberships:", report.ActiveMemberships.Numerator)
	// Output:
	// CVE-2024-21762 actionable P1 owner: akhan due: 2026-11-26
	// received via group: cisa-kev
	// active memberships: 1
}
