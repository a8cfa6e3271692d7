package sigwatch_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/triage"
)

// This is the notifications sample in README.md ("Notifications"): keep the
// two in step.
func Example_notifications() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }

	// Any notify.Notifier: notify.Webhook, Slack, Teams, SMTP, Jira, or a function.
	chat := notify.Func("chat", func(ctx context.Context, m *notify.Message) (notify.Delivery, error) {
		fmt.Println("to", m.To.ID+":", m.Subject)
		return notify.Delivery{Status: 200}, nil
	})
	engine, err := triage.New(&triage.Stack{Components: []triage.Component{{ID: "edge-fw",
		Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Owner: "netops",
		Exposure: triage.ExposureInternet}}}, &triage.Options{Now: now})
	if err != nil {
		log.Fatal(err)
	}
	kev := memfeed.New("cisa-kev", feeds.Advisory{ID: "CVE-2024-21762", Title: "Fortinet FortiOS Out-of-Bound Write",
		Affected:     []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS"}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{DateAdded: time.Date(2024, 2, 9, 0, 0, 0, 0, time.UTC)}}})
	pipe, err := intake.New([]feeds.Source{kev}, engine, &intake.Options{Now: now,
		Notify: &intake.NotifyOptions{
			Notifiers: []notify.Notifier{chat},
			Routes:    []intake.Route{{Owner: "netops", Priorities: []triage.Priority{triage.P1, triage.P2}, Notifier: "chat"}},
			// P4 waits for the daily digest at 08:00 UTC (DigestPriorities, DigestEvery, DigestAt).
		}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := pipe.Run(ctx); err != nil { // routes the case and enqueues its notification
		log.Fatal(err)
	}
	res, err := pipe.Deliver(ctx) // sends what is due, with retries; Watch does both on an interval
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sent:", res.Sent, "failed:", res.Failed)
	// Output:
	// to netops: [P1] new CVE-2024-21762: Fortinet FortiOS Out-of-Bound Write
	// sent: 1 failed: 0
}
