package registertest

import (
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

// fault is one way a store can break the contract.
type fault int

const (
	faultNone        fault = iota
	faultShareIn           // keeps the register passed to Put
	faultShareOut          // returns the stored register itself
	faultNoConflict        // ignores the revision
	faultNoValidate        // stores invalid registers
	faultNoHistory         // lets history be edited
	faultPrefixOnly        // history may only grow at the end of each list
	faultNoRetire          // refuses to remove any group with history
	faultIgnoreCtx         // ignores the context
	faultRacy              // checks the revision, then stores later
	faultConstRev          // returns the same revision every time
	faultDropsDigest       // loses the proof digests
	faultNilEmpty          // Get on an empty store returns nil
	faultRevOnError        // a failed Put still bumps the revision
)

// fakeStore is a simple Store with one fault switched on. It copies
// registers through YAML, independently of register.MemoryStore.
type fakeStore struct {
	fault fault
	mu    sync.Mutex
	reg   *register.Register
	n     int
}

func (s *fakeStore) revLocked() register.Revision {
	if s.reg == nil && s.n == 0 {
		return ""
	}
	if s.fault == faultConstRev {
		return "v"
	}
	return register.Revision(fmt.Sprint("r", s.n))
}

func (s *fakeStore) Get(ctx context.Context) (*register.Register, register.Revision, error) {
	if err := ctx.Err(); err != nil && s.fault != faultIgnoreCtx {
		return nil, "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.reg == nil && s.fault == faultNilEmpty:
		return nil, "", nil
	case s.reg == nil:
		return new(register.Register), s.revLocked(), nil
	case s.fault == faultShareOut:
		return s.reg, s.revLocked(), nil
	}
	return clone(s.reg), s.revLocked(), nil
}

func (s *fakeStore) Put(ctx context.Context, r *register.Register, rev register.Revision) (register.Revision, error) {
	if err := ctx.Err(); err != nil && s.fault != faultIgnoreCtx {
		return "", err
	}
	if s.fault != faultNoValidate {
		if r == nil {
			return "", register.ErrorList{{Msg: "nil"}}
		}
		if err := r.Validate(); err != nil {
			return "", err
		}
	}
	c := clone(r)
	if s.fault == faultShareIn {
		c = r
	}
	if s.fault == faultDropsDigest {
		for i := range c.Groups {
			for j := range c.Groups[i].Membership.Proof {
				c.Groups[i].Membership.Proof[j].SHA256 = ""
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fault == faultRevOnError {
		s.n++
	}
	if rev != s.revLocked() && s.fault != faultNoConflict {
		return "", register.ErrConflict
	}
	if err := s.history(c); err != nil {
		return "", err
	}
	if s.fault == faultRacy {
		s.mu.Unlock()
		time.Sleep(2 * time.Millisecond)
		s.mu.Lock()
	}
	s.n++
	s.reg = c
	return s.revLocked(), nil
}

func (s *fakeStore) history(c *register.Register) error {
	switch s.fault {
	case faultNoHistory:
		return nil
	case faultPrefixOnly:
		if s.reg == nil {
			return nil
		}
		for _, og := range s.reg.Groups {
			ng, ok := c.Group(og.ID)
			if !ok {
				continue
			}
			if len(ng.Review.Records) < len(og.Review.Records) || len(ng.Engagements) < len(og.Engagements) {
				return register.ErrHistory
			}
			for i := range og.Review.Records {
				if og.Review.Records[i] != ng.Review.Records[i] {
					return register.ErrHistory
				}
			}
			for i := range og.Engagements {
				if !reflect.DeepEqual(og.Engagements[i], ng.Engagements[i]) {
					return register.ErrHistory
				}
			}
		}
		return register.AppendOnly(s.reg, c)
	case faultNoRetire:
		if s.reg != nil {
			for _, og := range s.reg.Groups {
				if _, ok := c.Group(og.ID); !ok && len(og.Review.Records) > 0 {
					return register.ErrHistory
				}
			}
		}
	}
	return register.AppendOnly(s.reg, c)
}

// runChecks runs the named checks (nil: all) on new fakeStores with the
// fault and returns the reports by check name.
func runChecks(f fault, only []string) map[string][]string {
	out := map[string][]string{}
	for _, c := range checks {
		if only != nil && !slices.Contains(only, c.name) {
			continue
		}
		rec := &collector{}
		ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
		c.fn(ctx, rec, func() register.Store { return &fakeStore{fault: f} })
		cancel()
		if len(rec.msgs) > 0 {
			out[c.name] = rec.msgs
		}
	}
	return out
}

// TestKitPassesGoodStore runs the kit the way users do, on a correct store.
func TestKitPassesGoodStore(t *testing.T) {
	Run(t, func(t *testing.T) register.Store { return &fakeStore{} })
}

// TestKitCatchesFaults breaks one rule at a time: the checks that name the
// rule must report it.
func TestKitCatchesFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault fault
		want  []string // checks that must fail
		text  string   // in the first report of the first check
	}{
		{"share_in", faultShareIn, []string{"Isolation"}, "after the caller changed every value of the register it passed to Put"},
		{"share_out", faultShareOut, []string{"Isolation"}, "after the caller changed every value of a register Get returned"},
		{"no_conflict", faultNoConflict, []string{"Empty", "StaleRevision", "CompareAndSwap"}, "want one wrapping register.ErrConflict"},
		{"no_validate", faultNoValidate, []string{"Invalid"}, "want one errors.As finds a register.ErrorList in"},
		{"no_history", faultNoHistory, []string{"History"}, "want one wrapping register.ErrHistory"},
		{"prefix_only", faultPrefixOnly, []string{"AppendHistory"}, "Put adding history records"},
		{"no_retire", faultNoRetire, []string{"RemoveRetired"}, "removing a retired group"},
		{"ignore_ctx", faultIgnoreCtx, []string{"CancelledContext"}, "want one wrapping context.Canceled"},
		{"racy", faultRacy, []string{"CompareAndSwap", "ConcurrentUpdates"}, "succeeded"},
		{"const_rev", faultConstRev, []string{"Revisions"}, "as Put 1 of different content did"},
		{"drops_digest", faultDropsDigest, []string{"RoundTrip"}, "sha256"},
		{"nil_empty", faultNilEmpty, []string{"Empty"}, "nil register"},
		{"rev_on_error", faultRevOnError, []string{"Empty", "StaleRevision", "Invalid"}, "revision"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Only the checks that must fail: a store that shares its
			// data is racy, which the race detector would report in the
			// concurrency checks.
			got := runChecks(tc.fault, tc.want)
			for _, name := range tc.want {
				if len(got[name]) == 0 {
					t.Errorf("check %s reported nothing; reports: %q", name, got)
				}
			}
			if first := got[tc.want[0]]; len(first) > 0 && !strings.Contains(first[0], tc.text) {
				t.Errorf("check %s reported %q, want it to mention %q", tc.want[0], first[0], tc.text)
			}
		})
	}
}

// TestRichSetsEveryField makes sure the round-trip register sets every
// field of every type in the model, with a non-zero value somewhere, so a
// field added to the model without a value here fails this test.
func TestRichSetsEveryField(t *testing.T) {
	set := map[string]bool{}
	all := map[string]bool{}
	var fields func(t reflect.Type, path string)
	fields = func(t reflect.Type, path string) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice:
			fields(t.Elem(), path)
			return
		case reflect.Struct:
			if t == dateType {
				return
			}
			for i := range t.NumField() {
				if f := t.Field(i); f.IsExported() {
					all[path+"."+f.Name] = true
					fields(f.Type, path+"."+f.Name)
				}
			}
		}
	}
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), path)
			}
		case reflect.Struct:
			if v.Type() == dateType {
				return
			}
			for i := range v.NumField() {
				f := v.Type().Field(i)
				if !f.IsExported() {
					continue
				}
				if !v.Field(i).IsZero() {
					set[path+"."+f.Name] = true
				}
				walk(v.Field(i), path+"."+f.Name)
			}
		}
	}
	fields(reflect.TypeFor[register.Register](), "Register")
	walk(reflect.ValueOf(rich()), "Register")
	var unset []string
	for p := range all {
		if !set[p] {
			unset = append(unset, p)
		}
	}
	slices.Sort(unset)
	if len(unset) > 0 {
		t.Errorf("rich() leaves %d fields of the model unset: %s", len(unset), strings.Join(unset, ", "))
	}
	if len(all) < 60 {
		t.Errorf("only %d fields found in the model; the walk is broken", len(all))
	}
	if err := rich().Validate(); err != nil {
		t.Errorf("rich() is invalid: %v", err)
	}
}

// TestHistoryEditsAreHistory checks each edit the History check makes is
// seen by AppendOnly, and each is a different change.
func TestHistoryEditsAreHistory(t *testing.T) {
	seen := map[string]string{}
	for _, tc := range historyEdits {
		r := rich()
		tc.edit(r)
		err := register.AppendOnly(rich(), r)
		if !errors.Is(err, register.ErrHistory) {
			t.Errorf("%s: AppendOnly: %v", tc.name, err)
		}
		y, _ := yamlOf(r)
		if other, dup := seen[y]; dup {
			t.Errorf("%s makes the same change as %s", tc.name, other)
		}
		seen[y] = tc.name
	}
}

func TestCheck(t *testing.T) {
	if err := Check(func() register.Store { return new(register.MemoryStore) }); err != nil {
		t.Errorf("Check(MemoryStore): %v", err)
	}
	err := Check(func() register.Store { return &fakeStore{fault: faultNoHistory} })
	if err == nil || !strings.Contains(err.Error(), "History: review_outcome_changed: Put: got error <nil>, want one wrapping register.ErrHistory") {
		t.Errorf("Check(store without history checks) = %v", err)
	}
	err = Check(func() register.Store { return nil })
	if err == nil || !strings.Contains(err.Error(), "Empty: Get empty store: registertest: newStore returned nil") {
		t.Errorf("Check(nil store) = %v", err)
	}
	if err := Check(nil); err == nil {
		t.Errorf("Check(nil): no error")
	}
}

func TestDiff(t *testing.T) {
	a, b := rich(), rich()
	if d := diff(a, b); d != "" {
		t.Errorf("diff of equal registers: %s", d)
	}
	b.Groups[2].Membership.Level = "gold"
	d := diff(a, b)
	if !strings.Contains(d, `want: "      level: gold"`) || !strings.Contains(d, "first difference at line") {
		t.Errorf("diff = %s", d)
	}
	// A nil list and an empty one are the same.
	c := rich()
	c.Groups[1].Notifications = []register.Notification{}
	if d := diff(a, c); d != "" {
		t.Errorf("nil and empty lists differ: %s", d)
	}
}

func TestScribbleChangesEverything(t *testing.T) {
	before, after := rich(), rich()
	scribble(reflect.ValueOf(after).Elem())
	n := 0
	var walk func(a, b reflect.Value, path string)
	walk = func(a, b reflect.Value, path string) {
		if a.Type() == dateType {
			n++
			if a.Interface().(register.Date).Equal(b.Interface().(register.Date)) {
				t.Errorf("%s unchanged by scribble", path)
			}
			return
		}
		switch a.Kind() {
		case reflect.Pointer:
			if !a.IsNil() {
				walk(a.Elem(), b.Elem(), path)
			}
		case reflect.Slice:
			for i := range a.Len() {
				walk(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Struct:
			for i := range a.NumField() {
				if a.Type().Field(i).IsExported() {
					walk(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
				}
			}
		default:
			n++
			if a.Equal(b) {
				t.Errorf("%s unchanged by scribble", path)
			}
		}
	}
	walk(reflect.ValueOf(before).Elem(), reflect.ValueOf(after).Elem(), "Register")
	if n < 200 {
		t.Errorf("only %d values walked", n)
	}
}

// Check a store outside a test: sigwatch's MemoryStore conforms, and a
// store that lets stored reviews be rewritten does not.
func ExampleCheck() {
	err := Check(func() register.Store { return new(register.MemoryStore) })
	fmt.Println("MemoryStore:", err)

	err = Check(func() register.Store { return &fakeStore{fault: faultNoHistory} })
	first, _, _ := strings.Cut(err.Error(), "\n")
	fmt.Println("a store that allows history edits:", first)
	// Output:
	// MemoryStore: <nil>
	// a store that allows history edits: History: review_outcome_changed: Put: got error <nil>, want one wrapping register.ErrHistory
}
