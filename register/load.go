package register

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize is the largest register file [Load] and [Parse] accept. A
// register takes about 1 KB per group, so this allows thousands; the limit
// keeps a hostile file's parse under a few hundred MB of memory.
const MaxFileSize = 4 << 20

// Load reads the register file at path (YAML or JSON). A file that cannot
// be opened gives an error wrapping the os error, so errors.Is(err,
// fs.ErrNotExist) works. Problems in the file are reported as an
// [ErrorList]; see [Parse].
func Load(path string) (*Register, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads a register in YAML or JSON (JSON is read as YAML, so both get
// line numbers). name identifies the input in messages, usually its file
// name; "" means "<input>".
//
// Parse reports every problem it finds, not just the first, as an
// [ErrorList] of [*Error] values in file order: syntax errors, unknown
// fields (with a suggestion when one is close), values of the wrong type,
// and failed semantic checks (see [Register.Validate]). It returns a nil
// Register whenever it returns an error. Input larger than [MaxFileSize]
// is rejected without being parsed.
func Parse(r io.Reader, name string) (*Register, error) {
	if name == "" {
		name = "<input>"
	}
	if r == nil {
		return nil, fmt.Errorf("register: read %s: nil reader", name)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("register: read %s: %w", name, err)
	}
	if len(data) > MaxFileSize {
		return nil, ErrorList{{File: name, Msg: fmt.Sprintf("file is larger than the %d MiB limit", MaxFileSize>>20)}}
	}
	reg, errs := parse(data, name)
	if len(errs) > 0 {
		return nil, errs
	}
	return reg, nil
}

// parse decodes and validates data. It never panics: a panic in the YAML
// library is reported as an error.
func parse(data []byte, name string) (reg *Register, errs ErrorList) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if e := checkText(data, name); e != nil {
		return nil, ErrorList{e}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrorList{emptyError(name)}
	}
	root, e := parseYAML(data, name)
	if e != nil {
		return nil, ErrorList{e}
	}
	if root == nil || isNull(root) {
		return nil, ErrorList{emptyError(name)}
	}

	d := newDecoder(name, countNodes(root))
	reg = new(Register)
	if root.Kind != yaml.MappingNode {
		d.fail(root, "", "want a map with %q and %q, got %s", "people", "groups", describeNode(root))
		return nil, d.errs
	}
	d.decode(root, reflectValue(reg), "")
	if !d.full {
		c := &checker{file: name, root: root, bad: d.bad, errs: d.errs}
		c.register(reg)
		d.errs = c.errs
	}
	if len(d.errs) > 0 {
		errs = d.errs.sortAndDedupe()
		if len(errs) > maxErrors {
			errs = append(errs[:maxErrors:maxErrors], &Error{File: name, Msg: fmt.Sprintf("too many errors; stopped after %d", maxErrors)})
		}
		return nil, errs
	}
	return reg, nil
}

func emptyError(name string) *Error {
	return &Error{File: name, Msg: `file is empty; want a register with "people" and "groups"`}
}

// checkText reports invalid UTF-8 and the control characters YAML forbids,
// with their position; the YAML library reports them without one.
func checkText(data []byte, name string) *Error {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return &Error{File: name, Line: line, Column: col, Msg: "invalid UTF-8 (a register file must be UTF-8 text)"}
		case r == '\n':
			line, col = line+1, 0
		case r == '\t' || r == '\r' || (r >= 0x20 && r <= 0x7e) || r == 0x85 ||
			(r >= 0xa0 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) || r >= 0x10000:
		default:
			return &Error{File: name, Line: line, Column: col, Msg: fmt.Sprintf("control character %U is not allowed", r)}
		}
		i += size
		col++
	}
	return nil
}

// parseYAML parses the single YAML document in data and returns its root
// node, or nil for an empty document.
func parseYAML(data []byte, name string) (root *yaml.Node, e *Error) {
	defer func() {
		if r := recover(); r != nil {
			root, e = nil, &Error{File: name, Msg: fmt.Sprintf("invalid YAML: parser failure: %v", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, yamlError(err, data, name)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, yamlError(err, data, name)
	case len(next.Content) > 0 && !isNull(next.Content[0]):
		return nil, &Error{File: name, Line: next.Line, Column: next.Column,
			Msg: "a second YAML document; a register file holds one document (remove the extra ---)"}
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
// error 1-based, and omits it when it would be 0; this undoes that.
func yamlError(err error, data []byte, name string) *Error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if parserProblems[m[2]] {
			line++
		}
		return &Error{File: name, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	if m := yamlAnchor.FindStringSubmatch(msg); m != nil {
		line, col := findAlias(data, m[1])
		return &Error{File: name, Line: line, Column: col, Msg: fmt.Sprintf("unknown anchor %q (define it with &%s before using *%s)", m[1], m[1], m[1])}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if strings.Contains(msg, "UTF-8") || strings.Contains(msg, "control characters") || strings.HasPrefix(msg, "input error") {
		// Reader problems carry no position (checkText catches them first).
		return &Error{File: name, Msg: "invalid YAML: " + msg}
	}
	// A scanner or parser problem without a line: both of libyaml's marks
	// were on line 0, the first line.
	return &Error{File: name, Line: 1, Msg: "invalid YAML: " + msg}
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

// countNodes counts the nodes of the tree at n without following aliases.
func countNodes(n *yaml.Node) int {
	count := 1
	for _, c := range n.Content {
		count += countNodes(c)
	}
	return count
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}
