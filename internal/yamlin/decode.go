package yamlin

import (
	"encoding"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Options configures a [Decoder]. Every hook is optional.
type Options struct {
	// File names the input in errors.
	File string
	// MaxErrors is how many problems are collected before decoding stops.
	// Optional: 0 means DefaultMaxErrors.
	MaxErrors int

	// Value, when set, is called for every non-null value before the
	// default decoding, with n the value's node (aliases resolved), v the
	// settable destination and path its path. It returns handled true when
	// it decoded the value itself; a non-nil error is then reported at the
	// value (at the alias when one led there) and path is marked failed. It
	// is where a caller plugs in its own types (dates, periods) or records
	// where values are.
	Value func(n *yaml.Node, v reflect.Value, path string) (handled bool, err error)
	// Unknown, when set, returns the message for an unknown key in a
	// struct of type t, or "" for the default: a "did you mean" suggestion,
	// else the list of known keys.
	Unknown func(t reflect.Type, key string) string
	// Exclude, when set, hides the field with YAML key key of struct type t:
	// it is then an unknown key, and it is not suggested.
	Exclude func(t reflect.Type, key string) bool
	// Required, when set, marks fields that must be present and not empty,
	// in addition to fields tagged `yamlin:"required"`.
	Required func(t reflect.Type, key string) bool
}

// A Decoder decodes yaml.Node trees into Go values, guided by their yaml
// struct tags, and reports every problem with its position and path rather
// than stopping at the first:
//
//   - unknown keys, with a suggestion when one is close ("did you mean");
//   - values of the wrong shape ("want a list, got a map");
//   - duplicate keys and keys that are not strings;
//   - missing required fields;
//   - invalid UTF-8 and errors from encoding.TextUnmarshaler.
//
// It supports strings, bools, pointers, slices, structs and
// encoding.TextUnmarshaler types, follows aliases and YAML merge keys
// ("<<: *defaults", explicit keys win), and caps alias expansion so that a
// "billion laughs" document fails quickly instead of exhausting memory. It
// never panics on any node tree [Parse] returns. A Decoder is for one
// document; it is not safe for concurrent use.
type Decoder struct {
	opts      Options
	maxErrors int
	errs      ErrorList
	// failed holds the paths of values that failed to decode, and of fields
	// that an unknown key was probably meant to be.
	failed map[string]bool
	// full is set once maxErrors is passed or the alias budget is spent;
	// decoding then stops.
	full bool
	// aliasSteps counts values decoded through aliases, up to aliasBudget.
	aliasDepth  int
	aliasSteps  int
	aliasBudget int
	// expanding holds the anchored nodes being expanded, to catch an alias
	// that refers to a value containing it.
	expanding map[*yaml.Node]bool
	fields    map[reflect.Type]*structFields
}

// NewDecoder returns a Decoder; opts may be nil.
func NewDecoder(opts *Options) *Decoder {
	d := &Decoder{
		failed:    make(map[string]bool),
		expanding: make(map[*yaml.Node]bool),
		fields:    make(map[reflect.Type]*structFields),
	}
	if opts != nil {
		d.opts = *opts
	}
	d.maxErrors = d.opts.MaxErrors
	if d.maxErrors <= 0 {
		d.maxErrors = DefaultMaxErrors
	}
	return d
}

// Decode decodes the whole of root into v, a non-nil pointer, reporting
// under paths relative to root. Problems are collected in [Decoder.Errors];
// fields that decode without problems are set even when others fail.
func (d *Decoder) Decode(root *yaml.Node, v any) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		d.fail(nil, "", "cannot decode into %T (want a non-nil pointer)", v)
		return
	}
	if root == nil {
		return
	}
	d.aliasBudget = 100_000 + CountNodes(root)
	d.decode(root, rv.Elem(), "")
}

// Errors returns the problems found so far, in the order found. Use
// [ErrorList.Sort] to put them in file order.
func (d *Decoder) Errors() ErrorList { return d.errs }

// Failed returns the set of paths whose values failed to decode, and of
// fields that an unknown key was probably meant to be ("groups[0].owner"
// after "ownr"), so that later checks can avoid piling follow-on errors on
// them. The map belongs to the Decoder; do not modify it.
func (d *Decoder) Failed() map[string]bool { return d.failed }

// Stopped reports whether decoding stopped early, because more than
// MaxErrors problems were found or the alias budget was spent.
func (d *Decoder) Stopped() bool { return d.full }

// Decode decodes root into v (a non-nil pointer) and returns the problems
// as a sorted [ErrorList] capped at opts.MaxErrors, or nil.
func Decode(root *yaml.Node, v any, opts *Options) error {
	d := NewDecoder(opts)
	d.Decode(root, v)
	return d.errs.Sort().Cap(d.opts.File, d.maxErrors).Err()
}

// fail records an error at node n (which may be nil) for path.
func (d *Decoder) fail(n *yaml.Node, path, format string, args ...any) {
	if d.full {
		return
	}
	e := &Error{File: d.opts.File, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
	if len(d.errs) > d.maxErrors {
		d.full = true
	}
}

// badValue marks path as failed and records the error.
func (d *Decoder) badValue(n *yaml.Node, path, format string, args ...any) {
	d.failed[path] = true
	d.fail(n, path, format, args...)
}

// resolve follows alias n to the node it names. It returns nil, after
// reporting, for an alias that refers to a value containing it.
func (d *Decoder) resolve(n *yaml.Node, path string) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		if n.Alias == nil || d.expanding[n.Alias] {
			d.badValue(n, path, "alias *%s refers to a value that contains it", n.Value)
			return nil
		}
		n = n.Alias
	}
	return n
}

// decode decodes node n into the settable value v, reporting problems
// under path.
func (d *Decoder) decode(n *yaml.Node, v reflect.Value, path string) {
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

var textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()

// decodeValue decodes n, which is not an alias, into v. at is where the
// value appears in the file (the alias, if one led here).
func (d *Decoder) decodeValue(n, at *yaml.Node, v reflect.Value, path string) {
	t := v.Type()
	if IsNull(n) {
		v.Set(reflect.Zero(t))
		return
	}
	if d.opts.Value != nil {
		handled, err := d.opts.Value(n, v, path)
		if err != nil {
			d.badValue(at, path, "%s", err.Error())
			return
		}
		if handled {
			return
		}
	}
	if reflect.PointerTo(t).Implements(textUnmarshalerType) {
		if n.Kind != yaml.ScalarNode {
			d.badValue(at, path, "want a string, got %s", DescribeNode(n))
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			d.badValue(at, path, "%s", err.Error())
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
			d.badValue(at, path, "want a string, got %s", DescribeNode(n))
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
			d.badValue(at, path, "want true or false, got %s", DescribeNode(n))
			return
		}
		v.SetBool(b)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.badValue(at, path, "want a list, got %s", DescribeNode(n))
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
			d.badValue(at, path, "want a map, got %s", DescribeNode(n))
			return
		}
		d.decodeStruct(n, v, path)
	default:
		d.badValue(at, path, "cannot decode into %s", t)
	}
}

func (d *Decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	t := v.Type()
	fields := d.structFields(t)
	var present map[string]*yaml.Node // required keys → their values
	if len(fields.required) > 0 {
		present = make(map[string]*yaml.Node, len(fields.required))
	}
	var suggested []string // fields named by "did you mean"
	seen := make(map[string]bool, len(fields.names))
	for _, kv := range d.pairs(n, path, 0) {
		key := kv.key.Value
		i, ok := fields.index[key]
		if !ok {
			if s := d.unknown(t, fields, kv.key, path, key); s != "" {
				suggested = append(suggested, s)
			}
			continue
		}
		seen[key] = true
		if present != nil {
			present[key] = kv.value
		}
		if kv.merged {
			// A merged value is an alias expansion: count it against the budget.
			d.aliasDepth++
		}
		d.decode(kv.value, v.Field(i), JoinPath(path, key))
		if kv.merged {
			d.aliasDepth--
		}
	}
	// A misspelt key ("ownr") stands for the field it resembles: when that
	// field is absent, its checks (required, references) would only repeat
	// the misspelling, so it counts as failed. When the field is there too,
	// it is judged on its own.
	for _, s := range suggested {
		if !seen[s] {
			d.failed[JoinPath(path, s)] = true
		}
	}
	for _, key := range fields.required {
		fp := JoinPath(path, key)
		val, seen := present[key]
		switch {
		case d.failed[fp]:
		case !seen:
			d.fail(n, path, "missing required field %q", key)
		case isEmpty(val):
			d.failed[fp] = true
			d.fail(val, fp, "must not be empty")
		}
	}
}

// isEmpty reports whether n is a null or an empty string, following
// aliases.
func isEmpty(n *yaml.Node) bool {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n == nil || n.Kind == yaml.ScalarNode && (n.Value == "" || IsNull(n))
}

// unknown reports an unknown key and returns the field it resembles, if any.
func (d *Decoder) unknown(t reflect.Type, fields *structFields, k *yaml.Node, path, key string) string {
	fp := JoinPath(path, key)
	if d.opts.Unknown != nil {
		if msg := d.opts.Unknown(t, key); msg != "" {
			d.fail(k, fp, "%s", msg)
			return ""
		}
	}
	if s := Suggest(key, fields.names); s != "" {
		d.fail(k, fp, "unknown field %q (did you mean %q?)", key, s)
		return s
	}
	d.fail(k, fp, "unknown field %q (want one of %s)", key, strings.Join(fields.names, ", "))
	return ""
}

type keyValue struct {
	key, value *yaml.Node
	merged     bool // reached through a merge key
}

// pairs returns the key/value pairs of mapping n with YAML merge keys
// ("<<: *defaults") applied: explicit keys win over merged ones, and earlier
// merged maps over later ones. Duplicate and non-string keys are reported.
func (d *Decoder) pairs(n *yaml.Node, path string, depth int) []keyValue {
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
			d.fail(k, path, "keys must be strings, got %s", DescribeNode(k))
		case k.ShortTag() == "!!merge":
			merges = append(merges, val)
		case seen[k.Value] != nil:
			d.fail(k, JoinPath(path, k.Value), "duplicate key %q (first at line %d)", k.Value, seen[k.Value].Line)
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
			// Each merged map counts against the alias budget, even an empty
			// one: otherwise merges of merges of {} expand without limit.
			if d.aliasSteps++; d.aliasSteps > d.aliasBudget {
				d.fail(src, path, "too many alias expansions; the document expands to more than %d values", d.aliasBudget)
				d.full = true
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
				d.fail(src, path, "merge key (<<) wants a map or a list of maps, got %s", DescribeNode(target))
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
	index    map[string]int
	names    []string // in field order, for messages
	required []string
}

func (d *Decoder) structFields(t reflect.Type) *structFields {
	if f, ok := d.fields[t]; ok {
		return f
	}
	f := &structFields{index: make(map[string]int)}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, ok := FieldName(sf)
		if !ok || d.opts.Exclude != nil && d.opts.Exclude(t, name) {
			continue
		}
		f.index[name] = i
		f.names = append(f.names, name)
		if sf.Tag.Get("yamlin") == "required" || d.opts.Required != nil && d.opts.Required(t, name) {
			f.required = append(f.required, name)
		}
	}
	d.fields[t] = f
	return f
}

// FieldName returns the YAML key of a struct field and whether it has
// omitempty; ok is false for unexported and skipped ("-") fields. Without a
// yaml tag the key is the field name in lower case, as in the YAML library.
func FieldName(sf reflect.StructField) (name string, omitempty, ok bool) {
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

// JoinPath appends key to path: "groups[0]" + "owner" is "groups[0].owner".
func JoinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// CountNodes counts the nodes of the tree at n without following aliases.
func CountNodes(n *yaml.Node) int {
	count := 1
	for _, c := range n.Content {
		count += CountNodes(c)
	}
	return count
}
