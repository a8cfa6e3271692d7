package triage_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/triage"
)

// Synthetic data for the benchmarks, shaped like real inventories and
// feeds: most components are language packages identified by purl, the
// rest appliances and applications named by vendor and product; most
// advisories are OSV-style package records with ranges, then CVE 5-style
// vendor/product records with ranges, KEV-style listings without
// versions, and a few text-only feed items. About one advisory in five
// names something the stack has.

var ecosystems = []struct{ eco, purlType string }{
	{"Go", "golang"}, {"npm", "npm"}, {"PyPI", "pypi"}, {"Maven", "maven"}, {"crates.io", "cargo"},
}

func pkgName(eco string, i int) string {
	switch eco {
	case "Go":
		return fmt.Sprintf("github.com/org%d/mod%d", i%500, i)
	case "Maven":
		return fmt.Sprintf("org.example%d:artifact%d", i%300, i)
	}
	return fmt.Sprintf("package-%d", i)
}

func pkgPURL(eco, typ string, i int, version string) string {
	switch eco {
	case "Go":
		return fmt.Sprintf("pkg:golang/github.com/org%d/mod%d@v%s", i%500, i, version)
	case "Maven":
		return fmt.Sprintf("pkg:maven/org.example%d/artifact%d@%s", i%300, i, version)
	}
	return fmt.Sprintf("pkg:%s/package-%d@%s", typ, i, version)
}

func synthStack(n int, seed uint64) *triage.Stack {
	r := rand.New(rand.NewPCG(seed, 1))
	st := &triage.Stack{Components: make([]triage.Component, 0, n)}
	exposures := []triage.Exposure{triage.ExposureInternet, triage.ExposureInternal, triage.ExposureIsolated}
	for i := range n {
		c := triage.Component{ID: fmt.Sprintf("c%d", i), Owner: fmt.Sprintf("team%d", r.IntN(40)),
			Exposure: exposures[r.IntN(3)], Criticality: triage.CriticalityMedium}
		version := fmt.Sprintf("%d.%d.%d", r.IntN(5), r.IntN(20), r.IntN(30))
		if i%10 < 7 {
			e := ecosystems[r.IntN(len(ecosystems))]
			c.PURL = pkgPURL(e.eco, e.purlType, r.IntN(5*n), version)
		} else {
			c.Vendor = fmt.Sprintf("Vendor %d", r.IntN(n/20+1))
			c.Product = fmt.Sprintf("Product %d", r.IntN(n/4+1))
			c.Version = version
		}
		st.Components = append(st.Components, c)
	}
	return st
}

func synthAdvisories(n, stackSize int, seed uint64) []feeds.Advisory {
	r := rand.New(rand.NewPCG(seed, 2))
	out := make([]feeds.Advisory, 0, n)
	for i := range n {
		a := feeds.Advisory{ID: fmt.Sprintf("CVE-2026-%06d", i), Source: "synthetic", Title: "Synthetic advisory",
			Severity: feeds.SeverityHigh, Scores: []feeds.Score{{Type: "CVSS_V3", Value: float64(r.IntN(100)) / 10}}}
		lo := fmt.Sprintf("%d.%d.0", r.IntN(5), r.IntN(20))
		hi := fmt.Sprintf("%d.%d.%d", r.IntN(5), r.IntN(20), r.IntN(30))
		switch k := r.IntN(20); {
		case k < 12: // OSV package record
			e := ecosystems[r.IntN(len(ecosystems))]
			a.Affected = []feeds.Affected{{Ecosystem: e.eco, Package: pkgName(e.eco, r.IntN(5*stackSize)),
				Ranges: []feeds.Range{{Type: "ECOSYSTEM", Events: []feeds.Event{{Introduced: "0"}, {Fixed: hi}}}}}}
		case k < 18: // CVE 5 vendor record
			a.Affected = []feeds.Affected{{Vendor: fmt.Sprintf("Vendor %d", r.IntN(stackSize/20+1)),
				Product: fmt.Sprintf("Product %d", r.IntN(stackSize/4+1)), Status: feeds.StatusAffected,
				DefaultStatus: feeds.StatusNotAffected,
				Ranges:        []feeds.Range{{Type: "custom", Events: []feeds.Event{{Introduced: lo}, {Fixed: hi}}}}}}
		case k < 19: // KEV listing
			a.Affected = []feeds.Affected{{Vendor: fmt.Sprintf("Vendor %d", r.IntN(stackSize/20+1)),
				Product: fmt.Sprintf("Product %d", r.IntN(stackSize/4+1))}}
			a.Exploitation.KEV = &feeds.KEVListing{DateAdded: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
				DueDate: time.Date(2026, 1, 23, 0, 0, 0, 0, time.UTC), RansomwareUse: "Unknown"}
		default: // feed item without product data
			a.Summary = fmt.Sprintf("Vendor %d fixes issues in Product %d.", r.IntN(stackSize/20+1), r.IntN(stackSize/4+1))
		}
		out = append(out, a)
	}
	return out
}

func benchEngine(b *testing.B, components int) *triage.Engine {
	b.Helper()
	e, err := triage.New(synthStack(components, 7), &triage.Options{Now: now})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkEvaluateOne is one new advisory against stacks of growing size:
// the index keeps it flat (target: under 1 ms at 100,000 components).
func BenchmarkEvaluateOne(b *testing.B) {
	for _, size := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("components=%d", size), func(b *testing.B) {
			e := benchEngine(b, size)
			advs := synthAdvisories(1000, size, 11)
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				_ = e.Evaluate(&advs[i%len(advs)])
				i++
			}
		})
	}
}

// BenchmarkTriageFull triages 100,000 advisories against 10,000 components
// and keeps every result, as a run does (targets: under 2 s, under 300 MB).
// peak-MB is the live heap after the run with all results held; build-ms
// the engine's construction.
func BenchmarkTriageFull(b *testing.B) {
	if testing.Short() {
		b.Skip("full triage benchmark skipped in -short mode")
	}
	st := synthStack(10_000, 7)
	advs := synthAdvisories(100_000, 10_000, 13)
	b.ReportAllocs()
	var peak uint64
	matched := 0
	for b.Loop() {
		start := time.Now()
		e, err := triage.New(st, &triage.Options{Now: now})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "build-ms")
		results := make([]triage.Result, len(advs))
		for i := range advs {
			results[i] = e.Evaluate(&advs[i])
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
		matched = 0
		for i := range results {
			matched += len(results[i].Matches)
		}
		runtime.KeepAlive(results)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	b.ReportMetric(float64(matched), "matches")
}
