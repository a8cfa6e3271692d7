package kpi_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

func ExampleReceiptToTriage() {
	at := func(day, hour int) time.Time { return time.Date(2026, 10, day, hour, 0, 0, 0, time.UTC) }
	received := func(id string, day, hour int) intake.Case {
		return intake.Case{ID: id, Receipts: []intake.Receipt{{Source: "cisa-kev", ReceivedAt: at(day, hour)}}}
	}
	a := received("CVE-2026-0001", 1, 9)
	a.TriagedAt = at(1, 11) // Δ 2h
	b := received("CVE-2026-0002", 2, 9)
	b.TriagedAt = at(3, 9) // Δ 24h
	b.Advisory.Exploitation.KEV = &feeds.KEVListing{}
	c := received("CVE-2026-0003", 3, 9) // never triaged: backlog once 72h old

	res := kpi.ReceiptToTriage([]intake.Case{a, b, c}, kpi.Quarter(2026, 4), at(10, 0), nil)
	fmt.Println("n:", res.N, "median:", res.Median, "p90:", res.P90, "max:", res.Max)
	fmt.Println("within SLA:", res.ValueString(), res.Numerator, "of", res.Denominator)
	for _, item := range res.Backlog {
		fmt.Println("backlog:", item.Case, "age", item.Age, "SLA", item.SLA)
	}
	// Output:
	// n: 2 median: 2h p90: 1d max: 1d
	// within SLA: 100.0% 2 of 2
	// backlog: CVE-2026-0003 age 6d 15h SLA 3d
}

func ExampleReport_WriteText() {
	reg := &register.Register{
		People: []register.Person{{ID: "akhan", Name: "Aisha Khan"}},
		Groups: []register.Group{
			{ID: "cisa-kev", Kind: register.KindGovernmentCERT, Owner: "akhan",
				Membership: register.Membership{Status: register.MembershipActive, Since: register.NewDate(2024, 3, 1)},
				Review:     register.Review{Records: []register.ReviewRecord{{Date: register.NewDate(2026, 3, 1), By: "akhan", Outcome: register.OutcomeKeep}}}},
			{ID: "sector-isac", Kind: register.KindISAC, Owner: "left-the-company",
				Membership: register.Membership{Status: register.MembershipActive, Since: register.NewDate(2025, 1, 1)}},
		},
	}
	recv := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	triaged := recv.Add(30 * time.Minute)
	cases := []intake.Case{{ID: "CVE-2026-1234", TriagedAt: triaged, Decision: triage.DecisionActionable,
		State: intake.StateClosed, ClosedAt: recv.Add(72 * time.Hour),
		Receipts: []intake.Receipt{{Source: "cisa-kev", Group: "cisa-kev", ReceivedAt: recv}},
		Events: []intake.Event{{At: triaged, From: intake.StateReceived, To: intake.StateTriaged, Actor: "sigwatch",
			Note: "actionable by rule kev-internet (P1)"}}}}
	asOf := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	report := kpi.Compute(reg, cases, kpi.Quarter(2026, 4), asOf, &kpi.Options{Generator: "sigwatch example"})
	if err := report.WriteText(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// sigwatch KPI report (sigwatch.kpi.report/v1)
	//   As of:      2027-01-01T00:00:00Z
	//   Period:     2026-Q4 [2026-10-01T00:00:00Z, 2027-01-01T00:00:00Z)
	//   Generator:  sigwatch example
	//
	// KPI 1  Active memberships  [kpi.active-memberships/v1]
	//   Value:      1 active membership(s) of 2 register entries
	//   By kind:    government-cert 1
	//   Orphaned:   1 with an active membership but no active owner, not counted:
	//               - sector-isac (owner left-the-company: owner-unknown)
	//   Excluded:   1
	//               - owner-unknown: 1 (sector-isac)
	//   Definition:
	//     Count of register entries, overall and by kind, that at the as-of instant t
	//     have membership status active, a start (since) on or before t's UTC day, an
	//     end (until) that is empty or on or after t's UTC day (until = t's day counts
	//     as active), and a primary owner who is set, known in the register and
	//     active. An entry with no start recorded counts as started and is listed
	//     under missing_since. Entries with an active membership but no active owner
	//     are reported as active_without_active_owner and are not counted. The
	//     denominator is the number of register entries evaluated; the value is a
	//     count and is never n/a.
	//   Input hash: sha256:411a6941f162fbbdc4cf7948484f0e64c51c46b317666e32f27d44fca2b15cfa
	//
	// KPI 2  Actionable items  [kpi.actionable-items/v1]
	//   Value:      1 actionable of 1 first triaged in the period (actionable rate 100.0%)
	//   By kind:    government-cert 1 of 1, isac 0 of 0
	//   By group:
	//               - cisa-kev (government-cert): 1 of 1, 100.0%
	//               - sector-isac (isac): 0 of 0, n/a
	//   Excluded:   none
	//   Definition:
	//     Count of advisories whose first triage decision was made in the period [p0,
	//     p1), no later than the as-of instant t, and was actionable; overall, by
	//     register group (the group of the advisory's earliest receipt) and by that
	//     group's kind. The first triage decision is the decision word that opens the
	//     note of the case's first transition to triaged in its history; a case with
	//     no triage transition in its history is taken at its current decision and
	//     listed under decision_from_current. Companion: the actionable rate =
	//     actionable / all advisories first triaged in the period (n/a when none). A
	//     later re-triage, rejection or closure does not change the first decision.
	//     Cases sharing an identifier count once: the group is that of the earliest
	//     receipt and the decision that of the earliest triage.
	//   Input hash: sha256:ed80498542b811170393299e45364aa9d052207fda94f3493864b400b127bd53
	//
	// KPI 3  Receipt-to-triage time  [kpi.receipt-to-triage/v1]
	//   Value:      100.0% triaged within SLA (1 of 1)
	//   Received:   1 in the period (0 manual)
	//   Times:      median 30m, p90 30m, max 30m (n=1, nearest rank)
	//   SLA:        default 3d, KEV-listed 1d, critical 1d
	//   Backlog:    none untriaged past SLA
	//   Excluded:   none
	//   Definition:
	//     Over advisories first received in the period [p0, p1) and no later than the
	//     as-of instant t: delta = triaged_at - received_at, where received_at is the
	//     earliest receipt (for a manual receipt the asserted time, flagged manual)
	//     and triaged_at is the first triage decision, counted only when at or before
	//     t. Reports n, median and p90 (nearest rank on the sorted deltas; the median
	//     is the 50th percentile), max, and the value: the percentage of the n with
	//     delta <= SLA (n/a when n = 0). The SLA of an advisory is the shortest that
	//     applies of: the default, the KEV-listed SLA, the critical-severity SLA and
	//     an override for the source of its first receipt. Untriaged backlog: every
	//     advisory received at any time with t - received_at >= SLA that has no triage
	//     decision at t and was not rejected by t; it is reported in full, never
	//     dropped. Cases sharing an identifier count once, on the earliest receipt.
	//   Input hash: sha256:255ab0fb6318352553bf86b35db7b5d467cc43b2fe60097cef10e7d900cdf8e8
	//
	// KPI 4  Memberships reviewed in the last 12 months  [kpi.reviewed-memberships/v1]
	//   Value:      100.0% reviewed in the window (1 of 1 active)
	//   Window:     2026-01-02 to 2027-01-01 (UTC days, inclusive)
	//   Unreviewed: none
	//   Excluded:   1
	//               - owner-unknown: 1 (sector-isac)
	//   Definition:
	//     Percentage of the register entries active at the as-of instant t (as KPI 1
	//     kpi.active-memberships/v1 counts them: orphaned entries are not active) that
	//     have a completed review R with R.date in (t - 365 days, t], compared by UTC
	//     calendar day: a review exactly 365 days before t's day is out, 364 days is
	//     in. A completed review is a review record with a date and an outcome of
	//     keep, change or retire; records dated after t's day are ignored and listed.
	//     An entry whose membership started inside the window counts as reviewed only
	//     if its onboarding review is recorded: a completed review dated on or after
	//     its start (since). Denominator: the entries active at t; n/a when there are
	//     none.
	//   Input hash: sha256:5ea2e918c12cf92fee8d12fd08da686a1bf529e4fb882c2c3017427f1f4dec7a
	//
	// KPI 5  Time to action  [kpi.time-to-action/v1]
	//   Value:      100.0% closed within the action SLA (1 of 1)
	//   Times:      median 2d 23h 30m, p90 2d 23h 30m, max 2d 23h 30m (n=1, nearest rank)
	//   SLA:        the case's due date, else 30d
	//   Overdue:    none open past due at as-of
	//   Excluded:   none
	//   Definition:
	//     Over actionable advisories closed in the period [p0, p1) and no later than
	//     the as-of instant t (state closed with decision actionable; a rejection is
	//     not an action): delta = closed_at - triaged_at, where triaged_at is the
	//     first triage decision. Reports n, median and p90 (nearest rank on the sorted
	//     deltas), max, and the value: the percentage of the n closed within the
	//     action SLA (n/a when n = 0). The action SLA is met when closed_at <= the
	//     case's due date if it has one, otherwise when delta <= the default action
	//     SLA (30 days unless configured); an SLA exception does not turn a late
	//     closure into one within SLA. Also reported: every actionable advisory open
	//     at t (not closed or rejected by t) that is past its due date at t with no
	//     SLA exception running at t, and separately those past due but under an
	//     exception. Cases sharing an identifier count once: triaged_at is the
	//     earliest triage and closed_at the earliest closure.
	//   Input hash: sha256:6129f7396d66fa9ffc93e77cefd4730f156571f047249f2bfa1d8877797d0b62
	//
	// KPI 6  Register health score  [kpi.register-health/v1]
	//   Value:      0.0% healthy (0 of 1 active pass every criterion)
	//   Links:      unknown: no link check results were given, so no entry can pass
	//   Healthy:    none
	//   Dormant:    none (failing only the 90-day interaction test)
	//   Failing:    cisa-kev
	//               - links no-url: no home page or channel URL to check
	//               - owners backup-missing: no backup owner
	//   Excluded:   1
	//               - owner-unknown: 1 (sector-isac)
	//   Definition:
	//     Percentage of the register entries active at the as-of instant t (as KPI 1
	//     kpi.active-memberships/v1 counts them) that pass all four criteria: (1)
	//     links: every URL of the entry (its home page and each channel URL) has a
	//     link check at or before t, no older than 7 days (t - checked_at <= 7 days;
	//     exactly 7 days passes), whose status is ok; an entry with no URL fails, and
	//     without link results the criterion is unknown and fails; (2) owners: the
	//     primary owner is active (KPI 1) and the backup is set, known in the
	//     register, active and not the owner; (3) review: the register's review check
	//     at t's day reports the entry neither never reviewed nor overdue (due = last
	//     review date + the entry's review cadence, default 12 months); (4)
	//     interaction: at least one receipt of an advisory naming the entry as its
	//     group, or one engagement, in [t - 90 days, t] (receipts by instant,
	//     engagements by UTC day; exactly 90 days ago counts). Entries failing only
	//     the interaction criterion are reported as dormant. Denominator: the entries
	//     active at t; n/a when there are none.
	//   Input hash: sha256:ad06828d4dea4210bb3a6fab81b0cbd0f5f8512e328b88e53983187ebcbe292a
	//
	// KPI 7  Feed freshness  [kpi.feed-freshness/v1]
	//   Value:      n/a fresh (0 of 0 judged endpoints; tolerance 2 x interval)
	//   Fetches:    unknown: no source states were given, so no fetched channel is judged
	//   Stale:      none
	//   Excluded:   none
	//   Definition:
	//     Per channel endpoint of the register entries active at the as-of instant t
	//     (as KPI 1 kpi.active-memberships/v1 counts them): age = t - the last
	//     successful fetch of the channel's source (intake's source state, matched by
	//     the channel's source name), compared with the channel's expected interval
	//     (every), taken nominally as 1 day per day, 7 per week, 30 per month and 365
	//     per year. An endpoint is stale when age > interval x tolerance (default 2;
	//     exactly interval x tolerance is fresh); a channel whose source was never
	//     fetched successfully is stale whether or not it has an interval. Also
	//     reported per endpoint: t - the latest receipt through its source at or
	//     before t (last new item). Not judged, and listed with the reason: a channel
	//     without an interval, a manual channel (kind manual without a source; its
	//     last new item is the latest manual receipt for the entry), a source whose
	//     last success is after t, and every fetched channel when no source states
	//     were given (unknown). Value: the percentage of judged endpoints that are
	//     fresh; n/a when none is judged.
	//   Input hash: sha256:ece761180fd36d506b50a5ee6774ea732f686276d288672b2ec3cac548c9319e
	//
	// KPI 8  Channel yield  [kpi.channel-yield/v2]
	//   Value:      1 actionable of 1 first triaged in (2026-01-01T00:00:00Z, 2027-01-01T00:00:00Z] (actionable rate 100.0%)
	//   By group:
	//               - cisa-kev (government-cert): 1 of 1, 100.0%
	//               - sector-isac (isac): 0 of 0, n/a
	//   Excluded:   none
	//   Definition:
	//     Per register group: the advisories whose first triage decision was made in
	//     the 365 days up to the as-of instant t, the window (t - 365 days, t] (as KPI
	//     4's review window; a decision made at t counts), and was actionable, with
	//     the group's actionable rate = actionable / all advisories first triaged in
	//     the window (n/a when none). Computed as KPI 2 kpi.actionable-items/v1 over
	//     that window (the same first-decision, group-of-earliest-receipt and
	//     duplicate rules); every register group gets a row, so a group that delivered
	//     nothing shows 0 of 0. The value is the total actionable count over the
	//     window. It is the input for the keep / retire decision of an entry's review.
	//   Input hash: sha256:c2d5a5ed083ebce6062ae3c8b0c4224db97e4f84299b19daf6537a11c8e4996b
	//
	// Trend against the previous period 2026-Q3 [2026-07-01T00:00:00Z, 2026-10-01T00:00:00Z)
	//   KPI 2 actionable_items    1 (previous 0, change +1)
	//   KPI 2 actionable_rate     100.0% (previous n/a, change n/a)
	//   KPI 3 within_sla_percent  100.0% (previous n/a, change n/a)
	//   KPI 3 median_seconds      30m (previous n/a, change n/a)
	//   KPI 3 p90_seconds         30m (previous n/a, change n/a)
	//   KPI 3 max_seconds         30m (previous n/a, change n/a)
	//   KPI 5 within_sla_percent  100.0% (previous n/a, change n/a)
	//   KPI 5 median_seconds      2d 23h 30m (previous n/a, change n/a)
	//   KPI 5 p90_seconds         2d 23h 30m (previous n/a, change n/a)
	//   KPI 5 max_seconds         2d 23h 30m (previous n/a, change n/a)
	//   KPI 2 by group (actionable, previous, change; rate change):
	//               - cisa-kev: 1, 0, +1; n/a
	//               - sector-isac: 0, 0, +0; n/a
	//   Method:
	//     The comparable KPIs (2 actionable items with its rate and per-group rows, 3
	//     receipt-to-triage, 5 time to action) are computed again over the previous
	//     period with the same inputs, options and as-of instant t, and each figure is
	//     reported as current, previous and change = current - previous (percentage
	//     points for percentages, seconds for durations; null when either side is
	//     n/a). The previous period is the previous calendar month, quarter or year
	//     when the period is one, otherwise the interval of the same duration ending
	//     where the period starts. Both sides use t, so the previous period's figures
	//     include triages and closures made after it ended but by t; when t falls
	//     inside the current period, the current figures are partial.
}
