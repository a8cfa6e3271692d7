package intake

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/triage"
)

// State is where a case is in its lifecycle.
type State string

// Case states. The path is received → triaged → assigned → actioned →
// closed; a case can be rejected (with a reason) from any open state.
const (
	StateReceived State = "received"
	StateTriaged  State = "triaged"
	StateAssigned State = "assigned"
	StateActioned State = "actioned"
	StateClosed   State = "closed"
	StateRejected State = "rejected"
)

// Open reports whether the case still needs work.
func (s State) Open() bool { return s != StateClosed && s != StateRejected }

// ErrInvalidTransition is returned for a lifecycle move the case's state does not allow.
var ErrInvalidTransition = errors.New("intake: invalid transition")

// ErrNotFound is returned when no case has the given ID.
var ErrNotFound = errors.New("intake: case not found")

// next lists the allowed moves.
var next = map[State][]State{
	StateReceived: {StateTriaged, StateRejected},
	StateTriaged:  {StateTriaged, StateAssigned, StateClosed, StateRejected},
	StateAssigned: {StateTriaged, StateAssigned, StateActioned, StateClosed, StateRejected},
	StateActioned: {StateActioned, StateClosed, StateRejected},
}

// Receipt records one arrival of an advisory through one channel.
type Receipt struct {
	// Source is the feeds.Source name it came through.
	Source string `json:"source"`
	// Group is the register group whose channel that source is; empty when
	// the source is not in the register.
	Group string `json:"group,omitempty"`
	// AdvisoryID is the ID the source used.
	AdvisoryID string    `json:"advisory_id"`
	ReceivedAt time.Time `json:"received_at"`
	// Manual marks receipts entered by a person (a mailing-list post, a
	// meeting briefing); ReceivedAt is then the asserted receipt time.
	Manual bool `json:"manual,omitempty"`
}

// Event is one entry of a case's history.
type Event struct {
	At   time.Time `json:"at"`
	From State     `json:"from,omitempty"`
	To   State     `json:"to"`
	// Actor is who made the change: a person ID, or "sigwatch" for automatic steps.
	Actor string `json:"actor"`
	// Note says what happened in words.
	Note string `json:"note,omitempty"`
	// Ref is an external reference (ticket, change, commit) for actioned events.
	Ref string `json:"ref,omitempty"`
}

// Case is one vulnerability as the organisation handles it: one case per
// vulnerability, however many channels reported it.
type Case struct {
	// ID is the case key: the first CVE among the advisory's identifiers,
	// or its own ID when it has no CVE.
	ID string `json:"id"`
	// Keys are every identifier that maps to this case.
	Keys []string `json:"keys"`
	// Advisory is the merged view of every receipt's advisory.
	Advisory feeds.Advisory `json:"advisory"`
	// Receipts are every arrival, earliest first. KPIs use the earliest.
	Receipts []Receipt `json:"receipts"`
	State    State     `json:"state"`
	// Triage is the latest triage result; nil until triaged.
	Triage *triage.Result `json:"triage,omitempty"`
	// Decision is the current triage decision (copied from Triage unless a
	// person overrode it).
	Decision triage.Decision `json:"decision,omitempty"`
	Owner    string          `json:"owner,omitempty"`
	Due      time.Time       `json:"due,omitzero"`
	// TriagedAt is the time of the first triage decision.
	TriagedAt time.Time `json:"triaged_at,omitzero"`
	// ActionRef is the latest external reference recorded when actioned.
	ActionRef    string    `json:"action_ref,omitempty"`
	ClosedAt     time.Time `json:"closed_at,omitzero"`
	RejectReason string    `json:"reject_reason,omitempty"`
	Events       []Event   `json:"events"`
}

// ReceivedAt is the earliest receipt time: the one KPIs use.
func (c *Case) ReceivedAt() time.Time {
	if len(c.Receipts) == 0 {
		return time.Time{}
	}
	return c.Receipts[0].ReceivedAt
}

// FirstReceipt returns the earliest receipt.
func (c *Case) FirstReceipt() (Receipt, bool) {
	if len(c.Receipts) == 0 {
		return Receipt{}, false
	}
	return c.Receipts[0], true
}

// Clone returns a deep copy, so callers can keep a case without sharing
// state with the pipeline.
func (c *Case) Clone() Case {
	out := *c
	out.Keys = slices.Clone(c.Keys)
	out.Receipts = slices.Clone(c.Receipts)
	out.Events = slices.Clone(c.Events)
	out.Advisory = c.Advisory.Clone()
	if c.Triage != nil {
		t := *c.Triage
		t.Matches = slices.Clone(t.Matches)
		for i := range t.Matches {
			t.Matches[i].Component.Tags = slices.Clone(t.Matches[i].Component.Tags)
		}
		t.Reasons = slices.Clone(t.Reasons)
		out.Triage = &t
	}
	return out
}

// transition moves the case to a new state and records the event.
func (c *Case) transition(to State, at time.Time, actor, note, ref string) error {
	if !slices.Contains(next[c.State], to) {
		return fmt.Errorf("%w: case %s is %s and cannot become %s", ErrInvalidTransition, c.ID, c.State, to)
	}
	c.Events = append(c.Events, Event{At: at, From: c.State, To: to, Actor: actor, Note: note, Ref: ref})
	c.State = to
	return nil
}
