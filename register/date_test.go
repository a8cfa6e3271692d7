package register

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr string
	}{
		{in: "2025-11-02", want: NewDate(2025, time.November, 2)},
		{in: " 2025-11-02 ", want: NewDate(2025, time.November, 2)},
		{in: "2024-02-29", want: NewDate(2024, time.February, 29)},
		{in: "0000-01-01", want: NewDate(0, time.January, 1)},
		{in: "9999-12-31", want: NewDate(9999, time.December, 31)},
		{in: "2025-02-29", wantErr: `invalid date "2025-02-29": want YYYY-MM-DD`},
		{in: "2025-13-01", wantErr: `invalid date "2025-13-01": want YYYY-MM-DD`},
		{in: "2025-1-2", wantErr: `invalid date "2025-1-2": want YYYY-MM-DD`},
		{in: "02/11/2025", wantErr: `invalid date "02/11/2025": want YYYY-MM-DD`},
		{in: "2025-11-02T10:00:00Z", wantErr: `invalid date "2025-11-02T10:00:00Z": want YYYY-MM-DD`},
		{in: "yesterday", wantErr: `invalid date "yesterday": want YYYY-MM-DD`},
		{in: "", wantErr: `invalid date "": want YYYY-MM-DD`},
		{in: "10000-01-01", wantErr: `invalid date "10000-01-01": want YYYY-MM-DD`},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseDate(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestDate(t *testing.T) {
	d := NewDate(2025, time.January, 31)
	if got := d.AddPeriod(Period{Months: 1}).String(); got != "2025-02-28" {
		t.Errorf("AddPeriod(1mo) = %s, want the end of February (not time.AddDate's 3 March)", got)
	}
	if got := d.AddPeriod(Period{Years: 1, Days: 1}).String(); got != "2026-02-01" {
		t.Errorf("AddPeriod(1y1d) = %s", got)
	}
	if got := (Date{}).AddPeriod(Period{Years: 1}); !got.IsZero() {
		t.Errorf("zero.AddPeriod = %v, want zero", got)
	}
	if got := DateOf(time.Date(2025, 6, 1, 23, 30, 0, 0, time.FixedZone("X", -2*3600))); got.String() != "2025-06-02" {
		t.Errorf("DateOf = %s, want the UTC day 2025-06-02", got)
	}
	if !DateOf(time.Time{}).IsZero() || (Date{}).String() != "" {
		t.Error("zero time should give the zero Date")
	}
	if !d.Before(d.AddPeriod(Period{Days: 1})) || !d.After(NewDate(2024, 12, 31)) || d.Before(d) {
		t.Error("Before/After")
	}
	if !NewDate(2025, 2, 29).Equal(NewDate(2025, 3, 1)) {
		t.Error("NewDate should normalise like time.Date")
	}
	if _, err := NewDate(10000, 1, 1).MarshalText(); err == nil {
		t.Error("MarshalText of year 10000 should fail")
	}
	var z Date
	if err := z.UnmarshalText([]byte("  ")); err != nil || !z.IsZero() {
		t.Errorf("UnmarshalText(blank) = %v, %v", z, err)
	}
	b, err := json.Marshal(struct {
		D Date `json:"d"`
		E Date `json:"e,omitzero"`
	}{D: d})
	if err != nil || string(b) != `{"d":"2025-01-31"}` {
		t.Errorf("json = %s, %v", b, err)
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in      string
		want    Period
		wantErr string
	}{
		{in: "12mo", want: Period{Months: 12}},
		{in: "6m", want: Period{Months: 6}},
		{in: "1y", want: Period{Years: 1}},
		{in: "2 years", want: Period{Years: 2}},
		{in: "90d", want: Period{Days: 90}},
		{in: "2w", want: Period{Days: 14}},
		{in: " 1Y ", want: Period{Years: 1}},
		{in: "1y6mo", want: Period{Years: 1, Months: 6}},
		{in: "1y2mo3d", want: Period{Years: 1, Months: 2, Days: 3}},
		{in: "1y 2w", want: Period{Years: 1, Days: 14}},
		{in: "1w2d", want: Period{Days: 9}},
		{in: "3d1y", want: Period{Years: 1, Days: 3}},
		{in: "10000y", want: Period{Years: 10000}},
		{in: "", wantErr: `invalid period "": want a number and a unit (d, w, mo, y), e.g. 12mo`},
		{in: "12", wantErr: `invalid period "12": want a positive number and a unit (d, w, mo, y), e.g. 12mo or 1y6mo`},
		{in: "mo", wantErr: `invalid period "mo": want a positive number and a unit (d, w, mo, y), e.g. 12mo or 1y6mo`},
		{in: "-1y", wantErr: `invalid period "-1y": want a positive number and a unit (d, w, mo, y), e.g. 12mo or 1y6mo`},
		{in: "1.5y", wantErr: `invalid period "1.5y": want a positive number and a unit (d, w, mo, y), e.g. 12mo or 1y6mo`},
		{in: "0d", wantErr: `invalid period "0d": each part must be a positive number`},
		{in: "1y0mo", wantErr: `invalid period "1y0mo": each part must be a positive number`},
		{in: "12h", wantErr: `invalid period "12h": unknown unit "h" (use d, w, mo or y)`},
		{in: "1y1y", wantErr: `invalid period "1y1y": unit "y" given twice`},
		{in: "1d2days", wantErr: `invalid period "1d2days": unit "days" given twice`},
		{in: "10001y", wantErr: `invalid period "10001y": too long (at most 10000 years)`},
		{in: "99999999999999999999999d", wantErr: `invalid period "99999999999999999999999d": too long (at most 10000 years)`},
		{in: "1y 2", wantErr: `invalid period "1y 2": want a positive number and a unit (d, w, mo, y), e.g. 12mo or 1y6mo`},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParsePeriod(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

// TestPeriodRoundTrip checks that every Period that can be written reads
// back as itself, including the mixed ones ("1y2mo3d").
func TestPeriodRoundTrip(t *testing.T) {
	tests := []struct {
		p    Period
		text string
	}{
		{Period{Years: 1}, "1y"},
		{Period{Months: 12}, "12mo"},
		{Period{Days: 14}, "2w"},
		{Period{Days: 90}, "90d"},
		{Period{Years: 1, Months: 2}, "1y2mo"},
		{Period{Years: 1, Months: 2, Days: 3}, "1y2mo3d"},
		{Period{Years: 1, Days: 14}, "1y2w"},
		{Period{Months: 6, Days: 10}, "6mo10d"},
		{Period{Days: maxPeriodDays}, "3660000d"},
		{Period{Years: maxPeriodYears, Months: maxPeriodMonths, Days: 7 * 100}, "10000y120000mo100w"},
	}
	for _, tt := range tests {
		text, err := tt.p.MarshalText()
		if err != nil || string(text) != tt.text {
			t.Errorf("%+v.MarshalText() = %q, %v; want %q", tt.p, text, err, tt.text)
			continue
		}
		var back Period
		if err := back.UnmarshalText(text); err != nil || back != tt.p {
			t.Errorf("UnmarshalText(%q) = %+v, %v; want %+v", text, back, err, tt.p)
		}
	}
	// Exhaustively over small values.
	for y := range 3 {
		for m := range 14 {
			for d := range 16 {
				p := Period{y, m, d}
				back, err := ParsePeriod(p.String())
				if p.IsZero() {
					continue
				}
				if err != nil || back != p {
					t.Fatalf("ParsePeriod(%q) = %+v, %v; want %+v", p.String(), back, err, p)
				}
			}
		}
	}
}

func TestPeriodMarshalErrors(t *testing.T) {
	for _, p := range []Period{{Months: -1}, {Years: 1, Days: -3}, {Years: maxPeriodYears + 1}, {Days: maxPeriodDays + 1}} {
		if _, err := p.MarshalText(); err == nil {
			t.Errorf("%+v.MarshalText() succeeded, want an error", p)
		}
	}
	if got, want := (Period{Months: -1}).String(), "-1mo"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	var p Period
	if err := p.UnmarshalText([]byte("")); err != nil || !p.IsZero() {
		t.Errorf("UnmarshalText(\"\") = %+v, %v", p, err)
	}
}

// Month ends are clamped, as a calendar reader expects (worked out on a
// calendar, not with the code).
func TestAddPeriodMonthEnds(t *testing.T) {
	cases := []struct {
		from string
		p    Period
		want string
	}{
		{"2026-01-31", Period{Months: 1}, "2026-02-28"},
		{"2024-01-31", Period{Months: 1}, "2024-02-29"},
		{"2024-02-29", Period{Years: 1}, "2025-02-28"},
		{"2024-02-29", Period{Years: 4}, "2028-02-29"},
		{"2026-03-31", Period{Months: -1}, "2026-02-28"},
		{"2026-11-23", Period{Months: -12}, "2025-11-23"},
		{"2026-01-15", Period{Months: -13}, "2024-12-15"},
		{"2026-12-31", Period{Months: 2, Days: 1}, "2027-03-01"},
		{"2026-05-31", Period{Years: 1, Months: 1}, "2027-06-30"},
		{"2026-11-23", Period{Days: -90}, "2026-08-25"},
	}
	for _, c := range cases {
		d, err := ParseDate(c.from)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.AddPeriod(c.p).String(); got != c.want {
			t.Errorf("%s + %+v = %s, want %s", c.from, c.p, got, c.want)
		}
	}
}
