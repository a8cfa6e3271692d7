package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// GenesisHash is the Prev of the first journal entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// JournalEntry is one entry of the append-only journal: one case event,
// sealed with the hash of the entry before it, so that editing, inserting
// or deleting any entry breaks the chain from there on.
type JournalEntry struct {
	// Seq numbers entries 1, 2, 3, … without gaps.
	Seq int64 `json:"seq"`
	// Prev is the Hash of entry Seq-1 ([GenesisHash] for the first).
	Prev string `json:"prev"`
	// Hash is the lower-case hex SHA-256 of "sigwatch-journal-v1", Seq,
	// Prev and Body, each followed by a newline.
	Hash string `json:"hash"`
	// Body is the entry's content, a JSON object {"case": ID, "event":
	// Event}, stored and hashed as these exact bytes.
	Body json.RawMessage `json:"body"`
}

// JournalBody is the content of a journal entry.
type JournalBody struct {
	Case  string `json:"case"`
	Event Event  `json:"event"`
}

// Seal returns the journal entry that records ev of case caseID after the
// entry (prevSeq, prevHash). Stores call it inside the transaction that
// appends, with the journal head read under a lock, so the chain has one
// order even with several writers.
func Seal(prevSeq int64, prevHash, caseID string, ev Event) (JournalEntry, error) {
	body, err := json.Marshal(JournalBody{Case: caseID, Event: ev})
	if err != nil {
		return JournalEntry{}, fmt.Errorf("intake: journal entry for case %s: %w", caseID, err)
	}
	e := JournalEntry{Seq: prevSeq + 1, Prev: prevHash, Body: body}
	e.Hash = e.ComputeHash()
	return e, nil
}

// ComputeHash recomputes the entry's hash from Seq, Prev and Body.
func (e *JournalEntry) ComputeHash() string {
	h := sha256.New()
	h.Write([]byte("sigwatch-journal-v1\n"))
	h.Write([]byte(strconv.FormatInt(e.Seq, 10) + "\n"))
	h.Write([]byte(e.Prev + "\n"))
	h.Write(e.Body)
	h.Write([]byte("\n"))
	return hex.EncodeToString(h.Sum(nil))
}

// Decode returns the entry's content.
func (e *JournalEntry) Decode() (JournalBody, error) {
	var b JournalBody
	dec := json.NewDecoder(bytes.NewReader(e.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return JournalBody{}, fmt.Errorf("intake: journal entry %d: %w", e.Seq, err)
	}
	return b, nil
}

// Anchor is a journal position recorded outside the store (in an evidence
// manifest, a ticket, a signed log), against which [VerifyJournal] can
// prove that the journal was not cut short or rewritten since.
type Anchor struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// VerifyOptions tune [VerifyJournal]. The zero value checks the chain and
// every case against it.
type VerifyOptions struct {
	// Anchors are earlier journal positions that must still be there
	// with the same hash.
	Anchors []Anchor
	// SkipCases skips comparing each stored case's events with the
	// journal (for a store that only keeps the journal).
	SkipCases bool
}

// JournalProblem is one place where the journal or a case disagrees with
// the chain.
type JournalProblem struct {
	// Seq is the journal entry concerned; 0 for a problem with a case.
	Seq int64 `json:"seq,omitempty"`
	// Case is the case concerned, when known.
	Case    string `json:"case,omitempty"`
	Message string `json:"message"`
}

// String implements fmt.Stringer.
func (p JournalProblem) String() string {
	var where []string
	if p.Seq > 0 {
		where = append(where, "entry "+strconv.FormatInt(p.Seq, 10))
	}
	if p.Case != "" {
		where = append(where, "case "+p.Case)
	}
	if len(where) == 0 {
		return p.Message
	}
	return strings.Join(where, ", ") + ": " + p.Message
}

// VerifyReport is the outcome of [VerifyJournal].
type VerifyReport struct {
	// Entries is how many journal entries were read.
	Entries int64 `json:"entries"`
	// Head is the last entry's position: record it as an [Anchor].
	Head Anchor `json:"head"`
	// Cases is how many stored cases were compared with the journal.
	Cases int `json:"cases"`
	// Problems lists every break found; empty when the journal verifies.
	Problems []JournalProblem `json:"problems,omitempty"`
}

// OK reports whether nothing was found wrong.
func (r *VerifyReport) OK() bool { return len(r.Problems) == 0 }

// maxProblems caps the report: after a break every later entry may fail.
const maxProblems = 100

// VerifyJournal reads the whole journal and checks that every entry's hash
// matches its content, that each entry names its predecessor's hash with
// no gap in the sequence, that every anchor is still in place, and (unless
// opts.SkipCases) that every stored case's events are exactly the events
// the journal holds for it, and that the fields the events determine (the
// state, the receipt times, the first triage time) agree with them — so an
// edited history or receipt time in a case row is caught as well as an
// edited, inserted or deleted journal entry. Fields no event records (the
// owner, the merged advisory) are not checked. A cut at the journal's end
// can only be seen against an anchor recorded before the cut. The error is
// for failures to read; what is wrong with the data is in the report.
func VerifyJournal(ctx context.Context, s interface {
	JournalReader
	CaseStore
}, opts *VerifyOptions) (*VerifyReport, error) {
	if opts == nil {
		opts = &VerifyOptions{}
	}
	rep := &VerifyReport{Head: Anchor{Hash: GenesisHash}}
	add := func(p JournalProblem) {
		if len(rep.Problems) < maxProblems {
			rep.Problems = append(rep.Problems, p)
		}
	}
	anchors := map[int64]string{}
	for _, a := range opts.Anchors {
		anchors[a.Seq] = a.Hash
	}
	perCase := map[string][]json.RawMessage{}
	var after int64
	prevHash := GenesisHash
	for {
		page, err := s.Journal(ctx, after, 1000)
		if err != nil {
			return rep, fmt.Errorf("intake: reading the journal after entry %d: %w", after, err)
		}
		if len(page) == 0 {
			break
		}
		for i := range page {
			e := &page[i]
			if e.Seq <= after {
				return rep, fmt.Errorf("intake: the store returned journal entry %d after entry %d", e.Seq, after)
			}
			if e.Seq != after+1 {
				add(JournalProblem{Seq: e.Seq, Message: fmt.Sprintf("entries %d to %d are missing", after+1, e.Seq-1)})
			}
			if e.Prev != prevHash {
				add(JournalProblem{Seq: e.Seq, Message: "does not follow the entry before it (its prev hash differs): an entry before it was changed, removed or inserted"})
			}
			if got := e.ComputeHash(); got != e.Hash {
				add(JournalProblem{Seq: e.Seq, Message: "content does not match its hash: the entry was edited"})
			}
			if want, ok := anchors[e.Seq]; ok {
				if want != e.Hash {
					add(JournalProblem{Seq: e.Seq, Message: fmt.Sprintf("hash %s differs from the anchor %s recorded earlier", short(e.Hash), short(want))})
				}
				delete(anchors, e.Seq)
			}
			b, err := e.Decode()
			if err != nil {
				add(JournalProblem{Seq: e.Seq, Message: "unreadable content: " + err.Error()})
			} else {
				ev, _ := json.Marshal(b.Event)
				perCase[b.Case] = append(perCase[b.Case], ev)
			}
			prevHash, after = e.Hash, e.Seq
			rep.Entries++
			rep.Head = Anchor{Seq: e.Seq, Hash: e.Hash}
		}
	}
	for _, seq := range slices.Sorted(maps.Keys(anchors)) {
		h := anchors[seq]
		add(JournalProblem{Seq: seq, Message: fmt.Sprintf("anchored entry (hash %s) is gone: the journal ends at entry %d", short(h), rep.Head.Seq)})
	}
	if opts.SkipCases {
		return rep, nil
	}
	cases, err := s.Cases(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("intake: reading cases to compare with the journal: %w", err)
	}
	rep.Cases = len(cases)
	stored := map[string]bool{}
	for i := range cases {
		c := &cases[i]
		stored[c.ID] = true
		j := perCase[c.ID]
		if len(j) != len(c.Events) {
			add(JournalProblem{Case: c.ID, Message: fmt.Sprintf("has %d events, the journal %d", len(c.Events), len(j))})
			continue
		}
		same := true
		for k := range c.Events {
			ev, _ := json.Marshal(c.Events[k])
			if !bytes.Equal(ev, j[k]) {
				add(JournalProblem{Case: c.ID, Message: fmt.Sprintf("event %d differs from the journal", k+1)})
				same = false
				break
			}
		}
		if same {
			if msg := derived(c); msg != "" {
				add(JournalProblem{Case: c.ID, Message: msg})
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(perCase)) {
		if !stored[id] {
			add(JournalProblem{Case: id, Message: "is in the journal but not in the store: the case was deleted"})
		}
	}
	return rep, nil
}

// derived checks the case fields that its events determine: the state,
// the receipt times (the earliest is the one KPIs use) and the first
// triage time.
func derived(c *Case) string {
	if n := len(c.Events); n > 0 && c.State != c.Events[n-1].To {
		return fmt.Sprintf("state %s differs from its last event's %s", c.State, c.Events[n-1].To)
	}
	var evTimes, rcTimes []time.Time
	var triaged time.Time
	for _, e := range c.Events {
		if e.Kind == EventReceived || e.Kind == EventReceipt {
			evTimes = append(evTimes, e.At.UTC())
		}
		if triaged.IsZero() && e.Kind == "" && e.To == StateTriaged {
			triaged = e.At
		}
	}
	for _, r := range c.Receipts {
		rcTimes = append(rcTimes, r.ReceivedAt.UTC())
	}
	slices.SortFunc(evTimes, time.Time.Compare)
	slices.SortFunc(rcTimes, time.Time.Compare)
	if !slices.EqualFunc(evTimes, rcTimes, time.Time.Equal) {
		return fmt.Sprintf("its %d receipts do not match the %d receipt events (times differ)", len(rcTimes), len(evTimes))
	}
	if !c.TriagedAt.Equal(triaged) {
		return fmt.Sprintf("triaged at %s, but its first triage event is at %s", c.TriagedAt.UTC().Format(time.RFC3339), triaged.UTC().Format(time.RFC3339))
	}
	return ""
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
