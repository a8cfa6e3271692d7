package osvfeed

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
)

type zipEntry struct{ name, body string }

func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func record(id, modified string) string {
	return fmt.Sprintf(`{"id": %q, "modified": %q, "affected": [{"package": {"ecosystem": "npm", "name": "x"}, "versions": ["1.0.0"]}]}`, id, modified)
}

func parseZipBytes(t testing.TB, data []byte, lim *Limits) (*Database, error) {
	return ParseZip(context.Background(), bytes.NewReader(data), int64(len(data)), "t.zip", lim)
}

func TestParseZipSmall(t *testing.T) {
	data := makeZip(t,
		zipEntry{"b/B-2.json", record("B-2", "2024-01-01T00:00:00Z")},
		zipEntry{"a/", ""},
		zipEntry{"README.md", "hello"},
		zipEntry{"A-1.json", record("A-1", "2024-01-01T00:00:00Z")},
		// Archive order is not name order: the tie between dup-same and
		// dup-new must still go to the first by name (doc.go).
		zipEntry{"dup-same.json", record("C-3", "2024-06-01T00:00:00Z")},
		zipEntry{"dup-old.json", record("C-3", "2024-01-01T00:00:00Z")},
		zipEntry{"dup-new.json", record("C-3", "2024-06-01T00:00:00Z")},
	)
	db, err := parseZipBytes(t, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range db.Advisories {
		ids = append(ids, a.ID+" "+a.Modified.Format("2006-01"))
	}
	if diff := cmp.Diff([]string{"A-1 2024-01", "B-2 2024-01", "C-3 2024-06"}, ids); diff != "" {
		t.Errorf("advisories (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"t.zip/A-1.json", "t.zip/b/B-2.json", "t.zip/dup-new.json"}, db.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"README.md"}, db.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	want := []string{
		"t.zip/dup-old.json: duplicate id C-3 (also in t.zip/dup-new.json); kept t.zip/dup-new.json",
		"t.zip/dup-same.json: duplicate id C-3 (also in t.zip/dup-new.json); kept t.zip/dup-new.json",
	}
	if diff := cmp.Diff(want, db.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// rawZip builds a one-member zip whose header declares declared bytes
// while the deflated data expands to actual bytes of '0'.
func rawZip(t *testing.T, name string, declared uint64, actual int) []byte {
	t.Helper()
	plain := bytes.Repeat([]byte("0"), actual)
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(plain)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(plain),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return buf.Bytes()
}

func TestParseZipHostile(t *testing.T) {
	many := make([]zipEntry, 11)
	for i := range many {
		many[i] = zipEntry{fmt.Sprintf("R-%d.json", i), record(fmt.Sprintf("R-%d", i), "2024-01-01T00:00:00Z")}
	}
	manyOther := make([]zipEntry, 11)
	for i := range manyOther {
		manyOther[i] = zipEntry{fmt.Sprintf("x%d.txt", i), ""}
	}
	tests := []struct {
		name  string
		data  []byte
		lim   *Limits
		is    error
		input string // ParseError.Input, when the error is one
		line  int
		msg   string
	}{
		{name: "bomb_declared", data: rawZip(t, "bomb.json", 50<<20, 50<<20), lim: &Limits{MaxRecordBytes: 1 << 20}, is: feeds.ErrTooLarge,
			msg: "osvfeed: t.zip/bomb.json: 52428800 bytes uncompressed, more than the record limit of 1048576: feeds: input too large"},
		// The header lies (100 bytes) about 10 MiB of data: archive/zip
		// stops after the declared size.
		{name: "bomb_lying_header", data: rawZip(t, "liar.json", 100, 10<<20), is: zip.ErrFormat},
		{name: "total_limit", data: makeZip(t, many...), lim: &Limits{MaxTotalBytes: 500}, is: feeds.ErrTooLarge},
		{name: "record_count", data: makeZip(t, many...), lim: &Limits{MaxRecords: 10}, is: feeds.ErrTooLarge,
			msg: "osvfeed: t.zip: more than 10 records: feeds: input too large"},
		{name: "entry_count", data: makeZip(t, manyOther...), lim: &Limits{MaxEntries: 10}, is: feeds.ErrTooLarge},
		{name: "traversal", data: makeZip(t, zipEntry{"../../etc/evil.json", record("E-1", "")}), input: "t.zip/../../etc/evil.json",
			msg: `t.zip/../../etc/evil.json: unsafe member name: contains ".."`},
		{name: "absolute", data: makeZip(t, zipEntry{"/abs.json", record("E-1", "")}), input: "t.zip//abs.json"},
		{name: "backslash", data: makeZip(t, zipEntry{`a\..\b.json`, record("E-1", "")}), input: `t.zip/a\..\b.json`},
		{name: "repeated_member", data: makeZip(t, zipEntry{"a.json", record("A", "")}, zipEntry{"a.json", record("B", "")}), input: "t.zip/a.json"},
		{name: "not_json_member", data: makeZip(t, zipEntry{"ok.json", record("A", "")}, zipEntry{"bad.json", "\n\nhello"}), input: "t.zip/bad.json", line: 3,
			msg: "t.zip/bad.json:3:1: invalid character 'h' looking for beginning of value"},
		{name: "html_member", data: makeZip(t, zipEntry{"bad.json", "<html><body>oops</body></html>"}), input: "t.zip/bad.json", line: 1, is: feeds.ErrNotFeed},
		{name: "record_error", data: makeZip(t, zipEntry{"a.json", `{"id": "A", "published": "soon"}`}), input: "t.zip/a.json", line: 1,
			msg: `t.zip/a.json:1:26: published: invalid timestamp "soon": want RFC 3339`},
		{name: "first_error_in_name_order", data: makeZip(t, zipEntry{"z.json", "{"}, zipEntry{"b.json", "["}, zipEntry{"a.json", record("A", "")}), input: "t.zip/b.json", line: 1},
		{name: "not_zip", data: []byte("this is not a zip archive at all"), input: "t.zip", is: feeds.ErrNotFeed},
		{name: "html_page", data: []byte("<!DOCTYPE html><html><title>404</title></html>"), input: "t.zip", line: 1, is: feeds.ErrNotFeed,
			msg: "t.zip:1:1: got an HTML page, not a zip archive"},
		{name: "empty", data: nil, input: "t.zip", is: feeds.ErrNotFeed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := parseZipBytes(t, tt.data, tt.lim)
			if err == nil {
				t.Fatalf("ParseZip succeeded: %d advisories", len(db.Advisories))
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			if tt.input != "" {
				var pe *feeds.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error %v (%T) is not a *feeds.ParseError", err, err)
				}
				if pe.Input != tt.input || pe.Line != tt.line {
					t.Errorf("error at %q line %d, want %q line %d: %v", pe.Input, pe.Line, tt.input, tt.line, err)
				}
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("Error() = %q\n      want %q", err, tt.msg)
			}
		})
	}
}

func TestParseZipEmptyArchive(t *testing.T) {
	db, err := parseZipBytes(t, makeZip(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(db.Advisories) != 0 || len(db.Warnings) != 1 || db.Warnings[0] != "t.zip: no records: no file name ends in .json" {
		t.Errorf("%+v", db)
	}
}

func TestParseZipCancelled(t *testing.T) {
	data := makeZip(t, zipEntry{"a.json", record("A", "")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ParseZip(ctx, bytes.NewReader(data), int64(len(data)), "t.zip", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if _, err := ParseFS(ctx, fstest.MapFS{"a.json": {Data: []byte(record("A", ""))}}, ".", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("ParseFS err = %v, want context.Canceled", err)
	}
}

func TestParseFS(t *testing.T) {
	fsys := fstest.MapFS{
		"db/go/GO-1.json":   {Data: []byte(record("GO-1", "2024-01-01T00:00:00Z"))},
		"db/npm/A-1.json":   {Data: []byte(record("A-1", "2024-01-01T00:00:00Z"))},
		"db/notes.txt":      {Data: []byte("x")},
		"db/big/BIG-1.json": {Data: []byte(record("BIG-1", "") + strings.Repeat(" ", 1000))},
		"other/X-1.json":    {Data: []byte(record("X-1", ""))},
	}
	_, err := ParseFS(t.Context(), fsys, "db/", &Limits{MaxRecordBytes: 500})
	if !errors.Is(err, feeds.ErrTooLarge) || !strings.Contains(err.Error(), "db/big/BIG-1.json") {
		t.Fatalf("err = %v, want ErrTooLarge naming db/big/BIG-1.json", err)
	}
	delete(fsys, "db/big/BIG-1.json")
	db, err := ParseFS(t.Context(), fsys, "db/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"db/npm/A-1.json", "db/go/GO-1.json"}, db.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"db/notes.txt"}, db.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	fsys["db/bad.json"] = &fstest.MapFile{Data: []byte(`{"id": 1}`)}
	_, err = ParseFS(t.Context(), fsys, "db", nil)
	var pe *feeds.ParseError
	if !errors.As(err, &pe) || pe.Input != "db/bad.json" || pe.Line != 1 || pe.Column != 8 || pe.Field != "id" {
		t.Errorf("err = %v, want db/bad.json:1:8 at id", err)
	}
	if _, err := ParseFS(t.Context(), fsys, "missing", nil); err == nil || !strings.HasPrefix(err.Error(), "osvfeed: ") {
		t.Errorf("missing root: %v", err)
	}
}

// FuzzParseZip feeds arbitrary bytes to ParseZip; seeds are small valid
// and broken archives.
func FuzzParseZip(f *testing.F) {
	f.Add(makeZip(f, zipEntry{"A-1.json", record("A-1", "2024-01-01T00:00:00Z")}, zipEntry{"x.txt", "x"}))
	f.Add(makeZip(f, zipEntry{"../a.json", "{}"}))
	f.Add(makeZip(f, zipEntry{"a.json", "{"}, zipEntry{"b.json", minimal}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := &Limits{MaxRecordBytes: 1 << 20, MaxTotalBytes: 4 << 20, MaxEntries: 1000, MaxRecords: 1000}
		db, err := ParseZip(context.Background(), bytes.NewReader(data), int64(len(data)), "f.zip", lim)
		if err != nil {
			var pe *feeds.ParseError
			if !errors.As(err, &pe) && !strings.HasPrefix(err.Error(), "osvfeed: ") {
				t.Errorf("error without position or prefix: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, a := range db.Advisories {
			if seen[a.ID] {
				t.Errorf("duplicate %s", a.ID)
			}
			seen[a.ID] = true
		}
	})
}
