package sqlstore_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/triage"
)

// testNow is the fixed clock of pipeline tests: every process and every run
// sees the same time, so runs are comparable.
var testNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// kevDirs says where in this module each KEV snapshot the tests read is
// kept: the current catalog is the one kevfeed embeds (provenance in
// feeds/kevfeed/data/README.md), the two dated releases are kevfeed's test
// data (provenance in feeds/kevfeed/testdata/SOURCES.md).
var kevDirs = map[string]string{
	kevCurrent: "../../feeds/kevfeed/data",
	"known_exploited_vulnerabilities_2025-02-26.json": "../../feeds/kevfeed/testdata",
	"known_exploited_vulnerabilities_2025-08-21.json": "../../feeds/kevfeed/testdata",
}

// kevPath returns the path of a KEV snapshot in the module's test data. A
// snapshot that is not there fails the test.
func kevPath(t testing.TB, name string) string {
	t.Helper()
	dir, ok := kevDirs[name]
	if !ok {
		t.Fatalf("KEV snapshot %q: not one of the snapshots kept in this module", name)
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("KEV snapshot: %v", err)
	}
	return p
}

const kevCurrent = "known_exploited_vulnerabilities.json"

// kevAdvisories parses a KEV snapshot with the adapter under test.
func kevAdvisories(t testing.TB, name string) []feeds.Advisory {
	t.Helper()
	f, err := os.Open(kevPath(t, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat, err := kevfeed.Parse(f, "cisa-kev")
	if err != nil {
		t.Fatal(err)
	}
	return cat.Advisories
}

// kevCVEs decodes a KEV snapshot independently of kevfeed and returns its
// distinct cveID values, upper-cased: the cases a pipeline must open.
func kevCVEs(t testing.TB, name string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(kevPath(t, name))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Vulnerabilities []struct {
			CVE string `json:"cveID"`
		} `json:"vulnerabilities"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, v := range doc.Vulnerabilities {
		out[strings.ToUpper(strings.TrimSpace(v.CVE))] = true
	}
	if len(out) < 1000 {
		t.Fatalf("%s has only %d CVEs: not the KEV catalog", name, len(out))
	}
	return out
}

// testEngine triages against a stack that matches a good share of KEV, so
// that many cases are routed and notified.
func testEngine(t testing.TB) *triage.Engine {
	t.Helper()
	eng, err := triage.New(&triage.Stack{Components: []triage.Component{
		{ID: "windows", Vendor: "Microsoft", Product: "Windows", Owner: "wintel"},
		{ID: "exchange", Vendor: "Microsoft", Product: "Exchange Server", Owner: "wintel", Exposure: triage.ExposureInternet},
		{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Owner: "netops", Exposure: triage.ExposureInternet},
		{ID: "pan", Vendor: "Palo Alto Networks", Product: "PAN-OS", Owner: "netops", Exposure: triage.ExposureInternet},
		{ID: "linux", Vendor: "Linux", Product: "Kernel", Owner: "platform"},
		{ID: "wiki", Vendor: "Atlassian", Product: "Confluence Server", Owner: "collab"},
	}}, &triage.Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// nopNotifier accepts every message.
func nopNotifier() notify.Notifier {
	return notify.Func("log", func(context.Context, *notify.Message) (notify.Delivery, error) {
		return notify.Delivery{Ref: "ok"}, nil
	})
}

// newTestPipeline builds a pipeline over sources on store s.
func newTestPipeline(t testing.TB, s intake.Store, n notify.Notifier, batch int, sources ...feeds.Source) *intake.Pipeline {
	t.Helper()
	opts := &intake.Options{Store: s, Now: fixedNow, BatchSize: batch, Concurrency: 2}
	if n != nil {
		opts.Notify = &intake.NotifyOptions{Notifiers: []notify.Notifier{n}, DigestPriorities: []triage.Priority{}}
	}
	p, err := intake.New(sources, testEngine(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// journalLen counts journal entries.
func journalLen(t testing.TB, s intake.JournalReader) int {
	t.Helper()
	n := 0
	var after int64
	for {
		page, err := s.Journal(context.Background(), after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return n
		}
		n += len(page)
		after = page[len(page)-1].Seq
	}
}

// verify checks the journal and fails t with every problem.
func verify(t testing.TB, s intake.Store, anchors ...intake.Anchor) *intake.VerifyReport {
	t.Helper()
	rep, err := intake.VerifyJournal(context.Background(), s, &intake.VerifyOptions{Anchors: anchors})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("journal does not verify: %v", rep.Problems)
	}
	return rep
}
