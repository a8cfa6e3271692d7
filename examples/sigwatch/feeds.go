package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/internal/textx"
)

// feedKind is a feed format that "feeds parse" and "feeds fetch" understand.
type feedKind struct {
	name    string
	summary string
	// parse reads one input: a file or, where the format has one, a
	// directory or zip. path "-" is standard input.
	parse func(ctx context.Context, path string, stdin io.Reader) (*parsedFeed, error)
	// source returns a live source for url (url "" means the kind's
	// default, when it has one). Nil when the kind cannot be fetched.
	source func(url string, c *feedhttp.Client) (feeds.Source, error)
}

// parsedFeed is what a kind's parser returns.
type parsedFeed struct {
	advisories []feeds.Advisory
	warnings   []string
	// describe is a short description of the feed for the count line.
	describe string
}

// feedKinds returns the known kinds. Add new adapters here.
func feedKinds() []feedKind {
	return append([]feedKind{
		{name: "kev", summary: "CISA Known Exploited Vulnerabilities catalog (JSON)", parse: stream(parseKEV),
			source: func(url string, c *feedhttp.Client) (feeds.Source, error) {
				return kevfeed.New(&kevfeed.Options{URL: url, HTTP: c}), nil
			}},
	}, moreKinds()...)
}

func kindNames() []string {
	var names []string
	for _, k := range feedKinds() {
		names = append(names, k.name)
	}
	return names
}

// stream adapts a parser of one byte stream to a kind's parse function:
// directories are refused.
func stream(parse func(r io.Reader, name string) (*parsedFeed, error)) func(context.Context, string, io.Reader) (*parsedFeed, error) {
	return func(ctx context.Context, path string, stdin io.Reader) (*parsedFeed, error) {
		r, name, closeInput, err := openInput(path, stdin)
		if err != nil {
			return nil, err
		}
		defer closeInput()
		return parse(r, name)
	}
}

func lookupKind(name string) (*feedKind, error) {
	if name == "" {
		return nil, usagef("--kind is required (known kinds: %s)", strings.Join(kindNames(), ", "))
	}
	for _, k := range feedKinds() {
		if k.name == name {
			return &k, nil
		}
	}
	return nil, usagef("unknown feed kind %q (known kinds: %s)", name, strings.Join(kindNames(), ", "))
}

func parseKEV(r io.Reader, name string) (*parsedFeed, error) {
	cat, err := kevfeed.Parse(r, name)
	if err != nil {
		return nil, err
	}
	parts := []string{"CISA KEV"}
	if t := strings.TrimSpace(cat.Title); t != "" {
		parts[0] = t
	}
	if v := strings.TrimSpace(cat.Version); v != "" {
		parts = append(parts, "catalogVersion "+v)
	}
	if !cat.Released.IsZero() {
		parts = append(parts, "released "+cat.Released.Format(time.RFC3339Nano))
	}
	return &parsedFeed{advisories: cat.Advisories, warnings: cat.Warnings, describe: strings.Join(parts, ", ")}, nil
}

func kindList() string {
	var kinds []string
	for _, k := range feedKinds() {
		kinds = append(kinds, fmt.Sprintf("  %-6s %s", k.name, k.summary))
	}
	return strings.Join(kinds, "\n")
}

func feedsParseCommand() command {
	return command{
		name:    "feeds parse",
		args:    "--kind KIND [--json] PATH...",
		summary: "parse downloaded feed files and print their advisories",
		help: `Parse downloaded feed files and print their advisories: a table (ID, date,
due date, ransomware use, vendor, product, name) followed by a count, or with
--json one indented JSON array of normalised advisories from all inputs. PATH
"-" reads standard input; a directory or zip is accepted where the format has
one. Problems that do not stop parsing (such as a count that does not match
the entries) are printed as warnings on standard error.

Kinds:
` + kindList(),
		setup: func(fs *flag.FlagSet) runFunc {
			kind := fs.String("kind", "", "feed `format`, one of: "+strings.Join(kindNames(), ", ")+" (required)")
			asJSON := fs.Bool("json", false, "print the advisories as a JSON array")
			return func(ctx context.Context, e *env, args []string) error {
				return feedsParse(ctx, e, *kind, *asJSON, args)
			}
		},
	}
}

func feedsParse(ctx context.Context, e *env, kindName string, asJSON bool, args []string) error {
	kind, err := lookupKind(kindName)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return usagef("want at least one PATH (or - for standard input)")
	}
	if slices.Contains(args, "-") && len(args) > 1 {
		return usagef("standard input (-) cannot be combined with other paths")
	}
	all := &parsedFeed{}
	var described []string
	for _, path := range args {
		if err := ctx.Err(); err != nil {
			return err
		}
		feed, err := kind.parse(ctx, path, e.stdin)
		if err != nil {
			return err
		}
		name := path
		if path == "-" {
			name = "<stdin>"
		}
		for _, w := range feed.warnings {
			fmt.Fprintf(e.stderr, "sigwatch: warning: %s: %s\n", name, textx.OneLine(w))
		}
		all.advisories = append(all.advisories, feed.advisories...)
		described = append(described, feed.describe)
	}
	all.describe = strings.Join(described, "; ")
	if asJSON {
		return writeJSON(e.stdout, all.advisories)
	}
	return writeTable(e.stdout, all)
}

// openInput opens path for reading, or returns stdin for "-". name is the
// input's name for messages.
func openInput(path string, stdin io.Reader) (r io.Reader, name string, closeFn func(), err error) {
	if path == "-" {
		if stdin == nil {
			return nil, "", nil, fmt.Errorf("no standard input")
		}
		return stdin, "<stdin>", func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, "", nil, fmt.Errorf("%s: is a directory, not a feed file", path)
	}
	return f, path, func() { f.Close() }, nil
}

func writeJSON(w io.Writer, advisories []feeds.Advisory) error {
	if advisories == nil {
		advisories = []feeds.Advisory{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(advisories); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

func writeTable(w io.Writer, feed *parsedFeed) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tADDED\tDUE\tRANSOMWARE\tVENDOR\tPRODUCT\tNAME")
	for i := range feed.advisories {
		a := &feed.advisories[i]
		added, due, ransomware := day(a.Published), "-", "-"
		if k := a.Exploitation.KEV; k != nil {
			added, due, ransomware = day(k.DateAdded), day(k.DueDate), k.RansomwareUse
		}
		vendor, product := "-", "-"
		if len(a.Affected) > 0 {
			af := a.Affected[0]
			vendor, product = af.Vendor, af.Product
			if vendor == "" {
				vendor = af.Ecosystem
			}
			if product == "" {
				product = af.Package
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			cell(a.ID, 0), added, due, cell(ransomware, 0), cell(vendor, 30), cell(product, 40), cell(a.Title, 0))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	noun := "advisories"
	if len(feed.advisories) == 1 {
		noun = "advisory"
	}
	if _, err := fmt.Fprintf(w, "%d %s (%s)\n", len(feed.advisories), noun, textx.OneLine(feed.describe)); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateOnly)
}

// cell prepares feed text for one table cell: trimmed, control characters
// (tabs, newlines, escape sequences) replaced, cut to max runes with "…"
// when max > 0, and "-" when empty.
func cell(s string, max int) string {
	s = strings.TrimSpace(textx.OneLine(s))
	if s == "" {
		return "-"
	}
	if max > 0 && utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:max-1])) + "…"
	}
	return s
}
