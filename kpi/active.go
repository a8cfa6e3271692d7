package kpi

import (
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/register"
)

// ActiveMembershipsID identifies the definition ActiveMemberships implements.
const ActiveMembershipsID = "kpi.active-memberships/v1"

// ActiveMembershipsDefinition is the exact definition of KPI 1.
const ActiveMembershipsDefinition = "Count of register entries, overall and by kind, that at the as-of instant t " +
	"have membership status active, a start (since) on or before t's UTC day, an end (until) that is empty or " +
	"on or after t's UTC day (until = t's day counts as active), and a primary owner who is set, known in the " +
	"register and active. An entry with no start recorded counts as started and is listed under missing_since. " +
	"Entries with an active membership but no active owner are reported as active_without_active_owner and are " +
	"not counted. The denominator is the number of register entries evaluated; the value is a count and is never n/a."

// Reasons an entry is not counted as an active membership.
const (
	ReasonMembershipNotActive  = "membership-not-active"  // status is not "active"
	ReasonMembershipNotStarted = "membership-not-started" // since is after t's day
	ReasonMembershipEnded      = "membership-ended"       // until is before t's day
	ReasonOwnerMissing         = "owner-missing"          // no owner set (orphan)
	ReasonOwnerUnknown         = "owner-unknown"          // owner not among the register's people (orphan)
	ReasonOwnerInactive        = "owner-inactive"         // owner has left (orphan)
	ReasonDuplicateGroup       = "duplicate-group-id"     // a later entry with an ID already seen
)

// ActiveMembershipsResult is KPI 1. Value and Numerator are the number of
// active memberships; Denominator is the number of register entries evaluated.
type ActiveMembershipsResult struct {
	Measure
	// ByKind counts the active memberships per group kind; an empty kind is
	// counted as "unspecified".
	ByKind map[register.Kind]int `json:"by_kind"`
	// Active are the IDs of the counted entries, sorted.
	Active []string `json:"active"`
	// ActiveWithoutActiveOwner are the orphaned entries: membership active at
	// t but the owner missing, unknown or inactive. They are not counted.
	ActiveWithoutActiveOwner []Orphan `json:"active_without_active_owner"`
	// MissingSince are counted entries with no membership start recorded:
	// stated so the gap is visible, not hidden.
	MissingSince []string `json:"missing_since"`
}

// Orphan is an entry whose membership is active but whose owner is not.
type Orphan struct {
	Group string        `json:"group"`
	Kind  register.Kind `json:"kind"`
	// Owner is the owner ID as recorded (empty when missing).
	Owner string `json:"owner"`
	// Reason is ReasonOwnerMissing, ReasonOwnerUnknown or ReasonOwnerInactive.
	Reason string `json:"reason"`
}

// ActiveMemberships computes KPI 1 at the instant asOf. A nil register is an
// empty one.
//
// Membership dates are calendar days, so asOf is compared by its UTC day:
// since ≤ day(t) and (until empty or until ≥ day(t)). A membership with no
// start date counts as started, as [register.Membership.ActiveAt] has it,
// and is listed in MissingSince. The register records no dates for people,
// so "owner active at t" is the person's Active flag in the register given.
func ActiveMemberships(reg *register.Register, asOf time.Time) ActiveMembershipsResult {
	if reg == nil {
		reg = &register.Register{}
	}
	asOf = asOf.UTC()
	day := register.DateOf(asOf)
	res := ActiveMembershipsResult{
		Measure: Measure{KPI: 1, ID: ActiveMembershipsID, Name: "Active memberships",
			Definition: ActiveMembershipsDefinition, AsOf: asOf, Unit: UnitCount},
		ByKind: map[register.Kind]int{}, Active: []string{},
		ActiveWithoutActiveOwner: []Orphan{}, MissingSince: []string{},
	}
	excl := exclusions{}
	seen := map[string]bool{}
	hashed := make([]activeInput, 0, len(reg.Groups))
	for i := range reg.Groups {
		g := &reg.Groups[i]
		in := activeInput{Group: g.ID, Kind: string(g.Kind), Owner: g.Owner,
			Status: string(g.Membership.Status), Since: g.Membership.Since.String(), Until: g.Membership.Until.String()}
		if p, ok := reg.Person(g.Owner); ok && g.Owner != "" {
			in.OwnerKnown, in.OwnerActive = true, p.IsActive()
		}
		hashed = append(hashed, in)
		if seen[g.ID] {
			excl.add(ReasonDuplicateGroup, g.ID)
			continue
		}
		seen[g.ID] = true
		res.Denominator++
		m := &g.Membership
		switch {
		case m.Status != register.MembershipActive:
			excl.add(ReasonMembershipNotActive, g.ID)
			continue
		case !m.Since.IsZero() && day.Before(m.Since):
			excl.add(ReasonMembershipNotStarted, g.ID)
			continue
		case !m.Until.IsZero() && m.Until.Before(day):
			excl.add(ReasonMembershipEnded, g.ID)
			continue
		}
		if reason := ownerProblem(g.Owner, in); reason != "" {
			excl.add(reason, g.ID)
			res.ActiveWithoutActiveOwner = append(res.ActiveWithoutActiveOwner,
				Orphan{Group: g.ID, Kind: g.Kind, Owner: g.Owner, Reason: reason})
			continue
		}
		kind := g.Kind
		if kind == "" {
			kind = "unspecified"
		}
		res.ByKind[kind]++
		res.Active = append(res.Active, g.ID)
		if m.Since.IsZero() {
			res.MissingSince = append(res.MissingSince, g.ID)
		}
	}
	slices.Sort(res.Active)
	slices.Sort(res.MissingSince)
	slices.SortFunc(res.ActiveWithoutActiveOwner, func(a, b Orphan) int { return strings.Compare(a.Group, b.Group) })
	res.Numerator = len(res.Active)
	v := float64(res.Numerator)
	res.Value = &v
	res.Exclusions, res.Excluded = excl.list()

	// The hash covers the fields this KPI reads, in group-ID order (stable
	// for duplicates, which keep their register order).
	slices.SortStableFunc(hashed, func(a, b activeInput) int { return strings.Compare(a.Group, b.Group) })
	res.InputHash = hashInputs(struct {
		Definition string        `json:"definition"`
		AsOf       time.Time     `json:"as_of"`
		Groups     []activeInput `json:"groups"`
	}{ActiveMembershipsID, asOf, hashed})
	return res
}

func ownerProblem(owner string, in activeInput) string {
	switch {
	case strings.TrimSpace(owner) == "":
		return ReasonOwnerMissing
	case !in.OwnerKnown:
		return ReasonOwnerUnknown
	case !in.OwnerActive:
		return ReasonOwnerInactive
	}
	return ""
}

// activeInput is the part of a group KPI 1 reads, as hashed.
type activeInput struct {
	Group       string `json:"group"`
	Kind        string `json:"kind"`
	Status      string `json:"status"`
	Since       string `json:"since"`
	Until       string `json:"until"`
	Owner       string `json:"owner"`
	OwnerKnown  bool   `json:"owner_known"`
	OwnerActive bool   `json:"owner_active"`
}
