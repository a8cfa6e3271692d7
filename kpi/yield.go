package kpi

import (
	"time"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/register"
)

// ChannelYieldID identifies the definition ChannelYield implements.
const ChannelYieldID = "kpi.channel-yield/v2"

// ChannelYieldDefinition is the exact definition of KPI 8.
const ChannelYieldDefinition = "Per register group: the advisories whose first triage decision was made in the " +
	"365 days up to the as-of instant t, the window (t - 365 days, t] (as KPI 4's review window; a decision made at t counts), and was actionable, with the group's " +
	"actionable rate = actionable / all advisories first triaged in the window (n/a when none). Computed as KPI 2 " +
	"kpi.actionable-items/v1 over that window (the same first-decision, group-of-earliest-receipt and duplicate " +
	"rules); every register group gets a row, so a group that delivered nothing shows 0 of 0. The value is the " +
	"total actionable count over the window. It is the input for the keep / retire decision of an entry's review."

// YieldWindowDays is KPI 8's window: the 365 days up to t.
const YieldWindowDays = 365

// ChannelYieldResult is KPI 8. Value and Numerator count the actionable
// advisories first triaged in the window; Denominator counts all first
// triaged in it. Exclusions are KPI 2's over the window.
type ChannelYieldResult struct {
	Measure
	// Window holds t − 365 d (Start, excluded) and t (End, included): the
	// window is (Start, End], unlike a reporting Period. Version 1 of the
	// definition used [t − 365 d, t), which left out a decision made at t.
	Window Period `json:"window"`
	// Rate is Numerator ÷ Denominator × 100; nil (n/a) when nothing was triaged.
	Rate *float64 `json:"actionable_rate"`
	// ByGroup is KPI 2's per-group rows over the window: one per register
	// group and per other group a receipt names, sorted by group ID.
	ByGroup []GroupActionable `json:"by_group"`
}

// ChannelYield computes KPI 8 at the instant asOf: [ActionableItems] over
// the window (asOf − 365 d, asOf]. A nil register is an empty one.
func ChannelYield(reg *register.Register, cases []intake.Case, asOf time.Time) ChannelYieldResult {
	asOf = asOf.UTC()
	w := Period{Start: asOf.Add(-YieldWindowDays * 24 * time.Hour), End: asOf}
	// (Start, End] as KPI 2's half-open [Start, End): one nanosecond on,
	// the finest a time.Time records.
	ai := ActionableItems(reg, cases, Period{Start: w.Start.Add(1), End: w.End.Add(1)}, asOf)
	res := ChannelYieldResult{
		Measure: Measure{KPI: 8, ID: ChannelYieldID, Name: "Channel yield", Definition: ChannelYieldDefinition,
			AsOf: asOf, Unit: UnitCount, Value: ai.Value, Numerator: ai.Numerator, Denominator: ai.Denominator,
			Excluded: ai.Excluded, Exclusions: ai.Exclusions},
		Window: w, Rate: ai.Rate, ByGroup: ai.ByGroup,
	}
	res.InputHash = hashInputs(struct {
		Definition string    `json:"definition"`
		AsOf       time.Time `json:"as_of"`
		Window     Period    `json:"window"`
		Actionable string    `json:"actionable_items_input"`
	}{ChannelYieldID, asOf, w, ai.InputHash})
	return res
}
