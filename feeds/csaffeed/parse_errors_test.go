package csaffeed

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
)

// wantParseError checks that err is a *feeds.ParseError with a position,
// the given Field (when field is not "-") and message part, wrapping
// target when target is not nil.
func wantParseError(t *testing.T, err error, field, msg string, target error) *feeds.ParseError {
	t.Helper()
	var pe *feeds.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *feeds.ParseError", err, err)
	}
	if pe.Input == "" || pe.Line < 1 || pe.Column < 1 {
		t.Errorf("error %q lacks input or position", err)
	}
	if field != "-" && pe.Field != field {
		t.Errorf("Field = %q, want %q (%v)", pe.Field, field, err)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("error %q does not contain %q", err, msg)
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("error %q does not wrap %v", err, target)
	}
	return pe
}

func TestParseErrors(t *testing.T) {
	base := docJSON(vendorTree, `[{"cve":"CVE-2024-0001","product_status":{"fixed":["P1"]}}]`)
	cases := []struct {
		name, in, field, msg string
		line, col            int // 0: not checked
		target               error
	}{
		{"html", "<!DOCTYPE html><html><body>404</body></html>", "", "HTML page", 1, 1, feeds.ErrNotFeed},
		{"empty", "  \n", "", "empty input", 1, 1, feeds.ErrNotFeed},
		{"array", "[1,2]", "", "expected", 1, 1, nil},
		{"rolie_feed", `{"feed":{"id":"x","entry":[]}}`, "", `no "document" object`, 1, 1, feeds.ErrNotFeed},
		{"null_document", `{"document":null}`, "", `no "document" object`, 1, 1, feeds.ErrNotFeed},
		{"truncated", base[:len(base)/2], "", "truncated JSON", 0, 0, io.ErrUnexpectedEOF},
		{"product_status_string", strings.Replace(base, `{"fixed":["P1"]}`, `"fixed"`, 1),
			"vulnerabilities[0].product_status", "expected object, found string", 0, 0, nil},
		{"fixed_not_array", strings.Replace(base, `{"fixed":["P1"]}`, `{"fixed":"P1"}`, 1),
			"vulnerabilities[0].product_status.fixed", "expected array", 0, 0, nil},
		{"branches_object", strings.Replace(base, `"branches":[{"category":"vendor"`, `"branches":{"x":[{"category":"vendor"`, 1) + "}",
			"-", "", 0, 0, nil},
		{"no_tracking", strings.Replace(base, `"tracking"`, `"trucking"`, 1), "document.tracking", "missing \"tracking\"", 0, 0, nil},
		{"no_tracking_id", strings.Replace(base, `"id":"X-1"`, `"id":" "`, 1), "document.tracking.id", "missing tracking.id", 0, 0, nil},
		{"version_object", strings.Replace(base, `"version":"1"`, `"version":{"v":1}`, 1), "document.tracking.version", "expected string or number, found object", 0, 0, nil},
		{"bad_date", strings.Replace(base, `"initial_release_date":"2024-01-01T00:00:00Z"`, `"initial_release_date":"2024-13-45T99:00:00Z"`, 1),
			"document.tracking.initial_release_date", `invalid timestamp "2024-13-45T99:00:00Z"`, 0, 0, nil},
		{"absurd_year", strings.Replace(base, `"current_release_date":"2024-01-02T00:00:00Z"`, `"current_release_date":"1066-10-14T00:00:00Z"`, 1),
			"document.tracking.current_release_date", "implausible timestamp", 0, 0, nil},
		{"revision_date", strings.Replace(base, `"number":"1","date":"2024-01-01T00:00:00Z"`, `"number":1,"date":"yesterday"`, 1),
			"document.tracking.revision_history[0].date", `invalid timestamp "yesterday"`, 0, 0, nil},
		{"score_text", strings.Replace(base, `"product_status"`, `"scores":[{"cvss_v3":{"baseScore":"high"}}],"product_status"`, 1),
			"vulnerabilities[0].scores[0].cvss_v3.baseScore", `invalid baseScore "high"`, 0, 0, nil},
		{"score_nan", strings.Replace(base, `"product_status"`, `"scores":[{"cvss_v3":{"baseScore":"NaN"}}],"product_status"`, 1),
			"vulnerabilities[0].scores[0].cvss_v3.baseScore", `invalid baseScore "NaN"`, 0, 0, nil},
		{"score_hex", strings.Replace(base, `"product_status"`, `"scores":[{"cvss_v3":{"baseScore":"0x5p0"}}],"product_status"`, 1),
			"vulnerabilities[0].scores[0].cvss_v3.baseScore", `invalid baseScore "0x5p0"`, 0, 0, nil},
		{"score_range", strings.Replace(base, `"product_status"`, `"scores":[{"cvss_v3":{"baseScore":99}}],"product_status"`, 1),
			"vulnerabilities[0].scores[0].cvss_v3.baseScore", "outside 0–10", 0, 0, nil},
		{"remediation_date", strings.Replace(base, `"product_status"`, `"remediations":[{"category":"vendor_fix","date":"soon"}],"product_status"`, 1),
			"vulnerabilities[0].remediations[0].date", `invalid timestamp "soon"`, 0, 0, nil},
		{"invalid_utf8", strings.Replace(base, `"title":"T"`, "\"title\":\"T\xff\"", 1), "", "invalid UTF-8 (byte 0xff", 1, 0, nil},
		{"binary_nul", "\x00\x01\x02\x03", "", "invalid character", 1, 1, nil},
		{"binary_utf16", "\xff\xfe{\x00}\x00", "", "invalid UTF-8 (byte 0xff at offset 0)", 1, 1, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Parse(strings.NewReader(c.in), "in.json")
			if d != nil {
				t.Error("non-nil document with error")
			}
			if err == nil {
				t.Fatal("no error")
			}
			field := c.field
			if field == "" {
				field = "-"
			}
			pe := wantParseError(t, err, field, c.msg, c.target)
			if pe.Input != "in.json" {
				t.Errorf("Input = %q", pe.Input)
			}
			if (c.line != 0 && pe.Line != c.line) || (c.col != 0 && pe.Column != c.col) {
				t.Errorf("position %d:%d, want %d:%d", pe.Line, pe.Column, c.line, c.col)
			}
		})
	}
}

// The position of a type error in a real file, found by hand: in
// va-24-262-01.json the "product_status" of vulnerabilities[0] opens at
// the line and column computed below from the raw bytes.
func TestParseErrorPositionRealFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(docDir, "cisa/IT/2024/va-24-262-01.json"))
	if err != nil {
		t.Fatal(err)
	}
	key := []byte(`"product_status": {`)
	i := bytes.Index(data, key)
	if i < 0 {
		t.Fatal("key not found")
	}
	start := i + len(key) - 1 // the '{'
	j := start + bytes.IndexByte(data[start:], '}')
	bad := append(append(append([]byte{}, data[:start]...), `"broken"`...), data[j+1:]...)
	line := 1 + bytes.Count(data[:start], []byte("\n"))
	col := start - bytes.LastIndexByte(data[:start], '\n')
	_, err = Parse(bytes.NewReader(bad), "va.json")
	pe := wantParseError(t, err, "vulnerabilities[0].product_status", "expected object, found string", nil)
	if pe.Line != line || pe.Column != col {
		t.Errorf("position %d:%d, want %d:%d", pe.Line, pe.Column, line, col)
	}
}

func TestTruncatedRealFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(docDir, "redhat/rhsa-2024_6220.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 100, len(data) / 3, len(data) - 2} {
		_, err := Parse(bytes.NewReader(data[:n]), "rhsa.json")
		if err == nil {
			t.Fatalf("truncated at %d: no error", n)
		}
		wantParseError(t, err, "-", "", nil)
	}
}

func TestTooLarge(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(docDir, "redhat/rhsa-2024_6220.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParseWithOptions(bytes.NewReader(data), "rhsa.json", &ParseOptions{MaxBytes: 1000})
	if !errors.Is(err, feeds.ErrTooLarge) || !strings.HasPrefix(err.Error(), "csaffeed: ") {
		t.Errorf("err = %v, want feeds.ErrTooLarge with prefix", err)
	}
	if _, err := ParseWithOptions(bytes.NewReader(data), "rhsa.json", &ParseOptions{MaxBytes: int64(len(data))}); err != nil {
		t.Errorf("exactly at the limit: %v", err)
	}
}

func TestTLPLabels(t *testing.T) {
	for label, want := range map[string]feeds.TLP{
		"WHITE": feeds.TLPClear, "CLEAR": feeds.TLPClear, "GREEN": feeds.TLPGreen, "AMBER": feeds.TLPAmber,
		"AMBER+STRICT": feeds.TLPAmberStrict, "RED": feeds.TLPRed, "TLP:AMBER": feeds.TLPAmber, "PURPLE": feeds.TLPUnspecified,
	} {
		d := docParseString(t, strings.Replace(docJSON("", ""), `"label":"GREEN"`, `"label":"`+label+`"`, 1))
		if d.TLP != want || d.TLPLabel != label || d.Advisories[0].TLP != want {
			t.Errorf("label %q: TLP %q, want %q", label, d.TLP, want)
		}
		if unknown := want == feeds.TLPUnspecified; unknown != (len(d.Warnings) == 1) {
			t.Errorf("label %q: warnings %q", label, d.Warnings)
		}
	}
	d := docParseString(t, strings.Replace(docJSON("", ""), `"tlp":{"label":"GREEN"}`, `"text":"share freely"`, 1))
	if d.TLP != feeds.TLPUnspecified || d.Distribution != "share freely" || len(d.Warnings) != 1 {
		t.Errorf("no tlp: TLP %q Distribution %q Warnings %q", d.TLP, d.Distribution, d.Warnings)
	}
}

func TestZeroDateIsUnknown(t *testing.T) {
	d := docParseString(t, strings.Replace(docJSON("", ""), `"current_release_date":"2024-01-02T00:00:00Z"`, `"current_release_date":"0001-01-01T00:00:00Z"`, 1))
	if !d.CurrentRelease.IsZero() || !d.Advisories[0].Modified.IsZero() {
		t.Errorf("CurrentRelease = %v", d.CurrentRelease)
	}
}

// A small document that would multiply into gigabytes: every advisory
// repeats the document's notes, and remediations expand groups.
func TestExpansionBound(t *testing.T) {
	notes := strings.Repeat(`{"category":"general","text":"n"},`, 3000)
	vulns := strings.Repeat(`{},`, 3000)
	in := strings.Replace(docJSON("", "["+strings.TrimSuffix(vulns, ",")+"]"), `"title":"T"`, `"title":"T","notes":[`+strings.TrimSuffix(notes, ",")+`]`, 1)
	_, err := Parse(strings.NewReader(in), "amp.json")
	wantParseError(t, err, "vulnerabilities", "document too large to map: 3000 vulnerabilities would each repeat 3000 document values", nil)

	members := strings.TrimSuffix(strings.Repeat(`"P1",`, 5000), ",")
	rems := strings.TrimSuffix(strings.Repeat(`{"category":"vendor_fix","group_ids":["G"]},`, 1000), ",")
	tree := `{"full_product_names":[{"name":"p","product_id":"P1"}],"product_groups":[{"group_id":"G","product_ids":[` + members + `]}]}`
	_, err = Parse(strings.NewReader(docJSON(tree, `[{"remediations":[`+rems+`]}]`)), "amp.json")
	wantParseError(t, err, "vulnerabilities[0].remediations[209].group_ids", "document too large to map", nil)
}
