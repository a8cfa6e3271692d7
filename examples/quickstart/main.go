package main

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

//go:embed data/register.yaml
var sampleRegister []byte

//go:embed data/stack.yaml
var sampleStack []byte

const (
	sampleRegisterName = "examples/quickstart/data/register.yaml"
	sampleStackName    = "examples/quickstart/data/stack.yaml"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	live     bool
	out      string
	register string
	stack    string
	now      time.Time
	top      int
	kevURL   string
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	var now string
	fs.BoolVar(&c.live, "live", false, "fetch the live CISA KEV catalog instead of the bundled snapshot")
	fs.StringVar(&c.out, "out", "sigwatch-evidence", "folder for the evidence pack")
	fs.StringVar(&c.register, "register", "", "register file (YAML or JSON); default: the bundled sample")
	fs.StringVar(&c.stack, "stack", "", "stack file (YAML or JSON); default: the bundled sample")
	fs.StringVar(&now, "now", "", "the time to report as of (YYYY-MM-DD or RFC 3339); default: the current time")
	fs.IntVar(&c.top, "top", 12, "how many actionable items to list")
	fs.StringVar(&c.kevURL, "kev-url", kevfeed.DefaultURL, "catalog URL for -live")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: quickstart [-live] [-out DIR] [-register FILE] [-stack FILE] [-now TIME] [-top N]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	}
	c.now = time.Now().UTC().Truncate(time.Second)
	if now != "" {
		t, err := parseTime(now)
		if err != nil {
			return nil, fmt.Errorf("-now: %w", err)
		}
		c.now = t
	}
	if c.top < 0 {
		return nil, errors.New("-top must not be negative")
	}
	return c, nil
}

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
	if err != nil {
		fmt.Fprintln(stderr, "quickstart:", err)
		return 2
	}
	if err := briefing(ctx, c, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "quickstart:", err)
		return 1
	}
	return 0
}

func loadInputs(c *config) (*register.Register, string, *triage.Stack, string, error) {
	regName, stackName := sampleRegisterName, sampleStackName
	var reg *register.Register
	var err error
	if c.register != "" {
		regName = c.register
		reg, err = register.Load(c.register)
	} else {
		reg, err = register.Parse(bytes.NewReader(sampleRegister), sampleRegisterName)
	}
	if err != nil {
		return nil, "", nil, "", err
	}
	var stack *triage.Stack
	if c.stack != "" {
		stackName = c.stack
		stack, err = triage.LoadStack(c.stack)
	} else {
		stack, err = triage.ParseStack(bytes.NewReader(sampleStack), sampleStackName)
	}
	if err != nil {
		return nil, "", nil, "", err
	}
	return reg, regName, stack, stackName, nil
}

func briefing(ctx context.Context, c *config, out, stderr io.Writer) error {
	reg, regName, stack, stackName, err := loadInputs(c)
	if err != nil {
		return err
	}
	clock := func() time.Time { return c.now }

	var src feeds.Source = kevfeed.SnapshotSource()
	feedNote := "bundled snapshot of the CISA KEV catalog (release 2025-08-25)"
	if c.live {
		client := feedhttp.New(&feedhttp.Options{Progress: func(url string, read, total int64) {
			if total > 0 {
				fmt.Fprintf(stderr, "\rfetching %s: %.1f of %.1f MB", url, float64(read)/1e6, float64(total)/1e6)
			} else {
				fmt.Fprintf(stderr, "\rfetching %s: %.1f MB", url, float64(read)/1e6)
			}
		}})
		src = kevfeed.New(&kevfeed.Options{URL: c.kevURL, HTTP: client})
		feedNote = "live CISA KEV catalog, " + c.kevURL
		fmt.Fprintf(stderr, "fetching %s …", c.kevURL)
	}
	engine, err := triage.New(stack, &triage.Options{Now: clock})
	if err != nil {
		return fmt.Errorf("%s: %w", stackName, err)
	}
	pipe, err := intake.New([]feeds.Source{src}, engine, &intake.Options{Register: reg, Now: clock})
	if err != nil {
		return err
	}
	res, err := pipe.Run(ctx)
	if c.live {
		fmt.Fprintln(stderr) // end the progress line
	}
	if err != nil {
		return err
	}
	if err := res.Err(); err != nil {
		return err // the only source failed: nothing to brief on
	}
	cases, err := pipe.Cases(ctx, nil)
	if err != nil {
		return err
	}

	p := newPrinter(out)
	p.f("sigwatch quickstart — ISO/IEC 27001:2022 A.5.6, contact with special interest groups\n")
	p.f("As of %s for %s\n\n", c.now.Format("2006-01-02 15:04 MST"), orDefault(reg.Organisation.Name, "your organisation"))
	p.f("Register  %d groups, %d people (%s)\n", len(reg.Groups), len(reg.People), regName)
	p.f("Stack     %d components (%s)\n", len(stack.Components), stackName)
	for _, s := range res.Sources {
		p.f("Feed      %s: %d advisories from the %s", s.Name, s.Count, feedNote)
		if s.Group != "" {
			if g, ok := reg.Group(s.Group); ok {
				p.f(" — channel of %q, owner %s", g.Name, personName(reg, g.Owner))
			}
		}
		p.f("\n")
	}

	counts := map[triage.Decision]int{}
	for _, cs := range cases {
		counts[cs.Decision]++
	}
	p.f("\nTriage    %d advisories → %d actionable, %d informational, %d not applicable (reason recorded for each)\n",
		len(cases), counts[triage.DecisionActionable], counts[triage.DecisionInformational], counts[triage.DecisionNotApplicable])

	act := actionableCases(cases)
	p.today(reg, act, c.now)
	p.actionable(act, c.top)
	p.byComponent(reg, stack, cases)
	p.informational(cases)

	p.health(reg, register.Check(reg, &register.CheckOptions{Now: clock, Stack: stack}), regName, stackName)

	// Feed freshness (KPI 7) is judged from what the store remembers of
	// each source's fetches.
	states, err := pipe.Store().SourceStates(ctx)
	if err != nil {
		return err
	}
	report := kpi.Compute(reg, cases, kpi.QuarterOf(c.now), c.now, &kpi.Options{SourceStates: states})
	p.kpis(report)

	// The journal head goes into the manifest: an anchor for verifying
	// the journal later.
	jr, err := intake.VerifyJournal(ctx, pipe.Store(), nil)
	if err != nil {
		return err
	}
	if !jr.OK() {
		return fmt.Errorf("quickstart: the intake journal does not verify: %s", jr.Problems[0])
	}
	man, err := evidence.WritePack(ctx, c.out, evidence.Pack{Register: reg, Cases: cases, KPI: report, Journal: &jr.Head},
		&evidence.PackOptions{Now: clock})
	if errors.Is(err, evidence.ErrNotPackDir) {
		return fmt.Errorf("-out %s holds files that are not a sigwatch evidence pack: give an empty or new folder", c.out)
	}
	if err != nil {
		return err
	}
	p.f("\nEVIDENCE — %d files in %s for the auditor\n", len(man.Files)+2, c.out)
	p.f("  read    %s\n", filepath.Join(c.out, evidence.FileReportHTML))
	byArtefact := map[string][]string{}
	var order []string
	for _, f := range man.Files {
		if _, ok := byArtefact[f.Artefact]; !ok {
			order = append(order, f.Artefact)
		}
		byArtefact[f.Artefact] = append(byArtefact[f.Artefact], f.Name)
	}
	slices.SortFunc(order, artefactOrder)
	for _, a := range order {
		p.f("  %-40s %s\n", artefactName(a), strings.Join(byArtefact[a], ", "))
	}
	p.f("  check   (cd %s && sha256sum -c SHA256SUMS)\n", c.out)
	return p.err
}

func artefactName(id string) string {
	switch id {
	case "E1":
		return "E1 register snapshot"
	case "E2":
		return "E2 review records"
	case "E3":
		return "E3 membership proof index"
	case "E4":
		return "E4 advisory response log"
	case "E5":
		return "E5 action trail (OSCAL POA&M)"
	case "E6":
		return "E6 dissemination record"
	case "E7":
		return "E7 participation and contribution log"
	case "E8":
		return "E8 register health report"
	case "E9":
		return "E9 KPI report"
	case "E10":
		return "E10 control assessment (OSCAL)"
	case "E11":
		return "E11 cross-framework mapping"
	case "report":
		return "report for people (HTML)"
	}
	return id
}

// artefactOrder sorts artefact IDs E1 … E11 by number, others last.
func artefactOrder(a, b string) int {
	n := func(id string) int {
		if v, err := strconv.Atoi(strings.TrimPrefix(id, "E")); err == nil && strings.HasPrefix(id, "E") {
			return v
		}
		return 1 << 20
	}
	return cmp.Or(n(a)-n(b), strings.Compare(a, b))
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func personName(reg *register.Register, id string) string {
	if id == "" {
		return "nobody"
	}
	if p, ok := reg.Person(id); ok && p.Name != "" {
		return fmt.Sprintf("%s (%s)", p.Name, id)
	}
	return id
}

// printer writes the briefing and keeps the first write error.
type printer struct {
	w   io.Writer
	err error
}

func newPrinter(w io.Writer) *printer { return &printer{w: w} }

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.w.Write(b)
	p.err = err
	return n, err
}

// urgency orders actionable cases: priority, then the most recently
// exploited first (newest KEV additions), then ID.
func urgency(a, b intake.Case) int {
	pa, pb := priorityOf(a), priorityOf(b)
	if pa != pb {
		return strings.Compare(pa, pb)
	}
	if c := kevAdded(b).Compare(kevAdded(a)); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

func priorityOf(c intake.Case) string {
	if c.Triage == nil || c.Triage.Priority == "" {
		return "P9"
	}
	return string(c.Triage.Priority)
}

func kevAdded(c intake.Case) time.Time {
	if k := c.Advisory.Exploitation.KEV; k != nil {
		return k.DateAdded
	}
	return time.Time{}
}

// actionable prints the actionable cases (most urgent first, as
// actionableCases sorts them), top of them in full.
func (p *printer) actionable(act []intake.Case, top int) {
	if len(act) == 0 {
		p.f("\nNothing actionable.\n")
		return
	}
	p.f("\nACTIONABLE — most urgent first (priority, then most recently exploited)\n")
	tw := tabwriter.NewWriter(p, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  PRI\tDUE\tCVE\tCOMPONENT\tOWNER\tRULE\tKEV ADDED\tRANSOMWARE")
	for i, c := range act {
		if i == top {
			break
		}
		m := c.Triage.Matches[0]
		ransom := "-"
		if k := c.Advisory.Exploitation.KEV; k != nil {
			ransom = k.RansomwareUse
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s %s\t%s\t%s\t%s\t%s\n", c.Triage.Priority, c.Due.Format(time.DateOnly), c.ID,
			m.Component.ID, m.Component.Version, c.Owner, c.Triage.RuleID, kevAdded(c).Format(time.DateOnly), ransom)
	}
	_ = tw.Flush()
	if len(act) > top {
		p.f("  … and %d more: every case is in the evidence pack's response-log.csv\n", len(act)-top)
	}
}

// actionableCases returns the actionable cases, most urgent first.
func actionableCases(cases []intake.Case) []intake.Case {
	var act []intake.Case
	for _, c := range cases {
		if c.Decision == triage.DecisionActionable {
			act = append(act, c)
		}
	}
	slices.SortFunc(act, urgency)
	return act
}

// today prints the three most urgent actions (act is sorted by
// actionableCases) as a briefing: what to do to which component, who owns
// it, by when, and why in one line each.
func (p *printer) today(reg *register.Register, act []intake.Case, now time.Time) {
	if len(act) == 0 {
		return
	}
	p.f("\nTODAY — the three things to do first\n")
	for i, c := range act[:min(3, len(act))] {
		m := c.Triage.Matches[0]
		verb := "Patch"
		if m.Verdict == triage.VerdictNeedsReview {
			verb = "Check, then patch"
		}
		p.f("  %d. %s %s (%s %s %s) for %s: %s\n", i+1, verb, m.Component.ID, m.Component.Vendor, m.Component.Product,
			m.Component.Version, c.ID, strings.TrimSpace(c.Advisory.Title))
		p.f("     Owner %s · due %s (%s)\n", personName(reg, c.Owner), c.Due.Format("Mon 2 Jan 2006"), dueIn(now, c.Due))
		why := []string{}
		if k := c.Advisory.Exploitation.KEV; k != nil {
			w := "exploited in the wild (CISA KEV since " + k.DateAdded.Format(time.DateOnly) + ")"
			if k.RansomwareKnown() {
				w += ", used by ransomware"
			}
			why = append(why, w)
		}
		why = append(why, m.Component.ID+" "+exposureWords(m.Component.Exposure),
			fmt.Sprintf("rule %s → %s", c.Triage.RuleID, c.Triage.Priority))
		if m.Verdict == triage.VerdictNeedsReview {
			why = append(why, "the advisory names no versions: confirm "+m.Component.Version+" is affected")
		}
		p.f("     Why: %s\n", strings.Join(why, "; "))
	}
	p.f("  Every reason is recorded in the response log (response-log.json), case by case.\n")
}

func exposureWords(e triage.Exposure) string {
	switch e {
	case triage.ExposureInternet:
		return "is internet-facing"
	case triage.ExposureInternal:
		return "is on the internal network"
	case triage.ExposureIsolated:
		return "is isolated"
	}
	return "has no exposure recorded"
}

// dueIn says how far the due date is from now, in days.
func dueIn(now, due time.Time) string {
	d := int(due.Sub(now).Hours() / 24)
	switch {
	case due.Before(now):
		return "overdue"
	case d == 0:
		return "today"
	case d == 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", d)
}

// kpis prints one line per KPI; the definitions are in the pack's kpi.txt.
func (p *printer) kpis(r *kpi.Report) {
	p.f("\nKPIs for %s (definitions, exclusions and input hashes: kpi.txt in the evidence pack)\n", r.Period)
	tw := tabwriter.NewWriter(p, 0, 0, 2, ' ', 0)
	defer tw.Flush()
	line := func(m *kpi.Measure, detail string) {
		fmt.Fprintf(tw, "  KPI %d\t%s\t%s\t%s\n", m.KPI, m.Name, m.ValueString(), detail)
	}
	if k := r.ActiveMemberships; k != nil {
		line(&k.Measure, fmt.Sprintf("of %d register entries; %d orphaned, not counted", k.Denominator, k.Excluded))
	}
	if k := r.ActionableItems; k != nil {
		line(&k.Measure, fmt.Sprintf("of %d first triaged in the period", k.Denominator))
	}
	if k := r.ReceiptToTriage; k != nil {
		line(&k.Measure, fmt.Sprintf("within the SLA; median %s, untriaged backlog %d", durationOrNA(k.Median), len(k.Backlog)))
	}
	if k := r.ReviewedMemberships; k != nil {
		line(&k.Measure, fmt.Sprintf("%d of %d active memberships", k.Numerator, k.Denominator))
	}
	if k := r.TimeToAction; k != nil {
		line(&k.Measure, fmt.Sprintf("closed within the SLA; median %s, %d open past due", durationOrNA(k.Median), len(k.Overdue)))
	}
	if k := r.RegisterHealth; k != nil {
		detail := fmt.Sprintf("%d of %d entries pass every criterion", k.Numerator, k.Denominator)
		if !k.LinksGiven {
			detail += " (links unchecked offline, so none can: register check --links)"
		}
		line(&k.Measure, detail)
	}
	if k := r.FeedFreshness; k != nil {
		line(&k.Measure, fmt.Sprintf("%d of %d channels fresh", k.Numerator, k.Denominator))
	}
	if k := r.ChannelYield; k != nil {
		line(&k.Measure, fmt.Sprintf("actionable of %d first triaged in the last 365 days: the yield per group the annual keep/retire review reads",
			k.Denominator))
	}
}

func durationOrNA(d *kpi.Duration) string {
	if d == nil {
		return "n/a"
	}
	return d.String()
}

func (p *printer) byComponent(reg *register.Register, stack *triage.Stack, cases []intake.Case) {
	type tally struct{ p1, p2, p3, info int }
	t := map[string]*tally{}
	for _, c := range cases {
		if c.Triage == nil {
			continue
		}
		for _, m := range c.Triage.Matches {
			x := t[m.Component.ID]
			if x == nil {
				x = &tally{}
				t[m.Component.ID] = x
			}
			switch {
			case c.Decision == triage.DecisionInformational:
				x.info++
			case c.Triage.Priority == triage.P1:
				x.p1++
			case c.Triage.Priority == triage.P2:
				x.p2++
			case c.Decision == triage.DecisionActionable:
				x.p3++
			}
		}
	}
	p.f("\nBY COMPONENT — exploited vulnerabilities each component is exposed to\n")
	tw := tabwriter.NewWriter(p, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  COMPONENT\tPRODUCT\tVERSION\tEXPOSURE\tOWNER\tP1\tP2\tP3\tTO CONFIRM")
	for _, comp := range stack.Components {
		x := t[comp.ID]
		if x == nil {
			x = &tally{}
		}
		fmt.Fprintf(tw, "  %s\t%s %s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\n", comp.ID, comp.Vendor, comp.Product, comp.Version,
			orDefault(string(comp.Exposure), "-"), orDefault(comp.Owner, "-"), x.p1, x.p2, x.p3, x.info)
	}
	_ = tw.Flush()
	p.f("  KEV lists no affected versions, so each match says needs_review: check the installed version\n")
	p.f("  against the vendor's advisory before patching or closing.\n")
}

func (p *printer) informational(cases []intake.Case) {
	var info []string
	for _, c := range cases {
		if c.Decision == triage.DecisionInformational {
			info = append(info, c.ID)
		}
	}
	if len(info) > 0 {
		p.f("\nTO CONFIRM — vendor-only matches (the advisory names \"Multiple Products\"): %s\n", strings.Join(info, ", "))
	}
}

// health prints the register's findings: errors and warnings one line each,
// notes counted.
func (p *printer) health(reg *register.Register, fs []register.Finding, regName, stackName string) {
	counts := map[register.Severity]int{}
	for _, f := range fs {
		counts[f.Severity]++
	}
	p.f("\nREGISTER — what an auditor would find: %s, %s, %s (register.Check against the stack)\n",
		plural(counts[register.SeverityError], "error"), plural(counts[register.SeverityWarning], "warning"),
		plural(counts[register.SeverityInfo], "note"))
	// Errors first: an entry nobody reads is the finding that fails an audit.
	shown := slices.Clone(fs)
	slices.SortStableFunc(shown, func(a, b register.Finding) int {
		return cmp.Compare(severityRank(a.Severity), severityRank(b.Severity))
	})
	tw := tabwriter.NewWriter(p, 0, 0, 2, ' ', 0)
	for _, f := range shown {
		group := f.Group
		if group == "" {
			group = "(register)"
		}
		sev := string(f.Severity)
		if f.Severity == register.SeverityInfo {
			sev = "note"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", sev, group, f.Code, f.Message)
	}
	tw.Flush()
	p.f("  details: go run ./examples/sigwatch register check --stack %s %s\n", stackName, regName)
}

func severityRank(s register.Severity) int {
	switch s {
	case register.SeverityError:
		return 0
	case register.SeverityWarning:
		return 1
	}
	return 2
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
