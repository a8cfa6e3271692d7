package triage_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/triage"
)

func TestParseStackCSV(t *testing.T) {
	input := "\ufeff# Exported from the CMDB\r\n" + // 1
		"ID,Vendor,Product,Version,CPE,Owner,Criticality,Exposure,Tags,Name\r\n" + // 2
		"\r\n" + // 3
		"edge-fw,Fortinet,FortiOS,7.2.4,cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*,network-team,critical,internet,perimeter; vpn ,\"Edge firewalls, HA pair\"\r\n" + // 4
		"# retired: old-vpn\r\n" + // 5
		" , , , , , , , , , \r\n" + // 6: blank cells only
		"mail,Microsoft,Exchange Server,2019 CU14,,,high,internet,,\r\n" // 7
	s, err := triage.ParseStackCSV(strings.NewReader(input), "stack.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := &triage.Stack{Components: []triage.Component{
		{
			ID: "edge-fw", Name: "Edge firewalls, HA pair", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4",
			CPE: "cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*", Owner: "network-team",
			Criticality: triage.CriticalityCritical, Exposure: triage.ExposureInternet,
			Tags: []string{"perimeter", "vpn"}, Source: "stack.csv:4",
		},
		{
			ID: "mail", Vendor: "Microsoft", Product: "Exchange Server", Version: "2019 CU14",
			Criticality: triage.CriticalityHigh, Exposure: triage.ExposureInternet, Source: "stack.csv:7",
		},
	}}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// ParseStack recognises the header, BOM and comments notwithstanding.
	detected, err := triage.ParseStack(strings.NewReader(input), "stack.csv")
	if err != nil || cmp.Diff(s, detected) != "" {
		t.Errorf("ParseStack: %v\n%s", err, cmp.Diff(s, detected))
	}
}

func TestParseStackCSVIDs(t *testing.T) {
	input := "vendor,product,version,name,purl,cpe,id\n" +
		"Fortinet,FortiOS,7.2.4,,,,\n" + // fortinet-fortios-7.2.4
		"Fortinet,FortiOS,7.2.4,,,,\n" + // the same row again: -2
		"Fortinet,FortiOS,7.2.4,,,,fortinet-fortios-7.2.4-3\n" + // taken explicitly, so the next is -4
		"Fortinet,FortiOS,7.2.4,,,,\n" +
		"Ivanti,Connect Secure (ICS),22.7R2.3,,,,\n" + // punctuation runs become one dash
		",,,Payroll SaaS,,cpe:2.3:a:acme:payroll:-:*:*:*:*:*:*:*,\n" + // no product: the name
		",,,,pkg:npm/%40angular/core@17.0.0,,\n" + // only a purl: the purl
		",,,,,cpe:2.3:a:vendor:thing:1.0:*:*:*:*:*:*:*,\n" // only a CPE: the CPE
	s, err := triage.ParseStackCSV(strings.NewReader(input), "ids.csv")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range s.Components {
		got = append(got, c.ID)
	}
	want := []string{
		"fortinet-fortios-7.2.4",
		"fortinet-fortios-7.2.4-2",
		"fortinet-fortios-7.2.4-3",
		"fortinet-fortios-7.2.4-4",
		"ivanti-connect-secure-ics-22.7r2.3",
		"payroll-saas",
		"pkg:npm/%40angular/core@17.0.0",
		"cpe:2.3:a:vendor:thing:1.0:*:*:*:*:*:*:*",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseStackCSVSemicolons(t *testing.T) {
	// A spreadsheet in a locale whose list separator is ';'.
	input := "id;vendor;product;version;tags\nfw;Fortinet;FortiOS;7,2,4;\"edge;vpn\"\n"
	s, err := triage.ParseStack(strings.NewReader(input), "semi.csv")
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Components[0]; c.Version != "7,2,4" || !cmp.Equal(c.Tags, []string{"edge", "vpn"}) {
		t.Errorf("got %+v", c)
	}
}

func TestParseStackCSVErrors(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string
	}{
		{
			name:  "unknown_columns",
			input: "id,vendr,product,colour\nfw,Fortinet,FortiOS,red\n",
			want: []string{
				`c.csv:1:4: unknown column "vendr" (did you mean "vendor"?)`,
				`c.csv:1:18: unknown column "colour" (want some of id, name, vendor, product, version, purl, cpe, ecosystem, owner, criticality, exposure, tags)`,
			},
		},
		{
			name:  "repeated_and_empty_columns",
			input: "id,product,Product,\n",
			want: []string{
				`c.csv:1:12: column "product" appears twice (first as column 2)`,
				`c.csv:1:20: header cell 4 is empty; name the column or remove it`,
			},
		},
		{
			name: "ragged_rows",
			input: "id,vendor,product,version\n" + // 1
				"fw,Fortinet,FortiOS,7.2.4\n" + // 2
				"vpn,Ivanti,Connect Secure\n" + // 3
				"# a comment\n" + // 4
				"mail,Microsoft,Exchange,2019,CU14\n", // 5
			want: []string{
				`c.csv:3: row has 3 cells, the header has 4`,
				`c.csv:5: row has 5 cells, the header has 4`,
			},
		},
		{
			name:  "bad_quote",
			input: "id,product\nfw,\"FortiOS\nvpn,Ivanti\n",
			// The quoted field opened on line 2 never closes; encoding/csv
			// reports the end of input, past line 3's newline.
			want: []string{`c.csv:3:12: extraneous or missing " in quoted-field (in the row starting at line 2)`},
		},
		{
			name:  "unknown_values",
			input: "id,product,exposure,criticality\nfw,FortiOS,dmz,Critical\n",
			want: []string{
				`c.csv:2:12: exposure: unknown exposure "dmz"; want internet, internal or isolated`,
				`c.csv:2:16: criticality: unknown criticality "Critical" (did you mean "critical"?); want critical, high, medium or low`,
			},
		},
		{
			name:  "validate",
			input: "id,vendor,product,owner\nfw,Fortinet,FortiOS,\nfw,Fortinet,FortiProxy,\nx,,,net\n",
			want: []string{
				`c.csv:3: duplicate id "fw" (first at line 2)`,
				`c.csv:4: nothing to match on: give vendor and product, a purl or a cpe`,
			},
		},
		{
			// "Müller" saved as Windows-1252: "mail,Exchange,M" is 15 characters.
			name:  "not_utf8",
			input: "id,product,owner\nmail,Exchange,M\xfcller\n",
			want:  []string{`c.csv:2:16: invalid UTF-8: save the CSV file as UTF-8`},
		},
		{
			name:  "no_header",
			input: "\n# only comments\n",
			want:  []string{`c.csv: no header row; want a YAML or JSON stack with "components" or "sboms", a CycloneDX or SPDX JSON SBOM, or CSV with a header row`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := triage.ParseStackCSV(strings.NewReader(tt.input), "c.csv")
			if s != nil {
				t.Error("got a stack with the error")
			}
			if got, want := errString(err), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestParseStackCSVHeaderOnly(t *testing.T) {
	s, err := triage.ParseStackCSV(strings.NewReader("id,vendor,product\n"), "empty.csv")
	if err != nil || len(s.Components) != 0 {
		t.Errorf("got %+v, %v", s, err)
	}
}

func TestManyRepeatedIDs(t *testing.T) {
	// 20,000 rows that make the same ID. Finding each suffix by counting
	// from 2 again would take 200 million lookups; see idSet.
	const n = 20_000
	s, err := triage.ParseStackCSV(strings.NewReader("product\n"+strings.Repeat("a\n", n)), "many.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Components[n-1].ID; got != "a-20000" {
		t.Errorf("last ID %q, want a-20000", got)
	}
	var b strings.Builder
	b.WriteString(`{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [{"name": "a"}`)
	for range n - 1 {
		b.WriteString(`, {"name": "a"}`)
	}
	b.WriteString("]}")
	s, err = triage.ParseCycloneDX(strings.NewReader(b.String()), "many.cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Components[n-1].ID; got != "a#20000" {
		t.Errorf("last ID %q, want a#20000", got)
	}
}
