package kpi

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/register"
)

// FeedFreshnessID identifies the definition FeedFreshness implements.
const FeedFreshnessID = "kpi.feed-freshness/v1"

// FeedFreshnessDefinition is the exact definition of KPI 7.
const FeedFreshnessDefinition = "Per channel endpoint of the register entries active at the as-of instant t (as " +
	"KPI 1 kpi.active-memberships/v1 counts them): age = t - the last successful fetch of the channel's source " +
	"(intake's source state, matched by the channel's source name), compared with the channel's expected interval " +
	"(every), taken nominally as 1 day per day, 7 per week, 30 per month and 365 per year. An endpoint is stale " +
	"when age > interval x tolerance (default 2; exactly interval x tolerance is fresh); a channel whose source was " +
	"never fetched successfully is stale whether or not it has an interval. Also reported per endpoint: t - the " +
	"latest receipt through its source at or before t (last new item). Not judged, and listed with the reason: " +
	"a channel without an interval, a manual channel (kind manual without a source; its last new item is the " +
	"latest manual receipt for the entry), a source whose last success is after t, and every fetched channel " +
	"when no source states were given (unknown). Value: the percentage of judged endpoints that are fresh; n/a " +
	"when none is judged."

// DefaultFreshnessTolerance is KPI 7's default tolerance: an endpoint is
// stale once its age exceeds twice its expected interval.
const DefaultFreshnessTolerance = 2.0

// Endpoint statuses (EndpointFreshness.Status).
const (
	FreshnessFresh        = "fresh"
	FreshnessStale        = "stale"
	FreshnessNeverFetched = "never-fetched" // stale: no successful fetch recorded
	FreshnessNotJudged    = "not-judged"    // see the endpoint's exclusion reason
)

// Reasons an endpoint is not judged (KPI 7's exclusions; EndpointFreshness.Reason).
const (
	ReasonNoInterval        = "no-interval"         // fetched, but the channel states no expected interval
	ReasonManualChannel     = "manual-channel"      // a manual channel is not fetched
	ReasonFetchStateUnknown = "fetch-state-unknown" // no source states were given
	ReasonFetchAfterAsOf    = "fetched-after-as-of" // the last success is after t: its state at t is unknown
)

// FeedFreshnessResult is KPI 7. Value is Numerator (fresh endpoints) ÷
// Denominator (judged endpoints) × 100; Exclusions list the endpoints not
// judged, by "group/channels[N]".
type FeedFreshnessResult struct {
	Measure
	// StatesGiven is false when no source states were given.
	StatesGiven bool    `json:"states_given"`
	Tolerance   float64 `json:"tolerance"`
	// Endpoints has one row per channel of an active entry, sorted by group
	// and channel index.
	Endpoints []EndpointFreshness `json:"endpoints"`
	// Stale are the stale endpoints ("group/channels[N]"), sorted.
	Stale []string `json:"stale"`
}

// EndpointFreshness is KPI 7 for one channel.
type EndpointFreshness struct {
	Group string `json:"group"`
	// Channel is "channels[N]", N counting from 0.
	Channel string `json:"channel"`
	Kind    string `json:"kind"`
	Source  string `json:"source"`
	URL     string `json:"url,omitempty"`
	// Every is the expected interval as written ("1d"); empty when none.
	Every string `json:"every"`
	// Interval is Every taken nominally; Threshold is Interval × tolerance.
	// Both nil without an interval.
	Interval  *Duration `json:"interval_seconds"`
	Threshold *Duration `json:"threshold_seconds"`
	// LastSuccess is the source's last successful fetch; Age is t minus it
	// (nil when never fetched or not known).
	LastSuccess time.Time `json:"last_success,omitzero"`
	Age         *Duration `json:"age_seconds"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	// LastNewItem is the latest receipt through the source at or before t;
	// SinceNewItem is t minus it (nil when none).
	LastNewItem  time.Time `json:"last_new_item,omitzero"`
	SinceNewItem *Duration `json:"since_last_new_item_seconds"`
	// Status is FreshnessFresh, FreshnessStale, FreshnessNeverFetched or
	// FreshnessNotJudged; Reason says why an endpoint was not judged.
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// FeedFreshness computes KPI 7 at the instant asOf. A nil register is an
// empty one. states are intake's source states ([intake.SourceStates]);
// nil means not given, and every fetched channel is then not judged
// (fetch-state-unknown). cases supply the receipts for the last new item.
// tolerance ≤ 0 (or not finite) means DefaultFreshnessTolerance.
func FeedFreshness(reg *register.Register, cases []intake.Case, states []intake.SourceState, asOf time.Time, tolerance float64) FeedFreshnessResult {
	if reg == nil {
		reg = &register.Register{}
	}
	if !(tolerance > 0) || math.IsInf(tolerance, 0) {
		tolerance = DefaultFreshnessTolerance
	}
	asOf = asOf.UTC()
	active := ActiveMemberships(reg, asOf)
	res := FeedFreshnessResult{
		Measure: Measure{KPI: 7, ID: FeedFreshnessID, Name: "Feed freshness",
			Definition: FeedFreshnessDefinition, AsOf: asOf, Unit: UnitPercent},
		StatesGiven: states != nil, Tolerance: tolerance, Endpoints: []EndpointFreshness{}, Stale: []string{},
	}
	byID := map[string]*register.Group{}
	for i := range reg.Groups {
		if _, ok := byID[reg.Groups[i].ID]; !ok {
			byID[reg.Groups[i].ID] = &reg.Groups[i]
		}
	}
	// One state per source: the one with the latest success (then attempt).
	state := map[string]intake.SourceState{}
	for _, s := range states {
		prev, ok := state[s.Source]
		if !ok || prev.LastSuccess.Before(s.LastSuccess) ||
			(prev.LastSuccess.Equal(s.LastSuccess) && prev.LastAttempt.Before(s.LastAttempt)) {
			state[s.Source] = s
		}
	}
	lastBySource, lastManual := map[string]time.Time{}, map[string]time.Time{}
	for i := range cases {
		for _, r := range cases[i].Receipts {
			at := r.ReceivedAt.UTC()
			if at.IsZero() || at.After(asOf) {
				continue
			}
			if at.After(lastBySource[r.Source]) {
				lastBySource[r.Source] = at
			}
			if r.Manual && r.Group != "" && at.After(lastManual[r.Group]) {
				lastManual[r.Group] = at
			}
		}
	}
	since := func(t time.Time) *Duration {
		if t.IsZero() {
			return nil
		}
		return durationPtr(asOf.Sub(t))
	}

	excl := exclusions{}
	var hashed []freshnessInput
	for _, id := range active.Active {
		g := byID[id]
		for i := range g.Channels {
			ch := &g.Channels[i]
			e := EndpointFreshness{Group: id, Channel: "channels[" + strconv.Itoa(i) + "]", Kind: ch.Kind,
				Source: ch.SourceName(), URL: ch.URL, Every: ch.Every.String()}
			key := id + "/" + e.Channel
			manual := strings.EqualFold(ch.Kind, "manual") && ch.Source == ""
			in := freshnessInput{Endpoint: key, Kind: ch.Kind, Source: e.Source, Every: e.Every, Manual: manual}
			if manual {
				e.LastNewItem = lastManual[id]
			} else {
				e.LastNewItem = lastBySource[e.Source]
			}
			e.SinceNewItem = since(e.LastNewItem)
			in.LastNewItem = e.LastNewItem
			if !ch.Every.IsZero() {
				iv := nominal(ch.Every)
				e.Interval = durationPtr(iv)
				e.Threshold = durationPtr(scale(iv, tolerance))
			}
			st, known := state[e.Source]
			if known && !manual {
				e.LastSuccess, e.LastAttempt, e.LastError = st.LastSuccess.UTC(), st.LastAttempt.UTC(), st.LastError
				in.LastSuccess, in.LastAttempt, in.LastError = e.LastSuccess, e.LastAttempt, e.LastError
			}
			notJudged := func(reason string) {
				e.Status, e.Reason = FreshnessNotJudged, reason
				excl.add(reason, key)
			}
			switch {
			case manual:
				notJudged(ReasonManualChannel)
			case states == nil:
				notJudged(ReasonFetchStateUnknown)
			case e.LastSuccess.IsZero():
				e.Status = FreshnessNeverFetched
			case e.LastSuccess.After(asOf):
				notJudged(ReasonFetchAfterAsOf)
			default:
				e.Age = since(e.LastSuccess)
				switch {
				case e.Threshold == nil:
					notJudged(ReasonNoInterval)
				case e.Age.Std() > e.Threshold.Std():
					e.Status = FreshnessStale
				default:
					e.Status = FreshnessFresh
				}
			}
			switch e.Status {
			case FreshnessFresh:
				res.Numerator++
				res.Denominator++
			case FreshnessStale, FreshnessNeverFetched:
				res.Denominator++
				res.Stale = append(res.Stale, key)
			}
			res.Endpoints = append(res.Endpoints, e)
			hashed = append(hashed, in)
		}
	}
	slices.Sort(res.Stale)
	res.Value = percent(res.Numerator, res.Denominator)
	res.Exclusions, res.Excluded = excl.list()
	res.InputHash = hashInputs(struct {
		Definition  string           `json:"definition"`
		AsOf        time.Time        `json:"as_of"`
		Active      string           `json:"active_memberships_input"`
		Tolerance   float64          `json:"tolerance"`
		StatesGiven bool             `json:"states_given"`
		Endpoints   []freshnessInput `json:"endpoints"`
	}{FeedFreshnessID, asOf, active.InputHash, tolerance, states != nil, hashed})
	return res
}

// nominal returns a register period as a duration: 365 days a year, 30 a
// month, 24 hours a day; capped at the longest time.Duration.
func nominal(p register.Period) time.Duration {
	days := float64(p.Years)*365 + float64(p.Months)*30 + float64(p.Days)
	return clampDuration(days * float64(24*time.Hour))
}

// scale returns d × f, capped at the longest time.Duration.
func scale(d time.Duration, f float64) time.Duration {
	return clampDuration(float64(d) * f)
}

func clampDuration(ns float64) time.Duration {
	switch {
	case ns >= math.MaxInt64:
		return math.MaxInt64
	case ns <= 0:
		return 0
	}
	return time.Duration(math.Round(ns))
}

// freshnessInput is the part of a channel KPI 7 reads, as hashed.
type freshnessInput struct {
	Endpoint    string    `json:"endpoint"`
	Kind        string    `json:"kind"`
	Source      string    `json:"source"`
	Every       string    `json:"every"`
	Manual      bool      `json:"manual"`
	LastSuccess time.Time `json:"last_success"`
	LastAttempt time.Time `json:"last_attempt"`
	LastError   string    `json:"last_error"`
	LastNewItem time.Time `json:"last_new_item"`
}
