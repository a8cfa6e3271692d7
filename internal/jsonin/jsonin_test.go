package jsonin

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/sigwatch/sigwatch/feeds"
)

type entry struct {
	ID   string   `json:"id"`
	Tags []string `json:"tags"`
}

type doc struct {
	Title   string  `json:"title"`
	Count   int     `json:"count"`
	Entries []entry `json:"entries"`
}

func TestUnmarshalErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		line, col int
		field     string
		msg       string // substring of Err's message
		is        error  // errors.Is target, or nil
	}{
		{"syntax", `{"title": x}`, 1, 11, "", "invalid character 'x'", nil},
		{"syntax_line_2", "{\n  \"title\": \"a\",,\n}", 2, 16, "", "invalid character ','", nil},
		{"syntax_after_multibyte", "{\"title\": \"é€\" x}", 1, 16, "", "invalid character 'x'", nil},
		{"trailing_garbage", `{"title": "a"} x`, 1, 16, "", "after top-level value", nil},
		{"truncated", "{\n  \"title\": \"a\",\n  \"count\": 1", 3, 13, "", "truncated", io.ErrUnexpectedEOF},
		{"truncated_trailing_newlines", "{\"title\": \"ab\",\n\n", 1, 16, "", "truncated", io.ErrUnexpectedEOF},
		{"truncated_in_string", `{"title": "ab`, 1, 14, "", "truncated", io.ErrUnexpectedEOF},
		{"empty", "", 1, 1, "", "empty input", feeds.ErrNotFeed},
		{"blank", " \n ", 1, 1, "", "empty input", feeds.ErrNotFeed},
		{"type_string_for_int", "{\n  \"count\": \"x\"\n}", 2, 12, "count", "expected integer, found string", nil},
		{"type_float_for_int", `{"count": 1.5}`, 1, 11, "count", "expected integer, found number 1.5", nil},
		{"type_object_for_int", `{"count": {"a": 1}}`, 1, 11, "count", "expected integer, found object", nil},
		{"type_array_for_string", `{"title": [1, 2]}`, 1, 11, "title", "expected string, found array", nil},
		{"type_in_array_element", `{"entries": [{"id": "a"}, {"id": 5}]}`, 1, 34, "entries[1].id", "expected string, found number", nil},
		{"type_nested_array", "{\"entries\": [{}, {}, {\"tags\": [\"a\",\n 7]}]}", 2, 2, "entries[2].tags[1]", "expected string, found number", nil},
		{"type_string_for_array", `{"entries": "none"}`, 1, 13, "entries", "expected array, found string", nil},
		{"type_root", `["a"]`, 1, 1, "", "expected object, found array", nil},
		{"type_root_string", `"a"`, 1, 1, "", "expected object, found string", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			err := Unmarshal([]byte(tt.in), "in.json", &d)
			var pe *feeds.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Unmarshal error = %v (%T), want *feeds.ParseError", err, err)
			}
			if pe.Input != "in.json" || pe.Line != tt.line || pe.Column != tt.col || pe.Field != tt.field {
				t.Errorf("got %s:%d:%d field %q, want in.json:%d:%d field %q (error %v)",
					pe.Input, pe.Line, pe.Column, pe.Field, tt.line, tt.col, tt.field, err)
			}
			if !strings.Contains(pe.Err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", pe.Err, tt.msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			if strings.Contains(err.Error(), "Go struct") || strings.Contains(err.Error(), "jsonin.") {
				t.Errorf("error leaks Go type names: %v", err)
			}
		})
	}
}

func TestUnmarshalTypeErrorStillMatches(t *testing.T) {
	var d doc
	err := Unmarshal([]byte(`{"count": "x"}`), "in.json", &d)
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		t.Fatalf("errors.As(*json.UnmarshalTypeError) failed for %v", err)
	}
	if got, want := err.Error(), `in.json:1:11: count: expected integer, found string`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestUnmarshalOK(t *testing.T) {
	var d doc
	// Invalid UTF-8 is accepted and replaced, as encoding/json does.
	if err := Unmarshal([]byte("{\"title\": \"a\xffb\", \"count\": 2}"), "in.json", &d); err != nil {
		t.Fatal(err)
	}
	if d.Title != "a\uFFFDb" || d.Count != 2 {
		t.Errorf("decoded %+v", d)
	}
}

func TestRead(t *testing.T) {
	t.Run("ok_strips_bom", func(t *testing.T) {
		data, err := Read(strings.NewReader("\xef\xbb\xbf{}"), "x", 10)
		if err != nil || string(data) != "{}" {
			t.Fatalf("Read = %q, %v", data, err)
		}
	})
	t.Run("exactly_limit", func(t *testing.T) {
		if _, err := Read(strings.NewReader(`{"a":1}`), "x", 7); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("too_large", func(t *testing.T) {
		_, err := Read(strings.NewReader(`{"a":12}`), "x.json", 7)
		if !errors.Is(err, feeds.ErrTooLarge) {
			t.Fatalf("err = %v, want ErrTooLarge", err)
		}
		if !strings.Contains(err.Error(), "x.json") {
			t.Errorf("error %q does not name the input", err)
		}
	})
	t.Run("html", func(t *testing.T) {
		_, err := Read(strings.NewReader("\n\n  <!DOCTYPE html><html><title>404</title></html>"), "feed.json", 0)
		var pe *feeds.ParseError
		if !errors.Is(err, feeds.ErrNotFeed) || !errors.As(err, &pe) {
			t.Fatalf("err = %v, want ParseError wrapping ErrNotFeed", err)
		}
		if pe.Line != 3 || pe.Column != 3 {
			t.Errorf("position %d:%d, want 3:3", pe.Line, pe.Column)
		}
		if got, want := err.Error(), "feed.json:3:3: got an HTML page, not a JSON feed"; got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
	})
	t.Run("xml", func(t *testing.T) {
		_, err := Read(strings.NewReader(`<?xml version="1.0"?><rss/>`), "feed.json", 0)
		if !errors.Is(err, feeds.ErrNotFeed) {
			t.Fatalf("err = %v, want ErrNotFeed", err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		_, err := Read(strings.NewReader(""), "feed.json", 0)
		if !errors.Is(err, feeds.ErrNotFeed) {
			t.Fatalf("err = %v, want ErrNotFeed", err)
		}
	})
	t.Run("read_error", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := Read(iotest.ErrReader(boom), "feed.json", 0)
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "read feed.json") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestDecode(t *testing.T) {
	var d doc
	if err := Decode(strings.NewReader(`{"title":"t","entries":[{"id":"a"}]}`), "x", 0, &d); err != nil {
		t.Fatal(err)
	}
	if d.Title != "t" || len(d.Entries) != 1 {
		t.Errorf("decoded %+v", d)
	}
	if err := Decode(strings.NewReader(`{"title":`), "x", 0, &d); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v, want ErrUnexpectedEOF", err)
	}
}

func TestPosition(t *testing.T) {
	data := []byte("ab\ncé\nxyz")
	tests := []struct {
		off       int64
		line, col int
	}{
		{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {4, 2, 2}, {6, 2, 3}, {7, 3, 1}, {10, 3, 4},
		{-5, 1, 1}, {100, 3, 4},
	}
	for _, tt := range tests {
		line, col := Position(data, tt.off)
		if line != tt.line || col != tt.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
		}
	}
}

func TestLocateAndErrorAt(t *testing.T) {
	data := []byte("{\n \"entries\": [\n  {\"id\": \"a\"},\n  {\"ID\": \"b\", \"tags\": [\"x\"]},\n  {}\n ]\n}")
	tests := []struct {
		path      string
		line, col int
	}{
		{"", 1, 1},
		{"entries", 2, 13},
		{"entries[0]", 3, 3},
		{"entries[0].id", 3, 10},
		{"entries[1].id", 4, 10}, // key matched case-insensitively
		{"entries[1].tags[0]", 4, 24},
		{"entries[2].id", 5, 3}, // absent: points at the enclosing entry
		{"nothing[3].x", 1, 1},  // nothing exists: falls back to the root
	}
	for _, tt := range tests {
		pe := ErrorAt(data, "in.json", tt.path, errors.New("bad"))
		if pe.Line != tt.line || pe.Column != tt.col || pe.Field != tt.path {
			t.Errorf("ErrorAt(%q) = %d:%d %q, want %d:%d", tt.path, pe.Line, pe.Column, pe.Field, tt.line, tt.col)
		}
	}
	if _, ok := Locate(data, "entries[3]"); ok {
		t.Error("Locate(entries[3]) found a value")
	}
}

func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{
		`{"title":"t","count":1,"entries":[{"id":"a","tags":["x"]}]}`,
		`{"count": "x"}`, `{"entries": [{"id": 5}]}`, `{"title": "a`, "", "<html>", `[1,2]`, "\xef\xbb\xbf{}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		err := Decode(strings.NewReader(string(data)), "fuzz.json", 1<<20, &d)
		if err == nil {
			return
		}
		var pe *feeds.ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %v (%T) is not a *feeds.ParseError", err, err)
		}
		if pe.Input != "fuzz.json" {
			t.Errorf("Input = %q", pe.Input)
		}
		lines := strings.Count(string(data), "\n") + 1
		if pe.Line < 1 || pe.Line > lines || pe.Column < 1 {
			t.Errorf("position %d:%d out of range (%d lines) for %v", pe.Line, pe.Column, lines, err)
		}
		_ = err.Error()
	})
}

func TestReadHugeLimit(t *testing.T) {
	data, err := Read(strings.NewReader(`{"a":1}`), "x", 1<<63-1)
	if err != nil || string(data) != `{"a":1}` {
		t.Fatalf("Read = %q, %v", data, err)
	}
}
