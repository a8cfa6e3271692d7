package intaketest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/triage"
)

// Run runs every check as a subtest of t. newStore is called once per
// check, with the subtest's t, and must return a new, empty store; clean it
// up with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) intake.Store) {
	t.Helper()
	if newStore == nil {
		t.Fatal("intaketest: newStore is nil")
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
			defer cancel()
			s := newStore(t)
			if s == nil {
				t.Fatal("intaketest: newStore returned nil")
			}
			c.fn(ctx, t, guarded{Store: s, t: t})
		})
	}
}

// Check runs every check outside a test and returns what failed as one
// error (nil when the store conforms). newStore must return a new, empty
// store on each call.
func Check(ctx context.Context, newStore func() (intake.Store, error)) error {
	var errs []error
	for _, c := range checks {
		s, err := newStore()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: opening a store: %w", c.name, err))
			continue
		}
		if s == nil {
			errs = append(errs, fmt.Errorf("%s: newStore returned nil", c.name))
			continue
		}
		r := &collector{}
		cctx, cancel := context.WithTimeout(ctx, checkTimeout)
		c.fn(cctx, r, guarded{Store: s, t: r})
		cancel()
		for _, m := range r.msgs {
			errs = append(errs, fmt.Errorf("%s: %s", c.name, m))
		}
	}
	return errors.Join(errs...)
}

// guarded reports a Load that returns neither a record nor an error, and
// turns it into an error, so that the checks never dereference nil.
type guarded struct {
	intake.Store
	t reporter
}

func (g guarded) Load(ctx context.Context, keys ...string) (*intake.Record, error) {
	r, err := g.Store.Load(ctx, keys...)
	if r == nil && err == nil {
		g.t.Errorf("Load(%q) returned a nil record and no error", keys)
		return nil, fmt.Errorf("intaketest: Load(%q) returned a nil record and no error", keys)
	}
	return r, err
}

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

// checkTimeout bounds each check, so a store that hangs fails the check
// (if it honours ctx) instead of the test binary.
const checkTimeout = 60 * time.Second

// reporter is the part of *testing.T the checks use.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

type check struct {
	name string
	fn   func(ctx context.Context, t reporter, s intake.Store)
}

var checks = []check{
	{"LoadMissing", checkLoadMissing},
	{"RoundTrip", checkRoundTrip},
	{"Versions", checkVersions},
	{"KeyOwnership", checkKeyOwnership},
	{"AllOrNothing", checkAllOrNothing},
	{"BadChanges", checkBadChanges},
	{"Journal", checkJournal},
	{"Query", checkQuery},
	{"Enqueue", checkEnqueue},
	{"Claim", checkClaim},
	{"Complete", checkComplete},
	{"ConcurrentClaims", checkConcurrentClaims},
	{"ConcurrentSaves", checkConcurrentSaves},
	{"SourceStates", checkSourceStates},
	{"CancelledContext", checkCancelled},
}

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// rich returns a case that sets every field of the model, with non-ASCII,
// multi-line text and a non-UTC time zone.
func rich(id string, keys ...string) *intake.Record {
	cet := time.FixedZone("CET", 3600)
	adv := feeds.Advisory{ID: id, Aliases: keys, Title: "Überlauf in <sslvpnd> \"quoted\"\nsecond line", Source: "kev",
		Published: time.Date(2024, 2, 9, 10, 30, 0, 123456789, cet), Severity: feeds.SeverityCritical,
		Scores:       []feeds.Score{{Type: "CVSS_V3", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Value: 9.8}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{DateAdded: time.Date(2024, 2, 9, 0, 0, 0, 0, time.UTC), RansomwareUse: "Known"}},
		Affected: []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS", Ranges: []feeds.Range{{Type: "SEMVER",
			Events: []feeds.Event{{Introduced: "7.2.0"}, {Fixed: "7.2.7"}}}}}},
		References: []feeds.Reference{{URL: "https://fortiguard.example/psirt/FG-IR-24-015"}},
		Extra:      map[string]string{"note": "x"}}
	c := intake.Case{ID: id, Keys: sortedKeys(id, keys...), Advisory: adv, State: intake.StateAssigned,
		Receipts: []intake.Receipt{{Source: "kev", Group: "cisa", AdvisoryID: id, ReceivedAt: t0},
			{Source: "isac", Group: "isac", AdvisoryID: "ISAC-1", ReceivedAt: t0.Add(time.Hour), Manual: true}},
		Triage: &triage.Result{AdvisoryID: id, Decision: triage.DecisionActionable, Priority: triage.P1, RuleID: "kev-internet",
			Due: t0.Add(72 * time.Hour), Owner: "netops", Reasons: []string{"Listed in KEV.", "Internet-facing."}, Checked: 2,
			Fingerprint: "abc", EvaluatedAt: t0.Add(time.Minute)},
		Decision: triage.DecisionActionable, Owner: "netops", Due: t0.Add(72 * time.Hour), TriagedAt: t0.Add(time.Minute),
		Exception: &intake.Exception{Reason: "change freeze", Until: t0.Add(96 * time.Hour), By: "akhan", At: t0.Add(2 * time.Hour)},
		Events: []intake.Event{
			{At: t0, Kind: intake.EventReceived, To: intake.StateReceived, Actor: intake.Actor, Note: "received " + id},
			{At: t0.Add(time.Minute), From: intake.StateReceived, To: intake.StateTriaged, Actor: intake.Actor, Note: "actionable by rule kev-internet (P1)"},
			{At: t0.Add(time.Minute), From: intake.StateTriaged, To: intake.StateAssigned, Actor: intake.Actor, Note: "routed to netops"},
			{At: t0.Add(time.Hour), Kind: intake.EventReceipt, From: intake.StateAssigned, To: intake.StateAssigned, Actor: "manual", Note: "also received ISAC-1 — «briefing»"},
			{At: t0.Add(2 * time.Hour), Kind: intake.EventException, From: intake.StateAssigned, To: intake.StateAssigned, Actor: "akhan", Note: "change freeze", Until: t0.Add(96 * time.Hour)},
		}}
	return &intake.Record{Case: c, Views: map[string]feeds.Advisory{intake.ReceiptKey("kev", id): adv}}
}

func sortedKeys(id string, keys ...string) []string {
	out := append([]string{strings.ToUpper(id)}, keys...)
	for i := range out {
		out[i] = strings.ToUpper(out[i])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func newChange(r *intake.Record) *intake.Change {
	return &intake.Change{Record: r, Events: r.Case.Events}
}

func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

func journalLen(ctx context.Context, t reporter, s intake.Store) int {
	t.Helper()
	n := 0
	var after int64
	for {
		page, err := s.Journal(ctx, after, 100)
		if err != nil {
			t.Errorf("Journal(%d, 100): %v", after, err)
			return n
		}
		if len(page) == 0 {
			return n
		}
		n += len(page)
		after = page[len(page)-1].Seq
	}
}

func checkLoadMissing(ctx context.Context, t reporter, s intake.Store) {
	if _, err := s.Load(ctx, "CVE-2099-0001"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("Load on an empty store: got %v, want an error wrapping intake.ErrNotFound", err)
	}
	if _, err := s.Load(ctx); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("Load with no keys: got %v, want an error wrapping intake.ErrNotFound", err)
	}
	if cs, err := s.Cases(ctx, nil); err != nil || len(cs) != 0 {
		t.Errorf("Cases on an empty store: %d cases, %v; want none and no error", len(cs), err)
	}
	if j, err := s.Journal(ctx, 0, 10); err != nil || len(j) != 0 {
		t.Errorf("Journal on an empty store: %d entries, %v", len(j), err)
	}
}

func checkRoundTrip(ctx context.Context, t reporter, s intake.Store) {
	r := rich("CVE-2024-21762", "FG-IR-24-015", "GHSA-xxxx-yyyy-zzzz")
	want := asJSON(r.Case)
	wantViews := asJSON(r.Views)
	if err := s.Save(ctx, newChange(r)); err != nil {
		t.Errorf("Save of a new case: %v", err)
		return
	}
	if r.Version != 1 {
		t.Errorf("after Save the record's Version is %d, want 1", r.Version)
	}
	for _, k := range []string{"CVE-2024-21762", "fg-ir-24-015", "GHSA-XXXX-YYYY-ZZZZ", " cve-2024-21762 "} {
		got, err := s.Load(ctx, "CVE-1999-0000", k)
		if err != nil {
			t.Errorf("Load by key %q: %v", k, err)
			continue
		}
		if got.Version != 1 {
			t.Errorf("Load by key %q: Version %d, want 1", k, got.Version)
		}
		if g := asJSON(got.Case); g != want {
			t.Errorf("Load by key %q: the case differs from what was saved:\n got %s\nwant %s", k, g, want)
		}
		if g := asJSON(got.Views); g != wantViews {
			t.Errorf("Load by key %q: the views differ:\n got %s\nwant %s", k, g, wantViews)
		}
	}
	cs, err := s.Cases(ctx, nil)
	if err != nil || len(cs) != 1 || asJSON(cs[0]) != want {
		t.Errorf("Cases after one Save: %d cases, %v; want the saved case", len(cs), err)
	}
	// Isolation: changing what Load returned does not change the store.
	got, err := s.Load(ctx, "CVE-2024-21762")
	if err != nil {
		return
	}
	got.Case.Events[0].Note = "changed"
	got.Case.Keys[0] = "X"
	got.Views[intake.ReceiptKey("kev", "CVE-2024-21762")] = feeds.Advisory{ID: "X"}
	again, err := s.Load(ctx, "CVE-2024-21762")
	if err != nil || asJSON(again.Case) != want || asJSON(again.Views) != wantViews {
		t.Errorf("changing a loaded record changed the store (err %v)", err)
	}
}

func checkVersions(ctx context.Context, t reporter, s intake.Store) {
	r := rich("CVE-2024-1")
	if err := s.Save(ctx, newChange(r)); err != nil {
		t.Errorf("Save: %v", err)
		return
	}
	// Opening the same case again is a conflict.
	if err := s.Save(ctx, newChange(rich("CVE-2024-1"))); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("Save of a new case whose ID is stored: got %v, want ErrConflict", err)
	}
	a, _ := s.Load(ctx, "CVE-2024-1")
	b, _ := s.Load(ctx, "CVE-2024-1")
	if a == nil || b == nil {
		t.Errorf("Load after Save failed")
		return
	}
	ev := intake.Event{At: t0.Add(5 * time.Hour), From: intake.StateAssigned, To: intake.StateActioned, Actor: "akhan", Ref: "CHG-1"}
	a.Case.Events = append(a.Case.Events, ev)
	a.Case.State = intake.StateActioned
	if err := s.Save(ctx, &intake.Change{Record: a, Events: []intake.Event{ev}}); err != nil {
		t.Errorf("Save at the loaded version: %v", err)
		return
	}
	if a.Version != 2 {
		t.Errorf("Version after the second Save: %d, want 2", a.Version)
	}
	before := journalLen(ctx, t, s)
	b.Case.Events = append(b.Case.Events, ev)
	if err := s.Save(ctx, &intake.Change{Record: b, Events: []intake.Event{ev}}); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("Save at a stale version: got %v, want ErrConflict", err)
	}
	if after := journalLen(ctx, t, s); after != before {
		t.Errorf("a conflicting Save changed the journal: %d entries, was %d", after, before)
	}
	cur, err := s.Load(ctx, "CVE-2024-1")
	if err != nil || cur.Version != 2 || cur.Case.State != intake.StateActioned {
		t.Errorf("after a conflicting Save: %v; want version 2, actioned", err)
	}
	// An unknown non-zero version is a conflict too.
	ghost := rich("CVE-2024-404")
	ghost.Version = 7
	if err := s.Save(ctx, newChange(ghost)); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("Save of an unstored case at version 7: got %v, want ErrConflict", err)
	}
}

func checkKeyOwnership(ctx context.Context, t reporter, s intake.Store) {
	if err := s.Save(ctx, newChange(rich("CVE-2024-1", "GHSA-1"))); err != nil {
		t.Errorf("Save: %v", err)
		return
	}
	if err := s.Save(ctx, newChange(rich("CVE-2024-2", "GHSA-1"))); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("Save of a new case claiming another case's key: got %v, want ErrConflict", err)
	}
	if _, err := s.Load(ctx, "CVE-2024-2"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("the conflicting case was stored: Load = %v", err)
	}
	// Two new cases claiming one key in one Save: refused, nothing stored.
	x, y := rich("CVE-2024-5", "GHSA-SHARED"), rich("CVE-2024-6", "GHSA-SHARED")
	if err := s.Save(ctx, newChange(x), newChange(y)); err == nil {
		t.Errorf("Save of two new cases sharing key GHSA-SHARED: accepted")
	}
	for _, id := range []string{"CVE-2024-5", "CVE-2024-6", "GHSA-SHARED"} {
		if _, err := s.Load(ctx, id); !errors.Is(err, intake.ErrNotFound) {
			t.Errorf("after the refused Save, Load(%s) = %v; want ErrNotFound", id, err)
		}
	}
	// A key that is not normalised (lower case) is refused, not stored
	// where Load (which normalises) cannot find it.
	lower := rich("CVE-2024-7")
	lower.Case.Keys = []string{"CVE-2024-7", "ghsa-lower"}
	if err := s.Save(ctx, newChange(lower)); err == nil {
		if _, err := s.Load(ctx, "ghsa-lower"); err != nil {
			t.Errorf("a case saved with key ghsa-lower cannot be loaded by it: %v", err)
		}
	}
	// Adding a key to an existing case makes it findable by that key.
	r, err := s.Load(ctx, "GHSA-1")
	if err != nil {
		t.Errorf("Load: %v", err)
		return
	}
	r.Case.Keys = sortedKeys("CVE-2024-1", "GHSA-1", "OSV-9")
	if err := s.Save(ctx, &intake.Change{Record: r}); err != nil {
		t.Errorf("Save adding a key: %v", err)
	}
	if got, err := s.Load(ctx, "osv-9"); err != nil || got.Case.ID != "CVE-2024-1" {
		t.Errorf("Load by the added key: %v", err)
	}
	// An existing case taking a key another case holds: a conflict.
	if err := s.Save(ctx, newChange(rich("CVE-2024-8"))); err != nil {
		t.Errorf("Save: %v", err)
		return
	}
	r, _ = s.Load(ctx, "CVE-2024-8")
	if r != nil {
		r.Case.Keys = sortedKeys("CVE-2024-8", "OSV-9")
		if err := s.Save(ctx, &intake.Change{Record: r}); !errors.Is(err, intake.ErrConflict) {
			t.Errorf("an update taking another case's key: got %v, want ErrConflict", err)
		}
	}
}

func checkAllOrNothing(ctx context.Context, t reporter, s intake.Store) {
	if err := s.Save(ctx, newChange(rich("CVE-2024-1"))); err != nil {
		t.Errorf("Save: %v", err)
		return
	}
	before := journalLen(ctx, t, s)
	good := rich("CVE-2024-2")
	good.Case.Receipts = good.Case.Receipts[:1]
	n := intake.Notification{ID: "CVE-2024-2#3/hook/netops", CaseID: "CVE-2024-2", Notifier: "hook", To: notify.Recipient{ID: "netops"},
		Kind: intake.KindRouted, State: intake.DeliveryPending, Created: t0, NotBefore: t0}
	bad := rich("CVE-2024-1") // already stored: conflict
	err := s.Save(ctx, &intake.Change{Record: good, Events: good.Case.Events, Enqueue: []intake.Notification{n}}, newChange(bad))
	if !errors.Is(err, intake.ErrConflict) {
		t.Errorf("Save of a good and a conflicting change: got %v, want ErrConflict", err)
	}
	if _, err := s.Load(ctx, "CVE-2024-2"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("the good half of a failed Save was stored (Load = %v)", err)
	}
	if after := journalLen(ctx, t, s); after != before {
		t.Errorf("a failed Save wrote %d journal entries", after-before)
	}
	if got, err := s.Claim(ctx, "w", t0.Add(time.Hour), time.Minute, 10); err != nil || len(got) != 0 {
		t.Errorf("a failed Save enqueued %d notifications (err %v)", len(got), err)
	}
	if good.Version != 0 {
		t.Errorf("a failed Save changed the record's Version to %d", good.Version)
	}
}

func checkBadChanges(ctx context.Context, t reporter, s intake.Store) {
	noKey := rich("CVE-2024-1")
	noKey.Case.Keys = []string{"OTHER"}
	twice := rich("CVE-2024-2")
	for _, tc := range []struct {
		name    string
		changes []*intake.Change
	}{
		{"nil change", []*intake.Change{nil}},
		{"case without ID", []*intake.Change{newChange(&intake.Record{Case: intake.Case{Keys: []string{"X"}}})}},
		{"ID not among keys", []*intake.Change{newChange(noKey)}},
		{"case twice", []*intake.Change{newChange(twice), newChange(twice)}},
		{"events without record", []*intake.Change{{Events: []intake.Event{{At: t0, To: intake.StateReceived}}}}},
	} {
		err := s.Save(ctx, tc.changes...)
		if err == nil {
			t.Errorf("Save with %s: accepted", tc.name)
		} else if errors.Is(err, intake.ErrConflict) {
			t.Errorf("Save with %s: got ErrConflict (%v); a malformed change is not a conflict to retry", tc.name, err)
		}
	}
	if cs, _ := s.Cases(ctx, nil); len(cs) != 0 {
		t.Errorf("malformed Saves stored %d cases", len(cs))
	}
	if err := s.Save(ctx); err != nil {
		t.Errorf("Save with no changes: %v, want nil", err)
	}
}

func checkJournal(ctx context.Context, t reporter, s intake.Store) {
	var ids []string
	for i := range 7 {
		id := fmt.Sprintf("CVE-2024-%d", 100+i)
		ids = append(ids, id)
		if err := s.Save(ctx, newChange(rich(id))); err != nil {
			t.Errorf("Save %s: %v", id, err)
			return
		}
	}
	want := 7 * len(rich("X").Case.Events)
	var all []intake.JournalEntry
	var after int64
	for {
		page, err := s.Journal(ctx, after, 4)
		if err != nil {
			t.Errorf("Journal(%d, 4): %v", after, err)
			return
		}
		if len(page) > 4 {
			t.Errorf("Journal(%d, 4) returned %d entries", after, len(page))
		}
		if len(page) == 0 {
			break
		}
		all = append(all, page...)
		after = page[len(page)-1].Seq
	}
	if len(all) != want {
		t.Errorf("journal has %d entries, want %d (one per event)", len(all), want)
	}
	prev := intake.GenesisHash
	for i, e := range all {
		if e.Seq != int64(i+1) || e.Prev != prev || e.ComputeHash() != e.Hash {
			t.Errorf("journal entry %d (seq %d) is not chained: prev %s, hash %s", i+1, e.Seq, e.Prev, e.Hash)
			return
		}
		prev = e.Hash
		b, err := e.Decode()
		if err != nil {
			t.Errorf("entry %d: %v", e.Seq, err)
			continue
		}
		ev := rich(ids[i/5]).Case.Events[i%5]
		if b.Case != ids[i/5] || asJSON(b.Event) != asJSON(ev) {
			t.Errorf("entry %d records %s %s, want %s %s", e.Seq, b.Case, asJSON(b.Event), ids[i/5], asJSON(ev))
		}
	}
	rep, err := intake.VerifyJournal(ctx, s, nil)
	if err != nil || !rep.OK() || rep.Entries != int64(want) || rep.Cases != 7 || rep.Head.Hash != prev {
		t.Errorf("VerifyJournal: %+v, %v; want OK with %d entries, 7 cases", rep, err, want)
	}
	if page, err := s.Journal(ctx, int64(want), 10); err != nil || len(page) != 0 {
		t.Errorf("Journal past the end: %d entries, %v", len(page), err)
	}
}

func checkQuery(ctx context.Context, t reporter, s intake.Store) {
	mk := func(id string, st intake.State, owner string, at time.Time) *intake.Record {
		r := rich(id)
		r.Case.State, r.Case.Owner = st, owner
		for i := range r.Case.Events {
			r.Case.Events[i].At = at
		}
		return r
	}
	for _, r := range []*intake.Record{
		mk("CVE-2024-3", intake.StateAssigned, "netops", t0),
		mk("CVE-2024-1", intake.StateClosed, "netops", t0.Add(48*time.Hour)),
		mk("CVE-2024-2", intake.StateAssigned, "collab", t0.Add(24*time.Hour)),
	} {
		if err := s.Save(ctx, newChange(r)); err != nil {
			t.Errorf("Save: %v", err)
			return
		}
	}
	for _, tc := range []struct {
		q    *intake.Query
		want string
	}{
		{nil, "CVE-2024-1,CVE-2024-2,CVE-2024-3"},
		{&intake.Query{}, "CVE-2024-1,CVE-2024-2,CVE-2024-3"},
		{&intake.Query{States: []intake.State{intake.StateAssigned}}, "CVE-2024-2,CVE-2024-3"},
		{&intake.Query{States: []intake.State{intake.StateClosed, intake.StateRejected}}, "CVE-2024-1"},
		{&intake.Query{Owner: "netops"}, "CVE-2024-1,CVE-2024-3"},
		{&intake.Query{Since: t0.Add(24 * time.Hour)}, "CVE-2024-1,CVE-2024-2"},
		{&intake.Query{Owner: "netops", States: []intake.State{intake.StateAssigned}}, "CVE-2024-3"},
		{&intake.Query{Limit: 2}, "CVE-2024-1,CVE-2024-2"},
		{&intake.Query{Owner: "nobody"}, ""},
	} {
		cs, err := s.Cases(ctx, tc.q)
		var got []string
		for _, c := range cs {
			got = append(got, c.ID)
		}
		if err != nil || strings.Join(got, ",") != tc.want {
			t.Errorf("Cases(%+v) = %v, %v; want %s", tc.q, got, err, tc.want)
		}
	}
}

func note(id string, at time.Time) intake.Notification {
	return intake.Notification{ID: id, CaseID: "CVE-2024-1", Notifier: "hook", To: notify.Recipient{ID: "netops", Name: "Network Ops", Email: "netops@example.org"},
		Kind: intake.KindRouted, Priority: triage.P1, Item: notify.Item{CaseID: "CVE-2024-1", Title: "Überlauf", Due: t0.Add(72 * time.Hour)},
		Created: t0, NotBefore: at, State: intake.DeliveryPending}
}

// saveWith stores a fresh copy of the rich case with notifications.
func saveWith(ctx context.Context, t reporter, s intake.Store, ns ...intake.Notification) *intake.Record {
	t.Helper()
	r, err := s.Load(ctx, "CVE-2024-1")
	if errors.Is(err, intake.ErrNotFound) {
		r, err = rich("CVE-2024-1"), nil
		if err := s.Save(ctx, &intake.Change{Record: r, Events: r.Case.Events, Enqueue: ns}); err != nil {
			t.Errorf("Save with notifications: %v", err)
		}
		return r
	}
	if err != nil {
		t.Errorf("Load: %v", err)
		return nil
	}
	if err := s.Save(ctx, &intake.Change{Record: r, Enqueue: ns}); err != nil {
		t.Errorf("Save with notifications: %v", err)
	}
	return r
}

func checkEnqueue(ctx context.Context, t reporter, s intake.Store) {
	saveWith(ctx, t, s, note("n1", t0), note("n2", t0))
	saveWith(ctx, t, s, note("n1", t0), note("n3", t0)) // n1 again: a no-op
	got, err := s.Claim(ctx, "w1", t0, time.Minute, 10)
	if err != nil {
		t.Errorf("Claim: %v", err)
		return
	}
	var ids []string
	for _, n := range got {
		ids = append(ids, n.ID)
	}
	if strings.Join(ids, ",") != "n1,n2,n3" {
		t.Errorf("claimed %v, want n1,n2,n3 (n1 enqueued once, in enqueue order)", ids)
	}
	if len(got) > 0 {
		want := note("n1", t0)
		want.LeaseOwner, want.LeaseUntil = "w1", t0.Add(time.Minute)
		if asJSON(got[0]) != asJSON(want) {
			t.Errorf("claimed notification differs from what was enqueued:\n got %s\nwant %s", asJSON(got[0]), asJSON(want))
		}
	}
}

func checkClaim(ctx context.Context, t reporter, s intake.Store) {
	saveWith(ctx, t, s, note("later", t0.Add(time.Hour)), note("now", t0), note("earlier", t0.Add(-time.Hour)))
	if _, err := s.Claim(ctx, "", t0, time.Minute, 1); err == nil {
		t.Errorf("Claim without a worker name: accepted")
	}
	got, err := s.Claim(ctx, "w1", t0, 10*time.Minute, 10)
	if err != nil || len(got) != 2 || got[0].ID != "earlier" || got[1].ID != "now" {
		t.Errorf("Claim at t0: %v, %v; want earlier, now (due ones, earliest first)", ids(got), err)
	}
	if got, _ := s.Claim(ctx, "w2", t0.Add(5*time.Minute), time.Minute, 10); len(got) != 0 {
		t.Errorf("a second worker claimed leased notifications: %v", ids(got))
	}
	got, err = s.Claim(ctx, "w2", t0.Add(time.Hour), time.Minute, 10)
	if err != nil || strings.Join(ids(got), ",") != "earlier,now,later" {
		t.Errorf("Claim after the leases lapsed: %v, %v; want earlier,now,later", ids(got), err)
	}
	for _, n := range got {
		if n.LeaseOwner != "w2" || !n.LeaseUntil.Equal(t0.Add(time.Hour+time.Minute)) {
			t.Errorf("claimed %s has lease %s until %v", n.ID, n.LeaseOwner, n.LeaseUntil)
		}
	}
	if got, _ := s.Claim(ctx, "w3", t0.Add(2*time.Hour), time.Minute, 1); len(got) != 1 {
		t.Errorf("Claim with limit 1 returned %d", len(got))
	}
}

func ids(ns []intake.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func checkComplete(ctx context.Context, t reporter, s intake.Store) {
	saveWith(ctx, t, s, note("a", t0), note("b", t0), note("c", t0))
	if _, err := s.Claim(ctx, "w1", t0, time.Minute, 10); err != nil {
		t.Errorf("Claim: %v", err)
		return
	}
	err := s.Save(ctx, &intake.Change{Complete: []intake.Completion{{ID: "a", Worker: "w2", State: intake.DeliverySent, Attempts: 1}}})
	if !errors.Is(err, intake.ErrLeaseLost) {
		t.Errorf("completion by a worker without the lease: got %v, want ErrLeaseLost", err)
	}
	if err := s.Save(ctx, &intake.Change{Complete: []intake.Completion{{ID: "nope", Worker: "w1", State: intake.DeliverySent}}}); err == nil {
		t.Errorf("completion of an unknown notification: accepted")
	}
	// a is sent, b failed for good, c retries in an hour.
	r, err := s.Load(ctx, "CVE-2024-1")
	if err != nil {
		t.Errorf("Load: %v", err)
		return
	}
	ev := intake.Event{At: t0.Add(time.Minute), Kind: intake.EventNotified, From: r.Case.State, To: r.Case.State, Actor: intake.Actor, Notifier: "hook", Recipient: "netops", Ref: "200 OK"}
	r.Case.Events = append(r.Case.Events, ev)
	err = s.Save(ctx, &intake.Change{Record: r, Events: []intake.Event{ev}, Complete: []intake.Completion{
		{ID: "a", Worker: "w1", State: intake.DeliverySent, Attempts: 1, Ref: "200 OK"},
		{ID: "b", Worker: "w1", State: intake.DeliveryFailed, Attempts: 1, Error: "404 no_service"},
		{ID: "c", Worker: "w1", State: intake.DeliveryPending, Attempts: 1, NotBefore: t0.Add(time.Hour), Error: "503"},
	}})
	if err != nil {
		t.Errorf("Save with completions: %v", err)
		return
	}
	if got, _ := s.Claim(ctx, "w1", t0.Add(30*time.Minute), time.Minute, 10); len(got) != 0 {
		t.Errorf("claimed %v before the retry time; sent and failed ones must never come back", ids(got))
	}
	got, err := s.Claim(ctx, "w2", t0.Add(time.Hour), time.Minute, 10)
	if err != nil || len(got) != 1 || got[0].ID != "c" || got[0].Attempts != 1 || got[0].LastError != "503" {
		t.Errorf("Claim at the retry time: %s, %v; want c with 1 attempt and its error", asJSON(got), err)
	}
	// Completing twice: the first completion ended the lease.
	err = s.Save(ctx, &intake.Change{Complete: []intake.Completion{{ID: "a", Worker: "w1", State: intake.DeliverySent, Attempts: 2}}})
	if !errors.Is(err, intake.ErrLeaseLost) {
		t.Errorf("completing a sent notification again: got %v, want ErrLeaseLost", err)
	}
	if rep, err := intake.VerifyJournal(ctx, s, nil); err != nil || !rep.OK() {
		t.Errorf("VerifyJournal after completions: %+v, %v", rep, err)
	}
}

func checkConcurrentClaims(ctx context.Context, t reporter, s intake.Store) {
	var ns []intake.Notification
	for i := range 60 {
		ns = append(ns, note(fmt.Sprintf("n%02d", i), t0))
	}
	saveWith(ctx, t, s, ns...)
	var (
		mu   sync.Mutex
		seen = map[string]string{}
		wg   sync.WaitGroup
	)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("w%d", w)
			for {
				got, err := s.Claim(ctx, name, t0, time.Hour, 3)
				if err != nil {
					t.Errorf("Claim by %s: %v", name, err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, n := range got {
					if other, dup := seen[n.ID]; dup {
						t.Errorf("%s was claimed by both %s and %s", n.ID, other, name)
					}
					seen[n.ID] = name
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 60 {
		t.Errorf("8 workers claimed %d distinct notifications of 60", len(seen))
	}
}

func checkConcurrentSaves(ctx context.Context, t reporter, s intake.Store) {
	if err := s.Save(ctx, newChange(rich("CVE-2024-1"))); err != nil {
		t.Errorf("Save: %v", err)
		return
	}
	const writers = 12
	var wg, loaded sync.WaitGroup
	loaded.Add(writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for attempt := 0; attempt < 500; attempt++ {
				r, err := s.Load(ctx, "CVE-2024-1")
				if attempt == 0 {
					// Everyone reads version 1 before anyone writes, so
					// all but one first Save must conflict.
					loaded.Done()
					loaded.Wait()
				}
				if err != nil {
					t.Errorf("Load: %v", err)
					return
				}
				ev := intake.Event{At: t0.Add(time.Duration(w) * time.Second), Kind: intake.EventRevision, From: r.Case.State, To: r.Case.State,
					Actor: fmt.Sprintf("writer-%d", w)}
				r.Case.Events = append(r.Case.Events, ev)
				err = s.Save(ctx, &intake.Change{Record: r, Events: []intake.Event{ev}})
				if err == nil {
					return
				}
				if !errors.Is(err, intake.ErrConflict) {
					t.Errorf("concurrent Save: %v", err)
					return
				}
				time.Sleep(time.Duration(attempt%7) * time.Millisecond)
			}
			t.Errorf("writer %d never got its change in", w)
		}()
	}
	wg.Wait()
	r, err := s.Load(ctx, "CVE-2024-1")
	if err != nil {
		t.Errorf("Load: %v", err)
		return
	}
	if n := len(r.Case.Events) - len(rich("X").Case.Events); n != writers || r.Version != writers+1 {
		t.Errorf("after %d concurrent updates: %d new events, version %d; want %d and %d (no lost update)", writers, n, r.Version, writers, writers+1)
	}
	rep, err := intake.VerifyJournal(ctx, s, nil)
	if err != nil || !rep.OK() {
		t.Errorf("VerifyJournal after concurrent Saves: %v %v", err, rep.Problems)
	}
}

func checkSourceStates(ctx context.Context, t reporter, s intake.Store) {
	if err := s.PutSourceState(ctx, intake.SourceState{}); err == nil {
		t.Errorf("PutSourceState without a name: accepted")
	}
	a := intake.SourceState{Source: "cisa-kev", LastAttempt: t0, LastSuccess: t0,
		Validators: map[string]feedhttp.Validators{"https://www.cisa.gov/kev.json": {ETag: `W/"abc"`, LastModified: "Mon, 23 Nov 2026 08:00:00 GMT"}}}
	b := intake.SourceState{Source: "ncsc", LastAttempt: t0, LastError: "GET https://ncsc.example/feed: 503"}
	for _, st := range []intake.SourceState{b, a} {
		if err := s.PutSourceState(ctx, st); err != nil {
			t.Errorf("PutSourceState(%s): %v", st.Source, err)
		}
	}
	got, err := s.SourceStates(ctx)
	if err != nil || asJSON(got) != asJSON([]intake.SourceState{a, b}) {
		t.Errorf("SourceStates = %s, %v; want %s (sorted by name)", asJSON(got), err, asJSON([]intake.SourceState{a, b}))
	}
	b.LastError, b.LastSuccess = "", t0.Add(time.Hour)
	if err := s.PutSourceState(ctx, b); err != nil {
		t.Errorf("PutSourceState again: %v", err)
	}
	got, _ = s.SourceStates(ctx)
	if len(got) != 2 || asJSON(got[1]) != asJSON(b) {
		t.Errorf("after an update: %s", asJSON(got))
	}
}

func checkCancelled(ctx context.Context, t reporter, s intake.Store) {
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	r := rich("CVE-2024-1")
	if err := s.Save(cctx, newChange(r)); !errors.Is(err, context.Canceled) {
		t.Errorf("Save with a cancelled context: %v, want context.Canceled", err)
	}
	if _, err := s.Load(ctx, "CVE-2024-1"); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("a Save with a cancelled context stored the case (Load = %v)", err)
	}
	if _, err := s.Load(cctx, "CVE-2024-1"); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with a cancelled context: %v", err)
	}
	if _, err := s.Cases(cctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Cases with a cancelled context: %v", err)
	}
	if _, err := s.Claim(cctx, "w", t0, time.Minute, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("Claim with a cancelled context: %v", err)
	}
}
