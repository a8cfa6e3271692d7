package register

import (
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/sigwatch/sigwatch/internal/yamlin"
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
	data, name, err := readInput(r, name)
	if err != nil {
		return nil, err
	}
	reg, errs := parse(data, name)
	if len(errs) > 0 {
		return nil, errs
	}
	return reg, nil
}

// parse decodes and validates data. It never panics: a panic in the YAML
// library is reported as an error.
func parse(data []byte, name string) (*Register, ErrorList) {
	reg := new(Register)
	errs := decodeFile(data, name, "a register", [2]string{"people", "groups"}, reg, decodeOptions(name),
		func(c *checker) { c.register(reg) })
	if len(errs) > 0 {
		return nil, errs
	}
	return reg, nil
}

// decodeFile parses data as one YAML document — noun says what it is, "a
// register" — whose root is a map with (among others) the two keys named, decodes it into v with opts and, when
// decoding got far enough, runs check with a checker positioned in the
// file. It returns every problem, sorted and capped. It never panics: a
// panic in the YAML library is reported as an error.
func decodeFile(data []byte, name, noun string, keys [2]string, v any, opts *yamlin.Options, check func(*checker)) ErrorList {
	root, err := yamlin.Parse(data, &yamlin.ParseOptions{File: name, MaxBytes: MaxFileSize, What: noun + " file"})
	if err != nil {
		var e *yamlin.Error
		if !errors.As(err, &e) {
			e = &yamlin.Error{File: name, Msg: err.Error()}
		}
		return ErrorList{(*Error)(e)}
	}
	if root == nil {
		return ErrorList{{File: name, Msg: fmt.Sprintf("file is empty; want %s with %q and %q", noun, keys[0], keys[1])}}
	}
	if root.Kind != yaml.MappingNode {
		return ErrorList{{File: name, Line: root.Line, Column: root.Column,
			Msg: fmt.Sprintf("want a map with %q and %q, got %s", keys[0], keys[1], yamlin.DescribeNode(root))}}
	}
	d := yamlin.NewDecoder(opts)
	d.Decode(root, v)
	errs := fromYAMLIn(d.Errors())
	if !d.Stopped() {
		c := &checker{file: name, root: root, bad: d.Failed(), errs: errs}
		check(c)
		errs = c.errs
	}
	if len(errs) > 0 {
		return fromYAMLIn(toYAMLIn(errs).Sort().Cap(name, maxErrors))
	}
	return nil
}

// readInput reads at most MaxFileSize+1 bytes of r (the parser refuses
// more) and returns the name to report, "<input>" when name is empty.
func readInput(r io.Reader, name string) ([]byte, string, error) {
	if name == "" {
		name = "<input>"
	}
	if r == nil {
		return nil, name, fmt.Errorf("register: read %s: nil reader", name)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, name, fmt.Errorf("register: read %s: %w", name, err)
	}
	return data, name, nil
}
