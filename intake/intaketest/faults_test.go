package intaketest_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/intaketest"
)

// faulty wraps a MemoryStore and breaks one promise, to show that the kit
// notices.
type faulty struct {
	*intake.MemoryStore
	fault  string
	mu     sync.Mutex        // guards leased and last: the checks call concurrently
	leased map[string]string // notification → worker, for complete-ignores-worker
	last   []intake.Notification
}

func (f *faulty) Load(ctx context.Context, keys ...string) (*intake.Record, error) {
	switch f.fault {
	case "case-sensitive-keys":
		for _, k := range keys {
			if k != strings.ToUpper(k) || k != strings.TrimSpace(k) {
				return nil, intake.ErrNotFound
			}
		}
	case "ignores-context":
		ctx = context.Background()
	}
	r, err := f.MemoryStore.Load(ctx, keys...)
	if f.fault == "missing-is-nil" && errors.Is(err, intake.ErrNotFound) {
		return nil, nil
	}
	return r, err
}

func (f *faulty) Save(ctx context.Context, changes ...*intake.Change) error {
	if f.fault == "not-atomic" {
		for _, c := range changes {
			if err := f.MemoryStore.Save(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}
	if f.fault == "complete-ignores-worker" {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, c := range changes {
			if c == nil {
				continue
			}
			for i := range c.Complete {
				if w, ok := f.leased[c.Complete[i].ID]; ok {
					c.Complete[i].Worker = w
				}
			}
		}
	}
	err := f.MemoryStore.Save(ctx, changes...)
	switch {
	case f.fault == "swallows-conflicts" && errors.Is(err, intake.ErrConflict):
		return nil
	case f.fault == "conflict-as-plain-error" && errors.Is(err, intake.ErrConflict):
		return errors.New("write failed")
	case f.fault == "malformed-as-conflict" && err != nil && !errors.Is(err, intake.ErrConflict) && !errors.Is(err, context.Canceled):
		return intake.ErrConflict
	}
	return err
}

func (f *faulty) Cases(ctx context.Context, q *intake.Query) ([]intake.Case, error) {
	if f.fault == "query-ignores-owner" && q != nil {
		c := *q
		c.Owner = ""
		q = &c
	}
	return f.MemoryStore.Cases(ctx, q)
}

func (f *faulty) Journal(ctx context.Context, after int64, limit int) ([]intake.JournalEntry, error) {
	page, err := f.MemoryStore.Journal(ctx, after, limit)
	if f.fault == "journal-unchained" && len(page) > 0 {
		page[len(page)-1].Prev = intake.GenesisHash
	}
	return page, err
}

func (f *faulty) Claim(ctx context.Context, worker string, now time.Time, lease time.Duration, limit int) ([]intake.Notification, error) {
	switch f.fault {
	case "claim-ignores-due-time":
		now = now.Add(24 * time.Hour)
	case "claim-ignores-limit":
		limit = 1000
	}
	got, err := f.MemoryStore.Claim(ctx, worker, now, lease, limit)
	f.mu.Lock()
	defer f.mu.Unlock()
	switch f.fault {
	case "complete-ignores-worker":
		if f.leased == nil {
			f.leased = map[string]string{}
		}
		for _, n := range got {
			f.leased[n.ID] = n.LeaseOwner
		}
	case "claims-overlap":
		prev := f.last
		f.last = got
		if len(got) == 0 && len(prev) > 0 {
			return prev[:1], err // hand one notification out a second time
		}
	case "claim-duplicates":
		if len(got) > 0 {
			got = append(got[:1:1], got...)
		}
	}
	return got, err
}

func (f *faulty) SourceStates(ctx context.Context) ([]intake.SourceState, error) {
	s, err := f.MemoryStore.SourceStates(ctx)
	if f.fault == "source-states-unsorted" {
		slices.Reverse(s)
	}
	return s, err
}

func TestKitCatchesFaults(t *testing.T) {
	for _, tc := range []struct{ fault, check string }{
		{"case-sensitive-keys", "RoundTrip"},
		{"ignores-context", "CancelledContext"},
		{"swallows-conflicts", "Versions"},
		{"swallows-conflicts", "ConcurrentSaves"},
		{"conflict-as-plain-error", "Versions"},
		{"malformed-as-conflict", "BadChanges"},
		{"query-ignores-owner", "Query"},
		{"journal-unchained", "Journal"},
		{"claim-ignores-due-time", "Claim"},
		{"claim-ignores-limit", "Claim"},
		{"source-states-unsorted", "SourceStates"},
		{"missing-is-nil", "LoadMissing"},
		{"not-atomic", "AllOrNothing"},
		{"not-atomic", "KeyOwnership"},
		{"complete-ignores-worker", "Complete"},
		{"claims-overlap", "ConcurrentClaims"},
		{"claim-duplicates", "Enqueue"},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			err := intaketest.Check(context.Background(), func() (intake.Store, error) {
				return &faulty{MemoryStore: intake.NewMemoryStore(), fault: tc.fault}, nil
			})
			if err == nil || !strings.Contains(err.Error(), tc.check+": ") {
				t.Fatalf("the kit did not catch %s in check %s; it said: %v", tc.fault, tc.check, err)
			}
		})
	}
	if err := intaketest.Check(context.Background(), func() (intake.Store, error) { return intake.NewMemoryStore(), nil }); err != nil {
		t.Fatalf("a correct store failed the kit: %v", err)
	}
}
