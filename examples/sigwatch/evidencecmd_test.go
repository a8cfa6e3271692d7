package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sigwatch/sigwatch/kpi"
)

func TestParsePeriod(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		in         string
		start, end time.Time
	}{
		{"2025-Q3", day(2025, 7, 1), day(2025, 10, 1)},
		{"2025-q4", day(2025, 10, 1), day(2026, 1, 1)},
		{"2024-Q1", day(2024, 1, 1), day(2024, 4, 1)},
		{"2025-09", day(2025, 9, 1), day(2025, 10, 1)},
		{"2024-02", day(2024, 2, 1), day(2024, 3, 1)},
		{"2025-12", day(2025, 12, 1), day(2026, 1, 1)},
		{"2025", day(2025, 1, 1), day(2026, 1, 1)},
		{" 2025-Q3 ", day(2025, 7, 1), day(2025, 10, 1)},
		{"2025-07-01..2025-10-01", day(2025, 7, 1), day(2025, 10, 1)},
		{"2025-07-01 .. 2025-07-02", day(2025, 7, 1), day(2025, 7, 2)},
		{"2025-07-01T00:00:00Z/2025-08-15T12:00:00Z", day(2025, 7, 1), time.Date(2025, 8, 15, 12, 0, 0, 0, time.UTC)},
		// An offset is converted to UTC: 02:00+02:00 is midnight UTC.
		{"2025-07-01T02:00:00+02:00..2025-07-01T00:00:01Z", day(2025, 7, 1), time.Date(2025, 7, 1, 0, 0, 1, 0, time.UTC)},
	} {
		p, err := parsePeriod(tt.in)
		if err != nil {
			t.Errorf("parsePeriod(%q): %v", tt.in, err)
			continue
		}
		if !p.Start.Equal(tt.start) || !p.End.Equal(tt.end) || p.Start.Location() != time.UTC || p.End.Location() != time.UTC {
			t.Errorf("parsePeriod(%q) = %s, want [%s, %s)", tt.in, p.Interval(), tt.start, tt.end)
		}
	}

	for _, tt := range []struct{ in, want string }{
		{"2025-Q5", `"2025-Q5" is not a quarter, month or from..to range`},
		{"2025-Q0", `"2025-Q0" is not a quarter`},
		{"2025-13", `"2025-13" is not a quarter`},
		{"2025-00", `"2025-00" is not a quarter`},
		{"2025-9", `"2025-9" is not a quarter`},
		{"25-Q3", `"25-Q3" is not a quarter`},
		{"0000", `"0000" is not a quarter`},
		{"Q3 2025", `"Q3 2025" is not a quarter`},
		{"", `--period is empty`},
		{"  ", `--period is empty`},
		{"2025-07-01..", `"2025-07-01..": end: missing`},
		{"..2025-07-01", `"..2025-07-01": start: missing`},
		{"2025-07-01..2025-07-01", `"2025-07-01..2025-07-01": the end 2025-07-01T00:00:00Z is not after the start 2025-07-01T00:00:00Z`},
		{"2025-10-01..2025-07-01", `"2025-10-01..2025-07-01": the end 2025-07-01T00:00:00Z is not after the start 2025-10-01T00:00:00Z`},
		{"2025-07-01..2025-02-30", `"2025-07-01..2025-02-30": end: "2025-02-30" is not YYYY-MM-DD or an RFC 3339 time`},
		{"2025-Q3..2025-Q4", `"2025-Q3..2025-Q4": start: "2025-Q3" is not YYYY-MM-DD`},
	} {
		_, err := parsePeriod(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parsePeriod(%q) = %v, want an error containing %q", tt.in, err, tt.want)
		}
	}
}

// FuzzParsePeriod checks that parsePeriod never panics, that every period
// it returns is a non-empty UTC interval, and that it reads back what
// kpi.Period.String prints.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2025-Q3", "2025-09", "2025", "2025-07-01..2025-10-01",
		"2025-07-01T00:00:00Z/2025-08-15T12:00:00.5+01:00", "2025-Q5", "..", "/", "9999-12", "2025-07-01..2025-07-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePeriod(s)
		if err != nil {
			if p != (kpi.Period{}) {
				t.Errorf("error %v with a period %s", err, p.Interval())
			}
			return
		}
		if !p.End.After(p.Start) || p.Start.Location() != time.UTC || p.End.Location() != time.UTC {
			t.Fatalf("parsePeriod(%q) = %s: not a non-empty UTC interval", s, p.Interval())
		}
		again, err := parsePeriod(p.String())
		if err != nil || !again.Start.Equal(p.Start) || !again.End.Equal(p.End) {
			t.Fatalf("parsePeriod(%q) = %s, but its label %q reads back as %s, %v", s, p.Interval(), p.String(), again.Interval(), err)
		}
	})
}

// bundledStore fills a new SQLite store with the embedded KEV snapshot
// through "intake run" at now, and returns its DSN.
func bundledStore(t *testing.T, now string) string {
	t.Helper()
	db := "sqlite:" + filepath.Join(t.TempDir(), "cases.db")
	r := runCLI(t, "", "intake", "run", "--register", exampleRegister, "--stack", exampleStack,
		"--offline", "bundled", "--now", now, "--db", db)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("intake run: exit %d, stderr %q", r.code, r.stderr)
	}
	return db
}

// registerFacts reads examples/register/register.yaml with a YAML decoder
// of its own: the group IDs whose membership is active with a start on or
// before day and whose owner is a person not marked inactive.
func registerFacts(t *testing.T, day string) (active []string, groups int) {
	t.Helper()
	data, err := os.ReadFile(exampleRegister)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		People []struct {
			ID     string `yaml:"id"`
			Active *bool  `yaml:"active"`
		} `yaml:"people"`
		Groups []struct {
			ID         string `yaml:"id"`
			Owner      string `yaml:"owner"`
			Membership struct {
				Status string `yaml:"status"`
				Since  string `yaml:"since"`
				Until  string `yaml:"until"`
			} `yaml:"membership"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	live := map[string]bool{}
	for _, p := range doc.People {
		live[p.ID] = p.Active == nil || *p.Active
	}
	for _, g := range doc.Groups {
		m := g.Membership
		if m.Status == "active" && m.Since <= day && (m.Until == "" || m.Until >= day) && live[g.Owner] {
			active = append(active, g.ID)
		}
	}
	slices.Sort(active)
	return active, len(doc.Groups)
}

// kpiJSON is the part of the KPI report's JSON the tests read.
type kpiJSON struct {
	Schema string    `json:"schema"`
	AsOf   time.Time `json:"as_of"`
	Period struct {
		Label string    `json:"label"`
		Start time.Time `json:"start"`
		End   time.Time `json:"end"`
	} `json:"period"`
	ActiveMemberships struct {
		Value       *float64 `json:"value"`
		Denominator int      `json:"denominator"`
		Active      []string `json:"active"`
	} `json:"active_memberships"`
	ActionableItems struct {
		Value       *float64 `json:"value"`
		Denominator int      `json:"denominator"`
		Rate        *float64 `json:"actionable_rate"`
		Actionable  []string `json:"actionable"`
	} `json:"actionable_items"`
	ReceiptToTriage struct {
		Received int `json:"received"`
		N        int `json:"n"`
	} `json:"receipt_to_triage"`
	FeedFreshness struct {
		StatesGiven bool `json:"states_given"`
		Endpoints   []struct {
			Source      string    `json:"source"`
			LastSuccess time.Time `json:"last_success"`
		} `json:"endpoints"`
	} `json:"feed_freshness"`
}

func runKPIJSON(t *testing.T, args ...string) kpiJSON {
	t.Helper()
	r := runCLI(t, "", append([]string{"kpi", "--json"}, args...)...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("kpi %v: exit %d, stderr %q", args, r.code, r.stderr)
	}
	var k kpiJSON
	if err := json.Unmarshal([]byte(r.stdout), &k); err != nil {
		t.Fatalf("kpi --json: %v", err)
	}
	return k
}

// TestKPIAndEvidence runs kpi and evidence on one store that "intake run"
// filled with the bundled KEV snapshot (building it is the slow part), and
// tampers with it last.
func TestKPIAndEvidence(t *testing.T) {
	// The run's clock, 2025-09-15, is inside 2025-Q3: every KEV entry is
	// received and triaged then.
	db := bundledStore(t, "2025-09-15T09:00:00Z")
	t.Run("kpi", func(t *testing.T) { testKPICommand(t, db) })
	t.Run("evidence", func(t *testing.T) { testEvidenceCommand(t, db) })
	t.Run("signed_and_verified", func(t *testing.T) { testEvidenceSignAndVerify(t, db) })
	if t.Failed() {
		return
	}
	t.Run("tampered_journal", func(t *testing.T) { testEvidenceRefusesTamperedJournal(t, db) })
}

func testKPICommand(t *testing.T, db string) {
	_, entries := readKEV(t)
	distinct := map[string]bool{}
	for _, e := range entries {
		distinct[strings.ToUpper(strings.TrimSpace(e.CveID))] = true
	}
	if len(entries) != 1404 || len(distinct) != 1404 {
		t.Fatalf("the snapshot has %d entries (%d distinct); feeds/kevfeed/data/README.md says 1404", len(entries), len(distinct))
	}
	// The actionable cases as "intake cases" reports their decision (the
	// current one; nothing re-triaged them, so it is also the first).
	var actionable []string
	for _, c := range casesJSON(t, "--db", db) {
		if c.Decision == "actionable" {
			actionable = append(actionable, c.ID)
		}
	}
	slices.Sort(actionable)
	if len(actionable) == 0 {
		t.Fatal("no actionable case: the stack matches nothing in KEV?")
	}
	active, groups := registerFacts(t, "2025-10-01")

	// No --now: 2025-Q3 is over, so the report is as of its end.
	k := runKPIJSON(t, "--db", db, "--register", exampleRegister, "--period", "2025-Q3")
	if k.Schema != kpi.ReportSchema {
		t.Errorf("schema %q", k.Schema)
	}
	q3End := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	if !k.AsOf.Equal(q3End) || k.Period.Label != "2025-Q3" || !k.Period.End.Equal(q3End) {
		t.Errorf("as of %s, period %+v; want as of the period's end %s", k.AsOf, k.Period, q3End)
	}
	if got := k.ActionableItems.Denominator; got != len(distinct) {
		t.Errorf("first triaged in 2025-Q3: %d, want %d (the KEV entries)", got, len(distinct))
	}
	if k.ReceiptToTriage.Received != len(distinct) || k.ReceiptToTriage.N != len(distinct) {
		t.Errorf("received in 2025-Q3: %d (n %d), want %d", k.ReceiptToTriage.Received, k.ReceiptToTriage.N, len(distinct))
	}
	if v := k.ActionableItems.Value; v == nil || int(*v) != len(actionable) || !slices.Equal(k.ActionableItems.Actionable, actionable) {
		t.Errorf("actionable %v (%d IDs), want the %d cases 'intake cases' shows as actionable", v, len(k.ActionableItems.Actionable), len(actionable))
	}
	if r := k.ActionableItems.Rate; r == nil || *r != float64(len(actionable))/float64(len(distinct))*100 {
		t.Errorf("actionable rate %v, want %d/%d × 100", r, len(actionable), len(distinct))
	}
	if v := k.ActiveMemberships.Value; v == nil || int(*v) != len(active) || !slices.Equal(k.ActiveMemberships.Active, active) ||
		k.ActiveMemberships.Denominator != groups {
		t.Errorf("active memberships %v of %d: %v; want %d of %d: %v", v, k.ActiveMemberships.Denominator,
			k.ActiveMemberships.Active, len(active), groups, active)
	}

	// Feed freshness reads the store's source states: cisa-kev last
	// succeeded at the run's clock.
	kevFetched := false
	for _, ep := range k.FeedFreshness.Endpoints {
		if ep.Source == "cisa-kev" {
			kevFetched = ep.LastSuccess.Equal(time.Date(2025, 9, 15, 9, 0, 0, 0, time.UTC))
		}
	}
	if !k.FeedFreshness.StatesGiven || !kevFetched {
		t.Errorf("feed freshness: states given %v, cisa-kev last success at the run's clock %v", k.FeedFreshness.StatesGiven, kevFetched)
	}

	// The same with the range spelled out and --now at the end: the same report.
	r1 := runCLI(t, "", "kpi", "--json", "--db", db, "--register", exampleRegister, "--period", "2025-Q3")
	r2 := runCLI(t, "", "kpi", "--json", "--db", db, "--register", exampleRegister, "--period", "2025-07-01..2025-10-01", "--now", "2025-10-01")
	if r1.stdout != r2.stdout || r1.code != 0 || r2.code != 0 {
		t.Errorf("2025-Q3 and 2025-07-01..2025-10-01 --now 2025-10-01 differ (exit %d, %d)", r1.code, r2.code)
	}

	// 2025-Q4 triaged nothing: the rate is n/a (null), not 0 %.
	k4 := runKPIJSON(t, "--db", db, "--register", exampleRegister, "--period", "2025-Q4", "--now", "2025-12-31")
	if k4.ActionableItems.Denominator != 0 || k4.ActionableItems.Rate != nil || k4.ReceiptToTriage.Received != 0 {
		t.Errorf("2025-Q4: %d triaged, rate %v, %d received; want 0, n/a, 0", k4.ActionableItems.Denominator,
			k4.ActionableItems.Rate, k4.ReceiptToTriage.Received)
	}
	// A period still running is reported as of now.
	year := time.Now().UTC().Year()
	kNow := runKPIJSON(t, "--db", db, "--register", exampleRegister, "--period", itoa(year)+"-01-01.."+itoa(year+2)+"-01-01")
	if d := time.Since(kNow.AsOf); d < 0 || d > time.Minute {
		t.Errorf("running period: as of %s, want about now", kNow.AsOf)
	}

	// The text report names the period and every KPI with its definition ID.
	txt := runCLI(t, "", "kpi", "--db", db, "--register", exampleRegister, "--period", "2025-09")
	if txt.code != 0 || txt.stderr != "" {
		t.Fatalf("kpi text: exit %d, stderr %q", txt.code, txt.stderr)
	}
	for _, want := range []string{"2025-09 [2025-09-01T00:00:00Z, 2025-10-01T00:00:00Z)", "2025-10-01T00:00:00Z",
		kpi.ActiveMembershipsID, kpi.ActionableItemsID, kpi.ReceiptToTriageID, kpi.ReviewedMembershipsID, kpi.TimeToActionID} {
		if !strings.Contains(txt.stdout, want) {
			t.Errorf("text report lacks %q", want)
		}
	}
}

func TestKPIUsageErrors(t *testing.T) {
	missing := "sqlite:" + filepath.Join(t.TempDir(), "none.db")
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"kpi", "--db", missing, "--register", exampleRegister, "--period", "2025-Q5"},
			2, `sigwatch: kpi: --period: "2025-Q5" is not a quarter, month or from..to range`},
		{[]string{"kpi", "--db", missing, "--register", exampleRegister},
			2, "sigwatch: kpi: --period is required"},
		{[]string{"kpi", "--db", missing, "--period", "2025-Q3"},
			2, "sigwatch: kpi: --register is required"},
		{[]string{"kpi", "--register", exampleRegister, "--period", "2025-Q3"},
			2, "sigwatch: kpi: --db is required"},
		{[]string{"kpi", "--db", missing, "--register", exampleRegister, "--period", "2025-Q3", "--now", "2025-06-30"},
			2, "sigwatch: kpi: --now 2025-06-30T00:00:00Z is before the period 2025-Q3 starts"},
		{[]string{"kpi", "--db", missing, "--register", exampleRegister, "--period", "2025-Q3", "--now", "yesterday"},
			2, `sigwatch: kpi: --now: "yesterday" is not YYYY-MM-DD`},
		{[]string{"kpi", "--db", missing, "--register", exampleRegister, "--period", "2025-Q3", "extra"},
			2, `sigwatch: kpi: unexpected argument "extra"`},
		{[]string{"kpi", "--db", missing, "--register", exampleRegister, "--period", "2025-Q3"},
			1, "no such database file"},
		{[]string{"evidence", "--db", missing, "--register", exampleRegister, "--period", "2025-13", "--out", "x"},
			2, `sigwatch: evidence: --period: "2025-13" is not a quarter, month or from..to range`},
		{[]string{"evidence", "--db", missing, "--register", exampleRegister, "--period", "2025-Q3"},
			2, "sigwatch: evidence: --out is required"},
		{[]string{"evidence", "--db", missing, "--register", exampleRegister, "--period", "2025-Q3", "--out", "x", "--redact", "green"},
			2, `sigwatch: evidence: --redact: "green" is not amber or red`},
	} {
		r := runCLI(t, "", tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, r.code, r.stderr, tt.code, tt.want)
		}
	}
	if _, err := os.Stat(strings.TrimPrefix(missing, "sqlite:")); !os.IsNotExist(err) {
		t.Errorf("a reading command created %s: %v", missing, err)
	}
}

// checkSums verifies SHA256SUMS in dir by hashing every file it names, and
// returns the names; it also runs sha256sum -c when the system has it.
func checkSums(t *testing.T, dir string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		m := regexp.MustCompile(`^([0-9a-f]{64})  (\S+)$`).FindStringSubmatch(sc.Text())
		if m == nil {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		body, err := os.ReadFile(filepath.Join(dir, m[2]))
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != m[1] {
			t.Errorf("%s: SHA-256 differs from SHA256SUMS", m[2])
		}
		names = append(names, m[2])
	}
	if path, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command(path, "-c", "--strict", "SHA256SUMS")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, out)
		} else if n := strings.Count(string(out), ": OK\n"); n != len(names) {
			t.Errorf("sha256sum -c: %d OK lines, want %d:\n%s", n, len(names), out)
		}
	} else {
		t.Log("no sha256sum on PATH: checked in Go only")
	}
	return names
}

// readDir returns every regular file of dir by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
			out[e.Name()] = data
		} else {
			t.Fatal(err)
		}
	}
	return out
}

type manifestJSON struct {
	AsOf        time.Time `json:"as_of"`
	GeneratedAt time.Time `json:"generated_at"`
	Period      struct {
		Label string `json:"label"`
	} `json:"period"`
	Cases       int    `json:"cases"`
	Redacted    string `json:"redacted"`
	JournalHead *struct {
		Seq  int64  `json:"seq"`
		Hash string `json:"hash"`
	} `json:"journal_head"`
	Files []struct {
		Name string `json:"name"`
	} `json:"files"`
}

func readManifestJSON(t *testing.T, dir string) manifestJSON {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifestJSON
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func testEvidenceCommand(t *testing.T, db string) {
	// The journal head as "journal verify" reports it.
	jv := runCLI(t, "", "journal", "verify", "--db", db, "--json")
	var head struct {
		Entries int64 `json:"entries"`
		Head    struct {
			Seq  int64  `json:"seq"`
			Hash string `json:"hash"`
		} `json:"head"`
	}
	if err := json.Unmarshal([]byte(jv.stdout), &head); err != nil || jv.code != 0 || head.Entries == 0 {
		t.Fatalf("journal verify: exit %d, %v", jv.code, err)
	}

	base := t.TempDir()
	pack := func(sub string, extra ...string) (string, result) {
		dir := filepath.Join(base, sub, "pack")
		args := append([]string{"evidence", "--db", db, "--register", exampleRegister, "--period", "2025-Q3",
			"--now", "2025-10-01T00:00:00Z", "--out", dir}, extra...)
		return dir, runCLI(t, "", args...)
	}

	dir, r := pack("a", "--zip")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("evidence: exit %d, stderr %q", r.code, r.stderr)
	}
	names := checkSums(t, dir)
	m := readManifestJSON(t, dir)
	if !slices.Contains(names, "manifest.json") {
		t.Error("SHA256SUMS does not cover manifest.json")
	}
	for _, f := range m.Files {
		if !slices.Contains(names, f.Name) {
			t.Errorf("SHA256SUMS does not cover %s", f.Name)
		}
	}
	for _, want := range []string{"kpi.json", "kpi.txt", "response-log.csv", "register.csv"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s in the pack", want)
		}
	}
	asOf := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	if m.JournalHead == nil || m.JournalHead.Seq != head.Head.Seq || m.JournalHead.Hash != head.Head.Hash {
		t.Errorf("manifest journal head %+v, want %+v", m.JournalHead, head.Head)
	}
	if !m.AsOf.Equal(asOf) || !m.GeneratedAt.Equal(asOf) || m.Period.Label != "2025-Q3" || m.Cases != 1404 || m.Redacted != "" {
		t.Errorf("manifest: as of %s, generated %s, period %q, %d cases, redacted %q", m.AsOf, m.GeneratedAt, m.Period.Label, m.Cases, m.Redacted)
	}
	// The pack's KPI report is the kpi command's.
	kr := runCLI(t, "", "kpi", "--json", "--db", db, "--register", exampleRegister, "--period", "2025-Q3", "--now", "2025-10-01T00:00:00Z")
	var fromCmd, fromPack any
	kpiFile, _ := os.ReadFile(filepath.Join(dir, "kpi.json"))
	if err := json.Unmarshal([]byte(kr.stdout), &fromCmd); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(kpiFile, &fromPack); err != nil {
		t.Fatal(err)
	}
	if a, b := mustJSON(t, fromCmd), mustJSON(t, fromPack); a != b {
		t.Error("kpi.json in the pack differs from 'sigwatch kpi --json'")
	}
	// The output lists the files and the check line.
	for _, want := range []string{"\nWrote " + dir + "\n", "  kpi.json ", "  manifest.json ", "\nWrote " + dir + ".zip (SHA-256 ",
		"\nCheck it: cd " + dir + " && sha256sum -c SHA256SUMS\n",
		"--anchor " + itoa(int(head.Head.Seq)) + ":" + head.Head.Hash} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}

	// The zip holds exactly the pack's files under one folder, sorted, dated
	// at the as-of instant, with the same bytes.
	zipA, err := os.ReadFile(dir + ".zip")
	if err != nil {
		t.Fatal(err)
	}
	files := readDir(t, dir)
	zr, err := zip.NewReader(bytes.NewReader(zipA), int64(len(zipA)))
	if err != nil {
		t.Fatal(err)
	}
	var zipNames []string
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, "pack/")
		if !ok {
			t.Errorf("zip entry %q is not under pack/", f.Name)
		}
		zipNames = append(zipNames, name)
		if !f.Modified.Equal(asOf) {
			t.Errorf("zip entry %s dated %s, want %s", f.Name, f.Modified, asOf)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(body, files[name]) {
			t.Errorf("zip entry %s differs from the file", f.Name)
		}
	}
	if !slices.IsSorted(zipNames) || len(zipNames) != len(files) {
		t.Errorf("zip entries %v, want the %d files sorted", zipNames, len(files))
	}
	if !strings.Contains(r.stdout, sha256Hex(zipA)) {
		t.Error("the output does not show the zip's SHA-256")
	}

	// Same inputs and clock, written again (by another process, as far as
	// the command knows): every byte the same, the zip too.
	dirB, rb := pack("b", "--zip")
	if rb.code != 0 {
		t.Fatalf("second pack: exit %d, %q", rb.code, rb.stderr)
	}
	filesB := readDir(t, dirB)
	for name, data := range files {
		if !bytes.Equal(filesB[name], data) {
			t.Errorf("%s differs between writes", name)
		}
	}
	if len(filesB) != len(files) {
		t.Errorf("%d files, then %d", len(files), len(filesB))
	}
	if data, err := os.ReadFile(dirB + ".zip"); err != nil || !bytes.Equal(data, zipA) {
		t.Errorf("the second zip is not byte-identical to the first (%v)", err)
	}

	// --redact amber is recorded in the manifest and redacts the register's
	// TLP:AMBER engagement notes, keeping their hashes.
	dirR, rr := pack("r", "--redact", "amber", "--json")
	if rr.code != 0 {
		t.Fatalf("--redact amber: exit %d, %q", rr.code, rr.stderr)
	}
	checkSums(t, dirR)
	if mr := readManifestJSON(t, dirR); mr.Redacted != "AMBER" {
		t.Errorf("manifest redacted %q, want AMBER", mr.Redacted)
	}
	var out struct {
		Dir      string `json:"dir"`
		Manifest struct {
			Redacted string `json:"redacted"`
		} `json:"manifest"`
	}
	if err := json.Unmarshal([]byte(rr.stdout), &out); err != nil || out.Dir != dirR || out.Manifest.Redacted != "AMBER" {
		t.Errorf("--json: %+v, %v", out, err)
	}
	plain, red := engagementNotes(t, dir), engagementNotes(t, dirR)
	redacted := 0
	for i := range red {
		if red[i].Redacted {
			redacted++
			if !strings.HasPrefix(red[i].Notes, "[redacted TLP:") || red[i].Notes == plain[i].Notes {
				t.Errorf("redacted note %q", red[i].Notes)
			}
		}
		if red[i].NotesSHA256 != plain[i].NotesSHA256 {
			t.Errorf("engagement %d: notes hash changed by redaction", i)
		}
	}
	// examples/register/register.yaml: fs-isac's membership is TLP:AMBER and
	// one engagement is labelled AMBER.
	if redacted == 0 || len(red) != len(plain) {
		t.Errorf("%d of %d notes redacted; want some", redacted, len(red))
	}
}

type engagementNote struct {
	Notes       string `json:"notes"`
	NotesSHA256 string `json:"notes_sha256"`
	Redacted    bool   `json:"redacted"`
}

func engagementNotes(t *testing.T, dir string) []engagementNote {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "engagements.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Records []engagementNote `json:"records"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Records
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// testEvidenceRefusesTamperedJournal edits one journal entry of the store
// in place, as someone with write access to the file could.
func testEvidenceRefusesTamperedJournal(t *testing.T, db string) {
	path := strings.TrimPrefix(db, "sqlite:")
	sdb, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TRIGGER journal_no_update`,
		`UPDATE journal SET body = replace(body, '"actor":"sigwatch"', '"actor":"mallory"') WHERE seq = 3`,
	} {
		if _, err := sdb.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	sdb.Close()

	out := filepath.Join(t.TempDir(), "pack")
	r := runCLI(t, "", "evidence", "--db", db, "--register", exampleRegister, "--period", "2025-Q3",
		"--now", "2025-10-01", "--out", out, "--zip")
	if r.code != 1 {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 1", r.code, r.stdout, r.stderr)
	}
	want := regexp.MustCompile(`^sigwatch: evidence: the journal of ` + regexp.QuoteMeta(db) +
		` does not verify \(\d+ problems?; the first: entry 3: content does not match its hash: the entry was edited\); no pack written; .*\n$`)
	if !want.MatchString(r.stderr) || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one line matching %s", r.stderr, want)
	}
	for _, p := range []string{out, out + ".zip"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a refused pack: %v", p, err)
		}
	}
}

func TestEvidenceBadPeriodWritesNothing(t *testing.T) {
	// The flags are checked before the store is opened: a store that does
	// not exist yet is not created.
	tmp := t.TempDir()
	db := "sqlite:" + filepath.Join(tmp, "cases.db")
	out := filepath.Join(tmp, "pack")
	r := runCLI(t, "", "evidence", "--db", db, "--register", exampleRegister, "--period", "2025-Q5", "--out", out, "--zip")
	want := "sigwatch: evidence: --period: \"2025-Q5\" is not a quarter, month or from..to range"
	if r.code != 2 || !strings.HasPrefix(r.stderr, want) || r.stdout != "" {
		t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, want)
	}
	for _, p := range []string{out, strings.TrimPrefix(db, "sqlite:")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists: %v", p, err)
		}
	}
}

func TestZipPathFor(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"pack":          "pack.zip",
		"out/pack/":     filepath.Join("out", "pack") + ".zip",
		"/tmp/x/pack":   "/tmp/x/pack.zip",
		".":             wd + ".zip",
		"out/pack/../p": filepath.Join("out", "p") + ".zip",
	} {
		if got := zipPathFor(in); got != want {
			t.Errorf("zipPathFor(%q) = %q, want %q", in, got, want)
		}
	}
}

// verifyCLI runs "sigwatch evidence verify ARGS". While cli.go's
// command table does not list evidenceVerifyCommand yet, it runs the
// command the way run() does (flags, usage errors with exit status 2,
// other errors 1); once listed, it goes through run() itself.
func verifyCLI(t *testing.T, args ...string) result {
	t.Helper()
	return runCLI(t, "", append([]string{"evidence", "verify"}, args...)...)
}

// writeKeyPair writes a new Ed25519 key as PKCS #8 PEM (what openssl
// genpkey writes) and its public key as PKIX PEM; it returns both paths.
func writeKeyPair(t *testing.T, dir, name string) (keyPath, pubPath string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	keyPath, pubPath = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".pub.pem")
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pubPath, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), 0o644); err != nil {
		t.Fatal(err)
	}
	return keyPath, pubPath
}

// testEvidenceSignAndVerify signs a pack with --sign-key and checks it with
// "evidence verify": with the right key, without a key, with a wrong key,
// after a file changed, and unpacked from the zip.
func testEvidenceSignAndVerify(t *testing.T, db string) {
	tmp := t.TempDir()
	key, pub := writeKeyPair(t, tmp, "evidence-key")
	_, otherPub := writeKeyPair(t, tmp, "other-key")
	dir := filepath.Join(tmp, "pack")
	r := runCLI(t, "", "evidence", "--db", db, "--register", exampleRegister, "--period", "2025-Q3",
		"--now", "2025-10-01T00:00:00Z", "--out", dir, "--zip", "--sign-key", key)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("evidence --sign-key: exit %d, stderr %q", r.code, r.stderr)
	}
	names := checkSums(t, dir)
	for _, want := range []string{"manifest.json.sig", "manifest.pub.pem"} {
		if !slices.Contains(names, want) {
			t.Errorf("SHA256SUMS does not cover %s", want)
		}
	}
	for _, want := range []string{"  manifest.json.sig ", "(ed25519 signature of manifest.json)",
		"\nCheck the signature: openssl pkeyutl -verify -pubin -inkey manifest.pub.pem -rawin -in manifest.json -sigfile manifest.json.sig\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	// The signature checks with openssl, as the output says.
	if _, err := exec.LookPath("openssl"); err == nil {
		cmd := exec.Command("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "manifest.pub.pem", "-rawin",
			"-in", "manifest.json", "-sigfile", "manifest.json.sig")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Signature Verified Successfully") {
			t.Errorf("openssl pkeyutl -verify: %v\n%s", err, out)
		}
	}

	// The right key.
	v := verifyCLI(t, dir, "--pubkey", pub)
	if v.code != 0 || v.stderr != "" || !strings.Contains(v.stdout, "Signed: the signature verifies with the given key") ||
		!strings.Contains(v.stdout, "\nOK: every file matches SHA256SUMS and manifest.json") {
		t.Errorf("verify --pubkey: exit %d, stdout:\n%s\nstderr %q", v.code, v.stdout, v.stderr)
	}
	v = verifyCLI(t, "--json", dir, "--pubkey", pub)
	var rep struct {
		Dir      string `json:"dir"`
		OK       bool   `json:"ok"`
		Files    int    `json:"files"`
		Signed   bool   `json:"signed"`
		KeyGiven bool   `json:"key_given"`
		Problems []any  `json:"problems"`
		Manifest struct {
			Cases int `json:"cases"`
		} `json:"manifest"`
	}
	if err := json.Unmarshal([]byte(v.stdout), &rep); err != nil || v.code != 0 {
		t.Fatalf("verify --json: exit %d, %v\n%s", v.code, err, v.stdout)
	}
	// Every file SHA256SUMS lists is hashed; it lists all but itself.
	if !rep.OK || !rep.Signed || !rep.KeyGiven || rep.Problems == nil || len(rep.Problems) != 0 || rep.Files != len(names) ||
		rep.Dir != dir || rep.Manifest.Cases != 1404 {
		t.Errorf("verify --json: %+v (want %d files)", rep, len(names))
	}
	// No key: the pack's own key, with a hint.
	v = verifyCLI(t, dir)
	if v.code != 0 || !strings.Contains(v.stdout, "with the key in the pack") {
		t.Errorf("verify: exit %d\n%s", v.code, v.stdout)
	}
	// A wrong key.
	v = verifyCLI(t, dir, "--pubkey", otherPub)
	if v.code != 1 || !strings.Contains(v.stdout, "problem: manifest.json.sig: signature does not verify with the given public key") ||
		v.stderr != "sigwatch: evidence verify: "+dir+": 2 problems found\n" {
		t.Errorf("wrong key: exit %d, stdout:\n%s\nstderr %q", v.code, v.stdout, v.stderr)
	}

	// The zip unpacks to a pack that verifies with the key.
	zipDir := filepath.Join(t.TempDir(), "unzipped")
	unzipTo(t, dir+".zip", zipDir)
	if v := verifyCLI(t, filepath.Join(zipDir, "pack"), "--pubkey", pub); v.code != 0 {
		t.Errorf("verify the unzipped pack: exit %d\n%s%s", v.code, v.stdout, v.stderr)
	}

	// One byte changed in one file.
	p := filepath.Join(dir, "response-log.csv")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	v = verifyCLI(t, dir, "--pubkey", pub)
	if v.code != 1 || !strings.Contains(v.stdout, "problem: response-log.csv: SHA-256 ") || strings.Contains(v.stdout, "OK:") ||
		!strings.HasPrefix(v.stderr, "sigwatch: evidence verify: "+dir+": ") {
		t.Errorf("changed file: exit %d, stdout:\n%s\nstderr %q", v.code, v.stdout, v.stderr)
	}
}

// unzipTo extracts a zip with archive/zip.
func unzipTo(t *testing.T, zipPath, dir string) {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !filepath.IsLocal(f.Name) {
			t.Fatalf("zip entry %q is not local", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEvidenceVerifyUsage(t *testing.T) {
	tmp := t.TempDir()
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "sigwatch: evidence verify: the pack directory is required; run 'sigwatch help evidence verify' for usage\n"},
		{[]string{"a", "b"}, 2, "sigwatch: evidence verify: unexpected argument \"b\"; run 'sigwatch help evidence verify' for usage\n"},
		{[]string{tmp, "--pubkey", filepath.Join(tmp, "nope.pem")}, 1,
			"sigwatch: evidence verify: --pubkey: evidence: public key: open " + filepath.Join(tmp, "nope.pem") + ": no such file or directory\n"},
		{[]string{filepath.Join(tmp, "missing")}, 1, "sigwatch: evidence verify: evidence: verify: stat " + filepath.Join(tmp, "missing") + ": no such file or directory\n"},
		// An empty folder is not a pack.
		{[]string{tmp}, 1, "sigwatch: evidence verify: " + tmp + ": 2 problems found\n"},
	} {
		r := verifyCLI(t, tt.args...)
		if r.code != tt.code || r.stderr != tt.want {
			t.Errorf("evidence verify %q: exit %d, stderr %q; want %d, %q", tt.args, r.code, r.stderr, tt.code, tt.want)
		}
	}
}

func TestEvidenceBadSignKeyWritesNothing(t *testing.T) {
	// The key is read before the store is opened: a store that does not
	// exist yet is not created, and no pack is written.
	tmp := t.TempDir()
	db := "sqlite:" + filepath.Join(tmp, "cases.db")
	out := filepath.Join(tmp, "pack")
	key := filepath.Join(tmp, "key.pem")
	if err := os.WriteFile(key, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "evidence", "--db", db, "--register", exampleRegister, "--period", "2025-Q3", "--out", out, "--sign-key", key)
	want := "sigwatch: --sign-key: evidence: private key " + key + ": no PEM block"
	if r.code != 1 || !strings.HasPrefix(r.stderr, want) || r.stdout != "" {
		t.Errorf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, want)
	}
	for _, p := range []string{out, strings.TrimPrefix(db, "sqlite:")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists: %v", p, err)
		}
	}
}
