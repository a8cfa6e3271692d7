package jsonin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/sniff"
)

// DefaultLimit is the size limit [Read] applies when given a limit <= 0.
const DefaultLimit = 64 << 20

// Read reads all of r, at most limit bytes (limit <= 0 means DefaultLimit).
//
// A longer input fails with an error wrapping [feeds.ErrTooLarge]. A body
// that is HTML, or any other markup starting with '<', fails with a
// *feeds.ParseError wrapping [feeds.ErrNotFeed]; so does an empty body. A
// leading UTF-8 byte order mark is removed. I/O errors are returned wrapped
// as "read <name>: …".
func Read(r io.Reader, name string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, math.MaxInt64-1) // limit+1 below must not overflow
	// bytes.Buffer doubles its capacity (io.ReadAll grows by 25 %), which
	// copies far less for inputs near the limit.
	var buf bytes.Buffer
	if l, ok := r.(interface{ Len() int }); ok && int64(l.Len()) <= limit {
		buf.Grow(l.Len() + bytes.MinRead) // *bytes.Reader, *strings.Reader: one allocation
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, fmt.Errorf("read %s: %w", displayName(name), err)
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("read %s: %w: more than %d bytes", displayName(name), feeds.ErrTooLarge, limit)
	}
	data = sniff.TrimBOM(data)
	if err := CheckJSON(data, name); err != nil {
		return nil, err
	}
	return data, nil
}

// CheckJSON rejects bodies that are plainly not JSON documents: empty or
// blank input, HTML pages and other markup. The error is a
// *feeds.ParseError wrapping [feeds.ErrNotFeed].
func CheckJSON(data []byte, name string) error {
	trimmed := sniff.TrimLeft(data)
	var msg string
	switch {
	case len(trimmed) == 0:
		msg = "empty input, not a JSON document"
	case sniff.HTML(trimmed):
		msg = "got an HTML page, not a JSON feed"
	case trimmed[0] == '<':
		msg = "got markup starting with '<', not a JSON feed"
	default:
		return nil
	}
	line, col := Position(data, int64(len(data)-len(trimmed)))
	if len(trimmed) == 0 {
		line, col = 1, 1
	}
	return &feeds.ParseError{Input: name, Line: line, Column: col, Err: &wrapError{msg: msg, errs: []error{feeds.ErrNotFeed}}}
}

// Decode reads r with [Read] and decodes it into v with [Unmarshal].
func Decode(r io.Reader, name string, limit int64, v any) error {
	data, err := Read(r, name, limit)
	if err != nil {
		return err
	}
	return Unmarshal(data, name, v)
}

// Unmarshal decodes data into v with encoding/json. Any error is returned
// as a *feeds.ParseError with Input set to name:
//
//   - syntax errors point at the offending character;
//   - truncated input points just past the last non-blank character and
//     wraps io.ErrUnexpectedEOF;
//   - type mismatches point at the start of the offending value, set Field
//     to its path and wrap the *json.UnmarshalTypeError;
//   - errors from custom UnmarshalJSON methods carry no position.
func Unmarshal(data []byte, name string, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return ToParseError(data, name, err)
	}
	return nil
}

// ToParseError converts an error from json.Unmarshal(data, …) into a
// *feeds.ParseError as described at [Unmarshal]. An error that already is a
// *feeds.ParseError is returned unchanged.
func ToParseError(data []byte, name string, err error) error {
	if err == nil {
		return nil
	}
	var pe *feeds.ParseError
	if errors.As(err, &pe) {
		return err
	}
	pe = &feeds.ParseError{Input: name, Err: err}
	var (
		se *json.SyntaxError
		te *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &te):
		off := max(te.Offset-1, 0)
		pe.Field = te.Field
		if start, path, ok := valueEndingAt(data, te.Offset); ok {
			off, pe.Field = start, path
		}
		pe.Line, pe.Column = Position(data, off)
		pe.Err = &wrapError{
			msg:  fmt.Sprintf("expected %s, found %s", kindName(te.Type), te.Value),
			errs: []error{err},
		}
	case errors.As(err, &se):
		if strings.Contains(se.Error(), "unexpected end of JSON input") {
			if len(bytes.TrimSpace(data)) == 0 {
				pe.Line, pe.Column = 1, 1
				pe.Err = &wrapError{msg: "empty input, not a JSON document", errs: []error{feeds.ErrNotFeed, err}}
				break
			}
			end := len(bytes.TrimRight(data, " \t\r\n"))
			pe.Line, pe.Column = Position(data, int64(end))
			pe.Err = &wrapError{msg: "unexpected end of input (truncated JSON)", errs: []error{io.ErrUnexpectedEOF, err}}
			break
		}
		pe.Line, pe.Column = Position(data, max(se.Offset-1, 0))
	}
	return pe
}

// ErrorAt returns a *feeds.ParseError for a problem found after decoding,
// positioned at the value at path (for example "vulnerabilities[12].dueDate",
// see [Locate]). When that value is absent the error points at the nearest
// enclosing value that exists, and at line 1, column 1 when none does. Field
// is set to path.
func ErrorAt(data []byte, name, path string, err error) *feeds.ParseError {
	pe := &feeds.ParseError{Input: name, Field: path, Err: err}
	for p := path; ; {
		if off, ok := Locate(data, p); ok {
			pe.Line, pe.Column = Position(data, off)
			return pe
		}
		parent, ok := parentPath(p)
		if !ok {
			break
		}
		p = parent
	}
	pe.Line, pe.Column = 1, 1
	return pe
}

// Position returns the 1-based line and column of byte offset off in data.
// Lines end at '\n'; columns count runes. Offsets outside data are clamped.
func Position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	start := bytes.LastIndexByte(before, '\n') + 1
	col = 1 + utf8.RuneCount(before[start:])
	return line, col
}

// Locate returns the byte offset at which the value at path starts in data,
// a valid JSON document. Paths join object keys with "." and write array
// indexes in brackets: "vulnerabilities[12].dateAdded", "[0].id", "" for the
// root. Keys match case-insensitively, as encoding/json matches struct
// fields; when a key occurs twice the last occurrence wins, again as in
// encoding/json.
func Locate(data []byte, path string) (int64, bool) {
	var (
		found int64
		ok    bool
	)
	_ = walk(data, func(start, _ int64, segs []string) bool {
		if pathEqual(segs, path) {
			found, ok = start, true
		}
		return true
	})
	return found, ok
}

// valueEndingAt finds the value whose first token ends at byte offset end
// (where encoding/json reports a type mismatch) and returns its start and
// path.
func valueEndingAt(data []byte, end int64) (start int64, path string, ok bool) {
	_ = walk(data, func(s, e int64, segs []string) bool {
		if e == end {
			start, path, ok = s, joinPath(segs), true
			return false
		}
		return s <= end
	})
	return start, path, ok
}

type frame struct {
	obj     bool
	wantKey bool
	idx     int
}

// walk calls fn for every value in data, in document order, with the byte
// offsets of the value's start and of the end of its first token (the whole
// value for scalars, the opening delimiter for objects and arrays) and its
// path segments (keys, or "[i]" for array elements). walk stops when fn
// returns false or at the first syntax error, which it returns.
func walk(data []byte, fn func(start, end int64, segs []string) bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var (
		stack []frame
		segs  []string
		prev  int64
	)
	valueDone := func() {
		if n := len(stack); n > 0 {
			if f := &stack[n-1]; f.obj {
				f.wantKey = true
			} else {
				f.idx++
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		end := dec.InputOffset()
		start := skipSeparators(data, prev)
		prev = end
		if d, isDelim := tok.(json.Delim); isDelim && (d == '}' || d == ']') {
			if n := len(stack); n > 0 {
				stack, segs = stack[:n-1], segs[:n-1]
			}
			valueDone()
			continue
		}
		if n := len(stack); n > 0 {
			f := &stack[n-1]
			if f.obj && f.wantKey {
				key, _ := tok.(string)
				segs[n-1] = key
				f.wantKey = false
				continue
			}
			if !f.obj {
				segs[n-1] = "[" + strconv.Itoa(f.idx) + "]"
			}
		}
		if !fn(start, end, segs) {
			return nil
		}
		if d, isDelim := tok.(json.Delim); isDelim {
			stack = append(stack, frame{obj: d == '{', wantKey: d == '{'})
			segs = append(segs, "")
			continue
		}
		valueDone()
	}
}

// skipSeparators returns the offset of the first byte at or after off that
// is not whitespace, ',' or ':'.
func skipSeparators(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

func joinPath(segs []string) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// pathEqual reports whether segs spell path, comparing keys
// case-insensitively.
func pathEqual(segs []string, path string) bool {
	rest := path
	for i, s := range segs {
		if i > 0 && !strings.HasPrefix(s, "[") {
			if !strings.HasPrefix(rest, ".") {
				return false
			}
			rest = rest[1:]
		}
		if len(rest) < len(s) || !strings.EqualFold(rest[:len(s)], s) {
			return false
		}
		rest = rest[len(s):]
	}
	return rest == ""
}

// parentPath strips the last segment of path.
func parentPath(path string) (string, bool) {
	if path == "" {
		return "", false
	}
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return "", true
	}
	return path[:i], true
}

// kindName describes a Go target type in JSON terms.
func kindName(t reflect.Type) string {
	if t == nil {
		return "a different type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return t.String()
}

func displayName(name string) string {
	if name == "" {
		return "<input>"
	}
	return name
}

// wrapError is an error with its own message that still matches the
// wrapped errors with errors.Is and errors.As.
type wrapError struct {
	msg  string
	errs []error
}

func (e *wrapError) Error() string   { return e.msg }
func (e *wrapError) Unwrap() []error { return e.errs }

// Prefix adds "pkg: " to err unless err is nil or already carries a
// position (a *feeds.ParseError names its input and line instead). Adapters
// use it so every error of theirs says where it came from.
func Prefix(pkg string, err error) error {
	var pe *feeds.ParseError
	if err == nil || errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("%s: %w", pkg, err)
}
