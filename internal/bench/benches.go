package main

// The parse and triage measurements, each with its correctness guard.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/feeds/osvfeed"
	"github.com/sigwatch/sigwatch/triage"
)

// benchNow is the triage clock: due dates and ages are deterministic.
var benchNow = time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)

// errGuard marks a failed correctness guard: the run measured something
// other than what it was meant to.
var errGuard = errors.New("correctness guard failed")

func guardf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errGuard}, args...)...)
}

// parseFeed parses every document of f with the real parsers and checks
// the planted counts: every entry and record, no warnings.
func parseFeed(f *Feed) ([]feeds.Advisory, error) {
	cat, err := kevfeed.Parse(bytes.NewReader(f.KEV), "synthetic-kev.json")
	if err != nil {
		return nil, guardf("generated KEV catalog does not parse: %v", err)
	}
	if len(cat.Advisories) != len(f.KEVIDs) || len(cat.Warnings) > 0 {
		return nil, guardf("KEV catalog: %d advisories (want %d), warnings %q", len(cat.Advisories), len(f.KEVIDs), cat.Warnings)
	}
	out := make([]feeds.Advisory, 0, len(f.KEVIDs)+len(f.OSVIDs))
	out = append(out, cat.Advisories...)
	for i, b := range f.OSV {
		rec, err := osvfeed.Parse(bytes.NewReader(b), f.OSVIDs[i]+".json")
		if err != nil {
			return nil, guardf("generated OSV record does not parse: %v", err)
		}
		if rec.Advisory.ID != f.OSVIDs[i] || len(rec.Warnings) > 0 {
			return nil, guardf("OSV record %s: parsed as %s with warnings %q", f.OSVIDs[i], rec.Advisory.ID, rec.Warnings)
		}
		out = append(out, rec.Advisory)
	}
	return out, nil
}

// benchParse measures the KEV and OSV parsers on m generated advisories.
func benchParse(ctx context.Context, c *config, m int) ([]Row, error) {
	st := GenStack(c.seed, 1000)
	f := GenFeed(c.seed, st, m)
	kevBytes, osvBytes := f.Bytes()
	size := fmt.Sprintf("M=%s", fmtSize(m))
	var rows []Row

	n := 0
	peak := startPeak()
	s, err := loop(ctx, c.benchtime, 1, 0, true, func() error {
		cat, err := kevfeed.Parse(bytes.NewReader(f.KEV), "synthetic-kev.json")
		if err != nil {
			return guardf("KEV catalog does not parse: %v", err)
		}
		n = len(cat.Advisories)
		return nil
	})
	heap, rss := peak.end()
	if err != nil {
		return nil, err
	}
	if n != len(f.KEVIDs) {
		return nil, guardf("KEV catalog: parsed %d advisories, generated %d", n, len(f.KEVIDs))
	}
	rows = append(rows, rateRow("parse", "KEV catalog (JSON)", size, s, len(f.KEVIDs), kevBytes,
		fmt.Sprintf("ok: %d entries", n)))
	rows[0].PeakHeap, rows[0].PeakRSS = heap, rss

	n = 0
	peak = startPeak()
	s, err = loop(ctx, c.benchtime, 1, 0, true, func() error {
		n = 0
		for i, b := range f.OSV {
			rec, err := osvfeed.Parse(bytes.NewReader(b), "x.json")
			if err != nil {
				return guardf("OSV record %d does not parse: %v", i, err)
			}
			if rec.Advisory.ID == f.OSVIDs[i] {
				n++
			}
		}
		return nil
	})
	heap, rss = peak.end()
	if err != nil {
		return nil, err
	}
	if n != len(f.OSVIDs) {
		return nil, guardf("OSV: %d of %d records parsed with their ID", n, len(f.OSVIDs))
	}
	rows = append(rows, rateRow("parse", "OSV records (JSON)", size, s, len(f.OSVIDs), osvBytes,
		fmt.Sprintf("ok: %d records", n)))
	rows[1].PeakHeap, rows[1].PeakRSS = heap, rss
	return rows, nil
}

// rateRow is a row for items processed per run, with bytes for MB/s.
func rateRow(group, name, size string, s sample, items, bytes int, check string) Row {
	r := Row{Group: group, Case: name, Size: size, Runs: s.runs, Items: items, PerRun: s.perRun(), Check: check}
	if items > 0 && r.PerRun > 0 {
		r.PerItem = r.PerRun / time.Duration(items)
		r.ItemsPerSec = float64(items) / r.PerRun.Seconds()
		r.MBPerSec = float64(bytes) / 1e6 / r.PerRun.Seconds()
		r.AllocsPerItem = float64(s.allocs) / float64(s.runs) / float64(items)
		r.BytesPerItem = float64(s.bytes) / float64(s.runs) / float64(items)
	}
	return r
}

// classify says what triage found for one advisory, in the generator's
// terms.
func classify(r *triage.Result) Expect {
	if len(r.Matches) == 0 {
		return ExpectMiss
	}
	for i := range r.Matches {
		if v := r.Matches[i].Verdict; v == triage.VerdictAffected || v == triage.VerdictNeedsReview {
			return ExpectHit
		}
	}
	return ExpectFixed
}

// checkTriage compares the results with what the generator planted.
func checkTriage(f *Feed, results []triage.Result) (string, error) {
	var got [3]int
	var bad []string
	for i := range results {
		r := &results[i]
		k := classify(r)
		got[k]++
		if want := f.Expect[r.AdvisoryID]; want != k && len(bad) < 3 {
			bad = append(bad, fmt.Sprintf("%s: planted %s, triage found %s", r.AdvisoryID, want, k))
		}
	}
	if len(bad) > 0 || got[ExpectHit] != f.Hits || got[ExpectFixed] != f.Fixed || len(results) != len(f.Expect) {
		return "", guardf("triage found %d hits, %d fixed in %d results; planted %d hits, %d fixed in %d advisories; first differences: %q",
			got[ExpectHit], got[ExpectFixed], len(results), f.Hits, f.Fixed, len(f.Expect), bad)
	}
	return fmt.Sprintf("ok: %d hit, %d fixed as planted", got[ExpectHit], got[ExpectFixed]), nil
}

// benchTriage measures building the engine over n components and
// evaluating m advisories.
func benchTriage(ctx context.Context, c *config, n, m int) ([]Row, error) {
	st := GenStack(c.seed, n)
	f := GenFeed(c.seed, st, m)
	advs, err := parseFeed(f)
	if err != nil {
		return nil, err
	}
	size := fmt.Sprintf("N=%s M=%s", fmtSize(n), fmtSize(m))
	opts := &triage.Options{Now: func() time.Time { return benchNow }}

	var eng *triage.Engine
	peak := startPeak()
	s, err := loop(ctx, c.benchtime, 1, 0, n < 100_000, func() error {
		e, err := triage.New(st.Stack, opts)
		eng = e
		return err
	})
	heap, rss := peak.end()
	if err != nil {
		return nil, fmt.Errorf("building the engine: %w", err)
	}
	gaps := eng.Coverage()
	if len(gaps) > 0 {
		return nil, guardf("the engine cannot check %d generated components, first: %s: %s", len(gaps), gaps[0].ID, gaps[0].Reason)
	}
	build := rateRow("triage", "build engine (per component)", size, s, n, 0, "ok: no coverage gaps")
	build.MBPerSec = 0
	build.PeakHeap, build.PeakRSS = heap, rss

	// The guarded run, also the peak-heap run: every result kept, as a
	// pipeline run holds them.
	peak = startPeak()
	results := make([]triage.Result, len(advs))
	for i := range advs {
		results[i] = eng.Evaluate(&advs[i])
	}
	heap, rss = peak.end()
	check, err := checkTriage(f, results)
	if err != nil {
		return nil, err
	}
	results = nil

	s, err = loop(ctx, c.benchtime, 1, 0, false, func() error {
		res := make([]triage.Result, len(advs))
		for i := range advs {
			res[i] = eng.Evaluate(&advs[i])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	eval := rateRow("triage", "evaluate all advisories", size, s, m, 0, check)
	eval.MBPerSec = 0
	eval.PeakHeap, eval.PeakRSS = heap, rss

	// Each advisory alone, for the median and the tail.
	durs := make([]time.Duration, len(advs))
	for i := range advs {
		t := time.Now()
		_ = eng.Evaluate(&advs[i])
		durs[i] = time.Since(t)
	}
	slices.Sort(durs)
	eval.PerItem = durs[len(durs)/2]
	eval.P99 = durs[len(durs)*99/100]
	return []Row{build, eval}, nil
}
