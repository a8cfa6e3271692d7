package csaffeed

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
)

func distDate(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// The expected rows are the files' own lines (each file has 2 to 5 lines;
// read with cat).
func TestParseChangesRealFiles(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []Change
	}{
		{"cisa/IT/changes.csv", []Change{
			{"csaf_files/IT/white/2024/va-24-254-02.json", distDate("2024-10-03T16:03:00Z"), 1},
			{"csaf_files/IT/white/2024/va-24-262-01.json", distDate("2024-09-18T16:56:00Z"), 2},
			{"csaf_files/IT/white/2024/va-24-201-01.json", distDate("2024-09-18T16:00:00Z"), 3},
			{"csaf_files/IT/white/2024/va-24-254-01.json", distDate("2024-09-10T20:08:00Z"), 4},
		}},
		{"cisa/IT/index.txt", []Change{
			{Path: "csaf_files/IT/white/2024/va-24-262-01.json", Line: 1},
			{Path: "csaf_files/IT/white/2024/va-24-254-02.json", Line: 2},
			{Path: "csaf_files/IT/white/2024/va-24-254-01.json", Line: 3},
			{Path: "csaf_files/IT/white/2024/va-24-201-01.json", Line: 4},
		}},
		{"redhat/changes.csv", []Change{
			{"2024/rhsa-2024_0010.json", distDate("2025-02-18T14:28:08Z"), 1},
			{"2024/rhsa-2024_11255.json", distDate("2025-02-15T14:27:54Z"), 2},
			{"2024/rhsa-2024_4444.json", distDate("2025-02-14T14:27:54Z"), 3},
			{"2024/rhsa-2024_5555.json", distDate("2025-02-18T14:27:54Z"), 4},
			{"2024/rhsa-2024_6666.json", distDate("2025-02-18T14:27:54Z"), 5},
		}},
		{"redhat/deletions.csv", []Change{
			{"2024/rhea-2024_5245.json", distDate("2025-02-07T17:44:49Z"), 1},
			{"2024/rhsa-2024_2106.json", distDate("2024-12-01T21:27:56Z"), 2},
		}},
	} {
		t.Run(strings.NewReplacer("/", "_", ".", "_").Replace(tc.file), func(t *testing.T) {
			got, err := ParseChanges(bytes.NewReader(distRead(t, tc.file)), tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestParseChangesCISAOT cross-checks CISA's OT changes.csv with the OT ROLIE
// feed: python3 counted 2379 rows, 2379 distinct paths, and the set of
// paths after "/white/" equals the set of feed content.src suffixes after
// "/white/" (2379 in common, none on either side only). First row:
// csaf_files/OT/white/2024/icsma-24-254-01.json,2024-09-10T06:00:00.000000Z.
func TestParseChangesCISAOT(t *testing.T) {
	changes, err := ParseChanges(bytes.NewReader(distRead(t, "cisa/OT/changes.csv")), "changes.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2379 {
		t.Fatalf("%d rows, want 2379", len(changes))
	}
	if c := changes[0]; c.Path != "csaf_files/OT/white/2024/icsma-24-254-01.json" || !c.Updated.Equal(distDate("2024-09-10T06:00:00Z")) {
		t.Errorf("first row = %+v", c)
	}
	feed, err := ParseROLIE(bytes.NewReader(distRead(t, "cisa/OT/cisa-csaf-ot-feed-tlp-white.json")), "feed.json")
	if err != nil {
		t.Fatal(err)
	}
	const dir = "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/OT/white/"
	var fromChanges, fromFeed []string
	for _, c := range changes {
		u, err := ResolvePath(dir, c.Path)
		if err != nil {
			t.Fatal(err)
		}
		fromChanges = append(fromChanges, u)
	}
	for _, e := range feed.Entries {
		fromFeed = append(fromFeed, e.DocumentURL())
	}
	slices.Sort(fromChanges)
	slices.Sort(fromFeed)
	if d := cmp.Diff(fromFeed, fromChanges); d != "" {
		t.Errorf("resolved changes.csv paths differ from the feed's document URLs (-feed +changes):\n%s", d)
	}
}

func TestParseChangesEdgeCases(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []Change
	}{
		{"bom_crlf_blank_lines", "\ufeff2024/a.json,2024-01-02T03:04:05Z\r\n\r\n2023/b.json,2023-01-01\r\n", []Change{
			{"2024/a.json", distDate("2024-01-02T03:04:05Z"), 1},
			{"2023/b.json", distDate("2023-01-01T00:00:00Z"), 3},
		}},
		{"zone_less_time", `"2024/a.json","2024-01-02T03:04:05.123"`, []Change{{"2024/a.json", distDate("2024-01-02T03:04:05.123Z"), 1}}},
		{"upper_case_suffix", "2024/A.JSON\n", []Change{{Path: "2024/A.JSON", Line: 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseChanges(strings.NewReader(tc.in), "changes.csv")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// Positions counted by hand; columns count characters.
func TestParseChangesErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		line, col int
		target    error
		msg       string
	}{
		{"bad_time", "2024/a.json,2024-01-01T00:00:00Z\n2024/b.json,2024-13-01T00:00:00Z\n", 2, 13, nil, "invalid time"},
		{"bad_time_after_umlaut", "2024/ä.json,yesterday\n", 1, 13, nil, "invalid time"},
		{"empty_time", "2024/a.json,\n", 1, 13, nil, "empty timestamp"},
		{"field_count", "2024/a.json,2024-01-01T00:00:00Z\n2024/b.json\n", 2, 1, nil, "row has 1 fields, the first row had 2"},
		{"three_fields", "2024/a.json,2024-01-01T00:00:00Z,x\n", 1, 1, nil, "row has 3 fields"},
		{"bare_quote", "2024/a\"b.json,2024-01-01T00:00:00Z\n", 1, 7, nil, "bare \""},
		{"html", "<!DOCTYPE html>\n<html></html>", 1, 1, feeds.ErrNotFeed, "HTML page"},
		{"empty", "", 1, 1, feeds.ErrNotFeed, "empty body"},
		{"blank", "\ufeff \r\n\n", 1, 1, feeds.ErrNotFeed, "empty body"},
		{"json", "  {\"feed\": {}}", 1, 1, feeds.ErrNotFeed, "JSON"},
		{"absolute_url", "https://a.example/2024/a.json,2024-01-01T00:00:00Z\n", 1, 1, nil, "not relative"},
		{"rooted_path", "/2024/a.json\n", 1, 1, nil, "not relative"},
		{"dot_dot", "x.json\n2024/../../../etc/a.json\n", 2, 1, nil, `".." segment`},
		{"backslash", `2024\a.json`, 1, 1, nil, "backslash"},
		{"not_json", "2024/a.json\n2024/a.html\n", 2, 1, nil, "does not name a .json file"},
		{"empty_path", "\"\",2024-01-01T00:00:00Z\n", 1, 1, nil, "empty path"},
		{"control_char", "2024/a\x01.json\n", 1, 1, nil, "control characters"},
		{"binary", "\x00\xff\xfe\x01garbage", 1, 1, nil, ""},
		{"header_row", "path,timestamp\n2024/a.json,2024-01-01T00:00:00Z\n", 1, 1, nil, "does not name a .json file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseChanges(strings.NewReader(tc.in), "changes.csv")
			if err == nil {
				t.Fatalf("no error; got %+v", got)
			}
			distWantParseError(t, err, tc.line, tc.col, "", tc.target)
			if !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "changes.csv:") {
				t.Errorf("error %q: want input name and %q", err, tc.msg)
			}
		})
	}
}

type distErrReader struct{}

func (distErrReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestParseChangesReadErrors(t *testing.T) {
	if _, err := ParseChanges(distErrReader{}, "changes.csv"); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("err = %v", err)
	}
	big := strings.Repeat("2024/a.json,2024-01-01T00:00:00Z\n", 40) // 1,320 bytes
	if _, err := parseChanges(strings.NewReader(big), "changes.csv", 1024); !errors.Is(err, feeds.ErrTooLarge) {
		t.Errorf("err = %v, want feeds.ErrTooLarge", err)
	}
	if got, err := parseChanges(strings.NewReader(big), "changes.csv", 2048); err != nil || len(got) != 40 {
		t.Errorf("under the limit: %d rows, %v", len(got), err)
	}
}

func TestResolvePath(t *testing.T) {
	for _, tc := range []struct {
		dir, path, want string
	}{
		// CISA: repository prefix dropped, only YYYY/file.json kept.
		{"https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/IT/white/", "csaf_files/IT/white/2024/va-24-254-02.json",
			"https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/IT/white/2024/va-24-254-02.json"},
		// Directory URL without trailing slash.
		{"https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/IT/white", "csaf_files/IT/white/2024/va-24-254-02.json",
			"https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/IT/white/2024/va-24-254-02.json"},
		// Red Hat: already relative.
		{"https://security.access.redhat.com/data/csaf/v2/advisories/", "2024/rhsa-2024_0010.json",
			"https://security.access.redhat.com/data/csaf/v2/advisories/2024/rhsa-2024_0010.json"},
		// No year folder: the whole path is kept.
		{"https://a.example/csaf/", "docs/a.json", "https://a.example/csaf/docs/a.json"},
		{"https://a.example/csaf/", "a.json", "https://a.example/csaf/a.json"},
		// Empty and "." segments dropped; query of the directory dropped;
		// special characters escaped.
		{"https://a.example/csaf/?x=1", "./2024//a b#c?.json", "https://a.example/csaf/2024/a%20b%23c%3F.json"},
		{"https://a.example/csaf/", "x:y/2024/a.json", "https://a.example/csaf/2024/a.json"},
		{"https://a.example/csaf/", "x:y/a.json", "https://a.example/csaf/x:y/a.json"},
	} {
		got, err := ResolvePath(tc.dir, tc.path)
		if err != nil || got != tc.want {
			t.Errorf("ResolvePath(%q, %q) = %q, %v; want %q", tc.dir, tc.path, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ dir, path string }{
		{"https://a.example/csaf/", "../a.json"},
		{"https://a.example/csaf/", "2024/../../a.json"},
		{"https://a.example/csaf/", "/etc/a.json"},
		{"https://a.example/csaf/", "https://evil.example/2024/a.json"},
		{"https://a.example/csaf/", "2024/a.txt"},
		{"ftp://a.example/csaf/", "2024/a.json"},
		{"/csaf/", "2024/a.json"},
		{"", "2024/a.json"},
	} {
		if got, err := ResolvePath(tc.dir, tc.path); err == nil {
			t.Errorf("ResolvePath(%q, %q) = %q, want an error", tc.dir, tc.path, got)
		}
	}
}
