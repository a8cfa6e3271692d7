package vercmp

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
)

// MaxEvents caps the events of one range.
const MaxEvents = 10000

// EventRange is an OSV-style range compiled for one scheme: its events
// parsed and sorted, turned into affected intervals. It is immutable and
// safe for concurrent use; compile once, then call Contains per version.
type EventRange struct {
	scheme    Scheme
	intervals []interval
	limits    []Version // the range's limit events other than "*"
	note      string
}

// interval is one affected interval [lo, hi) or [lo, hi].
type interval struct {
	lo, hi         Version // nil lo: from the lowest version; nil hi: no end
	loText, hiText string
	hiIncl         bool // hi is a last_affected
}

func (iv interval) String() string {
	lo, hi, end := "0", "∞", ")"
	if iv.lo != nil {
		lo = iv.loText
	}
	if iv.hi != nil {
		hi = iv.hiText
		if iv.hiIncl {
			end = "]"
		}
	}
	return "[" + lo + ", " + hi + end
}

// Event kinds, indexing eventNames. Events at equal versions are not
// ordered by kind: they keep the publisher's order (the sort is stable).
const (
	evIntroduced = iota
	evFixed
	evLastAffected
	evLimit
)

var eventNames = [...]string{"introduced", "fixed", "last_affected", "limit"}

type pevent struct {
	kind int
	raw  string
	v    Version // nil for introduced "0"
}

// CompileEvents parses and sorts OSV-style events (OSV ranges, CVE 5
// version entries as the cve5feed adapter maps them, in any order) with
// scheme s, following the OSV evaluation algorithm
// (https://ossf.github.io/osv-schema/#evaluation):
//
//   - events are sorted by version with s; introduced "0" sorts before
//     every version; events at equal versions keep their given order;
//   - walking the sorted events, an introduced opens an affected interval
//     (when none is open), a fixed closes it before its version, a
//     last_affected after its version; an interval still open at the end
//     has no upper bound; at equal versions the events apply in their
//     given order, exactly as the OSV pseudocode does (introduced 1.0 then
//     fixed 1.0 affects nothing; last_affected 1.0 then fixed 1.0 does not
//     affect 1.0);
//   - limit events bound the whole range: a version is affected only below
//     at least one limit; a limit containing "*" is no limit.
//
// Errors wrap ErrInvalidRange: no events, an event with no field or more
// than one, no introduced event, a bound that s cannot parse (the error
// names the bound and wraps the parse error), bounds s cannot order.
func CompileEvents(s Scheme, events []feeds.Event) (*EventRange, error) {
	if s == nil {
		return nil, kindf(ErrInvalidRange, "no scheme")
	}
	if len(events) == 0 {
		return nil, kindf(ErrInvalidRange, "the range has no events")
	}
	if len(events) > MaxEvents {
		return nil, kindf(ErrInvalidRange, "the range has %d events, more than %d", len(events), MaxEvents)
	}
	r := &EventRange{scheme: s, note: Note(s)}
	evs := make([]pevent, 0, len(events))
	introduced := false
	for i, e := range events {
		kind, raw, n := -1, "", 0
		for k, f := range [...]string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
			if f != "" {
				kind, raw = k, f
				n++
			}
		}
		switch {
		case n == 0:
			return nil, kindf(ErrInvalidRange, "event %d sets none of introduced, fixed, last_affected, limit", i)
		case n > 1:
			return nil, kindf(ErrInvalidRange, "event %d sets more than one of introduced, fixed, last_affected, limit", i)
		}
		if kind == evIntroduced {
			introduced = true
			if raw == "0" {
				evs = append(evs, pevent{kind: kind, raw: raw})
				continue
			}
		}
		if kind == evLimit && strings.Contains(raw, "*") {
			continue // "*" is infinity: no limit
		}
		v, err := s.Parse(raw)
		if err != nil {
			return nil, wrapf(ErrInvalidRange, err, "%s bound %q (event %d)", eventNames[kind], clip(raw), i)
		}
		if kind == evLimit {
			r.limits = append(r.limits, v)
			continue
		}
		evs = append(evs, pevent{kind: kind, raw: raw, v: v})
	}
	if !introduced {
		return nil, kindf(ErrInvalidRange, "the range has no introduced event")
	}
	var sortErr error
	slices.SortStableFunc(evs, func(a, b pevent) int {
		switch {
		case a.v == nil && b.v == nil:
			return 0
		case a.v == nil:
			return -1
		case b.v == nil:
			return 1
		}
		c, err := a.v.Compare(b.v)
		if err != nil && sortErr == nil {
			sortErr = wrapf(ErrInvalidRange, err, "cannot sort the bounds %q and %q", clip(a.raw), clip(b.raw))
		}
		return c
	})
	if sortErr != nil {
		return nil, sortErr
	}
	r.intervals = intervals(evs)
	return r, nil
}

// intervals turns sorted events into the affected intervals, with exactly
// the outcome of the OSV pseudocode. Events at equal versions form a
// group, applied in their given order: at the group's version itself an
// introduced or fixed event takes effect and a last_affected does not
// (v > last_affected is false there); just above it all three do. So a
// group can open an interval (closed lower bound), close it before its
// version (fixed: ")") or after it (last_affected: "]"), or both (a
// single version: introduced v, last_affected v).
func intervals(evs []pevent) []interval {
	var out []interval
	var open *interval
	cur := false // affected just below the group
	for i := 0; i < len(evs); {
		j := i + 1
		for j < len(evs) && sameVersion(evs[i].v, evs[j].v) {
			j++
		}
		at, above := cur, cur
		for _, e := range evs[i:j] {
			switch e.kind {
			case evIntroduced:
				at, above = true, true
			case evFixed:
				at, above = false, false
			case evLastAffected:
				above = false
			}
		}
		g := evs[i]
		if !cur && at {
			open = &interval{lo: g.v, loText: g.raw}
		}
		if open != nil && !above {
			open.hi, open.hiText, open.hiIncl = g.v, g.raw, at
			out = append(out, *open)
			open = nil
		}
		cur = above
		i = j
	}
	if open != nil {
		out = append(out, *open)
	}
	return out
}

// sameVersion reports whether two sorted neighbours are equal (nil is the
// lowest version, introduced "0").
func sameVersion(a, b Version) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	c, err := a.Compare(b)
	return err == nil && c == 0
}

// String lists the affected intervals: "[1.0.0, 1.2.5) [2.0.0, ∞)", then
// the limits.
func (r *EventRange) String() string {
	if r == nil {
		return "<nil>"
	}
	parts := make([]string, 0, len(r.intervals)+1)
	for _, iv := range r.intervals {
		parts = append(parts, iv.String())
	}
	if len(r.limits) > 0 {
		parts = append(parts, "below the limit "+r.limitText())
	}
	return strings.Join(parts, " ")
}

func (r *EventRange) limitText() string {
	t := make([]string, len(r.limits))
	for i, l := range r.limits {
		t[i] = l.String()
	}
	return strings.Join(t, " or ")
}

// Contains reports whether v is inside the range, and why in words:
// "in the affected range [1.2.0, 1.2.5)", "not in the affected ranges
// [1.0, 1.1) [2.0, 2.3]". v must come from the range's scheme. The error
// (wrapping ErrIncomparable) says why v cannot be placed: a bound it
// cannot be ordered against, unless v is inside another interval anyway.
func (r *EventRange) Contains(v Version) (bool, string, error) {
	if r == nil || r.scheme == nil {
		return false, "", kindf(ErrInvalidRange, "range not compiled: use CompileEvents")
	}
	if err := checkScheme(r.scheme, v); err != nil {
		return false, "", err
	}
	var firstErr error
	if len(r.limits) > 0 {
		below := false
		for _, l := range r.limits {
			c, err := v.Compare(l)
			if err != nil {
				if firstErr == nil {
					firstErr = wrapf(ErrIncomparable, err, "version %q against the limit %q", clip(v.String()), clip(l.String()))
				}
				continue
			}
			if c < 0 {
				below = true
			}
		}
		if !below {
			if firstErr != nil {
				return false, "", firstErr
			}
			return false, r.withNote(fmt.Sprintf("at or above the range's limit %s", r.limitText())), nil
		}
	}
	for _, iv := range r.intervals {
		in, err := iv.contains(v)
		if err != nil {
			if firstErr == nil {
				firstErr = wrapf(ErrIncomparable, err, "version %q against the range %s", clip(v.String()), iv)
			}
			continue
		}
		if in {
			why := "in the affected range " + iv.String()
			if len(r.limits) > 0 {
				why += " below the limit " + r.limitText()
			}
			return true, r.withNote(why), nil
		}
	}
	if firstErr != nil {
		return false, "", firstErr
	}
	if len(r.intervals) == 0 {
		return false, r.withNote("the range affects no version (each introduced version is also fixed)"), nil
	}
	if len(r.intervals) == 1 {
		return false, r.withNote("not in the affected range " + r.intervals[0].String()), nil
	}
	parts := make([]string, len(r.intervals))
	for i, iv := range r.intervals {
		parts[i] = iv.String()
	}
	return false, r.withNote("not in the affected ranges " + strings.Join(parts, " ")), nil
}

func (r *EventRange) withNote(why string) string {
	if r.note == "" {
		return why
	}
	return why + " (" + r.note + ")"
}

// contains reports whether v is inside the interval.
func (iv interval) contains(v Version) (bool, error) {
	if iv.lo != nil {
		c, err := v.Compare(iv.lo)
		if err != nil {
			return false, err
		}
		if c < 0 {
			return false, nil
		}
	}
	if iv.hi == nil {
		return true, nil
	}
	c, err := v.Compare(iv.hi)
	if err != nil {
		return false, err
	}
	return c < 0 || iv.hiIncl && c == 0, nil
}

// InEvents reports whether v is inside the range the OSV-style events
// describe, ordering with s, and why — see CompileEvents for the rules and
// errors. Callers that test many versions against one range should
// compile it once with CompileEvents.
func InEvents(s Scheme, v Version, events []feeds.Event) (in bool, why string, err error) {
	r, err := CompileEvents(s, events)
	if err != nil {
		return false, "", err
	}
	return r.Contains(v)
}
