package triage

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/spdx/tools-golang/spdx/v2/v2_2"
	"github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
)

// ParseSPDX reads an SPDX 2.2 or 2.3 JSON document into a stack with one
// component per package, in document order. Packages are decoded with the
// types of github.com/spdx/tools-golang (v2_3.Package, whose JSON fields
// are a superset of 2.2's); the rest of the document (files, relationships)
// is not read, so that its quirks cannot fail an import. name identifies the
// input in messages and in each component's Source. The package the
// document describes (the application, "SPDXRef-RootPackage" in Microsoft's
// sbom-tool output) is a package like the others and so a component.
//
// # Mapping
//
//	SPDXID                        → ID ("SPDXRef-…", unique in a valid
//	                                document; repeats get "#2", "#3", …)
//	supplier, else originator     → Vendor, without its "Organization:" or
//	                                "Person:" prefix; NOASSERTION is empty
//	name                          → Product
//	versionInfo                   → Version, as published ("v0.81.0" stays)
//	externalRefs of category      → PURL: the first, as published (SPDX 2.2
//	  PACKAGE-MANAGER, type purl    writes the category PACKAGE_MANAGER)
//	externalRefs of category      → CPE: the first; later ones are left out
//	  SECURITY, type cpe23Type      (syft writes variants of one CPE,
//	                                "go-autorest" and "go_autorest")
//	                              → Source: "name: SPDXRef-…"
//
// Packages that map to identical components (same vendor, product,
// version, purl and CPE) are merged into the first: syft lists a Go module
// once per go.mod that requires it. [ImportStack] reports how many were
// merged. Every other package is kept, with or without a version or purl;
// only a package with no name, purl or CPE is skipped (and counted).
//
// Malformed JSON, values of the wrong type and a missing or unsupported
// spdxVersion are errors positioned at the offending value. The decoder is
// strict about SPDX's own syntax: a supplier or originator must be
// "Organization: …", "Person: …" or NOASSERTION, and an SPDXID must start
// with "SPDXRef-"; such errors are positioned at the offending value when
// it can be found. Input is capped as for [ParseCycloneDX].
func ParseSPDX(r io.Reader, name string) (*Stack, error) {
	return parseOne(r, name, parseSPDX)
}

func parseSPDX(data []byte, name string, report *StackReport) (s *Stack, err error) {
	if err := jsonin.CheckJSON(data, name); err != nil {
		return nil, err
	}
	data = sniff.TrimBOM(data)
	if err := checkJSONSize(data, name); err != nil {
		return nil, err
	}
	doc, err := readSPDX(data, name)
	if err != nil {
		return nil, err
	}

	s = new(Stack)
	type key struct{ vendor, product, version, purl, cpe string }
	seen := make(map[key]bool, len(doc.Packages))
	merged, skipped, firstSkipped := 0, 0, ""
	for i, p := range doc.Packages {
		if p == nil {
			continue
		}
		c := Component{
			ID:      "SPDXRef-" + string(p.PackageSPDXIdentifier),
			Product: p.PackageName,
			Version: p.PackageVersion,
		}
		c.Source = name + ": " + c.ID
		if p.PackageSupplier != nil && p.PackageSupplier.Supplier != "NOASSERTION" {
			c.Vendor = jsonUnescape(p.PackageSupplier.Supplier)
		}
		if c.Vendor == "" && p.PackageOriginator != nil && p.PackageOriginator.Originator != "NOASSERTION" {
			c.Vendor = jsonUnescape(p.PackageOriginator.Originator)
		}
		for _, ref := range p.PackageExternalReferences {
			if ref == nil {
				continue
			}
			switch category, typ := strings.ToUpper(strings.ReplaceAll(ref.Category, "_", "-")), ref.RefType; {
			case category == "PACKAGE-MANAGER" && typ == "purl" && c.PURL == "":
				c.PURL = ref.Locator
			case category == "SECURITY" && typ == "cpe23Type" && c.CPE == "":
				c.CPE = ref.Locator
			}
		}
		if !c.identifiable() {
			if skipped == 0 {
				firstSkipped = "packages[" + strconv.Itoa(i) + "]"
			}
			skipped++
			continue
		}
		k := key{c.Vendor, c.Product, c.Version, c.PURL, c.CPE}
		if seen[k] {
			merged++
			continue
		}
		seen[k] = true
		s.Components = append(s.Components, c)
	}
	if merged > 0 {
		report.Merged += merged
		report.note("%s: %d duplicate packages merged into identical earlier ones", name, merged)
	}
	if skipped > 0 {
		report.Skipped += skipped
		report.note("%s: %d packages with no name, purl or CPE skipped (first at %s)", name, skipped, firstSkipped)
	}
	if n := uniqueIDs(s.Components, newIDSet()); n > 0 {
		report.Renamed += n
		report.note("%s: %d packages renamed to keep IDs unique", name, n)
	}
	return s, nil
}

// jsonUnescape undoes JSON escapes in s: tools-golang reads suppliers and
// originators from the raw JSON text ("A \u0026 B").
func jsonUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var out string
	if err := json.Unmarshal([]byte(`"`+s+`"`), &out); err != nil {
		return s
	}
	return out
}

// spdxDocument is the part of an SPDX JSON document that becomes a stack.
// tools-golang's v2_3.Package reads 2.2 packages too: its JSON fields are a
// superset of v2_2.Package's.
type spdxDocument struct {
	SPDXVersion *string         `json:"spdxVersion"`
	Packages    []*v2_3.Package `json:"packages"`
}

// readSPDX decodes the packages of data with tools-golang's types,
// positioning its errors. It reads only spdxVersion and packages: the rest
// (files, relationships, snippets) does not describe components, and real
// documents break tools-golang's rules there (Flux's files have SPDXIDs
// without "SPDXRef-", which its json.Read refuses).
func readSPDX(data []byte, name string) (doc *spdxDocument, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, &feeds.ParseError{Input: name, Err: fmt.Errorf("spdx: decoder failure: %v", r)}
		}
	}()
	doc = new(spdxDocument)
	if err := json.Unmarshal(data, doc); err != nil {
		if m := spdxValueError.FindStringSubmatch(err.Error()); m != nil {
			// A custom unmarshaler refused a string; find it in the document.
			if off := findJSONString(data, m[2]); off >= 0 {
				line, col := jsonin.Position(data, int64(off))
				return nil, &feeds.ParseError{Input: name, Line: line, Column: col, Err: fmt.Errorf("spdx: invalid %s %q", m[1], m[2])}
			}
		}
		return nil, jsonError(data, name, "spdx", err)
	}
	switch {
	case doc.SPDXVersion == nil:
		return nil, &feeds.ParseError{Input: name, Line: 1, Column: 1, Err: errors.New("not an SPDX JSON document: no spdxVersion")}
	case *doc.SPDXVersion != v2_2.Version && *doc.SPDXVersion != v2_3.Version:
		return nil, jsonin.ErrorAt(data, name, "spdxVersion", fmt.Errorf("unsupported spdxVersion %q (want %s or %s)", *doc.SPDXVersion, v2_2.Version, v2_3.Version))
	}
	return doc, nil
}

// spdxValueError matches the errors of tools-golang's unmarshalers for
// SPDX's structured strings.
var spdxValueError = regexp.MustCompile(`^failed to parse (Supplier|Originator|Creator|Annotator|ElementID|DocElementID|DocumentID|SPDX Identifier)[: ]+'?(.*?)'?$`)
