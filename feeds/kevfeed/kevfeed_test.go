package kevfeed

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

// currentFile is the 2025-08-25 release (catalogVersion 2025.08.25), the
// same bytes as the embedded snapshot.
const currentFile = "data/known_exploited_vulnerabilities.json"

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func parseFile(t *testing.T, path string) *Catalog {
	t.Helper()
	cat, err := Parse(bytes.NewReader(readFile(t, path)), path)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return cat
}

func find(t *testing.T, cat *Catalog, id string) *feeds.Advisory {
	t.Helper()
	for i := range cat.Advisories {
		if cat.Advisories[i].ID == id {
			return &cat.Advisories[i]
		}
	}
	t.Fatalf("advisory %s not found", id)
	return nil
}

// The expected numbers in this test were derived from the raw file with
// python3, independently of this package:
//
//	v = json.load(open("known_exploited_vulnerabilities.json"))["vulnerabilities"]
//	len(v)                                                   -> 1404
//	sum(e["knownRansomwareCampaignUse"] == "Known" for e in v)   -> 293
//	sum(e["knownRansomwareCampaignUse"] == "Unknown" for e in v) -> 1111
//	sum(e["dueDate"] < e["dateAdded"] for e in v)             -> 15
//	sum(not e["cwes"] for e in v)                             -> 152 ("cwes" present in all)
//	len({e["vendorProject"] for e in v})                      -> 230
//	string values with x != x.strip(), per key -> 51 in total:
//	  vulnerabilityName 20, shortDescription 19, product 5, notes 4,
//	  vendorProject 2, requiredAction 1 (cveID 0)
//	entries containing U+FFFD -> CVE-2021-41773, CVE-2020-4428
func TestParseCurrentRelease(t *testing.T) {
	cat := parseFile(t, currentFile)

	if cat.Title != "CISA Catalog of Known Exploited Vulnerabilities" || cat.Version != "2025.08.25" || cat.Count != 1404 {
		t.Errorf("header = %q %q %d", cat.Title, cat.Version, cat.Count)
	}
	if want := time.Date(2025, 8, 25, 17, 4, 19, 979600000, time.UTC); !cat.Released.Equal(want) {
		t.Errorf("Released = %v, want %v", cat.Released, want)
	}
	if len(cat.Warnings) != 0 {
		t.Errorf("Warnings = %q", cat.Warnings)
	}
	if len(cat.Advisories) != 1404 {
		t.Fatalf("%d advisories, want 1404", len(cat.Advisories))
	}

	var known, unknown, dueBefore, noCWE int
	vendors := map[string]bool{}
	ids := map[string]bool{}
	spaced := map[string]int{}
	stray := func(field, s string) {
		if s != strings.TrimSpace(s) {
			spaced[field]++
		}
	}
	for _, a := range cat.Advisories {
		k := a.Exploitation.KEV
		if k == nil {
			t.Fatalf("%s: no KEV listing", a.ID)
		}
		switch k.RansomwareUse {
		case "Known":
			known++
		case "Unknown":
			unknown++
		default:
			t.Errorf("%s: RansomwareUse %q", a.ID, k.RansomwareUse)
		}
		if k.DueBeforeAdded {
			dueBefore++
			if !k.DueDate.Before(k.DateAdded) {
				t.Errorf("%s: DueBeforeAdded but due %v added %v", a.ID, k.DueDate, k.DateAdded)
			}
		}
		if len(a.Weaknesses) == 0 {
			noCWE++
		}
		if len(a.Affected) != 1 {
			t.Fatalf("%s: %d affected entries", a.ID, len(a.Affected))
		}
		vendors[a.Affected[0].Vendor] = true
		ids[a.ID] = true
		stray("cveID", a.ID)
		stray("vendorProject", a.Affected[0].Vendor)
		stray("product", a.Affected[0].Product)
		stray("vulnerabilityName", a.Title)
		stray("shortDescription", a.Summary)
		stray("requiredAction", k.RequiredAction)
		stray("notes", k.Notes)

		if a.Source != "cisa-kev" || a.Publisher != "CISA" || a.TLP != feeds.TLPClear {
			t.Errorf("%s: Source %q Publisher %q TLP %q", a.ID, a.Source, a.Publisher, a.TLP)
		}
		if !a.Published.Equal(k.DateAdded) || a.Published.Location() != time.UTC || a.Published.Hour() != 0 {
			t.Errorf("%s: Published %v, DateAdded %v", a.ID, a.Published, k.DateAdded)
		}
		if a.Extra[ExtraCatalogVersion] != "2025.08.25" {
			t.Errorf("%s: Extra = %v", a.ID, a.Extra)
		}
		if a.Title != k.VulnerabilityName {
			t.Errorf("%s: Title %q != VulnerabilityName %q", a.ID, a.Title, k.VulnerabilityName)
		}
		for _, r := range a.References {
			if r.Type != "WEB" || !strings.HasPrefix(r.URL, "http") || strings.ContainsAny(r.URL, " \";") {
				t.Errorf("%s: reference %+v", a.ID, r)
			}
		}
	}
	if known != 293 || unknown != 1111 {
		t.Errorf("ransomware Known %d Unknown %d, want 293 and 1111", known, unknown)
	}
	if dueBefore != 15 {
		t.Errorf("DueBeforeAdded on %d entries, want 15", dueBefore)
	}
	if noCWE != 152 {
		t.Errorf("%d entries without CWEs, want 152", noCWE)
	}
	if len(vendors) != 230 {
		t.Errorf("%d distinct vendors, want 230", len(vendors))
	}
	if len(ids) != 1404 {
		t.Errorf("%d distinct IDs, want 1404", len(ids))
	}
	wantSpaced := map[string]int{"vulnerabilityName": 20, "shortDescription": 19, "product": 5, "notes": 4, "vendorProject": 2, "requiredAction": 1}
	if !reflect.DeepEqual(spaced, wantSpaced) {
		t.Errorf("values with stray whitespace kept raw: %v, want %v (51 in total)", spaced, wantSpaced)
	}
	for _, id := range []string{"CVE-2021-41773", "CVE-2020-4428"} {
		if a := find(t, cat, id); !strings.ContainsRune(a.Summary, '\uFFFD') {
			t.Errorf("%s: U+FFFD not kept in %q", id, a.Summary)
		}
	}
}

func TestNotesReferences(t *testing.T) {
	cat := parseFile(t, currentFile)
	// Written by hand from the raw "notes" values of the 2025-08-25 file.
	tests := []struct {
		id   string
		want []string
	}{
		{
			// "https:\/\/chromereleases.googleblog.com\/2025\/06\/stable-channel-update-for-desktop.html;
			//   https:\/\/nvd.nist.gov\/vuln\/detail\/CVE-2025-5419\","
			id: "CVE-2025-5419",
			want: []string{
				"https://chromereleases.googleblog.com/2025/06/stable-channel-update-for-desktop.html",
				"https://nvd.nist.gov/vuln/detail/CVE-2025-5419",
			},
		},
		{
			// Prose, then six links separated by " ; ".
			id: "CVE-2025-48384",
			want: []string{
				"https://github.com/git/git/security/advisories/GHSA-vwqx-4fm8-6qc9",
				"https://access.redhat.com/errata/RHSA-2025:13933",
				"https://alas.aws.amazon.com/AL2/ALAS2-2025-2941.html",
				"https://linux.oracle.com/errata/ELSA-2025-11534.html",
				"https://msrc.microsoft.com/update-guide/vulnerability/CVE-2025-48384",
				"https://nvd.nist.gov/vuln/detail/CVE-2025-48384",
			},
		},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.id, "-", "_"), func(t *testing.T) {
			a := find(t, cat, tt.id)
			var got []string
			for _, r := range a.References {
				got = append(got, r.URL)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("references:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestNoteURLs(t *testing.T) {
	tests := []struct {
		name, notes string
		want        []string
	}{
		{"empty", "", nil},
		{"not_applicable", "N/A", nil},
		{"prose_only", "Apply mitigations per vendor instructions.", nil},
		{"semicolons_spacing", "https://a.example/1;https://a.example/2 ;  https://a.example/3", []string{"https://a.example/1", "https://a.example/2", "https://a.example/3"}},
		{"stray_quote_comma", `https://a.example/x;   https://nvd.example/CVE-1",`, []string{"https://a.example/x", "https://nvd.example/CVE-1"}},
		{"comma_space_list", "https://support.example/121752, https://support.example/121753", []string{"https://support.example/121752", "https://support.example/121753"}},
		{"comma_joined", "https://s.example/HT1,https://s.example/HT2,http://s.example/HT3", []string{"https://s.example/HT1", "https://s.example/HT2", "http://s.example/HT3"}},
		{"trailing_period", "See https://cisa.example/aa23-158a.", []string{"https://cisa.example/aa23-158a"}},
		{"unbalanced_paren", "(see https://cisa.example/ed-21-04-mitigate)", []string{"https://cisa.example/ed-21-04-mitigate"}},
		{"balanced_paren_kept", "https://draytek.example/vuln-(cve-2020-14472)", []string{"https://draytek.example/vuln-(cve-2020-14472)"}},
		{"prefix_labels", "CISA Mitigation Instructions: https://cisa.example/m Additional References: https://vendor.example/a", []string{"https://cisa.example/m", "https://vendor.example/a"}},
		{"duplicates", "https://a.example/1 ; https://a.example/1", []string{"https://a.example/1"}},
		{"query_and_fragment", "https://a.example/x?tab=readme#install, https://b.example/", []string{"https://a.example/x?tab=readme#install", "https://b.example/"}},
		{"bare_scheme", "https:// ; http://", nil},
		{"short_host", "http://a", []string{"http://a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := noteURLs(tt.notes); !slices.Equal(got, tt.want) {
				t.Errorf("noteURLs(%q)\n got %q\nwant %q", tt.notes, got, tt.want)
			}
		})
	}
}

// The older releases were compared with python3 set differences on cveID:
// 2025-08-21 has 1401 entries, 2025-08-25 adds CVE-2024-8068, CVE-2024-8069
// and CVE-2025-48384; 2025-02-26 has 1280 entries, 246 of them Known.
func TestParseOlderReleases(t *testing.T) {
	cur := parseFile(t, currentFile)
	aug := parseFile(t, "testdata/known_exploited_vulnerabilities_2025-08-21.json")
	feb := parseFile(t, "testdata/known_exploited_vulnerabilities_2025-02-26.json")
	if len(aug.Advisories) != 1401 || aug.Version != "2025.08.21" || len(aug.Warnings) != 0 {
		t.Errorf("2025-08-21: %d advisories, version %q, warnings %q", len(aug.Advisories), aug.Version, aug.Warnings)
	}
	if len(feb.Advisories) != 1280 || feb.Version != "2025.02.26" || len(feb.Warnings) != 0 {
		t.Errorf("2025-02-26: %d advisories, version %q, warnings %q", len(feb.Advisories), feb.Version, feb.Warnings)
	}
	known := 0
	for _, a := range feb.Advisories {
		if a.Exploitation.KEV.RansomwareKnown() {
			known++
		}
	}
	if known != 246 {
		t.Errorf("2025-02-26: %d Known, want 246", known)
	}
	old := map[string]bool{}
	for _, a := range aug.Advisories {
		old[a.ID] = true
	}
	var added []string
	for _, a := range cur.Advisories {
		if !old[a.ID] {
			added = append(added, a.ID)
		}
	}
	slices.Sort(added)
	if want := []string{"CVE-2024-8068", "CVE-2024-8069", "CVE-2025-48384"}; !slices.Equal(added, want) {
		t.Errorf("added since 2025-08-21: %q, want %q", added, want)
	}
}

func TestSnapshot(t *testing.T) {
	cat, err := Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if cat.Version != "2025.08.25" || len(cat.Advisories) != 1404 {
		t.Errorf("snapshot: version %q, %d advisories", cat.Version, len(cat.Advisories))
	}
	if !bytes.Equal(snapshotJSON, readFile(t, currentFile)) {
		t.Error("embedded snapshot differs from the data file")
	}
	// Each call returns an independent catalog.
	cat.Advisories[0].ID = "changed"
	again, err := Snapshot()
	if err != nil || again.Advisories[0].ID != "CVE-2025-48384" {
		t.Errorf("second Snapshot: %v, first ID %q", err, again.Advisories[0].ID)
	}

	src := SnapshotSource()
	if src.Name() != "cisa-kev" {
		t.Errorf("Name() = %q", src.Name())
	}
	advs, err := src.Fetch(t.Context())
	if err != nil || len(advs) != 1404 {
		t.Errorf("Fetch: %d advisories, %v", len(advs), err)
	}
}

// TestGolden compares the first three advisories of the current release
// with testdata/first3.golden. Run "go test -update" to rewrite it, then
// check the diff against the raw entries by eye.
func TestGolden(t *testing.T) {
	cat := parseFile(t, currentFile)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(cat.Advisories[:3]); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "first3.golden")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readFile(t, path)
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, buf.String())
	}
}

// minimal is a small valid catalog used by error tests and the fuzz seed.
const minimal = `{
  "title": "CISA Catalog of Known Exploited Vulnerabilities",
  "catalogVersion": "2025.08.25",
  "dateReleased": "2025-08-25T17:04:19.9796Z",
  "count": 2,
  "vulnerabilities": [
    {
      "cveID": " CVE-2025-48384 ",
      "vendorProject": "Git",
      "product": "Git ",
      "vulnerabilityName": "Git Link Following Vulnerability",
      "dateAdded": "2025-08-25",
      "shortDescription": "Git contains a link following vulnerability.",
      "requiredAction": "Apply mitigations per vendor instructions.",
      "dueDate": "2025-09-15",
      "knownRansomwareCampaignUse": "Known",
      "notes": "https://example.com/a ; https://example.com/b\",",
      "cwes": ["CWE-59", "CWE-436"]
    },
    {
      "cveID": "CVE-2021-44228",
      "vendorProject": "Apache",
      "product": "Log4j2",
      "vulnerabilityName": "Apache Log4j2 Remote Code Execution Vulnerability",
      "dateAdded": "2021-12-10",
      "shortDescription": "Apache Log4j2 contains a vulnerability.",
      "requiredAction": "Apply updates per vendor instructions.",
      "dueDate": "2021-12-24"
    }
  ]
}`

func TestParseMinimal(t *testing.T) {
	cat, err := Parse(strings.NewReader(minimal), "minimal.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Advisories) != 2 || len(cat.Warnings) != 0 {
		t.Fatalf("%d advisories, warnings %q", len(cat.Advisories), cat.Warnings)
	}
	a := cat.Advisories[0]
	if a.ID != "CVE-2025-48384" {
		t.Errorf("ID %q, want trimmed", a.ID)
	}
	if a.Affected[0].Product != "Git " {
		t.Errorf("Product %q, want raw value", a.Affected[0].Product)
	}
	if a.URL != "https://www.cisa.gov/known-exploited-vulnerabilities-catalog?search_api_fulltext=CVE-2025-48384" {
		t.Errorf("URL %q", a.URL)
	}
	b := cat.Advisories[1]
	if b.Exploitation.KEV.RansomwareUse != "Unknown" {
		t.Errorf("absent ransomware use = %q, want Unknown", b.Exploitation.KEV.RansomwareUse)
	}
	if b.Weaknesses != nil || b.References != nil {
		t.Errorf("absent cwes/notes gave %q %v", b.Weaknesses, b.References)
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want []string
	}{
		{
			name: "count_mismatch",
			edit: func(s string) string { return strings.Replace(s, `"count": 2`, `"count": 3`, 1) },
			want: []string{`"count" is 3 but the catalog lists 2 vulnerabilities`},
		},
		{
			name: "count_missing",
			edit: func(s string) string { return strings.Replace(s, `"count": 2,`, ``, 1) },
			want: []string{`"count" is missing; the catalog lists 2 vulnerabilities`},
		},
		{
			name: "duplicate_id",
			edit: func(s string) string { return strings.Replace(s, `"CVE-2021-44228"`, `"cve-2025-48384"`, 1) },
			want: []string{"vulnerabilities[1]: duplicate cveID CVE-2025-48384 (first at vulnerabilities[0]); kept the first"},
		},
		{
			name: "header_missing",
			edit: func(s string) string {
				s = strings.Replace(s, `"catalogVersion": "2025.08.25",`, ``, 1)
				return strings.Replace(s, `"dateReleased": "2025-08-25T17:04:19.9796Z",`, ``, 1)
			},
			want: []string{`"catalogVersion" is missing`, `"dateReleased" is missing`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.edit(minimal)
			if in == minimal {
				t.Fatal("edit did not change the input")
			}
			cat, err := Parse(strings.NewReader(in), "x.json")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cat.Warnings, tt.want) {
				t.Errorf("Warnings = %q, want %q", cat.Warnings, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	real := readFile(t, currentFile)
	// Entry 12 (0-based) is CVE-2022-40799; its dateAdded is on line 185,
	// `            "dateAdded": "2025-08-05",` — the value starts in column 26;
	// its dueDate is on line 188, value in column 24.
	lines := bytes.Split(real, []byte("\n"))
	if !bytes.Contains(lines[184], []byte(`"dateAdded": "2025-08-05"`)) || !bytes.Contains(lines[180], []byte("CVE-2022-40799")) ||
		!bytes.Contains(lines[187], []byte(`"dueDate": "`)) {
		t.Fatalf("test data moved: line 185 is %q", lines[184])
	}
	badDate := slices.Clone(lines)
	badDate[184] = bytes.Replace(lines[184], []byte("2025-08-05"), []byte("2025-13-05"), 1)
	badDue := slices.Clone(lines)
	badDue[187] = bytes.Replace(lines[187], []byte(`"dueDate": "`), []byte(`"dueDate": "soon`), 1)

	tests := []struct {
		name      string
		in        []byte
		line, col int
		field     string
		is        error  // errors.Is target, or nil
		msg       string // exact Error(), or "" to skip
	}{
		{
			// Cut after 600000 bytes, inside `"dueDate": "20`; python3:
			// d[:600000].rstrip() has 8739 newlines and 26 characters after the last.
			name: "truncated_real_file", in: real[:600000], line: 8740, col: 27, is: io.ErrUnexpectedEOF,
			msg: "kev.json:8740:27: unexpected end of input (truncated JSON)",
		},
		{
			name: "wrong_type_count", in: []byte(strings.Replace(minimal, `"count": 2`, `"count": "x"`, 1)),
			line: 5, col: 12, field: "count",
			msg: "kev.json:5:12: count: expected integer, found string",
		},
		{
			name: "wrong_type_in_entry", in: []byte(strings.Replace(minimal, `["CWE-59", "CWE-436"]`, `["CWE-59", 436]`, 1)),
			line: 18, col: 26, field: "vulnerabilities[0].cwes[1]",
		},
		{
			name: "vulnerabilities_not_array", in: []byte(`{"catalogVersion": "x", "vulnerabilities": {"a": 1}}`),
			line: 1, col: 44, field: "vulnerabilities",
		},
		{
			name: "html_page", in: []byte("<!DOCTYPE html>\n<html><head><title>Access Denied</title></head></html>"),
			line: 1, col: 1, is: feeds.ErrNotFeed,
			msg: "kev.json:1:1: got an HTML page, not a JSON feed",
		},
		{name: "empty", in: nil, line: 1, col: 1, is: feeds.ErrNotFeed},
		{name: "json_error_object", in: []byte(`{"error": "rate limited"}`), line: 1, col: 1, is: feeds.ErrNotFeed},
		{name: "json_array", in: []byte(`[{"cveID": "CVE-2021-44228"}]`), line: 1, col: 1},
		{
			name: "bad_date_in_entry_12", in: bytes.Join(badDate, []byte("\n")),
			line: 185, col: 26, field: "vulnerabilities[12].dateAdded",
			msg: `kev.json:185:26: vulnerabilities[12].dateAdded: invalid date "2025-13-05": want YYYY-MM-DD`,
		},
		{
			name: "bad_due_date_in_entry_12", in: bytes.Join(badDue, []byte("\n")),
			line: 188, col: 24, field: "vulnerabilities[12].dueDate",
		},
		{
			name: "missing_cve_id", in: []byte(strings.Replace(minimal, `"cveID": "CVE-2021-44228",`, ``, 1)),
			line: 20, col: 5, field: "vulnerabilities[1].cveID",
			msg: "kev.json:20:5: vulnerabilities[1].cveID: missing cveID",
		},
		{
			name: "invalid_cve_id", in: []byte(strings.Replace(minimal, `"CVE-2021-44228"`, `"GHSA-jfh8-c2jp-5v3q"`, 1)),
			line: 21, col: 16, field: "vulnerabilities[1].cveID",
			msg: `kev.json:21:16: vulnerabilities[1].cveID: invalid cveID "GHSA-jfh8-c2jp-5v3q": want CVE-YYYY-NNNN`,
		},
		{
			name: "missing_due_date", in: []byte(strings.Replace(minimal, `"dueDate": "2021-12-24"`, `"dueDate": ""`, 1)),
			line: 28, col: 18, field: "vulnerabilities[1].dueDate",
			msg: "kev.json:28:18: vulnerabilities[1].dueDate: missing dueDate",
		},
		{
			name: "implausible_date", in: []byte(strings.Replace(minimal, `"2021-12-10"`, `"0001-01-01"`, 1)),
			line: 25, col: 20, field: "vulnerabilities[1].dateAdded",
		},
		{
			name: "null_entry", in: []byte(`{"catalogVersion": "x", "vulnerabilities": [null]}`),
			line: 1, col: 45, field: "vulnerabilities[0].cveID",
		},
		{
			name: "bad_date_released", in: []byte(strings.Replace(minimal, `"2025-08-25T17:04:19.9796Z"`, `"yesterday"`, 1)),
			line: 4, col: 19, field: "dateReleased",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := Parse(bytes.NewReader(tt.in), "kev.json")
			if err == nil {
				t.Fatalf("Parse succeeded with %d advisories", len(cat.Advisories))
			}
			var pe *feeds.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *feeds.ParseError", err, err)
			}
			if pe.Input != "kev.json" || pe.Line != tt.line || pe.Column != tt.col || pe.Field != tt.field {
				t.Errorf("got %s:%d:%d field %q, want kev.json:%d:%d field %q\nerror: %v",
					pe.Input, pe.Line, pe.Column, pe.Field, tt.line, tt.col, tt.field, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("Error() = %q\n      want %q", err, tt.msg)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	t.Run("small_limit", func(t *testing.T) {
		_, err := parse(strings.NewReader(minimal), "kev.json", 100)
		if !errors.Is(err, feeds.ErrTooLarge) {
			t.Fatalf("err = %v, want ErrTooLarge", err)
		}
		if got := err.Error(); !strings.HasPrefix(got, "kevfeed: read kev.json: ") {
			t.Errorf("Error() = %q", got)
		}
	})
	t.Run("default_limit", func(t *testing.T) {
		if testing.Short() {
			t.Skip("reads 64 MiB")
		}
		r := io.MultiReader(strings.NewReader(`{"vulnerabilities": [`), io.LimitReader(spaces{}, DefaultMaxBytes))
		_, err := Parse(r, "big.json")
		if !errors.Is(err, feeds.ErrTooLarge) {
			t.Fatalf("err = %v, want ErrTooLarge", err)
		}
	})
}

// spaces is an endless reader of blanks.
type spaces struct{}

var blanks = bytes.Repeat([]byte{' '}, 64<<10)

func (spaces) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], blanks)
	}
	return n, nil
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte(`{"catalogVersion":"1","vulnerabilities":[{"cveID":"CVE-2020-0001","dateAdded":"2020-01-01","dueDate":"2020-01-02","notes":"http://a/(b));https://c/d\","}]}`))
	f.Add([]byte(`{"count":"x"}`))
	f.Add([]byte(`<html>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := parse(bytes.NewReader(data), "fuzz.json", 1<<20)
		if err != nil {
			var pe *feeds.ParseError
			if errors.As(err, &pe) {
				if pe.Input != "fuzz.json" || pe.Line < 1 || pe.Column < 1 {
					t.Errorf("bad position in %v", err)
				}
			} else if !strings.HasPrefix(err.Error(), "kevfeed: ") {
				t.Errorf("error without position or prefix: %v", err)
			}
			if cat != nil {
				t.Error("non-nil catalog with error")
			}
			return
		}
		seen := map[string]bool{}
		for _, a := range cat.Advisories {
			if !cveIDPattern.MatchString(a.ID) || seen[a.ID] {
				t.Errorf("bad or duplicate ID %q", a.ID)
			}
			seen[a.ID] = true
			k := a.Exploitation.KEV
			if k == nil || k.DateAdded.IsZero() || k.DueDate.IsZero() || k.RansomwareUse == "" {
				t.Errorf("%s: incomplete listing %+v", a.ID, k)
			}
			for _, r := range a.References {
				if !strings.HasPrefix(strings.ToLower(r.URL), "http") {
					t.Errorf("%s: reference %q", a.ID, r.URL)
				}
			}
		}
		if _, err := json.Marshal(cat); err != nil {
			t.Errorf("catalog does not marshal: %v", err)
		}
	})
}

// BenchmarkParse parses the full 2025-08-25 catalog (1404 entries, ~1.3 MB).
// The README's benchmark table quotes it; the target is well under 20 ms
// on one core (go test -bench=Parse -cpu=1 ./feeds/kevfeed).
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(currentFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		cat, err := Parse(bytes.NewReader(data), "kev.json")
		if err != nil || len(cat.Advisories) != 1404 {
			b.Fatalf("%v, %d advisories", err, len(cat.Advisories))
		}
	}
}
