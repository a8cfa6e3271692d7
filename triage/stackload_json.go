package triage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
)

// decodeJSON unmarshals data into v with encoding/json, as a third-party
// SBOM library's types would be, turning any error into a positioned
// *feeds.ParseError and any panic in the library's unmarshalers into an
// error. what names the format in messages without a better place.
func decodeJSON(data []byte, name, what string, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &feeds.ParseError{Input: name, Err: fmt.Errorf("%s: decoder failure: %v", what, r)}
		}
	}()
	if err := json.Unmarshal(data, v); err != nil {
		return jsonError(data, name, what, err)
	}
	return nil
}

// Caps on what an SBOM may hold, besides its size (see ParseCycloneDX).
const (
	maxSBOMObjects = 250_000
	maxSBOMMembers = 2_000_000
)

// checkJSONSize refuses JSON with more objects or members (counted by
// their separators) than the caps, before a decoder turns each into a Go
// value: a 64 MiB file of "{}," would otherwise cost gigabytes.
func checkJSONSize(data []byte, name string) error {
	objects, members := 0, 0
	inString, escaped := false, false
	for i, b := range data {
		if inString {
			switch {
			case escaped:
				escaped = false
			case b == '\\':
				escaped = true
			case b == '"':
				inString = false
			}
			continue
		}
		var what string
		switch b {
		case '"':
			inString = true
		case '{':
			if objects++; objects > maxSBOMObjects {
				what = fmt.Sprintf("more than %d JSON objects", maxSBOMObjects)
			}
		case ',':
			if members++; members > maxSBOMMembers {
				what = fmt.Sprintf("more than %d list or object members", maxSBOMMembers)
			}
		}
		if what != "" {
			line, col := jsonin.Position(data, int64(i))
			return &feeds.ParseError{Input: name, Line: line, Column: col, Err: fmt.Errorf("%w: the SBOM has %s", feeds.ErrTooLarge, what)}
		}
	}
	return nil
}

// jsonError positions an error from encoding/json, or from an unmarshaler
// of an SBOM library, in data.
func jsonError(data []byte, name, what string, err error) error {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		pe, ok := jsonin.ToParseError(data, name, err).(*feeds.ParseError)
		if !ok {
			return err
		}
		// A library's own UnmarshalJSON decodes a part of the document and
		// reports an offset within that part, but encoding/json gives the
		// whole path (without indexes): find the first value of the wrong
		// kind at that path.
		if off, path, found := findTypeError(data, te.Field, te.Value); found {
			pe.Line, pe.Column = jsonin.Position(data, off)
			pe.Field = path
		}
		return pe
	case errors.Is(err, cdx.ErrInvalidSpecVersion):
		return jsonin.ErrorAt(data, name, "specVersion", fmt.Errorf("unsupported specVersion %s (want 1.2 to 1.6)", topLevelValue(data, "specVersion")))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return jsonin.ToParseError(data, name, err)
	}
	return &feeds.ParseError{Input: name, Err: fmt.Errorf("%s: %w", what, err)}
}

// findTypeError returns the offset and the path (with indexes) of the
// first value in data at field, a path without indexes as encoding/json
// reports it ("packages.externalRefs.referenceCategory"), whose kind is the
// one in found ("number", "string", "array", …).
func findTypeError(data []byte, field, found string) (off int64, path string, ok bool) {
	if field == "" {
		return 0, "", false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type level struct {
		obj     bool
		key     string // current key, in an object
		idx     int    // current index, in an array
		wantKey bool
	}
	var stack []level
	plain := func() string { // the path without indexes
		keys := make([]string, 0, len(stack))
		for _, l := range stack {
			if l.obj {
				keys = append(keys, l.key)
			}
		}
		return strings.Join(keys, ".")
	}
	full := func() string {
		var b strings.Builder
		for _, l := range stack {
			if l.obj {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(l.key)
			} else {
				fmt.Fprintf(&b, "[%d]", l.idx)
			}
		}
		return b.String()
	}
	next := func() { // a value ended
		if n := len(stack); n > 0 {
			if stack[n-1].obj {
				stack[n-1].wantKey = true
			} else {
				stack[n-1].idx++
			}
		}
	}
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return 0, "", false
		}
		if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].wantKey {
			if d, isDelim := tok.(json.Delim); isDelim && d == '}' {
				stack = stack[:n-1]
				next()
				continue
			}
			stack[n-1].key, _ = tok.(string)
			stack[n-1].wantKey = false
			continue
		}
		var kind string
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '}', ']':
				stack = stack[:len(stack)-1]
				next()
				continue
			case '{':
				kind = "object"
			case '[':
				kind = "array"
			}
		case string:
			kind = "string"
		case json.Number:
			kind = "number"
		case bool:
			kind = "bool"
		case nil:
			kind = "null"
		}
		if strings.HasPrefix(found, kind) && plain() == field {
			// InputOffset before the token may sit before a separator.
			start += int64(len(data[start:]) - len(bytes.TrimLeft(data[start:], " \t\r\n,:")))
			return start, full(), true
		}
		if d, isDelim := tok.(json.Delim); isDelim {
			stack = append(stack, level{obj: d == '{', wantKey: d == '{'})
			continue
		}
		next()
	}
}

// topLevelValue returns the JSON text of key at the top level of data,
// shortened, for messages.
func topLevelValue(data []byte, key string) string {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return "?"
	}
	v := string(top[key])
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return v
}

// findJSONString returns the offset of the first JSON string value (not
// key) whose raw text is raw, or -1.
func findJSONString(data []byte, raw string) int {
	needle := []byte(`"` + raw + `"`)
	for off := 0; ; {
		i := bytes.Index(data[off:], needle)
		if i < 0 {
			return -1
		}
		i += off
		// A value follows ':' or '[' or ',' (after blanks); a key is
		// followed by ':'.
		after := bytes.TrimLeft(data[i+len(needle):], " \t\r\n")
		if len(after) == 0 || after[0] != ':' {
			return i
		}
		off = i + 1
	}
}
