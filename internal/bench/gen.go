package main

// The synthetic world: a stack of components and advisories in the real
// KEV and OSV wire formats, deterministic from a seed, with a known share
// of advisories planted to match the stack.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/triage"
)

// Expect is what triage must find for one advisory.
type Expect int

const (
	// ExpectMiss: the advisory names nothing in the stack (no match).
	ExpectMiss Expect = iota
	// ExpectHit: it names a component whose installed version it affects
	// (OSV: affected) or cannot tell (KEV, no versions: needs_review).
	ExpectHit
	// ExpectFixed: it names a component already at or past the fix
	// (OSV only): matched, but neither affected nor needs_review.
	ExpectFixed
)

func (e Expect) String() string {
	return [...]string{"miss", "hit", "fixed"}[e]
}

// Shares of advisories planted to match the stack.
const (
	hitShare   = 0.05
	fixedShare = 0.02 // OSV only
	kevShare   = 0.2  // of the advisories, in one KEV catalog; the rest OSV records
)

// vendorFamily is a vendor and its product lines. Products are a line and
// a model code ("FortiGate 3104F"), so that no two products of a vendor
// contain each other's names: the identity matcher would rightly tie
// them at medium or low confidence.
type vendorFamily struct {
	vendor   string
	cpe      string // CPE vendor
	lines    []string
	versions func(r *rand.Rand) string
}

func dotted(r *rand.Rand) string {
	return fmt.Sprintf("%d.%d.%d", 1+r.IntN(20), r.IntN(10), r.IntN(30))
}

func ivantiStyle(r *rand.Rand) string { // 22.7R2.3
	return fmt.Sprintf("%d.%dR%d.%d", 9+r.IntN(14), 1+r.IntN(7), 1+r.IntN(4), r.IntN(6))
}

func citrixStyle(r *rand.Rand) string { // 13.1-49.15
	return fmt.Sprintf("%d.%d-%d.%d", 12+r.IntN(3), r.IntN(2), 10+r.IntN(50), r.IntN(60))
}

func panStyle(r *rand.Rand) string { // 10.2.9-h1
	return fmt.Sprintf("%d.%d.%d-h%d", 9+r.IntN(3), r.IntN(3), r.IntN(14), 1+r.IntN(9))
}

// vendors are real vendors that appear in KEV and PSIRT feeds, with
// product lines in their own naming. No vendor name is a word prefix of
// another (the matcher treats "Palo Alto" and "Palo Alto Networks" as one).
var vendors = []vendorFamily{
	{"Fortinet", "fortinet", []string{"FortiGate", "FortiWeb", "FortiProxy", "FortiAnalyzer"}, dotted},
	{"Ivanti", "ivanti", []string{"Connect Secure", "Policy Secure", "Neurons ZTA"}, ivantiStyle},
	{"Citrix", "citrix", []string{"NetScaler ADC", "NetScaler Gateway", "Session Recording"}, citrixStyle},
	{"Palo Alto Networks", "paloaltonetworks", []string{"PAN-OS", "GlobalProtect", "Expedition"}, panStyle},
	{"Cisco", "cisco", []string{"ASA", "Firepower", "Catalyst", "Nexus", "Webex Meetings"}, dotted},
	{"Microsoft", "microsoft", []string{"Exchange", "SharePoint", "Windows", "Office", "Edge"}, dotted},
	{"VMware", "vmware", []string{"ESXi", "vCenter", "Workspace ONE", "Aria Operations"}, dotted},
	{"Atlassian", "atlassian", []string{"Confluence", "Jira", "Bitbucket", "Bamboo"}, dotted},
	{"Apache", "apache", []string{"Tomcat", "ActiveMQ", "OFBiz", "Struts", "HugeGraph"}, dotted},
	{"Oracle", "oracle", []string{"WebLogic", "E-Business Suite", "Fusion Middleware"}, dotted},
	{"SAP", "sap", []string{"NetWeaver", "Business Objects", "Solution Manager"}, dotted},
	{"SonicWall", "sonicwall", []string{"SMA", "SonicOS", "Email Security"}, dotted},
	{"Zyxel", "zyxel", []string{"NAS", "ATP", "USG FLEX"}, dotted},
	{"D-Link", "dlink", []string{"DIR", "DNS", "DCS"}, dotted},
	{"NETGEAR", "netgear", []string{"ProSAFE", "Nighthawk", "ReadyNAS"}, dotted},
	{"QNAP", "qnap", []string{"QTS", "Photo Station", "Music Station"}, dotted},
	{"Juniper Networks", "juniper", []string{"Junos", "SRX", "EX"}, dotted},
	{"F5", "f5", []string{"BIG-IP", "BIG-IQ", "NGINX Plus"}, dotted},
	{"Progress", "progress", []string{"MOVEit Transfer", "WS_FTP", "Telerik UI"}, dotted},
	{"Adobe", "adobe", []string{"ColdFusion", "Acrobat", "Commerce"}, dotted},
	{"Google", "google", []string{"Chrome", "Pixel", "Android"}, dotted},
	{"Apple", "apple", []string{"iOS", "macOS", "Safari"}, dotted},
	{"Mozilla", "mozilla", []string{"Firefox", "Thunderbird"}, dotted},
	{"Zoho", "zoho", []string{"ManageEngine ADSelfService", "ManageEngine ServiceDesk", "ManageEngine Endpoint Central"}, dotted},
	{"Veeam", "veeam", []string{"VBR", "ONE"}, dotted},
	{"Trend Micro", "trendmicro", []string{"Apex One", "Deep Security", "OfficeScan"}, dotted},
	{"Sophos", "sophos", []string{"XG Firewall", "Web Appliance"}, dotted},
	{"Check Point", "checkpoint", []string{"Quantum Security Gateway", "CloudGuard"}, dotted},
	{"Samsung", "samsung", []string{"Exynos", "Galaxy"}, dotted},
	{"Qualcomm", "qualcomm", []string{"Snapdragon", "Adreno"}, dotted},
	{"Roundcube", "roundcube", []string{"Webmail"}, dotted},
	{"GitLab", "gitlab", []string{"CE", "EE Runner"}, dotted},
	{"Jenkins", "jenkins", []string{"Jenkins", "Script Security"}, dotted},
	{"SolarWinds", "solarwinds", []string{"Orion", "Serv-U", "Web Help Desk"}, dotted},
	{"Synacor", "synacor", []string{"Zimbra Collaboration Suite"}, dotted},
	{"Arm", "arm", []string{"Mali GPU"}, dotted},
	{"Siemens", "siemens", []string{"SIMATIC", "SCALANCE", "RUGGEDCOM"}, dotted},
	{"Schneider Electric", "schneider-electric", []string{"Modicon", "EcoStruxure"}, dotted},
	{"Hikvision", "hikvision", []string{"DS-2CD", "iVMS"}, dotted},
	{"TP-Link", "tp-link", []string{"Archer", "Omada"}, dotted},
}

// modelCode is the model part of product j within its line: unique per j,
// digits then a letter ("3104F"), never ending in "s" (the matcher
// compares singular forms).
func modelCode(j int) string {
	const letters = "ABCDEFGHJKLMNPRTUVWXYZ"
	return fmt.Sprintf("%d%c", 100+j, letters[j%len(letters)])
}

// product is vendor product p of the universe: vendor p % len(vendors),
// then line and model (see productIndex).
type product struct {
	v              int
	vendor, name   string
	cpeVendor, cpe string // cpe: product part
}

func productOf(p int) product {
	v := p % len(vendors)
	k := p / len(vendors)
	f := &vendors[v]
	line := f.lines[k%len(f.lines)]
	name := line + " " + modelCode(k/len(f.lines))
	return product{v: v, vendor: f.vendor, name: name, cpeVendor: f.cpe,
		cpe: strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(name))}
}

// productIndex returns the product index of vendor v's k-th product or,
// when k has the wrong parity, of the next one: products with an even k
// may be in the stack, those with an odd k never are.
func productIndex(v, k int, even bool) int {
	if (k%2 == 0) != even {
		k++
	}
	return k*len(vendors) + v
}

// ecosystem is an OSV ecosystem with its purl type and ID style.
type ecosystem struct {
	name, purlType, idPrefix string
	weight                   int
}

var ecosystems = []ecosystem{
	{"npm", "npm", "GHSA", 35},
	{"Go", "golang", "GO", 20},
	{"PyPI", "pypi", "PYSEC", 20},
	{"Maven", "maven", "GHSA", 20},
	{"crates.io", "cargo", "RUSTSEC", 5},
}

var words = strings.Fields(`
	acorn amber anchor apex arrow aspen atlas aurora badger basalt beacon birch blaze bolt
	breeze bridge brook canyon cargo cedar cipher citrus cliff clover cobalt comet coral
	cosmo crane crest crystal cypress delta dune eagle echo ember falcon fern fjord flint
	forge fox garnet geyser glacier granite gravel harbor hazel heron hollow horizon indigo
	iris jade jasper juniper kestrel kite lagoon lantern lark laurel lemon lichen lilac
	linden lotus lumen lynx magma maple marble marsh meadow mesa meteor mint mist monarch
	moss nebula nectar nimbus oak oasis obsidian olive onyx opal orbit orchid osprey otter
	pebble pepper pine pixel plume polar poppy prairie prism pulsar quail quartz quill
	radar raven reed ridge river robin rover ruby saber saffron sage salmon sapphire sequoia
	shale sierra silver slate sparrow spruce squall stone summit swift tango thistle thunder
	tide timber topaz tundra umber valley vapor velvet vertex violet vortex walnut willow
	wren yarrow zenith zephyr`)

// pkgWords is package i's name in words: unique for every i.
func pkgWords(i int) string {
	n := len(words)
	s := words[i%n] + "-" + words[(i/n)%n]
	if i >= n*n {
		s += fmt.Sprintf("-%d", i/(n*n))
	}
	return s
}

// pkg is package i of ecosystem e: name as OSV writes it and a purl
// without version. Even i may be in the stack, odd i never are.
func pkgOf(e *ecosystem, i int) (name, purl string) {
	w := pkgWords(i)
	switch e.name {
	case "Go":
		org, repo, _ := strings.Cut(w, "-")
		name = "github.com/" + org + "-labs/" + repo + "-go"
		return name, "pkg:golang/" + name
	case "Maven":
		grp, art, _ := strings.Cut(w, "-")
		return "org." + grp + ".commons:" + art + "-core", "pkg:maven/org." + grp + ".commons/" + art + "-core"
	}
	return w, "pkg:" + e.purlType + "/" + w
}

// semver is a version triple.
type semver [3]int

func (v semver) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

// Component is one generated component with what advisories need to
// target it.
type genComponent struct {
	eco   int // index in ecosystems, or -1 for a vendor product
	pkg   int // package index (eco >= 0) or product index (eco < 0)
	ver   semver
	index int // in Stack.Components
}

// Stack is a generated stack and what advisories can target in it.
type Stack struct {
	Stack *triage.Stack
	comps []genComponent
	// byEco lists the package components of each ecosystem; products the
	// vendor components.
	byEco    [][]int
	products []int
	// byVendor lists the vendor components of each vendor.
	byVendor [][]int
}

var teams = []string{"team-network", "team-platform", "team-payments", "team-identity", "team-web",
	"team-data", "team-mobile", "team-endpoint", "team-sre", "team-integrations"}

// GenStack makes a stack of n components: one in ten a vendor product
// (appliances and applications named by vendor, product, version and
// CPE), the rest language packages identified by purl, each distinct.
func GenStack(seed uint64, n int) *Stack {
	r := rand.New(rand.NewPCG(seed, 1))
	s := &Stack{Stack: &triage.Stack{Components: make([]triage.Component, 0, n)},
		byEco: make([][]int, len(ecosystems)), byVendor: make([][]int, len(vendors))}
	exposures := []triage.Exposure{triage.ExposureInternet, triage.ExposureInternal, triage.ExposureInternal, triage.ExposureIsolated}
	crits := []triage.Criticality{triage.CriticalityCritical, triage.CriticalityHigh, triage.CriticalityMedium, triage.CriticalityMedium, triage.CriticalityLow}
	nextPkg := make([]int, len(ecosystems))
	nextProd := make([]int, len(vendors))
	totalWeight := 0
	for _, e := range ecosystems {
		totalWeight += e.weight
	}
	for i := range n {
		gc := genComponent{index: i, eco: -1}
		c := triage.Component{Owner: teams[r.IntN(len(teams))], Exposure: exposures[r.IntN(len(exposures))],
			Criticality: crits[r.IntN(len(crits))]}
		if i%10 == 0 {
			v := r.IntN(len(vendors))
			p := productIndex(v, nextProd[v], true)
			nextProd[v] = p/len(vendors) + 1
			pr := productOf(p)
			gc.pkg = p
			c.ID = fmt.Sprintf("app-%06d", i)
			c.Name = fmt.Sprintf("%s %s (%s)", pr.vendor, pr.name, []string{"prod", "dr", "branch", "lab"}[r.IntN(4)])
			c.Vendor, c.Product = pr.vendor, pr.name
			c.Version = vendors[v].versions(r)
			c.CPE = fmt.Sprintf("cpe:2.3:a:%s:%s:%s:*:*:*:*:*:*:*", pr.cpeVendor, pr.cpe, c.Version)
			c.Tags = []string{"appliance"}
			s.products = append(s.products, i)
			s.byVendor[v] = append(s.byVendor[v], i)
		} else {
			w := r.IntN(totalWeight)
			e := 0
			for ; w >= ecosystems[e].weight; e++ {
				w -= ecosystems[e].weight
			}
			gc.eco = e
			gc.pkg = 2 * nextPkg[e]
			nextPkg[e]++
			gc.ver = semver{r.IntN(6), r.IntN(20), r.IntN(30)}
			name, purl := pkgOf(&ecosystems[e], gc.pkg)
			ver := gc.ver.String()
			if ecosystems[e].name == "Go" {
				ver = "v" + ver
			}
			c.ID = fmt.Sprintf("pkg-%06d", i)
			c.Name = name
			c.PURL = purl + "@" + ver
			c.Ecosystem = ecosystems[e].name
			c.Tags = []string{"sbom"}
			s.byEco[e] = append(s.byEco[e], i)
		}
		s.comps = append(s.comps, gc)
		s.Stack.Components = append(s.Stack.Components, c)
	}
	return s
}

// Feed is a generated set of advisories: one KEV catalog and OSV records.
type Feed struct {
	// KEV is a catalog in CISA's JSON format; KEVIDs its entries' IDs.
	KEV    []byte
	KEVIDs []string
	// OSV are OSV records (JSON), OSVIDs their IDs.
	OSV    [][]byte
	OSVIDs []string
	// Expect is what triage must find, by advisory ID.
	Expect map[string]Expect
	// Planted counts the hits and fixed advisories.
	Hits, Fixed int
}

// Bytes is the size of all documents.
func (f *Feed) Bytes() (kev, osv int) {
	for _, b := range f.OSV {
		osv += len(b)
	}
	return len(f.KEV), osv
}

// KEVEntry is one entry of the KEV catalog's wire format.
type kevEntry struct {
	CveID             string   `json:"cveID"`
	VendorProject     string   `json:"vendorProject"`
	Product           string   `json:"product"`
	VulnerabilityName string   `json:"vulnerabilityName"`
	DateAdded         string   `json:"dateAdded"`
	ShortDescription  string   `json:"shortDescription"`
	RequiredAction    string   `json:"requiredAction"`
	DueDate           string   `json:"dueDate"`
	RansomwareUse     string   `json:"knownRansomwareCampaignUse"`
	Notes             string   `json:"notes"`
	CWEs              []string `json:"cwes"`
}

type kevCatalog struct {
	Title           string     `json:"title"`
	CatalogVersion  string     `json:"catalogVersion"`
	DateReleased    string     `json:"dateReleased"`
	Count           int        `json:"count"`
	Vulnerabilities []kevEntry `json:"vulnerabilities"`
}

// Vulnerability classes with their CWE, as KEV names them.
var vulnClasses = []struct{ name, cwe, effect string }{
	{"OS Command Injection", "CWE-78", "allows a remote, unauthenticated attacker to execute arbitrary commands"},
	{"Path Traversal", "CWE-22", "allows an attacker to read or write arbitrary files on the underlying system"},
	{"Improper Authentication", "CWE-287", "allows a remote attacker to bypass authentication and gain administrative access"},
	{"Deserialization of Untrusted Data", "CWE-502", "allows a remote attacker to execute code by sending a crafted serialized object"},
	{"Use-After-Free", "CWE-416", "allows a remote attacker to potentially exploit heap corruption via a crafted page"},
	{"Server-Side Request Forgery", "CWE-918", "allows an attacker to send requests on behalf of the server to internal systems"},
	{"Missing Authorization", "CWE-862", "allows an authenticated attacker to access administrative functions"},
	{"Code Injection", "CWE-94", "allows an attacker to inject and execute code in the context of the application"},
	{"Out-of-Bounds Write", "CWE-787", "allows an attacker to write memory out of bounds, leading to code execution"},
	{"Cross-Site Scripting", "CWE-79", "allows an attacker to run script in a victim's browser session"},
	{"SQL Injection", "CWE-89", "allows an unauthenticated attacker to read and modify database contents"},
	{"Improper Input Validation", "CWE-20", "allows a remote attacker to cause a denial of service or execute code"},
}

// Required actions with CISA's relative frequencies (of 1404 entries in
// the 2025-08-25 catalog: 893, 259, 121, the rest rarer).
var requiredActions = []struct {
	text   string
	weight int
}{
	{"Apply updates per vendor instructions.", 893},
	{"Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.", 259},
	{"Apply mitigations per vendor instructions, follow applicable BOD 22-01 guidance for cloud services, or discontinue use of the product if mitigations are unavailable.", 121},
	{"The impacted product is end-of-life and should be disconnected if still in use.", 40},
}

func pickAction(r *rand.Rand) string {
	total := 0
	for _, a := range requiredActions {
		total += a.weight
	}
	w := r.IntN(total)
	for _, a := range requiredActions {
		if w < a.weight {
			return a.text
		}
		w -= a.weight
	}
	return requiredActions[0].text
}

// osvRecord is the OSV wire format (the fields real databases use).
type osvRecord struct {
	SchemaVersion    string           `json:"schema_version"`
	ID               string           `json:"id"`
	Modified         string           `json:"modified"`
	Published        string           `json:"published"`
	Aliases          []string         `json:"aliases,omitempty"`
	Summary          string           `json:"summary"`
	Details          string           `json:"details"`
	Severity         []osvSeverity    `json:"severity,omitempty"`
	Affected         []osvAffected    `json:"affected"`
	References       []osvReference   `json:"references"`
	DatabaseSpecific map[string]any   `json:"database_specific,omitempty"`
	Credits          []map[string]any `json:"credits,omitempty"`
}

type osvSeverity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

type osvAffected struct {
	Package           osvPackage     `json:"package"`
	Ranges            []osvRange     `json:"ranges"`
	EcosystemSpecific map[string]any `json:"ecosystem_specific,omitempty"`
	DatabaseSpecific  map[string]any `json:"database_specific,omitempty"`
}

type osvPackage struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	PURL      string `json:"purl,omitempty"`
}

type osvRange struct {
	Type   string              `json:"type"`
	Events []map[string]string `json:"events"`
}

type osvReference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

var cvssVectors = []string{
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
	"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N",
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
	"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
}

const ghsaAlphabet = "23456789cfghjmpqrvwx"

// ghsaID is a GHSA identifier unique for n.
func ghsaID(r *rand.Rand, n int) string {
	b := make([]byte, 12)
	for i := range 6 {
		b[i] = ghsaAlphabet[n%len(ghsaAlphabet)]
		n /= len(ghsaAlphabet)
	}
	for i := 6; i < 12; i++ {
		b[i] = ghsaAlphabet[r.IntN(len(ghsaAlphabet))]
	}
	return "GHSA-" + string(b[0:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12])
}

var epoch = time.Date(2021, 11, 3, 0, 0, 0, 0, time.UTC)

// GenFeed makes m advisories for stack s: a fifth in one KEV catalog
// (vendor products), the rest OSV records (packages), with hitShare of
// them matching a component the stack has at an affected version and,
// of the OSV records, fixedShare naming a component already fixed.
func GenFeed(seed uint64, s *Stack, m int) *Feed {
	r := rand.New(rand.NewPCG(seed, 2))
	f := &Feed{Expect: make(map[string]Expect, m)}
	nKEV := int(float64(m) * kevShare)
	cve := 0
	newCVE := func(year int) string {
		cve++
		return fmt.Sprintf("CVE-%d-%d", year, 20000+cve)
	}

	// KEV catalog, newest first as CISA publishes it.
	cat := kevCatalog{Title: "CISA Catalog of Known Exploited Vulnerabilities", CatalogVersion: "2026.06.01",
		DateReleased: "2026-06-01T17:04:19.9796Z", Count: nKEV}
	for i := range nKEV {
		added := epoch.AddDate(0, 0, (nKEV-i)*1650/max(nKEV, 1))
		want := ExpectMiss
		var pr product
		if r.Float64() < hitShare && len(s.products) > 0 {
			c := s.comps[s.products[r.IntN(len(s.products))]]
			pr = productOf(c.pkg)
			want = ExpectHit
		} else {
			pr = productOf(productIndex(r.IntN(len(vendors)), r.IntN(max(len(s.products), 50)), false))
		}
		vc := vulnClasses[r.IntN(len(vulnClasses))]
		id := newCVE(max(added.Year()-r.IntN(2), 2015))
		e := kevEntry{
			CveID: id, VendorProject: pr.vendor, Product: pr.name,
			VulnerabilityName: pr.vendor + " " + pr.name + " " + vc.name + " Vulnerability",
			DateAdded:         added.Format(time.DateOnly),
			ShortDescription:  pr.vendor + " " + pr.name + " contains " + strings.ToLower(vc.name[:1]) + vc.name[1:] + " vulnerability that " + vc.effect + ".",
			RequiredAction:    pickAction(r),
			DueDate:           added.AddDate(0, 0, []int{21, 21, 21, 14, 7}[r.IntN(5)]).Format(time.DateOnly),
			RansomwareUse:     "Unknown",
			Notes: fmt.Sprintf("https://psirt.%s.example/advisories/%s ; https://nvd.nist.gov/vuln/detail/%s",
				vendors[pr.v].cpe, strings.ToLower(id), id),
			CWEs: []string{vc.cwe},
		}
		if r.IntN(100) < 21 {
			e.RansomwareUse = "Known"
		}
		switch k := r.IntN(100); {
		case k < 11:
			e.CWEs = []string{}
		case k < 17:
			e.CWEs = append(e.CWEs, "CWE-20")
		}
		cat.Vulnerabilities = append(cat.Vulnerabilities, e)
		f.KEVIDs = append(f.KEVIDs, id)
		f.Expect[id] = want
		if want == ExpectHit {
			f.Hits++
		}
	}
	var err error
	f.KEV, err = json.MarshalIndent(cat, "", "    ")
	if err != nil {
		panic(err) // plain strings only: cannot happen
	}

	// OSV records.
	totalWeight := 0
	for _, e := range ecosystems {
		totalWeight += e.weight
	}
	for i := range m - nKEV {
		w := r.IntN(totalWeight)
		ei := 0
		for ; w >= ecosystems[ei].weight; ei++ {
			w -= ecosystems[ei].weight
		}
		e := &ecosystems[ei]
		want := ExpectMiss
		u := r.Float64()
		var pkgIdx int
		var installed semver
		pool := s.byEco[ei]
		switch {
		case u < hitShare && len(pool) > 0:
			want = ExpectHit
		case u < hitShare+fixedShare && len(pool) > 0:
			want = ExpectFixed
		}
		if want != ExpectMiss {
			c := s.comps[pool[r.IntN(len(pool))]]
			pkgIdx, installed = c.pkg, c.ver
		} else {
			pkgIdx = 2*r.IntN(max(len(pool)*2, 100)) + 1
		}
		name, purl := pkgOf(e, pkgIdx)
		// Versions: a hit's range holds the installed version; a fixed
		// one's fix is at or below it; a miss has any range.
		var intro, fixed semver
		switch want {
		case ExpectHit:
			intro = semver{installed[0], 0, 0}
			if r.IntN(3) == 0 {
				intro = semver{}
			}
			fixed = semver{installed[0], installed[1], installed[2] + 1 + r.IntN(5)}
		case ExpectFixed:
			fixed = installed
			if installed[2] > 0 && r.IntN(2) == 0 {
				fixed[2] = r.IntN(installed[2])
			}
		default:
			intro = semver{r.IntN(3), r.IntN(10), 0}
			fixed = semver{intro[0] + r.IntN(2), intro[1] + 1 + r.IntN(5), r.IntN(10)}
		}
		published := epoch.Add(time.Duration(r.Int64N(int64(4 * 365 * 24 * time.Hour)))).Truncate(time.Second)
		modified := published.Add(time.Duration(r.Int64N(int64(300 * 24 * time.Hour)))).Truncate(time.Second)
		cveID := newCVE(published.Year())
		vc := vulnClasses[r.IntN(len(vulnClasses))]
		rec := osvRecord{SchemaVersion: "1.6.0", Published: published.Format(time.RFC3339), Modified: modified.Format(time.RFC3339)}
		introStr := intro.String()
		if intro == (semver{}) {
			introStr = "0"
		}
		rangeType := "ECOSYSTEM"
		if e.name == "Go" {
			rangeType = "SEMVER"
		}
		aff := osvAffected{
			Package: osvPackage{Ecosystem: e.name, Name: name, PURL: purl},
			Ranges:  []osvRange{{Type: rangeType, Events: []map[string]string{{"introduced": introStr}, {"fixed": fixed.String()}}}},
		}
		rec.Summary = fmt.Sprintf("%s in %s", vc.name, name)
		rec.Details = fmt.Sprintf("%s before %s is vulnerable to %s. A flaw in the handling of untrusted input %s. "+
			"The issue was reported by an external researcher and fixed in version %s by validating the input before use.\n\n"+
			"Users are advised to upgrade to %s or later. There are no known workarounds.",
			name, fixed, strings.ToLower(vc.name), vc.effect, fixed, fixed)
		rec.References = []osvReference{
			{"ADVISORY", "https://nvd.nist.gov/vuln/detail/" + cveID},
			{"FIX", fmt.Sprintf("https://github.com/%s/commit/%016x", strings.ReplaceAll(pkgWords(pkgIdx), "-", "/"), r.Uint64())},
			{"WEB", fmt.Sprintf("https://github.com/%s/releases/tag/v%s", strings.ReplaceAll(pkgWords(pkgIdx), "-", "/"), fixed)},
		}
		switch e.idPrefix {
		case "GO":
			rec.ID = fmt.Sprintf("GO-%d-%04d", published.Year(), 1000+i)
			ghsa := ghsaID(r, i)
			rec.Aliases = []string{cveID, ghsa}
			rec.Modified = "0001-01-01T00:00:00Z"
			aff.EcosystemSpecific = map[string]any{"imports": []map[string]any{{"path": name, "symbols": []string{"Parse", "Client.Do", "NewReader"}[:1+r.IntN(3)]}}}
			rec.DatabaseSpecific = map[string]any{"url": "https://pkg.go.dev/vuln/" + rec.ID, "review_status": []string{"REVIEWED", "UNREVIEWED"}[r.IntN(2)]}
			rec.References = append(rec.References, osvReference{"ADVISORY", "https://github.com/advisories/" + ghsa})
		case "GHSA":
			rec.ID = ghsaID(r, i)
			rec.Aliases = []string{cveID}
			rec.Severity = []osvSeverity{{"CVSS_V3", cvssVectors[r.IntN(len(cvssVectors))]}}
			rec.DatabaseSpecific = map[string]any{"cwe_ids": []string{vc.cwe}, "severity": []string{"LOW", "MODERATE", "HIGH", "CRITICAL"}[r.IntN(4)],
				"github_reviewed": true, "github_reviewed_at": modified.Format(time.RFC3339), "nvd_published_at": published.Format(time.RFC3339)}
			aff.DatabaseSpecific = map[string]any{"source": "https://github.com/github/advisory-database/blob/main/advisories/github-reviewed/" + rec.ID + ".json"}
		case "PYSEC":
			rec.ID = fmt.Sprintf("PYSEC-%d-%d", published.Year(), 100+i)
			rec.Aliases = []string{cveID, ghsaID(r, i)}
		default: // RUSTSEC
			rec.ID = fmt.Sprintf("RUSTSEC-%d-%04d", published.Year(), i)
			rec.Aliases = []string{cveID}
			rec.DatabaseSpecific = map[string]any{"license": "CC0-1.0", "categories": []string{"memory-corruption"}, "cvss": nil, "informational": nil}
		}
		if r.IntN(4) == 0 {
			rec.Credits = []map[string]any{{"name": words[r.IntN(len(words))] + " security team", "type": "REPORTER"}}
		}
		rec.Affected = []osvAffected{aff}
		b, err := json.MarshalIndent(rec, "", "  ")
		if err != nil {
			panic(err) // plain values only: cannot happen
		}
		f.OSV = append(f.OSV, b)
		f.OSVIDs = append(f.OSVIDs, rec.ID)
		f.Expect[rec.ID] = want
		switch want {
		case ExpectHit:
			f.Hits++
		case ExpectFixed:
			f.Fixed++
		}
	}
	return f
}
