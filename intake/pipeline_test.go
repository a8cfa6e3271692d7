package intake_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// fakeClock advances one minute every time it is read, so every step gets a
// distinct, predictable timestamp.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Minute)
	return c.t
}

func kev(id, vendor, product, ransomware string) feeds.Advisory {
	return feeds.Advisory{ID: id, Title: product + " flaw",
		Affected: []feeds.Affected{{Vendor: vendor, Product: product}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{
			DateAdded: time.Date(2024, 2, 9, 0, 0, 0, 0, time.UTC), RansomwareUse: ransomware}},
	}
}

func testRegister() *register.Register {
	return &register.Register{
		People: []register.Person{{ID: "akhan", Name: "Aisha Khan"}},
		Groups: []register.Group{
			{ID: "cisa", Name: "CISA", Kind: register.KindGovernmentCERT, Owner: "akhan",
				Channels: []register.Channel{{Kind: "kev"}}},
			{ID: "fortinet-psirt", Name: "Fortinet PSIRT", Kind: register.KindVendor, Owner: "akhan",
				Channels: []register.Channel{{Kind: "rss", Source: "fortinet-psirt"}}},
			{ID: "isac", Name: "Sector ISAC", Kind: register.KindISAC, Owner: "akhan",
				Channels: []register.Channel{{Kind: "manual"}}},
		},
	}
}

func newPipeline(t *testing.T, clk *fakeClock, sources ...feeds.Source) *intake.Pipeline {
	t.Helper()
	eng, err := triage.New(&triage.Stack{Components: []triage.Component{
		{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Owner: "netops", Exposure: triage.ExposureInternet},
		{ID: "wiki", Vendor: "Atlassian", Product: "Confluence Server", Owner: "collab"},
	}}, &triage.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	p, err := intake.New(sources, eng, &intake.Options{Register: testRegister(), Now: clk.Now, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunDeduplicatesAcrossSources(t *testing.T) {
	clk := newClock()
	vendor := feeds.Advisory{ID: "FG-IR-24-015", Aliases: []string{"CVE-2024-21762"}, Title: "FortiOS out-of-bound write in sslvpnd",
		Affected: []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS", Ranges: []feeds.Range{{Type: "SEMVER",
			Events: []feeds.Event{{Introduced: "7.2.0"}, {Fixed: "7.2.7"}}}}}}}
	p := newPipeline(t, clk,
		memfeed.New("cisa-kev", kev("CVE-2024-21762", "Fortinet", "FortiOS", "Known"), kev("CVE-2023-22518", "Atlassian", "Confluence Data Center and Server", "Unknown")),
		memfeed.New("fortinet-psirt", vendor),
	)
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 2 || res.Err() != nil || strings.Join(res.Opened, ",") != "CVE-2023-22518,CVE-2024-21762" || len(res.Changed) != 2 {
		t.Fatalf("new = %d, err = %v; want 2 cases and no error", res.New, res.Err())
	}
	if res.Sources[0].Group != "cisa" || res.Sources[1].Group != "fortinet-psirt" || res.Sources[0].Count != 2 {
		t.Fatalf("source results = %+v", res.Sources)
	}
	cases := allCases(t, p)
	if len(cases) != 2 || cases[0].ID != "CVE-2023-22518" || cases[1].ID != "CVE-2024-21762" {
		t.Fatalf("cases = %v", ids(cases))
	}
	c := cases[1]
	if len(c.Receipts) != 2 {
		t.Fatalf("receipts = %+v, want one per source", c.Receipts)
	}
	// Sources are fetched concurrently, so either may arrive first; receipts
	// are kept in arrival order and the earliest is the case's receipt time.
	groups := map[string]bool{c.Receipts[0].Group: true, c.Receipts[1].Group: true}
	if !groups["cisa"] || !groups["fortinet-psirt"] || c.Receipts[1].ReceivedAt.Before(c.Receipts[0].ReceivedAt) ||
		!c.ReceivedAt().Equal(c.Receipts[0].ReceivedAt) {
		t.Fatalf("receipts not in arrival order with groups: %+v", c.Receipts)
	}
	if got := strings.Join(c.Keys, ","); got != "CVE-2024-21762,FG-IR-24-015" {
		t.Fatalf("keys = %s", got)
	}
	// The vendor's range reached the merged advisory, so the version is now known affected.
	if c.Triage == nil || c.Triage.RuleID != "kev-internet" || c.Triage.Matches[0].Verdict != triage.VerdictAffected {
		t.Fatalf("triage = %+v", c.Triage)
	}
	if c.State != intake.StateAssigned || c.Owner != "netops" || c.TriagedAt.IsZero() {
		t.Fatalf("state %s owner %q triaged %v; want assigned to netops", c.State, c.Owner, c.TriagedAt)
	}
	// The vendor advisory is reachable under its own ID.
	if got, err := p.Case(context.Background(), "fg-ir-24-015"); err != nil || got.ID != c.ID {
		t.Fatalf("Case(vendor id) = %v, %v", got.ID, err)
	}
	// Running again changes nothing: no new receipt, no new event.
	events := len(c.Events)
	res, err = p.Run(context.Background())
	if err != nil || res.New != 0 || res.Updated != 0 {
		t.Fatalf("second run: new %d updated %d err %v", res.New, res.Updated, err)
	}
	if c2, _ := p.Case(context.Background(), c.ID); len(c2.Receipts) != 2 || len(c2.Events) != events {
		t.Fatalf("second run added receipts or events: %d receipts, %d events (was %d)", len(c2.Receipts), len(c2.Events), events)
	}
}

func TestRunPartialFailure(t *testing.T) {
	clk := newClock()
	boom := errors.New("connection refused")
	p := newPipeline(t, clk,
		feeds.SourceFunc("dead", func(context.Context) ([]feeds.Advisory, error) { return nil, boom }),
		feeds.SourceFunc("panics", func(context.Context) ([]feeds.Advisory, error) { panic("adapter bug") }),
		memfeed.New("cisa-kev", kev("CVE-2024-21762", "Fortinet", "FortiOS", "Known")),
	)
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatalf("a failed source must not fail the run: %v", err)
	}
	if res.New != 1 || !errors.Is(res.Sources[0].Err, boom) || res.Sources[1].Err == nil || res.Sources[2].Err != nil {
		t.Fatalf("results = %+v", res.Sources)
	}
	if !strings.Contains(res.Err().Error(), "source panics: intake: source panics panicked: adapter bug") {
		t.Fatalf("Err() = %v", res.Err())
	}
}

func TestRunCancelled(t *testing.T) {
	clk := newClock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := newPipeline(t, clk, feeds.SourceFunc("slow", func(ctx context.Context) ([]feeds.Advisory, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}))
	if _, err := p.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestRevisionRetriages(t *testing.T) {
	clk := newClock()
	adv := kev("CVE-2023-22518", "Atlassian", "Confluence Data Center and Server", "Unknown")
	current := []feeds.Advisory{adv}
	p := newPipeline(t, clk, feeds.SourceFunc("cisa-kev", func(context.Context) ([]feeds.Advisory, error) { return current, nil }))
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	c, _ := p.Case(context.Background(), "CVE-2023-22518")
	if c.Triage.RuleID != "kev-matched" || c.Triage.Priority != triage.P2 {
		t.Fatalf("first triage %s %s", c.Triage.RuleID, c.Triage.Priority)
	}
	firstTriaged := c.TriagedAt
	// KEV flips ransomware use from Unknown to Known in place.
	flipped := kev("CVE-2023-22518", "Atlassian", "Confluence Data Center and Server", "Known")
	current = []feeds.Advisory{flipped}
	res, err := p.Run(context.Background())
	if err != nil || res.Updated != 1 {
		t.Fatalf("updated = %d, err %v", res.Updated, err)
	}
	c, _ = p.Case(context.Background(), "CVE-2023-22518")
	if c.Triage.RuleID != "kev-ransomware" || c.Triage.Priority != triage.P1 {
		t.Fatalf("after the flip: %s %s", c.Triage.RuleID, c.Triage.Priority)
	}
	if !c.TriagedAt.Equal(firstTriaged) || len(c.Receipts) != 1 {
		t.Fatalf("a revision must keep the first triage time and add no receipt: %v, %d receipts", c.TriagedAt, len(c.Receipts))
	}
	if !hasEventNote(c, "cisa-kev revised CVE-2023-22518") {
		t.Fatalf("no revision event: %+v", c.Events)
	}
}

func TestLifecycle(t *testing.T) {
	clk := newClock()
	p := newPipeline(t, clk, memfeed.New("cisa-kev", kev("CVE-2024-21762", "Fortinet", "FortiOS", "Known"), kev("CVE-2021-44228", "Apache", "Log4j2", "Known")))
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	const id = "CVE-2024-21762"
	if err := p.Close(context.Background(), id, "", "x"); err == nil {
		t.Fatal("Close without an actor was accepted")
	}
	if err := p.Action(context.Background(), id, "CHG-1042", "akhan", "upgraded to 7.2.7"); err != nil {
		t.Fatal(err)
	}
	if err := p.Assign(context.Background(), id, "someone", "akhan"); !errors.Is(err, intake.ErrInvalidTransition) {
		t.Fatalf("assign after action: %v, want ErrInvalidTransition", err)
	}
	if err := p.Close(context.Background(), id, "akhan", "verified"); err != nil {
		t.Fatal(err)
	}
	if err := p.Action(context.Background(), id, "CHG-2", "akhan", ""); !errors.Is(err, intake.ErrInvalidTransition) {
		t.Fatalf("action on a closed case: %v", err)
	}
	c, _ := p.Case(context.Background(), id)
	var path []string
	for _, e := range c.Events {
		path = append(path, string(e.To))
	}
	if got := strings.Join(path, ">"); got != "received>triaged>assigned>actioned>closed" {
		t.Fatalf("path = %s", got)
	}
	if c.ActionRef != "CHG-1042" || c.ClosedAt.IsZero() || c.Events[3].Actor != "akhan" || c.Events[3].Ref != "CHG-1042" {
		t.Fatalf("case = %+v", c)
	}
	// Not applicable cases can be rejected with a reason.
	if err := p.Reject(context.Background(), "CVE-2021-44228", "", "akhan"); err == nil {
		t.Fatal("Reject without a reason was accepted")
	}
	if err := p.Reject(context.Background(), "CVE-2021-44228", "no Log4j anywhere (SBOM 2026-11)", "akhan"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Case(context.Background(), "CVE-1999-0001"); !errors.Is(err, intake.ErrNotFound) {
		t.Fatalf("unknown case: %v", err)
	}
}

func TestManualReceipt(t *testing.T) {
	clk := newClock()
	p := newPipeline(t, clk, memfeed.New("cisa-kev", kev("CVE-2024-21762", "Fortinet", "FortiOS", "Known")))
	briefed := time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC)
	adv := feeds.Advisory{ID: "ISAC-2026-044", Aliases: []string{"CVE-2024-21762"}, Title: "Members report FortiOS exploitation"}
	if _, err := p.Receive(context.Background(), adv, intake.ManualReceipt{Group: "nope", By: "akhan"}); err == nil {
		t.Fatal("unknown group accepted")
	}
	c, err := p.Receive(context.Background(), adv, intake.ManualReceipt{Group: "isac", By: "akhan", ReceivedAt: briefed})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "CVE-2024-21762" || len(c.Receipts) != 1 || !c.Receipts[0].Manual || !c.ReceivedAt().Equal(briefed) {
		t.Fatalf("manual case = %+v", c)
	}
	// Triage happens when the person enters it (the clock's next tick,
	// 2026-11-23 09:01), not at the asserted briefing time.
	if want := time.Date(2026, 11, 23, 9, 1, 0, 0, time.UTC); !c.TriagedAt.Equal(want) {
		t.Fatalf("triaged at %v, want %v", c.TriagedAt, want)
	}
	// KEV arrives later: same case, second receipt, the manual one stays first.
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	c, _ = p.Case(context.Background(), "ISAC-2026-044")
	if len(c.Receipts) != 2 || !c.Receipts[0].Manual || c.Receipts[1].Source != "cisa-kev" {
		t.Fatalf("receipts = %+v", c.Receipts)
	}
}

func TestNewRejectsBadSources(t *testing.T) {
	eng, _ := triage.New(nil, nil)
	for _, tc := range []struct {
		name    string
		sources []feeds.Source
		want    string
	}{
		{"duplicate", []feeds.Source{memfeed.New("a"), memfeed.New("a")}, `two sources are named "a"`},
		{"empty_name", []feeds.Source{feeds.SourceFunc(" ", nil)}, "empty name"},
		{"nil", []feeds.Source{nil}, "source 0 is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := intake.New(tc.sources, eng, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := intake.New(nil, nil, nil); err == nil {
		t.Fatal("nil engine accepted")
	}
}

func TestConcurrentUse(t *testing.T) {
	clk := newClock()
	var srcs []feeds.Source
	for i := range 20 {
		srcs = append(srcs, memfeed.New(fmt.Sprintf("s%02d", i), kev(fmt.Sprintf("CVE-2024-%04d", 1000+i%5), "Fortinet", "FortiOS", "Unknown")))
	}
	p := newPipeline(t, clk, srcs...)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := p.Run(context.Background()); err != nil {
				t.Error(err)
			}
			_ = allCases(t, p)
		})
	}
	wg.Wait()
	cases := allCases(t, p)
	if len(cases) != 5 {
		t.Fatalf("cases = %d, want 5", len(cases))
	}
	for _, c := range cases {
		if len(c.Receipts) != 4 { // 20 sources over 5 CVEs; repeated runs add none
			t.Fatalf("%s has %d receipts, want 4", c.ID, len(c.Receipts))
		}
	}
}

func ids(cs []intake.Case) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func hasEventNote(c intake.Case, note string) bool {
	for _, e := range c.Events {
		if e.Note == note {
			return true
		}
	}
	return false
}

// A case returned to a caller is a copy: editing it must not touch the
// pipeline's own state (which revision detection compares against).
func TestCaseIsDeepCopy(t *testing.T) {
	clk := newClock()
	adv := feeds.Advisory{ID: "GHSA-x", Aliases: []string{"CVE-2024-1"},
		Affected: []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS", CPEs: []string{"cpe:2.3:o:fortinet:fortios:*"},
			Versions: []string{"7.2.4"}, Ranges: []feeds.Range{{Type: "SEMVER", Events: []feeds.Event{{Introduced: "7.2.0"}}}}}}}
	p := newPipeline(t, clk, memfeed.New("s", adv))
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	c, _ := p.Case(context.Background(), "CVE-2024-1")
	c.Advisory.Affected[0].CPEs[0] = "changed"
	c.Advisory.Affected[0].Versions[0] = "changed"
	c.Advisory.Affected[0].Ranges[0].Events[0].Introduced = "changed"
	c.Triage.Matches[0].Component.ID = "changed"
	again, _ := p.Case(context.Background(), "CVE-2024-1")
	a := again.Advisory.Affected[0]
	if a.CPEs[0] == "changed" || a.Versions[0] == "changed" || a.Ranges[0].Events[0].Introduced == "changed" ||
		again.Triage.Matches[0].Component.ID == "changed" {
		t.Fatalf("editing a returned case changed the pipeline's state: %+v", a)
	}
}

func allCases(t testing.TB, p *intake.Pipeline) []intake.Case {
	t.Helper()
	cases, err := p.Cases(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}
