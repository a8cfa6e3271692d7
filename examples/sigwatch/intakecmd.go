package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// ---------------------------------------------------------------------------
// The store

// caseStore is an opened --db store.
type caseStore struct {
	intake.Store
	// name is the DSN as it may be shown (passwords redacted).
	name string
	// memory marks the in-memory store of "--db memory:".
	memory bool
	close  func() error
}

const dsnHelp = "sqlite:PATH, postgres://… or memory:"

// checkDSN rejects a missing or unknown --db before anything is opened.
func checkDSN(dsn string) error {
	switch {
	case dsn == "":
		return usagef("--db is required: %s", dsnHelp)
	case dsn == "memory:",
		strings.HasPrefix(dsn, "sqlite:"),
		strings.HasPrefix(dsn, "postgres://"),
		strings.HasPrefix(dsn, "postgresql://"):
		return nil
	}
	scheme, _, ok := strings.Cut(dsn, ":")
	if !ok || scheme == "" || strings.ContainsAny(scheme, "/\\ @") {
		// Not even a scheme: a bare path, say. Never echo more than the
		// scheme of a DSN: it may carry a password.
		return usagef("--db: not a store address: use %s (a file is sqlite:PATH)", dsnHelp)
	}
	return usagef("--db: unknown store scheme %q: use %s", cell(scheme, 20), dsnHelp)
}

// openStore opens the --db store. With mustExist a SQLite file that does
// not exist is an error instead of a new, empty store (reading commands).
func openStore(ctx context.Context, dsn string, mustExist bool) (*caseStore, error) {
	if err := checkDSN(dsn); err != nil {
		return nil, err
	}
	if dsn == "memory:" {
		return &caseStore{Store: intake.NewMemoryStore(), name: "memory:", memory: true, close: func() error { return nil }}, nil
	}
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok && mustExist && path != "" {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such database file (run 'sigwatch intake run' to create one)", dsn)
		}
	}
	// Reading commands open only an existing store: verifying the wrong
	// database must not create an empty one and call it intact.
	s, err := sqlstore.Open(ctx, dsn, &sqlstore.Options{Existing: mustExist})
	if err != nil {
		return nil, err
	}
	return &caseStore{Store: s, name: s.String(), close: s.Close}, nil
}

// note is the line that tells the user which store is used.
func (s *caseStore) note() string {
	if s.memory {
		return "Store memory: (in memory: nothing is kept after this command)"
	}
	return "Store " + s.name
}

// ---------------------------------------------------------------------------
// intake run and intake watch

// intakeFlags are the flags "intake run" and "intake watch" share.
type intakeFlags struct {
	register, stack, rules, db, offline, notify, now *string
	asJSON                                           *bool
}

func defineIntakeFlags(fs *flag.FlagSet) *intakeFlags {
	return &intakeFlags{
		register: fs.String("register", "", "register `file`: its live groups' channels are the sources (required)"),
		stack:    fs.String("stack", "", "stack `file` to triage against (required)"),
		db:       fs.String("db", "", "case store `DSN`: "+dsnHelp+" (required)"),
		rules:    fs.String("rules", "", "rules `file`; default rules when omitted"),
		offline:  fs.String("offline", "", "no network: read each source from `DIR`/<source name>, or \"bundled\" for the embedded KEV snapshot only"),
		notify:   fs.String("notify", "", "notification config `file` (YAML): notifiers, routes, digest"),
		now:      fs.String("now", "", "fix the clock at `time` (YYYY-MM-DD or RFC 3339) for reproducible runs"),
		asJSON:   fs.Bool("json", false, "print JSON"),
	}
}

const intakeSetupHelp = `The sources are the feed channels of the register's live groups (kinds kev,
rss, ncsc, csaf, osv), each named by its channel's source name and fetched
through one HTTP client that makes conditional requests; manual channels have
no source. Advisories are de-duplicated into one case per vulnerability,
triaged against the stack (and --rules), routed to the matched component's
owner and recorded in the store with a hash-chained journal: running the
same fetch twice records nothing twice.

--offline DIR fetches no feed over the network: each source reads DIR/<source name> (a
directory for csaf, osv and cve5) or DIR/<source name>.json, .xml, .rss,
.atom, .rdf or .zip; a kev channel with no file reads the KEV snapshot
embedded in sigwatch; any other channel with no file is listed as skipped.
--offline bundled uses the embedded snapshot only.

--notify FILE tells owners through signed webhooks, Slack, Teams, e-mail or
Jira. Secrets and token-bearing URLs are read from the environment variables
the file names (the *_env keys), never from the file:

  notifiers:
    - {name: ops-hook, kind: webhook, url: "https://…", secret_env: SIGWATCH_WEBHOOK_SECRET}
    - {name: chat, kind: slack, url_env: SLACK_WEBHOOK_URL}
    - {name: teams, kind: teams, url_env: TEAMS_WEBHOOK_URL}
    - {name: mail, kind: smtp, addr: "smtp.example.org:587", from: "sigwatch@example.org",
       username_env: SMTP_USER, password_env: SMTP_PASSWORD, starttls: required}
    - {name: tickets, kind: jira, base_url: "https://example.atlassian.net", project: SEC,
       issue_type: Task, email_env: JIRA_EMAIL, token_env: JIRA_TOKEN}
  routes:                       # every matching route sends; none: every notifier, every owner
    - {owner: netops, priorities: [P1, P2], notifier: chat}
    - {notifier: mail}          # optional: to: {email: soc@example.org}, digest: true
  digest: {priorities: [P4], every: 24h, at: "08:00"}   # the defaults; [] for no digest

Each case routed to an owner is told once, however often the command runs;
temporary failures are retried by later runs, and every delivery is recorded
on the case.

--db is sqlite:PATH (created if needed), postgres://user@host/db, or memory:
(nothing is kept; for trying things out).`

func intakeRunCommand() command {
	return command{
		name:    "intake run",
		args:    "--register FILE --stack FILE --db DSN [--rules FILE] [--offline DIR] [--notify FILE] [--now TIME] [--json]",
		summary: "fetch, triage, record and notify once",
		help: `Run one intake cycle: fetch every source of the register, record and
triage what arrived, then send the notifications that are due. Prints one
line per source (advisories, "not modified", the error, or why it was
skipped; and the time taken), the cases opened or updated (decision,
priority, owner, due date, title, why), who was told, and a summary.

` + intakeSetupHelp + `

After recording, every open case is triaged again against the current stack,
rules and register (intake.Pipeline.Retriage): when you change the stack, the
next run moves the cases to their new decision and owner, tells the new owners,
and says how many it re-triaged. Closed and rejected cases keep their outcome;
an actioned case keeps its owner and records what the new triage would change.

A failing source is shown and the run carries on: the exit status stays 0.
It is 1 when the store or the delivery fails. --json prints one object
{"store","run","skipped","delivered","cases","opened"}: the cases opened or
updated in full, and the IDs of those opened.`,
		setup: func(fs *flag.FlagSet) runFunc {
			f := defineIntakeFlags(fs)
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				return runIntake(ctx, e, f)
			}
		},
	}
}

func intakeWatchCommand() command {
	return command{
		name:    "intake watch",
		args:    "--register FILE --stack FILE --db DSN [--interval D] [--rules FILE] [--offline DIR] [--notify FILE] [--now TIME] [--json]",
		summary: "run intake cycles every interval until interrupted",
		help: `Run an intake cycle (as "intake run" does) at once and then every
interval, with a little jitter, printing a short block per cycle: what the
sources brought, the failed sources, the actionable cases opened or updated,
and the notifications sent. Interrupt (Ctrl-C) stops it cleanly between
transactions, with exit status 0. A cycle whose store or delivery fails is
reported and the watch carries on. --json prints one JSON object per cycle
(JSON Lines).

` + intakeSetupHelp,
		setup: func(fs *flag.FlagSet) runFunc {
			f := defineIntakeFlags(fs)
			interval := fs.Duration("interval", time.Hour, "time between cycles")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if *interval <= 0 {
					return usagef("--interval must be positive, got %s", *interval)
				}
				return runWatch(ctx, e, f, *interval)
			}
		},
	}
}

// plannedSource is one channel's source as the run sees it.
type plannedSource struct {
	Name  string `json:"name"`
	Group string `json:"group"`
	Kind  string `json:"kind"`
	// Skipped says why the source does not run; empty when it runs.
	Skipped string `json:"reason,omitempty"`
	// File is the offline file or directory it reads, if any.
	File    string `json:"file,omitempty"`
	offline *offlineSource
}

// intakeSetup is a pipeline ready to run, with what the output needs.
type intakeSetup struct {
	p       *intake.Pipeline
	store   *caseStore
	plan    []plannedSource
	notify  *notifyConfig
	offline string
}

func (s *intakeSetup) Close() error { return s.store.close() }

// setupIntake checks the flags, loads the files and opens the store, in
// that order, so that a mistake in a file creates no database.
func setupIntake(ctx context.Context, f *intakeFlags) (*intakeSetup, error) {
	switch {
	case *f.register == "":
		return nil, usagef("--register is required")
	case *f.stack == "":
		return nil, usagef("--stack is required")
	}
	if err := checkDSN(*f.db); err != nil {
		return nil, err
	}
	now := time.Now
	if *f.now != "" {
		t, err := parseNow(*f.now)
		if err != nil {
			return nil, usagef("--now: %v", err)
		}
		now = func() time.Time { return t }
	}
	offline := *f.offline
	if offline != "" && offline != "bundled" {
		st, err := os.Stat(offline)
		if err != nil {
			return nil, fmt.Errorf("--offline: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("--offline: %s is not a directory", offline)
		}
	}
	reg, err := register.Load(*f.register)
	if err != nil {
		return nil, err
	}
	engine, _, err := newEngine(*f.stack, *f.rules, now, reg.SourceKinds())
	if err != nil {
		return nil, err
	}
	var nc *notifyConfig
	if *f.notify != "" {
		if nc, err = loadNotifyConfig(*f.notify, os.LookupEnv); err != nil {
			return nil, err
		}
	}
	var client *feedhttp.Client
	if offline == "" {
		client = feedhttp.New(nil)
	}
	sources, plan, err := planSources(reg, *f.register, offline, client)
	if err != nil {
		return nil, err
	}
	store, err := openStore(ctx, *f.db, false)
	if err != nil {
		return nil, err
	}
	opts := &intake.Options{Store: store.Store, Register: reg, HTTP: client, Now: now}
	if nc != nil {
		opts.Notify = nc.opts
	}
	p, err := intake.New(sources, engine, opts)
	if err != nil {
		store.close()
		return nil, err
	}
	return &intakeSetup{p: p, store: store, plan: plan, notify: nc, offline: offline}, nil
}

// offlineExts are the file name extensions an offline source may have.
var offlineExts = []string{".json", ".xml", ".rss", ".atom", ".rdf", ".zip"}

// planSources builds one source per feed channel of the register's live
// groups, in register order, and says which channels are skipped and why.
func planSources(reg *register.Register, regPath, offline string, client *feedhttp.Client) ([]feeds.Source, []plannedSource, error) {
	type seenChannel struct{ kind, url, group string }
	seen := map[string]seenChannel{}
	var (
		sources []feeds.Source
		plan    []plannedSource
	)
	kinds := feedKinds()
	for gi := range reg.Groups {
		g := &reg.Groups[gi]
		if !g.Live() {
			continue
		}
		for ci := range g.Channels {
			ch := &g.Channels[ci]
			kind := strings.ToLower(strings.TrimSpace(ch.Kind))
			if kind == "manual" {
				continue
			}
			name := ch.SourceName()
			if prev, ok := seen[name]; ok {
				if prev.kind == kind && prev.url == ch.URL {
					continue // the same feed listed twice: one source
				}
				return nil, nil, fmt.Errorf("%s: groups %s and %s both have a channel with source name %q but different kinds or URLs; give one of them its own \"source:\"",
					regPath, prev.group, g.ID, name)
			}
			seen[name] = seenChannel{kind: kind, url: ch.URL, group: g.ID}
			ps := plannedSource{Name: name, Group: g.ID, Kind: kind}
			i := slices.IndexFunc(kinds, func(k feedKind) bool { return k.name == kind })
			if i < 0 {
				ps.Skipped = fmt.Sprintf("no adapter for channel kind %q (known: %s)", ch.Kind, strings.Join(kindNames(), ", "))
				plan = append(plan, ps)
				continue
			}
			k := &kinds[i]
			var src feeds.Source
			if offline != "" {
				src = offlineFor(&ps, k, offline)
			} else {
				src = liveFor(&ps, k, ch.URL, client)
			}
			if src != nil {
				sources = append(sources, src)
			}
			plan = append(plan, ps)
		}
	}
	return sources, plan, nil
}

// liveFor returns the live source of a channel, named by its source name.
func liveFor(ps *plannedSource, k *feedKind, url string, client *feedhttp.Client) feeds.Source {
	if k.source == nil {
		ps.Skipped = fmt.Sprintf("feeds of kind %s cannot be fetched; use --offline with a file or directory", k.name)
		return nil
	}
	src, err := k.source(url, client)
	if err != nil {
		// Shown as the source's failure, like any other.
		return feeds.SourceFunc(ps.Name, func(context.Context) ([]feeds.Advisory, error) { return nil, err })
	}
	return renamed(ps.Name, src)
}

// renamed gives src the channel's source name when its adapter uses another.
func renamed(name string, src feeds.Source) feeds.Source {
	if src.Name() == name {
		return src
	}
	return feeds.SourceFunc(name, src.Fetch)
}

// offlineFor returns the offline source of a channel, or nil with
// ps.Skipped set.
func offlineFor(ps *plannedSource, k *feedKind, dir string) feeds.Source {
	if dir != "bundled" {
		if !filepath.IsLocal(ps.Name) || strings.ContainsAny(ps.Name, `/\`) {
			ps.Skipped = fmt.Sprintf("offline: source name %q cannot be a file name in %s", ps.Name, dir)
			return nil
		}
		base := filepath.Join(dir, ps.Name)
		var found []string
		for _, p := range append([]string{base}, suffixed(base)...) {
			if _, err := os.Stat(p); err == nil {
				found = append(found, p)
			}
		}
		switch len(found) {
		case 1:
			ps.File = found[0]
			o := &offlineSource{name: ps.Name, path: found[0], kind: k}
			ps.offline = o
			return o
		case 0:
		default:
			err := fmt.Errorf("offline: several files for source %s: %s", ps.Name, strings.Join(found, ", "))
			return feeds.SourceFunc(ps.Name, func(context.Context) ([]feeds.Advisory, error) { return nil, err })
		}
	}
	if k.name == "kev" {
		ps.File = "(embedded KEV snapshot)"
		return renamed(ps.Name, kevfeed.SnapshotSource())
	}
	if dir == "bundled" {
		ps.Skipped = "skipped (offline, bundled data only)"
	} else {
		base := filepath.Join(dir, ps.Name)
		ps.Skipped = fmt.Sprintf("skipped (offline, no file: looked for %s and %s.{%s})", base, base,
			strings.Join(trimDots(offlineExts), ","))
	}
	return nil
}

func suffixed(base string) []string {
	out := make([]string, len(offlineExts))
	for i, ext := range offlineExts {
		out[i] = base + ext
	}
	return out
}

func trimDots(exts []string) []string {
	out := make([]string, len(exts))
	for i, e := range exts {
		out[i] = strings.TrimPrefix(e, ".")
	}
	return out
}

// offlineSource reads a downloaded feed with its kind's parser.
type offlineSource struct {
	name, path string
	kind       *feedKind
	// warnings are the last Fetch's parser warnings; read only after the
	// pipeline's Run has returned.
	warnings []string
}

func (o *offlineSource) Name() string { return o.name }

func (o *offlineSource) Fetch(ctx context.Context) ([]feeds.Advisory, error) {
	feed, err := o.kind.parse(ctx, o.path, nil)
	if err != nil {
		return nil, err
	}
	o.warnings = feed.warnings
	return feed.advisories, nil
}

// intakeRunOutput is the JSON of "intake run" (and of each "intake watch"
// cycle); its names are part of the documented output.
type intakeRunOutput struct {
	Cycle     int                    `json:"cycle,omitempty"`
	Store     string                 `json:"store"`
	Run       *intake.RunResult      `json:"run"`
	Skipped   []plannedSource        `json:"skipped"`
	Delivered *intake.DeliveryResult `json:"delivered"`
	// Cases are the cases opened or updated, in full, as they stand after
	// delivery.
	Cases []intake.Case `json:"cases"`
	// Opened lists the IDs of the cases the run opened.
	Opened []string `json:"opened"`
	// Retriaged says which open cases got another outcome because the
	// stack, the rules or the register changed (intake run only).
	Retriaged *intake.RetriageResult `json:"retriaged,omitempty"`
	Error     string                 `json:"error,omitempty"`
}

func runIntake(ctx context.Context, e *env, f *intakeFlags) error {
	s, err := setupIntake(ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	run, err := s.p.Run(ctx)
	if err != nil {
		return fmt.Errorf("intake run: %w", err)
	}
	// Cases filed under an earlier stack, rules or register get the
	// outcome the current ones give (and their new owners are told below).
	rt, err := s.p.Retriage(ctx)
	if err != nil {
		return fmt.Errorf("intake run: %w", err)
	}
	del, err := s.p.Deliver(ctx)
	if err != nil {
		return fmt.Errorf("intake run: delivering notifications: %w", err)
	}
	run.Changed = mergeIDs(run.Changed, rt.Changed)
	out, err := s.output(ctx, run, del)
	if err != nil {
		return err
	}
	out.Retriaged = rt
	s.warn(e)
	if *f.asJSON {
		return writeIndentedJSON(e.stdout, out)
	}
	return s.writeRun(e.stdout, out)
}

// output gathers what a cycle did.
func (s *intakeSetup) output(ctx context.Context, run *intake.RunResult, del *intake.DeliveryResult) (*intakeRunOutput, error) {
	out := &intakeRunOutput{Store: s.store.name, Run: run, Delivered: del, Skipped: []plannedSource{}, Opened: []string{}}
	if out.Delivered == nil {
		out.Delivered = &intake.DeliveryResult{}
	}
	for _, ps := range s.plan {
		if ps.Skipped != "" {
			out.Skipped = append(out.Skipped, ps)
		}
	}
	if run != nil && run.Opened != nil {
		out.Opened = run.Opened
	}
	var err error
	if out.Cases, err = changedCases(ctx, s.store, run.Changed); err != nil {
		return nil, fmt.Errorf("intake: reading the changed cases: %w", err)
	}
	return out, nil
}

// changedCases loads the cases with the given IDs: one by one when they
// are few, else in one pass over the store.
func changedCases(ctx context.Context, st intake.Store, ids []string) ([]intake.Case, error) {
	out := []intake.Case{}
	if len(ids) == 0 {
		return out, nil
	}
	if len(ids) <= 200 {
		for _, id := range ids {
			rec, err := st.Load(ctx, id)
			if err != nil {
				return nil, err
			}
			out = append(out, rec.Case)
		}
		return out, nil
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	all, err := st.Cases(ctx, nil)
	if err != nil {
		return nil, err
	}
	for _, c := range all {
		if want[c.ID] {
			out = append(out, c)
		}
	}
	return out, nil
}

// warn prints the offline parsers' warnings as one count per source.
func (s *intakeSetup) warn(e *env) {
	for _, ps := range s.plan {
		if ps.offline != nil && len(ps.offline.warnings) > 0 {
			fmt.Fprintf(e.stderr, "sigwatch: %s (%s): %d parser %s (ranges kept as text are needs_review); 'sigwatch feeds parse' prints them\n",
				ps.Name, ps.File, len(ps.offline.warnings), pluralWord(len(ps.offline.warnings), "warning", "warnings"))
		}
	}
}

func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// sourceStatus is a source's result as one cell.
func sourceStatus(sr *intake.SourceResult) string {
	switch {
	case sr.Err != nil || sr.Error != "":
		return "failed: " + cell(sr.Error, 160)
	case sr.NotModified:
		return "not modified"
	case len(sr.Rejected) > 0:
		r := sr.Rejected[0]
		return fmt.Sprintf("%s, %d rejected (%s: %s)", countOf(sr.Count, "advisory", "advisories"), len(sr.Rejected),
			cell(textx.OneLine(r.ID), 40), cell(textx.OneLine(r.Reason), 100))
	default:
		return countOf(sr.Count, "advisory", "advisories")
	}
}

func (s *intakeSetup) writeRun(w io.Writer, out *intakeRunOutput) error {
	var b strings.Builder
	b.WriteString(s.store.note() + "\n")
	if s.notify != nil {
		b.WriteString("Notify " + textx.OneLine(s.notify.describe()) + "\n")
	}
	b.WriteString("\nSources\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	byName := map[string]*intake.SourceResult{}
	for i := range out.Run.Sources {
		byName[out.Run.Sources[i].Name] = &out.Run.Sources[i]
	}
	for _, ps := range s.plan {
		status, took := ps.Skipped, "-"
		if sr, ok := byName[ps.Name]; ok && status == "" {
			status, took = sourceStatus(sr), sr.Duration.Round(time.Millisecond).String()
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", cell(ps.Name, 40), cell(ps.Group, 30), ps.Kind, took, status)
	}
	if len(s.plan) == 0 {
		fmt.Fprintln(tw, "  (the register's live groups have no feed channels)")
	}
	tw.Flush()

	fmt.Fprintf(&b, "\nCases: %d new, %d updated\n", out.Run.New, out.Run.Updated)
	// Actionable work only: the rest (often hundreds of not-applicable
	// advisories) is counted, and listed by 'intake cases'.
	writeCaseRows(&b, out.Cases, out.Opened, len(out.Cases)+1)
	if rest := len(out.Cases) - countActionable(out.Cases); rest > 0 {
		fmt.Fprintf(&b, "  (%d informational or not applicable, not listed: 'sigwatch intake cases --db DSN' lists every case)\n", rest)
	}

	if s.notify != nil {
		if len(out.Delivered.Deliveries) == 0 {
			b.WriteString("\nNotifications: nothing to send\n")
		} else {
			fmt.Fprintf(&b, "\nNotifications: %d %s\n", out.Delivered.Messages, pluralWord(out.Delivered.Messages, "message", "messages"))
			writeDeliveries(&b, out.Delivered.Deliveries, 0)
		}
	}
	b.WriteString("\n" + summaryLine(out, s.notify != nil) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCaseRows prints changed cases, actionable and most urgent first;
// limit > 0 prints only the first limit actionable ones.
func writeCaseRows(b *strings.Builder, cases []intake.Case, opened []string, limit int) {
	rows := slices.Clone(cases)
	slices.SortStableFunc(rows, compareCases)
	if limit > 0 {
		rows = slices.DeleteFunc(rows, func(c intake.Case) bool { return c.Decision != triage.DecisionActionable })
	}
	more := 0
	if limit > 0 && len(rows) > limit {
		more, rows = len(rows)-limit, rows[:limit]
	}
	if len(rows) == 0 {
		return
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  CASE\tCHANGE\tDECISION\tPRI\tOWNER\tDUE\tTITLE\tWHY")
	for i := range rows {
		c := &rows[i]
		change := "updated"
		if _, ok := slices.BinarySearch(opened, c.ID); ok {
			change = "new"
		}
		why := ""
		if c.Triage != nil {
			why = c.Triage.Why()
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(c.ID, 40), change, orDash(string(c.Decision)),
			orDash(string(c.Priority())), cell(c.Owner, 20), day(c.Due), cell(c.Advisory.Title, 50), cell(why, 100))
	}
	tw.Flush()
	if more > 0 {
		fmt.Fprintf(b, "  … and %d more actionable\n", more)
	}
}

func countActionable(cases []intake.Case) int {
	n := 0
	for i := range cases {
		if cases[i].Decision == triage.DecisionActionable {
			n++
		}
	}
	return n
}

// compareCases puts actionable work first, most urgent first.
func compareCases(a, b intake.Case) int {
	rank := map[triage.Decision]int{triage.DecisionActionable: 0, triage.DecisionInformational: 1, triage.DecisionNotApplicable: 2}
	ra, ok := rank[a.Decision]
	if !ok {
		ra = 3
	}
	rb, ok := rank[b.Decision]
	if !ok {
		rb = 3
	}
	pa, pb := cmp.Or(string(a.Priority()), "P9"), cmp.Or(string(b.Priority()), "P9")
	return cmp.Or(cmp.Compare(ra, rb), strings.Compare(pa, pb), strings.Compare(a.ID, b.ID))
}

func writeDeliveries(b *strings.Builder, ds []intake.DeliveryAttempt, limit int) {
	more := 0
	if limit > 0 && len(ds) > limit {
		more, ds = len(ds)-limit, ds[:limit]
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NOTIFIER\tRECIPIENT\tCASES\tSTATE\tREF")
	for _, d := range ds {
		state := string(d.State)
		if d.State == intake.DeliveryPending {
			state = "retrying" // a temporary failure: the next run tries again
		}
		if d.Digest {
			state += " (digest)"
		}
		ref := d.Ref
		if d.Error != "" {
			ref = d.Error
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", cell(d.Notifier, 30), cell(d.Recipient, 40),
			cell(strings.Join(d.Cases, ","), 60), state, cell(ref, 120))
	}
	tw.Flush()
	if more > 0 {
		fmt.Fprintf(b, "  … and %d more\n", more)
	}
}

// mergeIDs returns the sorted union of two ID lists.
func mergeIDs(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

func summaryLine(out *intakeRunOutput, notifying bool) string {
	fetched, failed := 0, 0
	for _, sr := range out.Run.Sources {
		if sr.Err != nil || sr.Error != "" {
			failed++
		} else {
			fetched++
		}
	}
	line := fmt.Sprintf("%s fetched, %d failed, %d skipped; %d new %s, %d updated",
		countOf(fetched, "source", "sources"), failed, len(out.Skipped), out.Run.New, pluralWord(out.Run.New, "case", "cases"), out.Run.Updated)
	if rt := out.Retriaged; rt != nil && len(rt.Changed) > 0 {
		line += fmt.Sprintf(", %d re-triaged (the stack, rules or register changed)", len(rt.Changed))
	}
	if notifying {
		d := out.Delivered
		line += fmt.Sprintf("; %d %s enqueued, %d sent, %d retrying, %d failed", out.Run.Enqueued,
			pluralWord(out.Run.Enqueued, "notification", "notifications"), d.Sent, d.Retrying, d.Failed)
	}
	return line + "."
}

func runWatch(ctx context.Context, e *env, f *intakeFlags, interval time.Duration) error {
	s, err := setupIntake(ctx, f)
	if err != nil {
		return err
	}
	defer s.Close()
	if !*f.asJSON {
		fmt.Fprintf(e.stdout, "%s\nWatching %s every %s; interrupt to stop.\n", s.store.note(),
			countOf(len(s.plan)-skippedCount(s.plan), "source", "sources"), interval)
	}
	// The stack and rules are read once, at start: cases filed under
	// earlier ones get the current outcome before the first cycle.
	if rt, err := s.p.Retriage(ctx); err != nil {
		return fmt.Errorf("intake watch: %w", err)
	} else if len(rt.Changed) > 0 && !*f.asJSON {
		fmt.Fprintf(e.stdout, "Re-triaged %d open %s against the current stack, rules and register.\n",
			len(rt.Changed), pluralWord(len(rt.Changed), "case", "cases"))
	}
	cycle := 0
	var outErr error
	err = s.p.Watch(ctx, interval, &intake.WatchOptions{OnCycle: func(run *intake.RunResult, del *intake.DeliveryResult, cerr error) {
		cycle++
		if run == nil {
			run = &intake.RunResult{}
		}
		out, err := s.output(ctx, run, del)
		if err != nil {
			out = &intakeRunOutput{Store: s.store.name, Run: run, Delivered: &intake.DeliveryResult{}, Cases: []intake.Case{}}
			cerr = errors.Join(cerr, err)
		}
		out.Cycle = cycle
		if cerr != nil {
			out.Error = cerr.Error()
		}
		s.warn(e)
		if *f.asJSON {
			enc := json.NewEncoder(e.stdout)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(out); err != nil && outErr == nil {
				outErr = err
			}
			return
		}
		if _, err := io.WriteString(e.stdout, s.cycleBlock(out)); err != nil && outErr == nil {
			outErr = err
		}
	}})
	if outErr != nil {
		return outErr
	}
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		if !*f.asJSON {
			fmt.Fprintf(e.stdout, "stopped after %s.\n", countOf(cycle, "cycle", "cycles"))
		}
		return nil
	}
	return err
}

func skippedCount(plan []plannedSource) int {
	n := 0
	for _, ps := range plan {
		if ps.Skipped != "" {
			n++
		}
	}
	return n
}

// cycleBlock is the short report of one watch cycle.
func (s *intakeSetup) cycleBlock(out *intakeRunOutput) string {
	var b strings.Builder
	at := out.Run.Started
	fmt.Fprintf(&b, "\ncycle %d at %s: %s\n", out.Cycle, at.UTC().Format(time.RFC3339), summaryLine(out, s.notify != nil))
	if out.Error != "" {
		fmt.Fprintf(&b, "  error: %s\n", textx.OneLine(out.Error))
	}
	for i := range out.Run.Sources {
		if sr := &out.Run.Sources[i]; sr.Err != nil || sr.Error != "" {
			fmt.Fprintf(&b, "  source %s %s\n", cell(sr.Name, 40), sourceStatus(sr))
		}
	}
	writeCaseRows(&b, out.Cases, out.Opened, 20)
	if len(out.Delivered.Deliveries) > 0 {
		writeDeliveries(&b, out.Delivered.Deliveries, 20)
	}
	return b.String()
}

// ---------------------------------------------------------------------------
// intake cases

func intakeCasesCommand() command {
	return command{
		name:    "intake cases",
		args:    "--db DSN [--state S,...] [--owner O] [--now TIME] [--json]",
		summary: "list the recorded cases with their state and history",
		help: `List the cases in the store: ID, state, decision, priority, owner, due date,
when it was first received, whether it is overdue, and the title, followed by
a count. --state selects states (received, triaged, assigned, actioned,
closed, rejected; comma-separated), --owner an owner. --now is the time
overdue is judged at (default now). --json prints {"store","cases":[…]} with
every case in full: its receipts (which channel, when) and its events (every
transition with actor and time: the history).`,
		setup: func(fs *flag.FlagSet) runFunc {
			db := fs.String("db", "", "case store `DSN`: "+dsnHelp+" (required)")
			states := fs.String("state", "", "only cases in these `states` (comma-separated)")
			owner := fs.String("owner", "", "only cases routed to this `owner`")
			nowFlag := fs.String("now", "", "judge overdue cases as of `time` (YYYY-MM-DD or RFC 3339)")
			asJSON := fs.Bool("json", false, "print JSON with every case's receipts and events")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				return runCases(ctx, e, *db, *states, *owner, *nowFlag, *asJSON)
			}
		},
	}
}

var allStates = []intake.State{intake.StateReceived, intake.StateTriaged, intake.StateAssigned,
	intake.StateActioned, intake.StateClosed, intake.StateRejected}

func parseStates(s string) ([]intake.State, error) {
	var out []intake.State
	for part := range strings.SplitSeq(s, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		if part == "" {
			continue
		}
		st := intake.State(part)
		if !slices.Contains(allStates, st) {
			names := make([]string, len(allStates))
			for i, a := range allStates {
				names[i] = string(a)
			}
			return nil, usagef("--state: unknown state %q; want %s", cell(part, 30), strings.Join(names, ", "))
		}
		if !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	return out, nil
}

type casesOutput struct {
	Store string        `json:"store"`
	Cases []intake.Case `json:"cases"`
}

func runCases(ctx context.Context, e *env, dsn, states, owner, nowFlag string, asJSON bool) error {
	if err := checkDSN(dsn); err != nil {
		return err
	}
	q := &intake.Query{Owner: owner}
	var err error
	if q.States, err = parseStates(states); err != nil {
		return err
	}
	now := time.Now().UTC()
	if nowFlag != "" {
		if now, err = parseNow(nowFlag); err != nil {
			return usagef("--now: %v", err)
		}
	}
	st, err := openStore(ctx, dsn, true)
	if err != nil {
		return err
	}
	defer st.close()
	cases, err := st.Cases(ctx, q)
	if err != nil {
		return fmt.Errorf("intake cases: %w", err)
	}
	if cases == nil {
		cases = []intake.Case{}
	}
	if asJSON {
		return writeIndentedJSON(e.stdout, casesOutput{Store: st.name, Cases: cases})
	}
	var b strings.Builder
	if st.memory {
		b.WriteString(st.note() + "\n\n")
	}
	open, overdue := 0, 0
	if len(cases) > 0 {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "CASE\tSTATE\tDECISION\tPRI\tOWNER\tDUE\tRECEIVED\tOVERDUE\tTITLE")
		for i := range cases {
			c := &cases[i]
			mark := ""
			if c.Overdue(now) {
				mark = "OVERDUE"
				overdue++
			}
			if c.State.Open() {
				open++
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(c.ID, 40), c.State, orDash(string(c.Decision)),
				orDash(string(c.Priority())), cell(c.Owner, 20), day(c.Due), day(c.ReceivedAt()), orDash(mark), cell(c.Advisory.Title, 60))
		}
		tw.Flush()
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%s: %d open (%d overdue), %d closed or rejected.\n", countOf(len(cases), "case", "cases"), open, overdue, len(cases)-open)
	_, err = io.WriteString(e.stdout, b.String())
	return err
}

// ---------------------------------------------------------------------------
// journal verify

// anchorArgs collects repeated --anchor SEQ:HASH flags.
type anchorArgs []intake.Anchor

func (a *anchorArgs) String() string {
	parts := make([]string, len(*a))
	for i, x := range *a {
		parts[i] = strconv.FormatInt(x.Seq, 10) + ":" + x.Hash
	}
	return strings.Join(parts, " ")
}

func (a *anchorArgs) Set(s string) error {
	seqText, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if !ok || err != nil || seq < 1 {
		return fmt.Errorf("want SEQ:HASH with SEQ a journal entry number from 1 (as 'journal verify' prints the head), got %q", cell(s, 100))
	}
	hash = strings.ToLower(hash)
	if len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
		return fmt.Errorf("want SEQ:HASH with HASH 64 hex digits, got %q", cell(s, 100))
	}
	*a = append(*a, intake.Anchor{Seq: seq, Hash: hash})
	return nil
}

func journalVerifyCommand() command {
	return command{
		name:    "journal verify",
		args:    "--db DSN [--anchor SEQ:HASH ...] [--json]",
		summary: "check the hash chain of the intake journal",
		help: `Read the whole journal of a case store and check that every entry's hash
matches its content, that each entry names the hash of the one before with no
gap, that every stored case's history is exactly what the journal holds for
it, and that each --anchor (a head printed by an earlier verify and recorded
elsewhere: in an evidence pack, a ticket) is still in place — the only way to
see that entries were cut from the end.

Prints the number of entries and cases compared, the head (record it as an
anchor), and every problem, one per line. The exit status is 1 when there is
any problem. --json prints {"store","entries","head","cases","problems"}.`,
		setup: func(fs *flag.FlagSet) runFunc {
			db := fs.String("db", "", "case store `DSN`: "+dsnHelp+" (required)")
			var anchors anchorArgs
			fs.Var(&anchors, "anchor", "`SEQ:HASH` of an earlier head that must still be there; repeat for several")
			asJSON := fs.Bool("json", false, "print the report as JSON")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				return runJournalVerify(ctx, e, *db, anchors, *asJSON)
			}
		},
	}
}

type verifyOutput struct {
	Store string `json:"store"`
	OK    bool   `json:"ok"`
	*intake.VerifyReport
}

func runJournalVerify(ctx context.Context, e *env, dsn string, anchors anchorArgs, asJSON bool) error {
	if err := checkDSN(dsn); err != nil {
		return err
	}
	st, err := openStore(ctx, dsn, true)
	if err != nil {
		return err
	}
	defer st.close()
	rep, err := intake.VerifyJournal(ctx, st, &intake.VerifyOptions{Anchors: anchors})
	if err != nil {
		return fmt.Errorf("journal verify: %w", err)
	}
	if asJSON {
		if rep.Problems == nil {
			rep.Problems = []intake.JournalProblem{}
		}
		if err := writeIndentedJSON(e.stdout, verifyOutput{Store: st.name, OK: rep.OK(), VerifyReport: rep}); err != nil {
			return err
		}
	} else {
		var b strings.Builder
		name := st.name
		if st.memory {
			name = "the in-memory store"
		}
		fmt.Fprintf(&b, "Journal of %s: %s, %s compared with it.\n", name, countOf(int(rep.Entries), "entry", "entries"),
			countOf(rep.Cases, "case", "cases"))
		if rep.Entries > 0 {
			fmt.Fprintf(&b, "Head: entry %d, hash %s\n  (record this as an anchor: --anchor %d:%s)\n", rep.Head.Seq, rep.Head.Hash, rep.Head.Seq, rep.Head.Hash)
		}
		for _, p := range rep.Problems {
			fmt.Fprintf(&b, "problem: %s\n", textx.OneLine(p.String()))
		}
		if rep.OK() {
			b.WriteString("OK: the chain is intact, every case matches it")
			if len(anchors) > 0 {
				fmt.Fprintf(&b, ", and %s in place", countOf(len(anchors), "anchor is", "anchors are"))
			}
			b.WriteString(".\n")
		}
		if _, err := io.WriteString(e.stdout, b.String()); err != nil {
			return err
		}
	}
	if !rep.OK() {
		n := len(rep.Problems)
		return fmt.Errorf("journal verify: %s: %s found", st.name, countOf(n, "problem", "problems"))
	}
	return nil
}
