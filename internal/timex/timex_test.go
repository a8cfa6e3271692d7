package timex

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{"kev_dateReleased_4_digits", "2025-08-25T17:04:19.9796Z", utc(2025, 8, 25, 17, 4, 19, 979600000)},
		{"no_fraction", "2025-08-25T17:04:19Z", utc(2025, 8, 25, 17, 4, 19, 0)},
		{"millis", "2024-10-03T16:03:00.000Z", utc(2024, 10, 3, 16, 3, 0, 0)},
		{"one_digit_fraction", "2025-08-25T17:04:19.5Z", utc(2025, 8, 25, 17, 4, 19, 500000000)},
		{"six_digit_fraction", "2023-03-21T12:00:00.123456Z", utc(2023, 3, 21, 12, 0, 0, 123456000)},
		{"nine_digit_fraction", "2023-03-21T12:00:00.123456789Z", utc(2023, 3, 21, 12, 0, 0, 123456789)},
		{"colon_offset", "2023-01-12T10:00:00+00:00", utc(2023, 1, 12, 10, 0, 0, 0)},
		{"negative_offset", "2023-01-12T10:00:00-05:00", utc(2023, 1, 12, 15, 0, 0, 0)},
		{"compact_offset", "2023-01-12T10:00:00+0000", utc(2023, 1, 12, 10, 0, 0, 0)},
		{"compact_offset_nonzero", "2023-01-12T10:00:00+0130", utc(2023, 1, 12, 8, 30, 0, 0)},
		{"lower_case_t_z", "2023-01-12t10:00:00z", utc(2023, 1, 12, 10, 0, 0, 0)},
		{"space_separator", "2023-01-12 10:00:00Z", utc(2023, 1, 12, 10, 0, 0, 0)},
		{"no_seconds", "2023-01-12T10:00Z", utc(2023, 1, 12, 10, 0, 0, 0)},
		{"zone_less_is_utc", "2023-09-12T15:15:24.327", utc(2023, 9, 12, 15, 15, 24, 327000000)},
		{"date_only", "2022-12-17", utc(2022, 12, 17, 0, 0, 0, 0)},
		{"surrounding_space", "  2022-12-17\n", utc(2022, 12, 17, 0, 0, 0, 0)},
		{"rfc1123_gmt", "Mon, 02 Jan 2006 15:04:05 GMT", utc(2006, 1, 2, 15, 4, 5, 0)},
		{"rfc1123_numeric", "Tue, 10 Jun 2003 04:00:00 -0700", utc(2003, 6, 10, 11, 0, 0, 0)},
		{"rfc1123_one_digit_day", "Sat, 7 Sep 2024 09:30:00 +0000", utc(2024, 9, 7, 9, 30, 0, 0)},
		{"rfc822_est", "Tue, 10 Jun 2003 04:00:00 EST", utc(2003, 6, 10, 9, 0, 0, 0)},
		{"rfc822_pdt", "Tue, 10 Jun 2003 04:00:00 PDT", utc(2003, 6, 10, 11, 0, 0, 0)},
		{"rfc1123_no_weekday", "10 Jun 2003 04:00:00 GMT", utc(2003, 6, 10, 4, 0, 0, 0)},
		{"zero_time_is_unknown", "0001-01-01T00:00:00Z", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Parse(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if got.Location() != time.UTC {
				t.Errorf("Parse(%q) location = %v, want UTC", tt.in, got.Location())
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // substring of the error
	}{
		{"empty", "", "empty"},
		{"blank", "   ", "empty"},
		{"garbage", "yesterday", "invalid time"},
		{"bad_day", "2025-02-30", "invalid time"},
		{"bad_hour", "2025-08-25T25:00:00Z", "invalid time"},
		{"short_month", "2025-8-25", "invalid time"},
		{"five_digit_year", "10000-01-01", "invalid time"},
		{"bad_offset", "2025-08-25T10:00:00+25:00", "invalid time"},
		{"ambiguous_zone", "Mon, 02 Jan 2006 15:04:05 CET", "ambiguous time zone"},
		{"trailing_text", "2025-08-25 and more", "invalid time"},
		{"very_long", strings.Repeat("2", 10000), "invalid time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want error", tt.in, got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tt.in, err, tt.want)
			}
			if len(err.Error()) > 200 {
				t.Errorf("error message not clipped: %d bytes", len(err.Error()))
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name, in string
		want     time.Time
	}{
		{"date_only", "2025-08-25", time.Date(2025, 8, 25, 0, 0, 0, 0, time.UTC)},
		{"timestamp_keeps_own_day", "2025-08-25T23:30:00-05:00", time.Date(2025, 8, 25, 0, 0, 0, 0, time.UTC)},
		{"utc_timestamp", "2025-08-25T17:04:19.9796Z", time.Date(2025, 8, 25, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	if _, err := ParseDate("2025-13-01"); err == nil {
		t.Error("ParseDate(2025-13-01) succeeded, want error")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"2025-08-25T17:04:19.9796Z", "2022-12-17", "2023-09-12T15:15:24.327",
		"Mon, 02 Jan 2006 15:04:05 GMT", "Tue, 10 Jun 2003 04:00:00 -0700", "2023-01-12T10:00:00+0000", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s)
		if err != nil {
			if !got.IsZero() {
				t.Errorf("Parse(%q) returned %v with error %v", s, got, err)
			}
			return
		}
		if got.Location() != time.UTC {
			t.Errorf("Parse(%q) location %v", s, got.Location())
		}
		d, err := ParseDate(s)
		if err != nil {
			t.Errorf("ParseDate(%q) failed after Parse succeeded: %v", s, err)
		}
		if h, m, sec := d.Clock(); h != 0 || m != 0 || sec != 0 || d.Nanosecond() != 0 {
			t.Errorf("ParseDate(%q) = %v, not midnight", s, d)
		}
	})
}

// TestFastDateAgrees checks the YYYY-MM-DD fast path against time.Parse
// for every day of several years, leap years included, and for malformed
// strings of the same shape.
func TestFastDateAgrees(t *testing.T) {
	for d := time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2005; d = d.AddDate(0, 0, 1) {
		s := d.Format(time.DateOnly)
		got, ok := fastDate(s)
		if !ok || !got.Equal(d) {
			t.Fatalf("fastDate(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2024-04-31", "2024-01-00", "2024-1a-01", "20240-1-01", "2024/01/01"} {
		if _, ok := fastDate(s); ok {
			t.Errorf("fastDate(%q) accepted", s)
		}
		_, errFast := ParseDate(s)
		if _, err := time.Parse(time.DateOnly, s); (err == nil) != (errFast == nil) {
			t.Errorf("ParseDate(%q) err %v, time.Parse err %v", s, errFast, err)
		}
	}
}
