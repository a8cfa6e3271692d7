package evidence

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/register"
)

// EngagementsSchema identifies artefact E7, the participation and
// contribution log — meetings attended, webinars, talks, indicators or
// lessons shared back, each with who took part, notes and TLP — in its CSV
// and JSON forms (engagements.csv, engagements.json).
const EngagementsSchema = "sigwatch.evidence.engagements/v1"

// Engagements is the JSON form of artefact E7.
type Engagements struct {
	Schema string `json:"schema"`
	// Redact is the lowest TLP label whose notes were redacted ("AMBER"),
	// or "" when nothing was.
	Redact  string             `json:"redact"`
	Records []EngagementRecord `json:"records"`
}

// EngagementRecord is one engagement of the organisation with a group.
type EngagementRecord struct {
	GroupID   string `json:"group_id"`
	GroupName string `json:"group_name"`
	// Date is YYYY-MM-DD.
	Date string `json:"date"`
	// Kind is "meeting", "webinar", "conference", "contribution", …
	Kind string `json:"kind"`
	// Who are the person IDs that took part; WhoNames their names, in the
	// same order ("" for an ID that is not among the register's people).
	Who      []string `json:"who"`
	WhoNames []string `json:"who_names"`
	// TLP is the engagement's label or, when it has none, the group's
	// default handling label (membership.tlp); upper case for the TLP 2.0
	// labels ("AMBER"), as written otherwise; "" when neither is set.
	TLP string `json:"tlp"`
	// Notes are the engagement's notes, or "[redacted TLP:<label>]" when
	// Redacted.
	Notes string `json:"notes"`
	// NotesSHA256 is the lower-case hex SHA-256 of the original notes
	// (UTF-8, as recorded in the register), "" when there are none. It is
	// the same whether or not the notes are redacted, so an auditor shown
	// the original later can check it.
	NotesSHA256 string `json:"notes_sha256"`
	Redacted    bool   `json:"redacted"`
}

// redactRank parses a redaction level ("amber", "TLP:RED"); "" is no
// redaction (rank 0).
func redactRank(level string) (feeds.TLP, int, error) {
	if strings.TrimSpace(level) == "" {
		return feeds.TLPUnspecified, 0, nil
	}
	t, ok := feeds.ParseTLP(level)
	if !ok {
		return feeds.TLPUnspecified, 0, fmt.Errorf("evidence: unknown redaction level %q: want a TLP label such as amber (AMBER, AMBER+STRICT and RED) or red", level)
	}
	return t, t.Rank(), nil
}

// EngagementRecords returns artefact E7 for reg: every engagement of every
// group, sorted by date, then group ID (stable otherwise). redact is the
// lowest TLP label whose notes are replaced by "[redacted TLP:<label>]":
// "amber" redacts AMBER, AMBER+STRICT and RED; "red" only RED; "" nothing.
// While redacting, a label that is not a TLP label (a register built in
// code is not validated) is redacted too: better too much than too
// little. An unknown redact level is an error. A nil register is empty.
func EngagementRecords(reg *register.Register, redact string) ([]EngagementRecord, error) {
	_, level, err := redactRank(redact)
	if err != nil {
		return nil, err
	}
	if reg == nil {
		reg = &register.Register{}
	}
	out := []EngagementRecord{}
	for _, g := range sortedGroups(reg) {
		for _, e := range g.Engagements {
			r := EngagementRecord{GroupID: g.ID, GroupName: g.Name, Date: e.Date.String(), Kind: e.Kind,
				Who: nonNil(e.Who), WhoNames: make([]string, len(e.Who)), Notes: e.Notes}
			for i, id := range e.Who {
				r.WhoNames[i], _ = person(reg, id)
			}
			label := strings.TrimSpace(e.TLP)
			if label == "" {
				label = strings.TrimSpace(g.Membership.TLP)
			}
			var rank int
			r.TLP, rank = labelRank(label)
			if e.Notes != "" {
				sum := sha256.Sum256([]byte(e.Notes))
				r.NotesSHA256 = hex.EncodeToString(sum[:])
				if level > 0 && rank >= level {
					r.Notes, r.Redacted = "[redacted TLP:"+r.TLP+"]", true
				}
			}
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b EngagementRecord) int {
		return cmp.Or(strings.Compare(a.Date, b.Date), strings.Compare(a.GroupID, b.GroupID))
	})
	return out, nil
}

var engagementColumns = []string{"group_id", "group_name", "date", "kind", "who", "who_names", "tlp", "notes", "notes_sha256", "redacted"}

// WriteEngagementsCSV writes artefact E7 as CSV: a header row, then one row
// per engagement as EngagementRecords orders them (who and who_names
// joined with "; "), with notes at or above the redact level redacted.
// Cells are neutralised against formula injection (see SafeCSVCell).
func WriteEngagementsCSV(w io.Writer, reg *register.Register, redact string) error {
	recs, err := EngagementRecords(reg, redact)
	if err != nil {
		return err
	}
	rows := make([][]string, len(recs))
	for i, r := range recs {
		rows[i] = []string{r.GroupID, r.GroupName, r.Date, r.Kind, joinIDs(r.Who), joinIDs(r.WhoNames),
			r.TLP, r.Notes, r.NotesSHA256, boolString(r.Redacted)}
	}
	return writeCSV(w, "engagement log", engagementColumns, rows)
}

// WriteEngagementsJSON writes artefact E7 as JSON: an Engagements document.
func WriteEngagementsJSON(w io.Writer, reg *register.Register, redact string) error {
	t, _, err := redactRank(redact)
	if err != nil {
		return err
	}
	recs, err := EngagementRecords(reg, redact)
	if err != nil {
		return err
	}
	return writeJSON(w, "engagement log", Engagements{Schema: EngagementsSchema, Redact: string(t), Records: recs})
}
