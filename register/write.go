package register

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// WriteYAML writes the register as YAML in the file format [Load] reads:
// fields in a fixed order, empty optional fields left out, dates as
// YYYY-MM-DD and short string lists in flow style ([a, b]). Parsing the
// output gives back an equal register. WriteYAML does not validate the
// register (see [Register.Validate]); it fails only for values that cannot
// be written and read back (invalid UTF-8, a negative period, a date after
// the year 9999).
func (r *Register) WriteYAML(w io.Writer) error {
	n, err := encodeNode(reflect.ValueOf(r).Elem(), "")
	if err != nil {
		return fmt.Errorf("register: write YAML: %w", err)
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return fmt.Errorf("register: write YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("register: write YAML: %w", err)
	}
	return nil
}

// WriteJSON writes the register as indented JSON with the same field names
// as the YAML format; [Load] reads it back. It fails where [Register.WriteYAML]
// does.
func (r *Register) WriteJSON(w io.Writer) error {
	// Check first: encoding/json would silently replace invalid UTF-8.
	if _, err := encodeNode(reflect.ValueOf(r).Elem(), ""); err != nil {
		return fmt.Errorf("register: write JSON: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("register: write JSON: %w", err)
	}
	if _, err := w.Write(escapeForYAML(buf.Bytes())); err != nil {
		return fmt.Errorf("register: write JSON: %w", err)
	}
	return nil
}

// escapeForYAML escapes the characters that encoding/json leaves raw but
// YAML does not allow in a file (DEL, C1 controls, U+FFFE and U+FFFF), so
// that Load can read the JSON back. In JSON output they can only occur
// inside strings, where \uXXXX means the same.
func escapeForYAML(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0xfffe || r == 0xffff {
			if out == nil {
				out = append(make([]byte, 0, len(b)+16), b[:i]...)
			}
			out = fmt.Appendf(out, `\u%04x`, r)
		} else if out != nil {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	if out == nil {
		return b
	}
	return out
}

var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

// yaml11Special are strings that YAML 1.1 parsers read as something other
// than a string.
var yaml11Special = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"n": true, "N": true, "no": true, "No": true, "NO": true,
	"on": true, "On": true, "ON": true, "off": true, "Off": true, "OFF": true,
	"<<": true,
}

// flowWidth is the longest string list written in flow style.
const flowWidth = 60

// encodeNode converts v to a yaml.Node, following the yaml struct tags.
// It returns nil for a value to leave out (an empty optional field).
func encodeNode(v reflect.Value, path string) (*yaml.Node, error) {
	t := v.Type()
	if t.Implements(textMarshalerType) {
		text, err := v.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "register: "))
		}
		if len(text) == 0 {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ""}, nil
		}
		// Untagged and plain: a date reads as YYYY-MM-DD, not "YYYY-MM-DD".
		return &yaml.Node{Kind: yaml.ScalarNode, Value: string(text)}, nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
		}
		return encodeNode(v.Elem(), path)
	case reflect.String:
		s := v.String()
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("%s: invalid UTF-8 in string", path)
		}
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
		switch {
		case strings.Contains(strings.TrimRight(s, "\n"), "\n"):
			n.Style = yaml.LiteralStyle
		case yaml11Special[s]:
			// Plain, these read as booleans or a merge key in YAML 1.1
			// tools; quote them for readers other than ours.
			n.Style = yaml.DoubleQuotedStyle
		}
		return n, nil
	case reflect.Bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v.Bool())}, nil
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		width := 0
		for i := range v.Len() {
			c, err := encodeNode(v.Index(i), path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, c)
			if c.Kind == yaml.ScalarNode && c.Style == 0 {
				width += len(c.Value) + 2
			} else {
				width = flowWidth + 1
			}
		}
		if width <= flowWidth {
			n.Style = yaml.FlowStyle
		}
		return n, nil
	case reflect.Struct:
		if p, ok := v.Interface().(Proof); ok && p.Kind == "" && p.Date.IsZero() && p.SHA256 == "" {
			// A proof that is only a reference is written as a string.
			return encodeNode(reflect.ValueOf(p.Ref), path+".ref")
		}
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for i := range t.NumField() {
			name, omitempty, ok := yamlName(t.Field(i))
			if !ok {
				continue
			}
			f := v.Field(i)
			if omitempty && isEmpty(f) {
				continue
			}
			c, err := encodeNode(f, joinPath(path, name))
			if err != nil {
				return nil, err
			}
			if omitempty && c.Kind == yaml.MappingNode && len(c.Content) == 0 {
				continue
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}, c)
		}
		return n, nil
	}
	return nil, fmt.Errorf("%s: cannot encode %s", path, t)
}

// isEmpty reports whether an omitempty field should be left out.
func isEmpty(v reflect.Value) bool {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	switch v.Kind() {
	case reflect.String, reflect.Slice:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Pointer:
		return v.IsNil()
	}
	return false
}
