package kpi

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/register"
)

// ReportSchema identifies the JSON form of a Report. Field names and meanings
// under one schema ID do not change; new fields may be added.
const ReportSchema = "sigwatch.kpi.report/v1"

// Options configure Compute. Nil or zero fields take the documented defaults.
type Options struct {
	// Generator names the program that computed the report. Optional:
	// defaults to DefaultGenerator() ("sigwatch" and the module version).
	Generator string
	// TriageSLA configures KPI 3. Optional: nil means the defaults
	// (72h, 24h for KEV-listed, 24h for critical).
	TriageSLA *TriageSLA
	// ActionSLA configures KPI 5. Optional: nil means the defaults (the
	// case's due date, else 30 days).
	ActionSLA *ActionSLA
	// Links are link-check results (register.CheckLinks, possibly from
	// several runs) for KPI 6. Optional: nil means not given, and KPI 6
	// then reports the link criterion as unknown (no entry can pass).
	Links []register.LinkResult
	// SourceStates are intake's source states (intake.SourceStates) for
	// KPI 7. Optional: nil means not given, and KPI 7 then judges no
	// fetched channel (fetch-state-unknown).
	SourceStates []intake.SourceState
	// FreshnessTolerance is KPI 7's tolerance: a channel is stale when the
	// age of its last successful fetch exceeds its interval times this.
	// Optional: 0 means DefaultFreshnessTolerance (2).
	FreshnessTolerance float64
}

// Report bundles the KPIs computed for one period at one instant. Its JSON
// form (schema ReportSchema) is what the evidence pack stores as kpi.json;
// WriteText renders it for people.
type Report struct {
	Schema    string    `json:"schema"`
	Generator string    `json:"generator"`
	AsOf      time.Time `json:"as_of"`
	Period    Period    `json:"period,omitzero"`
	// ActiveMemberships is KPI 1.
	ActiveMemberships *ActiveMembershipsResult `json:"active_memberships,omitempty"`
	// ActionableItems is KPI 2.
	ActionableItems *ActionableItemsResult `json:"actionable_items,omitempty"`
	// ReceiptToTriage is KPI 3.
	ReceiptToTriage *ReceiptToTriageResult `json:"receipt_to_triage,omitempty"`
	// ReviewedMemberships is KPI 4.
	ReviewedMemberships *ReviewedMembershipsResult `json:"reviewed_memberships,omitempty"`
	// TimeToAction is KPI 5.
	TimeToAction *TimeToActionResult `json:"time_to_action,omitempty"`
	// RegisterHealth is KPI 6.
	RegisterHealth *RegisterHealthResult `json:"register_health,omitempty"`
	// FeedFreshness is KPI 7.
	FeedFreshness *FeedFreshnessResult `json:"feed_freshness,omitempty"`
	// ChannelYield is KPI 8.
	ChannelYield *ChannelYieldResult `json:"channel_yield,omitempty"`
	// Trend compares KPIs 2, 3 and 5 with the previous period (TrendMethod);
	// nil when the period is unset.
	Trend *Trend `json:"trend,omitempty"`
}

// Compute computes every KPI for the register and cases over period p at
// the instant asOf. A nil register counts as empty; it never fails.
func Compute(reg *register.Register, cases []intake.Case, p Period, asOf time.Time, opts *Options) *Report {
	if opts == nil {
		opts = &Options{}
	}
	gen := opts.Generator
	if gen == "" {
		gen = DefaultGenerator()
	}
	am := ActiveMemberships(reg, asOf)
	ai := ActionableItems(reg, cases, p, asOf)
	rt := ReceiptToTriage(cases, p, asOf, opts.TriageSLA)
	rm := ReviewedMemberships(reg, asOf)
	ta := TimeToAction(cases, p, asOf, opts.ActionSLA)
	rh := RegisterHealth(reg, cases, opts.Links, asOf)
	ff := FeedFreshness(reg, cases, opts.SourceStates, asOf, opts.FreshnessTolerance)
	cy := ChannelYield(reg, cases, asOf)
	var tr *Trend
	if !p.IsZero() {
		tr = computeTrend(reg, cases, p, asOf, opts, &ai, &rt, &ta)
	}
	return &Report{Schema: ReportSchema, Generator: gen, AsOf: asOf.UTC(),
		Period: Period{Start: p.Start.UTC(), End: p.End.UTC()}, ActiveMemberships: &am, ActionableItems: &ai,
		ReceiptToTriage: &rt, ReviewedMemberships: &rm, TimeToAction: &ta, RegisterHealth: &rh,
		FeedFreshness: &ff, ChannelYield: &cy, Trend: tr}
}

// WriteText writes the report as a person reads it in a terminal: each KPI
// with its value, the figures behind it, what was excluded and why, its
// definition and its input hash.
func (r *Report) WriteText(w io.Writer) error {
	tw := &textWriter{w: bufio.NewWriter(w)}
	tw.printf("sigwatch KPI report (%s)\n", ReportSchema)
	tw.printf("  As of:      %s\n", r.AsOf.UTC().Format(time.RFC3339Nano))
	if !r.Period.IsZero() {
		tw.printf("  Period:     %s %s\n", r.Period, r.Period.Interval())
	}
	tw.printf("  Generator:  %s\n", r.Generator)
	if k := r.ActiveMemberships; k != nil {
		tw.header(&k.Measure)
		tw.printf("  Value:      %s active membership(s) of %d register entries\n", k.ValueString(), k.Denominator)
		tw.printf("  By kind:    %s\n", byKind(k.ByKind))
		if len(k.ActiveWithoutActiveOwner) == 0 {
			tw.printf("  Orphaned:   none (active membership without an active owner)\n")
		} else {
			tw.printf("  Orphaned:   %d with an active membership but no active owner, not counted:\n", len(k.ActiveWithoutActiveOwner))
			for _, o := range k.ActiveWithoutActiveOwner {
				owner := o.Owner
				if owner == "" {
					owner = "(none)"
				}
				tw.printf("              - %s (owner %s: %s)\n", textx.OneLine(o.Group), textx.OneLine(owner), o.Reason)
			}
		}
		if len(k.MissingSince) > 0 {
			tw.printf("  No start:   %s (counted; no membership start date recorded)\n", textx.OneLine(strings.Join(k.MissingSince, ", ")))
		}
		tw.footer(&k.Measure)
	}
	if k := r.ActionableItems; k != nil {
		tw.header(&k.Measure)
		tw.printf("  Value:      %s actionable of %d first triaged in the period (actionable rate %s)\n",
			k.ValueString(), k.Denominator, pctOrNA(k.Rate))
		tw.printf("  By kind:    %s\n", actionableByKind(k.ByKind))
		tw.printf("  By group:\n")
		for _, g := range k.ByGroup {
			tw.printf("              - %s (%s): %d of %d, %s\n", textx.OneLine(g.Group), textx.OneLine(string(g.Kind)),
				g.Actionable, g.Triaged, pctOrNA(g.Rate))
		}
		if len(k.DecisionFromCurrent) > 0 {
			tw.printf("  Assumed:    %s (no triage event in the history; current decision used)\n",
				textx.OneLine(strings.Join(k.DecisionFromCurrent, ", ")))
		}
		tw.footer(&k.Measure)
	}
	if k := r.ReceiptToTriage; k != nil {
		tw.header(&k.Measure)
		tw.printf("  Value:      %s triaged within SLA (%d of %d)\n", k.ValueString(), k.Numerator, k.Denominator)
		tw.printf("  Received:   %d in the period (%d manual", k.Received, k.Manual)
		if len(k.ManualCases) > 0 {
			tw.printf(": %s", textx.OneLine(strings.Join(k.ManualCases, ", ")))
		}
		tw.printf(")\n")
		tw.printf("  Times:      median %s, p90 %s, max %s (n=%d, nearest rank)\n",
			durOrNA(k.Median), durOrNA(k.P90), durOrNA(k.Max), k.N)
		tw.printf("  SLA:        default %s, KEV-listed %s, critical %s%s\n",
			k.SLA.Default, k.SLA.KEV, k.SLA.Critical, bySource(k.SLA.BySource))
		if len(k.Backlog) == 0 {
			tw.printf("  Backlog:    none untriaged past SLA\n")
		} else {
			tw.printf("  Backlog:    %d untriaged past SLA at as-of (%d received in the period, %d before or after it):\n",
				len(k.Backlog), k.BacklogInPeriod, len(k.Backlog)-k.BacklogInPeriod)
			for _, b := range k.Backlog {
				flags := ""
				if b.KEV {
					flags += ", KEV"
				}
				if b.Manual {
					flags += ", manual"
				}
				tw.printf("              - %s received %s via %s, age %s, SLA %s%s\n",
					textx.OneLine(b.Case), b.ReceivedAt.UTC().Format(time.RFC3339), textx.OneLine(b.Source), b.Age, b.SLA, flags)
			}
		}
		tw.footer(&k.Measure)
	}
	if k := r.ReviewedMemberships; k != nil {
		tw.header(&k.Measure)
		tw.printf("  Value:      %s reviewed in the window (%d of %d active)\n", k.ValueString(), k.Numerator, k.Denominator)
		tw.printf("  Window:     %s to %s (UTC days, inclusive)\n", k.WindowStart, k.WindowEnd)
		if len(k.NotReviewed) == 0 {
			tw.printf("  Unreviewed: none\n")
		} else {
			tw.printf("  Unreviewed: %d active without a review in the window:\n", len(k.NotReviewed))
			for _, g := range k.NotReviewed {
				last := g.LastReview.String()
				if last == "" {
					last = "none"
				}
				tw.printf("              - %s (%s; last review %s)\n", textx.OneLine(g.Group), g.Reason, last)
			}
		}
		for _, ig := range k.Ignored {
			tw.printf("  Ignored:    %s review record %s (%s)\n", textx.OneLine(ig.Group), ig.Date, ig.Reason)
		}
		tw.footer(&k.Measure)
	}
	if k := r.TimeToAction; k != nil {
		tw.header(&k.Measure)
		tw.printf("  Value:      %s closed within the action SLA (%d of %d)\n", k.ValueString(), k.Numerator, k.Denominator)
		tw.printf("  Times:      median %s, p90 %s, max %s (n=%d, nearest rank)\n",
			durOrNA(k.Median), durOrNA(k.P90), durOrNA(k.Max), k.N)
		sla := "default " + k.SLA.Default.String()
		if k.SLA.UseDue {
			sla = "the case's due date, else " + k.SLA.Default.String()
		}
		tw.printf("  SLA:        %s\n", sla)
		if len(k.Overdue) == 0 {
			tw.printf("  Overdue:    none open past due at as-of\n")
		} else {
			tw.printf("  Overdue:    %d open actionable past due at as-of:\n", len(k.Overdue))
			for _, o := range k.Overdue {
				tw.printf("              - %s due %s, %s past due, owner %s\n",
					textx.OneLine(o.Case), o.Due.UTC().Format(time.RFC3339), o.PastDue, textx.OneLine(ownerOrNone(o.Owner)))
			}
		}
		for _, o := range k.UnderException {
			tw.printf("  Excepted:   %s due %s, past due but under an exception until %s\n",
				textx.OneLine(o.Case), o.Due.UTC().Format(time.RFC3339), o.ExceptionUntil.UTC().Format(time.RFC3339))
		}
		tw.footer(&k.Measure)
	}
	if k := r.RegisterHealth; k != nil {
		tw.header(&k.Measure)
		tw.printf("  Value:      %s healthy (%d of %d active pass every criterion)\n", k.ValueString(), k.Numerator, k.Denominator)
		if !k.LinksGiven {
			tw.printf("  Links:      unknown: no link check results were given, so no entry can pass\n")
		}
		tw.printf("  Healthy:    %s\n", listOrNone(k.Healthy))
		tw.printf("  Dormant:    %s (failing only the 90-day interaction test)\n", listOrNone(k.Dormant))
		for _, e := range k.Entries {
			if e.Healthy {
				continue
			}
			tw.printf("  Failing:    %s\n", textx.OneLine(e.Group))
			for _, f := range e.Failures {
				tw.printf("              - %s %s: %s\n", f.Criterion, f.Reason, textx.OneLine(f.Detail))
			}
		}
		tw.footer(&k.Measure)
	}
	if k := r.FeedFreshness; k != nil {
		tw.header(&k.Measure)
		tw.printf("  Value:      %s fresh (%d of %d judged endpoints; tolerance %s x interval)\n", k.ValueString(),
			k.Numerator, k.Denominator, strconv.FormatFloat(k.Tolerance, 'f', -1, 64))
		if !k.StatesGiven {
			tw.printf("  Fetches:    unknown: no source states were given, so no fetched channel is judged\n")
		}
		tw.printf("  Stale:      %s\n", listOrNone(k.Stale))
		for _, e := range k.Endpoints {
			status := e.Status
			if e.Reason != "" {
				status += " (" + e.Reason + ")"
			}
			every := e.Every
			if every == "" {
				every = "none"
			}
			tw.printf("              - %s/%s %s via %s, every %s: %s; last success %s, last new item %s\n",
				textx.OneLine(e.Group), e.Channel, textx.OneLine(e.Kind), textx.OneLine(e.Source), every, status,
				agoOrNever(e.LastSuccess, e.Age), agoOrNever(e.LastNewItem, e.SinceNewItem))
		}
		tw.footer(&k.Measure)
	}
	if k := r.ChannelYield; k != nil {
		tw.header(&k.Measure)
		tw.printf("  Value:      %s actionable of %d first triaged in (%s, %s] (actionable rate %s)\n",
			k.ValueString(), k.Denominator, k.Window.Start.UTC().Format(time.RFC3339), k.Window.End.UTC().Format(time.RFC3339),
			pctOrNA(k.Rate))
		tw.printf("  By group:\n")
		for _, g := range k.ByGroup {
			tw.printf("              - %s (%s): %d of %d, %s\n", textx.OneLine(g.Group), textx.OneLine(string(g.Kind)),
				g.Actionable, g.Triaged, pctOrNA(g.Rate))
		}
		tw.footer(&k.Measure)
	}
	if tr := r.Trend; tr != nil {
		tw.printf("\nTrend against the previous period %s %s\n", tr.Previous, tr.Previous.Interval())
		for _, m := range tr.Metrics {
			tw.printf("  KPI %d %-19s %s (previous %s, change %s)\n", m.KPI, m.Metric,
				FormatTrendValue(m.Unit, m.Current, false), FormatTrendValue(m.Unit, m.Previous, false), FormatTrendValue(m.Unit, m.Change, true))
		}
		tw.printf("  KPI 2 by group (actionable, previous, change; rate change):\n")
		for _, g := range tr.ByGroup {
			tw.printf("              - %s: %d, %d, %+d; %s\n", textx.OneLine(g.Group), g.Actionable, g.PreviousActionable,
				g.Change, FormatTrendValue(UnitPercent, g.RateChange, true))
		}
		tw.printf("  Method:\n")
		for _, line := range wrap(tr.Method, 76) {
			tw.printf("    %s\n", line)
		}
	}
	if tw.err != nil {
		return fmt.Errorf("kpi: write report: %w", tw.err)
	}
	if err := tw.w.Flush(); err != nil {
		return fmt.Errorf("kpi: write report: %w", err)
	}
	return nil
}

type textWriter struct {
	w   *bufio.Writer
	err error
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func (t *textWriter) header(m *Measure) {
	t.printf("\nKPI %d  %s  [%s]\n", m.KPI, m.Name, m.ID)
}

func (t *textWriter) footer(m *Measure) {
	if m.Excluded == 0 {
		t.printf("  Excluded:   none\n")
	} else {
		t.printf("  Excluded:   %d\n", m.Excluded)
		for _, e := range m.Exclusions {
			t.printf("              - %s: %d (%s)\n", e.Reason, e.Count, textx.OneLine(strings.Join(e.IDs, ", ")))
		}
	}
	t.printf("  Definition:\n")
	for _, line := range wrap(m.Definition, 76) {
		t.printf("    %s\n", line)
	}
	t.printf("  Input hash: %s\n", m.InputHash)
}

func byKind(m map[register.Kind]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", textx.OneLine(string(k)), m[k]))
	}
	return strings.Join(parts, ", ")
}

func bySource(m map[string]Duration) string {
	if len(m) == 0 {
		return ""
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %s", textx.OneLine(k), m[k]))
	}
	return "; by source: " + strings.Join(parts, ", ")
}

func actionableByKind(ks []KindActionable) string {
	if len(ks) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%s %d of %d", textx.OneLine(string(k.Kind)), k.Actionable, k.Triaged))
	}
	return strings.Join(parts, ", ")
}

// FormatTrendValue formats a figure of a trend metric (TrendMetric's
// Current, Previous or Change, in the metric's unit): "n/a" for nil; a
// change carries its sign, and percentages change in percentage points
// ("+3.5 pp"); seconds read as a duration ("2h 30m"), "n/a" when not a
// finite duration.
func FormatTrendValue(unit string, v *float64, change bool) string {
	if v == nil {
		return "n/a"
	}
	sign := ""
	if change && *v >= 0 {
		sign = "+"
	}
	switch unit {
	case UnitPercent:
		if change {
			return sign + strconv.FormatFloat(*v, 'f', 1, 64) + " pp"
		}
		return strconv.FormatFloat(*v, 'f', 1, 64) + "%"
	case UnitSeconds:
		if math.IsNaN(*v) || math.Abs(*v) > math.MaxInt64/1e9 {
			return "n/a"
		}
		return sign + formatDuration(time.Duration(math.Round(*v*1e9)))
	}
	return sign + strconv.FormatFloat(*v, 'f', -1, 64)
}

func agoOrNever(at time.Time, age *Duration) string {
	switch {
	case at.IsZero():
		return "never"
	case age == nil:
		return at.UTC().Format(time.RFC3339)
	}
	return at.UTC().Format(time.RFC3339) + " (" + age.String() + " ago)"
}

func listOrNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return textx.OneLine(strings.Join(ids, ", "))
}

func pctOrNA(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*v, 'f', 1, 64) + "%"
}

func ownerOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func durOrNA(d *Duration) string {
	if d == nil {
		return "n/a"
	}
	return d.String()
}

// wrap breaks text into lines of at most width characters at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) > width:
			lines = append(lines, line)
			line = word
		default:
			line += " " + word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
