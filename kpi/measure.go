package kpi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Units of a Measure's value.
const (
	// UnitCount: the value is a count; it is always defined.
	UnitCount = "count"
	// UnitPercent: the value is numerator ÷ denominator × 100; it is n/a
	// (nil) when the denominator is 0.
	UnitPercent = "percent"
)

// Measure is what every KPI result carries: the definition it was computed
// under, the value with its numerator and denominator, what was left out and
// why, and a hash of the inputs that matter.
type Measure struct {
	// KPI is the KPI's number in sigwatch's reference definitions (KPI 1
	// active memberships, KPI 3 receipt-to-triage time, …).
	KPI int `json:"kpi"`
	// ID is the definition ID and version, e.g. "kpi.active-memberships/v1".
	// A changed definition gets a new version.
	ID string `json:"id"`
	// Name is the KPI's short name, e.g. "Active memberships".
	Name string `json:"name"`
	// Definition is the exact definition in words.
	Definition string `json:"definition"`
	// AsOf is the instant t the KPI describes, in UTC.
	AsOf time.Time `json:"as_of"`
	// Unit is UnitCount or UnitPercent.
	Unit string `json:"unit"`
	// Value is the KPI's value; nil means "n/a" (an empty denominator of a
	// percentage), never 0 % or 100 %.
	Value       *float64 `json:"value"`
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"`
	// Excluded counts the items left out of the denominator; Exclusions
	// says why, one entry per reason, sorted by reason.
	Excluded   int         `json:"excluded"`
	Exclusions []Exclusion `json:"exclusions"`
	// InputHash is "sha256:" and the hex SHA-256 of a canonical, sorted
	// serialisation of every input the KPI reads (including as-of, period
	// and options). Equal hashes mean equal inputs, so equal results.
	InputHash string `json:"input_hash"`
}

// Defined reports whether the value is defined (not "n/a").
func (m *Measure) Defined() bool { return m.Value != nil }

// ValueString formats the value: "n/a", a count ("3") or a percentage ("66.7%").
func (m *Measure) ValueString() string {
	if m.Value == nil {
		return "n/a"
	}
	if m.Unit == UnitPercent {
		return strconv.FormatFloat(*m.Value, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(*m.Value, 'f', -1, 64)
}

// Exclusion counts the items left out for one reason.
type Exclusion struct {
	// Reason is a stable code such as "owner-inactive" or "untriaged-past-sla".
	Reason string `json:"reason"`
	Count  int    `json:"count"`
	// IDs are the excluded items (group or case IDs), sorted.
	IDs []string `json:"ids"`
}

// exclusions collects exclusions by reason.
type exclusions map[string][]string

func (e exclusions) add(reason, id string) { e[reason] = append(e[reason], id) }

// list returns the exclusions sorted by reason, IDs sorted, and their total.
func (e exclusions) list() ([]Exclusion, int) {
	out := make([]Exclusion, 0, len(e))
	total := 0
	for reason, ids := range e {
		ids = slices.Clone(ids)
		slices.Sort(ids)
		out = append(out, Exclusion{Reason: reason, Count: len(ids), IDs: ids})
		total += len(ids)
	}
	slices.SortFunc(out, func(a, b Exclusion) int { return strings.Compare(a.Reason, b.Reason) })
	return out, total
}

// Duration is a time.Duration that serialises to JSON as a number of
// seconds (fractions allowed), so any consumer can read it.
type Duration time.Duration

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String formats d for people: "0s", "45s", "2h 30m", "3d 4h".
func (d Duration) String() string { return formatDuration(time.Duration(d)) }

// MarshalJSON writes the number of seconds.
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatFloat(time.Duration(d).Seconds(), 'f', -1, 64)), nil
}

// UnmarshalJSON reads a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > math.MaxInt64/1e9 {
		return fmt.Errorf("kpi: duration %s: want a number of seconds", b)
	}
	*d = Duration(math.Round(f * 1e9))
	return nil
}

func durationPtr(d time.Duration) *Duration {
	v := Duration(d)
	return &v
}

// formatDuration writes the largest units first and drops zero units:
// 26h30m → "1d 2h 30m"; below a minute it shows seconds.
func formatDuration(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	d = d.Round(time.Second)
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	hours := d / time.Hour
	d -= hours * time.Hour
	mins := d / time.Minute
	d -= mins * time.Minute
	secs := d / time.Second
	var parts []string
	if days > 0 {
		parts = append(parts, strconv.FormatInt(int64(days), 10)+"d")
	}
	if hours > 0 {
		parts = append(parts, strconv.FormatInt(int64(hours), 10)+"h")
	}
	if mins > 0 {
		parts = append(parts, strconv.FormatInt(int64(mins), 10)+"m")
	}
	if secs > 0 || len(parts) == 0 {
		parts = append(parts, strconv.FormatInt(int64(secs), 10)+"s")
	}
	s := strings.Join(parts, " ")
	if neg {
		s = "-" + s
	}
	return s
}

// nearestRank returns the p-th percentile (0 < p ≤ 100) of ascending sorted
// values by the nearest-rank method: the value at rank ⌈p/100 × n⌉
// (1-based). It reports false for an empty slice.
func nearestRank(sorted []time.Duration, p int) (time.Duration, bool) {
	n := len(sorted)
	if n == 0 || p <= 0 || p > 100 {
		return 0, false
	}
	rank := (p*n + 99) / 100 // ⌈p·n/100⌉ in integers
	return sorted[rank-1], true
}

// percent returns num ÷ den × 100, or nil when den is 0.
// spread sorts the durations and returns how many there are, their
// nearest-rank median and 90th percentile, and the largest; the three are
// nil when there are none.
func spread(deltas []time.Duration) (n int, median, p90, largest *Duration) {
	slices.Sort(deltas)
	if v, ok := nearestRank(deltas, 50); ok {
		median = durationPtr(v)
	}
	if v, ok := nearestRank(deltas, 90); ok {
		p90 = durationPtr(v)
	}
	if len(deltas) > 0 {
		largest = durationPtr(deltas[len(deltas)-1])
	}
	return len(deltas), median, p90, largest
}

func percent(num, den int) *float64 {
	if den == 0 {
		return nil
	}
	v := float64(num) / float64(den) * 100
	return &v
}

// hashInputs returns "sha256:<hex>" over the JSON encoding of v. Callers pass
// structs (fixed field order) and sorted slices, so the encoding is canonical.
func hashInputs(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only plain structs of strings, times and numbers are hashed;
		// encoding them cannot fail. Hash the error text rather than panic.
		b = []byte("error: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

const modulePath = "github.com/sigwatch/sigwatch"

// DefaultGenerator returns "sigwatch " and the sigwatch module version the
// running binary was built with ("(devel)" in a development build).
func DefaultGenerator() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Path == modulePath && bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, d := range bi.Deps {
			if d.Path == modulePath && d.Version != "" {
				v = d.Version
			}
		}
	}
	return "sigwatch " + v
}
