package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/internal/browsertest"
)

func runQuickstart(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// TestBundledBriefing checks the whole path on the real 2025-08-25 KEV
// snapshot. The expected numbers were derived independently of sigwatch,
// with a Python filter over the raw catalog (vendorProject and a substring
// of product), then read by hand for the prose lists:
//
//	edge-fw        Fortinet, product contains "FortiOS"                   14
//	remote-access  Ivanti "Connect Secure" 13, plus CVE-2020-8218 filed
//	               under vendor "Pulse Secure" (Ivanti's former name)     14
//	payments-adc   Citrix NetScaler ADC / Application Delivery Controller
//	               (ADC) lists                                            11
//	mail           Microsoft "Exchange Server" 16 + "Exchange" 1          17
//	wiki           Atlassian, product contains "Confluence", except
//	               CVE-2022-26138 (the "Questions for Confluence" app)    8
//	hypervisors    VMware, product contains "ESXi"                         6
//	ci             Jenkins CLI, UI and Stapler (not the two plugins)       3
//	source-control Git Git                                                 1
//	                                                              total   74
//
// Informational, for a person to confirm (12): "Multiple Products" entries
// for Fortinet (3), VMware (3) and Ivanti's "MobileIron Multiple Products"
// (1) match the vendor only; "SD-WAN and NetScaler" (CVE-2019-12989,
// CVE-2019-12991: the SD-WAN appliance) and "Confluence" (CVE-2022-26138)
// name something broader than the component; CVE-2017-8540 (Microsoft
// Malware Protection Engine, whose description names Exchange Server) and
// CVE-2023-20867 (VMware Tools, described as run on ESXi hosts) only
// mention the component in their text.
func TestBundledBriefing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "evidence")
	out, stderr, code := runQuickstart(t, "-out", dir, "-now", "2026-11-23T09:00:00Z")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"cisa-kev: 1404 advisories",
		"1404 advisories → 74 actionable, 12 informational, 1318 not applicable",
		"As of 2026-11-23 09:00 UTC for Northwind Payments Ltd",
		// The register's one error comes first.
		"REGISTER — what an auditor would find: 1 error, ",
		"  error    ivanti-psirt    owner-inactive",
		"KPI 2  Actionable items",
		// Today's three: the P1 cases (internet-facing components) whose
		// KEV dateAdded is latest, read off the raw catalog: 2025-07-10,
		// 2025-06-30, 2025-06-25 (the newer Git CVE-2025-48384 of
		// 2025-08-25 is P2: source-control is internal). Both components
		// are Aisha Khan's in stack.yaml.
		"TODAY — the three things to do first\n  1. Check, then patch payments-adc (Citrix NetScaler ADC 13.1-49.15) for CVE-2025-5777:",
		"  2. Check, then patch payments-adc (Citrix NetScaler ADC 13.1-49.15) for CVE-2025-6543:",
		"  3. Check, then patch edge-fw (Fortinet FortiOS 7.2.4) for CVE-2019-6693:",
		"     Owner Aisha Khan (akhan) · due Thu 26 Nov 2026 (in 3 days)",
		"EVIDENCE — 27 files in ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	perComponent := map[string]int{"edge-fw": 14, "remote-access": 14, "payments-adc": 11, "mail": 17,
		"wiki": 8, "hypervisors": 6, "ci": 3, "source-control": 1}
	row := regexp.MustCompile(`^  (\S+)\s+.*\s(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$`)
	seen := 0
	sc := bufio.NewScanner(strings.NewReader(out[strings.Index(out, "BY COMPONENT"):]))
	for sc.Scan() {
		m := row.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		want, ok := perComponent[m[1]]
		if !ok {
			continue
		}
		seen++
		if got := atoi(m[2]) + atoi(m[3]) + atoi(m[4]); got != want {
			t.Errorf("%s: %d actionable matches, want %d", m[1], got, want)
		}
	}
	if seen != len(perComponent) {
		t.Fatalf("found %d component rows, want %d:\n%s", seen, len(perComponent), out)
	}
	verifyPack(t, dir)
	validateOSCAL(t, dir, 74)
	if rep, err := evidence.VerifyPack(context.Background(), dir, nil); err != nil || !rep.OK() {
		t.Errorf("VerifyPack: %v %+v", err, rep)
	}
	reportInChromium(t, dir)

	// A second run into the same folder replaces the pack.
	if _, stderr, code := runQuickstart(t, "-out", dir, "-now", "2026-11-24"); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	verifyPack(t, dir)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // the regexp admits digits only
	return n
}

// verifyPack recomputes every SHA256SUMS line in Go, and with sha256sum -c
// when the tool is installed.
func verifyPack(t *testing.T, dir string) {
	t.Helper()
	sums, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(sums)), "\n")
	if len(lines) < 7 {
		t.Fatalf("SHA256SUMS has %d lines", len(lines))
	}
	for _, l := range lines {
		sum, name, ok := strings.Cut(l, "  ")
		if !ok {
			t.Fatalf("bad SHA256SUMS line %q", l)
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(data)
		if hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s: hash mismatch", name)
		}
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", "--quiet", "SHA256SUMS")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sha256sum -c: %v\n%s", err, out)
		}
	}
}

// validateOSCAL validates the pack's OSCAL documents against the official
// NIST schemas kept in the evidence package's testdata (see SOURCES.md
// there; nothing is fetched), and counts the POA&M items: every actionable
// case is still open on the bundled run, so there is one item per
// actionable advisory (74, derived above).
func validateOSCAL(t *testing.T, dir string, poamItems int) {
	t.Helper()
	for _, doc := range []struct{ file, schemaFile, id string }{
		{evidence.FileOSCALResults, "oscal_assessment-results_schema.json", evidence.OSCALAssessmentResultsSchema},
		{evidence.FileOSCALPOAM, "oscal_poam_schema.json", evidence.OSCALPOAMSchema},
		{evidence.FileOSCALMapping, "oscal_mapping_schema.json", evidence.OSCALMappingSchema},
	} {
		sf, err := os.Open(filepath.Join("..", "..", "evidence", "testdata", "oscal", doc.schemaFile))
		if err != nil {
			t.Fatal(err)
		}
		schemaDoc, err := jsonschema.UnmarshalJSON(sf)
		sf.Close()
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(doc.id, schemaDoc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile(doc.id)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, doc.file))
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", doc.file, err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s does not validate against %s: %v", doc.file, doc.schemaFile, err)
		}
		if doc.file != evidence.FileOSCALPOAM {
			continue
		}
		var poam struct {
			POAM struct {
				Items []json.RawMessage `json:"poam-items"`
			} `json:"plan-of-action-and-milestones"`
		}
		if err := json.Unmarshal(data, &poam); err != nil {
			t.Fatal(err)
		}
		if len(poam.POAM.Items) != poamItems {
			t.Errorf("%s: %d POA&M items, want %d", doc.file, len(poam.POAM.Items), poamItems)
		}
	}
}

// reportInChromium opens the pack's report.html in headless Chromium: the
// DOM has every section, the 74 open actions (one table row each, found
// by their case-ID cells) and no script; the screenshot is painted and
// shows the chart bars' colour (#1f77b4, used only by the inline SVG).
func reportInChromium(t *testing.T, dir string) {
	t.Helper()
	bin := browsertest.Find(t)
	page := filepath.Join(dir, evidence.FileReportHTML)
	size := browsertest.Size{Width: 1280, Height: 2000}
	dom := browsertest.DumpDOM(t, bin, page, size)
	for _, h := range []string{"<h2>Summary</h2>", "<h2>KPI charts</h2>", "<h2>Register</h2>", "<h2>Open actions</h2>",
		"<h2>Register health findings</h2>", "<h2>Appendix: pack files</h2>"} {
		if !strings.Contains(dom, h) {
			t.Errorf("report.html: the DOM lacks %s", h)
		}
	}
	if strings.Contains(strings.ToLower(dom), "<script") {
		t.Error("report.html: the DOM has a script element")
	}
	open := dom[strings.Index(dom, "<h2>Open actions</h2>"):]
	open = open[:strings.Index(open, "<h2>Register health findings</h2>")]
	if n := len(regexp.MustCompile(`<td[^>]*>CVE-\d{4}-\d+</td>`).FindAllString(open, -1)); n != 74 {
		t.Errorf("report.html: %d open actions, want 74", n)
	}
	img := browsertest.Screenshot(t, bin, page, size, "")
	c := browsertest.Pixels(img, 0x1f77b4)
	if c.Painted < c.Total/10 || c.Colour < 1000 {
		t.Errorf("report.html screenshot: %+v: the page or its charts did not paint", c)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "register.yaml")
	if err := os.WriteFile(typo, []byte("people:\n  - id: a\n    name: A\ngroups:\n  - id: g\n    name: G\n    kind: isac\n    ownr: a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badStack := filepath.Join(dir, "stack.yaml")
	if err := os.WriteFile(badStack, []byte("components:\n  - id: x\n    vendor: V\n    product: P\n    exposure: public\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing_register", []string{"-register", filepath.Join(dir, "nope.yaml")}, 1, "nope.yaml: no such file"},
		{"typo_in_register", []string{"-register", typo}, 1, typo + `:8:5: groups[0].ownr: unknown field "ownr" (did you mean "owner"?)`},
		{"bad_stack", []string{"-stack", badStack}, 1, `unknown exposure "public"`},
		{"bad_now", []string{"-now", "yesterday"}, 2, `-now: "yesterday" is not YYYY-MM-DD or RFC 3339`},
		{"stray_argument", []string{"extra"}, 2, `unexpected argument "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"-out", filepath.Join(t.TempDir(), "ev")}, tc.args...)
			_, stderr, code := runQuickstart(t, args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.want)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Fatalf("stack trace on bad input: %s", stderr)
			}
		})
	}
}

// Example runs the quickstart as the README's first command does, here
// reporting as of a fixed day into a temporary folder.
func Example() {
	dir, err := os.MkdirTemp("", "quickstart-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	var out bytes.Buffer
	code := run(context.Background(), []string{"-now", "2026-11-23", "-out", filepath.Join(dir, "ev")}, &out, os.Stderr)
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "Triage") {
			fmt.Println(line)
		}
	}
	fmt.Println("exit", code)
	// Output:
	// Triage    1404 advisories → 74 actionable, 12 informational, 1318 not applicable (reason recorded for each)
	// exit 0
}

// TestLiveProgress serves the bundled catalog from a loopback server as
// "live": the briefing is the same, and stderr shows the download's
// progress up to the full size.
func TestLiveProgress(t *testing.T) {
	catalog, err := os.ReadFile(filepath.Join("..", "..", "feeds", "kevfeed", "data", "known_exploited_vulnerabilities.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(catalog)))
		w.Write(catalog)
	}))
	defer srv.Close()
	out, stderr, code := runQuickstart(t, "-live", "-kev-url", srv.URL+"/kev.json", "-out", filepath.Join(t.TempDir(), "pack"),
		"-now", "2026-11-23T09:00:00Z")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "1404 advisories → 74 actionable") {
		t.Errorf("briefing differs from the bundled run:\n%s", out)
	}
	total := fmt.Sprintf("%.1f of %.1f MB", float64(len(catalog))/1e6, float64(len(catalog))/1e6)
	if !strings.Contains(stderr, "\rfetching "+srv.URL+"/kev.json: ") || !strings.Contains(stderr, total) {
		t.Errorf("stderr shows no progress up to %q:\n%q", total, stderr)
	}
}
