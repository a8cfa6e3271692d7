package sqlstore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
	"github.com/sigwatch/sigwatch/triage"
)

// A pipeline that keeps its cases in a SQLite file: running the same fetch
// again records nothing, and the journal verifies.
func Example() {
	dir, err := os.MkdirTemp("", "sigwatch-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()

	store, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "sigwatch.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	engine, err := triage.New(&triage.Stack{Components: []triage.Component{{ID: "edge-fw", Vendor: "Fortinet",
		Product: "FortiOS", Version: "7.2.4", Owner: "netops", Exposure: triage.ExposureInternet}}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	kev := memfeed.New("cisa-kev", feeds.Advisory{ID: "CVE-2024-21762", Title: "Fortinet FortiOS Out-of-Bound Write",
		Affected:     []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS"}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{DateAdded: time.Date(2024, 2, 9, 0, 0, 0, 0, time.UTC)}}})
	p, err := intake.New([]feeds.Source{kev}, engine, &intake.Options{Store: store})
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		res, err := p.Run(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("new cases:", res.New)
	}
	c, err := p.Case(ctx, "cve-2024-21762")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.ID, c.State, c.Owner, c.Triage.Priority)
	rep, err := intake.VerifyJournal(ctx, store, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("journal entries:", rep.Entries, "verified:", rep.OK())
	// Output:
	// new cases: 1
	// new cases: 0
	// CVE-2024-21762 assigned netops P1
	// journal entries: 3 verified: true
}
