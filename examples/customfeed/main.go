package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

//go:embed testdata/feed
var bundled embed.FS

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("customfeed", flag.ContinueOnError)
	fl.SetOutput(stderr)
	feedURL := fl.String("url", "", "base `URL` of a MISP feed (the directory holding manifest.json); empty serves the bundled synthetic feed on loopback")
	name := fl.String("name", "example-isac", "source `name`, as the register's channel refers to it")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "customfeed: unexpected arguments %q\n", fl.Args())
		return 2
	}
	base := *feedURL
	if base == "" {
		sub, err := fs.Sub(bundled, "testdata/feed")
		if err != nil {
			fmt.Fprintf(stderr, "customfeed: %v\n", err)
			return 1
		}
		srv := httptest.NewServer(http.FileServerFS(sub))
		defer srv.Close()
		base = srv.URL
	}

	src := NewSource(*name, base, feedhttp.New(nil))
	var health []feeds.FetchInfo
	advs, err := src.Fetch(feeds.WithFetchObserver(ctx, func(fi feeds.FetchInfo) { health = append(health, fi) }))
	if err != nil && !errors.Is(err, feeds.ErrNotModified) {
		fmt.Fprintf(stderr, "customfeed: %v\n", err)
		return 1
	}
	for _, a := range advs {
		fmt.Fprintf(stdout, "%s  %s  %-6s  %-5s  %s\n", a.ID, a.Published.Format("2006-01-02"), orDash(string(a.Severity)), orDash(string(a.TLP)), a.Title)
		if len(a.Related) > 0 {
			fmt.Fprintf(stdout, "    CVEs: %s\n", strings.Join(a.Related, ", "))
		}
	}
	var bytes int64
	for _, fi := range health {
		bytes += fi.Bytes
	}
	fmt.Fprintf(stdout, "%d advisories from %s (%d requests, %d bytes)\n", len(advs), src.Name(), len(health), bytes)
	return 0
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
