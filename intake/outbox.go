package intake

import (
	"time"

	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/triage"
)

// DeliveryState is where a notification is in the outbox.
type DeliveryState string

// Delivery states.
const (
	// DeliveryPending waits for its NotBefore time (a digest slot or the
	// next retry) and a worker.
	DeliveryPending DeliveryState = "pending"
	// DeliverySent was accepted by the far end.
	DeliverySent DeliveryState = "sent"
	// DeliveryFailed was given up: a permanent error, or the last attempt failed.
	DeliveryFailed DeliveryState = "failed"
)

// Notification is one message to one recipient through one notifier about
// one case, as the outbox keeps it. It is enqueued in the same transaction
// as the event that caused it, so a case is routed and its owner told
// exactly once however many workers run.
type Notification struct {
	// ID is deterministic: the case, the position of the event that caused
	// it, the notifier and the recipient. Enqueuing an ID twice is a no-op.
	ID       string           `json:"id"`
	CaseID   string           `json:"case_id"`
	Notifier string           `json:"notifier"`
	To       notify.Recipient `json:"to"`
	// Kind is the message kind: "case.routed" or "case.revised".
	Kind     string          `json:"kind"`
	Priority triage.Priority `json:"priority,omitempty"`
	// Digest marks a notification held for its recipient's next digest.
	Digest bool `json:"digest,omitempty"`
	// Item is the case as it stood when the notification was enqueued.
	Item    notify.Item `json:"item"`
	Created time.Time   `json:"created"`
	// NotBefore is the earliest delivery time: the digest slot, or the
	// next retry after a temporary failure.
	NotBefore time.Time     `json:"not_before"`
	State     DeliveryState `json:"state"`
	Attempts  int           `json:"attempts"`
	// LeaseOwner and LeaseUntil say which worker holds it and until when.
	LeaseOwner string    `json:"lease_owner,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitzero"`
	LastError  string    `json:"last_error,omitempty"`
	// Ref is the far end's reference once sent (Jira key, SMTP reply).
	Ref string `json:"ref,omitempty"`
}

// Completion records the outcome of one delivery attempt in the outbox.
type Completion struct {
	// ID is the notification; Worker must hold its lease.
	ID     string `json:"id"`
	Worker string `json:"worker"`
	// State is sent, failed, or pending again for a retry at NotBefore.
	State     DeliveryState `json:"state"`
	Attempts  int           `json:"attempts"`
	NotBefore time.Time     `json:"not_before,omitzero"`
	Ref       string        `json:"ref,omitempty"`
	Error     string        `json:"error,omitempty"`
}
