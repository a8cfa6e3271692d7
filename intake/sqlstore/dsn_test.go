package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://alice:s3cret@db.example:5432/sigwatch?sslmode=require", "postgres://alice:xxxxx@db.example:5432/sigwatch?sslmode=require"},
		{"postgres://alice@db.example/sigwatch", "postgres://alice@db.example/sigwatch"},
		{"postgres://db.example/sigwatch?user=alice&password=s3cret", "postgres://db.example/sigwatch?user=alice&password=xxxxx"},
		{"postgresql://alice:p%40ss@[::1]:5432/x", "postgresql://alice:xxxxx@[::1]:5432/x"},
		{"postgres://alice:s3cret@db.example:notaport/x", "postgres://xxxxx@db.example:notaport/x"},
		{"sqlite:/var/lib/sigwatch.db", "sqlite:/var/lib/sigwatch.db"},
	} {
		if got := redact(tc.in); got != tc.want {
			t.Errorf("redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRebind(t *testing.T) {
	if got := rebind(Postgres, "SELECT a FROM t WHERE b = ? AND c IN (?, ?)"); got != "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)" {
		t.Errorf("rebind = %q", got)
	}
	if got := rebind(SQLite, "SELECT ?"); got != "SELECT ?" {
		t.Errorf("rebind for SQLite = %q", got)
	}
}

// TestMigrationsAlign: both dialects have the same migrations.
func TestMigrationsAlign(t *testing.T) {
	lite, err := migrations(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrations(Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("%d SQLite and %d PostgreSQL migrations", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].version != i+1 || pg[i].version != i+1 || lite[i].name != pg[i].name {
			t.Errorf("migration %d: SQLite %d %s, PostgreSQL %d %s", i+1, lite[i].version, lite[i].name, pg[i].version, pg[i].name)
		}
	}
}

// FuzzRedact: redacting never panics and never lets a URL's password
// through.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"postgres://alice:s3cret@db.example:5432/sigwatch?sslmode=require",
		"postgres://db.example/x?password=s3cret",
		"postgres://alice:s3cret@db.example:bad/x",
		"postgres://a:b@c@d/e",
		"mysql://root:toor@localhost/db",
		"sqlite:/tmp/x.db",
		"postgres://%zz:pw@h/x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		out := redact(dsn)
		u, err := url.Parse(dsn)
		if err != nil {
			return
		}
		var pws []string
		if u.User != nil {
			if pw, ok := u.User.Password(); ok {
				pws = append(pws, pw)
			}
		}
		pws = append(pws, u.Query()["password"]...)
		for _, pw := range pws {
			// Only a password that is distinctive: long enough, and
			// nowhere else in the address.
			if len(pw) < 4 || strings.Contains("xxxxx", pw) || strings.Count(dsn, pw) != 1 {
				continue
			}
			if strings.Contains(out, pw) {
				t.Fatalf("redact(%q) = %q reveals the password %q", dsn, out, pw)
			}
		}
	})
}

// FuzzOpenAddress: Open refuses every address that is neither sqlite: nor
// postgres:// with an error, never a panic, never with the password in it.
// (Addresses that would reach a server or create a file are not fuzzed.)
func FuzzOpenAddress(f *testing.F) {
	for _, s := range []string{"mysql://root:toor@localhost/db", "", ":", "sqlite", "SQLITE:/x", "postgres:/x", "postgres//x", "http://u:pw@h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		if strings.HasPrefix(dsn, "sqlite:") || strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
			return
		}
		s, err := Open(context.Background(), dsn, nil)
		if err == nil {
			s.Close()
			t.Fatalf("Open(%q) succeeded", dsn)
		}
		if !strings.HasPrefix(err.Error(), "sqlstore: ") {
			t.Fatalf("Open(%q): %q lacks the package prefix", dsn, err)
		}
		if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
			if pw, ok := u.User.Password(); ok && len(pw) >= 4 && !strings.Contains("xxxxx", pw) && strings.Count(dsn, pw) == 1 &&
				strings.Contains(err.Error(), pw) {
				t.Fatalf("Open(%q): %q reveals the password", dsn, err)
			}
		}
	})
}

func TestRedactMalformedQueries(t *testing.T) {
	for _, dsn := range []string{
		"postgres://alice@127.0.0.1:1/db?password=S3cretPW;sslmode=disable",
		"postgres://alice@127.0.0.1:1/db?password=S3cr%ZZet",
		"host=127.0.0.1 password=S3cretPW dbname=x",
		"postgres://alice:S3cretPW@host/db",
	} {
		if got := redact(dsn); strings.Contains(got, "S3cr") {
			t.Errorf("redact(%q) = %q: the password shows", dsn, got)
		}
		err := scrub(fmt.Errorf("cannot parse %q", dsn), dsn)
		if strings.Contains(err.Error(), "S3cr") {
			t.Errorf("scrub kept the password: %v", err)
		}
	}
	if _, err := Open(context.Background(), "host=127.0.0.1 password=S3cretPW", nil); err == nil || strings.Contains(err.Error(), "S3cret") {
		t.Errorf("Open of a key=value string: %v", err)
	}
}

func TestOpenExistingOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := dir + "/s.db"
	existing := &Options{Existing: true}
	if _, err := Open(ctx, "sqlite:"+path, existing); !errors.Is(err, ErrNoStore) {
		t.Fatalf("Existing on a missing file: %v, want ErrNoStore", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Existing created the file: %v", err)
	}
	// An unrelated SQLite database is refused and left as it was.
	other := dir + "/other.db"
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE notes (x TEXT)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, "sqlite:"+other, existing); !errors.Is(err, ErrNoStore) {
		t.Fatalf("Existing on an unrelated database: %v, want ErrNoStore", err)
	}
	db, _ = sql.Open("sqlite", other)
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_master WHERE name LIKE 'sigwatch%' OR name = 'cases'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("the unrelated database gained %d sigwatch tables (%v)", n, err)
	}
	db.Close()
	// A store made by a run opens.
	s, err := Open(ctx, "sqlite:"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, "sqlite:"+path, existing)
	if err != nil {
		t.Fatalf("Existing on a store: %v", err)
	}
	s.Close()
}
