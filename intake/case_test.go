package intake_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
)

// TestCaseCloneSharesNothing fills every reachable slice, map and pointer
// of a Case by reflection, clones it, and walks both values: no backing
// array, map or pointer of the clone may be the original's. A field added
// to Case (or to a type it holds) that Clone forgets fails here.
func TestCaseCloneSharesNothing(t *testing.T) {
	var c intake.Case
	fill(reflect.ValueOf(&c).Elem(), 0)
	clone := c.Clone()
	if !reflect.DeepEqual(c, clone) {
		t.Fatal("clone differs from the original")
	}
	shared(t, "Case", reflect.ValueOf(c), reflect.ValueOf(clone))
}

// fill gives every exported field a non-zero value, one element per slice
// and map, down to depth 8.
func fill(v reflect.Value, depth int) {
	if depth > 8 || !v.CanSet() {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if v.Type().PkgPath() == "time" {
			return // time.Time holds a *Location shared by design
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	}
}

// shared reports memory that a and b have in common.
func shared(t *testing.T, path string, a, b reflect.Value) {
	t.Helper()
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return
		}
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s: pointer shared with the original", path)
			return
		}
		shared(t, path, a.Elem(), b.Elem())
	case reflect.Slice:
		if a.Len() == 0 || b.Len() == 0 {
			return
		}
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s: slice shares its backing array with the original", path)
			return
		}
		for i := range min(a.Len(), b.Len()) {
			shared(t, path+"[]", a.Index(i), b.Index(i))
		}
	case reflect.Map:
		if a.Len() == 0 || b.Len() == 0 {
			return
		}
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s: map shared with the original", path)
			return
		}
		for _, k := range a.MapKeys() {
			if bv := b.MapIndex(k); bv.IsValid() {
				shared(t, path+"[k]", a.MapIndex(k), bv)
			}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				shared(t, path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))
			}
		}
	}
}

// TestCaseAt walks one real case through its lifecycle and looks at it
// at each step's instant. The clock adds a minute per reading, so every
// event has its own minute; the expected states are read off the event
// list the pipeline recorded (received>triaged>assigned>actioned>closed).
func TestCaseAt(t *testing.T) {
	clk := newClock()
	p := newPipeline(t, clk, memfeed.New("cisa-kev", kev("CVE-2024-21762", "Fortinet", "FortiOS", "Known")))
	ctx := context.Background()
	if _, err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	const id = "CVE-2024-21762"
	if err := p.Except(ctx, id, "waiting for the vendor's fix", clk.Now().Add(48*time.Hour), "akhan"); err != nil {
		t.Fatal(err)
	}
	if err := p.Action(ctx, id, "CHG-1042", "akhan", "upgraded"); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(ctx, id, "akhan", "verified"); err != nil {
		t.Fatal(err)
	}
	c, err := p.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	at := func(i int) time.Time { return c.Events[i].At }
	var kinds []string
	for _, e := range c.Events {
		kinds = append(kinds, string(e.Kind)+":"+string(e.To))
	}
	t.Logf("events: %s", strings.Join(kinds, " "))

	if _, ok := c.At(c.ReceivedAt().Add(-time.Second)); ok {
		t.Error("the case exists before its first receipt")
	}
	for _, tt := range []struct {
		name      string
		t         time.Time
		state     intake.State
		triaged   bool
		actionRef string
		closed    bool
		exception bool
		events    int
	}{
		{"received", at(0), intake.StateReceived, false, "", false, false, 1},
		// Triage and routing are one step at one instant: events 1 and 2.
		{"routed", at(2), intake.StateAssigned, true, "", false, false, 3},
		{"excepted", at(3), intake.StateAssigned, true, "", false, true, 4},
		{"now", at(len(c.Events) - 1).Add(time.Hour), intake.StateClosed, true, "CHG-1042", true, true, len(c.Events)},
	} {
		got, ok := c.At(tt.t)
		if !ok {
			t.Fatalf("%s: case missing", tt.name)
		}
		if got.State != tt.state || !got.TriagedAt.IsZero() != tt.triaged || got.ActionRef != tt.actionRef ||
			!got.ClosedAt.IsZero() != tt.closed || (got.Exception != nil) != tt.exception || len(got.Events) != tt.events {
			t.Errorf("%s: state %s triaged %v ref %q closed %v exception %v events %d", tt.name, got.State,
				!got.TriagedAt.IsZero(), got.ActionRef, !got.ClosedAt.IsZero(), got.Exception != nil, len(got.Events))
		}
		if !tt.triaged && (got.Decision != "" || got.Owner != "" || got.Triage != nil || !got.Due.IsZero()) {
			t.Errorf("%s: untriaged case keeps its triage: %+v", tt.name, got)
		}
	}
	// Just before the close: actioned, with its reference, not closed.
	last := len(c.Events) - 1
	got, _ := c.At(at(last).Add(-time.Nanosecond))
	if got.State != intake.StateActioned || got.ActionRef != "CHG-1042" || !got.ClosedAt.IsZero() {
		t.Errorf("before the close: %s %q closed %v", got.State, got.ActionRef, got.ClosedAt)
	}
	// The original is untouched.
	if c.State != intake.StateClosed || len(c.Events) != last+1 {
		t.Error("At changed the case")
	}
}

// TestCaseAtWithoutHistory: a case built by hand or imported has no
// events; At rebuilds it from its dates. Closed on the 20th, it is open
// (assigned) on the 15th; its exception granted on the 12th counts on the
// 15th but not on the 10th; received on the 5th, it does not exist on the
// 4th.
func TestCaseAtWithoutHistory(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }
	c := intake.Case{ID: "CVE-2026-0001", State: intake.StateClosed, ClosedAt: day(20),
		Receipts:  []intake.Receipt{{Source: "kev", ReceivedAt: day(5)}},
		Exception: &intake.Exception{Reason: "vendor fix pending", Until: day(25), By: "akhan", At: day(12)}}
	if _, ok := c.At(day(4)); ok {
		t.Error("the case exists before its receipt")
	}
	at, _ := c.At(day(15))
	if at.State != intake.StateAssigned || !at.ClosedAt.IsZero() || at.Exception == nil {
		t.Errorf("on the 15th: %s, closed %v, exception %v", at.State, at.ClosedAt, at.Exception)
	}
	if at, _ := c.At(day(10)); at.Exception != nil {
		t.Errorf("on the 10th the exception (granted on the 12th) is %+v", at.Exception)
	}
	if at, _ := c.At(day(21)); at.State != intake.StateClosed || at.ClosedAt.IsZero() {
		t.Errorf("on the 21st: %s, closed %v", at.State, at.ClosedAt)
	}
}
