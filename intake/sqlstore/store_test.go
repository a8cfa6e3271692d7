package sqlstore_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newCase(id string, at time.Time) *intake.Record {
	ev := intake.Event{At: at, Kind: intake.EventReceived, To: intake.StateReceived, Actor: intake.Actor, Note: "received " + id}
	return &intake.Record{Case: intake.Case{ID: id, Keys: []string{id}, State: intake.StateReceived, Events: []intake.Event{ev},
		Receipts: []intake.Receipt{{Source: "kev", AdvisoryID: id, ReceivedAt: at}}}}
}

// TestSubMicrosecondTimes: SQL compares times in microseconds, but the
// store decides exactly, like MemoryStore, also within one microsecond.
func TestSubMicrosecondTimes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, d dialect) {
		ctx := context.Background()
		s := fresh(t, d)
		at := t0.Add(time.Microsecond + 300*time.Nanosecond)
		r := newCase("CVE-2024-1", at)
		n := intake.Notification{ID: "n1", CaseID: "CVE-2024-1", Notifier: "hook", To: notify.Recipient{ID: "netops"},
			Kind: intake.KindRouted, Created: at, NotBefore: at}
		if err := s.Save(ctx, &intake.Change{Record: r, Events: r.Case.Events, Enqueue: []intake.Notification{n}}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			since time.Time
			want  int
		}{{at, 1}, {at.Add(-time.Nanosecond), 1}, {at.Add(time.Nanosecond), 0}, {at.Add(time.Microsecond), 0}} {
			if cs, err := s.Cases(ctx, &intake.Query{Since: tc.since}); err != nil || len(cs) != tc.want {
				t.Errorf("Cases(Since %v) = %d, %v; want %d", tc.since.Format(time.RFC3339Nano), len(cs), err, tc.want)
			}
		}
		if got, err := s.Claim(ctx, "w", at.Add(-time.Nanosecond), time.Minute, 10); err != nil || len(got) != 0 {
			t.Fatalf("claimed %d a nanosecond before it was due (err %v)", len(got), err)
		}
		got, err := s.Claim(ctx, "w", at, 100*time.Nanosecond, 10)
		if err != nil || len(got) != 1 || !got[0].LeaseUntil.Equal(at.Add(100*time.Nanosecond)) || !got[0].NotBefore.Equal(at) {
			t.Fatalf("Claim when due: %+v, %v", got, err)
		}
		// The lease runs until at+100ns: not claimable at +99ns, claimable at +100ns.
		if got, _ := s.Claim(ctx, "w2", at.Add(99*time.Nanosecond), time.Minute, 10); len(got) != 0 {
			t.Fatalf("claimed while the lease still ran")
		}
		if got, _ := s.Claim(ctx, "w2", at.Add(100*time.Nanosecond), time.Minute, 10); len(got) != 1 || got[0].LeaseOwner != "w2" {
			t.Fatalf("not claimable when the lease lapsed: %+v", got)
		}
		all, err := s.Notifications(ctx)
		if err != nil || len(all) != 1 || all[0].LeaseOwner != "w2" || !all[0].LeaseUntil.Equal(at.Add(100*time.Nanosecond+time.Minute)) {
			t.Fatalf("Notifications = %+v, %v", all, err)
		}
	})
}

// TestSQLiteBusyTimeout: a writer that waits longer than the busy timeout
// for another process's lock fails with an error naming the file; it is
// not a conflict to retry at once.
func TestSQLiteBusyTimeout(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	s, err := sqlstore.Open(ctx, "sqlite:"+path, &sqlstore.Options{BusyTimeout: 200 * time.Millisecond, Synchronous: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other := rawDB(t, "sqlite:"+path)
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := newCase("CVE-2024-1", t0)
	err = s.Save(ctx, &intake.Change{Record: r, Events: r.Case.Events})
	took := time.Since(start)
	if err == nil || errors.Is(err, intake.ErrConflict) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("Save while another process holds the lock: %v; want a lock error naming %s", err, path)
	}
	if took < 150*time.Millisecond || took > 5*time.Second {
		t.Errorf("Save gave up after %v, want about the busy timeout (200ms)", took)
	}
	t.Log(err)
	// Reads go on while another process writes (WAL).
	if _, err := s.Cases(ctx, nil); err != nil {
		t.Errorf("Cases while another process writes: %v", err)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, &intake.Change{Record: r, Events: r.Case.Events}); err != nil {
		t.Fatalf("Save once the lock is free: %v", err)
	}
}

// TestPipelinesShareStore runs two pipelines, each on its own Store (its own
// pools, as two processes would have) over one database, with the same
// sources at the same time: one case per advisory, one notification each.
func TestPipelinesShareStore(t *testing.T) {
	t.Parallel()
	want := kevCVEs(t, kevCurrent)
	advs := kevAdvisories(t, kevCurrent)
	forEachDialect(t, func(t *testing.T, d dialect) {
		ctx := context.Background()
		dsn := d.dsn(t)
		stores := []*sqlstore.Store{open(t, dsn), open(t, dsn)}
		var wg sync.WaitGroup
		results := make([]*intake.RunResult, len(stores))
		start := make(chan struct{})
		for i, s := range stores {
			p := newTestPipeline(t, s, nopNotifier(), 100, memfeed.New("cisa-kev", advs...), smallSources()[1])
			wg.Go(func() {
				<-start
				res, err := p.Run(ctx)
				if err != nil {
					t.Error(err)
				}
				results[i] = res
			})
		}
		close(start)
		wg.Wait()
		if t.Failed() {
			return
		}
		if n := results[0].New + results[1].New; n != len(want) {
			t.Fatalf("the pipelines opened %d + %d cases, want %d between them", results[0].New, results[1].New, len(want))
		}
		checkCases(t, stores[0], want)
		outbox, err := stores[1].Notifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, n := range outbox {
			if seen[n.ID] {
				t.Fatalf("notification %s enqueued twice", n.ID)
			}
			seen[n.ID] = true
		}
		if results[0].Enqueued+results[1].Enqueued != len(outbox) {
			t.Fatalf("enqueued %d + %d, outbox has %d", results[0].Enqueued, results[1].Enqueued, len(outbox))
		}
		verify(t, stores[1])
		c, err := stores[1].Load(ctx, "FG-IR-24-015")
		if err != nil || c.Case.ID != "CVE-2024-21762" || len(c.Case.Receipts) != 2 {
			t.Fatalf("vendor advisory: %v; want merged into CVE-2024-21762 with two receipts", err)
		}
		t.Logf("pipeline 1: %d new, %d updated; pipeline 2: %d new, %d updated; %d notifications",
			results[0].New, results[0].Updated, results[1].New, results[1].Updated, len(outbox))
	})
}

// TestSaveErrors checks each way a Save is refused, on both dialects: the
// sentinel callers branch on, a message that says what happened, and
// nothing stored.
func TestSaveErrors(t *testing.T) {
	t.Parallel()
	withKey := func(id string, keys ...string) *intake.Record {
		r := newCase(id, t0)
		r.Case.Keys = append(r.Case.Keys, keys...)
		return r
	}
	for _, tc := range []struct {
		name    string
		changes func(s intake.Store) []*intake.Change
		is      error // nil: any error that is not ErrConflict
		msg     string
	}{
		{"stale_version", func(s intake.Store) []*intake.Change {
			r, _ := s.Load(context.Background(), "CVE-2024-1")
			r.Version = 1
			stale := *r
			r.Case.Owner = "netops"
			if err := s.Save(context.Background(), &intake.Change{Record: r}); err != nil {
				t.Fatal(err)
			}
			return []*intake.Change{{Record: &stale}}
		}, intake.ErrConflict, "case CVE-2024-1 is at version 2, the change was made to version 1"},
		{"not_stored", func(intake.Store) []*intake.Change {
			r := newCase("CVE-2024-9", t0)
			r.Version = 3
			return []*intake.Change{{Record: r}}
		}, intake.ErrConflict, "case CVE-2024-9 (version 3) is not stored"},
		{"opened_twice", func(intake.Store) []*intake.Change {
			return []*intake.Change{{Record: newCase("CVE-2024-1", t0)}}
		}, intake.ErrConflict, "case CVE-2024-1 was opened by someone else"},
		{"stored_key", func(intake.Store) []*intake.Change {
			return []*intake.Change{{Record: withKey("CVE-2024-2", "GHSA-1")}}
		}, intake.ErrConflict, "key GHSA-1 is filed under case CVE-2024-1, not CVE-2024-2"},
		{"key_twice_in_one_save", func(intake.Store) []*intake.Change {
			return []*intake.Change{{Record: withKey("CVE-2024-2", "OSV-7")}, {Record: withKey("CVE-2024-3", "OSV-7")}}
		}, nil, "key OSV-7"}, // intake.CheckChanges refuses it before any SQL
		{"unknown_completion", func(intake.Store) []*intake.Change {
			return []*intake.Change{{Record: newCase("CVE-2024-2", t0)},
				{Complete: []intake.Completion{{ID: "nope", Worker: "w", State: intake.DeliverySent}}}}
		}, nil, `completion of unknown notification "nope"`},
		{"lease_lost", func(intake.Store) []*intake.Change {
			return []*intake.Change{{Record: newCase("CVE-2024-2", t0)},
				{Complete: []intake.Completion{{ID: "n1", Worker: "w2", State: intake.DeliverySent}}}}
		}, intake.ErrLeaseLost, "notification n1 is not leased to w2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachDialect(t, func(t *testing.T, d dialect) {
				ctx := context.Background()
				s := fresh(t, d)
				r := withKey("CVE-2024-1", "GHSA-1")
				n := intake.Notification{ID: "n1", CaseID: "CVE-2024-1", Notifier: "hook", To: notify.Recipient{ID: "netops"}, NotBefore: t0}
				if err := s.Save(ctx, &intake.Change{Record: r, Events: r.Case.Events, Enqueue: []intake.Notification{n}}); err != nil {
					t.Fatal(err)
				}
				if _, err := s.Claim(ctx, "w1", t0, time.Hour, 10); err != nil {
					t.Fatal(err)
				}
				changes := tc.changes(s)
				before := journalLen(t, s)
				versions := map[*intake.Record]int64{}
				for _, c := range changes {
					if c.Record != nil {
						versions[c.Record] = c.Record.Version
					}
				}
				err := s.Save(ctx, changes...)
				switch {
				case err == nil:
					t.Fatal("Save succeeded")
				case tc.is != nil && !errors.Is(err, tc.is):
					t.Fatalf("Save: %v, want %v", err, tc.is)
				case tc.is == nil && errors.Is(err, intake.ErrConflict):
					t.Fatalf("Save: %v is a conflict; retrying cannot help", err)
				case !strings.Contains(err.Error(), tc.msg):
					t.Fatalf("Save: %q does not say %q", err, tc.msg)
				}
				if n := journalLen(t, s); n != before {
					t.Errorf("a refused Save wrote %d journal entries", n-before)
				}
				for r, v := range versions {
					if r.Version != v {
						t.Errorf("a refused Save changed the Version of %s from %d to %d", r.Case.ID, v, r.Version)
					}
				}
				if cs, _ := s.Cases(ctx, nil); len(cs) != 1 {
					t.Errorf("a refused Save left %d cases, want the one stored before", len(cs))
				}
				verify(t, s)
			})
		})
	}
}
