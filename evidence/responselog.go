package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/sigwatch/sigwatch/intake"
)

// ResponseLogSchema identifies artefact E4, the advisory response log, in
// its CSV and JSON forms (response-log.csv, response-log.json). Under one
// schema ID the CSV columns, their order and the JSON field names do not
// change; a changed meaning gets a new version.
const ResponseLogSchema = "sigwatch.evidence.response-log/v1"

// ResponseLog is the JSON form of artefact E4.
type ResponseLog struct {
	Schema  string           `json:"schema"`
	Records []ResponseRecord `json:"records"`
}

// ResponseRecord is one case as evidence: how the advisory arrived, how it
// was triaged and why, and what happened to it. Times are RFC 3339 in UTC;
// "" means not (yet) recorded. Lists are never null.
type ResponseRecord struct {
	CaseID string `json:"case_id"`
	// Keys are every identifier of the vulnerability (ID and aliases), upper case.
	Keys       []string `json:"keys"`
	AdvisoryID string   `json:"advisory_id"`
	Aliases    []string `json:"aliases"`
	Title      string   `json:"title"`
	Publisher  string   `json:"publisher"`
	URL        string   `json:"url"`
	TLP        string   `json:"tlp"`
	// AdvisorySHA256 is the hex SHA-256 of the case's merged, normalised
	// advisory as JSON (feeds.Advisory), so a later change is detectable.
	// For a case RedactCases redacted it is the original advisory's hash
	// (kept in the advisory's Extra), so the redacted log still proves
	// what was received.
	AdvisorySHA256 string `json:"advisory_sha256"`

	// FirstReceivedAt, FirstSource, FirstGroup and FirstManual describe the
	// earliest receipt: the one KPIs use.
	FirstReceivedAt string `json:"first_received_at"`
	FirstSource     string `json:"first_source"`
	FirstGroup      string `json:"first_group"`
	FirstManual     bool   `json:"first_manual"`
	ReceiptCount    int    `json:"receipt_count"`
	// Receipts are every arrival, earliest first (JSON only).
	Receipts []ReceiptRecord `json:"receipts"`

	KEVListed       bool `json:"kev_listed"`
	RansomwareKnown bool `json:"ransomware_known"`

	// Decision is the current decision (a person may have overridden the
	// rule's); Priority, RuleID, Reasons and Matches are the latest triage.
	Decision  string `json:"decision"`
	Priority  string `json:"priority"`
	RuleID    string `json:"rule_id"`
	TriagedAt string `json:"triaged_at"`
	// TriagedBy is the actor of the first move to "triaged" ("sigwatch" when automatic).
	TriagedBy    string        `json:"triaged_by"`
	Owner        string        `json:"owner"`
	Due          string        `json:"due"`
	State        string        `json:"state"`
	ActionRef    string        `json:"action_ref"`
	ClosedAt     string        `json:"closed_at"`
	RejectReason string        `json:"reject_reason"`
	Reasons      []string      `json:"reasons"`
	Matches      []MatchRecord `json:"matches"`

	EventCount int `json:"event_count"`
	// Events is the full trail, in the order recorded (JSON only).
	Events []EventRecord `json:"events"`
}

// ReceiptRecord is one arrival of the advisory.
type ReceiptRecord struct {
	Source     string `json:"source"`
	Group      string `json:"group"`
	AdvisoryID string `json:"advisory_id"`
	ReceivedAt string `json:"received_at"`
	Manual     bool   `json:"manual"`
}

// MatchRecord is one stack component the advisory was matched to.
type MatchRecord struct {
	ComponentID      string `json:"component_id"`
	ComponentVersion string `json:"component_version"`
	Confidence       string `json:"confidence"`
	Verdict          string `json:"verdict"`
	// Identity and VersionReason say why, in words.
	Identity      string `json:"identity"`
	VersionReason string `json:"version_reason"`
}

// EventRecord is one entry of a case's history.
type EventRecord struct {
	At    string `json:"at"`
	From  string `json:"from"`
	To    string `json:"to"`
	Actor string `json:"actor"`
	Note  string `json:"note"`
	Ref   string `json:"ref"`
}

// Records returns the response log records for cases, sorted by case ID
// (stable for duplicate IDs).
func Records(cases []intake.Case) []ResponseRecord {
	out := make([]ResponseRecord, 0, len(cases))
	for i := range cases {
		out = append(out, responseRecord(&cases[i]))
	}
	slices.SortStableFunc(out, func(a, b ResponseRecord) int { return strings.Compare(a.CaseID, b.CaseID) })
	return out
}

func responseRecord(c *intake.Case) ResponseRecord {
	a := &c.Advisory
	r := ResponseRecord{
		CaseID: c.ID, Keys: nonNil(c.Keys), AdvisoryID: a.ID, Aliases: nonNil(a.Aliases),
		Title: a.Title, Publisher: a.Publisher, URL: a.URL, TLP: string(a.TLP),
		ReceiptCount: len(c.Receipts), Receipts: make([]ReceiptRecord, 0, len(c.Receipts)),
		KEVListed: a.KEVListed(), Decision: string(c.Decision), TriagedAt: timeString(c.TriagedAt),
		Owner: c.Owner, Due: timeString(c.Due), State: string(c.State), ActionRef: c.ActionRef,
		ClosedAt: timeString(c.ClosedAt), RejectReason: c.RejectReason,
		Reasons: []string{}, Matches: []MatchRecord{}, EventCount: len(c.Events),
		Events: make([]EventRecord, 0, len(c.Events)),
	}
	if k := a.Exploitation.KEV; k != nil {
		r.RansomwareKnown = k.RansomwareKnown()
	}
	if sum := a.Extra[ExtraAdvisorySHA256]; sum != "" && a.Extra[ExtraRedacted] != "" {
		// A case RedactCases redacted: the hash is the original advisory's.
		r.AdvisorySHA256 = sum
	} else if b, err := json.Marshal(a); err == nil {
		sum := sha256.Sum256(b)
		r.AdvisorySHA256 = hex.EncodeToString(sum[:])
	}
	for i, rc := range c.Receipts {
		if i == 0 {
			r.FirstReceivedAt, r.FirstSource, r.FirstGroup, r.FirstManual = timeString(rc.ReceivedAt), rc.Source, rc.Group, rc.Manual
		}
		r.Receipts = append(r.Receipts, ReceiptRecord{Source: rc.Source, Group: rc.Group, AdvisoryID: rc.AdvisoryID,
			ReceivedAt: timeString(rc.ReceivedAt), Manual: rc.Manual})
	}
	if t := c.Triage; t != nil {
		r.Priority, r.RuleID, r.Reasons = string(t.Priority), t.RuleID, nonNil(t.Reasons)
		for _, m := range t.Matches {
			r.Matches = append(r.Matches, MatchRecord{ComponentID: m.Component.ID, ComponentVersion: m.Component.Version,
				Confidence: string(m.Confidence), Verdict: string(m.Verdict), Identity: m.Identity, VersionReason: m.VersionReason})
		}
	}
	for _, e := range c.Events {
		if r.TriagedBy == "" && e.To == intake.StateTriaged {
			r.TriagedBy = e.Actor
		}
		r.Events = append(r.Events, EventRecord{At: timeString(e.At), From: string(e.From), To: string(e.To),
			Actor: e.Actor, Note: e.Note, Ref: e.Ref})
	}
	return r
}

// responseColumns are the CSV columns of ResponseLogSchema, in order.
var responseColumns = []string{
	"case_id", "keys", "advisory_id", "title", "publisher", "url", "tlp", "advisory_sha256",
	"first_received_at", "first_source", "first_group", "first_manual", "receipt_count",
	"kev_listed", "ransomware_known", "decision", "priority", "rule_id", "triaged_at", "triaged_by",
	"owner", "due", "state", "action_ref", "closed_at", "reject_reason", "reasons", "matches", "event_count",
}

func (r *ResponseRecord) row() []string {
	matches := make([]string, len(r.Matches))
	for i, m := range r.Matches {
		s := m.ComponentID
		if m.ComponentVersion != "" {
			s += " " + m.ComponentVersion
		}
		matches[i] = s + " (" + m.Confidence + ", " + m.Verdict + ")"
	}
	return []string{
		r.CaseID, strings.Join(r.Keys, listSep), r.AdvisoryID, r.Title, r.Publisher, r.URL, r.TLP, r.AdvisorySHA256,
		r.FirstReceivedAt, r.FirstSource, r.FirstGroup, boolString(r.FirstManual), strconv.Itoa(r.ReceiptCount),
		boolString(r.KEVListed), boolString(r.RansomwareKnown), r.Decision, r.Priority, r.RuleID, r.TriagedAt, r.TriagedBy,
		r.Owner, r.Due, r.State, r.ActionRef, r.ClosedAt, r.RejectReason,
		strings.Join(r.Reasons, " "), strings.Join(matches, listSep), strconv.Itoa(r.EventCount),
	}
}

// WriteResponseLogCSV writes artefact E4 as CSV: a header row, then one row
// per case sorted by case ID. Receipts and events appear as counts (the
// JSON form has them in full); reasons are joined with spaces, keys and
// matches with "; ", a match as "component version (confidence, verdict)".
// Cells are neutralised against formula injection (see SafeCSVCell).
func WriteResponseLogCSV(w io.Writer, cases []intake.Case) error {
	recs := Records(cases)
	rows := make([][]string, len(recs))
	for i := range recs {
		rows[i] = recs[i].row()
	}
	return writeCSV(w, "response log", responseColumns, rows)
}

// WriteResponseLogJSON writes artefact E4 as JSON: a ResponseLog with one
// record per case sorted by case ID, including every receipt and the full
// event trail.
func WriteResponseLogJSON(w io.Writer, cases []intake.Case) error {
	return writeJSON(w, "response log", ResponseLog{Schema: ResponseLogSchema, Records: Records(cases)})
}
