package triage

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/yamlin"
)

// stackFileDoc is the hand-written stack file (see ParseStack).
type stackFileDoc struct {
	Components []Component   `yaml:"components"`
	SBOMs      []stackImport `yaml:"sboms"`
}

// stackImport is an entry of a stack file's sboms list.
type stackImport struct {
	Path        string      `yaml:"path" yamlin:"required"`
	Owner       string      `yaml:"owner,omitempty"`
	Criticality Criticality `yaml:"criticality,omitempty"`
	Exposure    Exposure    `yaml:"exposure,omitempty"`
	Tags        []string    `yaml:"tags,omitempty"`
}

var (
	componentType   = reflect.TypeFor[Component]()
	stackImportType = reflect.TypeFor[stackImport]()
	exposureType    = reflect.TypeFor[Exposure]()
	criticalityType = reflect.TypeFor[Criticality]()
)

var (
	exposureNames    = []string{string(ExposureInternet), string(ExposureInternal), string(ExposureIsolated)}
	criticalityNames = []string{string(CriticalityCritical), string(CriticalityHigh), string(CriticalityMedium), string(CriticalityLow)}
)

// checkExposure and checkCriticality return a message for an unknown
// value, with a suggestion when one is close, or "".
func checkExposure(v string) string {
	if Exposure(v).Valid() {
		return ""
	}
	return fmt.Sprintf("unknown exposure %q%s; want internet, internal or isolated", v, yamlin.DidYouMean(v, exposureNames))
}

func checkCriticality(v string) string {
	if Criticality(v).Valid() {
		return ""
	}
	return fmt.Sprintf("unknown criticality %q%s; want critical, high, medium or low", v, yamlin.DidYouMean(v, criticalityNames))
}

// parseStackFile reads a hand-written stack file and the files it imports.
func (l *stackLoader) parseStackFile(data []byte, name string) (*Stack, error) {
	root, err := yamlin.Parse(data, &yamlin.ParseOptions{File: name, MaxBytes: maxStackYAMLBytes, What: "a stack file"})
	if err != nil {
		var e *yamlin.Error
		if errors.As(err, &e) {
			return nil, fromYAMLIn(yamlin.ErrorList{e})[0]
		}
		return nil, &feeds.ParseError{Input: name, Err: err}
	}
	if root == nil {
		return nil, &feeds.ParseError{Input: name, Err: errors.New("file is empty; " + stackFormatsMsg)}
	}
	if err := checkStackRoot(root, name); err != nil {
		return nil, err
	}

	// Decode, remembering where each component and import is.
	nodes := make(map[string]*yaml.Node)
	var doc stackFileDoc
	dec := yamlin.NewDecoder(&yamlin.Options{
		File:      name,
		MaxErrors: maxStackErrors,
		Value: func(n *yaml.Node, v reflect.Value, path string) (bool, error) {
			switch v.Type() {
			case componentType, stackImportType:
				nodes[path] = n
			case exposureType:
				if msg := checkExposure(n.Value); n.Kind == yaml.ScalarNode && msg != "" {
					return true, errors.New(msg)
				}
			case criticalityType:
				if msg := checkCriticality(n.Value); n.Kind == yaml.ScalarNode && msg != "" {
					return true, errors.New(msg)
				}
			}
			return false, nil
		},
		Unknown: func(t reflect.Type, key string) string {
			if t == componentType && key == "source" {
				return `unknown field "source" (the loader sets a component's source; remove it)`
			}
			return ""
		},
		Exclude:  func(t reflect.Type, key string) bool { return t == componentType && key == "source" },
		Required: func(t reflect.Type, key string) bool { return t == componentType && key == "id" },
	})
	dec.Decode(root, &doc)
	if errs := dec.Errors(); len(errs) > 0 {
		return nil, errorList(name, fromYAMLIn(errs.Sort()))
	}

	// Check the components written here, at their positions.
	s := &Stack{Components: doc.Components}
	pos := make([]componentPos, len(s.Components))
	for i := range s.Components {
		p := componentPos{file: name, path: "components[" + strconv.Itoa(i) + "]"}
		if n := nodes[p.path]; n != nil {
			p.line, p.column = n.Line, n.Column
		}
		pos[i] = p
		s.Components[i].Source = name + ":" + strconv.Itoa(p.line)
	}
	if errs := validateAt(s, pos); len(errs) > 0 {
		return nil, errorList(name, errs)
	}
	if err := l.grow(len(s.Components), name); err != nil {
		return nil, err
	}

	// Import the SBOMs, each after what came before.
	taken := newIDSet()
	for _, c := range s.Components {
		taken.add(c.ID)
	}
	var errs []error
	for i, imp := range doc.SBOMs {
		entry := "sboms[" + strconv.Itoa(i) + "]"
		at := nodes[entry]
		if v := mapValue(at, "path"); v != nil {
			at = v
		}
		fail := func(err error) {
			pe := &feeds.ParseError{Input: name, Field: entry + ".path", Err: err}
			if at != nil {
				pe.Line, pe.Column = at.Line, at.Column
			}
			errs = append(errs, pe)
		}
		file, err := l.resolve(name, imp.Path)
		if err != nil {
			fail(err)
			continue
		}
		imported, err := l.load(file)
		var ee *entryError
		switch {
		case l.overLimit != nil:
			return nil, l.overLimit
		case errors.As(err, &ee):
			fail(ee.err)
			continue
		case err != nil:
			// Problems inside the imported file name that file.
			errs = append(errs, err)
			continue
		}
		if err := l.grow(len(imported.Components), name); err != nil {
			return nil, err
		}
		comps := imp.apply(imported.Components)
		if n := uniqueIDs(comps, taken); n > 0 {
			l.report.Renamed += n
			l.report.note("%s: %s: %d components imported from %s renamed to keep IDs unique", name, entry, n, imp.Path)
		}
		s.Components = append(s.Components, comps...)
	}
	if len(errs) > 0 {
		return nil, errorList(name, errs)
	}
	return s, nil
}

// checkStackRoot refuses a document that is no stack file at all with one
// clear message: not a map, or a map none of whose keys is (nearly) a
// stack file's.
func checkStackRoot(root *yaml.Node, name string) error {
	keys := []string{"components", "sboms"}
	if root.Kind == yaml.MappingNode {
		var found []string
		for i := 0; i+1 < len(root.Content); i += 2 {
			k := root.Content[i]
			if k.Kind != yaml.ScalarNode || slices.Contains(keys, k.Value) || yamlin.Suggest(k.Value, keys) != "" || k.ShortTag() == "!!merge" {
				return nil
			}
			found = append(found, strconv.Quote(k.Value))
		}
		if len(found) > 5 {
			found = append(found[:5], "…")
		}
		return &feeds.ParseError{Input: name, Line: root.Line, Column: root.Column,
			Err: fmt.Errorf("%s; got a map with %s", notAStackMsg, strings.Join(found, ", "))}
	}
	return &feeds.ParseError{Input: name, Line: root.Line, Column: root.Column,
		Err: fmt.Errorf("%s; got %s", notAStackMsg, yamlin.DescribeNode(root))}
}

// mapValue returns the value of key in mapping n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// apply returns copies of comps with the entry's owner, criticality and
// exposure where a component has none, and its tags after the component's.
func (imp *stackImport) apply(comps []Component) []Component {
	out := make([]Component, len(comps))
	for i, c := range comps {
		if c.Owner == "" {
			c.Owner = imp.Owner
		}
		if c.Criticality == "" {
			c.Criticality = imp.Criticality
		}
		if c.Exposure == "" {
			c.Exposure = imp.Exposure
		}
		tags := slices.Clip(slices.Clone(c.Tags))
		for _, t := range imp.Tags {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
		c.Tags = tags
		out[i] = c
	}
	return out
}
