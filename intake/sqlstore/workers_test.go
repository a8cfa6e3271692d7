package sqlstore_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
	"github.com/sigwatch/sigwatch/triage"
)

// Environment of TestWorkerHelper.
const (
	envWorkerDSN    = "SIGWATCH_SQLSTORE_WORKER_DSN"
	envWorkerName   = "SIGWATCH_SQLSTORE_WORKER_NAME"
	envWorkerRound  = "SIGWATCH_SQLSTORE_WORKER_ROUND"
	envWorkerHook   = "SIGWATCH_SQLSTORE_WORKER_HOOK"
	envWorkerSecret = "SIGWATCH_SQLSTORE_WORKER_SECRET"
)

// workerRounds are the KEV snapshots of each round: three real releases,
// each adding entries (and revising some) over the one before.
var workerRounds = []string{
	"known_exploited_vulnerabilities_2025-02-26.json",
	"known_exploited_vulnerabilities_2025-08-21.json",
	kevCurrent,
}

// workerSources are round r's feeds: the KEV snapshot, and a vendor feed
// that reports the Fortinet entries under its own IDs with the CVE as an
// alias (so both workers race to merge two sources into one case), plus
// one vendor advisory without a CVE.
func workerSources(t testing.TB, round int) []feeds.Source {
	advs := kevAdvisories(t, workerRounds[round])
	var vendor []feeds.Advisory
	for _, a := range advs {
		for _, af := range a.Affected {
			if af.Vendor == "Fortinet" {
				vendor = append(vendor, feeds.Advisory{ID: "FG-IR-" + a.ID, Aliases: []string{a.ID}, Title: a.Title,
					Affected: []feeds.Affected{{Vendor: "Fortinet", Product: af.Product}}})
				break
			}
		}
	}
	vendor = append(vendor, feeds.Advisory{ID: fmt.Sprintf("FG-IR-NOCVE-%d", round), Title: "FortiOS hardening advice",
		Affected: []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS"}}})
	return []feeds.Source{memfeed.New("cisa-kev", advs...), memfeed.New("fortinet-psirt", vendor...)}
}

// workerResult is what a helper reports on stdout.
type workerResult struct {
	New, Updated, Enqueued int
	Sent, Failed, Retrying int
	Messages               int
}

// TestWorkerHelper is not a test: TestTwoWorkersPostgres runs it as one of
// two intake worker processes on one database.
func TestWorkerHelper(t *testing.T) {
	dsn := os.Getenv(envWorkerDSN)
	if dsn == "" {
		t.Skip("helper process of TestTwoWorkersPostgres")
	}
	ctx := context.Background()
	round, _ := strconv.Atoi(os.Getenv(envWorkerRound))
	s, err := sqlstore.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hook := &notify.Webhook{URL: os.Getenv(envWorkerHook), Secret: os.Getenv(envWorkerSecret)}
	p, err := intake.New(workerSources(t, round), testEngine(t), &intake.Options{Store: s, Now: fixedNow, BatchSize: 100,
		Notify: &intake.NotifyOptions{Notifiers: []notify.Notifier{hook}, DigestPriorities: []triage.Priority{},
			Worker: os.Getenv(envWorkerName)}})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("READY")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil { // the barrier
		t.Fatal(err)
	}
	res, err := p.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	del, err := p.Deliver(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(workerResult{New: res.New, Updated: res.Updated, Enqueued: res.Enqueued,
		Sent: del.Sent, Failed: del.Failed, Retrying: del.Retrying, Messages: del.Messages})
	fmt.Printf("RESULT %s\n", b)
}

// hookServer is a loopback webhook receiver that counts deliveries per
// message.
type hookServer struct {
	*httptest.Server
	secret string
	mu     sync.Mutex
	byID   map[string]int // data.id → deliveries
	hdr    map[string]int // webhook-id header → deliveries
	errs   []string
}

func newHookServer(t *testing.T) *hookServer {
	secret, err := notify.GenerateSecret()
	if err != nil {
		t.Fatal(err)
	}
	h := &hookServer{secret: secret, byID: map[string]int{}, hdr: map[string]int{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if err != nil {
			h.errs = append(h.errs, err.Error())
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := notify.Verify(h.secret, r.Header, body, time.Now(), 0); err != nil {
			h.errs = append(h.errs, err.Error())
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var ev notify.WebhookEvent
		if err := json.Unmarshal(body, &ev); err != nil {
			h.errs = append(h.errs, err.Error())
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h.byID[ev.Data.ID]++
		h.hdr[r.Header.Get(notify.HeaderWebhookID)]++
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.Close)
	return h
}

// TestTwoWorkersPostgres runs two intake worker processes, each with its
// own connection pool, on one PostgreSQL database: both run the same
// sources at the same moment and then deliver concurrently to one webhook
// server. Each advisory is one case, each notification is delivered exactly
// once, and the journal verifies — over three rounds of real KEV releases.
func TestTwoWorkersPostgres(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts worker processes; skipped with -short")
	}
	ctx := context.Background()
	dsn := postgresDSN(t)
	s := open(t, dsn)
	hook := newHookServer(t)
	want := map[string]bool{}
	sent := 0
	for round := range workerRounds {
		for id := range kevCVEs(t, workerRounds[round]) {
			want[id] = true
		}
		want[fmt.Sprintf("FG-IR-NOCVE-%d", round)] = true
		casesBefore, _ := s.Cases(ctx, nil)
		outboxBefore, _ := s.Notifications(ctx)

		results := runWorkers(t, dsn, round, hook, "worker-a", "worker-b")

		var total workerResult
		for _, r := range results {
			total.New += r.New
			total.Sent += r.Sent
			total.Failed += r.Failed
			total.Retrying += r.Retrying
			total.Enqueued += r.Enqueued
		}
		checkCases(t, s, want)
		if total.New != len(want)-len(casesBefore) {
			t.Fatalf("round %d: the workers opened %d cases between them, want %d", round, total.New, len(want)-len(casesBefore))
		}
		outbox, err := s.Notifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if total.Enqueued != len(outbox)-len(outboxBefore) || total.Failed != 0 || total.Retrying != 0 {
			t.Fatalf("round %d: enqueued %d (outbox grew by %d), failed %d, retrying %d",
				round, total.Enqueued, len(outbox)-len(outboxBefore), total.Failed, total.Retrying)
		}
		sent += total.Sent
		hook.mu.Lock()
		if len(hook.errs) > 0 {
			t.Fatalf("webhook server errors: %v", hook.errs)
		}
		for _, n := range outbox {
			if n.State != intake.DeliverySent {
				t.Errorf("round %d: notification %s is %s, want sent", round, n.ID, n.State)
			}
			if c := hook.byID[n.ID]; c != 1 {
				t.Errorf("round %d: notification %s was delivered %d times, want once", round, n.ID, c)
			}
			if c := hook.hdr[notify.WebhookID(n.ID)]; c != 1 {
				t.Errorf("round %d: webhook-id %s arrived %d times, want once", round, notify.WebhookID(n.ID), c)
			}
		}
		if len(hook.byID) != len(outbox) || sent != len(outbox) {
			t.Errorf("round %d: the server got %d distinct messages, the workers sent %d, the outbox has %d",
				round, len(hook.byID), sent, len(outbox))
		}
		hook.mu.Unlock()
		rep := verify(t, s)
		t.Logf("round %d: %d cases (+%d), %d notifications delivered once each, %d journal entries; worker a %+v, b %+v",
			round, len(want), total.New, len(outbox), rep.Entries, results[0], results[1])
		if t.Failed() {
			return
		}
	}
	if sent < 100 {
		t.Fatalf("only %d notifications over all rounds: the stack should route more of KEV", sent)
	}
}

// runWorkers starts one helper process per name, lets them all go at once
// and returns their results.
func runWorkers(t *testing.T, dsn string, round int, hook *hookServer, names ...string) []workerResult {
	t.Helper()
	type proc struct {
		cmd    *exec.Cmd
		stdin  io.WriteCloser
		lines  *bufio.Scanner
		output strings.Builder
	}
	procs := make([]*proc, len(names))
	for i, name := range names {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWorkerHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), envWorkerDSN+"="+dsn, envWorkerName+"="+name, envWorkerRound+"="+strconv.Itoa(round),
			envWorkerHook+"="+hook.URL, envWorkerSecret+"="+hook.secret)
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		p := &proc{cmd: cmd, stdin: stdin, lines: bufio.NewScanner(stdout)}
		procs[i] = p
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	}
	// Barrier: every worker has opened the store and built its pipeline.
	for i, p := range procs {
		ready := false
		for p.lines.Scan() {
			p.output.WriteString(p.lines.Text() + "\n")
			if p.lines.Text() == "READY" {
				ready = true
				break
			}
		}
		if !ready {
			t.Fatalf("worker %s did not get ready:\n%s", names[i], p.output.String())
		}
	}
	for _, p := range procs {
		if _, err := io.WriteString(p.stdin, "go\n"); err != nil {
			t.Fatal(err)
		}
	}
	results := make([]workerResult, len(procs))
	for i, p := range procs {
		got := false
		for p.lines.Scan() {
			line := p.lines.Text()
			p.output.WriteString(line + "\n")
			if rest, ok := strings.CutPrefix(line, "RESULT "); ok {
				if err := json.Unmarshal([]byte(rest), &results[i]); err != nil {
					t.Fatal(err)
				}
				got = true
			}
		}
		if err := p.cmd.Wait(); err != nil || !got {
			t.Fatalf("worker %s: %v\n%s", names[i], err, p.output.String())
		}
	}
	return results
}
