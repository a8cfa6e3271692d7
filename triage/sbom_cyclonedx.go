package triage

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
)

// ParseCycloneDX reads a CycloneDX JSON SBOM (specification 1.2 to 1.6; the
// decoder is github.com/CycloneDX/cyclonedx-go, which also reads 1.0, 1.1
// and 1.7) into a stack with one component per SBOM component, nested ones
// (components[].components) included, in document order. name identifies
// the input in messages and in each component's Source.
//
// metadata.component, the subject of the SBOM (usually the application
// itself), comes first: advisories against the application matter as much
// as those against its libraries. A metadata.component with no name, purl,
// CPE or version (scanners write an empty placeholder) is no component and
// is left out.
//
// # Mapping
//
//	bom-ref                  → ID; without one, the purl, else
//	                           group/name@version (empty parts left out),
//	                           else the CPE; a repeated ID gets "#2", "#3", …
//	group, publisher,        → Vendor: the first that is not empty, in this
//	supplier.name,             order. Maven components thus keep their
//	manufacturer.name,         group in Vendor and their artifact in Product.
//	author, authors[].name
//	name                     → Product
//	version                  → Version, as published ("v1.2.3" stays)
//	purl, cpe                → PURL, CPE
//	                         → Source: "name: <bom-ref>", or "name:
//	                           components[3].components[0]" without one
//
// Every component is kept, with or without a version or purl: the engine
// reports those it cannot check. Only a component with nothing to identify
// it (no name, purl or CPE) is skipped and counted in the [StackReport] of
// [ImportStack]. Components are decoded with cyclonedx-go's Component
// type; of the rest of the document only bomFormat, specVersion and
// metadata.component are read, so that metadata.tools in either shape (a
// list up to 1.4, an object from 1.5), empty objects ("authors": [{}]) and
// sections that do not list components (dependencies, vulnerabilities,
// services) cannot fail an import.
//
// Malformed JSON, values of the wrong type ("components": "x") and a
// missing or wrong bomFormat or specVersion are errors positioned at the
// offending value. Input is capped at 64 MiB, 250,000 JSON objects and
// 2,000,000 list or object members, which keeps a hostile file's decoding
// to a few hundred MB; real SBOMs have about 7 objects and 20 members per
// KB, so the caps allow some 35 MB of SBOM.
func ParseCycloneDX(r io.Reader, name string) (*Stack, error) {
	return parseOne(r, name, parseCycloneDX)
}

func parseCycloneDX(data []byte, name string, report *StackReport) (s *Stack, err error) {
	if err := jsonin.CheckJSON(data, name); err != nil {
		return nil, err
	}
	data = sniff.TrimBOM(data)
	if err := checkJSONSize(data, name); err != nil {
		return nil, err
	}
	var bom cdxDocument
	if err := decodeJSON(data, name, "cyclonedx", &bom); err != nil {
		return nil, err
	}
	if bom.BOMFormat != cdx.BOMFormat {
		return nil, jsonin.ErrorAt(data, name, "bomFormat", fmt.Errorf("want %q, got %q: not a CycloneDX BOM", cdx.BOMFormat, bom.BOMFormat))
	}
	if bom.SpecVersion == 0 {
		return nil, jsonin.ErrorAt(data, name, "specVersion", errors.New("missing specVersion"))
	}

	m := &cdxMapper{name: name, stack: new(Stack)}
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		c := bom.Metadata.Component
		if c.Name != "" || c.PackageURL != "" || c.CPE != "" || c.Version != "" {
			m.add(c, "metadata.component")
		}
	}
	if bom.Components != nil {
		m.addAll(*bom.Components, "components")
	}
	if m.skipped > 0 {
		report.Skipped += m.skipped
		report.note("%s: %d components with no name, purl or CPE skipped (first at %s)", name, m.skipped, m.firstSkipped)
	}
	if n := uniqueIDs(m.stack.Components, newIDSet()); n > 0 {
		report.Renamed += n
		report.note("%s: %d components renamed to keep IDs unique", name, n)
	}
	return m.stack, nil
}

// cdxDocument is the part of a CycloneDX BOM that lists components.
type cdxDocument struct {
	BOMFormat   string          `json:"bomFormat"`
	SpecVersion cdx.SpecVersion `json:"specVersion"`
	Metadata    *struct {
		Component *cdx.Component `json:"component"`
	} `json:"metadata"`
	Components *[]cdx.Component `json:"components"`
}

// cdxMapper turns CycloneDX components into stack components.
type cdxMapper struct {
	name         string
	stack        *Stack
	skipped      int
	firstSkipped string
}

func (m *cdxMapper) addAll(comps []cdx.Component, path string) {
	for i := range comps {
		m.add(&comps[i], path+"["+strconv.Itoa(i)+"]")
	}
}

func (m *cdxMapper) add(c *cdx.Component, path string) {
	comp := Component{
		ID:      c.BOMRef,
		Vendor:  cdxVendor(c),
		Product: c.Name,
		Version: c.Version,
		PURL:    c.PackageURL,
		CPE:     c.CPE,
		Source:  m.name + ": " + path,
	}
	if c.BOMRef != "" {
		comp.Source = m.name + ": " + c.BOMRef
	}
	if comp.ID == "" {
		comp.ID = c.PackageURL
	}
	if comp.ID == "" && strings.TrimSpace(c.Name) != "" {
		comp.ID = strings.TrimPrefix(c.Group+"/"+c.Name, "/")
		if c.Version != "" {
			comp.ID += "@" + c.Version
		}
	}
	if comp.ID == "" {
		comp.ID = c.CPE
	}
	if comp.identifiable() {
		m.stack.Components = append(m.stack.Components, comp)
	} else {
		if m.skipped == 0 {
			m.firstSkipped = path
		}
		m.skipped++
	}
	if c.Components != nil {
		m.addAll(*c.Components, path+".components")
	}
}

// cdxVendor returns the first of group, publisher, supplier, manufacturer,
// author and first author that is not empty.
func cdxVendor(c *cdx.Component) string {
	if c.Group != "" {
		return c.Group
	}
	if c.Publisher != "" {
		return c.Publisher
	}
	if c.Supplier != nil && c.Supplier.Name != "" {
		return c.Supplier.Name
	}
	if c.Manufacturer != nil && c.Manufacturer.Name != "" {
		return c.Manufacturer.Name
	}
	if c.Author != "" {
		return c.Author
	}
	if c.Authors != nil {
		for _, a := range *c.Authors {
			if a.Name != "" {
				return a.Name
			}
		}
	}
	return ""
}
