package csaffeed

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
)

// Branch categories of CSAF 2.0 (section 3.1.2.3.2).
var branchCategories = map[string]bool{
	"architecture": true, "host_name": true, "language": true, "legacy": true,
	"patch_level": true, "product_family": true, "product_name": true,
	"product_version": true, "product_version_range": true, "service_pack": true,
	"specification": true, "vendor": true,
}

// Relationship categories of CSAF 2.0 (section 3.1.2.3.4).
var relationshipCategories = map[string]bool{
	"default_component_of": true, "external_component_of": true, "installed_on": true,
	"installed_with": true, "optional_component_of": true,
}

// parseProductTree resolves product_tree into Document.Products and Groups.
func (p *parser) parseProductTree(t *wireProductTree) error {
	d := p.doc
	d.index = map[string]int{}
	p.groups = map[string][]string{}
	p.relNames = map[string]string{}
	p.compName = map[string]string{}
	if t == nil {
		return nil
	}
	if err := p.walkBranches(t.Branches, "product_tree.branches", nil, 1); err != nil {
		return err
	}
	for i := range t.FullProductNames {
		p.addProduct(Product{Field: fmt.Sprintf("product_tree.full_product_names[%d]", i)}, &t.FullProductNames[i])
	}
	// Relationships first get their own entry, then are resolved to their
	// component once every product is known (a relationship may refer to
	// another relationship's product).
	first := len(d.Products)
	for i := range t.Relationships {
		r := &t.Relationships[i]
		path := fmt.Sprintf("product_tree.relationships[%d]", i)
		if !relationshipCategories[r.Category] {
			p.warnf("%s.category: unknown relationship category %q (kept)", path, clip(r.Category))
		}
		p.addProduct(Product{
			Field:        path + ".full_product_name",
			Relationship: &Relationship{Category: r.Category, Component: r.ProductReference, Platform: r.RelatesToProductReference},
		}, &r.FullProductName)
	}
	for i := first; i < len(d.Products); i++ {
		if err := p.resolveRelationship(i); err != nil {
			return err
		}
	}
	for i, g := range t.ProductGroups {
		path := fmt.Sprintf("product_tree.product_groups[%d]", i)
		if strings.TrimSpace(g.GroupID) == "" {
			p.warnf("%s.group_id: missing (group ignored)", path)
			continue
		}
		if _, dup := p.groups[g.GroupID]; dup {
			p.warnf("%s.group_id: %q defined twice; the first definition is used", path, clip(g.GroupID))
			d.Groups = append(d.Groups, ProductGroup{ID: g.GroupID, Summary: g.Summary, ProductIDs: g.ProductIDs})
			continue
		}
		for j, id := range g.ProductIDs {
			if _, ok := d.index[id]; !ok {
				p.warnf("%s.product_ids[%d]: product_id %q is not defined in product_tree", path, j, clip(id))
			}
		}
		p.groups[g.GroupID] = g.ProductIDs
		d.Groups = append(d.Groups, ProductGroup{ID: g.GroupID, Summary: g.Summary, ProductIDs: g.ProductIDs})
	}
	return nil
}

// walkBranches visits branches depth first. chain is the branch path of
// the parent; depth counts nesting levels from 1.
func (p *parser) walkBranches(bs []wireBranch, path string, chain []Branch, depth int) error {
	if len(bs) == 0 {
		return nil
	}
	if depth > p.opts.MaxBranchDepth {
		return p.errAt(path, fmt.Errorf("product_tree.branches nested deeper than %d levels", p.opts.MaxBranchDepth))
	}
	for i := range bs {
		b := &bs[i]
		bp := fmt.Sprintf("%s[%d]", path, i)
		if !branchCategories[b.Category] {
			p.warnf("%s.category: unknown branch category %q (kept)", bp, clip(b.Category))
		}
		here := append(slices.Clip(chain), Branch{Category: b.Category, Name: b.Name})
		if b.Product != nil {
			p.addProduct(Product{Field: bp + ".product", Path: here}, b.Product)
		} else if len(b.Branches) == 0 {
			p.warnf("%s: branch %q has neither product nor branches", bp, clip(b.Name))
		}
		if err := p.walkBranches(b.Branches, bp+".branches", here, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// addProduct records a product. pr carries Field, Path and Relationship.
func (p *parser) addProduct(pr Product, w *wireFullProductName) {
	d := p.doc
	pr.ID, pr.Name = w.ProductID, w.Name
	pr.Helper = convertHelper(w.Helper)
	for _, b := range pr.Path {
		switch b.Category {
		case "vendor":
			pr.Vendor = b.Name
		case "product_family":
			pr.Family = b.Name
		case "product_name":
			pr.ProductName = b.Name
		case "product_version":
			pr.Version = b.Name
		case "product_version_range":
			pr.VersionRange = b.Name
		}
	}
	if strings.TrimSpace(pr.ID) == "" {
		p.warnf("%s.product_id: missing; the product cannot be referenced (kept in Products)", pr.Field)
		d.Products = append(d.Products, pr)
		return
	}
	if j, dup := d.index[pr.ID]; dup {
		p.warnf("%s.product_id: %q is already defined at %s; references use the first definition", pr.Field, clip(pr.ID), d.Products[j].Field)
		d.Products = append(d.Products, pr)
		return
	}
	d.index[pr.ID] = len(d.Products)
	d.Products = append(d.Products, pr)
}

func convertHelper(w *wireHelper) *Helper {
	if w == nil {
		return nil
	}
	h := &Helper{
		CPE: w.CPE, PURL: w.PURL, ModelNumbers: w.ModelNumbers, SBOMURLs: w.SBOMURLs,
		SerialNumbers: w.SerialNumbers, SKUs: w.SKUs, XGenericURIs: w.XGenericURIs,
	}
	for _, fh := range w.Hashes {
		h.Hashes = append(h.Hashes, FileHashes{Filename: fh.Filename, Hashes: fh.FileHashes})
	}
	return h
}

// resolveRelationship fills the identity fields of the relationship
// product at index i from its component, following chains of
// relationships up to MaxBranchDepth links and detecting cycles.
func (p *parser) resolveRelationship(i int) error {
	d := p.doc
	pr := &d.Products[i]
	rel := pr.Relationship
	field := strings.TrimSuffix(pr.Field, ".full_product_name")
	if j, ok := d.index[pr.ID]; ok && j == i {
		p.relNames[pr.ID] = fmt.Sprintf("%s %s: %s", rel.Category, rel.Platform, pr.Name)
	}
	if _, ok := d.index[rel.Platform]; !ok {
		p.warnf("%s.relates_to_product_reference: product_id %q is not defined in product_tree", field, clip(rel.Platform))
	}
	comp := rel.Component
	seen := map[string]bool{pr.ID: true}
	for n := 0; ; n++ {
		j, ok := d.index[comp]
		if !ok {
			p.warnf("%s.product_reference: product_id %q is not defined in product_tree", field, clip(comp))
			return nil
		}
		if seen[comp] {
			return p.errAt(field+".product_reference", fmt.Errorf("relationship cycle through product_id %q", clip(comp)))
		}
		if n >= p.opts.MaxBranchDepth {
			return p.errAt(field+".product_reference", fmt.Errorf("relationships chained more than %d levels deep", p.opts.MaxBranchDepth))
		}
		seen[comp] = true
		c := &d.Products[j]
		if c.Relationship != nil {
			comp = c.Relationship.Component
			continue
		}
		p.compName[pr.ID] = c.Name
		pr.Vendor, pr.Family, pr.ProductName = c.Vendor, c.Family, c.ProductName
		pr.Version, pr.VersionRange = c.Version, c.VersionRange
		if pr.Helper == nil {
			pr.Helper = c.Helper
		}
		if pr.Vendor == "" {
			if k, ok := d.index[rel.Platform]; ok {
				pr.Vendor = d.Products[k].Vendor
			}
		}
		return nil
	}
}

// expandGroups returns product IDs followed by the members of the groups,
// without duplicates, warning (at path) about unknown groups, which are
// kept as they are so that nothing is lost. Expanded members count against
// the expansion budget.
func (p *parser) expandGroups(path string, ids, groups []string) ([]string, error) {
	if len(groups) == 0 {
		return ids, nil
	}
	out := slices.Clone(ids)
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	for i, g := range groups {
		members, ok := p.groups[g]
		if !ok {
			p.warnf("%s.group_ids[%d]: group_id %q is not defined in product_tree.product_groups (kept as is)", path, i, clip(g))
			members = []string{g}
		}
		if err := p.spend(path+".group_ids", len(members)); err != nil {
			return nil, err
		}
		for _, id := range members {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out, nil
}

// affected builds the Affected entry for product id with status s.
// field is the path of the reference, for the warning about an undefined
// product.
func (p *parser) affected(field, id string, s feeds.Status) feeds.Affected {
	a := feeds.Affected{ProductID: id, Status: s}
	pr, ok := p.doc.Product(id)
	if !ok {
		p.warnf("%s: product_id %q is not defined in product_tree (kept with its ID only)", field, clip(id))
		return a
	}
	a.Vendor = pr.Vendor
	switch {
	case pr.ProductName != "":
		a.Product = pr.ProductName
	case pr.Family != "":
		a.Product = pr.Family
	case pr.Relationship != nil && p.compName[pr.ID] != "":
		// The component's own name, not "X as a component of Y": the
		// platform is in Extra.
		a.Product = p.compName[pr.ID]
	default:
		a.Product = pr.Name
	}
	if pr.Helper != nil {
		a.PURL = pr.Helper.PURL
		a.Package = purlName(a.PURL)
		if pr.Helper.CPE != "" {
			a.CPEs = []string{pr.Helper.CPE}
		}
	}
	if pr.Version != "" {
		a.Versions = []string{pr.Version}
	}
	if pr.VersionRange != "" {
		a.Ranges = []feeds.Range{versionRange(pr.VersionRange)}
	}
	return a
}

// versionRange keeps a product_version_range exactly as published: a vers
// string ("vers:" prefix, matched case-insensitively as the vers spec
// allows for the scheme) is type VERS, anything else TEXT.
func versionRange(s string) feeds.Range {
	if len(s) >= 5 && strings.EqualFold(s[:5], "vers:") {
		return feeds.Range{Type: "VERS", Expr: s}
	}
	return feeds.Range{Type: "TEXT", Expr: s}
}

// purlName returns the package name of a package URL the way OSV names
// packages of that type: "pkg:rpm/redhat/python3.9@3.9.18-3.el9_4.5"
// gives "python3.9", golang gives the module path (namespace/name), maven
// group:artifact, npm @scope/name. It returns "" when s is not a purl with
// a name. Red Hat's product_version names are full NEVRA strings; the
// purl is where the package name is plain.
func purlName(s string) string {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), "pkg:")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 && i > strings.LastIndexByte(rest, '/') {
		rest = rest[:i]
	}
	typ, path, ok := strings.Cut(strings.Trim(rest, "/"), "/")
	if !ok || path == "" {
		return ""
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		u, err := url.PathUnescape(seg)
		if err != nil || u == "" {
			return ""
		}
		segs[i] = u
	}
	name, ns := segs[len(segs)-1], segs[:len(segs)-1]
	switch strings.ToLower(typ) {
	case "golang":
		return strings.Join(segs, "/")
	case "maven":
		if len(ns) > 0 {
			return strings.Join(ns, ".") + ":" + name
		}
	case "npm":
		if len(ns) > 0 {
			return strings.Join(ns, "/") + "/" + name
		}
	}
	return name
}
