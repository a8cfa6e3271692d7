package vercmp

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseComparators(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []Constraint
	}{
		{"< 3.1", []Constraint{{"<", "3.1"}}},
		{">= 2.0, < 3.0", []Constraint{{">=", "2.0"}, {"<", "3.0"}}},
		{"<=4.1", []Constraint{{"<=", "4.1"}}},
		{">= 1.7.0, < 1.18.4", []Constraint{{">=", "1.7.0"}, {"<", "1.18.4"}}},
		{"< 1.26.18", []Constraint{{"<", "1.26.18"}}},
		{">= 8.0.0", []Constraint{{">=", "8.0.0"}}},
		{"> 1.0,<2.0", []Constraint{{">", "1.0"}, {"<", "2.0"}}},
		{"  = 10.2.9-h1  ", []Constraint{{"=", "10.2.9-h1"}}},
		{"!= 2.2.1, >= 2.2.0", []Constraint{{"!=", "2.2.1"}, {">=", "2.2.0"}}},
	} {
		got, err := ParseComparators(tt.in)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseComparators(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"", "empty"},
		{"   ", "empty"},
		{"1.2.3", "expected a comparator"},
		{"2.0 and later", "expected a comparator"},
		{"== 1.0", "unexpected character '='"},
		{"=> 1.0", "unexpected character '>'"},
		{"vers:npm/>=1.0.0", "use ParseVers"},
		{">= 1.0,", "empty comparator"},
		{", < 1.0", "empty comparator"},
		{"<", "no version after <"},
		{"< *", "unexpected character '*'"},
		{"< 3.1 (all)", `unexpected text after the version "3.1"`},
		{"< 1.0 < 2.0", `unexpected text after the version "1.0"`},
		{">= 1.0 and < 2.0", `unexpected text after the version "1.0"`},
		{"<\t1.0", "unexpected character"},
		{strings.Repeat("<1,", 17) + "<1", "more than 16 comparators"},
		{strings.Repeat("1", MaxComparatorsLen+1), "longer than"},
	} {
		_, err := ParseComparators(tt.in)
		if !errors.Is(err, ErrInvalidRange) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseComparators(%q) error = %v; want ErrInvalidRange containing %q", tt.in, err, tt.want)
		}
	}
}

func TestMatchComparators(t *testing.T) {
	cs, err := ParseComparators(">= 1.7.0, < 1.18.4")
	if err != nil {
		t.Fatal(err)
	}
	s := SemVer()
	for v, want := range map[string]string{
		"1.7.0":  "satisfies >=1.7.0, <1.18.4",
		"1.18.3": "satisfies >=1.7.0, <1.18.4",
		"1.18.4": "does not satisfy <1.18.4",
		"1.6.9":  "does not satisfy >=1.7.0",
	} {
		in, why, err := MatchComparators(s, mustParse(t, s, v), cs)
		if err != nil || why != want || in != strings.HasPrefix(want, "satisfies") {
			t.Errorf("%s: %v, %q, %v; want %q", v, in, why, err, want)
		}
	}
	eq, _ := ParseComparators("= 10.2.9-h1")
	if in, why, err := MatchComparators(Generic(), mustParse(t, Generic(), "10.2.9-h1"), eq); err != nil || !in || why != "satisfies =10.2.9-h1" {
		t.Errorf("= 10.2.9-h1: %v, %q, %v", in, why, err)
	}
	bad, _ := ParseComparators("< 1.x")
	if _, _, err := MatchComparators(s, mustParse(t, s, "1.0.0"), bad); !errors.Is(err, ErrInvalidVersion) {
		t.Errorf("< 1.x: error %v, want ErrInvalidVersion", err)
	}
	if _, _, err := MatchComparators(s, mustParse(t, s, "1.0.0"), nil); !errors.Is(err, ErrInvalidRange) {
		t.Errorf("no comparators: error %v, want ErrInvalidRange", err)
	}
}

// FuzzParseComparators checks that ParseComparators never panics and that
// every comparator it returns has a known operator and a clean version.
func FuzzParseComparators(f *testing.F) {
	for _, s := range []string{"< 3.1", ">= 2.0, < 3.0", "<=4.1", "1.2.3", "== 1", ", <1", "< 3.1 (all)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := ParseComparators(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidRange) {
				t.Fatalf("error %v does not wrap ErrInvalidRange", err)
			}
			return
		}
		for _, c := range cs {
			switch c.Comparator {
			case "<", "<=", ">", ">=", "=", "!=":
			default:
				t.Fatalf("%q: comparator %q", s, c.Comparator)
			}
			if c.Version == "" || strings.ContainsAny(c.Version, " ,<>=!*|") {
				t.Fatalf("%q: version %q", s, c.Version)
			}
		}
	})
}
