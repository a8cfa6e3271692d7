package triage_test

import (
	"fmt"
	"log"
	"strings"
	"testing/fstest"

	"github.com/sigwatch/sigwatch/triage"
)

func ExampleParseStack() {
	// A stack file as an IT team keeps it in git. The format is detected
	// from the content: this one is the hand-written YAML.
	file := `components:
  - id: edge-fw
    vendor: Fortinet
    product: FortiOS
    version: 7.2.4
    owner: network-team
    criticality: critical
    exposure: internet
    tags: [perimeter]
`
	stack, err := triage.ParseStack(strings.NewReader(file), "stack.yaml")
	if err != nil {
		log.Fatal(err)
	}
	c := stack.Components[0]
	fmt.Println(c.ID, c.Vendor, c.Product, c.Version, c.Exposure, "from", c.Source)

	// Mistakes come back with file, line, column and a suggestion.
	_, err = triage.ParseStack(strings.NewReader(strings.Replace(file, "owner:", "ownr:", 1)), "stack.yaml")
	fmt.Println(err)
	// Output:
	// edge-fw Fortinet FortiOS 7.2.4 internet from stack.yaml:2
	// stack.yaml:6:5: components[0].ownr: unknown field "ownr" (did you mean "owner"?)
}

func ExampleImportStack() {
	// A stack file that imports an SBOM and gives its components an owner,
	// exposure and tags. Here the files come from an fs.FS.
	fsys := fstest.MapFS{
		"stack.yaml": {Data: []byte(`sboms:
  - path: sbom/shop.cdx.json
    owner: web-team
    exposure: internet
    tags: [shop]
`)},
		"sbom/shop.cdx.json": {Data: []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"bom-ref": "shop", "type": "application", "name": "shop", "version": "3.1.0"}},
  "components": [
    {"type": "library", "name": "log4j-core", "group": "org.apache.logging.log4j", "version": "2.14.1",
     "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
    {"type": "library", "name": "vendored-widget"}
  ]}`)},
	}
	f, err := fsys.Open("stack.yaml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	stack, report, err := triage.ImportStack(f, "stack.yaml", &triage.StackOptions{FS: fsys})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range stack.Components {
		fmt.Printf("%s version %q owner %s exposure %s tags %v\n", c.ID, c.Version, c.Owner, c.Exposure, c.Tags)
	}
	fmt.Println(len(report.Notes), "notes")
	// Output:
	// shop version "3.1.0" owner web-team exposure internet tags [shop]
	// pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 version "2.14.1" owner web-team exposure internet tags [shop]
	// vendored-widget version "" owner web-team exposure internet tags [shop]
	// 0 notes
}
