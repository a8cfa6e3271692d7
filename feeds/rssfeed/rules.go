package rssfeed

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Item fields an [ItemRule] can look for an advisory ID in.
const (
	FieldTitle = "title"
	FieldGUID  = "guid" // RSS guid, Atom id, JSON Feed id, RDF rdf:about
	FieldLink  = "link" // the item's link as published (before tracking parameters are stripped)
)

// ItemRule recognises one publisher's advisories among feed items and reads
// the hints their titles and links carry. Rules are data (strings and maps)
// so that they can be loaded from configuration; patterns use RE2 syntax
// (package regexp) and are compiled when a feed is parsed: an invalid
// pattern makes Parse and Fetch fail with an error naming the rule.
//
// A rule applies to an item when IDPattern matches one of the IDIn fields.
// Its other patterns are then applied to the item's title and link. Every
// value they yield is a hint kept as text: see the package documentation.
type ItemRule struct {
	// Name identifies the rule in errors and in the "rss.rule" Extra value
	// ("amazon-alas"). Required.
	Name string `json:"name"`
	// IDPattern finds the publisher's advisory ID. The ID is the submatch
	// named "id", else submatch 1, else the whole match. Required.
	IDPattern string `json:"idPattern"`
	// IDIn lists the fields IDPattern is tried on, in order: FieldTitle,
	// FieldGUID, FieldLink. Optional: empty means all three in that order.
	IDIn []string `json:"idIn,omitempty"`
	// SeverityPattern is matched against the title; submatch 1 is the
	// publisher's severity word ("important"), mapped as described in the
	// package documentation. Optional.
	SeverityPattern string `json:"severityPattern,omitempty"`
	// PackagePattern is matched against the title; submatch 1 is the
	// package name, or a list of names when PackageSeparator is set.
	// Optional.
	PackagePattern string `json:"packagePattern,omitempty"`
	// PackageSeparator splits the PackagePattern submatch into several
	// packages (", " for Amazon's "stunnel, amazon-efs-utils"). Optional.
	PackageSeparator string `json:"packageSeparator,omitempty"`
	// ProductPattern is matched against the title; submatch 1 is a product
	// name. Optional.
	ProductPattern string `json:"productPattern,omitempty"`
	// LinkProducts maps a path segment of the item link to a product name
	// ("AL2" → "Amazon Linux 2"). The first segment of the path that is a
	// key wins. Optional.
	LinkProducts map[string]string `json:"linkProducts,omitempty"`
	// Vendor, Product and Ecosystem fill the affected-product hint when the
	// title and link give nothing more specific. Optional; an empty Vendor
	// falls back to the Preset's or Options' Vendor.
	Vendor    string `json:"vendor,omitempty"`
	Product   string `json:"product,omitempty"`
	Ecosystem string `json:"ecosystem,omitempty"`
}

// compiledRule is an ItemRule with its patterns compiled.
type compiledRule struct {
	ItemRule
	id, severity, pkg, product *regexp.Regexp
	idGroup                    int
	in                         []string
}

func compileRule(r ItemRule) (*compiledRule, error) {
	if strings.TrimSpace(r.Name) == "" {
		return nil, fmt.Errorf("rssfeed: item rule with IDPattern %q has no name", r.IDPattern)
	}
	if r.IDPattern == "" {
		return nil, fmt.Errorf("rssfeed: item rule %q: IDPattern is required", r.Name)
	}
	c := &compiledRule{ItemRule: r, in: r.IDIn}
	if len(c.in) == 0 {
		c.in = []string{FieldTitle, FieldGUID, FieldLink}
	}
	for _, f := range c.in {
		if f != FieldTitle && f != FieldGUID && f != FieldLink {
			return nil, fmt.Errorf("rssfeed: item rule %q: IDIn: unknown field %q (want title, guid or link)", r.Name, f)
		}
	}
	var err error
	for _, p := range []struct {
		field string
		src   string
		dst   **regexp.Regexp
		group bool
	}{
		{"IDPattern", r.IDPattern, &c.id, false},
		{"SeverityPattern", r.SeverityPattern, &c.severity, true},
		{"PackagePattern", r.PackagePattern, &c.pkg, true},
		{"ProductPattern", r.ProductPattern, &c.product, true},
	} {
		if p.src == "" {
			continue
		}
		if *p.dst, err = regexp.Compile(p.src); err != nil {
			return nil, fmt.Errorf("rssfeed: item rule %q: %s: %w", r.Name, p.field, err)
		}
		if p.group && (*p.dst).NumSubexp() < 1 {
			return nil, fmt.Errorf("rssfeed: item rule %q: %s %q needs a capturing group", r.Name, p.field, p.src)
		}
	}
	c.idGroup = c.id.SubexpIndex("id")
	if c.idGroup < 0 && c.id.NumSubexp() >= 1 {
		c.idGroup = 1
	}
	if c.idGroup < 0 {
		c.idGroup = 0
	}
	return c, nil
}

// matchID returns the advisory ID the rule finds in the item, or "".
func (c *compiledRule) matchID(title, guid, link string) string {
	for _, f := range c.in {
		var s string
		switch f {
		case FieldTitle:
			s = title
		case FieldGUID:
			s = guid
		case FieldLink:
			s = link
		}
		if m := c.id.FindStringSubmatch(s); m != nil && m[c.idGroup] != "" {
			return m[c.idGroup]
		}
	}
	return ""
}

// BuiltinRules returns the rules Parse applies to every feed: they
// recognise the advisory IDs of Amazon Linux (ALAS), Ubuntu (USN), Debian
// (DSA, DLA), GitHub (GHSA), Cisco (cisco-sa), Fortinet (FG-IR) and Palo
// Alto Networks (PAN-SA) in item titles and links. Title patterns are
// anchored at the start of the title and link patterns match a whole path
// segment, so a news item that merely mentions an advisory is not taken for
// it. Each call returns a new slice.
func BuiltinRules() []ItemRule {
	return []ItemRule{
		{
			Name: "amazon-alas",
			// "ALAS-2018-1106 (medium): 389-ds-base", also ALAS2-… and ALAS2023-….
			IDPattern:        `^\s*(ALAS[0-9A-Z]*-\d{4}-\d+)\b`,
			IDIn:             []string{FieldTitle},
			SeverityPattern:  `^\s*ALAS[0-9A-Z]*-\d{4}-\d+ \((\w+)\)`,
			PackagePattern:   `^\s*ALAS[0-9A-Z]*-\d{4}-\d+ \(\w+\): (.+?)\s*$`,
			PackageSeparator: ",",
			LinkProducts: map[string]string{
				"AL2":      "Amazon Linux 2",
				"AL2022":   "Amazon Linux 2022",
				"AL2023":   "Amazon Linux 2023",
				"ALAMI":    "Amazon Linux AMI",
				"AL1":      "Amazon Linux AMI",
				"ALAS2":    "Amazon Linux 2",
				"ALAS2023": "Amazon Linux 2023",
			},
			Vendor: "Amazon",
		},
		{
			Name: "ubuntu-usn",
			// "USN-4504-1: OpenSSL vulnerabilities"
			IDPattern:      `^\s*(USN-\d+-\d+)\b`,
			IDIn:           []string{FieldTitle},
			PackagePattern: `^\s*USN-\d+-\d+:\s*(.+?)\s+(?:vulnerabilit(?:y|ies)|regressions?|updates?)\b`,
			Vendor:         "Canonical",
			Product:        "Ubuntu",
		},
		{
			Name: "debian-dsa",
			// "DSA-5500-1 chromium - security update", also DLA-….
			IDPattern:      `^\s*((?:DSA|DLA)-\d+(?:-\d+)?)\b`,
			IDIn:           []string{FieldTitle},
			PackagePattern: `^\s*(?:DSA|DLA)-\d+(?:-\d+)? ([A-Za-z0-9][A-Za-z0-9.+~-]*)\b`,
			Vendor:         "Debian",
			Product:        "Debian",
		},
		{
			Name: "github-ghsa",
			// https://github.com/advisories/GHSA-hqjg-pww4-pcgq; package in
			// brackets at the start of the title.
			IDPattern:      `(?:^|/)(GHSA(?:-[0-9a-zA-Z]{4}){3})(?:$|[/?#.])`,
			IDIn:           []string{FieldGUID, FieldLink},
			PackagePattern: `^\s*\[([^\]]+)\]`,
		},
		{
			Name: "cisco-psirt",
			// …/CiscoSecurityAdvisory/cisco-sa-iosxe-webui-privesc-j22SaA4z?vs_f=…
			IDPattern: `(?:^|/)(cisco-sa-[0-9A-Za-z][0-9A-Za-z_-]*)(?:$|[/?#.])`,
			IDIn:      []string{FieldGUID, FieldLink},
			Vendor:    "Cisco",
		},
		{
			Name: "fortinet-psirt",
			// https://fortiguard.fortinet.com/psirt/FG-IR-24-015
			IDPattern: `(?:^|/)(FG-IR-\d{2}-\d+)(?:$|[/?#.])`,
			IDIn:      []string{FieldGUID, FieldLink},
			Vendor:    "Fortinet",
		},
		{
			Name: "paloalto-psirt",
			// https://security.paloaltonetworks.com/PAN-SA-2024-0001
			IDPattern: `(?:^|/)(PAN-SA-\d{4}-\d+)(?:$|[/?#.])`,
			IDIn:      []string{FieldGUID, FieldLink},
			Vendor:    "Palo Alto Networks",
		},
	}
}

// builtinCompiled returns BuiltinRules compiled once; the result is never
// modified.
var builtinCompiled = sync.OnceValue(func() []*compiledRule {
	var out []*compiledRule
	for _, r := range BuiltinRules() {
		c, err := compileRule(r)
		if err != nil {
			panic(err) // a bug in BuiltinRules, caught by the tests
		}
		out = append(out, c)
	}
	return out
})
