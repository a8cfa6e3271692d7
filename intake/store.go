package intake

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

// ErrConflict is returned by [CaseStore.Save] when a record changed since
// it was loaded, a new key is already filed under another case, or an
// outbox completion comes from a worker that no longer holds the lease
// (another worker claimed the notification after the lease lapsed). The
// pipeline reloads and retries; callers of Save should do the same.
var ErrConflict = errors.New("intake: conflict with a concurrent change")

// ErrLeaseLost is the [ErrConflict] of a completion whose notification is
// no longer leased to the completing worker: its lease lapsed and another
// worker claimed it. Retrying cannot help.
var ErrLeaseLost = fmt.Errorf("%w: the notification's lease was lost", ErrConflict)

// Record is a case as a store keeps it: the case, and for each receipt the
// latest advisory its source sent, which the pipeline compares a re-fetch
// against to tell a revision from a repeat.
type Record struct {
	Case Case `json:"case"`
	// Views holds the latest advisory of each receipt, keyed by
	// [ReceiptKey] of its source and advisory ID.
	Views map[string]feeds.Advisory `json:"views"`
	// Version is the store's revision of the record: 0 for a record that
	// is not stored yet. Save bumps it by one.
	Version int64 `json:"version"`
}

// ReceiptKey is the key of a receipt's view in [Record.Views].
func ReceiptKey(source, advisoryID string) string {
	return source + "\x00" + feeds.NormalizeID(advisoryID)
}

// Change is one record's part of a [CaseStore.Save]: the record's new state,
// the events this change appended, the notifications it enqueued and the
// outbox deliveries it completes.
type Change struct {
	// Record is the new state; its Version is the version it was loaded
	// at (0 for a new case). Nil for a change that only completes outbox
	// deliveries.
	Record *Record
	// Events are the events this change appended, in order; they are the
	// tail of Record.Case.Events and go into the journal.
	Events []Event
	// Enqueue are notifications to deliver. A notification whose ID is
	// already in the outbox is not enqueued again.
	Enqueue []Notification
	// Complete are outbox updates after a delivery attempt.
	Complete []Completion
}

// Query selects cases. The zero Query selects every case.
type Query struct {
	// States selects cases in any of these states; empty means all.
	States []State
	// Owner selects cases routed to this owner; empty means any.
	Owner string
	// Since selects cases whose latest event is at or after Since; zero
	// means any.
	Since time.Time
	// Limit caps the number of cases; 0 means no cap.
	Limit int
}

// CaseStore keeps cases. Every method is safe for concurrent use, also
// from several processes on one database.
type CaseStore interface {
	// Load returns the record filed under the first of keys that any case
	// has, or an error wrapping [ErrNotFound] when none has any.
	Load(ctx context.Context, keys ...string) (*Record, error)
	// Save applies changes in one transaction: all or nothing. A record
	// whose Version no longer matches, a key already filed under another
	// case, or a completion whose lease lapsed fails the whole Save with
	// [ErrConflict]. Every event is appended to the journal in order, each
	// entry sealed with the hash of the one before.
	Save(ctx context.Context, changes ...*Change) error
	// Cases returns the cases q selects, sorted by ID.
	Cases(ctx context.Context, q *Query) ([]Case, error)
}

// JournalReader reads the append-only journal.
type JournalReader interface {
	// Journal returns up to limit entries with Seq > after, in order
	// (limit ≤ 0 means a store-chosen page size, at least 1).
	Journal(ctx context.Context, after int64, limit int) ([]JournalEntry, error)
}

// Outbox hands due notifications to delivery workers.
type Outbox interface {
	// Claim leases up to limit pending notifications that are due at now
	// (NotBefore ≤ now) and not leased by another worker whose lease is
	// still running, to worker until now+lease, earliest first. Two
	// concurrent Claims never return the same notification.
	Claim(ctx context.Context, worker string, now time.Time, lease time.Duration, limit int) ([]Notification, error)
}

// SourceStates remembers each source's fetch health and HTTP validators
// between runs and processes.
type SourceStates interface {
	SourceStates(ctx context.Context) ([]SourceState, error)
	PutSourceState(ctx context.Context, s SourceState) error
}

// Store is everything the pipeline keeps. [MemoryStore] keeps it in memory;
// package intake/sqlstore keeps it in SQLite or PostgreSQL; the conformance
// kit in intake/intaketest checks any implementation.
type Store interface {
	CaseStore
	JournalReader
	Outbox
	SourceStates
}

// SourceState is what a store remembers about a source between runs.
type SourceState struct {
	Source      string    `json:"source"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	// LastError is the latest failure's message; empty after a success.
	LastError string `json:"last_error,omitempty"`
	// Validators are the ETag and Last-Modified each URL last answered,
	// saved only once what that answer carried was recorded, so a
	// conditional GET after a restart never skips unrecorded advisories.
	Validators map[string]feedhttp.Validators `json:"validators,omitempty"`
}
