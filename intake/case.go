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

// EventKind says what an event records beyond a state change.
type EventKind string

// Event kinds. A state transition has no kind (From and To say it); the
// kinds mark events that leave the state as it is, or open a case.
const (
	// EventReceived opens a case: the first receipt.
	EventReceived EventKind = "received"
	// EventReceipt is a later receipt of the same vulnerability through
	// another channel.
	EventReceipt EventKind = "receipt"
	// EventRevision records a changed advisory from a source already seen.
	EventRevision EventKind = "revision"
	// EventNotified records a delivered notification (the internal
	// communication record auditors ask for).
	EventNotified EventKind = "notified"
	// EventNotifyFailed records a notification given up after its last attempt.
	EventNotifyFailed EventKind = "notify_failed"
	// EventException records an accepted exception to the SLA, with its expiry.
	EventException EventKind = "exception"
)

// Event is one entry of a case's history.
type Event struct {
	At time.Time `json:"at"`
	// Kind is empty for a state transition.
	Kind EventKind `json:"kind,omitempty"`
	From State     `json:"from,omitempty"`
	To   State     `json:"to"`
	// Actor is who made the change: a person ID, or "sigwatch" for automatic steps.
	Actor string `json:"actor"`
	// Note says what happened in words.
	Note string `json:"note,omitempty"`
	// Ref is an external reference: the ticket, change or commit of an
	// actioned event, or the far end's reference of a notification.
	Ref string `json:"ref,omitempty"`
	// Notifier and Recipient name the channel and the person of a
	// notification event.
	Notifier  string `json:"notifier,omitempty"`
	Recipient string `json:"recipient,omitempty"`
	// Until is the expiry of an exception event.
	Until time.Time `json:"until,omitzero"`
	// Decision is the triage decision a move to triaged recorded (and the
	// new decision of a re-triage of an actioned case).
	Decision triage.Decision `json:"decision,omitempty"`
}

// Exception is an accepted deviation from the case's SLA: until it
// expires, the case is not overdue.
type Exception struct {
	Reason string    `json:"reason"`
	Until  time.Time `json:"until"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
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
	// Exception is the latest SLA exception; nil when none was granted.
	Exception *Exception `json:"exception,omitempty"`
	Events    []Event    `json:"events"`
}

// Overdue reports whether the open case is past its due date at now, with
// no exception running.
func (c *Case) Overdue(now time.Time) bool {
	if !c.State.Open() || c.Due.IsZero() || !now.After(c.Due) {
		return false
	}
	return c.Exception == nil || !now.Before(c.Exception.Until)
}

// Priority is the latest triage priority, empty before triage.
func (c *Case) Priority() triage.Priority {
	if c.Triage == nil {
		return ""
	}
	return c.Triage.Priority
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
			t.Matches[i].SSVC.Assumed = slices.Clone(t.Matches[i].SSVC.Assumed)
		}
		t.Reasons = slices.Clone(t.Reasons)
		t.Unchecked = slices.Clone(t.Unchecked)
		out.Triage = &t
	}
	if c.Exception != nil {
		e := *c.Exception
		out.Exception = &e
	}
	return out
}

// At returns the case as it stood at t, rebuilt from its receipts and
// events, for reports "as of" a past instant. ok is false when the case did
// not exist yet: it has receipts and the earliest came after t.
//
// Receipts and events after t are dropped. State is the state the last
// remaining event left the case in. When the first triage came after t,
// the triage result, decision, owner and due date are cleared; otherwise
// the decision is the last one an event recorded at or before t. ClosedAt
// is cleared when after t, ActionRef is the reference of the last move to
// actioned at or before t, and Exception the last one granted at or before
// t (from the exception events, or the case's own exception when no event
// records one). Not rebuilt, because the events do not record them: the
// merged advisory (revisions received after t are in it) and a change of
// owner after the first triage. A case without events (built by hand or
// imported) is rebuilt from its dates only: closed after t, it is open
// (assigned) at t.
func (c *Case) At(t time.Time) (Case, bool) {
	out := c.Clone()
	if len(c.Receipts) > 0 && c.ReceivedAt().After(t) {
		return Case{}, false
	}
	out.Receipts = slices.DeleteFunc(out.Receipts, func(r Receipt) bool { return r.ReceivedAt.After(t) })
	out.Events = slices.DeleteFunc(out.Events, func(e Event) bool { return e.At.After(t) })
	// The exception: the last granted by t, from the events when any
	// records one, else the case's own (a case built by hand or imported).
	exceptionEvents := slices.ContainsFunc(c.Events, func(e Event) bool { return e.Kind == EventException })
	if exceptionEvents || (out.Exception != nil && out.Exception.At.After(t)) {
		out.Exception = nil
	}
	if len(out.Events) == 0 {
		// No history to replay: only what the dates say.
		if !out.State.Open() && out.ClosedAt.After(t) {
			out.State, out.ClosedAt = StateAssigned, time.Time{}
		}
		return out, true
	}
	out.State = out.Events[len(out.Events)-1].To
	if !out.TriagedAt.IsZero() && out.TriagedAt.After(t) {
		out.TriagedAt, out.Triage, out.Decision, out.Owner, out.Due = time.Time{}, nil, "", "", time.Time{}
	}
	if out.ClosedAt.After(t) {
		out.ClosedAt = time.Time{}
	}
	out.ActionRef = ""
	for _, e := range out.Events {
		switch {
		case e.Kind == "" && e.To == StateActioned:
			out.ActionRef = e.Ref
		case e.Kind == EventException:
			out.Exception = &Exception{Reason: e.Note, Until: e.Until, By: e.Actor, At: e.At}
		}
		if e.Decision != "" && !out.TriagedAt.IsZero() {
			out.Decision = e.Decision
		}
	}
	if out.State != StateRejected {
		out.RejectReason = ""
	}
	return out, true
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
