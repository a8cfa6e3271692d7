package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sigwatch/sigwatch/intake/sqlstore"
)

// dialect is one database the tests run on.
type dialect struct {
	name string
	// dsn returns the address of a new, empty database for t.
	dsn func(t testing.TB) string
}

var dialects = []dialect{
	{"sqlite", func(t testing.TB) string { return "sqlite:" + filepath.Join(t.TempDir(), "sigwatch.db") }},
	{"postgres", postgresDSN},
}

// forEachDialect runs fn as a subtest per dialect.
func forEachDialect(t *testing.T, fn func(t *testing.T, d dialect)) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) { fn(t, d) })
	}
}

// open opens a store at dsn, closed when t ends.
func open(t testing.TB, dsn string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatalf("Open(%s): %v", dsn, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// fresh opens a store on a new, empty database of dialect d.
func fresh(t testing.TB, d dialect) *sqlstore.Store {
	t.Helper()
	return open(t, d.dsn(t))
}
