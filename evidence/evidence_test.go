package evidence_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

var generatedAt = time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)

func packOptions() *evidence.PackOptions {
	return &evidence.PackOptions{Generator: "sigwatch test", Now: func() time.Time { return generatedAt }}
}

func writeFixturePack(t *testing.T, dir string) *evidence.Manifest {
	t.Helper()
	f := newFixture(t)
	m, err := evidence.WritePack(context.Background(), dir, evidence.Pack{Register: f.reg, Cases: f.cases, KPI: f.report()}, packOptions())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGolden compares every file of the fixture pack with
// testdata/<name>.golden. Run with -update to rewrite them, then read the
// diff by eye.
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	writeFixturePack(t, dir)
	names := []string{"register.csv", "register.json", "register.md", "response-log.csv", "response-log.json",
		"dissemination.csv", "dissemination.json", "reviews.csv", "reviews.json", "proofs.csv", "proofs.json",
		"engagements.csv", "engagements.json", "register-health.csv", "register-health.json", "register-health.md",
		"kpi.json", "kpi.txt", "oscal-assessment-results.json", "oscal-poam.json", "manifest.json", "SHA256SUMS"}
	for _, name := range names {
		t.Run(strings.NewReplacer(".", "_", "-", "_").Replace(name), func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s differs from %s (-want +got):\n%s", name, golden, diff)
			}
		})
	}
}

// TestWritersMatchPack checks the stand-alone writers produce the pack's bytes.
func TestWritersMatchPack(t *testing.T) {
	dir := t.TempDir()
	writeFixturePack(t, dir)
	f := newFixture(t)
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"register.csv", func(b *bytes.Buffer) error { return evidence.WriteRegisterCSV(b, f.reg) }},
		{"register.json", func(b *bytes.Buffer) error { return evidence.WriteRegisterJSON(b, f.reg) }},
		{"register.md", func(b *bytes.Buffer) error {
			return evidence.WriteRegisterMarkdown(b, f.reg, &evidence.MarkdownOptions{GeneratedAt: generatedAt, Generator: "sigwatch test"})
		}},
		{"response-log.csv", func(b *bytes.Buffer) error { return evidence.WriteResponseLogCSV(b, f.cases) }},
		{"response-log.json", func(b *bytes.Buffer) error { return evidence.WriteResponseLogJSON(b, f.cases) }},
		{"dissemination.csv", func(b *bytes.Buffer) error { return evidence.WriteDisseminationCSV(b, f.cases) }},
		{"dissemination.json", func(b *bytes.Buffer) error { return evidence.WriteDisseminationJSON(b, f.cases) }},
		{"reviews.csv", func(b *bytes.Buffer) error { return evidence.WriteReviewsCSV(b, f.reg, f.asOf) }},
		{"reviews.json", func(b *bytes.Buffer) error { return evidence.WriteReviewsJSON(b, f.reg, f.asOf) }},
		{"proofs.csv", func(b *bytes.Buffer) error { return evidence.WriteProofsCSV(b, f.reg, f.asOf) }},
		{"proofs.json", func(b *bytes.Buffer) error { return evidence.WriteProofsJSON(b, f.reg, f.asOf) }},
		{"engagements.csv", func(b *bytes.Buffer) error { return evidence.WriteEngagementsCSV(b, f.reg, "") }},
		{"engagements.json", func(b *bytes.Buffer) error { return evidence.WriteEngagementsJSON(b, f.reg, "") }},
		{"register-health.csv", func(b *bytes.Buffer) error { return evidence.WriteHealthCSV(b, f.reg, f.asOf) }},
		{"register-health.json", func(b *bytes.Buffer) error { return evidence.WriteHealthJSON(b, f.reg, f.asOf) }},
		{"register-health.md", func(b *bytes.Buffer) error { return evidence.WriteHealthMarkdown(b, f.reg, f.asOf) }},
	}
	for _, tc := range tests {
		t.Run(strings.NewReplacer(".", "_", "-", "_").Replace(tc.name), func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, tc.name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, b.Bytes()) {
				t.Errorf("writer output differs from the pack's %s", tc.name)
			}
		})
	}
}

func TestResponseLogDeterministic(t *testing.T) {
	f := newFixture(t)
	var a, b bytes.Buffer
	if err := evidence.WriteResponseLogJSON(&a, f.cases); err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(f.cases)
	slices.Reverse(rev)
	if err := evidence.WriteResponseLogJSON(&b, rev); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("case order changed the response log bytes")
	}
	var log evidence.ResponseLog
	if err := json.Unmarshal(a.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Schema != evidence.ResponseLogSchema || len(log.Records) != 4 {
		t.Fatalf("schema %q, %d records", log.Schema, len(log.Records))
	}
	// Hand check of the fixture's main case against the inputs.
	var r evidence.ResponseRecord
	for _, rec := range log.Records {
		if rec.CaseID == "CVE-2024-21762" {
			r = rec
		}
	}
	if r.FirstReceivedAt != "2026-11-23T09:00:00Z" || r.FirstSource != "cisa-kev" || r.FirstGroup != "cisa" ||
		r.ReceiptCount != 2 || !r.KEVListed || !r.RansomwareKnown || r.Decision != "actionable" || r.Priority != "P1" ||
		r.RuleID != "kev-internet" || r.Owner != "netops" || r.State != "closed" || r.ActionRef != "CHG-1234" ||
		r.ClosedAt != "2026-11-25T09:00:00Z" || r.TriagedAt != "2026-11-23T09:00:00Z" || r.TriagedBy != "sigwatch" ||
		r.Due != "2026-11-26T09:00:00Z" {
		t.Errorf("CVE-2024-21762 record = %+v", r)
	}
	if len(r.Matches) != 1 || r.Matches[0].ComponentID != "edge-fw" || r.Matches[0].Verdict != "affected" {
		t.Errorf("matches = %+v", r.Matches)
	}
	var tos []string
	for _, e := range r.Events {
		tos = append(tos, e.From+">"+e.To+"@"+e.At+"/"+e.Actor)
	}
	want := []string{
		">received@2026-11-23T09:00:00Z/sigwatch",
		"received>triaged@2026-11-23T09:00:00Z/sigwatch",
		"triaged>assigned@2026-11-23T09:00:00Z/sigwatch",
		"assigned>assigned@2026-11-23T09:00:00Z/sigwatch", // also received from fortinet-psirt
		"assigned>assigned@2026-11-23T09:05:00Z/sigwatch", // told through chat
		"assigned>assigned@2026-11-23T09:05:00Z/sigwatch", // the e-mail failed for good
		"assigned>actioned@2026-11-24T09:00:00Z/netops",
		"actioned>closed@2026-11-25T09:00:00Z/akhan",
	}
	if diff := cmp.Diff(want, tos); diff != "" {
		t.Errorf("event trail (-want +got):\n%s", diff)
	}
}

func TestFormulaInjection(t *testing.T) {
	payloads := []string{`=HYPERLINK("http://evil.example","x")`, "-1+1", "@SUM(A1:A2)", "+1", "\tTAB", "\rCR"}
	var cases []intake.Case
	for i, p := range payloads {
		id := "CVE-2026-000" + string(rune('1'+i))
		cases = append(cases, intake.Case{ID: id, Keys: []string{id}, State: intake.StateReceived,
			Advisory: feeds.Advisory{ID: id, Title: p},
			Receipts: []intake.Receipt{{Source: p, Group: p, AdvisoryID: id, ReceivedAt: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}}})
	}
	var b bytes.Buffer
	if err := evidence.WriteResponseLogCSV(&b, cases); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	col := func(name string) int { return slices.Index(header, name) }
	for i, p := range payloads {
		row := rows[i+1]
		for _, name := range []string{"title", "first_source", "first_group"} {
			if got, want := row[col(name)], "'"+p; got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
	}
	// Dissemination: the title, the recipient and the far end's reference
	// come from feeds and other systems.
	for i, p := range payloads {
		cases[i].Events = append(cases[i].Events, intake.Event{At: time.Date(2026, 10, 1, 1, 0, 0, 0, time.UTC), Kind: intake.EventNotified,
			Notifier: "chat", Recipient: p, Ref: p, Note: p})
	}
	b.Reset()
	if err := evidence.WriteDisseminationCSV(&b, cases); err != nil {
		t.Fatal(err)
	}
	if rows, err = csv.NewReader(&b).ReadAll(); err != nil || len(rows) != len(payloads)+1 {
		t.Fatalf("dissemination CSV: %d rows, %v", len(rows), err)
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("dissemination cell %q starts with a formula character", cell)
			}
		}
	}
	// Register: a proof reference and a name that look like formulas.
	reg := &register.Register{Groups: []register.Group{{ID: "g", Name: "@evil", Kind: register.KindForum,
		Membership: register.Membership{Proof: []register.Proof{{Ref: "=cmd|' /C calc'!A0"}}}}}}
	b.Reset()
	if err := evidence.WriteRegisterCSV(&b, reg); err != nil {
		t.Fatal(err)
	}
	rows, err = csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, cell := range rows[1] {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			t.Errorf("cell %q starts with a formula character", cell)
		}
	}
	if rows[1][1] != "'@evil" {
		t.Errorf("name = %q", rows[1][1])
	}
	// Harmless cells are unchanged.
	for _, s := range []string{"", "CVE-2024-21762", "a=b", "2026-11-23T09:00:00Z"} {
		if got := evidence.SafeCSVCell(s); got != s {
			t.Errorf("SafeCSVCell(%q) = %q", s, got)
		}
	}
}

func TestMarkdownCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a | b", `a \| b`},
		{"line one\nline two\r\nthree", "line one line two three"},
		{"<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"[click](javascript:alert(1))", `\[click\](javascript:alert(1))`},
		{"*bold* _it_ `code` ~x~ a&b \\", "\\*bold\\* \\_it\\_ \\`code\\` \\~x\\~ a&b \\\\"},
		{"known_exploited_vulnerabilities.json?a=1&b=2", "known_exploited_vulnerabilities.json?a=1&b=2"},
		{"&lt;script&gt; &#60; &#x3C; AT&T", `\&lt;script\&gt; \&#60; \&#x3C; AT&T`},
		{"  trimmed \n", "trimmed"},
	}
	for _, tc := range tests {
		if got := evidence.MarkdownCell(tc.in); got != tc.want {
			t.Errorf("MarkdownCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// A hostile register still gives one table row per group.
	reg := &register.Register{Groups: []register.Group{
		{ID: "a", Name: "x | y\n| z |", Relevance: "line\n\n## Heading"},
		{ID: "b", Name: "ok"},
	}}
	var b bytes.Buffer
	if err := evidence.WriteRegisterMarkdown(&b, reg, &evidence.MarkdownOptions{GeneratedAt: generatedAt, Generator: "g"}); err != nil {
		t.Fatal(err)
	}
	var rows int
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "| a |") || strings.HasPrefix(line, "| b |") {
			rows++
		}
		if strings.HasPrefix(line, "## Heading") {
			t.Errorf("relevance text became a heading:\n%s", b.String())
		}
	}
	if rows != 2 {
		t.Errorf("got %d group rows, want 2:\n%s", rows, b.String())
	}
}

func TestPackVerifies(t *testing.T) {
	dir := t.TempDir()
	m := writeFixturePack(t, dir)

	// The manifest returned equals the one written.
	var onDisk evidence.Manifest
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &onDisk); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, &onDisk); diff != "" {
		t.Errorf("manifest on disk (-returned +disk):\n%s", diff)
	}
	// Manifest hashes and sizes equal re-computed ones.
	var names []string
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(data)) != f.Size {
			t.Errorf("%s: manifest says %s/%d, file is %x/%d", f.Name, f.SHA256, f.Size, sum, len(data))
		}
		names = append(names, f.Name)
	}
	wantNames := []string{"crosswalk.md", "digest.json", "digest.md", "dissemination.csv", "dissemination.json", "engagements.csv", "engagements.json", "kpi.json", "kpi.txt",
		"oscal-assessment-results.json", "oscal-mapping.json", "oscal-poam.json", "proofs.csv", "proofs.json", "register-health.csv", "register-health.json", "register-health.md",
		"register.csv", "register.json", "register.md", "report.html", "response-log.csv", "response-log.json", "reviews.csv", "reviews.json"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("manifest files (-want +got):\n%s", diff)
	}
	if m.Schema != evidence.ManifestSchema || m.Period.String() != "2026-Q4" || !m.AsOf.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) ||
		!m.GeneratedAt.Equal(generatedAt) || m.Generator != "sigwatch test" || m.Groups != 4 || m.Cases != 4 {
		t.Errorf("manifest header = %+v", m)
	}
	wantSchemas := []string{evidence.OSCALAssessmentResultsSchema, evidence.OSCALPOAMSchema, evidence.OSCALMappingSchema,
		evidence.CrosswalkSchema, evidence.DigestSchema, evidence.DisseminationSchema, evidence.EngagementsSchema,
		evidence.HTMLReportSchema, evidence.ProofsSchema, evidence.HealthSchema,
		evidence.RegisterSchema, evidence.ResponseLogSchema, evidence.ReviewsSchema, kpi.ReportSchema}
	if diff := cmp.Diff(wantSchemas, m.Schemas); diff != "" {
		t.Errorf("schemas (-want +got):\n%s", diff)
	}

	// SHA256SUMS verified in Go: every other file of the pack, and nothing else.
	sums, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	var covered []string
	for _, line := range strings.Split(strings.TrimSuffix(string(sums), "\n"), "\n") {
		hash, name, ok := strings.Cut(line, "  ")
		if !ok || len(hash) != 64 {
			t.Fatalf("bad SHA256SUMS line %q", line)
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != hash {
			t.Errorf("%s: SHA256SUMS says %s, file is %x", name, hash, sum)
		}
		covered = append(covered, name)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, e := range entries {
		if e.Name() != "SHA256SUMS" {
			all = append(all, e.Name())
		}
	}
	slices.Sort(all)
	if diff := cmp.Diff(all, covered); diff != "" {
		t.Errorf("SHA256SUMS coverage (-dir +sums):\n%s", diff)
	}

	// And with the real tool.
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Log("sha256sum not on PATH; skipping the external check")
		return
	}
	cmd := exec.Command("sha256sum", "-c", "--strict", "SHA256SUMS")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sha256sum -c: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), ": OK\n"); n != 26 { // 25 files + manifest.json
		t.Errorf("sha256sum checked %d files, want 26:\n%s", n, out)
	}
	// A tampered file fails the check.
	if err := os.WriteFile(filepath.Join(dir, "register.csv"), []byte("tampered\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command("sha256sum", "-c", "--quiet", "SHA256SUMS")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("sha256sum accepted a tampered file:\n%s", out)
	}
}

func TestPackTwiceAndStaleFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sigwatch-evidence") // created by WritePack
	first := writeFixturePack(t, dir)
	second := writeFixturePack(t, dir)
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("second pack differs (-first +second):\n%s", diff)
	}
	// A third pack without a KPI report removes the previous kpi files.
	f := newFixture(t)
	m, err := evidence.WritePack(context.Background(), dir, evidence.Pack{Register: f.reg, Cases: f.cases, AsOf: f.asOf}, packOptions())
	if err != nil {
		t.Fatal(err)
	}
	// Without a KPI report there is no period either, so no digest: 25
	// files less kpi.json, kpi.txt, digest.json and digest.md.
	if len(m.Files) != 21 || !m.Period.IsZero() {
		t.Errorf("manifest files %d, period %v; want 21 and none", len(m.Files), m.Period)
	}
	for _, gone := range []string{"kpi.json", "kpi.txt", "digest.json", "digest.md"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left over from the previous pack: %v", gone, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 23 {
		t.Errorf("dir has %d entries, want 21 files + manifest + SHA256SUMS", len(entries))
	}
}

func TestPackRefusesForeignDir(t *testing.T) {
	f := newFixture(t)
	in := evidence.Pack{Register: f.reg, Cases: f.cases, KPI: f.report()}
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{"foreign_file", func(t *testing.T, dir string) {
			mustWrite(t, filepath.Join(dir, "notes.txt"), "my notes")
		}, "is not empty and is not a sigwatch evidence pack (no sigwatch manifest.json): notes.txt"},
		{"foreign_register_csv", func(t *testing.T, dir string) {
			mustWrite(t, filepath.Join(dir, "register.csv"), "someone else's register")
		}, "is not a sigwatch evidence pack (no sigwatch manifest.json): register.csv"},
		{"foreign_manifest", func(t *testing.T, dir string) {
			mustWrite(t, filepath.Join(dir, "manifest.json"), `{"schema": "other.tool/v1"}`)
		}, "is not a sigwatch evidence pack (no sigwatch manifest.json): manifest.json"},
		{"pack_plus_foreign", func(t *testing.T, dir string) {
			if _, err := evidence.WritePack(context.Background(), dir, in, packOptions()); err != nil {
				t.Fatal(err)
			}
			mustWrite(t, filepath.Join(dir, "extra.txt"), "x")
		}, "holds a sigwatch evidence pack and files that are not part of it: extra.txt"},
		{"subdirectory", func(t *testing.T, dir string) {
			if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, ": sub;"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.setup(t, dir)
			_, err := evidence.WritePack(context.Background(), dir, in, packOptions())
			if !errors.Is(err, evidence.ErrNotPackDir) || !strings.Contains(err.Error(), tc.want) ||
				!strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "Overwrite") {
				t.Fatalf("err = %v; want ErrNotPackDir naming %s and %q", err, dir, tc.want)
			}
			// With Overwrite the pack is written and the foreign files stay.
			opts := packOptions()
			opts.Overwrite = true
			if _, err := evidence.WritePack(context.Background(), dir, in, opts); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, "SHA256SUMS")); err != nil {
				t.Fatal(err)
			}
		})
	}
	// Foreign files survive an overwrite.
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "notes.txt"), "my notes")
	opts := packOptions()
	opts.Overwrite = true
	if _, err := evidence.WritePack(context.Background(), dir, in, opts); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "notes.txt")); err != nil || string(b) != "my notes" {
		t.Fatalf("notes.txt = %q, %v", b, err)
	}
}

func TestPackErrors(t *testing.T) {
	f := newFixture(t)
	in := evidence.Pack{Register: f.reg, Cases: f.cases}
	ctx := context.Background()

	// A path below a regular file cannot be created; the error names it.
	file := filepath.Join(t.TempDir(), "file")
	mustWrite(t, file, "x")
	bad := filepath.Join(file, "pack")
	if _, err := evidence.WritePack(ctx, bad, in, packOptions()); err == nil ||
		!strings.HasPrefix(err.Error(), "evidence: ") || !strings.Contains(err.Error(), bad) {
		t.Errorf("err = %v; want an evidence error naming %s", err, bad)
	}
	// The directory is a file.
	if _, err := evidence.WritePack(ctx, file, in, packOptions()); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("err = %v; want an error naming %s", err, file)
	}
	// An unwritable directory (permissions do not stop root).
	if os.Geteuid() != 0 {
		ro := filepath.Join(t.TempDir(), "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		_, err := evidence.WritePack(ctx, ro, in, packOptions())
		if err == nil || !strings.HasPrefix(err.Error(), "evidence: ") || !strings.Contains(err.Error(), ro) {
			t.Errorf("err = %v; want an error naming %s", err, ro)
		}
	}
	// No register.
	if _, err := evidence.WritePack(ctx, t.TempDir(), evidence.Pack{}, nil); err == nil || !strings.HasPrefix(err.Error(), "evidence: ") {
		t.Errorf("err = %v", err)
	}
	// As-of disagreeing with the KPI report.
	in2 := evidence.Pack{Register: f.reg, KPI: f.report(), AsOf: f.asOf.Add(time.Hour)}
	if _, err := evidence.WritePack(ctx, t.TempDir(), in2, packOptions()); err == nil || !strings.Contains(err.Error(), "as-of") {
		t.Errorf("err = %v", err)
	}
	// A cancelled context.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := evidence.WritePack(cctx, t.TempDir(), in, packOptions()); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v; want context.Canceled", err)
	}
}

func TestPackRemovesLeftoverTempFiles(t *testing.T) {
	dir := t.TempDir()
	writeFixturePack(t, dir)
	left := filepath.Join(dir, ".register.csv.tmp-123456")
	mustWrite(t, left, "half")
	writeFixturePack(t, dir)
	if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("leftover temp file still there: %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterErrors(t *testing.T) {
	f := newFixture(t)
	writers := map[string]func() error{
		"register_csv":      func() error { return evidence.WriteRegisterCSV(failWriter{}, f.reg) },
		"register_json":     func() error { return evidence.WriteRegisterJSON(failWriter{}, f.reg) },
		"register_md":       func() error { return evidence.WriteRegisterMarkdown(failWriter{}, f.reg, nil) },
		"response_log_csv":  func() error { return evidence.WriteResponseLogCSV(failWriter{}, f.cases) },
		"response_log_json": func() error { return evidence.WriteResponseLogJSON(failWriter{}, f.cases) },
		"reviews_csv":       func() error { return evidence.WriteReviewsCSV(failWriter{}, f.reg, f.asOf) },
		"reviews_json":      func() error { return evidence.WriteReviewsJSON(failWriter{}, f.reg, f.asOf) },
		"proofs_csv":        func() error { return evidence.WriteProofsCSV(failWriter{}, f.reg, f.asOf) },
		"proofs_json":       func() error { return evidence.WriteProofsJSON(failWriter{}, f.reg, f.asOf) },
		"engagements_csv":   func() error { return evidence.WriteEngagementsCSV(failWriter{}, f.reg, "amber") },
		"engagements_json":  func() error { return evidence.WriteEngagementsJSON(failWriter{}, f.reg, "amber") },
		"health_csv":        func() error { return evidence.WriteHealthCSV(failWriter{}, f.reg, f.asOf) },
		"health_json":       func() error { return evidence.WriteHealthJSON(failWriter{}, f.reg, f.asOf) },
		"health_md":         func() error { return evidence.WriteHealthMarkdown(failWriter{}, f.reg, f.asOf) },
	}
	for name, w := range writers {
		t.Run(name, func(t *testing.T) {
			err := w()
			if err == nil || !strings.HasPrefix(err.Error(), "evidence: ") || !strings.Contains(err.Error(), "disk full") {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestEmptyInputs(t *testing.T) {
	var b bytes.Buffer
	if err := evidence.WriteResponseLogJSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "{\n  \"schema\": \"sigwatch.evidence.response-log/v1\",\n  \"records\": []\n}\n" {
		t.Errorf("empty log = %q", got)
	}
	b.Reset()
	if err := evidence.WriteRegisterCSV(&b, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Count(b.String(), "\n") != 1 {
		t.Errorf("empty register CSV = %q, want the header only", b.String())
	}
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The journal head given with the pack is recorded in the manifest, so the
// journal can later be verified against it as an anchor.
func TestManifestRecordsJournalHead(t *testing.T) {
	f := newFixture(t)
	head := &intake.Anchor{Seq: 42, Hash: strings.Repeat("ab", 32)}
	dir := t.TempDir()
	m, err := evidence.WritePack(context.Background(), dir, evidence.Pack{Register: f.reg, Cases: f.cases, AsOf: f.asOf, Journal: head}, packOptions())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		JournalHead *intake.Anchor `json:"journal_head"`
	}
	if err := json.Unmarshal(data, &got); err != nil || got.JournalHead == nil || *got.JournalHead != *head || *m.JournalHead != *head {
		t.Fatalf("journal_head in manifest.json = %+v (%v); want %+v", got.JournalHead, err, head)
	}
}
