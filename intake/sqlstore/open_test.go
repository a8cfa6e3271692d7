package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/intaketest"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
)

// TestOpenBadInput: every bad address fails at once with one clear error
// that names it, never with a password in it.
func TestOpenBadInput(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("These are meeting notes, not a database.\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	port, err := freePort() // nothing listens there once freePort returns
	if err != nil {
		t.Fatal(err)
	}
	closed := fmt.Sprintf("postgres://alice:s3cr3t-pw@127.0.0.1:%d/sigwatch?sslmode=disable", port)
	for _, tc := range []struct {
		name, dsn string
		want      []string
	}{
		{"unknown_scheme", "mysql://bob:hunter22@db.example/sigwatch", []string{"unknown scheme", `"mysql"`, "mysql://bob:xxxxx@db.example/sigwatch"}},
		{"no_scheme", "/var/lib/sigwatch.db", []string{"not a store address", "sqlite:PATH"}},
		{"memory", "sqlite::memory:", []string{"in-memory database is refused", "sqlite::memory:"}},
		{"memory_uri", "sqlite:file:x?mode=memory", []string{"in-memory database is refused"}},
		{"empty_path", "sqlite:", []string{"no file path"}},
		{"directory", "sqlite:" + dir, []string{"is a directory", dir}},
		{"not_sqlite", "sqlite:" + notDB, []string{"is not a SQLite database", notDB}},
		{"no_parent_dir", "sqlite:" + filepath.Join(dir, "missing", "x.db"), []string{"cannot be opened or created", filepath.Join(dir, "missing", "x.db")}},
		{"read_only_fs", "sqlite:/proc/sigwatch-test.db", []string{"/proc/sigwatch-test.db"}},
		{"closed_port", closed, []string{"cannot connect to the PostgreSQL server", "127.0.0.1:" + fmt.Sprint(port), "alice:xxxxx@"}},
		{"bad_postgres_dsn", "postgres://alice:s3cr3t-pw@127.0.0.1:notaport/x", []string{"postgres://"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			s, err := sqlstore.Open(ctx, tc.dsn, nil)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%s) succeeded", tc.dsn)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Open(%s) took %v to fail", tc.dsn, d)
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.HasPrefix(msg, "sqlstore: ") {
				t.Errorf("error %q lacks the package prefix", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			for _, secret := range []string{"s3cr3t-pw", "hunter22"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q reveals the password", msg)
				}
			}
		})
	}
	// The non-SQLite file is left as it was.
	if b, _ := os.ReadFile(notDB); !strings.HasPrefix(string(b), "These are meeting notes") {
		t.Error("Open changed a file that is not a database")
	}
	if os.Geteuid() != 0 { // root writes read-only files
		ro := filepath.Join(dir, "ro.db")
		s, err := sqlstore.Open(context.Background(), "sqlite:"+ro, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		os.Chmod(ro, 0o444)
		_, err = sqlstore.Open(context.Background(), "sqlite:"+ro, nil)
		if err == nil || !strings.Contains(err.Error(), "sqlite:"+ro+" is not writable") {
			t.Errorf("Open of a read-only file: %v", err)
		}
		t.Log(err)
	}
	if _, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(dir, "a.db"), &sqlstore.Options{Synchronous: "OFF"}); err == nil ||
		!strings.Contains(err.Error(), `Synchronous "OFF"`) {
		t.Errorf("Synchronous OFF: %v", err)
	}
}

// TestNewerSchemaRefused: a database migrated by a newer sigwatch is
// refused, and left as it is.
func TestNewerSchemaRefused(t *testing.T) {
	forEachDialect(t, func(t *testing.T, d dialect) {
		ctx := context.Background()
		dsn := d.dsn(t)
		s, err := sqlstore.Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		if v, err := s.SchemaVersion(ctx); err != nil || v != sqlstore.LatestSchema() || v < 1 {
			t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, sqlstore.LatestSchema())
		}
		s.Close()
		db := rawDB(t, dsn)
		if _, err := db.Exec("INSERT INTO sigwatch_schema (version, name, applied_at) VALUES (999, 'from_the_future', '2030-01-01T00:00:00Z')"); err != nil {
			t.Fatal(err)
		}
		_, err = sqlstore.Open(ctx, dsn, nil)
		if !errors.Is(err, sqlstore.ErrNewerSchema) || !strings.Contains(err.Error(), "999") {
			t.Fatalf("Open of a newer schema: %v, want ErrNewerSchema naming version 999", err)
		}
		if !strings.Contains(err.Error(), strings.SplitN(dsn, "?", 2)[0]) {
			t.Errorf("error %q does not name the database", err)
		}
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM sigwatch_schema WHERE version = 999").Scan(&n); err != nil || n != 1 {
			t.Fatalf("the newer schema's record was changed: %d, %v", n, err)
		}
	})
}

// TestConcurrentOpen: several processes opening a fresh database at once
// apply each migration once.
func TestConcurrentOpen(t *testing.T) {
	forEachDialect(t, func(t *testing.T, d dialect) {
		ctx := context.Background()
		dsn := d.dsn(t)
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				s, err := sqlstore.Open(ctx, dsn, nil)
				if err == nil {
					err = s.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		var rows, maxV int
		if err := rawDB(t, dsn).QueryRow("SELECT COUNT(*), MAX(version) FROM sigwatch_schema").Scan(&rows, &maxV); err != nil {
			t.Fatal(err)
		}
		if rows != sqlstore.LatestSchema() || maxV != sqlstore.LatestSchema() {
			t.Fatalf("sigwatch_schema has %d rows up to version %d, want one per migration up to %d", rows, maxV, sqlstore.LatestSchema())
		}
		if d.name == "sqlite" {
			var mode string
			if err := rawDB(t, dsn).QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
				t.Fatalf("journal mode %q, %v; want wal", mode, err)
			}
		}
	})
}

// TestNew runs the conformance kit on SQLite stores made by New over a pool
// the caller opened with no settings of ours (default deferred
// transactions, no busy timeout, rollback journal), and checks on both
// dialects that a wrapped pool works and that Close leaves it open.
func TestNew(t *testing.T) {
	t.Parallel()
	newDB := map[string]func(t *testing.T) (*sql.DB, sqlstore.Dialect){
		"sqlite": func(t *testing.T) (*sql.DB, sqlstore.Dialect) {
			db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "vendor.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db, sqlstore.SQLite
		},
		"postgres": func(t *testing.T) (*sql.DB, sqlstore.Dialect) {
			cfg, err := pgx.ParseConfig(postgresDSN(t))
			if err != nil {
				t.Fatal(err)
			}
			db := stdlib.OpenDB(*cfg)
			t.Cleanup(func() { db.Close() })
			return db, sqlstore.Postgres
		},
	}
	t.Run("sqlite_conformance", func(t *testing.T) {
		intaketest.Run(t, func(t *testing.T) intake.Store {
			db, dl := newDB["sqlite"](t)
			s, err := sqlstore.New(context.Background(), db, dl, nil)
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
	forEachDialect(t, func(t *testing.T, d dialect) {
		ctx := context.Background()
		db, dl := newDB[d.name](t)
		s, err := sqlstore.New(ctx, db, dl, nil)
		if err != nil {
			t.Fatal(err)
		}
		if s.Dialect() != dl {
			t.Errorf("Dialect() = %s, want %s", s.Dialect(), dl)
		}
		p := newTestPipeline(t, s, nopNotifier(), 0, smallSources()...)
		if res, err := p.Run(ctx); err != nil || res.New != 3 {
			t.Fatalf("pipeline on a wrapped pool: %v", err)
		}
		verify(t, s)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := db.Ping(); err != nil {
			t.Fatalf("Close closed the caller's pool: %v", err)
		}
		if v, err := sqlstore.New(ctx, db, dl, nil); err != nil {
			t.Fatalf("New on an up-to-date database: %v", err)
		} else if n, err := v.SchemaVersion(ctx); err != nil || n != sqlstore.LatestSchema() {
			t.Fatalf("SchemaVersion = %d, %v", n, err)
		}
	})
	if _, err := sqlstore.New(context.Background(), nil, sqlstore.SQLite, nil); err == nil {
		t.Error("New with a nil database: accepted")
	}
	db, _ := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db"))
	defer db.Close()
	if _, err := sqlstore.New(context.Background(), db, "mysql", nil); err == nil || !strings.Contains(err.Error(), `unknown dialect "mysql"`) {
		t.Errorf("New with an unknown dialect: %v", err)
	}
}
