package feeds

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// Advisory is one security advisory in sigwatch's normalised model. Every
// adapter maps its wire format onto this type; intake, triage, evidence and
// kpi only ever see Advisory values.
//
// Text fields keep the publisher's raw value (including stray whitespace or
// U+FFFD replacement characters): matching code trims, evidence keeps the
// original. Times are UTC; the zero time means "unknown".
type Advisory struct {
	// ID is the advisory's primary identifier as the source publishes it:
	// a CVE ID for KEV and CVE 5 records, GHSA-/GO-/RHSA-/ICSA- IDs elsewhere.
	ID string `json:"id"`
	// Aliases are other identifiers of the same vulnerability (CVE IDs,
	// vendor IDs), sorted and without ID itself. Intake de-duplicates
	// advisories from different sources by ID and Aliases.
	Aliases []string `json:"aliases,omitempty"`
	// Related are identifiers of distinct but related vulnerabilities or
	// advisories: the CVEs a distribution advisory fixes (OSV "related",
	// AlmaLinux), the CVEs of a vendor advisory that covers several, the
	// CVEs an RSS item mentions. Unlike Aliases they do not merge cases.
	Related []string `json:"related,omitempty"`
	// Source names the feed that produced the advisory. Parse functions set
	// the adapter's default name; intake overwrites it with Source.Name().
	Source string `json:"source"`
	// Publisher is the organisation that issued the advisory ("CISA").
	Publisher string `json:"publisher,omitempty"`
	// Title is a one-line headline.
	Title string `json:"title"`
	// Summary is the description as published (plain text, HTML or Markdown).
	Summary string `json:"summary,omitempty"`
	// URL points to the human-readable advisory, when there is one.
	URL string `json:"url,omitempty"`
	// Published and Modified are the publisher's own timestamps.
	Published time.Time `json:"published,omitzero"`
	Modified  time.Time `json:"modified,omitzero"`
	// Withdrawn is set when the publisher retracted the advisory.
	Withdrawn time.Time `json:"withdrawn,omitzero"`
	// Severity is the publisher's qualitative rating; SeverityUnknown when
	// the source gives none (KEV does not).
	Severity Severity `json:"severity,omitempty"`
	// Scores are numeric or vector scores (CVSS, SSVC) as published.
	Scores []Score `json:"scores,omitempty"`
	// Exploitation gathers facts about exploitation in the wild.
	Exploitation Exploitation `json:"exploitation,omitzero"`
	// Affected lists the products the advisory is about.
	Affected []Affected `json:"affected,omitempty"`
	// Weaknesses are CWE IDs ("CWE-79").
	Weaknesses []string `json:"weaknesses,omitempty"`
	// References are related links.
	References []Reference `json:"references,omitempty"`
	// Remediations are the publisher's fixes, workarounds and mitigations.
	Remediations []Remediation `json:"remediations,omitempty"`
	// Notes are further publisher statements that have no field of their
	// own (CSAF notes and threats, CVE descriptions in other languages).
	Notes []Note `json:"notes,omitempty"`
	// Tags are the categories, tags or keywords the publisher attached
	// (RSS categories, JSON Feed tags), as published. Triage may use them as
	// low-confidence hints.
	Tags []string `json:"tags,omitempty"`
	// TLP is the Traffic Light Protocol label that governs sharing.
	TLP TLP `json:"tlp,omitempty"`
	// Extra holds source-specific values that have no field of their own,
	// keyed "<adapter>.<name>". Keys "<adapter>.release.<name>" describe
	// the release the record came in (for example
	// "kev.release.catalogVersion") rather than the record: see
	// [IsReleaseExtra].
	Extra map[string]string `json:"extra,omitempty"`
}

// CVEs returns every CVE ID among the advisory's ID and aliases, upper-cased,
// sorted and unique. CVEs listed only in Related are not included: see
// [Advisory.RelatedCVEs].
func (a *Advisory) CVEs() []string {
	var out []string
	for _, id := range append([]string{a.ID}, a.Aliases...) {
		id = strings.ToUpper(strings.TrimSpace(id))
		if strings.HasPrefix(id, "CVE-") {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// RelatedCVEs returns the CVE IDs in Related, upper-cased, sorted and unique.
func (a *Advisory) RelatedCVEs() []string {
	var out []string
	for _, id := range a.Related {
		id = strings.ToUpper(strings.TrimSpace(id))
		if strings.HasPrefix(id, "CVE-") {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Keys returns the identifiers intake uses to de-duplicate: the ID and every
// alias, trimmed and upper-cased, sorted and unique.
func (a *Advisory) Keys() []string {
	out := make([]string, 0, 1+len(a.Aliases))
	for _, id := range append([]string{a.ID}, a.Aliases...) {
		if id = NormalizeID(id); id != "" {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// KEVListed reports whether the advisory carries a CISA KEV listing.
func (a *Advisory) KEVListed() bool { return a.Exploitation.KEV != nil }

// Severity is a qualitative severity rating.
type Severity string

// Severity values, from the CVSS v3 qualitative scale.
const (
	SeverityUnknown  Severity = ""
	SeverityNone     Severity = "none"
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// ParseSeverity reads a publisher's qualitative rating word, in any case:
// none, low (also Ubuntu's "negligible"), medium (also GitHub's and Red
// Hat's "moderate"), high (also Red Hat's and Amazon's "important") and
// critical. ok is false for any other word.
func ParseSeverity(word string) (s Severity, ok bool) {
	switch strings.ToLower(strings.TrimSpace(word)) {
	case "none":
		return SeverityNone, true
	case "low", "negligible":
		return SeverityLow, true
	case "medium", "moderate":
		return SeverityMedium, true
	case "high", "important":
		return SeverityHigh, true
	case "critical":
		return SeverityCritical, true
	}
	return SeverityUnknown, false
}

// Rank orders severities for comparison: unknown 0, none 1, low 2,
// medium 3, high 4, critical 5 (also 0 for a value outside the scale).
func (s Severity) Rank() int {
	switch s {
	case SeverityNone:
		return 1
	case SeverityLow:
		return 2
	case SeverityMedium:
		return 3
	case SeverityHigh:
		return 4
	case SeverityCritical:
		return 5
	}
	return 0
}

// Score is one numeric or vector score.
type Score struct {
	// Type names the scoring system: "CVSS_V2", "CVSS_V3", "CVSS_V4", "SSVC", "EPSS".
	Type string `json:"type"`
	// Vector is the vector string, when the system has one.
	Vector string `json:"vector,omitempty"`
	// Value is the numeric score, when the system has one.
	Value float64 `json:"value,omitempty"`
}

// Exploitation gathers facts about exploitation in the wild.
type Exploitation struct {
	// KEV is set when CISA's Known Exploited Vulnerabilities catalog lists
	// the vulnerability.
	KEV *KEVListing `json:"kev,omitempty"`
	// SSVC holds the CISA Vulnrichment SSVC decision points, when known.
	SSVC *SSVC `json:"ssvc,omitempty"`
	// EPSS is the FIRST EPSS probability of exploitation, when known. It is
	// an enrichment: no feed publishes it as part of an advisory.
	EPSS *EPSS `json:"epss,omitempty"`
	// Statements are the publisher's own words on exploitation (CSAF
	// threats of category exploit_status), as published.
	Statements []string `json:"statements,omitempty"`
}

// SSVC is a set of Stakeholder-Specific Vulnerability Categorization decision
// points as CISA publishes them in the CVE 5 ADP container.
type SSVC struct {
	// Exploitation is "none", "poc" or "active".
	Exploitation string `json:"exploitation,omitempty"`
	// Automatable is "yes" or "no".
	Automatable string `json:"automatable,omitempty"`
	// TechnicalImpact is "partial" or "total".
	TechnicalImpact string `json:"technicalImpact,omitempty"`
	// Role is the decision-maker role ("CISA Coordinator").
	Role string `json:"role,omitempty"`
	// Version is the SSVC version ("2.0.3").
	Version string `json:"version,omitempty"`
	// Timestamp is when the decision points were assessed.
	Timestamp time.Time `json:"timestamp,omitzero"`
}

// EPSS is one FIRST Exploit Prediction Scoring System score.
type EPSS struct {
	// Score is the probability of exploitation in the next 30 days, 0–1.
	Score float64 `json:"score"`
	// Percentile is the score's percentile among all scored CVEs, 0–1;
	// zero when the file has no percentile column.
	Percentile float64 `json:"percentile,omitempty"`
	// Date is the score date from the file's header comment.
	Date time.Time `json:"date,omitzero"`
	// Model is the model version from the file's header comment.
	Model string `json:"model,omitempty"`
}

// KEVListing is an entry in CISA's Known Exploited Vulnerabilities catalog.
type KEVListing struct {
	// VulnerabilityName is CISA's name for the vulnerability.
	VulnerabilityName string `json:"vulnerabilityName,omitempty"`
	// DateAdded is the day CISA added the CVE to the catalog.
	DateAdded time.Time `json:"dateAdded"`
	// DueDate is the remediation deadline for US federal agencies under BOD 22-01.
	DueDate time.Time `json:"dueDate"`
	// DueBeforeAdded flags entries whose due date precedes the date added,
	// as in the first 2021-11-03 batch. The dates are kept as published.
	DueBeforeAdded bool `json:"dueBeforeAdded,omitempty"`
	// RequiredAction is CISA's required action, free text.
	RequiredAction string `json:"requiredAction,omitempty"`
	// RansomwareUse is "Known" or "Unknown" (the default when absent).
	RansomwareUse string `json:"knownRansomwareCampaignUse"`
	// Notes is the raw notes field; URLs from it are also in References.
	Notes string `json:"notes,omitempty"`
	// Reference is a link to the catalog entry, when the listing comes
	// from another source (the CVE 5 CISA ADP "kev" metric).
	Reference string `json:"reference,omitempty"`
}

// RansomwareKnown reports whether CISA knows the vulnerability to be used in
// ransomware campaigns.
func (k *KEVListing) RansomwareKnown() bool {
	return strings.EqualFold(strings.TrimSpace(k.RansomwareUse), "Known")
}

// Affected describes one affected product. Identity fields are as specific as
// the source allows: KEV gives only Vendor and Product; OSV gives Ecosystem,
// Package and PURL; CSAF and CVE 5 may give CPEs.
type Affected struct {
	Vendor  string `json:"vendor,omitempty"`
	Product string `json:"product,omitempty"`
	// ProductID is the publisher's identifier of the product (CSAF
	// product_id), kept for evidence.
	ProductID string   `json:"productId,omitempty"`
	PURL      string   `json:"purl,omitempty"`
	CPEs      []string `json:"cpes,omitempty"`
	Ecosystem string   `json:"ecosystem,omitempty"`
	Package   string   `json:"package,omitempty"`
	// Ranges are affected version ranges; a version inside any range is affected.
	Ranges []Range `json:"ranges,omitempty"`
	// Versions lists affected versions explicitly.
	Versions []string `json:"versions,omitempty"`
	// Status is the publisher's status for the versions in this entry,
	// when it states one. An entry with Status StatusNotAffected lists
	// versions the publisher declares unaffected (CVE 5 "unaffected").
	Status Status `json:"status,omitempty"`
	// DefaultStatus is the status of versions the entry does not list (CVE
	// 5 defaultStatus); StatusUnknown when the publisher does not say.
	DefaultStatus Status `json:"defaultStatus,omitempty"`
}

// HasVersionData reports whether the entry says anything about versions.
func (a *Affected) HasVersionData() bool { return len(a.Ranges) > 0 || len(a.Versions) > 0 }

// Status is a publisher's statement about a product.
type Status string

// Status values follow CSAF product_status and CVE 5 version status.
const (
	StatusUnknown            Status = ""
	StatusAffected           Status = "affected"
	StatusFixed              Status = "fixed"
	StatusNotAffected        Status = "not_affected"
	StatusUnderInvestigation Status = "under_investigation"
)

// Range is a version range. Event-based ranges (OSV, CVE 5 lessThan) use
// Events; textual ranges (CSAF vers and product_version_range) keep Expr.
type Range struct {
	// Type is the version scheme: "SEMVER", "ECOSYSTEM", "GIT" (OSV);
	// "VERS" for a vers: string and "TEXT" for any other textual range
	// (CSAF); a CVE 5 versionType as published otherwise.
	Type string `json:"type"`
	// Repo is the repository URL of a GIT range.
	Repo string `json:"repo,omitempty"`
	// Events are OSV-style events, in the publisher's order.
	Events []Event `json:"events,omitempty"`
	// Expr is a textual range as published ("vers:npm/>=1.0|<2.0", "< 3.1").
	Expr string `json:"expr,omitempty"`
}

// Event is one OSV-style range event; exactly one field is set.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// Reference is a related link.
type Reference struct {
	// Type classifies the link: "ADVISORY", "FIX", "REPORT", "WEB", …
	Type string `json:"type,omitempty"`
	URL  string `json:"url"`
}

// Remediation is a publisher's fix, workaround or mitigation.
type Remediation struct {
	// Category is the publisher's category: CSAF "vendor_fix",
	// "workaround", "mitigation", "no_fix_planned", "none_available".
	Category string `json:"category,omitempty"`
	// Details is the text as published.
	Details string `json:"details,omitempty"`
	// URL points to the fix or instructions, when given.
	URL string `json:"url,omitempty"`
	// Date is when the remediation was published, when given.
	Date time.Time `json:"date,omitzero"`
	// Products names the products (as in Affected.Product or ProductID) the
	// remediation applies to; empty means all.
	Products []string `json:"products,omitempty"`
}

// Note is a publisher statement with a category.
type Note struct {
	// Category classifies the note ("summary", "details", "impact",
	// "description.es", …) as the source names it.
	Category string `json:"category,omitempty"`
	Title    string `json:"title,omitempty"`
	Text     string `json:"text"`
}

// ParseTLP reads a TLP label as publishers write it: "TLP:AMBER", "amber",
// "TLP:CLEAR". The TLP 1.0 name WHITE (still used by CSAF 2.0 and MISP)
// maps to TLPClear. ok is false for an empty or unknown label.
func ParseTLP(label string) (tlp TLP, ok bool) {
	l := strings.TrimSpace(label)
	if len(l) >= 4 && strings.EqualFold(l[:4], "TLP:") {
		l = strings.TrimSpace(l[4:])
	}
	switch strings.ToUpper(l) {
	case "WHITE", "CLEAR":
		return TLPClear, true
	case "GREEN":
		return TLPGreen, true
	case "AMBER":
		return TLPAmber, true
	case "AMBER+STRICT":
		return TLPAmberStrict, true
	case "RED":
		return TLPRed, true
	}
	return TLPUnspecified, false
}

// TLP is a Traffic Light Protocol 2.0 label.
type TLP string

// TLP labels. TLPUnspecified means the source gave no label.
const (
	TLPUnspecified TLP = ""
	TLPClear       TLP = "CLEAR"
	TLPGreen       TLP = "GREEN"
	TLPAmber       TLP = "AMBER"
	TLPAmberStrict TLP = "AMBER+STRICT"
	TLPRed         TLP = "RED"
)

// Stricter reports whether t restricts sharing more than u. The order is
// unspecified, CLEAR, GREEN, AMBER, AMBER+STRICT, RED; a label that is
// none of these (a typo, a private marking) is treated as stricter than
// RED, so that an unknown label never loosens what may be shared.
func (t TLP) Stricter(u TLP) bool { return t.Rank() > u.Rank() }

// Rank orders labels by how much they restrict sharing: 0 unspecified, 1
// CLEAR, 2 GREEN, 3 AMBER, 4 AMBER+STRICT, 5 RED, and 6 for a label that is
// none of these (canonical labels only: see ParseTLP for other spellings).
func (t TLP) Rank() int {
	switch t {
	case TLPUnspecified:
		return 0
	case TLPClear:
		return 1
	case TLPGreen:
		return 2
	case TLPAmber:
		return 3
	case TLPAmberStrict:
		return 4
	case TLPRed:
		return 5
	}
	return 6
}

// Clone returns a deep copy of a: no slice, map or pointer in the result
// is shared with a, so either can be modified freely.
func (a *Advisory) Clone() Advisory {
	c := *a
	c.Aliases = slices.Clone(a.Aliases)
	c.Related = slices.Clone(a.Related)
	c.Scores = slices.Clone(a.Scores)
	c.Exploitation = a.Exploitation.clone()
	c.Affected = slices.Clone(a.Affected)
	for i := range c.Affected {
		af := &c.Affected[i]
		af.CPEs = slices.Clone(af.CPEs)
		af.Versions = slices.Clone(af.Versions)
		af.Ranges = slices.Clone(af.Ranges)
		for j := range af.Ranges {
			af.Ranges[j].Events = slices.Clone(af.Ranges[j].Events)
		}
	}
	c.Weaknesses = slices.Clone(a.Weaknesses)
	c.References = slices.Clone(a.References)
	c.Remediations = slices.Clone(a.Remediations)
	for i := range c.Remediations {
		c.Remediations[i].Products = slices.Clone(c.Remediations[i].Products)
	}
	c.Notes = slices.Clone(a.Notes)
	c.Tags = slices.Clone(a.Tags)
	c.Extra = maps.Clone(a.Extra)
	return c
}

func (e Exploitation) clone() Exploitation {
	if e.KEV != nil {
		k := *e.KEV
		e.KEV = &k
	}
	if e.SSVC != nil {
		s := *e.SSVC
		e.SSVC = &s
	}
	if e.EPSS != nil {
		p := *e.EPSS
		e.EPSS = &p
	}
	e.Statements = slices.Clone(e.Statements)
	return e
}

// IsReleaseExtra reports whether an [Advisory.Extra] key describes the
// release a record came in ("<adapter>.release.<name>", such as the KEV
// catalogVersion) rather than the record itself. Such values change with
// every release of a feed, so comparisons that look for a revised record
// (intake's revision detection) leave them out.
func IsReleaseExtra(key string) bool {
	_, rest, ok := strings.Cut(key, ".")
	return ok && strings.HasPrefix(rest, "release.")
}

// NormalizeID is the form identifiers are compared and filed in: upper
// case, without surrounding space ("cve-2024-3400 " → "CVE-2024-3400").
// [Advisory.Keys] returns identifiers in this form; stores look keys up in it.
func NormalizeID(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }
