package cve5feed

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
)

// FuzzParse checks that no input panics and that every failure is one
// error naming the input: a *feeds.ParseError, or an error wrapping
// feeds.ErrTooLarge.
func FuzzParse(f *testing.F) {
	for _, name := range append(allRecords(f), "testdata/synthetic/rejected.json", "testdata/synthetic/cpe-and.json") {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"dataType":"CVE_RECORD","cveMetadata":{"cveId":"CVE-2024-0001","state":"PUBLISHED"},"containers":{"cna":{"affected":[{"versions":[{"version":">= 1, < 2","status":"affected"}]}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := Parse(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			var pe *feeds.ParseError
			if !errors.As(err, &pe) && !errors.Is(err, feeds.ErrTooLarge) {
				t.Fatalf("error %v (%T) is not a *feeds.ParseError", err, err)
			}
			if pe != nil && (pe.Input != "fuzz.json" || pe.Line < 1) {
				t.Fatalf("error without position: %v", err)
			}
			return
		}
		if rec.Advisory.ID == "" || rec.Advisory.Source != DefaultName {
			t.Fatalf("record without ID or source: %+v", rec.Advisory)
		}
		for _, a := range rec.Advisory.Affected {
			for _, r := range a.Ranges {
				if r.Type == "" {
					t.Fatalf("range without type: %+v", r)
				}
			}
		}
	})
}
