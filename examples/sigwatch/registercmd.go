package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

func registerCheckCommand() command {
	return command{
		name:    "register check",
		args:    "[--links [--timeout DUR]] [--stack FILE] [--now DATE] [--max-groups N] [--json] FILE",
		summary: "judge a register's health as an auditor would",
		help: `Load a register file (YAML or JSON) and print its findings: groups without
an owner or backup, owners who have left, technical feeds owned by non-technical
people, overdue reviews, lapsed or expired memberships, memberships without
proof, vague entries ("Twitter"), duplicates, groups for regions or sectors the
organisation is not in, authorities that belong under control 5.5, missing DORA
Art. 45(3) notifications, too many groups to read. Each finding has a stable
code, a severity (error, warning, info), the group and a message.

--stack FILE also reports the vendors and package ecosystems of a stack (YAML,
JSON, CSV, CycloneDX or SPDX) that no group covers. --links fetches every URL of
the register (home pages and feeds) and reports dead, moved, parked, TLS-broken
and slow ones; it is the only option that uses the network. --now fixes the
day the register is judged on (YYYY-MM-DD).

The exit status is 1 when any finding has severity error, so the command can
guard a register kept in git. --json prints {"findings":[{"code","severity",
"group","message",…}]} (and "links" with --links).`,
		setup: func(fs *flag.FlagSet) runFunc {
			links := fs.Bool("links", false, "check every URL over the network")
			stackPath := fs.String("stack", "", "stack `file` to check vendor coverage against")
			nowFlag := fs.String("now", "", "judge the register as of `date` (YYYY-MM-DD); default today")
			maxGroups := fs.Int("max-groups", 0, "warn above `n` live groups (default 30; negative: off)")
			timeout := fs.Duration("timeout", 15*time.Second, "per-URL `timeout` for --links")
			asJSON := fs.Bool("json", false, "print JSON")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) != 1 {
					return usagef("want one register file, got %d arguments", len(args))
				}
				return runRegisterCheck(ctx, e, args[0], *stackPath, *nowFlag, *maxGroups, *links, *timeout, *asJSON)
			}
		},
	}
}

func registerShowCommand() command {
	return command{
		name:    "register show",
		args:    "[--json] FILE",
		summary: "print a register as a table",
		help: `Load a register file and print its groups as a table (kind, owner and
backup, membership, last review, channels), then its people. --json prints the
register in the file format's JSON form.`,
		setup: func(fs *flag.FlagSet) runFunc {
			asJSON := fs.Bool("json", false, "print the register as JSON")
			return func(_ context.Context, e *env, args []string) error {
				if len(args) != 1 {
					return usagef("want one register file, got %d arguments", len(args))
				}
				r, err := register.Load(args[0])
				if err != nil {
					return err
				}
				if *asJSON {
					return r.WriteJSON(e.stdout)
				}
				return writeRegisterTable(e, r)
			}
		},
	}
}

func registerAssessCommand() command {
	return command{
		name:    "register assess",
		args:    "[--now DATE] [--json] FILE",
		summary: "judge a supplier's A.5.6 practice from an assessment file",
		help: `Load an assessment of a supplier (YAML or JSON: the answers to the six
questions of the questionnaire, the supplier's intake sample, disclosure channels
and examples, and the path of the supplier's register) and print the red flags,
the unanswered questions and the register findings. The exit status is 1 when
there is a red flag or a finding with severity error. --now judges as of
another day than the assessment's. --json prints {"vendor","assessed",
"findings","red_flags","unanswered"}.

The questionnaire: ` + questionnaireText(),
		setup: func(fs *flag.FlagSet) runFunc {
			nowFlag := fs.String("now", "", "judge as of `date` (YYYY-MM-DD); default the assessment's day")
			asJSON := fs.Bool("json", false, "print JSON")
			return func(_ context.Context, e *env, args []string) error {
				if len(args) != 1 {
					return usagef("want one assessment file, got %d arguments", len(args))
				}
				a, vendor, err := register.LoadAssessment(args[0])
				if err != nil {
					return err
				}
				opts := &register.CheckOptions{}
				if *nowFlag != "" {
					now, err := parseNow(*nowFlag)
					if err != nil {
						return usagef("--now: %v", err)
					}
					opts.Now = func() time.Time { return now }
				}
				res := register.Assess(a, vendor, opts)
				if *asJSON {
					enc := json.NewEncoder(e.stdout)
					enc.SetIndent("", "  ")
					if err := enc.Encode(res); err != nil {
						return err
					}
				} else if err := writeAssessment(e, res, vendor); err != nil {
					return err
				}
				if errs := severityCounts(res.Findings)[register.SeverityError]; len(res.RedFlags) > 0 || errs > 0 {
					return fmt.Errorf("register assess: %s: %d red %s, %d register %s with severity error", args[0],
						len(res.RedFlags), pluralWord(len(res.RedFlags), "flag", "flags"), errs, pluralWord(errs, "finding", "findings"))
				}
				return nil
			}
		},
	}
}

func questionnaireText() string {
	var b strings.Builder
	for _, q := range register.Questionnaire() {
		fmt.Fprintf(&b, "\n  %s  %s", q.ID, q.Text)
	}
	return b.String()
}

// severityCounts counts findings per severity; every severity is present.
func severityCounts(fs []register.Finding) map[register.Severity]int {
	n := map[register.Severity]int{register.SeverityError: 0, register.SeverityWarning: 0, register.SeverityInfo: 0}
	for _, f := range fs {
		n[f.Severity]++
	}
	return n
}

func writeAssessment(e *env, res *register.AssessmentResult, vendor *register.Register) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, assessed %s\n", textx.OneLine(res.Vendor), res.Assessed)
	if len(res.RedFlags) == 0 {
		b.WriteString("\nRed flags: none.\n")
	} else {
		fmt.Fprintf(&b, "\nRed flags (%d)\n", len(res.RedFlags))
		for _, f := range res.RedFlags {
			q := ""
			if f.Question != "" {
				q = " [" + f.Question + "]"
			}
			fmt.Fprintf(&b, "  %s%s: %s\n", f.Code, q, textx.OneLine(f.Message))
		}
	}
	if len(res.Unanswered) > 0 {
		fmt.Fprintf(&b, "\nUnanswered: %s\n", strings.Join(res.Unanswered, ", "))
	}
	if vendor == nil {
		b.WriteString("\nNo register from the supplier.\n")
		_, err := fmt.Fprint(e.stdout, b.String())
		return err
	}
	b.WriteString("\nThe supplier's register\n")
	if _, err := fmt.Fprint(e.stdout, b.String()); err != nil {
		return err
	}
	return writeFindings(e, vendor, res.Findings, 0)
}

// registerCheckOutput is the JSON of "register check"; its names are part
// of the documented output.
type registerCheckOutput struct {
	Findings []register.Finding    `json:"findings"`
	Links    []register.LinkResult `json:"links,omitempty"`
	Summary  map[string]int        `json:"summary"`
}

func runRegisterCheck(ctx context.Context, e *env, path, stackPath, nowFlag string, maxGroups int, links bool, timeout time.Duration, asJSON bool) error {
	r, err := register.Load(path)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if nowFlag != "" {
		if now, err = parseNow(nowFlag); err != nil {
			return usagef("--now: %v", err)
		}
	}
	opts := &register.CheckOptions{Now: func() time.Time { return now }, MaxGroups: maxGroups}
	if stackPath != "" {
		if opts.Stack, err = triage.LoadStack(stackPath); err != nil {
			return err
		}
	}
	if links {
		fmt.Fprintf(e.stderr, "checking the links of %s…\n", path)
		opts.Links, err = register.CheckLinks(ctx, r, &register.LinkOptions{Timeout: timeout})
		if err != nil {
			return err
		}
	}
	findings := register.Check(r, opts)
	counts := severityCounts(findings)
	out := registerCheckOutput{Findings: findings, Links: opts.Links, Summary: map[string]int{}}
	if out.Findings == nil {
		out.Findings = []register.Finding{}
	}
	for sev, n := range counts {
		out.Summary[string(sev)] = n
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else if err := writeFindings(e, r, findings, len(opts.Links)); err != nil {
		return err
	}
	if n := counts[register.SeverityError]; n > 0 {
		return fmt.Errorf("register check: %s: %d %s with severity error", path, n, pluralWord(n, "finding", "findings"))
	}
	return nil
}

func countOf(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, pluralWord(n, one, many))
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// writeFindings prints findings grouped by group, register-wide ones first.
func writeFindings(e *env, r *register.Register, fs []register.Finding, links int) error {
	var b strings.Builder
	last := "\x00"
	counts := severityCounts(fs)
	for _, f := range fs {
		if f.Group != last {
			last = f.Group
			switch g, ok := r.Group(f.Group); {
			case f.Group == "":
				b.WriteString("register\n")
			case ok:
				fmt.Fprintf(&b, "%s (%s)\n", textx.OneLine(g.ID), textx.OneLine(g.Name))
			default:
				fmt.Fprintf(&b, "%s\n", textx.OneLine(f.Group))
			}
		}
		fmt.Fprintf(&b, "  %-7s %-26s %s\n", f.Severity, f.Code, textx.OneLine(f.Message))
	}
	live := 0
	for i := range r.Groups {
		if r.Groups[i].Live() {
			live++
		}
	}
	if len(fs) > 0 {
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%d groups (%d live), %d people", len(r.Groups), live, len(r.People))
	if links > 0 {
		fmt.Fprintf(&b, ", %d links checked", links)
	}
	if len(fs) == 0 {
		b.WriteString(": no findings.\n")
	} else {
		fmt.Fprintf(&b, ": %s, %s, %s.\n", countOf(counts[register.SeverityError], "error", "errors"),
			countOf(counts[register.SeverityWarning], "warning", "warnings"), countOf(counts[register.SeverityInfo], "note", "notes"))
	}
	_, err := fmt.Fprint(e.stdout, b.String())
	return err
}

func writeRegisterTable(e *env, r *register.Register) error {
	if r.Organisation.Name != "" {
		fmt.Fprintf(e.stdout, "%s", r.Organisation.Name)
		if len(r.Organisation.Regions) > 0 {
			fmt.Fprintf(e.stdout, " — regions %s", strings.Join(r.Organisation.Regions, ", "))
		}
		if len(r.Organisation.Sectors) > 0 {
			fmt.Fprintf(e.stdout, "; sectors %s", strings.Join(r.Organisation.Sectors, ", "))
		}
		fmt.Fprintln(e.stdout)
		fmt.Fprintln(e.stdout)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tOWNER\tBACKUP\tMEMBERSHIP\tLAST REVIEW\tCHANNELS")
	for i := range r.Groups {
		g := &r.Groups[i]
		membership := cell(string(g.Membership.Status), 10)
		if !g.Membership.Since.IsZero() {
			membership += " since " + g.Membership.Since.String()
		}
		review := "never"
		if last, ok := g.Review.Last(); ok {
			review = last.Date.String() + " " + string(last.Outcome)
		}
		var chans []string
		for _, c := range g.Channels {
			chans = append(chans, c.Kind)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(g.ID, 30), cell(g.Name, 40), cell(string(g.Kind), 20),
			cell(g.Owner, 20), cell(g.Backup, 20), membership, review, cell(strings.Join(chans, ", "), 40))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout)
	tw = tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PERSON\tNAME\tROLE\tTECHNICAL\tACTIVE\tOWNS\tBACKS UP")
	for i := range r.People {
		p := &r.People[i]
		owns, backs := 0, 0
		for _, g := range r.Groups {
			if g.Owner == p.ID {
				owns++
			}
			if g.Backup == p.ID {
				backs++
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\n", cell(p.ID, 20), cell(p.Name, 30), cell(p.Role, 40), yesNo(p.Technical), yesNo(p.IsActive()), owns, backs)
	}
	return tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
