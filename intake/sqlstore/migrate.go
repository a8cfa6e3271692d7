package sqlstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

// ErrNewerSchema is returned by [Open] and [New] for a database whose schema
// was migrated by a newer sigwatch than this one. The store refuses it
// rather than risk misreading it; it never downgrades a schema.
var ErrNewerSchema = errors.New("sqlstore: the database schema is newer than this version of sigwatch knows")

//go:embed migrations
var migrationFiles embed.FS

// migration is one schema step: NNNN_name.sql under migrations/<dialect>/.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns a dialect's migrations in order, numbered 1, 2, 3, …
func migrations(d Dialect) ([]migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: no migrations for dialect %s: %w", d, err)
	}
	var out []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") || v != len(out)+1 {
			return nil, fmt.Errorf("sqlstore: migration %s/%s is not named %04d_name.sql", dir, e.Name(), len(out)+1)
		}
		b, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	return out, nil
}

// LatestSchema is the schema version this package migrates databases to.
func LatestSchema() int {
	ms, _ := migrations(SQLite)
	return len(ms)
}

// migrationLock is the PostgreSQL advisory lock key that serialises
// migrations: "sigwatch" in ASCII.
const migrationLock = 0x7369677761746368

// migrate applies pending migrations, each in its own transaction under a
// lock (BEGIN IMMEDIATE on SQLite, an advisory transaction lock on
// PostgreSQL), so two processes opening a fresh database at once apply
// each migration once.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations(s.d)
	if err != nil {
		return err
	}
	latest := len(ms)
	for {
		var applied *migration
		err := s.write(ctx, func(q querier) error {
			if s.d == Postgres {
				if _, err := q.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
					return err
				}
			}
			if _, err := q.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS sigwatch_schema (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"); err != nil {
				return err
			}
			var cur int
			if err := q.QueryRowContext(ctx, s.q.version).Scan(&cur); err != nil {
				return err
			}
			switch {
			case cur > latest:
				return fmt.Errorf("%w: %s is at schema version %d, this sigwatch knows up to %d: upgrade sigwatch (the store never downgrades a schema)",
					ErrNewerSchema, s.name, cur, latest)
			case cur == latest:
				return nil
			}
			m := ms[cur]
			if _, err := q.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("sqlstore: %s: migration %d (%s): %w", s.name, m.version, m.name, err)
			}
			if _, err := q.ExecContext(ctx, rebind(s.d, "INSERT INTO sigwatch_schema (version, name, applied_at) VALUES (?, ?, ?)"),
				m.version, m.name, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
				return err
			}
			applied = &m
			return nil
		})
		if err != nil {
			return err
		}
		if applied == nil {
			return nil
		}
		s.log.Info("sqlstore: schema migrated", "store", s.name, "version", applied.version, "migration", applied.name)
	}
}

// SchemaVersion returns the database's schema version: the latest
// migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.rd.QueryRowContext(ctx, s.q.version).Scan(&v); err != nil {
		return 0, s.wrap("reading the schema version", err)
	}
	return v, nil
}

// checkExisting refuses a database that holds no sigwatch store at the
// schema version this code knows, without changing anything.
func (s *Store) checkExisting(ctx context.Context) error {
	ms, err := migrations(s.d)
	if err != nil {
		return err
	}
	var v int
	if err := s.rd.QueryRowContext(ctx, s.q.version).Scan(&v); err != nil {
		return fmt.Errorf("%w: %s has no sigwatch schema (%v)", ErrNoStore, s.name, err)
	}
	switch {
	case v == 0:
		return fmt.Errorf("%w: %s has an empty sigwatch schema table", ErrNoStore, s.name)
	case v > len(ms):
		return fmt.Errorf("%w: %s is at schema version %d, this sigwatch knows up to %d: upgrade sigwatch", ErrNewerSchema, s.name, v, len(ms))
	case v < len(ms):
		return fmt.Errorf("%w: %s is at schema version %d and needs migrating to %d: open it once without Existing (a run does that)", ErrNoStore, s.name, v, len(ms))
	}
	return nil
}
