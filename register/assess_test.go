package register_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sigwatch/sigwatch/register"
)

const goodAssessment = "testdata/assess/good.yaml"

// loadGoodAssessment loads testdata/assess/good.yaml and its register, a
// vendor with nothing to flag on its assessment day, 2026-11-23.
func loadGoodAssessment(t *testing.T) (*register.Assessment, *register.Register) {
	t.Helper()
	a, r, err := register.LoadAssessment(goodAssessment)
	if err != nil {
		t.Fatalf("LoadAssessment(%s):\n%v", goodAssessment, err)
	}
	if r == nil {
		t.Fatal("no vendor register loaded")
	}
	return a, r
}

func redFlagCodes(flags []register.RedFlag) []register.RedFlagCode {
	out := make([]register.RedFlagCode, len(flags))
	for i, f := range flags {
		out[i] = f.Code
	}
	return out
}

func dumpFlags(flags []register.RedFlag) string {
	var b strings.Builder
	for _, f := range flags {
		b.WriteString("  " + string(f.Code) + " [" + f.Question + "]: " + f.Message + "\n")
	}
	return b.String()
}

func TestAssessGood(t *testing.T) {
	a, r := loadGoodAssessment(t)
	res := register.Assess(a, r, nil)
	if len(res.Findings) != 0 {
		t.Errorf("%d findings on the good vendor's register, want none:\n%s", len(res.Findings), dump(res.Findings))
	}
	if len(res.RedFlags) != 0 {
		t.Errorf("red flags on the good vendor, want none:\n%s", dumpFlags(res.RedFlags))
	}
	if res.Vendor != "Contoso Gateway Ltd" || res.Assessed != register.NewDate(2026, time.November, 23) {
		t.Errorf("vendor %q assessed %s", res.Vendor, res.Assessed)
	}
	if res.Unanswered == nil || len(res.Unanswered) != 0 {
		t.Errorf("unanswered %#v, want an empty list", res.Unanswered)
	}
	// The result is JSON with empty lists, not nulls.
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"vendor":"Contoso Gateway Ltd","assessed":"2026-11-23","findings":[],"red_flags":[],"unanswered":[]}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
}

// TestParseAssessmentGood checks good.yaml decodes to what the file says;
// the expected times are converted to UTC by hand.
func TestParseAssessmentGood(t *testing.T) {
	a, _ := loadGoodAssessment(t)
	if a.Vendor != "Contoso Gateway Ltd" || a.Assessor != "Maria Okafor (Northwind Payments, GRC)" || a.Register != "good-register.yaml" {
		t.Errorf("header %q %q %q", a.Vendor, a.Assessor, a.Register)
	}
	var qs []string
	for _, ans := range a.Answers {
		qs = append(qs, ans.Question)
	}
	if got := strings.Join(qs, " "); got != "q1 q2 q3 q4 q5 q6" {
		t.Errorf("answers to %s", got)
	}
	if diff := cmp.Diff([]string{"register extract of 2026-11-01"}, a.Answers[0].Evidence); diff != "" {
		t.Errorf("q1 evidence (-want +got):\n%s", diff)
	}
	utc := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, time.UTC) }
	want := register.Intake{
		Targets: register.IntakeTargets{ReceiptToTriage: register.Period{Days: 1}, TriageToFix: register.Period{Days: 14}},
		Measured: register.IntakeMeasured{
			Over:            "2026-Q3",
			ReceiptToTriage: register.IntakeStats{Median: register.Period{Days: 1}, P90: register.Period{Days: 2}},
			TriageToFix:     register.IntakeStats{Median: register.Period{Days: 6}, P90: register.Period{Days: 21}},
		},
		Sample: []register.IntakeRecord{
			{Advisory: "GO-2026-9001", Received: utc(2026, 10, 2, 8, 14), Triaged: utc(2026, 10, 2, 11, 40), Decision: register.DecisionActionable},
			// 09:00 at +02:00 is 07:00 UTC.
			{Advisory: "CVE-2026-90002", Received: utc(2026, 10, 5, 7, 0), Triaged: utc(2026, 10, 5, 10, 30), Decision: register.DecisionNotApplicable,
				Reason: "only affects the Windows build; the gateway runs on Linux"},
			// A day alone is midnight UTC.
			{Advisory: "CVE-2026-90003", Received: utc(2026, 10, 9, 0, 0), Triaged: utc(2026, 10, 9, 15, 0), Decision: register.DecisionInformational, Reason: "hardening advice"},
			// YAML's space instead of the T.
			{Advisory: "GHSA-2026-xq4p-example", Received: utc(2026, 10, 9, 12, 0), Triaged: utc(2026, 10, 9, 12, 5), Decision: register.DecisionDuplicate, Reason: "alias of GO-2026-9001"},
		},
	}
	if diff := cmp.Diff(want, a.Intake); diff != "" {
		t.Errorf("intake (-want +got):\n%s", diff)
	}
	for _, rec := range a.Intake.Sample {
		if rec.Received.Location() != time.UTC || rec.Triaged.Location() != time.UTC {
			t.Errorf("%s: times not in UTC: %v, %v", rec.Advisory, rec.Received, rec.Triaged)
		}
	}
	wantDisclosure := register.Disclosure{
		AdvisoryPage:         "https://contoso.example/security/advisories",
		CSAFProviderMetadata: "https://contoso.example/.well-known/csaf/provider-metadata.json",
		SecurityTxt:          "https://contoso.example/.well-known/security.txt",
		RSS:                  "https://contoso.example/security/advisories.rss",
		Channel:              "e-mail to each customer's registered security contacts",
		NotifyWithin:         register.Period{Days: 2},
	}
	if diff := cmp.Diff(wantDisclosure, a.Disclosure); diff != "" {
		t.Errorf("disclosure (-want +got):\n%s", diff)
	}
	wantExamples := []register.ActionExample{
		{Date: register.NewDate(2026, 3, 14), Advisory: "GO-2026-8001", Change: "upgraded golang.org/x/net in release 4.9.2"},
		{Date: register.NewDate(2026, 8, 5), Advisory: "FS-ISAC briefing on card-testing bots", Change: "added rate limits to the tokenisation API"},
	}
	if diff := cmp.Diff(wantExamples, a.Examples); diff != "" {
		t.Errorf("examples (-want +got):\n%s", diff)
	}
	if err := a.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// TestAssessmentJSONRoundTrip: JSON written from an assessment reads back
// equal, through the same parser.
func TestAssessmentJSONRoundTrip(t *testing.T) {
	a, _ := loadGoodAssessment(t)
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	back, err := register.ParseAssessment(bytes.NewReader(b), "good.json")
	if err != nil {
		t.Fatalf("ParseAssessment(JSON):\n%v\n%s", err, b)
	}
	if diff := cmp.Diff(a, back); diff != "" {
		t.Errorf("JSON round trip (-yaml +json):\n%s", diff)
	}
}

// assessCases each change the good assessment or its register in one way;
// want is the exact set of red flags that must follow (worked out by hand
// from the rule), phrase a part of the first one's message.
var assessCases = []struct {
	name   string
	mutate func(a *register.Assessment, r *register.Register, o *register.CheckOptions) *register.Register
	want   []register.RedFlagCode
	phrase string
}{
	{
		// Without a register only the flags the assessment itself carries
		// can be raised; the good one carries none.
		name: "no register",
		mutate: func(*register.Assessment, *register.Register, *register.CheckOptions) *register.Register {
			return nil
		},
		want:   []register.RedFlagCode{register.RedFlagCannotNameGroups},
		phrase: "the vendor produced no register of the groups it watches: ask for an extract of the register",
	},
	{
		name: "an empty register",
		mutate: func(*register.Assessment, *register.Register, *register.CheckOptions) *register.Register {
			return &register.Register{}
		},
		want:   []register.RedFlagCode{register.RedFlagCannotNameGroups, register.RedFlagReviewStale},
		phrase: "names no live, specific group (the register is empty)",
	},
	{
		// cisa-kev and fs-isac keep their owners, backups and reviews, so
		// only the naming flags follow.
		name: "platforms, an authority and an ended membership",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			grp(r, "cisa-kev").Name = "Twitter"
			grp(r, "fs-isac").Name = "The security news"
			grp(r, "go-vulndb").Purpose = register.PurposeAuthority
			pg := grp(r, "postgresql-security")
			pg.Membership.Status, pg.Membership.Until, pg.Channels = register.MembershipEnded, date("2026-10-01"), nil
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagCannotNameGroups, register.RedFlagPlatformsOnly},
		phrase: "(platforms, not groups: cisa-kev, fs-isac; authorities: go-vulndb; ended or retired: postgresql-security)",
	},
	{
		// An authority by name, without a stated purpose, counts as one.
		name: "only an authority by name",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			g := *grp(r, "cisa-kev")
			g.Name = "Financial Conduct Authority"
			r.Groups = []register.Group{g}
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagCannotNameGroups},
		phrase: "(authorities: cisa-kev)",
	},
	{
		name: "a platform beside named groups",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			g := *grp(r, "go-vulndb")
			g.ID, g.Name = "twitter", "Twitter"
			r.Groups = append(r.Groups, g)
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagPlatformsOnly},
		phrase: `"we follow Twitter / the news"): twitter ("Twitter"); ask which accounts, lists or feeds exactly`,
	},
	{
		// One owner, but every group has a backup: not "one person and
		// no backup" (the reference's red flag).
		name: "one owner for everything, with backups",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			for i := range r.Groups {
				r.Groups[i].Owner, r.Groups[i].Backup = "dlin", "spark"
			}
			return r
		},
	},
	{
		name: "one owner for everything, no backup",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			for i := range r.Groups {
				r.Groups[i].Owner, r.Groups[i].Backup = "dlin", ""
			}
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagSinglePerson},
		phrase: "Dana Lin (dlin) owns every one of the 4 live groups; no live group has a backup",
	},
	{
		// Retired and ended groups do not count: the two live ones share an owner.
		name: "one owner of what is live",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			kev := grp(r, "cisa-kev")
			kev.Review.Records = append(kev.Review.Records, register.ReviewRecord{Date: date("2026-06-01"), By: "dlin", Outcome: register.OutcomeRetire})
			kev.Channels, kev.Membership.Status = nil, register.MembershipEnded
			isac := grp(r, "fs-isac")
			isac.Membership.Status, isac.Membership.Until, isac.Channels = register.MembershipEnded, date("2026-10-01"), nil
			for i := range r.Groups {
				if r.Groups[i].Live() {
					r.Groups[i].Backup = ""
				}
			}
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagSinglePerson},
		phrase: "Sam Park (spark) owns every one of the 2 live groups",
	},
	{
		name: "no backups",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			for i := range r.Groups {
				r.Groups[i].Backup = ""
			}
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagSinglePerson},
		phrase: "no live group has a backup (an active person other than its owner)",
	},
	{
		// Backups who left, or who are the owner, are no backups.
		name: "backups in name only",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			no := false
			r.People = append(r.People, register.Person{ID: "jdoe", Name: "Jo Doe", Technical: true, Active: &no})
			for i := range r.Groups {
				r.Groups[i].Backup = "jdoe"
			}
			grp(r, "fs-isac").Backup = "rcosta" // the owner
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagSinglePerson},
		phrase: "no live group has a backup",
	},
	{
		name: "one active backup is enough",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			for i := range r.Groups {
				r.Groups[i].Backup = ""
			}
			grp(r, "fs-isac").Backup = "dlin"
			return r
		},
	},
	{
		// The window is 2025-11-23 to 2026-11-23: 2025-11-22 is outside.
		name: "no review in the last 12 months",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			for i := range r.Groups {
				for j := range r.Groups[i].Review.Records {
					r.Groups[i].Review.Records[j].Date = date("2025-06-01")
				}
			}
			grp(r, "fs-isac").Review.Records[0].Date = date("2025-11-22")
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagReviewStale},
		phrase: "no group of the register was reviewed between 2025-11-23 and 2026-11-23 (the latest is of 2025-11-22)",
	},
	{
		name: "a review on the first day of the window",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			for i := range r.Groups {
				for j := range r.Groups[i].Review.Records {
					r.Groups[i].Review.Records[j].Date = date("2025-06-01")
				}
			}
			grp(r, "fs-isac").Review.Records[0].Date = date("2025-11-23")
			return r
		},
	},
	{
		// A review dated after the assessment is not evidence of it.
		name: "reviews dated after the assessment",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			for i := range r.Groups {
				for j := range r.Groups[i].Review.Records {
					r.Groups[i].Review.Records[j].Date = date("2026-11-24")
				}
			}
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagReviewStale},
		phrase: "(none is recorded before the assessment)",
	},
	{
		name: "no intake process",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			a.Intake = register.Intake{Measured: a.Intake.Measured} // stated figures alone prove nothing
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagNoIntakeProcess},
		phrase: "no intake-log sample and no receipt-to-triage or triage-to-fix target",
	},
	{
		name: "targets without a sample",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			a.Intake.Sample = nil
			a.Intake.Targets.TriageToFix = register.Period{}
			return r
		},
	},
	{
		name: "a sample without targets",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			a.Intake.Targets = register.IntakeTargets{}
			return r
		},
	},
	{
		name: "records without times",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			a.Intake.Sample[0].Triaged = time.Time{}
			a.Intake.Sample[2].Received = time.Time{}
			a.Intake.Sample = append(a.Intake.Sample, register.IntakeRecord{Decision: register.DecisionInformational})
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagNoTimestamps},
		phrase: "intake records without a receipt or triage time, so receipt-to-triage cannot be computed (3 of 5): GO-2026-9001 (no triaged time), CVE-2026-90003 (no received time), sample[4] (no received or triaged time)",
	},
	{
		name: "everything not applicable, not always with a reason",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			for i := range a.Intake.Sample {
				a.Intake.Sample[i].Decision = register.DecisionNotApplicable
			}
			a.Intake.Sample[3].Reason = " "
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagUnexplainedNotApplicable},
		phrase: "all 4 intake records are not_applicable, and these give no reason: GO-2026-9001, GHSA-2026-xq4p-example",
	},
	{
		name: "everything not applicable, each with its reason",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			for i := range a.Intake.Sample {
				a.Intake.Sample[i].Decision = register.DecisionNotApplicable
			}
			a.Intake.Sample[0].Reason = "the affected package is not linked into the gateway"
			return r
		},
	},
	{
		name: "no public advisory channel",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			a.Disclosure = register.Disclosure{Channel: "e-mail", NotifyWithin: register.Period{Days: 2}}
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagNoPublicChannel},
		phrase: "no public advisory channel for the vendor's own products",
	},
	{
		name: "security.txt alone is a public channel",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			a.Disclosure = register.Disclosure{SecurityTxt: "https://contoso.example/.well-known/security.txt", NotifyWithin: register.Period{Days: 2}}
			return r
		},
	},
	{
		name: "no committed notification time",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			a.Disclosure.NotifyWithin = register.Period{}
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagNoNotificationCommitment},
		phrase: "no committed time to tell customers of a critical vulnerability",
	},
	{
		// fs-isac, the only community, last met 2025-11-22, a day before the window.
		name: "membership without participation",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			grp(r, "fs-isac").Engagements[0].Date = date("2025-11-22")
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagParticipationMissing},
		phrase: "no engagement recorded since 2025-11-23 with any community the vendor is a member of (fs-isac)",
	},
	{
		name: "one silent community of two",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			g := *grp(r, "fs-isac")
			g.ID, g.Name, g.Kind, g.Engagements = "owasp", "OWASP Foundation", register.KindForum, nil
			r.Groups = append(r.Groups, g)
			return r
		},
	},
	{
		// A community joined less than 90 days ago has no finding yet.
		name: "a new community",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			g := grp(r, "fs-isac")
			g.Engagements, g.Membership.Since = nil, date("2026-09-01")
			return r
		},
	},
	{
		name: "undated proofs",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			grp(r, "cisa-kev").Membership.Proof = []register.Proof{{Ref: "screenshot of the feed settings"}}
			// 2023-13-45 is no day.
			grp(r, "go-vulndb").Membership.Proof = []register.Proof{{Ref: "change 2023-13-45", Kind: "change"}}
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagUndatedProof},
		phrase: "no proof of membership carries a date for cisa-kev, go-vulndb",
	},
	{
		// Only memberships active on the day count; a lapsed one is a finding.
		name: "an undated proof of a lapsed membership",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			g := grp(r, "cisa-kev")
			g.Membership.Proof = []register.Proof{{Ref: "screenshot"}}
			g.Membership.Status = register.MembershipLapsed
			return r
		},
	},
	{
		name: "one dated proof among undated ones",
		mutate: func(_ *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			m := &grp(r, "fs-isac").Membership
			m.Proof = append([]register.Proof{{Ref: "portal screenshot"}}, m.Proof...)
			return r
		},
	},
	{
		// The window is 2025-11-23 to 2026-11-23.
		name: "one example in the last 12 months",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			a.Examples[0].Date = date("2025-11-22")
			a.Examples = append(a.Examples, register.ActionExample{Date: date("2026-11-24"), Advisory: "x", Change: "y"})
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagNoExamples},
		phrase: "1 example between 2025-11-23 and 2026-11-23 of external information changing a control or triggering a fix, 2 wanted",
	},
	{
		name: "examples on the edges of the window",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			a.Examples[0].Date, a.Examples[1].Date = date("2025-11-23"), date("2026-11-23")
			return r
		},
	},
	{
		name: "questions left unanswered",
		mutate: func(a *register.Assessment, r *register.Register, _ *register.CheckOptions) *register.Register {
			a.Answers = slices.DeleteFunc(a.Answers, func(ans register.Answer) bool { return ans.Question == "q2" })
			a.Answers[3].Answer = "  " // q5, blank
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagUnanswered},
		phrase: "2 questions left unanswered: q2, q5; ask the vendor to answer, or to say plainly what it does not do",
	},
	{
		name: "nothing but a name",
		mutate: func(a *register.Assessment, _ *register.Register, _ *register.CheckOptions) *register.Register {
			*a = register.Assessment{Vendor: a.Vendor, Assessed: a.Assessed}
			return nil
		},
		want: []register.RedFlagCode{
			register.RedFlagCannotNameGroups, register.RedFlagNoIntakeProcess, register.RedFlagNoPublicChannel,
			register.RedFlagNoNotificationCommitment, register.RedFlagNoExamples, register.RedFlagUnanswered,
		},
		phrase: "no register",
	},
	{
		// With its own clock the check and the flags move together: on
		// 2027-06-01 the reviews of 2026-05-12 and 2026-02-01 and the
		// examples of 2026-03-14 and 2026-08-05 are judged from 2026-06-01.
		name: "the caller's clock",
		mutate: func(_ *register.Assessment, r *register.Register, o *register.CheckOptions) *register.Register {
			o.Now = func() time.Time { return time.Date(2027, 6, 1, 23, 0, 0, 0, time.UTC) }
			return r
		},
		want:   []register.RedFlagCode{register.RedFlagReviewStale, register.RedFlagNoExamples},
		phrase: "between 2026-06-01 and 2027-06-01 (the latest is of 2026-05-12)",
	},
}

func TestAssessCases(t *testing.T) {
	for _, tc := range assessCases {
		t.Run(tc.name, func(t *testing.T) {
			a, r := loadGoodAssessment(t)
			opts := &register.CheckOptions{}
			r = tc.mutate(a, r, opts)
			res := register.Assess(a, r, opts)
			if diff := cmp.Diff(tc.want, redFlagCodes(res.RedFlags), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("red flags (-want +got):\n%s\nall:\n%s", diff, dumpFlags(res.RedFlags))
			}
			for _, f := range res.RedFlags {
				if !strings.Contains(f.Message, ": ask ") && !strings.Contains(f.Message, "; ask ") {
					t.Errorf("%s: message does not say what to ask for: %q", f.Code, f.Message)
				}
			}
			if len(res.RedFlags) > 0 && !strings.Contains(res.RedFlags[0].Message, tc.phrase) {
				t.Errorf("first message does not contain %q:\n%s", tc.phrase, dumpFlags(res.RedFlags))
			}
		})
	}
}

// TestRedFlagCodesCovered: every documented red-flag code is raised by a
// case in assessCases, and the list has no duplicates.
func TestRedFlagCodesCovered(t *testing.T) {
	seen := map[register.RedFlagCode]bool{}
	for _, tc := range assessCases {
		for _, c := range tc.want {
			seen[c] = true
		}
	}
	codes := register.RedFlagCodes()
	for i, c := range codes {
		if !seen[c] {
			t.Errorf("no assess case raises %s", c)
		}
		if slices.Contains(codes[:i], c) {
			t.Errorf("%s listed twice", c)
		}
	}
	if len(codes) != 13 {
		t.Errorf("%d codes, want the 13 of the brief", len(codes))
	}
}

// TestAssessClock: without opts.Now the check runs as of the assessment
// day, not today. On 2027-06-01 every review of good-register.yaml is more
// than 12 months old (latest 2026-05-12) and fs-isac's renewal of
// 2027-01-15 has passed.
func TestAssessClock(t *testing.T) {
	a, r := loadGoodAssessment(t)
	a.Assessed = register.NewDate(2027, time.June, 1)
	res := register.Assess(a, r, &register.CheckOptions{MaxGroups: 3})
	var codes []string
	for _, f := range res.Findings {
		codes = append(codes, string(f.Code)+" "+f.Group)
	}
	slices.Sort(codes)
	want := []string{
		"renewal-due fs-isac",
		"review-overdue cisa-kev", "review-overdue fs-isac", "review-overdue go-vulndb", "review-overdue postgresql-security",
		"too-many-groups ", // 4 live groups, more than 3: the caller's options are used
	}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("findings (-want +got):\n%s\n%s", diff, dump(res.Findings))
	}
	if res.Assessed != a.Assessed {
		t.Errorf("assessed %s, want %s", res.Assessed, a.Assessed)
	}
}

func TestAssessNil(t *testing.T) {
	res := register.Assess(nil, nil, nil)
	if len(res.RedFlags) == 0 || res.RedFlags[0].Code != register.RedFlagCannotNameGroups {
		t.Errorf("nil assessment: %s", dumpFlags(res.RedFlags))
	}
	if diff := cmp.Diff([]string{"q1", "q2", "q3", "q4", "q5", "q6"}, res.Unanswered); diff != "" {
		t.Errorf("unanswered (-want +got):\n%s", diff)
	}
}

func TestQuestionnaire(t *testing.T) {
	qs := register.Questionnaire()
	var ids []string
	for _, q := range qs {
		ids = append(ids, q.ID)
		if q.Text == "" || len(q.Evidence) == 0 {
			t.Errorf("%s: text %q, %d evidence items", q.ID, q.Text, len(q.Evidence))
		}
	}
	if got := strings.Join(ids, " "); got != "q1 q2 q3 q4 q5 q6" {
		t.Errorf("IDs %s", got)
	}
	// Callers get their own copy.
	qs[0].Evidence[0] = "changed"
	if register.Questionnaire()[0].Evidence[0] == "changed" {
		t.Error("Questionnaire shares its slices")
	}
	b, err := json.Marshal(qs[5])
	if err != nil || !strings.HasPrefix(string(b), `{"id":"q6","text":"Give two examples`) {
		t.Errorf("JSON %s, %v", b, err)
	}
}

// The positions below were counted by hand (line, then column of the key
// or value, 1-based).
func TestParseAssessmentErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{
			name: "several problems",
			in: "vendor: Contoso\n" +
				"assessed: 2025-13-45\n" + //                      value at column 11
				"answers:\n" +
				"  - {question: q7, answer: yes}\n" + //           "  - {" is 5 wide, "question: " 10: q7 at 16
				"  - question: q1\n" +
				"    answr: all of them\n" + //                    key at column 5
				"intake:\n" +
				"  sample:\n" +
				"    - {advisory: CVE-2026-1, decision: not-applicable}\n", // 7 + "advisory: CVE-2026-1, " 22 + "decision: " 10: 40
			want: []string{
				`a.yaml:2:11: assessed: invalid date "2025-13-45": want YYYY-MM-DD`,
				`a.yaml:4:16: answers[0].question: unknown question "q7"; want one of q1, q2, q3, q4, q5, q6`,
				`a.yaml:6:5: answers[1].answr: unknown field "answr" (did you mean "answer"?)`,
				`a.yaml:9:40: intake.sample[0].decision: unknown decision "not-applicable" (did you mean "not_applicable"?); want one of actionable, informational, not_applicable, duplicate`,
			},
		},
		{
			name: "missing vendor",
			in:   "assessed: 2026-11-23\nassessor: Maria Okafor\n",
			want: []string{`a.yaml:1:1: missing required field "vendor"`},
		},
		{
			// A typo is reported once: not also as a missing vendor.
			name: "misspelt vendor",
			in:   "vender: Contoso\nassessed: 2026-11-23\n",
			want: []string{`a.yaml:1:1: vender: unknown field "vender" (did you mean "vendor"?)`},
		},
		{
			name: "two answers to one question",
			in:   "vendor: V\nassessed: 2026-11-23\nanswers:\n  - {question: q3, answer: a}\n  - {question: Q3, answer: b}\n  - {question: q3, answer: c}\n",
			want: []string{
				`a.yaml:5:16: answers[1].question: unknown question "Q3" (did you mean "q3"?); want one of q1, q2, q3, q4, q5, q6`,
				`a.yaml:6:16: answers[2].question: a second answer to q3 (first at line 4); put the whole answer in one entry`,
			},
		},
		{
			name: "empty answer and missing question",
			in:   "vendor: V\nassessed: 2026-11-23\nanswers:\n  - {question: q1, answer: \"\"}\n  - {answer: x}\n",
			want: []string{
				`a.yaml:4:28: answers[0].answer: must not be empty`, // "  - {question: q1, answer: " is 27 wide
				`a.yaml:5:5: answers[1]: missing required field "question"`,
			},
		},
		{
			name: "times",
			in: "vendor: V\nassessed: 2026-11-23\nintake:\n  sample:\n" +
				"    - {advisory: A, received: yesterday}\n" + //                   7 + "advisory: A, " 13 + "received: " 10: 31
				"    - {advisory: B, received: 2026-10-02T10:00:00Z, triaged: 2026-10-02T09:00:00+02:00}\n" + // 7+13+10+20+2 = 52, + "triaged: " 9: 62
				"    - {advisory: C, triaged: [2026]}\n", //                         7 + 13 + "triaged: " 9: 30
			want: []string{
				`a.yaml:5:31: intake.sample[0].received: invalid time "yesterday": want RFC 3339 (2026-10-02T08:14:00Z) or a day (YYYY-MM-DD)`,
				`a.yaml:6:62: intake.sample[1].triaged: triaged (2026-10-02T07:00:00Z) before it was received (2026-10-02T10:00:00Z)`,
				`a.yaml:7:30: intake.sample[2].triaged: want a time (RFC 3339, such as 2026-10-02T08:14:00Z, or a day, YYYY-MM-DD), got a list`,
			},
		},
		{
			name: "URLs, periods and examples",
			in: "vendor: V\nassessed: 2026-11-23\nregister: https://contoso.example/register.yaml\n" + // value at 11
				"intake:\n  measured:\n    receipt_to_triage: {median: 3d, p90: 1d}\n" + // 4 + "receipt_to_triage: {" 20 + "median: 3d, " 12 + "p90: " 5: 42
				"disclosure:\n  rss: feed.xml\n  notify_within: soon\n" + // rss value at 8; notify_within value at 18
				"examples:\n  - {date: 2026-01-01, advisory: X}\n", // missing change, at the map: column 5
			want: []string{
				`a.yaml:3:11: register: want the path of the vendor's register file, relative to this file, not a URL`,
				`a.yaml:6:42: intake.measured.receipt_to_triage.p90: p90 (1d) is shorter than the median (3d)`,
				`a.yaml:8:8: disclosure.rss: want an http or https URL, got "feed.xml"`,
				`a.yaml:9:18: disclosure.notify_within: invalid period "soon": want a positive number and a unit (d, w, mo, y), e.g. 12mo or 1y6mo`,
				`a.yaml:11:5: examples[0]: missing required field "change"`,
			},
		},
		{
			name: "not a map",
			in:   "- vendor: V\n",
			want: []string{`a.yaml:1:1: want a map with "vendor" and "assessed", got a list`},
		},
		{
			name: "empty",
			in:   "# nothing yet\n",
			want: []string{`a.yaml: file is empty; want an assessment with "vendor" and "assessed"`},
		},
		{
			name: "syntax",
			in:   "vendor: V\nassessed: [2026\n",
			want: []string{`a.yaml:2: invalid YAML: did not find expected ',' or ']'`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := register.ParseAssessment(strings.NewReader(tc.in), "a.yaml")
			if err == nil {
				t.Fatalf("no error; got %+v", a)
			}
			if a != nil {
				t.Error("assessment returned with an error")
			}
			var list register.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("%T is not an ErrorList: %v", err, err)
			}
			if diff := cmp.Diff(tc.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAssessmentValidate(t *testing.T) {
	a := &register.Assessment{
		Vendor:  "V",
		Answers: []register.Answer{{Question: "q9", Answer: "x"}},
		Intake: register.Intake{Sample: []register.IntakeRecord{
			{Advisory: "A", Decision: "n/a", Received: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		}},
		Disclosure: register.Disclosure{NotifyWithin: register.Period{Days: -1}},
		Examples:   []register.ActionExample{{Date: register.NewDate(2026, 1, 1), Advisory: "A", Change: "\xff"}},
	}
	want := []string{
		`register: examples[0].change: invalid UTF-8 in string`,
		`register: missing required field "assessed"`,
		`register: answers[0].question: unknown question "q9"; want one of q1, q2, q3, q4, q5, q6`,
		`register: intake.sample[0].received: time 10000-01-01T00:00:00Z is outside the years 0000-9999`,
		`register: intake.sample[0].decision: unknown decision "n/a"; want one of actionable, informational, not_applicable, duplicate`,
		`register: disclosure.notify_within: invalid period -1d: parts must not be negative`,
	}
	err := a.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestLoadAssessmentErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("missing register file", func(t *testing.T) {
		p := write("missing.yaml", "vendor: V\nassessed: 2026-11-23\nregister: nope/register.yaml\n")
		a, r, err := register.LoadAssessment(p)
		if err == nil || a != nil || r != nil {
			t.Fatalf("got %v, %v, %v", a, r, err)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("not fs.ErrNotExist: %v", err)
		}
		want := "register: " + p + `: cannot read the vendor's register "nope/register.yaml": open ` + filepath.Join(dir, "nope", "register.yaml") + ": no such file or directory"
		if err.Error() != want {
			t.Errorf("error\n got %s\nwant %s", err, want)
		}
	})

	t.Run("broken register file", func(t *testing.T) {
		rp := write("reg.yaml", "people: []\ngroups:\n  - {id: g, name: G, kind: isca}\n")
		p := write("broken.yaml", "vendor: V\nassessed: 2026-11-23\nregister: reg.yaml\n")
		_, _, err := register.LoadAssessment(p)
		var list register.ErrorList
		if !errors.As(err, &list) || len(list) != 1 {
			t.Fatalf("want one register error, got %v", err)
		}
		// "  - {id: g, name: G, kind: " is 27 wide.
		want := rp + `:3:28: groups[0].kind: unknown kind "isca" (did you mean "isac"?); want one of isac, cert, government-cert, government-agency, professional-body, vendor, forum, mailing-list`
		if err.Error() != want {
			t.Errorf("error\n got %s\nwant %s", err, want)
		}
	})

	t.Run("absolute register path", func(t *testing.T) {
		reg, err := filepath.Abs("testdata/assess/good-register.yaml")
		if err != nil {
			t.Fatal(err)
		}
		p := write("abs.yaml", "vendor: V\nassessed: 2026-11-23\nregister: '"+reg+"'\n")
		_, r, err := register.LoadAssessment(p)
		if err != nil || r == nil || len(r.Groups) != 4 {
			t.Fatalf("got %v, %v", r, err)
		}
	})

	t.Run("no register named", func(t *testing.T) {
		p := write("none.yaml", "vendor: V\nassessed: 2026-11-23\n")
		a, r, err := register.LoadAssessment(p)
		if err != nil || a == nil || r != nil {
			t.Fatalf("got %v, %v, %v", a, r, err)
		}
	})

	t.Run("missing assessment file", func(t *testing.T) {
		p := filepath.Join(dir, "absent.yaml")
		_, _, err := register.LoadAssessment(p)
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), p) {
			t.Errorf("error %v", err)
		}
	})

	t.Run("assessment file errors name the file", func(t *testing.T) {
		p := write("bad.yaml", "vendor: V\nassessed: 2026-11-23\nanswers: [{question: q7, answer: x}]\n")
		_, _, err := register.LoadAssessment(p)
		var first *register.Error
		if !errors.As(err, &first) || first.File != p || first.Line != 3 || first.Column != 22 {
			t.Errorf("error %#v (%v)", first, err)
		}
	})
}

// FuzzParseAssessment checks that ParseAssessment never panics, that its
// errors are well formed, and that what it accepts validates and survives
// a round trip through JSON.
func FuzzParseAssessment(f *testing.F) {
	good, err := os.ReadFile(goodAssessment)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	for _, s := range []string{
		"",
		"vendor: V\nassessed: 2026-11-23\n",
		"vendor: V\nassessed: 2025-13-45\nanswers: [{question: q7, answer: x}, {question: q1}]\n",
		"vendor: V\nassessed: 2026-11-23\nintake: {sample: [{advisory: A, received: 2026-10-02 08:00:00.5+01:00, triaged: 2026-10-01, decision: not-applicable}]}\n",
		"vendor: V\nassessed: 2026-11-23\nintake: {targets: {receipt_to_triage: 1y2mo3d}, measured: {triage_to_fix: {median: 2w, p90: 1w}}}\n",
		"vendor: V\nassessed: 2026-11-23\ndisclosure: {rss: 'ftp://x', security_txt: 'https://a/b', notify_within: 48h}\n",
		"vendor: &v V\nassessed: 2026-11-23\nassessor: *v\nexamples: [{date: 2026-01-01, advisory: *v, change: c}, {<<: {date: 2026-02-02}, advisory: a, change: b}]\n",
		"{\"vendor\": \"V\", \"assessed\": \"2026-11-23\", \"intake\": {\"sample\": [{\"advisory\": \"A\", \"received\": \"2026-10-02T08:14:00.123456789Z\"}]}}",
		"vendor: V\nassessed: 2026-11-23\nregister: ../x://y\n",
		"- a\n",
		"vendor: V\n---\nassessed: 2026-11-23\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := register.ParseAssessment(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			if a != nil {
				t.Fatal("assessment returned with an error")
			}
			var list register.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %v", err)
			}
			for _, e := range list {
				if e == nil || e.Msg == "" || e.File != "fuzz.yaml" {
					t.Fatalf("bad entry %#v in %v", e, err)
				}
			}
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("ParseAssessment accepted an assessment that Validate rejects: %v", err)
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
		back, err := register.ParseAssessment(bytes.NewReader(b), "out.json")
		if err != nil {
			t.Fatalf("ParseAssessment(JSON):\n%v\n%s", err, b)
		}
		if diff := cmp.Diff(a, back); diff != "" {
			t.Fatalf("JSON round trip (-in +out):\n%s\n%s", diff, b)
		}
		// Whatever was accepted can be assessed.
		res := register.Assess(a, nil, nil)
		if res.Assessed != a.Assessed || len(res.RedFlags) == 0 {
			t.Fatalf("Assess: assessed %s, %d flags", res.Assessed, len(res.RedFlags))
		}
	})
}
