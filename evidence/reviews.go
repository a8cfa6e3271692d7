package evidence

import (
	"cmp"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/register"
)

// ReviewsSchema identifies artefact E2, the review records — every review
// of every register entry with its decision (keep, change, retire), who
// made it and why, beside the entry's cadence and next review due — in its
// CSV and JSON forms (reviews.csv, reviews.json).
const ReviewsSchema = "sigwatch.evidence.reviews/v1"

// Review states of an entry (ReviewRecordRow.ReviewStatus), as of the
// pack's as-of day.
const (
	ReviewCurrent = "current"        // reviewed, next review not yet due
	ReviewOverdue = "overdue"        // the next review due date has passed
	ReviewNever   = "never-reviewed" // no review dated on or before the as-of day
	// ReviewNotLive marks an entry whose membership has ended or whose last
	// review retired it: register.Check asks it for no further review.
	ReviewNotLive = "not-live"
)

// Reviews is the JSON form of artefact E2.
type Reviews struct {
	Schema string `json:"schema"`
	// AsOf is the instant the review state is judged at (RFC 3339, UTC).
	AsOf    string            `json:"as_of"`
	Records []ReviewRecordRow `json:"records"`
}

// ReviewRecordRow is one review record of a register entry, with the
// entry's review state. An entry without any review record still has one
// row, with empty review fields, so that the gap shows. Dates are
// YYYY-MM-DD; "" means not recorded.
type ReviewRecordRow struct {
	GroupID   string `json:"group_id"`
	GroupName string `json:"group_name"`
	// ReviewEvery is the entry's cadence ("12mo"); the default 12mo when
	// none is set (or the one set is invalid), as register.Check uses it.
	ReviewEvery string `json:"review_every"`
	// LastReview is the latest review dated on or before the as-of day
	// (later ones are listed but, as in register.Check, not counted).
	LastReview string `json:"last_review"`
	// NextReviewDue is LastReview plus ReviewEvery; "" when never reviewed.
	NextReviewDue string `json:"next_review_due"`
	// ReviewStatus is ReviewCurrent, ReviewOverdue, ReviewNever or ReviewNotLive.
	ReviewStatus string `json:"review_status"`

	// Date, By, ByName, Outcome and Notes are the review record itself.
	Date    string `json:"date"`
	By      string `json:"by"`
	ByName  string `json:"by_name"`
	Outcome string `json:"outcome"`
	Notes   string `json:"notes"`
	// AfterAsOf marks a record dated after the as-of day.
	AfterAsOf bool `json:"after_as_of"`
}

// ReviewRecords returns artefact E2 for reg as of asOf (the UTC day of
// asOf is the day judged): entries sorted by group ID (stable for
// duplicate IDs), each entry's records by date (stable for equal dates).
// A nil register is empty.
func ReviewRecords(reg *register.Register, asOf time.Time) []ReviewRecordRow {
	if reg == nil {
		reg = &register.Register{}
	}
	today := register.DateOf(asOf)
	groups := sortedGroups(reg)
	out := []ReviewRecordRow{}
	for _, g := range groups {
		every := reviewEvery(g.Review.Every)
		base := ReviewRecordRow{GroupID: g.ID, GroupName: g.Name, ReviewEvery: every.String()}
		// The latest review dated on or before today, as register.Check
		// takes it; the due date is register.Date arithmetic.
		past := register.Review{Records: slices.DeleteFunc(slices.Clone(g.Review.Records),
			func(r register.ReviewRecord) bool { return r.Date.After(today) })}
		last, reviewed := past.Last()
		switch {
		case !g.Live():
			base.ReviewStatus = ReviewNotLive
		case !reviewed:
			base.ReviewStatus = ReviewNever
		default:
			base.ReviewStatus = ReviewCurrent
		}
		if reviewed {
			due := last.Date.AddPeriod(every)
			base.LastReview, base.NextReviewDue = last.Date.String(), due.String()
			if g.Live() && due.Before(today) {
				base.ReviewStatus = ReviewOverdue
			}
		}
		recs := slices.Clone(g.Review.Records)
		slices.SortStableFunc(recs, func(a, b register.ReviewRecord) int { return a.Date.Time().Compare(b.Date.Time()) })
		if len(recs) == 0 {
			out = append(out, base)
			continue
		}
		for _, r := range recs {
			row := base
			row.Date, row.By, row.Outcome, row.Notes = r.Date.String(), r.By, string(r.Outcome), r.Notes
			row.ByName, _ = person(reg, r.By)
			row.AfterAsOf = r.Date.After(today)
			out = append(out, row)
		}
	}
	return out
}

// reviewEvery is a group's review cadence as register.Check takes it: the
// default 12 months when unset, or when the period is one that register
// would not accept (negative or absurdly long parts; a register built in
// code is not validated).
func reviewEvery(p register.Period) register.Period {
	if p.IsZero() {
		return defaultReviewEvery
	}
	if _, err := p.MarshalText(); err != nil {
		return defaultReviewEvery
	}
	return p
}

// sortedGroups returns pointers to reg's groups sorted by ID, stable.
func sortedGroups(reg *register.Register) []*register.Group {
	gs := make([]*register.Group, len(reg.Groups))
	for i := range reg.Groups {
		gs[i] = &reg.Groups[i]
	}
	slices.SortStableFunc(gs, func(a, b *register.Group) int { return cmp.Compare(a.ID, b.ID) })
	return gs
}

var reviewColumns = []string{"group_id", "group_name", "review_every", "last_review", "next_review_due", "review_status",
	"date", "by", "by_name", "outcome", "notes", "after_as_of"}

// WriteReviewsCSV writes artefact E2 as CSV: a header row, then one row per
// review record (one row with empty review fields for an entry never
// reviewed), as ReviewRecords orders them. Cells are neutralised against
// formula injection (see SafeCSVCell).
func WriteReviewsCSV(w io.Writer, reg *register.Register, asOf time.Time) error {
	recs := ReviewRecords(reg, asOf)
	rows := make([][]string, len(recs))
	for i, r := range recs {
		rows[i] = []string{r.GroupID, r.GroupName, r.ReviewEvery, r.LastReview, r.NextReviewDue, r.ReviewStatus,
			r.Date, r.By, r.ByName, r.Outcome, r.Notes, boolString(r.AfterAsOf)}
	}
	return writeCSV(w, "review records", reviewColumns, rows)
}

// WriteReviewsJSON writes artefact E2 as JSON: a Reviews document.
func WriteReviewsJSON(w io.Writer, reg *register.Register, asOf time.Time) error {
	return writeJSON(w, "review records", Reviews{Schema: ReviewsSchema, AsOf: timeString(asOf), Records: ReviewRecords(reg, asOf)})
}

// joinIDs joins person IDs for one cell.
func joinIDs(ids []string) string { return strings.Join(ids, listSep) }
