package sqlstore_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
)

// envCrashHelper switches the test binary into TestCrashHelper's mode: it
// holds the DSN of the store to fill.
const envCrashHelper = "SIGWATCH_SQLSTORE_CRASH_HELPER"

// crashBatch is the helper's batch size: many small transactions.
const crashBatch = 20

// slowStore delays every Save, standing in for a slow database, so that the
// parent can kill the helper between commits of one run.
type slowStore struct {
	intake.Store
	delay time.Duration
}

func (s slowStore) Save(ctx context.Context, changes ...*intake.Change) error {
	time.Sleep(s.delay)
	return s.Store.Save(ctx, changes...)
}

// TestCrashHelper is not a test: TestCrashResume runs it in a child process
// and kills it with SIGKILL half way through.
func TestCrashHelper(t *testing.T) {
	dsn := os.Getenv(envCrashHelper)
	if dsn == "" {
		t.Skip("helper process of TestCrashResume")
	}
	s, err := sqlstore.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := newTestPipeline(t, slowStore{s, 15 * time.Millisecond}, nopNotifier(), crashBatch,
		memfeed.New("cisa-kev", kevAdvisories(t, kevCurrent)...))
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	fmt.Println("HELPER FINISHED")
}

// TestCrashResume kills a pipeline (a child process) with SIGKILL while it
// records the real KEV catalogue in small batches, then runs the pipeline
// again: every KEV entry is a case exactly once, the journal verifies, no
// notification is enqueued twice, and the result is what one uninterrupted
// run gives.
func TestCrashResume(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("re-executes the test binary; skipped with -short")
	}
	ctx := context.Background()
	want := kevCVEs(t, kevCurrent)
	advs := kevAdvisories(t, kevCurrent)

	// The reference: one uninterrupted run.
	ref := intake.NewMemoryStore()
	if _, err := newTestPipeline(t, ref, nopNotifier(), crashBatch, memfeed.New("cisa-kev", advs...)).Run(ctx); err != nil {
		t.Fatal(err)
	}
	refCases, _ := ref.Cases(ctx, nil)
	refOutbox, _ := ref.Notifications(ctx)
	refEntries := journalLen(t, ref)

	forEachDialect(t, func(t *testing.T, d dialect) {
		dsn := d.dsn(t)
		s := open(t, dsn)
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), envCrashHelper+"="+dsn)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		// Kill it a third of the way through.
		killAt := refEntries / 3
		deadline := time.Now().Add(2 * time.Minute)
		for journalLen(t, s) < killAt {
			select {
			case err := <-exited:
				t.Fatalf("the helper exited before it was killed (%v):\n%s", err, out.String())
			case <-time.After(5 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("the helper committed nothing in 2 minutes:\n%s", out.String())
			}
		}
		if err := cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		if err := <-exited; err == nil || strings.Contains(out.String(), "HELPER FINISHED") {
			t.Fatalf("the helper finished before it was killed: slow it down (%v)", err)
		}
		partial, err := s.Cases(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		entries := journalLen(t, s)
		t.Logf("killed with %d of %d cases and %d journal entries recorded", len(partial), len(want), entries)
		if len(partial) == 0 || len(partial) >= len(want) {
			t.Fatalf("killed with %d cases recorded, want some but not all %d", len(partial), len(want))
		}
		// What was committed is consistent: whole batches, chained.
		verify(t, s)

		res, err := newTestPipeline(t, s, nopNotifier(), crashBatch, memfeed.New("cisa-kev", advs...)).Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.New != len(want)-len(partial) {
			t.Fatalf("the resumed run opened %d cases, want the %d missing", res.New, len(want)-len(partial))
		}
		checkCases(t, s, want)
		rep := verify(t, s)
		if rep.Entries != int64(refEntries) {
			t.Fatalf("journal has %d entries after resuming, an uninterrupted run %d", rep.Entries, refEntries)
		}
		outbox, err := s.Notifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, n := range outbox {
			if seen[n.ID] {
				t.Fatalf("notification %s is in the outbox twice", n.ID)
			}
			seen[n.ID] = true
		}
		if len(outbox) != len(refOutbox) {
			t.Fatalf("outbox has %d notifications, an uninterrupted run %d", len(outbox), len(refOutbox))
		}
		for _, n := range refOutbox {
			if !seen[n.ID] {
				t.Fatalf("notification %s of an uninterrupted run is missing", n.ID)
			}
		}
		got, _ := s.Cases(ctx, nil)
		for i := range refCases {
			a, b := &refCases[i], &got[i]
			if a.ID != b.ID || a.State != b.State || a.Owner != b.Owner || a.Decision != b.Decision || len(a.Events) != len(b.Events) {
				t.Fatalf("case %s: %s/%s/%s with %d events, an uninterrupted run gives %s %s/%s/%s with %d events",
					b.ID, b.State, b.Owner, b.Decision, len(b.Events), a.ID, a.State, a.Owner, a.Decision, len(a.Events))
			}
		}
	})
}
