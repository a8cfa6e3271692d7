package triage_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/csaffeed"
	"github.com/sigwatch/sigwatch/feeds/cve5feed"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/feeds/osvfeed"
	"github.com/sigwatch/sigwatch/triage"
)

// The expected results in testdata/realdata were computed independently of
// this package: flux_osv.py walks the OSV events with its own SemVer code,
// and the appliance and CSAF pairs were decided by hand from the raw
// records (derivations in testdata/realdata/README.md).

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestFluxSBOMAgainstGoOSV: every (module, version, advisory) that the Go
// vulnerability database's ranges include, and nothing else.
func TestFluxSBOMAgainstGoOSV(t *testing.T) {
	var want struct {
		Summary struct {
			Hits int `json:"hits"`
		} `json:"summary"`
		Hits []struct {
			Module, Version, Advisory string
		} `json:"hits"`
		NonHits []struct {
			Module, Version, Advisory string
		} `json:"non_hits"`
	}
	readJSON(t, "testdata/realdata/flux_osv_expected.json", &want)
	if len(want.Hits) != want.Summary.Hits || len(want.Hits) != 89 {
		t.Fatalf("oracle has %d hits (summary %d), want 89", len(want.Hits), want.Summary.Hits)
	}
	stack, err := triage.LoadStack("testdata/stack/flux_0.26.3_sbom.spdx.json")
	if err != nil {
		t.Fatal(err)
	}
	zf, err := os.Open("../feeds/osvfeed/testdata/go-vulndb.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer zf.Close()
	st, err := zf.Stat()
	if err != nil {
		t.Fatal(err)
	}
	advs, err := osvfeed.ParseZip(t.Context(), zf, st.Size(), "go-vulndb.zip", nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := triage.New(stack, &triage.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if gaps := e.Coverage(); len(gaps) != 0 {
		t.Errorf("the oracle checks every Flux package, the engine reports gaps: %v", gaps)
	}
	key := func(module, version, adv string) string {
		return module + "@" + strings.TrimPrefix(version, "v") + " " + adv
	}
	got := map[string]bool{}
	other := map[string]triage.Verdict{}
	for i := range advs.Advisories {
		a := &advs.Advisories[i]
		res := e.Evaluate(a)
		for _, m := range res.Matches {
			k := key(m.Component.Product, m.Component.Version, a.ID)
			if m.Method != triage.MethodPURL {
				t.Errorf("%s matched by %s, want purl", k, m.Method)
			}
			if m.Verdict == triage.VerdictAffected {
				got[k] = true
			} else {
				other[k] = m.Verdict
			}
		}
	}
	wantSet := map[string]bool{}
	for _, h := range want.Hits {
		wantSet[key(h.Module, h.Version, h.Advisory)] = true
	}
	var missing, extra []string
	for k := range wantSet {
		if !got[k] {
			missing = append(missing, fmt.Sprintf("%s (engine: %s)", k, other[k]))
		}
	}
	for k := range got {
		if !wantSet[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		t.Errorf("affected set differs from the oracle: %d missing, %d extra\nmissing: %s\nextra: %s",
			len(missing), len(extra), strings.Join(missing, "\n  "), strings.Join(extra, "\n  "))
	}
	// Near misses (the version is at or past a fix) are matched by purl
	// and answered not_affected, never dropped.
	for _, n := range want.NonHits {
		k := key(n.Module, n.Version, n.Advisory)
		if v, ok := other[k]; !ok || v != triage.VerdictNotAffected {
			t.Errorf("near miss %s: engine says %q, want not_affected", k, v)
		}
	}
	t.Logf("%d advisories × %d components: %d affected (oracle %d), %d near misses", len(advs.Advisories), len(stack.Components), len(got), len(wantSet), len(want.NonHits))
}

type expectedPair struct {
	CVE        string   `json:"cve"`
	Document   string   `json:"document"`
	Component  string   `json:"component"`
	Status     string   `json:"status"`
	Acceptable []string `json:"acceptable"`
	Judgement  bool     `json:"judgement"`
	Derivation string   `json:"derivation"`
}

// verdicts evaluates advisories and returns, per (CVE, component), the
// verdict of the match, and the whole match for messages.
func verdicts(e *triage.Engine, advs []feeds.Advisory) map[string]triage.Match {
	out := map[string]triage.Match{}
	for i := range advs {
		a := &advs[i]
		res := e.Evaluate(a)
		cves := a.CVEs()
		for _, m := range res.Matches {
			for _, c := range cves {
				out[c+" "+m.Component.ID] = m
			}
		}
	}
	return out
}

func checkPairs(t *testing.T, pairs []expectedPair, got map[string]triage.Match) {
	t.Helper()
	agree := 0
	for _, p := range pairs {
		m, ok := got[p.CVE+" "+p.Component]
		v := "no match"
		if ok {
			v = string(m.Verdict)
		}
		if slices.Contains(p.Acceptable, v) {
			agree++
			continue
		}
		t.Errorf("%s × %s: engine %s (%s; %s), want %s (acceptable %v)\n    oracle: %s",
			p.CVE, p.Component, v, m.Identity, m.VersionReason, p.Status, p.Acceptable, p.Derivation)
	}
	t.Logf("%d of %d expected pairs agree", agree, len(pairs))
}

// TestApplianceStackAgainstKEVAndCVE5 joins the KEV catalog with the CVE 5
// records CISA enriched, as intake does, and checks every pair the oracle
// decided by hand — and that the pairs it excludes are not matched with
// more than vendor-only confidence.
func TestApplianceStackAgainstKEVAndCVE5(t *testing.T) {
	var want struct {
		Pairs    []expectedPair `json:"pairs"`
		Excluded []struct {
			Component, CVE, Reason string
		} `json:"excluded"`
		Unchecked []struct{ Component, Reason string } `json:"unchecked"`
	}
	readJSON(t, "testdata/realdata/appliance_expected.json", &want)
	stack, err := triage.LoadStack("testdata/realdata/appliance-stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The catalog bundled with kevfeed is the 2025-08-25 release the oracle used.
	f, err := os.Open("../feeds/kevfeed/data/known_exploited_vulnerabilities.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat, err := kevfeed.Parse(f, "known_exploited_vulnerabilities.json")
	if err != nil {
		t.Fatal(err)
	}
	advs := cat.Advisories
	files, _ := filepath.Glob("../feeds/cve5feed/testdata/vulnrichment-kev/*.json")
	if len(files) != 38 {
		t.Fatalf("%d CVE 5 records, want 38", len(files))
	}
	for _, p := range files {
		r, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := cve5feed.Parse(r, p)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		advs = append(advs, rec.Advisory)
	}
	e, err := triage.New(stack, &triage.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	got := verdicts(e, feeds.Join(advs))
	checkPairs(t, want.Pairs, got)
	for _, x := range want.Excluded {
		if m, ok := got[x.CVE+" "+x.Component]; ok && m.Confidence != triage.ConfidenceLow {
			t.Errorf("%s × %s matched with %s confidence (%s); the oracle excludes it: %s", x.CVE, x.Component, m.Confidence, m.Identity, x.Reason)
		}
	}
	for _, u := range want.Unchecked {
		if !slices.ContainsFunc(e.Coverage(), func(g triage.Gap) bool { return g.ID == u.Component }) {
			t.Errorf("coverage lacks %s (%s): %v", u.Component, u.Reason, e.Coverage())
		}
	}
}

// TestCSAFRanges: vers, free-text and unparseable product_version_range
// values, product versions, Red Hat packages and a VEX document.
func TestCSAFRanges(t *testing.T) {
	var want struct {
		Pairs []expectedPair `json:"pairs"`
	}
	readJSON(t, "testdata/realdata/csaf_expected.json", &want)
	stack, err := triage.LoadStack("testdata/realdata/csaf-stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var advs []feeds.Advisory
	for _, p := range []string{
		"../feeds/csaffeed/testdata/documents/cisa/OT/2024/icsa-24-284-01.json",
		"../feeds/csaffeed/testdata/documents/cisa/OT/2023/icsa-23-143-03.json",
		"../feeds/csaffeed/testdata/documents/cisa/OT/2024/icsa-24-226-10.json",
		"../feeds/csaffeed/testdata/distribution/cisa/IT/2024/va-24-201-01.json",
		"../feeds/csaffeed/testdata/documents/redhat/rhsa-2024_4546.json",
		"../feeds/csaffeed/testdata/documents/oasis-examples/csaf_vex/sec-vex-2022-0001.json",
	} {
		r, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := csaffeed.Parse(r, p)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		advs = append(advs, doc.Advisories...)
	}
	e, err := triage.New(stack, &triage.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	checkPairs(t, want.Pairs, verdicts(e, advs))
}
