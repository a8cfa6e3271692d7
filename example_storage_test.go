package sigwatch_test

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

// This is the storage sample in README.md ("Storage"): keep the two in step.
func Example_storage() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sigwatch-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// "sqlite:PATH" is a file, created if needed; "postgres://user@host/db" is PostgreSQL.
	// sqlstore.New(ctx, db, sqlstore.Postgres, nil) wraps a *sql.DB you manage.
	store, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "sigwatch.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	engine, err := triage.New(&triage.Stack{Components: []triage.Component{{ID: "edge-fw",
		Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Owner: "netops",
		Exposure: triage.ExposureInternet}}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	kev := memfeed.New("cisa-kev", feeds.Advisory{ID: "CVE-2024-21762", Title: "Fortinet FortiOS Out-of-Bound Write",
		Affected:     []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS"}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{DateAdded: time.Date(2024, 2, 9, 0, 0, 0, 0, time.UTC)}}})
	pipe, err := intake.New([]feeds.Source{kev}, engine, &intake.Options{Store: store})
	if err != nil {
		log.Fatal(err)
	}
	for range 2 { // the same fetch twice: recorded once
		res, err := pipe.Run(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("new cases:", res.New)
	}
	rep, err := intake.VerifyJournal(ctx, store, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("journal entries:", rep.Entries, "verified:", rep.OK())
	// Output:
	// new cases: 1
	// new cases: 0
	// journal entries: 3 verified: true
}
