package kpi

import (
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/register"
)

// ReviewedMembershipsID identifies the definition ReviewedMemberships implements.
const ReviewedMembershipsID = "kpi.reviewed-memberships/v1"

// ReviewedMembershipsDefinition is the exact definition of KPI 4.
const ReviewedMembershipsDefinition = "Percentage of the register entries active at the as-of instant t (as KPI 1 " +
	"kpi.active-memberships/v1 counts them: orphaned entries are not active) that have a completed review R with " +
	"R.date in (t - 365 days, t], compared by UTC calendar day: a review exactly 365 days before t's day is out, " +
	"364 days is in. A completed review is a review record with a date and an outcome of keep, change or retire; " +
	"records dated after t's day are ignored and listed. An entry whose membership started inside the window " +
	"counts as reviewed only if its onboarding review is recorded: a completed review dated on or after its " +
	"start (since). Denominator: the entries active at t; n/a when there are none."

// ReviewWindowDays is the length of KPI 4's review window.
const ReviewWindowDays = 365

// Reasons an active entry does not count as reviewed (ReviewGap.Reason),
// and reasons a review record is ignored (IgnoredReview.Reason).
const (
	ReasonNeverReviewed     = "never-reviewed"            // no completed review at all by t
	ReasonReviewTooOld      = "review-older-than-window"  // latest completed review on or before t - 365 d
	ReasonOnboardingMissing = "onboarding-review-missing" // started inside the window, no review on or after its start
	ReasonReviewAfterAsOf   = "dated-after-as-of"         // a record dated after t's day
	ReasonReviewNoOutcome   = "no-outcome"                // a record without a keep/change/retire outcome
	ReasonReviewNoDate      = "no-date"                   // a record without a date
)

// ReviewedMembershipsResult is KPI 4. Value is Numerator (entries reviewed in
// the window) ÷ Denominator (entries active at t) × 100; the exclusions are
// KPI 1's, the entries not active at t.
type ReviewedMembershipsResult struct {
	Measure
	// WindowStart is the first day a review counts (t's day − 364 days);
	// WindowEnd is t's day. Both inclusive.
	WindowStart register.Date `json:"window_start"`
	WindowEnd   register.Date `json:"window_end"`
	// Reviewed are the active entries reviewed in the window, sorted.
	Reviewed []string `json:"reviewed"`
	// NotReviewed are the active entries that are not, with the reason and
	// their latest completed review (if any), sorted by group.
	NotReviewed []ReviewGap `json:"not_reviewed"`
	// Ignored are review records of active entries that were not taken as
	// completed reviews, sorted by group and date.
	Ignored []IgnoredReview `json:"ignored"`
}

// ReviewGap is an active entry without a review in the window.
type ReviewGap struct {
	Group string        `json:"group"`
	Kind  register.Kind `json:"kind"`
	Since register.Date `json:"since"`
	// LastReview is the latest completed review on or before t's day; zero if none.
	LastReview register.Date `json:"last_review"`
	Reason     string        `json:"reason"`
}

// IgnoredReview is a review record not counted as a completed review.
type IgnoredReview struct {
	Group  string        `json:"group"`
	Date   register.Date `json:"date"`
	Reason string        `json:"reason"`
}

// ReviewedMemberships computes KPI 4 at the instant asOf. A nil register is
// an empty one. The denominator is exactly the Active list of
// [ActiveMemberships] at asOf, and its exclusions are KPI 1's.
func ReviewedMemberships(reg *register.Register, asOf time.Time) ReviewedMembershipsResult {
	if reg == nil {
		reg = &register.Register{}
	}
	asOf = asOf.UTC()
	active := ActiveMemberships(reg, asOf)
	today := register.DateOf(asOf)
	// (t − 365 d, t] in days: the first day in it is t − 364 d.
	first := register.DateOf(today.Time().AddDate(0, 0, -(ReviewWindowDays - 1)))
	res := ReviewedMembershipsResult{
		Measure: Measure{KPI: 4, ID: ReviewedMembershipsID, Name: "Memberships reviewed in the last 12 months",
			Definition: ReviewedMembershipsDefinition, AsOf: asOf, Unit: UnitPercent,
			Excluded: active.Excluded, Exclusions: active.Exclusions},
		WindowStart: first, WindowEnd: today,
		Reviewed: []string{}, NotReviewed: []ReviewGap{}, Ignored: []IgnoredReview{},
	}
	// The first entry with an ID is the one KPI 1 judged.
	byID := map[string]*register.Group{}
	for i := range reg.Groups {
		if _, ok := byID[reg.Groups[i].ID]; !ok {
			byID[reg.Groups[i].ID] = &reg.Groups[i]
		}
	}
	hashed := make([]reviewInput, 0, len(active.Active))
	for _, id := range active.Active {
		g := byID[id]
		since := g.Membership.Since
		in := reviewInput{Group: id, Since: since.String()}
		var last register.Date
		reviewed := false
		for _, r := range g.Review.Records {
			in.Records = append(in.Records, r.Date.String()+" "+string(r.Outcome))
			switch {
			case r.Date.IsZero():
				res.Ignored = append(res.Ignored, IgnoredReview{Group: id, Reason: ReasonReviewNoDate})
				continue
			case r.Date.After(today):
				res.Ignored = append(res.Ignored, IgnoredReview{Group: id, Date: r.Date, Reason: ReasonReviewAfterAsOf})
				continue
			case r.Outcome != register.OutcomeKeep && r.Outcome != register.OutcomeChange && r.Outcome != register.OutcomeRetire:
				res.Ignored = append(res.Ignored, IgnoredReview{Group: id, Date: r.Date, Reason: ReasonReviewNoOutcome})
				continue
			}
			if last.IsZero() || last.Before(r.Date) {
				last = r.Date
			}
			if !r.Date.Before(first) && (since.IsZero() || !r.Date.Before(since)) {
				reviewed = true
			}
		}
		slices.Sort(in.Records)
		hashed = append(hashed, in)
		if reviewed {
			res.Reviewed = append(res.Reviewed, id)
			continue
		}
		gap := ReviewGap{Group: id, Kind: g.Kind, Since: since, LastReview: last}
		switch {
		case !since.IsZero() && !since.Before(first):
			// Started inside the window: no review on or after its start
			// (any review it has predates the membership).
			gap.Reason = ReasonOnboardingMissing
		case last.IsZero():
			gap.Reason = ReasonNeverReviewed
		default:
			gap.Reason = ReasonReviewTooOld
		}
		res.NotReviewed = append(res.NotReviewed, gap)
	}
	slices.SortStableFunc(res.Ignored, func(a, b IgnoredReview) int {
		if c := strings.Compare(a.Group, b.Group); c != 0 {
			return c
		}
		return a.Date.Time().Compare(b.Date.Time())
	})
	res.Numerator, res.Denominator = len(res.Reviewed), len(active.Active)
	res.Value = percent(res.Numerator, res.Denominator)
	res.InputHash = hashInputs(struct {
		Definition string        `json:"definition"`
		AsOf       time.Time     `json:"as_of"`
		Active     string        `json:"active_memberships_input"`
		Groups     []reviewInput `json:"groups"`
	}{ReviewedMembershipsID, asOf, active.InputHash, hashed})
	return res
}

// reviewInput is the part of an active entry KPI 4 reads beyond KPI 1's inputs.
type reviewInput struct {
	Group   string   `json:"group"`
	Since   string   `json:"since"`
	Records []string `json:"records"`
}
