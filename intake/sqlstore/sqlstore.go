package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/sigwatch/sigwatch/intake"
)

// Dialect is the SQL dialect of a database.
type Dialect string

// Dialects.
const (
	// SQLite is SQLite through the pure-Go driver modernc.org/sqlite
	// (driver name "sqlite").
	SQLite Dialect = "sqlite"
	// Postgres is PostgreSQL through github.com/jackc/pgx/v5/stdlib
	// (driver name "pgx").
	Postgres Dialect = "postgres"
)

// Options configure a Store. Nil or zero fields take the documented defaults.
type Options struct {
	// Logger receives schema migrations and other notable events.
	// Optional: defaults to discarding.
	Logger *slog.Logger
	// Synchronous is SQLite's synchronous setting for stores made by
	// [Open]: "FULL" (a commit survives a power cut) or "NORMAL" (in WAL
	// mode, a power cut may lose the last commits but never corrupts).
	// Optional: defaults to "FULL".
	Synchronous string
	// BusyTimeout is how long a SQLite writer waits for another process's
	// write lock before failing. Optional: defaults to 10 seconds.
	BusyTimeout time.Duration
	// Existing opens only a store sigwatch already made, for commands
	// that read or audit it: nothing is created or migrated, and a
	// database (or SQLite file) without the sigwatch schema, or at an
	// older schema version, is refused with an error wrapping
	// [ErrNoStore] — so verifying the wrong database never reports an
	// empty, intact journal. Optional: by default a missing schema is
	// created and an older one migrated.
	Existing bool
}

// ErrNoStore is returned by [Open] and [New] with Options.Existing when
// the database holds no sigwatch store at the current schema version.
var ErrNoStore = errors.New("sqlstore: no sigwatch store there")

// Store is an [intake.Store] in SQLite or PostgreSQL. It is safe for
// concurrent use, also by several processes on one database. Make one with
// [Open] or [New].
type Store struct {
	d    Dialect
	name string // the DSN with any password redacted, for messages
	wr   *sql.DB
	rd   *sql.DB // the same as wr except for SQLite files opened by Open
	own  bool    // Close closes wr and rd
	// pragmas are run on every SQLite write connection of a Store made
	// by New, whose pool we did not configure.
	pragmas string
	busy    time.Duration
	wal     bool // switch a SQLite file to WAL mode when opening it
	// existing refuses a database without the sigwatch schema instead of
	// creating it (Options.Existing).
	existing bool
	log      *slog.Logger
	q        *queries
}

// Open opens (creating if needed) the store the DSN names and applies
// pending schema migrations:
//
//	sqlite:PATH                            a SQLite file, created if missing
//	postgres://user:pass@host:5432/db?...  a PostgreSQL database (a pgx connection string)
//	postgresql://...                       the same
//
// "sqlite::memory:" is refused: a store is for durability; use
// [intake.NewMemoryStore] instead. SQLite files are opened in WAL mode with
// foreign keys on, Options.Synchronous and Options.BusyTimeout; PostgreSQL
// uses database/sql's default pool.
func Open(ctx context.Context, dsn string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), opts)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn, opts)
	}
	scheme, _, ok := strings.Cut(dsn, ":")
	if !ok || scheme == "" {
		return nil, fmt.Errorf("sqlstore: %q is not a store address: use sqlite:PATH or postgres://…", redact(dsn))
	}
	return nil, fmt.Errorf("sqlstore: %s: unknown scheme %q: use sqlite:PATH or postgres://…", redact(dsn), scheme)
}

func openSQLite(ctx context.Context, path string, opts *Options) (*Store, error) {
	name := "sqlite:" + path
	switch {
	case path == "":
		return nil, fmt.Errorf("sqlstore: %s: no file path after \"sqlite:\"", name)
	case path == ":memory:" || strings.Contains(path, "mode=memory"):
		return nil, fmt.Errorf("sqlstore: %s: an in-memory database is refused: a store is for durability (use intake.NewMemoryStore)", name)
	case strings.ContainsRune(path, 0):
		return nil, fmt.Errorf("sqlstore: %q: the path contains a NUL byte", name)
	}
	if strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("sqlstore: %s: give a plain file path after sqlite:, not a file: URI", name)
	}
	sync := strings.ToUpper(strings.TrimSpace(opts.Synchronous))
	switch sync {
	case "":
		sync = "FULL"
	case "FULL", "NORMAL":
	default:
		return nil, fmt.Errorf("sqlstore: %s: Synchronous %q is neither FULL nor NORMAL", name, opts.Synchronous)
	}
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %s: %w", name, err)
	}
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("sqlstore: %s is a directory, not a SQLite database file", name)
	} else if errors.Is(err, os.ErrNotExist) && opts.Existing {
		return nil, fmt.Errorf("%w: %s does not exist", ErrNoStore, name)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("sqlstore: %s: %w", name, err)
	}
	base := sqliteURI(abs) + "?" + url.Values{"_pragma": {
		"busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")",
		"foreign_keys(1)",
		"synchronous(" + sync + ")",
	}}.Encode()
	wr, err := sql.Open("sqlite", base)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %s: %w", name, err)
	}
	// One writer: SQLite takes one write lock per file anyway, and queuing
	// in the pool is cheaper than spinning on the busy handler.
	wr.SetMaxOpenConns(1)
	rd, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		wr.Close()
		return nil, fmt.Errorf("sqlstore: %s: %w", name, err)
	}
	rd.SetMaxOpenConns(4)
	rd.SetMaxIdleConns(4)
	s := &Store{d: SQLite, name: name, wr: wr, rd: rd, own: true, busy: busy, wal: !opts.Existing, existing: opts.Existing, log: logger(opts)}
	if err := s.init(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// sqliteURI returns a file: URI for an absolute path, escaping what the URI
// syntax reserves, so that any file name reaches SQLite unchanged.
func sqliteURI(abs string) string {
	var b strings.Builder
	b.WriteString("file:")
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("/-._~:", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func openPostgres(ctx context.Context, dsn string, opts *Options) (*Store, error) {
	name := redact(dsn)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %s: %w", name, scrub(err, dsn))
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	db := stdlib.OpenDB(*cfg)
	s := &Store{d: Postgres, name: name, wr: db, rd: db, own: true, existing: opts.Existing, log: logger(opts)}
	if err := s.init(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// New wraps an open database of dialect d — for vendors who manage their
// own pool — and applies pending schema migrations. For SQLite, every write
// takes the write lock up front (BEGIN IMMEDIATE) on a connection of its
// own, with Options.BusyTimeout and foreign keys set on it. Reads use the
// pool as it is: with several processes on one file, open it in WAL mode
// with a busy timeout (modernc.org/sqlite DSN parameters
// _pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)), or a read may
// fail while another process writes. [Store.Close] leaves db open.
func New(ctx context.Context, db *sql.DB, d Dialect, opts *Options) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlstore: New needs a database")
	}
	if opts == nil {
		opts = &Options{}
	}
	s := &Store{d: d, name: string(d) + " database", wr: db, rd: db, existing: opts.Existing, log: logger(opts)}
	switch d {
	case SQLite:
		s.busy = opts.BusyTimeout
		if s.busy <= 0 {
			s.busy = 10 * time.Second
		}
		s.pragmas = fmt.Sprintf("PRAGMA busy_timeout = %d; PRAGMA foreign_keys = ON", s.busy.Milliseconds())
	case Postgres:
	default:
		return nil, fmt.Errorf("sqlstore: unknown dialect %q (want %q or %q)", d, SQLite, Postgres)
	}
	if err := s.init(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func logger(opts *Options) *slog.Logger {
	if opts.Logger != nil {
		return opts.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// init checks the connection and migrates the schema.
func (s *Store) init(ctx context.Context) error {
	s.q = newQueries(s.d)
	if err := s.wr.PingContext(ctx); err != nil {
		return s.openError("connecting", err)
	}
	if s.wal {
		if err := s.walMode(ctx); err != nil {
			return s.openError("switching to WAL mode", err)
		}
	}
	if s.rd != s.wr {
		if err := s.rd.PingContext(ctx); err != nil {
			return s.openError("connecting for reading", err)
		}
	}
	if s.existing {
		return s.checkExisting(ctx)
	}
	if err := s.migrate(ctx); err != nil {
		return s.openError("migrating the schema", err)
	}
	if s.d == SQLite {
		// SQLite opens a file it may not write read-only without a word;
		// find out now rather than at the first Save.
		err := s.write(ctx, func(q querier) error {
			if _, err := q.ExecContext(ctx, "CREATE TABLE sigwatch_write_probe (x INTEGER)"); err != nil {
				return err
			}
			return errProbed
		})
		if !errors.Is(err, errProbed) {
			return s.openError("checking that it is writable", err)
		}
	}
	return nil
}

// walMode puts the SQLite file in WAL mode (a lasting property of the
// file). Switching needs an exclusive lock that SQLite does not wait for,
// so a process that finds another one opening the file at the same moment
// retries until the busy timeout.
func (s *Store) walMode(ctx context.Context) error {
	deadline := time.Now().Add(s.busy)
	for {
		var mode string
		err := s.wr.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
		if err == nil && strings.EqualFold(mode, "wal") {
			return nil
		}
		if err == nil {
			err = s.wr.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
			if err == nil && strings.EqualFold(mode, "wal") {
				return nil
			}
			if err == nil {
				return fmt.Errorf("sqlstore: %s: journal mode is %s, not wal", s.name, mode)
			}
		}
		var se *sqlite.Error
		if !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		t := time.NewTimer(10 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// errProbed rolls back the write probe.
var errProbed = errors.New("sqlstore: write probe")

// openError explains a failure to open or migrate.
func (s *Store) openError(step string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("sqlstore: %s is not a SQLite database: %w", s.name, err)
		case sqlite3.SQLITE_CANTOPEN:
			return fmt.Errorf("sqlstore: %s cannot be opened or created (does its directory exist, and may this process write there?): %w", s.name, err)
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
			return fmt.Errorf("sqlstore: %s is not writable: %w", s.name, err)
		}
	}
	var pe *pgconn.PgError
	switch {
	case errors.Is(err, ErrNewerSchema):
		return err // it names the database
	case s.d == Postgres && step == "connecting" && !errors.As(err, &pe) &&
		!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("sqlstore: %s: cannot connect to the PostgreSQL server: %w", s.name, err)
	}
	if c := s.conflict(err); c != err { // a lock timeout, explained
		return fmt.Errorf("%w (while %s)", c, step)
	}
	return fmt.Errorf("sqlstore: %s: %s: %w", s.name, step, err)
}

// Close closes the database pools [Open] opened. A Store made by [New]
// leaves the caller's database open.
func (s *Store) Close() error {
	if !s.own {
		return nil
	}
	err := s.wr.Close()
	if s.rd != s.wr {
		err = errors.Join(err, s.rd.Close())
	}
	return err
}

// Dialect returns the store's SQL dialect.
func (s *Store) Dialect() Dialect { return s.d }

// String returns the store's address with any password redacted.
func (s *Store) String() string { return s.name }

// redact hides the password of a URL-shaped DSN, in the user information
// or a password= query parameter.
func redact(dsn string) string {
	dsn = hidePasswordParams(dsn)
	u, err := url.Parse(dsn)
	if err != nil {
		// Unparseable, but it may still carry credentials.
		if j := strings.Index(dsn, "://"); j >= 0 {
			if i := strings.LastIndex(dsn, "@"); i > j {
				dsn = dsn[:j+3] + "xxxxx" + dsn[i:]
			}
		}
		if i := strings.Index(strings.ToLower(dsn), "password="); i >= 0 {
			end := strings.IndexByte(dsn[i:], '&')
			if end < 0 {
				end = len(dsn) - i
			}
			dsn = dsn[:i] + "password=xxxxx" + dsn[i+end:]
		}
		return dsn
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	return u.String()
}

// hidePasswordParams replaces the value of every password=… parameter,
// in URL queries and in key=value connection strings alike, up to the
// next '&' or space — without parsing, which would drop a malformed pair
// (and leave its password in the message).
func hidePasswordParams(dsn string) string {
	var b strings.Builder
	rest := dsn
	for {
		i := strings.Index(strings.ToLower(rest), "password=")
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(rest[:i+len("password=")])
		b.WriteString("xxxxx")
		rest = rest[i+len("password="):]
		end := strings.IndexAny(rest, "& \t")
		if end < 0 {
			end = len(rest)
		}
		rest = rest[end:]
	}
}

// scrub removes the DSN's password from an error message, should a driver
// have quoted it.
func scrub(err error, dsn string) error {
	var pws []string
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if pw, _ := u.User.Password(); pw != "" {
			pws = append(pws, pw)
		}
	}
	if i := strings.Index(strings.ToLower(dsn), "password="); i >= 0 {
		pw := dsn[i+len("password="):]
		if end := strings.IndexAny(pw, "& \t"); end >= 0 {
			pw = pw[:end]
		}
		if pw != "" {
			pws = append(pws, pw)
			if un, err := url.QueryUnescape(pw); err == nil && un != pw && un != "" {
				pws = append(pws, un)
			}
		}
	}
	msg := err.Error()
	for _, pw := range pws {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// conflict maps the database's own conflict errors (PostgreSQL
// serialization failures, deadlocks and unique violations; SQLite
// constraint violations on keys) to intake.ErrConflict, and names the file
// of a SQLite database that stayed locked.
func (s *Store) conflict(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505" && pe.TableName == "journal":
			return fmt.Errorf("sqlstore: %s: the journal head is behind the journal's last entry: the store was changed outside sigwatch (%w)", s.name, err)
		case pe.Code == "40001", pe.Code == "40P01", pe.Code == "23505":
			return fmt.Errorf("sqlstore: %w: %s (SQLSTATE %s)", intake.ErrConflict, pe.Message, pe.Code)
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("sqlstore: %s stayed locked by another writer for longer than the busy timeout (%v): %w", s.name, s.busy, err)
		case sqlite3.SQLITE_CONSTRAINT:
			if strings.Contains(err.Error(), "journal.seq") {
				return fmt.Errorf("sqlstore: %s: the journal head is behind the journal's last entry: the store was changed outside sigwatch (%w)", s.name, err)
			}
			if se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE {
				return fmt.Errorf("sqlstore: %w: %v", intake.ErrConflict, err)
			}
		}
	}
	return err
}

// wrap adds the package and store name to a database error.
func (s *Store) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	err = s.conflict(err)
	if strings.HasPrefix(err.Error(), "sqlstore: ") {
		return err
	}
	return fmt.Errorf("sqlstore: %s: %s: %w", s.name, what, err)
}

var _ intake.Store = (*Store)(nil)
