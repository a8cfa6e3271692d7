package triage_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/triage"
)

// FuzzParseStack feeds every format through format detection: it must
// never panic, every error must name the input, and whatever it accepts
// must be a valid stack whose components all say where they came from.
// Imports are read from an in-memory file system, never from disk.
func FuzzParseStack(f *testing.F) {
	files, err := filepath.Glob("testdata/stack/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		// The real files, cut short: whole ones make the fuzzer slow.
		f.Add(data[:min(len(data), 3000)])
		f.Add(data[:min(len(data), 700)])
	}
	for _, s := range []string{
		"components:\n  - {id: fw, vendor: Fortinet, product: FortiOS, version: 7.2.4, exposure: internet, tags: [edge]}\nsboms:\n  - {path: a.csv, owner: net, criticality: high}\n",
		"sboms: [{path: fuzz.yaml}]\n",
		"sboms: [{path: b.cdx.json, tags: [x]}, {path: b.cdx.json}, {path: ../x}]\n",
		"components: [{id: a, prl: x}]\n",
		"{\"components\": [{\"id\": \"a\", \"purl\": \"pkg:npm/a@1\"}]}",
		"id,vendor,product,version,tags\nfw,Fortinet,FortiOS,7.2.4,a;b\n,Ivanti,ICS,22.7,\n",
		"vendor;product\nA;B\n",
		"id,product\nfw,\"x\n",
		"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [{\"name\": \"a\", \"components\": [{\"name\": \"a\"}]}]}",
		"{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"SPDXID\": \"SPDXRef-a\", \"name\": \"a\", \"supplier\": \"Organization: A\"}]}",
		"{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"SPDXID\": \"SPDXRef-a\", \"name\": \" \"}]}",
		"SPDXVersion: SPDX-2.2\n",
		"<bom/>",
		"",
	} {
		f.Add([]byte(s))
	}
	fsys := fstest.MapFS{
		"a.csv":      {Data: []byte("id,product,owner\nfw,Jenkins,\nlib,Log4j,ops\n")},
		"b.cdx.json": {Data: []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [{"bom-ref": "fw", "name": "x"}]}`)},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _, err := triage.ImportStack(bytes.NewReader(data), "fuzz.yaml", &triage.StackOptions{FS: fsys, MaxFileBytes: 1 << 20})
		if err != nil {
			if s != nil {
				t.Fatal("stack returned with an error")
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			var pe *feeds.ParseError
			if !errors.As(err, &pe) || pe.Input == "" {
				t.Fatalf("error without an input name: %v", err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted an invalid stack: %v", err)
		}
		for _, c := range s.Components {
			if c.Source == "" {
				t.Fatalf("component %q has no source", c.ID)
			}
		}
	})
}
