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
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/triage"
)

// setClock is a clock that moves only when told to.
type setClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *setClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *setClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// recorder is a notifier that keeps every message and answers with the
// errors it is given, one per call, then success.
type recorder struct {
	name string
	mu   sync.Mutex
	msgs []notify.Message
	errs []error
}

func (r *recorder) Name() string { return r.name }

func (r *recorder) Notify(_ context.Context, m *notify.Message) (notify.Delivery, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, *m)
	if len(r.errs) > 0 {
		err := r.errs[0]
		r.errs = r.errs[1:]
		if err != nil {
			return notify.Delivery{}, err
		}
	}
	return notify.Delivery{Ref: fmt.Sprintf("%s-%d", r.name, len(r.msgs)), Status: 200}, nil
}

func (r *recorder) messages() []notify.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.Message(nil), r.msgs...)
}

func notifyPipeline(t *testing.T, clk func() time.Time, store intake.Store, n *intake.NotifyOptions, sources ...feeds.Source) *intake.Pipeline {
	t.Helper()
	eng, err := triage.New(&triage.Stack{Components: []triage.Component{
		{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Owner: "netops", Exposure: triage.ExposureInternet},
		{ID: "wiki", Vendor: "Atlassian", Product: "Confluence Server", Owner: "collab"},
	}}, &triage.Options{Now: clk})
	if err != nil {
		t.Fatal(err)
	}
	p, err := intake.New(sources, eng, &intake.Options{Register: testRegister(), Now: clk, Store: store, Notify: n})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func deliver(t *testing.T, p *intake.Pipeline) *intake.DeliveryResult {
	t.Helper()
	res, err := p.Deliver(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func run(t *testing.T, p *intake.Pipeline) *intake.RunResult {
	t.Helper()
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func events(c intake.Case, kind intake.EventKind) []intake.Event {
	var out []intake.Event
	for _, e := range c.Events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// The KEV feed below yields, with the two-component stack above and the
// default rules: CVE-2024-21762 (FortiOS, internet-facing) actionable P1
// for netops, CVE-2023-22518 (Confluence) actionable P2 for collab, and
// CVE-2021-44228 (Log4j, not in the stack) not applicable and routed to
// no one.
func kevFeed() feeds.Source {
	return memfeed.New("cisa-kev",
		kev("CVE-2024-21762", "Fortinet", "FortiOS", "Known"),
		kev("CVE-2023-22518", "Atlassian", "Confluence Data Center and Server", "Unknown"),
		kev("CVE-2021-44228", "Apache", "Log4j2", "Known"))
}

func TestNotifyOwnersOnce(t *testing.T) {
	clk := &setClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	chat := &recorder{name: "chat"}
	p := notifyPipeline(t, clk.Now, nil, &intake.NotifyOptions{Notifiers: []notify.Notifier{chat}, DigestPriorities: []triage.Priority{}}, kevFeed())
	res := run(t, p)
	if res.New != 3 || res.Enqueued != 2 {
		t.Fatalf("run: new %d enqueued %d; want 3 cases and 2 notifications (the Log4j case is routed to no one)", res.New, res.Enqueued)
	}
	d := deliver(t, p)
	if d.Messages != 2 || d.Sent != 2 || d.Failed != 0 || d.Retrying != 0 {
		t.Fatalf("deliver: %+v", d)
	}
	msgs := chat.messages()
	got := map[string]string{}
	for _, m := range msgs {
		if len(m.Items) != 1 || m.Digest || m.Kind != intake.KindRouted {
			t.Fatalf("message %+v: want one routed item", m)
		}
		got[m.To.ID] = m.Items[0].CaseID + " " + m.Items[0].Priority
		if !strings.Contains(m.Subject, m.Items[0].CaseID) {
			t.Errorf("subject %q does not name the case", m.Subject)
		}
	}
	if got["netops"] != "CVE-2024-21762 P1" || got["collab"] != "CVE-2023-22518 P2" {
		t.Fatalf("told %v", got)
	}
	c, err := p.Case(context.Background(), "CVE-2024-21762")
	if err != nil {
		t.Fatal(err)
	}
	ev := events(c, intake.EventNotified)
	if len(ev) != 1 || ev[0].Notifier != "chat" || ev[0].Recipient != "netops" || ev[0].Ref != "chat-1" && ev[0].Ref != "chat-2" || ev[0].To != intake.StateAssigned {
		t.Fatalf("delivery events = %+v", ev)
	}
	// Nothing more to send; a second run of the same feed enqueues nothing.
	if d := deliver(t, p); d.Messages != 0 {
		t.Fatalf("second deliver sent %d", d.Messages)
	}
	if res := run(t, p); res.Enqueued != 0 || res.New != 0 {
		t.Fatalf("second run: %+v", res)
	}
	if d := deliver(t, p); d.Messages != 0 || len(chat.messages()) != 2 {
		t.Fatalf("after the second run %d more messages", len(chat.messages())-2)
	}
	rep, err := intake.VerifyJournal(context.Background(), p.Store(), nil)
	if err != nil || !rep.OK() {
		t.Fatalf("journal: %+v %v", rep, err)
	}
}

func TestNotifyRoutesAndDigest(t *testing.T) {
	// 09:00 UTC: digests go out at 08:00 UTC, so P2 items wait until
	// tomorrow 08:00 — 23 hours.
	clk := &setClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	pager, mail := &recorder{name: "pager"}, &recorder{name: "mail"}
	second := kev("CVE-2023-22527", "Atlassian", "Confluence Data Center and Server", "Unknown")
	src := memfeed.New("cisa-kev",
		kev("CVE-2024-21762", "Fortinet", "FortiOS", "Known"),
		kev("CVE-2023-22518", "Atlassian", "Confluence Data Center and Server", "Unknown"), second)
	p := notifyPipeline(t, clk.Now, nil, &intake.NotifyOptions{
		Notifiers: []notify.Notifier{pager, mail},
		Routes: []intake.Route{
			{Owner: "netops", Priorities: []triage.Priority{triage.P1}, Notifier: "pager"},
			{Notifier: "mail"},
		},
		DigestPriorities: []triage.Priority{triage.P2},
	}, src)
	if res := run(t, p); res.Enqueued != 4 {
		t.Fatalf("enqueued %d, want 4: pager+mail for the P1, mail for each P2", res.Enqueued)
	}
	d := deliver(t, p)
	if d.Sent != 2 || len(pager.messages()) != 1 || len(mail.messages()) != 1 {
		t.Fatalf("at 09:00: %+v, pager %d mail %d; want the P1 through both", d, len(pager.messages()), len(mail.messages()))
	}
	clk.Add(22*time.Hour + 59*time.Minute)
	if d := deliver(t, p); d.Messages != 0 {
		t.Fatalf("digest went out a minute early: %+v", d)
	}
	clk.Add(time.Minute)
	d = deliver(t, p)
	if d.Messages != 1 || d.Sent != 2 {
		t.Fatalf("digest slot: %+v; want one message for two notifications", d)
	}
	m := mail.messages()[1]
	if !m.Digest || m.Kind != intake.KindDigest || m.To.ID != "collab" || len(m.Items) != 2 || !strings.HasPrefix(m.ID, "digest-") {
		t.Fatalf("digest = %+v", m)
	}
	for _, id := range []string{"CVE-2023-22518", "CVE-2023-22527"} {
		c, _ := p.Case(context.Background(), id)
		if ev := events(c, intake.EventNotified); len(ev) != 1 || ev[0].Notifier != "mail" || !ev[0].At.Equal(clk.Now()) {
			t.Fatalf("%s delivery events = %+v", id, ev)
		}
	}
}

func TestNotifyRetriesAndFailures(t *testing.T) {
	clk := &setClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	flaky := &recorder{name: "flaky", errs: []error{
		&notify.Error{Notifier: "flaky", Err: errors.New("503 Service Unavailable")},
		&notify.Error{Notifier: "flaky", Err: errors.New("429"), RetryAfter: 10 * time.Minute},
	}}
	broken := &recorder{name: "broken", errs: []error{&notify.Error{Notifier: "broken", Permanent: true, Err: errors.New("404 no_service")}}}
	p := notifyPipeline(t, clk.Now, nil, &intake.NotifyOptions{
		Notifiers:        []notify.Notifier{flaky, broken},
		Routes:           []intake.Route{{Owner: "netops", Notifier: "flaky"}, {Owner: "netops", Notifier: "broken"}},
		DigestPriorities: []triage.Priority{},
		RetryBase:        time.Minute,
	}, kevFeed())
	run(t, p)
	d := deliver(t, p)
	if d.Retrying != 1 || d.Failed != 1 || d.Sent != 0 {
		t.Fatalf("first attempt: %+v", d)
	}
	c, _ := p.Case(context.Background(), "CVE-2024-21762")
	if ev := events(c, intake.EventNotifyFailed); len(ev) != 1 || ev[0].Notifier != "broken" || !strings.Contains(ev[0].Note, "404 no_service") {
		t.Fatalf("permanent failure events = %+v", ev)
	}
	if len(events(c, intake.EventNotified)) != 0 {
		t.Fatal("a temporary failure was recorded as delivered")
	}
	// Retry after 1 minute (the base), which fails with Retry-After 10m.
	clk.Add(59 * time.Second)
	if d := deliver(t, p); d.Messages != 0 {
		t.Fatalf("retried early: %+v", d)
	}
	clk.Add(time.Second)
	if d := deliver(t, p); d.Retrying != 1 {
		t.Fatalf("second attempt: %+v", d)
	}
	// The next wait would be 2 minutes; Retry-After says 10.
	clk.Add(9 * time.Minute)
	if d := deliver(t, p); d.Messages != 0 {
		t.Fatalf("Retry-After not honoured: %+v", d)
	}
	clk.Add(time.Minute)
	if d := deliver(t, p); d.Sent != 1 {
		t.Fatalf("third attempt: %+v", d)
	}
	c, _ = p.Case(context.Background(), "CVE-2024-21762")
	if ev := events(c, intake.EventNotified); len(ev) != 1 || ev[0].Notifier != "flaky" {
		t.Fatalf("delivered events = %+v", ev)
	}
	if n := len(broken.messages()); n != 1 {
		t.Fatalf("the permanently failed notification was tried %d times", n)
	}
}

func TestNotifyGivesUpAfterMaxAttempts(t *testing.T) {
	clk := &setClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	down := &recorder{name: "down"}
	for range 5 {
		down.errs = append(down.errs, errors.New("connection refused"))
	}
	p := notifyPipeline(t, clk.Now, nil, &intake.NotifyOptions{Notifiers: []notify.Notifier{down},
		Routes: []intake.Route{{Owner: "netops", Notifier: "down"}}, MaxAttempts: 3, RetryBase: time.Minute}, kevFeed())
	run(t, p)
	var failed int
	for range 6 {
		failed += deliver(t, p).Failed
		clk.Add(time.Hour)
	}
	if n := len(down.messages()); n != 3 || failed != 1 {
		t.Fatalf("tried %d times, failed %d; want 3 attempts then given up", n, failed)
	}
	c, _ := p.Case(context.Background(), "CVE-2024-21762")
	if ev := events(c, intake.EventNotifyFailed); len(ev) != 1 || !strings.Contains(ev[0].Note, "after 3 attempts") {
		t.Fatalf("events = %+v", ev)
	}
}

func TestNotifyRevisionAndReassignment(t *testing.T) {
	clk := &setClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	chat := &recorder{name: "chat"}
	current := []feeds.Advisory{kev("CVE-2023-22518", "Atlassian", "Confluence Data Center and Server", "Unknown")}
	p := notifyPipeline(t, clk.Now, nil, &intake.NotifyOptions{Notifiers: []notify.Notifier{chat}, DigestPriorities: []triage.Priority{}},
		feeds.SourceFunc("cisa-kev", func(context.Context) ([]feeds.Advisory, error) { return current, nil }))
	run(t, p)
	deliver(t, p)
	// KEV flips ransomware use to Known: P2 becomes P1, the owner is told again.
	current = []feeds.Advisory{kev("CVE-2023-22518", "Atlassian", "Confluence Data Center and Server", "Known")}
	clk.Add(time.Hour)
	if res := run(t, p); res.Updated != 1 || res.Enqueued != 1 {
		t.Fatalf("revision run: %+v", res)
	}
	deliver(t, p)
	// A person hands it to someone else: the new owner is told.
	if err := p.Assign(context.Background(), "CVE-2023-22518", "akhan", "akhan"); err != nil {
		t.Fatal(err)
	}
	deliver(t, p)
	msgs := chat.messages()
	var got []string
	for _, m := range msgs {
		got = append(got, m.Kind+":"+m.To.ID+":"+m.Items[0].Priority)
	}
	if strings.Join(got, " ") != "case.routed:collab:P2 case.revised:collab:P1 case.routed:akhan:P1" {
		t.Fatalf("messages: %v", got)
	}
	// akhan is a person in the register: name and e-mail come from it.
	if last := msgs[2].To; last.Name != "Aisha Khan" {
		t.Fatalf("recipient = %+v", last)
	}
}

func TestNotifyOptionsValidated(t *testing.T) {
	eng, _ := triage.New(nil, nil)
	a := &recorder{name: "a"}
	for _, tc := range []struct {
		name string
		o    intake.NotifyOptions
		want string
	}{
		{"none", intake.NotifyOptions{}, "at least one notifier"},
		{"duplicate", intake.NotifyOptions{Notifiers: []notify.Notifier{a, a}}, `two notifiers are named "a"`},
		{"unknown route", intake.NotifyOptions{Notifiers: []notify.Notifier{a}, Routes: []intake.Route{{Notifier: "b"}}}, `names notifier "b"`},
		{"bad priority", intake.NotifyOptions{Notifiers: []notify.Notifier{a}, Routes: []intake.Route{{Notifier: "a", Priorities: []triage.Priority{"P9"}}}}, `unknown priority "P9"`},
		{"timeout", intake.NotifyOptions{Notifiers: []notify.Notifier{a}, SendTimeout: time.Hour}, "must be shorter than Lease"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := intake.New(nil, eng, &intake.Options{Notify: &tc.o}); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestTwoWorkersOneStore runs two pipelines on one store at the same time,
// as two processes on one database would: every advisory is one case and
// every owner is told once.
func TestTwoWorkersOneStore(t *testing.T) {
	clk := &setClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	store := intake.NewMemoryStore()
	var advs []feeds.Advisory
	for i := range 300 {
		vendor, product := "Fortinet", "FortiOS"
		if i%2 == 1 {
			vendor, product = "Atlassian", "Confluence Data Center and Server"
		}
		advs = append(advs, kev(fmt.Sprintf("CVE-2025-%05d", i), vendor, product, "Known"))
	}
	chat := &recorder{name: "chat"}
	var workers []*intake.Pipeline
	for w := range 2 {
		eng, err := triage.New(&triage.Stack{Components: []triage.Component{
			{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Owner: "netops", Exposure: triage.ExposureInternet},
			{ID: "wiki", Vendor: "Atlassian", Product: "Confluence Server", Owner: "collab"},
		}}, &triage.Options{Now: clk.Now})
		if err != nil {
			t.Fatal(err)
		}
		p, err := intake.New([]feeds.Source{memfeed.New("cisa-kev", advs...)}, eng, &intake.Options{Store: store, Now: clk.Now, BatchSize: 7,
			Notify: &intake.NotifyOptions{Notifiers: []notify.Notifier{chat}, DigestPriorities: []triage.Priority{}, Worker: fmt.Sprintf("w%d", w)}})
		if err != nil {
			t.Fatal(err)
		}
		workers = append(workers, p)
	}
	var wg sync.WaitGroup
	for _, p := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := p.Run(context.Background()); err != nil {
				t.Error(err)
				return
			}
			if _, err := p.Deliver(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	cases, err := store.Cases(context.Background(), nil)
	if err != nil || len(cases) != 300 {
		t.Fatalf("%d cases, %v; want 300", len(cases), err)
	}
	told := map[string]int{}
	for _, m := range chat.messages() {
		told[m.Items[0].CaseID]++
	}
	for _, c := range cases {
		if told[c.ID] != 1 || len(events(c, intake.EventNotified)) != 1 || len(c.Receipts) != 1 {
			t.Fatalf("%s: told %d times, %d delivery events, %d receipts", c.ID, told[c.ID], len(events(c, intake.EventNotified)), len(c.Receipts))
		}
	}
	rep, err := intake.VerifyJournal(context.Background(), store, nil)
	if err != nil || !rep.OK() {
		t.Fatalf("journal: %v %v", err, rep.Problems)
	}
}

// TestDeliverLeavesWhatItsLeaseCannotCover: a notification whose lease
// would run out during a send is left for later rather than sent at the
// risk of a second worker sending it too.
func TestDeliverLeavesWhatItsLeaseCannotCover(t *testing.T) {
	clk := &setClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	slow := notify.Func("slow", func(context.Context, *notify.Message) (notify.Delivery, error) {
		clk.Add(90 * time.Second) // each send takes a minute and a half
		return notify.Delivery{Ref: "ok"}, nil
	})
	p := notifyPipeline(t, clk.Now, nil, &intake.NotifyOptions{Notifiers: []notify.Notifier{slow}, DigestPriorities: []triage.Priority{},
		Lease: 2 * time.Minute, SendTimeout: time.Minute}, kevFeed())
	run(t, p)
	d := deliver(t, p)
	if d.Sent != 1 || d.Deferred != 1 {
		t.Fatalf("first pass: %+v; want one sent and one left (its lease ends at 09:02, a send started at 09:01:30 may last until 09:02:30)", d)
	}
	if d := deliver(t, p); d.Messages != 0 {
		t.Fatalf("the deferred notification was claimed before its lease lapsed: %+v", d)
	}
	clk.Add(30 * time.Second)
	if d := deliver(t, p); d.Sent != 1 || d.Deferred != 0 {
		t.Fatalf("after the lease lapsed: %+v", d)
	}
}
