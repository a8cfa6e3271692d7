package timex

import (
	"fmt"
	"github.com/sigwatch/sigwatch/internal/textx"
	"strings"
	"time"
)

// maxInput bounds the input length; no valid timestamp is longer.
const maxInput = 64

// Parse parses s in any of the forms listed in the package documentation and
// returns the instant in UTC.
func Parse(s string) (time.Time, error) {
	t, err := parse(s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// ParseDate parses s like [Parse] and returns midnight UTC at the start of
// the calendar day written in s. The day is taken in s's own offset, not
// converted to UTC first: "2025-08-25T23:30:00-05:00" is 2025-08-25.
func ParseDate(s string) (time.Time, error) {
	if t, ok := fastDate(s); ok {
		return t, nil
	}
	t, err := parse(s)
	if err != nil {
		return time.Time{}, err
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

func parse(in string) (time.Time, error) {
	s := strings.TrimSpace(in)
	if s == "" {
		return time.Time{}, fmt.Errorf("empty time value")
	}
	if len(s) > maxInput {
		return time.Time{}, invalid(in)
	}
	if c := s[0]; c >= '0' && c <= '9' {
		s = normaliseISO(s)
		// A fractional second after the seconds field is accepted by
		// time.Parse even though the layouts do not spell it out.
		isoLayouts := [...]string{
			"2006-01-02T15:04:05Z07:00",
			"2006-01-02T15:04:05Z0700",
			"2006-01-02T15:04:05",
			"2006-01-02T15:04Z07:00",
			"2006-01-02T15:04Z0700",
			"2006-01-02T15:04",
			"2006-01-02",
		}
		for _, layout := range isoLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return t, nil
			}
		}
		// "2 Jan 2006 …" starts with a digit too.
	}
	rfc1123Layouts := [...]string{
		"Mon, 2 Jan 2006 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04:05 MST",
		"Mon, 2 Jan 2006 15:04 -0700",
		"Mon, 2 Jan 2006 15:04 MST",
		"2 Jan 2006 15:04:05 -0700",
		"2 Jan 2006 15:04:05 MST",
		"2 Jan 2006 15:04 -0700",
		"2 Jan 2006 15:04 MST",
	}
	for _, layout := range rfc1123Layouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if !strings.HasSuffix(layout, "MST") {
			return t, nil
		}
		// time.Parse invents a zero offset for unknown abbreviations;
		// accept only the unambiguous RFC 822 names.
		name, _ := t.Zone()
		off, ok := rfc822Zone(strings.ToUpper(name))
		if !ok {
			return time.Time{}, fmt.Errorf("invalid time %q: ambiguous time zone %q", clip(in), name)
		}
		y, mo, d := t.Date()
		h, mi, sec := t.Clock()
		return time.Date(y, mo, d, h, mi, sec, t.Nanosecond(), time.FixedZone(strings.ToUpper(name), off)), nil
	}
	return time.Time{}, invalid(in)
}

// rfc822Zone returns the offset in seconds east of UTC of a zone name that
// RFC 822 defines.
func rfc822Zone(name string) (int, bool) {
	switch name {
	case "UT", "UTC", "GMT", "Z":
		return 0, true
	case "EST":
		return -5 * 3600, true
	case "EDT":
		return -4 * 3600, true
	case "CST":
		return -6 * 3600, true
	case "CDT":
		return -5 * 3600, true
	case "MST":
		return -7 * 3600, true
	case "MDT":
		return -6 * 3600, true
	case "PST":
		return -8 * 3600, true
	case "PDT":
		return -7 * 3600, true
	}
	return 0, false
}

// normaliseISO upper-cases the "t" and "z" RFC 3339 allows in lower case and
// turns a space between date and time into "T".
func normaliseISO(s string) string {
	if len(s) > 10 && (s[10] == ' ' || s[10] == 't') {
		s = s[:10] + "T" + s[11:]
	}
	if strings.HasSuffix(s, "z") {
		s = s[:len(s)-1] + "Z"
	}
	return s
}

func invalid(s string) error {
	return fmt.Errorf("invalid time %q: want RFC 3339, RFC 1123 or YYYY-MM-DD", clip(s))
}

// clip shortens hostile input before it goes into an error message.
func clip(s string) string { return textx.Clip(s, 40) }

// fastDate parses a plain, valid "YYYY-MM-DD" without time.Parse, the
// common case in feeds (every KEV date). Anything else, including
// out-of-range days, is left to the general parser and its messages.
func fastDate(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	var n [8]int
	for i, j := 0, 0; i < 10; i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		n[j] = int(c - '0')
		j++
	}
	y := n[0]*1000 + n[1]*100 + n[2]*10 + n[3]
	m := n[4]*10 + n[5]
	d := n[6]*10 + n[7]
	if m < 1 || m > 12 || d < 1 || d > 28 && d > daysIn(time.Month(m), y) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
