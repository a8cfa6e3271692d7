package register

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"sync"
	"time"
)

// Revision identifies one stored version of a register, for optimistic
// concurrency: [Store.Get] returns it and [Store.Put] stores only if the
// stored version is still the one the caller read. Revisions are opaque
// strings; compare them only for equality. The empty Revision means
// "nothing stored yet".
type Revision string

// Store keeps a register: vendors (GRC products) implement it over their own
// database; [MemoryStore] and [FileStore] are sigwatch's own. The
// conformance kit in package registertest checks an implementation.
//
// Implementations must be safe for concurrent use.
type Store interface {
	// Get returns a copy of the stored register, which the caller may
	// modify, and its revision. A store with nothing stored returns an
	// empty, non-nil *Register and the empty Revision, and no error. (A
	// store that holds an empty register, such as a FileStore over an
	// existing zero-byte file, returns that register's revision.)
	Get(ctx context.Context) (*Register, Revision, error)

	// Put stores r if the stored revision is still rev (the empty Revision
	// for an empty store), and returns the new revision. Revisions of
	// different contents differ; storing the same content again may give
	// the same revision (a content hash does).
	//
	// Put stores nothing and returns an error when:
	//   - rev is stale: an error wrapping [ErrConflict];
	//   - r is nil or invalid: the error of [Register.Validate], wrapped
	//     unchanged, so errors.As with an [ErrorList] works;
	//   - r edits or removes a review record, engagement or notification
	//     already stored (reviews are audit records: history is
	//     append-only, see [AppendOnly]): an error wrapping [ErrHistory];
	//   - ctx is done: an error wrapping ctx.Err().
	//
	// Put keeps its own copy: the caller may modify r afterwards.
	Put(ctx context.Context, r *Register, rev Revision) (Revision, error)
}

// Errors that [Store] implementations return, wrapped, for callers to
// branch on with errors.Is.
var (
	// ErrConflict means the register changed since the caller read it: Get
	// it again, reapply the change and Put it (or use [Update]).
	ErrConflict = errors.New("register: revision conflict")
	// ErrHistory means a Put would edit or remove a history record (a
	// review record, engagement or notification) already stored.
	ErrHistory = errors.New("register: history records are append-only")
)

// AppendOnly reports whether new keeps every history record of old: each
// review record, engagement and notification of each group of old must
// still be in the group with the same ID in new, equal field by field. New
// records may be added anywhere in a list and lists may be reordered; a
// record that occurs twice in old must occur at least twice in new.
//
// It returns nil, or an error wrapping [ErrHistory] that names the group and
// the first record of old (in register order) that new edits or drops:
//
//	register: history records are append-only: group "cisa-kev": review record 2025-11-02 by akhan (keep) was edited
//
// A group removed from new drops its records too: that is a history change
// unless the group has no history records or its latest review in old
// (by date, see [Review.Last]) has the outcome "retire". So a group is
// retired in two steps: store a review with outcome retire, then remove the
// group. Renaming a group's ID counts as removing it.
//
// Store implementations call AppendOnly in Put with the stored register as
// old. A nil old has no history; a nil new is an empty register.
func AppendOnly(old, new *Register) error {
	if old == nil {
		return nil
	}
	byID := make(map[string]*Group)
	if new != nil {
		for i := range new.Groups {
			if _, dup := byID[new.Groups[i].ID]; !dup {
				byID[new.Groups[i].ID] = &new.Groups[i]
			}
		}
	}
	seen := make(map[string]bool, len(old.Groups))
	for i := range old.Groups {
		og := &old.Groups[i]
		if seen[og.ID] {
			continue // an invalid register; the first group with the ID counts
		}
		seen[og.ID] = true
		ng := byID[og.ID]
		if ng == nil {
			if last, ok := og.Review.Last(); ok && last.Outcome == OutcomeRetire {
				continue
			}
			if what := firstRecord(og); what != "" {
				return fmt.Errorf("%w: group %q: removed with its %s (and any later records); a group may be removed once its latest review has outcome %q",
					ErrHistory, og.ID, what, OutcomeRetire)
			}
			continue
		}
		if i, edited := missing(og.Review.Records, ng.Review.Records, func(a, b *ReviewRecord) bool { return a.Date.Equal(b.Date) && a.By == b.By }); i >= 0 {
			return historyError(og.ID, describeReview(&og.Review.Records[i]), edited)
		}
		if i, edited := missing(og.Engagements, ng.Engagements, func(a, b *Engagement) bool { return a.Date.Equal(b.Date) && a.Kind == b.Kind }); i >= 0 {
			return historyError(og.ID, describeEngagement(&og.Engagements[i]), edited)
		}
		if i, edited := missing(og.Notifications, ng.Notifications, func(a, b *Notification) bool { return a.Date.Equal(b.Date) && a.Event == b.Event }); i >= 0 {
			return historyError(og.ID, describeNotification(&og.Notifications[i]), edited)
		}
	}
	return nil
}

func historyError(group, record string, edited bool) error {
	verb := "removed"
	if edited {
		verb = "edited"
	}
	return fmt.Errorf("%w: group %q: %s was %s", ErrHistory, group, record, verb)
}

// firstRecord describes the first history record of g, or returns "".
func firstRecord(g *Group) string {
	switch {
	case len(g.Review.Records) > 0:
		return describeReview(&g.Review.Records[0])
	case len(g.Engagements) > 0:
		return describeEngagement(&g.Engagements[0])
	case len(g.Notifications) > 0:
		return describeNotification(&g.Notifications[0])
	}
	return ""
}

func describeReview(r *ReviewRecord) string {
	return fmt.Sprintf("review record %s by %s (%s)", r.Date, r.By, r.Outcome)
}

func describeEngagement(e *Engagement) string {
	return fmt.Sprintf("engagement %s %s", e.Date, e.Kind)
}

func describeNotification(n *Notification) string {
	return fmt.Sprintf("notification %s %s (%s)", n.Date, n.Event, n.Authority)
}

// missing returns the index of the first record of old that has no equal
// record in new, each record of new matching at most one of old; edited
// reports whether new has a record with the same key (sameKey), which makes
// the loss an edit rather than a removal. It returns -1 when none is missing.
func missing[T any](old, new []T, sameKey func(a, b *T) bool) (index int, edited bool) {
	if len(old) == 0 {
		return -1, false
	}
	used := make([]bool, len(new))
	for i := range old {
		found := false
		for j := range new {
			if !used[j] && equalValue(reflect.ValueOf(&old[i]).Elem(), reflect.ValueOf(&new[j]).Elem()) {
				used[j], found = true, true
				break
			}
		}
		if found {
			continue
		}
		for j := range new {
			if sameKey(&old[i], &new[j]) {
				return i, true
			}
		}
		return i, false
	}
	return -1, false
}

var storeDateType = reflect.TypeFor[Date]()

// equalValue reports whether a and b, of the same type, hold equal values:
// Dates by day, everything else field by field. It follows the model's
// types as they grow, so a field added to a history record is protected
// without a change here.
func equalValue(a, b reflect.Value) bool {
	if a.Type() == storeDateType {
		return a.Interface().(Date).Equal(b.Interface().(Date))
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Kind() == reflect.Interface && a.Elem().Type() != b.Elem().Type() {
			return false
		}
		return equalValue(a.Elem(), b.Elem())
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() || !equalValue(a.MapIndex(k), bv) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if !equalValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	}
	return false // channels, funcs: not in the model
}

// cloneRegister returns a deep copy of r: no slice, pointer or map of the
// copy is shared with r. Like equalValue, it follows the model's types.
func cloneRegister(r *Register) *Register {
	if r == nil {
		return nil
	}
	c := new(Register)
	deepCopy(reflect.ValueOf(c).Elem(), reflect.ValueOf(r).Elem())
	return c
}

// deepCopy sets dst, a settable zero value, to a deep copy of src. Structs
// are copied whole first, so unexported fields (a Date's time.Time, which
// holds only immutable data) come along.
func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		v := reflect.New(src.Elem().Type()).Elem()
		deepCopy(v, src.Elem())
		dst.Set(v)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			deepCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			v := reflect.New(src.Type().Elem()).Elem()
			deepCopy(v, it.Value())
			m.SetMapIndex(it.Key(), v)
		}
		dst.Set(m)
	case reflect.Struct:
		dst.Set(src)
		for i := range src.NumField() {
			if f := dst.Field(i); f.CanSet() {
				f.SetZero()
				deepCopy(f, src.Field(i))
			}
		}
	default:
		dst.Set(src)
	}
}

// updateAttempts is how many times Update tries before giving up on
// conflicts.
const updateAttempts = 5

// Update changes the stored register: it gets the register, applies fn to
// the copy, and puts it back with the revision it read. When another writer
// got there first (an error wrapping [ErrConflict]) it pauses for a random
// time (under 10 ms, then under 20, 40 and 80 ms) and starts again, up to 5
// attempts in all, so fn may be called more than once and must only change
// the register it is given. It returns the new revision.
//
// An error from fn is returned unchanged and nothing is stored. Other errors
// (from Get, Put or ctx) are returned at once; after the last conflict the
// error wraps ErrConflict. Update is the usual way to change one group:
//
//	rev, err := register.Update(ctx, store, func(r *register.Register) error {
//		g, ok := r.Group("cisa-kev")
//		if !ok {
//			return errors.New("no group cisa-kev")
//		}
//		g.Review.Records = append(g.Review.Records, record)
//		return nil
//	})
func Update(ctx context.Context, s Store, fn func(*Register) error) (Revision, error) {
	var err error
	for attempt := range updateAttempts {
		if attempt > 0 {
			if werr := backoff(ctx, attempt); werr != nil {
				return "", fmt.Errorf("register: update: %w", werr)
			}
		}
		r, rev, gerr := s.Get(ctx)
		if gerr != nil {
			return "", gerr
		}
		if r == nil {
			r = new(Register)
		}
		if ferr := fn(r); ferr != nil {
			return "", ferr
		}
		newRev, perr := s.Put(ctx, r, rev)
		if perr == nil {
			return newRev, nil
		}
		if !errors.Is(perr, ErrConflict) {
			return "", perr
		}
		err = perr
	}
	return "", fmt.Errorf("register: update: gave up after %d attempts: %w", updateAttempts, err)
}

// backoff waits a random time below 10·2^(attempt-1) milliseconds, so
// that writers that collided spread out, or until ctx is done.
func backoff(ctx context.Context, attempt int) error {
	timer := time.NewTimer(rand.N(10 * time.Millisecond << (attempt - 1)))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// MemoryStore is a [Store] that keeps the register in memory, for tests,
// demos and single-process tools. It copies registers in and out. Its
// revisions are decimal counters ("1", "2", …) that never repeat.
//
// The zero MemoryStore is an empty store ready to use. A MemoryStore must
// not be copied after first use.
type MemoryStore struct {
	mu  sync.Mutex
	reg *Register // nil when empty
	rev Revision
	n   uint64 // Puts so far; the revision is its decimal form
}

// NewMemoryStore returns a store holding a copy of initial, at revision "1";
// a nil initial gives an empty store. It fails, with the error of
// [Register.Validate], for an invalid initial register.
func NewMemoryStore(initial *Register) (*MemoryStore, error) {
	s := new(MemoryStore)
	if initial == nil {
		return s, nil
	}
	c := cloneRegister(initial)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	s.reg, s.n, s.rev = c, 1, "1"
	return s, nil
}

// Get implements [Store].
func (s *MemoryStore) Get(ctx context.Context) (*Register, Revision, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", fmt.Errorf("register: get: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reg == nil {
		return new(Register), s.rev, nil
	}
	return cloneRegister(s.reg), s.rev, nil
}

// Put implements [Store].
func (s *MemoryStore) Put(ctx context.Context, r *Register, rev Revision) (Revision, error) {
	c, err := preparePut(ctx, r)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("register: put: %w", err)
	}
	if rev != s.rev {
		return "", conflict(rev, s.rev)
	}
	if err := AppendOnly(s.reg, c); err != nil {
		return "", err
	}
	s.n++
	s.reg, s.rev = c, Revision(strconv.FormatUint(s.n, 10))
	return s.rev, nil
}

// preparePut checks ctx, copies r and validates the copy: the checks every
// Put makes before it looks at the stored register.
func preparePut(ctx context.Context, r *Register) (*Register, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("register: put: %w", err)
	}
	if r == nil {
		return nil, ErrorList{{Msg: "put: nil register"}}
	}
	c := cloneRegister(r)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// conflict returns the error for a Put with revision rev when cur is stored.
func conflict(rev, cur Revision) error {
	if cur == "" {
		return fmt.Errorf("%w: put with revision %q, but nothing is stored", ErrConflict, rev)
	}
	if rev == "" {
		return fmt.Errorf("%w: put as a new register, but revision %q is stored", ErrConflict, cur)
	}
	return fmt.Errorf("%w: put with revision %q, but revision %q is stored", ErrConflict, rev, cur)
}
