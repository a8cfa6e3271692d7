package kpi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/memfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// clock is a settable test clock shared by triage and intake.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func pipelineRegister() *register.Register {
	return &register.Register{
		People: []register.Person{{ID: "akhan", Name: "Aisha Khan"}},
		Groups: []register.Group{
			{ID: "cisa", Name: "CISA", Kind: register.KindGovernmentCERT, Owner: "akhan",
				Membership: register.Membership{Status: register.MembershipActive, Since: register.NewDate(2024, 3, 1)},
				Channels:   []register.Channel{{Kind: "kev"}}},
			{ID: "sector-isac", Name: "Sector ISAC", Kind: register.KindISAC, Owner: "akhan",
				Membership: register.Membership{Status: register.MembershipActive, Since: register.NewDate(2025, 1, 1)},
				Channels:   []register.Channel{{Kind: "manual"}}},
		},
	}
}

// TestEndToEndPipeline runs a real pipeline with a fixed clock and checks the
// KPIs it yields.
func TestEndToEndPipeline(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	eng, err := triage.New(&triage.Stack{Components: []triage.Component{
		{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Owner: "netops", Exposure: triage.ExposureInternet},
	}}, &triage.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	kevAdv := feeds.Advisory{ID: "CVE-2024-21762", Title: "FortiOS out-of-bound write",
		Affected:     []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS"}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{RansomwareUse: "Known"}}}
	other := feeds.Advisory{ID: "CVE-2023-22518", Title: "Confluence flaw",
		Affected:     []feeds.Affected{{Vendor: "Atlassian", Product: "Confluence"}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{}}}
	reg := pipelineRegister()
	p, err := intake.New([]feeds.Source{memfeed.New("cisa-kev", kevAdv, other)}, eng, &intake.Options{Register: reg, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// A manual receipt asserted two hours before it was entered.
	clk.Set(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))
	if _, err := p.Receive(ctx, feeds.Advisory{ID: "ISAC-2026-17", Title: "Sector ISAC flash"},
		intake.ManualReceipt{Group: "sector-isac", By: "akhan", ReceivedAt: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	cases, err := p.Cases(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	r := kpi.Compute(reg, cases, kpi.Quarter(2026, 4), asOf, &kpi.Options{Generator: "sigwatch test"})

	am := r.ActiveMemberships
	if *am.Value != 2 || am.ByKind[register.KindGovernmentCERT] != 1 || am.ByKind[register.KindISAC] != 1 {
		t.Errorf("active memberships = %s %v", am.ValueString(), am.ByKind)
	}
	rt := r.ReceiptToTriage
	// The pipeline triages on receipt: three advisories, each Δ = 0, all
	// within SLA; the manual one keeps its asserted time and is flagged.
	if rt.Received != 3 || rt.N != 3 || *rt.Value != 100 || rt.Median.Std() != 0 || rt.Manual != 1 || len(rt.Backlog) != 0 {
		t.Errorf("receipt to triage: received %d n %d value %s median %s manual %d backlog %d",
			rt.Received, rt.N, rt.ValueString(), rt.Median, rt.Manual, len(rt.Backlog))
	}
	if diff := cmp.Diff([]string{"ISAC-2026-17"}, rt.ManualCases); diff != "" {
		t.Errorf("manual cases (-want +got):\n%s", diff)
	}

	// JSON round trip.
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back kpi.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, &back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	for _, want := range []string{`"schema":"sigwatch.kpi.report/v1"`, `"label":"2026-Q4"`, `"median_seconds":0`,
		`"id":"kpi.receipt-to-triage/v1"`, `"input_hash":"sha256:`, `"default_seconds":259200`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
}

func TestReportNAInJSONAndText(t *testing.T) {
	r := kpi.Compute(nil, nil, kpi.Quarter(2026, 4), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), &kpi.Options{Generator: "g"})
	b, err := json.Marshal(r.ReceiptToTriage)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"value":null`, `"median_seconds":null`, `"backlog":[]`, `"exclusions":[]`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Value:      n/a triaged within SLA (0 of 0)", "median n/a, p90 n/a, max n/a (n=0, nearest rank)"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, buf.String())
		}
	}
	if r.Generator != "g" {
		t.Errorf("generator %q", r.Generator)
	}
	if d := kpi.Compute(nil, nil, kpi.Period{}, time.Time{}, nil); !strings.HasPrefix(d.Generator, "sigwatch ") {
		t.Errorf("default generator %q", d.Generator)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteTextError(t *testing.T) {
	r := kpi.Compute(activeRegister(), scenario(), q4, scenarioAsOf, nil)
	err := r.WriteText(failWriter{})
	if err == nil || !strings.HasPrefix(err.Error(), "kpi: ") || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
}

func TestWriteTextKeepsFeedTextOnOneLine(t *testing.T) {
	c := mk("CVE-2026-0001", ts(10, 1, 0, 0, 0), time.Time{})
	c.Receipts[0].Source = "evil\nKPI 9  Fake"
	r := kpi.Compute(nil, []intake.Case{c}, q4, scenarioAsOf, nil)
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "\nKPI 9") {
		t.Fatalf("a newline from feed data reached the report:\n%s", buf.String())
	}
}

func TestDurationJSON(t *testing.T) {
	d := kpi.Duration(90*time.Minute + 500*time.Millisecond)
	b, err := json.Marshal(d)
	if err != nil || string(b) != "5400.5" {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	var back kpi.Duration
	if err := json.Unmarshal(b, &back); err != nil || back != d {
		t.Fatalf("unmarshal = %v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`"1h"`), &back); err == nil {
		t.Fatal("a string was accepted as seconds")
	}
	for in, want := range map[time.Duration]string{0: "0s", 45 * time.Second: "45s",
		150 * time.Minute: "2h 30m", 76 * time.Hour: "3d 4h", -time.Hour: "-1h"} {
		if got := kpi.Duration(in).String(); got != want {
			t.Errorf("Duration(%v).String() = %q, want %q", in, got, want)
		}
	}
}
