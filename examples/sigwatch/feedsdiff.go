package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/internal/textx"
)

func feedsDiffCommand() command {
	return command{
		name:    "feeds diff",
		args:    "--kind kev [--json] OLD NEW",
		summary: "compare two releases of a catalog: added, removed, changed",
		help: `Compare two releases of a catalog entry by entry. CISA revises KEV entries in
place (a ransomware flag flips from Unknown to Known, notes gain links), so
the output lists the changed field names of entries present in both, besides
the added and removed IDs. With --json it prints
{"from":…,"to":…,"added":[…],"removed":[…],"changed":[{"id":…,"fields":[…]}]}.

Kinds: kev.`,
		setup: func(fs *flag.FlagSet) runFunc {
			kind := fs.String("kind", "", "catalog `format` (required; only kev)")
			asJSON := fs.Bool("json", false, "print the difference as JSON")
			return func(ctx context.Context, e *env, args []string) error {
				return feedsDiff(ctx, e, *kind, *asJSON, args)
			}
		},
	}
}

func feedsDiff(ctx context.Context, e *env, kind string, asJSON bool, args []string) error {
	switch kind {
	case "kev":
	case "":
		return usagef("--kind is required (only kev can be compared)")
	default:
		return usagef("cannot compare feeds of kind %q (only kev)", kind)
	}
	if len(args) != 2 {
		return usagef("want OLD and NEW catalog files, got %d arguments", len(args))
	}
	if args[0] == "-" && args[1] == "-" {
		return usagef("OLD and NEW cannot both be standard input")
	}
	var cats [2]*kevfeed.Catalog
	for i, path := range args {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, name, closeInput, err := openInput(path, e.stdin)
		if err != nil {
			return err
		}
		cats[i], err = kevfeed.Parse(r, name)
		closeInput()
		if err != nil {
			return err
		}
	}
	d := kevfeed.Diff(cats[0], cats[1])
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(d); err != nil {
			return fmt.Errorf("write JSON: %w", err)
		}
		return nil
	}
	fmt.Fprintf(e.stdout, "%s -> %s: %d added, %d removed, %d changed\n", orDash(d.From), orDash(d.To), len(d.Added), len(d.Removed), len(d.Changed))
	for _, id := range d.Added {
		fmt.Fprintf(e.stdout, "+ %s\n", cell(id, 0))
	}
	for _, id := range d.Removed {
		fmt.Fprintf(e.stdout, "- %s\n", cell(id, 0))
	}
	for _, c := range d.Changed {
		fmt.Fprintf(e.stdout, "~ %s: %s\n", cell(c.ID, 0), strings.Join(c.Fields, ", "))
	}
	return nil
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return textx.OneLine(s)
}
