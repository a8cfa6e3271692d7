package sigwatch_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // your program registers the database/sql driver it uses

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// This is the embedding sample in README.md ("Embedding sigwatch"): keep the
// two in step. Every seam is a parameter: the product's database handle,
// logger, HTTP client and clock, and a register built from its own data model.
func Example_embed() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sigwatch-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// Your seams: a database handle, a logger, an HTTP client, a clock.
	db, err := sql.Open("sqlite", filepath.Join(dir, "product.db")) // or "pgx" for PostgreSQL
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	logger := slog.New(slog.DiscardHandler)           // your *slog.Logger
	client := &http.Client{Timeout: 30 * time.Second} // your proxy, mTLS, tracing
	now := func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }

	// The register, built from your own data model (or kept behind register.Store).
	reg := &register.Register{
		People: []register.Person{{ID: "u-1041", Name: "Aisha Khan", Technical: true}},
		Groups: []register.Group{{ID: "g-7", Name: "CISA Known Exploited Vulnerabilities Catalog",
			Kind: "government-cert", Owner: "u-1041", Channels: []register.Channel{{Kind: "kev"}}}},
	}
	if err := reg.Validate(); err != nil {
		log.Fatal(err)
	}

	store, err := sqlstore.New(ctx, db, sqlstore.SQLite, &sqlstore.Options{Logger: logger})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	httpc := feedhttp.New(&feedhttp.Options{HTTPClient: client, UserAgent: "acme-grc/2.3", Now: now})
	_ = kevfeed.New(&kevfeed.Options{HTTP: httpc}) // the live catalog, fetched through your client
	engine, err := triage.New(&triage.Stack{Components: []triage.Component{{ID: "asset-88",
		Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Owner: "u-1041",
		Exposure: triage.ExposureInternet}}}, &triage.Options{Now: now})
	if err != nil {
		log.Fatal(err)
	}
	pipe, err := intake.New([]feeds.Source{kevfeed.SnapshotSource()}, engine, &intake.Options{
		Store: store, Register: reg, HTTP: httpc, Logger: logger, Now: now})
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
	fmt.Println(c.ID, c.State, c.Owner, c.Receipts[0].Group)
	// Output:
	// CVE-2024-21762 assigned u-1041 g-7
}
