package kpi

import (
	"encoding/json"
	"fmt"
	"time"
)

// Period is a half-open reporting period [Start, End) in UTC: Start is
// inside the period, End is not. The zero Period is unset.
type Period struct {
	Start time.Time
	End   time.Time
}

// NewPeriod returns the period [start, end). It fails when end is not after start.
func NewPeriod(start, end time.Time) (Period, error) {
	if !end.After(start) {
		return Period{}, fmt.Errorf("kpi: period end %s is not after its start %s",
			end.UTC().Format(time.RFC3339), start.UTC().Format(time.RFC3339))
	}
	return Period{Start: start.UTC(), End: end.UTC()}, nil
}

// Quarter returns calendar quarter q (1–4) of year in UTC: Quarter(2026, 4)
// is [2026-10-01, 2027-01-01). A q outside 1–4 is normalised the way
// time.Date normalises months: Quarter(2026, 5) is 2027-Q1.
func Quarter(year, q int) Period {
	start := time.Date(year, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
	return Period{Start: start, End: start.AddDate(0, 3, 0)}
}

// QuarterOf returns the calendar quarter (UTC) that contains t.
func QuarterOf(t time.Time) Period {
	t = t.UTC()
	return Quarter(t.Year(), (int(t.Month())-1)/3+1)
}

// Month returns calendar month m of year in UTC: Month(2026, time.March) is
// [2026-03-01, 2026-04-01). Out-of-range months are normalised as by time.Date.
func Month(year int, m time.Month) Period {
	start := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
	return Period{Start: start, End: start.AddDate(0, 1, 0)}
}

// IsZero reports whether the period is unset.
func (p Period) IsZero() bool { return p.Start.IsZero() && p.End.IsZero() }

// Contains reports whether t is in [Start, End): Start counts, End does not.
// An empty or inverted period contains nothing.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start) && t.Before(p.End)
}

// String names the period: "2026-Q4" for a calendar quarter, "2026-03" for a
// calendar month, "2026" for a calendar year, otherwise the interval
// "2026-01-01T00:00:00Z/2026-02-15T00:00:00Z" (ISO 8601). The zero Period is "".
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	s, e := p.Start.UTC(), p.End.UTC()
	if s.Day() == 1 && s.Equal(time.Date(s.Year(), s.Month(), 1, 0, 0, 0, 0, time.UTC)) {
		switch {
		case s.Month() == time.January && e.Equal(s.AddDate(1, 0, 0)):
			return fmt.Sprintf("%04d", s.Year())
		case (s.Month()-1)%3 == 0 && e.Equal(s.AddDate(0, 3, 0)):
			return fmt.Sprintf("%04d-Q%d", s.Year(), (s.Month()-1)/3+1)
		case e.Equal(s.AddDate(0, 1, 0)):
			return fmt.Sprintf("%04d-%02d", s.Year(), int(s.Month()))
		}
	}
	return s.Format(time.RFC3339Nano) + "/" + e.Format(time.RFC3339Nano)
}

// Interval returns the period as "[start, end)" with RFC 3339 UTC times.
func (p Period) Interval() string {
	return "[" + p.Start.UTC().Format(time.RFC3339Nano) + ", " + p.End.UTC().Format(time.RFC3339Nano) + ")"
}

type periodJSON struct {
	Label string    `json:"label"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// MarshalJSON writes {"label": "2026-Q4", "start": …, "end": …} with UTC times.
func (p Period) MarshalJSON() ([]byte, error) {
	return json.Marshal(periodJSON{Label: p.String(), Start: p.Start.UTC(), End: p.End.UTC()})
}

// UnmarshalJSON reads what MarshalJSON writes; the label is ignored.
func (p *Period) UnmarshalJSON(b []byte) error {
	var v periodJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("kpi: period: %w", err)
	}
	*p = Period{Start: v.Start.UTC(), End: v.End.UTC()}
	return nil
}
