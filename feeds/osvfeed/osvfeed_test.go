package osvfeed

import (
	"archive/zip"
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
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.json")

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func parseZipFile(tb testing.TB, path string) *Database {
	tb.Helper()
	data := readFile(tb, path)
	db, err := ParseZip(tb.Context(), bytes.NewReader(data), int64(len(data)), filepath.Base(path), nil)
	if err != nil {
		tb.Fatalf("ParseZip(%s): %v", path, err)
	}
	return db
}

func parseDir(tb testing.TB, dir string) *Database {
	tb.Helper()
	db, err := ParseFS(tb.Context(), os.DirFS(dir), ".", nil)
	if err != nil {
		tb.Fatalf("ParseFS(%s): %v", dir, err)
	}
	return db
}

var (
	goOnce, almaOnce sync.Once
	goDB, almaDB     *Database
)

// goVulnDB is testdata/go-vulndb.zip parsed once: all 4,291 records of
// golang/vulndb data/osv at commit a752ea54.
func goVulnDB(t *testing.T) *Database {
	goOnce.Do(func() { goDB = parseZipFile(t, "testdata/go-vulndb.zip") })
	if goDB == nil {
		t.Fatal("go-vulndb.zip did not parse")
	}
	return goDB
}

func almaLinux(t *testing.T) *Database {
	almaOnce.Do(func() { almaDB = parseZipFile(t, "testdata/almalinux9-2025.zip") })
	if almaDB == nil {
		t.Fatal("almalinux9-2025.zip did not parse")
	}
	return almaDB
}

func lookup(t *testing.T, db *Database, id string) *feeds.Advisory {
	t.Helper()
	a, ok := db.Lookup(id)
	if !ok {
		t.Fatalf("advisory %s not found", id)
	}
	return a
}

// extraJSON decodes a JSON value kept in Extra.
func extraJSON(t *testing.T, a *feeds.Advisory, key string) map[string]any {
	t.Helper()
	s, ok := a.Extra[key]
	if !ok {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%s: Extra[%s] = %q: %v", a.ID, key, s, err)
	}
	return m
}

// The expected numbers were derived from the raw files (the unzipped
// /work/shared/testdata/osv/go folder, identical to go-vulndb.zip) with
// python3, independently of this package:
//
//	recs = [json.load(open(f)) for f in glob("go/*.json")]
//	len(recs)                                                 -> 4291
//	sum("withdrawn" in r)                                     -> 17
//	sum(r["modified"] == "0001-01-01T00:00:00Z")              -> 4291
//	sum(r["published"] == "0001-01-01T00:00:00Z")             -> 4039
//	records with an affected package named "stdlib"           -> 167
//	records with an affected package named "toolchain"        -> 32
//	"fixed" events ending "+incompatible"                     -> 762
//	  (grep -h '"fixed": "[^"]*+incompatible"' *.json | wc -l -> 762 too;
//	  formats.md says 743, which neither count reproduces)
//	"introduced" events ending "-0" ("1.19.0-0")              -> 193
//	affected entries 6125, all ecosystem "Go"; ranges 6125, all SEMVER;
//	events 12888; versions[] entries 0
//	review_status REVIEWED 1136, UNREVIEWED 3155
//	ecosystem_specific with "imports" 1110, with "custom_ranges" 589
//	aliases: 7965 in total, 7945 unique per record (some repeat)
//	related: 18 records, 45 unique IDs; credits: 473 records
//	references 15734; database_specific.url == pkg.go.dev/vuln/<id> 4291
//	schema_version "1.3.1" everywhere
func TestGoVulnDB(t *testing.T) {
	db := goVulnDB(t)
	if len(db.Advisories) != 4291 || len(db.Files) != 4291 {
		t.Fatalf("%d advisories, %d files, want 4291", len(db.Advisories), len(db.Files))
	}
	if len(db.Warnings) != 0 || len(db.Skipped) != 0 {
		t.Errorf("warnings %q, skipped %q", db.Warnings, db.Skipped)
	}
	if !slices.IsSortedFunc(db.Advisories, func(a, b feeds.Advisory) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("advisories not sorted by ID")
	}
	var withdrawn, zeroModified, zeroPublished, stdlib, toolchain, incompatible, dashZero, affected, events, aliases, relatedRecs, related, credits, refs int
	var reviewed, unreviewed, imports, customRanges int
	for i := range db.Advisories {
		a := &db.Advisories[i]
		if want := "go-vulndb.zip/" + a.ID + ".json"; db.Files[i] != want {
			t.Errorf("Files[%d] = %q, want %q", i, db.Files[i], want)
		}
		if !a.Withdrawn.IsZero() {
			withdrawn++
		}
		if a.Modified.IsZero() {
			zeroModified++
		}
		if a.Published.IsZero() {
			zeroPublished++
		} else if a.Published.Location() != time.UTC || a.Published.Year() < 2019 {
			t.Errorf("%s: Published %v", a.ID, a.Published)
		}
		if a.Source != "osv" || a.Publisher != "Go" || a.URL != "https://pkg.go.dev/vuln/"+a.ID || a.TLP != feeds.TLPUnspecified {
			t.Errorf("%s: Source %q Publisher %q URL %q TLP %q", a.ID, a.Source, a.Publisher, a.URL, a.TLP)
		}
		if a.Extra[ExtraSchemaVersion] != "1.3.1" {
			t.Errorf("%s: schema_version %q", a.ID, a.Extra[ExtraSchemaVersion])
		}
		switch a.Extra[ExtraReviewStatus] {
		case "REVIEWED":
			reviewed++
		case "UNREVIEWED":
			unreviewed++
		default:
			t.Errorf("%s: review status %q", a.ID, a.Extra[ExtraReviewStatus])
		}
		hasStdlib, hasToolchain := false, false
		for j, af := range a.Affected {
			affected++
			if af.Ecosystem != "Go" || len(af.Ranges) != 1 || af.Ranges[0].Type != "SEMVER" || len(af.Versions) != 0 {
				t.Errorf("%s: affected[%d] = %+v", a.ID, j, af)
			}
			hasStdlib = hasStdlib || af.Package == "stdlib"
			hasToolchain = hasToolchain || af.Package == "toolchain"
			for _, r := range af.Ranges {
				for _, e := range r.Events {
					events++
					if strings.HasSuffix(e.Fixed, "+incompatible") {
						incompatible++
					}
					if strings.HasSuffix(e.Introduced, "-0") {
						dashZero++
					}
				}
			}
			es := extraJSON(t, a, ExtraAffectedKey(j, "ecosystem_specific"))
			if _, ok := es["imports"]; ok {
				imports++
			}
			if _, ok := es["custom_ranges"]; ok {
				customRanges++
			}
		}
		if hasStdlib {
			stdlib++
		}
		if hasToolchain {
			toolchain++
		}
		if slices.Contains(a.Aliases, a.ID) || !slices.IsSorted(a.Aliases) {
			t.Errorf("%s: aliases %q", a.ID, a.Aliases)
		}
		aliases += len(a.Aliases)
		if len(a.Related) > 0 {
			relatedRecs++
			related += len(a.Related)
		}
		if _, ok := a.Extra[ExtraCredits]; ok {
			credits++
		}
		refs += len(a.References)
	}
	got := map[string]int{
		"withdrawn": withdrawn, "zeroModified": zeroModified, "zeroPublished": zeroPublished, "stdlib": stdlib, "toolchain": toolchain,
		"incompatible": incompatible, "dashZero": dashZero, "affected": affected, "events": events,
		"aliases": aliases, "relatedRecs": relatedRecs, "related": related, "credits": credits, "refs": refs,
		"reviewed": reviewed, "unreviewed": unreviewed, "imports": imports, "customRanges": customRanges,
	}
	want := map[string]int{
		"withdrawn": 17, "zeroModified": 4291, "zeroPublished": 4039, "stdlib": 167, "toolchain": 32,
		"incompatible": 762, "dashZero": 193, "affected": 6125, "events": 12888,
		"aliases": 7945, "relatedRecs": 18, "related": 45, "credits": 473, "refs": 15734,
		"reviewed": 1136, "unreviewed": 3155, "imports": 1110, "customRanges": 589,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

// One Go record checked field by field against the raw file
// GO-2022-0617.json (withdrawn 2024-05-20, read by hand).
func TestGoWithdrawn(t *testing.T) {
	raw := readZipMember(t, "testdata/go-vulndb.zip", "GO-2022-0617.json")
	var r struct{ Withdrawn string }
	if err := json.Unmarshal(raw, &r); err != nil || r.Withdrawn == "" {
		t.Fatalf("test data: %v %q", err, r.Withdrawn)
	}
	want, err := time.Parse(time.RFC3339, r.Withdrawn)
	if err != nil {
		t.Fatal(err)
	}
	a := lookup(t, goVulnDB(t), "GO-2022-0617")
	if !a.Withdrawn.Equal(want) {
		t.Errorf("Withdrawn %v, want %v", a.Withdrawn, want)
	}
}

func readZipMember(t *testing.T, zipPath, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Derived with python3 over /work/shared/testdata/osv/almalinux9-2025
// (the same 373 files as almalinux9-2025.zip):
//
//	affected ecosystems: AlmaLinux:9 5520, AlmaLinux:8 244, AlmaLinux:10 46
//	no record has "aliases" or "schema_version"; every record has related
//	related: 1229 in total, 1226 unique per record, all CVE IDs
//	summary prefixes: Important 199, Moderate 168, Low 5, Critical 1
//	"fixed" values with an epoch (contain ":") 909; ranges all ECOSYSTEM
//	references 3170
func TestAlmaLinux(t *testing.T) {
	db := almaLinux(t)
	if len(db.Advisories) != 373 || len(db.Warnings) != 0 {
		t.Fatalf("%d advisories, warnings %q", len(db.Advisories), db.Warnings)
	}
	ecos := map[string]int{}
	sev := map[feeds.Severity]int{}
	var related, epoch, refs int
	for i := range db.Advisories {
		a := &db.Advisories[i]
		if !strings.HasPrefix(a.ID, "ALSA-2025:") || a.Publisher != "AlmaLinux" || a.URL != OSVPageURL+a.ID {
			t.Errorf("%s: Publisher %q URL %q", a.ID, a.Publisher, a.URL)
		}
		if want := "almalinux9-2025.zip/" + strings.Replace(a.ID, ":", "-", 1) + ".json"; db.Files[i] != want {
			t.Errorf("file %q, want %q", db.Files[i], want)
		}
		if len(a.Aliases) != 0 || len(a.CVEs()) != 0 || len(a.RelatedCVEs()) != len(a.Related) || len(a.Related) == 0 {
			t.Errorf("%s: aliases %q related %q", a.ID, a.Aliases, a.Related)
		}
		if _, ok := a.Extra[ExtraSchemaVersion]; ok {
			t.Errorf("%s: schema_version in Extra", a.ID)
		}
		related += len(a.Related)
		sev[a.Severity]++
		refs += len(a.References)
		for _, af := range a.Affected {
			ecos[af.Ecosystem]++
			if name, rel := SplitEcosystem(af.Ecosystem); name != "AlmaLinux" || rel == "" {
				t.Errorf("%s: SplitEcosystem(%q) = %q, %q", a.ID, af.Ecosystem, name, rel)
			}
			for _, r := range af.Ranges {
				if r.Type != "ECOSYSTEM" {
					t.Errorf("%s: range type %q", a.ID, r.Type)
				}
				for _, e := range r.Events {
					if strings.Contains(e.Fixed, ":") {
						epoch++
					}
				}
			}
		}
	}
	want := map[string]int{"AlmaLinux:9": 5520, "AlmaLinux:8": 244, "AlmaLinux:10": 46}
	if diff := cmp.Diff(want, ecos); diff != "" {
		t.Errorf("ecosystems (-want +got):\n%s", diff)
	}
	wantSev := map[feeds.Severity]int{feeds.SeverityHigh: 199, feeds.SeverityMedium: 168, feeds.SeverityLow: 5, feeds.SeverityCritical: 1}
	if diff := cmp.Diff(wantSev, sev); diff != "" {
		t.Errorf("severities (-want +got):\n%s", diff)
	}
	if related != 1226 || epoch != 909 || refs != 3170 {
		t.Errorf("related %d (want 1226), epoch fixed %d (want 909), references %d (want 3170)", related, epoch, refs)
	}
	// ALSA-2025:0147 by hand: one package, related listed as
	// ["CVE-2025-0243", "CVE-2025-0242"], fixed "128.6.0-3.el9_5.alma.1".
	a := lookup(t, db, "ALSA-2025:0147")
	if !slices.Equal(a.Related, []string{"CVE-2025-0242", "CVE-2025-0243"}) {
		t.Errorf("Related %q", a.Related)
	}
}

// Derived by reading the files and with python3 over the folders:
// from-osv-scanner-fixtures has 29 records (plus _extracted_from.tsv);
// "aliases": null in GHSA-mc8h-8q98-g5hr, GHSA-mrrw-grhq-86gf and
// RUSTSEC-2023-0015; ecosystems crates.io 16, Go 15, Debian:10 2,
// Debian:11 1, OSS-Fuzz 1; one GIT range (OSV-2023-72, repo
// https://android.googlesource.com/platform/external/perfetto/); seven
// records without summary. GHSA-wcg3-cvx6-7396 (crate "time") has two
// affected entries: SEMVER introduced "0.1", last_affected "0.2"; and
// introduced "0.2.7", fixed "0.2.23".
func TestOSVScannerFixtures(t *testing.T) {
	db := parseDir(t, "testdata/from-osv-scanner-fixtures")
	if len(db.Advisories) != 29 || !slices.Equal(db.Skipped, []string{"_extracted_from.tsv"}) {
		t.Fatalf("%d advisories, skipped %q", len(db.Advisories), db.Skipped)
	}
	ecos := map[string]int{}
	var git []string
	noSummary := 0
	for _, a := range db.Advisories {
		for _, af := range a.Affected {
			ecos[af.Ecosystem]++
			for _, r := range af.Ranges {
				if r.Type == "GIT" {
					git = append(git, a.ID+" "+r.Repo)
				}
			}
		}
		if a.Title == a.ID {
			noSummary++
		}
	}
	if diff := cmp.Diff(map[string]int{"crates.io": 16, "Go": 15, "Debian:10": 2, "Debian:11": 1, "OSS-Fuzz": 1}, ecos); diff != "" {
		t.Errorf("ecosystems (-want +got):\n%s", diff)
	}
	if want := []string{"OSV-2023-72 https://android.googlesource.com/platform/external/perfetto/"}; !slices.Equal(git, want) {
		t.Errorf("GIT ranges %q", git)
	}
	if noSummary != 7 {
		t.Errorf("%d records titled by ID, want 7", noSummary)
	}
	for _, id := range []string{"GHSA-mc8h-8q98-g5hr", "GHSA-mrrw-grhq-86gf", "RUSTSEC-2023-0015"} {
		if a := lookup(t, db, id); a.Aliases != nil {
			t.Errorf("%s: null aliases gave %q", id, a.Aliases)
		}
	}
	a := lookup(t, db, "GHSA-wcg3-cvx6-7396")
	want := []feeds.Affected{{
		Ecosystem: "crates.io", Package: "time", PURL: "pkg:cargo/time",
		Ranges: []feeds.Range{{Type: "SEMVER", Events: []feeds.Event{{Introduced: "0.1"}, {LastAffected: "0.2"}}}},
	}, {
		Ecosystem: "crates.io", Package: "time", PURL: "pkg:cargo/time",
		Ranges: []feeds.Range{{Type: "SEMVER", Events: []feeds.Event{{Introduced: "0.2.7"}, {Fixed: "0.2.23"}}}},
	}}
	if diff := cmp.Diff(want, a.Affected); diff != "" {
		t.Errorf("GHSA-wcg3-cvx6-7396 affected (-want +got):\n%s", diff)
	}
	if a.Severity != feeds.SeverityMedium {
		t.Errorf("GHSA-wcg3-cvx6-7396: severity %q, want medium (MODERATE)", a.Severity)
	}
	// OSS-Fuzz gives its severity in ecosystem_specific ("HIGH").
	if a := lookup(t, db, "OSV-2023-72"); a.Severity != feeds.SeverityHigh || a.Publisher != "OSS-Fuzz" {
		t.Errorf("OSV-2023-72: severity %q publisher %q", a.Severity, a.Publisher)
	}
	wantWarn := []string{
		"GHSA-wcg3-cvx6-7396.json:23:29: GHSA-wcg3-cvx6-7396: affected[0].ranges[0].events[0].introduced: version \"0.1\" in a SEMVER range is not a semantic version",
		"GHSA-wcg3-cvx6-7396.json:26:32: GHSA-wcg3-cvx6-7396: affected[0].ranges[0].events[1].last_affected: version \"0.2\" in a SEMVER range is not a semantic version",
	}
	if diff := cmp.Diff(wantWarn, db.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// The linter fixtures of ossf/osv-schema, each checked against
// formats.md §6: malformed records parse, keep their data, and are
// flagged. Positions were read off the files by hand (for example
// GHSA-9v2f-6vcg-3hgv.json line 25 is `        "4.36.-1"`, column 9).
func TestMixedEcosystems(t *testing.T) {
	db := parseDir(t, "testdata/mixed-ecosystems")
	if len(db.Advisories) != 9 {
		t.Fatalf("%d advisories, want 9", len(db.Advisories))
	}
	wantWarn := []string{
		"CVE-2018-5407.json:131:5: CVE-2018-5407: affected[6]: no package: only the GIT range's repository identifies the product",
		"CVE-2023-41045.json:11:5: CVE-2023-41045: affected[0]: no package: only the GIT range's repository identifies the product",
		"GHSA-9v2f-6vcg-3hgv.json:25:9: GHSA-9v2f-6vcg-3hgv: affected[0].versions[1]: invalid PyPI version \"4.36.-1\" (not PEP 440)",
		"RHSA-2022_0216.json:1:1: RHSA-2022:0216: affected: record has no affected packages",
		"SUSE-FU-2022_0444-1.json:2:17: SUSE-FU-2022:0444-1: affected: record has no affected packages",
	}
	if diff := cmp.Diff(wantWarn, db.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}

	// GHSA-9v2f-6vcg-3hgv: versions kept as published, invalid one too.
	if a := lookup(t, db, "GHSA-9v2f-6vcg-3hgv"); !slices.Equal(a.Affected[0].Versions, []string{"4.36.1", "4.36.-1"}) || a.Severity != feeds.SeverityCritical {
		t.Errorf("GHSA-9v2f-6vcg-3hgv: %+v severity %q", a.Affected, a.Severity)
	}
	// MAL-2024-10238: versions only, which is valid OSV: no warning.
	if a := lookup(t, db, "MAL-2024-10238"); len(a.Affected) != 1 || a.Affected[0].Ranges != nil ||
		!slices.Equal(a.Affected[0].Versions, []string{"0.0.1"}) || a.Publisher != "OpenSSF Malicious Packages" || a.Extra[ExtraCredits] == "" {
		t.Errorf("MAL-2024-10238: %+v %q %v", a.Affected, a.Publisher, a.Extra)
	}
	// CVE-2023-41045: no package, a GIT range with two fixed commits in order.
	a := lookup(t, db, "CVE-2023-41045")
	wantAff := []feeds.Affected{{Ranges: []feeds.Range{{
		Type: "GIT", Repo: "https://github.com/graylog2/graylog2-server",
		Events: []feeds.Event{{Introduced: "0"}, {Fixed: "466af814523cffae9fbc7e77bab7472988f03c3e"}, {Fixed: "a101f4f12180fd3dfa7d3345188a099877a3c327"}},
	}}}}
	if diff := cmp.Diff(wantAff, a.Affected); diff != "" {
		t.Errorf("CVE-2023-41045 affected (-want +got):\n%s", diff)
	}
	if a.Title != "CVE-2023-41045" || a.Publisher != "" || !slices.Equal(a.Aliases, []string{"GHSA-g96c-x7rh-99r3"}) {
		t.Errorf("CVE-2023-41045: title %q publisher %q aliases %q", a.Title, a.Publisher, a.Aliases)
	}
	// RHSA-2022:0216: no affected; related CVEs; 27 references.
	a = lookup(t, db, "RHSA-2022:0216")
	if a.Affected != nil || len(a.References) != 27 || !slices.Equal(a.RelatedCVEs(), []string{"CVE-2021-44832", "CVE-2021-45046", "CVE-2021-45105"}) {
		t.Errorf("RHSA-2022:0216: affected %v, %d references, related %q", a.Affected, len(a.References), a.Related)
	}
	// SUSE-FU-2022:0444-1: affected [] and aliases []; 51 related.
	a = lookup(t, db, "SUSE-FU-2022:0444-1")
	if a.Affected != nil || a.Aliases != nil || len(a.Related) != 51 || a.Publisher != "SUSE" {
		t.Errorf("SUSE-FU-2022:0444-1: affected %v aliases %q, %d related", a.Affected, a.Aliases, len(a.Related))
	}
	// PYSEC-2023-74: GIT and ECOSYSTEM ranges; microsecond modified.
	a = lookup(t, db, "PYSEC-2023-74")
	if len(a.Affected[0].Ranges) != 2 || a.Affected[0].Ranges[0].Type != "GIT" || a.Affected[0].Ranges[1].Type != "ECOSYSTEM" ||
		len(a.Affected[0].Versions) != 66 || !a.Modified.Equal(time.Date(2023, 6, 5, 1, 13, 0, 534973000, time.UTC)) {
		t.Errorf("PYSEC-2023-74: ranges %+v, %d versions, modified %v", a.Affected[0].Ranges, len(a.Affected[0].Versions), a.Modified)
	}
	// CVE-2018-5407: Alpine:v3.3 … v3.8 are known ecosystems with a release.
	a = lookup(t, db, "CVE-2018-5407")
	if a.Affected[0].Ecosystem != "Alpine:v3.3" || !KnownEcosystem(a.Affected[0].Ecosystem) {
		t.Errorf("CVE-2018-5407: ecosystem %q", a.Affected[0].Ecosystem)
	}
}

// GHSA files read by hand: Log4Shell has three affected entries for the
// same Maven package; GHSA-qppj-fm5r-hxr3 has 5 entries (4 Go with
// ECOSYSTEM ranges, 1 "purl-type:swift" named by URL), alias
// CVE-2023-44487, severity MODERATE, cwe_ids ["CWE-400"],
// nvd_published_at null.
func TestGHSA(t *testing.T) {
	db := parseDir(t, "testdata/ghsa")
	if len(db.Advisories) != 2 || len(db.Warnings) != 0 {
		t.Fatalf("%d advisories, warnings %q", len(db.Advisories), db.Warnings)
	}
	a := lookup(t, db, "GHSA-qppj-fm5r-hxr3")
	ecos := map[string]int{}
	for _, af := range a.Affected {
		ecos[af.Ecosystem]++
		for _, r := range af.Ranges {
			if r.Type != "ECOSYSTEM" {
				t.Errorf("range type %q", r.Type)
			}
		}
	}
	if diff := cmp.Diff(map[string]int{"Go": 4, "purl-type:swift": 1}, ecos); diff != "" {
		t.Errorf("ecosystems (-want +got):\n%s", diff)
	}
	if a.Affected[0].Package != "https://github.com/apple/swift-nio-http2" || a.Severity != feeds.SeverityMedium ||
		!slices.Equal(a.Weaknesses, []string{"CWE-400"}) || !slices.Equal(a.CVEs(), []string{"CVE-2023-44487"}) {
		t.Errorf("GHSA-qppj-fm5r-hxr3: %+v %q %q", a.Affected[0], a.Severity, a.Weaknesses)
	}
	if !strings.Contains(a.Extra[ExtraDatabaseSpecific], `"nvd_published_at":null`) {
		t.Errorf("database_specific %q", a.Extra[ExtraDatabaseSpecific])
	}
}

// The Red Hat records converted from CSAF (python3): RHSA-2024:4546 has 9
// affected entries, related ["GO-2024-2687"], upstream
// ["CVE-2023-45288"]; RHSA-2024:6220 has 228 entries, no related, upstream
// ["CVE-2024-6345"]; each spans 3 "Red Hat:…" ecosystems.
func TestRedHatConverted(t *testing.T) {
	db := parseDir(t, "testdata/redhat-converted")
	if len(db.Advisories) != 2 || len(db.Warnings) != 0 {
		t.Fatalf("%d advisories, warnings %q", len(db.Advisories), db.Warnings)
	}
	for _, tt := range []struct {
		id       string
		affected int
		related  []string
		upstream string
	}{
		{"RHSA-2024:4546", 9, []string{"CVE-2023-45288", "GO-2024-2687"}, `["CVE-2023-45288"]`},
		{"RHSA-2024:6220", 228, []string{"CVE-2024-6345"}, `["CVE-2024-6345"]`},
	} {
		a := lookup(t, db, tt.id)
		ecos := map[string]bool{}
		for _, af := range a.Affected {
			ecos[af.Ecosystem] = true
			if !strings.HasPrefix(af.Ecosystem, "Red Hat:") || !strings.HasPrefix(af.PURL, "pkg:rpm/redhat/") {
				t.Errorf("%s: %+v", tt.id, af)
			}
		}
		if len(a.Affected) != tt.affected || len(ecos) != 3 || !slices.Equal(a.Related, tt.related) ||
			a.Extra[ExtraUpstream] != tt.upstream || a.Publisher != "Red Hat" || len(a.Scores) != 1 {
			t.Errorf("%s: %d affected, %d ecosystems, related %q, upstream %q", tt.id, len(a.Affected), len(ecos), a.Related, a.Extra[ExtraUpstream])
		}
	}
}

// TestGolden compares full mappings with testdata/golden/<ID>.json. Run
// "go test -update" to rewrite them, then review the diff against the raw
// records by eye.
func TestGolden(t *testing.T) {
	ghsa := parseDir(t, "testdata/ghsa")
	mixed := parseDir(t, "testdata/mixed-ecosystems")
	redhat := parseDir(t, "testdata/redhat-converted")
	for _, tt := range []struct {
		db *Database
		id string
	}{
		{ghsa, "GHSA-jfh8-c2jp-5v3q"},
		{almaLinux(t), "ALSA-2025:0147"},
		{goVulnDB(t), "GO-2022-0191"},
		{goVulnDB(t), "GO-2024-2445"}, // withdrawn
		{mixed, "MAL-2024-10238"},
		{redhat, "RHSA-2024:4546"},
	} {
		name := strings.ReplaceAll(tt.id, ":", "-")
		t.Run(strings.ReplaceAll(name, "-", "_"), func(t *testing.T) {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(lookup(t, tt.db, tt.id)); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(string(readFile(t, path)), string(got)); diff != "" {
				t.Errorf("%s differs (-golden +got); run go test -update and review:\n%s", path, diff)
			}
		})
	}
}

// TestEcosystemList checks the embedded names against the OSV schema's
// ecosystems.json (48 keys).
func TestEcosystemList(t *testing.T) {
	var m map[string]string
	if err := json.Unmarshal(readFile(t, "testdata/ecosystems.json"), &m); err != nil {
		t.Fatal(err)
	}
	var want []string
	for k := range m {
		want = append(want, k)
	}
	slices.Sort(want)
	if len(want) != 48 {
		t.Fatalf("ecosystems.json has %d keys", len(want))
	}
	if diff := cmp.Diff(want, Ecosystems()); diff != "" {
		t.Errorf("embedded ecosystems (-ecosystems.json +embedded):\n%s", diff)
	}
}

func TestEcosystems(t *testing.T) {
	tests := []struct {
		eco, name, suffix string
		known             bool
		warn              string
	}{
		{"Go", "Go", "", true, ""},
		{"AlmaLinux:9", "AlmaLinux", "9", true, ""},
		{"Red Hat:rhel_aus:8.6::appstream", "Red Hat", "rhel_aus:8.6::appstream", true, ""},
		{"Ubuntu:Pro:18.04:LTS", "Ubuntu", "Pro:18.04:LTS", true, ""},
		{"Maven:https://repo.example/maven2/", "Maven", "https://repo.example/maven2/", true, ""},
		{"purl-type:swift", "purl-type:swift", "", true, ""},
		{"purl-type:", "purl-type:", "", false, `ecosystem "purl-type:" is not in the OSV list`},
		{"pypi", "pypi", "", false, `ecosystem "pypi" is not in the OSV list (OSV spells it "PyPI")`},
		{"Nix", "Nix", "", false, `ecosystem "Nix" is not in the OSV list`},
		{"", "", "", false, `ecosystem "" is not in the OSV list`},
	}
	for _, tt := range tests {
		name, suffix := SplitEcosystem(tt.eco)
		if name != tt.name || suffix != tt.suffix || KnownEcosystem(tt.eco) != tt.known || checkEcosystem(tt.eco) != tt.warn {
			t.Errorf("%q: split %q %q known %v warn %q", tt.eco, name, suffix, KnownEcosystem(tt.eco), checkEcosystem(tt.eco))
		}
	}
}

func TestCheckVersion(t *testing.T) {
	tests := []struct {
		eco, typ, v string
		ok          bool
	}{
		{"Go", "SEMVER", "1.19.0-0", true},
		{"Go", "SEMVER", "0.0.0-20220314234659-1baeb1ce4c0b", true},
		{"Go", "SEMVER", "2.0.0+incompatible", true},
		{"Go", "SEMVER", "v1.2.3", false},
		{"Go", "ECOSYSTEM", "v1.2.3", true},
		{"Go", "ECOSYSTEM", "1.2", false},
		{"crates.io", "SEMVER", "0.1", false},
		{"PyPI", "ECOSYSTEM", "4.36.1", true},
		{"PyPI", "", "4.36.-1", false},
		{"PyPI", "", "1.0.post1", true},
		{"PyPI", "", "2!1.0rc1.dev3+local.7", true},
		{"Maven", "ECOSYSTEM", "2.4", true},
		{"AlmaLinux:9", "ECOSYSTEM", "1:2.06-27.el9_0.7.alma", true},
		{"Debian:10", "ECOSYSTEM", "2.3.1-1+deb10u1", true},
		{"npm", "", " ", false},
		{"npm", "", "1.0 beta", false},
		{"npm", "", "1.0\x00", false},
		{"", "GIT", "466af814523cffae9fbc7e77bab7472988f03c3e", true},
	}
	for _, tt := range tests {
		if msg := checkVersion(tt.eco, tt.typ, tt.v); (msg == "") != tt.ok {
			t.Errorf("checkVersion(%q, %q, %q) = %q, want ok=%v", tt.eco, tt.typ, tt.v, msg, tt.ok)
		}
	}
}

// minimal is a small valid record used by the error tests.
const minimal = `{
  "schema_version": "1.6.0",
  "id": "GHSA-xxxx-yyyy-zzzz",
  "modified": "2024-01-02T03:04:05Z",
  "published": "2024-01-01T00:00:00Z",
  "aliases": ["CVE-2024-0001"],
  "summary": "Example",
  "affected": [{
    "package": {"ecosystem": "npm", "name": "left-pad"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]}]
  }]
}`

func TestParseMinimal(t *testing.T) {
	rec, err := Parse(strings.NewReader(minimal), "min.json")
	if err != nil {
		t.Fatal(err)
	}
	want := feeds.Advisory{
		ID: "GHSA-xxxx-yyyy-zzzz", Aliases: []string{"CVE-2024-0001"}, Source: "osv", Publisher: "GitHub",
		Title: "Example", URL: "https://osv.dev/vulnerability/GHSA-xxxx-yyyy-zzzz",
		Published: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Modified: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Affected: []feeds.Affected{{Ecosystem: "npm", Package: "left-pad", Ranges: []feeds.Range{{
			Type: "SEMVER", Events: []feeds.Event{{Introduced: "0"}, {Fixed: "1.2.3"}},
		}}}},
		Extra: map[string]string{ExtraSchemaVersion: "1.6.0"},
	}
	if diff := cmp.Diff(want, rec.Advisory); diff != "" {
		t.Errorf("advisory (-want +got):\n%s", diff)
	}
	if rec.SchemaVersion != "1.6.0" || rec.Warnings != nil {
		t.Errorf("schema %q warnings %q", rec.SchemaVersion, rec.Warnings)
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want []string
	}{
		{
			name: "unknown_ecosystem",
			edit: func(s string) string { return strings.Replace(s, `"npm"`, `"NPM"`, 1) },
			want: []string{`x.json:9:30: GHSA-xxxx-yyyy-zzzz: affected[0].package.ecosystem: ecosystem "NPM" is not in the OSV list (OSV spells it "npm")`},
		},
		{
			name: "no_introduced_and_bad_semver",
			edit: func(s string) string {
				return strings.Replace(s, `{"introduced": "0"}, {"fixed": "1.2.3"}`, `{"fixed": "1.2"}`, 1)
			},
			want: []string{
				`x.json:10:56: GHSA-xxxx-yyyy-zzzz: affected[0].ranges[0].events[0].fixed: version "1.2" in a SEMVER range is not a semantic version`,
				`x.json:10:16: GHSA-xxxx-yyyy-zzzz: affected[0].ranges[0]: range has no "introduced" event`,
			},
		},
		{
			name: "unknown_range_type_git_without_repo",
			edit: func(s string) string {
				return strings.Replace(s, `"ranges": [{"type": "SEMVER"`, `"ranges": [{"type": "GIT", "events": [{"introduced": "0"}]}, {"type": "SEMVERS"`, 1)
			},
			want: []string{
				`x.json:10:16: GHSA-xxxx-yyyy-zzzz: affected[0].ranges[0]: GIT range without repo`,
				`x.json:10:75: GHSA-xxxx-yyyy-zzzz: affected[0].ranges[1].type: unknown range type "SEMVERS"; kept`,
			},
		},
		{
			name: "missing_modified_spaced_id_empty_alias",
			edit: func(s string) string {
				s = strings.Replace(s, `"modified": "2024-01-02T03:04:05Z",`, ``, 1)
				s = strings.Replace(s, `"GHSA-xxxx-yyyy-zzzz"`, `" GHSA-xxxx-yyyy-zzzz"`, 1)
				return strings.Replace(s, `["CVE-2024-0001"]`, `["CVE-2024-0001", ""]`, 1)
			},
			want: []string{
				`x.json:3:9: GHSA-xxxx-yyyy-zzzz: id: id " GHSA-xxxx-yyyy-zzzz" has surrounding whitespace; trimmed`,
				`x.json:1:1: GHSA-xxxx-yyyy-zzzz: "modified" is missing (required by the OSV schema)`,
				`x.json:6:32: GHSA-xxxx-yyyy-zzzz: aliases[1]: empty identifier; dropped`,
			},
		},
		{
			name: "severity_oddities",
			edit: func(s string) string {
				return strings.Replace(s, `"summary": "Example",`, `"summary": "Example", "severity": [{"type": "CVSS_V3", "score": "AV:N"}, {"type": "Ubuntu", "score": "urgent"}, {"type": "X", "score": ""}],`, 1)
			},
			want: []string{
				`x.json:7:38: GHSA-xxxx-yyyy-zzzz: severity[0]: CVSS_V3 score "AV:N" does not start with CVSS:3.`,
				`x.json:7:104: GHSA-xxxx-yyyy-zzzz: severity[1].score: unrecognised severity "urgent"; severity left unknown`,
				`x.json:7:115: GHSA-xxxx-yyyy-zzzz: severity[2]: severity entry of type "X" has no score; dropped`,
			},
		},
		{
			name: "no_version_data_no_name",
			edit: func(s string) string {
				return strings.Replace(s, `"name": "left-pad"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]}]`, `"name": ""}`, 1)
			},
			want: []string{
				`x.json:9:45: GHSA-xxxx-yyyy-zzzz: affected[0].package.name: package has no name`,
				`x.json:8:16: GHSA-xxxx-yyyy-zzzz: affected[0]: no ranges and no versions`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.edit(minimal)
			if in == minimal {
				t.Fatal("edit did not change the input")
			}
			rec, err := Parse(strings.NewReader(in), "x.json")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rec.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWarningCap(t *testing.T) {
	versions := strings.Repeat(`"1 0", `, 60) + `"1"`
	in := strings.Replace(minimal, `"ranges"`, `"versions": [`+versions+`], "ranges"`, 1)
	rec, err := Parse(strings.NewReader(in), "x.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Warnings) != 51 || rec.Warnings[50] != "x.json: GHSA-xxxx-yyyy-zzzz: 10 more warnings not shown" {
		t.Errorf("%d warnings, last %q", len(rec.Warnings), rec.Warnings[len(rec.Warnings)-1])
	}
	if len(rec.Advisory.Affected[0].Versions) != 61 {
		t.Errorf("%d versions kept, want 61", len(rec.Advisory.Affected[0].Versions))
	}
}

// A large record with many warnings: positions stop once the scanning
// budget is spent, field paths remain.
func TestWarningBudget(t *testing.T) {
	pad := strings.Repeat(" ", 2<<20-4096) // just under 2 MiB: 8 positioned warnings fit in 16 MiB
	versions := strings.Repeat(`"1 0", `, 10) + `"1"`
	in := strings.Replace(minimal, `"ranges"`, pad+`"versions": [`+versions+`], "ranges"`, 1)
	rec, err := Parse(strings.NewReader(in), "x.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Warnings) != 10 {
		t.Fatalf("%d warnings", len(rec.Warnings))
	}
	if !strings.HasPrefix(rec.Warnings[7], "x.json:10:") || rec.Warnings[8] != `x.json: GHSA-xxxx-yyyy-zzzz: affected[0].versions[8]: version "1 0" contains whitespace or a control character` {
		t.Errorf("warnings 7 and 8: %q", rec.Warnings[7:9])
	}
}

func TestParseErrors(t *testing.T) {
	goRecord := readZipMember(t, "testdata/go-vulndb.zip", "GO-2022-0191.json")
	tests := []struct {
		name      string
		in        string
		line, col int
		field     string
		is        error
		msg       string
	}{
		{name: "html", in: "<!DOCTYPE html><html><body>Rate limited</body></html>", line: 1, col: 1, is: feeds.ErrNotFeed,
			msg: "x.json:1:1: got an HTML page, not a JSON feed"},
		{name: "empty", in: "", line: 1, col: 1, is: feeds.ErrNotFeed},
		{name: "not_a_record", in: `{"error": "not found"}`, line: 1, col: 1, is: feeds.ErrNotFeed,
			msg: `x.json:1:1: not an OSV record: no "id", "modified", "affected", "summary" or "details"`},
		{name: "array", in: `[` + minimal + `]`, line: 1, col: 1},
		// Cut after 1000 bytes; python3: d[:1000].rstrip() has 33 newlines
		// and 9 characters after the last.
		{name: "truncated_go_record", in: string(goRecord[:1000]), line: 34, col: 10, is: io.ErrUnexpectedEOF,
			msg: "x.json:34:10: unexpected end of input (truncated JSON)"},
		{name: "missing_id", in: strings.Replace(minimal, `"id": "GHSA-xxxx-yyyy-zzzz",`, ``, 1), line: 1, col: 1, field: "id",
			msg: `x.json:1:1: id: missing "id"`},
		{name: "empty_id", in: strings.Replace(minimal, `"GHSA-xxxx-yyyy-zzzz"`, `" "`, 1), line: 3, col: 9, field: "id"},
		{name: "id_not_string", in: strings.Replace(minimal, `"GHSA-xxxx-yyyy-zzzz"`, `7`, 1), line: 3, col: 9, field: "id"},
		{name: "bad_published", in: strings.Replace(minimal, `"2024-01-01T00:00:00Z"`, `"yesterday"`, 1), line: 5, col: 16, field: "published",
			msg: `x.json:5:16: published: invalid timestamp "yesterday": want RFC 3339`},
		{name: "bad_withdrawn", in: strings.Replace(minimal, `"summary"`, `"withdrawn": "2024-13-01", "summary"`, 1), line: 7, col: 16, field: "withdrawn"},
		{name: "aliases_not_array", in: strings.Replace(minimal, `["CVE-2024-0001"]`, `"CVE-2024-0001"`, 1), line: 6, col: 14, field: "aliases",
			msg: "x.json:6:14: aliases: expected array, found string"},
		{name: "event_two_keys", in: strings.Replace(minimal, `{"fixed": "1.2.3"}`, `{"fixed": "1.2.3", "limit": "2"}`, 1), line: 10, col: 67,
			field: "affected[0].ranges[0].events[1]",
			msg:   `x.json:10:67: affected[0].ranges[0].events[1]: event has more than one of "introduced", "fixed", "last_affected", "limit"`},
		{name: "event_empty", in: strings.Replace(minimal, `{"fixed": "1.2.3"}`, `{}`, 1), line: 10, col: 67, field: "affected[0].ranges[0].events[1]"},
		{name: "event_unknown_key", in: strings.Replace(minimal, `{"fixed": "1.2.3"}`, `{"fixd": "1.2.3"}`, 1), line: 10, col: 67, field: "affected[0].ranges[0].events[1]"},
		{name: "event_null", in: strings.Replace(minimal, `{"fixed": "1.2.3"}`, `null`, 1), line: 10, col: 67, field: "affected[0].ranges[0].events[1]"},
		{name: "event_empty_value", in: strings.Replace(minimal, `{"fixed": "1.2.3"}`, `{"fixed": ""}`, 1), line: 10, col: 77,
			field: "affected[0].ranges[0].events[1].fixed", msg: "x.json:10:77: affected[0].ranges[0].events[1].fixed: empty fixed version"},
		{name: "range_null", in: strings.Replace(minimal, `"ranges": [{`, `"ranges": [null, {`, 1), line: 10, col: 16, field: "affected[0].ranges[0]"},
		{name: "affected_null", in: strings.Replace(minimal, `"affected": [{`, `"affected": [null, {`, 1), line: 8, col: 16, field: "affected[0]"},
		{name: "version_number", in: strings.Replace(minimal, `"1.2.3"`, `1.23`, 1), line: 10, col: 77, field: "affected[0].ranges[0].events[1].fixed"},
		{name: "deep_nesting", in: strings.Replace(minimal, `"summary"`, `"database_specific": `+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`, "summary"`, 1),
			// encoding/json stops at depth 10000: 9999 brackets after column 24.
			line: 7, col: 24 + 9999},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := Parse(strings.NewReader(tt.in), "x.json")
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", rec)
			}
			var pe *feeds.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *feeds.ParseError", err, err)
			}
			if pe.Input != "x.json" || pe.Line != tt.line || pe.Column != tt.col || pe.Field != tt.field {
				t.Errorf("got %s:%d:%d field %q, want x.json:%d:%d field %q\nerror: %v",
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
	r := io.MultiReader(strings.NewReader(`{"id": "x", "details": "`), io.LimitReader(zeros{}, DefaultMaxRecordBytes))
	_, err := Parse(r, "big.json")
	if !errors.Is(err, feeds.ErrTooLarge) || !strings.HasPrefix(err.Error(), "osvfeed: read big.json: ") {
		t.Fatalf("err = %v, want ErrTooLarge with prefix", err)
	}
}

// zeros is an endless reader of '0' digits.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

func FuzzParse(f *testing.F) {
	for _, dir := range []string{"testdata/mixed-ecosystems", "testdata/ghsa"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			f.Add(readFile(f, file))
		}
	}
	f.Add([]byte(minimal))
	f.Add([]byte(`{"id":"A","affected":[{"ranges":[{"type":"GIT","events":[{"introduced":"0","fixed":"1"}]}]}]}`))
	f.Add([]byte(`{"id":"A","aliases":null,"affected":null,"severity":[{"type":"Ubuntu","score":"high"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := Parse(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			var pe *feeds.ParseError
			if errors.As(err, &pe) {
				if pe.Input != "fuzz.json" || pe.Line < 1 || pe.Column < 1 {
					t.Errorf("bad position in %v", err)
				}
			} else if !strings.HasPrefix(err.Error(), "osvfeed: ") {
				t.Errorf("error without position or prefix: %v", err)
			}
			if rec != nil {
				t.Error("non-nil record with error")
			}
			return
		}
		a := rec.Advisory
		if a.ID == "" || strings.TrimSpace(a.ID) != a.ID || a.Title == "" || slices.Contains(a.Aliases, a.ID) || !slices.IsSorted(a.Aliases) {
			t.Errorf("bad advisory %+v", a)
		}
		for _, af := range a.Affected {
			for _, r := range af.Ranges {
				for _, e := range r.Events {
					n := 0
					for _, v := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
						if v != "" {
							n++
						}
					}
					if n != 1 {
						t.Errorf("event %+v", e)
					}
				}
			}
		}
		again, err := Parse(bytes.NewReader(data), "fuzz.json")
		if err != nil || !reflect.DeepEqual(rec, again) {
			t.Errorf("second parse differs: %v", err)
		}
	})
}

func BenchmarkParseGoZip(b *testing.B) {
	data := readFile(b, "testdata/go-vulndb.zip")
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	var total int64
	for _, f := range zr.File {
		total += int64(f.UncompressedSize64)
	}
	b.SetBytes(total) // MB/s of uncompressed JSON (7,891,321 bytes)
	b.ReportAllocs()
	for b.Loop() {
		db, err := ParseZip(b.Context(), bytes.NewReader(data), int64(len(data)), "go-vulndb.zip", nil)
		if err != nil || len(db.Advisories) != 4291 {
			b.Fatalf("%v, %d advisories", err, len(db.Advisories))
		}
	}
}
