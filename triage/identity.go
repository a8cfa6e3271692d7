package triage

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// MatchMethod says how an advisory was tied to a component. The CLI
// reports it as the match "confidence": purl is the strongest evidence,
// text the weakest.
type MatchMethod string

// Match methods, from the most to the least specific.
const (
	// MethodPURL: the advisory names the same package (purl, or ecosystem
	// and package name).
	MethodPURL MatchMethod = "purl"
	// MethodCPE: a CPE 2.3 name of the advisory matches the component's.
	MethodCPE MatchMethod = "cpe"
	// MethodName: vendor and product names match after normalisation and
	// alias resolution.
	MethodName MatchMethod = "name"
	// MethodText: the component is only mentioned in the advisory's text
	// or a feed item's title; a person must confirm.
	MethodText MatchMethod = "text"
)

func (m MatchMethod) rank() int {
	switch m {
	case MethodPURL:
		return 4
	case MethodCPE:
		return 3
	case MethodName:
		return 2
	case MethodText:
		return 1
	}
	return 0
}

// Confidence grades an identity match.
type Confidence string

// Confidence values.
const (
	// ConfidenceHigh: vendor and product are the same after normalisation
	// and alias resolution.
	ConfidenceHigh Confidence = "high"
	// ConfidenceMedium: the names overlap (one product name is contained in
	// the other); a person should confirm.
	ConfidenceMedium Confidence = "medium"
	// ConfidenceLow: only the vendor matches (the advisory names "Multiple
	// Products" or no product); a person must confirm.
	ConfidenceLow Confidence = "low"
)

func (c Confidence) rank() int {
	switch c {
	case ConfidenceHigh:
		return 3
	case ConfidenceMedium:
		return 2
	case ConfidenceLow:
		return 1
	}
	return 0
}

// AtLeast reports whether c is as confident as min. The empty min is satisfied by anything.
func (c Confidence) AtLeast(min Confidence) bool { return c.rank() >= min.rank() }

// Aliases maps alternative vendor and product names to canonical ones, so
// that "Application Delivery Controller (ADC)" and "NetScaler ADC" are the
// same product and "Chromium V8" is Chrome. Names are compared after
// normalisation (lower case, punctuation to spaces, corporate suffixes
// dropped); an alias ending in " *" matches any name that starts with the
// words before it.
type Aliases struct {
	// Vendors maps a canonical vendor name to its other names.
	Vendors map[string][]string `yaml:"vendors,omitempty" json:"vendors,omitempty"`
	// Products maps a canonical vendor name to a map from canonical product
	// name to the product's other names.
	Products map[string]map[string][]string `yaml:"products,omitempty" json:"products,omitempty"`
}

// DefaultAliases returns the alias dictionary that ships with sigwatch,
// covering names that CISA KEV and vendors write in several ways. The result
// is a fresh copy that callers may extend.
func DefaultAliases() Aliases {
	return Aliases{
		Vendors: map[string][]string{
			"citrix":             {"netscaler", "cloud software group", "citrix systems"},
			"palo alto networks": {"paloaltonetworks", "palo alto"},
			"ivanti":             {"pulse secure", "pulsesecure", "mobileiron"},
			"vmware":             {"broadcom vmware"},
			"linux":              {"linux kernel", "kernel org"},
			"check point":        {"checkpoint", "check point software technologies"},
			"osgeo":              {"geoserver", "open source geospatial foundation"},
		},
		Products: map[string]map[string][]string{
			"citrix": {
				"netscaler adc": {"application delivery controller adc", "application delivery controller", "citrix adc", "adc",
					"netscaler application delivery controller", "citrix application delivery controller"},
				"netscaler gateway": {"citrix gateway", "gateway"},
			},
			"google": {
				"chrome": {"chromium", "chromium *", "google chrome"},
			},
			"atlassian": {
				// Server and Data Center are one code base; Atlassian's
				// advisories always cover both.
				"confluence data center": {"confluence server", "confluence server and data center", "confluence data center and server"},
				"jira data center":       {"jira server", "jira server and data center"},
			},
			"php": {
				"php": {"fastcgi process manager fpm", "php fpm", "fpm"},
			},
			"ivanti": {
				"connect secure":          {"pulse connect secure", "ivanti connect secure", "ics"},
				"policy secure":           {"pulse policy secure"},
				"endpoint manager mobile": {"endpoint manager mobile epmm", "epmm", "mobileiron core"},
			},
			"microsoft": {
				// Editions stay distinct (Windows Server 2022 is not Windows 11):
				// an advisory that says only "Windows" is broader than an
				// edition, a low-confidence match for a person to confirm.
				"windows":         {"win32k", "windows kernel", "microsoft windows"},
				"exchange server": {"exchange"},
			},
			"linux": {
				"kernel": {"linux kernel", "linux"},
			},
			"fortinet": {
				"fortios": {"fortios ssl vpn", "fortigate"},
			},
		},
	}
}

// Merge returns a copy of a with every alias of b added.
func (a Aliases) Merge(b Aliases) Aliases {
	out := Aliases{Vendors: map[string][]string{}, Products: map[string]map[string][]string{}}
	for _, src := range []Aliases{a, b} {
		for k, v := range src.Vendors {
			out.Vendors[k] = append(out.Vendors[k], v...)
		}
		for vendor, prods := range src.Products {
			if out.Products[vendor] == nil {
				out.Products[vendor] = map[string][]string{}
			}
			for k, v := range prods {
				out.Products[vendor][k] = append(out.Products[vendor][k], v...)
			}
		}
	}
	return out
}

// VendorKey returns a function that maps a vendor name to a key through
// the dictionary: normalised (case, punctuation, corporate suffixes) and
// resolved to its canonical name, so "Pulse Secure, LLC" and "Ivanti" give
// the same key. Two names are the same vendor when their keys are equal.
// The function is safe for concurrent use.
func (a Aliases) VendorKey() func(name string) string {
	t := compileAliases(a)
	return func(name string) string { return t.canonicalVendor(normalizeVendor(name)) }
}

// aliasTable is the compiled, normalised form of Aliases.
type aliasTable struct {
	vendor   map[string]string            // normalised name → canonical
	vendorW  []wildcard                   // prefix aliases
	product  map[string]map[string]string // canonical vendor → normalised name → canonical
	productW map[string][]wildcard
}

type wildcard struct{ prefix, canonical string }

func compileAliases(a Aliases) *aliasTable {
	t := &aliasTable{vendor: map[string]string{}, product: map[string]map[string]string{}, productW: map[string][]wildcard{}}
	for canon, names := range a.Vendors {
		c := normalizeVendor(canon)
		t.vendor[c] = c
		for _, n := range names {
			if p, ok := strings.CutSuffix(strings.TrimSpace(n), " *"); ok {
				t.vendorW = append(t.vendorW, wildcard{normalizeVendor(p), c})
				continue
			}
			t.vendor[normalizeVendor(n)] = c
		}
	}
	for vendor, prods := range a.Products {
		v := t.canonicalVendor(normalizeVendor(vendor))
		if t.product[v] == nil {
			t.product[v] = map[string]string{}
		}
		for canon, names := range prods {
			c := normalizeName(canon)
			t.product[v][c] = c
			for _, n := range names {
				if p, ok := strings.CutSuffix(strings.TrimSpace(n), " *"); ok {
					t.productW[v] = append(t.productW[v], wildcard{normalizeName(p), c})
					continue
				}
				t.product[v][normalizeName(n)] = c
			}
		}
	}
	// Longest prefixes first, so the most specific wildcard wins.
	byLen := func(a, b wildcard) int { return len(b.prefix) - len(a.prefix) }
	slices.SortFunc(t.vendorW, byLen)
	for v := range t.productW {
		slices.SortFunc(t.productW[v], byLen)
	}
	return t
}

func (t *aliasTable) canonicalVendor(n string) string {
	if c, ok := t.vendor[n]; ok {
		return c
	}
	for _, w := range t.vendorW {
		if n == w.prefix || strings.HasPrefix(n, w.prefix+" ") {
			return w.canonical
		}
	}
	return n
}

func (t *aliasTable) canonicalProduct(vendor, n string) string {
	if c, ok := t.product[vendor][n]; ok {
		return c
	}
	for _, w := range t.productW[vendor] {
		if strings.HasPrefix(n, w.prefix+" ") {
			return w.canonical
		}
	}
	return n
}

// corporate suffixes dropped from vendor names.
var vendorSuffixes = map[string]bool{
	"inc": true, "incorporated": true, "corp": true, "corporation": true, "co": true,
	"company": true, "ltd": true, "limited": true, "llc": true, "gmbh": true, "ag": true,
	"sa": true, "plc": true, "bv": true, "nv": true, "oy": true, "ab": true, "srl": true,
}

// normalizeName lower-cases s, turns every run of non-letters/digits into one
// space and trims. "NetScaler ADC & Gateway " → "netscaler adc gateway".
func normalizeName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// normalizeVendor is normalizeName without trailing corporate suffixes and a
// leading "the".
func normalizeVendor(s string) string {
	words := strings.Fields(normalizeName(s))
	for len(words) > 1 && vendorSuffixes[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	if len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

// splitProductList splits a product field written as a list in prose
// ("FortiOS and FortiProxy SSL-VPN", "ASA, FTD, and IOS") into normalised
// items. The whole string is not among the items.
func splitProductList(s string) []string {
	// Parentheses hold abbreviations ("Application Delivery Controller (ADC)"),
	// which normalisation keeps as a trailing word; separators are
	// commas, slashes, ampersands and the word "and".
	s = strings.NewReplacer(",", "|", "/", "|", "&", "|", ";", "|").Replace(s)
	// A part that starts with a version-like word qualifies the previous
	// one ("Windows Server 2022, 23H2 Edition"): it is not a new item.
	var parts []string
	for part := range strings.SplitSeq(s, "|") {
		first, _, _ := strings.Cut(strings.TrimSpace(part), " ")
		if len(parts) > 0 && strings.ContainsAny(first, "0123456789") {
			parts[len(parts)-1] += " " + part
			continue
		}
		parts = append(parts, part)
	}
	var items []string
	for _, part := range parts {
		words := strings.Fields(normalizeName(part))
		start := 0
		for i, w := range words {
			if w == "and" {
				if i > start {
					items = append(items, strings.Join(words[start:i], " "))
				}
				start = i + 1
			}
		}
		if start < len(words) {
			items = append(items, strings.Join(words[start:], " "))
		}
	}
	// Prose lists distribute the product name: "Confluence Data Center and
	// Server" is Confluence Data Center and Confluence Server; "NetScaler
	// ADC and Gateway" includes NetScaler Gateway. An item made only of
	// generic words gets the first item's first word as well.
	if len(items) > 1 {
		head, _, _ := strings.Cut(items[0], " ")
		if !weakWords[head] {
			for _, it := range items[1:] {
				if !slices.ContainsFunc(strings.Fields(it), func(w string) bool { return !weakWords[w] }) {
					items = append(items, head+" "+it)
				}
			}
		}
	}
	return items
}

// genericWords carry no identity at all; they are ignored when one product
// name is tested for containment in another.
var genericWords = map[string]bool{"and": true, "the": true, "software": true, "for": true, "of": true}

// weakWords name a kind of thing rather than a product. A name made only of
// them ("Server", "Gateway", "Data Center") is never matched by containment:
// "Confluence Data Center and Server" must not match "Jira Server".
var weakWords = map[string]bool{
	"server": true, "servers": true, "gateway": true, "client": true, "appliance": true,
	"appliances": true, "data": true, "center": true, "cloud": true, "service": true,
	"services": true, "edition": true, "enterprise": true, "web": true, "ui": true,
	"api": true, "series": true, "router": true, "routers": true, "switch": true,
	"switches": true, "product": true, "products": true, "platform": true,
	"management": true, "manager": true, "console": true, "agent": true, "ssl": true, "vpn": true,
}

func significantWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		if !genericWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// containsWords reports whether every significant word of small occurs in big,
// in order and contiguously ("ios xe" in "ios and ios xe": yes; "ios xe" in
// "ios xr": no).
func containsWords(big, small string) bool {
	b, s := significantWords(big), significantWords(small)
	if len(s) == 0 || len(s) > len(b) || !slices.ContainsFunc(s, func(w string) bool { return !weakWords[w] }) {
		return false
	}
	for i := 0; i+len(s) <= len(b); i++ {
		if slices.Equal(b[i:i+len(s)], s) {
			return true
		}
	}
	return false
}

// vendorsMatch reports whether two canonical vendor names denote the same
// vendor: equal, or one is the other plus trailing words ("palo alto" and
// "palo alto networks").
func vendorsMatch(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	return strings.HasPrefix(a, b+" ") || strings.HasPrefix(b, a+" ")
}

// multipleProducts reports whether a product field names no specific product.
func multipleProducts(n string) bool {
	switch n {
	case "", "multiple products", "multiple", "various", "all products", "n a", "na":
		return true
	}
	return strings.HasSuffix(n, " multiple products")
}

// identity is a compiled vendor/product name pair.
type identity struct {
	vendor  string   // canonical vendor
	product string   // canonical product (whole string)
	items   []string // canonical product list items
}

func (t *aliasTable) identityOf(vendor, product string) identity {
	v := t.canonicalVendor(normalizeVendor(vendor))
	id := identity{vendor: v, product: t.canonicalProduct(v, normalizeName(product))}
	for _, it := range splitProductList(product) {
		id.items = append(id.items, t.canonicalProduct(v, it))
	}
	return id
}

// matchIdentity compares an advisory's vendor/product with a component's and
// returns the confidence (empty for no match) and a reason.
func matchIdentity(adv, comp identity) (Confidence, string) {
	if !vendorsMatch(adv.vendor, comp.vendor) {
		return "", ""
	}
	switch {
	case comp.product == "":
		return "", ""
	case adv.product == comp.product:
		return ConfidenceHigh, "same vendor and product"
	case slices.Contains(adv.items, comp.product):
		return ConfidenceHigh, "product is one of those the advisory lists"
	case multipleProducts(adv.product):
		return ConfidenceLow, "vendor matches; the advisory names no specific product"
	}
	if singular(adv.product) == singular(comp.product) {
		return ConfidenceHigh, "same vendor and product (singular and plural)"
	}
	for _, it := range adv.items {
		if containsWords(it, comp.product) {
			// "FortiOS" in "FortiOS SSL-VPN" is the product; "IOS" in "IOS
			// XE Software" or "Junos OS" in "Junos OS Evolved" is another.
			if extra := extraWords(it, comp.product); len(extra) > 0 {
				return ConfidenceLow, fmt.Sprintf("product name is part of the advisory's product %s, which adds %s", quote(it), quote(strings.Join(extra, " ")))
			}
			return ConfidenceMedium, "product name is contained in the advisory's product " + quote(it)
		}
	}
	// The advisory names something broader than the component ("IOS
	// Software" for IOS XE Software, "Confluence" for Confluence Server,
	// a brand such as "NetScaler"): real tools' false positives come from
	// here, so a person must confirm.
	for _, it := range adv.items {
		if containsWords(comp.product, it) {
			return ConfidenceLow, "the advisory's product " + quote(it) + " is broader than the component's product name"
		}
	}
	return "", ""
}

// editionWords turn a product name into the name of another product
// ("IOS" → "IOS XE", "Junos OS" → "Junos OS Evolved", "Chrome" → "Chrome
// OS", "Jira Software" → "Jira Service Management"). Other extra words
// usually name a part of the product ("Jenkins CLI", "FortiOS SSL-VPN").
var editionWords = map[string]bool{
	"xe": true, "xr": true, "nx": true, "os": true, "evolved": true, "service": true,
	"mobile": true, "lite": true, "express": true,
}

// isEditionCode reports whether w mixes digits and letters, as release
// codes do ("23h2", "r81"): a product named with one is another edition.
func isEditionCode(w string) bool {
	return strings.ContainsAny(w, "0123456789") && strings.Trim(w, "0123456789") != ""
}

// extraWords returns the words of big, beyond those of small, that make it
// another product (editionWords).
func extraWords(big, small string) []string {
	have := map[string]bool{}
	for _, w := range strings.Fields(small) {
		have[w] = true
	}
	var out []string
	for _, w := range strings.Fields(big) {
		if !have[w] && (editionWords[w] || isEditionCode(w)) {
			out = append(out, w)
		}
	}
	return out
}

// singular drops a plural "s" from every word of a normalised name
// ("quantum security gateways" → "quantum security gateway").
func singular(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") {
			words[i] = w[:len(w)-1]
		}
	}
	return strings.Join(words, " ")
}

func quote(s string) string { return "\u201c" + s + "\u201d" }
