package vercmp

import (
	"archive/zip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/cve5feed"
	"github.com/sigwatch/sigwatch/feeds/osvfeed"
)

// Real records kept in this module as the feed adapters' test data
// (provenance in each folder's SOURCES.md). Missing data fails the tests.
const (
	cve5Testdata = "../../feeds/cve5feed/testdata"
	osvTestdata  = "../../feeds/osvfeed/testdata"
)

func loadCVE(t *testing.T, id string) *feeds.Advisory {
	t.Helper()
	f, err := os.Open(filepath.Join(cve5Testdata, "vulnrichment-kev", id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := cve5feed.Parse(f, id)
	if err != nil {
		t.Fatal(err)
	}
	return &rec.Advisory
}

// placeAll places version against every range of every affected entry of
// product with the scheme ForRange picks, and reports whether any range
// contains it and the reasons.
func placeAll(t *testing.T, a *feeds.Advisory, product, version string) (bool, []string) {
	t.Helper()
	in, whys := false, []string(nil)
	found := false
	for _, af := range a.Affected {
		if af.Product != product || af.Status != feeds.StatusAffected {
			continue
		}
		for _, r := range af.Ranges {
			found = true
			s, err := ForRange(r.Type, af.Ecosystem)
			if err != nil {
				t.Fatalf("ForRange(%q, %q): %v", r.Type, af.Ecosystem, err)
			}
			v, err := s.Parse(version)
			if err != nil {
				t.Fatal(err)
			}
			ok, why, err := InEvents(s, v, r.Events)
			if err != nil {
				t.Fatalf("%s %s: %v", product, version, err)
			}
			in = in || ok
			whys = append(whys, why)
		}
	}
	if !found {
		t.Fatalf("%s: no affected ranges for %q", a.ID, product)
	}
	return in, whys
}

// TestCVE5RealRanges evaluates vendor ranges of real CVE 5 records, as the
// cve5feed adapter maps them. Expected answers are read off the records by
// hand: PAN-OS 10.2.0 below 10.2.9-h1 (versionType custom, change to
// unaffected at 10.2.9-h1); FortiOS 7.4.0 to 7.4.2 inclusive (semver);
// vCenter 8.0 below 8.0U2 (versionType "8.0U2", junk: generic ordering).
func TestCVE5RealRanges(t *testing.T) {
	pan := loadCVE(t, "CVE-2024-3400")
	forti := loadCVE(t, "CVE-2024-21762")
	vc := loadCVE(t, "CVE-2023-34048")
	for _, tt := range []struct {
		a       *feeds.Advisory
		product string
		version string
		want    bool
	}{
		{pan, "PAN-OS", "10.2.0", true},
		{pan, "PAN-OS", "10.2.8", true},
		{pan, "PAN-OS", "10.2.9", true},
		{pan, "PAN-OS", "10.2.9-h1", false},
		{pan, "PAN-OS", "10.2.9-h2", false},
		{pan, "PAN-OS", "10.2.10", false},
		{pan, "PAN-OS", "11.0.3-h10", true},
		{pan, "PAN-OS", "11.0.4-h1", false},
		{pan, "PAN-OS", "11.1.2-h2", true},
		{pan, "PAN-OS", "11.1.2-h3", false},
		{pan, "PAN-OS", "10.1.12", false},
		{forti, "FortiOS", "7.4.2", true},
		{forti, "FortiOS", "7.4.3", false},
		{forti, "FortiOS", "7.2.6", true},
		{forti, "FortiOS", "7.2.7", false},
		{forti, "FortiOS", "6.0.17", true},
		{forti, "FortiOS", "5.6.14", false},
		{vc, "VMware vCenter Server", "8.0", true},
		{vc, "VMware vCenter Server", "8.0U1", true},
		{vc, "VMware vCenter Server", "8.0U2", false},
		{vc, "VMware vCenter Server", "7.0U3n", true},
		{vc, "VMware vCenter Server", "7.0U3o", false},
	} {
		got, whys := placeAll(t, tt.a, tt.product, tt.version)
		if got != tt.want {
			t.Errorf("%s %s %s: affected = %v, want %v (%q)", tt.a.ID, tt.product, tt.version, got, tt.want, whys)
		}
	}
	// The junk versionType is named in the reason.
	_, whys := placeAll(t, vc, "VMware vCenter Server", "8.0U1")
	note := `compared with the generic vendor ordering because range type "8.0U2" is not a known version scheme`
	foundNote := false
	for _, w := range whys {
		foundNote = foundNote || w == "in the affected range [8.0, 8.0U2) ("+note+")"
	}
	if !foundNote {
		t.Errorf("reasons %q lack the generic-ordering note", whys)
	}
}

// openZip opens a zipped record collection of the osvfeed test data.
func openZip(t *testing.T, name string) *zip.Reader {
	t.Helper()
	zr, err := zip.OpenReader(filepath.Join(osvTestdata, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { zr.Close() })
	return &zr.Reader
}

// TestGoVulnDB compiles every range of the 4,291 Go vulndb records and
// checks InEvents against the literal OSV pseudocode over Masterminds/semver
// at every bound of each range.
func TestGoVulnDB(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 4,291 records")
	}
	db, err := osvfeed.ParseFS(context.Background(), openZip(t, "go-vulndb.zip"), ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	// 4,291 record files in golang/vulndb data/osv at the captured commit.
	if len(db.Advisories) != 4291 {
		t.Fatalf("%d Go vulndb records, want 4291", len(db.Advisories))
	}
	ranges, probes := 0, 0
	for _, a := range db.Advisories {
		for _, af := range a.Affected {
			for _, r := range af.Ranges {
				s, err := ForRange(r.Type, af.Ecosystem)
				if err != nil {
					t.Errorf("%s: ForRange(%q, %q): %v", a.ID, r.Type, af.Ecosystem, err)
					continue
				}
				cr, err := CompileEvents(s, r.Events)
				if err != nil {
					t.Errorf("%s %s: %v", a.ID, af.Package, err)
					continue
				}
				ranges++
				for _, e := range r.Events {
					for _, b := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
						if b == "" || b == "0" {
							continue
						}
						in, _, err := cr.Contains(mustParse(t, s, b))
						if err != nil {
							t.Fatalf("%s: %v", a.ID, err)
						}
						if want := refVulnerable(semver.MustParse(b), r.Events); in != want {
							t.Errorf("%s %s %s: InEvents = %v, reference %v", a.ID, af.Package, b, in, want)
						}
						probes++
					}
				}
			}
		}
	}
	t.Logf("%d records, %d ranges, %d probes", len(db.Advisories), ranges, probes)
	if ranges < 4000 {
		t.Errorf("only %d ranges compiled", ranges)
	}
}

// TestAlmaLinuxRanges compiles every range of the AlmaLinux 9 records
// (rpm EVRs such as "1:2.06-27.el9_0.7.alma") and spot-checks one.
func TestAlmaLinuxRanges(t *testing.T) {
	db, err := osvfeed.ParseFS(context.Background(), openZip(t, "almalinux9-2025.zip"), ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	// 373 ALSA-2025 record files for AlmaLinux 9.
	if len(db.Advisories) != 373 {
		t.Fatalf("%d AlmaLinux records, want 373", len(db.Advisories))
	}
	n := 0
	for _, a := range db.Advisories {
		for _, af := range a.Affected {
			for _, r := range af.Ranges {
				s, err := ForRange(r.Type, af.Ecosystem)
				if err != nil {
					t.Errorf("%s: ForRange(%q, %q): %v", a.ID, r.Type, af.Ecosystem, err)
					continue
				}
				if _, err := CompileEvents(s, r.Events); err != nil {
					t.Errorf("%s %s: %v", a.ID, af.Package, err)
				}
				n++
			}
		}
	}
	t.Logf("%d AlmaLinux ranges compiled", n)
	s, _ := ForEcosystem("AlmaLinux:9")
	ev := []feeds.Event{intro("0"), fixed("1:2.06-27.el9_0.7.alma")}
	for v, want := range map[string]bool{
		"1:2.06-27.el9_0.6.alma": true,  // lower release
		"2.06-99.el9":            true,  // epoch 0 < epoch 1
		"1:2.06-27.el9_0.7.alma": false, // the fix
		"1:2.12-1.el9":           false,
	} {
		in, _, err := InEvents(s, mustParse(t, s, v), ev)
		if err != nil || in != want {
			t.Errorf("%s: %v, %v; want %v", v, in, err, want)
		}
	}
}

// TestCVE5RangeTypes checks that every range type in the CVE 5 test data
// maps to a scheme or to a deliberate error.
func TestCVE5RangeTypes(t *testing.T) {
	// The record folders; the cve5feed test data also holds golden files.
	var records []*cve5feed.Record
	for _, dir := range []string{"osv-dev-testdata", "vulnrichment-kev"} {
		set, err := cve5feed.ParseFS(context.Background(), os.DirFS(cve5Testdata), dir)
		if err != nil {
			t.Fatal(err)
		}
		records = append(records, set.Records...)
	}
	// 62 files, 60 distinct CVE IDs: CVE-2023-45803 and CVE-2024-3094 are
	// each in both osv-dev-testdata/cve5 and osv-dev-testdata/cvelistV5.
	if len(records) != 60 {
		t.Fatalf("%d CVE 5 records, want 60", len(records))
	}
	counts := map[string]int{}
	for _, rec := range records {
		a := &rec.Advisory
		for _, af := range a.Affected {
			for _, r := range af.Ranges {
				s, err := ForRange(r.Type, af.Ecosystem)
				switch {
				case err == nil:
					counts[r.Type+" → "+s.Name()]++
				case errors.Is(err, ErrNotOrderable):
					counts[r.Type+" → not orderable"]++
				default:
					t.Errorf("%s: ForRange(%q, %q): %v", a.ID, r.Type, af.Ecosystem, err)
				}
			}
		}
	}
	t.Logf("%v", counts)
}
