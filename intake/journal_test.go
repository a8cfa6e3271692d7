package intake_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/intake"
)

// tampered serves a real store's journal and cases with one change made,
// as someone editing the database by hand would.
type tampered struct {
	intake.Store
	journal func([]intake.JournalEntry) []intake.JournalEntry
	cases   func([]intake.Case) []intake.Case
}

func (s *tampered) Journal(ctx context.Context, after int64, limit int) ([]intake.JournalEntry, error) {
	if after > 0 {
		return nil, nil // the whole journal comes in the first page
	}
	all, err := s.Store.Journal(ctx, 0, 1<<20)
	if err != nil || s.journal == nil {
		return all, err
	}
	return s.journal(all), nil
}

func (s *tampered) Cases(ctx context.Context, q *intake.Query) ([]intake.Case, error) {
	cs, err := s.Store.Cases(ctx, q)
	if err != nil || s.cases == nil {
		return cs, err
	}
	return s.cases(cs), nil
}

func TestVerifyJournalFindsTampering(t *testing.T) {
	clk := newClock()
	p := newPipeline(t, clk, kevFeed())
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := p.Action(context.Background(), "CVE-2024-21762", "CHG-1042", "akhan", "upgraded"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store := p.Store()
	clean, err := intake.VerifyJournal(ctx, store, nil)
	if err != nil || !clean.OK() {
		t.Fatalf("untouched journal: %+v, %v", clean, err)
	}
	// By hand: 3 cases; FortiOS and Confluence are received, triaged and
	// assigned (3 events each), Log4j received and triaged (2), and the
	// action adds one: 9 entries.
	if clean.Entries != 9 || clean.Cases != 3 || clean.Head.Seq != 9 {
		t.Fatalf("report = %+v, want 9 entries over 3 cases", clean)
	}
	anchor := clean.Head

	editBody := func(seq int64, from, to string) func([]intake.JournalEntry) []intake.JournalEntry {
		return func(es []intake.JournalEntry) []intake.JournalEntry {
			b := string(es[seq-1].Body)
			if !strings.Contains(b, from) {
				t.Fatalf("entry %d has no %q: %s", seq, from, b)
			}
			es[seq-1].Body = json.RawMessage(strings.Replace(b, from, to, 1))
			return es
		}
	}
	for _, tc := range []struct {
		name    string
		s       *tampered
		anchors []intake.Anchor
		want    []string // problems, as String() gives them
	}{
		{"edited entry", &tampered{Store: store, journal: editBody(9, "CHG-1042", "CHG-9999")}, nil,
			[]string{"entry 9: content does not match its hash: the entry was edited", "case CVE-2024-21762: event 4 differs from the journal"}},
		{"edited and rehashed", &tampered{Store: store, journal: func(es []intake.JournalEntry) []intake.JournalEntry {
			es = editBody(2, "sigwatch", "akhan")(es)
			es[1].Hash = es[1].ComputeHash()
			return es
		}}, nil, []string{"entry 3: does not follow the entry before it (its prev hash differs): an entry before it was changed, removed or inserted",
			"case CVE-2024-21762: event 2 differs from the journal"}},
		{"deleted entry", &tampered{Store: store, journal: func(es []intake.JournalEntry) []intake.JournalEntry {
			return slices.Delete(es, 4, 5)
		}}, nil, []string{"entry 6: entries 5 to 5 are missing", "entry 6: does not follow the entry before it (its prev hash differs): an entry before it was changed, removed or inserted",
			"case CVE-2023-22518: has 3 events, the journal 2"}},
		{"cut at the end", &tampered{Store: store, journal: func(es []intake.JournalEntry) []intake.JournalEntry { return es[:8] }},
			[]intake.Anchor{anchor}, []string{"entry 9: anchored entry (hash " + anchor.Hash[:12] + ") is gone: the journal ends at entry 8", "case CVE-2024-21762: has 4 events, the journal 3"}},
		{"edited case", &tampered{Store: store, cases: func(cs []intake.Case) []intake.Case {
			cs[0].Events[0].At = cs[0].Events[0].At.Add(-24 * time.Hour)
			return cs
		}}, nil, []string{"case CVE-2021-44228: event 1 differs from the journal"}},
		{"deleted case", &tampered{Store: store, cases: func(cs []intake.Case) []intake.Case { return cs[1:] }}, nil,
			[]string{"case CVE-2021-44228: is in the journal but not in the store: the case was deleted"}},
		{"wrong anchor", &tampered{Store: store}, []intake.Anchor{{Seq: 3, Hash: "feedface0000"}}, []string{"entry 3: hash "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := intake.VerifyJournal(ctx, tc.s, &intake.VerifyOptions{Anchors: tc.anchors})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range rep.Problems {
				got = append(got, p.String())
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Fatalf("problem %d = %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestSealIsStable(t *testing.T) {
	// The hash is SHA-256 over "sigwatch-journal-v1\n1\n<genesis>\n<body>\n";
	// the expected value was computed with sha256sum from that text:
	//   printf 'sigwatch-journal-v1\n1\n%s\n%s\n' "$(printf '0%.0s' {1..64})" \
	//     '{"case":"CVE-1","event":{"at":"2026-11-23T09:00:00Z","kind":"received","to":"received","actor":"sigwatch"}}' | sha256sum
	e, err := intake.Seal(0, intake.GenesisHash, "CVE-1", intake.Event{At: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
		Kind: intake.EventReceived, To: intake.StateReceived, Actor: intake.Actor})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"case":"CVE-1","event":{"at":"2026-11-23T09:00:00Z","kind":"received","to":"received","actor":"sigwatch"}}`; string(e.Body) != want {
		t.Fatalf("body = %s", e.Body)
	}
	if e.Seq != 1 || e.Prev != intake.GenesisHash || e.Hash != sealVector {
		t.Fatalf("entry = %+v, want hash %s", e, sealVector)
	}
}

// sealVector was computed outside Go, by the shell command in TestSealIsStable.
const sealVector = "bb910b8449937173987e8548a08a5b68bcbdf0afc241aa79b8def7a90d90072f"

// fixedJournal serves the given entries and no cases.
type fixedJournal struct {
	intake.Store
	entries []intake.JournalEntry
}

func (f *fixedJournal) Journal(_ context.Context, after int64, _ int) ([]intake.JournalEntry, error) {
	if after > 0 {
		return nil, nil
	}
	return f.entries, nil
}

// FuzzVerifyJournal feeds hostile journal entries (any body, sequence and
// hashes) to VerifyJournal: it reports problems, never panics, and an
// entry it calls intact really hashes to what it says.
func FuzzVerifyJournal(f *testing.F) {
	good, _ := intake.Seal(0, intake.GenesisHash, "CVE-1", intake.Event{At: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), To: intake.StateReceived, Actor: "x"})
	f.Add(int64(1), good.Prev, good.Hash, []byte(good.Body))
	f.Add(int64(7), "", "", []byte(`{"case":1}`))
	f.Add(int64(-1), "x", "y", []byte(`not json`))
	f.Fuzz(func(t *testing.T, seq int64, prev, hash string, body []byte) {
		e := intake.JournalEntry{Seq: seq, Prev: prev, Hash: hash, Body: body}
		rep, err := intake.VerifyJournal(context.Background(), &fixedJournal{Store: intake.NewMemoryStore(), entries: []intake.JournalEntry{e}}, &intake.VerifyOptions{SkipCases: true})
		if err != nil {
			if seq > 0 {
				t.Fatalf("read error for a readable journal: %v", err)
			}
			return // an out-of-order sequence number is the store's fault, reported as an error
		}
		if rep.OK() && (e.ComputeHash() != hash || prev != intake.GenesisHash || seq != 1) {
			t.Fatalf("a broken entry verified: %+v", e)
		}
	})
}
