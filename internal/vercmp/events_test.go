package vercmp

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/sigwatch/sigwatch/feeds"
)

func intro(v string) feeds.Event { return feeds.Event{Introduced: v} }
func fixed(v string) feeds.Event { return feeds.Event{Fixed: v} }
func last(v string) feeds.Event  { return feeds.Event{LastAffected: v} }
func limit(v string) feeds.Event { return feeds.Event{Limit: v} }

func mustParse(t testing.TB, s Scheme, v string) Version {
	t.Helper()
	pv, err := s.Parse(v)
	if err != nil {
		t.Fatal(err)
	}
	return pv
}

func TestInEvents(t *testing.T) {
	sv := SemVer()
	for _, tt := range []struct {
		name    string
		s       Scheme
		events  []feeds.Event
		version string
		in      bool
		why     string
	}{
		{"inside", sv, []feeds.Event{intro("1.2.0"), fixed("1.2.5")}, "1.2.3", true, "in the affected range [1.2.0, 1.2.5)"},
		{"at_introduced", sv, []feeds.Event{intro("1.2.0"), fixed("1.2.5")}, "1.2.0", true, "in the affected range [1.2.0, 1.2.5)"},
		{"at_fixed", sv, []feeds.Event{intro("1.2.0"), fixed("1.2.5")}, "1.2.5", false, "not in the affected range [1.2.0, 1.2.5)"},
		{"below", sv, []feeds.Event{intro("1.2.0"), fixed("1.2.5")}, "1.1.9", false, "not in the affected range [1.2.0, 1.2.5)"},
		{"pre_release_of_fix", sv, []feeds.Event{intro("1.2.0"), fixed("1.2.5")}, "1.2.5-rc.1", true, "in the affected range [1.2.0, 1.2.5)"},
		{"introduced_zero", sv, []feeds.Event{intro("0"), fixed("2.0.0")}, "0.0.1", true, "in the affected range [0, 2.0.0)"},
		{"introduced_zero_only", sv, []feeds.Event{intro("0")}, "99.0.0", true, "in the affected range [0, ∞)"},
		{"no_fix", sv, []feeds.Event{intro("3.0.0")}, "3.1.0", true, "in the affected range [3.0.0, ∞)"},
		{"last_affected_at", sv, []feeds.Event{intro("0"), last("2.1.214")}, "2.1.214", true, "in the affected range [0, 2.1.214]"},
		{"last_affected_above", sv, []feeds.Event{intro("0"), last("2.1.214")}, "2.1.215", false, "not in the affected range [0, 2.1.214]"},
		{"several_first", sv, []feeds.Event{intro("1.0.0"), fixed("1.0.2"), intro("3.0.0"), fixed("3.2.5")}, "1.0.1", true, "in the affected range [1.0.0, 1.0.2)"},
		{"several_second", sv, []feeds.Event{intro("1.0.0"), fixed("1.0.2"), intro("3.0.0"), fixed("3.2.5")}, "3.2.4", true, "in the affected range [3.0.0, 3.2.5)"},
		{"several_gap", sv, []feeds.Event{intro("1.0.0"), fixed("1.0.2"), intro("3.0.0"), fixed("3.2.5")}, "2.0.0", false, "not in the affected ranges [1.0.0, 1.0.2) [3.0.0, 3.2.5)"},
		// CVE 5 ranges arrive in publisher order; the walk sorts them.
		{"unsorted", sv, []feeds.Event{fixed("3.2.5"), intro("3.0.0"), fixed("1.0.2"), intro("1.0.0")}, "3.1.0", true, "in the affected range [3.0.0, 3.2.5)"},
		{"unsorted_gap", sv, []feeds.Event{fixed("3.2.5"), intro("3.0.0"), fixed("1.0.2"), intro("1.0.0")}, "1.5.0", false, "not in the affected ranges [1.0.0, 1.0.2) [3.0.0, 3.2.5)"},
		{"limit_below", sv, []feeds.Event{intro("1.0.0"), limit("2.0.0")}, "1.5.0", true, "in the affected range [1.0.0, ∞) below the limit 2.0.0"},
		{"limit_at", sv, []feeds.Event{intro("1.0.0"), limit("2.0.0")}, "2.0.0", false, "at or above the range's limit 2.0.0"},
		{"limit_star", sv, []feeds.Event{intro("1.0.0"), limit("*")}, "9.0.0", true, "in the affected range [1.0.0, ∞)"},
		{"double_introduced", sv, []feeds.Event{intro("1.0.0"), intro("1.5.0"), fixed("2.0.0")}, "1.2.0", true, "in the affected range [1.0.0, 2.0.0)"},
		{"empty_range", sv, []feeds.Event{intro("1.0.0"), fixed("1.0.0")}, "1.0.0", false, "the range affects no version (each introduced version is also fixed)"},
		{"tie_last_affected_then_fixed", sv, []feeds.Event{intro("0"), last("1.0.0"), fixed("1.0.0")}, "1.0.0", false, "not in the affected range [0, 1.0.0)"},
		{"single_version", sv, []feeds.Event{intro("1.0.0"), last("1.0.0")}, "1.0.0", true, "in the affected range [1.0.0, 1.0.0]"},
		{"generic_hotfix", Generic(), []feeds.Event{intro("10.2.0"), fixed("10.2.9-h1")}, "10.2.9", true, "in the affected range [10.2.0, 10.2.9-h1)"},
		{"generic_hotfix_fixed", Generic(), []feeds.Event{intro("10.2.0"), fixed("10.2.9-h1")}, "10.2.9-h2", false, "not in the affected range [10.2.0, 10.2.9-h1)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, why, err := InEvents(tt.s, mustParse(t, tt.s, tt.version), tt.events)
			if err != nil {
				t.Fatal(err)
			}
			if in != tt.in || why != tt.why {
				t.Errorf("InEvents(%s) = %v, %q; want %v, %q", tt.version, in, why, tt.in, tt.why)
			}
		})
	}
}

func TestInEventsErrors(t *testing.T) {
	sv := SemVer()
	v := mustParse(t, sv, "1.0.0")
	for _, tt := range []struct {
		name   string
		s      Scheme
		events []feeds.Event
		kind   error
		want   string
	}{
		{"empty", sv, nil, ErrInvalidRange, "no events"},
		{"no_field", sv, []feeds.Event{intro("1.0.0"), {}}, ErrInvalidRange, "event 1 sets none"},
		{"two_fields", sv, []feeds.Event{{Introduced: "1.0.0", Fixed: "2.0.0"}}, ErrInvalidRange, "more than one"},
		{"no_introduced", sv, []feeds.Event{fixed("2.0.0")}, ErrInvalidRange, "no introduced event"},
		{"bad_bound", sv, []feeds.Event{intro("0"), fixed("2.0")}, ErrInvalidVersion, `fixed bound "2.0" (event 1)`},
		{"placeholder_bound", sv, []feeds.Event{intro("unspecified")}, ErrInvalidVersion, `introduced bound "unspecified"`},
		{"incomparable_bounds", Generic(), []feeds.Event{intro("22.7R1"), fixed("22.7.2")}, ErrIncomparable, "cannot sort the bounds"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s
			pv := v
			if s != sv {
				pv = mustParse(t, s, "22.7R1")
			}
			_, _, err := InEvents(s, pv, tt.events)
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v; want %v containing %q", err, tt.kind, tt.want)
			}
		})
	}
	// Zero values are errors, not panics.
	var zero EventRange
	if _, _, err := zero.Contains(v); !errors.Is(err, ErrInvalidRange) {
		t.Errorf("zero EventRange: %v", err)
	}
	var nilVers *Vers
	if _, _, err := nilVers.ContainsString("1.0.0"); !errors.Is(err, ErrInvalidRange) {
		t.Errorf("nil Vers: %v", err)
	}
	// A version from another scheme is an error, not a guess.
	g := mustParse(t, Generic(), "1.0")
	if _, _, err := InEvents(sv, g, []feeds.Event{intro("0")}); !errors.Is(err, ErrIncomparable) {
		t.Errorf("generic version in a SemVer range: %v, want ErrIncomparable", err)
	}
	// A version that cannot be placed against one interval is an error,
	// unless another interval contains it.
	r := []feeds.Event{intro("22.7R1"), fixed("22.7R3"), intro("23.1"), fixed("23.2")}
	if _, _, err := InEvents(Generic(), mustParse(t, Generic(), "22.7.5"), r); !errors.Is(err, ErrIncomparable) {
		t.Errorf("22.7.5 against [22.7R1, 22.7R3): %v, want ErrIncomparable", err)
	}
	if in, _, err := InEvents(Generic(), mustParse(t, Generic(), "23.1.5"), r); err != nil || !in {
		t.Errorf("23.1.5 against [23.1, 23.2): %v, %v; want in", in, err)
	}
}

// refVulnerable is the OSV evaluation pseudocode
// (https://ossf.github.io/osv-schema/#evaluation) written out literally
// over Masterminds/semver, a different library from the one under test.
func refVulnerable(v *semver.Version, events []feeds.Event) bool {
	parse := func(s string) *semver.Version { return semver.MustParse(s) }
	hasLimit, below := false, false
	for _, e := range events {
		if e.Limit != "" && e.Limit != "*" {
			hasLimit = true
			if v.LessThan(parse(e.Limit)) {
				below = true
			}
		}
	}
	if hasLimit && !below {
		return false
	}
	type ev struct {
		e feeds.Event
		v *semver.Version // nil for introduced "0"
	}
	var sorted []ev
	for _, e := range events {
		switch {
		case e.Introduced == "0":
			sorted = append(sorted, ev{e, nil})
		case e.Introduced != "":
			sorted = append(sorted, ev{e, parse(e.Introduced)})
		case e.Fixed != "":
			sorted = append(sorted, ev{e, parse(e.Fixed)})
		case e.LastAffected != "":
			sorted = append(sorted, ev{e, parse(e.LastAffected)})
		}
	}
	slices.SortStableFunc(sorted, func(a, b ev) int {
		switch {
		case a.v == nil && b.v == nil:
			return 0
		case a.v == nil:
			return -1
		case b.v == nil:
			return 1
		}
		return a.v.Compare(b.v)
	})
	vulnerable := false
	for _, s := range sorted {
		switch {
		case s.e.Introduced != "" && (s.v == nil || !v.LessThan(s.v)):
			vulnerable = true
		case s.e.Fixed != "" && !v.LessThan(s.v):
			vulnerable = false
		case s.e.LastAffected != "" && v.GreaterThan(s.v):
			vulnerable = false
		}
	}
	return vulnerable
}

// TestInEventsMatchesReference compares InEvents with the literal OSV
// pseudocode on random event lists in random order.
func TestInEventsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ver := func() string {
		s := fmt.Sprintf("%d.%d.%d", r.IntN(3), r.IntN(3), r.IntN(3))
		if r.IntN(5) == 0 {
			s += fmt.Sprintf("-rc.%d", r.IntN(2))
		}
		return s
	}
	for i := 0; i < 3000; i++ {
		n := 1 + r.IntN(6)
		events := []feeds.Event{intro(ver())}
		if r.IntN(3) == 0 {
			events[0] = intro("0")
		}
		for j := 1; j < n; j++ {
			switch r.IntN(7) {
			case 0, 1:
				events = append(events, intro(ver()))
			case 2, 3, 4:
				events = append(events, fixed(ver()))
			case 5:
				events = append(events, last(ver()))
			default:
				events = append(events, limit(ver()))
			}
		}
		r.Shuffle(len(events), func(a, b int) { events[a], events[b] = events[b], events[a] })
		for k := 0; k < 5; k++ {
			v := ver()
			got, why, err := InEvents(SemVer(), mustParse(t, SemVer(), v), events)
			if err != nil {
				t.Fatalf("%v with %v: %v", v, events, err)
			}
			if want := refVulnerable(semver.MustParse(v), events); got != want {
				t.Fatalf("InEvents(%s, %+v) = %v (%s), reference says %v", v, events, got, why, want)
			}
		}
	}
}

func TestCompileEventsString(t *testing.T) {
	r, err := CompileEvents(SemVer(), []feeds.Event{fixed("1.0.2"), intro("0"), intro("3.0.0"), last("3.2.5"), limit("4.0.0")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.String(), "[0, 1.0.2) [3.0.0, 3.2.5] below the limit 4.0.0"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestConcurrentUse places versions in one compiled range from several
// goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	s, err := ForRange("custom", "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := CompileEvents(s, []feeds.Event{intro("10.2.0"), fixed("10.2.9-h1")})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Go(func() {
			for j := 0; j < 200; j++ {
				v, err := s.Parse(fmt.Sprintf("10.2.%d-h%d", j%12, i))
				if err != nil {
					t.Error(err)
					return
				}
				if _, _, err := r.Contains(v); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
