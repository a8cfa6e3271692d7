package intake_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/triage"
)

// An advisory naming two vulnerabilities that already have cases is filed
// under the first; the second keeps its own case and key, the run goes on,
// and the next run changes nothing.
func TestAdvisoryNamingTwoCases(t *testing.T) {
	clk := newClock()
	bulletin := []feeds.Advisory{}
	p := newPipeline(t, clk,
		memfeed.New("cisa-kev", kev("CVE-2024-21762", "Fortinet", "FortiOS", "Known"), kev("CVE-2024-23113", "Fortinet", "FortiOS", "Known")),
		feeds.SourceFunc("fortinet-psirt", func(context.Context) ([]feeds.Advisory, error) { return bulletin, nil }))
	run(t, p)
	bulletin = []feeds.Advisory{
		{ID: "FG-IR-24-999", Aliases: []string{"CVE-2024-21762", "CVE-2024-23113"}, Title: "Two FortiOS flaws"},
		{ID: "FG-IR-24-100", Title: "Unrelated bulletin in the same batch"},
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatalf("a bulletin naming two cases stopped the run: %v", err)
	}
	if res.New != 1 || res.Updated != 1 {
		t.Fatalf("new %d updated %d; want the unrelated bulletin opened and one case updated", res.New, res.Updated)
	}
	a, _ := p.Case(context.Background(), "CVE-2024-21762")
	b, _ := p.Case(context.Background(), "CVE-2024-23113")
	if a.ID != "CVE-2024-21762" || b.ID != "CVE-2024-23113" || strings.Join(a.Keys, ",") != "CVE-2024-21762,FG-IR-24-999" || len(b.Receipts) != 1 {
		t.Fatalf("cases: %s %v / %s %v", a.ID, a.Keys, b.ID, b.Keys)
	}
	if last := a.Events[len(a.Events)-1]; !hasEventNoting(a, "it also names CVE-2024-23113, filed as a case of its own") {
		t.Fatalf("no note of the other case: %+v", last)
	}
	if _, err := p.Case(context.Background(), "FG-IR-24-100"); err != nil {
		t.Fatalf("the unrelated bulletin was lost: %v", err)
	}
	if res := run(t, p); res.New != 0 || res.Updated != 0 {
		t.Fatalf("re-run: %+v", res)
	}
}

// Two advisories of one vulnerability in one batch: the second names a
// stored case and the case the first just opened; no key ends up in two
// cases and a re-run records nothing.
func TestBatchDoesNotSplitKeys(t *testing.T) {
	clk := newClock()
	store := intake.NewMemoryStore()
	eng, _ := triage.New(nil, &triage.Options{Now: clk.Now})
	first, err := intake.New([]feeds.Source{memfeed.New("nvd", feeds.Advisory{ID: "CVE-2024-9999", Title: "x"})}, eng, &intake.Options{Store: store, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	run(t, first)
	osv := memfeed.New("osv",
		feeds.Advisory{ID: "GHSA-aaaa-bbbb-cccc", Title: "ghsa"},
		feeds.Advisory{ID: "PYSEC-2024-1", Aliases: []string{"CVE-2024-9999", "GHSA-aaaa-bbbb-cccc"}, Title: "pysec"})
	p, err := intake.New([]feeds.Source{osv}, eng, &intake.Options{Store: store, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	run(t, p)
	owners := map[string]string{}
	for _, c := range allCases(t, p) {
		for _, k := range c.Keys {
			if o, dup := owners[k]; dup {
				t.Fatalf("key %s is in cases %s and %s", k, o, c.ID)
			}
			owners[k] = c.ID
		}
	}
	if res := run(t, p); res.New != 0 || res.Updated != 0 {
		t.Fatalf("re-run: %+v", res)
	}
}

// Overlapping routes that would tell one person twice through one
// notifier tell them once, and the run does not fail.
func TestOverlappingRoutes(t *testing.T) {
	clk := &setClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	hook, chat := &recorder{name: "hook"}, &recorder{name: "chat"}
	p := notifyPipeline(t, clk.Now, nil, &intake.NotifyOptions{Notifiers: []notify.Notifier{hook, chat}, DigestPriorities: []triage.Priority{},
		Routes: []intake.Route{{Notifier: "hook", Priorities: []triage.Priority{triage.P1}}, {Notifier: "chat"}, {Notifier: "hook"}}}, kevFeed())
	res := run(t, p)
	if res.Enqueued != 4 {
		t.Fatalf("enqueued %d; want 4: hook and chat for each of the two routed cases", res.Enqueued)
	}
	deliver(t, p)
	if len(hook.messages()) != 2 || len(chat.messages()) != 2 {
		t.Fatalf("hook %d chat %d", len(hook.messages()), len(chat.messages()))
	}
}

// Two groups briefing the same advisory are two receipts.
func TestManualReceiptsFromTwoGroups(t *testing.T) {
	p := newPipeline(t, newClock())
	adv := feeds.Advisory{ID: "CVE-2024-3400", Title: "PAN-OS"}
	ctx := context.Background()
	if _, err := p.Receive(ctx, adv, intake.ManualReceipt{Group: "isac", By: "akhan", ReceivedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	c, err := p.Receive(ctx, adv, intake.ManualReceipt{Group: "cisa", By: "akhan", ReceivedAt: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Receipts) != 2 || c.Receipts[0].Group != "isac" || c.Receipts[1].Group != "cisa" {
		t.Fatalf("receipts = %+v", c.Receipts)
	}
	// The same group again with the same text is a repeat, not a receipt.
	c, _ = p.Receive(ctx, adv, intake.ManualReceipt{Group: "isac", By: "akhan"})
	if len(c.Receipts) != 2 {
		t.Fatalf("a repeat became a receipt: %+v", c.Receipts)
	}
}

// A revision of an actioned case that would route elsewhere records the
// new triage and keeps the owner: no silent owner change.
func TestRevisionOfActionedCaseKeepsOwner(t *testing.T) {
	clk := newClock()
	current := []feeds.Advisory{kev("CVE-2024-21762", "Fortinet", "FortiOS", "Known")}
	p := newPipeline(t, clk, feeds.SourceFunc("cisa-kev", func(context.Context) ([]feeds.Advisory, error) { return current, nil }))
	run(t, p)
	ctx := context.Background()
	if err := p.Action(ctx, "CVE-2024-21762", "CHG-1", "akhan", ""); err != nil {
		t.Fatal(err)
	}
	current = []feeds.Advisory{kev("CVE-2024-21762", "Atlassian", "Confluence Data Center and Server", "Known")}
	run(t, p)
	c, _ := p.Case(ctx, "CVE-2024-21762")
	if c.Owner != "netops" || c.State != intake.StateActioned {
		t.Fatalf("owner %s state %s; want netops, actioned", c.Owner, c.State)
	}
	if !hasEventNoting(c, "it would now route to collab, the case stays with netops") {
		t.Fatalf("events: %+v", c.Events)
	}
}

// A case whose receipt time or state was edited, with its events intact,
// is caught.
func TestVerifyJournalChecksDerivedFields(t *testing.T) {
	p := newPipeline(t, newClock(), kevFeed())
	run(t, p)
	for name, edit := range map[string]func(c *intake.Case){
		"state":        func(c *intake.Case) { c.State = intake.StateClosed },
		"receipt time": func(c *intake.Case) { c.Receipts[0].ReceivedAt = c.Receipts[0].ReceivedAt.Add(-72 * time.Hour) },
		"triage time":  func(c *intake.Case) { c.TriagedAt = c.TriagedAt.Add(time.Hour) },
	} {
		s := &tampered{Store: p.Store(), cases: func(cs []intake.Case) []intake.Case { edit(&cs[1]); return cs }}
		rep, err := intake.VerifyJournal(context.Background(), s, nil)
		if err != nil || rep.OK() || rep.Problems[0].Case != "CVE-2023-22518" {
			t.Fatalf("%s edited: %+v, %v", name, rep.Problems, err)
		}
	}
}

// Weekly digests fall on the same weekday whatever day an item arrived.
func TestWeeklyDigestSlot(t *testing.T) {
	clk := &setClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)} // a Monday
	mail := &recorder{name: "mail"}
	src := []feeds.Advisory{kev("CVE-2023-22518", "Atlassian", "Confluence Data Center and Server", "Unknown")}
	p := notifyPipeline(t, clk.Now, nil, &intake.NotifyOptions{Notifiers: []notify.Notifier{mail}, DigestPriorities: []triage.Priority{triage.P2},
		DigestEvery: 7 * 24 * time.Hour, DigestAt: 4*24*time.Hour + 8*time.Hour}, // Mondays 08:00 UTC (1970-01-01 was a Thursday)
		feeds.SourceFunc("cisa-kev", func(context.Context) ([]feeds.Advisory, error) { return src, nil }))
	run(t, p)
	clk.Add(24 * time.Hour) // Tuesday: a second case
	src = append(src, kev("CVE-2023-22527", "Atlassian", "Confluence Data Center and Server", "Unknown"))
	run(t, p)
	clk.t = time.Date(2026, 11, 30, 7, 59, 0, 0, time.UTC)
	if d := deliver(t, p); d.Messages != 0 {
		t.Fatalf("digest before Monday 08:00: %+v", d)
	}
	clk.t = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	if d := deliver(t, p); d.Messages != 1 || d.Sent != 2 {
		t.Fatalf("Monday 08:00: %+v; want one digest with both", d)
	}
}

func hasEventNoting(c intake.Case, part string) bool {
	for _, e := range c.Events {
		if strings.Contains(e.Note, part) {
			return true
		}
	}
	return false
}

// A new KEV catalog release changes the catalog version on every entry;
// that is not a revision of the entries.
func TestNewCatalogReleaseIsNotARevision(t *testing.T) {
	release := func(version, ransomware string) []feeds.Advisory {
		a := kev("CVE-2023-22518", "Atlassian", "Confluence Data Center and Server", ransomware)
		a.Extra = map[string]string{"kev.release.catalogVersion": version, "kev.notes": "n"}
		return []feeds.Advisory{a}
	}
	current := release("2026.11.20", "Unknown")
	p := newPipeline(t, newClock(), feeds.SourceFunc("cisa-kev", func(context.Context) ([]feeds.Advisory, error) { return current, nil }))
	run(t, p)
	current = release("2026.11.23", "Unknown")
	if res := run(t, p); res.Updated != 0 {
		t.Fatalf("a new catalog version alone revised %d cases", res.Updated)
	}
	current = release("2026.11.24", "Known")
	if res := run(t, p); res.Updated != 1 {
		t.Fatalf("a real change was not a revision: %+v", res)
	}
	if !feeds.IsReleaseExtra("kev.release.catalogVersion") || feeds.IsReleaseExtra("kev.notes") || feeds.IsReleaseExtra("release.x") {
		t.Fatal("IsReleaseExtra")
	}
}

// An advisory that no store can hold is rejected with its reason; the
// source's other advisories are recorded.
func TestInadmissibleAdvisoryRejectedAlone(t *testing.T) {
	p := newPipeline(t, newClock(), memfeed.New("osv",
		feeds.Advisory{ID: "GHSA-good-0001", Title: "fine"},
		feeds.Advisory{ID: "GHSA-nul-0002", Aliases: []string{"CVE-2024-2222\x00"}, Title: "NUL in an alias"},
		feeds.Advisory{ID: "GHSA-date-0003", Title: "far future", Modified: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	))
	res := run(t, p)
	sr := res.Sources[0]
	if res.New != 1 || len(sr.Rejected) != 2 || sr.Rejected[0].ID != "GHSA-nul-0002" || sr.Rejected[1].ID != "GHSA-date-0003" ||
		!strings.Contains(sr.Rejected[0].Reason, "control characters") || !strings.Contains(sr.Rejected[1].Reason, "year outside of range") {
		t.Fatalf("new %d, rejected %+v", res.New, sr.Rejected)
	}
	if _, err := p.Receive(context.Background(), feeds.Advisory{ID: "X\nY"}, intake.ManualReceipt{Group: "isac", By: "akhan"}); err == nil {
		t.Fatal("a manual advisory with a line break in its ID was accepted")
	}
}

// A notification enqueued for a notifier this process does not have stays
// pending for one that has it, instead of failing for good.
func TestUnknownNotifierLeavesNotificationPending(t *testing.T) {
	clk := &setClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	store := intake.NewMemoryStore()
	hook, other := &recorder{name: "hook"}, &recorder{name: "ops-hook"}
	routes := &intake.NotifyOptions{Notifiers: []notify.Notifier{hook}, DigestPriorities: []triage.Priority{}, Routes: []intake.Route{{Owner: "netops", Notifier: "hook"}}}
	first := notifyPipeline(t, clk.Now, store, routes, kevFeed())
	run(t, first)
	renamed := notifyPipeline(t, clk.Now, store, &intake.NotifyOptions{Notifiers: []notify.Notifier{other}, DigestPriorities: []triage.Priority{}}, kevFeed())
	d := deliver(t, renamed)
	if d.Deferred != 1 || d.Failed != 0 || len(other.messages()) != 0 {
		t.Fatalf("renamed: %+v", d)
	}
	clk.Add(10 * time.Minute) // the lease lapses
	if d := deliver(t, first); d.Sent != 1 || len(hook.messages()) != 1 {
		t.Fatalf("the process with the notifier: %+v", d)
	}
	c, _ := first.Case(context.Background(), "CVE-2024-21762")
	if len(events(c, intake.EventNotifyFailed)) != 0 || len(events(c, intake.EventNotified)) != 1 {
		t.Fatalf("events: %+v", c.Events)
	}
}
