package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
)

// CrosswalkSchema identifies artefact E11 in its Markdown form
// (crosswalk.md): the crosswalk from ISO/IEC 27001:2022 A.5.6 to other
// frameworks, one row per target control.
const CrosswalkSchema = "sigwatch.evidence.crosswalk/v1"

// CrosswalkVersion is the version of the crosswalk content that
// [Crosswalk] returns: the OSCAL mapping's metadata.version. It changes
// whenever an entry is added, removed or re-judged.
const CrosswalkVersion = "1.0.0"

// OSCALMappingVersion is the OSCAL release the mapping-collection document
// (artefact E11) conforms to (its metadata.oscal-version): the control
// mapping model first appeared in OSCAL 1.2. The other OSCAL documents of
// the pack stay on [OSCALVersion].
const OSCALMappingVersion = "1.2.1"

// OSCALMappingSchema is the $id of the official OSCAL 1.2.1 control
// mapping JSON schema the document [WriteOSCALMapping] writes validates
// against.
const OSCALMappingSchema = "http://csrc.nist.gov/ns/oscal/1.2.1/oscal-mapping-schema.json"

// CrosswalkSourceControl is the source side of every map: the control this
// library produces evidence for.
const CrosswalkSourceControl = "A.5.6"

// Relationship says how A.5.6 relates to a target control, in the set
// vocabulary of the OSCAL control mapping model (NIST IR 8477 set theory
// relationships), read as "A.5.6 is <relationship> the target".
type Relationship string

// The OSCAL relationships, plus NotSupported for a target that someone
// might expect but that A.5.6 does not answer.
const (
	// EquivalentTo: the two controls are interchangeable in effect,
	// though worded differently.
	EquivalentTo Relationship = "equivalent-to"
	// EqualTo: the two controls ask for the same thing.
	EqualTo Relationship = "equal-to"
	// SubsetOf: everything A.5.6 asks for is part of the target, which asks
	// for more.
	SubsetOf Relationship = "subset-of"
	// SupersetOf: the target is one part of what A.5.6 asks for.
	SupersetOf Relationship = "superset-of"
	// IntersectsWith: the two overlap, and each asks for something the
	// other does not.
	IntersectsWith Relationship = "intersects-with"
	// NotSupported records a target the crosswalk deliberately does not
	// map, with the reason. It is not an OSCAL relationship: the OSCAL
	// document lists such a control in the mapping's target-gap-summary.
	NotSupported Relationship = "not-supported"
)

// OSCAL reports whether r is one of the five OSCAL relationships.
func (r Relationship) OSCAL() bool {
	switch r {
	case EquivalentTo, EqualTo, SubsetOf, SupersetOf, IntersectsWith:
		return true
	}
	return false
}

// Valid reports whether r is an OSCAL relationship or NotSupported.
func (r Relationship) Valid() bool { return r.OSCAL() || r == NotSupported }

// Verdict is how firmly a crosswalk entry stands.
type Verdict string

// Verdicts, strongest first.
const (
	// VerdictPivot marks the control through which other mappings are
	// reached (SCF GOV-07).
	VerdictPivot Verdict = "pivot"
	// VerdictStrong: confirmed by an authoritative mapping and by our own
	// reading, and the overlap is large.
	VerdictStrong Verdict = "strong"
	// VerdictConfirmed: confirmed by our own reading of the text, and by a
	// published mapping where one exists.
	VerdictConfirmed Verdict = "confirmed"
	// VerdictPartial: only part of the target is answered, or the mapping
	// holds only through an intermediate framework; the rationale says which.
	VerdictPartial Verdict = "partial"
	// VerdictOptional: defensible but secondary; use it when the audience
	// asks for that framework.
	VerdictOptional Verdict = "optional"
	// VerdictNotSupported: not a target of A.5.6 (Relationship NotSupported).
	VerdictNotSupported Verdict = "not-supported"
)

// CrosswalkEntry is one target control of the crosswalk from ISO/IEC
// 27001:2022 A.5.6. Titles and rationales are sigwatch's own words:
// framework texts are not reproduced (see the licence note of
// [WriteCrosswalkMarkdown]).
type CrosswalkEntry struct {
	// Framework names the target framework and its edition ("NIST SP
	// 800-53 Rev. 5").
	Framework string
	// Control is the target control's identifier as the framework writes
	// it ("PM-15", "Art. 13(1)").
	Control string
	// Title is our one-line description of what the target asks for.
	Title string
	// Relationship is how A.5.6 relates to the target.
	Relationship Relationship
	// Verdict is how firmly the entry stands.
	Verdict Verdict
	// Rationale says, in our words, why the relationship and verdict hold
	// (or, for NotSupported, why the target is not mapped).
	Rationale string
	// Provenance names the sources the judgement rests on or was checked
	// against.
	Provenance string
	// Evidence are the IDs of the evidence artefacts ("E1" … "E12") that
	// answer the target; empty for NotSupported.
	Evidence []string
}

const crosswalkISO = "ISO/IEC 27001:2022"

// crosswalkFrameworks returns the official reference of each framework the
// crosswalk names, by name.
func crosswalkFrameworks() map[string]string {
	return map[string]string{
		crosswalkISO:                                      "https://www.iso.org/standard/27001",
		"NIST SP 800-53 Rev. 5":                           "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
		"AICPA Trust Services Criteria (2017)":            "https://www.aicpa-cima.com/resources/download/2017-trust-services-criteria-with-revised-points-of-focus-2022",
		"NIST CSF 2.0":                                    "https://doi.org/10.6028/NIST.CSWP.29",
		"CIS Controls v8":                                 "https://www.cisecurity.org/controls/v8",
		"DORA, Regulation (EU) 2022/2554":                 "https://eur-lex.europa.eu/eli/reg/2022/2554/oj",
		"DORA RTS, Delegated Regulation (EU) 2024/1774":   "https://eur-lex.europa.eu/eli/reg_del/2024/1774/oj",
		"NIS2 IR, Implementing Regulation (EU) 2024/2690": "https://eur-lex.europa.eu/eli/reg_impl/2024/2690/oj",
		"BSI IT-Grundschutz Kompendium (Edition 2023)":    "https://www.bsi.bund.de/grundschutz",
		"Secure Controls Framework (SCF)":                 "https://securecontrolsframework.com/",
		"PCI DSS v4.0":                                    "https://www.pcisecuritystandards.org/document_library/",
	}
}

// Provenance strings shared by several entries.
const (
	provNISTOLIR = "NIST OLIR informative reference SP 800-53 Rev. 5 to ISO/IEC 27001:2022 (public domain); " +
		"sigwatch's own reading of both texts"
	provSCF = "Secure Controls Framework STRM crosswalk (release 2025.2.2, CC BY-ND 4.0): consulted to " +
		"cross-check the relationship only, nothing copied"
)

// Crosswalk returns the crosswalk from ISO/IEC 27001:2022 A.5.6 to other
// frameworks, in a fixed order (grouped by framework). Each call returns
// a fresh slice that the caller may change.
//
// The entries are sigwatch's own analysis. Published mappings (NIST OLIR,
// the Secure Controls Framework, intuitem's mappings) were used to check it,
// and each entry's Provenance says which; their files are not reproduced.
func Crosswalk() []CrosswalkEntry {
	return []CrosswalkEntry{
		{Framework: "NIST SP 800-53 Rev. 5", Control: "PM-15",
			Title:        "Keep in touch with security groups and associations, to train staff, stay current and share threat, vulnerability and incident information.",
			Relationship: IntersectsWith, Verdict: VerdictStrong,
			Rationale: "Both ask for standing contact with outside security communities. PM-15 spells out what the " +
				"contact is for (training, staying current, sharing information); A.5.6 asks for the contact itself " +
				"and its upkeep. Each says something the other does not, so they intersect; the overlap is large.",
			Provenance: provNISTOLIR, Evidence: []string{"E1", "E6", "E7"}},
		{Framework: "NIST SP 800-53 Rev. 5", Control: "SI-5",
			Title:        "Receive security alerts and advisories from outside sources, pass them to the people concerned and act on them in time.",
			Relationship: IntersectsWith, Verdict: VerdictConfirmed,
			Rationale: "SI-5 is the intake side of A.5.6: advisories arrive through the channels the register lists, " +
				"are routed to an owner and acted on by a due date. SI-5 also reaches into vulnerability management " +
				"(ISO/IEC 27001 A.8.8), which A.5.6 does not cover.",
			Provenance: provNISTOLIR, Evidence: []string{"E4", "E5", "E6"}},
		{Framework: "AICPA Trust Services Criteria (2017)", Control: "CC2.3",
			Title:        "Communicate with outside parties about matters that affect the functioning of internal control.",
			Relationship: IntersectsWith, Verdict: VerdictConfirmed,
			Rationale: "The SOC 2 anchor for A.5.6: exchanging security information with outside groups is one form " +
				"of the external communication CC2.3 (COSO principle 15) asks for; CC2.3 also covers customers, " +
				"regulators and others that A.5.6 does not.",
			Provenance: provSCF + "; SCF maps GOV-07 to CC2.3 and to a CC2.2 point of focus",
			Evidence:   []string{"E1", "E6", "E7"}},
		{Framework: "AICPA Trust Services Criteria (2017)", Control: "CC7.2",
			Title:        "Monitor system components for anomalies that indicate malicious acts, errors or natural disasters, and analyse them.",
			Relationship: NotSupported, Verdict: VerdictNotSupported,
			Rationale: "Not a target of A.5.6. CC7.2 is about monitoring the entity's own systems; at most it is " +
				"related through the path advisory, vulnerability, detection, which belongs to logging and " +
				"monitoring (A.8.16) and vulnerability management (A.8.8), not to contact with groups. Claiming it " +
				"would overstate what this evidence shows.",
			Provenance: "intuitem's SOC 2 to ISO/IEC 27001:2022 mapping (consulted, not copied) sends CC7.2 only to " +
				"A.8.16 and A.8.6; sigwatch's own reading agrees"},
		{Framework: "NIST CSF 2.0", Control: "ID.RA-02",
			Title:        "Receive cyber threat intelligence from information-sharing forums and sources.",
			Relationship: IntersectsWith, Verdict: VerdictPartial,
			Rationale: "Defensible only through the SCF pivot (GOV-07 to ID.RA-02): NIST's own CSF 2.0 reference to " +
				"ISO/IEC 27001:2022 maps ID.RA-02 to A.5.7, A.5.22 and A.8.16, not to A.5.6. The register's channels " +
				"and the intake log show the receiving side; say that the mapping is indirect when using it.",
			Provenance: provSCF + "; NIST CSF 2.0 informative reference to ISO/IEC 27001:2022 (does not list A.5.6)",
			Evidence:   []string{"E1", "E4"}},
		{Framework: "NIST CSF 2.0", Control: "GV.OC-02",
			Title:        "Understand the organisation's internal and external stakeholders and what they need and expect of its cybersecurity risk management.",
			Relationship: IntersectsWith, Verdict: VerdictOptional,
			Rationale: "Optional secondary target: the register documents which outside communities the organisation " +
				"relies on and why (its relevance statements), one part of knowing its external stakeholders.",
			Provenance: "third-party CSF 2.0 to ISO/IEC 27001:2022 mapping (TLP:GREEN, 2024-03-01) maps GV.OC-02 to " +
				"A.5.5 and A.5.6; sigwatch's own reading",
			Evidence: []string{"E1"}},
		{Framework: "CIS Controls v8", Control: "17.2",
			Title:        "Keep current contact details of the parties to inform about security incidents, ISAC partners included, and check them every year.",
			Relationship: SupersetOf, Verdict: VerdictPartial,
			Rationale: "17.2 is the incident-contact slice of A.5.6 (it also maps to A.5.20 and A.5.24), so A.5.6 is " +
				"the superset. The register's contacts and the yearly review records answer it. Checked against " +
				"the v8 wording; the v8.1 wording was not checked.",
			Provenance: "intuitem's CIS Controls v8 to ISO/IEC 27001:2022 mapping (consulted, not copied); CIS " +
				"Controls v8 text",
			Evidence: []string{"E1", "E2"}},
		{Framework: "DORA, Regulation (EU) 2022/2554", Control: "Art. 13(1)",
			Title:        "Have the capabilities and staff to gather information on ICT vulnerabilities and cyber threats.",
			Relationship: IntersectsWith, Verdict: VerdictConfirmed,
			Rationale: "The register (which sources are followed, by whom) and the intake log (what arrived and what " +
				"was done) show the capability to gather vulnerability and threat information; Art. 13(1) also " +
				"asks for analysis of ICT incidents, outside A.5.6.",
			Provenance: "regulation text, paraphrased", Evidence: []string{"E1", "E4"}},
		{Framework: "DORA, Regulation (EU) 2022/2554", Control: "Art. 45(1)",
			Title:        "Financial entities may exchange cyber threat information and intelligence with each other within trusted communities.",
			Relationship: IntersectsWith, Verdict: VerdictConfirmed,
			Rationale: "Membership of trusted sharing communities is what the register records, and the engagement " +
				"log shows information going both ways; Art. 45(1) also sets conditions on the exchange (protection " +
				"of data, business confidentiality) that A.5.6 does not.",
			Provenance: "regulation text, paraphrased", Evidence: []string{"E1", "E7"}},
		{Framework: "DORA, Regulation (EU) 2022/2554", Control: "Art. 45(3)",
			Title:        "Tell the competent authority when participation in an information-sharing arrangement is validated and when it ends.",
			Relationship: IntersectsWith, Verdict: VerdictConfirmed,
			Rationale: "The register's membership start and end dates (and its regulatory notes) give the events the " +
				"notifications are about, and the health check flags a missing notification; the notification " +
				"itself is a separate record the organisation keeps.",
			Provenance: "regulation text, paraphrased", Evidence: []string{"E1", "E8"}},
		{Framework: "DORA RTS, Delegated Regulation (EU) 2024/1774", Control: "Art. 10(2)(a)",
			Title:        "Vulnerability procedures identify relevant and trustworthy sources of vulnerability information and keep them up to date.",
			Relationship: IntersectsWith, Verdict: VerdictConfirmed,
			Rationale: "The register with its relevance statements is the list of sources, and its periodic reviews " +
				"keep it current; Art. 10(2)(c)(ii), on ICT providers reporting critical vulnerabilities in time, " +
				"is the supplier side and is not mapped here.",
			Provenance: "delegated regulation text, paraphrased", Evidence: []string{"E1", "E2", "E4"}},
		{Framework: "NIS2 IR, Implementing Regulation (EU) 2024/2690", Control: "Annex 6.10.2(a)",
			Title:        "Monitor information about vulnerabilities through suitable channels, such as CSIRT and authority announcements and supplier information.",
			Relationship: IntersectsWith, Verdict: VerdictConfirmed,
			Rationale: "The register names the channels (CSIRTs, authorities, suppliers) and the intake log shows them " +
				"being monitored; the rest of point 6.10 (handling and disclosure of vulnerabilities) is outside A.5.6.",
			Provenance: "implementing regulation text, paraphrased", Evidence: []string{"E1", "E4"}},
		{Framework: "BSI IT-Grundschutz Kompendium (Edition 2023)", Control: "DER.1.A12",
			Title:        "Use outside sources to detect security events: take in and forward reports, judge how reliable sources are, assess relevance, escalate.",
			Relationship: IntersectsWith, Verdict: VerdictConfirmed,
			Rationale: "A standard-level requirement whose parts A12.1 to A12.4 (outside sources, forwarding reports, " +
				"reliable sources, relevance) are answered by the register and the intake log, and A12.5 " +
				"(escalation) by the advisory to action trail; its focus on detecting events goes beyond A.5.6.",
			Provenance: "BSI IT-Grundschutz Kompendium, Edition 2023, paraphrased",
			Evidence:   []string{"E1", "E4", "E5"}},
		{Framework: "Secure Controls Framework (SCF)", Control: "GOV-07",
			Title:        "Keep contact with selected groups and associations in the security community.",
			Relationship: EqualTo, Verdict: VerdictPivot,
			Rationale: "SCF's control for contact with groups and associations asks for what A.5.6 asks for. It is " +
				"the pivot through which the SOC 2, CSF 2.0 and PCI DSS targets are reached.",
			Provenance: provSCF, Evidence: []string{"E1", "E2", "E3", "E7"}},
		{Framework: "PCI DSS v4.0", Control: "6.3.1",
			Title:        "Identify new security vulnerabilities from industry-recognised sources and rank them by risk.",
			Relationship: IntersectsWith, Verdict: VerdictOptional,
			Rationale: "Optional: the advisory channels in the register are the industry sources, and the intake log " +
				"with its triage shows identification and ranking; 6.3.1 is about vulnerability management, " +
				"which A.5.6 only feeds.",
			Provenance: "via SCF GOV-07; " + provSCF, Evidence: []string{"E4", "E5"}},
	}
}

// artefactID matches an evidence artefact ID.
var artefactID = regexp.MustCompile(`^E([1-9]|1[0-2])$`)

// oscalToken matches an OSCAL TokenDatatype (an XML NCName), as the OSCAL
// schema's pattern has it; target-gap-summary lists controls as tokens.
var oscalToken = regexp.MustCompile(`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`)

// checkCrosswalk validates entries: required text, a known relationship and
// verdict consistent with it, artefact IDs, no duplicate target.
func checkCrosswalk(entries []CrosswalkEntry) error {
	if len(entries) == 0 {
		return fmt.Errorf("evidence: crosswalk has no entries")
	}
	seen := map[[2]string]bool{}
	for i, e := range entries {
		at := func(format string, args ...any) error {
			return fmt.Errorf("evidence: crosswalk entry %d (%q %q): %s", i, e.Framework, e.Control, fmt.Sprintf(format, args...))
		}
		for _, f := range [][2]string{{"framework", e.Framework}, {"control", e.Control}, {"title", e.Title},
			{"rationale", e.Rationale}, {"provenance", e.Provenance}} {
			if oscalLine(f[1]) == "" {
				return at("no %s", f[0])
			}
		}
		if !e.Relationship.Valid() {
			return at("relationship %q is not one of equivalent-to, equal-to, subset-of, superset-of, intersects-with, not-supported", e.Relationship)
		}
		if (e.Relationship == NotSupported) != (e.Verdict == VerdictNotSupported) {
			return at("relationship %q and verdict %q disagree: not-supported goes with not-supported", e.Relationship, e.Verdict)
		}
		switch e.Verdict {
		case VerdictPivot, VerdictStrong, VerdictConfirmed, VerdictPartial, VerdictOptional, VerdictNotSupported:
		default:
			return at("unknown verdict %q", e.Verdict)
		}
		if e.Relationship == NotSupported {
			if len(e.Evidence) > 0 {
				return at("a not-supported target lists evidence")
			}
			if !oscalToken.MatchString(e.Control) {
				return at("a not-supported control must be an OSCAL token (it is listed in a target-gap-summary)")
			}
		}
		for _, id := range e.Evidence {
			if !artefactID.MatchString(id) {
				return at("evidence %q is not an artefact ID E1 to E12", id)
			}
		}
		k := [2]string{e.Framework, e.Control}
		if seen[k] {
			return at("duplicate target")
		}
		seen[k] = true
	}
	return nil
}

// WriteCrosswalkMarkdown writes artefact E11 for people: a title, the
// relationship vocabulary, one table row per [Crosswalk] entry (framework,
// control, our description, relationship, verdict, rationale, evidence
// artefacts, provenance) and the licence position. Every cell goes through
// [MarkdownCell]. The output depends on nothing but the crosswalk, so it is
// the same for every pack.
func WriteCrosswalkMarkdown(w io.Writer) error {
	entries := Crosswalk()
	if err := checkCrosswalk(entries); err != nil {
		return err
	}
	md := newMarkdown(w)
	line, row := md.line, md.row
	line("# Crosswalk: ISO/IEC 27001:2022 A.5.6 to other frameworks")
	line()
	line("Control: ", Control, " (contact with special interest groups)  ")
	line("Schema: ", CrosswalkSchema, ", crosswalk version ", CrosswalkVersion, "  ")
	line("Machine-readable form: OSCAL ", OSCALMappingVersion, " mapping-collection (", OSCALMappingSchema, ")")
	line()
	line("Read each row as \"A.5.6 *relationship* the target\". Relationships use the OSCAL control mapping ",
		"vocabulary: equal-to (same requirement), equivalent-to (same effect, different wording), subset-of ",
		"(the target asks for more), superset-of (the target is one part of A.5.6), intersects-with (each asks ",
		"for something the other does not). A not-supported row names a target that is sometimes claimed but ",
		"that this evidence does not answer, with the reason. Evidence lists the pack's artefacts (E1 register, ",
		"E2 reviews, E3 membership proofs, E4 response log, E5 POA&M, E6 dissemination, E7 engagements, ",
		"E8 register health) that answer the target.")
	line()
	row("Framework", "Control", "What it asks (our words)", "Relationship", "Verdict", "Rationale", "Evidence", "Provenance")
	line("|", strings.Repeat("---|", 8))
	for _, e := range entries {
		ev := strings.Join(e.Evidence, ", ")
		if ev == "" {
			ev = "none"
		}
		row(e.Framework, e.Control, e.Title, string(e.Relationship), string(e.Verdict), e.Rationale, ev, e.Provenance)
	}
	line()
	line("## Licence position")
	line()
	line("Control identifiers are cited so that readers can find the controls; the descriptions and rationales ",
		"are sigwatch's own words, not the frameworks' text. ISO/IEC 27001 and 27002, the AICPA Trust Services ",
		"Criteria, CIS Controls, PCI DSS and BSI IT-Grundschutz texts are protected by their publishers' terms ",
		"and are not reproduced. EU legal acts (DORA, its RTS, the NIS2 implementing regulation) are paraphrased ",
		"and cited by article. NIST mappings (OLIR) are public domain and used with attribution. The Secure ",
		"Controls Framework crosswalks (CC BY-ND 4.0) and intuitem's mappings (CISO Assistant, AGPL-3.0 with ",
		"per-file copyrights) were consulted only to cross-check this analysis; none of their files or text is ",
		"copied.")
	return md.close("crosswalk")
}

// MappingInput is what the OSCAL mapping document is made of.
type MappingInput struct {
	// AsOf is the pack's as-of instant: metadata.last-modified. Required.
	AsOf time.Time
	// Generator names the program in the metadata. Optional.
	Generator string
	// Entries is the crosswalk. Optional: nil means [Crosswalk]().
	Entries []CrosswalkEntry
}

// OSCAL control mapping document (1.2.1 JSON model), as far as sigwatch
// fills it in; optional fields are omitted when empty since OSCAL forbids
// empty arrays.

type oscalMappingDoc struct {
	MappingCollection oscalMappingCollection `json:"mapping-collection"`
}

type oscalMappingCollection struct {
	UUID       string                 `json:"uuid"`
	Metadata   oscalMetadata          `json:"metadata"`
	Provenance oscalMappingProvenance `json:"provenance"`
	Mappings   []oscalMapping         `json:"mappings"`
	BackMatter *oscalBackMatter       `json:"back-matter,omitempty"`
}

type oscalMappingProvenance struct {
	Method             string `json:"method"`
	MatchingRationale  string `json:"matching-rationale"`
	Status             string `json:"status"`
	MappingDescription string `json:"mapping-description"`
	Remarks            string `json:"remarks,omitempty"`
}

type oscalMapping struct {
	UUID             string               `json:"uuid"`
	SourceResource   oscalMappingResource `json:"source-resource"`
	TargetResource   oscalMappingResource `json:"target-resource"`
	Maps             []oscalMap           `json:"maps"`
	Remarks          string               `json:"remarks,omitempty"`
	TargetGapSummary *oscalGapSummary     `json:"target-gap-summary,omitempty"`
}

type oscalMappingResource struct {
	Type  string      `json:"type"`
	Href  string      `json:"href"`
	Props []oscalProp `json:"props,omitempty"`
}

type oscalMap struct {
	UUID            string                `json:"uuid"`
	Relationship    string                `json:"relationship"`
	Sources         []oscalMappingItem    `json:"sources"`
	Targets         []oscalMappingItem    `json:"targets"`
	ConfidenceScore *oscalConfidenceScore `json:"confidence-score,omitempty"`
	Props           []oscalProp           `json:"props,omitempty"`
	Remarks         string                `json:"remarks,omitempty"`
}

type oscalMappingItem struct {
	Type  string `json:"type"`
	IDRef string `json:"id-ref"`
}

type oscalConfidenceScore struct {
	Category string `json:"category"`
}

type oscalGapSummary struct {
	UUID             string                  `json:"uuid"`
	UnmappedControls []oscalSelectControlIDs `json:"unmapped-controls"`
}

type oscalSelectControlIDs struct {
	WithIDs []string `json:"with-ids"`
}

// crosswalkDigest is the SHA-256 of the entries' canonical JSON: the
// collection's UUID changes whenever the content does (OSCAL asks for a
// new document UUID on every revision).
func crosswalkDigest(entries []CrosswalkEntry) string {
	b, _ := json.Marshal(entries) // plain strings and slices: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// buildMapping returns the OSCAL mapping-collection document.
func buildMapping(in MappingInput) (*oscalMappingDoc, error) {
	if in.AsOf.IsZero() {
		return nil, fmt.Errorf("evidence: OSCAL mapping needs an as-of time")
	}
	if y := in.AsOf.UTC().Year(); y < 1900 || y > 2999 {
		return nil, fmt.Errorf("evidence: OSCAL mapping: as-of %s is outside the years OSCAL admits (1900-2999)", timeString(in.AsOf))
	}
	entries := in.Entries
	if entries == nil {
		entries = Crosswalk()
	}
	if err := checkCrosswalk(entries); err != nil {
		return nil, err
	}
	refs := crosswalkFrameworks()
	// Frameworks in the order of their first entry.
	var frameworks []string
	byFramework := map[string][]CrosswalkEntry{}
	for _, e := range entries {
		if _, ok := byFramework[e.Framework]; !ok {
			frameworks = append(frameworks, e.Framework)
		}
		byFramework[e.Framework] = append(byFramework[e.Framework], e)
	}
	resourceUUID := func(framework string) string { return oscalUUID("mapping", "resource", framework) }
	resource := func(framework string) oscalResource {
		r := oscalResource{UUID: resourceUUID(framework), Title: oscalLine(framework)}
		if u, ok := refs[framework]; ok {
			r.RLinks = []oscalRLink{{Href: u, MediaType: "text/html"}}
		} else {
			r.Description = "No official reference URL is recorded for this framework."
		}
		return r
	}
	resources := []oscalResource{resource(crosswalkISO)}
	var mappings []oscalMapping
	for _, fw := range frameworks {
		m := oscalMapping{UUID: oscalUUID("mapping", fw),
			SourceResource: oscalMappingResource{Type: "catalog", Href: "#" + resourceUUID(crosswalkISO),
				Props: oscalProps([2]string{"framework", crosswalkISO})},
			TargetResource: oscalMappingResource{Type: "catalog", Href: "#" + resourceUUID(fw),
				Props: oscalProps([2]string{"framework", fw})}}
		var gaps, gapNotes []string
		for _, e := range byFramework[fw] {
			if e.Relationship == NotSupported {
				gaps = append(gaps, e.Control)
				gapNotes = append(gapNotes, e.Control+" is not supported: "+oscalLine(e.Rationale)+" ("+oscalLine(e.Provenance)+")")
				continue
			}
			props := oscalProps([2]string{"title", e.Title}, [2]string{"verdict", string(e.Verdict)},
				[2]string{"provenance", e.Provenance})
			for _, id := range e.Evidence {
				props = append(props, oscalProps([2]string{"evidence", id})...)
			}
			m.Maps = append(m.Maps, oscalMap{UUID: oscalUUID("mapping", fw, e.Control),
				Relationship:    string(e.Relationship),
				Sources:         []oscalMappingItem{{Type: "control", IDRef: CrosswalkSourceControl}},
				Targets:         []oscalMappingItem{{Type: "control", IDRef: oscalLine(e.Control)}},
				ConfidenceScore: &oscalConfidenceScore{Category: string(e.Verdict)},
				Props:           props, Remarks: e.Rationale})
		}
		if len(m.Maps) == 0 {
			return nil, fmt.Errorf("evidence: crosswalk framework %q has no supported target: OSCAL needs at least one map per mapping", fw)
		}
		if len(gaps) > 0 {
			m.TargetGapSummary = &oscalGapSummary{UUID: oscalUUID("mapping", fw, "target-gap-summary"),
				UnmappedControls: []oscalSelectControlIDs{{WithIDs: gaps}}}
			m.Remarks = strings.Join(gapNotes, "\n\n")
		}
		mappings = append(mappings, m)
		resources = append(resources, resource(fw))
	}
	slices.SortStableFunc(resources[1:], func(a, b oscalResource) int { return strings.Compare(a.Title, b.Title) })

	md := oscalMetadata{Title: "Crosswalk: " + Control + " to other frameworks", LastModified: oscalTime(in.AsOf),
		Version: CrosswalkVersion, OSCALVersion: OSCALMappingVersion,
		Props: oscalProps([2]string{"generator", in.Generator}, [2]string{"control", Control})}
	doc := &oscalMappingDoc{MappingCollection: oscalMappingCollection{
		UUID:     oscalUUID("mapping-collection", CrosswalkVersion, oscalTime(in.AsOf), crosswalkDigest(entries)),
		Metadata: md,
		Provenance: oscalMappingProvenance{Method: "human", MatchingRationale: "semantic", Status: "complete",
			MappingDescription: "How evidence for " + Control + " (contact with special interest groups) answers " +
				"controls of other frameworks. Source: " + crosswalkISO + " control " + CrosswalkSourceControl +
				"; targets: one mapping per framework. Each map reads \"A.5.6 <relationship> the target\" and carries " +
				"sigwatch's own description of the target (prop title), the verdict, the provenance and the evidence " +
				"artefacts that answer it; targets deliberately not mapped are listed in the mapping's " +
				"target-gap-summary with the reason in its remarks.",
			Remarks: "Control identifiers only; descriptions and rationales are sigwatch's own words. Published " +
				"mappings (NIST OLIR, public domain; SCF, CC BY-ND 4.0; intuitem, AGPL-3.0) were consulted to " +
				"cross-check this analysis and are not reproduced."},
		Mappings:   mappings,
		BackMatter: &oscalBackMatter{Resources: resources},
	}}
	return doc, nil
}

// WriteOSCALMapping writes artefact E11 as an OSCAL 1.2.1 mapping-collection
// document that validates against the official schema ([OSCALMappingSchema]):
// metadata (title, last-modified = in.AsOf, version [CrosswalkVersion],
// oscal-version [OSCALMappingVersion]); provenance (method human, matching
// rationale semantic, status complete, and a description of how to read
// it); one mapping per target framework, in crosswalk order, from ISO/IEC
// 27001:2022 to the framework (both back-matter resources that link the
// official text), with one map per supported target (relationship, source
// A.5.6, the target control, the verdict as confidence-score category,
// properties in [OSCALNamespace]: title, verdict, provenance and one
// "evidence" per artefact ID, and the rationale as remarks); targets
// marked [NotSupported] go to the mapping's target-gap-summary, with the
// reason in its remarks.
//
// Every UUID is a name-based version 5 UUID: a map's and a mapping's derive
// from the framework and control alone, so they stay the same across
// revisions as OSCAL asks; the collection's from the crosswalk version,
// in.AsOf and a SHA-256 of the entries, so a changed crosswalk gets a new
// document UUID. An entry with an unknown relationship or verdict, missing
// text, or a bad artefact ID is an error.
func WriteOSCALMapping(w io.Writer, in MappingInput) error {
	doc, err := buildMapping(in)
	if err != nil {
		return err
	}
	return writeJSON(w, "OSCAL mapping", doc)
}
