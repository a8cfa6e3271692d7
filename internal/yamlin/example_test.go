package yamlin_test

import (
	"fmt"

	"github.com/sigwatch/sigwatch/internal/yamlin"
)

func ExampleDecode() {
	type component struct {
		ID      string `yaml:"id" yamlin:"required"`
		Owner   string `yaml:"owner"`
		Version string `yaml:"version"`
	}
	type stack struct {
		Components []component `yaml:"components"`
	}
	input := []byte(`components:
  - id: edge-fw
    ownr: network-team
    version: [7.2.4]
  - owner: platform-team
`)
	root, err := yamlin.Parse(input, &yamlin.ParseOptions{File: "stack.yaml", MaxBytes: 1 << 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	var s stack
	err = yamlin.Decode(root, &s, &yamlin.Options{File: "stack.yaml"})
	fmt.Println(err)
	// Output:
	// stack.yaml:3:5: components[0].ownr: unknown field "ownr" (did you mean "owner"?)
	// stack.yaml:4:14: components[0].version: want a string, got a list
	// stack.yaml:5:5: components[1]: missing required field "id"
}
