package intake_test

// The soak harness: a realistic long-running load on the whole intake path
// (fetch → de-duplicate → triage → route → notify → journal) against feed
// servers on loopback that grow, revise, stall and fail, with the checks
// that make it a soak test rather than a timer. BenchmarkSoak measures it;
// TestSoakShort runs the same harness small, so `go test` keeps it honest.
//
//	go test ./intake/ -run '^$' -bench BenchmarkSoak -benchtime 30x
//
// Each benchmark iteration is one cycle: the feeds change (not timed), then
// Run and Deliver (timed). Explicit cycles measure the pipeline rather
// than the polling interval: with Pipeline.Watch the latency from a feed
// change to the owner would be dominated by the interval (on average half
// of it), a configuration choice, and the cycle boundaries would drift
// against the feed changes. Watch's own loop adds nothing but a sleep.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/feeds/rssfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
	"github.com/sigwatch/sigwatch/triage"
)

// soakConfig sizes the harness.
type soakConfig struct {
	Seed uint64
	// Sources feeds, KEVShare of them in KEV JSON format and the rest RSS
	// 2.0 vendor feeds; Failing of them fail every other cycle (500, TCP
	// reset or hang, in turn), Slow answer after SlowMin..SlowMax, Quiet
	// change rarely (answering 304 most cycles).
	Sources              int
	KEVShare             float64
	Failing, Slow, Quiet int
	SlowMin, SlowMax     time.Duration
	// Vendors × ProductsPerVendor products, Components of them in the
	// stack, owned by Teams teams.
	Vendors, ProductsPerVendor, Components, Teams int
	// InitialKEV and InitialRSS items seed each feed; an RSS feed shows
	// its newest RSSWindow items.
	InitialKEV, InitialRSS, RSSWindow int
	// FetchTimeout and Concurrency are the pipeline's options.
	FetchTimeout time.Duration
	Concurrency  int
	// FixedCatalogVersion keeps every KEV release's catalogVersion the
	// same; by default each release carries the day, as CISA's do.
	FixedCatalogVersion bool
}

func benchSoakConfig() soakConfig {
	return soakConfig{
		Seed: 6, Sources: 50, KEVShare: 0.4, Failing: 5, Slow: 10, Quiet: 12,
		SlowMin: 50 * time.Millisecond, SlowMax: 200 * time.Millisecond,
		Vendors: 40, ProductsPerVendor: 25, Components: 300, Teams: 12,
		InitialKEV: 150, InitialRSS: 40, RSSWindow: 50,
		FetchTimeout: 2 * time.Second, Concurrency: 10,
	}
}

func shortSoakConfig() soakConfig {
	return soakConfig{
		Seed: 7, Sources: 10, KEVShare: 0.4, Failing: 2, Slow: 2, Quiet: 3,
		SlowMin: 5 * time.Millisecond, SlowMax: 30 * time.Millisecond,
		Vendors: 10, ProductsPerVendor: 10, Components: 40, Teams: 4,
		InitialKEV: 20, InitialRSS: 10, RSSWindow: 20,
		FetchTimeout: 300 * time.Millisecond, Concurrency: 10,
	}
}

// soakStats add up the timed cycles.
type soakStats struct {
	cycles      int
	pipeline    time.Duration // Run + Deliver
	slowest     time.Duration // the longest cycle
	opened      int
	updated     int
	advisories  int // fetched and processed
	fetches     int // source results
	notModified int
	failed      int // failed source results
	failCycles  int // cycles with at least one failed source
	enqueued    int
	sent        int
}

type soakHarness struct {
	tb    testing.TB
	cfg   soakConfig
	w     *soakWorld
	rc    *soakReceiver
	p     *intake.Pipeline
	store intake.Store
	// cycle is the next cycle's number; cycle 0 seeds the feeds.
	cycle int
	// timedFrom is when the timed cycles began: latencies are measured
	// for feed changes after it.
	timedFrom time.Time
	stats     soakStats
}

// newSoakHarness starts the feed servers and the receiver and builds the
// pipeline over store.
func newSoakHarness(tb testing.TB, cfg soakConfig, store intake.Store) *soakHarness {
	tb.Helper()
	w := newSoakWorld(cfg)
	h := &soakHarness{tb: tb, cfg: cfg, w: w, store: store}

	// The first KEVShare of the feeds are KEV catalogs, the others vendor
	// RSS feeds; a seeded permutation decides which fail, are slow or quiet.
	order := w.rng.Perm(cfg.Sources)
	nKEV := int(math.Round(float64(cfg.Sources) * cfg.KEVShare))
	if cfg.Sources-nKEV > cfg.Vendors {
		tb.Fatalf("soak: %d RSS feeds need as many vendors, have %d", cfg.Sources-nKEV, cfg.Vendors)
	}
	w.servers = make([]*soakServer, cfg.Sources)
	rssVendor := 0
	for i := range cfg.Sources {
		s := &soakServer{w: w, has: map[string]bool{}, kev: i < nKEV}
		if s.kev {
			s.name = fmt.Sprintf("kev-%02d", i+1)
		} else {
			s.vendor = rssVendor
			rssVendor++
			s.name = "psirt-" + strings.ToLower(w.vendors[s.vendor])
		}
		w.servers[i] = s
	}
	for k, i := range order {
		s := w.servers[i]
		switch {
		case k < cfg.Failing:
			s.failing = true
		case k < cfg.Failing+cfg.Slow:
			s.slow = true
		case k < cfg.Failing+cfg.Slow+cfg.Quiet:
			s.quiet = true
		}
	}
	for _, s := range w.servers {
		s.srv = newLoopbackServer(tb, s)
	}
	secret, err := notify.GenerateSecret()
	if err != nil {
		tb.Fatal(err)
	}
	h.rc = &soakReceiver{secret: secret}
	h.rc.srv = newLoopbackServer(tb, h.rc)

	// One feedhttp client for every source, also given to the pipeline so
	// validators are saved and restored. One retry, soon: a failing feed
	// costs at most FetchTimeout.
	transport := &http.Transport{MaxIdleConnsPerHost: 2, IdleConnTimeout: 30 * time.Second}
	tb.Cleanup(transport.CloseIdleConnections)
	fh := feedhttp.New(&feedhttp.Options{HTTPClient: &http.Client{Transport: transport, Timeout: 30 * time.Second},
		Retries: 1, Backoff: 50 * time.Millisecond})
	var sources []feeds.Source
	kinds := map[string]string{}
	for _, s := range w.servers {
		if s.kev {
			sources = append(sources, kevfeed.New(&kevfeed.Options{Name: s.name, URL: s.srv.URL + "/known_exploited_vulnerabilities.json", HTTP: fh}))
			kinds[s.name] = "kev"
			continue
		}
		vendor := w.vendors[s.vendor]
		sources = append(sources, rssfeed.New(&rssfeed.Options{
			Name: s.name, URL: s.srv.URL + "/advisories.rss", HTTP: fh,
			Publisher: vendor + " PSIRT", Vendor: vendor,
			Rules: []rssfeed.ItemRule{{Name: "soak-psirt", IDPattern: `CVE-\d{4}-\d{4,}`, IDIn: []string{rssfeed.FieldGUID},
				ProductPattern: `^\S+ (\S+):`}},
		}))
		kinds[s.name] = "rss"
	}
	eng, err := triage.New(&triage.Stack{Components: w.comps}, &triage.Options{SourceKinds: kinds})
	if err != nil {
		tb.Fatal(err)
	}
	whTransport := &http.Transport{MaxIdleConnsPerHost: 4}
	tb.Cleanup(whTransport.CloseIdleConnections)
	hook := &notify.Webhook{Label: "owners-webhook", URL: h.rc.srv.URL + "/hooks/sigwatch", Secret: secret,
		HTTPClient: &http.Client{Transport: whTransport, Timeout: 10 * time.Second}}
	if err := hook.Validate(); err != nil {
		tb.Fatal(err)
	}
	h.p, err = intake.New(sources, eng, &intake.Options{
		Store: store, HTTP: fh, Concurrency: cfg.Concurrency, FetchTimeout: cfg.FetchTimeout,
		Notify: &intake.NotifyOptions{Notifiers: []notify.Notifier{hook}, DigestPriorities: []triage.Priority{},
			SendTimeout: 10 * time.Second, Worker: "soak"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// newLoopbackServer starts h on a loopback httptest server, closed at
// cleanup.
func newLoopbackServer(tb testing.TB, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv
}

// mutate changes the feeds for the next cycle (or, with drain, only turns
// failures off).
func (h *soakHarness) mutate(drain bool) {
	h.w.mutate(h.cycle, drain)
}

// runCycle runs the pipeline once (Run, then Deliver) and, when timed,
// adds it to the statistics.
func (h *soakHarness) runCycle(ctx context.Context, timed bool) *intake.RunResult {
	h.tb.Helper()
	start := time.Now()
	run, err := h.p.Run(ctx)
	if err != nil {
		h.tb.Fatalf("soak: cycle %d: run: %v", h.cycle, err)
	}
	del, err := h.p.Deliver(ctx)
	if err != nil {
		h.tb.Fatalf("soak: cycle %d: deliver: %v", h.cycle, err)
	}
	took := time.Since(start)
	h.cycle++
	if !timed {
		return run
	}
	st := &h.stats
	st.cycles++
	st.pipeline += took
	st.slowest = max(st.slowest, took)
	st.opened += run.New
	st.updated += run.Updated
	st.enqueued += run.Enqueued
	st.sent += del.Sent
	failed := false
	for _, sr := range run.Sources {
		st.fetches++
		st.advisories += sr.Count
		if sr.NotModified {
			st.notModified++
		}
		if sr.Err != nil {
			st.failed++
			failed = true
		}
	}
	if failed {
		st.failCycles++
	}
	return run
}

// warmUp seeds the feeds and ingests them (the initial import, not timed).
func (h *soakHarness) warmUp(ctx context.Context) {
	h.tb.Helper()
	h.mutate(false)
	err := h.runCycle(ctx, false).Err()
	for try := 0; err != nil && try < 2; try++ {
		// A loaded machine can miss FetchTimeout on the big first fetch.
		h.mutate(true)
		err = h.runCycle(ctx, false).Err()
	}
	if err != nil {
		h.tb.Fatalf("soak: the seeding cycles failed: %v", err)
	}
	h.timedFrom = time.Now()
}

// step is one timed cycle's work after the feeds changed.
func (h *soakHarness) step(ctx context.Context) { h.runCycle(ctx, true) }

// drain turns the failures off and runs until a cycle fetches every
// source, so that everything ever published is in the store.
func (h *soakHarness) drain(ctx context.Context) {
	h.tb.Helper()
	var err error
	for range 3 {
		h.mutate(true)
		if err = h.runCycle(ctx, false).Err(); err == nil {
			return
		}
	}
	h.tb.Fatalf("soak: drain cycles still fail: %v", err)
}

// soakSummary is what verify measured.
type soakSummary struct {
	cases, routed, shared, deliveries, revised int
	revisions, spurious                        int
	kevAfterVendor                             int             // routed cases whose first receipt came from a vendor feed
	latencies                                  []time.Duration // KEV feed change → owner told, for cases listed while timed
	revLatencies                               []time.Duration // ransomware flip → owner told again, for flips while timed
	failures                                   [4]int64        // by soakFail, as the servers saw them
	notModified                                int64           // 304s the servers sent
}

// verify checks the store and the receiver against the world: every CVE
// served is exactly one case with a receipt from every source that served
// it; exactly the cases whose product is in the stack are routed, to the
// component's owner, at the priority the default rules give; every routed
// case's owner was told exactly once (by webhook-id at the receiver); every
// delivery is recorded on its case; the journal verifies; and the run
// covered failures, 304s, shared CVEs and revisions. It returns every
// problem joined.
func (h *soakHarness) verify(ctx context.Context) (*soakSummary, error) {
	w := h.w
	var probs []string
	bad := func(format string, args ...any) {
		if len(probs) < 40 {
			probs = append(probs, fmt.Sprintf(format, args...))
		}
	}
	cases, err := h.store.Cases(ctx, nil)
	if err != nil {
		return nil, err
	}
	sum := &soakSummary{cases: len(cases)}
	byCase := map[string]*intake.Case{}
	for i := range cases {
		byCase[cases[i].ID] = &cases[i]
	}
	kevServer := map[string]bool{}
	for _, s := range w.servers {
		kevServer[s.name] = s.kev
	}
	served := w.servedBy()

	// One case per CVE served, with every receipt.
	for id, srcs := range served {
		c, ok := byCase[id]
		if !ok {
			bad("CVE %s was served by %v but has no case", id, srcs)
			continue
		}
		var got []string
		for _, r := range c.Receipts {
			got = append(got, r.Source)
		}
		slices.Sort(got)
		if !slices.Equal(got, srcs) {
			bad("case %s has receipts from %v, want one from each of %v", id, got, srcs)
		}
		if len(srcs) > 1 {
			sum.shared++
		}
	}
	for _, c := range cases {
		if _, ok := served[c.ID]; !ok {
			bad("case %s was never served by any feed", c.ID)
		}
	}

	// Routing and priority, from the world and the default rules: a
	// KEV-listed product of the stack that is internet-facing, used by
	// ransomware or critical → P1, else P2, routed to the owner; a product
	// of the stack named only in a vendor feed's titles → informational P4,
	// not routed; anything else → not applicable.
	routed := map[string]string{} // case → owner
	for _, c := range cases {
		cve := w.byID[c.ID]
		if cve == nil {
			bad("case %s is not a CVE of the world", c.ID)
			continue
		}
		kevListed := slices.ContainsFunc(served[c.ID], func(s string) bool { return kevServer[s] })
		if kevListed {
			if k := c.Advisory.Exploitation.KEV; k == nil || k.RansomwareUse != cve.ransomware {
				bad("case %s: KEV listing %+v, want ransomware use %s", c.ID, k, cve.ransomware)
			}
		}
		comp := w.component(cve)
		switch {
		case comp == nil:
			if c.Owner != "" || c.State != intake.StateTriaged || c.Decision != triage.DecisionNotApplicable {
				bad("case %s (not in the stack): owner %q state %s decision %s, want unrouted, not applicable", c.ID, c.Owner, c.State, c.Decision)
			}
		case !kevListed:
			// A vendor feed's title names the product: a text mention,
			// which a person must confirm (rule text-mention).
			if c.Owner != "" || c.State != intake.StateTriaged || c.Decision != triage.DecisionInformational || c.Priority() != triage.P4 {
				bad("case %s (component %s, only in vendor feeds): owner %q state %s decision %s priority %s, want unrouted, informational, P4",
					c.ID, comp.id, c.Owner, c.State, c.Decision, c.Priority())
			}
		default:
			want := triage.P2
			if comp.exposure == triage.ExposureInternet || cve.ransomware == "Known" || comp.criticality == triage.CriticalityCritical {
				want = triage.P1
			}
			if c.Owner != comp.owner || c.State != intake.StateAssigned || c.Priority() != want {
				bad("case %s (component %s, KEV-listed, receipts from %v): owner %q state %s priority %s, want %s, assigned, %s",
					c.ID, comp.id, served[c.ID], c.Owner, c.State, c.Priority(), comp.owner, want)
			}
			routed[c.ID] = comp.owner
			if r, ok := c.FirstReceipt(); ok && !kevServer[r.Source] {
				sum.kevAfterVendor++
			}
		}
		revs := 0
		for _, e := range c.Events {
			switch e.Kind {
			case intake.EventRevision:
				revs++
			case intake.EventNotifyFailed:
				bad("case %s: a notification failed: %s", c.ID, e.Note)
			}
		}
		sum.revisions += revs
		// A revision is expected only from a KEV feed that saw the flip.
		allowed := 0
		if !cve.flipped.IsZero() {
			for _, s := range served[c.ID] {
				if kevServer[s] {
					allowed++
				}
			}
		}
		sum.spurious += max(0, revs-allowed)
	}
	sum.routed = len(routed)

	// Deliveries, as the receiver saw them.
	dels, badSig := h.rc.snapshot()
	for _, e := range badSig {
		bad("the receiver refused a delivery: %s", e)
	}
	sum.deliveries = len(dels)
	byHook := map[string]int{}
	routedTold := map[string]int{}
	toldAt := map[string]time.Time{}
	perCase := map[string]int{}
	for _, d := range dels {
		byHook[d.webhookID]++
		if len(d.cases) != 1 {
			bad("delivery %s carries %d cases, want 1 (no digests configured)", d.webhookID, len(d.cases))
			continue
		}
		id := d.cases[0]
		perCase[id]++
		owner, isRouted := routed[id]
		switch d.kind {
		case intake.KindRouted:
			routedTold[id]++
			toldAt[id] = d.at
			if !isRouted || d.to != owner {
				bad("delivery %s told %q of case %s, routed to %q", d.webhookID, d.to, id, owner)
			}
			// Routing needs the KEV listing: the clock starts when the
			// first KEV feed served it.
			if cve := w.byID[id]; cve != nil && cve.listed.After(h.timedFrom) {
				sum.latencies = append(sum.latencies, d.at.Sub(cve.listed))
			}
		case intake.KindRevised:
			sum.revised++
			if !isRouted || d.to != owner {
				bad("revision delivery %s told %q of case %s, routed to %q", d.webhookID, d.to, id, owner)
			}
			// Exposure and criticality never change: only a ransomware
			// flip raises a routed case's priority.
			switch cve := w.byID[id]; {
			case cve == nil || cve.flipped.IsZero() || d.at.Before(cve.flipped):
				bad("revision delivery %s for case %s, whose ransomware use did not change before it", d.webhookID, id)
			case cve.flipped.After(h.timedFrom):
				sum.revLatencies = append(sum.revLatencies, d.at.Sub(cve.flipped))
			}
		default:
			bad("delivery %s has kind %q", d.webhookID, d.kind)
		}
	}
	for hook, n := range byHook {
		if n != 1 {
			bad("webhook-id %s was delivered %d times", hook, n)
		}
	}
	for id := range routed {
		if routedTold[id] != 1 {
			bad("the owner of case %s was told %d times that it was routed, want once", id, routedTold[id])
		}
	}
	for _, d := range dels {
		if d.kind == intake.KindRevised && len(d.cases) == 1 && d.at.Before(toldAt[d.cases[0]]) {
			bad("case %s: the revision was delivered before the routing", d.cases[0])
		}
	}
	// Every delivery is on its case (the communication record).
	for _, c := range cases {
		n := 0
		for _, e := range c.Events {
			if e.Kind == intake.EventNotified {
				n++
			}
		}
		if n != perCase[c.ID] {
			bad("case %s records %d notifications, the receiver got %d", c.ID, n, perCase[c.ID])
		}
	}
	if ns, ok := h.store.(interface {
		Notifications(context.Context) ([]intake.Notification, error)
	}); ok {
		list, err := ns.Notifications(ctx)
		if err != nil {
			return nil, err
		}
		for _, n := range list {
			if n.State != intake.DeliverySent {
				bad("notification %s is %s after the drain: %s", n.ID, n.State, n.LastError)
			}
		}
		if len(list) != len(dels) {
			bad("the outbox holds %d notifications, the receiver got %d", len(list), len(dels))
		}
	}
	rep, err := intake.VerifyJournal(ctx, h.store, nil)
	if err != nil {
		return nil, err
	}
	if !rep.OK() {
		bad("journal: %v", rep.Problems)
	}

	// Coverage: a soak that exercised none of these proves nothing.
	for _, s := range w.servers {
		for f := range s.failures {
			sum.failures[f] += s.failures[f].Load()
		}
		sum.notModified += s.notModified.Load()
	}
	for _, f := range soakFailModes {
		if sum.failures[f] == 0 {
			bad("coverage: no request failed with %s", f)
		}
	}
	switch {
	case sum.notModified == 0:
		bad("coverage: no feed answered 304")
	case sum.shared == 0:
		bad("coverage: no CVE came from two feeds")
	case sum.routed == 0 || sum.deliveries == 0:
		bad("coverage: nothing was routed or delivered")
	case sum.revisions-sum.spurious == 0:
		bad("coverage: no revision was recorded")
	case sum.spurious > 0:
		bad("%d revision events recorded a change that was only release metadata (the KEV catalog version)", sum.spurious)
	case sum.kevAfterVendor == 0:
		bad("coverage: no routed case was first seen in a vendor feed, then KEV-listed")
	case h.stats.failCycles == 0:
		bad("coverage: the pipeline saw no failed source")
	}
	slices.Sort(sum.latencies)
	slices.Sort(sum.revLatencies)
	if len(probs) > 0 {
		return sum, errors.New("soak: " + strings.Join(probs, "\n\t"))
	}
	return sum, nil
}

// quantile returns the nearest-rank q-quantile of sorted ds.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(ds)))) - 1
	return ds[min(max(i, 0), len(ds)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// soakStore is the store under test: memory, or the database named by
// SIGWATCH_SOAK_DSN.
func soakStore(tb testing.TB) intake.Store {
	dsn := os.Getenv("SIGWATCH_SOAK_DSN")
	if dsn == "" {
		return intake.NewMemoryStore()
	}
	return openSoakDSN(tb, dsn)
}

func BenchmarkSoak(b *testing.B) {
	ctx := context.Background()
	cfg := benchSoakConfig()
	h := newSoakHarness(b, cfg, soakStore(b))
	h.warmUp(ctx)
	for b.Loop() {
		b.StopTimer()
		h.mutate(false)
		b.StartTimer()
		h.step(ctx)
	}
	b.StopTimer()
	h.drain(ctx)
	sum, err := h.verify(ctx)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)

	st := &h.stats
	secs := st.pipeline.Seconds()
	b.ReportMetric(float64(st.opened+st.updated)/secs, "cases/s")
	b.ReportMetric(float64(st.advisories)/secs, "advisories/s")
	b.ReportMetric(float64(mem.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(ms(quantile(sum.latencies, 0.50)), "p50-ms")
	b.ReportMetric(ms(quantile(sum.latencies, 0.95)), "p95-ms")
	b.ReportMetric(ms(quantile(sum.latencies, 1)), "max-ms")
	b.ReportMetric(float64(st.failCycles), "fail-cycles")
	b.ReportMetric(100*float64(st.notModified)/float64(max(st.fetches, 1)), "304-%")
	b.ReportMetric(float64(sum.spurious), "spurious-revs")
	b.Logf("soak: %d sources, %d components, store %T, %d timed cycles in %v of pipeline time (%v per cycle, slowest %v)",
		cfg.Sources, cfg.Components, h.store, st.cycles, st.pipeline.Round(time.Millisecond),
		(st.pipeline / time.Duration(max(st.cycles, 1))).Round(time.Millisecond), st.slowest.Round(time.Millisecond))
	b.Logf("soak: %d cases opened and %d updated, %d advisories processed, %d fetches (%d not modified, %d failed, in %d cycles)",
		st.opened, st.updated, st.advisories, st.fetches, st.notModified, st.failed, st.failCycles)
	b.Logf("soak: in all %d cases (%d from several feeds), %d routed; %d webhooks (%d revisions); %d revision events, %d of them spurious; injected failures 500:%d reset:%d hang:%d",
		sum.cases, sum.shared, sum.routed, sum.deliveries, sum.revised, sum.revisions, sum.spurious,
		sum.failures[soakFail500], sum.failures[soakFailReset], sum.failures[soakFailHang])
	b.Logf("soak: latency KEV feed change → owner's webhook over %d routed cases: p50 %.0f ms, p95 %.0f ms, max %.0f ms; ransomware flip → owner over %d: p50 %.0f ms, max %.0f ms; heap %.1f MB",
		len(sum.latencies), ms(quantile(sum.latencies, 0.5)), ms(quantile(sum.latencies, 0.95)), ms(quantile(sum.latencies, 1)),
		len(sum.revLatencies), ms(quantile(sum.revLatencies, 0.5)), ms(quantile(sum.revLatencies, 1)), float64(mem.HeapAlloc)/(1<<20))
}

// TestSoakShort runs the soak harness small (10 sources, 3 cycles) so that
// `go test ./...` keeps the harness and its checks working.
func TestSoakShort(t *testing.T) {
	ctx := context.Background()
	h := newSoakHarness(t, shortSoakConfig(), intake.NewMemoryStore())
	h.warmUp(ctx)
	for range 3 {
		h.mutate(false)
		h.step(ctx)
	}
	h.drain(ctx)
	sum, err := h.verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.latencies) == 0 {
		t.Errorf("no latency measured: nothing KEV-listed in the timed cycles reached an owner")
	}
	t.Logf("%d cases, %d routed (%d first seen in a vendor feed), %d shared, %d webhooks, %d revisions (%d spurious), %d latencies: p50 %v max %v",
		sum.cases, sum.routed, sum.kevAfterVendor, sum.shared, sum.deliveries, sum.revisions, sum.spurious, len(sum.latencies),
		quantile(sum.latencies, 0.5), quantile(sum.latencies, 1))
}

// The verifier must catch what it claims to: a world with one CVE served
// that the store never saw, and a delivery received twice.
func TestSoakVerifyFails(t *testing.T) {
	ctx := context.Background()
	cfg := shortSoakConfig()
	cfg.Failing = 0 // no failure cycles needed: the coverage problems are expected too
	h := newSoakHarness(t, cfg, intake.NewMemoryStore())
	h.warmUp(ctx)
	h.w.markServed("kev-01", []string{"CVE-2026-99999"})
	h.rc.mu.Lock()
	if len(h.rc.deliveries) == 0 {
		h.rc.mu.Unlock()
		t.Fatal("no deliveries in the seeding cycle")
	}
	h.rc.deliveries = append(h.rc.deliveries, h.rc.deliveries[0])
	h.rc.mu.Unlock()
	_, err := h.verify(ctx)
	if err == nil {
		t.Fatal("verify passed a store missing a served CVE and a duplicate delivery")
	}
	for _, want := range []string{"CVE-2026-99999 was served", "delivered 2 times", "records 1 notifications, the receiver got 2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("verify error lacks %q:\n%v", want, err)
		}
	}
}

// openSoakDSN opens the store named by SIGWATCH_SOAK_DSN (sqlite:PATH or a
// postgres:// URL) with package intake/sqlstore. The database must hold no
// cases: the checks compare it with what this run served.
func openSoakDSN(tb testing.TB, dsn string) intake.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn, nil)
	if err != nil {
		tb.Fatalf("soak: SIGWATCH_SOAK_DSN: %v", err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("soak: closing %s: %v", st, err)
		}
	})
	cases, err := st.Cases(ctx, &intake.Query{Limit: 1})
	if err != nil {
		tb.Fatalf("soak: %s: %v", st, err)
	}
	if len(cases) > 0 {
		tb.Fatalf("soak: %s already holds cases: give the soak a new database", st)
	}
	return st
}
