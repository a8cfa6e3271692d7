package vercmp

import (
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
)

// benchRanges are two-interval ranges per scheme, with an installed
// version inside the second interval (the walk visits both).
var benchRanges = []struct {
	name, eco, typ string
	events         []feeds.Event
	version        string
}{
	{"SemVer", "", "SEMVER", []feeds.Event{intro("1.0.0"), fixed("1.4.2"), intro("2.0.0"), fixed("2.3.1")}, "2.2.9"},
	{"Go", "Go", "ECOSYSTEM", []feeds.Event{intro("0"), fixed("1.4.2"), intro("2.0.0+incompatible"), fixed("2.3.1")}, "v2.2.9"},
	{"npm", "npm", "ECOSYSTEM", []feeds.Event{intro("1.0.0"), fixed("1.4.2"), intro("2.0.0-rc.1"), fixed("2.3.1")}, "2.2.9"},
	{"PyPI", "PyPI", "ECOSYSTEM", []feeds.Event{intro("1.0"), fixed("1.4.2"), intro("2.0a1"), fixed("2.3.1.post1")}, "2.2.9"},
	{"Maven", "Maven", "ECOSYSTEM", []feeds.Event{intro("2.0-beta9"), fixed("2.3.1"), intro("2.4"), fixed("2.12.2")}, "2.11.0"},
	{"Debian", "Debian:12", "ECOSYSTEM", []feeds.Event{intro("0"), fixed("1.2.3-1+deb11u1"), intro("2:1.0-1"), fixed("2:1.0-4")}, "2:1.0-3~bpo12+1"},
	{"RPM", "AlmaLinux:9", "ECOSYSTEM", []feeds.Event{intro("0"), fixed("1:2.06-27.el9_0.7.alma"), intro("1:3.0-1.el9"), fixed("1:3.0-9.el9")}, "1:3.0-5.el9"},
	{"Alpine", "Alpine:v3.18", "ECOSYSTEM", []feeds.Event{intro("0"), fixed("1.2.3-r4"), intro("2.0_rc1-r0"), fixed("2.1.0-r2")}, "2.0.5-r1"},
	{"Generic", "", "custom", []feeds.Event{intro("10.1.0"), fixed("10.1.14-h2"), intro("10.2.0"), fixed("10.2.9-h1")}, "10.2.8-h3"},
}

// BenchmarkInEvents measures one InEvents call (parse and sort the events,
// then place the version) per scheme.
func BenchmarkInEvents(b *testing.B) {
	for _, br := range benchRanges {
		b.Run(br.name, func(b *testing.B) {
			s, err := ForRange(br.typ, br.eco)
			if err != nil {
				b.Fatal(err)
			}
			v := mustParse(b, s, br.version)
			if in, _, err := InEvents(s, v, br.events); err != nil || !in {
				b.Fatalf("%v, %v", in, err)
			}
			b.ReportAllocs()
			for b.Loop() {
				_, _, _ = InEvents(s, v, br.events)
			}
		})
	}
}

// BenchmarkContains measures placing a parsed version in a range compiled
// once with CompileEvents (what an engine that compiles advisories up front
// pays per component).
func BenchmarkContains(b *testing.B) {
	for _, br := range benchRanges {
		b.Run(br.name, func(b *testing.B) {
			s, _ := ForRange(br.typ, br.eco)
			r, err := CompileEvents(s, br.events)
			if err != nil {
				b.Fatal(err)
			}
			v := mustParse(b, s, br.version)
			b.ReportAllocs()
			for b.Loop() {
				_, _, _ = r.Contains(v)
			}
		})
	}
}

// BenchmarkParse measures parsing one installed version per scheme.
func BenchmarkParse(b *testing.B) {
	for _, br := range benchRanges {
		b.Run(br.name, func(b *testing.B) {
			s, _ := ForRange(br.typ, br.eco)
			b.ReportAllocs()
			for b.Loop() {
				_, _ = s.Parse(br.version)
			}
		})
	}
}
