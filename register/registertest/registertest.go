package registertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/register"
)

// Run runs every check as a subtest of t. newStore is called once per check,
// with the subtest's t, and must return a new, empty store; clean it up with
// t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) register.Store) {
	t.Helper()
	if newStore == nil {
		t.Fatal("registertest: newStore is nil")
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
			defer cancel()
			c.fn(ctx, t, func() register.Store {
				s := newStore(t)
				if s == nil {
					t.Fatal("registertest: newStore returned nil")
				}
				return s
			})
		})
	}
}

// Check runs every check on stores that newStore returns (a new, empty
// store on each call) and returns the problems found, joined, each
// prefixed with the name of its check; nil means the store conforms. It is
// for use outside tests (a health check of a deployment, a certification
// tool); in tests use [Run].
func Check(newStore func() register.Store) error {
	if newStore == nil {
		return errors.New("registertest: newStore is nil")
	}
	var errs []error
	for _, c := range checks {
		col := &collector{}
		ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
		c.fn(ctx, col, func() register.Store {
			s := newStore()
			if s == nil {
				return nilStore{}
			}
			return s
		})
		cancel()
		for _, msg := range col.msgs {
			errs = append(errs, fmt.Errorf("%s: %s", c.name, msg))
		}
	}
	return errors.Join(errs...)
}

// collector is a reporter that keeps the reports, for Check.
type collector struct {
	mu   sync.Mutex
	msgs []string
}

func (c *collector) Helper() {}

func (c *collector) Errorf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, fmt.Sprintf(format, args...))
}

// nilStore stands in for a nil store from newStore in Check.
type nilStore struct{}

var errNilStore = errors.New("registertest: newStore returned nil")

func (nilStore) Get(context.Context) (*register.Register, register.Revision, error) {
	return nil, "", errNilStore
}

func (nilStore) Put(context.Context, *register.Register, register.Revision) (register.Revision, error) {
	return "", errNilStore
}

// checkTimeout bounds each check, so that a store that hangs fails the check
// (if it honours ctx) instead of the test binary.
const checkTimeout = 60 * time.Second

// reporter is the part of *testing.T the checks use; the kit's own tests
// record what a check reports about a broken store.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

type check struct {
	name string
	fn   func(ctx context.Context, t reporter, newStore func() register.Store)
}

var checks = []check{
	{"Empty", checkEmpty},
	{"RoundTrip", checkRoundTrip},
	{"Revisions", checkRevisions},
	{"StaleRevision", checkStale},
	{"Invalid", checkInvalid},
	{"History", checkHistory},
	{"AppendHistory", checkAppendHistory},
	{"RemoveRetired", checkRemoveRetired},
	{"Isolation", checkIsolation},
	{"CancelledContext", checkCancelled},
	{"CompareAndSwap", checkCompareAndSwap},
	{"ConcurrentUpdates", checkConcurrentUpdates},
}

func checkEmpty(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	if !expectStored(ctx, t, s, "empty store", new(register.Register), "") {
		return
	}
	for _, rev := range []register.Revision{"1", "0", "bogus"} {
		if _, err := put(ctx, s, rich(), rev); !errors.Is(err, register.ErrConflict) {
			t.Errorf("Put on an empty store with revision %q: got error %v, want one wrapping register.ErrConflict", rev, err)
		}
	}
	if !expectStored(ctx, t, s, "after conflicting Puts on an empty store", new(register.Register), "") {
		return
	}
	rev, err := put(ctx, s, new(register.Register), "")
	if err != nil {
		t.Errorf("Put of an empty register on an empty store: %v", err)
		return
	}
	if rev == "" {
		t.Errorf("Put of an empty register returned the empty revision")
	}
}

func checkRoundTrip(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	want := rich()
	rev, err := put(ctx, s, want, "")
	if err != nil {
		t.Errorf("Put of a valid register on an empty store: %v", err)
		return
	}
	if rev == "" {
		t.Errorf("Put returned the empty revision")
	}
	if !expectStored(ctx, t, s, "after Put", want, rev) {
		return
	}
	// A second Get gives the same again.
	expectStored(ctx, t, s, "on a second Get", want, rev)
}

func checkRevisions(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	seen := map[register.Revision]int{}
	var rev register.Revision
	for i := range 4 {
		r := rich()
		r.Organisation.Name = fmt.Sprintf("Northwind Payments Ltd (version %d)", i)
		next, err := put(ctx, s, r, rev)
		if err != nil {
			t.Errorf("Put %d with the revision the previous Put returned: %v", i+1, err)
			return
		}
		if next == "" {
			t.Errorf("Put %d returned the empty revision", i+1)
			return
		}
		if j, dup := seen[next]; dup {
			t.Errorf("Put %d returned revision %q, as Put %d of different content did", i+1, next, j+1)
		}
		seen[next] = i
		rev = next
		if !expectStored(ctx, t, s, fmt.Sprintf("after Put %d", i+1), r, rev) {
			return
		}
	}
}

func checkStale(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	a, b, c := rich(), rich(), rich()
	b.Organisation.Name, c.Organisation.Name = "B", "C"
	rev1, err := put(ctx, s, a, "")
	if err != nil {
		t.Errorf("first Put: %v", err)
		return
	}
	rev2, err := put(ctx, s, b, rev1)
	if err != nil {
		t.Errorf("second Put with the first Put's revision: %v", err)
		return
	}
	for _, stale := range []register.Revision{rev1, "", "not-a-revision"} {
		if _, err := put(ctx, s, c, stale); !errors.Is(err, register.ErrConflict) {
			t.Errorf("Put with stale revision %q: got error %v, want one wrapping register.ErrConflict", stale, err)
		}
	}
	if !expectStored(ctx, t, s, "after Puts with stale revisions", b, rev2) {
		return
	}
	rev3, err := put(ctx, s, c, rev2)
	if err != nil {
		t.Errorf("Put with the current revision after conflicts: %v", err)
		return
	}
	expectStored(ctx, t, s, "after the Put with the current revision", c, rev3)
}

func checkInvalid(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	invalid := func() *register.Register {
		r := rich()
		r.Groups[0].Owner = "nobody" // a dangling owner
		return r
	}
	if err := invalid().Validate(); err == nil {
		t.Errorf("registertest: the invalid register validates")
		return
	}
	expectInvalid := func(what string, r *register.Register, rev register.Revision) {
		t.Helper()
		_, err := put(ctx, s, r, rev)
		var list register.ErrorList
		switch {
		case err == nil:
			t.Errorf("Put of %s: no error", what)
		case !errors.As(err, &list):
			t.Errorf("Put of %s: got error %v, want one errors.As finds a register.ErrorList in", what, err)
		case errors.Is(err, register.ErrConflict):
			t.Errorf("Put of %s with the current revision: the error wraps ErrConflict: %v", what, err)
		}
	}
	expectInvalid("a register with a dangling owner on an empty store", invalid(), "")
	expectInvalid("a nil register on an empty store", nil, "")
	if !expectStored(ctx, t, s, "after invalid Puts on an empty store", new(register.Register), "") {
		return
	}
	want := rich()
	rev, err := put(ctx, s, want, "")
	if err != nil {
		t.Errorf("Put of a valid register: %v", err)
		return
	}
	expectInvalid("a register with a dangling owner", invalid(), rev)
	expectInvalid("a nil register", nil, rev)
	expectStored(ctx, t, s, "after invalid Puts", want, rev)
}

// historyEdits are changes to rich() that edit or drop stored history.
var historyEdits = []struct {
	name string
	edit func(r *register.Register)
}{
	{"review_outcome_changed", func(r *register.Register) { r.Groups[0].Review.Records[0].Outcome = register.OutcomeChange }},
	{"review_notes_changed", func(r *register.Register) { r.Groups[0].Review.Records[1].Notes += " (amended)" }},
	{"review_date_changed", func(r *register.Register) {
		rec := &r.Groups[1].Review.Records[0]
		rec.Date = rec.Date.AddPeriod(register.Period{Days: 1})
	}},
	{"review_dropped", func(r *register.Register) {
		recs := &r.Groups[0].Review.Records
		*recs = (*recs)[:len(*recs)-1]
	}},
	{"review_replaced", func(r *register.Register) {
		rec := &r.Groups[0].Review.Records[0]
		rec.By = "akhan"
	}},
	{"engagement_dropped", func(r *register.Register) { r.Groups[0].Engagements = r.Groups[0].Engagements[1:] }},
	{"engagement_who_changed", func(r *register.Register) { r.Groups[0].Engagements[0].Who = []string{"jlee"} }},
	{"engagement_tlp_changed", func(r *register.Register) { r.Groups[0].Engagements[0].TLP = "CLEAR" }},
	{"notification_authority_changed", func(r *register.Register) { r.Groups[0].Notifications[0].Authority = "PRA" }},
	{"notification_dropped", func(r *register.Register) { r.Groups[3].Notifications = r.Groups[3].Notifications[:1] }},
	{"all_history_cleared", func(r *register.Register) {
		g := &r.Groups[1]
		g.Review.Records, g.Engagements, g.Notifications = nil, nil, nil
	}},
	{"group_removed", func(r *register.Register) { r.Groups = slices.Delete(r.Groups, 1, 2) }},
	{"group_renamed", func(r *register.Register) { r.Groups[1].ID = "cisa-kev-catalog" }},
}

func checkHistory(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	want := rich()
	rev, err := put(ctx, s, want, "")
	if err != nil {
		t.Errorf("Put of a valid register: %v", err)
		return
	}
	for _, tc := range historyEdits {
		r := rich()
		tc.edit(r)
		if err := r.Validate(); err != nil {
			t.Errorf("registertest: %s: the edited register is invalid: %v", tc.name, err)
			continue
		}
		if _, err := put(ctx, s, r, rev); !errors.Is(err, register.ErrHistory) {
			t.Errorf("%s: Put: got error %v, want one wrapping register.ErrHistory", tc.name, err)
		}
		if !expectStored(ctx, t, s, "after "+tc.name, want, rev) {
			return
		}
	}
}

func checkAppendHistory(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	rev, err := put(ctx, s, rich(), "")
	if err != nil {
		t.Errorf("Put of a valid register: %v", err)
		return
	}
	r := rich()
	g := &r.Groups[0]
	g.Review.Records = append(g.Review.Records, register.ReviewRecord{
		Date: register.NewDate(2026, time.January, 20), By: "akhan", Outcome: register.OutcomeKeep, Notes: "Renewed for 2026.",
	})
	// A review done earlier but recorded late, kept in date order.
	g.Review.Records = slices.Insert(g.Review.Records, 1, register.ReviewRecord{
		Date: register.NewDate(2024, time.September, 1), By: "mokafor", Outcome: register.OutcomeKeep,
	})
	g.Engagements = append(g.Engagements, register.Engagement{
		Date: register.NewDate(2026, time.February, 3), Kind: "meeting", Who: []string{"akhan"}, TLP: "GREEN",
	})
	g.Notifications = append(g.Notifications, register.Notification{
		Event: register.NotifiedLeft, Date: register.NewDate(2026, time.March, 1), Authority: "FCA",
	})
	// Fields that are not history may change.
	g.Relevance = "Sector sharing for UK and EU payments; changed after the 2026 review."
	g.Owner, g.Backup = g.Backup, g.Owner
	g.Membership.Status = register.MembershipEnded
	g.Membership.Until = register.NewDate(2026, time.March, 1)
	r.Groups[1].Engagements = append([]register.Engagement{{Date: register.NewDate(2023, time.May, 5), Kind: "webinar"}}, r.Groups[1].Engagements...)
	rev2, err := put(ctx, s, r, rev)
	if err != nil {
		t.Errorf("Put adding history records and editing other fields: %v", err)
		return
	}
	if !expectStored(ctx, t, s, "after adding history", r, rev2) {
		return
	}
	// Records added to a new group.
	r2 := clone(r)
	r2.Groups = append(r2.Groups, register.Group{
		ID: "owasp", Name: "OWASP Foundation", Kind: register.KindProfessionalBody, Owner: "akhan",
		Review: register.Review{Records: []register.ReviewRecord{{Date: register.NewDate(2026, time.April, 1), By: "akhan", Outcome: register.OutcomeKeep}}},
	})
	rev3, err := put(ctx, s, r2, rev2)
	if err != nil {
		t.Errorf("Put adding a group with history: %v", err)
		return
	}
	expectStored(ctx, t, s, "after adding a group with history", r2, rev3)
}

func checkRemoveRetired(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	base := rich()
	base.Groups = append(base.Groups, register.Group{ID: "no-history", Name: "A group without history", Kind: register.KindMailingList})
	rev, err := put(ctx, s, base, "")
	if err != nil {
		t.Errorf("Put of a valid register: %v", err)
		return
	}
	r := clone(base)
	r.Groups = slices.DeleteFunc(r.Groups, func(g register.Group) bool { return g.ID == "old-forum" || g.ID == "no-history" })
	if len(r.Groups) != len(base.Groups)-2 {
		t.Errorf("registertest: rich register lacks group old-forum")
		return
	}
	rev2, err := put(ctx, s, r, rev)
	if err != nil {
		t.Errorf("Put removing a retired group and a group without history: %v", err)
		return
	}
	expectStored(ctx, t, s, "after removing a retired group", r, rev2)
}

func checkIsolation(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	want := rich()
	arg := rich()
	rev, err := put(ctx, s, arg, "")
	if err != nil {
		t.Errorf("Put of a valid register: %v", err)
		return
	}
	scribble(reflect.ValueOf(arg).Elem())
	arg.Groups = append(arg.Groups[:1], arg.Groups[2:]...)
	if !expectStored(ctx, t, s, "after the caller changed every value of the register it passed to Put", want, rev) {
		return
	}
	got, _, err := s.Get(ctx)
	if err != nil {
		t.Errorf("Get: %v", err)
		return
	}
	scribble(reflect.ValueOf(got).Elem())
	got.People = got.People[:1]
	expectStored(ctx, t, s, "after the caller changed every value of a register Get returned", want, rev)
}

func checkCancelled(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := get(done, s); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context: got error %v, want one wrapping context.Canceled", err)
	}
	if _, err := put(done, s, rich(), ""); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: got error %v, want one wrapping context.Canceled", err)
	}
	if !expectStored(ctx, t, s, "after a Put with a cancelled context on an empty store", new(register.Register), "") {
		return
	}
	want := rich()
	rev, err := put(ctx, s, want, "")
	if err != nil {
		t.Errorf("Put of a valid register: %v", err)
		return
	}
	r := rich()
	r.Organisation.Name = "changed"
	if _, err := put(done, s, r, rev); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: got error %v, want one wrapping context.Canceled", err)
	}
	expectStored(ctx, t, s, "after a Put with a cancelled context", want, rev)
}

func checkCompareAndSwap(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	rev, err := put(ctx, s, rich(), "")
	if err != nil {
		t.Errorf("Put of a valid register: %v", err)
		return
	}
	// Several rounds, as a race between a revision check and a write
	// does not show every time.
	const rounds, n = 10, 8
	for round := range rounds {
		regs := make([]*register.Register, n)
		revs := make([]register.Revision, n)
		errs := make([]error, n)
		for i := range n {
			regs[i] = rich()
			regs[i].Organisation.Name = fmt.Sprintf("round %d, writer %d", round, i)
		}
		var ready, wg sync.WaitGroup
		start := make(chan struct{})
		ready.Add(n)
		for i := range n {
			wg.Go(func() {
				ready.Done()
				<-start
				revs[i], errs[i] = put(ctx, s, regs[i], rev)
			})
		}
		ready.Wait()
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("round %d: two of %d simultaneous Puts with revision %q succeeded (writers %d and %d): one update is lost", round, n, rev, winner, i)
			case err == nil:
				winner = i
			case !errors.Is(err, register.ErrConflict):
				t.Errorf("round %d: simultaneous Put %d: got error %v, want nil or one wrapping register.ErrConflict", round, i, err)
			}
		}
		if winner < 0 {
			t.Errorf("round %d: none of %d simultaneous Puts with the current revision succeeded", round, n)
			return
		}
		if !expectStored(ctx, t, s, fmt.Sprintf("after round %d of simultaneous Puts", round), regs[winner], revs[winner]) {
			return
		}
		rev = revs[winner]
	}
}

func checkConcurrentUpdates(ctx context.Context, t reporter, newStore func() register.Store) {
	s := newStore()
	if _, err := put(ctx, s, rich(), ""); err != nil {
		t.Errorf("Put of a valid register: %v", err)
		return
	}
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			id := fmt.Sprintf("worker-%02d", i)
			// Update gives up after a few conflicts; under this much
			// contention that can happen, so try again: the check is
			// about lost updates, not about Update's patience.
			for range 50 {
				_, errs[i] = update(ctx, s, func(r *register.Register) error {
					r.Groups = append(r.Groups, register.Group{ID: id, Name: "Group added by " + id, Kind: register.KindForum, Owner: "akhan"})
					return nil
				})
				if !errors.Is(errs[i], register.ErrConflict) {
					return
				}
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Update by worker %d: %v", i, err)
		}
	}
	got, _, err := get(ctx, s)
	if err != nil {
		t.Errorf("Get: %v", err)
		return
	}
	want := rich()
	for i := range n {
		id := fmt.Sprintf("worker-%02d", i)
		if _, ok := got.Group(id); !ok && errs[i] == nil {
			t.Errorf("group %s, added by an Update that succeeded, is missing: a lost update", id)
		}
	}
	if len(got.Groups) != len(want.Groups)+n {
		t.Errorf("after %d Updates adding one group each: %d groups, want %d", n, len(got.Groups), len(want.Groups)+n)
	}
	for _, g := range want.Groups {
		if _, ok := got.Group(g.ID); !ok {
			t.Errorf("group %s, stored before the Updates, is missing", g.ID)
		}
	}
}

// expectStored reports whether the store holds want at revision rev,
// reporting the difference when it does not (rev "" expects an empty
// store's revision).
func expectStored(ctx context.Context, t reporter, s register.Store, when string, want *register.Register, rev register.Revision) bool {
	t.Helper()
	got, gotRev, err := get(ctx, s)
	if err != nil {
		t.Errorf("Get %s: %v", when, err)
		return false
	}
	ok := true
	if gotRev != rev {
		t.Errorf("Get %s: revision %q, want %q", when, gotRev, rev)
		ok = false
	}
	if got == nil {
		t.Errorf("Get %s: nil register, want a non-nil one", when)
		return false
	}
	if d := diff(got, want); d != "" {
		t.Errorf("Get %s: register differs from the one stored:\n%s", when, d)
		ok = false
	}
	return ok
}

// get and put call the store, turning a panic into an error.
func get(ctx context.Context, s register.Store) (r *register.Register, rev register.Revision, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("registertest: Get panicked: %v", p)
		}
	}()
	return s.Get(ctx)
}

func put(ctx context.Context, s register.Store, r *register.Register, rev register.Revision) (next register.Revision, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("registertest: Put panicked: %v", p)
		}
	}()
	return s.Put(ctx, r, rev)
}

func update(ctx context.Context, s register.Store, fn func(*register.Register) error) (rev register.Revision, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("registertest: Update panicked: %v", p)
		}
	}()
	return register.Update(ctx, s, fn)
}

// diff compares two registers by their YAML (so a nil list equals an
// empty one) and describes the first difference, or returns "".
func diff(got, want *register.Register) string {
	g, err := yamlOf(got)
	if err != nil {
		return "cannot write the register Get returned: " + err.Error()
	}
	w, err := yamlOf(want)
	if err != nil {
		return "registertest: cannot write the expected register: " + err.Error()
	}
	if g == w {
		return ""
	}
	gl, wl := strings.Split(g, "\n"), strings.Split(w, "\n")
	i := 0
	for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
		i++
	}
	line := func(l []string, i int) string {
		if i < len(l) {
			return fmt.Sprintf("%q", l[i])
		}
		return "(end)"
	}
	ctxStart := max(0, i-3)
	return fmt.Sprintf("first difference at line %d of the YAML:\n  got:  %s\n  want: %s\ncontext (want):\n%s",
		i+1, line(gl, i), line(wl, i), strings.Join(wl[ctxStart:min(len(wl), i+1)], "\n"))
}

func yamlOf(r *register.Register) (string, error) {
	var b bytes.Buffer
	err := r.WriteYAML(&b)
	return b.String(), err
}

// clone copies a register through its YAML writer and parser, independently
// of the stores' own copying.
func clone(r *register.Register) *register.Register {
	var b bytes.Buffer
	if err := r.WriteYAML(&b); err != nil {
		panic("registertest: " + err.Error())
	}
	c, err := register.Parse(&b, "clone")
	if err != nil {
		panic("registertest: " + err.Error())
	}
	return c
}

var dateType = reflect.TypeFor[register.Date]()

// scribble changes every value reachable from v, which must be settable:
// strings get a suffix, booleans flip, numbers grow, dates move, nil
// pointers stay nil. If a store shares any part of a register with its
// caller, scribbling the caller's copy shows in the store.
func scribble(v reflect.Value) {
	if v.Type() == dateType {
		d := v.Interface().(register.Date)
		if d.IsZero() {
			d = register.NewDate(2000, time.January, 1)
		}
		v.Set(reflect.ValueOf(d.AddPeriod(register.Period{Years: 1, Days: 3})))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "~")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(v.Float() + 1)
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() && v.Elem().CanSet() {
			scribble(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			scribble(v.Index(i))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			e := reflect.New(it.Value().Type()).Elem()
			e.Set(it.Value())
			scribble(e)
			v.SetMapIndex(it.Key(), e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				scribble(f)
			}
		}
	}
}

// rich returns a valid register that sets every field of the model, with
// text that is easy to get wrong: several lines, trailing new lines,
// non-ASCII letters, and values that look like YAML numbers, dates or
// booleans.
func rich() *register.Register {
	yes, no := true, false
	d := register.NewDate
	return &register.Register{
		Organisation: register.Organisation{
			Name:        "Northwind Payments Ltd",
			Regions:     []string{"uk", "eu"},
			Sectors:     []string{"financial-services"},
			Regulations: []string{"dora"},
		},
		People: []register.Person{
			{ID: "akhan", Name: "Aisha Khan", Email: "aisha.khan@northwind.example", Role: "Network Engineer", Technical: true},
			{ID: "jlee", Name: "James Lee", Email: "james.lee@northwind.example", Role: "Security Operations Lead", Technical: true, Active: &yes},
			{ID: "mokafor", Name: "Maria Okafor", Email: "maria.okafor@northwind.example", Role: "Head of Governance, Risk & Compliance"},
			{ID: "rpatel", Name: "Ravi Patel-Müller", Role: "Security Architect (left 2025-08)", Technical: true, Active: &no},
		},
		Groups: []register.Group{
			{
				ID:        "fs-isac",
				Name:      "FS-ISAC",
				Kind:      register.KindISAC,
				Purpose:   register.PurposePeerExchange,
				URL:       "https://www.fsisac.com/",
				Relevance: "Sector threat sharing for payments: fraud campaigns, ransomware actors targeting banks.",
				Scope: register.Scope{
					Regions:    []string{"global"},
					Sectors:    []string{"financial-services"},
					Vendors:    []string{"all"},
					Ecosystems: []string{"Go", "npm"},
				},
				Owner:  "jlee",
				Backup: "akhan",
				Membership: register.Membership{
					Status:    register.MembershipActive,
					Since:     d(2024, time.January, 15),
					Until:     d(2027, time.January, 14),
					Renewal:   d(2026, time.January, 15),
					Level:     "core member",
					Reference: "0012345",
					Proof: []register.Proof{
						{Ref: "FS-ISAC invoice INV-2024-0183", Kind: "invoice", Date: d(2024, time.January, 10),
							SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
						{Ref: "member portal access confirmed 2024-01-22"},
						{Ref: "2024-01-22", Kind: "portal"},
					},
					TLP:   "AMBER+STRICT",
					Terms: "Members only; Chatham House rule: no attribution.",
				},
				Channels: []register.Channel{
					{Kind: "rss", URL: "https://portal.fsisac.example/feeds/alerts.xml?lang=en&format=rss", Source: "fs-isac-portal", Every: register.Period{Days: 1}},
					{Kind: "manual", Source: "fs-isac-calls", Every: register.Period{Days: 14}},
				},
				Review: register.Review{
					Every: register.Period{Months: 6},
					Records: []register.ReviewRecord{
						{Date: d(2024, time.July, 15), By: "jlee", Outcome: register.OutcomeKeep, Notes: "First review: worth the fee."},
						{Date: d(2025, time.January, 20), By: "jlee", Outcome: register.OutcomeChange,
							Notes: "Moved the alert feed to the SOC queue.\nAdded akhan as backup.\n"},
					},
				},
				Engagements: []register.Engagement{
					{Date: d(2024, time.October, 8), Kind: "conference", Who: []string{"jlee", "akhan"}, Notes: "EMEA summit, Amsterdam — talk on card-skimming kits", TLP: "AMBER"},
					{Date: d(2025, time.March, 3), Kind: "contribution", Who: []string{"jlee"}, Notes: "Shared IOCs from a phishing wave", TLP: "GREEN"},
				},
				Notifications: []register.Notification{
					{Event: register.NotifiedJoined, Date: d(2024, time.February, 1), Authority: "FCA", Ref: "FCA case 2024/118"},
				},
			},
			{
				ID:        "cisa-kev",
				Name:      "CISA Known Exploited Vulnerabilities Catalog",
				Kind:      register.KindGovernmentCERT,
				Purpose:   register.PurposeAdvisory,
				URL:       "https://www.cisa.gov/known-exploited-vulnerabilities-catalog",
				Relevance: "yes",
				Scope:     register.Scope{Regions: []string{"global"}, Vendors: []string{"all"}},
				Owner:     "akhan",
				Backup:    "jlee",
				Membership: register.Membership{
					Status: register.MembershipActive,
					Since:  d(2024, time.March, 1),
					Proof:  []register.Proof{{Ref: "subscription confirmation e-mail 2024-03-01"}},
					TLP:    "CLEAR",
				},
				Channels: []register.Channel{
					{Kind: "kev", URL: "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json", Every: register.Period{Days: 7}},
				},
				Review: register.Review{
					Every: register.Period{Years: 1, Months: 6},
					Records: []register.ReviewRecord{
						{Date: d(2024, time.November, 4), By: "akhan", Outcome: register.OutcomeKeep},
					},
				},
				Engagements: []register.Engagement{
					{Date: d(2025, time.June, 12), Kind: "webinar", Who: []string{"akhan"}, Notes: "KEV programme update: 12 new\tfields?  \"no\""},
				},
			},
			{
				ID:        "old-forum",
				Name:      "Payments Security Forum (closed 2025)",
				Kind:      register.KindForum,
				Purpose:   register.PurposeProfessional,
				URL:       "https://forum.payments.example/",
				Relevance: "Peer forum; closed by its host in 2025.",
				Owner:     "mokafor",
				Membership: register.Membership{
					Status: register.MembershipEnded,
					Since:  d(2021, time.May, 1),
					Until:  d(2025, time.April, 30),
				},
				Channels: []register.Channel{{Kind: "manual", Every: register.Period{Years: 1}}},
				Review: register.Review{
					Every: register.Period{Days: 90},
					Records: []register.ReviewRecord{
						{Date: d(2024, time.May, 2), By: "mokafor", Outcome: register.OutcomeKeep},
						{Date: d(2025, time.May, 6), By: "mokafor", Outcome: register.OutcomeRetire, Notes: "The forum closed; nothing replaces it."},
					},
				},
				Engagements: []register.Engagement{
					{Date: d(2023, time.November, 14), Kind: "meeting", Who: []string{"mokafor", "rpatel"}},
				},
			},
			{
				ID:        "ciisec",
				Name:      "Chartered Institute of Information Security",
				Kind:      register.KindProfessionalBody,
				Purpose:   register.PurposeProfessional,
				URL:       "https://www.ciisec.org/",
				Relevance: "Professional development for the security team; 日本語 and emoji 🛡 in text.",
				Scope:     register.Scope{Regions: []string{"uk"}},
				Owner:     "mokafor",
				Backup:    "jlee",
				Membership: register.Membership{
					Status:  register.MembershipLapsed,
					Since:   d(2022, time.September, 1),
					Renewal: d(2025, time.September, 1),
					Level:   "corporate",
					Proof:   []register.Proof{{Ref: "https://docs.northwind.example/grc/ciisec-certificate.pdf", Kind: "certificate", Date: d(2022, time.September, 5)}},
				},
				Channels: []register.Channel{
					{Kind: "manual"},
					{Kind: "rss", URL: "https://www.ciisec.org/news.rss", Source: "ciisec-news", Every: register.Period{Months: 1}},
				},
				Review: register.Review{
					Every:   register.Period{Years: 1},
					Records: []register.ReviewRecord{{Date: d(2025, time.October, 1), By: "mokafor", Outcome: register.OutcomeKeep, Notes: "  Renewal pending budget.  "}},
				},
				Engagements: []register.Engagement{
					{Date: d(2025, time.February, 27), Kind: "training", Who: []string{"akhan", "jlee"}, TLP: "CLEAR"},
				},
				Notifications: []register.Notification{
					{Event: register.NotifiedJoined, Date: d(2022, time.September, 20), Authority: "BaFin", Ref: "Az. 2022-77"},
					{Event: register.NotifiedLeft, Date: d(2025, time.September, 15), Authority: "BaFin"},
				},
			},
		},
	}
}
