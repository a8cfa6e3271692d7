package main

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	// The vendor's database drivers, registered with database/sql by the
	// vendor's program, not by sigwatch: modernc.org/sqlite ("sqlite", pure
	// Go) and pgx's database/sql driver ("pgx").
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/feeds/rssfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// userAgent is what the vendor's product calls itself on the wire.
const userAgent = "AcmeGRC/3.2 (+https://acme.example)"

// summarySchema names the JSON the program prints: the vendor's API shape,
// versioned by the vendor, not by sigwatch.
const summarySchema = "acmegrc.sigwatch-run/v1"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// config is one run for one tenant.
type config struct {
	tenant  string
	db      string // SQLite file
	dsn     string // postgres://… instead of db
	sbom    string
	out     string
	now     time.Time
	live    bool
	kevURL  string
	ncscURL string
}

var tenantID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("embed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	var now string
	fs.StringVar(&c.tenant, "tenant", "northwind", "tenant ID (lower-case letters, digits and dashes)")
	fs.StringVar(&c.db, "db", "sigwatch-embed.db", "the tenant's SQLite file")
	fs.StringVar(&c.dsn, "dsn", "", "a postgres:// connection string to use instead of -db")
	fs.StringVar(&c.sbom, "sbom", "", "the tenant's CycloneDX JSON SBOM; default: the stack built in code")
	fs.StringVar(&c.out, "out", "sigwatch-embed-evidence", "folder for the evidence pack")
	fs.StringVar(&now, "now", "", "the time to run as of (YYYY-MM-DD or RFC 3339); default: the current time")
	fs.BoolVar(&c.live, "live", false, "fetch the live CISA KEV catalog and UK NCSC feed instead of the bundled KEV snapshot")
	fs.StringVar(&c.kevURL, "kev-url", kevfeed.DefaultURL, "KEV catalog URL for -live (a mirror)")
	fs.StringVar(&c.ncscURL, "ncsc-url", "", "UK NCSC feed URL for -live (a mirror); default: the preset's")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: embed [-tenant ID] [-db FILE | -dsn postgres://…] [-sbom FILE] [-out DIR] [-now TIME] [-live]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, printedError{err} // the flag package has said what is wrong
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	}
	if !tenantID.MatchString(c.tenant) {
		return nil, fmt.Errorf("-tenant %q: use 1 to 63 lower-case letters, digits and dashes", c.tenant)
	}
	dbSet := false
	fs.Visit(func(f *flag.Flag) { dbSet = dbSet || f.Name == "db" })
	switch {
	case c.dsn != "" && dbSet:
		return nil, errors.New("give -db or -dsn, not both")
	case c.dsn != "" && !strings.HasPrefix(c.dsn, "postgres://") && !strings.HasPrefix(c.dsn, "postgresql://"):
		return nil, errors.New("-dsn must be a postgres:// or postgresql:// connection string")
	case c.dsn == "" && c.db == "":
		return nil, errors.New("-db must name a file")
	}
	if c.out == "" {
		return nil, errors.New("-out must name a folder")
	}
	c.now = time.Now().UTC().Truncate(time.Second)
	if now != "" {
		t, err := parseTime(now)
		if err != nil {
			return nil, fmt.Errorf("-now: %w", err)
		}
		c.now = t
	}
	return c, nil
}

// printedError is an error the flag package has already reported.
type printedError struct{ err error }

func (e printedError) Error() string { return e.err.Error() }
func (e printedError) Unwrap() error { return e.err }

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not YYYY-MM-DD or RFC 3339", s)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var printed printedError
	if errors.As(err, &printed) {
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "embed:", err)
		return 2
	}
	// Seam 2, the logger: the vendor's JSON logs, every line tagged with the
	// tenant. sigwatch logs through whatever *slog.Logger it is given.
	log := slog.New(slog.NewJSONHandler(stderr, nil)).With("tenant", c.tenant)
	sum, err := runTenant(ctx, c, log)
	if err != nil {
		log.Error("run failed", "err", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sum); err != nil {
		log.Error("writing the summary", "err", err)
		return 1
	}
	return 0
}

// openStore is seam 1: the vendor opens and owns the database pool, and
// sigwatch only borrows it. Close the *sql.DB when the tenant is done.
func openStore(ctx context.Context, c *config, log *slog.Logger) (*sqlstore.Store, *sql.DB, string, error) {
	if c.dsn != "" {
		// PostgreSQL works the same way: pgx's database/sql driver, the
		// vendor's pool settings, sqlstore.Postgres. (sqlstore.Open(ctx,
		// "postgres://…", opts) would make the pool itself.)
		db, err := sql.Open("pgx", c.dsn)
		if err != nil {
			return nil, nil, "", fmt.Errorf("open PostgreSQL: %w", err)
		}
		db.SetMaxOpenConns(8)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s, err := sqlstore.New(ctx, db, sqlstore.Postgres, &sqlstore.Options{Logger: log})
		if err != nil {
			db.Close()
			return nil, nil, "", err
		}
		return s, db, "postgres", nil
	}
	abs, err := filepath.Abs(c.db)
	if err != nil {
		return nil, nil, "", err
	}
	// A file: URI with modernc.org/sqlite's _pragma parameters: WAL lets
	// readers run beside the writer, and a busy timeout makes a second
	// process wait for the write lock instead of failing.
	dsn := "file:" + (&url.URL{Path: filepath.ToSlash(abs)}).EscapedPath() + "?" + url.Values{"_pragma": {
		"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(FULL)",
	}}.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, nil, "", fmt.Errorf("open %s: %w", c.db, err)
	}
	db.SetMaxOpenConns(4)
	s, err := sqlstore.New(ctx, db, sqlstore.SQLite, &sqlstore.Options{Logger: log})
	if err != nil {
		db.Close()
		return nil, nil, "", fmt.Errorf("%s: %w", c.db, err)
	}
	return s, db, "sqlite:" + c.db, nil
}

// newHTTPClient is seam 3: the vendor's own *http.Client (timeouts, the
// corporate proxy from the environment, connection limits; mTLS would go
// in TLSClientConfig), wrapped once in feedhttp for what every feed needs:
// a size cap, conditional GET, retries with backoff, the vendor's
// User-Agent. Here the feed URLs are the vendor's own; when tenants may
// enter feed URLs, set feedhttp.Options.BlockPrivate as well (SSRF guard).
func newHTTPClient() *feedhttp.Client {
	hc := &http.Client{
		Timeout: 2 * time.Minute,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			MaxIdleConnsPerHost:   2,
			ForceAttemptHTTP2:     true,
		},
	}
	return feedhttp.New(&feedhttp.Options{HTTPClient: hc, UserAgent: userAgent, MaxRetryWait: time.Minute})
}

// runTenant runs one intake cycle for one tenant and returns the summary.
func runTenant(ctx context.Context, c *config, log *slog.Logger) (*summary, error) {
	// Seam 4, the clock: one function for every package, so SLAs, due
	// dates, KPIs and the evidence pack all describe the same instant.
	now := func() time.Time { return c.now }

	// Seam 5, the register: built from the vendor's own tables.
	t := sampleTenant()
	reg := t.register()
	if err := reg.Validate(); err != nil {
		return nil, fmt.Errorf("tenant %s: register: %w", c.tenant, err)
	}

	// Seam 6, the stack: the tenant's SBOM, or the vendor's asset table.
	stack, stackFrom, err := t.stack(c.sbom)
	if err != nil {
		return nil, err
	}
	log.Info("inputs ready", "groups", len(reg.Groups), "components", len(stack.Components), "stack", stackFrom)

	findings := register.Check(reg, &register.CheckOptions{Now: now, Stack: stack})

	store, db, storeName, err := openStore(ctx, c, log)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	defer store.Close()

	var client *feedhttp.Client
	sources := []feeds.Source{kevfeed.SnapshotSource()}
	if c.live {
		client = newHTTPClient() // network waits keep wall-clock time, whatever -now says
		ncsc, err := rssfeed.FromPreset(rssfeed.DefaultPreset, &rssfeed.Options{URL: c.ncscURL, HTTP: client})
		if err != nil {
			return nil, err
		}
		sources = []feeds.Source{kevfeed.New(&kevfeed.Options{URL: c.kevURL, HTTP: client}), ncsc}
	}
	engine, err := triage.New(stack, &triage.Options{Now: now, SourceKinds: reg.SourceKinds()})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", stackFrom, err)
	}
	pipe, err := intake.New(sources, engine, &intake.Options{
		Store: store, Register: reg, HTTP: client, Now: now, Logger: log,
	})
	if err != nil {
		return nil, err
	}
	res, err := pipe.Run(ctx)
	if err != nil {
		return nil, err
	}
	// The tenant's stack or register may have changed since the last run:
	// open cases get the outcome the current ones give.
	if _, err := pipe.Retriage(ctx); err != nil {
		return nil, err
	}
	// A failed source is a result: report it and carry on with the others.
	cases, err := pipe.Cases(ctx, nil)
	if err != nil {
		return nil, err
	}
	states, err := store.SourceStates(ctx)
	if err != nil {
		return nil, err
	}
	report := kpi.Compute(reg, cases, kpi.QuarterOf(c.now), c.now, &kpi.Options{SourceStates: states})

	jr, err := intake.VerifyJournal(ctx, store, nil)
	if err != nil {
		return nil, err
	}
	if !jr.OK() {
		return nil, fmt.Errorf("the intake journal does not verify: %s", jr.Problems[0])
	}
	man, err := evidence.WritePack(ctx, c.out, evidence.Pack{Register: reg, Cases: cases, KPI: report, Journal: &jr.Head},
		&evidence.PackOptions{Now: now, Generator: userAgent})
	if err != nil {
		return nil, err
	}
	log.Info("evidence pack written", "dir", c.out, "files", len(man.Files)+2, "journal_seq", jr.Head.Seq)

	return newSummary(c, storeName, stackFrom, len(stack.Components), res, cases, reg, findings, report, man), nil
}

// summary is the vendor's API response for one run.
type summary struct {
	Schema    string          `json:"schema"`
	Tenant    string          `json:"tenant"`
	AsOf      time.Time       `json:"as_of"`
	Store     string          `json:"store"`
	Stack     stackSummary    `json:"stack"`
	Sources   []sourceSummary `json:"sources"`
	Cases     caseCounts      `json:"cases"`
	NewCases  []string        `json:"new_actionable_cases"`
	ByOwner   []ownerWork     `json:"actionable_by_owner"`
	Register  registerSummary `json:"register"`
	KPIs      []kpiLine       `json:"kpis"`
	Evidence  evidenceSummary `json:"evidence"`
	Generator string          `json:"generator"`
}

type stackSummary struct {
	From       string `json:"from"`
	Components int    `json:"components"`
}

type sourceSummary struct {
	Name       string `json:"name"`
	Group      string `json:"group,omitempty"`
	Advisories int    `json:"advisories"`
	Error      string `json:"error,omitempty"`
}

type caseCounts struct {
	Total         int `json:"total"`
	New           int `json:"new"`
	Updated       int `json:"updated"`
	Actionable    int `json:"actionable"`
	Informational int `json:"informational"`
	NotApplicable int `json:"not_applicable"`
}

type ownerWork struct {
	Owner string       `json:"owner"`
	Name  string       `json:"name,omitempty"`
	Email string       `json:"email,omitempty"`
	Items []actionItem `json:"items"`
}

type actionItem struct {
	Case      string `json:"case"`
	Priority  string `json:"priority"`
	Due       string `json:"due"`
	Component string `json:"component"`
	Rule      string `json:"rule"`
	Title     string `json:"title"`
}

type registerSummary struct {
	Groups   int            `json:"groups"`
	People   int            `json:"people"`
	Findings int            `json:"findings"`
	BySev    map[string]int `json:"by_severity"`
	Codes    []string       `json:"codes"`
}

type kpiLine struct {
	KPI         int    `json:"kpi"`
	ID          string `json:"id"`
	Name        string `json:"name"`
	Value       string `json:"value"`
	Numerator   int    `json:"numerator"`
	Denominator int    `json:"denominator"`
}

type evidenceSummary struct {
	Dir         string         `json:"dir"`
	Files       int            `json:"files"`
	JournalHead *intake.Anchor `json:"journal_head"`
	Check       string         `json:"check"`
}

func newSummary(c *config, storeName, stackFrom string, components int, res *intake.RunResult, cases []intake.Case,
	reg *register.Register, findings []register.Finding, report *kpi.Report, man *evidence.Manifest) *summary {
	s := &summary{Schema: summarySchema, Tenant: c.tenant, AsOf: c.now, Store: storeName, Generator: userAgent,
		Stack: stackSummary{From: stackFrom, Components: components}, NewCases: []string{}, ByOwner: []ownerWork{}}
	for _, src := range res.Sources {
		s.Sources = append(s.Sources, sourceSummary{Name: src.Name, Group: src.Group, Advisories: src.Count, Error: src.Error})
	}
	s.Cases = caseCounts{Total: len(cases), New: res.New, Updated: res.Updated}
	opened := map[string]bool{}
	for _, id := range res.Opened {
		opened[id] = true
	}
	var act []intake.Case
	for _, cs := range cases {
		switch cs.Decision {
		case triage.DecisionActionable:
			s.Cases.Actionable++
			if cs.State.Open() {
				act = append(act, cs)
			}
			if opened[cs.ID] {
				s.NewCases = append(s.NewCases, cs.ID)
			}
		case triage.DecisionInformational:
			s.Cases.Informational++
		case triage.DecisionNotApplicable:
			s.Cases.NotApplicable++
		}
	}
	slices.SortFunc(act, func(a, b intake.Case) int {
		return cmp.Or(cmp.Compare(a.Owner, b.Owner), cmp.Compare(a.Priority(), b.Priority()),
			a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID))
	})
	for _, cs := range act {
		if len(s.ByOwner) == 0 || s.ByOwner[len(s.ByOwner)-1].Owner != cs.Owner {
			w := ownerWork{Owner: cs.Owner}
			if p, ok := reg.Person(cs.Owner); ok {
				w.Name, w.Email = p.Name, p.Email
			}
			s.ByOwner = append(s.ByOwner, w)
		}
		it := actionItem{Case: cs.ID, Priority: string(cs.Priority()), Title: strings.TrimSpace(cs.Advisory.Title)}
		if !cs.Due.IsZero() {
			it.Due = cs.Due.UTC().Format(time.DateOnly)
		}
		if cs.Triage != nil && len(cs.Triage.Matches) > 0 {
			it.Component, it.Rule = cs.Triage.Matches[0].Component.ID, cs.Triage.RuleID
		}
		w := &s.ByOwner[len(s.ByOwner)-1]
		w.Items = append(w.Items, it)
	}

	s.Register = registerSummary{Groups: len(reg.Groups), People: len(reg.People), Findings: len(findings),
		BySev: map[string]int{}, Codes: []string{}}
	for _, f := range findings {
		s.Register.BySev[string(f.Severity)]++
		if !slices.Contains(s.Register.Codes, string(f.Code)) {
			s.Register.Codes = append(s.Register.Codes, string(f.Code))
		}
	}
	slices.Sort(s.Register.Codes)

	for _, m := range kpiMeasures(report) {
		s.KPIs = append(s.KPIs, kpiLine{KPI: m.KPI, ID: m.ID, Name: m.Name, Value: m.ValueString(),
			Numerator: m.Numerator, Denominator: m.Denominator})
	}
	s.Evidence = evidenceSummary{Dir: c.out, Files: len(man.Files) + 2, JournalHead: man.JournalHead,
		Check: "(cd " + c.out + " && sha256sum -c SHA256SUMS)"}
	return s
}

// kpiMeasures returns the report's KPIs in order, leaving out any not computed.
func kpiMeasures(r *kpi.Report) []*kpi.Measure {
	var out []*kpi.Measure
	if k := r.ActiveMemberships; k != nil {
		out = append(out, &k.Measure)
	}
	if k := r.ActionableItems; k != nil {
		out = append(out, &k.Measure)
	}
	if k := r.ReceiptToTriage; k != nil {
		out = append(out, &k.Measure)
	}
	if k := r.ReviewedMemberships; k != nil {
		out = append(out, &k.Measure)
	}
	if k := r.TimeToAction; k != nil {
		out = append(out, &k.Measure)
	}
	if k := r.RegisterHealth; k != nil {
		out = append(out, &k.Measure)
	}
	if k := r.FeedFreshness; k != nil {
		out = append(out, &k.Measure)
	}
	if k := r.ChannelYield; k != nil {
		out = append(out, &k.Measure)
	}
	return out
}

// The vendor's own data model. AcmeGRC keeps each tenant's people, intel
// sources and assets in its own tables; sigwatch never sees these types.
// register() and stack() map them to sigwatch values, in code: no YAML
// file is involved.
type tenantData struct {
	Name              string
	Regions, Sectors  []string
	Users             []userRow
	IntelSources      []intelSourceRow
	Assets            []assetRow
	DefaultAssetOwner string // who owns SBOM components until someone is named
}

type userRow struct {
	Login, FullName, Email, JobTitle string
	Engineer, Disabled               bool
}

type intelSourceRow struct {
	Slug, Title, Category, Homepage, Rationale string
	Regions, Sectors, Vendors                  []string
	Owner, Backup                              string // user logins
	MemberSince                                time.Time
	Evidence                                   string // where the proof of membership is filed
	TLP                                        string
	FeedKind, FeedURL, FeedSource              string // FeedKind "" means advisories arrive by hand
	ReviewedOn                                 time.Time
	ReviewedBy, ReviewNote                     string
}

type assetRow struct {
	Tag, Label, Vendor, Product, Version string
	Owner                                string // user login
	Tier                                 int    // 1 (crown jewels) … 4
	InternetFacing                       bool
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sampleTenant stands in for the vendor's database query.
func sampleTenant() *tenantData {
	return &tenantData{
		Name: "Northwind Payments Ltd", Regions: []string{"uk", "eu"}, Sectors: []string{"financial-services"},
		DefaultAssetOwner: "ssingh",
		Users: []userRow{
			{Login: "dmorgan", FullName: "Dana Morgan", Email: "dana.morgan@northwind.example", JobTitle: "Network Engineer", Engineer: true},
			{Login: "lchen", FullName: "Li Chen", Email: "li.chen@northwind.example", JobTitle: "Security Operations Lead", Engineer: true},
			{Login: "ssingh", FullName: "Sam Singh", Email: "sam.singh@northwind.example", JobTitle: "Platform Engineer", Engineer: true},
			{Login: "pwhite", FullName: "Pat White", Email: "pat.white@northwind.example", JobTitle: "GRC Manager"},
		},
		IntelSources: []intelSourceRow{
			{Slug: "cisa-kev", Title: "CISA Known Exploited Vulnerabilities Catalog", Category: "government-cert",
				Homepage:  "https://www.cisa.gov/known-exploited-vulnerabilities-catalog",
				Rationale: "Authoritative list of CVEs exploited in the wild; drives the patch SLAs.",
				Regions:   []string{"global"}, Vendors: []string{"all"},
				Owner: "dmorgan", Backup: "lchen", MemberSince: day(2024, 1, 15), Evidence: "feed subscription, change CHG-2024-0042", TLP: "CLEAR",
				FeedKind: "kev", FeedURL: kevfeed.DefaultURL,
				ReviewedOn: day(2025, 11, 3), ReviewedBy: "dmorgan", ReviewNote: "Still the primary source for exploited CVEs."},
			{Slug: "uk-ncsc", Title: "UK National Cyber Security Centre", Category: "government-cert",
				Homepage:  "https://www.ncsc.gov.uk",
				Rationale: "UK national CERT: alerts and threat reports for UK organisations.",
				Regions:   []string{"uk"}, Sectors: []string{"all"},
				Owner: "lchen", Backup: "dmorgan", MemberSince: day(2023, 9, 1), Evidence: "Early Warning registration e-mail 2023-09-01", TLP: "CLEAR",
				FeedKind: "rss", FeedURL: "https://www.ncsc.gov.uk/api/1/services/v1/all-rss-feed.xml", FeedSource: rssfeed.DefaultPreset,
				ReviewedOn: day(2025, 10, 14), ReviewedBy: "lchen"},
			// No backup owner: the register check reports it (no-backup).
			{Slug: "paloalto-psirt", Title: "Palo Alto Networks security advisories", Category: "vendor",
				Homepage:  "https://security.paloaltonetworks.com",
				Rationale: "Vendor advisories for the PAN-OS edge firewalls.",
				Vendors:   []string{"Palo Alto Networks"},
				Owner:     "dmorgan", MemberSince: day(2024, 1, 15), Evidence: "customer support portal account NW-4471",
				ReviewedOn: day(2025, 6, 2), ReviewedBy: "dmorgan"},
			{Slug: "fs-isac", Title: "FS-ISAC (Financial Services Information Sharing and Analysis Center)", Category: "isac",
				Homepage:  "https://www.fsisac.com",
				Rationale: "Peer exchange on threats to payment processors, shared under TLP.",
				Regions:   []string{"global"}, Sectors: []string{"financial-services"},
				Owner: "lchen", Backup: "pwhite", MemberSince: day(2022, 2, 1), Evidence: "invoice FS-2026-0031", TLP: "AMBER",
				ReviewedOn: day(2025, 12, 9), ReviewedBy: "pwhite", ReviewNote: "Renewed for 2026."},
		},
		Assets: []assetRow{
			{Tag: "fw-edge", Label: "Edge firewalls", Vendor: "Palo Alto Networks", Product: "PAN-OS", Version: "10.2.9", Owner: "dmorgan", Tier: 1, InternetFacing: true},
			{Tag: "mft", Label: "Managed file transfer", Vendor: "Progress", Product: "MOVEit Transfer", Version: "2023.0.1", Owner: "ssingh", Tier: 1, InternetFacing: true},
			{Tag: "vcenter", Label: "Virtualisation management", Vendor: "VMware", Product: "vCenter Server", Version: "8.0.1", Owner: "ssingh", Tier: 1},
			{Tag: "jira", Label: "Issue tracker", Vendor: "Atlassian", Product: "Jira Data Center", Version: "9.4.0", Owner: "ssingh", Tier: 2},
			{Tag: "tomcat", Label: "Internal web apps", Vendor: "Apache", Product: "Tomcat", Version: "9.0.80", Owner: "lchen", Tier: 3},
		},
	}
}

// register maps the vendor's tables to a sigwatch register.
func (t *tenantData) register() *register.Register {
	reg := &register.Register{Organisation: register.Organisation{Name: t.Name, Regions: t.Regions, Sectors: t.Sectors}}
	for _, u := range t.Users {
		p := register.Person{ID: u.Login, Name: u.FullName, Email: u.Email, Role: u.JobTitle, Technical: u.Engineer}
		if u.Disabled {
			p.Active = new(false)
		}
		reg.People = append(reg.People, p)
	}
	for _, s := range t.IntelSources {
		g := register.Group{
			ID: s.Slug, Name: s.Title, Kind: register.Kind(s.Category), URL: s.Homepage, Relevance: s.Rationale,
			Scope: register.Scope{Regions: s.Regions, Sectors: s.Sectors, Vendors: s.Vendors},
			Owner: s.Owner, Backup: s.Backup,
			Membership: register.Membership{Status: register.MembershipActive, Since: register.DateOf(s.MemberSince), TLP: s.TLP},
			Review:     register.Review{Every: register.Period{Months: 12}},
		}
		if s.Evidence != "" {
			g.Membership.Proof = []register.Proof{{Ref: s.Evidence}}
		}
		ch := register.Channel{Kind: "manual"}
		if s.FeedKind != "" {
			ch = register.Channel{Kind: s.FeedKind, URL: s.FeedURL, Source: s.FeedSource, Every: register.Period{Days: 7}}
		}
		g.Channels = []register.Channel{ch}
		if !s.ReviewedOn.IsZero() {
			g.Review.Records = []register.ReviewRecord{{Date: register.DateOf(s.ReviewedOn), By: s.ReviewedBy,
				Outcome: register.OutcomeKeep, Notes: s.ReviewNote}}
		}
		reg.Groups = append(reg.Groups, g)
	}
	return reg
}

// stack maps the vendor's asset table to a sigwatch stack, or reads the
// tenant's CycloneDX SBOM when one is given. SBOM components carry no
// owner, so they go to the tenant's default asset owner.
func (t *tenantData) stack(sbom string) (*triage.Stack, string, error) {
	if sbom != "" {
		f, err := os.Open(sbom)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		st, err := triage.ParseCycloneDX(f, sbom)
		if err != nil {
			return nil, "", err
		}
		for i := range st.Components {
			if st.Components[i].Owner == "" {
				st.Components[i].Owner = t.DefaultAssetOwner
			}
		}
		return st, sbom, nil
	}
	st := &triage.Stack{}
	for _, a := range t.Assets {
		c := triage.Component{ID: a.Tag, Name: a.Label, Vendor: a.Vendor, Product: a.Product, Version: a.Version,
			Owner: a.Owner, Criticality: tierCriticality(a.Tier), Exposure: triage.ExposureInternal}
		if a.InternetFacing {
			c.Exposure = triage.ExposureInternet
		}
		st.Components = append(st.Components, c)
	}
	return st, "asset inventory", nil
}

func tierCriticality(tier int) triage.Criticality {
	switch tier {
	case 1:
		return triage.CriticalityCritical
	case 2:
		return triage.CriticalityHigh
	case 3:
		return triage.CriticalityMedium
	case 4:
		return triage.CriticalityLow
	}
	return triage.CriticalityUnknown
}
