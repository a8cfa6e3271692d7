// Package kpi computes the key performance indicators of ISO/IEC 27001:2022
// control A.5.6 as pure functions of the register, the intake cases and an
// as-of instant. Nothing here reads a clock, a file or the network: the same
// inputs always give the same report, and the input hash in every result
// proves which inputs those were.
//
//	p := kpi.Quarter(2026, 4)
//	asOf := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
//	report := kpi.Compute(reg, pipeline.Cases(), p, asOf, nil)
//	report.WriteText(os.Stdout)
//
// # Conventions
//
// Every KPI takes an as-of instant t and, where it measures flows, a
// half-open period [p0, p1) in UTC ([Period]: [Quarter], [Month],
// [NewPeriod]). Every result embeds a [Measure]: the definition ID with its
// version ("kpi.active-memberships/v1") and its exact text, the value with
// numerator and denominator, the excluded count with a reason code and the
// IDs per reason, and an input-set hash (SHA-256 over a canonical, sorted
// JSON serialisation of every input the KPI reads, including t, the period
// and the options). A percentage with an empty denominator is "n/a" (a nil
// Value), never 0 % or 100 %. Percentiles use the nearest-rank method on the
// sorted durations — the p-th percentile of n values is the value at
// 1-based rank ⌈p·n/100⌉, so the median of 2 values is the smaller one — and
// n is reported beside them. A changed definition gets a new version; old
// reports stay reproducible from their inputs.
//
// # KPI 1: Active memberships
//
// Definition kpi.active-memberships/v1 ([ActiveMemberships]): the number of
// register entries, overall and by kind, with membership status active ∧
// since ≤ t ∧ (until empty ∨ until ≥ t) ∧ primary owner active at t.
//
//   - Membership dates are calendar days; t is compared by its UTC day, so an
//     entry whose until is t's day is still active on that day.
//   - An entry with no since recorded counts as started (as
//     register.Membership.ActiveAt has it) and is listed in MissingSince, so
//     the gap is stated rather than hidden.
//   - "Owner active at t": the owner is set, is one of the register's people,
//     and Person.IsActive is true. The register keeps no dates for people,
//     so the flag in the register given is taken as the state at t.
//   - Entries whose membership is active but whose owner is missing, unknown
//     or inactive are orphans: reported in ActiveWithoutActiveOwner with the
//     reason, and not counted.
//   - A second entry with an ID already seen is excluded as a duplicate.
//   - The value is a count (unit "count"): it is never n/a. The denominator
//     is the number of register entries evaluated, given for context.
//
// # KPI 2: Actionable items
//
// Definition kpi.actionable-items/v1 ([ActionableItems]): advisories whose
// first triage decision was made in [p0, p1), no later than t, and was
// actionable — overall, by register group (the group of the earliest
// receipt) and by that group's kind; companion actionable rate =
// actionable ÷ all advisories first triaged in the period (n/a when none).
//
//   - The first decision is read from the history: the note of the case's
//     first transition to triaged begins with the decision word, as
//     intake's triage step writes it ("actionable by rule kev-internet
//     (P1)"); [intake.Case].Decision holds only the latest decision. A case
//     with no triage transition is taken at its current decision and
//     listed in DecisionFromCurrent; an unreadable note is excluded
//     (decision-unreadable), never guessed.
//   - Every register group gets a row, so a silent group shows 0 of 0;
//     receipts naming no group count under "(none)", groups not in the
//     register under their ID, both of kind "unregistered".
//   - Duplicates: the group of the earliest receipt, the decision of the
//     earliest triage; later cases are excluded as duplicate. A later
//     re-triage, rejection or closure does not change the first decision.
//
// # KPI 3: Receipt-to-triage time
//
// Definition kpi.receipt-to-triage/v1 ([ReceiptToTriage]): over advisories
// first received in [p0, p1) and no later than t, Δ = triaged_at −
// received_at, where received_at is the earliest receipt (for a manual
// receipt the asserted time; such advisories are counted in Manual) and
// triaged_at is the first triage decision ([intake.Case].TriagedAt).
//
//   - Reported: n, median (nearest-rank p50), p90, max, and the value: the
//     percentage of the n with Δ ≤ SLA (n/a when n = 0).
//   - SLA: the shortest that applies of the default (72h,
//     [DefaultTriageSLA]), KEV-listed (24h), critical severity (24h) and an
//     override for the source of the first receipt; all set by [TriageSLA].
//   - A triage after t does not count: at t the advisory was untriaged.
//     Likewise a rejection is counted only when ClosedAt ≤ t.
//   - Untriaged backlog: every advisory, received in any period, with
//     t − received_at ≥ SLA, no triage decision at t and not rejected by t.
//     It is listed in full, oldest first, never dropped, so the time figures
//     carry no survivorship bias. BacklogInPeriod says how many of them were
//     received in the period.
//   - Excluded from the denominator, with reasons: untriaged-past-sla (also
//     in the backlog), untriaged-within-sla, rejected-before-triage,
//     triaged-before-received (inconsistent data), received-after-as-of,
//     no-receipt, and duplicate.
//   - Duplicates: cases sharing an ID or a key are one advisory, keyed on the
//     earliest receipt and the earliest triage.
//
// # KPI 4: Memberships reviewed in the last 12 months
//
// Definition kpi.reviewed-memberships/v1 ([ReviewedMemberships]): of the
// entries active at t as KPI 1 counts them (its Active list; its exclusions
// are this KPI's), the percentage with a completed review dated in
// (t − 365 d, t], by UTC calendar day (a review 365 days before t's day is
// out, 364 days in). A completed review has a date and an outcome keep,
// change or retire; records dated after t or without an outcome are listed
// in Ignored. An entry whose membership started inside the window needs a
// review on or after its since (its onboarding review). Entries not
// reviewed are listed with a reason: never-reviewed,
// review-older-than-window, onboarding-review-missing.
//
// # KPI 5: Time to action
//
// Definition kpi.time-to-action/v1 ([TimeToAction]): over actionable
// advisories closed (state closed; a rejection is not an action) in
// [p0, p1) and by t, Δ = closed_at − triaged_at: n, median, p90, max
// (nearest rank) and the value, the percentage closed within the action
// SLA. The SLA ([ActionSLA]) is the case's due date when set (closed_at ≤
// due), else 30 days ([DefaultActionSLA]); both configurable. An SLA
// exception does not make a late closure count as within SLA. Also the
// actionable advisories open at t and past due, decided by
// [intake.Case.Overdue] on the case as it stood at t (closed after t
// counts as open; the exception is the latest granted by t), so a running
// exception keeps a case off the list; those are listed in UnderException.
// Duplicates: triaged_at is the earliest triage, closed_at the earliest
// closure. "Actionable" and the due date are the case's current ones
// (intake does not re-triage closed cases).
//
// # KPI 6: Register health score
//
// Definition kpi.register-health/v1 ([RegisterHealth]): of the entries
// active at t as KPI 1 counts them, the percentage passing all of:
//
//   - links: every URL of the entry (home page "url" and each
//     "channels[N].url", named as [register.CheckLinks] names them) has a
//     check at or before t, at most 7 days old (exactly 7 days passes),
//     with status ok (moved, restricted and every other status fail). An
//     entry with no URL fails (no-url). Without link results
//     ([Options].Links nil) the criterion is unknown and fails
//     (link-check-unknown): the report says so rather than assume the
//     links work.
//   - owners: the primary owner active (KPI 1) and a backup that is set,
//     known, active and not the owner.
//   - review: [register.Check] run on the entry with its clock at t reports
//     neither review-never nor review-overdue (due = last review + the
//     entry's cadence, default 12 months), so the register's health
//     report and this KPI cannot disagree.
//   - interaction: a receipt naming the entry as its group (Receipt.Group)
//     at an instant in [t − 90 d, t], or an engagement dated in [t's day −
//     90 d, t's day]; exactly 90 days ago counts.
//
// Entries failing only the interaction test are listed as Dormant. Each
// entry's failures are listed with a stable reason and a detail.
//
// # KPI 7: Feed freshness
//
// Definition kpi.feed-freshness/v1 ([FeedFreshness]): one row per channel
// of the entries active at t (KPI 1). The channel's source
// ([register.Channel.SourceName]) is looked up in intake's source states;
// age = t − LastSuccess is compared with the channel's Every taken
// nominally (1 d = 24 h, 1 w = 7 d, 1 mo = 30 d, 1 y = 365 d): stale when
// age > Every × tolerance (default 2, [Options].FreshnessTolerance; exactly
// at the threshold is fresh). A channel whose source has no successful
// fetch is stale (never-fetched) whatever its interval. Each row also
// gives t − the latest receipt through the source (last new item), which
// shows a feed that fetches fine but has gone silent. Not judged, and
// listed as exclusions: channels without an interval (reported, not
// judged), manual channels (kind manual, no source: their last new item
// is the entry's latest manual receipt), a last success after t, and
// everything fetched when [Options].SourceStates is nil (unknown). The
// value is the percentage of judged endpoints that are fresh.
//
// # KPI 8: Channel yield
//
// Definition kpi.channel-yield/v2 ([ChannelYield]): KPI 2 computed over
// the 365 days up to t, the window (t − 365 d, t] — as KPI 4's, so a
// decision made at t counts (v1 used [t − 365 d, t)): per register group the
// advisories whose first triage decision in the window was actionable, of
// all first triaged in it, and the group's actionable rate. The same
// first-decision, group-of-earliest-receipt and duplicate rules apply;
// a group whose receipts were all informational shows 0 of n, a silent
// group 0 of 0 (n/a). It is the input for an entry's keep / retire review.
//
// # Trend
//
// [Compute] also computes KPIs 2, 3 and 5 over the previous period
// ([PreviousPeriod]: the previous calendar month, quarter or year when the
// period is one, else the interval of the same duration ending at p0),
// with the same inputs, options and as-of t, and reports every figure as
// current, previous and change (percentage points for percentages, seconds
// for durations, n/a when either side is n/a), and KPI 2 per group
// ([Trend], [TrendMethod]). Using the same t means the previous period's
// figures include triages and closures made after it ended; when t falls
// inside the current period its figures are partial.
//
// # Report
//
// [Compute] bundles the KPIs in a [Report] with the as-of instant, the
// period and the generator. Its JSON form (schema [ReportSchema]) uses
// snake_case names, RFC 3339 UTC times, durations as seconds and null for
// n/a; [Report.WriteText] renders it for a terminal, each KPI with its
// definition.
package kpi
