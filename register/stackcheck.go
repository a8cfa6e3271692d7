package register

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/sigwatch/sigwatch/internal/pkgid"
	"github.com/sigwatch/sigwatch/triage"
)

// The stack check: every vendor whose products the organisation runs needs
// a group that carries that vendor's advisories ("you run FortiOS but
// nobody listens to Fortinet PSIRT"), and every package ecosystem of the
// stack (from SBOMs) needs a group that covers it (OSV for Go, say).
//
// A vendor is covered by a live group that lists it in scope.vendors, or by
// a vendor-kind group whose name starts with it ("Fortinet PSIRT"); names
// are compared through the triage alias dictionary, so "Pulse Secure"
// covers Ivanti. An aggregator (scope.vendors: [all], such as the CISA KEV
// catalogue) does not count: it carries only what is already exploited,
// not the vendor's own advisories. An ecosystem is covered by a group
// listing it (or "all") in scope.ecosystems, or by an osv channel whose URL
// names it (https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip)
// or covers every ecosystem (…/all.zip at the root).
//
// A component with a package URL of a known ecosystem is judged by its
// ecosystem; other components by vendor (taken from the CPE when the
// vendor field is empty). Components with neither are not judged.

// stackUse is what the stack runs of one vendor or ecosystem.
type stackUse struct {
	name       string   // vendor or ecosystem as first written
	components []string // component display names
}

func (c *health) stack() {
	if c.opts.Stack == nil {
		return
	}
	aliases := triage.DefaultAliases()
	if c.opts.Aliases != nil {
		aliases = *c.opts.Aliases
	}
	canonical := aliases.VendorKey()
	// Vendors are compared without the words companies add to their
	// names: "Juniper Networks" is covered by "Juniper SIRT".
	key := func(name string) string {
		words := strings.Fields(canonical(name))
		for len(words) > 1 && companyWords[words[len(words)-1]] {
			words = words[:len(words)-1]
		}
		return strings.Join(words, " ")
	}

	vendors := map[string]*stackUse{}
	ecosystems := map[string]*stackUse{}
	var vendorOrder, ecoOrder []string
	use := func(m map[string]*stackUse, order *[]string, k, name, comp string) {
		u, ok := m[k]
		if !ok {
			u = &stackUse{name: name}
			m[k] = u
			*order = append(*order, k)
		}
		u.components = append(u.components, comp)
	}
	for i := range c.opts.Stack.Components {
		comp := &c.opts.Stack.Components[i]
		if eco := componentEcosystem(comp); eco != "" {
			use(ecosystems, &ecoOrder, strings.ToLower(eco), eco, comp.DisplayName())
			continue
		}
		vendor := strings.TrimSpace(comp.Vendor)
		if vendor == "" && comp.CPE != "" {
			if cpe, err := pkgid.ParseCPE(comp.CPE); err == nil && cpe.Vendor != pkgid.Any && cpe.Vendor != pkgid.NA {
				vendor = cpe.Vendor
			}
		}
		if k := key(vendor); k != "" {
			use(vendors, &vendorOrder, k, vendor, comp.DisplayName())
		}
	}

	coveredV := map[string]bool{}
	coveredE := map[string]bool{}
	allEcosystems := false
	for i := range c.r.Groups {
		g := &c.r.Groups[i]
		if !g.Live() || g.IsAuthority() {
			continue
		}
		for _, v := range g.Scope.Vendors {
			if k := key(v); k != "" && k != "all" {
				coveredV[k] = true
			}
		}
		if g.Kind == KindVendor {
			// "Fortinet PSIRT", "Microsoft Security Response Center": the
			// leading words of the name are the vendor.
			words := nameWords(g.Name)
			for n := 1; n <= len(words) && n <= 4; n++ {
				coveredV[key(strings.Join(words[:n], " "))] = true
			}
		}
		for _, e := range g.Scope.Ecosystems {
			if strings.EqualFold(e, "all") {
				allEcosystems = true
			}
			coveredE[strings.ToLower(strings.TrimSpace(e))] = true
		}
		for _, ch := range g.Channels {
			if !strings.EqualFold(ch.Kind, "osv") {
				continue
			}
			if eco, all := osvURLEcosystem(ch.URL); all {
				allEcosystems = true
			} else if eco != "" {
				coveredE[strings.ToLower(eco)] = true
			}
		}
	}

	for _, k := range vendorOrder {
		if coveredV[k] {
			continue
		}
		u := vendors[k]
		c.add(CodeStackVendorUncovered, SeverityWarning, nil, "",
			"the stack runs %s (vendor %s) but no group carries that vendor's advisories: add its PSIRT or security advisory channel (a vendor group, or scope.vendors: [%s])",
			listSome(u.components, 3), u.name, u.name)
	}
	if allEcosystems {
		return
	}
	for _, k := range ecoOrder {
		if coveredE[k] {
			continue
		}
		u := ecosystems[k]
		c.add(CodeStackEcosystemUncovered, SeverityWarning, nil, "",
			"the stack has %s from the %s ecosystem but no group covers it: add an advisory database for it (an osv channel, or scope.ecosystems: [%s])",
			plural(len(u.components), "package", "packages"), u.name, u.name)
	}
}

// companyWords end company names without naming the company.
var companyWords = map[string]bool{"networks": true, "systems": true, "software": true, "technologies": true,
	"technology": true, "solutions": true, "group": true, "labs": true, "communications": true, "international": true}

// componentEcosystem is the component's package ecosystem: its Ecosystem
// field, else its purl's; "" for products without one.
func componentEcosystem(comp *triage.Component) string {
	if comp.Ecosystem != "" {
		return comp.Ecosystem
	}
	if comp.PURL == "" {
		return ""
	}
	p, err := pkgid.ParsePURL(comp.PURL)
	if err != nil {
		return ""
	}
	return p.Ecosystem
}

// osvURLEcosystem reads the ecosystem from an OSV export URL: the path
// segment before "all.zip" (all is true for the root all.zip).
func osvURLEcosystem(raw string) (eco string, all bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	i := slices.Index(segs, "all.zip")
	switch {
	case i == 0:
		return "", true
	case i > 0:
		eco, err := url.PathUnescape(segs[i-1])
		if err != nil {
			return "", false
		}
		return eco, false
	}
	return "", false
}

// listSome names up to n items: "a, b and 3 more".
func listSome(items []string, n int) string {
	if len(items) <= n {
		if len(items) <= 1 {
			return strings.Join(items, "")
		}
		return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
