package register_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// checkNow is the clock of every check test: testdata/check/clean.yaml has
// nothing to find on this day.
var checkNow = time.Date(2026, 11, 23, 15, 4, 5, 0, time.UTC)

func cleanRegister(t *testing.T) *register.Register {
	t.Helper()
	return load(t, "testdata/check/clean.yaml")
}

// coveringStack runs only what clean.yaml covers: Fortinet (fortinet-psirt)
// and Go modules (go-osv).
func coveringStack() *triage.Stack {
	return &triage.Stack{Components: []triage.Component{
		{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4"},
		{ID: "x-net", PURL: "pkg:golang/golang.org/x/net@v0.20.0"},
		{ID: "internal-tool", Name: "Internal tool"}, // neither vendor nor purl: not judged
	}}
}

func checkOpts() *register.CheckOptions {
	return &register.CheckOptions{Now: func() time.Time { return checkNow }, Stack: coveringStack()}
}

// got is the part of a finding a case asserts (the message is checked by
// phrase).
type got struct {
	Code     register.Code
	Severity register.Severity
	Group    string
	Field    string
	Person   string
}

func summarise(fs []register.Finding) []got {
	out := make([]got, len(fs))
	for i, f := range fs {
		out[i] = got{f.Code, f.Severity, f.Group, f.Field, f.Person}
	}
	return out
}

func date(s string) register.Date {
	d, err := register.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// extraGroup is a group with nothing to find, for cases that add one.
func extraGroup(id, name string) register.Group {
	return register.Group{
		ID: id, Name: name, Kind: register.KindForum, URL: "https://" + id + ".example/",
		Relevance: "test", Owner: "jlee", Backup: "akhan",
		Membership: register.Membership{Status: register.MembershipActive, Since: date("2026-09-01"),
			Proof: []register.Proof{{Ref: "sign-up e-mail"}}},
		Channels: []register.Channel{{Kind: "rss", URL: "https://" + id + ".example/feed.xml"}},
		Review:   register.Review{Records: []register.ReviewRecord{{Date: date("2026-09-01"), By: "jlee", Outcome: register.OutcomeKeep}}},
	}
}

func TestCheckClean(t *testing.T) {
	r := cleanRegister(t)
	opts := checkOpts()
	opts.History = &register.History{Since: date("2025-01-01").Time(), LastReceived: map[string]time.Time{
		"cisa-kev": checkNow.Add(-24 * time.Hour), "rss": checkNow.Add(-89 * 24 * time.Hour),
		"osv": checkNow.Add(-time.Hour),
	}, LastManual: map[string]time.Time{"fs-isac": date("2026-10-01").Time(), "isaca": date("2026-11-01").Time()}}
	if fs := register.Check(r, opts); len(fs) != 0 {
		t.Fatalf("clean register: %d findings, want none:\n%s", len(fs), dump(fs))
	}
}

func dump(fs []register.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s %s: %s\n", f.Severity, f.Code, f.Group, f.Field, f.Message)
	}
	return b.String()
}

// checkCases each break clean.yaml in one way; want lists every finding
// the break must cause (worked out by hand from the rule), and phrase a
// part of the first finding's message.
var checkCases = []struct {
	name   string
	mutate func(r *register.Register, o *register.CheckOptions)
	want   []got
	phrase string
}{
	{
		name:   "no owner",
		mutate: func(r *register.Register, _ *register.CheckOptions) { grp(r, "fortinet-psirt").Owner = "" },
		want:   []got{{register.CodeNoOwner, register.SeverityError, "fortinet-psirt", "owner", ""}},
		phrase: "nobody is accountable for reading Fortinet PSIRT",
	},
	{
		name:   "owner not in people (register built in code)",
		mutate: func(r *register.Register, _ *register.CheckOptions) { grp(r, "fortinet-psirt").Owner = "ghost" },
		want:   []got{{register.CodeNoOwner, register.SeverityError, "fortinet-psirt", "owner", ""}},
		phrase: `owner "ghost" is not in people`,
	},
	{
		name:   "no backup",
		mutate: func(r *register.Register, _ *register.CheckOptions) { grp(r, "isaca").Backup = "" },
		want:   []got{{register.CodeNoBackup, register.SeverityWarning, "isaca", "backup", ""}},
		phrase: "when Maria Okafor (mokafor) is away nobody reads ISACA London Chapter",
	},
	{
		name:   "backup is owner",
		mutate: func(r *register.Register, _ *register.CheckOptions) { grp(r, "cisa-kev").Backup = "akhan" },
		want:   []got{{register.CodeBackupIsOwner, register.SeverityError, "cisa-kev", "backup", ""}},
		phrase: "the backup is the owner (Aisha Khan (akhan))",
	},
	{
		// akhan owns cisa-kev and fortinet-psirt and backs up fs-isac.
		name:   "owner and backup left",
		mutate: func(r *register.Register, _ *register.CheckOptions) { no := false; person(r, "akhan").Active = &no },
		want: []got{
			{register.CodeOwnerInactive, register.SeverityError, "cisa-kev", "owner", "akhan"},
			{register.CodeOwnerInactive, register.SeverityError, "fortinet-psirt", "owner", "akhan"},
			{register.CodeBackupInactive, register.SeverityWarning, "fs-isac", "backup", "akhan"},
		},
		phrase: "owner Aisha Khan (akhan) has left (active: false): nobody reads CISA Known Exploited Vulnerabilities Catalog; hand it to an active person (the backup James Lee (jlee) is covering)",
	},
	{
		name:   "compliance lead owns a technical feed",
		mutate: func(r *register.Register, _ *register.CheckOptions) { grp(r, "cisa-kev").Owner = "mokafor" },
		want:   []got{{register.CodeNonTechnicalOwner, register.SeverityWarning, "cisa-kev", "owner", "mokafor"}},
		phrase: "technical channel (kind government-cert) but its owner Maria Okafor (mokafor) does not run technology",
	},
	{
		// A forum is not technical by kind; its rss feed makes it so.
		name: "non-technical owner of a forum with a feed",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			g := extraGroup("owasp", "OWASP Foundation")
			g.Owner = "mokafor"
			r.Groups = append(r.Groups, g)
		},
		want:   []got{{register.CodeNonTechnicalOwner, register.SeverityWarning, "owasp", "owner", "mokafor"}},
		phrase: "(a rss feed)",
	},
	{
		name:   "never reviewed",
		mutate: func(r *register.Register, _ *register.CheckOptions) { grp(r, "go-osv").Review.Records = nil },
		want:   []got{{register.CodeReviewNever, register.SeverityWarning, "go-osv", "review.records", ""}},
		phrase: "at least every 12mo",
	},
	{
		// 2025-11-01 + 12 months = 2026-11-01, 22 days before 2026-11-23.
		name: "review overdue",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "isaca").Review.Records[0].Date = date("2025-11-01")
		},
		want:   []got{{register.CodeReviewOverdue, register.SeverityWarning, "isaca", "review.records", ""}},
		phrase: "review overdue by 22 days: last reviewed 2025-11-01 by Maria Okafor (mokafor), due every 12mo (was due 2026-11-01)",
	},
	{
		// The latest record counts, not the first; a 6-month cadence from
		// 2026-05-22 was due 2026-11-22: one day.
		name: "review overdue with own cadence",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			g := grp(r, "isaca")
			g.Review.Every = register.Period{Months: 6}
			g.Review.Records = append([]register.ReviewRecord{{Date: date("2026-05-22"), By: "mokafor", Outcome: register.OutcomeKeep}},
				register.ReviewRecord{Date: date("2025-01-01"), By: "mokafor", Outcome: register.OutcomeChange})
		},
		want:   []got{{register.CodeReviewOverdue, register.SeverityWarning, "isaca", "review.records", ""}},
		phrase: "review overdue by 1 day",
	},
	{
		// The last real review is 2025-11-01 (overdue); a record dated in
		// the future must not hide that.
		name: "a review dated in the future",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			g := grp(r, "isaca")
			g.Review.Records[0].Date = date("2025-11-01")
			g.Review.Records = append(g.Review.Records, register.ReviewRecord{Date: date("2027-01-01"), By: "mokafor", Outcome: register.OutcomeKeep})
			g.Engagements[0].Date = date("2026-11-24") // tomorrow: not participation today
		},
		want: []got{
			{register.CodeFutureDate, register.SeverityWarning, "isaca", "engagements[0].date", ""},
			{register.CodeFutureDate, register.SeverityWarning, "isaca", "review.records[1].date", ""},
			{register.CodeReviewOverdue, register.SeverityWarning, "isaca", "review.records", ""},
			{register.CodeNoParticipation, register.SeverityInfo, "isaca", "engagements", ""},
		},
		phrase: "review record is dated 2027-01-01, after today (2026-11-23)",
	},
	{
		// Reviewed 2025-11-23 every 12 months: due today, not overdue.
		name: "review due today",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "isaca").Review.Records[0].Date = date("2025-11-23")
		},
	},
	{
		name: "membership lapsed",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "fortinet-psirt").Membership.Status = "lapsed"
		},
		want:   []got{{register.CodeMembershipLapsed, register.SeverityWarning, "fortinet-psirt", "membership.status", ""}},
		phrase: "membership has lapsed",
	},
	{
		name: "membership past its until date",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "cisa-kev").Membership.Until = date("2026-11-22")
		},
		want:   []got{{register.CodeMembershipExpired, register.SeverityError, "cisa-kev", "membership.until", ""}},
		phrase: "marked active but ended on 2026-11-22",
	},
	{
		// Until is the last day: 2026-11-23 itself is still fine.
		name: "membership ending today",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "cisa-kev").Membership.Until = date("2026-11-23")
		},
	},
	{
		// 2026-12-10 is 17 days after 2026-11-23, inside the 30-day notice.
		name: "renewal coming up",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "fs-isac").Membership.Renewal = date("2026-12-10")
		},
		want:   []got{{register.CodeRenewalDue, register.SeverityInfo, "fs-isac", "membership.renewal", ""}},
		phrase: "renewal due on 2026-12-10 (in 17 days)",
	},
	{
		name: "renewal missed",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "fs-isac").Membership.Renewal = date("2026-11-01")
		},
		want:   []got{{register.CodeRenewalDue, register.SeverityWarning, "fs-isac", "membership.renewal", ""}},
		phrase: "renewal date 2026-11-01 has passed",
	},
	{
		// Applied 2026-06-01: 175 days, past the 90-day default.
		name: "application pending",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			m := &grp(r, "isaca").Membership
			m.Status, m.Since = register.MembershipApplied, date("2026-06-01")
		},
		want:   []got{{register.CodeMembershipPending, register.SeverityInfo, "isaca", "membership.status", ""}},
		phrase: "applied on 2026-06-01 and still not active after 175 days",
	},
	{
		name: "no membership recorded",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "go-osv").Membership = register.Membership{}
		},
		want:   []got{{register.CodeNoMembership, register.SeverityInfo, "go-osv", "membership.status", ""}},
		phrase: "no membership recorded",
	},
	{
		name:   "no proof",
		mutate: func(r *register.Register, _ *register.CheckOptions) { grp(r, "go-osv").Membership.Proof = nil },
		want:   []got{{register.CodeNoProof, register.SeverityWarning, "go-osv", "membership.proof", ""}},
		phrase: "active membership without proof",
	},
	{
		name: "a platform, not a group",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			r.Groups = append(r.Groups, extraGroup("twitter", "Twitter feeds"), extraGroup("news", "The security news"))
		},
		want: []got{
			{register.CodeVague, register.SeverityError, "twitter", "name", ""},
			{register.CodeVague, register.SeverityError, "news", "name", ""},
		},
		phrase: `"Twitter feeds" names a social network, not a specific group`,
	},
	{
		name: "a platform's front page",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			g := extraGroup("cisa-x", "CISA on X")
			g.URL = "https://x.com/"
			ok := extraGroup("cisa-x2", "CISA on X (@CISAgov)")
			ok.URL = "https://x.com/CISAgov"
			r.Groups = append(r.Groups, g, ok)
		},
		want:   []got{{register.CodeVague, register.SeverityError, "cisa-x", "url", ""}},
		phrase: "url https://x.com/ is the front page of a social network",
	},
	{
		name: "nothing to verify the entry with",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "isaca").URL = "" // its only channel is manual, without URL
		},
		want:   []got{{register.CodeNoURL, register.SeverityWarning, "isaca", "url", ""}},
		phrase: "nobody can verify the entry",
	},
	{
		name:   "no relevance",
		mutate: func(r *register.Register, _ *register.CheckOptions) { grp(r, "fs-isac").Relevance = "  " },
		want:   []got{{register.CodeNoRelevance, register.SeverityWarning, "fs-isac", "relevance", ""}},
		phrase: "say why the organisation listens to FS-ISAC",
	},
	{
		name:   "no channel",
		mutate: func(r *register.Register, _ *register.CheckOptions) { grp(r, "fs-isac").Channels = nil },
		want:   []got{{register.CodeNoChannel, register.SeverityWarning, "fs-isac", "channels", ""}},
		phrase: "say how FS-ISAC's warnings reach you",
	},
	{
		name: "same group twice",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			r.Groups = append(r.Groups, extraGroup("fsisac2", "FS ISAC"))
			feed := extraGroup("fortiguard", "FortiGuard Labs")
			feed.Channels[0].URL = "http://www.filestore.fortinet.com/fortiguard/rss/ir.xml/" // scheme, www. and slash do not matter
			home := extraGroup("fsisac-home", "Financial Services ISAC")
			home.URL = "https://fsisac.com/"
			r.Groups = append(r.Groups, home)
			r.Groups = append(r.Groups, feed)
		},
		want: []got{
			{register.CodeDuplicate, register.SeverityWarning, "fsisac2", "name", ""},
			{register.CodeDuplicate, register.SeverityWarning, "fsisac-home", "url", ""},
			{register.CodeDuplicate, register.SeverityWarning, "fortiguard", "channels[0].url", ""},
		},
		phrase: "same name as group fs-isac (FS-ISAC)",
	},
	{
		name: "a US state group for a UK/EU company",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			g := extraGroup("tx-isao", "Texas ISAO")
			g.Scope.Regions = []string{"us-tx"}
			de := extraGroup("cert-bund", "CERT-Bund")
			de.Scope.Regions = []string{"DE"} // in the EU: in scope
			r.Groups = append(r.Groups, g, de)
		},
		want:   []got{{register.CodeRegionOutOfScope, register.SeverityWarning, "tx-isao", "scope.regions", ""}},
		phrase: "Texas ISAO serves us-tx, where the organisation does not operate (uk, eu)",
	},
	{
		name: "another sector's ISAC",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "fs-isac").Scope.Sectors = []string{"healthcare"}
		},
		want:   []got{{register.CodeSectorOutOfScope, register.SeverityInfo, "fs-isac", "scope.sectors", ""}},
		phrase: "serves the healthcare sector(s), not the organisation's (financial-services)",
	},
	{
		name: "authorities",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			fca := extraGroup("fca", "Financial Conduct Authority")
			fca.Kind = register.KindGovernmentAgency
			ico := extraGroup("ico", "Information Commissioner's Office")
			ico.Purpose = register.PurposeAuthority
			ico.Channels = nil // an authority needs no channel
			ic3 := extraGroup("ic3", "FBI Internet Crime Complaint Center")
			ic3.Purpose = register.PurposeAdvisory // stated: not an authority here
			r.Groups = append(r.Groups, fca, ico, ic3)
		},
		want: []got{
			{register.CodeAuthority, register.SeverityWarning, "fca", "name", ""},
			{register.CodeAuthority, register.SeverityWarning, "ico", "purpose", ""},
		},
		phrase: `looks like an authority ("authority")`,
	},
	{
		name: "retired but still live",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			g := grp(r, "fortinet-psirt")
			g.Review.Records = append(g.Review.Records, register.ReviewRecord{Date: date("2026-11-01"), By: "akhan", Outcome: register.OutcomeRetire})
			// Retired, nothing covers Fortinet any more.
			g2 := grp(r, "go-osv")
			g2.Membership.Status, g2.Membership.Until = register.MembershipEnded, date("2026-10-01")
		},
		want: []got{
			{register.CodeStackEcosystemUncovered, register.SeverityWarning, "", "", ""},
			{register.CodeStackVendorUncovered, register.SeverityWarning, "", "", ""},
			{register.CodeRetiredStillActive, register.SeverityWarning, "fortinet-psirt", "", ""},
			{register.CodeRetiredStillActive, register.SeverityWarning, "go-osv", "", ""},
		},
		phrase: "the stack runs Fortinet FortiOS (vendor Fortinet) but no group carries that vendor's advisories",
	},
	{
		name:   "DORA: joining not notified",
		mutate: func(r *register.Register, _ *register.CheckOptions) { grp(r, "fs-isac").Notifications = nil },
		want:   []got{{register.CodeNotificationMissing, register.SeverityWarning, "fs-isac", "notifications", ""}},
		phrase: "competent authority was told the membership of FS-ISAC started on 2024-01-15 (DORA Art. 45(3))",
	},
	{
		name: "DORA: leaving not notified",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			g := grp(r, "fs-isac")
			g.Membership.Status, g.Membership.Until = register.MembershipEnded, date("2026-10-31")
			g.Channels = nil
		},
		want:   []got{{register.CodeNotificationMissing, register.SeverityWarning, "fs-isac", "notifications", ""}},
		phrase: "told the membership of FS-ISAC ended on 2026-10-31",
	},
	{
		name: "DORA not applicable",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			r.Organisation.Regulations = nil
			grp(r, "fs-isac").Notifications = nil
		},
	},
	{
		// The window starts 2025-11-23; an engagement on 2025-11-22 is outside.
		name: "membership without participation",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "fs-isac").Engagements[0].Date = date("2025-11-22")
		},
		want:   []got{{register.CodeNoParticipation, register.SeverityInfo, "fs-isac", "engagements", ""}},
		phrase: "no engagement with FS-ISAC recorded since 2025-11-23",
	},
	{
		name: "participation on the first day of the window",
		mutate: func(r *register.Register, _ *register.CheckOptions) {
			grp(r, "fs-isac").Engagements[0].Date = date("2025-11-23")
		},
	},
	{
		name:   "too many groups",
		mutate: func(_ *register.Register, o *register.CheckOptions) { o.MaxGroups = 4 }, // clean.yaml has 5
		want:   []got{{register.CodeTooManyGroups, register.SeverityWarning, "", "", ""}},
		phrase: "5 live groups, more than the 4 the team can read",
	},
	{
		// Authorities are not special interest groups: not counted.
		name: "authorities do not add to the load",
		mutate: func(r *register.Register, o *register.CheckOptions) {
			o.MaxGroups = 5
			ico := extraGroup("ico", "Information Commissioner's Office")
			ico.Purpose = register.PurposeAuthority
			r.Groups = append(r.Groups, ico)
		},
		want:   []got{{register.CodeAuthority, register.SeverityWarning, "ico", "purpose", ""}},
		phrase: "belongs on the control 5.5 list",
	},
	{
		name:   "exactly at the limit",
		mutate: func(_ *register.Register, o *register.CheckOptions) { o.MaxGroups, o.MaxGroupsPerOwner = 5, 2 },
	},
	{
		name:   "an overloaded owner",
		mutate: func(_ *register.Register, o *register.CheckOptions) { o.MaxGroupsPerOwner = 1 }, // akhan owns 2
		want:   []got{{register.CodeOwnerOverloaded, register.SeverityWarning, "", "", "akhan"}},
		phrase: "Aisha Khan (akhan) owns 2 live groups, more than 1",
	},
	{
		name: "stack vendors and ecosystems nobody covers",
		mutate: func(_ *register.Register, o *register.CheckOptions) {
			o.Stack.Components = append(o.Stack.Components,
				triage.Component{ID: "vpn", Vendor: "Ivanti", Product: "Connect Secure"},
				triage.Component{ID: "old-vpn", Vendor: "Pulse Secure", Product: "Pulse Connect Secure"}, // Ivanti by alias
				triage.Component{ID: "lb", CPE: "cpe:2.3:a:f5:big-ip_local_traffic_manager:17.1.0:*:*:*:*:*:*:*"},
				triage.Component{ID: "fw2", CPE: "cpe:2.3:o:fortinet:fortios:7.4.1:*:*:*:*:*:*:*"}, // covered by fortinet-psirt
				triage.Component{ID: "core", Vendor: "Juniper Networks", Product: "Junos OS"},
				triage.Component{ID: "left-pad", PURL: "pkg:npm/left-pad@1.3.0"},
				triage.Component{ID: "lodash", PURL: "pkg:npm/lodash@4.17.21"},
			)
		},
		want: []got{
			{register.CodeStackEcosystemUncovered, register.SeverityWarning, "", "", ""},
			{register.CodeStackVendorUncovered, register.SeverityWarning, "", "", ""},
			{register.CodeStackVendorUncovered, register.SeverityWarning, "", "", ""},
			{register.CodeStackVendorUncovered, register.SeverityWarning, "", "", ""},
		},
		phrase: "the stack has 2 packages from the npm ecosystem but no group covers it",
	},
	{
		// A vendor group's name covers the company with its suffix, and the
		// CPE vendor "pulsesecure" is Ivanti by alias.
		name: "vendor names through aliases and company words",
		mutate: func(r *register.Register, o *register.CheckOptions) {
			j := extraGroup("juniper-sirt", "Juniper SIRT")
			j.Kind = register.KindVendor
			iv := extraGroup("ivanti-psirt", "Ivanti PSIRT")
			iv.Kind = register.KindVendor
			r.Groups = append(r.Groups, j, iv)
			o.Stack.Components = append(o.Stack.Components,
				triage.Component{ID: "core", Vendor: "Juniper Networks", Product: "Junos OS"},
				triage.Component{ID: "vpn", CPE: "cpe:2.3:a:pulsesecure:pulse_connect_secure:9.1:r11:*:*:*:*:*:*"})
		},
	},
	{
		// rss last received 2026-08-24 (91 days); osv never, and intake has
		// recorded since 2026-01-01; kev 2026-09-01 is 83 days: fine. Manual
		// channels count per group: nothing entered for isaca.
		name: "silent channels",
		mutate: func(_ *register.Register, o *register.CheckOptions) {
			o.History = &register.History{Since: date("2026-01-01").Time(), LastReceived: map[string]time.Time{
				"cisa-kev": date("2026-09-01").Time(), "rss": date("2026-08-24").Time(), "manual": checkNow,
			}, LastManual: map[string]time.Time{"fs-isac": date("2026-11-01").Time()}}
		},
		want: []got{
			{register.CodeChannelSilent, register.SeverityWarning, "fortinet-psirt", "channels[0]", ""},
			{register.CodeChannelSilent, register.SeverityWarning, "go-osv", "channels[0]", ""},
			{register.CodeChannelSilent, register.SeverityWarning, "isaca", "channels[0]", ""},
		},
		phrase: "channel rss (rss) has delivered nothing since 2026-08-24 (91 days)",
	},
	{
		// A quarterly channel may be quiet for two quarters.
		name: "silence measured against the channel's own rhythm",
		mutate: func(r *register.Register, o *register.CheckOptions) {
			grp(r, "fortinet-psirt").Channels[0].Every = register.Period{Months: 3}
			o.History = &register.History{LastReceived: map[string]time.Time{
				"cisa-kev": checkNow, "osv": checkNow, "rss": date("2026-06-01").Time(),
			}, LastManual: map[string]time.Time{"fs-isac": checkNow, "isaca": checkNow}}
		},
	},
}

func grp(r *register.Register, id string) *register.Group {
	g, ok := r.Group(id)
	if !ok {
		panic("no group " + id)
	}
	return g
}

func person(r *register.Register, id string) *register.Person {
	p, ok := r.Person(id)
	if !ok {
		panic("no person " + id)
	}
	return p
}

func TestCheckCases(t *testing.T) {
	for _, tc := range checkCases {
		t.Run(tc.name, func(t *testing.T) {
			r := cleanRegister(t)
			opts := checkOpts()
			tc.mutate(r, opts)
			fs := register.Check(r, opts)
			if diff := cmp.Diff(tc.want, summarise(fs), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("findings (-want +got):\n%s\nall:\n%s", diff, dump(fs))
			}
			if len(fs) == 0 {
				return
			}
			phrase := tc.phrase
			if !slices.ContainsFunc(fs, func(f register.Finding) bool { return strings.Contains(f.Message, phrase) }) {
				t.Errorf("no message contains %q:\n%s", phrase, dump(fs))
			}
		})
	}
}

// TestCheckCodesCovered: every documented code is triggered by a case here
// or, for the link codes, in links_test.go.
func TestCheckCodesCovered(t *testing.T) {
	seen := map[register.Code]bool{}
	for _, tc := range checkCases {
		for _, w := range tc.want {
			seen[w.Code] = true
		}
	}
	for _, c := range register.Codes() {
		if !seen[c] && !strings.HasPrefix(string(c), "link-") {
			t.Errorf("no check case triggers %s", c)
		}
	}
}
