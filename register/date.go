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

// AddPeriod returns the date p after d.
func (d Date) AddPeriod(p Period) Date {
	if d.IsZero() {
		return d
	}
	return Date{d.t.AddDate(p.Years, p.Months, p.Days)}
}

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

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

// Period is a calendar period written as a number and a unit: "12mo", "1y",
// "90d", "2w". The zero Period is unset.
type Period struct {
	Years, Months, Days int
}

// ParsePeriod parses a period such as "12mo", "1y", "6m", "90d" or "2w".
func ParsePeriod(s string) (Period, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(s[:i])
	if i == 0 || err != nil || n <= 0 || n > 10000 {
		return Period{}, fmt.Errorf("invalid period %q: want a positive number and a unit (d, w, mo, y), e.g. 12mo", s)
	}
	switch s[i:] {
	case "d", "day", "days":
		return Period{Days: n}, nil
	case "w", "wk", "week", "weeks":
		return Period{Days: 7 * n}, nil
	case "m", "mo", "month", "months":
		return Period{Months: n}, nil
	case "y", "yr", "year", "years":
		return Period{Years: n}, nil
	}
	return Period{}, fmt.Errorf("invalid period %q: unknown unit %q (use d, w, mo or y)", s, s[i:])
}

// IsZero reports whether the period is unset.
func (p Period) IsZero() bool { return p == Period{} }

// String returns the period in the form ParsePeriod reads.
func (p Period) String() string {
	switch {
	case p.IsZero():
		return ""
	case p.Months == 0 && p.Days == 0:
		return strconv.Itoa(p.Years) + "y"
	case p.Years == 0 && p.Days == 0:
		return strconv.Itoa(p.Months) + "mo"
	case p.Years == 0 && p.Months == 0 && p.Days%7 == 0:
		return strconv.Itoa(p.Days/7) + "w"
	case p.Years == 0 && p.Months == 0:
		return strconv.Itoa(p.Days) + "d"
	}
	return fmt.Sprintf("%dy%dmo%dd", p.Years, p.Months, p.Days)
}

// MarshalText implements encoding.TextMarshaler.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
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
