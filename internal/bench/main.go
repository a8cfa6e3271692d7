package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// envPostgres names the PostgreSQL server when -postgres is not given.
const envPostgres = "SIGWATCH_BENCH_POSTGRES"

// level is one size step of the grid.
type level struct {
	name string
	// n is the stack size and the advisory count of this level.
	n int
	// sources and perSource size the intake runs.
	sources, perSource int
}

var levels = []level{
	{"small", 1_000, 10, 100},
	{"medium", 10_000, 100, 100},
	{"large", 100_000, 100, 1_000},
}

var groups = []string{"parse", "triage", "intake"}

type config struct {
	sizes     string
	levels    []level
	seed      uint64
	json, md  bool
	postgres  string
	only      []string
	out       string
	benchtime time.Duration
	quiet     bool
}

func (c *config) wants(group string) bool { return slices.Contains(c.only, group) }

// parseSizes reads -sizes: "default" (small and medium), "all", or a
// comma-separated list of small, medium and large.
func parseSizes(s string) ([]level, error) {
	switch s {
	case "default", "":
		return levels[:2], nil
	case "all":
		return levels, nil
	}
	var out []level
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		i := slices.IndexFunc(levels, func(l level) bool { return l.name == part })
		if i < 0 {
			return nil, fmt.Errorf("-sizes: unknown size %q (want small, medium, large, default or all)", part)
		}
		if !slices.ContainsFunc(out, func(l level) bool { return l.name == part }) {
			out = append(out, levels[i])
		}
	}
	slices.SortFunc(out, func(a, b level) int { return a.n - b.n })
	return out, nil
}

// parseOnly reads -only: a comma-separated list of parse, triage, intake.
func parseOnly(s string) ([]string, error) {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if !slices.Contains(groups, part) {
			return nil, fmt.Errorf("-only: unknown measurement %q (want parse, triage or intake)", part)
		}
		if !slices.Contains(out, part) {
			out = append(out, part)
		}
	}
	return out, nil
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	var only string
	fs.StringVar(&c.sizes, "sizes", "default",
		"sizes to run: small (1k components, 1k advisories, 10 sources), medium (10k, 10k, 100),\n"+
			"large (100k, 100k, 100 sources of 1k); a comma list, \"default\" (small,medium) or \"all\".\n"+
			"Triage runs every components × advisories pair of the chosen sizes")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the synthetic data (same seed, same bytes)")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON")
	fs.BoolVar(&c.md, "md", false, "print the report as a Markdown table (for the README)")
	fs.StringVar(&c.postgres, "postgres", "", "also run intake on PostgreSQL: a postgres:// URL of a role that may CREATE DATABASE\n(a fresh database is made per run and dropped after); default $"+envPostgres)
	fs.StringVar(&only, "only", "parse,triage,intake", "measurements to run, a comma list of parse, triage, intake")
	fs.StringVar(&c.out, "out", "", "write the report to `FILE` instead of standard output")
	fs.DurationVar(&c.benchtime, "benchtime", time.Second, "minimum time each repeated measurement runs")
	fs.BoolVar(&c.quiet, "q", false, "no progress lines on standard error")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./internal/bench [-sizes small|medium|large|default|all] [-only parse,triage,intake]\n"+
			"                           [-seed N] [-json | -md] [-postgres URL] [-out FILE] [-benchtime D] [-q]\n\n"+
			"Measures sigwatch on synthetic data built from -seed and prints one table: parse\n"+
			"throughput, triage build and evaluation, intake cycle time on memory, SQLite and\n"+
			"PostgreSQL, memory. Every measurement is checked against what the generator planted.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	}
	var err error
	if c.levels, err = parseSizes(c.sizes); err != nil {
		return nil, err
	}
	if c.only, err = parseOnly(only); err != nil {
		return nil, err
	}
	if c.json && c.md {
		return nil, errors.New("-json and -md exclude each other")
	}
	if c.benchtime <= 0 {
		return nil, errors.New("-benchtime must be positive")
	}
	if c.postgres == "" {
		c.postgres = os.Getenv(envPostgres)
	}
	if c.postgres != "" && !strings.HasPrefix(c.postgres, "postgres://") && !strings.HasPrefix(c.postgres, "postgresql://") {
		return nil, errors.New("-postgres: want a postgres:// URL")
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		return 2
	}
	rep, err := measure(ctx, c, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		return 1
	}
	w := stdout
	var file *os.File
	if c.out != "" {
		if file, err = os.Create(c.out); err != nil {
			fmt.Fprintln(stderr, "bench:", err)
			return 1
		}
		w = file
	}
	switch {
	case c.json:
		err = writeJSON(w, rep)
	case c.md:
		err = writeMarkdown(w, rep)
	default:
		err = writeText(w, rep)
	}
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "bench: writing the report:", err)
		return 1
	}
	return 0
}

// measure runs the chosen measurements in order: parse, triage, intake.
func measure(ctx context.Context, c *config, stderr io.Writer) (*Report, error) {
	names := make([]string, len(c.levels))
	for i, l := range c.levels {
		names[i] = l.name
	}
	rep := &Report{Schema: "sigwatch.bench/v1", Started: time.Now().UTC().Truncate(time.Second), Machine: thisMachine(),
		Seed: c.seed, Sizes: strings.Join(names, ",")}
	start := time.Now()
	progress := func(format string, args ...any) {
		if !c.quiet {
			fmt.Fprintf(stderr, "bench: %6.1fs "+format+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
		}
	}
	add := func(rows []Row, err error) error {
		rep.Rows = append(rep.Rows, rows...)
		return err
	}
	if c.wants("parse") {
		for _, l := range c.levels {
			progress("parse M=%s", fmtSize(l.n))
			if err := add(benchParse(ctx, c, l.n)); err != nil {
				return nil, fmt.Errorf("parse M=%s: %w", fmtSize(l.n), err)
			}
		}
	}
	if c.wants("triage") {
		for _, ln := range c.levels {
			for _, lm := range c.levels {
				progress("triage N=%s M=%s", fmtSize(ln.n), fmtSize(lm.n))
				if err := add(benchTriage(ctx, c, ln.n, lm.n)); err != nil {
					return nil, fmt.Errorf("triage N=%s M=%s: %w", fmtSize(ln.n), fmtSize(lm.n), err)
				}
			}
		}
	}
	if c.wants("intake") {
		stores := []string{"memory", "sqlite"}
		if c.postgres != "" {
			stores = append(stores, "postgres")
		} else {
			rep.Notes = append(rep.Notes, "intake on PostgreSQL not measured: give -postgres URL or $"+envPostgres)
		}
		seen := map[[2]int]bool{}
		for _, l := range c.levels {
			if seen[[2]int{l.sources, l.perSource}] {
				continue
			}
			seen[[2]int{l.sources, l.perSource}] = true
			for _, store := range stores {
				progress("intake S=%d A=%s %s", l.sources, fmtSize(l.sources*l.perSource), store)
				if err := add(benchIntake(ctx, c, l.sources, l.perSource, store)); err != nil {
					return nil, fmt.Errorf("intake S=%d %s: %w", l.sources, store, err)
				}
			}
		}
	}
	if !resetPeakRSS() {
		rep.Notes = append(rep.Notes, "peak RSS is the process's peak so far (VmHWM could not be reset)")
	}
	rep.Notes = append(rep.Notes,
		"peak heap includes the case's inputs (stack, parsed advisories) and every result it holds",
		"per item for triage evaluation is the median over single advisories (p99 beside it); elsewhere time/run ÷ items")
	rep.Took = time.Since(start).Round(100 * time.Millisecond).String()
	progress("done")
	return rep, nil
}
