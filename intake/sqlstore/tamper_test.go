package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sigwatch/sigwatch/intake"
)

// rawDB opens the database behind dsn directly, as an intruder (or a
// careless administrator) would, closed when t ends.
func rawDB(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	var db *sql.DB
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		var err error
		if db, err = sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)"); err != nil {
			t.Fatal(err)
		}
	} else {
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			t.Fatal(err)
		}
		db = stdlib.OpenDB(*cfg)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dropJournalGuards removes the triggers that refuse UPDATE and DELETE on
// the journal: a determined intruder with the database's owner rights can.
func dropJournalGuards(t testing.TB, db *sql.DB, d dialect) {
	t.Helper()
	stmts := []string{"DROP TRIGGER journal_no_update", "DROP TRIGGER journal_no_delete"}
	if d.name == "postgres" {
		stmts = []string{"DROP TRIGGER journal_append_only ON journal"}
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// filled returns a store with three cases and their history, its DSN, and
// the journal's head.
func filled(t *testing.T, d dialect) (intake.Store, string, intake.Anchor) {
	t.Helper()
	ctx := context.Background()
	dsn := d.dsn(t)
	s := open(t, dsn)
	p := newTestPipeline(t, s, nopNotifier(), 0, smallSources()...)
	if _, err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Action(ctx, "CVE-2024-21762", "CHG-1042", "akhan", "upgraded to 7.2.7"); err != nil {
		t.Fatal(err)
	}
	rep := verify(t, s)
	if rep.Entries < 10 {
		t.Fatalf("only %d journal entries", rep.Entries)
	}
	return s, dsn, rep.Head
}

// TestJournalAppendOnly: the journal table refuses UPDATE and DELETE.
func TestJournalAppendOnly(t *testing.T) {
	forEachDialect(t, func(t *testing.T, d dialect) {
		s, dsn, _ := filled(t, d)
		db := rawDB(t, dsn)
		for _, q := range []string{"UPDATE journal SET body = 'x' WHERE seq = 1", "DELETE FROM journal WHERE seq = 2"} {
			_, err := db.Exec(q)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused as append-only", q, err)
			}
		}
		verify(t, s)
	})
}

// TestTamperDetection edits the database behind the store's back in four
// ways; VerifyJournal reports each at the right entry or case.
func TestTamperDetection(t *testing.T) {
	t.Parallel()
	type problem struct {
		seq  int64
		cas  string
		text string
	}
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, db *sql.DB, head intake.Anchor) problem
	}{
		{"edit_journal_entry", func(t *testing.T, db *sql.DB, head intake.Anchor) problem {
			mustExec(t, db, "UPDATE journal SET body = replace(body, 'sigwatch', 'mallory') WHERE seq = 2")
			return problem{seq: 2, text: "content does not match its hash"}
		}},
		{"delete_middle_entry", func(t *testing.T, db *sql.DB, head intake.Anchor) problem {
			mustExec(t, db, "DELETE FROM journal WHERE seq = 4")
			return problem{seq: 5, text: "entries 4 to 4 are missing"}
		}},
		{"edit_case_event", func(t *testing.T, db *sql.DB, head intake.Anchor) problem {
			mustExec(t, db, "UPDATE cases SET body = replace(body, 'routed to netops', 'routed to mallory') WHERE id = 'CVE-2024-21762'")
			return problem{cas: "CVE-2024-21762", text: "differs from the journal"}
		}},
		{"cut_journal_end", func(t *testing.T, db *sql.DB, head intake.Anchor) problem {
			mustExec(t, db, fmt.Sprintf("DELETE FROM journal WHERE seq > %d", head.Seq-2))
			mustExec(t, db, fmt.Sprintf("UPDATE journal_head SET seq = %d", head.Seq-2))
			return problem{seq: head.Seq, text: "is gone"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachDialect(t, func(t *testing.T, d dialect) {
				s, dsn, head := filled(t, d)
				db := rawDB(t, dsn)
				dropJournalGuards(t, db, d)
				want := tc.tamper(t, db, head)
				rep, err := intake.VerifyJournal(context.Background(), s, &intake.VerifyOptions{Anchors: []intake.Anchor{head}})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range rep.Problems {
					if p.Seq == want.seq && (want.cas == "" || p.Case == want.cas) && strings.Contains(p.Message, want.text) {
						t.Logf("reported: %s", p)
						return
					}
				}
				t.Fatalf("tampering not reported as entry %d, case %q: %q; problems: %v", want.seq, want.cas, want.text, rep.Problems)
			})
		})
	}
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	res, err := db.Exec(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		t.Fatalf("%s changed nothing", q)
	}
}

// TestJournalHeadBehind: a journal head moved back behind the journal (an
// edit outside sigwatch) makes Save fail with a plain error, not a
// conflict the pipeline would retry.
func TestJournalHeadBehind(t *testing.T) {
	forEachDialect(t, func(t *testing.T, d dialect) {
		s, dsn, _ := filled(t, d)
		mustExec(t, rawDB(t, dsn), "UPDATE journal_head SET seq = seq - 1")
		r, err := s.Load(context.Background(), "CVE-2024-21762")
		if err != nil {
			t.Fatal(err)
		}
		ev := intake.Event{At: testNow, Kind: intake.EventRevision, From: r.Case.State, To: r.Case.State, Actor: "akhan"}
		r.Case.Events = append(r.Case.Events, ev)
		err = s.Save(context.Background(), &intake.Change{Record: r, Events: []intake.Event{ev}})
		if err == nil || errors.Is(err, intake.ErrConflict) || !strings.Contains(err.Error(), "journal head is behind") {
			t.Fatalf("Save with the head behind the journal: %v", err)
		}
	})
}
