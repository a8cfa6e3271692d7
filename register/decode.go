package register

import (
	"encoding"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The decoder walks the yaml.Node tree against the Go types of the model,
// guided by their yaml struct tags, so that every unknown key and every value
// of the wrong type is reported with its position and path, not just the
// first one.

var (
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	dateType            = reflect.TypeFor[Date]()
	periodType          = reflect.TypeFor[Period]()
	reviewType          = reflect.TypeFor[Review]()
)

// reviewRecordKeys are ReviewRecord fields, and "last", that people write
// directly under review instead of in a record.
var reviewRecordKeys = map[string]bool{"last": true, "date": true, "by": true, "outcome": true, "notes": true}

type decoder struct {
	file string
	errs ErrorList
	// bad holds the paths of values that failed to decode, and of fields
	// that an unknown key was probably meant to be, so that semantic checks
	// do not pile follow-on errors on them.
	bad map[string]bool
	// full is set once maxErrors is reached or the alias budget is spent;
	// decoding then stops.
	full bool
	// aliasSteps counts values decoded through aliases, up to aliasBudget,
	// which keeps "billion laughs" documents from exhausting memory.
	aliasDepth  int
	aliasSteps  int
	aliasBudget int
	// expanding holds the anchored nodes being expanded, to catch an alias
	// that refers to a value containing it.
	expanding map[*yaml.Node]bool
	fields    map[reflect.Type]*structFields
}

func newDecoder(file string, nodes int) *decoder {
	return &decoder{
		file:        file,
		bad:         make(map[string]bool),
		aliasBudget: 100_000 + nodes,
		expanding:   make(map[*yaml.Node]bool),
		fields:      make(map[reflect.Type]*structFields),
	}
}

func reflectValue(r *Register) reflect.Value { return reflect.ValueOf(r).Elem() }

// fail records an error at node n (which may be nil) for path.
func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	if d.full {
		return
	}
	e := &Error{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
	if len(d.errs) > maxErrors {
		d.full = true
	}
}

// badValue marks path as failed and records the error.
func (d *decoder) badValue(n *yaml.Node, path, format string, args ...any) {
	d.bad[path] = true
	d.fail(n, path, format, args...)
}

// resolve follows alias n to the node it names. It returns nil, after
// reporting, for an alias that refers to a value containing it.
func (d *decoder) resolve(n *yaml.Node, path string) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		if n.Alias == nil || d.expanding[n.Alias] {
			d.badValue(n, path, "alias *%s refers to a value that contains it", n.Value)
			return nil
		}
		n = n.Alias
	}
	return n
}

// decode decodes node n into v, a settable value of one of the model's
// types, reporting problems under path.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if d.full {
		return
	}
	if d.aliasDepth > 0 {
		d.aliasSteps++
		if d.aliasSteps > d.aliasBudget {
			d.badValue(n, path, "too many alias expansions; the document expands to more than %d values", d.aliasBudget)
			d.full = true
			return
		}
	}
	if n.Kind == yaml.AliasNode {
		target := d.resolve(n, path)
		if target == nil {
			return
		}
		d.expanding[target] = true
		d.aliasDepth++
		d.decodeValue(target, n, v, path)
		d.aliasDepth--
		delete(d.expanding, target)
		return
	}
	d.decodeValue(n, n, v, path)
}

// decodeValue decodes n, which is not an alias, into v. at is where the
// value appears in the file (the alias, if one led here).
func (d *decoder) decodeValue(n, at *yaml.Node, v reflect.Value, path string) {
	t := v.Type()
	if isNull(n) {
		v.Set(reflect.Zero(t))
		return
	}
	if reflect.PointerTo(t).Implements(textUnmarshalerType) {
		if n.Kind != yaml.ScalarNode {
			d.badValue(at, path, "want %s, got %s", describeType(t), describeNode(n))
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			d.badValue(at, path, "%s", strings.TrimPrefix(err.Error(), "register: "))
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		d.decodeValue(n, at, p.Elem(), path)
		v.Set(p)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.badValue(at, path, "want a string, got %s", describeNode(n))
			return
		}
		if !utf8.ValidString(n.Value) {
			d.badValue(at, path, "invalid UTF-8 in string")
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		b, ok := parseBool(n)
		if !ok {
			d.badValue(at, path, "want true or false, got %s", describeNode(n))
			return
		}
		v.SetBool(b)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.badValue(at, path, "want a list, got %s", describeNode(n))
			return
		}
		if len(n.Content) == 0 {
			v.Set(reflect.Zero(t))
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), path+"["+strconv.Itoa(i)+"]")
		}
		v.Set(s)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.badValue(at, path, "want a map, got %s", describeNode(n))
			return
		}
		d.decodeStruct(n, v, path)
	default:
		// Not reached for the model's types.
		d.badValue(at, path, "cannot decode into %s", t)
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	fields := d.structFields(v.Type())
	for _, kv := range d.pairs(n, path, 0) {
		key := kv.key.Value
		i, ok := fields.index[key]
		if !ok {
			if v.Type() == reviewType && reviewRecordKeys[key] {
				d.fail(kv.key, joinPath(path, key), "unknown field %q (a review's date, by, outcome and notes go in an entry under \"records\")", key)
			} else if s := suggest(key, fields.names); s != "" {
				d.bad[joinPath(path, s)] = true
				d.fail(kv.key, joinPath(path, key), "unknown field %q (did you mean %q?)", key, s)
			} else {
				d.fail(kv.key, joinPath(path, key), "unknown field %q (want one of %s)", key, strings.Join(fields.names, ", "))
			}
			continue
		}
		if kv.merged {
			// A merged value is an alias expansion: count it against the budget.
			d.aliasDepth++
		}
		d.decode(kv.value, v.Field(i), joinPath(path, key))
		if kv.merged {
			d.aliasDepth--
		}
	}
}

type keyValue struct {
	key, value *yaml.Node
	merged     bool // reached through a merge key
}

// pairs returns the key/value pairs of mapping n with YAML merge keys
// ("<<: *defaults") applied: explicit keys win over merged ones, and earlier
// merged maps over later ones. Duplicate and non-string keys are reported.
func (d *decoder) pairs(n *yaml.Node, path string, depth int) []keyValue {
	if d.full {
		return nil
	}
	out := make([]keyValue, 0, len(n.Content)/2)
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil && k.Alias.Kind == yaml.ScalarNode {
			k = k.Alias
		}
		switch {
		case k.Kind != yaml.ScalarNode:
			d.fail(k, path, "keys must be strings, got %s", describeNode(k))
		case k.ShortTag() == "!!merge":
			merges = append(merges, val)
		case seen[k.Value] != nil:
			d.fail(k, joinPath(path, k.Value), "duplicate key %q (first at line %d)", k.Value, seen[k.Value].Line)
		default:
			seen[k.Value] = k
			out = append(out, keyValue{key: k, value: val})
		}
	}
	for _, m := range merges {
		if depth > 20 {
			d.fail(m, path, "merge keys (<<) nested too deeply")
			break
		}
		if m.Kind == yaml.AliasNode && m.Alias != nil && m.Alias.Kind == yaml.SequenceNode {
			m = m.Alias
		}
		sources := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			sources = m.Content
		}
		for _, src := range sources {
			if d.full {
				return out
			}
			target := src
			if src.Kind == yaml.AliasNode {
				target = d.resolve(src, path)
				if target == nil {
					continue
				}
			}
			if target.Kind != yaml.MappingNode {
				d.fail(src, path, "merge key (<<) wants a map or a list of maps, got %s", describeNode(target))
				continue
			}
			if d.expanding[target] {
				d.fail(src, path, "alias *%s refers to a value that contains it", src.Value)
				continue
			}
			d.expanding[target] = true
			d.aliasDepth++
			for _, kv := range d.pairs(target, path, depth+1) {
				if d.aliasSteps++; d.aliasSteps > d.aliasBudget {
					d.fail(src, path, "too many alias expansions; the document expands to more than %d values", d.aliasBudget)
					d.full = true
					break
				}
				if seen[kv.key.Value] == nil {
					seen[kv.key.Value] = kv.key
					kv.merged = true
					out = append(out, kv)
				}
			}
			d.aliasDepth--
			delete(d.expanding, target)
		}
	}
	return out
}

// parseBool accepts true and false in any case, quoted or not.
func parseBool(n *yaml.Node) (value, ok bool) {
	if n.Kind != yaml.ScalarNode {
		return false, false
	}
	switch strings.ToLower(n.Value) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// structFields maps a struct type's YAML keys to field indexes.
type structFields struct {
	index map[string]int
	names []string // in field order, for messages
}

func (d *decoder) structFields(t reflect.Type) *structFields {
	if f, ok := d.fields[t]; ok {
		return f
	}
	f := fieldsOf(t)
	d.fields[t] = f
	return f
}

func fieldsOf(t reflect.Type) *structFields {
	f := &structFields{index: make(map[string]int)}
	for i := range t.NumField() {
		name, _, ok := yamlName(t.Field(i))
		if !ok {
			continue
		}
		f.index[name] = i
		f.names = append(f.names, name)
	}
	return f
}

// yamlName returns the YAML key of a struct field and whether it has
// omitempty; ok is false for unexported and skipped fields.
func yamlName(sf reflect.StructField) (name string, omitempty, ok bool) {
	if !sf.IsExported() {
		return "", false, false
	}
	tag := sf.Tag.Get("yaml")
	if tag == "-" {
		return "", false, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = strings.ToLower(sf.Name)
	}
	return name, strings.Contains(","+opts+",", ",omitempty,"), true
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// describeType says what a value of type t looks like, for messages.
func describeType(t reflect.Type) string {
	switch t {
	case dateType:
		return "a date (YYYY-MM-DD)"
	case periodType:
		return "a period such as 12mo"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return describeType(t.Elem())
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	case reflect.Struct:
		return "a map"
	}
	return "a string"
}

// describeNode says what was found, for messages.
func describeNode(n *yaml.Node) string {
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
	if isNull(n) {
		return "nothing"
	}
	return quote(n.Value)
}
