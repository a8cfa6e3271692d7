package intake_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/triage"
)

func TestExceptionsAndOverdue(t *testing.T) {
	clk := &setClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	p := notifyPipeline(t, clk.Now, nil, nil, kevFeed())
	run(t, p)
	ctx := context.Background()
	c, _ := p.Case(ctx, "CVE-2024-21762")
	if c.Due.IsZero() || c.Overdue(c.Due) || !c.Overdue(c.Due.Add(time.Second)) {
		t.Fatalf("due %v: overdue only after it", c.Due)
	}
	until := c.Due.Add(7 * 24 * time.Hour)
	if err := p.Except(ctx, "CVE-2024-21762", "", until, "akhan"); err == nil {
		t.Fatal("exception without a reason accepted")
	}
	if err := p.Except(ctx, "CVE-2024-21762", "change freeze until the release", clk.Now().Add(-time.Hour), "akhan"); err == nil {
		t.Fatal("exception expiring in the past accepted")
	}
	if err := p.Except(ctx, "CVE-2024-21762", "change freeze until the release", until, "akhan"); err != nil {
		t.Fatal(err)
	}
	c, _ = p.Case(ctx, "CVE-2024-21762")
	if c.Exception == nil || c.Exception.By != "akhan" || !c.Exception.Until.Equal(until) {
		t.Fatalf("exception = %+v", c.Exception)
	}
	if c.Overdue(c.Due.Add(time.Hour)) || c.Overdue(until.Add(-time.Second)) || !c.Overdue(until) {
		t.Fatal("an exception must suspend the SLA until it expires, and no longer")
	}
	if ev := events(c, intake.EventException); len(ev) != 1 || !ev[0].Until.Equal(until) || ev[0].Actor != "akhan" {
		t.Fatalf("exception events = %+v", ev)
	}
	if err := p.Close(ctx, "CVE-2024-21762", "akhan", "done"); err != nil {
		t.Fatal(err)
	}
	c, _ = p.Case(ctx, "CVE-2024-21762")
	if c.Overdue(until.Add(time.Hour)) {
		t.Fatal("a closed case is never overdue")
	}
	if err := p.Except(ctx, "CVE-2024-21762", "late", until, "akhan"); !errors.Is(err, intake.ErrInvalidTransition) {
		t.Fatalf("exception on a closed case: %v", err)
	}
}

// failingStore fails every Save while fail is set.
type failingStore struct {
	intake.Store
	fail atomic.Bool
}

func (s *failingStore) Save(ctx context.Context, changes ...*intake.Change) error {
	if s.fail.Load() {
		return errors.New("disk full")
	}
	return s.Store.Save(ctx, changes...)
}

// TestValidatorsSurviveRestartButNotLoss runs the real KEV adapter against
// a loopback server that answers 304 to a matching If-None-Match.
func TestValidatorsSurviveRestartButNotLoss(t *testing.T) {
	body, err := os.ReadFile("../feeds/kevfeed/testdata/known_exploited_vulnerabilities_2025-08-21.json")
	if err != nil {
		t.Fatal(err)
	}
	var full, notModified atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", `"v1"`)
		w.Write(body)
	}))
	defer srv.Close()
	store := &failingStore{Store: intake.NewMemoryStore()}
	eng, err := triage.New(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// process starts a pipeline as a new process would: a new HTTP client
	// with no validators in memory, on the same store.
	process := func() (*intake.Pipeline, *feedhttp.Client) {
		hc := feedhttp.New(&feedhttp.Options{HTTPClient: srv.Client()})
		p, err := intake.New([]feeds.Source{kevfeed.New(&kevfeed.Options{URL: srv.URL + "/kev.json", HTTP: hc})}, eng,
			&intake.Options{Store: store, HTTP: hc, BatchSize: 500})
		if err != nil {
			t.Fatal(err)
		}
		return p, hc
	}

	// The store fails while recording: the run fails, and the validators
	// the server sent are forgotten, so the same process fetches in full
	// next time instead of being told "not modified" about advisories it
	// never recorded.
	p, _ := process()
	store.fail.Store(true)
	if _, err := p.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("run with a failing store: %v", err)
	}
	store.fail.Store(false)
	res, err := p.Run(context.Background())
	if err != nil || res.New != 1401 || full.Load() != 2 || notModified.Load() != 0 {
		t.Fatalf("rerun: %v, new %d, full fetches %d, 304s %d; want the catalog fetched again in full", err, res.New, full.Load(), notModified.Load())
	}
	states, _ := store.SourceStates(context.Background())
	if len(states) != 1 || states[0].Validators[srv.URL+"/kev.json"].ETag != `"v1"` || states[0].LastSuccess.IsZero() {
		t.Fatalf("source states = %+v", states)
	}
	// A restarted process makes a conditional request from the first run.
	p2, hc2 := process()
	if !hc2.Validators(srv.URL + "/kev.json").IsZero() {
		t.Fatal("a new client already has validators")
	}
	res, err = p2.Run(context.Background())
	if err != nil || !res.Sources[0].NotModified || notModified.Load() != 1 || res.New != 0 {
		t.Fatalf("restart: %v, %+v; 304s %d", err, res.Sources[0], notModified.Load())
	}
	if !res.Sources[0].LastSuccess.After(time.Time{}) {
		t.Fatal("LastSuccess not reported")
	}
}

func TestWatchCyclesAndStops(t *testing.T) {
	var fetches atomic.Int32
	src := feeds.SourceFunc("cisa-kev", func(context.Context) ([]feeds.Advisory, error) {
		fetches.Add(1)
		return []feeds.Advisory{kev("CVE-2024-21762", "Fortinet", "FortiOS", "Known")}, nil
	})
	p := newPipeline(t, newClock(), src)
	if err := p.Watch(context.Background(), 0, nil); err == nil {
		t.Fatal("Watch with no interval accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	var cycles atomic.Int32
	done := make(chan error, 1)
	go func() {
		done <- p.Watch(ctx, 5*time.Millisecond, &intake.WatchOptions{Jitter: 0.5, OnCycle: func(run *intake.RunResult, _ *intake.DeliveryResult, err error) {
			if err != nil {
				t.Error(err)
			}
			if cycles.Add(1) == 3 {
				cancel()
			}
		}})
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Watch returned %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Watch did not stop")
	}
	if n := cycles.Load(); n != 3 || fetches.Load() < 3 {
		t.Fatalf("%d cycles, %d fetches", n, fetches.Load())
	}
	if cs := allCases(t, p); len(cs) != 1 || len(cs[0].Receipts) != 1 {
		t.Fatalf("cases after watching: %+v", cs)
	}
}

// TestWatchDeliversWhileAFeedHangs: the owner of a case from a fast feed is
// told while another feed is still hanging, not when the cycle ends.
func TestWatchDeliversWhileAFeedHangs(t *testing.T) {
	hang := feeds.SourceFunc("hangs", func(ctx context.Context) ([]feeds.Advisory, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	told := make(chan time.Time, 10)
	chat := notify.Func("chat", func(context.Context, *notify.Message) (notify.Delivery, error) {
		told <- time.Now()
		return notify.Delivery{Ref: "ok"}, nil
	})
	eng, err := triage.New(&triage.Stack{Components: []triage.Component{
		{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Owner: "netops", Exposure: triage.ExposureInternet}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := intake.New([]feeds.Source{hang, memfeed.New("cisa-kev", kev("CVE-2024-21762", "Fortinet", "FortiOS", "Known"))}, eng,
		&intake.Options{FetchTimeout: 2 * time.Second, Notify: &intake.NotifyOptions{Notifiers: []notify.Notifier{chat}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	var cycleEnd time.Time
	var sent int
	err = p.Watch(ctx, time.Hour, &intake.WatchOptions{OnCycle: func(run *intake.RunResult, d *intake.DeliveryResult, err error) {
		cycleEnd = time.Now()
		sent = d.Sent
		cancel()
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Watch: %v", err)
	}
	select {
	case at := <-told:
		if at.Sub(start) > time.Second || cycleEnd.Sub(start) < 2*time.Second {
			t.Fatalf("told after %v, cycle ended after %v; want the owner told long before the hanging feed's 2 s timeout", at.Sub(start), cycleEnd.Sub(start))
		}
	default:
		t.Fatal("nobody was told")
	}
	if sent != 1 || len(told) != 0 {
		t.Fatalf("cycle reported %d sent, %d more messages; want the one early delivery reported once", sent, len(told))
	}
}
