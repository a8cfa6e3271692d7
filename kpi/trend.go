package kpi

import (
	"maps"
	"slices"
	"time"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/register"
)

// TrendMethod says how Compute builds the trend; it is stored in the report.
const TrendMethod = "The comparable KPIs (2 actionable items with its rate and per-group rows, 3 receipt-to-triage, " +
	"5 time to action) are computed again over the previous period with the same inputs, options and as-of " +
	"instant t, and each figure is reported as current, previous and change = current - previous (percentage " +
	"points for percentages, seconds for durations; null when either side is n/a). The previous period is the " +
	"previous calendar month, quarter or year when the period is one, otherwise the interval of the same " +
	"duration ending where the period starts. Both sides use t, so the previous period's figures include " +
	"triages and closures made after it ended but by t; when t falls inside the current period, the current " +
	"figures are partial."

// Trend compares the comparable KPIs with the previous period.
type Trend struct {
	// Previous is the previous period (see TrendMethod).
	Previous Period `json:"previous_period"`
	Method   string `json:"method"`
	// Metrics are the overall figures, in KPI order.
	Metrics []TrendMetric `json:"metrics"`
	// ByGroup compares KPI 2 per group: every group in either period's rows,
	// sorted by group.
	ByGroup []GroupTrend `json:"by_group"`
	// The previous period's results, for their definitions, exclusions and input hashes.
	PreviousActionableItems *ActionableItemsResult `json:"previous_actionable_items"`
	PreviousReceiptToTriage *ReceiptToTriageResult `json:"previous_receipt_to_triage"`
	PreviousTimeToAction    *TimeToActionResult    `json:"previous_time_to_action"`
}

// Units of a TrendMetric besides UnitCount and UnitPercent.
const UnitSeconds = "seconds"

// TrendMetric is one figure in both periods.
type TrendMetric struct {
	KPI int    `json:"kpi"`
	ID  string `json:"id"`
	// Metric names the figure: "actionable_items", "actionable_rate",
	// "within_sla_percent", "median_seconds", "p90_seconds", "max_seconds".
	Metric string `json:"metric"`
	// Unit is UnitCount, UnitPercent (change in percentage points) or UnitSeconds.
	Unit     string   `json:"unit"`
	Current  *float64 `json:"current"`
	Previous *float64 `json:"previous"`
	// Change is Current − Previous; nil when either is n/a.
	Change *float64 `json:"change"`
}

// GroupTrend is KPI 2 for one group in both periods.
type GroupTrend struct {
	Group              string        `json:"group"`
	Kind               register.Kind `json:"kind"`
	Actionable         int           `json:"actionable"`
	PreviousActionable int           `json:"previous_actionable"`
	Change             int           `json:"change"`
	Rate               *float64      `json:"actionable_rate"`
	PreviousRate       *float64      `json:"previous_actionable_rate"`
	// RateChange is in percentage points; nil when either rate is n/a.
	RateChange *float64 `json:"actionable_rate_change"`
}

// PreviousPeriod returns the period before p as TrendMethod defines it:
// the previous calendar month, quarter or year, otherwise [p.Start − (p.End
// − p.Start), p.Start). The zero Period gives the zero Period.
func PreviousPeriod(p Period) Period {
	if p.IsZero() {
		return Period{}
	}
	s, e := p.Start.UTC(), p.End.UTC()
	if s.Equal(time.Date(s.Year(), s.Month(), 1, 0, 0, 0, 0, time.UTC)) {
		for _, step := range [][2]int{{1, 0}, {0, 3}, {0, 1}} {
			if e.Equal(s.AddDate(step[0], step[1], 0)) && (step[1] != 3 || (s.Month()-1)%3 == 0) {
				return Period{Start: s.AddDate(-step[0], -step[1], 0), End: s}
			}
		}
	}
	return Period{Start: s.Add(-e.Sub(s)), End: s}
}

// computeTrend builds the trend of the current results against the previous period.
func computeTrend(reg *register.Register, cases []intake.Case, p Period, asOf time.Time, opts *Options,
	ai *ActionableItemsResult, rt *ReceiptToTriageResult, ta *TimeToActionResult) *Trend {
	prev := PreviousPeriod(p)
	pai := ActionableItems(reg, cases, prev, asOf)
	prt := ReceiptToTriage(cases, prev, asOf, opts.TriageSLA)
	pta := TimeToAction(cases, prev, asOf, opts.ActionSLA)
	tr := &Trend{Previous: prev, Method: TrendMethod, Metrics: []TrendMetric{}, ByGroup: []GroupTrend{},
		PreviousActionableItems: &pai, PreviousReceiptToTriage: &prt, PreviousTimeToAction: &pta}
	add := func(kpi int, id, metric, unit string, cur, old *float64) {
		m := TrendMetric{KPI: kpi, ID: id, Metric: metric, Unit: unit, Current: cur, Previous: old}
		if cur != nil && old != nil {
			v := *cur - *old
			m.Change = &v
		}
		tr.Metrics = append(tr.Metrics, m)
	}
	add(2, ai.ID, "actionable_items", UnitCount, ai.Value, pai.Value)
	add(2, ai.ID, "actionable_rate", UnitPercent, ai.Rate, pai.Rate)
	add(3, rt.ID, "within_sla_percent", UnitPercent, rt.Value, prt.Value)
	add(3, rt.ID, "median_seconds", UnitSeconds, seconds(rt.Median), seconds(prt.Median))
	add(3, rt.ID, "p90_seconds", UnitSeconds, seconds(rt.P90), seconds(prt.P90))
	add(3, rt.ID, "max_seconds", UnitSeconds, seconds(rt.Max), seconds(prt.Max))
	add(5, ta.ID, "within_sla_percent", UnitPercent, ta.Value, pta.Value)
	add(5, ta.ID, "median_seconds", UnitSeconds, seconds(ta.Median), seconds(pta.Median))
	add(5, ta.ID, "p90_seconds", UnitSeconds, seconds(ta.P90), seconds(pta.P90))
	add(5, ta.ID, "max_seconds", UnitSeconds, seconds(ta.Max), seconds(pta.Max))

	rows := map[string]*GroupTrend{}
	for _, g := range ai.ByGroup {
		rows[g.Group] = &GroupTrend{Group: g.Group, Kind: g.Kind, Actionable: g.Actionable, Rate: g.Rate}
	}
	for _, g := range pai.ByGroup {
		r, ok := rows[g.Group]
		if !ok {
			r = &GroupTrend{Group: g.Group, Kind: g.Kind}
			rows[g.Group] = r
		}
		r.PreviousActionable, r.PreviousRate = g.Actionable, g.Rate
	}
	for _, id := range slices.Sorted(maps.Keys(rows)) {
		r := rows[id]
		r.Change = r.Actionable - r.PreviousActionable
		if r.Rate != nil && r.PreviousRate != nil {
			v := *r.Rate - *r.PreviousRate
			r.RateChange = &v
		}
		tr.ByGroup = append(tr.ByGroup, *r)
	}
	return tr
}

func seconds(d *Duration) *float64 {
	if d == nil {
		return nil
	}
	v := d.Std().Seconds()
	return &v
}
