package rssfeed

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sigwatch/sigwatch/feeds"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.json")

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func parseFile(t testing.TB, path string, opts *ParseOptions) *Feed {
	t.Helper()
	f, err := ParseWith(bytes.NewReader(readFile(t, path)), path, opts)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return f
}

func find(t testing.TB, f *Feed, id string) *feeds.Advisory {
	t.Helper()
	for i := range f.Advisories {
		if f.Advisories[i].ID == id {
			return &f.Advisories[i]
		}
	}
	t.Fatalf("advisory %s not found", id)
	return nil
}

func ids(f *Feed) []string {
	var out []string
	for _, a := range f.Advisories {
		out = append(out, a.ID)
	}
	return out
}

// realFiles are the captured feeds in testdata/ (see testdata/SOURCES.md).
//
// Every expected number below was derived from the raw files with python3
// and xml.etree / json, independently of this package:
//
//	items    len(root.findall('./channel/item')) (RSS), root.findall(A+'entry') (Atom),
//	         len(j['items']) (JSON Feed), len(root.findall('{rss1.0}item')) (RDF)
//	unique   len(set(IDs)), the ID being the ALAS-… title prefix or the GHSA-… part of
//	         <id> / "url"; first and last are the first and last of these in document order
//	related  sum over unique IDs of len(set(re.findall(r'CVE-\d{4}-\d{4,}', title +
//	         description/content + guid/id + link, re.I)))
//	severity collections.Counter of the "(word)" after the ALAS ID, or of the term of the
//	         first <category label="severity"> per unique GHSA ID
//	updated  the channel <lastBuildDate> / feed <updated> / channel dc:date, by eye
var realFiles = []struct {
	file            string
	format          Format
	title           string
	items, unique   int
	first, last     string
	related         int
	severity        map[feeds.Severity]int
	updated         time.Time
	warnings        int
	firstPublished  time.Time
	firstModified   time.Time
	affectedEntries int // total Affected entries over all advisories
}{
	{
		file: "al2-alas.rss.xml", format: FormatRSS, title: "Amazon Linux AMI Security Bulletins",
		items: 97, unique: 97, first: "ALAS-2018-1106", last: "ALAS-2018-939", related: 271,
		// important 43, medium 35, critical 11, low 8
		severity:       map[feeds.Severity]int{feeds.SeverityHigh: 43, feeds.SeverityMedium: 35, feeds.SeverityCritical: 11, feeds.SeverityLow: 8},
		firstPublished: time.Date(2018, 11, 15, 0, 10, 0, 0, time.UTC),
		// 96 single-package titles + "stunnel, amazon-efs-utils"
		affectedEntries: 98,
	},
	{
		file: "al2022-alas-single-item.rss.xml", format: FormatRSS, title: "Amazon Linux 2022 Security Bulletins",
		items: 1, unique: 1, first: "ALAS-2021-001", last: "ALAS-2021-001", related: 4,
		severity:       map[feeds.Severity]int{feeds.SeverityMedium: 1},
		firstPublished: time.Date(2021, 10, 26, 2, 25, 0, 0, time.UTC), affectedEntries: 1,
	},
	{
		file: "al2023-alas-single-item.rss.xml", format: FormatRSS, title: "Amazon Linux 2023 Security Bulletins",
		items: 1, unique: 1, first: "ALAS-2023-126", last: "ALAS-2023-126", related: 3,
		severity:       map[feeds.Severity]int{feeds.SeverityHigh: 1},
		firstPublished: time.Date(2023, 3, 7, 0, 29, 0, 0, time.UTC), affectedEntries: 1,
	},
	{
		file: "npm.rss", format: FormatAtom, title: "Security Advisory for JavaScript packages hosted at npmjs.com",
		items: 20, unique: 11, first: "GHSA-hqjg-pww4-pcgq", last: "GHSA-f8r2-vg7x-gh8m", related: 1,
		severity:       map[feeds.Severity]int{feeds.SeverityHigh: 7, feeds.SeverityMedium: 3, feeds.SeverityCritical: 1},
		updated:        time.Date(2026, 3, 15, 20, 2, 37, 519e6, time.UTC),
		warnings:       9, // one per merged duplicate entry
		firstPublished: time.Date(2026, 3, 13, 20, 57, 29, 0, time.UTC),
		firstModified:  time.Date(2026, 3, 14, 4, 32, 42, 0, time.UTC),
		// 11 advisories, GHSA-g93w-mfhg-p222 covers @angular/compiler and @angular/core
		affectedEntries: 12,
	},
	{
		file: "go.rss", format: FormatAtom, title: "Security Advisory for Go modules",
		items: 20, unique: 16, first: "GHSA-7x23-j8gv-v54x", last: "GHSA-7m35-vw2c-696v", related: 4,
		severity:       map[feeds.Severity]int{feeds.SeverityMedium: 9, feeds.SeverityHigh: 3, feeds.SeverityCritical: 3, feeds.SeverityLow: 1},
		updated:        time.Date(2026, 3, 15, 20, 2, 36, 805e6, time.UTC),
		warnings:       4,
		firstPublished: time.Date(2026, 3, 13, 20, 58, 28, 0, time.UTC),
		firstModified:  time.Date(2026, 3, 13, 20, 58, 31, 0, time.UTC),
		// 16 advisories, two of them with two module paths (sftpgo, traefik)
		affectedEntries: 18,
	},
	{
		file: "maven.rss", format: FormatAtom, title: "Security Advisory for Java artifacts hosted at the Maven central repository",
		items: 20, unique: 8, first: "GHSA-r8jr-wg88-fq5c", last: "GHSA-74cf-pgh9-m5q2", related: 8,
		severity:       map[feeds.Severity]int{feeds.SeverityLow: 3, feeds.SeverityMedium: 3, feeds.SeverityCritical: 2},
		updated:        time.Date(2026, 3, 15, 20, 2, 37, 78e6, time.UTC),
		warnings:       12,
		firstPublished: time.Date(2026, 3, 12, 12, 30, 29, 0, time.UTC),
		firstModified:  time.Date(2026, 3, 12, 17, 38, 29, 0, time.UTC),
		// 8 advisories, GHSA-rjgh-wgc7-m37j covers com.vaadin:vaadin and com.vaadin:flow-server
		affectedEntries: 9,
	},
	{
		// The JSON Feed twin of npm.rss: same items, but its only tag is the
		// word "severity" (the generator wrote the label, not the term), so
		// no severity can be read.
		file: "npm.json", format: FormatJSON, title: "Security Advisory for JavaScript packages hosted at npmjs.com",
		items: 20, unique: 11, first: "GHSA-hqjg-pww4-pcgq", last: "GHSA-f8r2-vg7x-gh8m", related: 1,
		severity:        map[feeds.Severity]int{feeds.SeverityUnknown: 11},
		warnings:        9,
		firstPublished:  time.Date(2026, 3, 13, 20, 57, 29, 0, time.UTC),
		firstModified:   time.Date(2026, 3, 14, 4, 32, 42, 0, time.UTC),
		affectedEntries: 12,
	},
	{
		file: "debian-news-rss1.0.rdf", format: FormatRDF, title: "Debian News",
		items: 1, unique: 1, first: "https://www.debian.org/News/2022/20221217", last: "https://www.debian.org/News/2022/20221217",
		severity:       map[feeds.Severity]int{feeds.SeverityUnknown: 1},
		updated:        time.Date(2022, 12, 20, 23, 28, 24, 0, time.UTC),
		warnings:       1, // the rdf:Seq lists 6 items, the file holds 1
		firstPublished: time.Date(2022, 12, 17, 0, 0, 0, 0, time.UTC),
	},
}

func TestParseRealFeeds(t *testing.T) {
	for _, tt := range realFiles {
		t.Run(strings.NewReplacer(".", "_", "-", "_").Replace(tt.file), func(t *testing.T) {
			f := parseFile(t, filepath.Join("testdata", tt.file), nil)
			if f.Format != tt.format || f.Title != tt.title {
				t.Errorf("format %q title %q, want %q %q", f.Format, f.Title, tt.format, tt.title)
			}
			if !f.Updated.Equal(tt.updated) {
				t.Errorf("Updated = %v, want %v", f.Updated, tt.updated)
			}
			if len(f.Warnings) != tt.warnings {
				t.Errorf("%d warnings, want %d: %q", len(f.Warnings), tt.warnings, f.Warnings)
			}
			if got := len(f.Advisories); got != tt.unique {
				t.Fatalf("%d advisories, want %d (%d items, duplicates merged)", got, tt.unique, tt.items)
			}
			if got := ids(f); got[0] != tt.first || got[len(got)-1] != tt.last {
				t.Errorf("first/last ID %s / %s, want %s / %s", got[0], got[len(got)-1], tt.first, tt.last)
			}
			related, affected := 0, 0
			sev := map[feeds.Severity]int{}
			seen := map[string]bool{}
			for _, a := range f.Advisories {
				related += len(a.Related)
				affected += len(a.Affected)
				sev[a.Severity]++
				if seen[a.ID] {
					t.Errorf("duplicate ID %s", a.ID)
				}
				seen[a.ID] = true
				if a.Source != DefaultName || a.Extra[ExtraFeed] != filepath.Join("testdata", tt.file) {
					t.Errorf("%s: Source %q, feed %q", a.ID, a.Source, a.Extra[ExtraFeed])
				}
				if !slices.IsSorted(a.Related) || len(a.Aliases) != 0 {
					t.Errorf("%s: Related %q not sorted or unexpected Aliases %q", a.ID, a.Related, a.Aliases)
				}
				for _, tm := range []time.Time{a.Published, a.Modified} {
					if !tm.IsZero() && tm.Location() != time.UTC {
						t.Errorf("%s: time %v not UTC", a.ID, tm)
					}
				}
				for _, af := range a.Affected {
					if af.HasVersionData() || af.Status != feeds.StatusUnknown {
						t.Errorf("%s: hint with version data or status: %+v", a.ID, af)
					}
				}
				if len(a.Affected) > 0 && a.Extra[ExtraAffected] != "hint" {
					t.Errorf("%s: Affected without the hint marker", a.ID)
				}
				if a.URL == "" || len(a.References) == 0 || a.References[0] != (feeds.Reference{Type: "ADVISORY", URL: a.URL}) {
					t.Errorf("%s: URL %q, references %v", a.ID, a.URL, a.References)
				}
			}
			if related != tt.related {
				t.Errorf("%d related CVEs in total, want %d", related, tt.related)
			}
			if affected != tt.affectedEntries {
				t.Errorf("%d affected hints, want %d", affected, tt.affectedEntries)
			}
			if !cmp.Equal(sev, tt.severity) {
				t.Errorf("severities %v, want %v", sev, tt.severity)
			}
			a := f.Advisories[0]
			if !a.Published.Equal(tt.firstPublished) || !a.Modified.Equal(tt.firstModified) {
				t.Errorf("first advisory published %v modified %v, want %v %v", a.Published, a.Modified, tt.firstPublished, tt.firstModified)
			}
		})
	}
}

// Values read by eye from testdata/al2-alas.rss.xml.
func TestAmazonALAS(t *testing.T) {
	f := parseFile(t, "testdata/al2-alas.rss.xml", nil)

	// Multi-line, padded CVE list (lines 972–975): extracted by pattern,
	// the description is kept as published.
	a := find(t, f, "ALAS-2018-939")
	if want := []string{"CVE-2017-5715", "CVE-2017-5754"}; !slices.Equal(a.Related, want) {
		t.Errorf("ALAS-2018-939 related %q, want %q", a.Related, want)
	}
	if want := "\n            CVE-2017-5754,\n                CVE-2017-5715\n        "; a.Summary != want {
		t.Errorf("summary %q, want the raw padded text %q", a.Summary, want)
	}
	if a.Severity != feeds.SeverityCritical || a.Extra[ExtraSeverity] != "critical" {
		t.Errorf("severity %q (%q)", a.Severity, a.Extra[ExtraSeverity])
	}

	// The channel says "Amazon Linux AMI"; the product comes from /AL2/.
	for _, a := range f.Advisories {
		for _, af := range a.Affected {
			if af.Vendor != "Amazon" || af.Product != "Amazon Linux 2" || af.Package == "" {
				t.Errorf("%s: hint %+v", a.ID, af)
			}
		}
		// guid without isPermaLink is a permalink: kept as a reference
		// (equal to the link here) and in Extra.
		if a.Extra[ExtraGUID] != a.URL {
			t.Errorf("%s: guid %q, URL %q", a.ID, a.Extra[ExtraGUID], a.URL)
		}
	}

	// Two packages in one title; an empty description.
	a = find(t, f, "ALAS-2018-996")
	want := []feeds.Affected{
		{Vendor: "Amazon", Product: "Amazon Linux 2", Package: "stunnel"},
		{Vendor: "Amazon", Product: "Amazon Linux 2", Package: "amazon-efs-utils"},
	}
	if diff := cmp.Diff(want, a.Affected); diff != "" {
		t.Errorf("ALAS-2018-996 affected (-want +got):\n%s", diff)
	}
	if a.Related != nil || a.Severity != feeds.SeverityMedium {
		t.Errorf("ALAS-2018-996 related %q severity %q", a.Related, a.Severity)
	}

	// 21 CVEs, the most of any item (python: max of the per-item counts).
	if a := find(t, f, "ALAS-2018-1078"); len(a.Related) != 21 {
		t.Errorf("ALAS-2018-1078: %d related, want 21", len(a.Related))
	}

	// <lastBuildDate> inside <item> is ignored; the product is AL2023.
	f = parseFile(t, "testdata/al2023-alas-single-item.rss.xml", nil)
	a = &f.Advisories[0]
	if a.Affected[0].Product != "Amazon Linux 2023" || a.Affected[0].Package != "device-mapper-multipath" ||
		!a.Modified.IsZero() || len(f.Warnings) != 0 {
		t.Errorf("AL2023 item: %+v modified %v warnings %q", a.Affected, a.Modified, f.Warnings)
	}
}

// Values read by eye from testdata/npm.rss.
func TestGitHubAtom(t *testing.T) {
	f := parseFile(t, "testdata/npm.rss", nil)
	a := find(t, f, "GHSA-g93w-mfhg-p222")
	if a.Extra[ExtraGUID] != "https://github.com/advisories/GHSA-g93w-mfhg-p222" || a.URL != a.Extra[ExtraGUID] {
		t.Errorf("guid %q URL %q", a.Extra[ExtraGUID], a.URL)
	}
	want := []feeds.Affected{{Package: "@angular/compiler"}, {Package: "@angular/core"}}
	if diff := cmp.Diff(want, a.Affected); diff != "" {
		t.Errorf("merged packages (-want +got):\n%s", diff)
	}
	// The title is type="html" CDATA, kept raw; the first entry's title wins.
	if a.Title != "[@angular/compiler] Angular vulnerable to XSS in i18n attribute bindings" {
		t.Errorf("title %q", a.Title)
	}
	if a.Severity != feeds.SeverityHigh || !slices.Equal(a.Tags, []string{"HIGH"}) || a.Extra[ExtraAuthor] != "GitHub" {
		t.Errorf("severity %q tags %q author %q", a.Severity, a.Tags, a.Extra[ExtraAuthor])
	}
	if !strings.Contains(f.Warnings[0], "npm.rss:133:5: feed.entry[2]: id GHSA-g93w-mfhg-p222 repeats feed.entry[1]; merged") {
		t.Errorf("first warning %q", f.Warnings[0])
	}
	// Links in the HTML content become references.
	first := f.Advisories[0]
	var refs []string
	for _, r := range first.References {
		refs = append(refs, r.URL)
	}
	wantRefs := []string{
		"https://github.com/advisories/GHSA-hqjg-pww4-pcgq",
		"https://github.com/google/clasp/security/advisories/GHSA-hqjg-pww4-pcgq",
		"https://nvd.nist.gov/vuln/detail/CVE-2026-4092",
		"https://github.com/google/clasp/pull/1109",
		"https://github.com/google/clasp/commit/ba6bd666fe74de54950122b5d92ecf1dcc02a9d3",
		"https://github.com/google/clasp/releases/tag/v3.2.0",
	}
	if !slices.Equal(refs, wantRefs) {
		t.Errorf("references\n got %q\nwant %q", refs, wantRefs)
	}
	if !slices.Equal(first.Related, []string{"CVE-2026-4092"}) {
		t.Errorf("related %q", first.Related)
	}

	// The JSON Feed twin yields the same IDs, URLs, titles and packages.
	j := parseFile(t, "testdata/npm.json", nil)
	if !slices.Equal(ids(f), ids(j)) {
		t.Errorf("npm.json IDs %q differ from npm.rss %q", ids(j), ids(f))
	}
	for i := range j.Advisories {
		x, y := f.Advisories[i], j.Advisories[i]
		if x.URL != y.URL || x.Title != y.Title || x.Summary != y.Summary || !cmp.Equal(x.Affected, y.Affected) ||
			!x.Published.Equal(y.Published) || !x.Modified.Equal(y.Modified) {
			t.Errorf("%s differs between npm.rss and npm.json", x.ID)
		}
	}
}

func TestDebianRDF(t *testing.T) {
	f := parseFile(t, "testdata/debian-news-rss1.0.rdf", nil)
	if f.Version != "1.0" || f.Link != "https://www.debian.org/News/" {
		t.Errorf("version %q link %q", f.Version, f.Link)
	}
	a := f.Advisories[0]
	if a.ID != "https://www.debian.org/News/2022/20221217" || a.Title != "Updated Debian 11: 11.6 released" {
		t.Errorf("ID %q title %q", a.ID, a.Title)
	}
	if !strings.Contains(a.Summary, "(codename <q>bullseye</q>)") {
		t.Errorf("summary %q: entities not decoded", a.Summary)
	}
	want := "testdata/debian-news-rss1.0.rdf:16:3: rdf:RDF.channel.items: rdf:Seq lists 6 items but the document holds 1; read the items present"
	if f.Warnings[0] != want {
		t.Errorf("warning\n got %q\nwant %q", f.Warnings[0], want)
	}
}

// goldenFiles are compared in full with testdata/golden/<file>.json. Run
// "go test -update" to rewrite them, then review the diff by eye.
var goldenFiles = []string{
	"al2-alas.rss.xml",
	"al2022-alas-single-item.rss.xml",
	"al2023-alas-single-item.rss.xml",
	"npm.rss", "go.rss", "maven.rss", "npm.json",
	"debian-news-rss1.0.rdf",
	"synthetic/msrc.xml",
	"synthetic/cisco-psirt.xml",
	"synthetic/ubuntu-usn.xml",
	"synthetic/fortinet-psirt.xml",
	"synthetic/ncsc-all.xml",
	"synthetic/debian-dsa.rdf",
}

// presetFor names the preset used for each synthetic fixture's golden file.
var presetFor = map[string]string{
	"synthetic/msrc.xml":           "msrc",
	"synthetic/cisco-psirt.xml":    "cisco-psirt",
	"synthetic/ubuntu-usn.xml":     "ubuntu-usn",
	"synthetic/fortinet-psirt.xml": "fortinet-psirt",
	"synthetic/ncsc-all.xml":       "ncsc-all",
	"synthetic/debian-dsa.rdf":     "debian-dsa",
}

func presetOptions(t testing.TB, name string) *ParseOptions {
	t.Helper()
	if name == "" {
		return nil
	}
	p, ok := LookupPreset(name)
	if !ok {
		t.Fatalf("no preset %q", name)
	}
	o := p.parseOptions()
	return &o
}

func TestGolden(t *testing.T) {
	for _, file := range goldenFiles {
		t.Run(strings.NewReplacer(".", "_", "-", "_", "/", "_").Replace(file), func(t *testing.T) {
			f := parseFile(t, filepath.Join("testdata", file), presetOptions(t, presetFor[file]))
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(f); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", strings.ReplaceAll(file, "/", "_")+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want := readFile(t, path)
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, diff)
			}
		})
	}
}

func TestParseIsDeterministic(t *testing.T) {
	for _, file := range goldenFiles {
		data := readFile(t, filepath.Join("testdata", file))
		a, err1 := Parse(bytes.NewReader(data), file)
		b, err2 := Parse(bytes.NewReader(data), file)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: two parses differ:\n%s", file, diff)
		}
	}
}
