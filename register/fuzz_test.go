package register_test

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// FuzzParse checks that Parse never panics, that every error it returns has
// a message, and that whatever it accepts is valid and survives a round trip
// through WriteYAML and WriteJSON unchanged.
var fuzzCheckOpts = &register.CheckOptions{
	Now:   func() time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) },
	Stack: &triage.Stack{Components: []triage.Component{{ID: "a", Vendor: "Fortinet"}, {ID: "b", PURL: "pkg:npm/x@1"}}},
	History: &register.History{Since: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		LastReceived: map[string]time.Time{"rss": time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}},
	MaxGroups: 2, MaxGroupsPerOwner: 1,
}

func FuzzParse(f *testing.F) {
	for _, path := range []string{"testdata/register.yaml", "testdata/register.json", "testdata/register.golden.yaml"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"",
		"people: []\ngroups: []\n",
		"people:\n  - {id: a, name: A, technical: maybe}\ngroups:\n  - {id: g, name: G, kind: isca, owner: b}\n",
		"groups:\n  - &g {id: a, name: A, kind: isac}\n  - {<<: *g, id: b, review: {every: 1y2mo3d}}\n",
		"people: [{id: a, name: A}]\ngroups: [{id: g, name: G, kind: vendor, engagements: [{date: 2025-01-01, kind: x, who: [a]}]}]\n",
		"{\"people\": [], \"groups\": [{\"id\": \"x\", \"name\": \"\\u00e9\", \"kind\": \"forum\"}]}",
		"people: *x\n",
		"- a\n",
		"people: []\n---\ngroups: []\n",
		"people: [{id: !!binary aGVsbG8=, name: \"\\x01\\u2028\\uFEFF\\t\\u0085\\e\", role: !custom x, email: !!int 12}]\ngroups: []\n",
		"people:\n  - id: a\n    name: |2-\n        indented\n      less\n    role: >+\n      folded\n      text\n\n\ngroups: []\n",
		"groups:\n  - {id: g, name: G, kind: isac, membership: {status: active, since: !!timestamp 2024-01-01, until: '2025-01-01', renewal: \"\"}}\n",
		"people: []\ngroups: [{&k id: g, name: G, kind: isac}, {*k : h, name: H, kind: isac, scope: {regions: [\"a, b\", 'c: d', \"#\", \"- \"]}}]\n",
		"people: [{id: a, name: A, active: TRUE, technical: \"false\"}]\ngroups: [{id: g, name: G, kind: forum, channels: [{kind: rss, every: 1y 2mo 3w}], review: {every: 3 months}}]\n",
		"\ufeffpeople: []\r\ngroups: []\r\n",
	} {
		f.Add([]byte(s))
	}
	var rich bytes.Buffer
	if err := richRegister().WriteYAML(&rich); err != nil {
		f.Fatal(err)
	}
	f.Add(rich.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := register.Parse(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			if reg != nil {
				t.Fatal("register returned with an error")
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			var list register.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %v", err)
			}
			for _, e := range list {
				if e == nil || e.Msg == "" || e.File != "fuzz.yaml" {
					t.Fatalf("bad entry %#v in %v", e, err)
				}
			}
			return
		}
		if err := reg.Validate(); err != nil {
			t.Fatalf("Parse accepted a register that Validate rejects: %v", err)
		}
		// Check judges whatever parses, without panicking, and every
		// finding is one of the documented codes with a message.
		for _, f := range register.Check(reg, fuzzCheckOpts) {
			if !slices.Contains(register.Codes(), f.Code) || f.Severity.Rank() == 0 || f.Message == "" {
				t.Fatalf("bad finding %+v", f)
			}
		}
		var y, j bytes.Buffer
		if err := reg.WriteYAML(&y); err != nil {
			t.Fatalf("WriteYAML: %v", err)
		}
		back, err := register.Parse(bytes.NewReader(y.Bytes()), "out.yaml")
		if err != nil {
			t.Fatalf("Parse(WriteYAML):\n%v\n%s", err, y.Bytes())
		}
		if diff := cmp.Diff(reg, back); diff != "" {
			t.Fatalf("YAML round trip (-in +out):\n%s\n%s", diff, y.Bytes())
		}
		if err := reg.WriteJSON(&j); err != nil {
			t.Fatalf("WriteJSON: %v", err)
		}
		back, err = register.Parse(bytes.NewReader(j.Bytes()), "out.json")
		if err != nil {
			t.Fatalf("Parse(WriteJSON):\n%v\n%s", err, j.Bytes())
		}
		if diff := cmp.Diff(reg, back); diff != "" {
			t.Fatalf("JSON round trip (-in +out):\n%s\n%s", diff, j.Bytes())
		}
	})
}
