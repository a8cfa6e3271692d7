package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/internal/textx"
)

// namedSource is a live source "feeds fetch" knows by name.
type namedSource struct {
	name    string
	summary string
	make    func(c *feedhttp.Client) (feeds.Source, error)
}

// namedSources returns the sources "feeds fetch NAME" accepts. Add new
// presets here.
func namedSources() []namedSource {
	out := []namedSource{
		{name: "cisa-kev", summary: "CISA Known Exploited Vulnerabilities catalog", make: func(c *feedhttp.Client) (feeds.Source, error) {
			return kindSource("kev", "", c)
		}},
	}
	out = append(out, rssPresets()...)
	slices.SortFunc(out, func(a, b namedSource) int { return strings.Compare(a.name, b.name) })
	return out
}

func kindSource(kind, rawURL string, c *feedhttp.Client) (feeds.Source, error) {
	k, err := lookupKind(kind)
	if err != nil {
		return nil, err
	}
	if k.source == nil {
		return nil, usagef("feeds of kind %q cannot be fetched", kind)
	}
	return k.source(rawURL, c)
}

func feedsFetchCommand() command {
	var names []string
	for _, n := range namedSources() {
		names = append(names, fmt.Sprintf("  %-20s %s", n.name, n.summary))
	}
	return command{
		name:    "feeds fetch",
		args:    "[--kind KIND] [--json] [--timeout D] NAME|URL",
		summary: "fetch a live feed and print its advisories and fetch health",
		help: `Fetch a feed over HTTP with sigwatch's HTTP layer (retries honouring
Retry-After, gzip, size cap) and print its advisories as "feeds parse" does,
then one line per HTTP request on standard error: status, bytes, time,
attempts. NAME is a known source; a URL needs --kind.

Known sources:
` + strings.Join(names, "\n"),
		setup: func(fs *flag.FlagSet) runFunc {
			kind := fs.String("kind", "", "feed `format` of a URL: "+strings.Join(kindNames(), ", "))
			asJSON := fs.Bool("json", false, "print the advisories as a JSON array")
			timeout := fs.Duration("timeout", 2*time.Minute, "give up after this `duration`")
			return func(ctx context.Context, e *env, args []string) error {
				return feedsFetch(ctx, e, *kind, *asJSON, *timeout, args)
			}
		},
	}
}

func feedsFetch(ctx context.Context, e *env, kind string, asJSON bool, timeout time.Duration, args []string) error {
	if len(args) != 1 {
		return usagef("want one source NAME or URL, got %d arguments", len(args))
	}
	target := args[0]
	client := feedhttp.New(nil)
	var src feeds.Source
	var err error
	if u, perr := url.Parse(target); perr == nil && (u.Scheme == "http" || u.Scheme == "https") {
		if kind == "" {
			return usagef("--kind is required with a URL (known kinds: %s)", strings.Join(kindNames(), ", "))
		}
		src, err = kindSource(kind, target, client)
	} else {
		if kind != "" {
			return usagef("--kind applies to URLs; %q is a source name", target)
		}
		named := namedSources()
		i := slices.IndexFunc(named, func(n namedSource) bool { return n.name == target })
		if i < 0 {
			return usagef("unknown source %q; run 'sigwatch help feeds fetch' for the list", target)
		}
		src, err = named[i].make(client)
	}
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var mu sync.Mutex
	ctx = feeds.WithFetchObserver(ctx, func(fi feeds.FetchInfo) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(e.stderr, "sigwatch: %s\n", describeFetch(fi))
	})
	advs, err := src.Fetch(ctx)
	if errors.Is(err, feeds.ErrNotModified) {
		err = nil
	}
	if err != nil {
		return err
	}
	feed := &parsedFeed{advisories: advs, describe: src.Name()}
	if asJSON {
		return writeJSON(e.stdout, feed.advisories)
	}
	return writeTable(e.stdout, feed)
}

func describeFetch(fi feeds.FetchInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s", fi.URL)
	if fi.FinalURL != "" {
		fmt.Fprintf(&b, " -> %s", fi.FinalURL)
	}
	if fi.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d", fi.StatusCode)
	}
	if fi.NotModified {
		b.WriteString(" (not modified)")
	} else if fi.Error == "" {
		fmt.Fprintf(&b, ", %d bytes", fi.Bytes)
		if fi.WireBytes > 0 && fi.WireBytes != fi.Bytes {
			fmt.Fprintf(&b, " (%d on the wire)", fi.WireBytes)
		}
	}
	fmt.Fprintf(&b, " in %v", fi.Duration.Round(time.Millisecond))
	if fi.Attempts > 1 {
		fmt.Fprintf(&b, ", %d attempts", fi.Attempts)
	}
	if fi.Error != "" {
		fmt.Fprintf(&b, ": %s", fi.Error)
	}
	return textx.OneLine(b.String())
}
