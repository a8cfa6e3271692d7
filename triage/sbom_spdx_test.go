package triage_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/triage"
)

// The expected counts are computed from the raw files with python3, as the
// one-liners in the comments show (run them in testdata/stack); the spot
// checks are read from the files by eye.
var spdxFiles = []sbomCase{
	{
		file: "flux_0.26.3_sbom.spdx.json",
		// python3 -c 'import json; print(len(json.load(open("flux_0.26.3_sbom.spdx.json"))["packages"]))' → 244
		// Distinct (supplier, name, version, first purl, first cpe23Type):
		// python3 -c 'import json; d=json.load(open("flux_0.26.3_sbom.spdx.json")); r=lambda p,c,t: ([x["referenceLocator"] for x in p.get("externalRefs",[]) if x["referenceCategory"].replace("_","-")==c and x["referenceType"]==t] or [""])[0]; print(len({(p.get("supplier"),p["name"],p.get("versionInfo"),r(p,"PACKAGE-MANAGER","purl"),r(p,"SECURITY","cpe23Type")) for p in d["packages"]}))' → 189
		components: 189,
		merged:     244 - 189,
		spot: []triage.Component{
			{
				ID: "SPDXRef-46ebf9c6475c60de", Product: "cloud.google.com/go", Version: "v0.81.0",
				PURL:   "pkg:golang/cloud.google.com/go@v0.81.0",
				Source: "testdata/stack/flux_0.26.3_sbom.spdx.json: SPDXRef-46ebf9c6475c60de",
			},
			{
				// The first of two identical packages (the second is
				// SPDXRef-af4d7614b2f4d4fb); the first of its two CPEs.
				ID: "SPDXRef-9267167a301e8523", Product: "github.com/Azure/go-autorest", Version: "v14.2.0+incompatible",
				PURL:   "pkg:golang/github.com/Azure/go-autorest@v14.2.0+incompatible",
				CPE:    "cpe:2.3:a:Azure:go-autorest:v14.2.0+incompatible:*:*:*:*:*:*:*",
				Source: "testdata/stack/flux_0.26.3_sbom.spdx.json: SPDXRef-9267167a301e8523",
			},
		},
		absent: []string{"SPDXRef-af4d7614b2f4d4fb", "SPDXRef-db179368da1ee2c7"},
	},
	{
		file: "microsoft-sbom-tool.spdx.json",
		// python3 -c 'import json; print(len(json.load(open("microsoft-sbom-tool.spdx.json"))["packages"]))' → 123, all distinct
		components: 123,
		// python3 -c 'import json; print(sum(1 for p in json.load(open("microsoft-sbom-tool.spdx.json"))["packages"] if not any(r["referenceType"]=="purl" for r in p.get("externalRefs",[]))))' → 1
		noPURL: 1,
		spot: []triage.Component{
			{
				// The described package, without externalRefs.
				ID: "SPDXRef-RootPackage", Vendor: "Microsoft", Product: "SBOMTool", Version: "1.1.2",
				Source: "testdata/stack/microsoft-sbom-tool.spdx.json: SPDXRef-RootPackage",
			},
			{
				// "Organization: Microsoft/GitHub"; the purl is a URL, kept as
				// published for the engine to judge.
				ID:     "SPDXRef-Package-6BB06E323455FB76491FCC60C2AA5D61E3CA023EA504A1F3CEA5B7390AACC285",
				Vendor: "Microsoft/GitHub", Product: "Azure Pipelines Hosted Image win22", Version: "20230508.3",
				PURL:   "https://github.com/actions/virtual-environments",
				Source: "testdata/stack/microsoft-sbom-tool.spdx.json: SPDXRef-Package-6BB06E323455FB76491FCC60C2AA5D61E3CA023EA504A1F3CEA5B7390AACC285",
			},
		},
	},
	{
		file:       "scalibr-dpkg-single.spdx.json",
		components: 1,
		spot: []triage.Component{{
			// "supplier": "NOASSERTION" is no vendor; the epoch stays
			// percent-encoded in the purl, as published.
			ID: "SPDXRef-Package-libpcre3-9f1e7f2f-24ab-4eb2-8be4-7d3be9403a72", Product: "libpcre3", Version: "2:8.39-12ubuntu0.1",
			PURL:   "pkg:deb/ubuntu/pcre3@2%3A8.39-12ubuntu0.1?arch=amd64&distro=focal&source=pcre3",
			Source: "testdata/stack/scalibr-dpkg-single.spdx.json: SPDXRef-Package-libpcre3-9f1e7f2f-24ab-4eb2-8be4-7d3be9403a72",
		}},
	},
}

func TestParseSPDXRealData(t *testing.T) {
	for _, tc := range spdxFiles {
		t.Run(strings.NewReplacer(".", "_", "-", "_").Replace(tc.file), func(t *testing.T) {
			tc.run(t, triage.ParseSPDX)
		})
	}
}

func TestParseSPDXErrors(t *testing.T) {
	const head = `{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",` + "\n"
	tests := []struct {
		name, input, want string
	}{
		{
			name:  "truncated",
			input: head + `"packages": [{"SPDXID": "SPDXRef-a", "name": "a"`,
			// The last character, '"', is at line 2, column 48.
			want: "s.json:2:49: unexpected end of input (truncated JSON)",
		},
		{
			// The wrong value sits inside a package, which tools-golang
			// decodes on its own; the position is still the document's.
			name:  "wrong_type_in_package",
			input: head + `"packages": [{"SPDXID": "SPDXRef-a", "name": "a"},` + "\n" + `  {"SPDXID": "SPDXRef-b", "versionInfo": 2}]}`,
			// `  {"SPDXID": "SPDXRef-b", "versionInfo": ` is 41 characters.
			want: "s.json:3:42: packages[1].versionInfo: expected string, found number",
		},
		{
			name:  "packages_not_a_list",
			input: head + `"packages": "none"}`,
			want:  "s.json:2:13: packages: expected array, found string",
		},
		{
			name:  "supplier_without_type",
			input: head + `"packages": [{"SPDXID": "SPDXRef-a", "name": "a",` + "\n" + `  "supplier": "Bob"}]}`,
			// `  "supplier": ` is 14 characters.
			want: `s.json:3:15: spdx: invalid Supplier "Bob"`,
		},
		{
			name:  "spdxid_without_prefix",
			input: head + `"packages": [{"SPDXID": "pkg-a", "name": "a"}]}`,
			// `"packages": [{"SPDXID": ` is 24 characters.
			want: `s.json:2:25: spdx: invalid ElementID "pkg-a"`,
		},
		{
			name:  "unsupported_version",
			input: `{"spdxVersion": "SPDX-3.0", "packages": []}`,
			want:  `s.json:1:17: spdxVersion: unsupported spdxVersion "SPDX-3.0" (want SPDX-2.2 or SPDX-2.3)`,
		},
		{
			name:  "no_version",
			input: `{"packages": []}`,
			want:  `s.json:1:1: not an SPDX JSON document: no spdxVersion`,
		},
		{
			name:  "empty",
			input: "",
			want:  "s.json:1:1: empty input, not a JSON document",
		},
		{
			name:  "html",
			input: "<!DOCTYPE html><html><body>502</body></html>",
			want:  "s.json:1:1: got an HTML page, not a JSON feed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := triage.ParseSPDX(strings.NewReader(tt.input), "s.json")
			if s != nil || err == nil || err.Error() != tt.want {
				t.Errorf("got %v, %v\nwant %s", s, err, tt.want)
			}
		})
	}
}

func TestParseSPDXEscapedSupplier(t *testing.T) {
	input := `{"spdxVersion": "SPDX-2.2", "packages": [
		{"SPDXID": "SPDXRef-a", "name": "a", "supplier": "Organization: A \u0026 B"},
		{"SPDXID": "SPDXRef-b", "name": "b", "supplier": "NOASSERTION", "originator": "Person: Jane Doe (jane@example.com)"},
		{"SPDXID": "SPDXRef-c", "name": " ", "externalRefs": []}]}`
	s, rep, err := triage.ImportStack(strings.NewReader(input), "s.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Components) != 2 || s.Components[0].Vendor != "A & B" || s.Components[1].Vendor != "Jane Doe (jane@example.com)" {
		t.Errorf("got %+v", s.Components)
	}
	if rep.Skipped != 1 || len(rep.Notes) != 1 || rep.Notes[0] != "s.json: 1 packages with no name, purl or CPE skipped (first at packages[2])" {
		t.Errorf("report %+v", rep)
	}
}

func BenchmarkParseSPDX(b *testing.B) {
	data, err := os.ReadFile("testdata/stack/flux_0.26.3_sbom.spdx.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := triage.ParseSPDX(bytes.NewReader(data), "flux.spdx.json"); err != nil {
			b.Fatal(err)
		}
	}
}
