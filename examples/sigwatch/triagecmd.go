package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/triage"
)

// feedArgs collects repeated --feed KIND=PATH flags.
type feedArgs []feedArg

type feedArg struct{ kind, path string }

func (f *feedArgs) String() string {
	parts := make([]string, len(*f))
	for i, a := range *f {
		parts[i] = a.kind + "=" + a.path
	}
	return strings.Join(parts, " ")
}

func (f *feedArgs) Set(s string) error {
	kind, path, ok := strings.Cut(s, "=")
	if !ok || kind == "" || path == "" {
		return fmt.Errorf("want KIND=PATH (for example kev=known_exploited_vulnerabilities.json), got %q", s)
	}
	*f = append(*f, feedArg{kind: kind, path: path})
	return nil
}

func triageCommand() command {
	return command{
		name:    "triage",
		args:    "--stack FILE --feed KIND=PATH [--feed KIND=PATH...] [--rules FILE] [--now DATE] [--json] [--warnings]",
		summary: "match advisories against a stack and decide what to do",
		help: `Match the advisories in the given feed files against a stack and print one
decision per (advisory, component): version status (affected, not_affected,
fixed, needs_review), how the component was identified (purl, cpe, name, text),
priority, due date, owner, the rule that decided and why. Advisories from
different feeds about the same vulnerability (KEV and a CVE 5 record, say) are
joined first, so the KEV listing and the vendor's version ranges are judged
together.

The stack is a hand-written YAML/JSON/CSV file or a CycloneDX or SPDX JSON SBOM
(detected from the content). --rules reads a rules file (see the README);
without it the default rules apply. --now fixes the clock (YYYY-MM-DD or RFC
3339) so that due dates are reproducible.

The output always ends with what could not be checked: components without an
identifier or a comparable version, and advisories without product data. "No
decision" for those means "could not look", not "not affected".

Feed kinds: ` + strings.Join(kindNames(), ", "),
		setup: func(fs *flag.FlagSet) runFunc {
			stackPath := fs.String("stack", "", "stack `file` (YAML, JSON, CSV, CycloneDX or SPDX JSON) (required)")
			rulesPath := fs.String("rules", "", "rules `file` (YAML or JSON); default rules when omitted")
			nowFlag := fs.String("now", "", "evaluation `time` (YYYY-MM-DD or RFC 3339); default now")
			asJSON := fs.Bool("json", false, "print JSON: {\"decisions\":[…],\"unchecked\":[…]}")
			verbose := fs.Bool("warnings", false, "print every feed parser warning instead of a count")
			var fa feedArgs
			fs.Var(&fa, "feed", "`KIND=PATH` of a feed file, directory or zip; repeat for several")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q: give feeds with --feed KIND=PATH", args[0])
				}
				return runTriage(ctx, e, *stackPath, *rulesPath, *nowFlag, fa, *asJSON, *verbose)
			}
		},
	}
}

// decisionRow is one line of the triage output; its JSON names are part of
// the command's documented output.
type decisionRow struct {
	Advisory         string    `json:"advisory"`
	Aliases          []string  `json:"aliases"`
	Component        string    `json:"component"`
	ComponentVersion string    `json:"component_version"`
	PURL             string    `json:"purl"`
	Status           string    `json:"status"`
	Confidence       string    `json:"confidence"`
	Decision         string    `json:"decision"`
	Priority         string    `json:"priority"`
	Due              string    `json:"due"`
	Owner            string    `json:"owner"`
	Rule             string    `json:"rule"`
	Reason           string    `json:"reason"`
	SSVC             string    `json:"ssvc"`
	SuppressedBy     string    `json:"suppressed_by,omitempty"`
	due              time.Time // for sorting
	prio             string
}

type triageOutput struct {
	Decisions []decisionRow `json:"decisions"`
	Unchecked []triage.Gap  `json:"unchecked"`
	Summary   triageSummary `json:"summary"`
}

type triageSummary struct {
	Advisories int            `json:"advisories"`
	Components int            `json:"components"`
	Decisions  map[string]int `json:"decisions"`
	Statuses   map[string]int `json:"statuses"`
}

func runTriage(ctx context.Context, e *env, stackPath, rulesPath, nowFlag string, fa feedArgs, asJSON, verbose bool) error {
	if stackPath == "" {
		return usagef("--stack is required")
	}
	if len(fa) == 0 {
		return usagef("give at least one --feed KIND=PATH")
	}
	kinds := make([]*feedKind, len(fa))
	for i, f := range fa {
		k, err := lookupKind(f.kind)
		if err != nil {
			return err
		}
		kinds[i] = k
	}
	now := time.Now
	if nowFlag != "" {
		t, err := parseNow(nowFlag)
		if err != nil {
			return usagef("--now: %v", err)
		}
		now = func() time.Time { return t }
	}
	engine, stack, err := newEngine(stackPath, rulesPath, now, nil)
	if err != nil {
		return err
	}
	var all []feeds.Advisory
	for i, f := range fa {
		if err := ctx.Err(); err != nil {
			return err
		}
		feed, err := kinds[i].parse(ctx, f.path, e.stdin)
		if err != nil {
			return err
		}
		switch {
		case verbose:
			for _, w := range feed.warnings {
				fmt.Fprintf(e.stderr, "sigwatch: warning: %s: %s\n", f.path, textx.OneLine(w))
			}
		case len(feed.warnings) > 0:
			fmt.Fprintf(e.stderr, "sigwatch: %s: %d parser warnings (ranges kept as text are needs_review); --warnings prints them\n",
				f.path, len(feed.warnings))
		}
		all = append(all, feed.advisories...)
	}
	joined := feeds.Join(all)

	out := triageOutput{Decisions: []decisionRow{}, Unchecked: engine.Coverage(),
		Summary: triageSummary{Advisories: len(joined), Components: len(stack.Components),
			Decisions: map[string]int{}, Statuses: map[string]int{}}}
	if out.Unchecked == nil {
		out.Unchecked = []triage.Gap{}
	}
	for i := range joined {
		a := &joined[i]
		res := engine.Evaluate(a)
		out.Summary.Decisions[string(res.Decision)]++
		for _, u := range res.Unchecked {
			out.Unchecked = append(out.Unchecked, triage.Gap{Kind: "advisory", ID: a.ID, Reason: u})
		}
		aliases := a.Aliases
		if aliases == nil {
			aliases = []string{}
		}
		for _, m := range res.Matches {
			out.Summary.Statuses[cliStatus(m.Verdict)]++
			row := decisionRow{
				Advisory: a.ID, Aliases: aliases, Component: m.Component.ID, ComponentVersion: m.Component.Version,
				PURL: m.Component.PURL, Status: cliStatus(m.Verdict), Confidence: string(m.Method),
				Decision: string(m.Decision), Priority: string(m.Priority), Owner: m.Owner, Rule: m.RuleID,
				Reason: m.Reason, SSVC: string(m.SSVC.Decision), SuppressedBy: m.SuppressedBy,
				due: m.Due, prio: string(m.Priority),
			}
			if !m.Due.IsZero() {
				row.Due = m.Due.UTC().Format(time.DateOnly)
			}
			out.Decisions = append(out.Decisions, row)
		}
	}
	slices.SortStableFunc(out.Decisions, compareRows)
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	return writeTriageTable(e, &out)
}

// cliStatus is the documented status vocabulary: affected, not_affected,
// fixed, needs_review. A publisher still investigating ("under
// investigation", CVE 5 "unknown") is work for a person: needs_review; the
// reason keeps the publisher's words.
func cliStatus(v triage.Verdict) string {
	if v == triage.VerdictUnderInvestigation {
		return string(triage.VerdictNeedsReview)
	}
	return string(v)
}

// compareRows puts actionable work first, most urgent first.
func compareRows(a, b decisionRow) int {
	rank := map[string]int{"actionable": 0, "informational": 1, "not_applicable": 2}
	if d := rank[a.Decision] - rank[b.Decision]; d != 0 {
		return d
	}
	pa, pb := a.prio, b.prio
	if pa == "" {
		pa = "P9"
	}
	if pb == "" {
		pb = "P9"
	}
	if c := strings.Compare(pa, pb); c != 0 {
		return c
	}
	if c := a.due.Compare(b.due); c != 0 && !a.due.IsZero() && !b.due.IsZero() {
		return c
	}
	// Confirmed exposure before what still needs a person to check.
	status := map[string]int{"affected": 0, "under_investigation": 1, "needs_review": 2, "fixed": 3, "not_affected": 4}
	if d := status[a.Status] - status[b.Status]; d != 0 {
		return d
	}
	if c := strings.Compare(a.Advisory, b.Advisory); c != 0 {
		return c
	}
	return strings.Compare(a.Component, b.Component)
}

func writeTriageTable(e *env, out *triageOutput) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DECISION\tPRI\tDUE\tADVISORY\tCOMPONENT\tVERSION\tSTATUS\tBY\tOWNER\tRULE")
	for _, r := range out.Decisions {
		rule := r.Rule
		if r.SuppressedBy != "" {
			// The exception decided, not the rule that would have.
			rule = "exception " + r.SuppressedBy
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Decision, orDash(r.Priority), orDash(r.Due),
			cell(r.Advisory, 40), cell(r.Component, 30), cell(orDash(r.ComponentVersion), 20), r.Status, r.Confidence,
			orDash(r.Owner), cell(rule, 60))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(out.Unchecked) > 0 {
		fmt.Fprintf(e.stdout, "\nNot checked (%d):\n", len(out.Unchecked))
		for _, g := range out.Unchecked {
			fmt.Fprintf(e.stdout, "  %s %s: %s\n", g.Kind, g.ID, textx.OneLine(g.Reason))
		}
	}
	var parts []string
	for _, k := range []string{"actionable", "informational", "not_applicable"} {
		parts = append(parts, fmt.Sprintf("%d %s", out.Summary.Decisions[k], k))
	}
	_, err := fmt.Fprintf(e.stdout, "\n%d advisories against %d components: %s; %d component decisions, %d not checked.\n",
		out.Summary.Advisories, out.Summary.Components, strings.Join(parts, ", "), len(out.Decisions), len(out.Unchecked))
	return err
}

func parseNow(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not YYYY-MM-DD or an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

// newEngine compiles the triage engine over the stack file, with the rules
// file when one is given (its rules, suppressions and aliases), the clock,
// and the feed kinds of the register's sources when there is a register;
// it returns the stack too.
func newEngine(stackPath, rulesPath string, now func() time.Time, sourceKinds map[string]string) (*triage.Engine, *triage.Stack, error) {
	stack, err := triage.LoadStack(stackPath)
	if err != nil {
		return nil, nil, err
	}
	opts := &triage.Options{}
	if rulesPath != "" {
		pol, err := triage.LoadRules(rulesPath)
		if err != nil {
			return nil, nil, err
		}
		opts = pol.Options()
	}
	opts.Now = now
	if sourceKinds != nil {
		opts.SourceKinds = sourceKinds
	}
	engine, err := triage.New(stack, opts)
	return engine, stack, err
}
