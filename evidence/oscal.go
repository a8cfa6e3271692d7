package evidence

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// OSCALVersion is the OSCAL release the OSCAL documents conform to (their
// metadata.oscal-version); they validate against that release's JSON
// schemas.
const OSCALVersion = "1.1.3"

// Schema IDs of the OSCAL documents: the $id of the official OSCAL 1.1.3
// JSON schemas they validate against. The manifest lists them as the
// schemas of oscal-assessment-results.json (artefact E10) and
// oscal-poam.json (artefact E5).
const (
	OSCALAssessmentResultsSchema = "http://csrc.nist.gov/ns/oscal/1.1.3/oscal-ar-schema.json"
	OSCALPOAMSchema              = "http://csrc.nist.gov/ns/oscal/1.1.3/oscal-poam-schema.json"
)

// OSCALNamespace qualifies the sigwatch-specific properties ("sha256",
// "cve", "owner", "due", …) of the OSCAL documents, as OSCAL asks of every
// property name it does not define itself.
const OSCALNamespace = "https://github.com/sigwatch/sigwatch/ns/oscal"

// OSCALControlID is the control the OSCAL finding targets.
const OSCALControlID = "A.5.6"

// OSCALInput is what the OSCAL documents are made of.
type OSCALInput struct {
	// Register is the register (its organisation and health). Required.
	Register *register.Register
	// Cases are the cases; the POA&M lists the open actionable ones.
	Cases []intake.Case
	// AsOf is the instant the documents describe: metadata.last-modified
	// and the observations' collected time. Required.
	AsOf time.Time
	// Period is the reporting period: the result's start and end. Optional:
	// without it the result starts and ends at AsOf.
	Period kpi.Period
	// Generator names the program in the documents' metadata. Optional.
	Generator string
	// Evidence are the pack files the observations point at, with their
	// SHA-256 (WritePack passes its manifest entries). Optional: without
	// them the observations carry no relevant-evidence.
	Evidence []ManifestFile
}

// OSCAL documents, as far as sigwatch fills them in. Field names and
// nesting follow the OSCAL 1.1.3 JSON model; every optional field is
// omitted when empty, since OSCAL forbids empty arrays.

type oscalAR struct {
	AssessmentResults oscalARBody `json:"assessment-results"`
}

type oscalARBody struct {
	UUID       string           `json:"uuid"`
	Metadata   oscalMetadata    `json:"metadata"`
	ImportAP   oscalImport      `json:"import-ap"`
	Results    []oscalResult    `json:"results"`
	BackMatter *oscalBackMatter `json:"back-matter,omitempty"`
}

type oscalPOAM struct {
	POAM oscalPOAMBody `json:"plan-of-action-and-milestones"`
}

type oscalPOAMBody struct {
	UUID       string           `json:"uuid"`
	Metadata   oscalMetadata    `json:"metadata"`
	Risks      []oscalRisk      `json:"risks,omitempty"`
	POAMItems  []oscalPOAMItem  `json:"poam-items"`
	BackMatter *oscalBackMatter `json:"back-matter,omitempty"`
}

type oscalMetadata struct {
	Title        string       `json:"title"`
	LastModified string       `json:"last-modified"`
	Version      string       `json:"version"`
	OSCALVersion string       `json:"oscal-version"`
	Props        []oscalProp  `json:"props,omitempty"`
	Parties      []oscalParty `json:"parties,omitempty"`
	Remarks      string       `json:"remarks,omitempty"`
}

type oscalParty struct {
	UUID string `json:"uuid"`
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
}

type oscalProp struct {
	Name  string `json:"name"`
	NS    string `json:"ns,omitempty"`
	Value string `json:"value"`
}

type oscalImport struct {
	Href    string `json:"href"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalResult struct {
	UUID             string                `json:"uuid"`
	Title            string                `json:"title"`
	Description      string                `json:"description"`
	Start            string                `json:"start"`
	End              string                `json:"end,omitempty"`
	ReviewedControls oscalReviewedControls `json:"reviewed-controls"`
	Observations     []oscalObservation    `json:"observations,omitempty"`
	Findings         []oscalFinding        `json:"findings,omitempty"`
}

type oscalReviewedControls struct {
	ControlSelections []oscalControlSelection `json:"control-selections"`
}

type oscalControlSelection struct {
	Description     string               `json:"description,omitempty"`
	IncludeControls []oscalSelectControl `json:"include-controls,omitempty"`
}

type oscalSelectControl struct {
	ControlID string `json:"control-id"`
}

type oscalObservation struct {
	UUID             string          `json:"uuid"`
	Title            string          `json:"title,omitempty"`
	Description      string          `json:"description"`
	Props            []oscalProp     `json:"props,omitempty"`
	Methods          []string        `json:"methods"`
	Types            []string        `json:"types,omitempty"`
	RelevantEvidence []oscalEvidence `json:"relevant-evidence,omitempty"`
	Collected        string          `json:"collected"`
	Expires          string          `json:"expires,omitempty"`
}

type oscalEvidence struct {
	Href        string      `json:"href,omitempty"`
	Description string      `json:"description"`
	Props       []oscalProp `json:"props,omitempty"`
	Links       []oscalLink `json:"links,omitempty"`
}

type oscalLink struct {
	Href      string `json:"href"`
	Rel       string `json:"rel,omitempty"`
	MediaType string `json:"media-type,omitempty"`
}

type oscalFinding struct {
	UUID                string             `json:"uuid"`
	Title               string             `json:"title"`
	Description         string             `json:"description"`
	Target              oscalFindingTarget `json:"target"`
	RelatedObservations []oscalRelatedObs  `json:"related-observations,omitempty"`
}

type oscalFindingTarget struct {
	Type     string            `json:"type"`
	TargetID string            `json:"target-id"`
	Title    string            `json:"title,omitempty"`
	Status   oscalTargetStatus `json:"status"`
}

type oscalTargetStatus struct {
	State   string `json:"state"`
	Reason  string `json:"reason,omitempty"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalRelatedObs struct {
	ObservationUUID string `json:"observation-uuid"`
}

type oscalBackMatter struct {
	Resources []oscalResource `json:"resources"`
}

type oscalResource struct {
	UUID        string       `json:"uuid"`
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	RLinks      []oscalRLink `json:"rlinks,omitempty"`
}

type oscalRLink struct {
	Href      string      `json:"href"`
	MediaType string      `json:"media-type,omitempty"`
	Hashes    []oscalHash `json:"hashes,omitempty"`
}

type oscalHash struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}

type oscalRisk struct {
	UUID        string `json:"uuid"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Statement   string `json:"statement"`
	Status      string `json:"status"`
	Deadline    string `json:"deadline,omitempty"`
}

type oscalPOAMItem struct {
	UUID         string             `json:"uuid,omitempty"`
	Title        string             `json:"title"`
	Description  string             `json:"description"`
	Props        []oscalProp        `json:"props,omitempty"`
	RelatedRisks []oscalRelatedRisk `json:"related-risks,omitempty"`
	Remarks      string             `json:"remarks,omitempty"`
}

type oscalRelatedRisk struct {
	RiskUUID string `json:"risk-uuid"`
}

// uuidNamespaceURL is the URL name space ID of RFC 4122, appendix C
// (6ba7b811-9dad-11d1-80b4-00c04fd430c8).
func uuidNamespaceURL() [16]byte {
	return [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
}

// uuid5 returns the name-based UUID of name in the name space ns (RFC 4122
// section 4.3, SHA-1): the same inputs always give the same UUID.
func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

func uuidString(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// oscalUUID names one object of one document. Its name space is the
// version 5 UUID of OSCALNamespace in the URL name space; the parts are
// joined with U+001F (a separator no ID contains) so that ("a|b", "c") and
// ("a", "b|c") differ.
func oscalUUID(parts ...string) string {
	space := uuid5(uuidNamespaceURL(), OSCALNamespace)
	return uuidString(uuid5(space, strings.Join(parts, "\x1f")))
}

// oscalLine makes s a valid OSCAL StringDatatype: one line, no leading or
// trailing space (runs of white space and control characters become one
// space). It returns "" for text with nothing else in it; callers drop
// such properties.
func oscalLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

func oscalProps(props ...[2]string) []oscalProp {
	var out []oscalProp
	for _, p := range props {
		if v := oscalLine(p[1]); v != "" {
			out = append(out, oscalProp{Name: p[0], NS: OSCALNamespace, Value: v})
		}
	}
	return out
}

// oscalTime formats t for an OSCAL DateTimeWithTimezoneDatatype: RFC 3339
// in UTC.
func oscalTime(t time.Time) string { return timeString(t) }

// oscalKey identifies the documents of one organisation, period and as-of
// instant; every UUID in them derives from it.
func (in *OSCALInput) key() []string {
	return []string{in.Register.Organisation.Name, in.Period.String(), oscalTime(in.AsOf)}
}

// uuid names one object of the documents of in.
func (in *OSCALInput) uuid(parts ...string) string { return oscalUUID(append(in.key(), parts...)...) }

func (in *OSCALInput) check() error {
	if in.Register == nil {
		return errNilRegister
	}
	if in.AsOf.IsZero() {
		return fmt.Errorf("evidence: OSCAL documents need an as-of time")
	}
	if y := in.AsOf.UTC().Year(); y < 1900 || y > 2999 {
		// OSCAL's date-time pattern only admits years 1900 to 2999.
		return fmt.Errorf("evidence: OSCAL documents: as-of %s is outside the years OSCAL admits (1900-2999)", timeString(in.AsOf))
	}
	return nil
}

func (in *OSCALInput) metadata(title string) oscalMetadata {
	version := in.Period.String()
	if version == "" {
		version = in.AsOf.UTC().Format(time.DateOnly)
	}
	m := oscalMetadata{Title: title, LastModified: oscalTime(in.AsOf), Version: version, OSCALVersion: OSCALVersion,
		Props: oscalProps([2]string{"generator", in.Generator}, [2]string{"control", Control})}
	if org := oscalLine(in.Register.Organisation.Name); org != "" {
		m.Parties = []oscalParty{{UUID: in.uuid("party", "organisation"), Type: "organization", Name: org}}
	}
	return m
}

// oscalObservationSpec says which artefact an observation covers.
var oscalObservationSpecs = []struct {
	artefact, title, method, description string
}{
	{"E1", "Register of special interest groups", "EXAMINE",
		"Snapshot of the register of special interest groups: each group with its kind, relevance, scope, owner and backup, membership, channels, review cadence and engagements."},
	{"E2", "Review records", "EXAMINE",
		"The periodic reviews of each register entry (keep, change or retire) with the next review due and the review status as of the as-of day."},
	{"E4", "Advisory response log", "EXAMINE",
		"Every advisory case: receipts, triage decision and its reasons, owner, due date, state, action reference and closure, with the full event trail."},
	{"E8", "Register health report", "TEST",
		"The findings of sigwatch's automated register checks (owners, reviews, memberships, proofs, duplicates) as of the as-of instant."},
}

// buildAssessmentResults returns the OSCAL assessment-results document.
func buildAssessmentResults(in OSCALInput) (*oscalAR, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	asOf := in.AsOf.UTC()
	start, end := asOf, asOf
	if !in.Period.IsZero() {
		start, end = in.Period.Start.UTC(), in.Period.End.UTC()
	}
	collected := oscalTime(asOf)
	expires := oscalTime(asOf.AddDate(0, 3, 0))

	planUUID := in.uuid("assessment-plan")
	var resources []oscalResource
	resources = append(resources, oscalResource{UUID: planUUID, Title: "No OSCAL assessment plan",
		Description: "sigwatch assesses control " + Control + " continuously from the register and the intake journal; " +
			"there is no separate OSCAL assessment plan, and import-ap points at this resource as a placeholder."})

	var observations []oscalObservation
	var related []oscalRelatedObs
	for _, spec := range oscalObservationSpecs {
		obs := oscalObservation{UUID: in.uuid("observation", spec.artefact),
			Title: spec.artefact + " " + spec.title, Description: spec.description,
			Props:   oscalProps([2]string{"artefact", spec.artefact}),
			Methods: []string{spec.method}, Types: []string{"control-objective"},
			Collected: collected, Expires: expires}
		for _, f := range in.Evidence {
			if f.Artefact != spec.artefact {
				continue
			}
			resUUID := in.uuid("evidence", f.Name)
			obs.RelevantEvidence = append(obs.RelevantEvidence, oscalEvidence{Href: f.Name,
				Description: fmt.Sprintf("%s (%s, %s, %d bytes, SHA-256 %s)", f.Name, f.Artefact, f.MediaType, f.Size, f.SHA256),
				Props:       oscalProps([2]string{"sha256", f.SHA256}, [2]string{"schema", f.Schema}),
				Links:       []oscalLink{{Href: "#" + resUUID, Rel: "reference"}}})
			resources = append(resources, oscalResource{UUID: resUUID, Title: f.Name,
				RLinks: []oscalRLink{{Href: f.Name, MediaType: f.MediaType, Hashes: []oscalHash{{Algorithm: "SHA-256", Value: f.SHA256}}}}})
		}
		observations = append(observations, obs)
		related = append(related, oscalRelatedObs{ObservationUUID: obs.UUID})
	}

	health := HealthReport(in.Register, asOf)
	state, reason := "satisfied", "pass"
	if health.Summary.Error > 0 {
		state, reason = "not-satisfied", "fail"
	}
	remarks := fmt.Sprintf("Register health as of %s: %d error, %d warning and %d info findings; any error finding makes the control not satisfied.",
		collected, health.Summary.Error, health.Summary.Warning, health.Summary.Info)
	open, openActionable := 0, 0
	for i := range in.Cases {
		if in.Cases[i].State.Open() {
			open++
			if in.Cases[i].Decision == triage.DecisionActionable {
				openActionable++
			}
		}
	}
	finding := oscalFinding{UUID: in.uuid("finding", OSCALControlID),
		Title: Control + " contact with special interest groups",
		Description: fmt.Sprintf("The organisation keeps a register of %d special interest groups and tracks their advisories: %d cases, %d open, %d of them open and actionable (see the POA&M).",
			len(in.Register.Groups), len(in.Cases), open, openActionable),
		Target: oscalFindingTarget{Type: "objective-id", TargetID: OSCALControlID, Title: Control,
			Status: oscalTargetStatus{State: state, Reason: reason, Remarks: remarks}},
		RelatedObservations: related}

	title := "Assessment results: " + Control
	if org := oscalLine(in.Register.Organisation.Name); org != "" {
		title += ", " + org
	}
	resultTitle := Control + " evidence"
	if p := in.Period.String(); p != "" {
		resultTitle += " for " + p
	}
	doc := &oscalAR{AssessmentResults: oscalARBody{
		UUID:     in.uuid("assessment-results"),
		Metadata: in.metadata(title),
		ImportAP: oscalImport{Href: "#" + planUUID, Remarks: "Placeholder: sigwatch has no OSCAL assessment plan; see the back-matter resource."},
		Results: []oscalResult{{UUID: in.uuid("result"), Title: resultTitle,
			Description: "Evidence collected by sigwatch for " + Control + " as of " + collected + ".",
			Start:       oscalTime(start), End: oscalTime(end),
			ReviewedControls: oscalReviewedControls{ControlSelections: []oscalControlSelection{{
				Description: Control, IncludeControls: []oscalSelectControl{{ControlID: OSCALControlID}}}}},
			Observations: observations, Findings: []oscalFinding{finding}}},
		BackMatter: &oscalBackMatter{Resources: resources},
	}}
	return doc, nil
}

// riskStatus maps a case state to an OSCAL risk status.
func riskStatus(s intake.State) string {
	switch s {
	case intake.StateAssigned, intake.StateActioned:
		return "remediating"
	default:
		return "open"
	}
}

// buildPOAM returns the OSCAL plan-of-action-and-milestones document.
func buildPOAM(in OSCALInput) (*oscalPOAM, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	open := openActions(in.Cases)
	title := "Plan of action and milestones: " + Control
	if org := oscalLine(in.Register.Organisation.Name); org != "" {
		title += ", " + org
	}
	body := oscalPOAMBody{UUID: in.uuid("poam"), Metadata: in.metadata(title)}
	for _, c := range open {
		riskUUID := in.uuid("risk", c.ID)
		adv := c.Advisory
		itemTitle := adv.Title
		if strings.TrimSpace(itemTitle) == "" {
			itemTitle = c.ID
		}
		received := "unknown"
		if r, ok := c.FirstReceipt(); ok {
			received = oscalTime(r.ReceivedAt) + " from " + r.Source
			if r.Group != "" {
				received += " (group " + r.Group + ")"
			}
		}
		desc := fmt.Sprintf("Advisory %s, received %s, triaged actionable", c.ID, received)
		if p := c.Priority(); p != "" {
			desc += " with priority " + string(p)
		}
		desc += "; state " + string(c.State) + "."
		props := oscalProps([2]string{"case-id", c.ID}, [2]string{"owner", c.Owner}, [2]string{"state", string(c.State)},
			[2]string{"priority", string(c.Priority())}, [2]string{"action-ref", c.ActionRef})
		if !c.Due.IsZero() {
			props = append(props, oscalProps([2]string{"due", oscalTime(c.Due)})...)
		}
		for _, cve := range adv.CVEs() {
			props = append(props, oscalProps([2]string{"cve", cve})...)
		}
		var remarks []string
		if owner := strings.TrimSpace(c.Owner); owner != "" {
			r := "Owner " + owner
			if !c.Due.IsZero() {
				r += " must act by " + oscalTime(c.Due)
			}
			remarks = append(remarks, r+".")
		} else {
			remarks = append(remarks, "No owner assigned.")
		}
		if c.Overdue(in.AsOf) {
			remarks = append(remarks, "Overdue as of "+oscalTime(in.AsOf)+".")
		}
		if c.Exception != nil {
			remarks = append(remarks, "An SLA exception runs until "+oscalTime(c.Exception.Until)+".")
		}
		if c.Triage != nil {
			if c.Triage.RuleID != "" {
				remarks = append(remarks, "Triage rule "+c.Triage.RuleID+".")
			}
			remarks = append(remarks, c.Triage.Reasons...)
		}
		risk := oscalRisk{UUID: riskUUID, Title: itemTitle,
			Description: desc,
			Statement:   "The advisory affects components of the organisation's stack until the owner acts on it.",
			Status:      riskStatus(c.State)}
		if !c.Due.IsZero() {
			risk.Deadline = oscalTime(c.Due)
		}
		body.Risks = append(body.Risks, risk)
		body.POAMItems = append(body.POAMItems, oscalPOAMItem{UUID: in.uuid("poam-item", c.ID),
			Title: itemTitle, Description: desc, Props: props,
			RelatedRisks: []oscalRelatedRisk{{RiskUUID: riskUUID}}, Remarks: strings.Join(remarks, " ")})
	}
	if len(body.POAMItems) == 0 {
		// OSCAL requires at least one poam-item; say plainly that none is open.
		body.POAMItems = []oscalPOAMItem{{UUID: in.uuid("poam-item", "none"),
			Title:       "No open actionable advisory",
			Description: "No advisory case was open and actionable as of " + oscalTime(in.AsOf) + ".",
			Props:       oscalProps([2]string{"placeholder", "true"})}}
	}
	return &oscalPOAM{POAM: body}, nil
}

// WriteOSCALAssessmentResults writes an OSCAL 1.1.3 assessment-results
// document (artefact E10) for control A.5.6: metadata (title, last-modified
// = in.AsOf, version = the period or the as-of date, oscal-version
// [OSCALVersion], the organisation as a party); import-ap pointing at a
// back-matter resource that says there is no OSCAL assessment plan (the
// href is a placeholder, "#" and that resource's UUID); one result from the
// period's start to its end with one observation each for the register
// (E1), the review records (E2), the response log (E4) and the register
// health report (E8), collected at in.AsOf and expiring three months later,
// each listing its pack files (in.Evidence) as relevant evidence with their
// SHA-256, repeated as back-matter resources with OSCAL hashes; and one
// finding on objective A.5.6, "satisfied" unless the register health check
// has an error finding ("not-satisfied").
//
// Every UUID is a name-based version 5 UUID (RFC 4122 section 4.3) of the
// organisation, period, as-of instant and the object's role, so the same
// inputs give the same bytes. Text from feeds and the register stays JSON
// string data; properties are made single-line as OSCAL requires.
func WriteOSCALAssessmentResults(w io.Writer, in OSCALInput) error {
	doc, err := buildAssessmentResults(in)
	if err != nil {
		return err
	}
	return writeJSON(w, "OSCAL assessment results", doc)
}

// WriteOSCALPOAM writes an OSCAL 1.1.3 plan of action and milestones
// (artefact E5) with one poam-item per open actionable case, earliest due
// first: the advisory title (the case ID when it has none), a description
// (ID, first receipt, priority, state), properties in [OSCALNamespace]
// (case-id, owner, state, priority, action-ref, due, and one "cve" per CVE
// ID), remarks (owner and due date, overdue, SLA exception, triage rule and
// reasons), and a related risk with the due date as its deadline. OSCAL
// requires at least one item: with no open actionable case the document has
// one item titled "No open actionable advisory". UUIDs are derived as for
// [WriteOSCALAssessmentResults].
func WriteOSCALPOAM(w io.Writer, in OSCALInput) error {
	doc, err := buildPOAM(in)
	if err != nil {
		return err
	}
	return writeJSON(w, "OSCAL POA&M", doc)
}

// openActions returns the open actionable cases — neither closed nor
// rejected, current decision actionable — earliest due first (no due date
// last), then by case ID: the POA&M's items and the HTML report's open
// actions.
func openActions(cases []intake.Case) []*intake.Case {
	var open []*intake.Case
	for i := range cases {
		if c := &cases[i]; c.State.Open() && c.Decision == triage.DecisionActionable {
			open = append(open, c)
		}
	}
	slices.SortStableFunc(open, func(a, b *intake.Case) int {
		switch {
		case a.Due.IsZero() != b.Due.IsZero():
			if a.Due.IsZero() {
				return 1
			}
			return -1
		case !a.Due.Equal(b.Due):
			return a.Due.Compare(b.Due)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return open
}
