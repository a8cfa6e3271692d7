package evidence

import (
	"cmp"
	"io"
	"slices"
	"strings"

	"github.com/sigwatch/sigwatch/intake"
)

// DisseminationSchema identifies artefact E6, the dissemination record —
// who was told about which advisory, when, through which channel — in its
// CSV and JSON forms (dissemination.csv, dissemination.json). These are the
// "internal communication records" auditors ask for.
const DisseminationSchema = "sigwatch.evidence.dissemination/v1"

// Dissemination is the JSON form of artefact E6.
type Dissemination struct {
	Schema  string                `json:"schema"`
	Records []DisseminationRecord `json:"records"`
}

// DisseminationRecord is one notification outcome recorded on a case: a
// delivery, or a delivery given up after its last attempt.
type DisseminationRecord struct {
	CaseID string `json:"case_id"`
	Title  string `json:"title"`
	// At is when the outcome was recorded (RFC 3339, UTC).
	At string `json:"at"`
	// Outcome is "delivered" or "failed".
	Outcome   string `json:"outcome"`
	Notifier  string `json:"notifier"`
	Recipient string `json:"recipient"`
	// Ref is the far end's reference (a Jira key, the SMTP reply, the HTTP status).
	Ref  string `json:"ref"`
	Note string `json:"note"`
}

// DisseminationRecords returns the notification outcomes recorded on
// cases, sorted by time, then case ID (stable otherwise).
func DisseminationRecords(cases []intake.Case) []DisseminationRecord {
	out := []DisseminationRecord{}
	for i := range cases {
		c := &cases[i]
		for _, e := range c.Events {
			var outcome string
			switch e.Kind {
			case intake.EventNotified:
				outcome = "delivered"
			case intake.EventNotifyFailed:
				outcome = "failed"
			default:
				continue
			}
			out = append(out, DisseminationRecord{CaseID: c.ID, Title: c.Advisory.Title, At: timeString(e.At), Outcome: outcome,
				Notifier: e.Notifier, Recipient: e.Recipient, Ref: e.Ref, Note: e.Note})
		}
	}
	slices.SortStableFunc(out, func(a, b DisseminationRecord) int {
		return cmp.Or(strings.Compare(a.At, b.At), strings.Compare(a.CaseID, b.CaseID))
	})
	return out
}

var disseminationColumns = []string{"case_id", "title", "at", "outcome", "notifier", "recipient", "ref", "note"}

// WriteDisseminationCSV writes artefact E6 as CSV: a header row, then one
// row per notification outcome, by time. Cells are neutralised against
// formula injection (see SafeCSVCell).
func WriteDisseminationCSV(w io.Writer, cases []intake.Case) error {
	recs := DisseminationRecords(cases)
	rows := make([][]string, len(recs))
	for i, r := range recs {
		rows[i] = []string{r.CaseID, r.Title, r.At, r.Outcome, r.Notifier, r.Recipient, r.Ref, r.Note}
	}
	return writeCSV(w, "dissemination record", disseminationColumns, rows)
}

// WriteDisseminationJSON writes artefact E6 as JSON.
func WriteDisseminationJSON(w io.Writer, cases []intake.Case) error {
	return writeJSON(w, "dissemination record", Dissemination{Schema: DisseminationSchema, Records: DisseminationRecords(cases)})
}
