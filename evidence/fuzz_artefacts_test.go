package evidence_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/register"
)

// FuzzEngagementsRedaction writes E7 from arbitrary notes, labels and
// redaction levels: the writers never panic; the CSV parses with one row
// per engagement and no cell that a spreadsheet would run; the JSON
// parses; a note at or above a known redaction level (or with an unknown
// label) is replaced and only its hash remains; other notes are kept.
func FuzzEngagementsRedaction(f *testing.F) {
	f.Add("shared IOCs", "AMBER", "", "amber")
	f.Add(`=HYPERLINK("http://x","y")`, "", "RED", "red")
	f.Add("public", "CLEAR", "AMBER", "green")
	f.Add("odd", "purple", "", "amber")
	f.Add("x", "GREEN", "", "beige")
	f.Fuzz(func(t *testing.T, notes, tlp, groupTLP, redact string) {
		reg := &register.Register{Groups: []register.Group{{ID: "g", Name: "G",
			Membership:  register.Membership{TLP: groupTLP},
			Engagements: []register.Engagement{{Date: register.NewDate(2026, 1, 2), Kind: "meeting", Notes: notes, TLP: tlp}}}}}
		recs, err := evidence.EngagementRecords(reg, redact)
		level, known := feeds.ParseTLP(redact)
		if strings.TrimSpace(redact) != "" && !known {
			if err == nil {
				t.Fatalf("redact %q accepted", redact)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := evidence.WriteEngagementsCSV(&b, reg, redact); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("CSV: %d rows, %v", len(rows), err)
		}
		for _, cell := range rows[1] {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Fatalf("cell %q starts with a formula character", cell)
			}
		}
		b.Reset()
		if err := evidence.WriteEngagementsJSON(&b, reg, redact); err != nil {
			t.Fatal(err)
		}
		var doc evidence.Engagements
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil || len(doc.Records) != 1 {
			t.Fatalf("JSON: %v", err)
		}
		r := recs[0]
		if notes == "" {
			if r.Redacted || r.NotesSHA256 != "" {
				t.Fatalf("empty notes: %+v", r)
			}
			return
		}
		if r.NotesSHA256 != sha256Hex(notes) {
			t.Fatalf("hash %s, want sha256 of the notes", r.NotesSHA256)
		}
		label := strings.TrimSpace(tlp)
		if label == "" {
			label = strings.TrimSpace(groupTLP)
		}
		lt, lknown := feeds.ParseTLP(label)
		want := known && label != "" && (!lknown || rank(lt) >= rank(level))
		if r.Redacted != want {
			t.Fatalf("label %q, redact %q: redacted = %v, want %v", label, redact, r.Redacted, want)
		}
		if r.Redacted && !strings.HasPrefix(r.Notes, "[redacted TLP:") {
			t.Fatalf("redacted notes = %q", r.Notes)
		}
		if !r.Redacted && r.Notes != notes {
			t.Fatalf("kept notes = %q, want %q", r.Notes, notes)
		}
	})
}

// rank orders TLP labels independently of the package's own table.
func rank(t feeds.TLP) int {
	return strings.Index("CLEAR GREEN AMBER AMBER+STRICT RED", string(t))
}
