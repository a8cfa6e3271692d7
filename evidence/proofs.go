package evidence

import (
	"io"
	"time"

	"github.com/sigwatch/sigwatch/register"
)

// ProofsSchema identifies artefact E3, the membership proof index — each
// proof of membership (confirmation e-mail, invoice, certificate, dated
// portal capture) by reference, kind, date and SHA-256 — in its CSV and
// JSON forms (proofs.csv, proofs.json). sigwatch stores references; the
// organisation keeps the files, and the digest lets an auditor check that
// the file shown is the one referenced.
const ProofsSchema = "sigwatch.evidence.proofs/v1"

// Proofs is the JSON form of artefact E3.
type Proofs struct {
	Schema string `json:"schema"`
	// AsOf is the instant MembershipActive is judged at (RFC 3339, UTC).
	AsOf    string        `json:"as_of"`
	Records []ProofRecord `json:"records"`
}

// ProofRecord is one proof of one membership, or, with Missing set, an
// active membership without any proof.
type ProofRecord struct {
	GroupID          string `json:"group_id"`
	GroupName        string `json:"group_name"`
	MembershipStatus string `json:"membership_status"`
	// MembershipActive reports whether the membership is active on the
	// as-of day (status active, started, not ended: register.Membership.ActiveAt).
	MembershipActive bool `json:"membership_active"`
	// Ref, Kind, Date (YYYY-MM-DD) and SHA256 are the proof as the register
	// records it; all "" when Missing.
	Ref    string `json:"ref"`
	Kind   string `json:"kind"`
	Date   string `json:"date"`
	SHA256 string `json:"sha256"`
	// Missing marks an entry with status active (and neither ended nor
	// retired) that has no proof: the same entries register.Check reports
	// as no-proof.
	Missing bool `json:"missing"`
}

// ProofRecords returns artefact E3 for reg as of asOf: every proof of every
// entry, plus one Missing record per live entry with status active and no
// proof, sorted by group ID (stable), each entry's proofs in register
// order. Entries that are not active and have no proof have no record. A
// nil register is empty.
func ProofRecords(reg *register.Register, asOf time.Time) []ProofRecord {
	if reg == nil {
		reg = &register.Register{}
	}
	today := register.DateOf(asOf)
	out := []ProofRecord{}
	for _, g := range sortedGroups(reg) {
		m := &g.Membership
		base := ProofRecord{GroupID: g.ID, GroupName: g.Name, MembershipStatus: string(m.Status), MembershipActive: m.ActiveAt(today)}
		if len(m.Proof) == 0 {
			if m.Status == register.MembershipActive && g.Live() {
				base.Missing = true
				out = append(out, base)
			}
			continue
		}
		for _, p := range m.Proof {
			r := base
			r.Ref, r.Kind, r.Date, r.SHA256 = p.Ref, p.Kind, p.Date.String(), p.SHA256
			out = append(out, r)
		}
	}
	return out
}

var proofColumns = []string{"group_id", "group_name", "membership_status", "membership_active", "ref", "kind", "date", "sha256", "missing"}

// WriteProofsCSV writes artefact E3 as CSV: a header row, then one row per
// proof (or missing proof), as ProofRecords orders them. Cells are
// neutralised against formula injection (see SafeCSVCell).
func WriteProofsCSV(w io.Writer, reg *register.Register, asOf time.Time) error {
	recs := ProofRecords(reg, asOf)
	rows := make([][]string, len(recs))
	for i, r := range recs {
		rows[i] = []string{r.GroupID, r.GroupName, r.MembershipStatus, boolString(r.MembershipActive),
			r.Ref, r.Kind, r.Date, r.SHA256, boolString(r.Missing)}
	}
	return writeCSV(w, "membership proof index", proofColumns, rows)
}

// WriteProofsJSON writes artefact E3 as JSON: a Proofs document.
func WriteProofsJSON(w io.Writer, reg *register.Register, asOf time.Time) error {
	return writeJSON(w, "membership proof index", Proofs{Schema: ProofsSchema, AsOf: timeString(asOf), Records: ProofRecords(reg, asOf)})
}
