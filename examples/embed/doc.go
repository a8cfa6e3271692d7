// Command embed shows how a GRC vendor runs sigwatch inside its own
// product, for one tenant, on the vendor's own infrastructure. It is the
// code to copy: each outside dependency is a seam the vendor fills, and
// nothing in sigwatch is global, so many tenants can run in one process.
//
// Run it offline on the bundled CISA KEV snapshot:
//
//	go run ./examples/embed -now 2026-03-02
//	go run ./examples/embed -sbom examples/embed/testdata/appliances.cdx.json
//	go run ./examples/embed -dsn 'postgres://user:pass@db:5432/tenant_acme'
//	go run ./examples/embed -live        # the live KEV catalog and UK NCSC feed
//
// It prints one JSON object (the vendor's API shape, schema
// "acmegrc.sigwatch-run/v1": the cases opened, actionable work by owner,
// register findings, KPIs, where the evidence pack went) on stdout and
// JSON log lines on stderr. A second run records nothing twice.
//
// # Seams
//
// Store: the vendor opens the database and owns the pool — database/sql
// with the modernc.org/sqlite driver (sql.Open("sqlite", "file:…?_pragma=…"),
// WAL and a busy timeout) — and hands it to sqlstore.New(ctx, db,
// sqlstore.SQLite, opts), which migrates the schema and never closes the
// pool. PostgreSQL is the same call with sql.Open("pgx", dsn) and
// sqlstore.Postgres (-dsn). sqlstore.Open(ctx, "sqlite:PATH" or
// "postgres://…", opts) is the shortcut when sigwatch may make the pool.
//
// Logger: a log/slog JSON handler with a tenant attribute, given to
// intake.Options.Logger and sqlstore.Options.Logger. sigwatch logs nothing
// anywhere else.
//
// HTTP: the vendor's *http.Client (timeouts, proxy from the environment,
// connection limits; mTLS in its transport) wrapped once in
// feedhttp.New(&feedhttp.Options{HTTPClient: …, UserAgent: "AcmeGRC/3.2
// (+https://acme.example)"}) and given to every live source and to
// intake.Options.HTTP (which saves the conditional-GET validators in the
// store). Set feedhttp.Options.BlockPrivate when tenants may enter feed
// URLs.
//
// Clock: one now func() time.Time (-now) for triage.Options.Now,
// intake.Options.Now, register.CheckOptions.Now, kpi.Compute's as-of
// instant and evidence.PackOptions.Now, so due dates, KPIs and the pack
// describe the same instant and tests are reproducible.
//
// Register: built in code from the vendor's own tables (users, intel
// sources) as register.Register values — no YAML file — then
// Register.Validate and register.Check, whose findings the summary counts.
//
// Stack: the tenant's CycloneDX SBOM (-sbom, read with
// triage.ParseCycloneDX; components without an owner go to the tenant's
// default owner), or triage.Component values built from the vendor's
// asset table (tier → criticality, internet-facing → exposure).
//
// One cycle is then intake.New(sources, triage engine, options).Run, the
// cases from the store, kpi.Compute, intake.VerifyJournal for the journal
// head, and evidence.WritePack into -out (check it with
// `sha256sum -c SHA256SUMS` or evidence.VerifyPack).
package main
