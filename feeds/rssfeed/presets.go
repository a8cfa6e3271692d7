package rssfeed

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// DefaultPreset is the preset a user who asks for "the NCSC feed" wants:
// all NCSC content.
const DefaultPreset = "ncsc-all"

// Preset describes a known public feed: where it is and how to read its
// items. Presets are plain data; [Presets] returns fresh copies that the
// caller may modify and pass to [New] through Options.Preset.
type Preset struct {
	// Name identifies the preset ("ncsc-all") and is the default source name.
	Name string `json:"name"`
	// Title is a human-readable description.
	Title string `json:"title"`
	// URL is the feed's address.
	URL string `json:"url"`
	// Publisher is written to Advisory.Publisher.
	Publisher string `json:"publisher"`
	// Vendor is the vendor of the affected-product hints (see the package
	// documentation); empty for CERT feeds that cover many vendors.
	Vendor string `json:"vendor,omitempty"`
	// Rules recognise the publisher's advisory IDs and hints; they are
	// tried before the built-in rules.
	Rules []ItemRule `json:"rules,omitempty"`
	// Verified reports whether the item structure has been checked against
	// a captured copy of the feed. Unverified presets are built from the
	// publisher's documentation and third-party notes.
	Verified bool `json:"verified"`
	// Notes say what is known and unknown about the feed.
	Notes string `json:"notes,omitempty"`
}

// builtinRule returns the built-in rule with the given name.
func builtinRule(name string) ItemRule {
	for _, r := range BuiltinRules() {
		if r.Name == name {
			return r
		}
	}
	panic("rssfeed: no built-in rule " + name) // a bug, caught by the tests
}

// parseOptions returns the options that parse the preset's feed.
func (p *Preset) parseOptions() ParseOptions {
	return ParseOptions{
		SourceName: p.Name,
		Publisher:  p.Publisher,
		Vendor:     p.Vendor,
		Rules:      p.Rules,
	}
}

// Presets returns the built-in presets sorted by name. Each call returns
// new values.
func Presets() []Preset {
	ps := presets()
	slices.SortFunc(ps, func(a, b Preset) int { return strings.Compare(a.Name, b.Name) })
	return ps
}

// LookupPreset returns the built-in preset with the given name.
func LookupPreset(name string) (Preset, bool) {
	for _, p := range presets() {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}

// PresetNames returns the names of the built-in presets, sorted.
func PresetNames() []string {
	var out []string
	for _, p := range Presets() {
		out = append(out, p.Name)
	}
	return out
}

// FromPreset returns a Source for the built-in preset name. opts may set
// the name, URL (a mirror), HTTP client and limits; its Preset field is
// replaced. An unknown name is an error listing the known ones.
func FromPreset(name string, opts *Options) (*Source, error) {
	p, ok := LookupPreset(name)
	if !ok {
		return nil, fmt.Errorf("rssfeed: unknown preset %q (known: %s)", name, strings.Join(PresetNames(), ", "))
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	o.Preset = &p
	return New(&o), nil
}

const (
	ncscPublisher = "UK National Cyber Security Centre (NCSC)"
	ncscNotes     = "Unverified: no captured copy of any NCSC feed exists; the URL comes from third-party " +
		"configurations and the structure (plain RSS 2.0, links to /news/, /report/, /blog-post/ or " +
		"/guidance/, guid presence unknown) is assumed. Items rarely name products or versions: " +
		"route them through text matching."
	unverified = "Unverified: built from a description of the feed's structure, not from a captured copy (none was available); `sigwatch feeds fetch NAME` shows what the live feed sends."
)

// presets builds the preset list. NCSC's alerts feed
// (…/alerts-rss-feed.xml) is deliberately absent: it answered HTTP 404
// with an HTML body in a third-party validation log, and NCSC publishes
// alerts in the all-content and news feeds.
func presets() []Preset {
	alas := builtinRule("amazon-alas")
	ghsa := func(eco, osvEco, title string) Preset {
		r := builtinRule("github-ghsa")
		r.Name = "ghsa-azu-" + eco
		r.Ecosystem = osvEco
		return Preset{
			Name:      "ghsa-azu-" + eco,
			Title:     "GitHub reviewed advisories for " + title + " (Atom by azu/github-advisory-database-rss)",
			URL:       "https://azu.github.io/github-advisory-database-rss/" + eco + ".rss",
			Publisher: "GitHub",
			Rules:     []ItemRule{r},
			Verified:  true,
			Notes: "Third-party Atom feed generated from the GitHub Advisory Database (GitHub has no " +
				"official advisory feed). One advisory appears once per affected package and version " +
				"range; entries with the same ID are merged.",
		}
	}
	al := func(name, path, product, title string, verified bool, notes string) Preset {
		r := alas
		r.Name = name
		r.Product = product
		r.LinkProducts = maps.Clone(alas.LinkProducts)
		return Preset{
			Name:      name,
			Title:     title,
			URL:       "https://alas.aws.amazon.com/" + path + "alas.rss",
			Publisher: "Amazon Web Services",
			Vendor:    "Amazon",
			Rules:     []ItemRule{r},
			Verified:  verified,
			Notes:     notes,
		}
	}
	ncsc := func(name, file, title string) Preset {
		return Preset{
			Name:      name,
			Title:     title,
			URL:       "https://www.ncsc.gov.uk/api/1/services/v1/" + file,
			Publisher: ncscPublisher,
			Notes:     ncscNotes,
		}
	}
	return []Preset{
		ncsc("ncsc-all", "all-rss-feed.xml", "UK NCSC: all content (news, reports, blog posts, guidance)"),
		ncsc("ncsc-news", "news-rss-feed.xml", "UK NCSC: news"),
		ncsc("ncsc-reports", "report-rss-feed.xml", "UK NCSC: reports, including Weekly Threat Reports (reported to lag the all-content feed)"),
		ncsc("ncsc-blog", "blog-post-rss-feed.xml", "UK NCSC: blog posts"),
		ncsc("ncsc-guidance", "guidance-rss-feed.xml", "UK NCSC: guidance"),
		{
			Name:      "msrc",
			Title:     "Microsoft Security Response Center: Security Update Guide",
			URL:       "https://api.msrc.microsoft.com/update-guide/rss",
			Publisher: "Microsoft Security Response Center",
			Vendor:    "Microsoft",
			Rules: []ItemRule{{
				Name:      "msrc",
				IDPattern: `(?i)^\s*(CVE-\d{4}-\d{4,})\s*$`,
				IDIn:      []string{FieldGUID},
				// "CVE-2024-21413 Microsoft Outlook: Remote Code Execution Vulnerability"
				ProductPattern: `(?i)^\s*CVE-\d{4}-\d{4,}\s+([^:]+?)\s*:`,
				Vendor:         "Microsoft",
			}},
			Notes: unverified + " Items carry a Revision attribute (kept in Extra), a bare CVE ID as " +
				"guid (isPermaLink=false), Markdown descriptions and local offsets (-0700); " +
				"one project reported about 4,700 items per fetch.",
		},
		{
			Name:      "cisco-psirt",
			Title:     "Cisco PSIRT security advisories",
			URL:       "https://tools.cisco.com/security/center/psirtrss20/CiscoSecurityAdvisory.xml",
			Publisher: "Cisco PSIRT",
			Vendor:    "Cisco",
			Rules:     []ItemRule{builtinRule("cisco-psirt")},
			Notes: unverified + " Links carry vs_f, vs_cat, vs_type, vs_p and vs_k tracking parameters, " +
				"stripped before the link is used. Cisco also lists CSAF documents in an RSS " +
				"(…/security/center/csaf_20.xml): read those with the CSAF adapter.",
		},
		{
			Name:      "fortinet-psirt",
			Title:     "Fortinet PSIRT advisories (FortiGuard)",
			URL:       "https://filestore.fortinet.com/fortiguard/rss/ir.xml",
			Publisher: "Fortinet PSIRT",
			Vendor:    "Fortinet",
			Rules:     []ItemRule{builtinRule("fortinet-psirt")},
			Notes:     unverified + " The advisory ID FG-IR-YY-NNN ends the link. Fortinet also publishes CSAF.",
		},
		{
			Name:      "paloalto-psirt",
			Title:     "Palo Alto Networks security advisories",
			URL:       "https://security.paloaltonetworks.com/rss.xml",
			Publisher: "Palo Alto Networks PSIRT",
			Vendor:    "Palo Alto Networks",
			Rules: []ItemRule{
				builtinRule("paloalto-psirt"),
				{
					// Advisories about one CVE live at /CVE-YYYY-NNNN.
					Name:      "paloalto-cve",
					IDPattern: `(?i)^https?://security\.paloaltonetworks\.com/(CVE-\d{4}-\d{4,})(?:$|[/?#])`,
					IDIn:      []string{FieldGUID, FieldLink},
					Vendor:    "Palo Alto Networks",
				},
			},
			Notes: "Unverified: nothing captured; IDs are read from PAN-SA-… and CVE-… link paths.",
		},
		{
			Name:      "ubuntu-usn",
			Title:     "Ubuntu Security Notices",
			URL:       "https://ubuntu.com/security/notices/rss.xml",
			Publisher: "Canonical",
			Vendor:    "Canonical",
			Rules:     []ItemRule{builtinRule("ubuntu-usn")},
			Notes: unverified + " Titles start with the USN ID (\"USN-4504-1: …\"); the guid " +
				"(isPermaLink=false) holds the notice URL; CVEs appear in parentheses in the text.",
		},
		{
			Name:      "debian-dsa",
			Title:     "Debian Security Advisories (DSA)",
			URL:       "https://www.debian.org/security/dsa.rdf",
			Publisher: "Debian Security Team",
			Vendor:    "Debian",
			Rules:     []ItemRule{builtinRule("debian-dsa")},
			Notes: "RSS 1.0, the same generator as the captured Debian News feed " +
				"(testdata/debian-news-rss1.0.rdf); the DSA feed itself was not captured.",
		},
		{
			Name:      "debian-dsa-long",
			Title:     "Debian Security Advisories (DSA) with full text",
			URL:       "https://www.debian.org/security/dsa-long.rdf",
			Publisher: "Debian Security Team",
			Vendor:    "Debian",
			Rules:     []ItemRule{builtinRule("debian-dsa")},
			Notes:     "As debian-dsa, with the advisory text in the description; not captured either.",
		},
		al("amazon-al2", "AL2/", "Amazon Linux 2", "Amazon Linux 2 security bulletins (ALAS)", true,
			"Captured sample (2018, 97 items). The channel title says \"Amazon Linux AMI\" even "+
				"for AL2: the product comes from the link path (/AL2/)."),
		al("amazon-al2023", "AL2023/", "Amazon Linux 2023", "Amazon Linux 2023 security bulletins (ALAS)", true,
			"Captured sample (one item, 2023); items carry a <lastBuildDate>, which is ignored."),
		al("amazon-linux-ami", "", "Amazon Linux AMI", "Amazon Linux AMI (AL1) security bulletins (ALAS)", false,
			"Same generator as the captured AL2 and AL2023 feeds; this URL itself was not captured."),
		ghsa("npm", "npm", "npm"),
		ghsa("go", "Go", "Go modules"),
		ghsa("maven", "Maven", "Maven"),
	}
}
