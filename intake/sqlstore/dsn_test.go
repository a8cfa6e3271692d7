package sqlstore

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://alice:s3cret@db.example:5432/sigwatch?sslmode=require", "postgres://alice:xxxxx@db.example:5432/sigwatch?sslmode=require"},
		{"postgres://alice@db.example/sigwatch", "postgres://alice@db.example/sigwatch"},
		{"postgres://db.example/sigwatch?user=alice&password=s3cret", "postgres://db.example/sigwatch?password=xxxxx&user=alice"},
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
