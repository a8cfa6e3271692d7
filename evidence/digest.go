package evidence

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

// DigestSchema identifies the per-group "what we learned" digest in its
// JSON and Markdown forms (digest.json, digest.md): for each register group,
// what arrived through it in the period, what of that was actionable and
// what became of it, the engagements with the group, and its last review.
// It answers the auditor's spot check "what did you learn from this group
// recently?".
const DigestSchema = "sigwatch.evidence.digest/v1"

// Stable codes of the digest's findings (GroupDigest.Findings).
const (
	// DigestNothingReceived: no advisory arrived through the group in the
	// period. A finding in its own right: the channel may be dead or
	// irrelevant.
	DigestNothingReceived = "nothing-received"
	// DigestNoEngagement: no engagement with the group is recorded in the
	// period.
	DigestNoEngagement = "no-engagement"
	// DigestNeverReviewed: the entry has no review dated on or before the
	// as-of day.
	DigestNeverReviewed = "never-reviewed"
)

// Digest is the JSON form of the digest.
type Digest struct {
	Schema string `json:"schema"`
	// AsOf is the instant the digest describes (RFC 3339, UTC).
	AsOf string `json:"as_of"`
	// Period is the period's label ("2026-Q4", or the interval) and
	// PeriodStart, PeriodEnd its bounds [start, end) (RFC 3339, UTC).
	Period      string `json:"period"`
	PeriodStart string `json:"period_start"`
	PeriodEnd   string `json:"period_end"`
	// Redact is the lowest TLP label whose engagement notes were redacted
	// ("AMBER"), or "" when nothing was.
	Redact  string        `json:"redact"`
	Records []GroupDigest `json:"records"`
}

// GroupDigest is what the organisation learned from one register group.
type GroupDigest struct {
	GroupID   string `json:"group_id"`
	GroupName string `json:"group_name"`
	Kind      string `json:"kind"`
	// MembershipStatus is the register's membership status ("active").
	MembershipStatus string `json:"membership_status"`
	Owner            string `json:"owner"`

	// Received are the advisories (cases) with a receipt through the group
	// in the period, no later than the as-of instant, by receipt time.
	Received []DigestAdvisory `json:"received"`
	// FirstReceived counts those of Received that arrived through this
	// group before any other channel: the ones KPI 2 attributes to it.
	FirstReceived int `json:"first_received"`
	// Triaged and Actionable are KPI 2 (kpi.ActionableItems) for the group
	// over the period: advisories attributed to the group (its earliest
	// receipt came through it) whose first triage decision was made in the
	// period, and of those, the ones first triaged actionable.
	Triaged    int `json:"triaged"`
	Actionable int `json:"actionable"`
	// ActionableItems are the Actionable advisories and what became of
	// them, by case ID.
	ActionableItems []DigestAction `json:"actionable_items"`
	// Engagements are the engagements dated in the period (by UTC day) and
	// no later than the as-of day, notes redacted as the engagement log
	// (E7) redacts them.
	Engagements []EngagementRecord `json:"engagements"`
	// LastEngagement is the latest engagement dated on or before the as-of
	// day, in or before the period (YYYY-MM-DD; "" when none).
	LastEngagement string `json:"last_engagement"`
	// LastReview, LastReviewBy and LastReviewOutcome are the latest review
	// dated on or before the as-of day ("" when never reviewed).
	LastReview        string `json:"last_review"`
	LastReviewBy      string `json:"last_review_by"`
	LastReviewOutcome string `json:"last_review_outcome"`
	// Findings are the codes DigestNothingReceived, DigestNoEngagement and
	// DigestNeverReviewed that apply, in that order.
	Findings []string `json:"findings"`
}

// DigestAdvisory is one advisory received through a group.
type DigestAdvisory struct {
	CaseID string `json:"case_id"`
	Title  string `json:"title"`
	// ReceivedAt is the earliest receipt through the group in the period.
	ReceivedAt string `json:"received_at"`
	// FirstChannel is true when the case's earliest receipt of all came
	// through this group.
	FirstChannel bool `json:"first_channel"`
	// Decision and State are the case's current ones.
	Decision string `json:"decision"`
	State    string `json:"state"`
}

// DigestAction is one actionable advisory of a group and what became of it.
type DigestAction struct {
	CaseID   string `json:"case_id"`
	Title    string `json:"title"`
	Decision string `json:"decision"`
	Owner    string `json:"owner"`
	State    string `json:"state"`
	// ActionRef is the latest external reference recorded when actioned.
	ActionRef string `json:"action_ref"`
	// ClosedAt is when the case was closed or rejected ("" while open).
	ClosedAt string `json:"closed_at"`
}

// DigestRecords returns the digest of every group of reg, sorted by group
// ID (stable for duplicate IDs), groups with nothing to show included:
// that nothing arrived is what an auditor needs to see.
//
// A case belongs to a group through its receipts: intake stamps each
// receipt with the group whose channel its source is
// (register.Register.GroupForSource), or with the group of a manual
// receipt. Received lists every case with a receipt through the group in
// the period and no later than asOf. Triaged and Actionable are KPI 2's
// figures for the group, computed by calling kpi.ActionableItems, so they
// are the figures of the pack's KPI report: an advisory belongs to the group
// of its earliest receipt, and counts when its first triage decision falls
// in the period. ActionableItems lists the cases KPI 2 counted as
// actionable for the group (for each, the case with that ID whose earliest
// receipt is earliest, as KPI 2 picks its representative).
//
// Engagement notes pass through [EngagementRecords] with redact, exactly as
// in the engagement log (E7). An unknown redact level, a zero or inverted
// period are errors. A nil register has no groups.
func DigestRecords(reg *register.Register, cases []intake.Case, period kpi.Period, asOf time.Time, redact string) ([]GroupDigest, error) {
	if period.IsZero() || !period.End.After(period.Start) {
		return nil, fmt.Errorf("evidence: digest: period %q is empty: give a period whose end is after its start", period.Interval())
	}
	if _, _, err := redactRank(redact); err != nil {
		return nil, err
	}
	out := []GroupDigest{}
	if reg == nil {
		return out, nil
	}
	asOf = asOf.UTC()
	period = kpi.Period{Start: period.Start.UTC(), End: period.End.UTC()}
	today := register.DateOf(asOf)

	ai := kpi.ActionableItems(reg, cases, period, asOf)
	rows := map[string]kpi.GroupActionable{}
	for _, r := range ai.ByGroup {
		rows[r.Group] = r
	}
	// The group KPI 2 counted each actionable advisory under: that of the
	// earliest receipt of the case carrying its ID.
	actionsByGroup := map[string][]DigestAction{}
	for _, id := range ai.Actionable {
		c := digestRepresentative(cases, id)
		if c == nil {
			continue
		}
		group := ""
		if r, ok := c.FirstReceipt(); ok {
			group = r.Group
		}
		actionsByGroup[group] = append(actionsByGroup[group], DigestAction{CaseID: c.ID, Title: c.Advisory.Title,
			Decision: string(c.Decision), Owner: c.Owner, State: string(c.State), ActionRef: c.ActionRef,
			ClosedAt: timeString(c.ClosedAt)})
	}

	for _, g := range sortedGroups(reg) {
		d := GroupDigest{GroupID: g.ID, GroupName: g.Name, Kind: string(g.Kind),
			MembershipStatus: string(g.Membership.Status), Owner: g.Owner,
			Received: []DigestAdvisory{}, ActionableItems: []DigestAction{}, Engagements: []EngagementRecord{},
			Findings: []string{}}

		for i := range cases {
			c := &cases[i]
			var at time.Time
			for _, r := range c.Receipts {
				t := r.ReceivedAt.UTC()
				if r.Group == g.ID && g.ID != "" && period.Contains(t) && !t.After(asOf) && (at.IsZero() || t.Before(at)) {
					at = t
				}
			}
			if at.IsZero() {
				continue
			}
			first := c.Receipts[0].Group == g.ID
			if first {
				d.FirstReceived++
			}
			d.Received = append(d.Received, DigestAdvisory{CaseID: c.ID, Title: c.Advisory.Title, ReceivedAt: timeString(at),
				FirstChannel: first, Decision: string(c.Decision), State: string(c.State)})
		}
		slices.SortStableFunc(d.Received, func(a, b DigestAdvisory) int {
			return cmp.Or(strings.Compare(a.ReceivedAt, b.ReceivedAt), strings.Compare(a.CaseID, b.CaseID))
		})

		if r, ok := rows[g.ID]; ok {
			d.Triaged, d.Actionable = r.Triaged, r.Actionable
		}
		if acts := actionsByGroup[g.ID]; len(acts) > 0 {
			d.ActionableItems = slices.Clone(acts)
			slices.SortStableFunc(d.ActionableItems, func(a, b DigestAction) int { return strings.Compare(a.CaseID, b.CaseID) })
		}

		// The engagement log's own redaction, on a register holding only
		// this entry, so that entries sharing an ID stay apart.
		recs, err := EngagementRecords(&register.Register{Organisation: reg.Organisation, People: reg.People,
			Groups: []register.Group{*g}}, redact)
		if err != nil {
			return nil, err
		}
		for _, e := range recs {
			day, err := register.ParseDate(e.Date)
			if err != nil || day.After(today) {
				continue // no date, or dated after the as-of day
			}
			d.LastEngagement = max(d.LastEngagement, e.Date)
			if period.Contains(day.Time()) {
				d.Engagements = append(d.Engagements, e)
			}
		}

		past := register.Review{Records: slices.DeleteFunc(slices.Clone(g.Review.Records),
			func(r register.ReviewRecord) bool { return r.Date.IsZero() || r.Date.After(today) })}
		if last, ok := past.Last(); ok {
			d.LastReview, d.LastReviewBy, d.LastReviewOutcome = last.Date.String(), last.By, string(last.Outcome)
		}

		if len(d.Received) == 0 {
			d.Findings = append(d.Findings, DigestNothingReceived)
		}
		if len(d.Engagements) == 0 {
			d.Findings = append(d.Findings, DigestNoEngagement)
		}
		if d.LastReview == "" {
			d.Findings = append(d.Findings, DigestNeverReviewed)
		}
		out = append(out, d)
	}
	return out, nil
}

// digestRepresentative returns the case with the given ID whose earliest
// receipt is earliest (cases without receipts last, then input order), or
// nil when none has the ID.
func digestRepresentative(cases []intake.Case, id string) *intake.Case {
	var best *intake.Case
	for i := range cases {
		c := &cases[i]
		if c.ID != id {
			continue
		}
		if best == nil {
			best = c
			continue
		}
		bt, ct := best.ReceivedAt(), c.ReceivedAt()
		if !ct.IsZero() && (bt.IsZero() || ct.Before(bt)) {
			best = c
		}
	}
	return best
}

// WriteDigestJSON writes the digest as JSON: a [Digest] document whose
// records are [DigestRecords].
func WriteDigestJSON(w io.Writer, reg *register.Register, cases []intake.Case, period kpi.Period, asOf time.Time, redact string) error {
	recs, err := DigestRecords(reg, cases, period, asOf, redact)
	if err != nil {
		return err
	}
	t, _, _ := redactRank(redact) // checked by DigestRecords
	return writeJSON(w, "digest", Digest{Schema: DigestSchema, AsOf: timeString(asOf), Period: period.String(),
		PeriodStart: timeString(period.Start), PeriodEnd: timeString(period.End), Redact: string(t), Records: recs})
}

// WriteDigestMarkdown writes the digest for people: a title with the period
// and as-of instant, then one section per group (by ID) with a summary
// table (kind, membership, owner, received, KPI 2 actionable, last
// engagement, last review), the findings in words, and tables of the
// advisories received, the actionable ones and what became of them, and
// the engagements in the period. Every cell and heading goes through
// [MarkdownCell], so advisory titles and register text stay inert.
func WriteDigestMarkdown(w io.Writer, reg *register.Register, cases []intake.Case, period kpi.Period, asOf time.Time, redact string) error {
	recs, err := DigestRecords(reg, cases, period, asOf, redact)
	if err != nil {
		return err
	}
	md := newMarkdown(w)
	line, row := md.line, md.row
	table := func(header ...string) {
		row(header...)
		line("|", strings.Repeat("---|", len(header)))
	}
	line("# What we learned from each group")
	line()
	line("Control: ", Control, " (contact with special interest groups)  ")
	if label := period.String(); strings.Contains(label, "/") {
		line("Period: ", MarkdownCell(period.Interval()), "  ")
	} else {
		line("Period: ", MarkdownCell(label), " ", MarkdownCell(period.Interval()), "  ")
	}
	line("As of: ", timeString(asOf), "  ")
	if t, _, _ := redactRank(redact); t != "" {
		line("Engagement notes labelled TLP:", string(t), " or above are redacted.  ")
	}
	line("Schema: ", DigestSchema, "  ")
	line("Groups: ", strconv.Itoa(len(recs)))
	if len(recs) == 0 {
		line()
		line("The register has no groups.")
	}
	for _, d := range recs {
		line()
		line("## ", MarkdownCell(orDash(d.GroupName, d.GroupID)), " (", MarkdownCell(d.GroupID), ")")
		line()
		table("Item", "Value")
		row("Kind", d.Kind)
		row("Membership", orDash(d.MembershipStatus, "not recorded"))
		row("Owner", orDash(d.Owner, "none"))
		row("Advisories received in the period", fmt.Sprintf("%d (%d first through this group)", len(d.Received), d.FirstReceived))
		row("Actionable (KPI 2: first triaged in the period)", fmt.Sprintf("%d of %d", d.Actionable, d.Triaged))
		row("Engagements in the period", strconv.Itoa(len(d.Engagements)))
		row("Last engagement", orDash(d.LastEngagement, "none recorded"))
		review := "never reviewed"
		if d.LastReview != "" {
			review = d.LastReview + ", " + orDash(d.LastReviewOutcome, "no outcome") + ", by " + orDash(d.LastReviewBy, "unknown")
		}
		row("Last review", review)
		if len(d.Findings) > 0 {
			line()
			for _, f := range d.Findings {
				line("- Finding: ", digestFindingText(f))
			}
		}
		if len(d.Received) > 0 {
			line()
			line("### Advisories received")
			line()
			table("Case", "Title", "Received", "First channel", "Decision", "State")
			for _, a := range d.Received {
				row(a.CaseID, a.Title, a.ReceivedAt, yesNo(a.FirstChannel), orDash(a.Decision, "not triaged"), a.State)
			}
		}
		if len(d.ActionableItems) > 0 {
			line()
			line("### Actionable, and what became of it")
			line()
			table("Case", "Title", "Decision", "Owner", "State", "Action ref", "Closed at")
			for _, a := range d.ActionableItems {
				row(a.CaseID, a.Title, a.Decision, orDash(a.Owner, "none"), a.State, orDash(a.ActionRef, "-"), orDash(a.ClosedAt, "open"))
			}
		}
		if len(d.Engagements) > 0 {
			line()
			line("### Engagements in the period")
			line()
			table("Date", "Kind", "Who", "TLP", "Notes")
			for _, e := range d.Engagements {
				who := make([]string, len(e.Who))
				for i, id := range e.Who {
					who[i] = id
					if n := e.WhoNames[i]; n != "" {
						who[i] = n + " (" + id + ")"
					}
				}
				row(e.Date, e.Kind, strings.Join(who, ", "), orDash(e.TLP, "-"), orDash(e.Notes, "-"))
			}
		}
	}
	return md.close("digest")
}

func digestFindingText(code string) string {
	switch code {
	case DigestNothingReceived:
		return "nothing was received through this group in the period."
	case DigestNoEngagement:
		return "no engagement with this group is recorded in the period."
	case DigestNeverReviewed:
		return "this entry has never been reviewed."
	}
	return code
}
