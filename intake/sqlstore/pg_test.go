package sqlstore_test

// The PostgreSQL server the tests run against: the one SIGWATCH_TEST_POSTGRES
// names, or a throwaway cluster started from the installed binaries. Every
// test gets a fresh database of its own.

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

const (
	envPostgres        = "SIGWATCH_TEST_POSTGRES"
	envRequirePostgres = "SIGWATCH_REQUIRE_POSTGRES"
)

// pgServer is the test binary's PostgreSQL server, started on first use.
var pgServer struct {
	once    sync.Once
	admin   string // DSN of a database to run CREATE DATABASE in
	reason  string // why there is no server
	cluster *cluster
	dbs     atomic.Int64
}

func TestMain(m *testing.M) {
	code := m.Run()
	if c := pgServer.cluster; c != nil {
		c.stop()
	}
	os.Exit(code)
}

// postgresDSN returns the DSN of a new, empty database for t, dropped when
// t ends. Without a server, t is skipped with the reason — or fails, when
// SIGWATCH_REQUIRE_POSTGRES=1.
func postgresDSN(t testing.TB) string {
	t.Helper()
	pgServer.once.Do(startPostgres)
	if pgServer.admin == "" {
		if os.Getenv(envRequirePostgres) == "1" {
			t.Fatalf("PostgreSQL is required (%s=1) but unavailable: %s", envRequirePostgres, pgServer.reason)
		}
		t.Skipf("PostgreSQL unavailable: %s", pgServer.reason)
	}
	name := fmt.Sprintf("sigwatch_test_%d_%d", os.Getpid(), pgServer.dbs.Add(1))
	admin := openAdmin(t)
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// FILE_COPY (PostgreSQL 15+) is several times faster than the default
	// for the small template; older servers do not know it.
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" STRATEGY FILE_COPY"); err != nil {
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			t.Fatalf("creating test database %s: %v", name, err)
		}
	}
	t.Cleanup(func() {
		admin := openAdmin(t)
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(pgServer.admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func openAdmin(t testing.TB) *sql.DB {
	t.Helper()
	cfg, err := pgx.ParseConfig(pgServer.admin)
	if err != nil {
		t.Fatalf("%s: %v", envPostgres, err)
	}
	return stdlib.OpenDB(*cfg)
}

func startPostgres() {
	if dsn := os.Getenv(envPostgres); dsn != "" {
		if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
			pgServer.reason = envPostgres + " is not a postgres:// URL"
			return
		}
		if err := ping(dsn, 10*time.Second); err != nil {
			pgServer.reason = fmt.Sprintf("%s server does not answer: %v", envPostgres, err)
			return
		}
		pgServer.admin = dsn
		return
	}
	c, err := startCluster()
	if err != nil {
		pgServer.reason = fmt.Sprintf("%s is not set and no throwaway cluster could be started: %v", envPostgres, err)
		return
	}
	pgServer.cluster = c
	pgServer.admin = c.dsn
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "sqlstore tests: started PostgreSQL from %s in %v\n", c.bin, c.took.Round(time.Millisecond))
	}
}

func ping(dsn string, wait time.Duration) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return err
	}
	cfg.ConnectTimeout = 5 * time.Second
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	return db.PingContext(ctx)
}

// cluster is a throwaway PostgreSQL cluster in a temporary directory.
type cluster struct {
	dir, data string
	bin       string
	asUser    string // run the server's commands as this user (when we are root)
	dsn       string
	took      time.Duration
}

// postgresBin finds the directory of initdb and pg_ctl: the highest
// version under /usr/lib/postgresql, else PATH.
func postgresBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(d string) int {
		v, _ := strconv.Atoi(filepath.Base(filepath.Dir(d)))
		return v
	}
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	initdb, err := exec.LookPath("initdb")
	if err != nil {
		return "", fmt.Errorf("initdb is neither in /usr/lib/postgresql/*/bin nor on PATH (install the postgresql package)")
	}
	d := filepath.Dir(initdb)
	if !isExec(filepath.Join(d, "pg_ctl")) {
		return "", fmt.Errorf("pg_ctl is not beside %s", initdb)
	}
	return d, nil
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

func startCluster() (*cluster, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	c := &cluster{bin: bin}
	if os.Geteuid() == 0 {
		// initdb refuses to run as root: run the server as postgres.
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("running as root and there is no postgres user to run the server as: %v", err)
		}
		if _, err := exec.LookPath("runuser"); err != nil {
			return nil, fmt.Errorf("running as root and runuser is missing: %v", err)
		}
		c.asUser = "postgres"
	}
	c.dir, err = os.MkdirTemp("", "sigwatch-pg-")
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			c.stop()
		}
	}()
	c.data = filepath.Join(c.dir, "data")
	sock := filepath.Join(c.dir, "sock")
	for _, d := range []string{c.data, sock} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return nil, err
		}
	}
	if c.asUser != "" {
		// The server's user must reach the directories.
		if err := os.Chmod(c.dir, 0o755); err != nil {
			return nil, err
		}
		u, _ := user.Lookup(c.asUser)
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, d := range []string{c.data, sock} {
			if err := os.Chown(d, uid, gid); err != nil {
				return nil, err
			}
		}
	}
	if out, err := c.run(60*time.Second, "initdb", "-D", c.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	opts := fmt.Sprintf("-k %s -h 127.0.0.1 -p %d -F -c max_connections=200 -c shared_buffers=32MB", sock, port)
	logFile := filepath.Join(c.data, "server.log")
	if out, err := c.run(60*time.Second, "pg_ctl", "start", "-w", "-t", "60", "-D", c.data, "-l", logFile, "-o", opts); err != nil {
		log, _ := os.ReadFile(logFile)
		return nil, fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, tail(log, 2000))
	}
	c.dsn = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	if err := ping(c.dsn, 30*time.Second); err != nil {
		return nil, fmt.Errorf("the cluster started but does not answer: %v", err)
	}
	if err := c.watch(); err != nil {
		return nil, fmt.Errorf("starting the cluster's watchdog: %v", err)
	}
	ok = true
	c.took = time.Since(start)
	return c, nil
}

func (c *cluster) run(timeout time.Duration, tool string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	name := filepath.Join(c.bin, tool)
	if c.asUser != "" {
		args = append([]string{"-u", c.asUser, "--", name}, args...)
		name = "runuser"
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = c.dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// stop stops the server at once and removes its files.
func (c *cluster) stop() {
	if c.data != "" {
		if _, err := os.Stat(filepath.Join(c.data, "postmaster.pid")); err == nil {
			if out, err := c.run(30*time.Second, "pg_ctl", "stop", "-m", "immediate", "-D", c.data); err != nil {
				fmt.Fprintf(os.Stderr, "sqlstore tests: stopping PostgreSQL: %v: %s\n", err, out)
			}
		}
	}
	if c.dir != "" {
		os.RemoveAll(c.dir)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
