package triage_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/triage"
)

var update = flag.Bool("update", false, "rewrite golden files")

// sbomCase is a real SBOM with counts derived independently of our code.
type sbomCase struct {
	file       string
	components int // components expected
	merged     int // packages merged into identical earlier ones
	renamed    int // IDs suffixed to be unique
	skipped    int // entries with nothing to identify them
	noPURL     int // components without a purl
	noVersion  int // components without a version
	spot       []triage.Component
	absent     []string // IDs that must not appear
}

// run parses the file with parse and with ParseStack (which must detect the
// format), checks the counts, the spot checks and the golden file.
func (tc sbomCase) run(t *testing.T, parse func(io.Reader, string) (*triage.Stack, error)) {
	t.Helper()
	path := "testdata/stack/" + tc.file
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := parse(bytes.NewReader(data), path)
	if err != nil {
		t.Fatal(err)
	}
	detected, rep, err := triage.ImportStack(bytes.NewReader(data), path, nil)
	if err != nil {
		t.Fatalf("ImportStack: %v", err)
	}
	if diff := cmp.Diff(s, detected); diff != "" {
		t.Errorf("ImportStack differs from the format's parser (-parser +ImportStack):\n%s", diff)
	}
	if got := len(s.Components); got != tc.components {
		t.Errorf("%d components, want %d", got, tc.components)
	}
	if rep.Merged != tc.merged || rep.Renamed != tc.renamed || rep.Skipped != tc.skipped {
		t.Errorf("report merged %d renamed %d skipped %d, want %d %d %d (%q)", rep.Merged, rep.Renamed, rep.Skipped, tc.merged, tc.renamed, tc.skipped, rep.Notes)
	}
	noPURL, noVersion := 0, 0
	byID := make(map[string]triage.Component, len(s.Components))
	for _, c := range s.Components {
		if c.PURL == "" {
			noPURL++
		}
		if c.Version == "" {
			noVersion++
		}
		if c.Source == "" || !strings.HasPrefix(c.Source, path+":") {
			t.Errorf("component %s has Source %q", c.ID, c.Source)
		}
		byID[c.ID] = c
	}
	if noPURL != tc.noPURL || noVersion != tc.noVersion {
		t.Errorf("%d without purl, %d without version; want %d and %d", noPURL, noVersion, tc.noPURL, tc.noVersion)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	for _, want := range tc.spot {
		got, ok := byID[want.ID]
		if !ok {
			t.Errorf("no component %s", want.ID)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("component %s (-want +got):\n%s", want.ID, diff)
		}
	}
	for _, id := range tc.absent {
		if _, ok := byID[id]; ok {
			t.Errorf("component %s is present, want it merged", id)
		}
	}
	golden(t, "testdata/stack/"+strings.TrimSuffix(tc.file, ".json")+".golden.json", s)
}

// golden compares v, as indented JSON, with the file at path, or rewrites
// the file with -update.
func golden(t *testing.T, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestParseStackFile(t *testing.T) {
	s, rep, err := triage.ImportStack(strings.NewReader(`# Appliances the network team keeps by hand.
components:
  - id: edge-fw
    vendor: Fortinet
    product: FortiOS
    version: 7.2.4
    cpe: cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*
    owner: network-team
    criticality: critical
    exposure: internet
    tags: [perimeter]
  - {id: wiki, vendor: Atlassian, product: Confluence Server, version: "8.10", exposure: internal}
`), "stack.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &triage.Stack{Components: []triage.Component{
		{
			ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4",
			CPE: "cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*", Owner: "network-team",
			Criticality: triage.CriticalityCritical, Exposure: triage.ExposureInternet,
			Tags: []string{"perimeter"}, Source: "stack.yaml:3",
		},
		// A quoted "8.10" stays 8.10 (unquoted YAML would still keep the
		// text: versions are read as strings).
		{ID: "wiki", Vendor: "Atlassian", Product: "Confluence Server", Version: "8.10", Exposure: triage.ExposureInternal, Source: "stack.yaml:12"},
	}}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if rep.Merged+rep.Renamed+rep.Skipped != 0 || len(rep.Notes) != 0 {
		t.Errorf("report %+v", rep)
	}
}

func TestParseStackJSON(t *testing.T) {
	input := `{
  "components": [
    {"id": "mail", "vendor": "Microsoft", "product": "Exchange Server", "version": "2019 CU14", "exposure": "internet"},
    {"id": "ci", "purl": "pkg:maven/org.jenkins-ci.main/jenkins-core@2.426.2", "owner": "platform"}
  ]
}`
	s, err := triage.ParseStack(strings.NewReader(input), "stack.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Components) != 2 || s.Components[0].Version != "2019 CU14" || s.Components[1].Source != "stack.json:4" {
		t.Errorf("got %+v", s.Components)
	}
	// Positions in JSON are as precise as in YAML: `    {"id": "ci", ` is
	// 17 characters.
	_, err = triage.ParseStack(strings.NewReader(strings.Replace(input, `"purl"`, `"prl"`, 1)), "stack.json")
	if got, want := errString(err), `stack.json:4:18: components[1].prl: unknown field "prl" (did you mean "purl"?)`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// The positions were counted by hand: the line is in each input line's
// trailing comment, the column is 1-based.
func TestParseStackFileErrors(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string
	}{
		{
			name: "typo",
			input: "components:\n" + // 1
				"  - id: fw\n" + // 2
				"    vendr: Fortinet\n" + // 3
				"    product: FortiOS\n", // 4
			want: []string{`s.yaml:3:5: components[0].vendr: unknown field "vendr" (did you mean "vendor"?)`},
		},
		{
			name: "wrong_types",
			input: "components:\n" + // 1
				"  - id: fw\n" + // 2
				"    product: FortiOS\n" + // 3
				"    tags: perimeter\n" + // 4: value at column 11
				"    version: [7, 2]\n", // 5: value at column 14
			want: []string{
				`s.yaml:4:11: components[0].tags: want a list, got "perimeter"`,
				`s.yaml:5:14: components[0].version: want a string, got a list`,
			},
		},
		{
			name: "unknown_values",
			input: "components:\n" + // 1
				"  - id: fw\n" + // 2
				"    product: FortiOS\n" + // 3
				"    exposure: Internet\n" + // 4: value at column 15
				"    criticality: urgent\n", // 5: value at column 18
			want: []string{
				`s.yaml:4:15: components[0].exposure: unknown exposure "Internet" (did you mean "internet"?); want internet, internal or isolated`,
				`s.yaml:5:18: components[0].criticality: unknown criticality "urgent"; want critical, high, medium or low`,
			},
		},
		{
			name: "missing_id_and_source",
			input: "components:\n" + // 1
				"  - product: FortiOS\n" + // 2: the item's map starts at column 5
				"    source: cmdb\n", // 3
			want: []string{
				`s.yaml:2:5: components[0]: missing required field "id"`,
				`s.yaml:3:5: components[0].source: unknown field "source" (the loader sets a component's source; remove it)`,
			},
		},
		{
			name: "validate_positions",
			input: "components:\n" + // 1
				"  - id: fw\n" + // 2
				"    product: FortiOS\n" + // 3
				"  - id: fw\n" + // 4
				"    product: FortiProxy\n" + // 5
				"  - id: x\n" + // 6
				"    owner: net\n", // 7
			want: []string{
				`s.yaml:4:5: components[1]: duplicate id "fw" (first at line 2)`,
				`s.yaml:6:5: components[2]: nothing to match on: give vendor and product, a purl or a cpe`,
			},
		},
		{
			name:  "sbom_entry_without_path",
			input: "sboms:\n  - owner: platform\n", // the entry's map starts at 2:5
			want:  []string{`s.yaml:2:5: sboms[0]: missing required field "path"`},
		},
		{
			name:  "components_as_a_string",
			input: "components: fw, vpn\n",
			want:  []string{`s.yaml:1:13: components: want a list, got "fw, vpn"`},
		},
		{
			name:  "tab_indentation",
			input: "components:\n\t- id: fw\n",
			want:  []string{`s.yaml:2: invalid YAML: found character that cannot start any token`},
		},
		{
			name:  "typo_in_top_level_key",
			input: "componets:\n  - id: fw\n",
			want:  []string{`s.yaml:1:1: componets: unknown field "componets" (did you mean "components"?)`},
		},
		{
			name:  "not_a_stack_map",
			input: "people: []\ngroups: []\n",
			want:  []string{`s.yaml:1:1: not a stack file: want a YAML or JSON stack with "components" or "sboms", a CycloneDX or SPDX JSON SBOM, or CSV with a header row; got a map with "people", "groups"`},
		},
		{
			name:  "a_list",
			input: "- id: fw\n",
			want:  []string{`s.yaml:1:1: not a stack file: want a YAML or JSON stack with "components" or "sboms", a CycloneDX or SPDX JSON SBOM, or CSV with a header row; got a list`},
		},
		{
			name:  "empty",
			input: "# nothing yet\n",
			want:  []string{`s.yaml: file is empty; want a YAML or JSON stack with "components" or "sboms", a CycloneDX or SPDX JSON SBOM, or CSV with a header row`},
		},
		{
			name:  "xml",
			input: "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"/>\n",
			want:  []string{`s.yaml:1:1: XML or HTML is not a stack file: want a YAML or JSON stack with "components" or "sboms", a CycloneDX or SPDX JSON SBOM, or CSV with a header row (CycloneDX XML is not supported: export JSON)`},
		},
		{
			name:  "spdx_tag_value",
			input: "## SBOM\nSPDXVersion: SPDX-2.2\nDataLicense: CC0-1.0\n",
			want:  []string{`s.yaml:2:1: SPDX tag-value is not supported: give SPDX as JSON`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := triage.ParseStack(strings.NewReader(tt.input), "s.yaml")
			if s != nil {
				t.Errorf("got a stack with the error")
			}
			if got, want := errString(err), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			var pe *feeds.ParseError
			if !errors.As(err, &pe) || pe.Input != "s.yaml" {
				t.Errorf("errors.As(*feeds.ParseError) = %v", pe)
			}
		})
	}
}

// xs reads n bytes 'x'.
type xs struct{ n int }

func (r *xs) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	n := min(len(p), r.n)
	for i := range n {
		p[i] = 'x'
	}
	r.n -= n
	return n, nil
}

func TestParseStackTooLarge(t *testing.T) {
	big := io.MultiReader(strings.NewReader("components: []\n# "), &xs{4 << 20})
	_, err := triage.ParseStack(big, "big.yaml")
	if got, want := errString(err), "big.yaml: file is larger than the 4 MiB limit"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// The 64 MiB default costs seconds to test on a small machine; the
	// option exercises the same check.
	huge := io.MultiReader(strings.NewReader("id,product\n"), &xs{1 << 20})
	_, _, err = triage.ImportStack(huge, "huge.csv", &triage.StackOptions{MaxFileBytes: 1 << 20})
	if !errors.Is(err, feeds.ErrTooLarge) || errString(err) != "huge.csv: feeds: input too large: a stack file may be at most 1 MiB" {
		t.Errorf("got %v", err)
	}
	// Imported files are capped too.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.csv"), []byte("id,product\nx,"+strings.Repeat("x", 100)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = triage.ImportStack(strings.NewReader("sboms: [{path: big.csv}]"), filepath.Join(dir, "s.yaml"), &triage.StackOptions{MaxFileBytes: 100})
	if got, want := errString(err), filepath.Join(dir, "big.csv")+": feeds: input too large: a stack file may be at most 100 bytes"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestLoadStackMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.yaml")
	_, err := triage.LoadStack(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(errString(err), "triage: open "+path) {
		t.Errorf("got %v", err)
	}
	if _, err := triage.ParseStack(nil, "x.yaml"); errString(err) != "triage: read x.yaml: nil reader" {
		t.Errorf("ParseStack(nil) = %v", err)
	}
}

// TestImports reads testdata/stack/stack.yaml, which imports the Flux SPDX
// SBOM, the ghidra CycloneDX SBOM (from a subdirectory's point of view)
// and a CSV, and checks what the entries give the imported components.
func TestImports(t *testing.T) {
	s, rep, err := importFile(t, "testdata/stack/stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// 2 hand-written + 189 Flux + 109 ghidra + 3 CSV rows.
	if got := len(s.Components); got != 2+189+109+3 {
		t.Errorf("%d components", got)
	}
	byID := map[string]triage.Component{}
	for _, c := range s.Components {
		byID[c.ID] = c
	}
	// An SBOM component takes the entry's owner, criticality, exposure and
	// tags.
	want := triage.Component{
		ID: "SPDXRef-46ebf9c6475c60de", Product: "cloud.google.com/go", Version: "v0.81.0",
		PURL: "pkg:golang/cloud.google.com/go@v0.81.0", Owner: "platform-team",
		Criticality: triage.CriticalityHigh, Exposure: triage.ExposureInternal, Tags: []string{"gitops"},
		Source: "testdata/stack/flux_0.26.3_sbom.spdx.json: SPDXRef-46ebf9c6475c60de",
	}
	if diff := cmp.Diff(want, byID[want.ID]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// A CSV row's own values win over the entry's; tags are merged.
	want = triage.Component{
		ID: "citrix-netscaler-adc-13.1-49.15", Vendor: "Citrix", Product: "NetScaler ADC", Version: "13.1-49.15",
		Owner: "akhan", Criticality: triage.CriticalityCritical, Exposure: triage.ExposureInternet,
		Tags: []string{"payments", "edge", "from-csv"}, Source: "testdata/stack/imports/appliances.csv:4",
	}
	if diff := cmp.Diff(want, byID[want.ID]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// ghidra's four repeated IDs were renamed in its own import; none
	// collides with the rest of the stack.
	if rep.Merged != 55 || rep.Renamed != 4 || rep.Skipped != 0 {
		t.Errorf("report %+v", rep)
	}
	if err := s.Validate(); err != nil {
		t.Error(err)
	}
}

func importFile(t *testing.T, path string) (*triage.Stack, *triage.StackReport, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return triage.ImportStack(f, path, nil)
}

func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("sub/one.csv", "id,product\nfw,FortiOS\n")
	write("outside.csv", "id,product\nvpn,Connect Secure\n")
	tests := []struct {
		name, file, content, want string
	}{
		{
			// "  - path: " is 10 characters.
			name: "missing_file", file: "sub/missing.yaml",
			content: "sboms:\n  - path: nowhere.spdx.json\n",
			want:    "sub/missing.yaml:2:11: sboms[0].path: open sub/nowhere.spdx.json: no such file or directory",
		},
		{
			name: "self", file: "sub/self.yaml",
			content: "components: [{id: a, product: A}]\nsboms:\n  - path: self.yaml\n",
			want:    "sub/self.yaml:3:11: sboms[0].path: sub/self.yaml imports itself",
		},
		{
			// An entry with a bad value is reported before any import.
			// "  - {path: one.csv, exposure: " is 30 characters.
			name: "bad_entry_values", file: "sub/bad.yaml",
			content: "sboms:\n  - {path: one.csv, exposure: dmz}\n",
			want:    `sub/bad.yaml:2:31: sboms[0].exposure: unknown exposure "dmz"; want internet, internal or isolated`,
		},
		{
			// A problem inside an imported file names that file.
			// "components: [{id: a, " is 21 characters.
			name: "bad_import", file: "sub/outer.yaml",
			content: "sboms:\n  - path: inner.yaml\n",
			want:    `sub/inner.yaml:1:22: components[0].vendr: unknown field "vendr" (did you mean "vendor"?)`,
		},
	}
	write("sub/inner.yaml", "components: [{id: a, vendr: x}]\n")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(tt.file, tt.content)
			f, err := os.Open(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// Parse with a relative name, as a user would pass it.
			t.Chdir(dir)
			_, err = triage.ParseStack(f, tt.file)
			if got := errString(err); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}

	// A loop through two files is reported where it closes.
	write("a.yaml", "sboms: [{path: b.yaml}]\n")
	write("b.yaml", "components: [{id: b, product: B}]\nsboms: [{path: a.yaml}]\n")
	t.Chdir(dir)
	_, err := triage.LoadStack("a.yaml")
	// "sboms: [{path: " is 15 characters.
	if got, want := errString(err), "b.yaml:2:16: sboms[0].path: import loop: a.yaml → b.yaml → a.yaml"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	// A path outside the stack's directory is the user's own file: allowed.
	write("sub/up.yaml", "sboms: [{path: ../outside.csv, owner: net}]\n")
	s, err := triage.LoadStack("sub/up.yaml")
	if err != nil || len(s.Components) != 1 || s.Components[0].Owner != "net" || s.Components[0].Source != "outside.csv:2" {
		t.Errorf("got %+v, %v", s, err)
	}
	if !errors.Is(err, nil) {
		t.Error(err)
	}
}

func TestImportDirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := triage.ParseStack(strings.NewReader("sboms: [{path: .}]\n"), filepath.Join(dir, "s.yaml"))
	if got, want := errString(err), filepath.Join(dir, "s.yaml")+":1:16: sboms[0].path: "+dir+" is a directory, not a file"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	fsys := fstest.MapFS{"s.yaml": {Data: []byte("sboms: [{path: .}]\n")}}
	_, err = triage.LoadStackFS(fsys, "s.yaml")
	if got, want := errString(err), "s.yaml:1:16: sboms[0].path: . is a directory, not a file"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestImportMissingWrapsNotExist(t *testing.T) {
	_, err := triage.ParseStack(strings.NewReader("sboms: [{path: no-such-file.json}]\n"), filepath.Join(t.TempDir(), "s.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v, want fs.ErrNotExist", err)
	}
	var pe *feeds.ParseError
	if !errors.As(err, &pe) || pe.Line != 1 || pe.Column != 16 || pe.Field != "sboms[0].path" {
		t.Errorf("got %#v", pe)
	}
}

func TestImportFS(t *testing.T) {
	fsys := fstest.MapFS{
		"stacks/main.yaml": {Data: []byte("components: [{id: fw, product: FortiOS}]\n" +
			"sboms:\n" +
			"  - {path: apps/a.csv, owner: app-team}\n" +
			"  - {path: apps/a.csv, owner: other-team, tags: [copy]}\n" +
			"  - {path: ../../escape.csv}\n")},
		"stacks/apps/a.csv": {Data: []byte("id,product,owner\nfw,Jenkins,\nlib,Log4j,lib-team\n")},
	}
	_, err := triage.LoadStackFS(fsys, "stacks/main.yaml")
	// "  - {path: " is 11 characters.
	if got, want := errString(err), `stacks/main.yaml:5:12: sboms[2].path: "../../escape.csv" leaves the root of the file system`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// Leaving the stack's directory but not the root is allowed.
	fsys["stacks/main.yaml"].Data = bytes.Replace(fsys["stacks/main.yaml"].Data, []byte("../../escape.csv"), []byte("../escape.csv"), 1)
	_, err = triage.LoadStackFS(fsys, "stacks/main.yaml")
	if got, want := errString(err), `stacks/main.yaml:5:12: sboms[2].path: open escape.csv: file does not exist`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	fsys["stacks/main.yaml"].Data = bytes.TrimSuffix(fsys["stacks/main.yaml"].Data, []byte("  - {path: ../escape.csv}\n"))
	f, _ := fsys.Open("stacks/main.yaml")
	s, rep, err := triage.ImportStack(f, "stacks/main.yaml", &triage.StackOptions{FS: fsys})
	if err != nil {
		t.Fatal(err)
	}
	// The CSV is imported twice (read once); its "fw" collides with the
	// hand-written fw, and the second import collides with the first.
	var got []string
	for _, c := range s.Components {
		got = append(got, c.ID+" "+c.Owner+" "+strings.Join(c.Tags, ";")+" "+c.Source)
	}
	want := []string{
		"fw   stacks/main.yaml:1",
		"fw#2 app-team  stacks/apps/a.csv:2",
		"lib lib-team  stacks/apps/a.csv:3",
		"fw#3 other-team copy stacks/apps/a.csv:2",
		"lib#2 lib-team copy stacks/apps/a.csv:3",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if rep.Renamed != 3 || len(rep.Notes) != 2 {
		t.Errorf("report %+v", rep)
	}
}

func TestImportLimits(t *testing.T) {
	// Each level imports the one below twice: 2^10 copies of a 3-row CSV
	// would be 3,072 components. The cap counts every component made:
	// levels 0 to 7 make 3+6+…+384 = 765, and l8's first import passes
	// 1,000.
	fsys := fstest.MapFS{"l0.csv": {Data: []byte("product\na\nb\nc\n")}}
	prev := "l0.csv"
	for i := 1; i <= 10; i++ {
		name := "l" + strconv.Itoa(i) + ".yaml"
		fsys[name] = &fstest.MapFile{Data: []byte("sboms: [{path: " + prev + "}, {path: " + prev + "}]\n")}
		prev = name
	}
	f, _ := fsys.Open(prev)
	_, _, err := triage.ImportStack(f, prev, &triage.StackOptions{FS: fsys, MaxComponents: 1000})
	if got, want := errString(err), "l8.yaml: more than 1000 components, imports included"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	f, _ = fsys.Open(prev)
	s, rep, err := triage.ImportStack(f, prev, &triage.StackOptions{FS: fsys})
	if err != nil || len(s.Components) != 3072 || rep.Renamed != 3069 {
		t.Errorf("without the cap: %d components, %d renamed, %v", len(s.Components), rep.Renamed, err)
	}

	// Imports nest at most 16 deep.
	fsys = fstest.MapFS{}
	for i := range 20 {
		fsys["d"+strconv.Itoa(i)+".yaml"] = &fstest.MapFile{Data: []byte("sboms: [{path: d" + strconv.Itoa(i+1) + ".yaml}]\n")}
	}
	_, err = triage.LoadStackFS(fsys, "d0.yaml")
	// "sboms: [{path: " is 15 characters.
	if got, want := errString(err), "d15.yaml:1:16: sboms[0].path: imports nest more than 16 deep"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestSBOMTooManyObjects(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [` + "\n")
	for range 250_000 {
		b.WriteString("{},")
	}
	b.WriteString("{}]}")
	_, err := triage.ParseStack(strings.NewReader(b.String()), "bomb.cdx.json")
	// The document's own braces are the first object: the 250,000th "{}"
	// in the list is the 250,001st object, at column 3×249,999+1.
	if got, want := errString(err), "bomb.cdx.json:2:749998: feeds: input too large: the SBOM has more than 250000 JSON objects"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if !errors.Is(err, feeds.ErrTooLarge) {
		t.Errorf("%v does not wrap feeds.ErrTooLarge", err)
	}
	b.Reset()
	b.WriteString(`{"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "SPDXRef-a", "name": "a", "attributionTexts": [`)
	for range 2_000_000 {
		b.WriteString(`"",`)
	}
	b.WriteString(`""]}]}`)
	_, err = triage.ParseSPDX(strings.NewReader(b.String()), "bomb.spdx.json")
	if got := errString(err); !strings.HasSuffix(got, ": feeds: input too large: the SBOM has more than 2000000 list or object members") {
		t.Errorf("got %s", got)
	}
}
