package yamlin_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sigwatch/sigwatch/internal/yamlin"
)

type item struct {
	ID      string   `yaml:"id" yamlin:"required"`
	Owner   string   `yaml:"owner,omitempty"`
	Tags    []string `yaml:"tags,omitempty"`
	Enabled *bool    `yaml:"enabled,omitempty"`
	Secret  string   `yaml:"secret,omitempty"`
	When    day      `yaml:"when,omitempty"`
	Note    string   // key "note", from the field name
	//lint:ignore U1000 an unexported field, which decoding must leave alone
	hidden string
}

type doc struct {
	Items []item `yaml:"items"`
	Name  string `yaml:"name,omitempty"`
}

// day is a TextUnmarshaler, decoded by the generic path.
type day struct{ t time.Time }

func (d *day) UnmarshalText(b []byte) error {
	t, err := time.Parse(time.DateOnly, string(b))
	if err != nil {
		return errors.New("want a date such as 2025-01-31")
	}
	d.t = t
	return nil
}

var itemType = reflect.TypeFor[item]()

// decode parses and decodes input as t.yaml into a doc, hiding the secret
// field as a caller would with Exclude.
func decode(input string) (*doc, error) {
	root, err := yamlin.Parse([]byte(input), &yamlin.ParseOptions{File: "t.yaml", MaxBytes: 1 << 20, What: "a test file"})
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, errors.New("empty")
	}
	var d doc
	err = yamlin.Decode(root, &d, &yamlin.Options{
		File:    "t.yaml",
		Exclude: func(t reflect.Type, key string) bool { return t == itemType && key == "secret" },
	})
	return &d, err
}

// The expected positions were counted by hand: lines are given in the
// trailing comment of each input line, columns are 1-based character
// offsets of the key or value named.
func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string
	}{
		{
			// "  - id: a" then "    ownr: x": the key starts at column 5.
			name: "unknown_field_with_suggestion",
			input: "items:\n" + // 1
				"  - id: a\n" + // 2
				"    ownr: x\n", // 3
			want: []string{`t.yaml:3:5: items[0].ownr: unknown field "ownr" (did you mean "owner"?)`},
		},
		{
			name:  "unknown_field_without_suggestion",
			input: "items: [{id: a, colour: red}]\n",
			// "items: [{id: a, " is 16 characters.
			want: []string{`t.yaml:1:17: items[0].colour: unknown field "colour" (want one of id, owner, tags, enabled, when, note)`},
		},
		{
			// Excluded fields are unknown and never suggested.
			name:  "excluded_field",
			input: "items: [{id: a, secret: s}]\n",
			want:  []string{`t.yaml:1:17: items[0].secret: unknown field "secret" (want one of id, owner, tags, enabled, when, note)`},
		},
		{
			name: "wrong_types",
			input: "items:\n" + // 1
				"  - id: [a]\n" + // 2: value at column 9
				"    tags: {a: b}\n" + // 3: value at column 11
				"    enabled: maybe\n" + // 4: value at column 14
				"    when: 2025-13-01\n" + // 5: value at column 11
				"name: {x: y}\n", // 6: value at column 7
			want: []string{
				`t.yaml:2:9: items[0].id: want a string, got a list`,
				`t.yaml:3:11: items[0].tags: want a list, got a map`,
				`t.yaml:4:14: items[0].enabled: want true or false, got "maybe"`,
				`t.yaml:5:11: items[0].when: want a date such as 2025-01-31`,
				`t.yaml:6:7: name: want a string, got a map`,
			},
		},
		{
			name:  "root_not_a_map",
			input: "- a\n- b\n",
			want:  []string{`t.yaml:1:1: want a map, got a list`},
		},
		{
			name:  "scalar_root",
			input: "just text\n",
			want:  []string{`t.yaml:1:1: want a map, got "just text"`},
		},
		{
			// "items: [{owner: x}, {id: ''}]": the first map opens at column
			// 9, the empty value is at column 26.
			name:  "required",
			input: "items: [{owner: x}, {id: ''}]\n",
			want: []string{
				`t.yaml:1:9: items[0]: missing required field "id"`,
				`t.yaml:1:26: items[1].id: must not be empty`,
			},
		},
		{
			name: "duplicate_key",
			input: "items:\n" + // 1
				"  - id: a\n" + // 2
				"    id: b\n", // 3
			want: []string{`t.yaml:3:5: items[0].id: duplicate key "id" (first at line 2)`},
		},
		{
			name:  "non_string_key",
			input: "items: [{id: a, [x]: y}]\n",
			want:  []string{`t.yaml:1:17: items[0]: keys must be strings, got a list`},
		},
		{
			// An alias reaches a wrong type: reported where the alias is.
			// "items: [{id: a, tags: &t {x: y}}, {id: b, tags: " is 48 characters.
			name:  "wrong_type_through_alias",
			input: "items: [{id: a, tags: &t {x: y}}, {id: b, tags: *t}]\n",
			want: []string{
				`t.yaml:1:23: items[0].tags: want a list, got a map`,
				`t.yaml:1:49: items[1].tags: want a list, got a map`,
			},
		},
		{
			// "  - &i {id: a, tags: [x], <<: " is 30 characters.
			name:  "alias_cycle",
			input: "items:\n  - &i {id: a, tags: [x], <<: *i}\n",
			want:  []string{`t.yaml:2:31: items[0]: alias *i refers to a value that contains it`},
		},
		{
			name:  "merge_of_a_list_of_scalars",
			input: "items: [{id: a, <<: [x]}]\n",
			want:  []string{`t.yaml:1:22: items[0]: merge key (<<) wants a map or a list of maps, got "x"`},
		},
		{
			name:  "invalid_utf8_in_quoted_escape",
			input: "name: \"\\xff\"\n",
			// YAML's \xff escape is the rune U+00FF, valid UTF-8: no error.
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(tt.input)
			got := errString(err)
			if want := strings.Join(tt.want, "\n"); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			if len(tt.want) == 0 {
				return
			}
			var list yamlin.ErrorList
			if !errors.As(err, &list) || len(list) != len(tt.want) {
				t.Fatalf("errors.As(ErrorList): %d entries, want %d", len(list), len(tt.want))
			}
			var first *yamlin.Error
			if !errors.As(err, &first) || first != list[0] {
				t.Errorf("errors.As(*Error) = %v, want the first entry", first)
			}
		})
	}
}

func TestDecodeValues(t *testing.T) {
	input := "defaults: &d {owner: net, tags: [edge]}\n" +
		"items:\n" +
		"  - {<<: *d, id: fw, enabled: TRUE, when: 2025-01-31}\n" +
		"  - {<<: *d, id: vpn, owner: sec, enabled: \"false\", note: ~}\n"
	root, err := yamlin.Parse([]byte(input), nil)
	if err != nil {
		t.Fatal(err)
	}
	type withDefaults struct {
		Defaults item   `yaml:"defaults"`
		Items    []item `yaml:"items"`
	}
	var got withDefaults
	if err := yamlin.Decode(root, &got, &yamlin.Options{Required: func(reflect.Type, string) bool { return false }}); err == nil ||
		err.Error() != `<input>:1:11: defaults: missing required field "id"` {
		t.Fatalf("got %v", err)
	}
	if len(got.Items) != 2 {
		t.Fatalf("got %d items", len(got.Items))
	}
	fw, vpn := got.Items[0], got.Items[1]
	if fw.ID != "fw" || fw.Owner != "net" || !reflect.DeepEqual(fw.Tags, []string{"edge"}) || fw.Enabled == nil || !*fw.Enabled ||
		fw.When.t != time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC) {
		t.Errorf("fw = %+v", fw)
	}
	if vpn.ID != "vpn" || vpn.Owner != "sec" || vpn.Enabled == nil || *vpn.Enabled || vpn.Note != "" {
		t.Errorf("vpn = %+v", vpn)
	}
}

func TestHooks(t *testing.T) {
	input := "items:\n" + // 1
		"  - id: a\n" + // 2
		"    owner: LOUD\n" + // 3
		"  - id: b\n" + // 4
		"    note: x\n" // 5
	root, err := yamlin.Parse([]byte(input), nil)
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]int{}
	var got doc
	d := yamlin.NewDecoder(&yamlin.Options{
		File: "h.yaml",
		Value: func(n *yaml.Node, v reflect.Value, path string) (bool, error) {
			if v.Type() == itemType {
				lines[path] = n.Line
			}
			if strings.HasSuffix(path, ".owner") {
				if n.Value != strings.ToLower(n.Value) {
					return true, errors.New("owner IDs are lower case")
				}
			}
			return false, nil
		},
		Unknown: func(t reflect.Type, key string) string {
			if key == "note" {
				return "notes go in the wiki"
			}
			return ""
		},
		Exclude: func(t reflect.Type, key string) bool { return key == "note" },
	})
	d.Decode(root, &got)
	want := "h.yaml:3:12: items[0].owner: owner IDs are lower case\n" +
		"h.yaml:5:5: items[1].note: notes go in the wiki"
	if errString(d.Errors().Sort().Err()) != want {
		t.Errorf("got:\n%v\nwant:\n%s", d.Errors(), want)
	}
	if !d.Failed()["items[0].owner"] || d.Failed()["items[1]"] || d.Stopped() {
		t.Errorf("Failed = %v, Stopped = %v", d.Failed(), d.Stopped())
	}
	if lines["items[0]"] != 2 || lines["items[1]"] != 4 {
		t.Errorf("recorded lines %v, want items[0] at 2 and items[1] at 4", lines)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"tab_indentation", "items:\n\t- id: a\n", "t.yaml:2: invalid YAML: found character that cannot start any token"},
		{"bom_then_tab", "\ufeffitems:\n\t- id: a\n", "t.yaml:2: invalid YAML: found character that cannot start any token"},
		// The parser stops at "name" on line 2, where it wanted ',' or ']'.
		{"unclosed_flow", "items: [{id: a}\nname: x\n", "t.yaml:2: invalid YAML: did not find expected ',' or ']'"},
		// At the end of input libyaml names line 2 of a one-line file.
		{"unclosed_at_end", "[", "t.yaml:1: invalid YAML: did not find expected node content"},
		{"deep_nesting", strings.Repeat("[", 20_000), "t.yaml:1: invalid YAML: exceeded max depth of 10000"},
		{"unknown_anchor", "items: [{id: a}]\nname: *nope\n", `t.yaml:2:7: unknown anchor "nope" (define it with &nope before using *nope)`},
		// The position is the "---" that starts the second document.
		{"second_document", "name: a\n---\nname: b\n", "t.yaml:2:1: a second YAML document; a test file holds one document (remove the extra ---)"},
		// "name: " is 6 characters.
		{"invalid_utf8", "name: \xff\n", "t.yaml:1:7: invalid UTF-8 (a test file must be UTF-8 text)"},
		{"control_character", "name: a\x07\n", "t.yaml:1:8: control character U+0007 is not allowed"},
		{"too_large", "name: " + strings.Repeat("x", 1<<20), "t.yaml: file is larger than the 1 MiB limit"},
		{"empty", " \n# only a comment\n", "empty"},
		{"null", "~\n", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(tt.input)
			if got := errString(err); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestBOM(t *testing.T) {
	d, err := decode("\ufeffitems: [{id: a}]\n")
	if err != nil || len(d.Items) != 1 || d.Items[0].ID != "a" {
		t.Fatalf("got %+v, %v", d, err)
	}
	// Positions after a BOM count from the first character after it.
	_, err = decode("\ufeffitems: [{id: a, ownr: x}]\n")
	if got, want := errString(err), `t.yaml:1:17: items[0].ownr: unknown field "ownr" (did you mean "owner"?)`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestJSON(t *testing.T) {
	input := "{\n" + // 1
		"  \"items\": [\n" + // 2
		"    {\"id\": \"a\", \"tags\": \"x\"}\n" + // 3: "    {"id": "a", "tags": " is 24 characters
		"  ]\n" +
		"}\n"
	_, err := decode(input)
	if got, want := errString(err), `t.yaml:3:25: items[0].tags: want a list, got "x"`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestAliasBomb(t *testing.T) {
	// Each level is a list of ten aliases to the one before: 10^9 values.
	var b strings.Builder
	b.WriteString("x: &a0 [{id: a}]\n")
	for i := 1; i <= 9; i++ {
		b.WriteString("x" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	b.WriteString("items: *a9\n")
	root, err := yamlin.Parse([]byte(b.String()), nil)
	if err != nil {
		t.Fatal(err)
	}
	type bomb struct {
		Items [][][][][][][][][][]item `yaml:"items"`
	}
	start := time.Now()
	d := yamlin.NewDecoder(nil)
	var got bomb
	d.Decode(root, &got)
	// x0…x9 are unknown keys; the alias expansion stops decoding.
	if !d.Stopped() || !strings.Contains(d.Errors().Error(), "too many alias expansions") {
		t.Errorf("Stopped = %v, errors:\n%v", d.Stopped(), d.Errors())
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v", el)
	}
}

func TestTooManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("items:\n")
	for range 2 * yamlin.DefaultMaxErrors {
		b.WriteString("  - {ownr: x}\n")
	}
	_, err := decode(b.String())
	var list yamlin.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %v", err)
	}
	if len(list) != yamlin.DefaultMaxErrors+1 || list[len(list)-1].Error() != "t.yaml: too many errors; stopped after 50" {
		t.Errorf("got %d errors ending %v", len(list), list[len(list)-1])
	}
}

func TestDecodeIntoNonPointer(t *testing.T) {
	root, _ := yamlin.Parse([]byte("a: b\n"), nil)
	var d doc
	if err := yamlin.Decode(root, d, nil); err == nil || !strings.Contains(err.Error(), "want a non-nil pointer") {
		t.Errorf("got %v", err)
	}
}

func TestSuggest(t *testing.T) {
	fields := []string{"id", "name", "vendor", "product", "version", "purl", "cpe", "owner", "criticality", "exposure", "tags"}
	tests := []struct{ in, want string }{
		{"ownr", "owner"},
		{"Vendor", "vendor"},
		{"prodcut", "product"},
		{"verison", "version"},
		{"criticallity", "criticality"},
		{"exposre", "exposure"},
		{"tag", "tags"},
		{"ID", "id"},
		{"x", ""},
		{"description", ""},
		{strings.Repeat("a", 100), ""},
	}
	for _, tt := range tests {
		if got := yamlin.Suggest(tt.in, fields); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := yamlin.DidYouMean("ownr", fields); got != ` (did you mean "owner"?)` {
		t.Errorf("DidYouMean = %q", got)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  yamlin.Error
		want string
	}{
		{yamlin.Error{File: "s.yaml", Line: 3, Column: 7, Path: "a[0].b", Msg: "m"}, "s.yaml:3:7: a[0].b: m"},
		{yamlin.Error{File: "s.yaml", Line: 3, Msg: "m"}, "s.yaml:3: m"},
		{yamlin.Error{File: "s.yaml", Msg: "m"}, "s.yaml: m"},
		{yamlin.Error{Line: 2, Column: 1, Msg: "m"}, "<input>:2:1: m"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
	if yamlin.ErrorList(nil).Err() != nil {
		t.Error("empty ErrorList.Err() is not nil")
	}
	// Sort puts positioned errors first, by position, and drops repeats.
	l := yamlin.ErrorList{
		{File: "f", Msg: "whole file"},
		{File: "f", Line: 2, Column: 1, Path: "b", Msg: "x"},
		{File: "f", Line: 1, Column: 5, Path: "a", Msg: "y"},
		{File: "f", Line: 2, Column: 1, Path: "c", Msg: "x"},
	}
	if got, want := l.Sort().Error(), "f:1:5: a: y\nf:2:1: b: x\nf: whole file"; got != want {
		t.Errorf("Sort:\n%s\nwant:\n%s", got, want)
	}
}

func TestQuote(t *testing.T) {
	if got := yamlin.Quote(strings.Repeat("é", 50)); got != `"`+strings.Repeat("é", 40)+`"…` {
		t.Errorf("Quote = %s", got)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestEmptyMergeBomb(t *testing.T) {
	// Each level merges ten copies of the one before, down to an empty map:
	// no key is ever produced, but the merges alone number 10^12.
	var b strings.Builder
	b.WriteString("x0: &m0 {}\n")
	for i := 1; i <= 12; i++ {
		b.WriteString("x" + itoa(i) + ": &m" + itoa(i) + " {<<: [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*m" + itoa(i-1))
		}
		b.WriteString("]}\n")
	}
	b.WriteString("items: [{<<: *m12, id: a}]\n")
	root, err := yamlin.Parse([]byte(b.String()), nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var d struct {
		Items []item `yaml:"items"`
	}
	err = yamlin.Decode(root, &d, &yamlin.Options{Exclude: func(_ reflect.Type, key string) bool { return false }})
	if err == nil || !strings.Contains(err.Error(), "too many alias expansions") {
		t.Errorf("got %v", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v", el)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
