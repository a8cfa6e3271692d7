package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
)

// defaultPage is the journal page size when the caller asks for none.
const defaultPage = 1000

// micros is a time as the BIGINT columns compare it. The exact value is in
// the JSON body; SQL comparisons on micros select a superset that Go then
// checks exactly.
func micros(t time.Time) int64 { return t.UnixMicro() }

// Load implements [intake.CaseStore].
func (s *Store) Load(ctx context.Context, keys ...string) (*intake.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	want := make([]string, 0, len(keys))
	for _, k := range keys {
		if k = feeds.NormalizeID(k); !slices.Contains(want, k) {
			want = append(want, k)
		}
	}
	if len(want) > 0 {
		rq, done, err := s.reader(ctx)
		if err != nil {
			return nil, s.wrap("looking up keys", err)
		}
		owners, err := s.keyOwners(ctx, rq, want)
		done()
		if err != nil {
			return nil, s.wrap("looking up keys", err)
		}
		for _, k := range want {
			if id, ok := owners[k]; ok {
				return s.loadCase(ctx, id)
			}
		}
	}
	return nil, fmt.Errorf("sqlstore: %w: %q", intake.ErrNotFound, strings.Join(keys, ", "))
}

// keyOwners returns which case each of keys is filed under: on SQLite
// with a prepared lookup per key, on PostgreSQL with IN lists.
func (s *Store) keyOwners(ctx context.Context, q querier, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	if s.d == SQLite {
		stmt, err := q.PrepareContext(ctx, "SELECT case_id FROM case_keys WHERE key = ?")
		if err != nil {
			return nil, err
		}
		defer stmt.Close()
		for _, k := range keys {
			var id string
			switch err := stmt.QueryRowContext(ctx, k).Scan(&id); {
			case errNoRows(err):
			case err != nil:
				return nil, err
			default:
				out[k] = id
			}
		}
		return out, nil
	}
	for start := 0; start < len(keys); start += maxParams {
		chunk := keys[start:min(start+maxParams, len(keys))]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		rows, err := q.QueryContext(ctx, rebind(s.d, "SELECT key, case_id FROM case_keys WHERE key IN ("+placeholders(len(chunk))+")"), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k, id string
			if err := rows.Scan(&k, &id); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = id
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) loadCase(ctx context.Context, id string) (*intake.Record, error) {
	var (
		rec         intake.Record
		body, views string
	)
	rq, done, err := s.reader(ctx)
	if err != nil {
		return nil, s.wrap("loading case "+id, err)
	}
	defer done()
	if err := rq.QueryRowContext(ctx, s.q.caseGet, id).Scan(&rec.Version, &body, &views); err != nil {
		if errNoRows(err) {
			return nil, fmt.Errorf("sqlstore: %s: key filed under case %s, which is not stored", s.name, id)
		}
		return nil, s.wrap("loading case "+id, err)
	}
	if err := json.Unmarshal([]byte(body), &rec.Case); err != nil {
		return nil, fmt.Errorf("sqlstore: %s: case %s: unreadable body: %w", s.name, id, err)
	}
	if err := json.Unmarshal([]byte(views), &rec.Views); err != nil {
		return nil, fmt.Errorf("sqlstore: %s: case %s: unreadable views: %w", s.name, id, err)
	}
	if rec.Views == nil {
		rec.Views = map[string]feeds.Advisory{}
	}
	return &rec, nil
}

// encoded is a record's columns, encoded before the transaction starts.
type encoded struct {
	body, views, state, owner string
	last                      int64
}

// Save implements [intake.CaseStore]. In one transaction, and in this
// order so that concurrent writers cannot deadlock, it locks the journal
// head, writes each record (checking its version), files its keys, checks
// and applies completions, appends the journal entries, moves the head and
// enqueues notifications.
func (s *Store) Save(ctx context.Context, changes ...*intake.Change) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := intake.CheckChanges(changes); err != nil {
		return err
	}
	if len(changes) == 0 {
		return nil
	}
	enc := make([]encoded, len(changes))
	var outbox [][]any
	for i, c := range changes {
		if r := c.Record; r != nil {
			body, err := json.Marshal(&r.Case)
			if err != nil {
				return fmt.Errorf("sqlstore: encoding case %s: %w", r.Case.ID, err)
			}
			views := []byte("{}")
			if len(r.Views) > 0 {
				if views, err = json.Marshal(r.Views); err != nil {
					return fmt.Errorf("sqlstore: encoding the views of case %s: %w", r.Case.ID, err)
				}
			}
			enc[i] = encoded{body: string(body), views: string(views), state: string(r.Case.State), owner: r.Case.Owner,
				last: micros(r.Case.LastActivity())}
		}
		for _, n := range c.Enqueue {
			n.State, n.LeaseOwner, n.LeaseUntil = intake.DeliveryPending, "", time.Time{}
			body, err := json.Marshal(&n)
			if err != nil {
				return fmt.Errorf("sqlstore: encoding notification %s: %w", n.ID, err)
			}
			outbox = append(outbox, []any{n.ID, n.CaseID, n.Notifier, string(n.State), micros(n.NotBefore), string(body)})
		}
	}
	err := s.write(ctx, func(q querier) error {
		var (
			seq  int64
			head string
		)
		if err := q.QueryRowContext(ctx, s.q.headGet).Scan(&seq, &head); err != nil {
			return fmt.Errorf("reading the journal head: %w", err)
		}
		if err := s.putRecords(ctx, q, changes, enc); err != nil {
			return err
		}
		if err := s.fileKeys(ctx, q, changes); err != nil {
			return err
		}
		for _, c := range changes {
			for _, d := range c.Complete {
				if err := s.complete(ctx, q, d); err != nil {
					return err
				}
			}
		}
		var entries [][]any
		for _, c := range changes {
			if c.Record == nil {
				continue
			}
			for _, ev := range c.Events {
				e, err := intake.Seal(seq, head, c.Record.Case.ID, ev)
				if err != nil {
					return err
				}
				entries = append(entries, []any{e.Seq, e.Prev, e.Hash, string(e.Body)})
				seq, head = e.Seq, e.Hash
			}
		}
		if len(entries) > 0 {
			if err := s.insertRows(ctx, q, "INSERT INTO journal (seq, prev, hash, body) VALUES ", "", 4, entries, nil); err != nil {
				return fmt.Errorf("appending to the journal: %w", err)
			}
			if _, err := q.ExecContext(ctx, s.q.headPut, seq, head); err != nil {
				return fmt.Errorf("moving the journal head: %w", err)
			}
		}
		if len(outbox) > 0 {
			if err := s.insertRows(ctx, q, s.q.outboxIns, " ON CONFLICT (id) DO NOTHING", 6, outbox, nil); err != nil {
				return fmt.Errorf("enqueuing notifications: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return s.wrap("saving", err)
	}
	for _, c := range changes {
		if c.Record != nil {
			c.Record.Version++
		}
	}
	return nil
}

// putRecords writes the changes' records: existing ones one by one, each
// only if still at the version it was loaded at; new ones together, each
// only if no case has its ID yet.
func (s *Store) putRecords(ctx context.Context, q querier, changes []*intake.Change, enc []encoded) error {
	var (
		rows  [][]any
		fresh []string
	)
	for i, c := range changes {
		r := c.Record
		if r == nil {
			continue
		}
		id, e := r.Case.ID, &enc[i]
		if r.Version == 0 {
			rows = append(rows, []any{id, int64(1), e.state, e.owner, e.last, e.body, e.views})
			fresh = append(fresh, id)
			continue
		}
		res, err := q.ExecContext(ctx, s.q.caseUpd, e.state, e.owner, e.last, e.body, e.views, id, r.Version)
		if err != nil {
			return fmt.Errorf("updating case %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var cur int64
			switch err := q.QueryRowContext(ctx, s.q.caseVer, id).Scan(&cur); {
			case errNoRows(err):
				return fmt.Errorf("sqlstore: %w: case %s (version %d) is not stored", intake.ErrConflict, id, r.Version)
			case err != nil:
				return err
			}
			return fmt.Errorf("sqlstore: %w: case %s is at version %d, the change was made to version %d", intake.ErrConflict, id, cur, r.Version)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	inserted := map[string]bool{}
	err := s.insertRows(ctx, q, "INSERT INTO cases (id, version, state, owner, last_activity, body, views) VALUES ",
		" ON CONFLICT (id) DO NOTHING RETURNING id", 7, rows, func(id string) { inserted[id] = true })
	if err != nil {
		return fmt.Errorf("inserting cases: %w", err)
	}
	for _, id := range fresh {
		if !inserted[id] {
			return fmt.Errorf("sqlstore: %w: case %s was opened by someone else", intake.ErrConflict, id)
		}
	}
	return nil
}

// fileKeys files every record's keys under its case; a key already filed
// under another case is a conflict.
func (s *Store) fileKeys(ctx context.Context, q querier, changes []*intake.Change) error {
	var keys []string
	for _, c := range changes {
		if c.Record != nil {
			keys = append(keys, c.Record.Case.Keys...)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	owners, err := s.keyOwners(ctx, q, keys)
	if err != nil {
		return fmt.Errorf("looking up keys: %w", err)
	}
	var rows [][]any
	for _, c := range changes {
		if c.Record == nil {
			continue
		}
		id := c.Record.Case.ID
		for _, k := range c.Record.Case.Keys {
			if owner, ok := owners[k]; ok {
				if owner != id {
					return fmt.Errorf("sqlstore: %w: key %s is filed under case %s, not %s", intake.ErrConflict, k, owner, id)
				}
				continue
			}
			owners[k] = id
			rows = append(rows, []any{k, id})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if err := s.insertRows(ctx, q, "INSERT INTO case_keys (key, case_id) VALUES ", "", 2, rows, nil); err != nil {
		return fmt.Errorf("filing keys: %w", err)
	}
	return nil
}

// complete applies one outbox completion, which only the worker holding
// the notification's lease may make.
func (s *Store) complete(ctx context.Context, q querier, d intake.Completion) error {
	var body string
	if err := q.QueryRowContext(ctx, s.q.outboxGet, d.ID).Scan(&body); err != nil {
		if errNoRows(err) {
			return fmt.Errorf("sqlstore: completion of unknown notification %q", d.ID)
		}
		return fmt.Errorf("reading notification %s: %w", d.ID, err)
	}
	var n intake.Notification
	if err := json.Unmarshal([]byte(body), &n); err != nil {
		return fmt.Errorf("sqlstore: %s: notification %s: unreadable body: %w", s.name, d.ID, err)
	}
	if n.State != intake.DeliveryPending || n.LeaseOwner != d.Worker {
		return fmt.Errorf("sqlstore: %w: notification %s is not leased to %s", intake.ErrLeaseLost, d.ID, d.Worker)
	}
	n.State, n.Attempts, n.Ref, n.LastError = d.State, d.Attempts, d.Ref, d.Error
	if !d.NotBefore.IsZero() {
		n.NotBefore = d.NotBefore
	}
	n.LeaseOwner, n.LeaseUntil = "", time.Time{}
	b, err := json.Marshal(&n)
	if err != nil {
		return fmt.Errorf("sqlstore: encoding notification %s: %w", n.ID, err)
	}
	if _, err := q.ExecContext(ctx, s.q.outboxUpd, string(n.State), micros(n.NotBefore), string(b), n.ID); err != nil {
		return fmt.Errorf("completing notification %s: %w", d.ID, err)
	}
	return nil
}

// Cases implements [intake.CaseStore].
func (s *Store) Cases(ctx context.Context, q *intake.Query) ([]intake.Case, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var (
		where []string
		args  []any
	)
	if q != nil {
		if len(q.States) > 0 {
			where = append(where, "state IN ("+placeholders(len(q.States))+")")
			for _, st := range q.States {
				args = append(args, string(st))
			}
		}
		if q.Owner != "" {
			where = append(where, "owner = ?")
			args = append(args, q.Owner)
		}
		if !q.Since.IsZero() {
			where = append(where, "last_activity >= ?")
			args = append(args, micros(q.Since))
		}
	}
	query := "SELECT id, body FROM cases"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id"
	rq, done, err := s.reader(ctx)
	if err != nil {
		return nil, s.wrap("listing cases", err)
	}
	defer done()
	rows, err := rq.QueryContext(ctx, rebind(s.d, query), args...)
	if err != nil {
		return nil, s.wrap("listing cases", err)
	}
	defer rows.Close()
	out := []intake.Case{}
	for rows.Next() {
		var (
			id   string
			body []byte
		)
		if err := rows.Scan(&id, &body); err != nil {
			return nil, s.wrap("listing cases", err)
		}
		var c intake.Case
		if err := json.Unmarshal(body, &c); err != nil {
			return nil, fmt.Errorf("sqlstore: %s: case %s: unreadable body: %w", s.name, id, err)
		}
		// The SQL selected on microseconds; Match decides exactly.
		if !q.Match(&c) {
			continue
		}
		out = append(out, c)
		if q != nil && q.Limit > 0 && len(out) == q.Limit {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("listing cases", err)
	}
	return out, nil
}

// Journal implements [intake.JournalReader].
func (s *Store) Journal(ctx context.Context, after int64, limit int) ([]intake.JournalEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultPage
	}
	after = max(after, 0)
	rq, done, err := s.reader(ctx)
	if err != nil {
		return nil, s.wrap("reading the journal", err)
	}
	defer done()
	rows, err := rq.QueryContext(ctx, s.q.journal, after, limit)
	if err != nil {
		return nil, s.wrap("reading the journal", err)
	}
	defer rows.Close()
	var out []intake.JournalEntry
	for rows.Next() {
		var (
			e    intake.JournalEntry
			body []byte
		)
		if err := rows.Scan(&e.Seq, &e.Prev, &e.Hash, &body); err != nil {
			return nil, s.wrap("reading the journal", err)
		}
		e.Body = body
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("reading the journal", err)
	}
	return out, nil
}

// Claim implements [intake.Outbox]. On PostgreSQL the candidates are
// locked FOR UPDATE SKIP LOCKED, so concurrent workers pass each other
// instead of waiting; on SQLite the claim is one BEGIN IMMEDIATE
// transaction.
func (s *Store) Claim(ctx context.Context, worker string, now time.Time, lease time.Duration, limit int) ([]intake.Notification, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if worker == "" || lease <= 0 || limit <= 0 {
		return nil, fmt.Errorf("sqlstore: Claim needs a worker name, a positive lease and a positive limit")
	}
	var out []intake.Notification
	err := s.write(ctx, func(q querier) error {
		out = out[:0]
		at := micros(now)
		rows, err := q.QueryContext(ctx, s.q.claim, at, at, limit)
		if err != nil {
			return fmt.Errorf("selecting due notifications: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var body []byte
			if err := rows.Scan(&body); err != nil {
				return err
			}
			var n intake.Notification
			if err := json.Unmarshal(body, &n); err != nil {
				return fmt.Errorf("sqlstore: %s: outbox: unreadable notification: %w", s.name, err)
			}
			// The SQL compared microseconds; decide exactly.
			if n.NotBefore.After(now) || n.LeaseOwner != "" && n.LeaseUntil.After(now) {
				continue
			}
			out = append(out, n)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		slices.SortStableFunc(out, func(a, b intake.Notification) int { return a.NotBefore.Compare(b.NotBefore) })
		until := now.Add(lease)
		for i := range out {
			n := &out[i]
			n.LeaseOwner, n.LeaseUntil = worker, until
			b, err := json.Marshal(n)
			if err != nil {
				return fmt.Errorf("sqlstore: encoding notification %s: %w", n.ID, err)
			}
			if _, err := q.ExecContext(ctx, s.q.lease, worker, micros(until), string(b), n.ID); err != nil {
				return fmt.Errorf("leasing notification %s: %w", n.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.wrap("claiming notifications", err)
	}
	return out, nil
}

// Notifications returns every notification in the outbox in enqueue order,
// for reports and tests.
func (s *Store) Notifications(ctx context.Context) ([]intake.Notification, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rq, done, err := s.reader(ctx)
	if err != nil {
		return nil, s.wrap("reading the outbox", err)
	}
	defer done()
	rows, err := rq.QueryContext(ctx, s.q.outboxAll)
	if err != nil {
		return nil, s.wrap("reading the outbox", err)
	}
	defer rows.Close()
	out := []intake.Notification{}
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, s.wrap("reading the outbox", err)
		}
		var n intake.Notification
		if err := json.Unmarshal(body, &n); err != nil {
			return nil, fmt.Errorf("sqlstore: %s: outbox: unreadable notification: %w", s.name, err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("reading the outbox", err)
	}
	return out, nil
}

// SourceStates implements [intake.SourceStates].
func (s *Store) SourceStates(ctx context.Context) ([]intake.SourceState, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rq, done, err := s.reader(ctx)
	if err != nil {
		return nil, s.wrap("reading source states", err)
	}
	defer done()
	rows, err := rq.QueryContext(ctx, s.q.sourceAll)
	if err != nil {
		return nil, s.wrap("reading source states", err)
	}
	defer rows.Close()
	out := []intake.SourceState{}
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, s.wrap("reading source states", err)
		}
		var st intake.SourceState
		if err := json.Unmarshal(body, &st); err != nil {
			return nil, fmt.Errorf("sqlstore: %s: unreadable source state: %w", s.name, err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("reading source states", err)
	}
	return out, nil
}

// PutSourceState implements [intake.SourceStates].
func (s *Store) PutSourceState(ctx context.Context, st intake.SourceState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if strings.TrimSpace(st.Source) == "" {
		return fmt.Errorf("sqlstore: source state without a source name")
	}
	b, err := json.Marshal(&st)
	if err != nil {
		return fmt.Errorf("sqlstore: encoding the state of source %s: %w", st.Source, err)
	}
	err = s.write(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, s.q.sourcePut, st.Source, string(b))
		return err
	})
	return s.wrap("saving the state of source "+st.Source, err)
}
