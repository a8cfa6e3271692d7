package register

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The expected positions below were counted by hand from the inputs: line
// numbers are given in the trailing comments of each input, columns are
// 1-based character offsets of the key or value named in the message.

var errorTests = []struct {
	name  string
	input string
	want  []string
}{
	// --- file level ---
	{
		name:  "empty_file",
		input: "",
		want:  []string{`t.yaml: file is empty; want a register with "people" and "groups"`},
	},
	{
		name:  "comments_only",
		input: "# just a comment\n\n",
		want:  []string{`t.yaml: file is empty; want a register with "people" and "groups"`},
	},
	{
		name:  "null_document",
		input: "~\n",
		want:  []string{`t.yaml: file is empty; want a register with "people" and "groups"`},
	},
	{
		name:  "root_is_a_list",
		input: "- people\n- groups\n",
		want:  []string{`t.yaml:1:1: want a map with "people" and "groups", got a list`},
	},
	{
		name: "second_document",
		input: "people: []\n" + // 1
			"groups: []\n" + // 2
			"---\n" + // 3
			"people: []\n", // 4
		want: []string{`t.yaml:3:1: a second YAML document; a register file holds one document (remove the extra ---)`},
	},
	{
		// "groups: [" is 9 characters, so the bad byte is column 10.
		name:  "invalid_utf8",
		input: "people: []\ngroups: [\xff]\n",
		want:  []string{`t.yaml:2:10: invalid UTF-8 (a register file must be UTF-8 text)`},
	},
	{
		name:  "control_character",
		input: "people: []\x00\ngroups: []\n",
		want:  []string{`t.yaml:1:11: control character U+0000 is not allowed`},
	},

	// --- YAML syntax ---
	{
		// The quoted scalar opened on line 3 never closes.
		name: "truncated_string",
		input: "people:\n" + // 1
			"  - id: akhan\n" + // 2
			"    name: \"Aisha\n", // 3
		want: []string{`t.yaml:3: invalid YAML: found unexpected end of stream`},
	},
	{
		// The flow map opened on line 2 never closes.
		name: "truncated_flow_map",
		input: "people: []\n" + // 1
			"groups: [{id: kev, name: x\n", // 2
		want: []string{`t.yaml:2: invalid YAML: did not find expected ',' or '}'`},
	},
	{
		// After the comma the parser wants another key, but the input ends
		// (on line 5, after the newline that ends line 4).
		name: "truncated_json",
		input: "{\n" + // 1
			"  \"people\": [],\n" + // 2
			"  \"groups\": [\n" + // 3
			"    {\"id\": \"kev\",\n", // 4
		want: []string{`t.yaml:5: invalid YAML: did not find expected node content`},
	},
	{
		name:  "tab_indentation",
		input: "people:\n\t- id: akhan\n",
		want:  []string{`t.yaml:2: invalid YAML: found character that cannot start any token`},
	},
	{
		name:  "bad_indentation",
		input: "people: []\n  groups: []\n",
		want:  []string{`t.yaml:2: invalid YAML: did not find expected key`},
	},
	{
		name:  "first_line_error",
		input: "people: groups: []\n",
		want:  []string{`t.yaml:1: invalid YAML: mapping values are not allowed in this context`},
	},
	{
		name:  "too_deep",
		input: strings.Repeat("[", 10001),
		want:  []string{`t.yaml:1: invalid YAML: exceeded max depth of 10000`},
	},
	{
		// "people: " is 8 characters; the alias starts at column 9.
		name:  "unknown_anchor",
		input: "people: *staff\ngroups: []\n",
		want:  []string{`t.yaml:1:9: unknown anchor "staff" (define it with &staff before using *staff)`},
	},

	// --- unknown fields ---
	{
		name: "unknown_field_suggestion",
		input: "people:\n" + // 1
			"  - id: akhan\n" + // 2
			"    name: Aisha Khan\n" + // 3
			"groups:\n" + // 4
			"  - id: kev\n" + // 5
			"    name: CISA KEV\n" + // 6
			"    kind: government-cert\n" + // 7
			"    ownr: akhan\n", // 8
		want: []string{`t.yaml:8:5: groups[0].ownr: unknown field "ownr" (did you mean "owner"?)`},
	},
	{
		name: "unknown_field_list",
		input: "people: []\n" + // 1
			"groups: []\n" + // 2
			"extra: 1\n", // 3
		want: []string{`t.yaml:3:1: extra: unknown field "extra" (want one of organisation, people, groups)`},
	},
	{
		// A typo'd required field gives one error, not also "missing name".
		name: "unknown_field_no_follow_on",
		input: "people:\n" + // 1
			"  - id: akhan\n" + // 2
			"    nmae: Aisha Khan\n" + // 3
			"groups: []\n", // 4
		want: []string{`t.yaml:3:5: people[0].nmae: unknown field "nmae" (did you mean "name"?)`},
	},
	{
		// "    review: {every: 12mo, " is 26 characters.
		name: "review_shorthand",
		input: "people:\n" + // 1
			"  - {id: akhan, name: Aisha Khan}\n" + // 2
			"groups:\n" + // 3
			"  - id: kev\n" + // 4
			"    name: CISA KEV\n" + // 5
			"    kind: government-cert\n" + // 6
			"    review: {every: 12mo, last: 2025-11-02}\n", // 7
		want: []string{`t.yaml:7:27: groups[0].review.last: unknown field "last" (a review's date, by, outcome and notes go in an entry under "records")`},
	},
	{
		name: "duplicate_key",
		input: "people: []\n" + // 1
			"groups: []\n" + // 2
			"people: []\n", // 3
		want: []string{`t.yaml:3:1: people: duplicate key "people" (first at line 1)`},
	},

	// --- wrong types ---
	{
		// "    technical: " is 15 characters.
		name: "bool",
		input: "people:\n" + // 1
			"  - id: akhan\n" + // 2
			"    name: Aisha Khan\n" + // 3
			"    technical: maybe\n" + // 4
			"groups: []\n", // 5
		want: []string{`t.yaml:4:16: people[0].technical: want true or false, got "maybe"`},
	},
	{
		// "    membership: {status: active, since: " is 40 characters.
		name: "date",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - id: kev\n" + // 3
			"    name: CISA KEV\n" + // 4
			"    kind: government-cert\n" + // 5
			"    membership: {status: active, since: yesterday}\n", // 6
		want: []string{`t.yaml:6:41: groups[0].membership.since: invalid date "yesterday": want YYYY-MM-DD`},
	},
	{
		name: "impossible_date",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - id: kev\n" + // 3
			"    name: CISA KEV\n" + // 4
			"    kind: government-cert\n" + // 5
			"    membership:\n" + // 6
			"      since: 2025-02-29\n", // 7
		want: []string{`t.yaml:7:14: groups[0].membership.since: invalid date "2025-02-29": want YYYY-MM-DD`},
	},
	{
		// "    review: {every: " is 20 characters.
		name: "period",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - id: kev\n" + // 3
			"    name: CISA KEV\n" + // 4
			"    kind: government-cert\n" + // 5
			"    review: {every: 12}\n", // 6
		want: []string{`t.yaml:6:21: groups[0].review.every: invalid period "12": want a positive number and a unit (d, w, mo, y), e.g. 12mo or 1y6mo`},
	},
	{
		name: "list_where_map_expected",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - id: kev\n" + // 3
			"    name: CISA KEV\n" + // 4
			"    kind: government-cert\n" + // 5
			"    scope: [global]\n", // 6
		want: []string{`t.yaml:6:12: groups[0].scope: want a map, got a list`},
	},
	{
		name: "map_where_list_expected",
		input: "people:\n" + // 1
			"  akhan: Aisha Khan\n" + // 2
			"groups: []\n", // 3
		want: []string{`t.yaml:2:3: people: want a list, got a map`},
	},
	{
		name: "scalar_where_list_expected",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - id: kev\n" + // 3
			"    name: CISA KEV\n" + // 4
			"    kind: government-cert\n" + // 5
			"    scope: {regions: global}\n", // 6
		want: []string{`t.yaml:6:22: groups[0].scope.regions: want a list, got "global"`},
	},
	{
		name: "map_where_string_expected",
		input: "people:\n" + // 1
			"  - id: akhan\n" + // 2
			"    name: {first: Aisha, last: Khan}\n" + // 3
			"groups: []\n", // 4
		want: []string{`t.yaml:3:11: people[0].name: want a string, got a map`},
	},

	// --- semantic checks ---
	{
		// A block map's position is its first key: column 5 after "  - ".
		name: "missing_id",
		input: "people:\n" + // 1
			"  - name: James Lee\n" + // 2
			"groups: []\n", // 3
		want: []string{`t.yaml:2:5: people[0]: missing required field "id"`},
	},
	{
		name: "empty_name",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - id: kev\n" + // 3
			"    name: \"\"\n" + // 4
			"    kind: isac\n", // 5
		want: []string{`t.yaml:4:11: groups[0].name: must not be empty`},
	},
	{
		name: "duplicate_person",
		input: "people:\n" + // 1
			"  - id: akhan\n" + // 2
			"    name: Aisha Khan\n" + // 3
			"  - id: akhan\n" + // 4
			"    name: Aisha Khan again\n" + // 5
			"groups: []\n", // 6
		want: []string{`t.yaml:4:9: people[1].id: duplicate person ID "akhan" (first at line 2)`},
	},
	{
		name: "duplicate_group",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - {id: kev, name: CISA KEV, kind: government-cert}\n" + // 3
			"  - {id: ncsc, name: UK NCSC, kind: government-cert}\n" + // 4
			"  - {id: kev, name: KEV again, kind: government-cert}\n", // 5
		want: []string{`t.yaml:5:10: groups[2].id: duplicate group ID "kev" (first at line 3)`},
	},
	{
		name: "missing_kind",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - id: kev\n" + // 3
			"    name: CISA KEV\n", // 4
		want: []string{`t.yaml:3:5: groups[0]: missing required field "kind"`},
	},
	{
		name: "invalid_kind",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - id: kev\n" + // 3
			"    name: CISA KEV\n" + // 4
			"    kind: goverment-cert\n", // 5
		want: []string{`t.yaml:5:11: groups[0].kind: unknown kind "goverment-cert" (did you mean "government-cert"?); want one of isac, cert, government-cert, government-agency, professional-body, vendor, forum, mailing-list`},
	},
	{
		name: "invalid_kind_no_suggestion",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - {id: kev, name: CISA KEV, kind: twitter}\n", // 3
		want: []string{`t.yaml:3:37: groups[0].kind: unknown kind "twitter"; want one of isac, cert, government-cert, government-agency, professional-body, vendor, forum, mailing-list`},
	},
	{
		name: "invalid_membership_status",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - id: kev\n" + // 3
			"    name: CISA KEV\n" + // 4
			"    kind: government-cert\n" + // 5
			"    membership: {status: actve}\n", // 6
		want: []string{`t.yaml:6:26: groups[0].membership.status: unknown membership status "actve" (did you mean "active"?); want one of applied, active, lapsed, ended`},
	},
	{
		name: "membership_ends_before_start",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - id: kev\n" + // 3
			"    name: CISA KEV\n" + // 4
			"    kind: government-cert\n" + // 5
			"    membership:\n" + // 6
			"      since: 2024-03-01\n" + // 7
			"      until: 2023-03-01\n", // 8
		want: []string{`t.yaml:8:14: groups[0].membership.until: membership ends (2023-03-01) before it starts (since 2024-03-01)`},
	},
	{
		name: "unknown_owner_and_backup",
		input: "people:\n" + // 1
			"  - {id: akhan, name: Aisha Khan}\n" + // 2
			"groups:\n" + // 3
			"  - id: kev\n" + // 4
			"    name: CISA KEV\n" + // 5
			"    kind: government-cert\n" + // 6
			"    owner: akahn\n" + // 7
			"    backup: jlee\n", // 8
		want: []string{
			`t.yaml:7:12: groups[0].owner: unknown person "akahn" (did you mean "akhan"?)`,
			`t.yaml:8:13: groups[0].backup: unknown person "jlee"`,
		},
	},
	{
		// "      - url: " puts url at column 9.
		name: "channel_without_kind",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - id: kev\n" + // 3
			"    name: CISA KEV\n" + // 4
			"    kind: government-cert\n" + // 5
			"    channels:\n" + // 6
			"      - url: https://example.com/feed.xml\n", // 7
		want: []string{`t.yaml:7:9: groups[0].channels[0]: missing required field "kind"`},
	},
	{
		// Line 10: the outcome value "kepe" is at column 50. Line 11: a
		// flow map's position is its "{" at column 11.
		name: "review_records",
		input: "people:\n" + // 1
			"  - {id: akhan, name: Aisha Khan}\n" + // 2
			"groups:\n" + // 3
			"  - id: kev\n" + // 4
			"    name: CISA KEV\n" + // 5
			"    kind: government-cert\n" + // 6
			"    review:\n" + // 7
			"      every: 12mo\n" + // 8
			"      records:\n" + // 9
			"        - {date: 2025-11-02, by: akhan, outcome: kepe}\n" + // 10
			"        - {by: akhan, outcome: keep}\n" + // 11
			"        - {date: 2025-11-03, by: jlee, outcome: retire}\n" + // 12
			"        - {date: 2025-11-04, by: akhan}\n", // 13
		want: []string{
			`t.yaml:10:50: groups[0].review.records[0].outcome: unknown outcome "kepe" (did you mean "keep"?); want one of keep, change, retire`,
			`t.yaml:11:11: groups[0].review.records[1]: missing required field "date"`,
			`t.yaml:12:34: groups[0].review.records[2].by: unknown person "jlee"`,
			`t.yaml:13:11: groups[0].review.records[3]: missing required field "outcome"`,
		},
	},
	{
		// "      - {date: 2025-06-12, kind: webinar, who: [akhan, " is 55
		// characters.
		name: "engagement_who",
		input: "people:\n" + // 1
			"  - {id: akhan, name: Aisha Khan}\n" + // 2
			"groups:\n" + // 3
			"  - id: kev\n" + // 4
			"    name: CISA KEV\n" + // 5
			"    kind: government-cert\n" + // 6
			"    engagements:\n" + // 7
			"      - {date: 2025-06-12, kind: webinar, who: [akhan, mokafor]}\n" + // 8
			"      - {date: 2025-06-13}\n", // 9
		want: []string{
			`t.yaml:8:56: groups[0].engagements[0].who[1]: unknown person "mokafor"`,
			`t.yaml:9:9: groups[0].engagements[1]: missing required field "kind"`,
		},
	},
	{
		// Every problem is reported, in file order.
		name: "many_at_once",
		input: "people:\n" + // 1
			"  - id: akhan\n" + // 2
			"    name: Aisha Khan\n" + // 3
			"    technical: maybe\n" + // 4
			"  - name: James Lee\n" + // 5
			"groups:\n" + // 6
			"  - id: kev\n" + // 7
			"    name: CISA KEV\n" + // 8
			"    kind: goverment-cert\n" + // 9
			"    ownr: akhan\n" + // 10
			"    membership: {status: active, since: yesterday}\n", // 11
		want: []string{
			`t.yaml:4:16: people[0].technical: want true or false, got "maybe"`,
			`t.yaml:5:5: people[1]: missing required field "id"`,
			`t.yaml:9:11: groups[0].kind: unknown kind "goverment-cert" (did you mean "government-cert"?); want one of isac, cert, government-cert, government-agency, professional-body, vendor, forum, mailing-list`,
			`t.yaml:10:5: groups[0].ownr: unknown field "ownr" (did you mean "owner"?)`,
			`t.yaml:11:41: groups[0].membership.since: invalid date "yesterday": want YYYY-MM-DD`,
		},
	},
	{
		// A person whose entry failed to decode does not also make every
		// reference to them an error.
		name: "no_cascade_from_broken_people",
		input: "people: {akhan: Aisha Khan}\n" + // 1
			"groups:\n" + // 2
			"  - {id: kev, name: CISA KEV, kind: isac, owner: akhan}\n", // 3
		want: []string{`t.yaml:1:9: people: want a list, got a map`},
	},
	{
		// An error inside an anchored value is reported once, at the
		// anchor, however often it is used. "  - {id: a, name: A, kind:
		// isac, review: &r {every: " is 52 characters.
		name: "error_through_alias",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - {id: a, name: A, kind: isac, review: &r {every: 12}}\n" + // 3
			"  - {id: b, name: B, kind: isac, review: *r}\n", // 4
		want: []string{
			`t.yaml:3:53: groups[0].review.every: invalid period "12": want a positive number and a unit (d, w, mo, y), e.g. 12mo or 1y6mo`,
		},
	},
	{
		// A wrong type reached through an alias is reported where the
		// alias is used. An anchored value's position is its anchor: "  -
		// {id: a, name: A, kind: isac, url: " is 38 characters, and "  -
		// {id: b, name: B, kind: isac, review: " is 41.
		name: "wrong_type_through_alias",
		input: "people: []\n" + // 1
			"groups:\n" + // 2
			"  - {id: a, name: A, kind: isac, url: &u [x]}\n" + // 3
			"  - {id: b, name: B, kind: isac, review: *u}\n", // 4
		want: []string{
			`t.yaml:3:39: groups[0].url: want a string, got a list`,
			`t.yaml:4:42: groups[1].review: want a map, got a list`,
		},
	},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range errorTests {
		t.Run(tt.name, func(t *testing.T) {
			reg, err := Parse(strings.NewReader(tt.input), "t.yaml")
			if err == nil {
				t.Fatalf("Parse succeeded, want errors:\n%s", strings.Join(tt.want, "\n"))
			}
			if reg != nil {
				t.Errorf("Parse returned a register with its error")
			}
			if got, want := err.Error(), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("error mismatch\ngot:\n%s\nwant:\n%s", got, want)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) != len(tt.want) {
				t.Fatalf("errors.As(ErrorList) = %v with %d entries, want %d", list, len(list), len(tt.want))
			}
			var first *Error
			if !errors.As(err, &first) || first != list[0] {
				t.Errorf("errors.As(*Error) = %v, want the first entry %v", first, list[0])
			}
		})
	}
}

func TestErrorFields(t *testing.T) {
	input := "people:\n  - id: akhan\n    name: Aisha Khan\ngroups:\n  - id: kev\n    name: CISA KEV\n    kind: government-cert\n    ownr: akhan\n"
	_, err := Parse(strings.NewReader(input), "register.yaml")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%v, *Error) failed", err)
	}
	want := Error{File: "register.yaml", Line: 8, Column: 5, Path: "groups[0].ownr", Msg: `unknown field "ownr" (did you mean "owner"?)`}
	if *e != want {
		t.Errorf("got %#v, want %#v", *e, want)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{File: "r.yaml", Line: 3, Column: 7, Path: "groups[0].kind", Msg: "m"}, "r.yaml:3:7: groups[0].kind: m"},
		{Error{File: "r.yaml", Line: 3, Msg: "m"}, "r.yaml:3: m"},
		{Error{File: "r.yaml", Msg: "m"}, "r.yaml: m"},
		{Error{Path: "people[0]", Msg: "m"}, "register: people[0]: m"},
		{Error{Line: 2, Column: 1, Msg: "m"}, "register: line 2:1: m"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestParseTooLarge(t *testing.T) {
	r := io.MultiReader(strings.NewReader("people: []\ngroups: []\n# "), strings.NewReader(strings.Repeat("x", MaxFileSize)))
	_, err := Parse(r, "big.yaml")
	if got, want := errString(err), "big.yaml: file is larger than the 4 MiB limit"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Parse(io.MultiReader(strings.NewReader("people: []\n"), errReader{boom}), "r.yaml")
	if !errors.Is(err, boom) || err.Error() != "register: read r.yaml: boom" {
		t.Errorf("got %v, want a wrapped read error", err)
	}
	if _, err := Parse(nil, "r.yaml"); err == nil || err.Error() != "register: read r.yaml: nil reader" {
		t.Errorf("Parse(nil) = %v", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.yaml")
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load = %v, want fs.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), path) || !strings.HasPrefix(err.Error(), "register: ") {
		t.Errorf("error %q does not start with register: and name %s", err, path)
	}
}

func TestAliasBomb(t *testing.T) {
	// Each level merges ten copies of the one before: 10^9 expansions.
	var levels strings.Builder
	levels.WriteString("&g0 {id: g, name: G, kind: isac}")
	for i := 1; i <= 9; i++ {
		levels.WriteString(", &g" + string(rune('0'+i)) + " {<<: [")
		for j := range 10 {
			if j > 0 {
				levels.WriteString(", ")
			}
			levels.WriteString("*g" + string(rune('0'+i-1)))
		}
		levels.WriteString("]}")
	}
	inputs := map[string]string{
		// Every level is a group, decoded in turn.
		"groups": "people: []\ngroups: [" + levels.String() + "]\n",
		// The levels sit in an unknown field; only the last is decoded.
		"hidden": "x: [" + levels.String() + "]\npeople: []\ngroups: [*g9]\n",
		// Many groups merge one anchor that holds a long list.
		"merged_list": "x: &big {proof: [" + strings.Repeat("p, ", 10_000) + "p]}\npeople: []\ngroups:\n" +
			strings.Repeat("  - {<<: {membership: *big}, id: g, name: G, kind: isac}\n", 50) +
			strings.Repeat("  - {membership: {<<: *big}, id: g, name: G, kind: isac}\n", 50),
	}
	for name, input := range inputs {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse(strings.NewReader(input), "bomb.yaml")
			if err == nil || !strings.Contains(err.Error(), "too many alias expansions") {
				t.Fatalf("got %v, want too many alias expansions", err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestAliasCycle(t *testing.T) {
	input := "people: []\ngroups:\n  - &g {id: a, name: A, kind: isac, <<: *g}\n"
	_, err := Parse(strings.NewReader(input), "c.yaml")
	// "  - &g {id: a, name: A, kind: isac, <<: " is 40 characters.
	want := `c.yaml:3:41: groups[0]: alias *g refers to a value that contains it`
	if got := errString(err); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTooManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("people:\n")
	for range 2 * maxErrors {
		b.WriteString("  - {name: x}\n")
	}
	_, err := Parse(strings.NewReader(b.String()), "many.yaml")
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %v", err)
	}
	if len(list) != maxErrors+1 || list[maxErrors].Error() != "many.yaml: too many errors; stopped after 50" {
		t.Errorf("got %d errors ending %v", len(list), list[len(list)-1])
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestSuggest(t *testing.T) {
	fields := []string{"id", "name", "kind", "url", "relevance", "scope", "owner", "backup", "membership", "channels", "review", "engagements"}
	tests := []struct{ in, want string }{
		{"ownr", "owner"},
		{"Owner", "owner"},
		{"nmae", "name"},
		{"relevence", "relevance"},
		{"memebrship", "membership"},
		{"engagement", "engagements"},
		{"channel", "channels"},
		{"kinds", "kind"},
		{"ID", "id"},
		{"xyz", ""},
		{"description", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.in, fields); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
