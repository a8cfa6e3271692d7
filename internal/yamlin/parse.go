package yamlin

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ParseOptions configures [Parse].
type ParseOptions struct {
	// File names the input in errors. Optional: "" means "<input>".
	File string
	// MaxBytes is the largest input accepted. Optional: 0 means no limit
	// (the caller has already capped what it read).
	MaxBytes int
	// What names the kind of file in messages ("a register file"). Optional:
	// "" means "a YAML file".
	What string
}

// Parse parses the single YAML document in data and returns its root node,
// or nil (and no error) when the document is empty: blank, only comments,
// or a null. A leading UTF-8 byte order mark is ignored. The error, always
// an *[Error] with the file's position where one is known, reports:
//
//   - input longer than MaxBytes ("file is larger than the 4 MiB limit");
//   - invalid UTF-8 and control characters, with their line and column;
//   - YAML syntax errors, with the line libyaml reports (corrected: it
//     gives parser errors 0-based);
//   - an alias to an unknown anchor, at the alias;
//   - a second document after "---".
//
// Parse never panics: a panic in the YAML library becomes an error. Memory
// use is a few hundred times the input size in the worst case, so callers
// should keep MaxBytes in the low MiB.
func Parse(data []byte, opts *ParseOptions) (*yaml.Node, error) {
	var o ParseOptions
	if opts != nil {
		o = *opts
	}
	o.File = cmp.Or(o.File, "<input>")
	o.What = cmp.Or(o.What, "a YAML file")
	if o.MaxBytes > 0 && len(data) > o.MaxBytes {
		limit := strconv.Itoa(o.MaxBytes) + "-byte"
		if o.MaxBytes%(1<<20) == 0 {
			limit = strconv.Itoa(o.MaxBytes>>20) + " MiB"
		}
		return nil, &Error{File: o.File, Msg: "file is larger than the " + limit + " limit"}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if e := checkText(data, o.File, o.What); e != nil {
		return nil, e
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	root, e := parseYAML(data, o.File, o.What)
	if e != nil {
		return nil, e
	}
	if root == nil || IsNull(root) {
		return nil, nil
	}
	return root, nil
}

// checkText reports invalid UTF-8 and the control characters YAML forbids,
// with their position; the YAML library reports them without one.
func checkText(data []byte, file, what string) *Error {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return &Error{File: file, Line: line, Column: col, Msg: fmt.Sprintf("invalid UTF-8 (%s must be UTF-8 text)", what)}
		case r == '\n':
			line, col = line+1, 0
		case r == '\t' || r == '\r' || (r >= 0x20 && r <= 0x7e) || r == 0x85 ||
			(r >= 0xa0 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) || r >= 0x10000:
		default:
			return &Error{File: file, Line: line, Column: col, Msg: fmt.Sprintf("control character %U is not allowed", r)}
		}
		i += size
		col++
	}
	return nil
}

// parseYAML parses the single YAML document in data and returns its root
// node, or nil for an empty document.
func parseYAML(data []byte, file, what string) (root *yaml.Node, e *Error) {
	defer func() {
		if r := recover(); r != nil {
			root, e = nil, &Error{File: file, Msg: fmt.Sprintf("invalid YAML: parser failure: %v", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, yamlError(err, data, file)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, yamlError(err, data, file)
	case len(next.Content) > 0 && !IsNull(next.Content[0]):
		return nil, &Error{File: file, Line: next.Line, Column: next.Column,
			Msg: fmt.Sprintf("a second YAML document; %s holds one document (remove the extra ---)", what)}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var (
	yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlAnchor = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)
)

// parserProblems are the messages of libyaml's parser (as opposed to its
// scanner). The YAML library reports their line 0-based.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// yamlError turns an error from the YAML library into a positioned Error.
// The library reports the line of a parser error 0-based, of a scanner
// error 1-based, omits it when it would be 0, and at the end of input can
// name the line after the last; this undoes that.
func yamlError(err error, data []byte, file string) *Error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if parserProblems[m[2]] {
			line++
		}
		// At the end of input the library can name the line after the last.
		line = min(line, 1+bytes.Count(data, []byte{'\n'}))
		return &Error{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	if m := yamlAnchor.FindStringSubmatch(msg); m != nil {
		line, col := findAlias(data, m[1])
		return &Error{File: file, Line: line, Column: col, Msg: fmt.Sprintf("unknown anchor %q (define it with &%s before using *%s)", m[1], m[1], m[1])}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if strings.Contains(msg, "UTF-8") || strings.Contains(msg, "control characters") || strings.HasPrefix(msg, "input error") {
		// Reader problems carry no position (checkText catches them first).
		return &Error{File: file, Msg: "invalid YAML: " + msg}
	}
	// A scanner or parser problem without a line: both of libyaml's marks
	// were on line 0, the first line.
	return &Error{File: file, Line: 1, Msg: "invalid YAML: " + msg}
}

// findAlias returns the position of the first use of alias *name in data,
// or 0, 0.
func findAlias(data []byte, name string) (line, col int) {
	s := string(data)
	for off := 0; ; {
		i := strings.Index(s[off:], "*"+name)
		if i < 0 {
			return 0, 0
		}
		i += off
		end := i + 1 + len(name)
		if end == len(s) || strings.ContainsRune(" \t\r\n,[]{}", rune(s[end])) {
			line = 1 + strings.Count(s[:i], "\n")
			col = 1 + utf8.RuneCountInString(s[strings.LastIndexByte(s[:i], '\n')+1:i])
			return line, col
		}
		off = i + 1
	}
}

// IsNull reports whether n is a null scalar ("~", "null", or nothing).
func IsNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// DescribeNode says what n is, for messages: "a map", "a list", "an alias",
// "nothing" for a null, or the quoted (and shortened) scalar.
func DescribeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	if IsNull(n) {
		return "nothing"
	}
	return Quote(n.Value)
}
