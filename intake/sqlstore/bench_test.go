package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
	"github.com/sigwatch/sigwatch/triage"
)

// BenchmarkSaveBatch measures Save of a batch of 200 new cases as the
// pipeline writes them: each with a real KEV advisory (as case advisory and
// receipt view), three events (received, triaged, assigned) and one
// notification. It reports cases per second. sqlite_normal is SQLite
// with Options.Synchronous NORMAL instead of the default FULL.
func BenchmarkSaveBatch(b *testing.B) {
	const batch = 200
	advs := kevAdvisories(b, kevCurrent)
	type target struct {
		name string
		open func(b *testing.B) *sqlstore.Store
	}
	targets := []target{
		{"sqlite", func(b *testing.B) *sqlstore.Store { return fresh(b, dialects[0]) }},
		{"sqlite_normal", func(b *testing.B) *sqlstore.Store {
			s, err := sqlstore.Open(context.Background(), dialects[0].dsn(b), &sqlstore.Options{Synchronous: "NORMAL"})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		}},
		{"postgres", func(b *testing.B) *sqlstore.Store { return fresh(b, dialects[1]) }},
	}
	for _, tg := range targets {
		b.Run(tg.name, func(b *testing.B) {
			ctx := context.Background()
			s := tg.open(b)
			n := 0
			mk := func() *intake.Change {
				n++
				a := advs[n%len(advs)].Clone()
				id := fmt.Sprintf("CVE-9999-%07d", n)
				a.ID = id
				ev := []intake.Event{
					{At: testNow, Kind: intake.EventReceived, To: intake.StateReceived, Actor: intake.Actor, Note: "received " + id + " from cisa-kev"},
					{At: testNow, From: intake.StateReceived, To: intake.StateTriaged, Actor: intake.Actor, Note: "actionable by rule kev-matched (P2)"},
					{At: testNow, From: intake.StateTriaged, To: intake.StateAssigned, Actor: intake.Actor, Note: "routed to netops"},
				}
				r := &intake.Record{Case: intake.Case{ID: id, Keys: []string{id}, Advisory: a, State: intake.StateAssigned,
					Receipts: []intake.Receipt{{Source: "cisa-kev", AdvisoryID: id, ReceivedAt: testNow}},
					Triage:   &triage.Result{AdvisoryID: id, Decision: triage.DecisionActionable, Priority: triage.P2, RuleID: "kev-matched", Owner: "netops"},
					Decision: triage.DecisionActionable, Owner: "netops", TriagedAt: testNow, Events: ev},
					Views: map[string]feeds.Advisory{intake.ReceiptKey("cisa-kev", id): a}}
				note := intake.Notification{ID: id + "#3/webhook/netops", CaseID: id, Notifier: "webhook", To: notify.Recipient{ID: "netops"},
					Kind: intake.KindRouted, Priority: triage.P2, Item: notify.Item{CaseID: id, Title: a.Title}, Created: testNow, NotBefore: testNow}
				return &intake.Change{Record: r, Events: ev, Enqueue: []intake.Notification{note}}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				changes := make([]*intake.Change, batch)
				for i := range changes {
					changes[i] = mk()
				}
				b.StartTimer()
				if err := s.Save(ctx, changes...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "cases/s")
		})
	}
}
