package triage_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/triage"
)

var clock = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func now() time.Time { return clock }

func stack() *triage.Stack {
	return &triage.Stack{Components: []triage.Component{
		{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4", Owner: "netops",
			Exposure: triage.ExposureInternet, Criticality: triage.CriticalityCritical},
		{ID: "branch-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.0.12", Owner: "branch-it",
			Exposure: triage.ExposureInternal},
		{ID: "wiki", Vendor: "Atlassian", Product: "Confluence Server", Version: "8.5.3", Owner: "collab",
			Exposure: triage.ExposureInternal, Criticality: triage.CriticalityMedium},
		{ID: "laptops-chrome", Vendor: "Google", Product: "Chrome", Version: "131.0.6778.85", Owner: "endpoint"},
		{ID: "lib-x", Vendor: "Example", Product: "libx", Version: "1.4.2", Owner: "dev"},
	}}
}

func kevAdvisory(id, vendor, product string, ransomware string) feeds.Advisory {
	return feeds.Advisory{
		ID: id, Source: "cisa-kev", Title: vendor + " " + product + " vulnerability",
		Affected: []feeds.Affected{{Vendor: vendor, Product: product}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{
			DateAdded: time.Date(2024, 2, 9, 0, 0, 0, 0, time.UTC), DueDate: time.Date(2024, 2, 16, 0, 0, 0, 0, time.UTC),
			RansomwareUse: ransomware,
		}},
	}
}

func mustEngine(t *testing.T, opts *triage.Options) *triage.Engine {
	t.Helper()
	if opts == nil {
		opts = &triage.Options{}
	}
	opts.Now = now
	e, err := triage.New(stack(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEvaluateDefaultRules(t *testing.T) {
	e := mustEngine(t, nil)
	day := 24 * time.Hour
	for _, tc := range []struct {
		name     string
		adv      feeds.Advisory
		decision triage.Decision
		priority triage.Priority
		rule     string
		due      time.Duration
		owner    string
		matched  []string // component IDs in relevance order
	}{
		// FortiOS on the internet-facing firewall: first rule wins, owner is
		// the internet-facing component's, both firewalls are listed.
		{"kev_internet", kevAdvisory("CVE-2024-21762", "Fortinet", "FortiOS", "Known"),
			triage.DecisionActionable, triage.P1, "kev-internet", 3 * day, "netops", []string{"edge-fw", "branch-fw"}},
		// Confluence is internal and not critical, ransomware known → second rule.
		{"kev_ransomware", kevAdvisory("CVE-2023-22515", "Atlassian", "Confluence Data Center and Server", "Known"),
			triage.DecisionActionable, triage.P1, "kev-ransomware", 7 * day, "collab", []string{"wiki"}},
		// Same without ransomware → kev-matched.
		{"kev_matched", kevAdvisory("CVE-2023-22518", "Atlassian", "Confluence Data Center and Server", "Unknown"),
			triage.DecisionActionable, triage.P2, "kev-matched", 14 * day, "collab", []string{"wiki"}},
		// Chromium V8 is Chrome through the alias dictionary.
		{"kev_alias", kevAdvisory("CVE-2024-7971", "Google", "Chromium V8", "Unknown"),
			triage.DecisionActionable, triage.P2, "kev-matched", 14 * day, "endpoint", []string{"laptops-chrome"}},
		// "Multiple Products" gives a vendor-only match: the owner of the most
		// exposed Fortinet component confirms by hand.
		{"vendor_only", kevAdvisory("CVE-2019-5591", "Fortinet", "Multiple Products", "Unknown"),
			triage.DecisionInformational, triage.P4, "vendor-only", 14 * day, "netops", []string{"edge-fw", "branch-fw"}},
		// Nothing in the stack: not applicable, with the reason recorded.
		{"no_match", kevAdvisory("CVE-2021-44228", "Apache", "Log4j2", "Known"),
			triage.DecisionNotApplicable, "", "no-match", 0, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := e.Evaluate(&tc.adv)
			if res.Decision != tc.decision || res.Priority != tc.priority || res.RuleID != tc.rule {
				t.Fatalf("got %s %s by %s, want %s %s by %s\n%s", res.Decision, res.Priority, res.RuleID,
					tc.decision, tc.priority, tc.rule, res.Why())
			}
			var wantDue time.Time
			if tc.due > 0 {
				wantDue = clock.Add(tc.due)
			}
			if !res.Due.Equal(wantDue) {
				t.Errorf("due = %v, want %v", res.Due, wantDue)
			}
			if res.Owner != tc.owner {
				t.Errorf("owner = %q, want %q", res.Owner, tc.owner)
			}
			var got []string
			for _, m := range res.Matches {
				got = append(got, m.Component.ID)
			}
			if strings.Join(got, ",") != strings.Join(tc.matched, ",") {
				t.Errorf("matches = %v, want %v", got, tc.matched)
			}
			if res.Checked != 5 {
				t.Errorf("checked = %d, want 5", res.Checked)
			}
			why := res.Why()
			if !strings.Contains(why, "Rule "+tc.rule) || !strings.Contains(why, "CISA KEV lists "+tc.adv.ID) {
				t.Errorf("explanation lacks the rule or the KEV fact: %s", why)
			}
			for _, m := range res.Matches {
				// KEV gives no versions: never "affected", never "not affected".
				if m.Verdict != triage.VerdictNeedsReview {
					t.Errorf("%s: verdict %s, want needs_review for a KEV entry without versions", m.Component.ID, m.Verdict)
				}
			}
		})
	}
}

func TestEvaluateVersionRanges(t *testing.T) {
	e := mustEngine(t, nil)
	adv := func(aff feeds.Affected) *feeds.Advisory {
		aff.Vendor, aff.Product = "Example", "libx"
		return &feeds.Advisory{ID: "GHSA-test", Affected: []feeds.Affected{aff}}
	}
	semverRange := func(events ...feeds.Event) feeds.Affected {
		return feeds.Affected{Ranges: []feeds.Range{{Type: "SEMVER", Events: events}}}
	}
	for _, tc := range []struct {
		name    string
		aff     feeds.Affected
		verdict triage.Verdict
		rule    string
	}{
		// lib-x is 1.4.2.
		{"inside", semverRange(feeds.Event{Introduced: "1.0.0"}, feeds.Event{Fixed: "1.4.3"}), triage.VerdictAffected, "matched"},
		{"fixed_equal", semverRange(feeds.Event{Introduced: "0"}, feeds.Event{Fixed: "1.4.2"}), triage.VerdictNotAffected, "version-not-affected"},
		{"last_affected_equal", semverRange(feeds.Event{Introduced: "0"}, feeds.Event{LastAffected: "1.4.2"}), triage.VerdictAffected, "matched"},
		{"second_interval", semverRange(feeds.Event{Introduced: "0"}, feeds.Event{Fixed: "1.0.0"},
			feeds.Event{Introduced: "1.4.0"}, feeds.Event{Fixed: "1.5.0"}), triage.VerdictAffected, "matched"},
		{"before_introduced", semverRange(feeds.Event{Introduced: "2.0.0"}), triage.VerdictNotAffected, "version-not-affected"},
		{"open_ended", semverRange(feeds.Event{Introduced: "1.2.0"}), triage.VerdictAffected, "matched"},
		{"explicit_version", feeds.Affected{Versions: []string{"v1.4.2"}}, triage.VerdictAffected, "matched"},
		{"explicit_other", feeds.Affected{Versions: []string{"1.4.1"}}, triage.VerdictNotAffected, "version-not-affected"},
		// What cannot be compared is needs_review, never not_affected.
		{"git_range", feeds.Affected{Ranges: []feeds.Range{{Type: "GIT", Events: []feeds.Event{{Introduced: "abc"}}}}}, triage.VerdictNeedsReview, "matched"},
		{"bad_bound", semverRange(feeds.Event{Introduced: "0"}, feeds.Event{Fixed: "4.36.-1"}), triage.VerdictNeedsReview, "matched"},
		{"vendor_status_fixed", feeds.Affected{Status: feeds.StatusFixed}, triage.VerdictFixed, "version-not-affected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := e.Evaluate(adv(tc.aff))
			if len(res.Matches) != 1 {
				t.Fatalf("matches = %d, want 1", len(res.Matches))
			}
			if m := res.Matches[0]; m.Verdict != tc.verdict || m.VersionReason == "" {
				t.Fatalf("verdict = %s (%q), want %s", m.Verdict, m.VersionReason, tc.verdict)
			}
			if res.RuleID != tc.rule {
				t.Fatalf("rule = %s, want %s: %s", res.RuleID, tc.rule, res.Why())
			}
		})
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	_, err := triage.New(&triage.Stack{Components: []triage.Component{
		{ID: "a", Vendor: "X", Product: "Y", Exposure: "public"},
		{ID: "a", Vendor: "X", Product: "Z"},
		{ID: "", Vendor: "X"},
	}}, &triage.Options{Rules: []triage.Rule{
		{ID: "r1", Decision: "urgent"},
		{ID: "r1", Decision: triage.DecisionActionable, Priority: "P9"},
		{Decision: triage.DecisionActionable, When: triage.All(triage.Is("kevv", true), triage.Test("cvss", triage.OpGte, "high"), triage.Is("exposure", "public"))},
	}})
	if err == nil {
		t.Fatal("New accepted a bad stack and bad rules")
	}
	msg := err.Error()
	for _, want := range []string{
		`components[0] (a): unknown exposure "public"`,
		`components[1]: duplicate id "a" (first at components[0])`,
		`components[2]: missing id`,
		`components[2]: nothing to match on`,
		`rules[0] (r1) decision: "urgent" is not one of`,
		`rules[1] (r1): duplicate id "r1"`,
		`rules[1] (r1) priority: "P9" is not one of`,
		`rules[2]: missing id`,
		`rules[2] when.all[0]: unknown field "kevv" (did you mean "kev"?)`,
		`rules[2] when.all[1]: cvss: want a number, got the text "high"`,
		`rules[2] when.all[2]: exposure: "public" is not one of isolated, internal, internet`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	var re *triage.RuleError
	if !errors.As(err, &re) || re.Index != 0 {
		t.Errorf("errors.As(*RuleError) = %v, %+v", errors.As(err, &re), re)
	}
}

func TestEvaluateNoRuleHolds(t *testing.T) {
	e, err := triage.New(stack(), &triage.Options{Now: now, Rules: []triage.Rule{
		{ID: "only-kev", When: triage.Is("kev", true), Decision: triage.DecisionActionable},
	}})
	if err != nil {
		t.Fatal(err)
	}
	res := e.Evaluate(&feeds.Advisory{ID: "X-1"})
	if res.Decision != triage.DecisionInformational || res.RuleID != "" || !strings.Contains(res.Why(), "review by hand") {
		t.Fatalf("an advisory no rule covers must go to a person, got %+v", res)
	}
}

func TestEvaluateAdvisoryWithoutProducts(t *testing.T) {
	e := mustEngine(t, nil)
	res := e.Evaluate(&feeds.Advisory{ID: "NCSC-1", Title: "Weekly threat report"})
	if res.Decision != triage.DecisionNotApplicable || !strings.Contains(res.Why(), "names no product to compare") {
		t.Fatalf("got %s: %s", res.Decision, res.Why())
	}
}
