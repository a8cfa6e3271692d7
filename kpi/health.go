package kpi

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/register"
)

// RegisterHealthID identifies the definition RegisterHealth implements.
const RegisterHealthID = "kpi.register-health/v1"

// RegisterHealthDefinition is the exact definition of KPI 6.
const RegisterHealthDefinition = "Percentage of the register entries active at the as-of instant t (as KPI 1 " +
	"kpi.active-memberships/v1 counts them) that pass all four criteria: (1) links: every URL of the entry (its " +
	"home page and each channel URL) has a link check at or before t, no older than 7 days (t - checked_at <= 7 " +
	"days; exactly 7 days passes), whose status is ok; an entry with no URL fails, and without link results the " +
	"criterion is unknown and fails; (2) owners: the primary owner is active (KPI 1) and the backup is set, known " +
	"in the register, active and not the owner; (3) review: the register's review check at t's day reports the " +
	"entry neither never reviewed nor overdue (due = last review date + the entry's review cadence, default 12 " +
	"months); (4) interaction: at least one receipt of an advisory naming the entry as its group, or one " +
	"engagement, in [t - 90 days, t] (receipts by instant, engagements by UTC day; exactly 90 days ago counts). " +
	"Entries failing only the interaction criterion are reported as dormant. Denominator: the entries active at " +
	"t; n/a when there are none."

// Register health windows.
const (
	// HealthLinkMaxAge is the oldest a link check may be for KPI 6: 7 days.
	HealthLinkMaxAge = 7 * 24 * time.Hour
	// InteractionWindowDays is KPI 6's interaction window: 90 days.
	InteractionWindowDays = 90
)

// KPI 6 criteria (HealthFailure.Criterion).
const (
	CriterionLinks       = "links"
	CriterionOwners      = "owners"
	CriterionReview      = "review"
	CriterionInteraction = "interaction"
)

// Reasons an active entry fails a KPI 6 criterion (HealthFailure.Reason).
const (
	ReasonLinksUnknown   = "link-check-unknown" // no link results were given at all
	ReasonNoURL          = "no-url"             // the entry has neither a home page nor a channel URL
	ReasonLinkNotChecked = "link-not-checked"   // a URL has no check at or before t
	ReasonLinkStale      = "link-check-stale"   // the latest check of a URL is older than 7 days
	ReasonLinkFailed     = "link-not-ok"        // the latest check of a URL did not answer ok
	ReasonBackupMissing  = "backup-missing"     // no backup owner set
	ReasonBackupUnknown  = "backup-unknown"     // backup not among the register's people
	ReasonBackupInactive = "backup-inactive"    // backup has left
	ReasonBackupIsOwner  = "backup-is-owner"    // backup is the primary owner
	ReasonReviewNever    = "review-never"       // register check: never reviewed
	ReasonReviewOverdue  = "review-overdue"     // register check: review overdue
	ReasonNoInteraction  = "no-interaction"     // no receipt or engagement in the last 90 days
)

// RegisterHealthResult is KPI 6. Value is Numerator (healthy entries) ÷
// Denominator (entries active at t) × 100; the exclusions are KPI 1's.
type RegisterHealthResult struct {
	Measure
	// LinksGiven is false when no link results were given: the link
	// criterion is then unknown and no entry can pass.
	LinksGiven bool `json:"links_given"`
	// Healthy are the entries passing every criterion, sorted.
	Healthy []string `json:"healthy"`
	// Dormant are the entries failing only the interaction criterion, sorted.
	Dormant []string `json:"dormant"`
	// Entries has one row per active entry, sorted by group.
	Entries []EntryHealth `json:"entries"`
}

// EntryHealth is KPI 6 for one active entry.
type EntryHealth struct {
	Group   string        `json:"group"`
	Kind    register.Kind `json:"kind"`
	Healthy bool          `json:"healthy"`
	Dormant bool          `json:"dormant"`
	// LastInteraction is the latest receipt or engagement at or before t
	// (an engagement at the start of its UTC day); zero when none.
	LastInteraction time.Time `json:"last_interaction,omitzero"`
	// Failures are the failed criteria, sorted by criterion, reason and detail.
	Failures []HealthFailure `json:"failures"`
}

// HealthFailure is one failed KPI 6 criterion of an entry.
type HealthFailure struct {
	// Criterion is CriterionLinks, CriterionOwners, CriterionReview or CriterionInteraction.
	Criterion string `json:"criterion"`
	// Reason is a stable code such as ReasonLinkStale.
	Reason string `json:"reason"`
	// Detail says which URL, person or date, for people.
	Detail string `json:"detail"`
}

// RegisterHealth computes KPI 6 at the instant asOf. A nil register is an
// empty one. links are the results of [register.CheckLinks], from as many
// runs as are kept (the latest check of each URL at or before asOf
// counts); nil means none were given, so the link criterion is unknown
// and no entry can pass. cases supply the receipts (Receipt.Group names
// the entry); the register supplies engagements.
//
// The denominator is exactly the Active list of [ActiveMemberships] at
// asOf. The review criterion is judged by [register.Check] on the entry
// alone with the clock at asOf: an entry with a review-never or
// review-overdue finding fails.
func RegisterHealth(reg *register.Register, cases []intake.Case, links []register.LinkResult, asOf time.Time) RegisterHealthResult {
	if reg == nil {
		reg = &register.Register{}
	}
	asOf = asOf.UTC()
	active := ActiveMemberships(reg, asOf)
	res := RegisterHealthResult{
		Measure: Measure{KPI: 6, ID: RegisterHealthID, Name: "Register health score",
			Definition: RegisterHealthDefinition, AsOf: asOf, Unit: UnitPercent,
			Excluded: active.Excluded, Exclusions: active.Exclusions},
		LinksGiven: links != nil, Healthy: []string{}, Dormant: []string{}, Entries: []EntryHealth{},
	}
	byID := map[string]*register.Group{}
	for i := range reg.Groups {
		if _, ok := byID[reg.Groups[i].ID]; !ok {
			byID[reg.Groups[i].ID] = &reg.Groups[i]
		}
	}
	// Latest check per (group, field) at or before t.
	type linkKey struct{ group, field string }
	latest := map[linkKey]register.LinkResult{}
	for _, l := range links {
		if l.CheckedAt.After(asOf) {
			continue
		}
		k := linkKey{l.Group, l.Field}
		if prev, ok := latest[k]; !ok || prev.CheckedAt.Before(l.CheckedAt) {
			latest[k] = l
		}
	}
	// Latest receipt per group at or before t.
	lastReceipt := map[string]time.Time{}
	for i := range cases {
		for _, r := range cases[i].Receipts {
			at := r.ReceivedAt.UTC()
			if r.Group == "" || at.After(asOf) {
				continue
			}
			if at.After(lastReceipt[r.Group]) {
				lastReceipt[r.Group] = at
			}
		}
	}
	today := register.DateOf(asOf)
	windowStart := asOf.Add(-InteractionWindowDays * 24 * time.Hour)
	firstDay := register.DateOf(today.Time().AddDate(0, 0, -InteractionWindowDays))

	hashed := make([]healthInput, 0, len(active.Active))
	for _, id := range active.Active {
		g := byID[id]
		e := EntryHealth{Group: id, Kind: g.Kind, Failures: []HealthFailure{}}
		fail := func(criterion, reason, detail string) {
			e.Failures = append(e.Failures, HealthFailure{Criterion: criterion, Reason: reason, Detail: detail})
		}
		in := healthInput{Group: id, Owner: g.Owner, Backup: g.Backup, Every: g.Review.Every.String(),
			LastReceipt: lastReceipt[id]}

		// (1) Links.
		targets := healthLinkTargets(g)
		switch {
		case len(targets) == 0:
			fail(CriterionLinks, ReasonNoURL, "no home page or channel URL to check")
		case links == nil:
			fail(CriterionLinks, ReasonLinksUnknown, "no link check results were given")
		default:
			for _, field := range targets {
				l, ok := latest[linkKey{id, field}]
				if !ok {
					fail(CriterionLinks, ReasonLinkNotChecked, field+": no check at or before as-of")
					continue
				}
				in.Links = append(in.Links, field+" "+string(l.Status)+" "+l.CheckedAt.UTC().Format(time.RFC3339Nano))
				age := asOf.Sub(l.CheckedAt)
				switch {
				case l.Status != register.LinkOK:
					fail(CriterionLinks, ReasonLinkFailed, fmt.Sprintf("%s: %s on %s", field, l.Status,
						l.CheckedAt.UTC().Format(time.RFC3339)))
				case age > HealthLinkMaxAge:
					fail(CriterionLinks, ReasonLinkStale, fmt.Sprintf("%s: last checked %s, %s before as-of",
						field, l.CheckedAt.UTC().Format(time.RFC3339), formatDuration(age)))
				}
			}
		}
		in.Targets = targets

		// (2) Owners: the primary owner is active (KPI 1 counted the entry).
		backup, known := reg.Person(g.Backup)
		switch {
		case strings.TrimSpace(g.Backup) == "":
			fail(CriterionOwners, ReasonBackupMissing, "no backup owner")
		case g.Backup == g.Owner:
			fail(CriterionOwners, ReasonBackupIsOwner, "backup "+g.Backup+" is the primary owner")
		case !known:
			fail(CriterionOwners, ReasonBackupUnknown, "backup "+g.Backup+" is not in the register's people")
		case !backup.IsActive():
			fail(CriterionOwners, ReasonBackupInactive, "backup "+g.Backup+" is not active")
		}
		if known {
			in.BackupKnown, in.BackupActive = true, backup.IsActive()
		}

		// (3) Review, as the register's check judges it at t's day.
		one := &register.Register{People: reg.People, Groups: []register.Group{*g}}
		for _, f := range register.Check(one, &register.CheckOptions{Now: func() time.Time { return asOf }}) {
			switch f.Code {
			case register.CodeReviewNever:
				fail(CriterionReview, ReasonReviewNever, f.Message)
			case register.CodeReviewOverdue:
				fail(CriterionReview, ReasonReviewOverdue, f.Message)
			}
		}
		for _, r := range g.Review.Records {
			in.Reviews = append(in.Reviews, r.Date.String()+" "+string(r.Outcome))
		}
		slices.Sort(in.Reviews)

		// (4) Interaction in [t - 90 d, t].
		last := lastReceipt[id]
		for _, en := range g.Engagements {
			in.Engagements = append(in.Engagements, en.Date.String())
			if en.Date.IsZero() || en.Date.After(today) {
				continue
			}
			if at := en.Date.Time(); at.After(last) {
				last = at
			}
		}
		slices.Sort(in.Engagements)
		e.LastInteraction = last
		interacted := !lastReceipt[id].IsZero() && !lastReceipt[id].Before(windowStart)
		for _, en := range g.Engagements {
			if !en.Date.IsZero() && !en.Date.Before(firstDay) && !en.Date.After(today) {
				interacted = true
			}
		}
		if !interacted {
			detail := "nothing received or engaged since " + windowStart.Format(time.RFC3339)
			if !last.IsZero() {
				detail += "; last " + last.Format(time.RFC3339)
			}
			fail(CriterionInteraction, ReasonNoInteraction, detail)
		}

		slices.SortFunc(e.Failures, func(a, b HealthFailure) int {
			return strings.Compare(a.Criterion+"\x00"+a.Reason+"\x00"+a.Detail, b.Criterion+"\x00"+b.Reason+"\x00"+b.Detail)
		})
		e.Healthy = len(e.Failures) == 0
		e.Dormant = len(e.Failures) > 0 && !slices.ContainsFunc(e.Failures, func(f HealthFailure) bool {
			return f.Criterion != CriterionInteraction
		})
		if e.Healthy {
			res.Healthy = append(res.Healthy, id)
		}
		if e.Dormant {
			res.Dormant = append(res.Dormant, id)
		}
		res.Entries = append(res.Entries, e)
		hashed = append(hashed, in)
	}
	res.Numerator, res.Denominator = len(res.Healthy), len(active.Active)
	res.Value = percent(res.Numerator, res.Denominator)
	res.InputHash = hashInputs(struct {
		Definition string        `json:"definition"`
		AsOf       time.Time     `json:"as_of"`
		Active     string        `json:"active_memberships_input"`
		LinksGiven bool          `json:"links_given"`
		Groups     []healthInput `json:"groups"`
	}{RegisterHealthID, asOf, active.InputHash, links != nil, hashed})
	return res
}

// healthLinkTargets are the fields of g's URLs as register.CheckLinks
// names them: "url" for the home page, "channels[N].url" for channel N.
func healthLinkTargets(g *register.Group) []string {
	var out []string
	if strings.TrimSpace(g.URL) != "" {
		out = append(out, "url")
	}
	for i, c := range g.Channels {
		if strings.TrimSpace(c.URL) != "" {
			out = append(out, "channels["+strconv.Itoa(i)+"].url")
		}
	}
	return out
}

// healthInput is the part of an active entry KPI 6 reads beyond KPI 1's inputs.
type healthInput struct {
	Group        string    `json:"group"`
	Owner        string    `json:"owner"`
	Backup       string    `json:"backup"`
	BackupKnown  bool      `json:"backup_known"`
	BackupActive bool      `json:"backup_active"`
	Targets      []string  `json:"link_targets"`
	Links        []string  `json:"links"`
	Every        string    `json:"review_every"`
	Reviews      []string  `json:"reviews"`
	Engagements  []string  `json:"engagements"`
	LastReceipt  time.Time `json:"last_receipt"`
}
