package register

import (
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sigwatch/sigwatch/internal/yamlin"
)

// Decoding is internal/yamlin's: it walks the yaml.Node tree against the Go
// types of the model, guided by their yaml struct tags, so that every
// unknown key and every value of the wrong type is reported with its
// position and path, not just the first one. The register adds its Date
// and Period types and a hint for review fields written in the wrong place.

var (
	dateType   = reflect.TypeFor[Date]()
	periodType = reflect.TypeFor[Period]()
	reviewType = reflect.TypeFor[Review]()
	proofType  = reflect.TypeFor[Proof]()
)

// reviewRecordKeys are ReviewRecord fields, and "last", that people write
// directly under review instead of in a record.
var reviewRecordKeys = map[string]bool{"last": true, "date": true, "by": true, "outcome": true, "notes": true}

// decodeOptions returns the yamlin options for a register file.
func decodeOptions(file string) *yamlin.Options {
	return &yamlin.Options{
		File:      file,
		MaxErrors: maxErrors,
		Value:     decodeText,
		Unknown: func(t reflect.Type, key string) string {
			if t == reviewType && reviewRecordKeys[key] {
				return fmt.Sprintf("unknown field %q (a review's date, by, outcome and notes go in an entry under \"records\")", key)
			}
			return ""
		},
	}
}

// decodeText decodes the model's text types, Date and Period, saying what
// they look like when given a list or a map.
func decodeText(n *yaml.Node, v reflect.Value, _ string) (bool, error) {
	var what string
	switch v.Type() {
	case proofType:
		// A proof written as a plain string is its reference.
		if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
			return false, nil
		}
		v.Set(reflect.ValueOf(Proof{Ref: n.Value}))
		return true, nil
	case dateType:
		what = "a date (YYYY-MM-DD)"
	case periodType:
		what = "a period such as 12mo"
	default:
		return false, nil
	}
	if n.Kind != yaml.ScalarNode {
		return true, fmt.Errorf("want %s, got %s", what, yamlin.DescribeNode(n))
	}
	if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
		return true, errors.New(strings.TrimPrefix(err.Error(), "register: "))
	}
	return true, nil
}

// yamlName returns the YAML key of a struct field and whether it has
// omitempty; ok is false for unexported and skipped fields.
func yamlName(sf reflect.StructField) (name string, omitempty, ok bool) {
	return yamlin.FieldName(sf)
}

func joinPath(path, key string) string { return yamlin.JoinPath(path, key) }
