package evidence

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

// HTMLReportSchema identifies the HTML evidence report (report.html): one
// self-contained page for people that summarises the register snapshot
// (E1), the open actions (E5), the register health report (E8) and the KPI
// report (E9). Its sections and their meaning keep to this ID; the page's
// markup and styling may change under it.
const HTMLReportSchema = "sigwatch.evidence.html-report/v1"

// HTMLInput is what the HTML report is made of.
type HTMLInput struct {
	// Register is the register to show (its organisation, groups and
	// health). Optional: nil is an empty register.
	Register *register.Register
	// Cases are the cases; the report lists the open actionable ones.
	Cases []intake.Case
	// KPI is the KPI report for the summary figures and the charts.
	// Optional: without it the report says so instead of the figures.
	KPI *kpi.Report
	// AsOf is the instant the report describes: the review state, the
	// health findings and the overdue flags are judged at it. Optional
	// when KPI is set (it defaults to KPI.AsOf; when both are set they must
	// be equal), required otherwise.
	AsOf time.Time
	// Period is the reporting period. Optional: defaults to KPI.Period;
	// when both are set they must be equal.
	Period kpi.Period
	// Generator names the program in the header. Optional: defaults to
	// KPI.Generator, else kpi.DefaultGenerator().
	Generator string
	// Files are the pack's other files, listed with their SHA-256 in an
	// appendix. Optional: without them the report has no appendix.
	Files []ManifestFile
	// Redacted is the lowest TLP label the pack redacts ("AMBER"), shown
	// in the header. Optional: "" shows nothing.
	Redacted string
}

// WriteHTMLReport writes the HTML evidence report: one self-contained HTML5
// page for people, with a summary (organisation, period, as-of, generator
// and the headline KPI figures), KPI charts drawn as inline SVG (actionable
// items per group, the receipt-to-triage spread against the SLA, the trend
// against the previous period; each with a text table of its figures), the
// register (one row per group, as in the E1 snapshot, with the review state
// of E2), the open actionable cases (E5; earliest due first, overdue ones
// flagged at in.AsOf), the register health findings (E8, register.Check at
// in.AsOf) and, when in.Files is set, the pack's files with their SHA-256.
//
// The page loads nothing and runs nothing: no script, no external style,
// font or image, and a Content-Security-Policy that forbids them all. Every
// text from the register or a feed goes through html/template's contextual
// escaping, and only http and https URLs become links. The same input gives
// the same bytes.
func WriteHTMLReport(w io.Writer, in HTMLInput) error {
	v, err := buildHTMLView(in)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("evidence: render HTML report: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("evidence: write HTML report: %w", err)
	}
	return nil
}

// errHTMLNoAsOf is returned by WriteHTMLReport without an as-of instant.
var errHTMLNoAsOf = errors.New("evidence: HTML report: no as-of instant (set HTMLInput.AsOf or HTMLInput.KPI)")

// htmlTime resolves the report's as-of instant and period as WritePack does,
// without a clock: the report never reads the time.
func htmlTime(in HTMLInput) (time.Time, kpi.Period, error) {
	asOf, period, err := reconcileTime("HTML report", in.AsOf, in.Period, in.KPI)
	if err != nil {
		return time.Time{}, kpi.Period{}, err
	}
	if asOf.IsZero() {
		return time.Time{}, kpi.Period{}, errHTMLNoAsOf
	}
	if !period.IsZero() {
		period = kpi.Period{Start: period.Start.UTC(), End: period.End.UTC()}
	}
	return asOf, period, nil
}

// The view the template renders. Every field is plain data: the template
// escapes it for its context.
type htmlView struct {
	Title          string
	Organisation   string
	Control        string
	Period         string
	PeriodInterval string
	AsOf           htmlTimeValue
	Generator      string
	Redacted       string
	Schema         string

	HasKPI      bool
	Cards       []htmlCard
	Definitions []htmlDefinition
	OpenCount   int
	Overdue     int
	Charts      []htmlChart

	Groups  []htmlGroup
	Actions []htmlAction
	Health  Health
	Files   []htmlFile
}

type htmlTimeValue struct {
	// Machine is RFC 3339 (the datetime attribute); Human is for reading.
	Machine, Human string
}

func htmlTimeOf(t time.Time) htmlTimeValue {
	if t.IsZero() {
		return htmlTimeValue{}
	}
	t = t.UTC()
	h := t.Format("2006-01-02 15:04")
	if t.Second() != 0 || t.Nanosecond() != 0 {
		h = t.Format("2006-01-02 15:04:05")
	}
	return htmlTimeValue{Machine: timeString(t), Human: h + " UTC"}
}

// htmlCard is one headline figure.
type htmlCard struct {
	Label, Value, Detail, ID string
	// Tone is "good", "warn", "bad" or "" (neutral): the card's accent.
	Tone string
}

type htmlDefinition struct {
	KPI                       int
	Name, ID, Text, InputHash string
}

type htmlGroup struct {
	ID, Name, Kind, URL string
	// Link is URL when it is an http or https URL, else "".
	Link             string
	Owner, Backup    htmlPerson
	MembershipStatus string
	// MembershipDates is "since 2024-03-01", "2025-01-01 to 2026-12-31", … or "".
	MembershipDates string
	TLP             string
	MembershipTone  string
	// TLPClass is "red", "amber", "green", "clear" or "other".
	TLPClass                  string
	Channels                  []htmlChannel
	ReviewStatus, ReviewTone  string
	NextReviewDue, LastReview string
}

type htmlPerson struct {
	Text string
	// Flag is "inactive", "unknown" or "missing" when the person is not an
	// active person of the register.
	Flag string
}

type htmlChannel struct {
	Kind, URL, Source string
}

type htmlAction struct {
	ID, Title, Link, Owner, Priority, State string
	Due                                     htmlTimeValue
	// Status is "overdue", "excepted" or "".
	Status, StatusText string
}

type htmlFile struct {
	Name, Artefact, Schema, Size, SHA256 string
}

// htmlChart is an SVG chart with its figures as a table.
type htmlChart struct {
	ID, Title, Desc string
	// Width and Height are the SVG's size in CSS pixels (also its viewBox).
	Width, Height int
	// NoData is set when there is nothing to draw; it says why.
	NoData string
	Legend []svgLegend
	Rects  []svgRect
	Lines  []svgLine
	Texts  []svgText
	// Head and Rows are the text table of the chart's figures.
	Head []string
	Rows [][]string
	Note string
}

type svgLegend struct {
	X, Y, Fill, Label string
	TextX, TextY      string
}

type svgRect struct {
	X, Y, W, H, Fill string
	// Title is the bar's tooltip.
	Title string
}

type svgLine struct {
	X1, Y1, X2, Y2, Stroke, Dash string
}

type svgText struct {
	X, Y, Anchor, Class, Text string
}

// Chart colours. chartBlue is the colour of the bars that carry the
// figure (the browser test looks for it in a screenshot).
// The page's own CSS uses none of the chart colours.
const (
	chartBlue  = "#1f77b4"
	chartLight = "#aec7e8"
	chartGrey  = "#c7c7c7"
	chartRed   = "#d62728"
	chartAxis  = "#94a3b8"
	chartGrid  = "#e2e8f0"
)

func buildHTMLView(in HTMLInput) (*htmlView, error) {
	asOf, period, err := htmlTime(in)
	if err != nil {
		return nil, err
	}
	reg := in.Register
	if reg == nil {
		reg = &register.Register{}
	}
	gen := in.Generator
	if gen == "" && in.KPI != nil {
		gen = in.KPI.Generator
	}
	if gen == "" {
		gen = kpi.DefaultGenerator()
	}
	v := &htmlView{
		Organisation: reg.Organisation.Name, Control: Control, AsOf: htmlTimeOf(asOf), Generator: gen,
		Redacted: strings.ToUpper(strings.TrimSpace(in.Redacted)), Schema: HTMLReportSchema,
	}
	v.Title = "A.5.6 evidence report"
	if v.Organisation != "" {
		v.Title += ": " + v.Organisation
	}
	if !period.IsZero() {
		v.Period, v.PeriodInterval = period.String(), period.Interval()
		v.Title += " (" + v.Period + ")"
	}
	v.Actions = htmlActions(in.Cases, asOf)
	v.OpenCount = len(v.Actions)
	for _, a := range v.Actions {
		if a.Status == "overdue" {
			v.Overdue++
		}
	}
	if r := in.KPI; r != nil {
		v.HasKPI = true
		v.Cards = htmlCards(r, v.OpenCount, v.Overdue)
		v.Definitions = htmlDefinitions(r)
		v.Charts = []htmlChart{chartActionable(r), chartTriage(r), chartTrend(r)}
	}
	v.Groups = htmlGroups(reg, asOf)
	// E8 lists the findings in register order; people read the worst first.
	v.Health = HealthReport(reg, asOf)
	slices.SortStableFunc(v.Health.Records, func(a, b HealthRecord) int {
		if c := cmp.Compare(register.Severity(b.Severity).Rank(), register.Severity(a.Severity).Rank()); c != 0 {
			return c
		}
		return cmp.Compare(a.Group, b.Group)
	})
	for _, f := range in.Files {
		v.Files = append(v.Files, htmlFile{Name: f.Name, Artefact: f.Artefact, Schema: f.Schema,
			Size: strconv.FormatInt(f.Size, 10), SHA256: f.SHA256})
	}
	return v, nil
}

// htmlCards returns the headline figures of the KPI report.
func htmlCards(r *kpi.Report, open, overdue int) []htmlCard {
	var cards []htmlCard
	if k := r.ActiveMemberships; k != nil {
		detail := fmt.Sprintf("of %d register entries", k.Denominator)
		tone := ""
		if n := len(k.ActiveWithoutActiveOwner); n > 0 {
			detail += fmt.Sprintf("; %d orphaned (active without an active owner), not counted", n)
			tone = "warn"
		}
		cards = append(cards, htmlCard{Label: "Active memberships", Value: k.ValueString(), Detail: detail, ID: k.ID, Tone: tone})
	}
	if k := r.ActionableItems; k != nil {
		cards = append(cards, htmlCard{Label: "Actionable items", Value: k.ValueString(),
			Detail: fmt.Sprintf("of %d first triaged in the period; actionable rate %s", k.Denominator, pctString(k.Rate)), ID: k.ID})
	}
	if k := r.ReceiptToTriage; k != nil {
		detail := fmt.Sprintf("p90 %s, max %s (n = %d); %s within SLA (%d of %d)",
			durString(k.P90), durString(k.Max), k.N, k.ValueString(), k.Numerator, k.Denominator)
		tone := ""
		if n := len(k.Backlog); n > 0 {
			detail += fmt.Sprintf("; %d untriaged past SLA", n)
			tone = "bad"
		}
		cards = append(cards, htmlCard{Label: "Median receipt to triage", Value: durString(k.Median), Detail: detail, ID: k.ID, Tone: tone})
	}
	if k := r.ReviewedMemberships; k != nil {
		cards = append(cards, htmlCard{Label: "Memberships reviewed in 12 months", Value: k.ValueString(),
			Detail: fmt.Sprintf("%d of %d active entries", k.Numerator, k.Denominator), ID: k.ID, Tone: pctTone(k.Value)})
	}
	openCard := htmlCard{Label: "Open actions", Value: strconv.Itoa(open),
		Detail: fmt.Sprintf("%d overdue at as-of", overdue), ID: "open actionable cases"}
	if overdue > 0 {
		openCard.Tone = "bad"
	}
	if k := r.TimeToAction; k != nil {
		openCard.Detail += fmt.Sprintf("; %s of closures within the action SLA (%d of %d)", k.ValueString(), k.Numerator, k.Denominator)
	}
	cards = append(cards, openCard)
	if k := r.RegisterHealth; k != nil {
		detail := fmt.Sprintf("%d of %d active entries pass every criterion", k.Numerator, k.Denominator)
		if !k.LinksGiven {
			detail += "; no link check results were given, so no entry can pass"
		}
		cards = append(cards, htmlCard{Label: "Register health score", Value: k.ValueString(), Detail: detail, ID: k.ID, Tone: pctTone(k.Value)})
	}
	return cards
}

// pctTone colours a percentage: 90 % and more good, 50 % and more warn, less bad.
func pctTone(v *float64) string {
	switch {
	case v == nil:
		return ""
	case *v >= 90:
		return "good"
	case *v >= 50:
		return "warn"
	}
	return "bad"
}

func htmlDefinitions(r *kpi.Report) []htmlDefinition {
	var ms []*kpi.Measure
	if k := r.ActiveMemberships; k != nil {
		ms = append(ms, &k.Measure)
	}
	if k := r.ActionableItems; k != nil {
		ms = append(ms, &k.Measure)
	}
	if k := r.ReceiptToTriage; k != nil {
		ms = append(ms, &k.Measure)
	}
	if k := r.ReviewedMemberships; k != nil {
		ms = append(ms, &k.Measure)
	}
	if k := r.TimeToAction; k != nil {
		ms = append(ms, &k.Measure)
	}
	if k := r.RegisterHealth; k != nil {
		ms = append(ms, &k.Measure)
	}
	if k := r.FeedFreshness; k != nil {
		ms = append(ms, &k.Measure)
	}
	if k := r.ChannelYield; k != nil {
		ms = append(ms, &k.Measure)
	}
	out := make([]htmlDefinition, len(ms))
	for i, m := range ms {
		out[i] = htmlDefinition{KPI: m.KPI, Name: m.Name, ID: m.ID, Text: m.Definition, InputHash: m.InputHash}
	}
	return out
}

// htmlGroups returns one row per group, from the E1 snapshot with the E2
// review state as of asOf.
func htmlGroups(reg *register.Register, asOf time.Time) []htmlGroup {
	snap := Snapshot(reg)
	// ReviewRecords lists the groups in the snapshot's order (by ID,
	// stable), each with max(1, records) rows: take each group's first.
	reviews := ReviewRecords(reg, asOf)
	first := make([]ReviewRecordRow, 0, len(snap.Groups))
	i := 0
	for _, g := range sortedGroups(reg) {
		if i < len(reviews) {
			first = append(first, reviews[i])
		}
		i += max(1, len(g.Review.Records))
	}
	out := make([]htmlGroup, len(snap.Groups))
	for i := range snap.Groups {
		g := &snap.Groups[i]
		h := htmlGroup{ID: g.ID, Name: g.Name, Kind: g.Kind, URL: g.URL, Link: safeLink(g.URL),
			Owner:            htmlPersonOf(g.OwnerName, g.OwnerID, g.OwnerStatus),
			Backup:           htmlPersonOf(g.BackupName, g.BackupID, g.BackupStatus),
			MembershipStatus: orDash(g.MembershipStatus, "none"), MembershipDates: membershipDates(g),
			TLP: g.MembershipTLP, TLPClass: tlpClass(g.MembershipTLP)}
		if g.MembershipStatus == string(register.MembershipActive) {
			h.MembershipTone = "good"
		}
		for _, c := range g.Channels {
			h.Channels = append(h.Channels, htmlChannel(c))
		}
		if i < len(first) {
			rv := first[i]
			h.ReviewStatus, h.NextReviewDue, h.LastReview = rv.ReviewStatus, rv.NextReviewDue, rv.LastReview
			switch rv.ReviewStatus {
			case ReviewCurrent:
				h.ReviewTone = "good"
			case ReviewOverdue, ReviewNever:
				h.ReviewTone = "warn"
			}
		}
		out[i] = h
	}
	return out
}

// membershipDates says when a membership runs, as membershipCell does.
func membershipDates(g *RegisterRecord) string {
	switch {
	case g.MembershipSince != "" && g.MembershipUntil != "":
		return g.MembershipSince + " to " + g.MembershipUntil
	case g.MembershipSince != "":
		return "since " + g.MembershipSince
	case g.MembershipUntil != "":
		return "until " + g.MembershipUntil
	}
	return ""
}

// tlpClass maps a TLP label to its colour class.
func tlpClass(label string) string {
	l := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(label), "TLP:")))
	switch l {
	case "red", "green", "clear", "white":
		if l == "white" {
			return "clear"
		}
		return l
	case "amber", "amber+strict":
		return "amber"
	}
	return "other"
}

func htmlPersonOf(name, id, status string) htmlPerson {
	switch status {
	case PersonMissing:
		return htmlPerson{Text: "none", Flag: "missing"}
	case PersonUnknown:
		return htmlPerson{Text: id, Flag: "unknown"}
	}
	p := htmlPerson{Text: id}
	if name != "" {
		p.Text = name + " (" + id + ")"
	}
	if status == PersonInactive {
		p.Flag = "inactive"
	}
	return p
}

// htmlActions returns the open actionable cases (state neither closed nor
// rejected, current decision actionable), as the POA&M selects them: earliest
// due first, no due date last, then by case ID.
func htmlActions(cases []intake.Case, asOf time.Time) []htmlAction {
	open := openActions(cases)
	out := make([]htmlAction, len(open))
	for i, c := range open {
		a := htmlAction{ID: c.ID, Title: c.Advisory.Title, Link: safeLink(c.Advisory.URL), Owner: c.Owner,
			Priority: string(c.Priority()), State: string(c.State), Due: htmlTimeOf(c.Due)}
		if !c.Due.IsZero() && asOf.After(c.Due) {
			late := kpi.Duration(asOf.Sub(c.Due)).String()
			if c.Overdue(asOf) {
				a.Status, a.StatusText = "overdue", "overdue by "+late
			} else {
				a.Status, a.StatusText = "excepted", "past due by "+late+", exception until "+htmlTimeOf(c.Exception.Until).Human
			}
		}
		out[i] = a
	}
	return out
}

// safeLink returns s when it is an absolute http or https URL with a host,
// else "": only those become links.
func safeLink(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}

func pctString(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*v, 'f', 1, 64) + "%"
}

func durString(d *kpi.Duration) string {
	if d == nil {
		return "n/a"
	}
	return d.String()
}

// Chart geometry, in CSS pixels.
const (
	chartWidth  = 560
	labelWidth  = 150 // left column for row labels
	valueWidth  = 120 // right column for value labels
	rowHeight   = 30
	barHeight   = 16
	chartTop    = 34 // room for the legend
	chartBottom = 26 // room for the axis labels
	plotLeft    = labelWidth + 10
	plotWidth   = chartWidth - plotLeft - valueWidth
)

// svgNum formats a coordinate with one decimal, dropping ".0".
func svgNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// truncateLabel shortens s to n runes, ending with an ellipsis.
func truncateLabel(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// niceCountScale returns an axis maximum ≥ maxVal and a tick step for a
// count axis with at most 5 intervals; maxVal ≤ 0 gives (1, 1).
func niceCountScale(maxVal int) (axisMax, step int) {
	if maxVal <= 0 {
		return 1, 1
	}
	for m := 1; ; m *= 10 {
		for _, s := range []int{1, 2, 5} {
			step = s * m
			if n := ceilDiv(maxVal, step); n <= 5 {
				return n * step, step
			}
		}
		if m > math.MaxInt/100 {
			return maxVal, maxVal
		}
	}
}

// niceDurationScale returns an axis maximum ≥ maxVal and a tick step for a
// duration axis with at most 6 intervals (one hour for maxVal ≤ 0).
func niceDurationScale(maxVal time.Duration) (axisMax, step time.Duration) {
	if maxVal <= 0 {
		return time.Hour, time.Hour / 4
	}
	const day = 24 * time.Hour
	for _, s := range []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour,
		2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, day, 2 * day, 7 * day, 14 * day, 30 * day,
		90 * day, 180 * day, 365 * day} {
		if n := ceilDiv(maxVal, s); n <= 6 {
			return n * s, s
		}
	}
	// Beyond six years (corrupt times, most likely) the axis just fits.
	return maxVal, maxVal / 5
}

// axis draws the vertical grid lines and tick labels below the plot.
func (c *htmlChart) axis(ticks []float64, labels []string, plotBottom float64) {
	for i, t := range ticks {
		x := plotLeft + t*plotWidth
		c.Lines = append(c.Lines, svgLine{X1: svgNum(x), Y1: svgNum(chartTop - 4), X2: svgNum(x), Y2: svgNum(plotBottom), Stroke: chartGrid})
		c.Texts = append(c.Texts, svgText{X: svgNum(x), Y: svgNum(plotBottom + 16), Anchor: "middle", Class: "tick", Text: labels[i]})
	}
	c.Lines = append(c.Lines, svgLine{X1: svgNum(plotLeft), Y1: svgNum(chartTop - 4), X2: svgNum(plotLeft), Y2: svgNum(plotBottom), Stroke: chartAxis})
}

func (c *htmlChart) legend(items ...[2]string) {
	x := float64(plotLeft)
	for _, it := range items {
		c.Legend = append(c.Legend, svgLegend{X: svgNum(x), Y: "8", Fill: it[0], Label: it[1], TextX: svgNum(x + 16), TextY: "18"})
		x += 16 + 7.2*float64(len([]rune(it[1]))) + 18
	}
}

func (c *htmlChart) noData(msg string) {
	c.NoData = msg
	c.Width, c.Height = chartWidth, 80
	c.Legend, c.Rects, c.Lines = nil, nil, nil
	c.Texts = []svgText{{X: svgNum(chartWidth / 2), Y: "45", Anchor: "middle", Class: "nodata", Text: msg}}
}

// ceilDiv is ⌈a/b⌉ for a ≥ 0, b > 0, without the overflow of (a+b-1)/b.
func ceilDiv[T ~int | ~int64](a, b T) T {
	n := a / b
	if a%b != 0 {
		n++
	}
	return n
}

// tickCount is the number of ticks after 0 on an axis: axisMax/step, which
// the scales keep at most 6 (and a step ≤ 0 or a broken scale draws none),
// counted by index so that no tick value can overflow.
func tickCount[T ~int | ~int64](axisMax, step T) int {
	if step <= 0 || axisMax <= 0 {
		return 0
	}
	return int(min(axisMax/step, 10))
}

func countTicks(axisMax, step int) ([]float64, []string) {
	var ticks []float64
	var labels []string
	for i := range tickCount(axisMax, step) + 1 {
		v := i * step
		ticks = append(ticks, float64(v)/float64(max(axisMax, 1)))
		labels = append(labels, strconv.Itoa(v))
	}
	return ticks, labels
}

// chartActionable draws KPI 2 by group: the advisories first triaged in the
// period per group (light bar) and the actionable ones among them (blue bar).
func chartActionable(r *kpi.Report) htmlChart {
	c := htmlChart{ID: "chart-actionable", Title: "Actionable items per group",
		Head: []string{"Group", "Kind", "Actionable", "First triaged", "Actionable rate"}}
	k := r.ActionableItems
	if k == nil {
		c.noData("The KPI report has no actionable-items figure.")
		return c
	}
	c.Desc = fmt.Sprintf("Advisories first triaged in %s per register group (light bar) and the actionable ones "+
		"among them (blue bar). Overall %d actionable of %d, rate %s.", periodLabel(k.Period), k.Numerator, k.Denominator, pctString(k.Rate))
	maxVal := 0
	for _, g := range k.ByGroup {
		maxVal = max(maxVal, g.Triaged, g.Actionable)
		c.Rows = append(c.Rows, []string{g.Group, string(g.Kind), strconv.Itoa(g.Actionable), strconv.Itoa(g.Triaged), pctString(g.Rate)})
	}
	c.Rows = append(c.Rows, []string{"All groups", "", strconv.Itoa(k.Numerator), strconv.Itoa(k.Denominator), pctString(k.Rate)})
	if maxVal == 0 {
		c.noData("No advisory was first triaged in the period.")
		return c
	}
	axisMax, step := niceCountScale(maxVal)
	c.legend([2]string{chartLight, "first triaged"}, [2]string{chartBlue, "actionable"})
	scale := func(n int) float64 { return float64(n) / float64(axisMax) * plotWidth }
	y := float64(chartTop)
	for _, g := range k.ByGroup {
		by := y + (rowHeight-barHeight)/2
		c.Texts = append(c.Texts, svgText{X: svgNum(labelWidth), Y: svgNum(by + 12), Anchor: "end", Class: "label", Text: truncateLabel(g.Group, 22)})
		if g.Triaged > 0 {
			c.Rects = append(c.Rects, svgRect{X: svgNum(plotLeft), Y: svgNum(by), W: svgNum(scale(g.Triaged)), H: svgNum(barHeight), Fill: chartLight,
				Title: fmt.Sprintf("%s: %d first triaged", g.Group, g.Triaged)})
		}
		if g.Actionable > 0 {
			c.Rects = append(c.Rects, svgRect{X: svgNum(plotLeft), Y: svgNum(by), W: svgNum(scale(g.Actionable)), H: svgNum(barHeight), Fill: chartBlue,
				Title: fmt.Sprintf("%s: %d actionable", g.Group, g.Actionable)})
		}
		c.Texts = append(c.Texts, svgText{X: svgNum(plotLeft + scale(max(g.Triaged, g.Actionable)) + 6), Y: svgNum(by + 12), Anchor: "start",
			Class: "value", Text: fmt.Sprintf("%d of %d", g.Actionable, g.Triaged)})
		y += rowHeight
	}
	ticks, labels := countTicks(axisMax, step)
	c.axis(ticks, labels, y)
	c.Width, c.Height = chartWidth, int(y)+chartBottom
	return c
}

func periodLabel(p kpi.Period) string {
	if p.IsZero() {
		return "the period"
	}
	return p.String()
}

// chartTriage draws KPI 3's spread: median, p90 and max of the
// receipt-to-triage time, against the SLA lines.
func chartTriage(r *kpi.Report) htmlChart {
	c := htmlChart{ID: "chart-triage", Title: "Receipt to triage",
		Head: []string{"Figure", "Value"}}
	k := r.ReceiptToTriage
	if k == nil {
		c.noData("The KPI report has no receipt-to-triage figure.")
		return c
	}
	c.Desc = fmt.Sprintf("Time from the first receipt to the first triage decision for the %d advisories received in %s "+
		"and triaged: median, 90th percentile and maximum (nearest rank), against the triage SLA (dashed lines).", k.N, periodLabel(k.Period))
	c.Rows = [][]string{
		{"Advisories received in the period", strconv.Itoa(k.Received)},
		{"Triaged (n)", strconv.Itoa(k.N)},
		{"Median", durString(k.Median)},
		{"90th percentile", durString(k.P90)},
		{"Maximum", durString(k.Max)},
		{"Within SLA", fmt.Sprintf("%s (%d of %d)", k.ValueString(), k.Numerator, k.Denominator)},
		{"SLA", fmt.Sprintf("default %s, KEV-listed %s, critical %s", k.SLA.Default, k.SLA.KEV, k.SLA.Critical)},
		{"Untriaged past SLA at as-of", strconv.Itoa(len(k.Backlog))},
	}
	if k.N == 0 || k.Median == nil || k.P90 == nil || k.Max == nil {
		c.noData("No advisory received in the period has been triaged (n = 0).")
		return c
	}
	bars := []struct {
		label string
		d     time.Duration
		fill  string
	}{{"median", k.Median.Std(), chartBlue}, {"p90", k.P90.Std(), chartBlue}, {"max", k.Max.Std(), chartBlue}}
	slas := []struct {
		label string
		d     time.Duration
		dash  string
	}{{"SLA " + k.SLA.Default.String(), k.SLA.Default.Std(), "6 4"}}
	if short := min(k.SLA.KEV, k.SLA.Critical); short > 0 && short < k.SLA.Default {
		slas = append(slas, struct {
			label string
			d     time.Duration
			dash  string
		}{"KEV/critical " + short.String(), short.Std(), "2 3"})
	}
	maxVal := max(k.Max.Std(), 0)
	for _, s := range slas {
		maxVal = max(maxVal, s.d)
	}
	axisMax, step := niceDurationScale(maxVal)
	scale := func(d time.Duration) float64 { return float64(max(d, 0)) / float64(axisMax) * plotWidth }
	c.legend([2]string{chartBlue, "time to triage"}, [2]string{chartRed, "SLA"})
	y := float64(chartTop)
	for _, b := range bars {
		by := y + (rowHeight-barHeight)/2
		c.Texts = append(c.Texts, svgText{X: svgNum(labelWidth), Y: svgNum(by + 12), Anchor: "end", Class: "label", Text: b.label})
		if w := scale(b.d); w > 0 {
			c.Rects = append(c.Rects, svgRect{X: svgNum(plotLeft), Y: svgNum(by), W: svgNum(max(w, 2)), H: svgNum(barHeight), Fill: b.fill,
				Title: b.label + " " + kpi.Duration(b.d).String()})
		}
		c.Texts = append(c.Texts, svgText{X: svgNum(plotLeft + scale(b.d) + 6), Y: svgNum(by + 12), Anchor: "start", Class: "value",
			Text: kpi.Duration(b.d).String()})
		y += rowHeight
	}
	var ticks []float64
	var labels []string
	for i := range tickCount(axisMax, step) + 1 {
		d := time.Duration(i) * step
		ticks = append(ticks, float64(d)/float64(max(axisMax, 1)))
		labels = append(labels, kpi.Duration(d).String())
	}
	c.axis(ticks, labels, y)
	for i, s := range slas {
		x := plotLeft + scale(s.d)
		c.Lines = append(c.Lines, svgLine{X1: svgNum(x), Y1: svgNum(chartTop - 4), X2: svgNum(x), Y2: svgNum(y), Stroke: chartRed, Dash: s.dash})
		anchor := "end"
		tx := x - 4
		if i > 0 || x-plotLeft < 120 {
			anchor, tx = "start", x+4
		}
		c.Texts = append(c.Texts, svgText{X: svgNum(tx), Y: svgNum(y - 4 - float64(i)*12), Anchor: anchor, Class: "sla", Text: s.label})
	}
	c.Width, c.Height = chartWidth, int(y)+chartBottom
	if n := len(k.Backlog); n > 0 {
		c.Note = fmt.Sprintf("%d advisories are untriaged past their SLA at as-of: the times above do not include them.", n)
	}
	return c
}

// chartTrend draws KPI 2 per group in this period and the previous one.
func chartTrend(r *kpi.Report) htmlChart {
	c := htmlChart{ID: "chart-trend", Title: "Trend against the previous period",
		Head: []string{"Figure", "Current", "Previous", "Change"}}
	tr := r.Trend
	if tr == nil {
		c.noData("The KPI report has no period, so it has no trend.")
		return c
	}
	cur := periodLabel(r.Period)
	prev := periodLabel(tr.Previous)
	c.Title = fmt.Sprintf("Actionable items per group: %s against %s", cur, prev)
	c.Desc = fmt.Sprintf("Actionable items (KPI 2) per register group in %s (blue) and in the previous period %s (grey).", cur, prev)
	for _, m := range tr.Metrics {
		c.Rows = append(c.Rows, []string{fmt.Sprintf("KPI %d %s", m.KPI, strings.ReplaceAll(m.Metric, "_", " ")),
			kpi.FormatTrendValue(m.Unit, m.Current, false), kpi.FormatTrendValue(m.Unit, m.Previous, false), kpi.FormatTrendValue(m.Unit, m.Change, true)})
	}
	maxVal := 0
	for _, g := range tr.ByGroup {
		maxVal = max(maxVal, g.Actionable, g.PreviousActionable)
		c.Rows = append(c.Rows, []string{"KPI 2 actionable items, " + g.Group, strconv.Itoa(g.Actionable),
			strconv.Itoa(g.PreviousActionable), fmt.Sprintf("%+d", g.Change)})
	}
	if maxVal == 0 {
		c.noData(fmt.Sprintf("No actionable items in %s or %s.", cur, prev))
		return c
	}
	axisMax, step := niceCountScale(maxVal)
	c.legend([2]string{chartGrey, prev}, [2]string{chartBlue, cur})
	scale := func(n int) float64 { return float64(n) / float64(axisMax) * plotWidth }
	const pair = 2*12 + 2
	row := float64(pair + 12)
	y := float64(chartTop)
	for _, g := range tr.ByGroup {
		c.Texts = append(c.Texts, svgText{X: svgNum(labelWidth), Y: svgNum(y + pair/2 + 4), Anchor: "end", Class: "label", Text: truncateLabel(g.Group, 22)})
		for i, b := range []struct {
			n          int
			fill, what string
		}{{g.PreviousActionable, chartGrey, prev}, {g.Actionable, chartBlue, cur}} {
			by := y + float64(i)*14
			if b.n > 0 {
				c.Rects = append(c.Rects, svgRect{X: svgNum(plotLeft), Y: svgNum(by), W: svgNum(scale(b.n)), H: "12", Fill: b.fill,
					Title: fmt.Sprintf("%s %s: %d actionable", g.Group, b.what, b.n)})
			}
			c.Texts = append(c.Texts, svgText{X: svgNum(plotLeft + scale(b.n) + 6), Y: svgNum(by + 10), Anchor: "start", Class: "value small",
				Text: strconv.Itoa(b.n)})
		}
		y += row
	}
	ticks, labels := countTicks(axisMax, step)
	c.axis(ticks, labels, y)
	c.Width, c.Height = chartWidth, int(y)+chartBottom
	return c
}

var reportTemplate = template.Must(template.New("report").Parse(reportHTML))

// reportHTML is the page. Every {{…}} is escaped by html/template for its
// context; nothing from the register or a feed is marked safe.
const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Generator}}">
<title>{{.Title}}</title>
<style>
:root {
  --ink: #0f172a; --text: #1e293b; --muted: #64748b; --line: #e2e8f0; --soft: #f8fafc;
  --accent: #2563eb; --good: #15803d; --warn: #b45309; --bad: #b91c1c;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: #fff; color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
}
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 28px; }
code, .mono, .id, .hash code, .sha { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; }
a { color: var(--accent); }
.muted { color: var(--muted); }

.masthead { background: var(--ink); color: #f8fafc; padding: 26px 0 22px; }
.eyebrow { margin: 0 0 4px; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: #93c5fd; font-weight: 600; }
.masthead h1 { margin: 0 0 16px; font-size: 28px; line-height: 1.2; font-weight: 700; }
.meta { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 10px 28px; margin: 0; }
.meta div { min-width: 0; }
.meta dt { font-size: 11px; letter-spacing: .06em; text-transform: uppercase; color: #94a3b8; }
.meta dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.meta .muted { color: #94a3b8; font-weight: 400; font-size: 13px; }
.redacted { margin: 16px 0 0; padding: 8px 12px; border-radius: 6px; background: #451a03; color: #fde68a; font-weight: 600; }

nav.toc { display: flex; flex-wrap: wrap; gap: 6px 22px; padding-top: 12px; padding-bottom: 12px; border-bottom: 1px solid var(--line); font-size: 14px; }
nav.toc a { text-decoration: none; font-weight: 600; }

section { padding: 8px 0 18px; }
h2 { font-size: 21px; margin: 22px 0 12px; color: var(--ink); padding-bottom: 6px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 15px; margin: 0 0 6px; color: var(--ink); }
.lead { margin: 0 0 12px; color: var(--muted); }
.notice { padding: 10px 14px; border-left: 4px solid var(--warn); background: #fffbeb; margin: 0 0 12px; }

.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-left: 5px solid var(--accent); border-radius: 8px; padding: 12px 16px 12px; background: #fff; }
.card.tone-good { border-left-color: var(--good); }
.card.tone-warn { border-left-color: #f59e0b; }
.card.tone-bad { border-left-color: var(--bad); }
.card p { margin: 0; }
.card-label { font-size: 12px; letter-spacing: .05em; text-transform: uppercase; color: var(--muted); font-weight: 600; }
.card-value { font-size: 32px; line-height: 1.25; font-weight: 700; color: var(--ink); font-variant-numeric: tabular-nums; }
.card-detail { font-size: 13px; color: #334155; }
.card-id { margin-top: 6px !important; font-size: 11px; color: var(--muted); font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; }

details { margin: 10px 0 0; }
summary { cursor: pointer; color: var(--accent); font-size: 13px; font-weight: 600; }
details.defs dl { margin: 8px 0 0; }
details.defs dt { font-weight: 600; margin-top: 10px; }
details.defs dd { margin: 2px 0 0; font-size: 13px; }
details.defs dd p { margin: 0 0 2px; }
.hash { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }

.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 18px; align-items: start; }
figure.chart { margin: 0; padding: 14px 16px; border: 1px solid var(--line); border-radius: 8px; background: #fff; min-width: 0; }
figure.chart figcaption { font-weight: 700; color: var(--ink); margin-bottom: 6px; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 12px; fill: #334155; }
svg text.tick { font-size: 11px; fill: var(--muted); }
svg text.value { font-weight: 600; fill: var(--ink); font-variant-numeric: tabular-nums; }
svg text.small { font-size: 11px; }
svg text.sla { font-size: 11px; font-weight: 700; fill: #d62728; }
svg text.nodata { font-size: 13px; font-style: italic; fill: var(--muted); }
.note { font-size: 13px; color: var(--bad); margin: 6px 0 0; }

.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
caption { text-align: left; color: var(--muted); font-size: 13px; padding-bottom: 6px; }
th { text-align: left; font-size: 11.5px; letter-spacing: .05em; text-transform: uppercase; color: var(--muted); font-weight: 700;
  padding: 8px 10px; border-bottom: 2px solid var(--line); white-space: nowrap; }
td { padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
tbody tr:nth-child(even) td { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; overflow-wrap: normal; }
.id { font-size: 12px; color: var(--muted); }
.small { font-size: 12px; }
.url { font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
ul.plain { margin: 0; padding: 0; list-style: none; }
ul.plain li + li { margin-top: 4px; }
.sha { font-size: 12px; overflow-wrap: anywhere; }

.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; background: #f1f5f9; color: #334155; white-space: nowrap; }
.badge.good { background: #dcfce7; color: #166534; }
.badge.warn { background: #fef3c7; color: #92400e; }
.badge.bad { background: #fee2e2; color: #991b1b; }
.tlp { display: inline-block; padding: 1px 6px; border-radius: 3px; background: #000; font: 700 12px ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; white-space: nowrap; }
.tlp-red { color: #ff2b2b; } .tlp-amber { color: #ffc000; } .tlp-green { color: #33ff00; } .tlp-clear, .tlp-other { color: #fff; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 12px; }

footer { margin-top: 28px; padding: 16px 0 32px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12.5px; }

@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 9.5pt; }
  .wrap { max-width: none; padding: 0; }
  .masthead { background: none; color: #000; padding: 0 0 8px; border-bottom: 2px solid #000; }
  .eyebrow { color: #000; }
  .meta dt, .meta .muted { color: #444; }
  .redacted { background: none; color: #000; border: 1px solid #000; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  .card, figure.chart, tr, .redacted { break-inside: avoid; }
  .charts { grid-template-columns: 1fr 1fr; }
  .table-wrap { overflow: visible; }
  thead { display: table-header-group; }
  details::details-content { content-visibility: visible; display: block; }
  summary { color: #000; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
</style>
</head>
<body>
<header class="masthead">
<div class="wrap">
<p class="eyebrow">{{.Control}} · contact with special interest groups</p>
<h1>Evidence report{{with .Organisation}}: {{.}}{{end}}</h1>
<dl class="meta">
<div><dt>Organisation</dt><dd>{{or .Organisation "not named in the register"}}</dd></div>
<div><dt>Period</dt><dd>{{if .Period}}{{.Period}} <span class="muted">{{.PeriodInterval}}</span>{{else}}not set{{end}}</dd></div>
<div><dt>As of</dt><dd><time datetime="{{.AsOf.Machine}}">{{.AsOf.Human}}</time></dd></div>
<div><dt>Generator</dt><dd>{{.Generator}}</dd></div>
</dl>
{{- with .Redacted}}
<p class="redacted">Redacted export: content labelled TLP:{{.}} or higher is withheld; the SHA-256 of each original is kept.</p>
{{- end}}
</div>
</header>
<nav class="toc wrap" aria-label="Sections">
<a href="#summary">Summary</a>
<a href="#charts">KPI charts</a>
<a href="#register">Register</a>
<a href="#actions">Open actions</a>
<a href="#health">Register health</a>
{{- if .Files}}
<a href="#files">Pack files</a>
{{- end}}
</nav>
<main class="wrap">
<section id="summary">
<h2>Summary</h2>
{{- if .HasKPI}}
<div class="cards">
{{- range .Cards}}
<div class="card{{with .Tone}} tone-{{.}}{{end}}">
<p class="card-label">{{.Label}}</p>
<p class="card-value">{{.Value}}</p>
<p class="card-detail">{{.Detail}}</p>
<p class="card-id">{{.ID}}</p>
</div>
{{- end}}
</div>
<details class="defs">
<summary>KPI definitions and input hashes</summary>
<dl>
{{- range .Definitions}}
<dt>KPI {{.KPI}} {{.Name}} <code>{{.ID}}</code></dt>
<dd><p>{{.Text}}</p><p class="hash">Input hash <code>{{.InputHash}}</code></p></dd>
{{- end}}
</dl>
</details>
{{- else}}
<p class="notice">No KPI report was given: the headline figures and the KPI charts are not shown.</p>
<p>Open actions: {{.OpenCount}} ({{.Overdue}} overdue at as-of).</p>
{{- end}}
</section>
<section id="charts">
<h2>KPI charts</h2>
{{- if .HasKPI}}
<div class="charts">
{{- range .Charts}}
<figure class="chart" id="{{.ID}}">
<figcaption>{{.Title}}</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}">
<title id="{{.ID}}-title">{{.Title}}</title>
<desc id="{{.ID}}-desc">{{if .NoData}}{{.NoData}}{{else}}{{.Desc}}{{end}}</desc>
{{- range .Legend}}
<rect x="{{.X}}" y="{{.Y}}" width="12" height="12" rx="2" fill="{{.Fill}}"/><text x="{{.TextX}}" y="{{.TextY}}">{{.Label}}</text>
{{- end}}
{{- range .Lines}}
<line x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}" stroke="{{.Stroke}}"{{with .Dash}} stroke-dasharray="{{.}}" stroke-width="2"{{end}}/>
{{- end}}
{{- range .Rects}}
<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}" shape-rendering="crispEdges"><title>{{.Title}}</title></rect>
{{- end}}
{{- range .Texts}}
<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}"{{with .Class}} class="{{.}}"{{end}}>{{.Text}}</text>
{{- end}}
</svg>
{{- with .Note}}
<p class="note">{{.}}</p>
{{- end}}
<details>
<summary>Figures as a table</summary>
<div class="table-wrap"><table>
<thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table></div>
</details>
</figure>
{{- end}}
</div>
{{- else}}
<p class="notice">No KPI report was given, so there is nothing to chart.</p>
{{- end}}
</section>
<section id="register">
<h2>Register</h2>
<p class="lead">{{len .Groups}} groups, as in the register snapshot (E1), with the review state as of the as-of day (E2).</p>
{{- if .Groups}}
<div class="table-wrap"><table>
<thead><tr><th>Group</th><th>Kind</th><th>Owner</th><th>Backup</th><th>Membership</th><th>TLP</th><th>Channels</th><th>Review</th></tr></thead>
<tbody>
{{- range .Groups}}
<tr>
<td>{{if .Link}}<a href="{{.Link}}" rel="noopener noreferrer">{{or .Name .ID}}</a>{{else}}{{or .Name .ID}}{{end}}<br><span class="id">{{.ID}}</span>{{if and .URL (not .Link)}}<br><span class="url">{{.URL}}</span>{{end}}</td>
<td>{{.Kind}}</td>
<td>{{.Owner.Text}}{{with .Owner.Flag}} <span class="badge bad">{{.}}</span>{{end}}</td>
<td>{{.Backup.Text}}{{with .Backup.Flag}} <span class="badge {{if eq . "missing"}}warn{{else}}bad{{end}}">{{.}}</span>{{end}}</td>
<td><span class="badge{{with .MembershipTone}} {{.}}{{end}}">{{.MembershipStatus}}</span>{{with .MembershipDates}}<br><span class="muted small">{{.}}</span>{{end}}</td>
<td>{{if .TLP}}<span class="tlp tlp-{{.TLPClass}}">TLP:{{.TLP}}</span>{{else}}<span class="muted">none</span>{{end}}</td>
<td>{{if .Channels}}<ul class="plain">{{range .Channels}}<li>{{.Kind}}{{with .Source}} <span class="muted">via {{.}}</span>{{end}}{{with .URL}}<br><span class="url">{{.}}</span>{{end}}</li>{{end}}</ul>{{else}}<span class="muted">none</span>{{end}}</td>
<td class="nowrap"><span class="badge{{with .ReviewTone}} {{.}}{{end}}">{{.ReviewStatus}}</span><br>{{if .NextReviewDue}}next due {{.NextReviewDue}}{{else}}<span class="muted">no review recorded</span>{{end}}</td>
</tr>
{{- end}}
</tbody>
</table></div>
{{- else}}
<p class="notice">The register has no groups.</p>
{{- end}}
</section>
<section id="actions">
<h2>Open actions</h2>
<p class="lead">Open actionable cases (neither closed nor rejected): {{.OpenCount}}, of which {{.Overdue}} overdue at as-of. Earliest due first.</p>
{{- if .Actions}}
<div class="table-wrap"><table>
<thead><tr><th>Due</th><th>Case</th><th>Title</th><th>Owner</th><th>Priority</th><th>State</th><th>Status</th></tr></thead>
<tbody>
{{- range .Actions}}
<tr>
<td class="nowrap">{{if .Due.Machine}}<time datetime="{{.Due.Machine}}">{{.Due.Human}}</time>{{else}}<span class="muted">no due date</span>{{end}}</td>
<td class="nowrap mono">{{.ID}}</td>
<td>{{if .Link}}<a href="{{.Link}}" rel="noopener noreferrer">{{or .Title "(no title)"}}</a>{{else}}{{or .Title "(no title)"}}{{end}}</td>
<td>{{or .Owner "none"}}</td>
<td>{{or .Priority "none"}}</td>
<td>{{.State}}</td>
<td>{{if eq .Status "overdue"}}<span class="badge bad">{{.StatusText}}</span>{{else if eq .Status "excepted"}}<span class="badge warn">{{.StatusText}}</span>{{else if .Due.Machine}}<span class="badge good">on time</span>{{else}}<span class="muted">no due date</span>{{end}}</td>
</tr>
{{- end}}
</tbody>
</table></div>
{{- else}}
<p class="notice">No open actionable case.</p>
{{- end}}
</section>
<section id="health">
<h2>Register health findings</h2>
<p class="lead">register.Check as of the as-of instant (E8). Link checks need the network and are not part of this report.</p>
<p class="counts"><span class="badge">{{.Health.Summary.Total}} findings</span> <span class="badge bad">{{.Health.Summary.Error}} error</span> <span class="badge warn">{{.Health.Summary.Warning}} warning</span> <span class="badge">{{.Health.Summary.Info}} info</span></p>
{{- if .Health.Records}}
<div class="table-wrap"><table>
<thead><tr><th>Severity</th><th>Code</th><th>Group</th><th>Field</th><th>Person</th><th>Message</th></tr></thead>
<tbody>
{{- range .Health.Records}}
<tr>
<td><span class="badge{{if eq .Severity "error"}} bad{{else if eq .Severity "warning"}} warn{{end}}">{{.Severity}}</span></td>
<td class="mono nowrap">{{.Code}}</td>
<td>{{if .GroupName}}{{.GroupName}}<br><span class="id">{{.Group}}</span>{{else if .Group}}<span class="id">{{.Group}}</span>{{else}}<span class="muted">register</span>{{end}}</td>
<td class="mono">{{.Field}}</td>
<td>{{.Person}}</td>
<td>{{.Message}}</td>
</tr>
{{- end}}
</tbody>
</table></div>
{{- else}}
<p class="notice">No findings.</p>
{{- end}}
</section>
{{- if .Files}}
<section id="files">
<h2>Appendix: pack files</h2>
<p class="lead">The other files of this evidence pack with their SHA-256; <code>sha256sum -c SHA256SUMS</code> in the pack's folder checks them.</p>
<div class="table-wrap"><table>
<thead><tr><th>File</th><th>Artefact</th><th>Schema</th><th class="num">Bytes</th><th>SHA-256</th></tr></thead>
<tbody>
{{- range .Files}}
<tr><td class="nowrap mono">{{.Name}}</td><td>{{.Artefact}}</td><td class="mono">{{.Schema}}</td><td class="num">{{.Size}}</td><td class="sha">{{.SHA256}}</td></tr>
{{- end}}
</tbody>
</table></div>
</section>
{{- end}}
</main>
<footer class="wrap">
<p>Generated by {{.Generator}} for {{.Control}}. Schema {{.Schema}}. This page is self-contained: it loads nothing and runs no script.</p>
</footer>
</body>
</html>
`
