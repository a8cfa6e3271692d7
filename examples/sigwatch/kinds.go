package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/csaffeed"
	"github.com/sigwatch/sigwatch/feeds/cve5feed"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/osvfeed"
	"github.com/sigwatch/sigwatch/feeds/rssfeed"
)

// moreKinds are the adapters beyond KEV, in the order help lists them.
func moreKinds() []feedKind {
	return []feedKind{
		{name: "rss", summary: "RSS 2.0, RSS 1.0 (RDF), Atom or JSON Feed (format detected from content)",
			parse: stream(func(r io.Reader, name string) (*parsedFeed, error) { return parseRSS(r, name, nil) }),
			source: func(url string, c *feedhttp.Client) (feeds.Source, error) {
				return rssfeed.New(&rssfeed.Options{URL: url, HTTP: c}), nil
			}},
		{name: "ncsc", summary: "UK NCSC RSS feed (all content unless a URL names another)",
			parse: stream(func(r io.Reader, name string) (*parsedFeed, error) {
				p, _ := rssfeed.LookupPreset(rssfeed.DefaultPreset)
				return parseRSS(r, name, &rssfeed.ParseOptions{SourceName: p.Name, Publisher: p.Publisher, Vendor: p.Vendor, Rules: p.Rules})
			}),
			source: func(url string, c *feedhttp.Client) (feeds.Source, error) {
				return rssfeed.FromPreset(rssfeed.DefaultPreset, &rssfeed.Options{URL: url, HTTP: c})
			}},
		{name: "csaf", summary: "CSAF 2.0 documents (a file or a directory); fetch: provider-metadata, ROLIE feed or directory URL",
			parse: parseCSAF,
			source: func(url string, c *feedhttp.Client) (feeds.Source, error) {
				return csaffeed.New(&csaffeed.Options{URL: url, HTTP: c}), nil
			}},
		{name: "osv", summary: "OSV records (a file, a directory or an ecosystem all.zip)",
			parse: parseOSV,
			source: func(url string, c *feedhttp.Client) (feeds.Source, error) {
				return osvfeed.New(&osvfeed.Options{URL: url, HTTP: c}), nil
			}},
		{name: "cve5", summary: "CVE JSON 5.x records (a file or a cvelistV5-style directory)",
			parse: parseCVE5},
	}
}

func parseRSS(r io.Reader, name string, opts *rssfeed.ParseOptions) (*parsedFeed, error) {
	f, err := rssfeed.ParseWith(r, name, opts)
	if err != nil {
		return nil, err
	}
	desc := fmt.Sprintf("%s feed", f.Format)
	if t := strings.TrimSpace(f.Title); t != "" {
		desc = fmt.Sprintf("%s, %s feed", t, f.Format)
	}
	return &parsedFeed{advisories: f.Advisories, warnings: f.Warnings, describe: desc}, nil
}

// isDir reports whether path names a directory ("-" never does).
func isDir(path string) bool {
	if path == "-" {
		return false
	}
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// firstErrors joins up to three errors, saying how many more there were.
func firstErrors(errs []error) error {
	if len(errs) <= 3 {
		return errors.Join(errs...)
	}
	return fmt.Errorf("%w; and %d more files failed", errors.Join(errs[:3]...), len(errs)-3)
}

func parseCSAF(ctx context.Context, path string, stdin io.Reader) (*parsedFeed, error) {
	if !isDir(path) {
		return stream(func(r io.Reader, name string) (*parsedFeed, error) {
			d, err := csaffeed.Parse(r, name)
			if err != nil {
				return nil, err
			}
			return &parsedFeed{advisories: d.Advisories, warnings: d.Warnings, describe: "CSAF " + d.ID}, nil
		})(ctx, path, stdin)
	}
	res, err := csaffeed.ParseFS(ctx, os.DirFS(path), ".", nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(res.Errors) > 0 {
		return nil, fmt.Errorf("%s: %w", path, firstErrors(res.Errors))
	}
	out := &parsedFeed{describe: fmt.Sprintf("%d CSAF documents in %s, %d other files skipped", len(res.Documents), path, len(res.Skipped))}
	for _, d := range res.Documents {
		out.advisories = append(out.advisories, d.Advisories...)
		for _, w := range d.Warnings {
			out.warnings = append(out.warnings, d.Name+": "+w)
		}
	}
	return out, nil
}

func parseOSV(ctx context.Context, path string, stdin io.Reader) (*parsedFeed, error) {
	switch {
	case isDir(path):
		db, err := osvfeed.ParseFS(ctx, os.DirFS(path), ".", nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return &parsedFeed{advisories: db.Advisories, warnings: db.Warnings, describe: fmt.Sprintf("%d OSV records in %s", len(db.Advisories), path)}, nil
	case strings.EqualFold(filepath.Ext(path), ".zip"):
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil, err
		}
		db, err := osvfeed.ParseZip(ctx, f, st.Size(), path, nil)
		if err != nil {
			return nil, err
		}
		return &parsedFeed{advisories: db.Advisories, warnings: db.Warnings, describe: fmt.Sprintf("%d OSV records in %s", len(db.Advisories), path)}, nil
	}
	return stream(func(r io.Reader, name string) (*parsedFeed, error) {
		rec, err := osvfeed.Parse(r, name)
		if err != nil {
			return nil, err
		}
		return &parsedFeed{advisories: []feeds.Advisory{rec.Advisory}, warnings: rec.Warnings, describe: "OSV " + rec.Advisory.ID}, nil
	})(ctx, path, stdin)
}

func parseCVE5(ctx context.Context, path string, stdin io.Reader) (*parsedFeed, error) {
	if isDir(path) {
		set, err := cve5feed.ParseFS(ctx, os.DirFS(path), ".")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return &parsedFeed{advisories: set.Advisories(), warnings: set.Warnings, describe: fmt.Sprintf("%d CVE records in %s", len(set.Records), path)}, nil
	}
	return stream(func(r io.Reader, name string) (*parsedFeed, error) {
		rec, err := cve5feed.Parse(r, name)
		if err != nil {
			return nil, err
		}
		return &parsedFeed{advisories: []feeds.Advisory{rec.Advisory}, warnings: rec.Warnings, describe: "CVE record " + rec.Advisory.ID}, nil
	})(ctx, path, stdin)
}

// rssPresets lists rssfeed's presets as named sources for "feeds fetch".
func rssPresets() []namedSource {
	var out []namedSource
	for _, p := range rssfeed.Presets() {
		name := p.Name
		summary := p.Title
		if !p.Verified {
			summary += " (unverified structure)"
		}
		out = append(out, namedSource{name: name, summary: summary, make: func(c *feedhttp.Client) (feeds.Source, error) {
			return rssfeed.FromPreset(name, &rssfeed.Options{HTTP: c})
		}})
	}
	return out
}
