package triage_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/triage"
)

// Component counts: every component, nested ones included, plus
// metadata.component when it has a name, purl, CPE or version. Computed
// from the raw files (run in testdata/stack, file name as argument):
//
//	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); w=lambda cs: sum(1+w(c.get("components",[])) for c in cs); m=d.get("metadata",{}).get("component") or {}; print(w(d.get("components",[])) + (1 if any(m.get(k) for k in ("name","purl","cpe","version")) else 0))'
//
// and the components without purl or version (none of these files nests
// components, and the subjects all have both):
//
//	python3 -c 'import json,sys; cs=json.load(open(sys.argv[1]))["components"]; print(sum(1 for c in cs if not c.get("purl")), sum(1 for c in cs if not c.get("version")))'
var cyclonedxFiles = []sbomCase{
	{
		// specVersion 1.6; metadata.tools is an object; metadata.component
		// is an empty placeholder ("type": "", "name": ""), not a component;
		// "authors": [{}].
		file:       "alpine-zlib-16.cdx.json",
		components: 1,
		spot: []triage.Component{{
			ID: "6756e583-83d8-4a08-a573-d2e9506cbd93", Product: "zlib", Version: "1.2.12-r1",
			PURL:   "pkg:apk/alpine/zlib@1.2.12-r1?arch=x86_64&distro=3.22.0&origin=zlib",
			Source: "testdata/stack/alpine-zlib-16.cdx.json: 6756e583-83d8-4a08-a573-d2e9506cbd93",
		}},
	},
	{
		// specVersion 1.2, 167 Maven components and the subject.
		file:       "dropwizard-1.3.15.cdx.json",
		components: 168,
		spot: []triage.Component{
			{
				// The subject comes first.
				ID: "pkg:maven/io.dropwizard/dropwizard-parent@1.3.15", Vendor: "io.dropwizard", Product: "dropwizard-parent", Version: "1.3.15",
				PURL:   "pkg:maven/io.dropwizard/dropwizard-parent@1.3.15",
				Source: "testdata/stack/dropwizard-1.3.15.cdx.json: pkg:maven/io.dropwizard/dropwizard-parent@1.3.15",
			},
			{
				// The group wins over "publisher": "FasterXML".
				ID:     "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10?type=jar",
				Vendor: "com.fasterxml.jackson.core", Product: "jackson-databind", Version: "2.9.10",
				PURL:   "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10?type=jar",
				Source: "testdata/stack/dropwizard-1.3.15.cdx.json: pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10?type=jar",
			},
		},
	},
	{
		// No bom-refs at all; 47 of 109 without purl, 16 without version.
		file:       "ghidra-sbom-cdx.json",
		components: 109,
		// python3 -c 'import json,collections; cs=json.load(open("ghidra-sbom-cdx.json"))["components"]; ids=collections.Counter(c.get("purl") or (c["group"]+"/" if c["group"] else "")+c["name"]+("@"+c["version"] if c["version"] else "") for c in cs); print(sum(n-1 for n in ids.values()))' → 4
		renamed:   4,
		noPURL:    47,
		noVersion: 16,
		spot: []triage.Component{
			{ID: "hfsx_dmglib", Product: "hfsx_dmglib", Source: "testdata/stack/ghidra-sbom-cdx.json: components[0]"},
			{ID: "isorelax@20050913", Product: "isorelax", Version: "20050913", Source: "testdata/stack/ghidra-sbom-cdx.json: components[4]"},
			{
				// commons-io 2.11.0 is listed at components[21] and [46].
				ID: "pkg:maven/commons-io/commons-io@2.11.0#2", Vendor: "commons-io", Product: "commons-io", Version: "2.11.0",
				PURL: "pkg:maven/commons-io/commons-io@2.11.0", Source: "testdata/stack/ghidra-sbom-cdx.json: components[46]",
			},
		},
	},
	{
		// specVersion 1.4, metadata.tools a list, "?type=module" purls.
		file:       "kawipiko-sbom-cdx.json",
		components: 28,
		spot: []triage.Component{{
			ID: "pkg:golang/github.com/andybalholm/brotli@v1.0.4?type=module", Product: "github.com/andybalholm/brotli", Version: "v1.0.4",
			PURL:   "pkg:golang/github.com/andybalholm/brotli@v1.0.4?type=module",
			Source: "testdata/stack/kawipiko-sbom-cdx.json: pkg:golang/github.com/andybalholm/brotli@v1.0.4?type=module",
		}},
	},
	{
		file:       "laravel-7.12.0.cdx-1.4.json",
		components: 63,
		spot: []triage.Component{{
			ID: "laravel/framework-7.30.6.0", Vendor: "laravel", Product: "framework", Version: "v7.30.6",
			PURL: "pkg:composer/laravel/framework@v7.30.6", Source: "testdata/stack/laravel-7.12.0.cdx-1.4.json: laravel/framework-7.30.6.0",
		}},
	},
	{
		file:       "proton-bridge-v1.8.0.cdx.json",
		components: 202,
		spot: []triage.Component{{
			ID: "pkg:golang/github.com/ProtonMail/proton-bridge@v1.8.0", Product: "github.com/ProtonMail/proton-bridge", Version: "v1.8.0",
			PURL: "pkg:golang/github.com/ProtonMail/proton-bridge@v1.8.0", Source: "testdata/stack/proton-bridge-v1.8.0.cdx.json: pkg:golang/github.com/ProtonMail/proton-bridge@v1.8.0",
		}},
	},
}

func TestParseCycloneDXRealData(t *testing.T) {
	for _, tc := range cyclonedxFiles {
		t.Run(strings.NewReplacer(".", "_", "-", "_").Replace(tc.file), func(t *testing.T) {
			tc.run(t, triage.ParseCycloneDX)
		})
	}
}

func TestParseCycloneDXMapping(t *testing.T) {
	input := `{"bomFormat": "CycloneDX", "specVersion": "1.6",
  "metadata": {"tools": {"components": [{"type": "application", "name": "x"}]}, "authors": [{}],
    "component": {"type": "application", "bom-ref": "app", "name": "shop", "version": "2.0",
      "components": [{"type": "library", "name": "inner-of-subject"}]}},
  "components": [
    {"type": "library", "bom-ref": "a", "name": "a", "publisher": "Pub", "supplier": {"name": "Sup"}},
    {"type": "library", "bom-ref": "b", "name": "b", "supplier": {"name": "Sup"}, "manufacturer": {"name": "Man"}},
    {"type": "library", "bom-ref": "c", "name": "c", "manufacturer": {"name": "Man"}, "author": "Au"},
    {"type": "library", "bom-ref": "d", "name": "d", "author": "Au", "authors": [{"name": "First"}]},
    {"type": "library", "bom-ref": "e", "name": "e", "authors": [{}, {"name": "Second"}], "cpe": "cpe:2.3:a:e:e:1:*:*:*:*:*:*:*",
      "components": [{"type": "library", "name": "e-inner", "version": "1",
        "components": [{"type": "library", "name": "e-inner", "version": "1"}]}]},
    {"type": "library", "name": " ", "version": "1"},
    {"type": "library", "bom-ref": "a", "name": "a-again"}
  ]}`
	s, rep, err := triage.ImportStack(strings.NewReader(input), "m.cdx.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range s.Components {
		got = append(got, c.ID+" | "+c.Vendor+" | "+c.Product+" | "+c.Source)
	}
	want := []string{
		"app |  | shop | m.cdx.json: app",
		"inner-of-subject |  | inner-of-subject | m.cdx.json: metadata.component.components[0]",
		"a | Pub | a | m.cdx.json: a",
		"b | Sup | b | m.cdx.json: b",
		"c | Man | c | m.cdx.json: c",
		"d | Au | d | m.cdx.json: d",
		"e | Second | e | m.cdx.json: e",
		"e-inner@1 |  | e-inner | m.cdx.json: components[4].components[0]",
		"e-inner@1#2 |  | e-inner | m.cdx.json: components[4].components[0].components[0]",
		"a#2 |  | a-again | m.cdx.json: a",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantRep := &triage.StackReport{Skipped: 1, Renamed: 2, Notes: []string{
		"m.cdx.json: 1 components with no name, purl or CPE skipped (first at components[5])",
		"m.cdx.json: 2 components renamed to keep IDs unique",
	}}
	if diff := cmp.Diff(wantRep, rep); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
}

func TestParseCycloneDXErrors(t *testing.T) {
	const head = `{"bomFormat": "CycloneDX", "specVersion": "1.4",` + "\n"
	tests := []struct {
		name, input, want string
	}{
		{
			name:  "components_as_a_string",
			input: head + `"components": "zlib, openssl"}`,
			// `"components": ` is 14 characters.
			want: "c.json:2:15: components: expected array, found string",
		},
		{
			name:  "truncated",
			input: head + `"components": [{"type": "library", "name": "zl`,
			// The line is 46 characters long.
			want: "c.json:2:47: unexpected end of input (truncated JSON)",
		},
		{
			name:  "wrong_type_deep",
			input: head + `"components": [{"type": "library", "name": "a"},` + "\n" + ` {"type": "library", "name": "b", "components": [{"name": ["x"]}]}]}`,
			// ` {"type": "library", "name": "b", "components": [{"name": ` is 58 characters.
			want: "c.json:3:59: components[1].components[0].name: expected string, found array",
		},
		{
			// evidence.identity is decoded by the library's own unmarshaler,
			// which reports an offset within the identity.
			name: "wrong_type_in_evidence_identity",
			input: head + `"components": [{"name": "a"},` + "\n" +
				` {"name": "b", "evidence": {"identity": [{"field": "purl", "confidence": "high"}]}}]}`,
			// ` {"name": "b", "evidence": {"identity": [{"field": "purl", "confidence": ` is 73 characters.
			want: "c.json:3:74: components[1].evidence.identity[0].confidence: expected number, found string",
		},
		{
			name:  "unsupported_spec_version",
			input: `{"bomFormat": "CycloneDX", "specVersion": "2.0"}`,
			// `{"bomFormat": "CycloneDX", "specVersion": ` is 42 characters.
			want: `c.json:1:43: specVersion: unsupported specVersion "2.0" (want 1.2 to 1.6)`,
		},
		{
			name:  "missing_spec_version",
			input: `{"bomFormat": "CycloneDX", "components": []}`,
			want:  `c.json:1:1: specVersion: missing specVersion`,
		},
		{
			name:  "not_cyclonedx",
			input: `{"bomFormat": "SPDX", "specVersion": "1.4"}`,
			// `{"bomFormat": ` is 14 characters.
			want: `c.json:1:15: bomFormat: want "CycloneDX", got "SPDX": not a CycloneDX BOM`,
		},
		{
			name:  "not_an_object",
			input: `["CycloneDX"]`,
			want:  `c.json:1:1: expected object, found array`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := triage.ParseCycloneDX(strings.NewReader(tt.input), "c.json")
			if s != nil || err == nil || err.Error() != tt.want {
				t.Errorf("got %v, %v\nwant %s", s, err, tt.want)
			}
		})
	}
	// Through ParseStack, a truncated SBOM is still recognised by its
	// bomFormat and reported as truncated JSON.
	_, err := triage.ParseStack(strings.NewReader(tests[1].input), "c.json")
	if got := errString(err); got != tests[1].want {
		t.Errorf("ParseStack: got %s, want %s", got, tests[1].want)
	}
}

func BenchmarkParseCycloneDX(b *testing.B) {
	data, err := os.ReadFile("testdata/stack/dropwizard-1.3.15.cdx.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := triage.ParseCycloneDX(bytes.NewReader(data), "dropwizard.cdx.json"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseCycloneDXIgnoresOtherSections(t *testing.T) {
	// Only components are read: odd tools, dependencies or vulnerabilities
	// do not fail an import.
	input := `{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"tools": [{"name": 5}], "authors": [{}], "component": {"type": "", "name": ""}},
  "components": [{"type": "library", "name": "zlib", "version": "1.3"}],
  "dependencies": "none", "vulnerabilities": [{"id": 7}]}`
	s, err := triage.ParseCycloneDX(strings.NewReader(input), "odd.cdx.json")
	if err != nil || len(s.Components) != 1 || s.Components[0].ID != "zlib@1.3" {
		t.Errorf("got %+v, %v", s, err)
	}
}
