package triage_test

import (
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/cve5feed"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/triage"
)

func TestReviewConcurrentEvaluate(t *testing.T) {
	stack, err := triage.LoadStack("testdata/realdata/appliance-stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open("../feeds/kevfeed/data/known_exploited_vulnerabilities.json")
	cat, err := kevfeed.Parse(f, "kev.json")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	advs := cat.Advisories
	files, _ := filepath.Glob("../feeds/cve5feed/testdata/vulnrichment-kev/*.json")
	for _, p := range files {
		r, _ := os.Open(p)
		rec, err := cve5feed.Parse(r, p)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		advs = append(advs, rec.Advisory)
	}
	advs = feeds.Join(advs)
	supp := []triage.Suppression{{ID: "EX", Advisory: advs[0].ID, Owner: "o", Justification: triage.JustRiskAccepted, Statement: "s", Expires: clock.AddDate(1, 0, 0)}}
	e, err := triage.New(stack, &triage.Options{Now: now, Suppressions: supp})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]triage.Result, len(advs))
	for i := range advs {
		want[i] = e.Evaluate(&advs[i])
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range advs {
				i := (k + g*97) % len(advs)
				got := e.Evaluate(&advs[i])
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("%s: concurrent result differs", advs[i].ID)
				}
			}
		}()
	}
	wg.Wait()
}
