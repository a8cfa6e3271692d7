package yamlin_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/sigwatch/sigwatch/internal/yamlin"
)

// FuzzDecode checks that Parse and Decode never panic and that every error
// names the file, has a message, and points inside the input.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"",
		"items: [{id: a, owner: b, tags: [x, y], enabled: true, when: 2025-01-31}]\nname: n\n",
		"items:\n  - id: a\n    ownr: x\n",
		"d: &d {owner: o}\nitems: [{<<: *d, id: a}, {<<: [*d, {tags: [t]}], id: b}]\n",
		"items: &i [{<<: *i}]\n",
		"a: &a [*a, *a]\nitems: *a\n",
		"{\"items\": [{\"id\": \"a\", \"note\": \"\\u00e9\"}]}",
		"- a\n",
		"items:\n\t- id: a\n",
		"\ufeffitems: []\r\n",
		"items: [{id: !!binary aGVsbG8=, when: !!timestamp 2024-01-01}]\n",
		"name: a\n---\nname: b\n",
		"items: [{&k id: a}, {*k : b}]\n",
		"items: [{id: '', secret: s}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// YAML also breaks lines at CR, NEL, LS and PS.
		lines := 1
		for _, sep := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
			lines += bytes.Count(data, []byte(sep))
		}
		check := func(err error) {
			if err == nil {
				return
			}
			var list yamlin.ErrorList
			if !errors.As(err, &list) {
				var e *yamlin.Error
				if !errors.As(err, &e) {
					t.Fatalf("error %T is neither an ErrorList nor an *Error: %v", err, err)
				}
				list = yamlin.ErrorList{e}
			}
			for _, e := range list {
				if e.File != "fuzz.yaml" || e.Msg == "" || e.Line < 0 || e.Line > lines || e.Column < 0 {
					t.Fatalf("bad error %#v for input with %d lines", e, lines)
				}
			}
		}
		root, err := yamlin.Parse(data, &yamlin.ParseOptions{File: "fuzz.yaml", MaxBytes: 1 << 16})
		check(err)
		if root == nil {
			return
		}
		var d doc
		check(yamlin.Decode(root, &d, &yamlin.Options{File: "fuzz.yaml", MaxErrors: 10}))
	})
}
