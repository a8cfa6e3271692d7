package intake

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

// MemoryStore is a [Store] in memory: for tests, demos and one-shot runs.
// It is safe for concurrent use. The zero value is not usable; call
// [NewMemoryStore].
type MemoryStore struct {
	mu      sync.Mutex
	records map[string]*Record // by case ID
	keys    map[string]string  // identifier → case ID
	journal []JournalEntry
	outbox  map[string]*Notification
	order   []string // outbox IDs in enqueue order
	sources map[string]SourceState
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{records: map[string]*Record{}, keys: map[string]string{},
		outbox: map[string]*Notification{}, sources: map[string]SourceState{}}
}

// Load implements [CaseStore].
func (m *MemoryStore) Load(ctx context.Context, keys ...string) (*Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		if id, ok := m.keys[feeds.NormalizeID(k)]; ok {
			r := cloneRecord(m.records[id])
			return &r, nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrNotFound, strings.Join(keys, ", "))
}

// Save implements [CaseStore].
func (m *MemoryStore) Save(ctx context.Context, changes ...*Change) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := CheckChanges(changes); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	// Check everything before writing anything: all or nothing.
	for _, c := range changes {
		if c.Record != nil {
			id := c.Record.Case.ID
			cur, exists := m.records[id]
			switch {
			case c.Record.Version == 0 && exists:
				return fmt.Errorf("%w: case %s was opened by someone else", ErrConflict, id)
			case c.Record.Version != 0 && !exists:
				return fmt.Errorf("%w: case %s (version %d) is not stored", ErrConflict, id, c.Record.Version)
			case exists && cur.Version != c.Record.Version:
				return fmt.Errorf("%w: case %s is at version %d, the change was made to version %d", ErrConflict, id, cur.Version, c.Record.Version)
			}
			for _, k := range c.Record.Case.Keys {
				if owner, ok := m.keys[k]; ok && owner != id {
					return fmt.Errorf("%w: key %s is filed under case %s, not %s", ErrConflict, k, owner, id)
				}
			}
		}
		for _, d := range c.Complete {
			n, ok := m.outbox[d.ID]
			switch {
			case !ok:
				return fmt.Errorf("intake: completion of unknown notification %q", d.ID)
			case n.State != DeliveryPending || n.LeaseOwner != d.Worker:
				return fmt.Errorf("%w: notification %s is not leased to %s", ErrLeaseLost, d.ID, d.Worker)
			}
		}
	}
	head := GenesisHash
	if n := len(m.journal); n > 0 {
		head = m.journal[n-1].Hash
	}
	var entries []JournalEntry
	for _, c := range changes {
		if c.Record == nil {
			continue
		}
		for _, ev := range c.Events {
			e, err := Seal(int64(len(m.journal)+len(entries)), head, c.Record.Case.ID, ev)
			if err != nil {
				return err
			}
			entries = append(entries, e)
			head = e.Hash
		}
	}
	m.journal = append(m.journal, entries...)
	for _, c := range changes {
		if r := c.Record; r != nil {
			r.Version++
			stored := cloneRecord(r)
			m.records[r.Case.ID] = &stored
			for _, k := range r.Case.Keys {
				m.keys[k] = r.Case.ID
			}
		}
		for _, n := range c.Enqueue {
			if _, ok := m.outbox[n.ID]; ok {
				continue
			}
			n.State, n.LeaseOwner, n.LeaseUntil = DeliveryPending, "", time.Time{}
			m.outbox[n.ID] = &n
			m.order = append(m.order, n.ID)
		}
		for _, d := range c.Complete {
			n := m.outbox[d.ID]
			n.State, n.Attempts, n.Ref, n.LastError = d.State, d.Attempts, d.Ref, d.Error
			if !d.NotBefore.IsZero() {
				n.NotBefore = d.NotBefore
			}
			n.LeaseOwner, n.LeaseUntil = "", time.Time{}
		}
	}
	return nil
}

// Cases implements [CaseStore].
func (m *MemoryStore) Cases(ctx context.Context, q *Query) ([]Case, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []Case{}
	for _, id := range slices.Sorted(maps.Keys(m.records)) {
		c := &m.records[id].Case
		if q.Match(c) {
			out = append(out, c.Clone())
			if q != nil && q.Limit > 0 && len(out) == q.Limit {
				break
			}
		}
	}
	return out, nil
}

// Journal implements [JournalReader].
func (m *MemoryStore) Journal(ctx context.Context, after int64, limit int) ([]JournalEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if limit <= 0 {
		limit = 1000
	}
	if after < 0 {
		after = 0
	}
	if after >= int64(len(m.journal)) {
		return nil, nil
	}
	end := min(int64(len(m.journal)), after+int64(limit))
	out := make([]JournalEntry, end-after)
	copy(out, m.journal[after:end])
	for i := range out {
		out[i].Body = slices.Clone(out[i].Body)
	}
	return out, nil
}

// Claim implements [Outbox].
func (m *MemoryStore) Claim(ctx context.Context, worker string, now time.Time, lease time.Duration, limit int) ([]Notification, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if worker == "" || lease <= 0 || limit <= 0 {
		return nil, fmt.Errorf("intake: Claim needs a worker name, a positive lease and a positive limit")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var due []*Notification
	for _, id := range m.order {
		n := m.outbox[id]
		if n.State == DeliveryPending && !n.NotBefore.After(now) && (n.LeaseOwner == "" || !n.LeaseUntil.After(now)) {
			due = append(due, n)
		}
	}
	slices.SortStableFunc(due, func(a, b *Notification) int { return a.NotBefore.Compare(b.NotBefore) })
	var out []Notification
	for _, n := range due[:min(limit, len(due))] {
		n.LeaseOwner, n.LeaseUntil = worker, now.Add(lease)
		out = append(out, *n)
	}
	return out, nil
}

// Notifications returns every notification in the outbox in enqueue order,
// for reports and tests.
func (m *MemoryStore) Notifications(ctx context.Context) ([]Notification, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Notification, 0, len(m.order))
	for _, id := range m.order {
		out = append(out, *m.outbox[id])
	}
	return out, nil
}

// SourceStates implements [SourceStates].
func (m *MemoryStore) SourceStates(ctx context.Context) ([]SourceState, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]SourceState, 0, len(m.sources))
	for _, name := range slices.Sorted(maps.Keys(m.sources)) {
		s := m.sources[name]
		s.Validators = maps.Clone(s.Validators)
		out = append(out, s)
	}
	return out, nil
}

// PutSourceState implements [SourceStates].
func (m *MemoryStore) PutSourceState(ctx context.Context, s SourceState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if strings.TrimSpace(s.Source) == "" {
		return fmt.Errorf("intake: source state without a source name")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s.Validators = maps.Clone(s.Validators)
	m.sources[s.Source] = s
	return nil
}

// Match reports whether q selects c. A nil Query selects every case.
func (q *Query) Match(c *Case) bool {
	if q == nil {
		return true
	}
	if len(q.States) > 0 && !slices.Contains(q.States, c.State) {
		return false
	}
	if q.Owner != "" && c.Owner != q.Owner {
		return false
	}
	if !q.Since.IsZero() && c.LastActivity().Before(q.Since) {
		return false
	}
	return true
}

// LastActivity is the time of the case's latest event.
func (c *Case) LastActivity() time.Time {
	var t time.Time
	for _, e := range c.Events {
		if e.At.After(t) {
			t = e.At
		}
	}
	return t
}

// CheckChanges validates the shape of a Save's changes, for store
// implementations: every record has a case ID and keys, its events are the
// tail of its case's events, no case appears twice, keys are normalised
// (upper-case, trimmed) and claimed by one case only, and no notification
// is enqueued or completed twice.
func CheckChanges(changes []*Change) error {
	cases, enq, done, keys := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]string{}
	for i, c := range changes {
		if c == nil {
			return fmt.Errorf("intake: Save: change %d is nil", i)
		}
		if r := c.Record; r != nil {
			id := r.Case.ID
			switch {
			case strings.TrimSpace(id) == "":
				return fmt.Errorf("intake: Save: change %d has a case without an ID", i)
			case cases[id]:
				return fmt.Errorf("intake: Save: case %s appears in two changes", id)
			case !slices.Contains(r.Case.Keys, id):
				return fmt.Errorf("intake: Save: case %s is not among its own keys", id)
			case r.Version < 0:
				return fmt.Errorf("intake: Save: case %s has a negative version", id)
			case len(c.Events) > len(r.Case.Events):
				return fmt.Errorf("intake: Save: case %s: %d new events but the case has %d", id, len(c.Events), len(r.Case.Events))
			}
			for _, k := range r.Case.Keys {
				switch other, dup := keys[k]; {
				case k != feeds.NormalizeID(k) || k == "":
					return fmt.Errorf("intake: Save: case %s has key %q; keys are upper-case, without surrounding spaces", id, k)
				case dup:
					return fmt.Errorf("intake: Save: key %s is claimed by cases %s and %s in one Save", k, other, id)
				}
				keys[k] = id
			}
			cases[id] = true
		} else if len(c.Events) > 0 || len(c.Enqueue) > 0 {
			return fmt.Errorf("intake: Save: change %d has events or notifications but no record", i)
		}
		for _, n := range c.Enqueue {
			if n.ID == "" || enq[n.ID] {
				return fmt.Errorf("intake: Save: notification ID %q is empty or enqueued twice", n.ID)
			}
			enq[n.ID] = true
		}
		for _, d := range c.Complete {
			if d.ID == "" || done[d.ID] {
				return fmt.Errorf("intake: Save: completion ID %q is empty or given twice", d.ID)
			}
			if d.State != DeliverySent && d.State != DeliveryFailed && d.State != DeliveryPending {
				return fmt.Errorf("intake: Save: completion of %s has unknown state %q", d.ID, d.State)
			}
			done[d.ID] = true
		}
	}
	return nil
}

func cloneRecord(r *Record) Record {
	out := Record{Case: r.Case.Clone(), Version: r.Version, Views: make(map[string]feeds.Advisory, len(r.Views))}
	for k, v := range r.Views {
		out.Views[k] = v.Clone()
	}
	return out
}
