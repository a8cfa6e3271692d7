package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strconv"
	"strings"
)

// querier is what a transaction offers: *sql.Tx and *sql.Conn both do.
type querier interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in one write transaction and commits it when fn returns
// nil. On PostgreSQL it is a READ COMMITTED transaction whose statements
// take the row locks they need; on SQLite it is BEGIN IMMEDIATE on a
// connection of its own, so the write lock is taken (or waited for, up to
// the busy timeout) before anything is read.
func (s *Store) write(ctx context.Context, fn func(q querier) error) error {
	if s.d == Postgres {
		tx, err := s.wr.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	conn, err := s.wr.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Ending the transaction must not be cut short by a cancelled ctx:
	// a connection left inside a transaction would go back to the pool.
	bg := context.WithoutCancel(ctx)
	if s.pragmas != "" {
		if _, err := conn.ExecContext(ctx, s.pragmas); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	if err := fn(conn); err != nil {
		if _, rerr := conn.ExecContext(bg, "ROLLBACK"); rerr != nil {
			discard(conn)
		}
		return err
	}
	if _, err := conn.ExecContext(bg, "COMMIT"); err != nil {
		if _, rerr := conn.ExecContext(bg, "ROLLBACK"); rerr != nil {
			discard(conn)
		}
		return err
	}
	return nil
}

// reader returns what to read through: the read pool, or, for a SQLite
// pool a caller made (New), one of its connections with our pragmas set —
// a connection that never wrote would otherwise have no busy timeout and
// fail at once while another connection writes. Call done when finished.
func (s *Store) reader(ctx context.Context) (q querier, done func(), err error) {
	if s.pragmas == "" {
		return s.rd, func() {}, nil
	}
	conn, err := s.rd.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if _, err := conn.ExecContext(ctx, s.pragmas); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, func() { conn.Close() }, nil
}

// discard closes a connection whose transaction state is unknown instead
// of returning it to the pool.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// rebind turns ? placeholders into PostgreSQL's $1, $2, … Our statements
// have no ? inside string literals.
func rebind(d Dialect, query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// placeholders returns "?, ?, …" with n placeholders.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// queries are the statements of one dialect, with its placeholders.
type queries struct {
	headGet, headPut                           string
	caseUpd, caseVer, caseGet                  string
	outboxGet, outboxUpd, outboxIns, outboxAll string
	claim, lease                               string
	journal                                    string
	sourceAll, sourcePut                       string
	version                                    string
}

func newQueries(d Dialect) *queries {
	lock, skip := "", ""
	if d == Postgres {
		lock, skip = " FOR UPDATE", " FOR UPDATE SKIP LOCKED"
	}
	r := func(q string) string { return rebind(d, q) }
	return &queries{
		headGet:   "SELECT seq, hash FROM journal_head WHERE id = 1" + lock,
		headPut:   r("UPDATE journal_head SET seq = ?, hash = ? WHERE id = 1"),
		caseUpd:   r("UPDATE cases SET version = version + 1, state = ?, owner = ?, last_activity = ?, body = ?, views = ? WHERE id = ? AND version = ?"),
		caseVer:   r("SELECT version FROM cases WHERE id = ?"),
		caseGet:   r("SELECT version, body, views FROM cases WHERE id = ?"),
		outboxGet: r("SELECT body FROM outbox WHERE id = ?" + lock),
		outboxUpd: r("UPDATE outbox SET state = ?, not_before = ?, lease_owner = NULL, lease_until = NULL, body = ? WHERE id = ?"),
		outboxIns: "INSERT INTO outbox (id, case_id, notifier, state, not_before, body) VALUES ",
		outboxAll: "SELECT body FROM outbox ORDER BY ord",
		claim: r("SELECT body FROM outbox WHERE state = 'pending' AND not_before <= ? AND (lease_owner IS NULL OR lease_until <= ?)" +
			" ORDER BY not_before, ord LIMIT ?" + skip),
		lease:     r("UPDATE outbox SET lease_owner = ?, lease_until = ?, body = ? WHERE id = ?"),
		journal:   r("SELECT seq, prev, hash, body FROM journal WHERE seq > ? ORDER BY seq LIMIT ?"),
		sourceAll: "SELECT body FROM source_state ORDER BY source",
		sourcePut: r("INSERT INTO source_state (source, body) VALUES (?, ?) ON CONFLICT (source) DO UPDATE SET body = excluded.body"),
		version:   "SELECT COALESCE(MAX(version), 0) FROM sigwatch_schema",
	}
}

// maxParams bounds the parameters of one statement, below SQLite's old
// default limit of 999 (PostgreSQL allows 65535).
const maxParams = 900

// insertRows inserts rows of width columns each, in as few statements as
// maxParams allows: fewer round trips on PostgreSQL, and on SQLite fewer
// statement journals, which cost more than compiling a longer statement.
// prefix is "INSERT INTO t (…) VALUES "; suffix follows the VALUES list (an
// ON CONFLICT clause, or empty). When suffix has a RETURNING clause of one
// text column, returned is called with each value.
func (s *Store) insertRows(ctx context.Context, q querier, prefix, suffix string, width int, rows [][]any, returned func(string)) error {
	one := "(" + placeholders(width) + ")"
	per := max(1, maxParams/width)
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var b strings.Builder
		b.WriteString(prefix)
		args := make([]any, 0, len(chunk)*width)
		for i, row := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(one)
			args = append(args, row...)
		}
		b.WriteString(suffix)
		query := rebind(s.d, b.String())
		if returned == nil {
			if _, err := q.ExecContext(ctx, query, args...); err != nil {
				return err
			}
			continue
		}
		res, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		for res.Next() {
			var v string
			if err := res.Scan(&v); err != nil {
				res.Close()
				return err
			}
			returned(v)
		}
		if err := res.Close(); err != nil {
			return err
		}
		if err := res.Err(); err != nil {
			return err
		}
	}
	return nil
}

// errNoRows reports sql.ErrNoRows.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
