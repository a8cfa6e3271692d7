package register

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar day, written as YYYY-MM-DD in YAML and JSON. The zero
// Date means "not recorded".
type Date struct {
	t time.Time // midnight UTC, or zero
}

// NewDate returns the date of the given day.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the UTC calendar day of t.
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	y, m, d := t.UTC().Date()
	return NewDate(y, m, d)
}

// ParseDate parses a YYYY-MM-DD string.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC at the start of the day (the zero time if unset).
func (d Date) Time() time.Time { return d.t }

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// AddPeriod returns the date p after d (before it, for negative parts):
// years and months first, on the calendar, with the day clamped to the
// end of a shorter month (2026-01-31 plus 1mo is 2026-02-28; 2024-02-29
// plus 1y is 2025-02-28), then days.
func (d Date) AddPeriod(p Period) Date {
	if d.IsZero() {
		return d
	}
	y, m, day := d.t.Date()
	months := int(m) - 1 + p.Months + 12*p.Years
	y += months / 12
	months %= 12
	if months < 0 {
		months += 12
		y--
	}
	// The last day of the target month: day 0 of the month after it.
	last := time.Date(y, time.Month(months)+2, 0, 0, 0, 0, 0, time.UTC).Day()
	return Date{time.Date(y, time.Month(months)+1, min(day, last), 0, 0, 0, 0, time.UTC).AddDate(0, 0, p.Days)}
}

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Equal reports whether d and e are the same day. It lets go-cmp compare
// values that contain Dates.
func (d Date) Equal(e Date) bool { return d.t.Equal(e.t) }

// MarshalText implements encoding.TextMarshaler. It fails for a date outside
// the years 0000 to 9999, which YYYY-MM-DD cannot represent.
func (d Date) MarshalText() ([]byte, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	return []byte(d.String()), nil
}

// check reports why d cannot be written as YYYY-MM-DD.
func (d Date) check() error {
	if y := d.t.Year(); !d.IsZero() && (y < 0 || y > 9999) {
		return fmt.Errorf("register: date %s is outside the years 0000-9999", d.String())
	}
	return nil
}

// UnmarshalText implements encoding.TextUnmarshaler. The empty string is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(strings.TrimSpace(string(b))) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Period is a calendar period written as numbers and units: "12mo", "1y",
// "90d", "2w", or parts joined together such as "1y6mo". The zero Period is
// unset.
type Period struct {
	Years, Months, Days int
}

// Limits on each part of a Period (about 10,000 years), so that date
// arithmetic stays far from overflow.
const (
	maxPeriodYears  = 10000
	maxPeriodMonths = 12 * maxPeriodYears
	maxPeriodDays   = 366 * maxPeriodYears
)

// ParsePeriod parses a period: one or more parts, each a positive number and
// a unit, such as "12mo", "1y", "6m", "90d", "2w" or "1y6mo". Units are d
// (day, days), w (wk, week, weeks), m or mo (month, months) and y (yr, year,
// years); each may appear once, in any order. Spaces between parts are
// allowed.
func ParsePeriod(s string) (Period, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	if in == "" {
		return Period{}, fmt.Errorf("invalid period %q: want a number and a unit (d, w, mo, y), e.g. 12mo", s)
	}
	var p Period
	var seen [4]bool // y, mo, w, d
	for i := 0; i < len(in); {
		for i < len(in) && in[i] == ' ' {
			i++
		}
		start := i
		for i < len(in) && in[i] >= '0' && in[i] <= '9' {
			i++
		}
		num := in[start:i]
		for i < len(in) && in[i] == ' ' {
			i++
		}
		ustart := i
		for i < len(in) && in[i] >= 'a' && in[i] <= 'z' {
			i++
		}
		unit := in[ustart:i]
		if num == "" || unit == "" {
			return Period{}, fmt.Errorf("invalid period %q: want a positive number and a unit (d, w, mo, y), e.g. 12mo or 1y6mo", s)
		}
		n, err := strconv.Atoi(num)
		if err != nil || n > maxPeriodDays {
			return Period{}, fmt.Errorf("invalid period %q: too long (at most %d years)", s, maxPeriodYears)
		}
		if n <= 0 {
			return Period{}, fmt.Errorf("invalid period %q: each part must be a positive number", s)
		}
		var slot int
		switch unit {
		case "y", "yr", "yrs", "year", "years":
			slot, p.Years = 0, n
		case "m", "mo", "mos", "month", "months":
			slot, p.Months = 1, n
		case "w", "wk", "wks", "week", "weeks":
			slot, p.Days = 2, p.Days+7*n
		case "d", "day", "days":
			slot, p.Days = 3, p.Days+n
		default:
			return Period{}, fmt.Errorf("invalid period %q: unknown unit %q (use d, w, mo or y)", s, unit)
		}
		if seen[slot] {
			return Period{}, fmt.Errorf("invalid period %q: unit %q given twice", s, unit)
		}
		seen[slot] = true
	}
	if err := p.check(); err != nil {
		return Period{}, fmt.Errorf("invalid period %q: %s", s, err)
	}
	return p, nil
}

// check reports why p cannot be written as text that ParsePeriod reads.
func (p Period) check() error {
	switch {
	case p.Years < 0 || p.Months < 0 || p.Days < 0:
		return fmt.Errorf("parts must not be negative")
	case p.Years > maxPeriodYears || p.Months > maxPeriodMonths || p.Days > maxPeriodDays:
		return fmt.Errorf("too long (at most %d years)", maxPeriodYears)
	}
	return nil
}

// IsZero reports whether the period is unset.
func (p Period) IsZero() bool { return p == Period{} }

// String returns the period in the form ParsePeriod reads: "1y", "12mo",
// "2w", "90d", or the non-zero parts joined, largest first ("1y6mo", "1y2w").
// Days that are a whole number of weeks are written in weeks.
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	var b strings.Builder
	if p.Years != 0 {
		b.WriteString(strconv.Itoa(p.Years) + "y")
	}
	if p.Months != 0 {
		b.WriteString(strconv.Itoa(p.Months) + "mo")
	}
	switch {
	case p.Days == 0:
	case p.Days%7 == 0:
		b.WriteString(strconv.Itoa(p.Days/7) + "w")
	default:
		b.WriteString(strconv.Itoa(p.Days) + "d")
	}
	return b.String()
}

// MarshalText implements encoding.TextMarshaler. It fails for a period that
// ParsePeriod could not read back (negative or absurdly long parts).
func (p Period) MarshalText() ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("register: invalid period %s: %v", p.String(), err)
	}
	return []byte(p.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. The empty string is the
// zero Period.
func (p *Period) UnmarshalText(b []byte) error {
	if len(strings.TrimSpace(string(b))) == 0 {
		*p = Period{}
		return nil
	}
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
