package sqlstore_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/triage"
)

func kevEntry(id, vendor, product, ransomware string) feeds.Advisory {
	return feeds.Advisory{ID: id, Title: product + " flaw",
		Affected: []feeds.Affected{{Vendor: vendor, Product: product}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{
			DateAdded: time.Date(2024, 2, 9, 0, 0, 0, 0, time.UTC), RansomwareUse: ransomware}},
	}
}

// smallSources are two feeds that report one vulnerability each way: KEV
// by CVE, the vendor by its own ID with the CVE as alias.
func smallSources() []feeds.Source {
	vendor := feeds.Advisory{ID: "FG-IR-24-015", Aliases: []string{"CVE-2024-21762"}, Title: "FortiOS out-of-bound write in sslvpnd",
		Affected: []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS", Ranges: []feeds.Range{{Type: "SEMVER",
			Events: []feeds.Event{{Introduced: "7.2.0"}, {Fixed: "7.2.7"}}}}}}}
	return []feeds.Source{
		memfeed.New("cisa-kev", kevEntry("CVE-2024-21762", "Fortinet", "FortiOS", "Known"),
			kevEntry("CVE-2023-22518", "Atlassian", "Confluence Server", "Unknown"),
			kevEntry("CVE-2024-0001", "Nobody", "Nothing", "Unknown")),
		memfeed.New("fortinet-psirt", vendor),
	}
}

// TestIdempotentRerun runs the same fetch twice: the second run records nothing.
func TestIdempotentRerun(t *testing.T) {
	forEachDialect(t, func(t *testing.T, d dialect) {
		ctx := context.Background()
		s := fresh(t, d)
		p := newTestPipeline(t, s, nopNotifier(), 0, smallSources()...)
		res, err := p.Run(ctx)
		if err != nil || res.Err() != nil {
			t.Fatalf("first run: %v %v", err, res.Err())
		}
		if res.New != 3 || res.Enqueued == 0 {
			t.Fatalf("first run: %d new, %d enqueued; want 3 cases and notifications", res.New, res.Enqueued)
		}
		entries := journalLen(t, s)
		outbox, err := s.Notifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		res, err = p.Run(ctx)
		if err != nil || res.New != 0 || res.Updated != 0 || res.Enqueued != 0 {
			t.Fatalf("second run: new %d updated %d enqueued %d err %v; want nothing recorded", res.New, res.Updated, res.Enqueued, err)
		}
		if n := journalLen(t, s); n != entries {
			t.Fatalf("second run changed the journal: %d entries, was %d", n, entries)
		}
		again, _ := s.Notifications(ctx)
		if len(again) != len(outbox) {
			t.Fatalf("second run enqueued: %d notifications, was %d", len(again), len(outbox))
		}
		// A new pipeline on a reopened store (a restarted process) records nothing either.
		p2 := newTestPipeline(t, s, nopNotifier(), 0, smallSources()...)
		if res, err := p2.Run(ctx); err != nil || res.New != 0 || res.Updated != 0 {
			t.Fatalf("run by a new pipeline: new %d updated %d err %v", res.New, res.Updated, err)
		}
		verify(t, s)
		c, err := p.Case(ctx, "fg-ir-24-015")
		if err != nil || c.ID != "CVE-2024-21762" || len(c.Receipts) != 2 {
			t.Fatalf("vendor advisory's case: %+v, %v; want CVE-2024-21762 with two receipts", c.ID, err)
		}
	})
}

// TestKEVIdempotent runs the real KEV catalogue twice: one case per
// distinct CVE (counted from the JSON independently), nothing the second time.
func TestKEVIdempotent(t *testing.T) {
	t.Parallel()
	want := kevCVEs(t, kevCurrent)
	advs := kevAdvisories(t, kevCurrent)
	forEachDialect(t, func(t *testing.T, d dialect) {
		ctx := context.Background()
		s := fresh(t, d)
		p := newTestPipeline(t, s, nopNotifier(), 0, memfeed.New("cisa-kev", advs...))
		res, err := p.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.New != len(want) {
			t.Fatalf("first run opened %d cases, want %d", res.New, len(want))
		}
		checkCases(t, s, want)
		entries := journalLen(t, s)
		res, err = p.Run(ctx)
		if err != nil || res.New != 0 || res.Updated != 0 {
			t.Fatalf("second run: new %d updated %d err %v", res.New, res.Updated, err)
		}
		if n := journalLen(t, s); n != entries {
			t.Fatalf("second run changed the journal: %d entries, was %d", n, entries)
		}
		rep := verify(t, s)
		if rep.Cases != len(want) || rep.Entries != int64(entries) {
			t.Fatalf("verify: %d cases, %d entries", rep.Cases, rep.Entries)
		}
	})
}

// checkCases checks that the store holds exactly one case per CVE in want,
// filed under the CVE.
func checkCases(t testing.TB, s intake.Store, want map[string]bool) {
	t.Helper()
	cases, err := s.Cases(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if !want[c.ID] {
			t.Errorf("unexpected case %s", c.ID)
		}
		if seen[c.ID] {
			t.Errorf("case %s appears twice", c.ID)
		}
		seen[c.ID] = true
	}
	if len(cases) != len(want) {
		t.Fatalf("%d cases, want %d", len(cases), len(want))
	}
}

// TestMatchesMemoryStore runs one pipeline on a MemoryStore and one on each
// SQL store with the same clock: the cases, outbox and journal are the same,
// compared with cmp.Diff and as JSON.
func TestMatchesMemoryStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	advs := kevAdvisories(t, kevCurrent)[:300]
	run := func(s intake.Store) {
		// One source at a time: the pipeline records each source as it
		// arrives, and both runs must see the same order.
		p, err := intake.New([]feeds.Source{memfeed.New("cisa-kev", advs...), smallSources()[1]}, testEngine(t),
			&intake.Options{Store: s, Now: fixedNow, BatchSize: 50, Concurrency: 1,
				Notify: &intake.NotifyOptions{Notifiers: []notify.Notifier{nopNotifier()}, DigestPriorities: []triage.Priority{}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		if err := p.Close(ctx, "CVE-2024-21762", "akhan", "patched"); err != nil {
			t.Fatal(err)
		}
	}
	mem := intake.NewMemoryStore()
	run(mem)
	wantCases, _ := mem.Cases(ctx, nil)
	wantOutbox, _ := mem.Notifications(ctx)
	wantJournal, _ := mem.Journal(ctx, 0, 100000)
	forEachDialect(t, func(t *testing.T, d dialect) {
		s := fresh(t, d)
		run(s)
		gotCases, err := s.Cases(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		// triage.Match keeps an unexported field for rule evaluation
		// that no durable store can see, and JSON's omitempty cannot
		// tell an empty slice from a nil one; everything else must
		// survive exactly.
		ignore := cmp.Options{cmpopts.IgnoreUnexported(triage.Match{}), cmpopts.EquateEmpty()}
		if diff := cmp.Diff(wantCases, gotCases, ignore); diff != "" {
			t.Errorf("cases differ from the MemoryStore's (-mem +sql):\n%s", diff)
		}
		if !jsonEqual(t, wantCases, gotCases) {
			t.Errorf("cases differ from the MemoryStore's as JSON")
		}
		for _, c := range wantCases {
			a, _ := mem.Load(ctx, c.ID)
			b, err := s.Load(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(a, b, ignore); diff != "" {
				t.Fatalf("record %s differs (-mem +sql):\n%s", c.ID, diff)
			}
		}
		gotOutbox, err := s.Notifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantOutbox, gotOutbox); diff != "" {
			t.Errorf("outbox differs (-mem +sql):\n%s", diff)
		}
		gotJournal, err := s.Journal(ctx, 0, 100000)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(wantJournal, gotJournal, func(a, b intake.JournalEntry) bool {
			return a.Seq == b.Seq && a.Hash == b.Hash && a.Prev == b.Prev && string(a.Body) == string(b.Body)
		}) {
			t.Errorf("journal differs: %d entries in memory, %d in SQL", len(wantJournal), len(gotJournal))
		}
		verify(t, s)
	})
}

func jsonEqual(t testing.TB, a, b any) bool {
	t.Helper()
	x, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(x) == string(y)
}
