package triage

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxStackBytes caps a stack file.
const maxStackBytes = 32 << 20

// LoadStack reads a stack file (YAML or JSON). See ParseStack.
func LoadStack(path string) (*Stack, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("triage: %w", err)
	}
	defer f.Close()
	return ParseStack(f, path)
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

// ParseStack reads a stack file written by hand: a YAML (or JSON) map with a
// "components" list. name identifies the input in messages. Unknown fields,
// wrong types and invalid components are errors that name the file and line.
func ParseStack(r io.Reader, name string) (*Stack, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxStackBytes+1))
	if err != nil {
		return nil, fmt.Errorf("triage: read %s: %w", name, err)
	}
	if len(data) > maxStackBytes {
		return nil, fmt.Errorf("%s: stack file is larger than %d MiB", name, maxStackBytes>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: file is empty; want a map with a \"components\" list", name)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var s Stack
	if err := dec.Decode(&s); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			lines := make([]string, len(te.Errors))
			for i, e := range te.Errors {
				lines[i] = name + ":" + yamlLine.ReplaceAllString(e, "$1: ")
			}
			return nil, errors.New(strings.Join(lines, "\n"))
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		return nil, fmt.Errorf("%s:%s", name, yamlLine.ReplaceAllString(msg, "$1: "))
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &s, nil
}
