package pkgid

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Tests on real public data kept in this module: the feed adapters' test
// data (provenance in each folder's SOURCES.md) and testdata/nvd-api-2.0
// (provenance in testdata/SOURCES.md). The files are byte for byte those
// the expected values were computed from: python3 scripts run over the
// project's shared test data (cpe_expect.py here; the counts and lists
// below were computed the same way), not this package's output.
const (
	cve5Testdata = "../../feeds/cve5feed/testdata"
	osvTestdata  = "../../feeds/osvfeed/testdata"
	sbomTestdata = "../../triage/testdata/stack"
	nvdTestdata  = "testdata/nvd-api-2.0"
)

// cve5Dirs are the CVE 5 record folders (the cve5feed test data also
// holds golden files, which are not records).
var cve5Dirs = []string{"osv-dev-testdata", "vulnrichment-kev"}

// osvDirs and osvZips together hold every OSV record sample: the Go
// vulnerability database and the AlmaLinux 9 records are kept zipped,
// one record per member.
var (
	osvDirs = []string{"from-osv-scanner-fixtures", "ghsa", "mixed-ecosystems", "redhat-converted"}
	osvZips = []string{"almalinux9-2025.zip", "go-vulndb.zip"}
)

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// jsonFiles lists the .json files under dir, recursively. A folder that
// is missing or holds none fails the test.
func jsonFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("%s: no JSON files", dir)
	}
	return files
}

// zipJSON calls fn with the name (zip path, then member) and content of
// every .json member of the zip file at path. A zip that is missing or
// holds no JSON member fails the test.
func zipJSON(t *testing.T, zipPath string, fn func(name string, data []byte) error) {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	n := 0
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.HasSuffix(f.Name, ".json") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %s: %v", zipPath, f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %s: %v", zipPath, f.Name, err)
		}
		if err := fn(path.Join(zipPath, f.Name), data); err != nil {
			t.Fatalf("%s: %s: %v", zipPath, f.Name, err)
		}
		n++
	}
	if n == 0 {
		t.Fatalf("%s: no JSON members", zipPath)
	}
}

// stringsWithPrefix collects the distinct JSON string values that start
// with prefix.
func stringsWithPrefix(v any, prefix string, out map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			stringsWithPrefix(x, prefix, out)
		}
	case []any:
		for _, x := range v {
			stringsWithPrefix(x, prefix, out)
		}
	case string:
		if strings.HasPrefix(v, prefix) {
			out[v] = true
		}
	}
}

// Every CPE name in the CVE 5, NVD, CSAF and SBOM samples parses to the
// attribute values an independent python unbinder computed
// (testdata/cpe-real.tsv from testdata/cpe_expect.py), and its String()
// parses back to the same CPE.
func TestRealCPEs(t *testing.T) {
	f, err := os.Open("testdata/cpe-real.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, parts := 0, map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 12 {
			t.Fatalf("bad line %q", line)
		}
		n++
		in := fields[0]
		want := cpe(fields[1:]...)
		got, err := ParseCPE(in)
		if err != nil {
			t.Errorf("ParseCPE(%q): %v", in, err)
			continue
		}
		if got != want {
			t.Errorf("ParseCPE(%q)\n got %+v\nwant %+v", in, got, want)
		}
		again, err := ParseCPE(got.String())
		if err != nil || again != got {
			t.Errorf("ParseCPE(%q).String() = %q does not parse back: %+v, %v", in, got.String(), again, err)
		}
		parts[got.Part]++
		if specific(got.Vendor) && specific(got.Product) && got.Key() == "" {
			t.Errorf("ParseCPE(%q).Key() is empty", in)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	// 510 distinct names (python count); 24 of them are CPE 2.2 URIs.
	if n != 510 {
		t.Errorf("read %d CPE names, want 510", n)
	}
	t.Logf("%d real CPE names parsed and round-tripped; parts %v", n, parts)
}

// The CPEs of every cpeApplicability node in the CVE 5 samples and of
// every NVD configuration parse; Match against a component CPE built from
// the criterion's vendor and product and a specific version agrees with
// the ranges being the engine's business (criteria with version ANY
// match, criteria with a specific version match only that version).
func TestRealCriteriaMatch(t *testing.T) {
	var criteria []string
	files := jsonFiles(t, nvdTestdata)
	for _, dir := range cve5Dirs {
		files = append(files, jsonFiles(t, filepath.Join(cve5Testdata, dir))...)
	}
	for _, file := range files {
		var doc any
		readJSON(t, file, &doc)
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				if c, ok := v["criteria"].(string); ok {
					criteria = append(criteria, c)
				}
				for _, x := range v {
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			}
		}
		walk(doc)
	}
	if len(criteria) != 31 { // 16 NVD + 15 CVE 5 cpeApplicability (python count)
		t.Errorf("found %d criteria, want 31", len(criteria))
	}
	for _, s := range criteria {
		adv, err := ParseCPE(s)
		if err != nil {
			t.Errorf("criterion %q: %v", s, err)
			continue
		}
		comp := adv
		comp.Version = "1.2.3"
		ok, why := Match(adv, comp)
		wantOK := adv.Version == Any
		if ok != wantOK {
			t.Errorf("Match(%q, version 1.2.3) = %v (%s), want %v", s, ok, why, wantOK)
		}
		comp.Version = adv.Version
		if adv.Version == Any {
			comp.Version = "1.2.3"
		}
		if ok, why := Match(adv, comp); !ok {
			t.Errorf("Match(%q, its own version) = false (%s)", s, why)
		}
	}
}

type spdxDoc struct {
	Packages []struct {
		Name         string `json:"name"`
		ExternalRefs []struct {
			Type    string `json:"referenceType"`
			Locator string `json:"referenceLocator"`
		} `json:"externalRefs"`
	} `json:"packages"`
}

// fluxOSVJoin are the Go modules of the Flux 0.26.3 SBOM that the Go
// vulnerability database sample names (python: set of purl module paths
// ∩ set of OSV package names).
var fluxOSVJoin = []string{
	"github.com/aws/aws-sdk-go", "github.com/cyphar/filepath-securejoin", "github.com/evanphx/json-patch",
	"github.com/fluxcd/helm-controller/api", "github.com/fluxcd/image-automation-controller/api",
	"github.com/fluxcd/image-reflector-controller/api", "github.com/fluxcd/kustomize-controller/api",
	"github.com/fluxcd/notification-controller/api", "github.com/fluxcd/source-controller/api",
	"github.com/go-git/go-billy/v5", "github.com/go-git/go-git/v5", "github.com/gogo/protobuf",
	"github.com/hashicorp/go-getter", "github.com/hashicorp/go-retryablehttp", "github.com/klauspost/compress",
	"github.com/moby/spdystream", "github.com/ulikunitz/xz", "golang.org/x/crypto", "golang.org/x/mod",
	"golang.org/x/net", "golang.org/x/oauth2", "golang.org/x/sys", "golang.org/x/text", "google.golang.org/grpc",
	"google.golang.org/protobuf", "gopkg.in/yaml.v2", "gopkg.in/yaml.v3", "k8s.io/apimachinery", "k8s.io/client-go",
}

// The Flux SBOM's purls give the SPDX package name as module path, and
// joined with the OSV Go records by Key they give exactly the modules
// python found in both.
func TestFluxSBOMAgainstGoOSV(t *testing.T) {
	var doc spdxDoc
	readJSON(t, filepath.Join(sbomTestdata, "flux_0.26.3_sbom.spdx.json"), &doc)
	sbomKeys := map[string]bool{}
	refs := 0
	for _, p := range doc.Packages {
		for _, r := range p.ExternalRefs {
			if r.Type != "purl" {
				continue
			}
			refs++
			pkg, err := ParsePURL(r.Locator)
			if err != nil {
				t.Errorf("%s: %v", r.Locator, err)
				continue
			}
			if pkg.Ecosystem != "Go" || pkg.Key != "pkg:golang/"+p.Name || pkg.OSVName() != p.Name {
				t.Errorf("%s: Ecosystem %q, Key %q, OSVName %q; SPDX name %q", r.Locator, pkg.Ecosystem, pkg.Key, pkg.OSVName(), p.Name)
			}
			if NormalizeVersion(pkg.Ecosystem, pkg.Version) != strings.TrimPrefix(pkg.Version, "v") {
				t.Errorf("%s: NormalizeVersion(%q) = %q", r.Locator, pkg.Version, NormalizeVersion(pkg.Ecosystem, pkg.Version))
			}
			sbomKeys[pkg.Key] = true
		}
	}
	if refs != 244 || len(sbomKeys) != 185 {
		t.Errorf("%d purl refs, %d module keys; want 244 and 185", refs, len(sbomKeys))
	}

	osvKeys := map[string]bool{}
	zipJSON(t, filepath.Join(osvTestdata, "go-vulndb.zip"), func(file string, data []byte) error {
		var rec struct {
			Affected []struct {
				Package struct{ Ecosystem, Name string } `json:"package"`
			} `json:"affected"`
		}
		if err := json.Unmarshal(data, &rec); err != nil {
			return err
		}
		for _, a := range rec.Affected {
			p, err := FromEcosystem(a.Package.Ecosystem, a.Package.Name)
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			if p.OSVName() != a.Package.Name {
				t.Errorf("%s: OSVName %q, want %q", file, p.OSVName(), a.Package.Name)
			}
			osvKeys[p.Key] = true
		}
		return nil
	})
	var joined []string
	for k := range sbomKeys {
		if osvKeys[k] {
			joined = append(joined, strings.TrimPrefix(k, "pkg:golang/"))
		}
	}
	sort.Strings(joined)
	if !slices.Equal(joined, fluxOSVJoin) {
		t.Errorf("SBOM ∩ OSV =\n%q\nwant\n%q", joined, fluxOSVJoin)
	}
	if !osvKeys[KeyGoStdlib] || !osvKeys[KeyGoToolchain] {
		t.Errorf("the Go OSV records name stdlib and toolchain; keys missing")
	}
}

// Every OSV affected entry in the samples that carries a purl gives the
// same Key from the purl and from (ecosystem, name): 257 pairs (Red Hat
// streams, crates.io, Go, PyPI, Alpine), plus one OSS-Fuzz entry whose
// ecosystem has no purl mapping.
func TestOSVPURLsAgree(t *testing.T) {
	agreed, unknown := 0, 0
	seen := map[[3]string]bool{}
	check := func(file string, data []byte) error {
		var rec struct {
			Affected []struct {
				Package struct{ Ecosystem, Name, PURL string } `json:"package"`
			} `json:"affected"`
		}
		if json.Unmarshal(data, &rec) != nil {
			return nil // not an OSV record (the linter fixtures hold broken ones on purpose)
		}
		for _, a := range rec.Affected {
			pk := a.Package
			if pk.PURL == "" || seen[[3]string{pk.Ecosystem, pk.Name, pk.PURL}] {
				continue
			}
			seen[[3]string{pk.Ecosystem, pk.Name, pk.PURL}] = true
			fromPURL, err := ParsePURL(pk.PURL)
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			fromEco, err := FromEcosystem(pk.Ecosystem, pk.Name)
			if errors.Is(err, ErrUnknownEcosystem) {
				unknown++
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			if fromPURL.Key != fromEco.Key || fromPURL.Ecosystem != fromEco.Ecosystem {
				t.Errorf("%s: purl %q gives %q (%s), (%q, %q) gives %q (%s)", file, pk.PURL, fromPURL.Key,
					fromPURL.Ecosystem, pk.Ecosystem, pk.Name, fromEco.Key, fromEco.Ecosystem)
				continue
			}
			agreed++
		}
		return nil
	}
	for _, dir := range osvDirs {
		for _, file := range jsonFiles(t, filepath.Join(osvTestdata, dir)) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := check(file, data); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, name := range osvZips {
		zipJSON(t, filepath.Join(osvTestdata, name), check)
	}
	if agreed != 257 || unknown != 1 {
		t.Errorf("%d pairs agree, %d unknown ecosystems; want 257 and 1", agreed, unknown)
	}
}

// Every purl in the other SBOM samples parses, with the OSV ecosystem of
// its type; counts of distinct purls from python.
func TestSBOMPURLs(t *testing.T) {
	for _, tt := range []struct {
		file string
		n    int
		eco  string
	}{
		{"cyclonedx/alpine-zlib-16.cdx.json", 1, "Alpine"},
		{"cyclonedx/dropwizard-1.3.15.cdx.json", 168, "Maven"},
		{"cyclonedx/ghidra-sbom-cdx.json", 58, "Maven"},
		{"cyclonedx/kawipiko-sbom-cdx.json", 28, "Go"},
		{"cyclonedx/laravel-7.12.0.cdx-1.4.json", 63, "Packagist"},
		{"cyclonedx/proton-bridge-v1.8.0.cdx.json", 202, "Go"},
		{"spdx/flux_0.26.3_sbom.spdx.json", 189, "Go"},
		{"spdx/microsoft-sbom-tool.spdx.json", 121, "NuGet"},
		{"spdx/scalibr-dpkg-single.spdx.json", 1, "Ubuntu"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			var doc any
			readJSON(t, filepath.Join(sbomTestdata, path.Base(tt.file)), &doc)
			purls := map[string]bool{}
			stringsWithPrefix(doc, "pkg:", purls)
			if len(purls) != tt.n {
				t.Errorf("%d distinct purls, want %d", len(purls), tt.n)
			}
			for s := range purls {
				p, err := ParsePURL(s)
				if err != nil {
					t.Errorf("%v", err)
					continue
				}
				if p.Ecosystem != tt.eco {
					t.Errorf("%s: Ecosystem %q, want %q", s, p.Ecosystem, tt.eco)
				}
			}
		})
	}
	// The two distribution samples, by hand.
	for _, tt := range []struct{ purl, key, sourceKey, release, version string }{
		{"pkg:apk/alpine/zlib@1.2.12-r1?arch=x86_64&distro=3.22.0&origin=zlib", "pkg:apk/alpine/zlib", "pkg:apk/alpine/zlib", "3.22", "1.2.12-r1"},
		{"pkg:deb/ubuntu/pcre3@2%3A8.39-12ubuntu0.1?arch=amd64&distro=focal&source=pcre3", "pkg:deb/ubuntu/pcre3", "pkg:deb/ubuntu/pcre3", "20.04", "2:8.39-12ubuntu0.1"},
	} {
		p, err := ParsePURL(tt.purl)
		if err != nil {
			t.Fatal(err)
		}
		if got := [4]string{p.Key, p.SourceKey, p.Release, p.Version}; got != [4]string{tt.key, tt.sourceKey, tt.release, tt.version} {
			t.Errorf("%s: %q", tt.purl, got)
		}
	}
}
