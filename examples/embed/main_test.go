package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
)

const testNow = "2026-03-02T09:00:00Z"

func runEmbed(t *testing.T, args ...string) (*summary, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	if code != 0 {
		return nil, errb.String(), code
	}
	var s summary
	dec := json.NewDecoder(&out)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("stdout is not the JSON summary: %v\n%s", err, out.String())
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON value")
	}
	return &s, errb.String(), code
}

// checkLogs checks that every stderr line is a JSON log record tagged with
// the tenant, and returns the messages.
func checkLogs(t *testing.T, stderr, tenant string) []string {
	t.Helper()
	var msgs []string
	sc := bufio.NewScanner(strings.NewReader(stderr))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("stderr line is not JSON: %v: %s", err, sc.Text())
		}
		if rec["tenant"] != tenant {
			t.Errorf("log line without tenant=%s: %s", tenant, sc.Text())
		}
		msg, _ := rec["msg"].(string)
		msgs = append(msgs, msg)
	}
	if len(msgs) == 0 {
		t.Fatal("nothing logged")
	}
	return msgs
}

func byOwner(s *summary) map[string]int {
	m := map[string]int{}
	for _, w := range s.ByOwner {
		m[w.Owner] += len(w.Items)
	}
	return m
}

// TestOffline runs one tenant twice on the bundled KEV snapshot (release
// 2025-08-25, 1404 entries) and the stack built in code.
//
// The expected numbers were derived with a Python filter over the raw
// catalog feeds/kevfeed/data/known_exploited_vulnerabilities.json, not
// from sigwatch: an entry is actionable for a component when vendorProject
// equals the component's vendor and product contains its product
// (case-insensitive):
//
//	fw-edge  Palo Alto Networks, "PAN-OS"           10   dmorgan
//	mft      Progress, "MOVEit Transfer"              1   ssingh
//	vcenter  VMware, "vCenter Server" (9 + "vCenter
//	         Server and Cloud Foundation" 1)         10   ssingh
//	jira     Atlassian, "Jira"                        2   ssingh
//	tomcat   Apache, "Tomcat"                         5   lchen
//	                                        total    28
//
// Informational (a person confirms), read by hand: VMware's three
// "Multiple Products" entries (CVE-2020-3950, CVE-2020-4006,
// CVE-2022-22960) name the vendor only, and CVE-2024-9463 (Palo Alto
// Networks Expedition) mentions "PAN-OS firewalls" in its description
// only: 4. (CVE-2021-1498, Cisco HyperFlex, says "tomcat8", not the word
// Tomcat, and the vendor is not Apache.) The rest, 1404 − 28 − 4 = 1372,
// are not applicable.
//
// Register findings, read off the register in sampleTenant by hand: 5
// warnings — paloalto-psirt has no backup (no-backup), and the stack's
// vendors Progress, VMware, Atlassian and Apache have no group whose scope
// names them (stack-vendor-uncovered; CISA KEV is an aggregator, which
// covers no vendor).
func TestOffline(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "tenant.db")
	out := filepath.Join(dir, "evidence")
	args := []string{"-tenant", "acme-test", "-db", dbPath, "-out", out, "-now", testNow}
	s, stderr, code := runEmbed(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	msgs := checkLogs(t, stderr, "acme-test")
	for _, want := range []string{"sqlstore: schema migrated", "intake: source fetched", "evidence pack written"} {
		if !slices.Contains(msgs, want) {
			t.Errorf("no %q log line in %q", want, msgs)
		}
	}

	if s.Schema != summarySchema || s.Tenant != "acme-test" || s.AsOf.Format("2006-01-02T15:04:05Z07:00") != testNow {
		t.Errorf("header: %q %q %v", s.Schema, s.Tenant, s.AsOf)
	}
	if s.Stack != (stackSummary{From: "asset inventory", Components: 5}) {
		t.Errorf("stack = %+v", s.Stack)
	}
	if len(s.Sources) != 1 || s.Sources[0] != (sourceSummary{Name: "cisa-kev", Group: "cisa-kev", Advisories: 1404}) {
		t.Errorf("sources = %+v", s.Sources)
	}
	want := caseCounts{Total: 1404, New: 1404, Actionable: 28, Informational: 4, NotApplicable: 1372}
	if s.Cases != want {
		t.Errorf("cases = %+v, want %+v", s.Cases, want)
	}
	if len(s.NewCases) != 28 {
		t.Errorf("%d new actionable cases, want 28", len(s.NewCases))
	}
	wantOwners := map[string]int{"dmorgan": 10, "ssingh": 13, "lchen": 5}
	if got := byOwner(s); !maps.Equal(got, wantOwners) {
		t.Errorf("actionable by owner = %v, want %v", got, wantOwners)
	}
	if s.ByOwner[0].Name != "Dana Morgan" || s.ByOwner[0].Items[0].Component != "fw-edge" {
		t.Errorf("first owner = %+v", s.ByOwner[0])
	}
	if s.Register.Groups != 4 || s.Register.People != 4 || s.Register.BySev["warning"] != 5 || s.Register.BySev["error"] != 0 ||
		!slices.Contains(s.Register.Codes, "no-backup") || !slices.Contains(s.Register.Codes, "stack-vendor-uncovered") {
		t.Errorf("register = %+v", s.Register)
	}
	if len(s.KPIs) != 8 || s.KPIs[1].Name != "Actionable items" || s.KPIs[1].Numerator != 28 || s.KPIs[1].Denominator != 1404 {
		t.Errorf("kpis = %+v", s.KPIs)
	}

	// The SQLite file is the tenant's store: reopened by address, it holds
	// what the summary reports and its journal verifies to the head the
	// evidence pack records.
	if _, err := os.Stat(dbPath); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite:"+dbPath, &sqlstore.Options{Existing: true})
	if err != nil {
		t.Fatal(err)
	}
	cases, err := st.Cases(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != s.Cases.Total {
		t.Errorf("the store holds %d cases, the summary says %d", len(cases), s.Cases.Total)
	}
	jr, err := intake.VerifyJournal(ctx, st, nil)
	st.Close()
	if err != nil || !jr.OK() {
		t.Fatalf("journal: %v %v", err, jr)
	}
	if s.Evidence.JournalHead == nil || *s.Evidence.JournalHead != jr.Head {
		t.Errorf("summary journal head %v, store head %v", s.Evidence.JournalHead, jr.Head)
	}

	vr, err := evidence.VerifyPack(ctx, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !vr.OK() {
		t.Fatalf("pack does not verify: %v", vr.Problems)
	}
	if vr.Manifest.JournalHead == nil || *vr.Manifest.JournalHead != jr.Head || vr.Manifest.Cases != 1404 ||
		vr.Manifest.Generator != userAgent || s.Evidence.Files != vr.Files+1 {
		t.Errorf("manifest = %+v, %d files read", vr.Manifest, vr.Files)
	}

	// A second run on the same feed records nothing new.
	s2, stderr2, code := runEmbed(t, args...)
	if code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr2)
	}
	if s2.Cases.New != 0 || s2.Cases.Updated != 0 || s2.Cases.Total != 1404 || len(s2.NewCases) != 0 {
		t.Errorf("second run: cases = %+v, new actionable %v", s2.Cases, s2.NewCases)
	}
	if !maps.Equal(byOwner(s2), wantOwners) {
		t.Errorf("second run: actionable by owner = %v", byOwner(s2))
	}
	if vr, err := evidence.VerifyPack(ctx, out, nil); err != nil || !vr.OK() {
		t.Errorf("second pack: %v %v", err, vr)
	}
}

// TestSBOM reads the stack from testdata/appliances.cdx.json (4
// components: the application and the three in its components list). By
// the Python filter of TestOffline: PAN-OS 10 and MOVEit Transfer 1
// actionable; CVE-2024-9463 informational. SBOM components have no owner,
// so every case goes to the default asset owner, ssingh.
func TestSBOM(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, stderr, code := runEmbed(t, "-db", filepath.Join(dir, "t.db"), "-out", filepath.Join(dir, "ev"), "-now", testNow,
		"-sbom", filepath.Join("testdata", "appliances.cdx.json"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if s.Stack.Components != 4 || s.Cases.Actionable != 11 || s.Cases.Informational != 1 {
		t.Errorf("stack %+v, cases %+v", s.Stack, s.Cases)
	}
	if got := byOwner(s); !maps.Equal(got, map[string]int{"ssingh": 11}) {
		t.Errorf("actionable by owner = %v", got)
	}
}

// TestStackChangeRetriages: the tenant first runs with the asset table
// (28 actionable, TestOffline), then uploads the SBOM; the same database
// must then give the SBOM's figures (11 actionable, 1 informational, all
// ssingh's, as TestSBOM on a fresh database), not the old decisions.
func TestStackChangeRetriages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	if s, stderr, code := runEmbed(t, "-db", db, "-out", filepath.Join(dir, "ev1"), "-now", testNow); code != 0 || s.Cases.Actionable != 28 {
		t.Fatalf("first run: exit %d, %+v: %s", code, s, stderr)
	}
	s, stderr, code := runEmbed(t, "-db", db, "-out", filepath.Join(dir, "ev2"), "-now", testNow,
		"-sbom", filepath.Join("testdata", "appliances.cdx.json"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if s.Cases.New != 0 || s.Cases.Actionable != 11 || s.Cases.Informational != 1 {
		t.Errorf("after the SBOM: cases %+v, want 0 new, 11 actionable, 1 informational", s.Cases)
	}
	if got := byOwner(s); !maps.Equal(got, map[string]int{"ssingh": 11}) {
		t.Errorf("actionable by owner = %v", got)
	}
}

// TestLive points the live sources at loopback mirrors and checks that the
// vendor's HTTP client is the one that fetches: every request carries the
// vendor's User-Agent.
func TestLive(t *testing.T) {
	t.Parallel()
	kev, err := os.ReadFile(filepath.Join("..", "..", "feeds", "kevfeed", "data", "known_exploited_vulnerabilities.json"))
	if err != nil {
		t.Fatal(err)
	}
	const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>NCSC</title><link>https://www.ncsc.gov.uk</link><description>all</description>
<item><title>Weekly threat report 27th February 2026</title><link>https://www.ncsc.gov.uk/report/weekly-threat-report-27th-february-2026</link>
<guid>https://www.ncsc.gov.uk/report/weekly-threat-report-27th-february-2026</guid><pubDate>Fri, 27 Feb 2026 09:00:00 GMT</pubDate>
<description>The NCSC's weekly threat report.</description></item></channel></rss>`
	var mu sync.Mutex
	agents := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.URL.Path] = r.UserAgent()
		mu.Unlock()
		switch r.URL.Path {
		case "/kev.json":
			w.Header().Set("Content-Type", "application/json")
			w.Write(kev)
		case "/ncsc.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(rss))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	s, stderr, code := runEmbed(t, "-live", "-kev-url", srv.URL+"/kev.json", "-ncsc-url", srv.URL+"/ncsc.xml",
		"-db", filepath.Join(dir, "t.db"), "-out", filepath.Join(dir, "ev"), "-now", testNow)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if len(agents) != 2 || agents["/kev.json"] != userAgent || agents["/ncsc.xml"] != userAgent {
		t.Errorf("requests and their User-Agent: %v", agents)
	}
	want := []sourceSummary{{Name: "cisa-kev", Group: "cisa-kev", Advisories: 1404}, {Name: "ncsc-all", Group: "uk-ncsc", Advisories: 1}}
	if !slices.Equal(s.Sources, want) {
		t.Errorf("sources = %+v, want %+v", s.Sources, want)
	}
	// The weekly report names no product: one more case, not actionable.
	if s.Cases.Total != 1405 || s.Cases.Actionable != 28 {
		t.Errorf("cases = %+v", s.Cases)
	}
}

// TestPostgres runs the same tenant against PostgreSQL when
// SIGWATCH_TEST_POSTGRES names a database (a postgres:// URL); the
// intake/sqlstore tests cover the store itself on a throwaway server.
func TestPostgres(t *testing.T) {
	dsn := os.Getenv("SIGWATCH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("SIGWATCH_TEST_POSTGRES is not set")
	}
	dir := t.TempDir()
	args := []string{"-dsn", dsn, "-out", filepath.Join(dir, "ev"), "-now", testNow}
	s, stderr, code := runEmbed(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if s.Store != "postgres" || s.Cases.Total != 1404 || s.Cases.Actionable != 28 {
		t.Errorf("store %q, cases %+v", s.Store, s.Cases)
	}
	s2, stderr, code := runEmbed(t, args...)
	if code != 0 || s2.Cases.New != 0 {
		t.Errorf("second run: exit %d, %+v: %s", code, s2, stderr)
	}
}

func TestBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-now", "yesterday"}, `embed: -now: "yesterday" is not YYYY-MM-DD or RFC 3339`},
		{[]string{"-tenant", "Acme Corp"}, `embed: -tenant "Acme Corp": use 1 to 63 lower-case letters, digits and dashes`},
		{[]string{"-db", "x.db", "-dsn", "postgres://h/db"}, "embed: give -db or -dsn, not both"},
		{[]string{"-dsn", "mysql://h/db"}, "embed: -dsn must be a postgres:// or postgresql:// connection string"},
		{[]string{"-out", ""}, "embed: -out must name a folder"},
		{[]string{"extra"}, `embed: unexpected argument "extra" (see -h)`},
		{[]string{"-nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"-now"}, "flag needs an argument: -now"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), tc.args, &out, &errb)
		if code != 2 || out.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %q", tc.args, code, out.String())
		}
		first, _, _ := strings.Cut(errb.String(), "\n")
		if first != tc.want {
			t.Errorf("%q: first stderr line %q, want %q", tc.args, first, tc.want)
		}
		if n := strings.Count(errb.String(), strings.TrimPrefix(tc.want, "embed: ")); n != 1 {
			t.Errorf("%q: the message appears %d times:\n%s", tc.args, n, errb.String())
		}
	}
}
